//! Word lists the rules read (data, not code): files in `lexicon/`,
//! compiled in with `include_str!`.
//!
//! File format: one entry per line; `#` starts a comment line; fields are
//! separated by a tab. Keys are lowercased unless a file says otherwise.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// The entries of a lexicon file: trimmed, non-empty, non-comment lines.
pub fn entries(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The first field of every entry.
pub fn word_set(data: &'static str) -> HashSet<&'static str> {
    entries(data)
        .map(|l| l.split('\t').next().unwrap_or(l).trim())
        .collect()
}

/// First field -> second field.
pub fn word_map(data: &'static str) -> HashMap<&'static str, &'static str> {
    entries(data)
        .filter_map(|l| {
            let mut it = l.split('\t');
            let k = it.next()?.trim();
            let v = it.next()?.trim();
            Some((k, v))
        })
        .collect()
}

pub use crate::fxhash::{FxBuild, FxMap, FxSet};

/// [`word_set`] with the fast hasher.
pub(crate) fn fx_set(data: &'static str) -> FxSet<&'static str> {
    word_set(data).into_iter().collect()
}

/// [`word_map`] with the fast hasher.
pub(crate) fn fx_map(data: &'static str) -> FxMap<&'static str, &'static str> {
    word_map(data).into_iter().collect()
}

/// A one-hash Bloom filter over a word list (first two bytes, last byte and
/// length): `false` means the word is surely not in the list, so the hash
/// lookup can be skipped. Words rarely pass that are not in the list.
pub struct WordFilter(Box<[u64; WordFilter::WORDS]>);

impl WordFilter {
    const BITS: u32 = 13;
    const WORDS: usize = (1 << Self::BITS) / 64;

    pub fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> WordFilter {
        let mut f = WordFilter(Box::new([0; Self::WORDS]));
        for w in words {
            let k = Self::slot(w);
            f.0[k / 64] |= 1 << (k % 64);
        }
        f
    }

    fn slot(w: &str) -> usize {
        let b = w.as_bytes();
        let at = |i: usize| b.get(i).map_or(0, |&c| u32::from(c));
        let len = u32::try_from(b.len()).unwrap_or(u32::MAX) & 0xff;
        let key = at(0) | at(1) << 8 | at(b.len().wrapping_sub(1)) << 16 | len << 24;
        (key.wrapping_mul(0x9E37_79B1) >> (32 - Self::BITS)) as usize
    }

    /// Whether `w` may be one of the words (exact bytes).
    #[inline]
    pub fn may_contain(&self, w: &str) -> bool {
        let k = Self::slot(w);
        self.0[k / 64] & (1 << (k % 64)) != 0
    }
}

// ---------------------------------------------------------------------------
// Article model and figures (owner: analysis). Numbers, units, multipliers,
// currencies, abbreviations, months, sentence openers.
// ---------------------------------------------------------------------------

/// How an abbreviation's full stop relates to sentence ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrKind {
    /// Never ends a sentence (`Mr.`, `Gen.`, `e.g.`).
    Title,
    /// Does not end a sentence before a number (`No. 5`, `Dec. 24`).
    Number,
    /// Ends a sentence only before a common sentence opener (`U.S. The`).
    Abbr,
}

/// Abbreviations, lowercased, without their final dot (`u.s`, `mr`).
pub static ABBREVIATIONS: LazyLock<FxMap<&'static str, AbbrKind>> = LazyLock::new(|| {
    fx_map(include_str!("lexicon/abbreviations.txt"))
        .into_iter()
        .map(|(k, v)| {
            let kind = match v {
                "title" => AbbrKind::Title,
                "number" => AbbrKind::Number,
                _ => AbbrKind::Abbr,
            };
            (k, kind)
        })
        .collect()
});

/// Capitalised words that open a sentence (case as written).
pub static SENTENCE_OPENERS: LazyLock<FxSet<&'static str>> =
    LazyLock::new(|| fx_set(include_str!("lexicon/sentence_openers.txt")));

/// Nationality adjectives, lower case (`british`, `russian`).
pub static NATIONALITIES: LazyLock<FxSet<&'static str>> =
    LazyLock::new(|| fx_set(include_str!("lexicon/nationalities.txt")));

/// Month names and abbreviations (lowercased) -> month number.
pub static MONTHS: LazyLock<FxMap<&'static str, u8>> = LazyLock::new(|| {
    fx_map(include_str!("lexicon/months.txt"))
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.parse().ok()?)))
        .collect()
});

/// Spelled-out numbers below a hundred (lowercased) -> value.
pub static NUMBER_WORDS: LazyLock<FxMap<&'static str, f64>> = LazyLock::new(|| {
    fx_map(include_str!("lexicon/numbers.txt"))
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.parse().ok()?)))
        .collect()
});

/// Multipliers (lowercased) -> factor (`million` -> 1e6, `bn` -> 1e9).
pub static MULTIPLIERS: LazyLock<FxMap<&'static str, f64>> = LazyLock::new(|| {
    fx_map(include_str!("lexicon/multipliers.txt"))
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.parse().ok()?)))
        .collect()
});

/// How a currency is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrencyKind {
    /// `$`, `€`: before the number (or right after it).
    Symbol,
    /// `dollars`, `rubles`: after the number.
    Word,
    /// `USD`, `EUR`: before or after the number.
    Code,
    /// `p` (pence): glued after the number.
    Suffix,
}

