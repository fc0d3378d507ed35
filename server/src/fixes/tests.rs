//! Unit tests of the fixes on hand-built articles (sentences and findings
//! placed by substring), so the edit logic is pinned independently of the
//! analysis. The end-to-end invariant (apply, re-analyse, finding gone) is
//! in `invariant` below, on the real analysis.

use super::*;
use crate::analysis::{
    Figure, FigureStatus, Quotation, QuoteKind, QuoteStatus, Sentence, Severity,
};
use crate::config::Level;

/// Byte range of the `nth` occurrence of `needle`.
fn find(text: &str, needle: &str) -> Range<usize> {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"));
    i..i + needle.len()
}

/// An article whose sentences are the given substrings and whose findings
/// are unsourced figures at the given substrings (and unattributed quotes
/// for `quotes`: the substring from opening to closing mark).
fn article(text: &str, sentences: &[&str], figures: &[&str], quotes: &[&str]) -> Article {
    let mut art = Article {
        sentences: sentences
            .iter()
            .map(|s| Sentence {
                span: find(text, s),
                paragraph: 0,
            })
            .collect(),
        ..Article::default()
    };
    art.sentences.sort_by_key(|s| s.span.start);
    for f in figures {
        let span = find(text, f);
        let sentence = art
            .sentence_at(span.start)
            .expect("figure outside sentences");
        art.figures.push(Figure {
            span: span.clone(),
            value: 1.0,
            value_to: None,
            unit: None,
            qualifier: None,
            sentence,
            status: FigureStatus::Unsourced,
            source: None,
            restates: false,
        });
        art.findings.push(Finding {
            code: Code::UnsourcedFigure,
            span,
            message: String::new(),
            subject: Subject::Figure(art.figures.len() - 1),
        });
    }
    for q in quotes {
        let outer = find(text, q);
        let first = text[outer.clone()].chars().next().unwrap().len_utf8();
        let last = text[outer.clone()].chars().next_back().unwrap().len_utf8();
        let sentence = art
            .sentence_at(outer.start)
            .expect("quote outside sentences");
        art.quotations.push(Quotation {
            span: outer.start + first..outer.end - last,
            outer: outer.clone(),
            kind: QuoteKind::Quotation,
            status: Some(QuoteStatus::Unattributed),
            speaker: None,
            speaker_as_written: None,
            cue: None,
            sentence,
            nested_in: None,
        });
        art.findings.push(Finding {
            code: Code::UnattributedQuote,
            span: outer.start + first..outer.end - last,
            message: String::new(),
            subject: Subject::Quotation(art.quotations.len() - 1),
        });
    }
    art
}

fn fix_of(fixes: &[Fix], kind: FixKind) -> &Fix {
    fixes
        .iter()
        .find(|f| f.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} in {fixes:?}"))
}

fn apply_kind(text: &str, art: &Article, md: bool, cfg: &Config, kind: FixKind) -> String {
    let fixes = fixes_for(text, art, 0, cfg, md, &[]);
    apply_edits(text, &fix_of(&fixes, kind).edits)
}

fn add_note(text: &str, art: &Article, md: bool) -> String {
    apply_kind(text, art, md, &Config::default(), FixKind::AddNote)
}

#[test]
fn markdown_note_without_footnotes() {
    let text = "# Title\n\nKyiv got 40 tanks. Then it rained.\n";
    let art = article(
        text,
        &["Kyiv got 40 tanks.", "Then it rained."],
        &["40 tanks"],
        &[],
    );
    let fixes = fixes_for(text, &art, 0, &Config::default(), true, &[]);
    assert_eq!(fixes[0].kind, FixKind::AddNote);
    assert!(fixes[0].preferred);
    assert_eq!(fixes[0].title, "Add source note");
    assert_eq!(fixes[0].code, Code::UnsourcedFigure);
    assert_eq!(fixes.iter().filter(|f| f.preferred).count(), 1);
    assert_eq!(
        add_note(text, &art, true),
        "# Title\n\nKyiv got 40 tanks.[^src-1] Then it rained.\n\n[^src-1]: Source: \n"
    );
}

#[test]
fn sentence_span_without_its_stop_still_gets_the_note_after_it() {
    let text = "Kyiv got 40 tanks. Then it rained.\n";
    // the sentence span stops before the full stop, and one mid-word
    let art = article(
        text,
        &["Kyiv got 40 tanks", "Then it rained."],
        &["40 tanks"],
        &[],
    );
    assert_eq!(
        add_note(text, &art, true),
        "Kyiv got 40 tanks.[^src-1] Then it rained.\n\n[^src-1]: Source: \n"
    );
    let art = article(
        text,
        &["Kyiv got 40 ta", "Then it rained."],
        &["40 ta"],
        &[],
    );
    assert_eq!(
        add_note(text, &art, false),
        "Kyiv got 40 tanks. [Source: ] Then it rained.\n"
    );
}

