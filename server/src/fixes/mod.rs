//! Quick fixes as pure text edits (byte offsets): source notes, citations,
//! attributions, suppressions. The LSP layer converts them to `TextEdit`s;
//! `factlens check --fix-notes` applies [`fix_notes`].
//!
//! # API
//!
//! * [`fixes_for`]`(text, art, finding, cfg, markdown, cites)`: the fixes
//!   for `art.findings[finding]` (codes `unsourced-figure`,
//!   `unattributed-quote`, `vague-attribution`, `conflicting-figure`,
//!   `quote-variant`; nothing for others), preferred fix first. Each
//!   [`Fix`] holds byte-offset [`Edit`]s into `text`, non-overlapping, in
//!   text order; two inserts at the same offset appear in array order (the
//!   LSP rule), so translate them one to one into `TextEdit`s.
//! * [`fix_notes`]`(text, art, cfg, markdown)`: the text with a placeholder
//!   note after every sentence holding an unsourced figure or an
//!   unattributed quotation. Idempotent.
//! * [`apply_edits`]: apply a fix's edits (what a client does).
//!
//! # The fixes (examples on `Kyiv got 40 tanks.`)
//!
//! | fix | Markdown (`note_style = footnote`) | plain text / `inline` |
//! | --- | --- | --- |
//! | Add source note | `… 40 tanks.[^src-1]` + `[^src-1]: Source: ` at the footnotes | `… 40 tanks. [Source: ]` |
//! | Cite *title* | `[^src-1]: Source: Title, Outlet, 2021-10-18, https://…` | `… [Source: Title, Outlet, 2021-10-18, https://…]` |
//! | Attribute to *speaker* (quotes) | `"We will win," Maria Lopez said.` | same |
//! | Ignore *code* here | ` <!-- factlens-ignore unsourced-figure -->` at the end of the line | ` [factlens-ignore unsourced-figure]` |
//! | Ignore *code* in this file | `factlens: ignore unsourced-figure` in front matter, else `<!-- factlens-ignore-file unsourced-figure -->` first line | `[factlens-ignore-file unsourced-figure]` last line |
//!
//! With `note_style` a template, the template (with `{source}`, `{title}`,
//! `{outlet}`, `{date}`, `{url}`, `{path}` filled; all empty for *Add source
//! note*) is inserted after the sentence, after one space unless it starts
//! with whitespace.
//!
//! Footnote labels are `src-N` with N one more than the largest `src-N`
//! label used anywhere in the text (definitions or references), so notes
//! added one after another never collide. Definitions go after the last
//! footnote definition, or at the end after exactly one blank line; the
//! text's line ending (`\n` or `\r\n`) is kept, and a text without a final
//! newline does not get one.

mod scan;
#[cfg(test)]
mod tests;

use crate::analysis::findings::{self, Subject};
use crate::analysis::{Article, Code, Finding, Quotation};
use crate::config::{Config, NoteStyle};
use std::ops::Range;

/// Replace `range` (byte offsets into the text the fix was computed on)
/// with `new_text`. An empty range is an insertion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// What a fix does (for front ends that treat kinds differently, and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FixKind {
    /// *Add source note*: an empty note to fill in.
    AddNote,
    /// *Cite `<article>`*: a note filled from another article.
    Cite,
    /// *Attribute to `<speaker>`*: `, <speaker> said` after a quotation.
    Attribute,
    /// *Ignore here*: a suppression marker on the finding's line.
    IgnoreHere,
    /// *Ignore in this file*: a file-level suppression marker.
    IgnoreFile,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub title: String,
    pub kind: FixKind,
    pub code: Code,
    /// Index into `art.findings`.
    pub finding: usize,
    /// Non-overlapping, sorted by offset; same-offset inserts in order.
    pub edits: Vec<Edit>,
    pub preferred: bool,
}

/// An article a note can cite (a matching claim's article that is itself
/// sourced), from the claim index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CiteTarget {
    pub title: String,
    pub outlet: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    /// Path relative to the workspace root (used when there is no url).
    pub path: String,
}

/// The codes that have fixes.
pub fn has_fixes(code: Code) -> bool {
    matches!(
        code,
        Code::UnsourcedFigure
            | Code::UnattributedQuote
            | Code::VagueAttribution
            | Code::ConflictingFigure
            | Code::QuoteVariant
    )
}

