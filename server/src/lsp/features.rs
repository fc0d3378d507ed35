//! Request handlers that read a snapshot: hover, document symbols, inlay
//! hints. Pure functions of the snapshot, so they are cheap and testable.

use super::convert;
use super::state::Snapshot;
use crate::analysis::{Figure, FigureStatus, Quotation, QuoteKind, QuoteStatus};
use std::fmt::Write;
use tower_lsp_server::ls_types::{
    DocumentSymbol, Hover, HoverContents, InlayHint, InlayHintLabel, MarkupContent, MarkupKind,
    Position, Range, SymbolKind,
};

fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let s = format!("{}", v as i64);
        // thousands separators
        let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("{sign}{out}")
    } else {
        format!("{v}")
    }
}

/// Normalised value with unit, e.g. `2,500,000,000 USD`, `30%`.
pub fn normalised(f: &Figure) -> String {
    let unit = f.unit.as_deref().unwrap_or("");
    let one = |v: f64| {
        if unit == "%" {
            format!("{}%", fmt_value((v * 100.0 * 1e6).round() / 1e6))
        } else if unit.is_empty() {
            fmt_value(v)
        } else {
            format!("{} {unit}", fmt_value(v))
        }
    };
    match f.value_to {
        Some(to) => format!("{} – {}", one(f.value), one(to)),
        None => one(f.value),
    }
}

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn figure_hover(snap: &Snapshot, f: &Figure, md: &mut String) {
    let text = snap.text.get(f.span.clone()).unwrap_or("");
    let _ = writeln!(md, "**Figure** `{}`\n", text.replace('`', "'"));
    let _ = write!(md, "- value: **{}**", md_escape(&normalised(f)));
    if let Some(q) = &f.qualifier {
        let _ = write!(md, " (qualifier: {})", md_escape(q));
    }
    md.push('\n');
    let status = match f.status {
        FigureStatus::Sourced => "sourced",
        FigureStatus::Unsourced => "**unsourced**",
        FigureStatus::Vague => "vague attribution",
    };
    let _ = write!(md, "- {status}");
    if let Some(s) = &f.source {
        let _ = write!(md, " by {}", md_escape(s));
    }
    md.push('\n');
}

fn quote_hover(snap: &Snapshot, q: &Quotation, md: &mut String) {
    let text = snap.text.get(q.span.clone()).unwrap_or("");
    let short: String = text.chars().take(80).collect();
    let ell = if short.len() < text.len() { "…" } else { "" };
    let kind = match q.kind {
        QuoteKind::Quotation => "Quotation",
        QuoteKind::ScareQuote => "Scare quote / term",
    };
    let _ = writeln!(md, "**{kind}** “{}{ell}”\n", md_escape(&short));
    match (&q.speaker, &q.speaker_as_written) {
        (Some(s), Some(w)) if s != w => {
            let _ = writeln!(
                md,
                "- speaker: **{}** (“{}” resolved)",
                md_escape(s),
                md_escape(w)
            );
        }
        (Some(s), _) => {
            let _ = writeln!(md, "- speaker: **{}**", md_escape(s));
        }
        (None, _) => {}
    }
    if let Some(c) = &q.cue {
        let _ = writeln!(md, "- cue: {}", md_escape(c));
    }
    let status = match q.status {
        Some(QuoteStatus::Attributed) => "attributed",
        Some(QuoteStatus::Unattributed) => "**unattributed**",
        Some(QuoteStatus::Vague) => "vague attribution",
        None => "not flagged (scare quote)",
    };
    let _ = writeln!(md, "- {status}");
}

/// The hover at byte `offset`.
pub fn hover(snap: &Snapshot, offset: usize) -> Option<Hover> {
    let art = &snap.article;
    let within =
        |s: &std::ops::Range<usize>| s.start <= offset && offset <= s.end && s.start < s.end;
    let figure = art
        .figures
        .iter()
        .filter(|f| within(&f.span))
        .min_by_key(|f| f.span.len());
    let quote = art
        .quotations
        .iter()
        .filter(|q| within(&q.outer))
        .min_by_key(|q| q.outer.len());
    let mut md = String::new();
    let mut span = None;
    if let Some(f) = figure {
        figure_hover(snap, f, &mut md);
        span = Some(f.span.clone());
    }
    if let Some(q) = quote {
        if !md.is_empty() {
            md.push_str("\n---\n\n");
        }
        quote_hover(snap, q, &mut md);
        span.get_or_insert(q.outer.clone());
    }
    let span = span?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(convert::range(
            &snap.text,
            &snap.lines,
            &span,
            snap.encoding,
        )),
    })
}