#[test]
fn markdown_numbering_skips_existing_labels_and_goes_after_definitions() {
    let text = "Old news.[^src-1] More 5 cats here.[^src-3] Kyiv got 40 tanks.\n\n\
                [^src-1]: Source: Wire.\n[^note]: A note\n    continued.\n\nClosing words.\n";
    let art = article(
        text,
        &[
            "Old news.",
            "More 5 cats here.",
            "Kyiv got 40 tanks.",
            "Closing words.",
        ],
        &["40 tanks"],
        &[],
    );
    // src-3 is used only as a reference: the next label is src-4; the
    // definition follows the last definition (with its continuation line)
    assert_eq!(
        add_note(text, &art, true),
        "Old news.[^src-1] More 5 cats here.[^src-3] Kyiv got 40 tanks.[^src-4]\n\n\
         [^src-1]: Source: Wire.\n[^note]: A note\n    continued.\n[^src-4]: Source: \n\nClosing words.\n"
    );
}

#[test]
fn footnote_definition_at_eof_without_newline() {
    let text = "Kyiv got 40 tanks.\n\n[^a]: Earlier.";
    let art = article(text, &["Kyiv got 40 tanks."], &["40 tanks"], &[]);
    assert_eq!(
        add_note(text, &art, true),
        "Kyiv got 40 tanks.[^src-1]\n\n[^a]: Earlier.\n[^src-1]: Source: "
    );
}

#[test]
fn footnotes_in_code_are_not_definitions_but_labels_still_count() {
    let text = "Kyiv got 40 tanks.\n\n```\n[^src-7]: not a footnote\n```\n";
    let art = article(text, &["Kyiv got 40 tanks."], &["40 tanks"], &[]);
    assert_eq!(
        add_note(text, &art, true),
        "Kyiv got 40 tanks.[^src-8]\n\n```\n[^src-7]: not a footnote\n```\n\n[^src-8]: Source: \n"
    );
}

#[test]
fn eof_without_newline_and_extra_blank_lines() {
    let text = "Kyiv got 40 tanks.";
    let art = article(text, &["Kyiv got 40 tanks."], &["40 tanks"], &[]);
    assert_eq!(
        add_note(text, &art, true),
        "Kyiv got 40 tanks.[^src-1]\n\n[^src-1]: Source: "
    );
    assert_eq!(add_note(text, &art, false), "Kyiv got 40 tanks. [Source: ]");

    let text = "Kyiv got 40 tanks.\n\n\n  \n";
    let art = article(text, &["Kyiv got 40 tanks."], &["40 tanks"], &[]);
    assert_eq!(
        add_note(text, &art, true),
        "Kyiv got 40 tanks.[^src-1]\n\n[^src-1]: Source: \n"
    );
}

#[test]
fn plain_text_note() {
    let text = "Kyiv got 40 tanks. Then it rained.\nNext line.\n";
    let art = article(
        text,
        &["Kyiv got 40 tanks.", "Then it rained."],
        &["40 tanks"],
        &[],
    );
    assert_eq!(
        add_note(text, &art, false),
        "Kyiv got 40 tanks. [Source: ] Then it rained.\nNext line.\n"
    );
    // a sentence at the end of a line
    let text2 = "It rained. Kyiv got 40 tanks.\nNext line.\n";
    let art2 = article(
        text2,
        &["It rained.", "Kyiv got 40 tanks."],
        &["40 tanks"],
        &[],
    );
    assert_eq!(
        add_note(text2, &art2, false),
        "It rained. Kyiv got 40 tanks. [Source: ]\nNext line.\n"
    );
}

#[test]
fn two_notes_in_a_row_never_collide() {
    let text = "# T\n\nKyiv got 40 tanks. Lviv got 12 guns.\n";
    let art = article(
        text,
        &["Kyiv got 40 tanks.", "Lviv got 12 guns."],
        &["40 tanks", "12 guns"],
        &[],
    );
    let once = add_note(text, &art, true);
    // the second fix is computed on the edited text
    let art2 = article(
        &once,
        &["Kyiv got 40 tanks.", "Lviv got 12 guns."],
        &["12 guns"],
        &[],
    );
    let twice = add_note(&once, &art2, true);
    assert_eq!(
        twice,
        "# T\n\nKyiv got 40 tanks.[^src-1] Lviv got 12 guns.[^src-2]\n\n\
         [^src-1]: Source: \n[^src-2]: Source: \n"
    );
    // and the other order: numbers grow in the order notes are added
    let art3 = article(
        text,
        &["Kyiv got 40 tanks.", "Lviv got 12 guns."],
        &["12 guns"],
        &[],
    );
    let once = add_note(text, &art3, true);
    let art4 = article(
        &once,
        &["Kyiv got 40 tanks.", "Lviv got 12 guns."],
        &["40 tanks"],
        &[],
    );
    assert_eq!(
        add_note(&once, &art4, true),
        "# T\n\nKyiv got 40 tanks.[^src-2] Lviv got 12 guns.[^src-1]\n\n\
         [^src-1]: Source: \n[^src-2]: Source: \n"
    );
}

