//! The workspace claim index: per-claim features, postings, scoring and
//! relations (same claim, conflict, quote variant). Knows `analysis`, never
//! `lsp` or `cli`; pure (no I/O: the walker is [`crate::workspace`]).
//!
//! # Claims
//! Every sentence of an article that carries a figure, a quotation or a date
//! is a claim ([`Claim::is_strict`]); a sentence of coordinated predicates
//! without quotations (`The council closed its depot, sold … and cut
//! …`) is one claim per clause ([`clauses`]), each with the sentence's
//! subject; every other sentence with at least
//! [`features::MIN_CONTEXT_TERMS`] content words is indexed too, as a
//! *context* claim (`carries == 0`), because the same fact is often stated
//! with a figure in one article and without in another. The front ends show
//! strict claims (code lens, diagnostics) and may offer matches for any.
//!
//! For each claim the index keeps only features, never the article text:
//! stemmed content words, name keys (spelling variants folded), normalised
//! figures, quoted words and speakers, day dates, the sentence's span and
//! line/column positions, and a hash of the sentence. A result's sentence
//! (at most [`MAX_TEXT`] bytes of it, cut around what it shares with the
//! query: [`excerpt`]) comes from the kept text of an open
//! document ([`Prepared::keep_text`], [`Index::upsert`]) or is read back
//! through the front end's [`TextSource`] ([`Index::set_text_source`]) and
//! shown only if it still hashes as indexed ([`SENTENCE_UNAVAILABLE`]
//! otherwise).
//!
//! # API
//! ```no_run
//! # use factlens::{analysis, index::Index};
//! let mut index = Index::new();
//! let text = "The agency said it expelled 8 diplomats.";
//! let art = analysis::analyze(text, &Default::default());
//! index.upsert("a.md", text, &art);           // add or replace
//! let claims = index.claims_of("a.md");       // &[Claim], text order
//! let m = index.matches_for("a.md", 0, 5, 1.0); // Vec<Match>, best first
//! let m = index.matches_for_span("a.md", 30..31, 5, 1.0); // claim at a cursor
//! let hits = index.search("expelled diplomats", 20); // workspace symbols
//! let meta = index.doc_meta("a.md");          // title, outlet, date, url, author
//! let cite = index.is_sourced("a.md");        // may be offered by *Cite*
//! let diags = index.cross_findings("a.md", 5, 1.0); // conflicting-figure, quote-variant
//! index.remove("a.md");
//! ```
//! Paths are opaque strings (use the same form for a file everywhere: the
//! CLI uses file system paths, the LSP may use URIs).
//! Positions in [`Match`] / [`Claim`] are zero-based lines with columns in
//! Unicode scalar values (`col`, the CLI adds 1) and UTF-16 units
//! (`col_utf16`, LSP) — for unopened files the front ends need no text.
//!
//! `min_score` is `Config::min_match_score` (1.0 by default). A
//! [`Match::relation`] is [`Relation::SameClaim`], [`Relation::Conflict`]
//! (`conflicting-figure`) or [`Relation::QuoteVariant`].
//!
//! # Threads
//! [`Index`] is a plain `Send + Sync` value: queries take `&self`, updates
//! `&mut self`. The LSP holds it in an `Arc<RwLock<Index>>`; indexing in
//! bulk prepares documents in parallel with [`prepare`] (pure, no lock)
//! and inserts them with [`Index::insert`] (fast, under the write lock).
//! [`crate::workspace::build_workspace`] does that for a whole workspace,
//! inserting in file order (ids never depend on timing).
//!
//! # Speed and memory
//! [`features::extract`] memoises word forms per thread (fold, stop test,
//! stem, name key, month, ratio word: one hash lookup per word) and returns
//! terms as ids into a per-document vocabulary ([`intern::Interner`])
//! numbered in the order [`Index::insert`] registers them, so insert maps
//! each distinct term once and global ids equal those of registering each
//! string in turn. The index vocabulary is one string buffer with an
//! FxHash table; postings are one flat byte array of delta-coded varints
//! (about 2 bytes a posting) built at exact size
//! after a bulk build ([`Index::begin_bulk`]) or a compaction, plus
//! per-term vectors for later inserts; a document's context terms and its claims' line/column positions
//! ([`Index::claim_position`]) are varints; a figure is 32
//! bytes (units and qualifiers are process-wide [`intern::Sym`] ids). [`Index::heap_breakdown`] reports the
//! heap by part (`cargo bench --bench index` prints it).
//!
//! # Matching
//! See [`matching`]: BM25 over content terms normalised to 0..1, plus
//! evidence (equal figures with the same unit, quoted words, day dates),
//! behind a gate that needs shared wording and a second kind of evidence.

pub mod clauses;
pub mod equivalence;
pub mod features;
pub mod intern;
pub mod matching;
pub mod store;

pub use matching::{Evidence, Relation};
pub use store::{
    excerpt, prepare, Claim, CrossFinding, Index, LinePos, Match, Prepared, SearchHit, TextSource,
    MAX_TEXT, SENTENCE_UNAVAILABLE,
};

#[cfg(test)]
mod tests;
