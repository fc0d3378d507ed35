//! Lower-case words without allocating: most words an article is made of
//! are short and ASCII, so their lower case fits on the stack. The analysis
//! lower-cases words at every step (lexicon lookups, cue verbs, counted
//! nouns), so this is on the hot path of every keystroke.

use std::ops::Deref;

/// A word's lower case: the word itself when it has no upper case, inline
/// for a short ASCII word, else owned.
#[derive(Clone, Debug)]
pub enum Lower<'a> {
    Borrowed(&'a str),
    /// ASCII bytes only (so valid UTF-8), `len` of them.
    Inline(u8, [u8; INLINE]),
    Owned(String),
}

/// The longest word kept inline (the enum stays 32 bytes).
pub const INLINE: usize = 22;

impl<'a> Lower<'a> {
    /// Exactly `word.to_lowercase()`, without allocating for ASCII words of
    /// up to [`INLINE`] bytes or words with no upper-case ASCII letter.
    pub fn of(word: &'a str) -> Lower<'a> {
        if word.is_ascii() {
            if !word.bytes().any(|c| c.is_ascii_uppercase()) {
                return Lower::Borrowed(word);
            }
            return Lower::ascii(word);
        }
        Lower::Owned(word.to_lowercase())
    }

    /// `word.to_lowercase()` when `has_upper` (the caller's own check),
    /// else the word itself.
    pub fn of_checked(word: &'a str, has_upper: bool) -> Lower<'a> {
        if !has_upper {
            Lower::Borrowed(word)
        } else if word.is_ascii() {
            Lower::ascii(word)
        } else {
            Lower::Owned(word.to_lowercase())
        }
    }

    /// An ASCII word with upper-case letters.
    fn ascii(word: &str) -> Lower<'a> {
        if word.len() <= INLINE {
            let mut buf = [0u8; INLINE];
            for (d, c) in buf.iter_mut().zip(word.bytes()) {
                *d = c.to_ascii_lowercase();
            }
            Lower::Inline(word.len() as u8, buf)
        } else {
            Lower::Owned(word.to_ascii_lowercase())
        }
    }

    pub fn into_owned(self) -> String {
        match self {
            Lower::Owned(s) => s,
            other => other.deref().to_string(),
        }
    }
}

impl Deref for Lower<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Lower::Borrowed(s) => s,
            // SAFETY: `Inline` holds ASCII bytes only (see `Lower::ascii`).
            Lower::Inline(n, b) => unsafe { std::str::from_utf8_unchecked(&b[..usize::from(*n)]) },
            Lower::Owned(s) => s,
        }
    }
}

impl std::fmt::Display for Lower<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl AsRef<str> for Lower<'_> {
    fn as_ref(&self) -> &str {
        self
    }
}

impl PartialEq<&str> for Lower<'_> {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl PartialEq<str> for Lower<'_> {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_to_lowercase() {
        for w in [
            "",
            "said",
            "Said",
            "NATO",
            "McDonald's",
            "Straße",
            "ÉLYSÉE",
            "İstanbul",
            "\u{212A}elvin",
            "ǅemal",
            "Σίσυφος",
            "ABCDEFGHIJKLMNOPQRSTUV",
            "ABCDEFGHIJKLMNOPQRSTUVW",
            "abcdefghijklmnopqrstuvwxyz",
        ] {
            assert_eq!(&*Lower::of(w), w.to_lowercase(), "{w:?}");
            let upper = w.chars().any(char::is_uppercase);
            if upper || w.is_ascii() {
                assert_eq!(&*Lower::of_checked(w, upper), w.to_lowercase(), "{w:?}");
            }
        }
        assert!(matches!(Lower::of("said"), Lower::Borrowed(_)));
        assert!(matches!(Lower::of("Said"), Lower::Inline(..)));
        assert_eq!(std::mem::size_of::<Lower>(), 32);
    }
}