#[test]
fn persian_and_emoji_before_the_insertion_point() {
    let text = "سلام دنیا 😀👍🏽 — Kyiv got ۴۰ tanks؟ Then rain.\n";
    let art = article(
        text,
        &["سلام دنیا 😀👍🏽 — Kyiv got ۴۰ tanks؟", "Then rain."],
        &["۴۰ tanks"],
        &[],
    );
    assert_eq!(
        add_note(text, &art, true),
        "سلام دنیا 😀👍🏽 — Kyiv got ۴۰ tanks؟[^src-1] Then rain.\n\n[^src-1]: Source: \n"
    );
    // a sentence span that ends inside a multibyte char, inside a Persian
    // word, and before a skin-tone modifier is moved to a safe place
    let text = "گزارش ۴۰ تانک رسید Then rain.\n";
    let mut art = article(
        text,
        &["گزارش ۴۰ تانک رسید", "Then rain."],
        &["۴۰ تانک"],
        &[],
    );
    art.sentences[0].span.end = find(text, "رسید").start + 3; // mid-char
    assert_eq!(
        add_note(text, &art, false),
        "گزارش ۴۰ تانک رسید [Source: ] Then rain.\n"
    );
    let text = "We got 3 medals 👍🏽 today\n";
    let mut art = article(text, &["We got 3 medals 👍🏽"], &["3 medals"], &[]);
    art.sentences[0].span.end = find(text, "👍").end; // before the modifier
    assert_eq!(
        add_note(text, &art, false),
        "We got 3 medals 👍🏽 [Source: ] today\n"
    );
}

#[test]
fn combining_marks_and_zwj_sequences_are_not_split() {
    let text = "Cafe\u{301} sold 30 cups 👩\u{200D}💻 ok\n";
    let mut art = article(
        text,
        &["Cafe\u{301} sold 30 cups 👩\u{200D}💻"],
        &["30 cups"],
        &[],
    );
    art.sentences[0].span.end = find(text, "👩").end; // before the ZWJ
    assert_eq!(
        add_note(text, &art, false),
        "Cafe\u{301} sold 30 cups 👩\u{200D}💻 [Source: ] ok\n"
    );
    assert_eq!(
        scan::word_safe(text, find(text, "e\u{301}").start + 1),
        find(text, " sold").start
    );
}

#[test]
fn sentence_ending_in_or_at_a_link() {
    let text = "Kyiv got 40 tanks, says [the report](https://example.org/a_(b)). Rain.\n";
    // the sentence span ends inside the link text
    let art = article(
        text,
        &["Kyiv got 40 tanks, says [the rep", "Rain."],
        &["40 tanks"],
        &[],
    );
    assert_eq!(
        add_note(text, &art, true),
        "Kyiv got 40 tanks, says [the report](https://example.org/a_(b)).[^src-1] Rain.\n\n[^src-1]: Source: \n"
    );
    // ... ends at the link with no stop
    let text = "Kyiv got 40 tanks per [a ref][r] and ![img](x.png)\n\nNext.\n";
    let art = article(
        text,
        &["Kyiv got 40 tanks per [a ref][r] and ![img", "Next."],
        &["40 tanks"],
        &[],
    );
    assert_eq!(
        add_note(text, &art, false),
        "Kyiv got 40 tanks per [a ref][r] and ![img](x.png) [Source: ]\n\nNext.\n"
    );
    // inside a code span, an autolink, a bare URL
    let text = "Kyiv got 40 tanks `a b` <https://x.org/y> end\n";
    let mut art = article(text, &["Kyiv got 40 tanks `a"], &["40 tanks"], &[]);
    assert_eq!(
        add_note(text, &art, false),
        "Kyiv got 40 tanks `a b` [Source: ] <https://x.org/y> end\n"
    );
    art.sentences[0].span.end = find(text, "x.org").start;
    assert_eq!(
        add_note(text, &art, false),
        "Kyiv got 40 tanks `a b` <https://x.org/y> [Source: ] end\n"
    );
    let text = "Kyiv got 40 tanks, see https://x.org/a.\n";
    let art = article(
        text,
        &["Kyiv got 40 tanks, see https://x.org/a."],
        &["40 tanks"],
        &[],
    );
    // a reference glued to a bare URL would become part of it
    assert_eq!(
        add_note(text, &art, true),
        "Kyiv got 40 tanks, see https://x.org/a. [^src-1]\n\n[^src-1]: Source: \n"
    );
}

