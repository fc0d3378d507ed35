//! Article model: front matter, title, skipped regions, paragraphs, sentences.
//!
//! Everything is a byte span into the text. The scanners are hand-written
//! (one pass per concern); the few regexes are compiled once.
//!
//! Choices worth knowing:
//! * Paragraphs are runs of non-blank lines. A line that is entirely inside
//!   a skipped region (front matter, code, a comment, a footnote definition,
//!   a lone URL) separates paragraphs like a blank line. With Markdown,
//!   headings and list items are paragraphs of their own.
//! * A sentence broken by a blank line (a paragraph that ends without
//!   terminal punctuation, followed by one whose first letter is lowercase)
//!   is one [`Sentence`] spanning both paragraphs; its `paragraph` is the
//!   first one. Paragraphs stay separate.
//! * Sentence ends: `.`, `!`, `?`, `…` (and `؟`, `。`) followed by closing
//!   marks, footnote references or a source note, then whitespace or the
//!   paragraph end. Not an end: abbreviations (`Mr.`, `U.S.`, `Dec. 24`),
//!   initials (`J. K.`), decimals (`2.5`), a lowercase continuation, a stop
//!   inside an open quotation that does not close right after it.

use super::lexicon::{AbbrKind, ABBREVIATIONS, SENTENCE_OPENERS};
use super::{AnalysisOptions, Article, Footnote, Meta, Sentence, Span};
use regex::Regex;
use std::sync::LazyLock;

/// URLs and e-mail addresses (skipped in every mode).
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?-u:\b)(?:(?:https?|ftp)://|www\.)[^\s<>()\[\]{}"'“”«»]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"#,
    )
    .expect("url regex")
});

/// Markdown reference definitions `[label]: target`.
static REF_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}\[[^\]^][^\]]*\]:\s*\S").expect("refdef regex"));

