//! Findings: what becomes a diagnostic, with its stable code, span and
//! message; suppression markers.

use super::{AnalysisOptions, Article, Span};
use serde::{Deserialize, Serialize};

/// Stable diagnostic codes (SPEC "What the editor shows").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    UnsourcedFigure,
    UnattributedQuote,
    VagueAttribution,
    ConflictingFigure,
    QuoteVariant,
    UnbalancedQuote,
    /// A configured size limit cut the analysis short.
    SizeLimit,
}

impl Code {
    pub const ALL: [Code; 7] = [
        Code::UnsourcedFigure,
        Code::UnattributedQuote,
        Code::VagueAttribution,
        Code::ConflictingFigure,
        Code::QuoteVariant,
        Code::UnbalancedQuote,
        Code::SizeLimit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnsourcedFigure => "unsourced-figure",
            Code::UnattributedQuote => "unattributed-quote",
            Code::VagueAttribution => "vague-attribution",
            Code::ConflictingFigure => "conflicting-figure",
            Code::QuoteVariant => "quote-variant",
            Code::UnbalancedQuote => "unbalanced-quote",
            Code::SizeLimit => "size-limit",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::UnsourcedFigure | Code::UnattributedQuote | Code::ConflictingFigure => {
                Severity::Warning
            }
            Code::VagueAttribution | Code::QuoteVariant | Code::SizeLimit => Severity::Information,
            Code::UnbalancedQuote => Severity::Hint,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

/// What a finding is about, so front ends can find its figure or quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Figure(usize),
    Quotation(usize),
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: Code,
    pub span: Span,
    pub message: String,
    pub subject: Subject,
}

/// Turn the analysed figures and quotations into findings, honouring
/// suppression markers.
pub fn collect(_text: &str, _art: &Article, _opts: &AnalysisOptions) -> Vec<super::Finding> {
    Vec::new()
}
