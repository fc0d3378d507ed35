//! The article analysis: text in, annotations out. Pure: no I/O, no LSP types.
//!
//! All spans are byte ranges into the text given to [`analyze`].
//!
//! Pipeline (each step its own module):
//! 1. [`article`]: front matter, title, skipped regions (code, comments,
//!    URLs, link targets, footnote definitions), paragraphs, sentences.
//! 2. [`figures`]: the grammar of numbers: figures with value, unit,
//!    qualifier; exclusions (years, dates, names, ordinals, `one`, ...).
//! 3. [`quotes`]: quotation marks paired into quotations.
//! 4. [`attribution`]: the cue lexicon and the sieve that ties quotations to
//!    speakers and figures to sources.
//! 5. [`findings`]: diagnostics (code, span, message) and suppressions.

pub mod article;
pub mod attribution;
pub mod figures;
pub mod findings;
pub mod lexicon;
pub mod lower;
mod memo;
pub mod quotes;

use serde::Serialize;
use std::cell::Cell;
use std::ops::Range;

pub use findings::{Code, Finding, Severity};

/// A byte range into the analysed text.
pub type Span = Range<usize>;

/// Knobs of the analysis that come from configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisOptions {
    /// Report dates as figures (default: no).
    pub dates_as_figures: bool,
    /// Flag scare quotes as unattributed quotations (default: no).
    pub flag_scare_quotes: bool,
    /// Markdown rules (footnotes, code, links...) apply; false for `.txt`.
    /// The analysis still recognises links and footnote references in
    /// plain text, but never inserts Markdown.
    pub markdown: bool,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            dates_as_figures: false,
            flag_scare_quotes: false,
            markdown: true,
        }
    }
}

/// Front matter and title.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Meta {
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
}

/// A sentence. Sentences are sorted and never overlap. A sentence broken
/// by a blank line (PDF artefact: a paragraph that ends without terminal
/// punctuation followed by one that starts in lowercase) is ONE sentence
/// whose span covers the break; `paragraph` is the paragraph it starts in.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub span: Span,
    /// Index into [`Article::paragraphs`].
    pub paragraph: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureStatus {
    Sourced,
    Unsourced,
    /// Sourced only by an anonymous agent (`analysts say`).
    Vague,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Number with multiplier, currency and unit or counted noun; never the
    /// qualifier.
    pub span: Span,
    pub value: f64,
    /// Upper end of a range or change (`7-10 minutes`, `from twenty to ten`).
    pub value_to: Option<f64>,
    /// `USD`, `%`, `minute`, or the counted noun's lemma (`member`).
    pub unit: Option<String>,
    /// `over`, `more than`, `about`, `at least`, `range`, `from-to`...
    pub qualifier: Option<String>,
    /// Index into [`Article::sentences`].
    pub sentence: usize,
    pub status: FigureStatus,
    /// The agent as written (`Lavrov`, `the minister`), resolved when a
    /// pronoun; or `link`, `footnote`, `note` for those sources.
    pub source: Option<String>,
    /// The figure before it restated in another currency (`$100m (£52m)`,
    /// `£5.7bn ($10.7bn; 8.2bn euros)`): one fact, so it gets no finding of
    /// its own, and the index neither matches nor compares it (exchange
    /// rates differ from day to day and outlet to outlet).
    pub restates: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuoteKind {
    Quotation,
    ScareQuote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteStatus {
    Attributed,
    Unattributed,
    /// Attributed to an anonymous speaker (`sources said`).
    Vague,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Quotation {
    /// The quoted content, without marks, trimmed of spaces.
    pub span: Span,
    /// From the opening mark to the closing mark inclusive (or the content
    /// span for a block quote / a missing mark).
    pub outer: Span,
    pub kind: QuoteKind,
    /// `None` for scare quotes.
    pub status: Option<QuoteStatus>,
    /// The speaker, resolved when the cue names a pronoun (`he` -> `Sergei Lavrov`).
    pub speaker: Option<String>,
    /// The speaker as written in the cue (`he`, `the minister`).
    pub speaker_as_written: Option<String>,
    /// The cue as written (`said`, `told Kommersant`, `:`).
    pub cue: Option<String>,
    /// Index into [`Article::sentences`] of the sentence the quote opens in.
    pub sentence: usize,
    /// Index of the enclosing quotation for nested quotes.
    pub nested_in: Option<usize>,
}

/// A date mentioned in the text (used by claims; a figure only when
/// `dates_as_figures`).
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    pub span: Span,
    pub sentence: usize,
}

/// A footnote definition (`[^label]: ...`) in Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    pub label: String,
    /// The whole definition line(s).
    pub span: Span,
}

/// The analysis of one article.
#[derive(Debug, Clone, Default)]
pub struct Article {
    pub meta: Meta,
    /// Byte ranges the analysis did not read (front matter, code, comments,
    /// URLs, link targets, footnote definitions).
    pub skipped: Vec<Span>,
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
    pub figures: Vec<Figure>,
    pub quotations: Vec<Quotation>,
    pub dates: Vec<DateMention>,
    pub footnotes: Vec<Footnote>,
    /// The YAML front matter block (both `---` lines included), if any.
    pub front_matter: Option<Span>,
    /// Quotation marks that never close (filled by [`quotes`]); each becomes
    /// an `unbalanced-quote` finding.
    pub unbalanced: Vec<Span>,
    /// Diagnostics-to-be, after suppressions. Cross-article codes
    /// (`conflicting-figure`, `quote-variant`) come from the index.
    pub findings: Vec<Finding>,
}

impl Article {
    /// The index of the quotation (not a scare quote) at byte span `span`.
    pub fn quotation_at(&self, span: &std::ops::Range<usize>) -> Option<usize> {
        self.quotations
            .iter()
            .position(|q| q.span == *span && q.kind == QuoteKind::Quotation)
    }

    /// The sentence containing byte `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= offset);
        (i < self.sentences.len() && self.sentences[i].span.start <= offset).then_some(i)
    }
}

