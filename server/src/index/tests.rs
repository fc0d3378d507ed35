//! Index tests on hand-built articles (fixture sentences written for these
//! tests; the analysis is stood in for by explicit figures and quotes).

use super::*;
use crate::analysis::{
    Article, DateMention, Figure, FigureStatus, Meta, Quotation, QuoteKind, QuoteStatus, Sentence,
};

/// A hand-built article: sentences split after `. `; figures and quotes
/// located by their text.
struct B {
    text: String,
    art: Article,
}

impl B {
    fn new(text: &str) -> B {
        let mut art = Article::default();
        let mut start = 0;
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            let stop = bytes[i] == b'.' || (bytes[i] == b'"' && i > 0 && bytes[i - 1] == b'.');
            if bytes[i] == b'\n'
                || (stop && (i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\n'))
            {
                if text[start..=i].trim().len() > 1 {
                    art.sentences.push(Sentence {
                        span: start..i + 1,
                        paragraph: 0,
                    });
                }
                start = i + 1;
            }
        }
        if text[start..].trim().len() > 1 {
            art.sentences.push(Sentence {
                span: start..text.len(),
                paragraph: 0,
            });
        }
        art.meta = Meta {
            title: Some(text.lines().next().unwrap_or("").to_string()),
            ..Default::default()
        };
        B {
            text: text.to_string(),
            art,
        }
    }

    fn fig(mut self, needle: &str, value: f64, unit: &str, qual: Option<&str>, sourced: bool) -> B {
        let s = self.text.find(needle).expect(needle);
        let span = s..s + needle.len();
        let sentence = self.art.sentence_at(s).unwrap();
        self.art.figures.push(Figure {
            span,
            value,
            value_to: None,
            unit: Some(unit.into()),
            qualifier: qual.map(str::to_string),
            sentence,
            status: if sourced {
                FigureStatus::Sourced
            } else {
                FigureStatus::Unsourced
            },
            source: None,
            restates: false,
        });
        self
    }

    fn quote(mut self, needle: &str, speaker: &str) -> B {
        let s = self.text.find(needle).expect(needle);
        let sentence = self.art.sentence_at(s).unwrap();
        self.art.quotations.push(Quotation {
            span: s..s + needle.len(),
            outer: s.saturating_sub(1)..s + needle.len() + 1,
            kind: QuoteKind::Quotation,
            status: Some(QuoteStatus::Attributed),
            speaker: Some(speaker.into()),
            speaker_as_written: Some(speaker.into()),
            cue: Some("said".into()),
            sentence,
            nested_in: None,
        });
        self
    }

    fn date(mut self, needle: &str) -> B {
        let s = self.text.find(needle).expect(needle);
        let sentence = self.art.sentence_at(s).unwrap();
        self.art.dates.push(DateMention {
            span: s..s + needle.len(),
            sentence,
        });
        self
    }

    fn add(self, index: &mut Index, path: &str) {
        index.upsert(path, &self.text, &self.art);
    }
}

fn claim_with(index: &Index, path: &str, needle: &str) -> usize {
    (0..index.claims_of(path).len())
        .position(|i| {
            index
                .claim_text(path, i)
                .is_some_and(|t| t.contains(needle))
        })
        .unwrap_or_else(|| panic!("no claim with {needle:?} in {path}"))
}

/// A small workspace: two reports of one expulsion, one unrelated article
/// sharing a year and a name, filler to give the statistics some body.
fn workspace() -> Index {
    let mut ix = Index::new();
    B::new(
        "Harbour city expels envoys\n\nThe government of Valdoria expelled nine members of the Ostrian trade delegation on Tuesday, accusing them of industrial espionage. Foreign Minister Piotr Kowalsky said the delegation had \"abused the trust of our people.\" The harbour authority was founded in 1998 and employs many dock workers.",
    )
    .fig("nine members", 9.0, "member", None, false)
    .quote("abused the trust of our people.", "Piotr Kowalsky")
    .date("1998")
    .add(&mut ix, "a.md");
    B::new(
        "Valdoria sends Ostrian traders home\n\nValdoria announced the expulsion of nine members of Ostria's trade delegation over alleged industrial espionage. Minister Pyotr Kowalski told reporters the visitors had \"betrayed the trust of the Valdorian people.\" A new museum of modern sculpture opened in 1998 near the river.",
    )
    .fig("nine members", 9.0, "member", None, true)
    .quote("betrayed the trust of the Valdorian people.", "Pyotr Kowalski")
    .date("1998")
    .add(&mut ix, "b.md");
    B::new(
        "Delegation numbers disputed\n\nOstria said only four members of its trade delegation were expelled by Valdoria over the espionage accusations. The weather stayed mild across the coast during the autumn festival season.",
    )
    .fig("four members", 4.0, "member", Some("only"), true)
    .add(&mut ix, "c.md");
    B::new(
        "Sports roundup\n\nThe local football club, founded in 1998, won the regional cup after a dramatic penalty shootout. Piotr Kowalsky attended the final match as a guest of honour in the stadium.",
    )
    .date("1998")
    .add(&mut ix, "d.md");
    for i in 0..6 {
        B::new(&format!(
            "Filler {i}\n\nThe council discussed road repairs, school budgets and the new library opening hours for residents number {i}. Farmers reported a strong harvest of apples and pears in the northern valleys this season."
        ))
        .add(&mut ix, &format!("f{i}.md"));
    }
    ix
}

#[test]
fn same_claim_matches_across_articles_with_variant_names() {
    let ix = workspace();
    let q = claim_with(&ix, "a.md", "expelled nine members");
    let m = ix.matches_for("a.md", q, 3, 1.0);
    assert!(!m.is_empty(), "no match");
    assert_eq!(&*m[0].path, "b.md");
    assert!(m[0].text.contains("expulsion of nine members"));
    assert_eq!(m[0].relation, Relation::SameClaim);
    assert_eq!(m[0].evidence.equal_figures, 1);
    // the shared figure is in bold
    let bolded: Vec<&str> = m[0].bold.iter().map(|r| &m[0].text[r.clone()]).collect();
    assert!(bolded.contains(&"nine members"), "{bolded:?}");
    assert!(bolded.contains(&"espionage"), "{bolded:?}");
    assert!(!bolded.contains(&"over"), "{bolded:?}");
    // positions: line 2 (0-based), column 0
    assert_eq!(m[0].start.line, 2);
    assert_eq!(m[0].start.col, 0);
    // never matches itself or its own article
    assert!(m.iter().all(|m| &*m.path != "a.md"));
}

#[test]
fn conflicting_figure_is_reported() {
    let ix = workspace();
    let q = claim_with(&ix, "c.md", "four members");
    let m = ix.matches_for("c.md", q, 5, 1.0);
    let conflict: Vec<_> = m
        .iter()
        .filter(|m| m.relation == Relation::Conflict)
        .collect();
    assert!(!conflict.is_empty(), "{m:#?}");
    assert!(conflict.iter().any(|m| m.text.contains("nine members")));
}

#[test]
fn cross_findings_flag_the_figure_and_the_quotation() {
    let ix = workspace();
    let f = ix.cross_findings("c.md", 5, 1.0);
    let text = "Delegation numbers disputed\n\nOstria said only four members";
    let at = text.find("four members").unwrap();
    assert!(
        f.iter()
            .any(|f| f.relation == Relation::Conflict && f.span == (at..at + "four members".len())),
        "{f:#?}"
    );
    let f = ix.cross_findings("a.md", 5, 1.0);
    let q = f
        .iter()
        .find(|f| f.relation == Relation::QuoteVariant)
        .expect("quote variant");
    assert_eq!(&*q.other.path, "b.md");
    assert_eq!(
        q.span.end - q.span.start,
        "abused the trust of our people.".len()
    );
}

#[test]
fn quote_variant_same_speaker_spelled_differently() {
    let ix = workspace();
    let q = claim_with(&ix, "a.md", "abused the trust");
    let m = ix.matches_for("a.md", q, 3, 1.0);
    assert!(!m.is_empty());
    assert_eq!(&*m[0].path, "b.md");
    assert!(m[0].text.contains("betrayed the trust"));
    assert_eq!(m[0].relation, Relation::QuoteVariant);
}

#[test]
fn a_shared_year_or_a_shared_name_alone_does_not_match() {
    let ix = workspace();
    let q = claim_with(&ix, "a.md", "founded in 1998");
    let m = ix.matches_for("a.md", q, 5, 1.0);
    assert!(m.iter().all(|m| !m.text.contains("1998")), "{m:#?}");
    let q = claim_with(&ix, "d.md", "Piotr Kowalsky attended");
    let m = ix.matches_for("d.md", q, 5, 1.0);
    assert!(m.is_empty(), "{m:#?}");
}

#[test]
fn update_and_remove() {
    let mut ix = workspace();
    assert!(ix.contains("b.md"));
    let n = ix.claim_count();
    ix.remove("b.md");
    assert!(!ix.contains("b.md"));
    assert!(ix.claims_of("b.md").is_empty());
    assert!(ix.claim_count() < n);
    let q = claim_with(&ix, "a.md", "expelled nine members");
    assert!(ix
        .matches_for("a.md", q, 5, 1.0)
        .iter()
        .all(|m| &*m.path != "b.md"));
    // many updates force compactions; results stay right
    for i in 0..200 {
        B::new(&format!(
            "Draft\n\nValdoria expelled nine members of the Ostrian trade delegation for industrial espionage, draft {i}."
        ))
        .fig("nine members", 9.0, "member", None, false)
        .add(&mut ix, "draft.md");
    }
    assert_eq!(ix.len(), 10);
    let m = ix.matches_for("a.md", q, 5, 1.0);
    assert_eq!(m.iter().filter(|m| &*m.path == "draft.md").count(), 1);
    assert!(m[0].text.contains("draft 199"));
    ix.remove("nope.md");
}

#[test]
fn span_search_meta_and_sources() {
    let ix = workspace();
    let text_off = "Harbour city expels envoys\n\nThe government".len();
    let m = ix.matches_for_span("a.md", text_off..text_off, 3, 1.0);
    assert!(!m.is_empty());
    let hits = ix.search("espionage delegation", 5);
    assert!(hits.len() >= 3);
    assert!(
        hits[..3].iter().all(|h| h.text.contains("espionage")),
        "{hits:#?}"
    );
    let hits = ix.search("9", 5);
    assert!(hits.iter().any(|h| h.text.contains("nine members")));
    assert_eq!(
        ix.doc_meta("a.md").and_then(|m| m.title.clone()).as_deref(),
        Some("Harbour city expels envoys")
    );
    assert!(ix.is_sourced("b.md"));
    assert!(ix.is_sourced("a.md")); // attributed quotation
    assert!(!ix.is_sourced("f1.md"));
    assert!(ix.doc_meta("zzz.md").is_none());
    assert!(ix.matches_for("zzz.md", 0, 3, 1.0).is_empty());
    assert!(ix.matches_for("a.md", 999, 3, 1.0).is_empty());
}

#[test]
fn positions_for_every_script() {
    let mut ix = Index::new();
    let text =
        "سلام 😀\r\nThe ministry said 😀 twelve officials were expelled from Zarnia on charges.";
    B::new(text)
        .fig("twelve officials", 12.0, "official", None, true)
        .add(&mut ix, "p.md");
    let c = &ix.claims_of("p.md");
    let i = c.iter().position(|c| c.has_figure()).unwrap();
    let (start, end) = ix.claim_position("p.md", i).unwrap();
    assert_eq!(start.line, 1);
    assert_eq!(start.col, 0);
    assert_eq!(end.line, 1);
    let line = text.lines().nth(1).unwrap();
    assert_eq!(end.col as usize, line.chars().count());
    assert_eq!(end.col_utf16 as usize, line.encode_utf16().count());
    assert_eq!(ix.claim_position("p.md", c.len()), None);
}

fn analysed(docs: &[(&str, &str)]) -> Index {
    let mut ix = Index::new();
    for (path, text) in docs {
        let art = crate::analysis::analyze(text, &Default::default());
        ix.upsert(path, text, &art);
    }
    ix
}

/// [`analysed`], with four unrelated articles to give the statistics
/// some body.
fn analysed_with_filler(docs: &[(&str, &str)]) -> Index {
    let mut ix = analysed(docs);
    for i in 0..4 {
        let f = format!("Filler {i}\n\nThe school board met to discuss bus routes, lunch menus and the sports hall roof for pupils number {i}.");
        let art = crate::analysis::analyze(&f, &Default::default());
        ix.upsert(&format!("f{i}.md"), &f, &art);
    }
    ix
}

fn first_matches(ix: &Index, path: &str, needle: &str) -> Vec<Match> {
    let claims = ix.claims_of(path);
    let i = (0..claims.len())
        .position(|i| ix.claim_text(path, i).is_some_and(|t| t.contains(needle)))
        .unwrap_or_else(|| panic!("no claim with {needle:?}: {claims:#?}"));
    ix.matches_for(path, i, 5, 1.0)
}

#[test]
fn a_round_figure_and_one_word_are_no_match() {
    let ix = analysed(&[
        (
            "dairy.txt",
            "Dairy bosses held\n\nThree executives at the Lindqvist dairy were charged with fraud on Monday.\n",
        ),
        (
            "airline.txt",
            "Airline trio quit\n\nThree executives of the Arvona airline face charges over a ticket deal.\n",
        ),
    ]);
    let m = first_matches(&ix, "dairy.txt", "Three executives");
    assert!(m.is_empty(), "{m:#?}");
}

#[test]
fn halving_meets_a_change_from_forty_to_twenty() {
    let ix = analysed(&[
        (
            "a.txt",
            "Port cuts\n\nThe Velmora council will halve the number of customs inspectors at the port, officials said.\n",
        ),
        (
            "b.txt",
            "Inspectors cut\n\nThe Velmora council cut customs inspectors at the port from forty to twenty, officials said.\n",
        ),
    ]);
    let m = first_matches(&ix, "a.txt", "halve");
    assert!(!m.is_empty(), "no match");
    assert!(m[0].text.contains("from forty to twenty"), "{m:#?}");
    assert!(m[0].evidence.equal_figures >= 1, "{:?}", m[0].evidence);
    assert_eq!(m[0].relation, Relation::SameClaim);
}

#[test]
fn synonyms_people_units_and_demonyms_meet() {
    let ix = analysed(&[
        (
            "a.txt",
            "Mission closed\n\nThe ministry shut the Ostrava information office and expelled six Arvonian diplomats, officials said.\n",
        ),
        (
            "b.txt",
            "Bureau closed\n\nOstrava's information bureau was closed after the expulsion of six members of the Arvonia mission, officials said.\n",
        ),
    ]);
    // Two clauses, two claims: each meets the sentence of b that reports
    // both facts.
    let m = first_matches(&ix, "a.txt", "information office");
    assert!(!m.is_empty(), "no match");
    assert!(m[0].text.contains("information bureau"), "{m:#?}");
    let m = first_matches(&ix, "a.txt", "expelled six");
    assert!(!m.is_empty(), "no match");
    let bold: Vec<&str> = m[0].bold.iter().map(|r| &m[0].text[r.clone()]).collect();
    assert!(
        m[0].evidence.equal_figures >= 1,
        "{:?} {bold:?}",
        m[0].evidence
    );
}

#[test]
fn specific_values() {
    use super::matching::specific;
    assert!(specific(1458.0));
    assert!(specific(2.5e9));
    assert!(specific(25.0));
    assert!(!specific(8.0));
    assert!(!specific(80.0));
    assert!(!specific(3_000_000.0));
    assert!(!specific(0.5));
}

/// The same words quoted from two different people are two statements;
/// the same person's two different statements share only the attribution.
fn speakers_workspace() -> Index {
    let mut ix = workspace();
    B::new(
        "Coast pledge\n\nAt the harbour, Admiral Jonas Berg vowed the navy \"will take every step to protect our fishing fleet.\"",
    )
    .quote("will take every step to protect our fishing fleet.", "Jonas Berg")
    .add(&mut ix, "p1.md");
    B::new(
        "Island pledge\n\nIn the capital, Senator Maria Holm promised voters she \"will take every step to protect our fishing fleet.\"",
    )
    .quote("will take every step to protect our fishing fleet.", "Maria Holm")
    .add(&mut ix, "p2.md");
    B::new(
        "Tax row\n\nForeign Minister Anna Lindqvist said the new harbour tax \"is unfair to small traders.\"",
    )
    .quote("is unfair to small traders.", "Anna Lindqvist")
    .add(&mut ix, "s1.md");
    B::new(
        "Boats needed\n\nForeign Minister Anna Lindqvist warned that \"the coast guard needs faster boats.\"",
    )
    .quote("the coast guard needs faster boats.", "Anna Lindqvist")
    .add(&mut ix, "s2.md");
    B::new(
        "Tax from March\n\nForeign Minister Anna Lindqvist said the harbour levy \"starts on March 3 for every ship.\"",
    )
    .quote("starts on March 3 for every ship.", "Anna Lindqvist")
    .date("March 3")
    .add(&mut ix, "d1.md");
    B::new(
        "Ports brace\n\nForeign Minister Anna Lindqvist confirmed the harbour levy applies from March 3, calling it \"a fair share.\"",
    )
    .quote("a fair share.", "Anna Lindqvist")
    .date("March 3")
    .add(&mut ix, "d2.md");
    ix
}

#[test]
fn different_people_quoting_the_same_words_do_not_match() {
    let ix = speakers_workspace();
    let q = claim_with(&ix, "p1.md", "every step");
    let m = ix.matches_for("p1.md", q, 5, 1.0);
    assert!(m.iter().all(|m| &*m.path != "p2.md"), "{m:#?}");
}

#[test]
fn same_speaker_different_statements_need_more_than_the_attribution() {
    let ix = speakers_workspace();
    let q = claim_with(&ix, "s1.md", "unfair to small traders");
    let m = ix.matches_for("s1.md", q, 5, 0.0);
    assert!(m.iter().all(|m| &*m.path != "s2.md"), "{m:#?}");
    // A shared day date ties the same speaker's two statements together.
    let q = claim_with(&ix, "d1.md", "March 3");
    let m = ix.matches_for("d1.md", q, 5, 0.0);
    assert!(m.iter().any(|m| &*m.path == "d2.md"), "{m:#?}");
}

#[test]
fn sentences_of_unkept_texts_are_read_back_and_checked() {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    let a = "Mill fire\n\nA fire at the Dunmore paper mill forced the company to lay off 340 workers at the plant, the union said.\n";
    let b = "Mill shut\n\nThe Dunmore paper mill laid off 420 workers at the plant after a fire on Saturday, the company said.\n";
    let disk: Arc<Mutex<HashMap<String, String>>> = Arc::new(Mutex::new(HashMap::new()));
    let mut ix = Index::new();
    // `a` is open (its text kept); `b` is indexed from "disk" without text.
    ix.upsert(
        "a.txt",
        a,
        &crate::analysis::analyze(a, &Default::default()),
    );
    let art = crate::analysis::analyze(b, &Default::default());
    ix.insert("b.txt", super::prepare(b, &art));
    disk.lock().unwrap().insert("b.txt".into(), b.into());
    let first = |ix: &Index| first_matches(ix, "a.txt", "340 workers");
    // No text source: the placeholder, never a panic.
    let m = first(&ix);
    assert!(!m.is_empty(), "no match");
    assert_eq!(m[0].text, super::SENTENCE_UNAVAILABLE);
    assert!(m[0].sentence().is_none() && m[0].bold.is_empty());
    let src = disk.clone();
    ix.set_text_source(Arc::new(move |p: &str| src.lock().unwrap().get(p).cloned()));
    let m = first(&ix);
    assert!(m[0].text.contains("420 workers"), "{m:#?}");
    assert_eq!(m[0].sentence(), Some(m[0].text.as_str()));
    assert!(!m[0].bold.is_empty());
    let with_bold = m[0].clone();
    // Text appended after the sentence: still the same sentence.
    disk.lock()
        .unwrap()
        .insert("b.txt".into(), format!("{b}\nA later paragraph.\n"));
    assert_eq!(first(&ix)[0], with_bold);
    // Same length, one figure changed: not the indexed sentence any more.
    disk.lock()
        .unwrap()
        .insert("b.txt".into(), b.replace("420", "421"));
    let m = first(&ix);
    assert_eq!(m[0].text, super::SENTENCE_UNAVAILABLE);
    assert!(m[0].sentence().is_none() && m[0].bold.is_empty());
    // Shorter than the span, gone, or with a multi-byte char at the span's
    // edge: the placeholder.
    disk.lock().unwrap().insert("b.txt".into(), "Mill".into());
    assert_eq!(first(&ix)[0].text, super::SENTENCE_UNAVAILABLE);
    disk.lock().unwrap().insert(
        "b.txt".into(),
        b.replacen("Mill shut\n\n", "Mill shut\né", 1),
    );
    assert_eq!(first(&ix)[0].text, super::SENTENCE_UNAVAILABLE);
    disk.lock().unwrap().clear();
    assert_eq!(first(&ix)[0].text, super::SENTENCE_UNAVAILABLE);
    assert!(ix.claim_text("b.txt", 0).is_none());
    // The kept text of an open document needs no source.
    assert!(ix
        .claim_text("a.txt", claim_with(&ix, "a.txt", "340 workers"))
        .is_some_and(|t| t.starts_with("A fire at the Dunmore")));
}

#[test]
fn a_bulk_build_matches_like_inserting_one_by_one() {
    let docs = [
        ("a.txt", "Mill fire\n\nA fire at the Dunmore paper mill forced the company to lay off 340 workers at the plant, the union said.\n"),
        ("b.txt", "Mill shut\n\nThe Dunmore paper mill laid off 420 workers at the plant after a fire on Saturday, the company said.\n"),
        ("c.txt", "Mill fire\n\nFirefighters fought the blaze at the Dunmore paper mill through the night, the brigade said.\n"),
        ("d.txt", "Library\n\nThe library will open on Sundays from next month, the council said.\n"),
    ];
    let build = |bulk: bool| {
        let mut ix = Index::new();
        if bulk {
            ix.begin_bulk();
        }
        for (p, t) in docs {
            ix.upsert(p, t, &crate::analysis::analyze(t, &Default::default()));
        }
        // replaced and removed documents leave no postings behind
        let (p, t) = docs[2];
        ix.upsert(p, t, &crate::analysis::analyze(t, &Default::default()));
        ix.remove("d.txt");
        ix.end_bulk();
        ix
    };
    let (one, bulk) = (build(false), build(true));
    let mut seen = 0;
    for (p, _) in &docs[..3] {
        for i in 0..one.claims_of(p).len() {
            let m = one.matches_for(p, i, 5, 0.0);
            seen += m.len();
            assert_eq!(m, bulk.matches_for(p, i, 5, 0.0), "{p}#{i}");
        }
    }
    assert!(seen > 0);
    assert_eq!(one.search("mill fire", 10), bulk.search("mill fire", 10));
}

#[test]
fn compaction_keeps_the_postings_of_live_claims() {
    let docs = [
        ("a.txt", "Mill fire\n\nA fire at the Dunmore paper mill forced the company to lay off 340 workers at the plant, the union said.\n"),
        ("b.txt", "Mill shut\n\nThe Dunmore paper mill laid off 420 workers at the plant after a fire on Saturday, the company said.\n"),
        ("c.txt", "Mill fire\n\nFirefighters fought the blaze at the Dunmore paper mill through the night, the brigade said.\n"),
    ];
    let add = |ix: &mut Index, p: &str, t: &str| {
        ix.upsert(p, t, &crate::analysis::analyze(t, &Default::default()))
    };
    let mut fresh = Index::new();
    let mut compacted = Index::new();
    for i in 0..80 {
        let t = format!("Filler {i}\n\nThe Dunmore council met {i} times about the mill road, the clerk said.\n");
        add(&mut compacted, &format!("f{i}.txt"), &t);
    }
    for (p, t) in docs {
        add(&mut fresh, p, t);
        add(&mut compacted, p, t);
    }
    for i in 0..80 {
        compacted.remove(&format!("f{i}.txt"));
    }
    assert_eq!(compacted.len(), 3);
    // (term ids differ, so float sums may differ in the last bit)
    let key = |m: &Match| {
        let score = (m.score * 1e4).round() as i64;
        (m.path.clone(), m.claim, score, m.text.clone())
    };
    let mut seen = 0;
    for (p, _) in docs {
        for i in 0..fresh.claims_of(p).len() {
            let a: Vec<_> = fresh.matches_for(p, i, 5, 0.0).iter().map(key).collect();
            let b: Vec<_> = compacted
                .matches_for(p, i, 5, 0.0)
                .iter()
                .map(key)
                .collect();
            seen += a.len();
            assert_eq!(a, b, "{p}#{i}");
        }
    }
    assert!(seen > 0);
}

#[test]
fn a_long_matching_sentence_is_shown_around_its_shared_figure() {
    // The shared figure ends a sentence far longer than the shown part.
    let long = "The Velmora council, after a year of hearings, audits, appeals by the \
                dock workers' union and two changes of chair in the harbour committee, \
                which met in the old customs house on the quay every second Tuesday of \
                the month, cut customs inspectors at the port from forty to twenty.";
    assert!(long.len() > MAX_TEXT + 20);
    let b = format!("Inspectors cut\n\n{long}\n");
    let ix = analysed(&[
        (
            "a.txt",
            "Port cuts\n\nThe Velmora council will halve the number of customs inspectors at the port, officials said.\n",
        ),
        ("b.txt", &b),
    ]);
    let m = first_matches(&ix, "a.txt", "halve");
    assert!(!m.is_empty(), "no match");
    let m = &m[0];
    assert!(m.text.len() <= MAX_TEXT + 2 * '…'.len_utf8(), "{}", m.text);
    assert!(m.text.starts_with('…'), "{}", m.text);
    assert!(m.text.ends_with("from forty to twenty."), "{}", m.text);
    let bold: Vec<&str> = m.bold.iter().map(|r| &m.text[r.clone()]).collect();
    assert!(bold.contains(&"from forty to twenty"), "{bold:?}");
    // The text report and the hover print these ranges in bold.
    assert!(bold.contains(&"inspectors"), "{bold:?}");
}

#[test]
fn excerpt_keeps_short_sentences_and_cuts_long_ones_at_their_start() {
    let s = "Ten ships docked.";
    let ten = [0..3, 4..9];
    assert_eq!(
        excerpt(s, &ten, &ten[..1], 40),
        (s.to_string(), ten.to_vec())
    );
    let s = "word ".repeat(20);
    let (t, r) = excerpt(&s, &[], &[], 32);
    assert_eq!(t, format!("{}…", "word ".repeat(6).trim_end()));
    assert!(r.is_empty());
}

#[test]
fn excerpt_prefers_the_window_with_the_figure() {
    // Two shared words at the start, the shared figure at the end: the
    // figure weighs more.
    let s = "Harbour inspectors of the coast guard, said the report published on a \
             rainy Tuesday in the spring, numbered 412 at the end.";
    let f = s.find("412").unwrap();
    let words = [0..7, 8..18];
    let bold = [words[0].clone(), words[1].clone(), f..f + 3];
    let (t, r) = excerpt(s, &bold, &bold[2..], 60);
    assert!(
        t.starts_with('…') && t.contains("numbered 412 at the end."),
        "{t}"
    );
    assert_eq!(r.len(), 1);
    assert_eq!(&t[r[0].clone()], "412");
    // Without the figure's weight the two words at the start win.
    let (t, r) = excerpt(s, &bold, &[], 60);
    assert!(
        t.starts_with("Harbour inspectors") && t.ends_with('…'),
        "{t}"
    );
    assert_eq!(r, vec![0..7, 8..18]);
}

proptest::proptest! {
    /// Any text (every script), any ranges: no panic, at most `max` bytes
    /// of the text, and every returned range shows the same text as the
    /// range of the sentence it came from.
    #[test]
    fn excerpt_ranges_show_the_same_text(
        s in "[a-zé€😀 ,.]{0,120}",
        raw in proptest::collection::vec((0usize..130, 0usize..12), 0..6),
        max in 8usize..80,
    ) {
        let bold: Vec<std::ops::Range<usize>> = raw.iter().map(|&(a, l)| a..a + l).collect();
        let (t, r) = excerpt(&s, &bold, &bold[..bold.len().min(1)], max);
        let body = t.trim_start_matches('…').trim_end_matches('…');
        if s.len() <= max {
            proptest::prop_assert_eq!(&t, &s);
        } else {
            proptest::prop_assert!(body.len() <= max);
        }
        proptest::prop_assert!(s.contains(body));
        for x in &r {
            let shown = &t[x.clone()];
            proptest::prop_assert!(bold.iter().any(|b| s.get(b.clone()) == Some(shown)));
        }
    }
}

#[test]
fn excerpt_keeps_words_after_a_lone_range_in_a_long_sentence() {
    // One shared figure in the middle of a sentence far longer than the
    // window: the excerpt shows it with words on both sides.
    let s = format!(
        "{} the quay handled 7,250 tonnes of grain {}",
        "Early in the season the harbour board said that ".repeat(3),
        "while the dredgers worked on the northern channel ".repeat(3)
    );
    let f = s.find("7,250").unwrap();
    let fig = f..f + 5;
    let fig = std::slice::from_ref(&fig);
    let (t, r) = excerpt(&s, fig, fig, 80);
    assert_eq!(r.len(), 1, "{t}");
    assert_eq!(&t[r[0].clone()], "7,250");
    assert!(t.starts_with('…') && t.ends_with('…'), "{t}");
    assert!(t[r[0].end..].contains("tonnes of grain"), "{t}");
}

/// Two firms' results in unrelated articles: an equal figure and the same
/// few words (`revenues rose 11%`) are no shared subject; a third report
/// naming the same firm still matches.
#[test]
fn an_equal_figure_and_common_words_without_a_shared_subject_do_not_match() {
    let mut ix = workspace();
    B::new(
        "Ferrocorp results\n\nAt the Ferrocorp steelworks, revenues rose 11% last year as demand from shipyards recovered, the chairman said. The steelworks hired welders for its second furnace near the canal.",
    )
    .fig("11%", 0.11, "%", None, true)
    .add(&mut ix, "g.md");
    B::new(
        "Orchard cooperative\n\nAt the Lindenvale apple cooperative, revenues rose 11% over the harvest season after a mild spring, its treasurer reported. Pickers from three villages joined the cooperative's new packing line.",
    )
    .fig("11%", 0.11, "%", None, true)
    .add(&mut ix, "h.md");
    B::new(
        "Steel maker grows\n\nFerrocorp said its revenues rose 11% in the year, helped by orders for ship plates. Its chairman expects the canal furnace to run at full capacity.",
    )
    .fig("11%", 0.11, "%", None, true)
    .add(&mut ix, "i.md");
    let q = claim_with(&ix, "g.md", "At the Ferrocorp");
    let m = ix.matches_for("g.md", q, 5, 1.0);
    assert!(m.iter().all(|m| &*m.path != "h.md"), "{m:#?}");
    assert_eq!(m.first().map(|m| &*m.path), Some("i.md"), "{m:#?}");
    let q = claim_with(&ix, "h.md", "Lindenvale");
    let m = ix.matches_for("h.md", q, 5, 1.0);
    assert!(m.is_empty(), "{m:#?}");
}

/// Two people who share a first name are two speakers: their like
/// quotations are neither a quote variant nor the same claim.
#[test]
fn a_shared_first_name_is_not_the_same_speaker() {
    let mut ix = workspace();
    B::new(
        "Port tariffs\n\nHarbour master Anton Birkeland said the new tariffs \"will drive the ferry companies away from our port.\" The port handled fewer ferries this winter.",
    )
    .quote("will drive the ferry companies away from our port.", "Anton Birkeland")
    .add(&mut ix, "j.md");
    B::new(
        "Ferry operators react\n\nShipping analyst Anton Vasquez said higher fees \"will push ferry companies away from the port.\" Operators met the harbour board on Friday.",
    )
    .quote("will push ferry companies away from the port.", "Anton Vasquez")
    .add(&mut ix, "k.md");
    let q = claim_with(&ix, "j.md", "Anton Birkeland");
    let m = ix.matches_for("j.md", q, 5, 1.0);
    // Nor the same claim: their words are each their own statement.
    assert!(m.iter().all(|m| &*m.path != "k.md"), "{m:#?}");
}

/// A figure that changes between two days' reports is an update, not a
/// conflict: wire copy of different dates (datelines), or sentences that
/// name different months, do not conflict; the same day's does.
#[test]
fn figures_of_other_days_do_not_conflict() {
    let mut ix = workspace();
    let report = |dateline: &str, tonnes: &str| {
        format!("Grain depot stocks\n\n{dateline} - The Kessel grain depot said its stock of barley and oats rose to {tonnes} tonnes after heavy arrivals from the northern farms. Kessel loads river barges for the coastal mills.")
    };
    for (path, dateline, tonnes, value) in [
        ("d1.md", "PORTVALE, March 23", "70,000", 70_000.0),
        ("d2.md", "PORTVALE, April 13", "146,000", 146_000.0),
        ("d3.md", "PORTVALE, March 23", "90,000", 90_000.0),
    ] {
        let text = report(dateline, tonnes);
        B::new(&text)
            .fig(&format!("{tonnes} tonnes"), value, "tonne", None, true)
            .add(&mut ix, path);
    }
    // The hover and `factlens matches` show when each report was filed.
    assert_eq!(ix.doc_date("d2.md").as_deref(), Some("April 13"));
    let q = claim_with(&ix, "d1.md", "Kessel grain depot");
    let m = ix.matches_for("d1.md", q, 5, 1.0);
    let conflicts: Vec<&str> = m
        .iter()
        .filter(|m| m.relation == Relation::Conflict)
        .map(|m| &*m.path)
        .collect();
    assert_eq!(conflicts, ["d3.md"], "{m:#?}");
    assert!(m.iter().all(|m| &*m.path != "d2.md"), "{m:#?}");

    // No dateline, but the sentences name different months.
    B::new("Depot note\n\nIn March the Kessel grain depot said its stock of barley and oats rose to 120,000 tonnes after heavy arrivals from the northern farms.")
        .fig("120,000 tonnes", 120_000.0, "tonne", None, true)
        .add(&mut ix, "d4.md");
    B::new("Depot note\n\nIn June the Kessel grain depot said its stock of barley and oats rose to 60,000 tonnes after heavy arrivals from the northern farms.")
        .fig("60,000 tonnes", 60_000.0, "tonne", None, true)
        .add(&mut ix, "d5.md");
    let q = claim_with(&ix, "d4.md", "In March");
    let m = ix.matches_for("d4.md", q, 5, 1.0);
    assert!(m.iter().all(|m| &*m.path != "d5.md"), "{m:#?}");
}

/// The same wording about two firms is no conflict: each sentence names a
/// firm the other does not, or the articles' main names differ.
#[test]
fn the_same_template_about_two_firms_does_not_conflict() {
    let mut ix = workspace();
    B::new("Bond issue\n\nHalvorsen Marine is raising 100 mln dlrs through an offering of sinking fund debentures due 2017, said lead manager Brantley Securities. Halvorsen Marine builds outboard engines in Tessaly.")
        .fig("100 mln dlrs", 1e8, "$", None, true)
        .add(&mut ix, "e1.md");
    B::new("Bond issue\n\nOrrin Publishing is raising 250 mln dlrs through an offering of sinking fund debentures due 2017, said lead manager Brantley Securities. Orrin Publishing prints magazines in Dunmore.")
        .fig("250 mln dlrs", 2.5e8, "$", None, true)
        .add(&mut ix, "e2.md");
    // The same sentence with the firm's name elsewhere in the article.
    B::new("Bond issue\n\nThe company is raising 100 mln dlrs through an offering of sinking fund debentures due 2017, said lead manager Brantley Securities. Halvorsen Marine builds outboard engines in Tessaly, and Halvorsen Marine employs welders.")
        .fig("100 mln dlrs", 1e8, "$", None, true)
        .add(&mut ix, "e3.md");
    B::new("Bond issue\n\nThe company is raising 250 mln dlrs through an offering of sinking fund debentures due 2017, said lead manager Brantley Securities. Orrin Publishing prints magazines in Dunmore, and Orrin Publishing employs editors.")
        .fig("250 mln dlrs", 2.5e8, "$", None, true)
        .add(&mut ix, "e4.md");
    for (path, other) in [("e1.md", "e2.md"), ("e3.md", "e4.md")] {
        let q = claim_with(&ix, path, "raising");
        let m = ix.matches_for(path, q, 5, 1.0);
        assert!(m.iter().all(|m| &*m.path != other), "{path}: {m:#?}");
    }
    // One firm's two reports of one figure still match.
    let q = claim_with(&ix, "e3.md", "raising");
    let m = ix.matches_for("e3.md", q, 5, 1.0);
    assert!(m.iter().any(|m| &*m.path == "e1.md"), "{m:#?}");
}

/// A conflict is a warning, so it needs the subject shown on both sides:
/// the same wording and a wire dateline's place (`KESSELTON, March 4 -`)
/// say nothing of whose payout it is; a name the sentences share does,
/// and two firms' own names say they are two facts.
#[test]
fn a_conflict_needs_one_subject_shown() {
    let mut ix = workspace();
    let add = |ix: &mut Index, path: &str, text: &str, cts: &str, value: f64| {
        B::new(text)
            .fig(&format!("{cts} cts"), value, "cent", None, true)
            .add(ix, path)
    };
    // No name but the place of filing: two unknown payers.
    add(&mut ix, "p1.md", "PAYOUT\n\nKESSELTON, March 4 - Quarterly payout 11 cts a share against 11 cts before, the board said after its meeting.", "11", 11.0);
    add(&mut ix, "p2.md", "PAYOUT\n\nKESSELTON, March 4 - Quarterly payout 20 cts a share against 20 cts before, the board said after its meeting.", "20", 20.0);
    // One firm named in both sentences: the same subject.
    add(&mut ix, "p3.md", "PAYOUT\n\nKESSELTON, March 4 - The quarterly payout of Brandvik Ferries is 14 cts a share, the board said after its meeting.", "14", 14.0);
    add(&mut ix, "p4.md", "PAYOUT\n\nKESSELTON, March 4 - The quarterly payout of Brandvik Ferries is 16 cts a share, the board said after its meeting.", "16", 16.0);
    // Two firms, each named by its own sentence only.
    add(&mut ix, "p5.md", "PAYOUT\n\nKESSELTON, March 4 - The quarterly payout of Olsund Freight is 17 cts a share, the board said after its meeting.", "17", 17.0);
    // Two firms that tell one exchange, each firm the first word of its
    // sentence but for its company suffix (`Corp`, `Inc`): names all the
    // same, and the exchange is only whom both told.
    add(&mut ix, "p6.md", "PAYOUT\n\nKESSELTON, March 4 - Vestrand Corp told the Harbour Exchange its quarterly payout is 23 cts a share after its board meeting.", "23", 23.0);
    add(&mut ix, "p7.md", "PAYOUT\n\nKESSELTON, March 4 - Marholm Inc told the Harbour Exchange its quarterly payout is 32 cts a share after its board meeting.", "32", 32.0);
    let conflicts = |ix: &Index, path: &str| conflicts_of(ix, path, "payout");
    assert_eq!(conflicts(&ix, "p1.md"), Vec::<String>::new());
    assert_eq!(conflicts(&ix, "p2.md"), Vec::<String>::new());
    assert_eq!(conflicts(&ix, "p3.md"), ["p4.md"]);
    assert_eq!(conflicts(&ix, "p4.md"), ["p3.md"]);
    assert_eq!(conflicts(&ix, "p5.md"), Vec::<String>::new());
    assert_eq!(conflicts(&ix, "p6.md"), Vec::<String>::new());
    assert_eq!(conflicts(&ix, "p7.md"), Vec::<String>::new());
}

/// Three everyday words in common (`decide whether to go ahead`) do not
/// make two unrelated articles report the same thing, however short the
/// sentence; with a fourth word or a shared figure, most of the wording is
/// the claim's.
#[test]
fn a_few_everyday_words_in_unrelated_articles_do_not_match() {
    let mut ix = workspace();
    B::new("Television rights\n\nThe league has sold its television rights to a cable channel for the next season. \"The broadcasters should decide whether to go ahead,\" he said. Supporters' clubs complained about kick-off times moved for evening viewers. Stadium attendance fell as matches were shown live on subscription channels.")
        .add(&mut ix, "m1.md");
    B::new("New ferry route\n\nThe island airline will decide whether to go ahead with the new route next month. Its pilots trained on the short runway in the spring. Fishermen fear the propellers will disturb the lobster beds near the harbour wall. The tourist office printed leaflets about seal colonies and lighthouse walks.")
        .add(&mut ix, "m2.md");
    let q = claim_with(&ix, "m1.md", "go ahead");
    let m = ix.matches_for("m1.md", q, 5, 1.0);
    assert!(m.iter().all(|m| &*m.path != "m2.md"), "{m:#?}");
}

/// One speaker's two statements that share a couple of everyday words are
/// not one quotation worded differently (nor the same claim); a variant
/// shares most of the shorter quotation's words (see `workspace`'s a/b).
#[test]
fn one_speakers_two_statements_are_not_a_quote_variant() {
    let mut ix = workspace();
    B::new("Tram plans\n\nMayor Ingrid Solberg said: \"The new tram line will give people in the northern suburbs a faster way to reach their jobs on weekends, and the council will pay for the depot.\" Work starts near the river bridge.")
        .quote("The new tram line will give people in the northern suburbs a faster way to reach their jobs on weekends, and the council will pay for the depot.", "Ingrid Solberg")
        .add(&mut ix, "q1.md");
    B::new("Parks pledge\n\nMayor Ingrid Solberg said: \"People want a council that keeps the parks clean and the libraries open on weekends, and we will deliver it.\" Volunteers planted trees along the canal.")
        .quote("People want a council that keeps the parks clean and the libraries open on weekends, and we will deliver it.", "Ingrid Solberg")
        .add(&mut ix, "q2.md");
    let q = claim_with(&ix, "q1.md", "tram line");
    let m = ix.matches_for("q1.md", q, 5, 1.0);
    assert!(m.iter().all(|m| &*m.path != "q2.md"), "{m:#?}");
    // The variant in the shared workspace is still one.
    let q = claim_with(&ix, "a.md", "abused the trust");
    let m = ix.matches_for("a.md", q, 5, 1.0);
    assert!(
        m.iter()
            .any(|m| &*m.path == "b.md" && m.relation == Relation::QuoteVariant),
        "{m:#?}"
    );
}

/// One speaker's two statements on one subject match (the same story,
/// the same words around them) but are no quote variant when they share
/// only a few of their quoted words: a variant shares half of the shorter
/// quotation's words or more.
#[test]
fn a_speakers_statements_on_one_subject_are_not_a_variant() {
    let mut ix = workspace();
    let docs = [
        ("s1.md", "Ferry timetable\n\nOSLAND, May 2 - Harbour master Lena Dahl said on Friday: \"The winter ferry timetable to Tarnby will cut waiting times for island commuters on every crossing, and the new boats arrive in March.\""),
        ("s2.md", "Ferry timetable\n\nOSLAND, May 2 - Harbour master Lena Dahl said on Friday: \"Island commuters told us the old ferry timetable wasted their mornings, so crews and pier staff rebuilt every crossing from scratch.\""),
    ];
    add_analysed(&mut ix, &docs);
    let m = ix.matches_for("s1.md", claim_with(&ix, "s1.md", "winter ferry"), 5, 1.0);
    let s2: Vec<_> = m.iter().filter(|m| &*m.path == "s2.md").collect();
    assert_eq!(s2.len(), 1, "{m:#?}");
    assert!(s2[0].evidence.quote_words >= 4, "{:?}", s2[0].evidence);
    assert_eq!(s2[0].relation, Relation::SameClaim, "{:?}", s2[0].evidence);
}

/// Sentences that name different times and none in common report
/// different facts, even with the same figure and wording: last year's
/// rise is not this year's.
#[test]
fn the_same_words_at_other_times_do_not_match() {
    let mut ix = workspace();
    B::new("Grain exports\n\nKessel grain exports rose 5% in 1986 as the river barges carried more barley to the coastal mills. The Kessel depot hired extra loaders.")
        .fig("5%", 0.05, "%", None, true)
        .add(&mut ix, "t1.md");
    B::new("Grain exports\n\nKessel grain exports rose 5% in 1987 as the river barges carried more barley to the coastal mills. The Kessel depot bought a new crane.")
        .fig("5%", 0.05, "%", None, true)
        .add(&mut ix, "t2.md");
    B::new("Grain exports\n\nKessel grain exports rose 5% in 1986, as river barges carried more barley to the coastal mills, the depot said. Loaders worked double shifts.")
        .fig("5%", 0.05, "%", None, true)
        .add(&mut ix, "t3.md");
    let q = claim_with(&ix, "t1.md", "exports rose");
    let m = ix.matches_for("t1.md", q, 5, 1.0);
    assert!(m.iter().all(|m| &*m.path != "t2.md"), "{m:#?}");
    assert!(m.iter().any(|m| &*m.path == "t3.md"), "{m:#?}");
}

/// Index `docs` (path, text) with the real analysis.
fn add_analysed<T: AsRef<str>>(ix: &mut Index, docs: &[(&str, T)]) {
    for (p, t) in docs {
        add_one(ix, p, t.as_ref());
    }
}

/// Analyse `text` and add it to `ix` as `path`.
fn add_one(ix: &mut Index, path: &str, text: &str) {
    ix.upsert(
        path,
        text,
        &crate::analysis::analyze(text, &Default::default()),
    );
}

/// The articles whose top matches to the claim of `path` holding `needle`
/// are called a conflict.
fn conflicts_of(ix: &Index, path: &str, needle: &str) -> Vec<String> {
    let q = claim_with(ix, path, needle);
    ix.matches_for(path, q, 5, 1.0)
        .into_iter()
        .filter(|m| m.relation == Relation::Conflict)
        .map(|m| m.path.to_string())
        .collect()
}

/// Figures written next to names of their own, and to none both share,
/// are two subjects' (`Norland's crop` / `Vestmark's crop`), even when
/// each article names the other subject elsewhere and the sentences are
/// otherwise word for word; the ministry that forecast both is their
/// source, not their subject. A name next to both figures ties them
/// (`Kell Mines`), whatever other names each writes beside it.
#[test]
fn figures_next_to_different_names_do_not_conflict() {
    let mut ix = workspace();
    let docs = [
        ("g1.md", "Barley outlook\n\nOSLAND, May 2 - The Osland Farm Ministry forecast Norland's 2020 barley crop at 4.25 mln tonnes, against 4.40 mln tonnes last month. Growers in Vestmark also expect a smaller barley harvest after the dry spring."),
        ("g2.md", "Barley outlook\n\nOSLAND, May 2 - The Osland Farm Ministry forecast Vestmark's 2020 barley crop at 6.10 mln tonnes, against 6.30 mln tonnes last month. Traders in Norland expect higher barley prices after the dry spring."),
        ("k1.md", "Kell Mines stake\n\nOSLAND, May 2 - Vestrand Holdings said its 23.2 pct stake in Kell Mines remains for sale at the right price, spokesman Per Lund said. Kell Mines, a Canadian gold producer, runs two pits near Timmins."),
        ("k2.md", "Kell Mines stake\n\nOSLAND, May 2 - Vestrand said its 23.3 pct stake in Canadian gold producer Kell Mines remains for sale at the right price. Vestrand Holdings spokesman Per Lund declined to name a buyer."),
    ];
    add_analysed(&mut ix, &docs);
    let conflicts = |path: &str, needle: &str| conflicts_of(&ix, path, needle);
    assert_eq!(conflicts("g1.md", "barley crop"), Vec::<String>::new());
    assert_eq!(conflicts("g2.md", "barley crop"), Vec::<String>::new());
    assert_eq!(conflicts("k1.md", "stake"), ["k2.md"]);
    assert_eq!(conflicts("k2.md", "stake"), ["k1.md"]);
}

/// Two issuers' notes priced over one benchmark, each story naming its
/// issuer once and a grade (`AA`) twice: the grade is no main name, and
/// what `over` or `than` introduces after a figure is its benchmark, not
/// its subject, so the two premiums share no subject and do not conflict.
/// The same issuer's premium, reported twice, does.
#[test]
fn two_issuers_premiums_over_one_benchmark_do_not_conflict() {
    let mut ix = workspace();
    let docs = [
        ("n1.md", "VESTRAND BANK SELLS NOTES\n\nOSLAND, May 2 - Vestrand Bank is raising 150 mln dlrs through an offering of notes rated AA, said lead manager Olsund Securities.\n\nThat is 87 basis points more than the yield of comparable Kesselton Treasury securities.\n\nThe issue is rated AA by two agencies."),
        ("n2.md", "BRANDVIK FERRIES SELLS NOTES\n\nOSLAND, May 2 - Brandvik Ferries is raising 100 mln dlrs through an offering of notes rated AA, said lead manager Tessaly Capital.\n\nThe notes were priced to yield 80 basis points over comparable Kesselton Treasury securities.\n\nThe issue is rated AA by two agencies."),
    ];
    add_analysed(&mut ix, &docs);
    assert_eq!(conflicts_of(&ix, "n1.md", "87 basis"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "n2.md", "80 basis"), Vec::<String>::new());
    // The first issuer's notes again, in a story that names it twice:
    // another premium for the same notes is a conflict.
    let t = "VESTRAND BANK NOTES\n\nOSLAND, May 2 - Vestrand Bank is raising 150 mln dlrs through an offering of notes rated AA.\n\nThat is 80 basis points more than the yield of comparable Kesselton Treasury securities.\n\nVestrand Bank will use the money to fund its loans.";
    ix.upsert(
        "n3.md",
        t,
        &crate::analysis::analyze(t, &Default::default()),
    );
    assert_eq!(conflicts_of(&ix, "n3.md", "80 basis"), ["n1.md"]);
}

/// A match whose figures differ from the query's, though the sentences
/// say too little else alike to call it a conflict, is marked
/// `figures_differ`: a related report to compare, not one that agrees.
/// A match whose figure agrees is not.
#[test]
fn a_related_report_with_another_figure_is_marked() {
    let mut ix = workspace();
    let docs = [
        ("v1.md", "Kesselton exchange volume\n\nKESSELTON, April 2 - Turnover at the Kesselton futures exchange for the whole of the first quarter was 4.87 mln contracts against 2.52 mln in the same period last year, the exchange said."),
        ("v2.md", "Kesselton exchange volume\n\nKESSELTON, April 2 - Total volume in the first quarter rose to 4.8 mln contracts, helped by heavy trading in bond, currency and grain options after the central bank cut lending rates twice and farmers hedged a record harvest, officials at the Kesselton futures exchange said."),
        ("v3.md", "Kesselton exchange volume\n\nKESSELTON, April 2 - Kesselton futures exchange turnover reached 4.87 mln contracts in the first quarter, the exchange said."),
    ];
    add_analysed(&mut ix, &docs);
    let q = claim_with(&ix, "v1.md", "4.87 mln");
    let ms = ix.matches_for("v1.md", q, 5, 1.0);
    let of = |p: &str| {
        ms.iter()
            .find(|m| &*m.path == p)
            .unwrap_or_else(|| panic!("{p}: {ms:?}"))
    };
    assert_eq!(of("v2.md").relation, Relation::SameClaim);
    assert!(of("v2.md").figures_differ);
    assert!(!of("v3.md").figures_differ);
}

/// Two market reports filed from two places (their datelines) quote two
/// markets: figures tied only by a name both sentences write (`Heifers`)
/// do not conflict. Filed from one place, they do; and a story whose
/// main names both articles share is one story wherever it was filed.
#[test]
fn reports_filed_from_two_places_quote_two_markets() {
    let mut ix = workspace();
    let market = |place: &str, steer: &str, heifers: &str| {
        format!("{} CALVES OPEN HIGHER\n\n{place}, May 2 - Calf prices are expected 0.50 dlr higher on light receipts, private sources said. Steer top seen at {steer} and Heifers at {heifers} dlrs.", place.to_uppercase())
    };
    let docs = [
        ("m1.md", market("Kesselton", "68.00", "66.50")),
        ("m2.md", market("Brandvik", "67.00", "65.50")),
    ];
    for (p, t) in &docs {
        ix.upsert(p, t, &crate::analysis::analyze(t, &Default::default()));
    }
    assert_eq!(conflicts_of(&ix, "m1.md", "Heifers"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "m2.md", "Heifers"), Vec::<String>::new());
    // The first market again, another report of its prices.
    let t = market("Kesselton", "67.00", "65.50");
    ix.upsert(
        "m3.md",
        &t,
        &crate::analysis::analyze(&t, &Default::default()),
    );
    assert_eq!(conflicts_of(&ix, "m3.md", "Heifers"), ["m1.md"]);
    // One firm's deal, reported from two places: its names tie the story.
    let deal = |place: &str, price: &str| {
        format!("Tessaly Casino sale\n\n{place}, May 2 - Halvorsen Leisure completed its sale of the Tessaly Casino for {price} mln dlrs. Halvorsen Leisure said Tessaly Casino staff would stay.")
    };
    for (p, t) in [
        ("c1.md", deal("KESSELTON", "440")),
        ("c2.md", deal("BRANDVIK", "439")),
    ] {
        ix.upsert(p, &t, &crate::analysis::analyze(&t, &Default::default()));
    }
    assert_eq!(conflicts_of(&ix, "c1.md", "completed"), ["c2.md"]);
}

/// A value the other sentence states too, as another figure, is that
/// figure's: the 73 seats one poll was taken in are not a majority of 92
/// seats, however alike the sentences.
#[test]
fn a_value_the_other_sentence_states_is_no_conflict() {
    let mut ix = workspace();
    let docs = [
        ("p1.md", "Osland poll\n\nOSLAND, May 2 - A poll in the Kesselton Herald taken in 73 marginal constituencies predicted a Harbour Party majority of 92 seats."),
        ("p2.md", "Osland poll\n\nOSLAND, May 2 - A poll in the Kesselton Herald, which measured support in 73 marginal seats, gave the Harbour Party a lead of six points."),
    ];
    add_analysed(&mut ix, &docs);
    assert_eq!(conflicts_of(&ix, "p1.md", "majority"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "p2.md", "measured"), Vec::<String>::new());
    // Another count of the seats the poll was taken in does conflict.
    let t = "Osland poll\n\nOSLAND, May 2 - A poll in the Kesselton Herald, which measured support in 78 marginal seats, gave the Harbour Party a clear lead.";
    ix.upsert(
        "p3.md",
        t,
        &crate::analysis::analyze(t, &Default::default()),
    );
    assert!(conflicts_of(&ix, "p3.md", "measured").contains(&"p2.md".to_string()));
}

/// A clause's figure is read with its sentence: a value another clause
/// of the sentence states is that clause's, so the other article's equal
/// count is no conflict with this clause's (the 350 evacuated are not the
/// 120 rescued).
#[test]
fn a_clause_is_read_with_its_sentence() {
    let mut ix = workspace();
    let docs = [
        ("f1.md", "Harbour flood\n\nKESSELTON, May 2 - Rescue crews evacuated 350 residents from the harbour district and rescued 120 people from the flooded harbour tunnel."),
        ("f2.md", "Harbour flood\n\nKESSELTON, May 2 - Rescue crews rescued 120 people from the flooded harbour tunnel overnight."),
    ];
    add_analysed(&mut ix, &docs);
    let clauses: Vec<usize> = (0..ix.claims_of("f1.md").len())
        .filter(|&i| ix.claims_of("f1.md")[i].has_figure())
        .collect();
    assert_eq!(clauses.len(), 2, "two clause claims");
    for &c in &clauses {
        let ms = ix.matches_for("f1.md", c, 5, 1.0);
        let m = ms.iter().find(|m| &*m.path == "f2.md").expect("f2 matches");
        // Neither a conflict nor a related report of another figure: the
        // 120 are the other clause's.
        assert_ne!(m.relation, Relation::Conflict, "{m:?}");
        assert!(!m.figures_differ, "clause {c}: {m:?}");
    }
    assert_eq!(conflicts_of(&ix, "f2.md", "rescued"), Vec::<String>::new());
}

/// Two figures of one unit more than [`matching::MAX_CONFLICT_RATIO`]
/// apart measure different things (one bond's premium, another's: 91 and
/// 20 basis points, or 91 and 60), and
/// two sentences whose every figure differs are one wording filled in with
/// two facts (two purchases on one form): neither is a conflict. One
/// figure that differs within the ratio is (see `workspace`'s four and
/// nine members).
#[test]
fn far_apart_or_every_figure_different_is_no_conflict() {
    let mut ix = workspace();
    let docs = [
        ("y1.md", "Brandvik bond\n\nOSLAND, May 2 - The Brandvik Ferries bond was priced to yield a premium of 91 basis points over comparable Osland government notes, dealers said."),
        ("y2.md", "Brandvik bond\n\nOSLAND, May 2 - The Brandvik Ferries bond was priced to yield a premium of 20 basis points over comparable Osland government notes, dealers said."),
        ("s1.md", "Grain purchase\n\nOSLAND, May 2 - The Osland Grain Board bought 2.3 mln pounds of barley flour at a cost of 2.1 mln dlrs for domestic use, a board spokesman said."),
        ("s2.md", "Grain purchase\n\nOSLAND, May 2 - The Osland Grain Board bought 25.7 mln pounds of barley flour at a cost of 2.8 mln dlrs for domestic use, a board spokesman said."),
    ];
    add_analysed(&mut ix, &docs);
    let conflicts = conflicts_of;
    assert_eq!(conflicts(&ix, "y1.md", "premium"), Vec::<String>::new());
    assert_eq!(conflicts(&ix, "s1.md", "bought"), Vec::<String>::new());
    // Within the ratio, the same bond's premium is a conflict.
    let t = "Brandvik bond\n\nOSLAND, May 2 - The Brandvik Ferries bond was priced to yield a premium of 85 basis points over comparable Osland government notes, dealers said.";
    ix.upsert(
        "y3.md",
        t,
        &crate::analysis::analyze(t, &Default::default()),
    );
    assert_eq!(conflicts(&ix, "y1.md", "premium"), ["y3.md"]);
    // Half as much again or more: another bond's premium, no conflict.
    let t = "Brandvik bond\n\nOSLAND, May 2 - The Brandvik Ferries bond was priced to yield a premium of 55 basis points over comparable Osland government notes, dealers said.";
    ix.upsert(
        "y4.md",
        t,
        &crate::analysis::analyze(t, &Default::default()),
    );
    assert_eq!(conflicts(&ix, "y4.md", "premium"), Vec::<String>::new());
    assert_eq!(conflicts(&ix, "y1.md", "premium"), ["y3.md"]);
    // Counts of people are disputed further apart (a toll, an evacuation):
    // 3,400 and about 2,100 residents still conflict.
    for (p, t) in [
        ("e1.md", "Storm in Osland\n\nOSLAND, May 2 - Rescue crews evacuated 3,400 residents from the Brandvik harbour district overnight as the storm surge rose."),
        ("e2.md", "Storm in Osland\n\nOSLAND, May 2 - Rescue crews evacuated about 2,100 residents from the Brandvik harbour district overnight as the storm surge rose."),
    ] {
        ix.upsert(p, t, &crate::analysis::analyze(t, &Default::default()));
    }
    assert_eq!(conflicts(&ix, "e1.md", "evacuated"), ["e2.md"]);
}

/// A figure stated as expected or planned and one stated as done are a
/// plan and an outcome, not a conflict; two forecasts that differ are.
#[test]
fn a_plan_and_an_outcome_do_not_conflict() {
    let mut ix = workspace();
    let docs = [
        ("t1.md", "Cocoa buffer stock\n\nOSLAND, May 2 - The Osland Cocoa Board buffer stock manager bought 5,000 tonnes of cocoa beans today for the buffer stock, traders said."),
        ("t2.md", "Cocoa buffer stock\n\nOSLAND, May 2 - The Osland Cocoa Board buffer stock manager will buy 3,000 tonnes of cocoa beans today for the buffer stock, traders said."),
        ("t3.md", "Cocoa buffer stock\n\nOSLAND, May 2 - The Osland Cocoa Board buffer stock manager will buy 4,000 tonnes of cocoa beans today for the buffer stock, traders said."),
    ];
    add_analysed(&mut ix, &docs);
    let conflicts = |path: &str| conflicts_of(&ix, path, "tonnes");
    assert_eq!(conflicts("t1.md"), Vec::<String>::new());
    assert_eq!(conflicts("t2.md"), ["t3.md"]);
}

#[test]
fn modal_sentences() {
    use crate::index::features::is_modal;
    let modal = |s: &'static str| {
        let w: Vec<&str> = s.split(' ').collect();
        is_modal(w.len(), |i| w[i])
    };
    assert!(modal("the board will buy 3,000 tonnes"));
    assert!(modal("egypt is expected to tender"));
    assert!(!modal("the economy grew more than expected"));
    assert!(!modal("May heating oil rose"));
    assert!(!modal("the board bought 5,000 tonnes"));
    // A market report's `seen` before a level forecasts it.
    assert!(modal("steer top seen at 68.00"));
    assert!(modal("calf prices seen steady"));
    assert!(!modal("the mill has seen sales fall 5 pct"));
    assert!(!modal("sales were the highest seen"));
}

