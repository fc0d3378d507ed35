//! The cached analysis (`analyze_cached`, what the editor runs at each
//! keystroke) gives exactly what a fresh `analyze` gives, after any sequence
//! of edits: the memo of sentence figures must never leak a stale figure.
//! `analyze_facts` (what indexing runs) gives the same without findings.
//!
//! Documents are built from our own fixture paragraphs (no corpus text) and
//! edited at random: characters, digits, number words, quotation marks,
//! names, newlines and blank lines inserted anywhere; ranges deleted.

use factlens::analysis::{
    analyze, analyze_cached, analyze_cancellable, analyze_facts, AnalysisCache, AnalysisOptions,
    Cancel,
};
use proptest::prelude::*;
use std::cell::Cell;

const PARAGRAPHS: &[&str] = &[
    "Ferry operators carried 12,400 passengers last week, up 8% on the year, the port said.",
    "\"We expect about 300 more sailings,\" said harbour master Ines Very. She added that two berths would close.",
    "The council spent over $ 4.5 million on dredging in 2021 and plans another £2m by March 3.",
    "Residents counted some 40 boats.\nOne line ends here and\nthe next one goes on with 7-9 minutes of delay.",
    "1. First item with 25 tonnes\n2. Second item",
    "Prices rose from twenty to thirty dollars, according to the ministry's figures [1].",
    "<!-- factlens-disable unsourced-figure --> A note with 99 balloons. See https://example.org/report-2024 for 5 charts.",
    "Nobody knows why 3,000 letters were never delivered; officials declined to comment on Dec. 4.",
    "«Il y a 50 navires», a dit le maire. Hundreds of people waited.",
    "```\ncode 123 not read\n```",
    // Names that later sentences resolve through the people registry: a
    // last name alone, a title, a pronoun.
    "Finance minister Dora Quell said the plan would cost 40 million. Quell later said \"we will not wait\".",
    "\u{201c}It is over,\u{201d} Quell told reporters. \u{201c}Nothing changed,\u{201d} the minister said.",
    "Spokesman Tomas Brandt said 9 ferries were late. \"More will follow,\" Brandt said, and he left.",
    "\"We were never told,\" said Brandt. Dora Quail, a farmer, said 12 cows died.",
    "The Harbour Authority said 30 ships were delayed. It said the repairs would cost 5 million.",
    "Northwind Ferries reported 14 cancellations. \"We apologise,\" it said.",
];

const INSERTS: &[&str] = &[
    "1",
    "0",
    "7,5",
    " ",
    "\n",
    "\n\n",
    "\"",
    "“",
    "”",
    "'",
    "$",
    "%",
    " million",
    "twenty ",
    "about ",
    ". ",
    "said ",
    "Mr. ",
    "é",
    "日本",
    "-",
    "—",
    ":",
    "[",
    "]",
    "<!--",
    "-->",
    "`",
    "http://x.io/9 ",
    "Dora ",
    "Quell ",
    "Q",
    "Minister ",
    "Tomas Brandt ",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<usize>(), 0..INSERTS.len()).prop_map(|(p, i)| Edit::Insert(p, i)),
        1 => (any::<usize>(), 1usize..40).prop_map(|(p, n)| Edit::Delete(p, n)),
    ]
}

