//! Quotation marks paired into quotations.
//!
//! One linear scan per paragraph pairs the marks `"…"`, `“…”`, `«…»`,
//! `„…“`, `‘…’` and ASCII `'…'` (only when clearly paired at word
//! boundaries), using the shape of each mark and the characters around it:
//!
//! * a mark that can only close (`… live. “` at the end of a paragraph, a
//!   `”` after a space) closes the open quote whatever its shape; a closing
//!   mark that closes nothing is a quotation whose opening mark was lost
//!   (its content runs back to the previous boundary) and is unbalanced;
//! * a paragraph that opens a quote and does not close it continues when the
//!   next paragraph opens with a mark (the convention for multi-paragraph
//!   quotations); otherwise the mark is unbalanced and the quotation runs
//!   to the end of the paragraph;
//! * quotes nest (`“The “relevance” …”`): the outer span runs to the outer
//!   closing mark, the inner ones get `nested_in`;
//! * apostrophes are never marks (`Russia’s`, `don't`, `’90s`);
//! * Markdown block quotes (`> …`) and unmarked paragraphs followed by a
//!   dash line naming a speaker (`- Lavrov emphasized, …`) are quotations;
//! * marks in skipped regions (code, URLs, comments...) are ignored.
//!
//! The kind set here is the one for a quotation with no speaker (short span
//! -> scare quote); [`super::attribution::attribute`] decides the final kind
//! once it knows the speaker.

use super::{AnalysisOptions, Article, Quotation, QuoteKind, QuoteStatus, Span};

/// The quotations of an article, sorted by position. See [`scan`] for the
/// unbalanced marks.
pub fn find(text: &str, art: &Article, opts: &AnalysisOptions) -> Vec<Quotation> {
    scan(text, art, opts).quotations
}

/// Quotations and unbalanced marks of one article.
#[derive(Debug, Default)]
pub struct Scan {
    pub quotations: Vec<Quotation>,
    /// Quotation marks that never close (or close nothing).
    pub unbalanced: Vec<Span>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fam {
    /// `"`, `“`, `”`, `„`, `«`, `»`
    Double,
    /// `‘`
    Single,
    /// ASCII `'`
    Ascii,
}

#[derive(Clone, Copy, Debug)]
struct Open {
    pos: usize,
    len: usize,
    ch: char,
    fam: Fam,
}

#[derive(Clone, Debug)]
struct Raw {
    outer: Span,
    /// Content (before trimming).
    inner: Span,
    lost_open: bool,
}

fn is_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '«' | '»' | '‘' | '’' | '\'' | '‟' | '‹' | '›'
    )
}

/// The next byte at or after `from` that may start a quotation mark: `"`,
/// `'`, or the lead byte of `«` `»` (0xC2) or of the curly marks, `‹` `›`
/// and `‟` (0xE2). Lead bytes and ASCII are char boundaries.
fn next_mark_byte(b: &[u8], from: usize) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&x| matches!(x, b'"' | b'\'' | 0xC2 | 0xE2))
        .map(|i| from + i)
}

fn opening_context(c: char) -> bool {
    c.is_whitespace() || "([{—–-/<*_>:;".contains(c) || is_mark(c)
}

fn closing_context(c: char) -> bool {
    c.is_whitespace() || ".,;:!?)]}—–-…/*_>".contains(c) || is_mark(c)
}

/// Paragraph spans: the article's, or blank-line blocks when the article
/// model has none (hand-built articles).
fn paragraphs(text: &str, art: &Article) -> Vec<Span> {
    if !art.paragraphs.is_empty() {
        return art.paragraphs.clone();
    }
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        if blank {
            if let Some(s) = start.take() {
                out.push(s..trim_end(text, pos));
            }
        } else if start.is_none() {
            start = Some(pos + (line.len() - line.trim_start().len()));
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(s..trim_end(text, text.len()));
    }
    out
}

fn trim_end(text: &str, end: usize) -> usize {
    text[..end].trim_end().len()
}