/// Analyse one article.
pub fn analyze(text: &str, opts: &AnalysisOptions) -> Article {
    run(text, opts, None, &Cancel::never(), true).expect("never cancelled")
}

/// [`analyze`] without the findings (`findings` stays empty): figures,
/// quotations, speakers, sources and dates only, which is all the claim
/// index reads of an unopened article (about 1% less work).
pub fn analyze_facts(text: &str, opts: &AnalysisOptions) -> Article {
    run(text, opts, None, &Cancel::never(), false).expect("never cancelled")
}

/// What one analysis of a document keeps for the next analysis of the same
/// document (an editor buffer, analysed at each keystroke): the figures of
/// each sentence, reused when the sentence's lines did not change, and (up
/// to [`TOKEN_MEMO_MAX_BYTES`]) each sentence's tokens and registry
/// additions. Results are the same as [`analyze`]'s; only the work differs.
#[derive(Default)]
pub struct AnalysisCache {
    figures: figures::FigureMemo,
    tokens: attribution::TokenMemo,
    /// Above [`TOKEN_MEMO_MAX_BYTES`]: the tokens' vector of the last
    /// analysis, emptied, for the next one to fill. A 1 MB article's tokens
    /// take some 14 MB; allocated afresh at each keystroke on an editor's
    /// worker thread, the allocator hands those pages back and faults them
    /// in again (a fifth of the keystroke's time).
    buffer: attribution::TokenBuffer,
}

/// Above this size a document's tokens are not memoised: the memo holds
/// over ten bytes per byte of text, and once that outgrows the core's
/// cache, reading it back costs more than tokenising again. Measured on
/// the 2-core CI machine (2 MB L2 per core), keystroke analysis with and
/// without the token memo: 100 KB 2.9 / 3.2 ms, 250 KB 8.4 / 8.1 ms,
/// 400 KB 17.5 / 13.8 ms, 1 MB 57 / 40 ms. The figure memo is small and
/// pays at every size.
pub const TOKEN_MEMO_MAX_BYTES: usize = 256 * 1024;