/// The quick fixes for `art.findings[finding]`, preferred first.
/// `markdown` is false for plain-text files (no Markdown is inserted then).
/// `cites`: one *Cite* fix each.
pub fn fixes_for(
    text: &str,
    art: &Article,
    finding: usize,
    cfg: &Config,
    markdown: bool,
    cites: &[CiteTarget],
) -> Vec<Fix> {
    let Some(f) = art.findings.get(finding) else {
        return Vec::new();
    };
    if !has_fixes(f.code) || f.span.start > text.len() {
        return Vec::new();
    }
    let fix = |title: String, kind, edits, preferred| Fix {
        title,
        kind,
        code: f.code,
        finding,
        edits,
        preferred,
    };
    let mut out = Vec::new();

    let mut attributed = false;
    if f.code == Code::UnattributedQuote {
        if let Subject::Quotation(qi) = f.subject {
            if let (Some(q), Some(speaker)) =
                (art.quotations.get(qi), likely_speaker(text, art, qi))
            {
                if let Some(edits) = attribute_edits(text, q, &speaker, &cfg.attribute_template) {
                    out.push(fix(
                        format!("Attribute to {speaker}"),
                        FixKind::Attribute,
                        edits,
                        true,
                    ));
                    attributed = true;
                }
            }
        }
    }

    let anchor = anchor_for(text, art, f);
    let feet = Footnotes::new();
    let preferred_note = !attributed
        && matches!(
            f.code,
            Code::UnsourcedFigure | Code::UnattributedQuote | Code::VagueAttribution
        );
    out.push(fix(
        "Add source note".into(),
        FixKind::AddNote,
        note_edits(text, &[anchor], &NoteFill::default(), cfg, markdown, &feet),
        preferred_note,
    ));
    for c in cites {
        let fill = NoteFill::from_cite(c);
        out.push(fix(
            format!("Cite {}", one_line(&c.title)),
            FixKind::Cite,
            note_edits(text, &[anchor], &fill, cfg, markdown, &feet),
            false,
        ));
    }

    let code = f.code.as_str();
    let mut line_end = scan::line_content_end(text, f.span.start);
    if markdown && text[..line_end].ends_with('\\') {
        line_end -= 1; // a backslash hard break stays at the end of the line
    }
    out.push(fix(
        format!("Ignore {code} here"),
        FixKind::IgnoreHere,
        vec![Edit {
            range: line_end..line_end,
            new_text: format!(" {}", findings::suppression_marker(Some(f.code), markdown)),
        }],
        false,
    ));
    out.push(fix(
        format!("Ignore {code} in this file"),
        FixKind::IgnoreFile,
        vec![ignore_file_edit(text, f.code, markdown)],
        false,
    ));
    out
}

/// *Ignore in this file*: in Markdown with front matter, the front matter
/// key `factlens: ignore CODE` (added, or the code appended to an existing
/// `factlens: ignore …` list); otherwise a marker line at the top, after
/// any front matter (Markdown), or at the end (plain text, whose title is
/// its first line).
fn ignore_file_edit(text: &str, code: Code, markdown: bool) -> Edit {
    let nl = scan::newline(text);
    let top = scan::front_matter_end(text);
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    if markdown && top > bom {
        // the lines between the opening and the closing delimiter
        let open_end = text[bom..].find('\n').map_or(top, |i| bom + i + 1);
        let close_start = text[..top.saturating_sub(1)]
            .rfind('\n')
            .map_or(open_end, |i| i + 1)
            .max(open_end);
        let key = findings::FRONT_MATTER_KEY;
        let mut pos = open_end;
        let mut existing = None;
        for line in text[open_end..close_start].split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            if let Some((k, v)) = content.split_once(':') {
                if !k.starts_with([' ', '\t']) && k.trim().eq_ignore_ascii_case(key) {
                    existing = Some((pos + content.len(), v.trim()));
                }
            }
            pos += line.len();
        }
        match existing {
            None => {
                return Edit {
                    range: close_start..close_start,
                    new_text: format!("{key}: ignore {}{nl}", code.as_str()),
                }
            }
            Some((end, v)) => {
                let mut words = v.split_whitespace();
                let is_list = words
                    .next()
                    .is_some_and(|w| w.eq_ignore_ascii_case("ignore"))
                    && words.next().is_some()
                    && !v.ends_with(['"', '\'']);
                if is_list {
                    let end = scan::floor_boundary(text, end);
                    let end = text[..end].trim_end_matches([' ', '\t']).len();
                    return Edit {
                        range: end..end,
                        new_text: format!(" {}", code.as_str()),
                    };
                }
            }
        }
    }
    if !markdown {
        // plain text takes its title from the first non-empty line: the
        // marker goes on a line of its own at the end instead
        let marker = file_marker(code, markdown);
        let new_text = if text.is_empty() || text.ends_with('\n') {
            format!("{marker}{nl}")
        } else {
            format!("{nl}{marker}") // no final newline: keep it so
        };
        return Edit {
            range: text.len()..text.len(),
            new_text,
        };
    }
    Edit {
        range: top..top,
        new_text: format!("{}{nl}", file_marker(code, markdown)),
    }
}