/// A market report's forecast (`seen at`) and the opening prices are a
/// plan and an outcome: no conflict. Two forecasts that differ conflict.
#[test]
fn a_forecast_seen_at_a_price_is_no_outcome() {
    let mut ix = workspace();
    let report = |verb: &str, steer: &str, heifers: &str| {
        format!("KESSELTON CALVES\n\nKESSELTON, May 2 - Calf prices {verb} 0.50 dlr higher on light receipts, private sources said. Steer top {steer} and Heifers at {heifers} dlrs.")
    };
    let docs = [
        ("f1.md", report("are expected", "seen at 68.00", "66.50")),
        ("f2.md", report("opened", "67.50", "66.00")),
    ];
    add_analysed(&mut ix, &docs);
    assert_eq!(conflicts_of(&ix, "f1.md", "Heifers"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "f2.md", "Heifers"), Vec::<String>::new());
    let t = report("are expected", "seen at 67.50", "66.00");
    add_one(&mut ix, "f3.md", &t);
    assert_eq!(conflicts_of(&ix, "f3.md", "Heifers"), ["f1.md"]);
}

/// One report's figures that add up to the other's total agree: no
/// conflict.
#[test]
fn parts_that_add_up_to_the_total_agree() {
    let mut ix = workspace();
    let docs = [
        ("u1.md", "Barley sale\n\nOSLAND, May 2 - The Osland Grain Board sold 50,000 tonnes of barley for May shipment and 25,000 tonnes for June shipment to Vestmark, traders said."),
        ("u2.md", "Barley sale\n\nOSLAND, May 2 - The Osland Grain Board sold 75,000 tonnes of barley to Vestmark for May and June shipment, traders said."),
    ];
    add_analysed(&mut ix, &docs);
    let q = claim_with(&ix, "u1.md", "50,000");
    let m = ix.matches_for("u1.md", q, 5, 1.0);
    let u2: Vec<_> = m.iter().filter(|m| &*m.path == "u2.md").collect();
    assert_eq!(u2.len(), 1, "{m:#?}");
    assert_eq!(u2[0].relation, Relation::SameClaim);
}