/// Trim a span of white space (and nothing else).
pub(crate) fn trim_span(text: &str, s: Span) -> Span {
    let slice = &text[s.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail >= slice.len() {
        return s.start..s.start;
    }
    s.start + lead..s.end - trail
}

/// Where the content of a paragraph begins: after block-quote `>` markers,
/// list bullets are kept (a dash line is text).
fn content_start(text: &str, para: &Span) -> usize {
    let mut i = para.start;
    let b = text.as_bytes();
    while i < para.end && (b[i] == b'>' || b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    i
}

/// Does the paragraph open with an opening quotation mark (a continuation
/// of a quote from the previous paragraph)?
fn opens_with_mark(text: &str, para: &Span) -> Option<(usize, usize)> {
    let i = content_start(text, para);
    let c = text[i..para.end].chars().next()?;
    if matches!(c, '"' | '“' | '„' | '«' | '”') {
        let next = text[i + c.len_utf8()..para.end].chars().next();
        if next.is_some_and(|n| !n.is_whitespace()) {
            return Some((i, c.len_utf8()));
        }
    }
    None
}

struct Skips<'a> {
    spans: &'a [Span],
    k: usize,
}

impl Skips<'_> {
    /// Is `pos` inside a skipped region? Positions must be asked in order.
    fn skipped(&mut self, pos: usize) -> bool {
        while self.k < self.spans.len() && self.spans[self.k].end <= pos {
            self.k += 1;
        }
        self.k < self.spans.len() && self.spans[self.k].start <= pos
    }
}

