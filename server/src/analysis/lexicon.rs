//! Word lists the rules read (data, not code): files in `lexicon/`,
//! compiled in with `include_str!`.
