//! Diagnostics as the command line shows them: positions in 1-based lines
//! and Unicode-scalar columns, compiler-style text with the source line
//! underlined, JSON lines, and the summary line.

use super::files::SourceFile;
use crate::analysis::{Code, Severity, Span};
use crate::text::{Encoding, LineIndex};
use serde::Serialize;
use std::io::{self, Write};

/// A 1-based line/column range of a byte span, columns in Unicode scalar
/// values; the end is exclusive (the column after the last character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range1 {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Range1 {
    pub fn of(index: &LineIndex, text: &str, span: &Span) -> Range1 {
        let a = index.position(text, span.start, Encoding::Chars);
        let b = index.position(text, span.end.max(span.start), Encoding::Chars);
        Range1 {
            line: a.line as usize + 1,
            column: a.col as usize + 1,
            end_line: b.line as usize + 1,
            end_column: b.col as usize + 1,
        }
    }
}

/// A span cut to the text and widened to character boundaries (spans
/// from the analysis may point past a cut text or into a character).
pub fn clamp_span(text: &str, span: &Span) -> Span {
    let mut a = span.start.min(text.len());
    let mut b = span.end.min(text.len()).max(a);
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    while !text.is_char_boundary(b) {
        b += 1;
    }
    a..b
}

/// Another place a finding refers to (the matching claim of a conflict).
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// One reported finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    pub span: Span,
    pub range: Range1,
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The flagged text.
    pub text: String,
    pub related: Vec<Related>,
}

/// The JSON-lines shape of `check --format json` (SPEC "Command line").
#[derive(Serialize)]
struct JsonDiag<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    text: &'a str,
}

pub fn write_json(out: &mut dyn Write, path: &str, d: &Diag) -> io::Result<()> {
    let j = JsonDiag {
        path,
        line: d.range.line,
        column: d.range.column,
        end_line: d.range.end_line,
        end_column: d.range.end_column,
        code: d.code.as_str(),
        severity: d.severity.as_str(),
        message: &d.message,
        text: &d.text,
    };
    serde_json::to_writer(&mut *out, &j)?;
    writeln!(out)
}

/// Colour the text output: stdout is a terminal and `NO_COLOR` is unset.
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
}

/// Lines wider than this many characters are shown trimmed around the span.
const MAX_SHOWN: usize = 100;

/// Compiler-style text: the message line, the source line and an
/// underline (`^~~~`) under the span, then related locations.
pub fn write_text(
    out: &mut dyn Write,
    file: &SourceFile,
    index: &LineIndex,
    d: &Diag,
    color: bool,
) -> io::Result<()> {
    let path = file.display();
    let (on, bold, off) = if color {
        let c = match d.severity {
            Severity::Error => "\x1b[1;31m",
            Severity::Warning => "\x1b[1;33m",
            Severity::Information => "\x1b[1;36m",
            Severity::Hint => "\x1b[1;34m",
        };
        (c, "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    writeln!(
        out,
        "{bold}{}:{}:{}:{off} {on}{}[{}]{off}{bold}: {}{off}",
        path,
        d.range.line,
        d.range.column,
        d.severity.as_str(),
        d.code.as_str(),
        d.message
    )?;
    let line_no = d.range.line;
    let lr = index.line_range(&file.text, line_no - 1);
    let line: Vec<char> = file.text[lr].chars().collect();
    let start = (d.range.column - 1).min(line.len());
    let multi_line = d.range.end_line > d.range.line;
    let end = if multi_line {
        line.len()
    } else {
        (d.range.end_column - 1).clamp(start, line.len())
    };
    let (from, to) = window(line.len(), start, end);
    let mut shown = String::new();
    if from > 0 {
        shown.push('…');
    }
    shown.extend(line[from..to].iter().map(|&c| shown_char(c)));
    if to < line.len() {
        shown.push('…');
    }
    let gutter = line_no.to_string().len();
    let pad = " ".repeat(gutter);
    writeln!(out, "{pad} |")?;
    writeln!(out, "{line_no} | {}", shown.trim_end())?;
    let lead = start - from + usize::from(from > 0);
    let width = end.min(to).saturating_sub(start).max(1);
    let mut mark = String::with_capacity(width + lead + 2);
    mark.push_str(&" ".repeat(lead));
    mark.push('^');
    mark.push_str(&"~".repeat(width - 1));
    if multi_line || end > to {
        mark.push('…');
    }
    writeln!(out, "{pad} | {on}{mark}{off}")?;
    for r in &d.related {
        writeln!(
            out,
            "{pad} = note: {}:{}:{}: {}",
            r.path, r.line, r.column, r.message
        )?;
    }
    writeln!(out)
}

/// The char range `[from, to)` of a line of `len` chars to show for a span
/// `[start, end)`: the whole line when short, else a window around the span.
fn window(len: usize, start: usize, end: usize) -> (usize, usize) {
    if len <= MAX_SHOWN {
        return (0, len);
    }
    let span = end - start;
    if span + 20 >= MAX_SHOWN {
        let from = start.saturating_sub(10);
        return (from, (from + MAX_SHOWN).min(len));
    }
    let context = (MAX_SHOWN - span) / 2;
    let mut from = start.saturating_sub(context);
    let to = (from + MAX_SHOWN).min(len);
    if to == len {
        from = len.saturating_sub(MAX_SHOWN);
    }
    (from, to)
}

/// One display cell per char, so the underline stays aligned: tabs and
/// control characters become spaces.
fn shown_char(c: char) -> char {
    if c.is_control() {
        ' '
    } else {
        c
    }
}

/// Counts of reported findings by severity.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub information: usize,
    pub hint: usize,
}

