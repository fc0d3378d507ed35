//! Text scanning for the fixes: where a sentence really ends, which
//! constructs must not be split (words, multibyte and combined characters,
//! Markdown links, code spans, footnote references), footnote labels and
//! definitions, line endings, front matter.
//!
//! Everything works on byte offsets and never panics: offsets are clamped to
//! the text and moved to char boundaries.

use std::collections::HashSet;
use std::ops::Range;

/// The line terminator the text uses (`\r\n` when its first line ends so).
pub fn newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Clamp `pos` to the text and move it back to a char boundary.
pub fn floor_boundary(text: &str, pos: usize) -> usize {
    let mut p = pos.min(text.len());
    while !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..).and_then(|s| s.chars().next())
}

fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos).and_then(|s| s.chars().next_back())
}

/// Marks that close a sentence or follow its closing punctuation: stops,
/// closing quotation marks (also wrong-shaped ones), closing brackets and
/// emphasis markers. Never crossed over whitespace.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '…'
            | '؟'
            | '۔'
            | '。'
            | '！'
            | '？'
            | '"'
            | '\''
            | '”'
            | '“'
            | '’'
            | '‘'
            | '»'
            | '«'
            | '›'
            | '‹'
            | '„'
            | ')'
            | '*'
            | '_'
            | '~'
    )
}

/// Characters that attach to the character before them: combining marks,
/// joiners, variation selectors, emoji modifiers and tag characters.
fn is_attaching(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
        || matches!(c as u32,
            0x200C | 0x200D            // ZWNJ, ZWJ
            | 0xFE00..=0xFE0F          // variation selectors
            | 0x1F3FB..=0x1F3FF        // skin tones
            | 0xE0020..=0xE007F        // tags
            | 0xE0100..=0xE01EF) // variation selectors supplement
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || is_attaching(c)
}

/// Move `pos` forward so that it splits neither a word nor a combined
/// character (base + combining marks, ZWJ emoji sequences).
pub fn word_safe(text: &str, pos: usize) -> usize {
    let mut p = floor_boundary(text, pos);
    loop {
        let (Some(before), Some(at)) = (char_before(text, p), char_at(text, p)) else {
            return p;
        };
        let joined = is_attaching(at)
            || before == '\u{200D}'
            || (is_word(before) && is_word(at))
            // inside a word with an apostrophe: `Russia’s`, `don't`
            || (matches!(at, '\'' | '’')
                && is_word(before)
                && char_at(text, p + at.len_utf8()).is_some_and(char::is_alphanumeric));
        if !joined {
            return p;
        }
        p += at.len_utf8();
    }
}