/// The text with a placeholder source note after every sentence that holds
/// an unsourced figure or an unattributed quotation (one note per sentence;
/// codes configured `off` are left alone). Footnote numbers continue after
/// the largest `src-N` in use. Running it on its own output adds nothing.
pub fn fix_notes(text: &str, art: &Article, cfg: &Config, markdown: bool) -> String {
    let mut anchors: Vec<usize> = art
        .findings
        .iter()
        .filter(|f| {
            matches!(f.code, Code::UnsourcedFigure | Code::UnattributedQuote)
                && cfg.severity(f.code).is_some()
                && f.span.start <= text.len()
        })
        .map(|f| (anchor_for(text, art, f), sentence_start(art, f)))
        .filter(|&(a, s)| !has_note(text, s..a, cfg))
        .map(|(a, _)| a)
        .collect();
    anchors.sort_unstable();
    anchors.dedup();
    if anchors.is_empty() {
        return text.to_string();
    }
    apply_edits(
        text,
        &note_edits(
            text,
            &anchors,
            &NoteFill::default(),
            cfg,
            markdown,
            &Footnotes::new(),
        ),
    )
}

/// Apply edits as an LSP client does: ranges refer to the original text,
/// inserts at the same offset keep their array order. Overlapping or
/// out-of-range edits are skipped, never a panic.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut order: Vec<&Edit> = edits.iter().collect();
    order.sort_by_key(|e| e.range.start); // stable: same-offset order kept
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for e in order {
        let (s, t) = (e.range.start, e.range.end);
        if s < cursor
            || t < s
            || t > text.len()
            || !text.is_char_boundary(s)
            || !text.is_char_boundary(t)
        {
            continue;
        }
        out.push_str(&text[cursor..s]);
        out.push_str(&e.new_text);
        cursor = t;
    }
    out.push_str(&text[cursor..]);
    out
}

/// The marker that silences `code` in the whole file (on its own line at
/// the top, after front matter), in the syntax the analysis honours.
fn file_marker(code: Code, markdown: bool) -> String {
    let word = findings::FILE_MARKER_WORD;
    if markdown {
        format!("<!-- {word} {} -->", code.as_str())
    } else {
        format!("[{word} {}]", code.as_str())
    }
}

/// A likely speaker for an unattributed quotation: a person (else an
/// organisation) its paragraph names outside quotations.
fn likely_speaker(text: &str, art: &Article, qi: usize) -> Option<String> {
    crate::analysis::attribution::likely_speaker(text, art, qi).filter(|s| !s.trim().is_empty())
}

/// The fields a note is filled with.
#[derive(Debug, Clone, Default)]
struct NoteFill {
    title: String,
    outlet: String,
    date: String,
    url: String,
    path: String,
}

impl NoteFill {
    fn from_cite(c: &CiteTarget) -> Self {
        let f = |s: &Option<String>| s.as_deref().map(one_line).unwrap_or_default();
        NoteFill {
            title: one_line(&c.title),
            outlet: f(&c.outlet),
            date: f(&c.date),
            url: f(&c.url),
            path: one_line(&c.path),
        }
    }