/// A conflict is a dispute between two articles, shown in both. Here three
/// reports agree on one auction's price and a fourth gives another: the
/// fourth's best matches are the three, so it shows the conflict, and so
/// does each of the three, though two agreeing reports rank above it
/// there. Alone, the two reports conflict too.
#[test]
fn a_conflict_is_shown_in_both_articles() {
    let mut ix = workspace();
    let docs = [
        ("w1.md", "Wool auction\n\nOSLAND, May 2 - The Osland Wool Board sold the Tarnby clip of fine merino wool for 412 cents a kilo at its spring auction in Havnby, the board said."),
        ("w2.md", "Wool auction\n\nOSLAND, May 2 - The Osland Wool Board sold the Tarnby clip of fine merino wool at its spring auction in Havnby for 412 cents a kilo, the board said."),
        ("w3.md", "Wool auction\n\nOSLAND, May 2 - The Tarnby clip of fine merino wool fetched 412 cents a kilo at the Osland Wool Board spring auction in Havnby, the board said."),
        ("w4.md", "Wool auction\n\nOSLAND, May 2 - The Tarnby clip of fine merino wool sold for 380 cents a kilo at the Osland Wool Board spring auction in Havnby, the board said."),
    ];
    add_analysed(&mut ix, &docs);
    let q = claim_with(&ix, "w1.md", "Tarnby clip");
    let all = ix.matches_for("w1.md", q, 8, 1.0);
    let rel = |p: &str| all.iter().find(|m| &*m.path == p).map(|m| m.relation);
    assert_eq!(rel("w2.md"), Some(Relation::SameClaim), "{all:#?}");
    assert_eq!(rel("w3.md"), Some(Relation::SameClaim), "{all:#?}");
    assert_eq!(rel("w4.md"), Some(Relation::Conflict), "{all:#?}");
    let from_w4 = conflicts_of(&ix, "w4.md", "Tarnby clip");
    assert!(from_w4.contains(&"w1.md".to_string()), "{from_w4:?}");
    // Past the number of matches asked for, the conflict is still listed.
    let one = ix.matches_for("w1.md", q, 1, 1.0);
    let paths: Vec<&str> = one.iter().map(|m| m.path.as_ref()).collect();
    assert!(paths.contains(&"w4.md"), "{paths:?}");
    // Alone, the differing figure is the best report there is: a conflict.
    let mut ix = workspace();
    add_analysed(&mut ix, &[docs[0], docs[3]]);
    assert_eq!(conflicts_of(&ix, "w1.md", "Tarnby clip"), ["w4.md"]);
    assert_eq!(conflicts_of(&ix, "w4.md", "Tarnby clip"), ["w1.md"]);
}