/// Spans on which nothing may be inserted: Markdown links and images
/// (`[text](url)`, `[text][ref]`, `[text]`), footnote references,
/// autolinks and HTML (`<…>`), code spans and bare URLs. Scans `range`.
pub fn protected_spans(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let start = floor_boundary(text, range.start);
    let end = floor_boundary(text, range.end);
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        match b[i] {
            b'`' => {
                let n = run_len(b, i, b'`');
                if let Some(close) = find_backtick_run(b, i + n, end, n) {
                    out.push(i..close + n);
                    i = close + n;
                } else {
                    i += n;
                }
            }
            b'<' => {
                let rest = &text[i..end];
                let close = if rest.starts_with("<!--") {
                    rest.find("-->").map(|j| i + j + 3)
                } else if rest[1..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
                {
                    rest.find(['>', '\n'])
                        .filter(|&j| b[i + j] == b'>')
                        .map(|j| i + j + 1)
                } else {
                    None
                };
                match close {
                    Some(c) => {
                        out.push(i..c);
                        i = c;
                    }
                    None => i += 1,
                }
            }
            b'[' => {
                let from = if i > start && b[i - 1] == b'!' {
                    i - 1
                } else {
                    i
                };
                match bracket_end(b, i, end, b'[', b']') {
                    Some(close) => {
                        let mut e = close + 1;
                        if e < end && b[e] == b'(' {
                            if let Some(c) = bracket_end(b, e, end, b'(', b')') {
                                e = c + 1;
                            }
                        } else if e < end && b[e] == b'[' {
                            if let Some(c) = bracket_end(b, e, end, b'[', b']') {
                                e = c + 1;
                            }
                        }
                        out.push(from..e);
                        i = e;
                    }
                    None => i += 1,
                }
            }
            b'h' | b'w' | b'H' | b'W' => {
                let rest = &text[i..end];
                let lower_ok = |p: &str| {
                    rest.len() >= p.len()
                        && rest.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
                };
                let at_word_start = i == start || !(b[i - 1] as char).is_ascii_alphanumeric();
                if at_word_start
                    && (lower_ok("http://") || lower_ok("https://") || lower_ok("www."))
                {
                    let len = rest
                        .find(|c: char| c.is_whitespace() || c == '<')
                        .unwrap_or(rest.len());
                    let mut e = i + len;
                    // GFM: trailing punctuation is not part of the URL
                    while e > i
                        && matches!(
                            b[e - 1],
                            b'.' | b','
                                | b':'
                                | b';'
                                | b'!'
                                | b'?'
                                | b'"'
                                | b'\''
                                | b')'
                                | b'*'
                                | b'_'
                                | b'~'
                        )
                    {
                        e -= 1;
                    }
                    out.push(i..e);
                    i += len.max(1);
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn run_len(b: &[u8], i: usize, ch: u8) -> usize {
    b[i..].iter().take_while(|&&x| x == ch).count()
}

fn find_backtick_run(b: &[u8], from: usize, end: usize, n: usize) -> Option<usize> {
    let mut j = from;
    while j < end {
        if b[j] == b'`' {
            let m = run_len(&b[..end], j, b'`');
            if m == n {
                return Some(j);
            }
            j += m;
        } else if b[j] == b'\n' && blank_line_follows(b, j + 1, end) {
            return None; // a blank line ends the paragraph
        } else {
            j += 1;
        }
    }
    None
}

/// Is the line starting at `k` blank (or is `k` the end)?
fn blank_line_follows(b: &[u8], mut k: usize, end: usize) -> bool {
    while k < end && matches!(b[k], b' ' | b'\t' | b'\r') {
        k += 1;
    }
    k >= end || b[k] == b'\n'
}

/// Index of the bracket closing the one at `i` (nesting, backslash escapes),
/// within `end` and not across a blank line.
fn bracket_end(b: &[u8], i: usize, end: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    while j < end {
        let c = b[j];
        if c == b'\\' {
            j += 2;
            continue;
        }
        if c == b'\n' && blank_line_follows(b, j + 1, end) {
            return None;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(j);
            }
        }
        j += 1;
    }
    None
}

/// Where a note goes after the sentence `sentence`: after its closing
/// punctuation and closing quotation marks, after any footnote references
/// that follow it, never inside a word, a combined character, a link, a
/// code span or a URL.
pub fn note_anchor(text: &str, sentence: Range<usize>) -> usize {
    let start = floor_boundary(text, sentence.start);
    let mut p = floor_boundary(text, sentence.end.max(start));
    while p > start {
        match char_before(text, p) {
            Some(c) if c.is_whitespace() => p -= c.len_utf8(),
            _ => break,
        }
    }
    // the region where links could contain `p`: the sentence and the rest
    // of its paragraph, capped
    const WINDOW: usize = 8192;
    let scan_end = floor_boundary(text, paragraph_end(text, p, p.saturating_add(WINDOW)));
    let from = start.min(p);
    let scan_start = floor_boundary(
        text,
        paragraph_start(text, from, from.saturating_sub(WINDOW)),
    );
    let spans = protected_spans(text, scan_start..scan_end);
    for _ in 0..16 {
        let before = p;
        while let Some(c) = char_at(text, p) {
            if is_closer(c) {
                p += c.len_utf8();
            } else {
                break;
            }
        }
        // footnote references right after the sentence stay with it
        while text[p..].starts_with("[^") {
            match text[p..].find(']') {
                Some(j) if !text[p..p + j].contains(char::is_whitespace) => p += j + 1,
                _ => break,
            }
        }
        if let Some(s) = spans.iter().find(|s| s.start < p && p < s.end) {
            p = s.end;
        }
        p = word_safe(text, p);
        if p == before {
            break;
        }
    }
    p
}

/// Start of the paragraph containing `pos` (after the previous blank line,
/// or 0), but not before `limit`.
pub fn paragraph_start(text: &str, pos: usize, limit: usize) -> usize {
    let pos = floor_boundary(text, pos);
    let mut line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    while line_start > limit {
        let prev_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        if text[prev_start..line_start].trim().is_empty() {
            break;
        }
        line_start = prev_start;
    }
    line_start.max(limit)
}

/// End of the paragraph containing `pos` (the start of the next blank line,
/// or the end of the text), but not after `limit`.
pub fn paragraph_end(text: &str, pos: usize, limit: usize) -> usize {
    let pos = floor_boundary(text, pos);
    let mut line_start = match text[pos..].find('\n') {
        Some(j) => pos + j + 1,
        None => return text.len().min(limit.max(pos)),
    };
    loop {
        if line_start >= limit {
            return line_start.min(text.len());
        }
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |j| line_start + j);
        if text[line_start..line_end].trim().is_empty() {
            return line_start;
        }
        if line_end >= text.len() {
            return text.len();
        }
        line_start = line_end + 1;
    }
}

/// Is the text right before `pos` (back to whitespace) a bare URL? A
/// footnote reference glued to it would be read as part of the URL.
pub fn after_bare_url(text: &str, pos: usize) -> bool {
    let pos = floor_boundary(text, pos);
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let from = floor_boundary(text, line_start.max(pos.saturating_sub(8192)));
    // the last construct before `pos` is a bare URL (not a link or an
    // autolink), followed by nothing but punctuation
    protected_spans(text, from..pos).last().is_some_and(|s| {
        !matches!(text.as_bytes()[s.start], b'[' | b'!' | b'<' | b'`')
            && s.end <= pos
            && !text[s.end..pos].contains(|c: char| c.is_whitespace() || c.is_alphanumeric())
    })
}

/// Every footnote label used in the text, as a reference or a definition.
pub fn footnote_labels(text: &str) -> HashSet<&str> {
    let mut out = HashSet::new();
    let mut rest = text;
    let mut base = 0;
    while let Some(i) = rest.find("[^") {
        let after = &rest[i + 2..];
        let label_len = after.find([']', '\n', '[']).unwrap_or(after.len());
        if after[label_len..].starts_with(']') && label_len > 0 {
            out.insert(&text[base + i + 2..base + i + 2 + label_len]);
        }
        base += i + 2;
        rest = &text[base..];
    }
    out
}

/// The next free `src-N` number: one more than the largest `src-N` label in
/// use (so numbering grows in document order and never collides).
pub fn next_src_number(text: &str) -> u64 {
    let labels = footnote_labels(text);
    let max = labels
        .iter()
        .filter_map(|l| l.strip_prefix("src-"))
        .filter_map(|n| n.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut n = max.saturating_add(1);
    while labels.contains(format!("src-{n}").as_str()) {
        n += 1;
    }
    n
}

/// Byte offset after the front matter (`---` … `---`/`...` at the very top),
/// after a BOM; 0 (or the BOM length) when there is none.
pub fn front_matter_end(text: &str) -> usize {
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let body = &text[bom..];
    let first_end = body.find('\n').map_or(body.len(), |i| i + 1);
    if body[..first_end].trim_end() != "---" {
        return bom;
    }
    let mut line_start = first_end;
    while line_start < body.len() {
        let line_end = body[line_start..]
            .find('\n')
            .map_or(body.len(), |i| line_start + i + 1);
        let line = body[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return bom + line_end;
        }
        line_start = line_end;
    }
    bom // unclosed: not front matter
}

/// Lines of the text as `(start, end_without_terminator, end_with_terminator)`.
fn lines(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let (end, next) = match text[start..].find('\n') {
            Some(i) => {
                let nl = start + i;
                let e = if nl > start && text.as_bytes()[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                (e, nl + 1)
            }
            None => (text.len(), text.len()),
        };
        let item = (start, end, next);
        start = next;
        Some(item)
    })
}

fn is_footnote_def(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return false;
    }
    let Some(rest) = t.strip_prefix("[^") else {
        return false;
    };
    match rest.find(']') {
        Some(j) => {
            j > 0 && rest[j + 1..].starts_with(':') && !rest[..j].contains(char::is_whitespace)
        }
        None => false,
    }
}

fn fence_marker(line: &str) -> Option<(u8, usize)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let b = t.as_bytes();
    let c = *b.first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = run_len(b, 0, c);
    (n >= 3).then_some((c, n))
}

/// The end (after its terminator) of the last footnote definition block,
/// outside front matter and fenced code. A definition continues over
/// following non-blank lines and over indented lines after blank lines.
pub fn last_footnote_def_end(text: &str) -> Option<usize> {
    let fm = front_matter_end(text);
    let mut fence: Option<(u8, usize)> = None;
    let mut in_def = false;
    let mut pending_blank = false;
    let mut last_end = None;
    for (start, end, next) in lines(text) {
        if start < fm {
            continue;
        }
        let line = &text[start..end];
        if let Some((c, n)) = fence {
            if fence_marker(line).is_some_and(|(c2, n2)| c2 == c && n2 >= n)
                && line.trim().bytes().all(|x| x == c)
            {
                fence = None;
            }
            continue;
        }
        let blank = line.trim().is_empty();
        if in_def {
            if blank {
                pending_blank = true;
                continue;
            }
            let indented = line.starts_with("    ") || line.starts_with('\t');
            if is_footnote_def(line) {
                // a new definition: handled below
            } else if indented || !pending_blank {
                last_end = Some(next);
                pending_blank = false;
                continue;
            } else {
                in_def = false;
            }
        }
        pending_blank = false;
        if let Some(m) = fence_marker(line) {
            fence = Some(m);
            in_def = false;
            continue;
        }
        if is_footnote_def(line) {
            in_def = true;
            last_end = Some(next);
        }
    }
    last_end
}

/// Where a suppression marker goes on the line containing `pos`: at the end
/// of the line's content, before trailing spaces (a hard break stays one)
/// and before the terminator.
pub fn line_content_end(text: &str, pos: usize) -> usize {
    let pos = floor_boundary(text, pos);
    let mut end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    while end > line_start && matches!(text.as_bytes()[end - 1], b'\r' | b' ' | b'\t') {
        end -= 1;
    }
    end
}
