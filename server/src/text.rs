//! Byte offsets <-> line/column positions. The only place positions are
//! converted: analysis and index speak byte offsets into the article text,
//! editors speak lines and columns in UTF-16 or UTF-8 code units, the CLI
//! speaks 1-based lines and columns counted in Unicode scalar values.
//!
//! Lines end at `\n`; a `\r` before it belongs to the line terminator, so a
//! column never points between `\r` and `\n`.

/// How a column is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-16 code units (LSP default; VS Code, Neovim).
    #[default]
    Utf16,
    /// UTF-8 bytes (LSP `utf-8` position encoding).
    Utf8,
    /// Unicode scalar values (the CLI's columns).
    Chars,
}

/// A zero-based line and column in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// Line starts of a text, for converting offsets to positions and back.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of each line. Always starts with 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        // Built for every analysed version of an open document: a
        // vectorised search, not a byte-by-byte loop.
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of line `line` without its terminator (`\n` or `\r\n`).
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let line = line.min(self.starts.len() - 1);
        let start = self.starts[line];
        let mut end = if line + 1 < self.starts.len() {
            self.starts[line + 1] - 1
        } else {
            self.len
        };
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// The zero-based line containing byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Position of byte `offset` (clamped, and moved back to a char boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let range = self.line_range(text, line);
        let end = offset.min(range.end).max(range.start);
        let seg = &text[range.start..end];
        Pos {
            line: line as u32,
            col: count_units(seg, enc) as u32,
        }
    }

    /// A converter of many offsets to positions (see [`Cursor`]).
    pub fn cursor<'a>(&'a self, text: &'a str, enc: Encoding) -> Cursor<'a> {
        Cursor {
            text,
            lines: self,
            enc,
            line: usize::MAX,
            at: 0,
            col: 0,
        }
    }

    /// Byte offset of a position. Columns past the end of the line clamp to
    /// the line end; lines past the end clamp to the end of the text; a
    /// column inside a surrogate pair or a UTF-8 sequence moves back to the
    /// start of that character. Returns `Err(clamped)` when clamping was
    /// needed so callers can log it.
    pub fn offset(&self, text: &str, pos: Pos, enc: Encoding) -> Result<usize, usize> {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return Err(self.len);
        }
        let range = self.line_range(text, line);
        let seg = &text[range.clone()];
        let want = pos.col as usize;
        let mut units = 0usize;
        for (i, ch) in seg.char_indices() {
            if units == want {
                return Ok(range.start + i);
            }
            let w = char_units(ch, enc);
            if units + w > want {
                // inside a multi-unit character
                return Ok(range.start + i);
            }
            units += w;
        }
        if units == want {
            Ok(range.end)
        } else {
            Err(range.end)
        }
    }
}

/// Converts byte offsets to positions like [`LineIndex::position`], but an
/// offset at or after the previous one on the same line costs only the
/// characters in between: a long article's findings come in text order,
/// often several on one paragraph-long line, and each finding converts its
/// start and then its end.
pub struct Cursor<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    enc: Encoding,
    /// The line of the previous conversion (`usize::MAX`: none yet).
    line: usize,
    /// Its byte offset (a char boundary inside the line) and column.
    at: usize,
    col: usize,
}

impl Cursor<'_> {
    /// Position of byte `offset` (clamped, and moved back to a char
    /// boundary), the same as [`LineIndex::position`].
    pub fn position(&mut self, offset: usize) -> Pos {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.line_of(offset);
        let range = self.lines.line_range(text, line);
        let end = offset.min(range.end).max(range.start);
        let col = if line == self.line && end >= self.at {
            self.col + count_units(&text[self.at..end], self.enc)
        } else {
            count_units(&text[range.start..end], self.enc)
        };
        self.line = line;
        self.at = end;
        self.col = col;
        Pos {
            line: line as u32,
            col: col as u32,
        }
    }
}

/// Width of one char in the given encoding.
pub fn char_units(ch: char, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf16 => ch.len_utf16(),
        Encoding::Utf8 => ch.len_utf8(),
        Encoding::Chars => 1,
    }
}

