//! The attribution sieve: speakers for quotations, sources for figures.

use super::{AnalysisOptions, Article};

pub fn attribute(_text: &str, _art: &mut Article, _opts: &AnalysisOptions) {}