#[test]
fn sentence_ending_in_a_quote_and_footnote_refs() {
    let text = "She wrote: “Kyiv got 40 tanks.” Then rain.\n";
    let art = article(
        text,
        &["She wrote: “Kyiv got 40 tanks.", "Then rain."],
        &["40 tanks"],
        &[],
    );
    assert_eq!(
        add_note(text, &art, true),
        "She wrote: “Kyiv got 40 tanks.”[^src-1] Then rain.\n\n[^src-1]: Source: \n"
    );
    let text = "He said **Kyiv got 40 tanks**.[^1] Then rain.\n\n[^1]: X.\n";
    let art = article(
        text,
        &["He said **Kyiv got 40 tanks**.", "Then rain."],
        &["40 tanks"],
        &[],
    );
    assert_eq!(
        add_note(text, &art, true),
        "He said **Kyiv got 40 tanks**.[^1][^src-1] Then rain.\n\n[^1]: X.\n[^src-1]: Source: \n"
    );
}

#[test]
fn crlf_text() {
    let text = "# T\r\n\r\nKyiv got 40 tanks.\r\nMore text.\r\n";
    let art = article(
        text,
        &["Kyiv got 40 tanks.", "More text."],
        &["40 tanks"],
        &[],
    );
    assert_eq!(
        add_note(text, &art, true),
        "# T\r\n\r\nKyiv got 40 tanks.[^src-1]\r\nMore text.\r\n\r\n[^src-1]: Source: \r\n"
    );
    let text2 = "Kyiv got 40 tanks.\r\n\r\n[^x]: Y.\r\n";
    let art2 = article(text2, &["Kyiv got 40 tanks."], &["40 tanks"], &[]);
    assert_eq!(
        add_note(text2, &art2, true),
        "Kyiv got 40 tanks.[^src-1]\r\n\r\n[^x]: Y.\r\n[^src-1]: Source: \r\n"
    );
    assert_eq!(
        apply_kind(text, &art, true, &Config::default(), FixKind::IgnoreHere),
        "# T\r\n\r\nKyiv got 40 tanks. <!-- factlens-ignore unsourced-figure -->\r\nMore text.\r\n"
    );
    assert_eq!(
        apply_kind(text, &art, false, &Config::default(), FixKind::IgnoreFile),
        "# T\r\n\r\nKyiv got 40 tanks.\r\nMore text.\r\n[factlens-ignore-file unsourced-figure]\r\n"
    );
}

#[test]
fn note_styles_inline_and_template() {
    let text = "Kyiv got 40 tanks. Rain.\n";
    let art = article(text, &["Kyiv got 40 tanks.", "Rain."], &["40 tanks"], &[]);
    let inline = Config {
        note_style: NoteStyle::Inline,
        ..Config::default()
    };
    assert_eq!(
        apply_kind(text, &art, true, &inline, FixKind::AddNote),
        "Kyiv got 40 tanks. [Source: ] Rain.\n"
    );
    let tpl = Config {
        note_style: NoteStyle::Template("(per {title} in {outlet}; {source})".into()),
        ..Config::default()
    };
    assert_eq!(
        apply_kind(text, &art, true, &tpl, FixKind::AddNote),
        "Kyiv got 40 tanks. (per  in ; ) Rain.\n"
    );
    let cite = CiteTarget {
        title: "Tanks [update]\narrive".into(),
        outlet: Some("Daily Wire".into()),
        date: None,
        url: None,
        path: "wire/tanks.md".into(),
    };
    let fixes = fixes_for(text, &art, 0, &tpl, true, std::slice::from_ref(&cite));
    let f = fix_of(&fixes, FixKind::Cite);
    assert_eq!(f.title, "Cite Tanks (update) arrive");
    assert!(!f.preferred);
    assert_eq!(
        apply_edits(text, &f.edits),
        "Kyiv got 40 tanks. (per Tanks (update) arrive in Daily Wire; Tanks (update) arrive, Daily Wire, wire/tanks.md) Rain.\n"
    );
}

