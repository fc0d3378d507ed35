//! Clauses of one sentence that report separate facts: `The council closed
//! its depot in the old port, sold the harbour ferry to a trust and cut the
//! weekend bus service`. Each is a claim of
//! its own ([`super::features`]), so that each fact finds its own reports
//! in other articles instead of the three sharing one top three.
//!
//! A new clause starts at a coordinated predicate: a verb in the past tense
//! (`sold`, `cut`, `opened`) after a comma or after `and`/`but`,
//! followed by what a transitive verb takes (a determiner, a possessive, a
//! number), or at a semicolon. Each part keeps at least [`MIN_WORDS`]
//! words. Pure text reading: no tagger, conservative by design (an
//! adjective such as `increased competition` is followed by no determiner
//! and starts nothing).

use std::ops::Range;

/// The fewest words a clause keeps (the first, and each after a split).
pub const MIN_WORDS: usize = 4;

/// The most clauses one sentence is cut into.
pub const MAX_CLAUSES: usize = 6;

/// Past tenses that do not end in `-ed` and are common in news predicates.
/// Sorted (binary search).
const IRREGULAR_PAST: &[&str] = &[
    "began",
    "bought",
    "brought",
    "built",
    "came",
    "caught",
    "chose",
    "cut",
    "drew",
    "drove",
    "fell",
    "forgave",
    "fought",
    "found",
    "froze",
    "gave",
    "grew",
    "held",
    "hit",
    "kept",
    "laid",
    "led",
    "left",
    "lent",
    "lost",
    "made",
    "met",
    "paid",
    "put",
    "quit",
    "ran",
    "rose",
    "sank",
    "saw",
    "sent",
    "set",
    "shot",
    "shut",
    "sold",
    "spent",
    "spun",
    "stole",
    "struck",
    "swore",
    "threw",
    "took",
    "tore",
    "undertook",
    "upheld",
    "withdrew",
    "won",
    "wrote",
];

/// `-ed` words that are no past tense.
const NOT_PAST: &[&str] = &[
    "bed", "bleed", "breed", "exceed", "feed", "hundred", "indeed", "kindred", "need", "proceed",
    "red", "seed", "speed", "succeed", "shed", "weed",
];

/// Words a transitive past verb is followed by when it starts a predicate.
const OBJECT_START: &[&str] = &[
    "a",
    "all",
    "an",
    "another",
    "both",
    "each",
    "every",
    "her",
    "his",
    "its",
    "more",
    "my",
    "no",
    "our",
    "some",
    "that",
    "the",
    "their",
    "these",
    "this",
    "those",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "dozens",
    "hundreds",
    "thousands",
];

fn is_past(w: &str) -> bool {
    if w.len() < 2 || !w.as_bytes()[0].is_ascii_lowercase() {
        return false;
    }
    if w.ends_with("ed") {
        w.len() >= 5 && !NOT_PAST.contains(&w)
    } else {
        IRREGULAR_PAST.binary_search(&w).is_ok()
    }
}

/// Finite verbs besides past tenses: a clause before a split must hold a
/// verb (`The harbour board, the port's owner, ruled that…` is one subject
/// and its predicate, not two clauses).
const FINITE: &[&str] = &[
    "am", "are", "can", "could", "did", "does", "had", "has", "have", "is", "may", "might", "must",
    "says", "shall", "should", "was", "were", "will", "would",
];

/// Whether `w`, as written, is a past tense or a finite verb (`rose`,
/// `was`, `will`); present tenses other than `says` are not known.
pub(crate) fn is_verb(w: &str) -> bool {
    is_past(w) || FINITE.contains(&w)
}

fn starts_object(w: &str) -> bool {
    w.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || w.as_bytes()
            .first()
            .is_some_and(|b| matches!(b, b'$' | b'\xC2' | b'\xE2'))
        || OBJECT_START.iter().any(|o| o.eq_ignore_ascii_case(w))
}

/// The byte spans (in `st`) of the clauses of a sentence whose word spans
/// are `words`, into `out` (cleared first); one span, the whole sentence,
/// when it has no clause boundary. Spans are trimmed of the connective and
/// punctuation between clauses.
pub fn clauses(st: &str, words: &[Range<usize>], out: &mut Vec<Range<usize>>) {
    out.clear();
    let b = st.as_bytes();
    let word = |i: usize| &st[words[i].clone()];
    let gap_has = |i: usize, c: u8| b[words[i - 1].end..words[i].start].contains(&c);
    let mut last = 0usize; // word index the current clause starts at
    let mut from = 0usize; // byte where the current clause starts
    for i in 1..words.len() {
        if out.len() + 1 >= MAX_CLAUSES {
            break;
        }
        // Cheap tests first: most words follow a plain space.
        let boundary_word = if gap_has(i, b';') {
            i
        } else {
            let after_and = i >= 2 && matches!(word(i - 1), "and" | "but" | "then");
            if !(after_and || gap_has(i, b',')) || !is_past(word(i)) {
                continue;
            }
            if !words
                .get(i + 1)
                .is_some_and(|n| starts_object(&st[n.clone()]))
            {
                continue;
            }
            if after_and {
                i - 1
            } else {
                i
            }
        };
        if boundary_word - last < MIN_WORDS
            || words.len() - i < MIN_WORDS
            || !(last..boundary_word).any(|j| is_verb(word(j)))
            || (last + 1..boundary_word).any(|j| {
                // `the survey, which questioned 1,200 residents, found…`: the
                // comma closes a relative clause; what follows is the
                // main verb.
                matches!(word(j), "which" | "who" | "whom" | "whose") && gap_has(j, b',')
            })
        {
            continue;
        }
        // The clause ends with the word before the boundary (its comma,
        // `and`, semicolon go).
        out.push(from..words[boundary_word - 1].end);
        from = words[i].start;
        last = i;
    }
    out.push(from..st.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> Vec<&str> {
        let w = super::super::features::words(s);
        let mut out = Vec::new();
        clauses(s, &w, &mut out);
        out.into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn coordinated_predicates_are_clauses() {
        assert_eq!(
            parts("The council closed its depot in the old port, sold the harbour ferry to a trust and cut the weekend bus service by half."),
            vec![
                "The council closed its depot in the old port",
                "sold the harbour ferry to a trust",
                "cut the weekend bus service by half."
            ]
        );
        assert_eq!(
            parts("The mayor opened the new bridge on Monday; the old one will close in May."),
            vec![
                "The mayor opened the new bridge on Monday",
                "the old one will close in May."
            ]
        );
    }

    #[test]
    fn irregular_pasts_are_sorted() {
        assert!(IRREGULAR_PAST.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn adjectives_and_short_parts_are_no_clauses() {
        for s in [
            "Rising costs, increased competition and reduced demand hurt the firm.",
            "The plant was owned and operated by the state until 1990.",
            "He ate, slept and worked there.",
            "Sales rose 5 pct, and profits increased.",
            "The regional transport board, a body of nine members, approved the new fares.",
            "The city survey, which questioned 1,200 residents online, found 40% wanted trams.",
        ] {
            assert_eq!(parts(s), vec![s], "{s}");
        }
    }
}