fn snippet(s: &str, max: usize) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(max).collect();
    if out.len() < one_line.len() {
        out.push('…');
    }
    if out.is_empty() {
        out.push('…');
    }
    out
}

#[allow(deprecated)] // DocumentSymbol::deprecated is a required field
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: Range,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children,
    }
}

fn cover(children: &[DocumentSymbol]) -> Range {
    let start = children
        .iter()
        .map(|c| c.range.start)
        .min_by_key(|p| (p.line, p.character));
    let end = children
        .iter()
        .map(|c| c.range.end)
        .max_by_key(|p| (p.line, p.character));
    Range::new(
        start.unwrap_or(Position::new(0, 0)),
        end.unwrap_or(Position::new(0, 0)),
    )
}

/// Quotations grouped by speaker, then figures.
pub fn document_symbols(snap: &Snapshot) -> Vec<DocumentSymbol> {
    let r = |s: &std::ops::Range<usize>| convert::range(&snap.text, &snap.lines, s, snap.encoding);
    let mut groups: Vec<(String, Vec<DocumentSymbol>)> = Vec::new();
    for q in &snap.article.quotations {
        if q.kind != QuoteKind::Quotation || q.nested_in.is_some() {
            continue;
        }
        let who = match (&q.speaker, q.status) {
            (Some(s), _) => s.clone(),
            (None, _) => "(unattributed)".to_string(),
        };
        let text = snap.text.get(q.span.clone()).unwrap_or("");
        let sym = symbol(
            format!("“{}”", snippet(text, 60)),
            q.cue.clone(),
            SymbolKind::STRING,
            r(&q.outer),
            None,
        );
        match groups.iter_mut().find(|(k, _)| *k == who) {
            Some((_, v)) => v.push(sym),
            None => groups.push((who, vec![sym])),
        }
    }
    let mut out: Vec<DocumentSymbol> = groups
        .into_iter()
        .map(|(who, children)| {
            let range = cover(&children);
            let n = children.len();
            symbol(
                who,
                Some(format!("{n} quotation{}", if n == 1 { "" } else { "s" })),
                SymbolKind::OBJECT,
                range,
                Some(children),
            )
        })
        .collect();
    let figures: Vec<DocumentSymbol> = snap
        .article
        .figures
        .iter()
        .map(|f| {
            let text = snap.text.get(f.span.clone()).unwrap_or("");
            let status = match f.status {
                FigureStatus::Sourced => f
                    .source
                    .as_deref()
                    .map_or("sourced".to_string(), |s| format!("sourced: {s}")),
                FigureStatus::Unsourced => "unsourced".to_string(),
                FigureStatus::Vague => "vague".to_string(),
            };
            symbol(
                snippet(text, 60),
                Some(format!("{} · {status}", normalised(f))),
                SymbolKind::NUMBER,
                r(&f.span),
                None,
            )
        })
        .collect();
    if !figures.is_empty() {
        let range = cover(&figures);
        out.push(symbol(
            "Figures".into(),
            Some(format!("{}", figures.len())),
            SymbolKind::NAMESPACE,
            range,
            Some(figures),
        ));
    }
    out
}

/// Find `word` as a whole word (case-insensitive) in `hay`.
fn find_word(hay: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let lower = hay.to_lowercase();
    let w = word.to_lowercase();
    if lower.len() != hay.len() {
        return hay.find(word); // lowercase changed lengths: exact match only
    }
    let mut from = 0;
    while let Some(i) = lower[from..].find(&w) {
        let s = from + i;
        let e = s + w.len();
        let before = lower[..s]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after = lower[e..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return Some(s);
        }
        from = e;
    }
    None
}

