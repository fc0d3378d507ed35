//! The workspace claim index: per-claim features, postings, scoring and
//! relations (same claim, conflict, quote variant). Knows `analysis`, never
//! `lsp` or `cli`.