fn boundary(text: &str, mut p: usize) -> usize {
    p = p.min(text.len());
    while !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

fn apply(text: &mut String, e: &Edit) {
    match *e {
        Edit::Insert(p, i) => {
            let at = boundary(text, p % (text.len() + 1));
            text.insert_str(at, INSERTS[i]);
        }
        Edit::Delete(p, n) => {
            let a = boundary(text, p % (text.len() + 1));
            let b = boundary(text, a + n);
            text.replace_range(a..b, "");
        }
    }
}

/// The fixture paragraphs in `order`, blank-line separated.
fn article_of(order: &[usize]) -> String {
    order
        .iter()
        .map(|&i| PARAGRAPHS[i])
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn same(
    text: &str,
    opts: &AnalysisOptions,
    cache: &mut AnalysisCache,
) -> Result<(), TestCaseError> {
    let full = analyze(text, opts);
    let fresh = format!("{:?}", full);
    let cached = format!("{:?}", analyze_cached(text, opts, cache));
    prop_assert_eq!(&cached, &fresh, "text: {:?}", text);
    // What the index reads of unopened files: the same, without findings.
    let mut facts = analyze_facts(text, opts);
    prop_assert!(facts.findings.is_empty());
    facts.findings = full.findings;
    prop_assert_eq!(format!("{:?}", facts), fresh, "text: {:?}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn cached_analysis_equals_fresh_analysis(
        order in proptest::collection::vec(0..PARAGRAPHS.len(), 1..12),
        edits in proptest::collection::vec(edit_strategy(), 1..25),
        markdown in any::<bool>(),
    ) {
        let opts = AnalysisOptions { markdown, ..AnalysisOptions::default() };
        let mut text = article_of(&order);
        let mut cache = AnalysisCache::default();
        same(&text, &opts, &mut cache)?;
        for e in &edits {
            apply(&mut text, e);
            same(&text, &opts, &mut cache)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// An analysis given up part way (the editor's buffer changed again)
    /// leaves the cache good: the next analysis equals a fresh one. The
    /// articles are long enough (hundreds of sentences) for the checks
    /// inside the sentence loops, and `stop_at` picks which check answers
    /// "cancelled".
    #[test]
    fn a_cancelled_analysis_leaves_the_cache_good(
        order in proptest::collection::vec(0..PARAGRAPHS.len(), 40..80),
        edits in proptest::collection::vec((edit_strategy(), 1..12usize), 1..6),
        markdown in any::<bool>(),
    ) {
        let opts = AnalysisOptions { markdown, ..AnalysisOptions::default() };
        let mut text = article_of(&order);
        let mut cache = AnalysisCache::default();
        same(&text, &opts, &mut cache)?;
        for (e, stop_at) in &edits {
            apply(&mut text, e);
            let asked = Cell::new(0usize);
            let stale = || {
                asked.set(asked.get() + 1);
                asked.get() >= *stop_at
            };
            let cancel = Cancel::new(&stale);
            let r = analyze_cancellable(&text, &opts, &mut cache, &cancel);
            // Given up exactly when a check said so.
            prop_assert_eq!(r.is_none(), cancel.cancelled());
            if let Some(a) = r {
                prop_assert_eq!(format!("{:?}", a), format!("{:?}", analyze(&text, &opts)));
            }
            // The edit again: the next analysis reads a text the stopped
            // one never finished.
            apply(&mut text, e);
            same(&text, &opts, &mut cache)?;
        }
    }
}

/// A cancelled analysis stops at its first check; a never-cancelled one
/// is `analyze`.
#[test]
fn cancel_stops_at_the_first_check_that_says_so() {
    let opts = AnalysisOptions::default();
    let text = PARAGRAPHS.join("\n\n");
    let mut cache = AnalysisCache::default();
    let asked = Cell::new(0);
    let stale = || {
        asked.set(asked.get() + 1);
        true
    };
    let cancel = Cancel::new(&stale);
    assert!(analyze_cancellable(&text, &opts, &mut cache, &cancel).is_none());
    assert_eq!(asked.get(), 1, "asked again after it said cancelled");
    let never = Cancel::never();
    let a = analyze_cancellable(&text, &opts, &mut cache, &never).expect("not cancelled");
    assert_eq!(format!("{:?}", a), format!("{:?}", analyze(&text, &opts)));
}

/// A keystroke in one sentence leaves the other sentences' figures as they
/// were, at their shifted offsets (the memo's reason to exist, checked on
/// what a user sees: the unsourced figures' text).
#[test]
fn figures_after_an_edit_keep_their_text() {
    let opts = AnalysisOptions {
        markdown: false,
        ..AnalysisOptions::default()
    };
    let mut text = format!("{}\n\n{}", PARAGRAPHS[0], PARAGRAPHS[2]);
    let mut cache = AnalysisCache::default();
    let before = analyze_cached(&text, &opts, &mut cache);
    text.insert_str(0, "Late: ");
    let after = analyze_cached(&text, &opts, &mut cache);
    let spans = |t: &str, a: &factlens::analysis::Article| {
        a.figures
            .iter()
            .map(|f| t[f.span.clone()].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        spans(&text, &after),
        vec!["12,400 passengers", "8%", "$ 4.5 million", "£2m"]
    );
    assert_eq!(before.figures.len(), after.figures.len());
}

/// A document that grows past `TOKEN_MEMO_MAX_BYTES` and shrinks back
/// (the token memo is dropped above it, started again below it): every
/// analysis still equals a fresh one.
#[test]
fn crossing_the_token_memo_size_gives_the_same_analyses() {
    use factlens::analysis::TOKEN_MEMO_MAX_BYTES;
    let opts = AnalysisOptions::default();
    let order: Vec<usize> = (0..PARAGRAPHS.len()).collect();
    let block = article_of(&order);
    let mut text = String::new();
    while text.len() + block.len() < TOKEN_MEMO_MAX_BYTES - 2_000 {
        text.push_str(&block);
        text.push_str("\n\n");
    }
    let mut cache = AnalysisCache::default();
    let check = |text: &str, cache: &mut AnalysisCache| {
        let cached = format!("{:?}", analyze_cached(text, &opts, cache));
        assert!(
            cached == format!("{:?}", analyze(text, &opts)),
            "{} bytes",
            text.len()
        );
    };
    check(&text, &mut cache);
    // Over the limit, then a keystroke there, then back under it.
    let small = text.clone();
    text.push_str("The mayor said 3,100 homes were flooded.\n\n");
    while text.len() <= TOKEN_MEMO_MAX_BYTES + 1_000 {
        text.push_str(&block);
        text.push_str("\n\n");
    }
    check(&text, &mut cache);
    text.insert_str(text.len() / 2, " \"Nine ferries,\" ");
    check(&text, &mut cache);
    check(&small, &mut cache);
    let mut edited = small.clone();
    edited.insert_str(10, "About 40 ");
    check(&edited, &mut cache);
}

/// Above `TOKEN_MEMO_MAX_BYTES` the cache keeps the tokens' room, not the
/// tokens: an analysis given up half way, then keystrokes, still give the
/// analyses a fresh `analyze` gives.
#[test]
fn a_cancelled_big_analysis_leaves_the_cache_good() {
    use factlens::analysis::TOKEN_MEMO_MAX_BYTES;
    let opts = AnalysisOptions::default();
    let order: Vec<usize> = (0..PARAGRAPHS.len()).collect();
    let block = article_of(&order);
    let mut text = String::new();
    while text.len() <= TOKEN_MEMO_MAX_BYTES + 1_000 {
        text.push_str(&block);
        text.push_str("\n\n");
    }
    let mut cache = AnalysisCache::default();
    let fresh = |t: &str| format!("{:?}", analyze(t, &opts));
    assert_eq!(
        format!("{:?}", analyze_cached(&text, &opts, &mut cache)),
        fresh(&text)
    );
    for (stop_at, at, typed) in [
        (3, 100, "Some 70 "),
        (9, 5_000, " \"We stay,\" "),
        (40, 7, "Ah"),
    ] {
        let at = (0..=at.min(text.len()))
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        text.insert_str(at, typed);
        let asked = Cell::new(0usize);
        let stale = || {
            asked.set(asked.get() + 1);
            asked.get() >= stop_at
        };
        let cancel = Cancel::new(&stale);
        assert!(analyze_cancellable(&text, &opts, &mut cache, &cancel).is_none());
        text.insert(at, 'x');
        assert_eq!(
            format!("{:?}", analyze_cached(&text, &opts, &mut cache)),
            fresh(&text),
            "after giving up at check {stop_at}"
        );
    }
}