#[test]
fn cite_fills_the_note() {
    let text = "Kyiv got 40 tanks. Rain.\n";
    let art = article(text, &["Kyiv got 40 tanks.", "Rain."], &["40 tanks"], &[]);
    let cites = [
        CiteTarget {
            title: "Tanks arrive".into(),
            outlet: Some("Daily Wire".into()),
            date: Some("2021-10-18".into()),
            url: Some("https://example.org/tanks".into()),
            path: "wire/tanks.md".into(),
        },
        CiteTarget {
            title: "Second look".into(),
            path: "b.txt".into(),
            ..CiteTarget::default()
        },
    ];
    let fixes = fixes_for(text, &art, 0, &Config::default(), true, &cites);
    let cite: Vec<&Fix> = fixes.iter().filter(|f| f.kind == FixKind::Cite).collect();
    assert_eq!(cite.len(), 2);
    assert_eq!(cite[0].title, "Cite Tanks arrive");
    assert_eq!(
        apply_edits(text, &cite[0].edits),
        "Kyiv got 40 tanks.[^src-1] Rain.\n\n[^src-1]: Source: Tanks arrive, Daily Wire, 2021-10-18, https://example.org/tanks\n"
    );
    assert_eq!(
        apply_edits(text, &cite[1].edits),
        "Kyiv got 40 tanks.[^src-1] Rain.\n\n[^src-1]: Source: Second look, b.txt\n"
    );
    let fixes = fixes_for(text, &art, 0, &Config::default(), false, &cites);
    assert_eq!(
        apply_edits(text, &fix_of(&fixes, FixKind::Cite).edits),
        "Kyiv got 40 tanks. [Source: Tanks arrive, Daily Wire, 2021-10-18, https://example.org/tanks] Rain.\n"
    );
}

#[test]
fn ignore_here_and_in_file() {
    let text = "---\ntitle: T\n---\nKyiv got 40 tanks.  \nMore.\n";
    let art = article(text, &["Kyiv got 40 tanks.", "More."], &["40 tanks"], &[]);
    let fixes = fixes_for(text, &art, 0, &Config::default(), true, &[]);
    assert_eq!(
        fix_of(&fixes, FixKind::IgnoreHere).title,
        "Ignore unsourced-figure here"
    );
    // before the trailing spaces: a hard break stays a hard break
    assert_eq!(
        apply_kind(text, &art, true, &Config::default(), FixKind::IgnoreHere),
        "---\ntitle: T\n---\nKyiv got 40 tanks. <!-- factlens-ignore unsourced-figure -->  \nMore.\n"
    );
    // front matter: the `factlens: ignore CODE` key
    assert_eq!(
        apply_kind(text, &art, true, &Config::default(), FixKind::IgnoreFile),
        "---\ntitle: T\nfactlens: ignore unsourced-figure\n---\nKyiv got 40 tanks.  \nMore.\n"
    );
    // plain text: a marker line after the front matter
    assert_eq!(
        apply_kind(text, &art, false, &Config::default(), FixKind::IgnoreFile),
        "---\ntitle: T\n---\nKyiv got 40 tanks.  \nMore.\n[factlens-ignore-file unsourced-figure]\n"
    );
    // an existing list grows; another value of the key: a marker line
    let t2 =
        "\u{FEFF}---\r\nfactlens: ignore quote-variant \r\nurl: x\r\n---\r\nKyiv got 40 tanks.\r\n";
    let a2 = article(t2, &["Kyiv got 40 tanks."], &["40 tanks"], &[]);
    assert_eq!(
        apply_kind(t2, &a2, true, &Config::default(), FixKind::IgnoreFile),
        "\u{FEFF}---\r\nfactlens: ignore quote-variant unsourced-figure \r\nurl: x\r\n---\r\nKyiv got 40 tanks.\r\n"
    );
    let t3 = "---\nfactlens: \"ignore quote-variant\"\n...\nKyiv got 40 tanks.";
    let a3 = article(t3, &["Kyiv got 40 tanks."], &["40 tanks"], &[]);
    assert_eq!(
        apply_kind(t3, &a3, true, &Config::default(), FixKind::IgnoreFile),
        "---\nfactlens: \"ignore quote-variant\"\n...\n<!-- factlens-ignore-file unsourced-figure -->\nKyiv got 40 tanks."
    );
    let text = "Kyiv got 40 tanks.\\\nMore.\n";
    let art = article(text, &["Kyiv got 40 tanks.", "More."], &["40 tanks"], &[]);
    assert_eq!(
        apply_kind(text, &art, true, &Config::default(), FixKind::IgnoreHere),
        "Kyiv got 40 tanks. <!-- factlens-ignore unsourced-figure -->\\\nMore.\n"
    );
    let text = "\u{FEFF}Kyiv got 40 tanks.";
    let art = article(text, &["Kyiv got 40 tanks."], &["40 tanks"], &[]);
    assert_eq!(
        apply_kind(text, &art, false, &Config::default(), FixKind::IgnoreHere),
        "\u{FEFF}Kyiv got 40 tanks. [factlens-ignore unsourced-figure]"
    );
    assert_eq!(
        apply_kind(text, &art, false, &Config::default(), FixKind::IgnoreFile),
        "\u{FEFF}Kyiv got 40 tanks.\n[factlens-ignore-file unsourced-figure]"
    );
}

