//! `factlens annotate`: an article's fact sheet, every figure and quotation
//! found, sourced or not.

use super::files::{self, SourceFile, Status};
use super::output::{clamp_span, Range1};
use super::{AnnotateArgs, Format};
use crate::analysis::{
    analyze, Article, Figure, FigureStatus, Quotation, QuoteKind, QuoteStatus, Span,
};
use crate::text::LineIndex;
use serde::Serialize;
use std::io::{self, Write};

/// One line of `annotate --format json` (SPEC "Command line").
#[derive(Debug, Serialize, PartialEq)]
pub struct Item<'a> {
    pub path: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// `figure`, `quotation` or `scare-quote`.
    pub kind: &'static str,
    pub text: &'a str,
    pub status: Option<&'static str>,
    pub source: Option<&'a str>,
    pub value: Option<f64>,
    pub value_to: Option<f64>,
    pub unit: Option<&'a str>,
    pub qualifier: Option<&'a str>,
}

fn figure_status(s: FigureStatus) -> &'static str {
    match s {
        FigureStatus::Sourced => "sourced",
        FigureStatus::Unsourced => "unsourced",
        FigureStatus::Vague => "vague",
    }
}

fn quote_status(s: QuoteStatus) -> &'static str {
    match s {
        QuoteStatus::Attributed => "attributed",
        QuoteStatus::Unattributed => "unattributed",
        QuoteStatus::Vague => "vague",
    }
}

impl<'a> Item<'a> {
    /// An item of `kind` at `span` (cut to the text), with no status,
    /// source or value.
    fn at(path: &'a str, text: &'a str, idx: &LineIndex, span: &Span, kind: &'static str) -> Self {
        let span = clamp_span(text, span);
        let r = Range1::of(idx, text, &span);
        Item {
            path,
            line: r.line,
            column: r.column,
            end_line: r.end_line,
            end_column: r.end_column,
            kind,
            text: &text[span],
            status: None,
            source: None,
            value: None,
            value_to: None,
            unit: None,
            qualifier: None,
        }
    }
}

fn figure_item<'a>(path: &'a str, text: &'a str, idx: &LineIndex, f: &'a Figure) -> Item<'a> {
    Item {
        status: Some(figure_status(f.status)),
        source: f.source.as_deref(),
        value: f.value.is_finite().then_some(f.value),
        value_to: f.value_to.filter(|v| v.is_finite()),
        unit: f.unit.as_deref(),
        qualifier: f.qualifier.as_deref(),
        ..Item::at(path, text, idx, &f.span, "figure")
    }
}

fn quote_item<'a>(path: &'a str, text: &'a str, idx: &LineIndex, q: &'a Quotation) -> Item<'a> {
    let scare = q.kind == QuoteKind::ScareQuote;
    let kind = if scare { "scare-quote" } else { "quotation" };
    Item {
        status: if scare {
            None
        } else {
            q.status.map(quote_status)
        },
        source: q.speaker.as_deref().or(q.speaker_as_written.as_deref()),
        ..Item::at(path, text, idx, &q.span, kind)
    }
}

/// The fact sheet of one analysed article, in text order.
pub fn items<'a>(path: &'a str, text: &'a str, idx: &LineIndex, art: &'a Article) -> Vec<Item<'a>> {
    let mut keyed: Vec<(usize, Item<'a>)> = Vec::new();
    for f in &art.figures {
        keyed.push((f.span.start, figure_item(path, text, idx, f)));
    }
    for q in &art.quotations {
        keyed.push((q.span.start, quote_item(path, text, idx, q)));
    }
    keyed.sort_by_key(|(s, _)| *s);
    keyed.into_iter().map(|(_, i)| i).collect()
}

pub fn run(args: &AnnotateArgs) -> i32 {
    let Some(cfg) = files::config_for(
        args.config.as_deref(),
        args.paths.first().map(|p| p.as_path()),
    ) else {
        return 2;
    };
    let mut status = Status::default();
    let list = files::collect(&args.paths, &cfg, &mut status);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut first = true;
    for path in &list {
        let Some(file) = files::read(path, &cfg.config, &mut status) else {
            continue;
        };
        let art = analyze(&file.text, &cfg.config.analysis_options(file.markdown));
        let res = match args.format {
            Format::Json => write_json(&mut out, &file, &art),
            Format::Text => {
                let r = if first { Ok(()) } else { writeln!(out) };
                r.and_then(|_| write_text(&mut out, &file, &art))
            }
        };
        first = false;
        if let Err(e) = res {
            return files::output_failed(&e);
        }
    }
    if let Err(e) = out.flush() {
        return files::output_failed(&e);
    }
    status.code()
}

fn write_json(out: &mut dyn Write, file: &SourceFile, art: &Article) -> io::Result<()> {
    let path = file.display();
    let idx = LineIndex::new(&file.text);
    for item in items(&path, &file.text, &idx, art) {
        serde_json::to_writer(&mut *out, &item)?;
        writeln!(out)?;
    }
    Ok(())
}

