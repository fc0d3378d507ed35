//! Article model: front matter, title, skipped regions, paragraphs, sentences.

use super::{AnalysisOptions, Article};

pub fn parse(_text: &str, _opts: &AnalysisOptions) -> Article {
    Article::default()
}