impl Counts {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Information => self.information += 1,
            Severity::Hint => self.hint += 1,
        }
    }

    /// `3 warnings, 1 information in 2 files (5 checked)`.
    pub fn summary(&self, files_with_findings: usize, files_checked: usize) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = Vec::new();
        if self.error > 0 {
            parts.push(plural(self.error, "error", "errors"));
        }
        if self.warning > 0 {
            parts.push(plural(self.warning, "warning", "warnings"));
        }
        if self.information > 0 {
            parts.push(plural(self.information, "information", "information"));
        }
        if self.hint > 0 {
            parts.push(plural(self.hint, "hint", "hints"));
        }
        if parts.is_empty() {
            return format!("no findings in {}", plural(files_checked, "file", "files"));
        }
        format!(
            "{} in {} ({} checked)",
            parts.join(", "),
            plural(files_with_findings, "file", "files"),
            files_checked
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn clamp_span_cuts_to_text_and_char_boundaries() {
        let text = "aé😀";
        assert_eq!(clamp_span(text, &(2..4)), 1..7);
        assert_eq!(clamp_span(text, &(5..99)), 3..7);
        assert_eq!(clamp_span(text, &(50..60)), 7..7);
        // A reversed span (start past end) becomes empty at its start.
        let reversed = std::ops::Range { start: 3, end: 1 };
        assert_eq!(clamp_span(text, &reversed), 3..3);
    }

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("./a.md"),
            text: text.into(),
            markdown: true,
            truncated_from: None,
            lossy: false,
        }
    }

    fn diag(f: &SourceFile, idx: &LineIndex, needle: &str) -> Diag {
        let s = f.text.find(needle).unwrap();
        let span = s..s + needle.len();
        Diag {
            range: Range1::of(idx, &f.text, &span),
            span,
            code: Code::UnsourcedFigure,
            severity: Severity::Warning,
            message: format!("Unsourced figure \"{needle}\": add who says so."),
            text: needle.into(),
            related: vec![],
        }
    }

    #[test]
    fn underline_counts_chars() {
        let f = file("x\nسلام 😀 hired 1,200 people.\n");
        let idx = LineIndex::new(&f.text);
        let d = diag(&f, &idx, "1,200 people");
        assert_eq!(
            d.range,
            Range1 {
                line: 2,
                column: 14,
                end_line: 2,
                end_column: 26
            }
        );
        let mut out = Vec::new();
        write_text(&mut out, &f, &idx, &d, false).unwrap();
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(
            lines[0],
            "a.md:2:14: warning[unsourced-figure]: Unsourced figure \"1,200 people\": add who says so."
        );
        assert_eq!(lines[2], "2 | سلام 😀 hired 1,200 people.");
        assert_eq!(lines[3], "  |              ^~~~~~~~~~~~");
    }

    #[test]
    fn wide_lines_are_trimmed_around_the_span() {
        let long = format!("{} the 40 trucks {}", "a".repeat(300), "b".repeat(300));
        let f = file(&long);
        let idx = LineIndex::new(&f.text);
        let d = diag(&f, &idx, "40 trucks");
        let mut out = Vec::new();
        write_text(&mut out, &f, &idx, &d, false).unwrap();
        let s = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = s.lines().collect();
        let src = lines[2].strip_prefix("1 | ").unwrap();
        assert!(src.starts_with('…') && src.ends_with('…'), "{src}");
        assert!(src.chars().count() <= MAX_SHOWN + 2);
        let mark = lines[3].strip_prefix("  | ").unwrap();
        let caret = mark.chars().position(|c| c == '^').unwrap();
        let at: String = src.chars().skip(caret).take(9).collect();
        assert_eq!(at, "40 trucks");
        assert_eq!(mark.trim(), "^~~~~~~~~");
    }

    #[test]
    fn summary_line() {
        let mut c = Counts::default();
        c.add(Severity::Warning);
        c.add(Severity::Warning);
        c.add(Severity::Warning);
        c.add(Severity::Information);
        assert_eq!(
            c.summary(2, 5),
            "3 warnings, 1 information in 2 files (5 checked)"
        );
        assert_eq!(Counts::default().summary(0, 1), "no findings in 1 file");
    }
}