    /// `Title, Outlet, date, url-or-path`, missing parts skipped.
    fn source(&self) -> String {
        let link = if self.url.is_empty() {
            &self.path
        } else {
            &self.url
        };
        [&self.title, &self.outlet, &self.date, link]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn template(&self, t: &str) -> String {
        t.replace("{source}", &self.source())
            .replace("{title}", &self.title)
            .replace("{outlet}", &self.outlet)
            .replace("{date}", &self.date)
            .replace("{url}", &self.url)
            .replace("{path}", &self.path)
    }
}

/// One line, brackets made round so they cannot close a note or a label.
fn one_line(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('[', "(")
        .replace(']', ")")
}

fn finding_sentence(art: &Article, f: &Finding) -> Option<Range<usize>> {
    let idx = match f.subject {
        Subject::Figure(i) => art.figures.get(i).map(|x| x.sentence),
        Subject::Quotation(i) => art.quotations.get(i).map(|q| q.sentence),
        Subject::None => None,
    }
    .filter(|&i| i < art.sentences.len())
    .or_else(|| art.sentence_at(f.span.start))?;
    Some(art.sentences[idx].span.clone())
}

fn sentence_start(art: &Article, f: &Finding) -> usize {
    finding_sentence(art, f).map_or(f.span.start, |s| s.start.min(f.span.start))
}

/// Where the note for a finding goes: after its sentence (after the
/// quotation's closing mark for a quotation that runs past the sentence).
fn anchor_for(text: &str, art: &Article, f: &Finding) -> usize {
    let mut sent = finding_sentence(art, f).unwrap_or_else(|| f.span.clone());
    sent.end = sent.end.max(f.span.end);
    if let Subject::Quotation(i) = f.subject {
        if let Some(q) = art.quotations.get(i) {
            sent.end = sent.end.max(q.outer.end);
        }
    }
    scan::note_anchor(text, sent)
}

/// Does `range` (a sentence up to its anchor) already end with a note that
/// factlens would insert? Keeps [`fix_notes`] idempotent.
fn has_note(text: &str, range: Range<usize>, cfg: &Config) -> bool {
    let s = scan::floor_boundary(text, range.start);
    let e = scan::floor_boundary(text, range.end.max(s));
    let sentence = &text[s..e];
    let after = text[e..].trim_start_matches([' ', '\t']);
    if sentence.contains("[^src-") || sentence.contains("[Source:") || after.starts_with("[Source:")
    {
        return true;
    }
    if let NoteStyle::Template(t) = &cfg.note_style {
        let lit = t.split('{').next().unwrap_or("").trim();
        if !lit.is_empty() && (sentence.contains(lit) || after.starts_with(lit)) {
            return true;
        }
    }
    false
}

/// The footnote facts of a text (next free `src-N`, end of the last
/// definition), scanned once per request and only when needed.
struct Footnotes(std::cell::OnceCell<(u64, Option<usize>)>);

impl Footnotes {
    fn new() -> Self {
        Footnotes(std::cell::OnceCell::new())
    }

