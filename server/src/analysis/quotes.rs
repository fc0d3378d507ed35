//! Quotation marks paired into quotations.

use super::{AnalysisOptions, Article, Quotation};

pub fn find(_text: &str, _art: &Article, _opts: &AnalysisOptions) -> Vec<Quotation> {
    Vec::new()
}