#[test]
fn quotation_fixes() {
    let text = "Lopez spoke. “We will win, and soon.” Then rain.\n";
    let art = article(
        text,
        &["Lopez spoke.", "“We will win, and soon.”", "Then rain."],
        &[],
        &["“We will win, and soon.”"],
    );
    let fixes = fixes_for(text, &art, 0, &Config::default(), true, &[]);
    assert_eq!(fixes[0].kind, FixKind::AddNote);
    assert!(fixes[0].preferred);
    assert_eq!(fixes[0].code, Code::UnattributedQuote);
    assert_eq!(
        apply_edits(text, &fixes[0].edits),
        "Lopez spoke. “We will win, and soon.”[^src-1] Then rain.\n\n[^src-1]: Source: \n"
    );
}

fn quote(text: &str, outer: &str) -> Quotation {
    let art = article(text, &[text.trim_end()], &[], &[outer]);
    art.quotations[0].clone()
}

#[test]
fn attribute_punctuation() {
    let t = ", {speaker} said";
    let cases = [
        (
            "“We will win.” Then rain.",
            "“We will win.”",
            "“We will win,” Maria Lopez said. Then rain.",
        ),
        (
            "\"We will win.\"",
            "\"We will win.\"",
            "\"We will win,\" Maria Lopez said.",
        ),
        (
            "“Will we win?”\n",
            "“Will we win?”",
            "“Will we win?” Maria Lopez said.\n",
        ),
        (
            "“We will win”.",
            "“We will win”",
            "“We will win”, Maria Lopez said.",
        ),
        (
            "«Мы победим.» Дождь.",
            "«Мы победим.»",
            "«Мы победим,» Maria Lopez said. Дождь.",
        ),
        (
            "It is “a disgrace” now.",
            "“a disgrace”",
            "It is “a disgrace”, Maria Lopez said now.",
        ),
    ];
    for (text, outer, want) in cases {
        let q = quote(text, outer);
        let edits = attribute_edits(text, &q, "Maria Lopez", t).unwrap();
        assert_eq!(apply_edits(text, &edits), want, "{text}");
    }
    // a custom template is inserted as written
    let text = "“We will win.” Rain.";
    let q = quote(text, "“We will win.”");
    let edits = attribute_edits(text, &q, "Lopez", " (said {speaker})").unwrap();
    assert_eq!(
        apply_edits(text, &edits),
        "“We will win.” (said Lopez) Rain."
    );
    // no closing mark (block quote): no attribute edit
    let mut q = quote(text, "“We will win.”");
    q.outer = q.span.clone();
    assert!(attribute_edits(text, &q, "Lopez", t).is_none());
}

#[test]
fn fix_notes_one_per_sentence_and_idempotent() {
    let text = "# T\n\nKyiv got 40 tanks and 12 guns. “We shall see what comes.” Lviv got 3 jets.[^src-2]\n\n[^src-2]: Source: Wire\n";
    let art = article(
        text,
        &[
            "Kyiv got 40 tanks and 12 guns.",
            "“We shall see what comes.”",
            "Lviv got 3 jets.[^src-2]",
        ],
        &["40 tanks", "12 guns", "3 jets"],
        &["“We shall see what comes.”"],
    );
    let once = fix_notes(text, &art, &Config::default(), true);
    assert_eq!(
        once,
        "# T\n\nKyiv got 40 tanks and 12 guns.[^src-3] “We shall see what comes.”[^src-4] Lviv got 3 jets.[^src-2]\n\n\
         [^src-2]: Source: Wire\n[^src-3]: Source: \n[^src-4]: Source: \n"
    );
    // even if the analysis still reported the same findings, nothing is added
    let art2 = article(
        &once,
        &[
            "Kyiv got 40 tanks and 12 guns.[^src-3]",
            "“We shall see what comes.”[^src-4]",
            "Lviv got 3 jets.[^src-2]",
        ],
        &["40 tanks", "12 guns", "3 jets"],
        &["“We shall see what comes.”"],
    );
    assert_eq!(fix_notes(&once, &art2, &Config::default(), true), once);

    // plain text, and a code configured off is left alone
    let mut cfg = Config::default();
    cfg.severities.insert(Code::UnattributedQuote, Level::Off);
    let plain = fix_notes(text, &art, &cfg, false);
    assert_eq!(
        plain,
        "# T\n\nKyiv got 40 tanks and 12 guns. [Source: ] “We shall see what comes.” Lviv got 3 jets.[^src-2]\n\n[^src-2]: Source: Wire\n"
    );
    let art3 = article(
        &plain,
        &["Kyiv got 40 tanks and 12 guns.", "Lviv got 3 jets.[^src-2]"],
        &["40 tanks"],
        &[],
    );
    assert_eq!(fix_notes(&plain, &art3, &cfg, false), plain);
    cfg.severities
        .insert(Code::UnsourcedFigure, Level::On(Severity::Error));
    assert_eq!(fix_notes(&plain, &art3, &cfg, false), plain);
}