pub fn scan(text: &str, art: &Article, _opts: &AnalysisOptions) -> Scan {
    let paras = paragraphs(text, art);
    let mut skipped: Vec<Span> = art.skipped.clone();
    skipped.sort_by_key(|s| s.start);
    let mut skips = Skips {
        spans: &skipped,
        k: 0,
    };
    let mut raws: Vec<Raw> = Vec::new();
    let mut unbalanced: Vec<Span> = Vec::new();
    // Open double quotes carried from the previous paragraph.
    let mut carried: Vec<Open> = Vec::new();

    for (pi, para) in paras.iter().enumerate() {
        if para.start >= para.end || para.end > text.len() {
            continue;
        }
        let mut stack: Vec<Open> = std::mem::take(&mut carried);
        let mut skip_first: Option<usize> = None;
        if !stack.is_empty() {
            // The continuation mark that opens this paragraph is not a new quote.
            if let Some((pos, _)) = opens_with_mark(text, para) {
                skip_first = Some(pos);
            }
        }
        // Quotes completed in this paragraph at depth 0 (for lost openings).
        let mut last_top_close: Option<usize> = None;
        let para_text = &text[para.clone()];
        let mut scan_at = 0usize;
        while let Some(off) = next_mark_byte(para_text.as_bytes(), scan_at) {
            let c = para_text[off..].chars().next().unwrap_or(' ');
            let len = c.len_utf8();
            scan_at = off + len;
            let pos = para.start + off;
            if !is_mark(c) || skips.skipped(pos) || Some(pos) == skip_first {
                continue;
            }
            let next = para_text[off + len..].chars().next();
            let this_prev = text[..pos].chars().next_back();
            let after = &para_text[off + len..];
            let at_end = after.trim().is_empty()
                || after
                    .trim_start()
                    .chars()
                    .all(|x| x.is_whitespace() || x == '*' || x == '_');
            let p_open = this_prev.is_none_or(opening_context);
            let opens = !at_end && next.is_some_and(|n| !n.is_whitespace()) && p_open;
            let closes = at_end
                || (this_prev.is_some_and(|p| !p.is_whitespace())
                    && next.is_none_or(closing_context))
                || (this_prev.is_some_and(|p| p.is_whitespace())
                    && next.is_some_and(|n| ".,;:!?)]}".contains(n)));
            let has_double = stack.iter().any(|o| o.fam == Fam::Double);
            // A line that opens with a mark while a quote from an earlier
            // line is open continues that quote (one quote per line, as in
            // multi-paragraph quotations).
            let line_start = para_text[..off]
                .rfind('\n')
                .map(|n| para.start + n + 1)
                .filter(|&ls| {
                    text[ls..pos]
                        .trim_matches(|c: char| c.is_whitespace() || c == '>')
                        .is_empty()
                });
            // `"First sentence. "Second sentence."`: paragraphs of one
            // quotation joined on one line keep their opening marks.
            if matches!(c, '"' | '“')
                && opens
                && next.is_some_and(char::is_uppercase)
                && !cue_follows(&para_text[off + len..])
                && this_prev.is_some_and(char::is_whitespace)
                && stack.last().is_some_and(|o| o.fam == Fam::Double)
                && para_text[..off]
                    .trim_end()
                    .chars()
                    .next_back()
                    .is_some_and(|p| ".?!".contains(p))
            {
                continue;
            }
            if let Some(ls) = line_start {
                if opens
                    && matches!(c, '"' | '“' | '„' | '«')
                    && stack
                        .last()
                        .is_some_and(|o| o.fam == Fam::Double && o.pos < ls)
                {
                    continue;
                }
            }
            let mk = Open {
                pos,
                len,
                ch: c,
                fam: Fam::Double,
            };
            match c {
                '"' => {
                    // `them, "the officer said`: a closing mark after
                    // punctuation and a space.
                    let before = para_text[..off].trim_end().chars().next_back();
                    let after_punct = this_prev.is_some_and(char::is_whitespace)
                        && (before == Some(',')
                            || before.is_some_and(|p| ".!?".contains(p))
                                && (!next.is_some_and(char::is_uppercase)
                                    || cue_follows(&para_text[off + len..])));
                    if (closes || after_punct) && has_double {
                        close_double(&mut stack, pos, len, &mut raws, &mut unbalanced);
                        if stack.is_empty() && long_last(text, &raws) {
                            last_top_close = Some(pos + len);
                        }
                    } else if opens {
                        stack.push(mk);
                    } else if has_double {
                        close_double(&mut stack, pos, len, &mut raws, &mut unbalanced);
                        if stack.is_empty() && long_last(text, &raws) {
                            last_top_close = Some(pos + len);
                        }
                    } else if closes && !this_prev.is_some_and(|p| p.is_ascii_digit()) {
                        // A closing ASCII mark that closes nothing (inches after
                        // a digit are not marks).
                        unbalanced.push(pos..pos + len);
                    }
                }
                '“' | '„' | '«' | '‟' | '‹' => {
                    let fam = if c == '‹' { Fam::Single } else { Fam::Double };
                    let mk = Open { fam, ..mk };
                    let reversed_close = c == '«' && stack.iter().any(|o| o.ch == '»');
                    if (opens && !closes) || (c == '„' && !at_end) {
                        stack.push(mk);
                    } else if closes && (has_double || reversed_close) {
                        close_double(&mut stack, pos, len, &mut raws, &mut unbalanced);
                        if stack.is_empty() && long_last(text, &raws) {
                            last_top_close = Some(pos + len);
                        }
                    } else if at_end || (closes && c == '“') {
                        // A wrong-shaped closing mark with no opening: the
                        // opening mark was lost.
                        raws.push(lost_opening(text, art, para, last_top_close, pos, len));
                        unbalanced.push(pos..pos + len);
                        last_top_close = Some(pos + len);
                    } else {
                        stack.push(mk);
                    }
                }
                '”' | '»' | '›' => {
                    if has_double {
                        close_double(&mut stack, pos, len, &mut raws, &mut unbalanced);
                        if stack.is_empty() && long_last(text, &raws) {
                            last_top_close = Some(pos + len);
                        }
                    } else if opens && !closes {
                        // `”…”` (Swedish) or `»…«` (German).
                        stack.push(mk);
                    } else if c == '”' {
                        raws.push(lost_opening(text, art, para, last_top_close, pos, len));
                        unbalanced.push(pos..pos + len);
                        last_top_close = Some(pos + len);
                    } else {
                        unbalanced.push(pos..pos + len);
                    }
                }
                '‘' => {
                    let elision = next.is_some_and(|n| n.is_ascii_digit());
                    if opens && !elision {
                        stack.push(Open {
                            fam: Fam::Single,
                            ..mk
                        });
                    }
                }
                '’' | '\'' => {
                    let fam = if c == '\'' { Fam::Ascii } else { Fam::Single };
                    let top_single = stack.last().is_some_and(|o| o.fam == fam);
                    let word_after = next.is_some_and(|n| n.is_alphanumeric());
                    let short_ascii = c == '\''
                        && stack.last().is_some_and(|o| {
                            text[o.pos + o.len..pos]
                                .chars()
                                .filter(|x| x.is_alphanumeric())
                                .count()
                                < 2
                        });
                    if top_single
                        && closes
                        && !word_after
                        && !short_ascii
                        && !plural_possessive(para_text, off, c)
                    {
                        let o = stack.pop().expect("top exists");
                        raws.push(Raw {
                            outer: o.pos..pos + len,
                            inner: o.pos + o.len..pos,
                            lost_open: false,
                        });
                        if stack.is_empty() && long_last(text, &raws) {
                            last_top_close = Some(pos + len);
                        }
                    } else if c == '\''
                        && opens
                        && next.is_some_and(|n| n.is_alphabetic())
                        && !this_prev.is_some_and(|p| p.is_alphanumeric())
                    {
                        stack.push(Open {
                            fam: Fam::Ascii,
                            ..mk
                        });
                    }
                }
                _ => {}
            }
        }
        // Singles never cross a paragraph.
        stack.retain(|o| o.fam == Fam::Double);
        if stack.is_empty() && long_last(text, &raws) {
            continue;
        }
        let continues = paras
            .get(pi + 1)
            .is_some_and(|n| opens_with_mark(text, n).is_some());
        if continues {
            carried = stack;
        } else {
            // Unclosed: the quotation runs to the end of the paragraph.
            for o in stack {
                unbalanced.push(o.pos..o.pos + o.len);
                raws.push(Raw {
                    outer: o.pos..para.end,
                    inner: o.pos + o.len..para.end,
                    lost_open: false,
                });
            }
        }
    }
    for o in carried {
        unbalanced.push(o.pos..o.pos + o.len);
        raws.push(Raw {
            outer: o.pos..text.len(),
            inner: o.pos + o.len..text.len(),
            lost_open: false,
        });
    }

    raws.sort_by_key(|r| r.outer.start);
    let blocks = block_quotes(text, art, &paras, &raws);
    raws.extend(blocks);

    let mut quotations = build(text, art, raws);
    unbalanced.sort_by_key(|s| s.start);
    unbalanced.dedup();
    quotations.shrink_to_fit();
    Scan {
        quotations,
        unbalanced,
    }
}