/// An export bonus report: `what` (`bonuses … averaged 116.84 dlrs per
/// tonne in March`) told by the farm department.
fn bonus_report(what: &str) -> String {
    format!("Export bonus\n\nOSLAND, May 2 - The Osland Farm Department said the export {what}, the department said.")
}

/// An average and a single value (or a top rate and an average rate) are
/// two statistics, not one fact reported twice; two averages that differ
/// conflict.
#[test]
fn an_average_and_a_single_value_do_not_conflict() {
    let mut ix = workspace();
    let (b1, b2, b3) = (
        bonus_report(
            "bonus paid to Vestrand Mills for barley sold to Norland was 233.91 dlrs per tonne",
        ),
        bonus_report("bonuses paid for barley sold to Norland averaged 116.84 dlrs per tonne"),
        bonus_report("bonuses paid for barley sold to Norland averaged 121.50 dlrs per tonne"),
    );
    add_analysed(&mut ix, &[("b1.md", &b1), ("b2.md", &b2), ("b3.md", &b3)]);
    assert_eq!(
        conflicts_of(&ix, "b1.md", "export bonus"),
        Vec::<String>::new()
    );
    assert_eq!(conflicts_of(&ix, "b2.md", "averaged"), ["b3.md"]);
}

/// A month's figure and a quarter's are of two periods, not one fact
/// reported twice, though the quarter holds the month.
#[test]
fn a_month_and_a_quarter_do_not_conflict() {
    let mut ix = workspace();
    let (q1, q2, q3) = (
        bonus_report("bonuses paid for barley sold to Norland averaged 116.84 dlrs per tonne in March"),
        bonus_report("bonuses paid for barley sold to Norland averaged 121.50 dlrs per tonne in the first quarter"),
        bonus_report("bonuses paid for barley sold to Norland averaged 119.20 dlrs per tonne in the first quarter"),
    );
    add_analysed(&mut ix, &[("q1.md", &q1), ("q2.md", &q2), ("q3.md", &q3)]);
    assert_eq!(conflicts_of(&ix, "q1.md", "averaged"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "q2.md", "averaged"), ["q3.md"]);
}