#[test]
fn no_fixes_for_other_codes_or_bad_indices() {
    let text = "Kyiv got 40 tanks.";
    let mut art = article(text, &["Kyiv got 40 tanks."], &["40 tanks"], &[]);
    assert!(fixes_for(text, &art, 5, &Config::default(), true, &[]).is_empty());
    art.findings[0].code = Code::UnbalancedQuote;
    assert!(fixes_for(text, &art, 0, &Config::default(), true, &[]).is_empty());
    // a finding past the end of a shorter text (stale analysis): no panic
    art.findings[0].code = Code::UnsourcedFigure;
    assert!(fixes_for("Kyiv", &art, 0, &Config::default(), true, &[]).is_empty());
    art.findings[0].span = 2..3;
    for f in fixes_for("Ky", &art, 0, &Config::default(), true, &[]) {
        let _ = apply_edits("Ky", &f.edits);
    }
    // an empty text
    assert_eq!(
        fix_notes("", &Article::default(), &Config::default(), true),
        ""
    );
}

#[test]
fn cross_article_codes_get_cite_and_ignore() {
    let text = "Kyiv got 40 tanks.\n";
    let mut art = article(text, &["Kyiv got 40 tanks."], &["40 tanks"], &[]);
    art.findings[0].code = Code::ConflictingFigure;
    let cite = CiteTarget {
        title: "Other".into(),
        path: "o.md".into(),
        ..CiteTarget::default()
    };
    let fixes = fixes_for(text, &art, 0, &Config::default(), true, &[cite]);
    let kinds: Vec<FixKind> = fixes.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FixKind::AddNote,
            FixKind::Cite,
            FixKind::IgnoreHere,
            FixKind::IgnoreFile
        ]
    );
    assert!(fixes.iter().all(|f| !f.preferred));
    assert_eq!(fixes[2].title, "Ignore conflicting-figure here");
}

#[test]
fn apply_edits_keeps_same_offset_order_and_skips_overlaps() {
    let edits = [
        Edit {
            range: 3..3,
            new_text: "a".into(),
        },
        Edit {
            range: 3..3,
            new_text: "b".into(),
        },
        Edit {
            range: 0..1,
            new_text: "X".into(),
        },
        Edit {
            range: 0..2,
            new_text: "overlap".into(),
        },
        Edit {
            range: 9..12,
            new_text: "bad".into(),
        },
    ];
    assert_eq!(apply_edits("0123", &edits), "X12ab3");
}