/// Do the next few words read as an attribution (`Arians asked.`, `the
/// officer said`)? Then a mark before them closes a quote.
fn cue_follows(rest: &str) -> bool {
    rest.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
        .take(5)
        .any(|w| super::attribution::is_speech_verb(&super::lower::Lower::of(w)))
}

/// Was the quotation closed last longer than a scare quote? (A lost
/// opening mark looks back to the last such quotation.)
fn long_last(text: &str, raws: &[Raw]) -> bool {
    raws.last()
        .is_some_and(|r| !scare_shaped(&text[r.inner.clone()]))
}

/// `the countries’ leaders`: an `s’` followed by a lower-case word, with
/// another candidate closing mark a little further on in the paragraph.
fn plural_possessive(para: &str, off: usize, c: char) -> bool {
    let before = para[..off].chars().next_back();
    if !matches!(before, Some('s') | Some('S')) {
        return false;
    }
    let rest = &para[off + c.len_utf8()..];
    let mut chars = rest.chars();
    if chars.next() != Some(' ') || !chars.next().is_some_and(|n| n.is_lowercase()) {
        return false;
    }
    let window: String = rest.chars().take(200).collect();
    window.char_indices().any(|(i, x)| {
        x == c
            && window[i + x.len_utf8()..]
                .chars()
                .next()
                .is_none_or(|n| !n.is_alphanumeric())
    })
}

fn close_double(
    stack: &mut Vec<Open>,
    pos: usize,
    len: usize,
    raws: &mut Vec<Raw>,
    unbalanced: &mut Vec<Span>,
) {
    while let Some(o) = stack.pop() {
        if o.fam == Fam::Double {
            raws.push(Raw {
                outer: o.pos..pos + len,
                inner: o.pos + o.len..pos,
                lost_open: false,
            });
            return;
        }
        // Single marks left open inside were apostrophes; nothing to report.
        let _ = unbalanced;
    }
}