/// [`analyze`], reusing what `cache` kept from the previous analysis of the
/// same document and keeping what the next one can reuse.
pub fn analyze_cached(text: &str, opts: &AnalysisOptions, cache: &mut AnalysisCache) -> Article {
    run(text, opts, Some(cache), &Cancel::never(), true).expect("never cancelled")
}

/// [`analyze_cached`] that gives up (`None`) as soon as `cancel` says the
/// result is no longer wanted (an editor buffer that changed again): a
/// burst of keystrokes on a huge document then waits for one analysis of
/// its last version, not for the rest of a stale one first. The cache
/// loses nothing when an analysis gives up; a finished analysis gives the
/// same article as [`analyze`].
pub fn analyze_cancellable(
    text: &str,
    opts: &AnalysisOptions,
    cache: &mut AnalysisCache,
    cancel: &Cancel,
) -> Option<Article> {
    run(text, opts, Some(cache), cancel, true)
}

/// Whether an analysis is still wanted, asked between steps and every few
/// dozen sentences within them. Once the answer is "cancelled" it stays so
/// (the question is not asked again).
pub struct Cancel<'a> {
    ask: Option<&'a dyn Fn() -> bool>,
    hit: Cell<bool>,
}

impl<'a> Cancel<'a> {
    /// Cancelled when `ask` returns true.
    pub fn new(ask: &'a dyn Fn() -> bool) -> Self {
        Cancel {
            ask: Some(ask),
            hit: Cell::new(false),
        }
    }

    /// Never cancelled.
    pub fn never() -> Self {
        Cancel {
            ask: None,
            hit: Cell::new(false),
        }
    }

    /// Ask (unless already cancelled): true when the work should stop.
    pub fn check(&self) -> bool {
        if !self.hit.get() {
            if let Some(ask) = self.ask {
                self.hit.set(ask());
            }
        }
        self.hit.get()
    }

    /// [`Cancel::check`] every 64th time `i` comes round (sentence loops).
    #[inline]
    pub(crate) fn every(&self, i: usize) -> bool {
        i % 64 == 63 && self.check()
    }

    /// Whether a check has said "cancelled" (without asking again).
    pub fn cancelled(&self) -> bool {
        self.hit.get()
    }
}

fn run(
    text: &str,
    opts: &AnalysisOptions,
    mut cache: Option<&mut AnalysisCache>,
    cancel: &Cancel,
    with_findings: bool,
) -> Option<Article> {
    let mut art = article::parse(text, opts);
    if cancel.check() {
        return None;
    }
    let (figures, dates) = figures::scan(
        text,
        &art,
        opts,
        cache.as_deref_mut().map(|c| &mut c.figures),
        cancel,
    );
    if cancel.check() {
        return None;
    }
    art.figures = figures;
    art.dates = dates;
    let scan = quotes::scan(text, &art, opts);
    art.quotations = scan.quotations;
    art.unbalanced = scan.unbalanced;
    if cancel.check() {
        return None;
    }
    let (tokens, buffer) = match cache {
        Some(c) if text.len() > TOKEN_MEMO_MAX_BYTES => {
            // Too big to pay: drop what a smaller version kept.
            c.tokens = Default::default();
            (None, Some(&mut c.buffer))
        }
        Some(c) => {
            c.buffer = Default::default();
            (Some(&mut c.tokens), None)
        }
        None => (None, None),
    };
    attribution::attribute(text, &mut art, opts, tokens, buffer, cancel);
    if cancel.check() {
        return None;
    }
    if with_findings {
        art.findings = findings::collect(text, &art, opts);
    }
    Some(art)
}
