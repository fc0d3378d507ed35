//! factlens: annotate facts in news articles.
//!
//! The crate is split in rooms whose doors open one way (see `ARCHITECTURE.md`):
//!
//! * [`analysis`]: pure, `&str -> Article` (figures, quotations, speakers,
//!   sources, findings). No I/O, no LSP types.
//! * [`index`]: the workspace claim index (features, postings, matching).
//!   Knows `analysis`, never `lsp` or `cli`.
//! * [`fixes`]: pure text edits for quick fixes (byte offsets).
//! * [`text`]: the only place where byte offsets become line/column positions.
//! * [`config`]: `factlens.toml` and editor settings.
//! * [`cli`] and [`lsp`]: thin front ends on the above.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod fixes;
pub mod fxhash;
pub mod index;
pub mod lsp;
pub mod text;
pub mod workspace;
