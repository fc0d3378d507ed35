//! What counts as "the same" when two articles report one fact in other
//! words. Pure lookups over small lexicons (`equivalence/*.txt`), used by
//! claim extraction ([`super::features`]):
//!
//! * **unit classes**: counted nouns that name people (`member`,
//!   `diplomat`, `employee`, `people`) compare as one unit, `person`, so
//!   `eight members` equals `eight people` and conflicts with `5 of our
//!   representatives`;
//! * **ratios of change**: `halve`, `cut in half`, `double`, `triple`, and a
//!   `from 20 to 10` change all state a ratio (`×0.5`, `×2`), so `halve the
//!   staff` meets `from twenty to ten people`;
//! * **synonyms and derivations**: stems of one group share one term
//!   (`office`/`bureau`, `expel`/`expulsion`, `shut`/`close`), so a
//!   translated or paraphrased sentence still shares its content words;
//! * **demonyms**: `Russian` also names `Russia`, `Ukrainian` `Ukraine`.
//!
//! The lexicons are general English news vocabulary, not lists taken from
//! any article.

use crate::fxhash::{FxMap, FxSet};
use std::sync::LazyLock;

/// The unit every person-counting noun compares as.
pub const PERSON: &str = "person";

/// The unit of a ratio of change (`×0.5` for halving).
pub const RATIO: &str = "×";

static PEOPLE: LazyLock<FxSet<String>> = LazyLock::new(|| {
    lines(include_str!("equivalence/people.txt"))
        .map(super::features::stem)
        .collect()
});

/// Stem → canonical stem of its synonym group (the group's first word).
static SYNONYMS: LazyLock<FxMap<String, String>> = LazyLock::new(|| {
    let mut m = FxMap::default();
    for line in lines(include_str!("equivalence/synonyms.txt")) {
        let mut words = line.split_whitespace().map(super::features::stem);
        let Some(head) = words.next() else { continue };
        for w in words {
            if w != head {
                m.entry(w).or_insert_with(|| head.clone());
            }
        }
    }
    m
});

/// Demonym (lower case) → the place's name.
static DEMONYMS: LazyLock<FxMap<&'static str, &'static str>> = LazyLock::new(|| {
    lines(include_str!("equivalence/demonyms.txt"))
        .filter_map(|l| {
            let (d, p) = l.split_once(char::is_whitespace)?;
            Some((d, p.trim()))
        })
        .collect()
});

fn lines(s: &'static str) -> impl Iterator<Item = &'static str> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The unit class of a stemmed unit key: [`PERSON`] for people.
pub fn unit_class(stemmed: String) -> String {
    if PEOPLE.contains(&stemmed) {
        PERSON.to_string()
    } else {
        stemmed
    }
}

/// The canonical term of a stem (itself when it has no group).
pub fn canonical(stem: String) -> String {
    match SYNONYMS.get(&stem) {
        Some(c) => c.clone(),
        None => stem,
    }
}

/// The place a demonym names (`russian` → `Russia`), if it is one.
pub fn demonym_place(folded: &str) -> Option<&'static str> {
    DEMONYMS.get(folded).copied()
}

/// The ratio a word (or a word and the one before it) states as a change:
/// `halve` 0.5, `double` 2, `triple` 3, `quadruple` 4; `half` only after
/// `in`/`by` (`cut in half`), not as a fraction (`half of them`).
pub fn ratio_word(prev: Option<&str>, word: &str) -> Option<f64> {
    // The verb's forms only: `Halvorsen`, `Doubleday`, `triplet` and
    // `doublet` state no change.
    let verb = |stem: &str| {
        word.strip_prefix(stem)
            .is_some_and(|rest| matches!(rest, "e" | "ed" | "es" | "ing"))
    };
    if verb("halv") {
        return Some(0.5);
    }
    if word == "half" && matches!(prev, Some("in" | "by")) {
        return Some(0.5);
    }
    if verb("doubl") {
        return Some(2.0);
    }
    if verb("tripl") {
        return Some(3.0);
    }
    if verb("quadrupl") {
        return Some(4.0);
    }
    None
}

/// The ratio of a `from A to B` change, rounded to three significant
/// digits so that equal ratios compare equal.
pub fn change_ratio(from: f64, to: f64) -> Option<f64> {
    if from <= 0.0 || to <= 0.0 || !from.is_finite() || !to.is_finite() {
        return None;
    }
    let r = to / from;
    if r == 1.0 {
        return None;
    }
    let digits = 2 - r.log10().floor() as i32;
    let p = 10f64.powi(digits);
    Some((r * p).round() / p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::features::stem;

    #[test]
    fn people_nouns_share_a_unit() {
        for w in ["member", "diplomat", "employee", "representative", "person"] {
            assert_eq!(unit_class(stem(w)), PERSON, "{w}");
        }
        assert_eq!(unit_class(stem("tank")), stem("tank"));
    }

    #[test]
    fn synonyms_and_derivations_meet() {
        assert_eq!(canonical(stem("bureau")), canonical(stem("office")));
        assert_eq!(canonical(stem("expulsion")), canonical(stem("expelled")));
        assert_eq!(canonical(stem("shuttered")), canonical(stem("closed")));
        assert_ne!(canonical(stem("office")), canonical(stem("closed")));
    }

    #[test]
    fn ratios() {
        assert_eq!(ratio_word(None, "halved"), Some(0.5));
        assert_eq!(ratio_word(Some("in"), "half"), Some(0.5));
        assert_eq!(ratio_word(None, "half"), None);
        assert_eq!(ratio_word(None, "doubling"), Some(2.0));
        assert_eq!(ratio_word(None, "tripled"), Some(3.0));
        assert_eq!(ratio_word(None, "quadruples"), Some(4.0));
        // Names and nouns that begin like the verbs state no change.
        for w in ["halvorsen", "doubleday", "doublet", "triplets", "triplex"] {
            assert_eq!(ratio_word(None, w), None, "{w}");
        }
        assert_eq!(ratio_word(None, "doubled"), Some(2.0));
        assert_eq!(change_ratio(20.0, 10.0), Some(0.5));
        assert_eq!(change_ratio(3.0, 1.0), change_ratio(30.0, 10.0));
        assert_eq!(change_ratio(5.0, 5.0), None);
        assert_eq!(change_ratio(0.0, 5.0), None);
    }

    #[test]
    fn demonyms_name_places() {
        assert_eq!(demonym_place("russian"), Some("Russia"));
        assert_eq!(demonym_place("ukrainian"), Some("Ukraine"));
        assert_eq!(demonym_place("table"), None);
    }
}