/// A number for people: integers without a fraction, others as written by
/// Rust's shortest round-trip formatting.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let n = v as i64;
        let digits = n.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        if n < 0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    } else {
        format!("{v}")
    }
}

/// `s` padded with spaces to `width` chars.
fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

fn shorten(s: &str, max: usize) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut t: String = one_line.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// The normalised value of a figure: `≈ 1,200 person`, `7–10 minute`,
/// `30% (0.3)`, with the qualifier.
fn value_text(i: &Item) -> String {
    let Some(v) = i.value else {
        return String::new();
    };
    let mut s = String::new();
    if let Some(q) = i.qualifier {
        s.push_str(q);
        s.push(' ');
    }
    let percent = i.unit == Some("%");
    let show = |v: f64| {
        if percent {
            format!("{}%", number((v * 100.0 * 1e9).round() / 1e9))
        } else {
            number(v)
        }
    };
    s.push_str(&show(v));
    if let Some(to) = i.value_to {
        s.push_str(" to ");
        s.push_str(&show(to));
    }
    if let Some(u) = i.unit {
        if !percent {
            s.push(' ');
            s.push_str(u);
        }
    }
    s
}

fn write_text(out: &mut dyn Write, file: &SourceFile, art: &Article) -> io::Result<()> {
    let path = file.display();
    let idx = LineIndex::new(&file.text);
    let list = items(&path, &file.text, &idx, art);
    let mut head = path.clone();
    if let Some(t) = &art.meta.title {
        head.push_str(&format!(": {}", shorten(t, 80)));
    }
    let extra: Vec<&str> = [&art.meta.outlet, &art.meta.date, &art.meta.author]
        .into_iter()
        .filter_map(|o| o.as_deref())
        .collect();
    if !extra.is_empty() {
        head.push_str(&format!(" ({})", extra.join(", ")));
    }
    writeln!(out, "{head}")?;
    let figures = list.iter().filter(|i| i.kind == "figure").count();
    let unsourced = list
        .iter()
        .filter(|i| i.kind == "figure" && i.status == Some("unsourced"))
        .count();
    let quotes = list.iter().filter(|i| i.kind == "quotation").count();
    let unattributed = list
        .iter()
        .filter(|i| i.kind == "quotation" && i.status == Some("unattributed"))
        .count();
    writeln!(
        out,
        "  {figures} figures ({unsourced} unsourced), {quotes} quotations ({unattributed} unattributed)"
    )?;
    for i in &list {
        let loc = format!("{}:{}", i.line, i.column);
        let shown = if i.kind == "figure" {
            shorten(i.text, 32)
        } else {
            format!("\"{}\"", shorten(i.text, 50))
        };
        let mut detail = Vec::new();
        let v = value_text(i);
        if !v.is_empty() {
            detail.push(format!("= {v}"));
        }
        if let Some(s) = i.source {
            let by = if i.kind == "figure" {
                "source"
            } else {
                "speaker"
            };
            detail.push(format!("{by}: {s}"));
        }
        let line = format!(
            "  {loc:<8} {:<11} {:<12} {}  {}",
            i.kind,
            i.status.unwrap_or("-"),
            pad(&shown, 24),
            detail.join("; ")
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(number(1200.0), "1,200");
        assert_eq!(number(2.5e9), "2,500,000,000");
        assert_eq!(number(0.3), "0.3");
        assert_eq!(number(-45.0), "-45");
    }

    #[test]
    fn figure_and_quote_items() {
        let text = "We hired 1,200 people, \"a record,\" he said.";
        let idx = LineIndex::new(text);
        let s = text.find("1,200").unwrap();
        let f = Figure {
            span: s..s + "1,200 people".len(),
            value: 1200.0,
            value_to: None,
            unit: Some("person".into()),
            qualifier: None,
            sentence: 0,
            status: FigureStatus::Sourced,
            source: Some("he".into()),
            restates: false,
        };
        let i = figure_item("a.md", text, &idx, &f);
        assert_eq!((i.line, i.column, i.end_column), (1, 10, 22));
        assert_eq!(i.text, "1,200 people");
        assert_eq!(value_text(&i), "1,200 person");
        let q0 = text.find("a record").unwrap();
        let q = Quotation {
            span: q0..q0 + "a record,".len(),
            outer: q0 - 1..q0 + "a record,\"".len(),
            kind: QuoteKind::Quotation,
            status: Some(QuoteStatus::Attributed),
            speaker: None,
            speaker_as_written: Some("he".into()),
            cue: Some("said".into()),
            sentence: 0,
            nested_in: None,
        };
        let j = serde_json::to_value(quote_item("a.md", text, &idx, &q)).unwrap();
        assert_eq!(j["kind"], "quotation");
        assert_eq!(j["status"], "attributed");
        assert_eq!(j["source"], "he");
        assert!(j["value"].is_null() && j["unit"].is_null() && j["value_to"].is_null());
        let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 13);
    }
}