/// A month's figure with a year and one without are two years' (`in
/// March 1986` / `in March`, this year's as news writes it).
#[test]
fn a_month_of_another_year_does_not_conflict() {
    let mut ix = workspace();
    let (y1, y2, y3) = (
        bonus_report(
            "bonuses paid for barley sold to Norland averaged 116.84 dlrs per tonne in March 1986",
        ),
        bonus_report(
            "bonuses paid for barley sold to Norland averaged 121.50 dlrs per tonne in March",
        ),
        bonus_report(
            "bonuses paid for barley sold to Norland averaged 119.20 dlrs per tonne in March",
        ),
    );
    add_analysed(&mut ix, &[("y1.md", &y1), ("y2.md", &y2), ("y3.md", &y3)]);
    assert_eq!(conflicts_of(&ix, "y1.md", "averaged"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "y2.md", "averaged"), ["y3.md"]);
}

/// Figures of two periods, each given by its first and last day, are two
/// facts though one day is in both (`from March 11 to March 20` / `from
/// March 20 to March 31`); the same period twice is one.
#[test]
fn two_periods_of_days_do_not_conflict() {
    let mut ix = workspace();
    let (p1, p2, p3) = (
        bonus_report("bonuses paid for barley sold to Norland averaged 116.84 dlrs per tonne from March 11 to March 20"),
        bonus_report("bonuses paid for barley sold to Norland averaged 121.50 dlrs per tonne from March 20 to March 31"),
        bonus_report("bonuses paid for barley sold to Norland averaged 119.20 dlrs per tonne from March 20 to March 31"),
    );
    add_analysed(&mut ix, &[("p1.md", &p1), ("p2.md", &p2), ("p3.md", &p3)]);
    assert_eq!(conflicts_of(&ix, "p1.md", "averaged"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "p2.md", "averaged"), ["p3.md"]);
}