/// Parse an article.
pub fn parse(text: &str, opts: &AnalysisOptions) -> Article {
    let mut art = Article::default();
    let lines = lines(text);
    let mut skipped: Vec<Span> = Vec::new();

    // Front matter.
    let mut first_body_line = 0;
    if let Some((span, end_line)) = front_matter(text, &lines) {
        art.meta = parse_front_matter(&text[span.clone()]);
        art.front_matter = Some(span.clone());
        skipped.push(span);
        first_body_line = end_line;
    }

    // Block-level regions (line based) and inline regions.
    let mut kinds = vec![LineKind::Text; lines.len()];
    if opts.markdown {
        markdown_blocks(
            text,
            &lines,
            first_body_line,
            &mut kinds,
            &mut skipped,
            &mut art,
        );
    }
    for (i, l) in lines.iter().enumerate().skip(first_body_line) {
        if kinds[i] == LineKind::Text && opts.markdown {
            inline_markdown(text, l.clone(), &mut skipped);
        }
    }
    html_comments(text, &mut skipped);
    for m in url_windows(text).into_iter().flat_map(|w| {
        URL.find_iter(&text[w.clone()])
            .map(move |m| (w.start + m.start(), w.start + m.end()))
    }) {
        let m = Match(m.0, m.1);
        let mut end = m.end();
        // Trailing punctuation belongs to the sentence, not the URL.
        while end > m.start() {
            let c = text[..end].chars().next_back().unwrap_or(' ');
            if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | '’' | '*' | '_') {
                end -= c.len_utf8();
            } else {
                break;
            }
        }
        if end > m.start() {
            skipped.push(m.start()..end);
        }
    }
    art.skipped = merge(skipped);

    // Paragraphs.
    let mut para_kinds: Vec<LineKind> = Vec::new();
    let mut cur: Option<(usize, usize, LineKind)> = None; // start, end, kind
    for (i, l) in lines.iter().enumerate() {
        let (cs, ce) = trim_span(text, l.clone());
        let blank = cs >= ce || all_skipped(text, &art.skipped, cs..ce) || i < first_body_line;
        if blank || matches!(kinds[i], LineKind::Fence | LineKind::Code) {
            if let Some((s, e, k)) = cur.take() {
                art.paragraphs.push(s..e);
                para_kinds.push(k);
            }
            continue;
        }
        let k = kinds[i];
        let starts_new = matches!(k, LineKind::Heading | LineKind::ListItem);
        let prev_heading = matches!(cur, Some((_, _, LineKind::Heading)));
        if starts_new || prev_heading {
            if let Some((s, e, pk)) = cur.take() {
                art.paragraphs.push(s..e);
                para_kinds.push(pk);
            }
        }
        match cur.as_mut() {
            Some((_, e, _)) => *e = ce,
            None => cur = Some((cs, ce, k)),
        }
    }
    if let Some((s, e, k)) = cur.take() {
        art.paragraphs.push(s..e);
        para_kinds.push(k);
    }

    // Sentences.
    for (pi, p) in art.paragraphs.iter().enumerate() {
        let joins = pi > 0
            && !matches!(para_kinds[pi - 1], LineKind::Heading)
            && !matches!(para_kinds[pi], LineKind::Heading | LineKind::ListItem)
            && continues_sentence(text, &art.paragraphs[pi - 1], p);
        let mut spans = split_sentences(text, p.clone(), &art.skipped);
        if joins {
            if let (Some(last), false) = (art.sentences.last_mut(), spans.is_empty()) {
                let first = spans.remove(0);
                last.span.end = first.end;
            }
        }
        art.sentences.extend(spans.into_iter().map(|span| Sentence {
            span,
            paragraph: pi,
        }));
    }

    // Title.
    if art.meta.title.is_none() {
        let heading = lines
            .iter()
            .enumerate()
            .find(|(i, _)| kinds[*i] == LineKind::Heading && *i >= first_body_line);
        let title = match heading {
            Some((_, l)) => {
                let (s, e) = trim_span(text, l.clone());
                Some(text[s..e].trim_start_matches('#').trim().to_string())
            }
            None => art.paragraphs.first().map(|p| {
                let first_line = text[p.clone()].lines().next().unwrap_or("");
                first_line.trim().to_string()
            }),
        };
        art.meta.title = title.filter(|t| !t.is_empty());
    }
    art
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Text,
    Heading,
    ListItem,
    /// A fence line or a line inside fenced code.
    Fence,
    /// Indented code.
    Code,
    /// Footnote or reference definition.
    Definition,
}

/// A regex match moved into the whole text.
struct Match(usize, usize);

impl Match {
    fn start(&self) -> usize {
        self.0
    }
    fn end(&self) -> usize {
        self.1
    }
}

/// Windows (whitespace to whitespace) around `://`, `www.` and `@`: URLs
/// and e-mail addresses hold one, so the URL regex reads only these.
fn url_windows(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out: Vec<Span> = Vec::new();
    let mut push = |at: usize| {
        let mut s = at;
        while s > 0 && !b[s - 1].is_ascii_whitespace() {
            s -= 1;
        }
        let mut e = at;
        while e < b.len() && !b[e].is_ascii_whitespace() {
            e += 1;
        }
        match out.last_mut() {
            Some(last) if s <= last.end => last.end = last.end.max(e),
            _ => out.push(s..e),
        }
    };
    for m in URL_HINT.find_iter(text) {
        push(m.start());
    }
    out
}

