//! Open documents: a rope per document, its version and language. Edits are
//! applied synchronously; positions are converted exactly for every script
//! (lines end at `\n`, as in [`crate::text::LineIndex`]).

use crate::text::Encoding;
use ropey::Rope;
use std::collections::HashMap;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

/// How an article is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Markdown,
    PlainText,
}

impl Language {
    /// From the client's `languageId`, else the file extension.
    pub fn detect(language_id: &str, uri: &str) -> Language {
        match language_id.to_ascii_lowercase().as_str() {
            "markdown" | "md" | "mdx" | "quarto" | "rmd" => return Language::Markdown,
            "plaintext" | "text" | "txt" => return Language::PlainText,
            _ => {}
        }
        let path = uri.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
        if path.ends_with(".txt") || path.ends_with(".text") {
            Language::PlainText
        } else {
            Language::Markdown
        }
    }

    pub fn is_markdown(self) -> bool {
        self == Language::Markdown
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub language: Language,
}

/// Why a change was not applied.
#[derive(Debug, PartialEq, Eq)]
pub enum ChangeError {
    UnknownDocument,
}

/// Open documents by URI.
#[derive(Debug, Default)]
pub struct Documents {
    map: HashMap<Uri, Document>,
}

/// The char index of the end of line `line`'s content (before `\n`/`\r\n`).
fn line_content_end(rope: &Rope, line: usize) -> usize {
    let start = rope.line_to_char(line);
    if line + 1 < rope.len_lines() {
        let mut end = rope.line_to_char(line + 1) - 1; // the '\n'
        if end > start && rope.char(end - 1) == '\r' {
            end -= 1;
        }
        end
    } else {
        rope.len_chars()
    }
}

/// Char index of an LSP position. `Err(clamped)` when the position was
/// past the end of its line or of the document.
pub fn position_to_char(rope: &Rope, pos: Position, enc: Encoding) -> Result<usize, usize> {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return Err(rope.len_chars());
    }
    let start = rope.line_to_char(line);
    let end = line_content_end(rope, line);
    let col = pos.character as usize;
    let (target, line_len) = match enc {
        Encoding::Utf16 => {
            let s = rope.char_to_utf16_cu(start);
            let e = rope.char_to_utf16_cu(end);
            (s + col.min(e - s), e - s)
        }
        Encoding::Utf8 => {
            let s = rope.char_to_byte(start);
            let e = rope.char_to_byte(end);
            (s + col.min(e - s), e - s)
        }
        Encoding::Chars => (start + col.min(end - start), end - start),
    };
    // Inside a multi-unit char: the start of that char.
    let ch = match enc {
        Encoding::Utf16 => rope.utf16_cu_to_char(target),
        Encoding::Utf8 => rope.byte_to_char(target),
        Encoding::Chars => target,
    };
    if col > line_len {
        Err(ch)
    } else {
        Ok(ch)
    }
}

/// LSP position of a char index (clamped to the text).
pub fn char_to_position(rope: &Rope, ch: usize, enc: Encoding) -> Position {
    let ch = ch.min(rope.len_chars());
    let line = rope.char_to_line(ch);
    let start = rope.line_to_char(line);
    let ch = ch.min(line_content_end(rope, line)).max(start);
    let col = match enc {
        Encoding::Utf16 => rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(start),
        Encoding::Utf8 => rope.char_to_byte(ch) - rope.char_to_byte(start),
        Encoding::Chars => ch - start,
    };
    Position::new(line as u32, col as u32)
}

impl Documents {
    pub fn new() -> Self {
        Self::default()
    }

    /// Open (or re-open) a document.
    pub fn open(&mut self, uri: Uri, text: &str, version: i32, language: Language) {
        self.map.insert(
            uri,
            Document {
                rope: Rope::from_str(text),
                version,
                language,
            },
        );
    }

    pub fn close(&mut self, uri: &Uri) -> bool {
        self.map.remove(uri).is_some()
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.map.get(uri)
    }