/// Inlay hints naming the resolved speaker after a pronoun (or other
/// reference) that speaks a quotation, within byte range `within`.
pub fn inlay_hints(snap: &Snapshot, within: std::ops::Range<usize>) -> Vec<InlayHint> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for q in &snap.article.quotations {
        let (Some(speaker), Some(written)) = (&q.speaker, &q.speaker_as_written) else {
            continue;
        };
        if speaker == written {
            continue;
        }
        // Where the reference is written: the quote's sentence, else after the quote.
        let sent = snap
            .article
            .sentences
            .get(q.sentence)
            .map(|s| s.span.clone())
            .unwrap_or(q.outer.clone());
        let para_end = snap
            .article
            .sentences
            .get(q.sentence + 1)
            .map_or(sent.end, |s| s.span.end);
        let search = sent.start.min(q.outer.start)..para_end.max(q.outer.end).min(snap.text.len());
        let hay = snap.text.get(search.clone()).unwrap_or("");
        let at = match find_word(hay, written) {
            Some(i) => search.start + i + written.len(),
            None => q.outer.end,
        };
        if !(within.start <= at && at <= within.end && seen.insert(at)) {
            continue;
        }
        out.push(InlayHint {
            position: convert::position(&snap.text, &snap.lines, at, snap.encoding),
            label: InlayHintLabel::String(format!("= {speaker}")),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Article, Sentence};
    use crate::lsp::documents::Language;
    use crate::text::{Encoding, LineIndex};

    fn snap(text: &str, article: Article) -> Snapshot {
        Snapshot {
            version: 1,
            language: Language::Markdown,
            text: text.into(),
            lines: LineIndex::new(text),
            article,
            diagnostics: vec![],
            encoding: Encoding::Utf16,
            key: "/tmp/a.md".into(),
            claims: vec![],
            local: (0, 0),
            dropped: vec![],
        }
    }

    #[test]
    fn hover_and_symbols_and_hints() {
        let text = "Ana Diaz spoke. The office has 1,400 staff, he said: \"We will grow.\"";
        let fs = text.find("1,400").unwrap();
        let qs = text.find('"').unwrap();
        let art = Article {
            sentences: vec![
                Sentence {
                    span: 0..15,
                    paragraph: 0,
                },
                Sentence {
                    span: 16..text.len(),
                    paragraph: 0,
                },
            ],
            figures: vec![Figure {
                span: fs..fs + 11,
                value: 1400.0,
                value_to: None,
                unit: Some("staff".into()),
                qualifier: None,
                sentence: 1,
                status: FigureStatus::Sourced,
                source: Some("Ana Diaz".into()),
                restates: false,
            }],
            quotations: vec![Quotation {
                span: qs + 1..text.len() - 1,
                outer: qs..text.len(),
                kind: QuoteKind::Quotation,
                status: Some(QuoteStatus::Attributed),
                speaker: Some("Ana Diaz".into()),
                speaker_as_written: Some("he".into()),
                cue: Some("said".into()),
                sentence: 1,
                nested_in: None,
            }],
            ..Default::default()
        };
        let s = snap(text, art);
        let h = hover(&s, fs + 2).unwrap();
        let HoverContents::Markup(m) = &h.contents else {
            panic!()
        };
        assert!(m.value.contains("1,400 staff"), "{}", m.value);
        assert!(m.value.contains("sourced by Ana Diaz"), "{}", m.value);
        let h = hover(&s, qs + 3).unwrap();
        let HoverContents::Markup(m) = &h.contents else {
            panic!()
        };
        assert!(
            m.value.contains("**Ana Diaz** (“he” resolved)"),
            "{}",
            m.value
        );
        assert!(hover(&s, 2).is_none());
        let syms = document_symbols(&s);
        assert_eq!(syms[0].name, "Ana Diaz");
        assert_eq!(syms[1].name, "Figures");
        assert_eq!(syms[1].children.as_ref().unwrap()[0].name, "1,400 staff");
        let hints = inlay_hints(&s, 0..text.len());
        assert_eq!(hints.len(), 1);
        let he = text.find(" he ").unwrap() + 3;
        assert_eq!(hints[0].position, Position::new(0, he as u32));
    }

    #[test]
    fn values() {
        let mut f = Figure {
            span: 0..1,
            value: 0.3,
            value_to: None,
            unit: Some("%".into()),
            qualifier: None,
            sentence: 0,
            status: FigureStatus::Unsourced,
            source: None,
            restates: false,
        };
        assert_eq!(normalised(&f), "30%");
        f.value = 2.5e9;
        f.unit = Some("USD".into());
        assert_eq!(normalised(&f), "2,500,000,000 USD");
        f.value = 7.0;
        f.value_to = Some(10.0);
        f.unit = Some("minute".into());
        assert_eq!(normalised(&f), "7 minute – 10 minute");
    }
}