    fn get(&self, text: &str) -> (u64, Option<usize>) {
        *self.0.get_or_init(|| {
            if !text.contains("[^") {
                return (1, None); // no footnotes at all: skip the line scan
            }
            (
                scan::next_src_number(text),
                scan::last_footnote_def_end(text),
            )
        })
    }
}

/// The edits that add one note (filled with `fill`) after each anchor
/// (sorted, distinct). Markdown footnotes share one definition edit.
fn note_edits(
    text: &str,
    anchors: &[usize],
    fill: &NoteFill,
    cfg: &Config,
    markdown: bool,
    feet: &Footnotes,
) -> Vec<Edit> {
    let insert = |at: usize, new_text: String| Edit {
        range: at..at,
        new_text,
    };
    match (&cfg.note_style, markdown) {
        (NoteStyle::Footnote, true) => {
            let (first, def_end) = feet.get(text);
            let mut edits: Vec<Edit> = anchors
                .iter()
                .enumerate()
                .map(|(k, &a)| {
                    let sep = if scan::after_bare_url(text, a) {
                        " "
                    } else {
                        ""
                    };
                    insert(a, format!("{sep}[^src-{}]", first + k as u64))
                })
                .collect();
            let defs: Vec<String> = (0..anchors.len())
                .map(|k| format!("[^src-{}]: Source: {}", first + k as u64, fill.source()))
                .collect();
            let last_anchor = anchors.iter().copied().max().unwrap_or(0);
            edits.push(definitions_edit(text, &defs, def_end, last_anchor));
            // text order (stable: a reference and the definitions both at
            // the end of the text stay in that order)
            edits.sort_by_key(|e| e.range.start);
            edits
        }
        (NoteStyle::Template(t), _) => {
            let body = fill.template(t);
            let note = if body.starts_with(char::is_whitespace) {
                body
            } else {
                format!(" {body}")
            };
            anchors.iter().map(|&a| insert(a, note.clone())).collect()
        }
        _ => {
            let note = format!(" [Source: {}]", fill.source());
            anchors.iter().map(|&a| insert(a, note.clone())).collect()
        }
    }
}

/// The edit that adds footnote definition lines: after the last existing
/// definition, else at the end after exactly one blank line.
fn definitions_edit(
    text: &str,
    defs: &[String],
    def_end: Option<usize>,
    last_anchor: usize,
) -> Edit {
    let nl = scan::newline(text);
    let block = defs.join(nl);
    if let Some(end) = def_end {
        let ends_line = text[..end].ends_with('\n');
        let new_text = if ends_line {
            format!("{block}{nl}")
        } else {
            format!("{nl}{block}")
        };
        return Edit {
            range: end..end,
            new_text,
        };
    }
    let content_end = text.trim_end().len();
    let plain_append = || Edit {
        range: text.len()..text.len(),
        new_text: if text.is_empty() || text.ends_with('\n') {
            format!("{block}{nl}")
        } else {
            format!("{nl}{block}")
        },
    };
    if content_end == 0 {
        return plain_append();
    }
    // the first line break after the content, if any
    let tail = &text[content_end..];
    match tail.find('\n') {
        None => Edit {
            // no final newline: keep it so
            range: text.len()..text.len(),
            new_text: format!("{nl}{nl}{block}"),
        },
        Some(i) => {
            let after_first = content_end + i + 1;
            if after_first < last_anchor {
                // a reference among the trailing blank lines: never overlap
                return plain_append();
            }
            // replace whatever blank lines follow with exactly one
            Edit {
                range: after_first..text.len(),
                new_text: format!("{nl}{block}{nl}"),
            }
        }
    }
}

/// *Attribute to*: the template after the quotation's closing mark. With a
/// template that starts with a comma and a quotation that ends its sentence
/// (`"We will win."`), the stop inside the marks becomes the comma and the
/// stop moves after the speaker: `"We will win," Maria Lopez said.`
fn attribute_edits(text: &str, q: &Quotation, speaker: &str, template: &str) -> Option<Vec<Edit>> {
    let close_end = q.outer.end;
    if close_end > text.len() || !text.is_char_boundary(close_end) || close_end <= q.span.end {
        return None;
    }
    let close = text[..close_end].chars().next_back()?;
    if !matches!(
        close,
        '"' | '”' | '“' | '»' | '«' | '’' | '‘' | '„' | '\'' | '›' | '‹'
    ) {
        return None;
    }
    let close_start = close_end - close.len_utf8();
    let filled = template.replace("{speaker}", &one_line(speaker));
    let inner = text.get(q.outer.start..close_start)?.trim_end();
    let inner_end = q.outer.start + inner.len();
    let last = inner.chars().next_back();
    let next = text[close_end..].chars().next();
    let ends_sentence = next.is_none_or(char::is_whitespace);
    let insert = |new_text: String| Edit {
        range: close_end..close_end,
        new_text,
    };
    if let (Some(rest), true) = (filled.strip_prefix(','), ends_sentence) {
        let rest = rest.trim_start();
        match last {
            Some('.') => {
                return Some(vec![
                    Edit {
                        range: inner_end - 1..inner_end,
                        new_text: ",".into(),
                    },
                    insert(format!(" {rest}.")),
                ]);
            }
            Some('!' | '?' | '…' | '؟') => return Some(vec![insert(format!(" {rest}."))]),
            Some(',') => return Some(vec![insert(format!(" {rest}"))]),
            _ => {}
        }
    }
    Some(vec![insert(filled)])
}