/// Line spans without their line terminators.
fn lines(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' {
            let end = if i > start && b[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push(start..end);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn trim_span(text: &str, s: Span) -> (usize, usize) {
    let t = &text[s.clone()];
    let lead = t.len() - t.trim_start().len();
    let trail = t.len() - t.trim_end().len();
    if lead == t.len() {
        return (s.start, s.start);
    }
    (s.start + lead, s.end - trail)
}

/// Is every non-space character of `s` inside the (merged, sorted) spans?
fn all_skipped(text: &str, spans: &[Span], s: Span) -> bool {
    let mut pos = s.start;
    let mut i = spans.partition_point(|x| x.end <= s.start);
    while pos < s.end {
        let c = text[pos..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            pos += c.len_utf8();
            continue;
        }
        while i < spans.len() && spans[i].end <= pos {
            i += 1;
        }
        if i < spans.len() && spans[i].start <= pos {
            pos = spans[i].end;
        } else {
            return false;
        }
    }
    true
}

fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| s.start < s.end);
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// `---` front matter at the very start (after an optional BOM). Returns the
/// span (closing line included) and the index of the first line after it.
fn front_matter(text: &str, lines: &[Span]) -> Option<(Span, usize)> {
    let first = lines.first()?;
    let l0 = text[first.clone()].trim_start_matches('\u{feff}');
    if l0.trim_end() != "---" {
        return None;
    }
    for (i, l) in lines.iter().enumerate().skip(1) {
        let t = text[l.clone()].trim_end();
        if t == "---" || t == "..." {
            return Some((0..l.end, i + 1));
        }
    }
    None
}

fn parse_front_matter(block: &str) -> Meta {
    let mut meta = Meta::default();
    for line in block.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
            .unwrap_or(v)
            .trim();
        if v.is_empty() {
            continue;
        }
        let slot = match k.trim().to_ascii_lowercase().as_str() {
            "title" => &mut meta.title,
            "outlet" | "publication" | "source" => &mut meta.outlet,
            "date" => &mut meta.date,
            "url" | "link" => &mut meta.url,
            "author" | "byline" => &mut meta.author,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(v.to_string());
        }
    }
    meta
}

/// The value of a top-level front matter key (`factlens: ignore`).
pub fn front_matter_value<'t>(text: &'t str, art: &Article, key: &str) -> Option<&'t str> {
    let span = art.front_matter.clone()?;
    text.get(span)?.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim().eq_ignore_ascii_case(key) && !line.starts_with([' ', '\t']))
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}

fn indent_width(s: &str) -> usize {
    let mut w = 0;
    for c in s.chars() {
        match c {
            ' ' => w += 1,
            '\t' => w += 4 - w % 4,
            _ => break,
        }
    }
    w
}

fn is_list_item(t: &str) -> bool {
    let t = t.trim_start();
    let b = t.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'-' | b'*' | b'+') && (b[1] == b' ' || b[1] == b'\t') {
        return true;
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0
        && digits <= 9
        && b.len() > digits + 1
        && matches!(b[digits], b'.' | b')')
        && (b[digits + 1] == b' ' || b[digits + 1] == b'\t')
}

