//! Quick fixes as pure text edits (byte offsets): source notes, citations,
//! attributions, suppressions. The LSP layer converts them to `TextEdit`s.