#[test]
fn scan_helpers() {
    assert_eq!(
        scan::next_src_number("x [^src-9] [^src-x] [^src-10]: y [^ src-50]"),
        11
    );
    assert_eq!(scan::next_src_number("none"), 1);
    assert_eq!(scan::front_matter_end("---\na: b\n---\nx"), 13);
    assert_eq!(scan::front_matter_end("---\na: b\nx"), 0);
    assert_eq!(scan::newline("a\r\nb"), "\r\n");
    assert_eq!(scan::newline("a\nb\r\n"), "\n");
    assert_eq!(
        scan::last_footnote_def_end("a\n\n[^1]: x\n\n    more\n\nafter\n"),
        Some(21)
    );
    assert_eq!(
        scan::last_footnote_def_end("a\n\n    [^1]: indented code\n"),
        None
    );
    assert_eq!(scan::paragraph_end("ab\ncd\n\nef", 0, usize::MAX), 6);
    assert_eq!(scan::paragraph_end("ab\ncd\n\nef", 0, 3), 3);
    assert_eq!(scan::paragraph_end("ab\ncd", 4, usize::MAX), 5);
    assert_eq!(scan::paragraph_start("ab\n\ncd\nef", 9, 0), 4);
    assert_eq!(scan::paragraph_start("ab\n\ncd\nef", 9, 6), 6);
    assert_eq!(scan::paragraph_start("ab\ncd", 4, 0), 0);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Pieces that make hard texts: scripts, emoji sequences, combining
    /// marks, Markdown constructs, quotes, line endings.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "Kyiv",
            "got",
            "40",
            "tanks",
            " ",
            " ",
            " ",
            ".",
            ". ",
            "!",
            "?",
            ",",
            "سلام",
            "دنیا",
            "۴۰",
            "😀",
            "👍🏽",
            "👩\u{200D}💻",
            "e\u{301}",
            "“",
            "”",
            "\"",
            "'",
            "’s",
            "«",
            "»",
            "[a](http://x.org/(b))",
            "[^1]",
            "[^src-2]",
            "[ref]",
            "`co de`",
            "<https://x.org>",
            "https://x.org/a.",
            "**",
            "_",
            "\n",
            "\r\n",
            "\n\n",
            "[^n]: def\n",
            "---\n",
            "#",
            "<!-- c -->",
        ])
    }

    fn doc() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 1..40).prop_map(|v| v.concat())
    }

    fn boundaries(text: &str) -> Vec<usize> {
        (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn edits_are_well_formed(text in doc(), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>(),
                                 c in any::<prop::sample::Index>(), md in any::<bool>(), style in 0..3u8) {
            let bs = boundaries(&text);
            let mut cut = [a.get(&bs).to_owned(), b.get(&bs).to_owned(), c.get(&bs).to_owned()];
            cut.sort();
            let [s0, s1, s2] = cut;
            // a sentence s0..s2 holding a finding s0..s1 (possibly empty)
            let mut art = Article {
                sentences: vec![Sentence { span: s0..s2, paragraph: 0 }],
                ..Article::default()
            };
            art.findings.push(Finding {
                code: Code::UnsourcedFigure,
                span: s0..s1,
                message: String::new(),
                subject: Subject::None,
            });
            let cfg = Config {
                note_style: match style {
                    0 => NoteStyle::Footnote,
                    1 => NoteStyle::Inline,
                    _ => NoteStyle::Template("(via {source})".into()),
                },
                ..Config::default()
            };
            let cite = CiteTarget { title: "T [x]".into(), path: "p.md".into(), ..CiteTarget::default() };
            let fixes = fixes_for(&text, &art, 0, &cfg, md, &[cite]);
            prop_assert_eq!(fixes.len(), 4);
            let labels: HashSet<String> = scan::footnote_labels(&text).into_iter().map(String::from).collect();
            for fix in &fixes {
                let mut last = 0;
                for e in &fix.edits {
                    prop_assert!(e.range.start <= e.range.end && e.range.end <= text.len());
                    prop_assert!(text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
                    prop_assert!(e.range.start >= last, "edits out of order: {:?}", fix.edits);
                    last = e.range.end;
                    // an insertion never splits a word or a combined character
                    let p = e.range.start;
                    let before = text[..p].chars().next_back();
                    let at = text[p..].chars().next();
                    if let (Some(x), Some(y)) = (before, at) {
                        prop_assert!(!(x.is_alphanumeric() && y.is_alphanumeric()), "splits a word at {p} in {text:?}");
                        let zwj = '\u{200D}';
                        let joined = unicode_normalization::char::is_combining_mark(y) || x == zwj || y == zwj;
                        prop_assert!(!joined, "splits a combined character at {} in {:?}", p, text);
                    }
                }
                let new = apply_edits(&text, &fix.edits);
                prop_assert_eq!(new.len(), text.len() + fix.edits.iter().map(|e| e.new_text.len()).sum::<usize>()
                    - fix.edits.iter().map(|e| e.range.len()).sum::<usize>());
                if fix.kind == FixKind::AddNote && md && style == 0 {
                    let added: Vec<String> = scan::footnote_labels(&new).into_iter()
                        .filter(|l| !labels.contains(*l)).map(String::from).collect();
                    prop_assert_eq!(added.len(), 1, "{:?}", new);
                    prop_assert_eq!(new.matches(&format!("[^{}]", added[0])).count(), 2);
                }
                // the note never lands inside a link, a code span or a URL
                if matches!(fix.kind, FixKind::AddNote | FixKind::Cite) {
                    let p = fix.edits[0].range.start;
                    for sp in scan::protected_spans(&text, 0..text.len()) {
                        prop_assert!(!(sp.start < p && p < sp.end), "inside {:?} at {p}: {text:?}", &text[sp.clone()]);
                    }
                }
            }
        }
    }

    use std::collections::HashSet;
}