/// Two outlets convert one amount at two days' exchange rates (`$90m
/// (£47m)` / `$90m (£49m)`): the conversions are not compared, so they
/// are no conflict, and amounts that differ (`$90m (£47m)` / `$80m
/// (£42m)`) are one, not two sentences whose every figure differs.
#[test]
fn currency_conversions_are_not_compared() {
    let mut ix = workspace();
    let docs = [
        ("c1.md", "Harbour sale\n\nOSLAND, May 2 - Brandvik Ferries sold its Tarn harbour terminal to Kell Mines for $90m (£47m), the ferry operator said."),
        ("c2.md", "Harbour sale\n\nOSLAND, May 2 - Brandvik Ferries sold its Tarn harbour terminal to Kell Mines for $90m (£49m), the ferry operator said."),
    ];
    add_analysed(&mut ix, &docs);
    assert_eq!(conflicts_of(&ix, "c1.md", "terminal"), Vec::<String>::new());
    let same = first_matches(&ix, "c1.md", "terminal");
    assert_eq!(
        same.first().map(|m| m.path.to_string()),
        Some("c2.md".to_string())
    );
    let t = "Harbour sale\n\nOSLAND, May 2 - Brandvik Ferries sold its Tarn harbour terminal to Kell Mines for $80m (£42m), the ferry operator said.";
    ix.upsert(
        "c3.md",
        t,
        &crate::analysis::analyze(t, &Default::default()),
    );
    assert_eq!(conflicts_of(&ix, "c1.md", "terminal"), ["c3.md"]);
}

#[test]
fn each_clause_of_a_long_sentence_finds_its_own_fact() {
    let a = "Port cuts\n\nThe Velmora council closed its customs depot at the old port, sold the harbour ferry Aldra to a local trust and cut the weekend Ostby bus service, officials said.\n";
    let ix = analysed(&[
        ("a.txt", a),
        (
            "b.txt",
            "Ferry sold\n\nThe Velmora council sold the harbour ferry Aldra to a local trust for a token sum, officials said.\n",
        ),
        (
            "c.txt",
            "Buses cut\n\nThe Velmora council cut the weekend Ostby bus service to save money, officials said.\n",
        ),
    ]);
    // One sentence, three claims: the clauses, without their connectives.
    let texts: Vec<String> = (0..ix.claims_of("a.txt").len())
        .filter_map(|i| ix.claim_text("a.txt", i))
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t == "sold the harbour ferry Aldra to a local trust"),
        "{texts:#?}"
    );
    let ferry = first_matches(&ix, "a.txt", "harbour ferry");
    assert_eq!(ferry.first().map(|m| &*m.path), Some("b.txt"), "{ferry:#?}");
    assert!(ferry.iter().all(|m| &*m.path != "c.txt"), "{ferry:#?}");
    let bus = first_matches(&ix, "a.txt", "Ostby bus");
    assert_eq!(bus.first().map(|m| &*m.path), Some("c.txt"), "{bus:#?}");
    assert!(bus.iter().all(|m| &*m.path != "b.txt"), "{bus:#?}");
    // A cursor on the `and` that joins two clauses gets the clause before.
    let and = a.find("trust and").unwrap() + "trust ".len();
    let at = ix.matches_for_span("a.txt", and..and, 5, 1.0);
    assert_eq!(at.first().map(|m| &*m.path), Some("b.txt"), "{at:#?}");
}

/// The paths of the matches of the claim of `path` holding `needle`.
fn match_paths(ix: &Index, path: &str, needle: &str) -> Vec<String> {
    let q = claim_with(ix, path, needle);
    ix.matches_for(path, q, 5, 1.0)
        .into_iter()
        .map(|m| m.path.to_string())
        .collect()
}

/// Articles that name companies by their tickers, and no ticker in
/// common, are about different companies: their wire templates' sentences
/// match no more, however alike. Articles that share a ticker still match,
/// and so do articles without tickers.
#[test]
fn articles_on_companies_with_other_tickers_do_not_match() {
    let mut ix = workspace();
    let dividend = |firm: &str, ticker: &str, now: &str, before: &str| {
        format!("{} {ticker} RAISES QUARTERLY DIVIDEND\n\nKESSELTON, May 2 - Quarterly dividend {now} cts vs {before} cts prior, payable June 1 to holders of record May 15.", firm.to_uppercase())
    };
    let docs = [
        (
            "d1.md",
            dividend("Halvorsen Marine", "<HALV>", "nine", "eight"),
        ),
        (
            "d2.md",
            dividend("Brandvik Ferries", "<BRFE.OL>", "nine", "eight"),
        ),
        (
            "d3.md",
            dividend("Halvorsen Marine", "(NYSE: HALV)", "nine", "eight"),
        ),
        ("d4.md", dividend("Osland Mills", "", "nine", "eight")),
    ];
    add_analysed(&mut ix, &docs);
    let mut of_d1 = match_paths(&ix, "d1.md", "Quarterly");
    of_d1.sort();
    assert_eq!(of_d1, ["d3.md", "d4.md"]);
    let mut of_d2 = match_paths(&ix, "d2.md", "Quarterly");
    of_d2.sort();
    assert_eq!(of_d2, ["d4.md"]);
}

/// The bits of [`features::ticker_mask`]: a wire's `<TICK>` (an exchange
/// suffix dropped) and a release's `(NYSE: TICK)`; nothing else in angle
/// brackets or parentheses.
#[test]
fn tickers_are_read_in_both_styles() {
    use features::ticker_mask;
    let one = ticker_mask("Halvorsen <HALV> said");
    assert_eq!(one.count_ones(), 1);
    assert_eq!(ticker_mask("HALVORSEN <HALV.OL> SELLS"), one);
    assert_eq!(ticker_mask("Halvorsen Marine (NYSE: HALV) said"), one);
    assert_eq!(ticker_mask("Halvorsen Marine (Nasdaq:HALV) said"), one);
    assert_eq!(ticker_mask("<HALV> and <BRFE>").count_ones(), 2);
    for none in [
        "no tickers at all",
        "<Halvorsen Marine Inc> said",
        "a <br> tag, x < 3 and y > 2",
        "(Reuters: HALV) and (see: HALV)",
        "<TOOLONGX> and <HALV.TOOLONG>",
    ] {
        assert_eq!(ticker_mask(none), 0, "{none}");
    }
}