/// Length of a string in the given encoding.
pub fn count_units(s: &str, enc: Encoding) -> usize {
    // Most article text is ASCII: one unit a byte in every encoding, and
    // the check runs a word at a time.
    if s.is_ascii() {
        return s.len();
    }
    match enc {
        Encoding::Utf8 => s.len(),
        // Every char is one unit, but a 4-byte one (lead byte 0xF0..=0xF4,
        // never a continuation byte) is a surrogate pair: two. Both counts
        // run over bytes and vectorise; positions are converted for every
        // diagnostic on every keystroke, on lines a paragraph long.
        Encoding::Utf16 => s.chars().count() + s.bytes().filter(|&b| b >= 0xF0).count(),
        Encoding::Chars => s.chars().count(),
    }
}

/// One line, at most `max` chars (with `…`).
pub fn shorten(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    if out.chars().count() > max {
        let mut t: String = out.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_count_is_the_sum_of_char_widths() {
        let text = "a é ñ سلام 😀 中文 𝄞x\u{10FFFF}\u{FFFF}\u{800}\u{7FF}\r\n";
        for (i, _) in text.char_indices() {
            for (j, _) in text[i..].char_indices() {
                let s = &text[i..i + j];
                let want: usize = s.chars().map(char::len_utf16).sum();
                assert_eq!(count_units(s, Encoding::Utf16), want, "{s:?}");
            }
        }
        assert_eq!(
            count_units(text, Encoding::Utf16),
            text.encode_utf16().count()
        );
    }

    #[test]
    fn cursor_agrees_with_position_in_any_order() {
        let text = "a é ñ\r\nسلام 😀 中文 𝄞x\n\n\u{10FFFF}b\r\nlast";
        let idx = LineIndex::new(text);
        // Every offset (char boundaries or not, past the end too), forwards,
        // backwards and jumping about.
        let forward: Vec<usize> = (0..=text.len() + 2).collect();
        let backward: Vec<usize> = forward.iter().rev().copied().collect();
        let jumps: Vec<usize> = (0..200)
            .map(|i| (i * 37 + i / 3) % (text.len() + 3))
            .collect();
        for enc in [Encoding::Utf16, Encoding::Utf8, Encoding::Chars] {
            for order in [&forward, &backward, &jumps] {
                let mut c = idx.cursor(text, enc);
                for &o in order.iter() {
                    assert_eq!(
                        c.position(o),
                        idx.position(text, o, enc),
                        "{enc:?} offset {o}"
                    );
                }
            }
        }
    }

    #[test]
    fn persian_emoji_crlf() {
        let text = "سلام 😀 x\r\nab\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(
            idx.position(text, x, Encoding::Utf16),
            Pos { line: 0, col: 8 }
        );
        assert_eq!(
            idx.position(text, x, Encoding::Chars),
            Pos { line: 0, col: 7 }
        );
        assert_eq!(
            idx.position(text, x, Encoding::Utf8),
            Pos { line: 0, col: 14 }
        );
        assert_eq!(
            idx.offset(text, Pos { line: 0, col: 8 }, Encoding::Utf16),
            Ok(x)
        );
        // end of line 0 is before \r
        assert_eq!(
            idx.offset(text, Pos { line: 0, col: 9 }, Encoding::Utf16),
            Ok(x + 1)
        );
        assert_eq!(
            idx.offset(text, Pos { line: 0, col: 99 }, Encoding::Utf16),
            Err(x + 1)
        );
        assert_eq!(
            idx.offset(text, Pos { line: 1, col: 1 }, Encoding::Utf16),
            Ok(text.find('b').unwrap())
        );
        assert_eq!(
            idx.offset(text, Pos { line: 9, col: 0 }, Encoding::Utf16),
            Err(text.len())
        );
        // inside the surrogate pair: back to the emoji start
        let e = text.find('😀').unwrap();
        assert_eq!(
            idx.offset(text, Pos { line: 0, col: 6 }, Encoding::Utf16),
            Ok(e)
        );
    }
}