pub struct Currency {
    pub code: &'static str,
    pub kind: CurrencyKind,
}

/// A country's adjective (lower case, one or two words) and the code of a
/// currency word alone -> the code of that country's currency (`canadian`,
/// `USD` -> `CAD`): `currency_countries.txt`.
pub static CURRENCY_COUNTRIES: LazyLock<FxMap<(&'static str, &'static str), &'static str>> =
    LazyLock::new(|| {
        entries(include_str!("lexicon/currency_countries.txt"))
            .filter_map(|l| {
                let mut it = l.split('\t');
                let adjective = it.next()?.trim();
                let plain = it.next()?.trim();
                let code = it.next()?.trim();
                Some(((adjective, plain), code))
            })
            .collect()
    });

/// Currency symbols (as written) and words/codes (lowercased).
pub static CURRENCIES: LazyLock<FxMap<&'static str, Currency>> = LazyLock::new(|| {
    entries(include_str!("lexicon/currencies.txt"))
        .filter_map(|l| {
            let mut it = l.split('\t');
            let k = it.next()?.trim();
            let code = it.next()?.trim();
            let kind = match it.next()?.trim() {
                "symbol" => CurrencyKind::Symbol,
                "word" => CurrencyKind::Word,
                "code" => CurrencyKind::Code,
                _ => CurrencyKind::Suffix,
            };
            Some((k, Currency { code, kind }))
        })
        .collect()
});

/// Measurement units as written (lowercased, may hold a space) -> lemma.
pub static UNITS: LazyLock<FxMap<&'static str, &'static str>> =
    LazyLock::new(|| fx_map(include_str!("lexicon/units.txt")));

/// Qualifiers (`more than`, `over`), as word sequences, longest first.
pub static QUALIFIERS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    let mut v: Vec<Vec<&'static str>> = entries(include_str!("lexicon/qualifiers.txt"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    v.sort_by_key(|q| std::cmp::Reverse(q.len()));
    v
});

/// [`QUALIFIERS`] by their last word, each list longest first (the order of
/// [`QUALIFIERS`]).
pub static QUALIFIERS_BY_LAST: LazyLock<FxMap<&'static str, Vec<&'static [&'static str]>>> =
    LazyLock::new(|| {
        let mut m: FxMap<&'static str, Vec<&'static [&'static str]>> = FxMap::default();
        for q in QUALIFIERS.iter() {
            if let Some(&last) = q.last() {
                m.entry(last).or_default().push(q.as_slice());
            }
        }
        m
    });

/// Every word of every qualifier.
pub static QUALIFIER_WORDS: LazyLock<FxSet<&'static str>> =
    LazyLock::new(|| QUALIFIERS.iter().flatten().copied().collect());

/// The first words of the [`UNITS`] of two words (`percentage points`).
pub static UNIT_FIRST_WORDS: LazyLock<FxSet<&'static str>> = LazyLock::new(|| {
    UNITS
        .keys()
        .filter_map(|k| k.split_once(' ').map(|(first, _)| first))
        .collect()
});

/// Irregular or unmarked plurals (lowercased) -> lemma.
pub static PLURALS: LazyLock<FxMap<&'static str, &'static str>> =
    LazyLock::new(|| fx_map(include_str!("lexicon/plurals.txt")));

/// Words that end the noun phrase after a number.
pub static NP_STOP: LazyLock<FxSet<&'static str>> =
    LazyLock::new(|| fx_set(include_str!("lexicon/np_stop.txt")));

/// Words of page furniture (`4 comments`, `7 min`).
pub static FURNITURE: LazyLock<FxSet<&'static str>> =
    LazyLock::new(|| fx_set(include_str!("lexicon/furniture.txt")));

/// Titles and roles (`minister`, `spokesman`): the attribution's word list,
/// also read by the claim index (a shared title is no shared fact).
pub const TITLES_TXT: &str = include_str!("lexicon/titles.txt");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicons_load() {
        assert_eq!(ABBREVIATIONS.get("mr"), Some(&AbbrKind::Title));
        assert_eq!(ABBREVIATIONS.get("u.s"), Some(&AbbrKind::Abbr));
        assert_eq!(MONTHS.get("december"), Some(&12));
        assert_eq!(NUMBER_WORDS.get("seventy"), Some(&70.0));
        assert_eq!(MULTIPLIERS.get("bn"), Some(&1e9));
        assert_eq!(CURRENCIES.get("$").map(|c| c.code), Some("USD"));
        assert_eq!(
            CURRENCIES.get("rubles").map(|c| c.kind),
            Some(CurrencyKind::Word)
        );
        assert_eq!(UNITS.get("minutes"), Some(&"minute"));
        assert!(SENTENCE_OPENERS.contains("The"));
        assert_eq!(QUALIFIERS[0].len(), 3);
        let f = WordFilter::new(["said", "a", "", "according", "déclaré"]);
        for w in ["said", "a", "", "according", "déclaré"] {
            assert!(f.may_contain(w), "{w:?}");
        }
        assert!(!f.may_contain("sad"));
        assert_eq!(PLURALS.get("people"), Some(&"person"));
        assert!(NP_STOP.contains("of"));
        assert!(FURNITURE.contains("comments"));
    }
}