/// Whom a `by` names (`rated B-3 by Kesselton Ratings`) acts on the subject
/// and is not it: two issuers' notes rated by the same agencies do not
/// conflict over their terms. A name a sentence writes as its subject
/// still ties two reports of one issue.
#[test]
fn an_agent_after_by_is_no_subject() {
    let mut ix = workspace();
    let notes = |issuer: &str, years: &str| {
        format!("NOTES OFFERED\n\nKESSELTON, May 2 - {issuer} is offering 85 mln dlrs of senior notes due 1997, said sole manager Tessaly Capital.\n\nNon-callable for {years} years, the notes are rated B-3 by Osland Ratings Service and B-plus by Brandvik and Vestmark Corp.")
    };
    let docs = [
        ("b1.md", notes("Halvorsen Marine", "three")),
        ("b2.md", notes("Gravlund Mills", "five")),
    ];
    add_analysed(&mut ix, &docs);
    assert_eq!(
        conflicts_of(&ix, "b1.md", "Non-callable"),
        Vec::<String>::new()
    );
    assert_eq!(
        conflicts_of(&ix, "b2.md", "Non-callable"),
        Vec::<String>::new()
    );
    // One issuer's notes, its name in the sentence: a conflict.
    let t = "NOTES OFFERED\n\nKESSELTON, May 2 - Halvorsen Marine said its notes, rated B-3 by Osland Ratings Service, are non-callable for five years.";
    add_one(&mut ix, "b3.md", t);
    let t = "NOTES OFFERED\n\nKESSELTON, May 2 - Halvorsen Marine said its notes, rated B-3 by Osland Ratings Service, are non-callable for three years.";
    add_one(&mut ix, "b4.md", t);
    assert_eq!(conflicts_of(&ix, "b4.md", "non-callable"), ["b3.md"]);
}

/// An article does not contradict what it states: when another of its
/// sentences gives the query's figure, its sentence with another value of
/// that measure reports another fact (the next line of one survey). A
/// sentence that repeats only the query's other figure (a price, not the
/// coupon) leaves the figure in dispute; and a correction that names the
/// figure it corrects shows no conflict, while the corrected report does.
#[test]
fn an_article_that_states_the_figure_does_not_contradict_it() {
    let mut ix = workspace();
    let survey = "In April, 31 pct of Kesselton firms thought their export orders were below normal and 52 pct believed them about normal. At 27 pct, the share of Kesselton firms rating their export orders above normal was unchanged between March and April.";
    let docs = [
        ("s1.md", format!("KESSELTON SURVEY SHOWS FIRMER ORDERS\n\n{survey}")),
        ("s2.md", format!("Kesselton orders firmer, survey shows\n\n{survey}")),
        ("e1.md", "Halvorsen Marine to redeem debentures\n\nKESSELTON, May 2 - Halvorsen Marine said it has called for redemption on June 4 all its outstanding 16-3/8 pct sinking fund debentures due 2007, at 111.981 pct of par.".to_string()),
        ("e2.md", "Halvorsen Marine to redeem debentures\n\nKESSELTON, May 2 - Halvorsen Marine said it called for redemption on June 4 all its outstanding 16-3/4 pct sinking fund debentures due 2007.\n\nHalvorsen Marine said the redemption is at a price of 111.981 pct of par.".to_string()),
        ("c1.md", "Gravlund Mills may be downgraded\n\nKESSELTON, May 2 - Osland Ratings said it may downgrade Gravlund Mills' 65 mln dlrs of convertible notes.".to_string()),
        ("c2.md", "CORRECTED - Gravlund Mills may be downgraded\n\nKESSELTON, May 2 - Osland Ratings said it may downgrade Gravlund Mills' 81 mln dlrs of convertible notes.\n\nOsland Ratings corrects the amount of the notes from 65 mln dlrs.".to_string()),
    ];
    add_analysed(&mut ix, &docs);
    assert_eq!(conflicts_of(&ix, "s1.md", "31 pct"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "s1.md", "27 pct"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "e1.md", "16-3/8"), ["e2.md"]);
    assert_eq!(conflicts_of(&ix, "c1.md", "65 mln"), ["c2.md"]);
    assert_eq!(conflicts_of(&ix, "c2.md", "81 mln"), Vec::<String>::new());
}

proptest::proptest! {
    /// Tickers and `by` agents on odd text (brackets, colons, dots,
    /// apostrophes, every script): no panic; the mask is the same whatever
    /// text surrounds it with a space, and an article's extraction (which
    /// reads `by` agents) goes through.
    #[test]
    fn tickers_and_agents_on_odd_text(
        s in "[A-Za-z0-9<>():.'’ é€😀-]{0,80}(by|By|NYSE:|<)[A-Za-z0-9<>():.'’ é€😀-]{0,40}",
    ) {
        let mask = features::ticker_mask(&s);
        proptest::prop_assert_eq!(features::ticker_mask(&format!(" {s} ")), mask);
        let art = crate::analysis::analyze(&s, &Default::default());
        let _ = features::extract(&s, &art);
    }
}

/// A market report's moments are two facts: futures `at midsession` and
/// `closed` (or `up by noon` and `closed up`) move between them. Two
/// closes that differ conflict.
#[test]
fn moments_of_a_market_session_do_not_conflict() {
    let report = |what: &str| {
        format!("Oat futures\n\nSTANMORE, May 2 - Oat futures on the Stanmore exchange {what} as Kelvik Mills bought, dealers said.")
    };
    let mut ix = workspace();
    let (m1, m2, m3) = (
        report("traded unchanged to three cents higher at midsession"),
        report("closed two cents higher"),
        report("closed four cents higher"),
    );
    add_analysed(&mut ix, &[("m1.md", &m1), ("m2.md", &m2), ("m3.md", &m3)]);
    assert_eq!(conflicts_of(&ix, "m1.md", "cents"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "m2.md", "cents"), ["m3.md"]);
}

/// `last month` is the month before the article's date: in an article of
/// February it is January, and a January figure that differs conflicts.
/// In an article of unknown date it may be any month: no conflict.
#[test]
fn last_month_is_the_month_before_the_article() {
    let jobs = |date: &str, what: &str| {
        format!("---\ntitle: Jobs\n{date}---\n\nFactories in Osland added {what}, the Osland labour office said.")
    };
    let dated = "date: 2026-02-05\n";
    let mut ix = workspace();
    add_analysed(
        &mut ix,
        &[
            ("undated.md", jobs("", "157,000 jobs last month")),
            ("january.md", jobs(dated, "146,000 jobs in January")),
            ("february.md", jobs(dated, "157,000 jobs last month")),
        ],
    );
    assert_eq!(
        conflicts_of(&ix, "undated.md", "jobs"),
        Vec::<String>::new()
    );
    assert_eq!(conflicts_of(&ix, "february.md", "jobs"), ["january.md"]);
}

/// A chart's or a table's places are moments: a film that took one sum
/// in second place and another in fourth, a team fifth and later sixth,
/// are not misreported. Two reports of one place that differ conflict.
#[test]
fn two_places_in_a_chart_do_not_conflict() {
    let chart = |what: &str| {
        format!("Box office\n\nThe Kelvik Studios comedy Harbour Lights {what} in weekend ticket sales at Osland cinemas, according to studio estimates.")
    };
    let mut ix = workspace();
    let (c1, c2, c3) = (
        chart("entered the chart in second place, taking $12.7m"),
        chart("moved down to fourth place, taking $10.7m"),
        chart("moved down to fourth place, taking $9.1m"),
    );
    add_analysed(&mut ix, &[("c1.md", &c1), ("c2.md", &c2), ("c3.md", &c3)]);
    assert_eq!(conflicts_of(&ix, "c1.md", "taking"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "c2.md", "taking"), ["c3.md"]);
}

/// A running total or a balance moves between two reports (`still
/// available`, `to date`): two values are no conflict unless both
/// articles are known to be of one day (an undated one may be of any).
#[test]
fn a_running_total_on_two_days_does_not_conflict() {
    let balance = |date: &str, tonnes: &str| {
        format!("---\ntitle: Flour\n{date}---\n\nA further {tonnes} tonnes of Osland wheat flour are still available to Norland under the Kelvik export programme, the Osland Farm Department said.")
    };
    let april = "date: 2026-04-09\n";
    let mut ix = workspace();
    add_analysed(
        &mut ix,
        &[
            ("undated.md", balance("", "175,000")),
            ("april.md", balance(april, "150,000")),
            ("april-wire.md", balance(april, "162,500")),
        ],
    );
    assert_eq!(
        conflicts_of(&ix, "undated.md", "available"),
        Vec::<String>::new()
    );
    assert_eq!(
        conflicts_of(&ix, "april.md", "available"),
        ["april-wire.md"]
    );
}

/// A verbless line continues the sentence before it: `Top steers 67.50
/// and heifers 66.00 dlrs.` after `prices are expected higher` is a
/// forecast, and after `prices gained at the opening` is not. A forecast
/// and an outcome are two facts; two outcomes that differ conflict.
#[test]
fn a_verbless_line_continues_the_sentence_before_it() {
    let market = |lead: &str, heifers: &str| {
        format!("Cattle\n\nBRANDVIK, May 2 - Cattle prices at the Brandvik yards {lead}, Kelvik dealers said. Top steers 67.50 and heifers {heifers} dlrs at the Brandvik yards.")
    };
    let mut ix = workspace();
    add_analysed(
        &mut ix,
        &[
            (
                "forecast.md",
                market("are expected 0.50 dlr higher", "66.00"),
            ),
            ("open.md", market("gained 0.50 dlr at the opening", "66.50")),
            (
                "open-wire.md",
                market("gained 0.25 dlr at the opening", "66.25"),
            ),
        ],
    );
    assert_eq!(
        conflicts_of(&ix, "forecast.md", "heifers"),
        Vec::<String>::new()
    );
    assert_eq!(conflicts_of(&ix, "open.md", "heifers"), ["open-wire.md"]);
}

/// Two stories led by two companies (their titles' tickers, none shared)
/// report two companies' facts, even when one mentions the other's company
/// in passing: two bond issues' terms (`Non-refundable for 10 years` /
/// `for five years`) are no conflict. Two stories led by one company are.
#[test]
fn stories_led_by_two_companies_do_not_conflict_through_a_passing_mention() {
    let halvorsen = |title: &str, years: &str| {
        format!("{title}\n\nKESSELTON, May 2 - Halvorsen Marine Corp is offering 150 mln dlrs of debentures due 2017, said lead manager Osland Securities. Halvorsen Marine will use the proceeds to repay debt.\n\nNon-refundable for {years} years, the issue is rated A-2 by Norvik Ratings.")
    };
    let brandvik = "BRANDVIK POWER <BRPW> UNIT SELLS BONDS\n\nKESSELTON, May 2 - Kelvik Electric Co, a unit of Brandvik Power, is offering 100 mln dlrs of first mortgage bonds due 2017, said lead manager Osland Securities. Osland also won the debentures of Halvorsen Marine Corp <HALV> this morning.\n\nNon-refundable for five years, the bonds are rated Baa-2 by Norvik Ratings.";
    let mut ix = workspace();
    add_analysed(
        &mut ix,
        &[
            (
                "halvorsen.md",
                halvorsen("HALVORSEN MARINE <HALV> SELLS DEBENTURES", "10"),
            ),
            ("brandvik.md", brandvik.to_string()),
            (
                "halvorsen-wire.md",
                halvorsen("HALVORSEN MARINE <HALV> DEBENTURES PRICED", "five"),
            ),
        ],
    );
    assert_eq!(
        conflicts_of(&ix, "brandvik.md", "Non-refundable"),
        Vec::<String>::new()
    );
    assert_eq!(
        conflicts_of(&ix, "halvorsen.md", "Non-refundable"),
        ["halvorsen-wire.md"]
    );
}

/// Durations are one measure whatever their unit: a sentence of `9-day
/// and 20-day bills` and one of `three and six-month bills` differ in
/// every figure (two auctions, not one misreported). Either conflicts with
/// a report of the auction's amount alone.
#[test]
fn bills_of_other_terms_are_another_auction() {
    let auction = |amount: &str, bills: &str| {
        format!("Bills\n\nKESSELTON, May 2 - The Norland Treasury said it will auction {amount} billion dlrs of {bills} bills on May 4.")
    };
    let mut ix = workspace();
    add_analysed(
        &mut ix,
        &[
            ("short.md", auction("17", "9-day and 20-day")),
            ("long.md", auction("13.2", "three and six-month")),
            ("amount.md", auction("15", "cash management")),
        ],
    );
    assert_eq!(conflicts_of(&ix, "long.md", "auction"), ["amount.md"]);
    assert_eq!(conflicts_of(&ix, "short.md", "auction"), ["amount.md"]);
}