/// A closing mark that closes nothing: the quotation's opening mark was
/// lost. Its content starts at the first boundary (sentence start, `. `,
/// `: `) after the previous quotation of the paragraph, or after the last
/// colon or dash of its own sentence.
fn lost_opening(
    text: &str,
    art: &Article,
    para: &Span,
    last_close: Option<usize>,
    pos: usize,
    len: usize,
) -> Raw {
    let para_start = content_start(text, para);
    let content_end = trim_span(text, para_start..pos).end;
    // The final punctuation of the quoted sentence is not a boundary.
    let search_end = text[..content_end]
        .char_indices()
        .next_back()
        .map(|(i, ch)| if ".!?,".contains(ch) { i } else { content_end })
        .unwrap_or(content_end)
        .max(para_start);
    let start = match last_close {
        Some(lc) if lc < search_end => {
            let region = &text[lc..search_end];
            let mut best: Option<usize> = None;
            for (i, ch) in region.char_indices() {
                if matches!(ch, '.' | '!' | '?' | ':') && region[i + 1..].starts_with(' ') && i > 0
                {
                    best = Some(lc + i + 2);
                    break;
                }
            }
            // A sentence of the article model that starts earlier wins.
            if let Some(s) = art
                .sentences
                .get(art.sentences.partition_point(|s| s.span.start <= lc))
                .filter(|s| s.span.start < search_end)
            {
                best = Some(best.map_or(s.span.start, |b| b.min(s.span.start)));
            }
            best.unwrap_or(lc)
        }
        _ => {
            let sent_start = art
                .sentence_at(pos.saturating_sub(1))
                .map(|s| art.sentences[s].span.start.max(para_start))
                .unwrap_or(para_start);
            let region = &text[sent_start..search_end.max(sent_start)];
            let mut best = sent_start;
            for (i, ch) in region.char_indices() {
                if matches!(ch, ':' | '–' | '—') && region[i + ch.len_utf8()..].starts_with(' ')
                {
                    best = sent_start + i + ch.len_utf8() + 1;
                }
            }
            best
        }
    };
    let start = start.min(pos);
    Raw {
        outer: start..pos + len,
        inner: start..pos,
        lost_open: true,
    }
}

/// Markdown block quotes (a paragraph whose lines start with `>`), and
/// unmarked block quotes: a paragraph with no quotation mark followed by a
/// dash line that names a speaker with a speech verb.
fn block_quotes(text: &str, art: &Article, paras: &[Span], raws: &[Raw]) -> Vec<Raw> {
    let mut out = Vec::new();
    // Marked quotations overlapping `span` (raws are sorted by start).
    let overlapping = |span: &Span| -> Vec<&Raw> {
        let i = raws.partition_point(|r| r.outer.start < span.start);
        let mut v: Vec<&Raw> = raws[..i]
            .iter()
            .rev()
            .take(8)
            .filter(|r| r.outer.end > span.start)
            .collect();
        v.extend(raws[i..].iter().take_while(|r| r.outer.start < span.end));
        v
    };
    for (pi, para) in paras.iter().enumerate() {
        let ptext = &text[para.clone()];
        let first = ptext.trim_start();
        if first.starts_with('>') {
            // Content from after the first `>` to the end, without a final
            // attribution line (`> — Name`).
            let mut end = para.end;
            let mut lines: Vec<Span> = Vec::new();
            let mut pos = para.start;
            for line in ptext.split_inclusive('\n') {
                lines.push(pos..pos + line.len());
                pos += line.len();
            }
            if lines.len() > 1 {
                if let Some(last) = lines.last() {
                    let l = text[last.clone()]
                        .trim_start()
                        .trim_start_matches('>')
                        .trim();
                    if l.starts_with(['—', '–', '-']) || l.starts_with("--") {
                        end = last.start;
                    }
                }
            }
            let start = content_start(text, para);
            let inner = trim_span(text, start..end);
            if inner.is_empty() {
                continue;
            }
            // A block quote made of one marked quotation is that quotation.
            let marked: usize = overlapping(&inner)
                .iter()
                .filter(|r| r.outer.start >= inner.start && r.outer.end <= inner.end + 4)
                .map(|r| r.outer.len())
                .sum();
            if marked * 10 >= inner.len() * 6 {
                continue;
            }
            out.push(Raw {
                outer: inner.clone(),
                inner,
                lost_open: false,
            });
            continue;
        }
        // Unmarked block quote followed by a dash line.
        let Some(next) = paras.get(pi + 1) else {
            continue;
        };
        let ntext = text[next.clone()].trim_start();
        if !ntext.starts_with(['-', '–', '—']) {
            continue;
        }
        let inner = trim_span(text, content_start(text, para)..para.end);
        let itext = &text[inner.clone()];
        if itext.split_whitespace().count() < 4
            || itext.chars().any(is_mark_strict)
            || itext.ends_with(':')
            || itext.starts_with(['-', '–', '—', '#', '*', '|'])
        {
            continue;
        }
        if !overlapping(&inner).is_empty() {
            continue;
        }
        let line_end = text[next.start..next.end]
            .find('\n')
            .map_or(next.end, |i| next.start + i);
        if super::attribution::dash_line_speaker(text, art, next.start..line_end).is_some() {
            out.push(Raw {
                outer: inner.clone(),
                inner,
                lost_open: false,
            });
        }
    }
    out
}