fn is_heading(t: &str) -> bool {
    let t = t.trim_start();
    let hashes = t.bytes().take_while(|&c| c == b'#').count();
    (1..=6).contains(&hashes)
        && indent_width(t) == 0
        && t[hashes..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
}

/// Fenced and indented code, footnote and reference definitions, headings
/// and list items.
fn markdown_blocks(
    text: &str,
    lines: &[Span],
    from: usize,
    kinds: &mut [LineKind],
    skipped: &mut Vec<Span>,
    art: &mut Article,
) {
    let mut fence: Option<(u8, usize)> = None;
    let mut prev_blank = true;
    let mut in_list = false;
    let mut in_code = false;
    let mut footnote: Option<usize> = None; // index into art.footnotes
    for i in from..lines.len() {
        let l = lines[i].clone();
        let t = &text[l.clone()];
        let trimmed = t.trim_start();
        let blank = trimmed.is_empty();
        if let Some((ch, n)) = fence {
            kinds[i] = LineKind::Fence;
            skipped.push(l.clone());
            let run = trimmed.bytes().take_while(|&c| c == ch).count();
            if run >= n && trimmed[run..].trim().is_empty() && indent_width(t) < 4 {
                fence = None;
            }
            prev_blank = false;
            continue;
        }
        // Footnote continuation: indented lines after a definition.
        if let Some(fi) = footnote {
            if !blank && indent_width(t) >= 2 {
                kinds[i] = LineKind::Definition;
                art.footnotes[fi].span.end = l.end;
                skipped.push(l.clone());
                continue;
            }
            footnote = None;
        }
        if blank {
            prev_blank = true;
            continue;
        }
        let indent = indent_width(t);
        if indent < 4 {
            let run_ch = trimmed.as_bytes()[0];
            if run_ch == b'`' || run_ch == b'~' {
                let run = trimmed.bytes().take_while(|&c| c == run_ch).count();
                if run >= 3 && !(run_ch == b'`' && trimmed[run..].contains('`')) {
                    fence = Some((run_ch, run));
                    kinds[i] = LineKind::Fence;
                    skipped.push(l.clone());
                    in_code = false;
                    prev_blank = false;
                    continue;
                }
            }
        }
        if indent >= 4 && (in_code || (prev_blank && !in_list)) {
            kinds[i] = LineKind::Code;
            skipped.push(l.clone());
            in_code = true;
            prev_blank = false;
            continue;
        }
        in_code = false;
        if indent < 4 && trimmed.starts_with("[^") {
            if let Some(close) = trimmed.find("]:") {
                let label = &trimmed[2..close];
                if !label.is_empty() && !label.contains(char::is_whitespace) {
                    kinds[i] = LineKind::Definition;
                    art.footnotes.push(Footnote {
                        label: label.to_string(),
                        span: l.clone(),
                    });
                    footnote = Some(art.footnotes.len() - 1);
                    skipped.push(l.clone());
                    prev_blank = false;
                    continue;
                }
            }
        }
        if REF_DEF.is_match(t) {
            kinds[i] = LineKind::Definition;
            skipped.push(l.clone());
            prev_blank = false;
            continue;
        }
        if is_heading(t) {
            kinds[i] = LineKind::Heading;
            in_list = false;
        } else if indent < 4 && is_list_item(t) {
            kinds[i] = LineKind::ListItem;
            in_list = true;
        } else if prev_blank && indent == 0 {
            in_list = false;
        }
        prev_blank = false;
    }
}

/// Inline code, link targets `](...)` and autolinks `<...>` of one line.
fn inline_markdown(text: &str, line: Span, skipped: &mut Vec<Span>) {
    let t = &text[line.clone()];
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                i += 2;
                continue;
            }
            b'`' => {
                let run = b[i..].iter().take_while(|&&c| c == b'`').count();
                let needle = &t[i..i + run];
                if let Some(rel) = t[i + run..].find(needle) {
                    let end = i + run + rel + run;
                    skipped.push(line.start + i..line.start + end);
                    i = end;
                    continue;
                }
                i += run;
                continue;
            }
            b']' if b.get(i + 1) == Some(&b'(') => {
                let mut depth = 0usize;
                let mut j = i + 1;
                while j < b.len() {
                    match b[j] {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let end = (j + 1).min(b.len());
                skipped.push(line.start + i + 1..line.start + end);
                i = end;
                continue;
            }
            b'<' => {
                if let Some(rel) = t[i..].find('>') {
                    let inner = &t[i + 1..i + rel];
                    if inner.contains("://") || (inner.contains('@') && !inner.contains(' ')) {
                        skipped.push(line.start + i..line.start + i + rel + 1);
                        i += rel + 1;
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Literal searches go through the regex engine (SIMD literal search).
static COMMENT_OPEN: LazyLock<Regex> = LazyLock::new(|| Regex::new("<!--").expect("literal"));
static COMMENT_CLOSE: LazyLock<Regex> = LazyLock::new(|| Regex::new("-->").expect("literal"));
static URL_HINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("://|www\\.|WWW\\.|@").expect("literal"));

fn html_comments(text: &str, skipped: &mut Vec<Span>) {
    let mut from = 0;
    while let Some(m) = COMMENT_OPEN.find_at(text, from) {
        let s = m.start();
        let e = match COMMENT_CLOSE
            .find_at(text, s + 4)
            .map(|m| m.start() - s - 4)
        {
            Some(r) => s + 4 + r + 3,
            None => text.len(),
        };
        skipped.push(s..e);
        from = e;
    }
}

/// Does paragraph `next` continue the last sentence of `prev` (a sentence
/// broken by a blank line)?
fn continues_sentence(text: &str, prev: &Span, next: &Span) -> bool {
    let p = text[prev.clone()].trim_end();
    let Some(last) = p.chars().next_back() else {
        return false;
    };
    if !(last.is_alphanumeric() || last == ',') {
        return false;
    }
    // A one-line heading-like paragraph (title) does not continue.
    if !p.contains(' ') {
        return false;
    }
    let n = text[next.clone()].trim_start();
    let first_letter = n
        .chars()
        .find(|c| !matches!(c, '"' | '“' | '„' | '«' | '‘' | '\'' | '(' | '*' | '_'));
    first_letter.is_some_and(|c| c.is_lowercase())
}

fn is_opening_quote(c: char) -> bool {
    matches!(c, '“' | '„' | '«' | '"' | '‘')
}

/// The first byte of `b` that can end a sentence or open a quotation
/// (`.`, `!`, `?`, `"`) or starts a non-ASCII character: the sentence
/// splitter's inner loop, eight bytes at a time (a word-wide test for
/// each of the four bytes and for the high bit). The lowest flagged byte
/// of each test is exact (a borrow only flags bytes after a true match),
/// so the lowest of all is the first such byte.
fn next_stop_byte(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let x = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        let m = (x & HIGH)
            | zero(x ^ (ONES * u64::from(b'.')))
            | zero(x ^ (ONES * u64::from(b'!')))
            | zero(x ^ (ONES * u64::from(b'?')))
            | zero(x ^ (ONES * u64::from(b'"')));
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&x| x >= 0x80 || matches!(x, b'.' | b'!' | b'?' | b'"'))
        .map(|p| at + p)
}

/// Split one paragraph into sentence spans.
fn split_sentences(text: &str, para: Span, skipped: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let end = para.end;
    let mut sk = skipped.partition_point(|s| s.end <= para.start);
    let mut start: Option<usize> = None;
    let mut i = para.start;
    // Quote state.
    let mut curly = 0usize;
    let mut guil = 0usize;
    let mut dq = false;

    let mut next_skip = skipped.get(sk).map_or(usize::MAX, |s| s.start);
    while i < end {
        // ASCII fast path: only stops and straight quotes matter.
        let byte = b[i];
        if i < next_skip && byte < 0x80 && !matches!(byte, b'.' | b'!' | b'?' | b'"') {
            if start.is_none() {
                if byte.is_ascii_whitespace() {
                    i += 1;
                    continue;
                }
                start = Some(i);
            }
            // Inside a sentence: run to the next byte that matters.
            let limit = end.min(next_skip);
            i += 1;
            i += next_stop_byte(&b[i..limit]).unwrap_or(limit - i);
            continue;
        }
        // Jump over skipped regions.
        while sk < skipped.len() && skipped[sk].end <= i {
            sk += 1;
        }
        next_skip = skipped.get(sk).map_or(usize::MAX, |s| s.start);
        if next_skip <= i {
            if start.is_none() {
                start = Some(i);
            }
            i = skipped[sk].end.min(end);
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        let clen = c.len_utf8();
        if c.is_whitespace() {
            i += clen;
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        match c {
            '“' => {
                let next = text[i + clen..].chars().next();
                let closes = curly > 0 && next.is_none_or(|n| n.is_whitespace() || is_punct(n));
                if closes {
                    curly -= 1;
                } else {
                    curly += 1;
                }
            }
            '„' => curly += 1,
            '”' => curly = curly.saturating_sub(1),
            '«' => guil += 1,
            '»' => guil = guil.saturating_sub(1),
            '"' => {
                let prev = text[..i].chars().next_back();
                let next = text[i + clen..].chars().next();
                let prev_space = prev.is_none_or(|p| p.is_whitespace() || is_opening_bracket(p));
                let next_word = next.is_some_and(|n| n.is_alphanumeric());
                if dq {
                    if !(prev_space && next_word) {
                        dq = false;
                    }
                } else if prev_space || !prev.is_some_and(|p| p.is_alphanumeric()) {
                    dq = true;
                }
            }
            '.' | '!' | '?' | '…' | '؟' | '。' => {
                let term_start = i;
                let mut j = i;
                while j < end {
                    let d = text[j..].chars().next().unwrap_or(' ');
                    if matches!(d, '.' | '!' | '?' | '…' | '؟' | '。') {
                        j += d.len_utf8();
                    } else {
                        break;
                    }
                }
                let was_in_quote = curly > 0 || guil > 0 || dq;
                // Closing marks and brackets.
                let mut k = j;
                while k < end {
                    let d = text[k..].chars().next().unwrap_or(' ');
                    match d {
                        '”' | '»' | '’' | ')' | ']' | '\'' | '*' | '_' => {
                            if d == '”' {
                                curly = curly.saturating_sub(1);
                            }
                            if d == '»' {
                                guil = guil.saturating_sub(1);
                            }
                        }
                        '"' => dq = false,
                        '“' if curly > 0 => curly -= 1,
                        _ => break,
                    }
                    k += d.len_utf8();
                }
                // Footnote references and source notes glued to the stop.
                k = absorb_refs(text, k, end);
                // A stray mark alone at the paragraph end closes the quote.
                let tail = text[k..end].trim();
                if !tail.is_empty()
                    && tail
                        .chars()
                        .all(|d| matches!(d, '“' | '”' | '"' | '»' | '’'))
                {
                    k = end;
                }
                let at_end = k >= end;
                let next_char = text[k..end].chars().find(|c| !c.is_whitespace());
                let ws_after = at_end || text[k..].starts_with(char::is_whitespace);
                let still_in_quote = curly > 0 || guil > 0 || dq;
                let mut is_end = ws_after;
                if is_end && !at_end {
                    if let Some(n) = next_char {
                        if n.is_lowercase() {
                            is_end = false;
                        }
                    }
                }
                if is_end && !at_end && was_in_quote && still_in_quote {
                    is_end = false;
                }
                if is_end && !at_end && j == term_start + 1 && b[term_start] == b'.' {
                    is_end = !abbreviation_blocks(text, term_start, k, end);
                }
                if is_end {
                    if let Some(s) = start.take() {
                        out.push(s..k);
                    }
                    curly = 0;
                    guil = 0;
                    dq = false;
                }
                i = k.max(i + clen);
                continue;
            }
            _ => {}
        }
        i += clen;
    }
    if let Some(s) = start {
        let e = text[s..end].trim_end().len() + s;
        if e > s {
            out.push(s..e);
        }
    }
    out
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || matches!(c, '—' | '–' | '…' | '»' | '”' | '’')
}

fn is_opening_bracket(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/') || is_opening_quote(c)
}

/// After a sentence's stop: `[^1]`, `[1]`, ` [Source: ...]` belong to it.
fn absorb_refs(text: &str, mut k: usize, end: usize) -> usize {
    loop {
        let rest = &text[k..end];
        let trimmed = rest.trim_start_matches([' ', '\t']);
        let gap = rest.len() - trimmed.len();
        if !trimmed.starts_with('[') {
            return k;
        }
        let Some(close) = trimmed.find(']') else {
            return k;
        };
        let inner = &trimmed[1..close];
        let is_ref = (inner.starts_with('^') && gap == 0)
            || (gap == 0 && !inner.is_empty() && inner.bytes().all(|c| c.is_ascii_digit()))
            || inner.to_ascii_lowercase().starts_with("source:");
        if !is_ref {
            return k;
        }
        k += gap + close + 1;
    }
}

/// Does the abbreviation before the `.` at `dot` keep the sentence going?
fn abbreviation_blocks(text: &str, dot: usize, after: usize, end: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic() || *c == '.')
        .last()
        .map(|(i, _)| i)
        .unwrap_or(dot);
    let word = &text[word_start..dot];
    if word.is_empty() {
        return false;
    }
    let next_word: &str = {
        let rest = text[after..end].trim_start();
        let n = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        &rest[..n]
    };
    let next_digit = next_word.starts_with(|c: char| c.is_ascii_digit());
    // Initials: `J.` `K.` before a capitalised name.
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase() && !SENTENCE_OPENERS.contains(next_word);
    }
    let lower = super::lower::Lower::of(word);
    match ABBREVIATIONS.get(&*lower) {
        Some(AbbrKind::Title) => true,
        Some(AbbrKind::Number) => next_digit,
        Some(AbbrKind::Abbr) => !SENTENCE_OPENERS.contains(next_word),
        None => {
            // Dotted capitals (`U.S.A`, `N.A.T.O`): abbreviation.
            word.contains('.')
                && word.split('.').all(|p| p.chars().count() <= 2)
                && !SENTENCE_OPENERS.contains(next_word)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The word-wide scan finds what a byte-by-byte scan finds.
        #[test]
        fn next_stop_byte_is_the_first_stop(b in proptest::collection::vec(
            proptest::prop_oneof![32u8..127, proptest::strategy::Just(b'.'), 128u8..=255],
            0..40,
        )) {
            let naive = b
                .iter()
                .position(|&x| x >= 0x80 || matches!(x, b'.' | b'!' | b'?' | b'"'));
            proptest::prop_assert_eq!(next_stop_byte(&b), naive);
        }
    }

    fn md() -> AnalysisOptions {
        AnalysisOptions::default()
    }
    fn txt() -> AnalysisOptions {
        AnalysisOptions {
            markdown: false,
            ..AnalysisOptions::default()
        }
    }
    fn sents<'a>(text: &'a str, art: &Article) -> Vec<&'a str> {
        art.sentences
            .iter()
            .map(|s| &text[s.span.clone()])
            .collect()
    }

    #[test]
    fn plain_title_and_paragraphs() {
        let t = "Harbour reopens after storm\n\nThe port opened on Monday. Ships queued.\n\nA second paragraph.\n";
        let a = parse(t, &txt());
        assert_eq!(a.meta.title.as_deref(), Some("Harbour reopens after storm"));
        assert_eq!(a.paragraphs.len(), 3);
        assert_eq!(
            sents(t, &a),
            vec![
                "Harbour reopens after storm",
                "The port opened on Monday.",
                "Ships queued.",
                "A second paragraph."
            ]
        );
    }

    #[test]
    fn front_matter_meta_and_skip() {
        let t = "---\ntitle: \"Dock strike ends\"\noutlet: Harbour Times\ndate: 2024-03-01\nurl: https://example.org/a\nauthor: Jo Bloggs\nfactlens: ignore\n---\n# Other heading\n\nBody text here.\n";
        let a = parse(t, &md());
        assert_eq!(a.meta.title.as_deref(), Some("Dock strike ends"));
        assert_eq!(a.meta.outlet.as_deref(), Some("Harbour Times"));
        assert_eq!(a.meta.date.as_deref(), Some("2024-03-01"));
        assert_eq!(a.meta.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.meta.author.as_deref(), Some("Jo Bloggs"));
        assert_eq!(a.skipped[0].start, 0);
        assert!(a.front_matter.is_some());
        assert_eq!(front_matter_value(t, &a, "factlens"), Some("ignore"));
        assert_eq!(sents(t, &a), vec!["# Other heading", "Body text here."]);
    }

    #[test]
    fn heading_title_and_lists() {
        let t =
            "Intro line\n\n# Real title\nSome text follows.\n- item one\n- item two\n1. first\n";
        let a = parse(t, &md());
        assert_eq!(a.meta.title.as_deref(), Some("Real title"));
        let ps: Vec<&str> = a.paragraphs.iter().map(|p| &t[p.clone()]).collect();
        assert_eq!(
            ps,
            vec![
                "Intro line",
                "# Real title",
                "Some text follows.",
                "- item one",
                "- item two",
                "1. first"
            ]
        );
    }

    #[test]
    fn skipped_regions() {
        let t = "Text before.\n\n```\ncode 42\n```\n\n    indented 7\n\nSee [the report](https://ex.org/r?id=9) now. <!-- note 5 -->\n\n[^1]: Source: a filing 2023.\n  continued.\n\nVisit www.example.com/path.\n";
        let a = parse(t, &md());
        let sk: Vec<&str> = a.skipped.iter().map(|s| &t[s.clone()]).collect();
        assert!(sk.iter().any(|s| s.contains("code 42")));
        assert!(sk.contains(&"    indented 7"));
        assert!(sk.contains(&"(https://ex.org/r?id=9)"));
        assert!(sk.contains(&"<!-- note 5 -->"));
        assert!(sk.contains(&"www.example.com/path"));
        assert_eq!(a.footnotes.len(), 1);
        assert_eq!(a.footnotes[0].label, "1");
        assert!(t[a.footnotes[0].span.clone()].ends_with("continued."));
        assert_eq!(
            sents(t, &a),
            vec![
                "Text before.",
                "See [the report](https://ex.org/r?id=9) now.",
                "<!-- note 5 -->",
                "Visit www.example.com/path."
            ]
        );
    }

    #[test]
    fn abbreviations_initials_decimals() {
        let t = "Mr. Jones met J. K. Rowling in the U.S. on Dec. 4 and paid 2.5 euros. The U.S. The end. Talks with the U.S. ended.";
        let a = parse(t, &txt());
        assert_eq!(
            sents(t, &a),
            vec![
                "Mr. Jones met J. K. Rowling in the U.S. on Dec. 4 and paid 2.5 euros.",
                "The U.S.",
                "The end.",
                "Talks with the U.S. ended."
            ]
        );
    }

    #[test]
    fn quotes_keep_sentences_together() {
        let t = "She said: \"We will stay. Nobody leaves.\" Then she left. “It ended.” He nodded.";
        let a = parse(t, &txt());
        assert_eq!(
            sents(t, &a),
            vec![
                "She said: \"We will stay. Nobody leaves.\"",
                "Then she left.",
                "“It ended.”",
                "He nodded."
            ]
        );
    }

    #[test]
    fn sentence_across_blank_line() {
        let t = "Title here\n\nThe council voted to close the\n\nlibrary on Friday. Residents objected.\n";
        let a = parse(t, &txt());
        assert_eq!(a.paragraphs.len(), 3);
        let s = sents(t, &a);
        assert_eq!(s[1], "The council voted to close the\n\nlibrary on Friday.");
        assert_eq!(a.sentences[1].paragraph, 1);
        assert_eq!(s[2], "Residents objected.");
        assert_eq!(a.sentence_at(t.find("library").unwrap()), Some(1));
    }

    #[test]
    fn refs_and_notes_stay_in_sentence() {
        let t = "Rents rose 5%.[^1] Costs fell. [Source: city report] Next one.";
        let a = parse(t, &txt());
        assert_eq!(
            sents(t, &a),
            vec![
                "Rents rose 5%.[^1]",
                "Costs fell. [Source: city report]",
                "Next one."
            ]
        );
    }

    #[test]
    fn any_script_and_crlf() {
        let t = "عنوان خبر\r\n\r\nیک جمله. 😀 Émile arrived!\r\nAnother? Yes.\r\n";
        let a = parse(t, &txt());
        for s in &a.sentences {
            assert!(t.is_char_boundary(s.span.start) && t.is_char_boundary(s.span.end));
        }
        assert_eq!(a.meta.title.as_deref(), Some("عنوان خبر"));
        assert_eq!(
            sents(t, &a),
            vec![
                "عنوان خبر",
                "یک جمله.",
                "😀 Émile arrived!",
                "Another?",
                "Yes."
            ]
        );
    }

    #[test]
    fn sorted_non_overlapping_on_odd_input() {
        for t in [
            "",
            "\n\n\n",
            "...",
            "\"",
            "“unclosed. Still. going",
            "a.b.c. d",
            "---\ntitle: x",
            "```\nnever closed",
            "<!-- open",
            "[^x]:",
            "](",
        ] {
            for o in [md(), txt()] {
                let a = parse(t, &o);
                for w in a.sentences.windows(2) {
                    assert!(w[0].span.end <= w[1].span.start, "{t:?}");
                }
                for s in &a.sentences {
                    assert!(s.span.start < s.span.end && s.span.end <= t.len());
                }
            }
        }
    }
}