/// An article that states a value roughly (`about 33.0 mln shares
/// outstanding`) and one that states it more exactly in another sentence
/// (`There are 33.1 mln shares outstanding`) agree on it: the second's
/// other figure (`the estate owns 25.6 mln shares`) is another fact, not a
/// dispute with the first.
#[test]
fn a_value_stated_roughly_elsewhere_is_the_same_value() {
    let mut ix = workspace();
    add_analysed(
        &mut ix,
        &[
            ("estate.md", "Shares\n\nKESSELTON, May 2 - The Osland estate owns 25.6 mln shares of Halvorsen Marine. There are 33.1 mln shares of Halvorsen Marine outstanding."),
            ("outstanding.md", "Shares\n\nKESSELTON, May 2 - Halvorsen Marine has about 33.0 mln shares outstanding, the Osland estate said."),
        ],
    );
    assert_eq!(
        conflicts_of(&ix, "outstanding.md", "about"),
        Vec::<String>::new()
    );
    assert_eq!(
        conflicts_of(&ix, "estate.md", "estate owns"),
        Vec::<String>::new()
    );
    let f = |v: f64, qual: features::Qual| {
        features::FigureFeature::new(v, None, Some("share".into()), qual, None, 0..1)
    };
    use features::Qual::{About, Exact};
    assert!(f(33.0, About).states_as(&f(33.1, Exact)));
    assert!(!f(30.0, About).states_as(&f(33.1, Exact)));
    assert!(!f(33.0, Exact).states_as(&f(33.1, Exact)));
}

/// A wire's digest dates itself in its title (`MARKET NEWS HIGHLIGHTS
/// 1145 GMT - MAY 2`): its items are of that day, and a rate fixed on
/// another day is no conflict with them. Two items of one day are.
#[test]
fn a_date_that_ends_the_title_dates_the_article() {
    let digest = |day: &str, rate: &str| {
        format!("MARKET NEWS HIGHLIGHTS 1145 GMT - MAY {day}\n\nKESSELTON - The Norland central bank did not intervene when the crown was fixed in Kesselton at {rate} dlrs, dealers said.")
    };
    let mut ix = workspace();
    add_analysed(
        &mut ix,
        &[
            ("may2.md", digest("2", "1.8218")),
            ("may19.md", digest("19", "1.7969")),
            ("may2-wire.md", digest("2", "1.7969")),
        ],
    );
    assert_eq!(conflicts_of(&ix, "may19.md", "fixed"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "may2.md", "fixed"), ["may2-wire.md"]);
}

/// A fiscal year and the calendar year of the same number are two
/// periods: growth `in the year to March 2026` and growth `in 2026` differ
/// without a dispute. Two reports of the same fiscal year conflict.
#[test]
fn a_fiscal_year_is_not_the_calendar_year() {
    let growth = |period: &str, pct: &str| {
        format!("Norland\n\nNorland finance minister Ada Kvist said that {period}, the Norland economy grew by {pct}%.")
    };
    let mut ix = workspace();
    add_analysed(
        &mut ix,
        &[
            ("fiscal.md", growth("in the year to March 2026", "8.5")),
            ("calendar.md", growth("in 2026", "6.9")),
            ("fiscal-wire.md", growth("in the year to March 2026", "7.9")),
        ],
    );
    assert_eq!(
        conflicts_of(&ix, "calendar.md", "grew"),
        Vec::<String>::new()
    );
    assert_eq!(conflicts_of(&ix, "fiscal.md", "grew"), ["fiscal-wire.md"]);
}

/// Two stories led by two subjects by the names their titles write (of
/// the names each article repeats) are about two films: `It took $40.8m
/// at the weekend` in one and `It took $44.7m` in the other are no
/// dispute, though each names the other film in passing. A story led by
/// the same film is.
#[test]
fn stories_led_by_two_names_do_not_conflict_through_a_passing_mention() {
    let chart = |title: &str, film: &str, other: &str, takings: &str| {
        format!("{title}\n\nComedy {film} topped the Norland box office chart for a second week. It took {takings}m at the weekend, according to studio estimates. {film} pushed {other} into second place.")
    };
    let mut ix = workspace();
    add_analysed(
        &mut ix,
        &[
            (
                "harbour.md",
                chart(
                    "Harbour Nights keeps chart crown",
                    "Harbour Nights",
                    "Grey Tide",
                    "$40.8",
                ),
            ),
            (
                "tide.md",
                chart(
                    "Grey Tide sweeps box office",
                    "Grey Tide",
                    "Harbour Nights",
                    "$44.7",
                ),
            ),
            (
                "harbour-wire.md",
                chart(
                    "Harbour Nights tops chart again",
                    "Harbour Nights",
                    "Grey Tide",
                    "$42.8",
                ),
            ),
        ],
    );
    assert_eq!(conflicts_of(&ix, "tide.md", "took"), Vec::<String>::new());
    assert_eq!(conflicts_of(&ix, "harbour.md", "took"), ["harbour-wire.md"]);
}

/// Of two stories led by two companies, a sentence that names its own
/// story's company (`Osland's posted price`), which the other sentence
/// does not name, reports that company's figure, not the other's (`its
/// posted price`, in Halvorsen's story): no conflict. Two stories of the
/// same company conflict.
#[test]
fn a_sentence_naming_its_own_lead_company_is_that_company_s() {
    let halvorsen = "HALVORSEN MARINE CUTS CRUDE PRICES\n\nKESSELTON, May 2 - Halvorsen Marine Corp said that effective today it had cut its contract prices for crude oil by 1.50 dlrs a barrel.\n\nThe reduction brings its posted price for Norland Light to 16.00 dlrs a barrel, the company said.";
    let osland = |title: &str, price: &str| {
        format!("{title}\n\nKESSELTON, May 2 - Osland Petroleum Co said it reduced the contract price it will pay for all grades of crude oil one dlr a barrel.\n\nThe decrease brings Osland's posted price for Norland Light to {price} dlrs a bbl.")
    };
    let mut ix = workspace();
    add_analysed(
        &mut ix,
        &[
            ("halvorsen.md", halvorsen.to_string()),
            (
                "osland.md",
                osland("OSLAND PETROLEUM REDUCES CRUDE POSTINGS", "16.50"),
            ),
            (
                "osland-wire.md",
                osland("OSLAND PETROLEUM CUTS POSTINGS", "16.25"),
            ),
        ],
    );
    assert_eq!(
        conflicts_of(&ix, "halvorsen.md", "posted"),
        Vec::<String>::new()
    );
    assert_eq!(conflicts_of(&ix, "osland.md", "posted"), ["osland-wire.md"]);
}

/// A sentence that quotes two passages is a variant of another article's
/// quotation through the passage that rewords it, not through its other
/// passage: the finding is on that passage alone.
#[test]
fn a_variant_is_the_reworded_passage_not_the_sentence_s_other_quotation() {
    let x = "Ferry row\n\nCouncillor Maya Lund called the vote \"a shameful day for the harbour\" and said the council had \"gone completely quiet on the new ferry contract\" since June.";
    let y = "Lund speaks\n\n\"The council has gone quiet on the ferry contract,\" Councillor Maya Lund told the harbour meeting.";
    let ix = analysed_with_filler(&[("x.md", x), ("y.md", y)]);
    let reworded = "gone completely quiet on the new ferry contract";
    let at = x.find(reworded).unwrap();
    let f = ix.cross_findings("x.md", 5, 1.0);
    let variants: Vec<_> = f
        .iter()
        .filter(|f| f.relation == Relation::QuoteVariant)
        .map(|f| &x[f.span.clone()])
        .collect();
    assert_eq!(variants, [reworded], "{f:#?}");
    assert_eq!(
        f.iter()
            .find(|f| f.relation == Relation::QuoteVariant)
            .map(|f| f.span.clone()),
        Some(at..at + reworded.len())
    );
    // From the other side: the one quotation of y is the variant.
    let f = ix.cross_findings("y.md", 5, 1.0);
    assert!(
        f.iter().any(|f| f.relation == Relation::QuoteVariant
            && y[f.span.clone()].starts_with("The council has gone quiet")),
        "{f:#?}"
    );
}

/// A passage quoted as it was said, a fragment of another article's fuller
/// quotation, is the same claim, not a quotation worded differently; a
/// passage that rewords it is a variant.
#[test]
fn a_fragment_quoted_as_said_is_not_a_variant() {
    let full = "Plan in doubt\n\n\"Without new money the harbour plan is dead in the water, and everyone in the council chamber knows it,\" Councillor Maya Lund said after the vote.";
    let fragment = "Vote fails\n\nCouncillor Maya Lund said the harbour plan was \"dead in the water\" after the vote, and everyone in the council chamber knew it.";
    let reworded = "Vote fails\n\nCouncillor Maya Lund said \"the harbour plan is stone dead in the water\" after the vote, and everyone in the council chamber knew it.";
    let ix = analysed_with_filler(&[
        ("full.md", full),
        ("frag.md", fragment),
        ("re.md", reworded),
    ]);
    let m = first_matches(&ix, "frag.md", "dead in the water");
    let to_full = m
        .iter()
        .find(|m| &*m.path == "full.md")
        .expect("matches the full quotation");
    assert_eq!(to_full.relation, Relation::SameClaim, "{m:#?}");
    let m = first_matches(&ix, "re.md", "stone dead");
    let to_full = m
        .iter()
        .find(|m| &*m.path == "full.md")
        .expect("matches the full quotation");
    assert_eq!(to_full.relation, Relation::QuoteVariant, "{m:#?}");
}

/// One speaker's two statements on one subject that share a couple of
/// words, none of them side by side in both, are the same story's claims,
/// not one quotation worded differently.
#[test]
fn two_statements_sharing_no_words_in_a_row_are_not_a_variant() {
    let x = "Port strike\n\n\"The attitude of the union is both reasonable and fair,\" Minister Karl Brandt said of the port strike in Valdor on Monday.";
    let y = "Strike talks\n\n\"We will still get a reasonable deal on pay for the union,\" Minister Karl Brandt said of the port strike in Valdor on Monday.";
    let ix = analysed_with_filler(&[("x.md", x), ("y.md", y)]);
    let m = first_matches(&ix, "x.md", "reasonable and fair");
    let to_y = m
        .iter()
        .find(|m| &*m.path == "y.md")
        .expect("the same story");
    assert_eq!(to_y.relation, Relation::SameClaim, "{m:#?}");
}

/// A quotation that says the other's content words in its order but
/// changes the small words between them (`Nobody` / `No family`, `their
/// own`) is worded differently, not a fragment of it; one cut from the
/// other word for word is a fragment.
#[test]
fn changed_small_words_make_a_variant_not_a_fragment() {
    let x = "Ferry costs\n\n\"Nobody on this island will pay for the ferry out of their own pocket,\" Mayor Ilse Korver said at the harbour meeting on Friday.";
    let y = "Ferry pledge\n\n\"No family on this island will pay for the ferry out of pocket, and the state will cover the rest,\" Mayor Ilse Korver said at the harbour meeting on Friday.";
    let z = "Ferry promise\n\nMayor Ilse Korver said at the harbour meeting on Friday that \"the state will cover the rest\" of the ferry bill.";
    let ix = analysed_with_filler(&[("x.md", x), ("y.md", y), ("z.md", z)]);
    let m = first_matches(&ix, "x.md", "Nobody on this island");
    let to_y = m
        .iter()
        .find(|m| &*m.path == "y.md")
        .expect("the same statement");
    assert_eq!(to_y.relation, Relation::QuoteVariant, "{m:#?}");
    let m = first_matches(&ix, "z.md", "cover the rest");
    let to_y = m
        .iter()
        .find(|m| &*m.path == "y.md")
        .expect("the same statement");
    assert_eq!(to_y.relation, Relation::SameClaim, "{m:#?}");
}

/// Two long statements of one speaker in one story that share half the
/// shorter one's words but no two of them in a row are two statements,
/// not one worded differently.
#[test]
fn two_long_statements_sharing_words_not_phrases_are_not_a_variant() {
    let x = "Tax row\n\n\"This harbour tax will raise money for schools in the valley and for clinics, and the northern districts will see roads repaired before winter,\" Finance Minister Karl Brandt said in Valdor on Monday.";
    let y = "Tax plans\n\n\"Winter showed that the districts need roads, and no minister can promise schools or clinics without this tax,\" Finance Minister Karl Brandt said in Valdor on Monday.";
    let ix = analysed_with_filler(&[("x.md", x), ("y.md", y)]);
    let m = first_matches(&ix, "x.md", "harbour tax");
    let to_y = m
        .iter()
        .find(|m| &*m.path == "y.md")
        .expect("the same story");
    assert_eq!(to_y.evidence.quote_ratio, 0.5, "{m:#?}");
    assert_eq!(to_y.relation, Relation::SameClaim, "{m:#?}");
}