    pub fn uris(&self) -> Vec<Uri> {
        self.map.keys().cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Apply incremental or full changes in order. Returns notes about
    /// repaired input (clamped or reversed ranges, old versions) for the log.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: Encoding,
    ) -> Result<Vec<String>, ChangeError> {
        let doc = self.map.get_mut(uri).ok_or(ChangeError::UnknownDocument)?;
        let mut notes = Vec::new();
        if version <= doc.version {
            notes.push(format!(
                "version {version} is not newer than {}; applied anyway",
                doc.version
            ));
        }
        for change in changes {
            apply_change(&mut doc.rope, change.range, &change.text, enc, &mut notes);
        }
        doc.version = version;
        Ok(notes)
    }
}

/// Apply one change to a rope, repairing bad ranges.
pub fn apply_change(
    rope: &mut Rope,
    range: Option<Range>,
    text: &str,
    enc: Encoding,
    notes: &mut Vec<String>,
) {
    let Some(range) = range else {
        *rope = Rope::from_str(text);
        return;
    };
    let mut clamped = |p: Position| match position_to_char(rope, p, enc) {
        Ok(c) => c,
        Err(c) => {
            notes.push(format!(
                "position {}:{} is past the end of its line or the document; clamped",
                p.line, p.character
            ));
            c
        }
    };
    let mut start = clamped(range.start);
    let mut end = clamped(range.end);
    if end < start {
        notes.push(format!(
            "range {}:{}-{}:{} ends before it starts; reordered",
            range.start.line, range.start.character, range.end.line, range.end.character
        ));
        std::mem::swap(&mut start, &mut end);
    }
    if end > start {
        rope.remove(start..end);
    }
    if !text.is_empty() {
        rope.insert(start, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{LineIndex, Pos};
    use proptest::prelude::*;

    fn uri() -> Uri {
        "file:///tmp/a.md".parse().unwrap()
    }

    fn pos(p: Pos) -> Position {
        Position::new(p.line, p.col)
    }

    #[test]
    fn edits_with_multibyte_and_crlf() {
        let mut docs = Documents::new();
        docs.open(uri(), "سلام 😀 x\r\nab\n", 1, Language::Markdown);
        // insert after the emoji: UTF-16 col 4 + 1 + 2 = 7
        let ch = |l, c| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l, c), Position::new(l, c))),
            range_length: None,
            text: "Z".into(),
        };
        docs.change(&uri(), 2, &[ch(0, 7)], Encoding::Utf16)
            .unwrap();
        assert_eq!(
            docs.get(&uri()).unwrap().rope.to_string(),
            "سلام 😀Z x\r\nab\n"
        );
        // column inside the surrogate pair: start of the emoji
        docs.change(&uri(), 3, &[ch(0, 6)], Encoding::Utf16)
            .unwrap();
        assert_eq!(
            docs.get(&uri()).unwrap().rope.to_string(),
            "سلام Z😀Z x\r\nab\n"
        );
        // past the end of line 0: before the \r\n, and noted
        let notes = docs
            .change(&uri(), 4, &[ch(0, 99)], Encoding::Utf16)
            .unwrap();
        assert_eq!(notes.len(), 2, "{notes:?}"); // start and end clamped
        assert_eq!(
            docs.get(&uri()).unwrap().rope.to_string(),
            "سلام Z😀Z xZ\r\nab\n"
        );
        // UTF-8 columns: after "سلام " (9 bytes)
        docs.change(&uri(), 5, &[ch(0, 9)], Encoding::Utf8).unwrap();
        assert_eq!(
            docs.get(&uri()).unwrap().rope.to_string(),
            "سلام ZZ😀Z xZ\r\nab\n"
        );
        // reversed range deletes the same text
        let rev = TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(1, 2), Position::new(1, 0))),
            range_length: None,
            text: String::new(),
        };
        let notes = docs.change(&uri(), 6, &[rev], Encoding::Utf16).unwrap();
        assert_eq!(notes.len(), 1);
        assert_eq!(
            docs.get(&uri()).unwrap().rope.to_string(),
            "سلام ZZ😀Z xZ\r\n\n"
        );
        assert_eq!(docs.get(&uri()).unwrap().version, 6);
        let unknown: Uri = "file:///nope.md".parse().unwrap();
        assert_eq!(
            docs.change(&unknown, 1, &[], Encoding::Utf16),
            Err(ChangeError::UnknownDocument)
        );
    }

    #[test]
    fn u2028_is_not_a_line_break() {
        let rope = Rope::from_str("a\u{2028}b\rc\nd");
        assert_eq!(rope.len_lines(), 2);
        assert_eq!(
            position_to_char(&rope, Position::new(1, 0), Encoding::Utf16),
            Ok(6)
        );
    }

    #[test]
    fn language_detection() {
        assert_eq!(
            Language::detect("plaintext", "file:///a.md"),
            Language::PlainText
        );
        assert_eq!(Language::detect("", "file:///a.TXT"), Language::PlainText);
        assert_eq!(
            Language::detect("markdown", "file:///a.txt"),
            Language::Markdown
        );
        assert_eq!(
            Language::detect("whatever", "file:///a.md"),
            Language::Markdown
        );
    }

    /// A piece of text with multibyte characters.
    fn piece() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "a",
                "b",
                " ",
                "\n",
                "\r\n",
                "سلام",
                "😀",
                "e\u{301}",
                "👩‍👩‍👧",
                "1,400",
                "\"",
                "“",
                "\u{2028}",
                "ß",
            ]),
            0..6,
        )
        .prop_map(|v| v.concat())
    }

    /// (start, end) as fractions of the text, text to insert, reversed?,
    /// overshoot (past end of line / document).
    fn edit() -> impl Strategy<Value = (f64, f64, String, bool, u8)> {
        (0.0..=1.0f64, 0.0..=1.0f64, piece(), any::<bool>(), 0u8..8)
    }

    fn snap(text: &str, b: usize) -> usize {
        let mut b = b.min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        b
    }

    fn check(enc: Encoding, init: String, edits: Vec<(f64, f64, String, bool, u8)>) {
        let mut docs = Documents::new();
        docs.open(uri(), &init, 0, Language::Markdown);
        let mut model = init;
        for (i, (a, b, ins, reversed, over)) in edits.into_iter().enumerate() {
            let idx = LineIndex::new(&model);
            let mut s = snap(&model, (a * model.len() as f64) as usize);
            let mut e = snap(&model, (b * model.len() as f64) as usize);
            if s > e {
                std::mem::swap(&mut s, &mut e);
            }
            let mut ps = idx.position(&model, s, enc);
            let mut pe = idx.position(&model, e, enc);
            if over == 1 {
                pe.col += 1000; // past end of line: clamps to the line end
            }
            if over == 2 {
                pe.line += 1000; // past end of document
            }
            // Expected offsets follow text::LineIndex's clamping.
            let clamp = |p: Pos| idx.offset(&model, p, enc).unwrap_or_else(|c| c);
            let (xs, xe) = (clamp(ps), clamp(pe));
            let (xs, xe) = (xs.min(xe), xs.max(xe));
            if reversed {
                std::mem::swap(&mut ps, &mut pe);
            }
            let change = TextDocumentContentChangeEvent {
                range: Some(Range::new(pos(ps), pos(pe))),
                range_length: None,
                text: ins.clone(),
            };
            docs.change(&uri(), i as i32 + 1, &[change], enc).unwrap();
            model.replace_range(xs..xe, &ins);
            assert_eq!(docs.get(&uri()).unwrap().rope.to_string(), model);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn edits_match_string_utf16(init in piece(), edits in prop::collection::vec(edit(), 1..25)) {
            check(Encoding::Utf16, init, edits);
        }

        #[test]
        fn edits_match_string_utf8(init in piece(), edits in prop::collection::vec(edit(), 1..25)) {
            check(Encoding::Utf8, init, edits);
        }

        #[test]
        fn positions_round_trip(text in piece(), f in 0.0..=1.0f64) {
            let rope = Rope::from_str(&text);
            let idx = LineIndex::new(&text);
            let b = snap(&text, (f * text.len() as f64) as usize);
            for enc in [Encoding::Utf16, Encoding::Utf8, Encoding::Chars] {
                let p = idx.position(&text, b, enc);
                let ch = position_to_char(&rope, pos(p), enc).unwrap();
                let expect = idx.offset(&text, p, enc).unwrap();
                prop_assert_eq!(rope.char_to_byte(ch), expect);
                let back = char_to_position(&rope, ch, enc);
                prop_assert_eq!(back, pos(p));
            }
        }
    }
}