fn is_mark_strict(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

/// Words in a quoted span (runs of letters and digits).
pub(crate) fn word_count(s: &str) -> usize {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// A scare quote by shape: one to three words with no finite verb (a
/// subject pronoun or a question makes a clause).
pub(crate) fn scare_shaped(s: &str) -> bool {
    let words = s
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(4)
        .count();
    if words > 3 {
        return false;
    }
    if s.trim_end().ends_with('?') || s.trim_end().ends_with('!') {
        return false;
    }
    let clause = s.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            &*super::lower::Lower::of(w),
            "i" | "we" | "you" | "he" | "she" | "they"
        )
    });
    !clause
}

/// Whether a quoted span is shaped like a title or a name, not a
/// statement: two to six words, each capitalised bar short function words
/// (`Free Speech Day`, `Million Dollar Baby`, `The Return of the King`),
/// with no closing punctuation of a sentence.
pub(crate) fn title_shaped(s: &str) -> bool {
    let s = s.trim();
    if s.ends_with(['.', ',', '!', '?', ':', ';']) {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if !(2..=6).contains(&words.len()) {
        return false;
    }
    let mut caps = 0;
    for w in &words {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(c) = w.chars().next() else {
            return false;
        };
        if c.is_uppercase() {
            caps += 1;
        } else if !(c.is_ascii_digit()
            || matches!(
                w,
                "and" | "of" | "the" | "a" | "an" | "in" | "on" | "for" | "to" | "at" | "by" | "or"
            ))
        {
            return false;
        }
    }
    caps >= 2
}

fn build(text: &str, art: &Article, mut raws: Vec<Raw>) -> Vec<Quotation> {
    raws.retain(|r| r.outer.start < r.outer.end && r.outer.end <= text.len());
    raws.sort_by(|a, b| {
        a.outer
            .start
            .cmp(&b.outer.start)
            .then(b.outer.end.cmp(&a.outer.end))
    });
    raws.dedup_by(|a, b| a.outer == b.outer);
    let mut out: Vec<Quotation> = Vec::with_capacity(raws.len());
    let mut stack: Vec<usize> = Vec::new();
    for r in raws {
        let span = trim_span(text, r.inner.clone());
        if span.is_empty() || !text[span.clone()].chars().any(char::is_alphanumeric) {
            continue;
        }
        while let Some(&top) = stack.last() {
            if out[top].outer.end <= r.outer.start {
                stack.pop();
            } else {
                break;
            }
        }
        let nested_in = stack
            .last()
            .copied()
            .filter(|&t| out[t].outer.end >= r.outer.end);
        let sentence = sentence_of(art, span.start);
        let scare = scare_shaped(&text[span.clone()]) && !r.lost_open;
        out.push(Quotation {
            span,
            outer: r.outer.clone(),
            kind: if scare {
                QuoteKind::ScareQuote
            } else {
                QuoteKind::Quotation
            },
            status: if scare {
                None
            } else {
                Some(QuoteStatus::Unattributed)
            },
            speaker: None,
            speaker_as_written: None,
            cue: None,
            sentence,
            nested_in,
        });
        stack.push(out.len() - 1);
    }
    out
}

/// The sentence holding `offset`, or the nearest one before it.
pub(crate) fn sentence_of(art: &Article, offset: usize) -> usize {
    if let Some(s) = art.sentence_at(offset) {
        return s;
    }
    art.sentences
        .partition_point(|s| s.span.start <= offset)
        .saturating_sub(1)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::Sentence;

    /// A hand-built article: paragraphs split on blank lines, sentences on
    /// `. `, `? `, `! ` followed by an upper-case letter or a mark.
    pub(crate) fn article(text: &str) -> Article {
        let mut art = Article::default();
        art.paragraphs = paragraphs(text, &art);
        for (pi, p) in art.paragraphs.clone().into_iter().enumerate() {
            let mut start = p.start;
            let pt = &text[p.clone()];
            let idx: Vec<(usize, char)> = pt.char_indices().collect();
            for w in 0..idx.len() {
                let (i, c) = idx[w];
                if !matches!(c, '.' | '?' | '!') {
                    continue;
                }
                // Absorb closing marks after the full stop.
                let mut k = w + 1;
                while k < idx.len() && matches!(idx[k].1, '"' | '”' | '’' | ')') {
                    k += 1;
                }
                if k + 1 < idx.len()
                    && idx[k].1 == ' '
                    && (idx[k + 1].1.is_uppercase() || is_mark(idx[k + 1].1))
                {
                    let end = p.start + idx[k].0;
                    let _ = i;
                    art.sentences.push(Sentence {
                        span: start..end,
                        paragraph: pi,
                    });
                    start = p.start + idx[k + 1].0;
                }
            }
            art.sentences.push(Sentence {
                span: start..p.end,
                paragraph: pi,
            });
        }
        art
    }

    fn texts(text: &str) -> Vec<String> {
        let art = article(text);
        find(text, &art, &AnalysisOptions::default())
            .into_iter()
            .map(|q| text[q.span].to_string())
            .collect()
    }

    #[test]
    fn pairs_all_mark_shapes() {
        let t = "She said \"we stay here\" and “we go there” and «nous restons» and „wir bleiben“ and ‘we leave now’.";
        assert_eq!(
            texts(t),
            vec![
                "we stay here",
                "we go there",
                "nous restons",
                "wir bleiben",
                "we leave now"
            ]
        );
    }

    #[test]
    fn apostrophes_are_not_marks() {
        let t = "Europe’s leaders don't agree, and the ’90s were different. It isn’t over.";
        assert!(texts(t).is_empty());
        let t = "The ministers’ report, he said, was ‘completely wrong’ on Tuesday.";
        assert_eq!(texts(t), vec!["completely wrong"]);
    }

    #[test]
    fn ascii_single_quotes_only_when_paired() {
        let t = "They met at the 'Blue Lagoon' hotel. It's the players' lounge and rock 'n' roll.";
        assert_eq!(texts(t), vec!["Blue Lagoon"]);
    }

    #[test]
    fn wrong_shaped_and_mixed_closing_marks() {
        let t = "The mayor said: “We will rebuild the bridge and we will do it fast. “";
        assert_eq!(
            texts(t),
            vec!["We will rebuild the bridge and we will do it fast."]
        );
        let t = "The agency wrote “the river will rise by morning and roads will close\"";
        assert_eq!(
            texts(t),
            vec!["the river will rise by morning and roads will close"]
        );
        let t = "“Prices keep rising in every district of the town, ”said the mayor.";
        assert_eq!(
            texts(t),
            vec!["Prices keep rising in every district of the town,"]
        );
    }

    #[test]
    fn nested_quotes_keep_the_outer_span() {
        let t = "“The so-called “reform” is a “disaster” for farmers. “";
        let art = article(t);
        let q = find(t, &art, &AnalysisOptions::default());
        assert_eq!(q.len(), 3);
        assert_eq!(
            &t[q[0].span.clone()],
            "The so-called “reform” is a “disaster” for farmers."
        );
        assert_eq!(q[1].nested_in, Some(0));
        assert_eq!(q[2].nested_in, Some(0));
        assert_eq!(&t[q[2].span.clone()], "disaster");
        assert_eq!(q[1].kind, QuoteKind::ScareQuote);
    }

    #[test]
    fn quotes_run_across_paragraphs() {
        let t = "“The first part of the speech goes here.\n\n“And the second part ends here,” she said.";
        let art = article(t);
        let s = scan(t, &art, &AnalysisOptions::default());
        assert_eq!(s.quotations.len(), 1);
        assert!(s.unbalanced.is_empty());
        assert!(t[s.quotations[0].span.clone()].ends_with("ends here,"));
        assert_eq!(s.quotations[0].outer.start, 0);
    }

    #[test]
    fn unclosed_marks_are_unbalanced() {
        let t = "He said “this will never end and nobody can stop it.\n\nThe meeting closed.";
        let art = article(t);
        let s = scan(t, &art, &AnalysisOptions::default());
        assert_eq!(s.unbalanced, vec![8..11]);
        assert_eq!(s.quotations.len(), 1);
        assert_eq!(
            &t[s.quotations[0].span.clone()],
            "this will never end and nobody can stop it."
        );
    }

    #[test]
    fn lost_opening_mark_after_a_cue() {
        let t = "“We are not ready,” the mayor said on Monday. the bridge cannot open before spring. “\n\nNext paragraph.";
        let art = article(t);
        let s = scan(t, &art, &AnalysisOptions::default());
        let got: Vec<&str> = s.quotations.iter().map(|q| &t[q.span.clone()]).collect();
        assert_eq!(
            got,
            vec!["We are not ready,", "the bridge cannot open before spring."]
        );
        assert_eq!(s.unbalanced.len(), 1);
    }

    #[test]
    fn marks_in_skipped_regions_are_ignored() {
        let t = "Run `echo \"hi there friend\"` now, she wrote “fine”.";
        let mut art = article(t);
        art.skipped.push(4..28);
        assert_eq!(
            find(t, &art, &AnalysisOptions::default())
                .into_iter()
                .map(|q| t[q.span].to_string())
                .collect::<Vec<_>>(),
            vec!["fine"]
        );
    }

    #[test]
    fn markdown_block_quote() {
        let t = "The minister said:\n\n> We will cut taxes next year.\n> Nobody will pay more.\n\nThe end.";
        let art = article(t);
        let q = find(t, &art, &AnalysisOptions::default());
        assert_eq!(q.len(), 1);
        assert_eq!(
            &t[q[0].span.clone()],
            "We will cut taxes next year.\n> Nobody will pay more."
        );
    }

    #[test]
    fn unmarked_block_quote_needs_a_dash_line_with_a_speech_verb() {
        let t = "We are closing the office in the capital. Staff will leave by May\n\n- Smith stressed, adding that talks would go on.";
        assert_eq!(
            texts(t),
            vec!["We are closing the office in the capital. Staff will leave by May"]
        );
        let t = "The plan has three parts and a budget.\n\n- a new road\n- a bridge";
        assert!(texts(t).is_empty());
    }

    #[test]
    fn closing_mark_after_punctuation_and_space() {
        let t = "\"The ferry turned back and stopped, \"the captain said on the radio.";
        assert_eq!(texts(t), vec!["The ferry turned back and stopped,"]);
        let t = "\"Could we have won without him? \"Ames asked. \"No.\"";
        assert_eq!(texts(t), vec!["Could we have won without him?", "No."]);
        let t = "\"It was a long night, \"Ferris said. \"We are tired.\"";
        assert_eq!(texts(t), vec!["It was a long night,", "We are tired."]);
    }

    #[test]
    fn joined_paragraphs_keep_their_opening_marks() {
        let t = "\"We played well. \"The second half was better. \"We will win the next one.\"";
        assert_eq!(
            texts(t),
            vec!["We played well. \"The second half was better. \"We will win the next one."]
        );
        let t =
            "\"We played well.\nThe crowd was loud.\n\"We will win the next one,\" said the coach.";
        assert_eq!(texts(t).len(), 1);
    }

    #[test]
    fn scare_shape() {
        assert!(title_shaped("Free Speech and Press Day"));
        assert!(title_shaped("The Return of the King"));
        assert!(!title_shaped("Free speech matters"));
        assert!(!title_shaped("We Will Win."));
        assert!(!title_shaped("Osland"));
        assert!(scare_shaped("big game"));
        assert!(scare_shaped("does not succeed"));
        assert!(!scare_shaped("we will win"));
        assert!(!scare_shaped("from the other side"));
        assert!(!scare_shaped("Why?"));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "\"",
            "“",
            "”",
            "'",
            "‘’",
            "«»",
            "\"\"\"",
            "a\"b\"c",
            "“\n\n“\n\n“",
            "😀“😀”😀",
            "> ",
            ">",
            "\r\n“x”\r\n",
            "- said he\n\n- ok",
        ] {
            let art = article(t);
            let _ = scan(t, &art, &AnalysisOptions::default());
        }
    }
}
