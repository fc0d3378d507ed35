//! Conversions between the analysis (byte spans) and LSP types.

use crate::analysis::findings::Subject;
use crate::analysis::{Code, Finding, Severity};
use crate::config::Config;
use crate::text::{Encoding, LineIndex, Pos};
use serde_json::json;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, NumberOrString, Position, PositionEncodingKind, Range,
};

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

pub fn encoding_kind(enc: Encoding) -> PositionEncodingKind {
    match enc {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Chars => PositionEncodingKind::UTF32,
    }
}

/// LSP position of a byte offset.
pub fn position(text: &str, lines: &LineIndex, offset: usize, enc: Encoding) -> Position {
    let p = lines.position(text, offset, enc);
    Position::new(p.line, p.col)
}

/// LSP range of a byte span.
pub fn range(text: &str, lines: &LineIndex, span: &std::ops::Range<usize>, enc: Encoding) -> Range {
    Range::new(
        position(text, lines, span.start, enc),
        position(text, lines, span.end.max(span.start), enc),
    )
}

/// Byte offset of an LSP position (clamped to the text).
pub fn offset(text: &str, lines: &LineIndex, pos: Position, enc: Encoding) -> usize {
    lines
        .offset(
            text,
            Pos {
                line: pos.line,
                col: pos.character,
            },
            enc,
        )
        .unwrap_or_else(|c| c)
}

/// The diagnostic for a finding, or `None` when its code is turned off.
///
/// `data` carries what quick fixes need: the code, the byte span in the
/// analysed text, what the finding is about, and the document version.
pub fn diagnostic(
    text: &str,
    lines: &LineIndex,
    f: &Finding,
    config: &Config,
    enc: Encoding,
    version: i32,
) -> Option<Diagnostic> {
    let sev = config.severity(f.code)?;
    let subject = match f.subject {
        Subject::Figure(i) => json!({"kind": "figure", "index": i}),
        Subject::Quotation(i) => json!({"kind": "quotation", "index": i}),
        Subject::None => serde_json::Value::Null,
    };
    let flagged = text.get(f.span.clone()).unwrap_or("");
    Some(Diagnostic {
        range: range(text, lines, &f.span, enc),
        severity: Some(severity(sev)),
        code: Some(NumberOrString::String(f.code.as_str().to_string())),
        source: Some("factlens".into()),
        message: f.message.clone(),
        data: Some(json!({
            "code": f.code.as_str(),
            "span": [f.span.start, f.span.end],
            "text": flagged,
            "subject": subject,
            "version": version,
        })),
        ..Default::default()
    })
}

/// The code of a diagnostic we published, if it is ours.
pub fn code_of(d: &Diagnostic) -> Option<Code> {
    if d.source.as_deref() != Some("factlens") {
        return None;
    }
    match &d.code {
        Some(NumberOrString::String(s)) => Code::parse(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_in_both_encodings() {
        let text = "سلام 😀\r\nThe ministry has 1,400 staff.\n";
        let lines = LineIndex::new(text);
        let s = text.find("1,400").unwrap();
        let span = s..s + "1,400 staff".len();
        let r16 = range(text, &lines, &span, Encoding::Utf16);
        assert_eq!(r16, Range::new(Position::new(1, 17), Position::new(1, 28)));
        let first = 0..text.find('\r').unwrap();
        let r8 = range(text, &lines, &first, Encoding::Utf8);
        assert_eq!(r8.end, Position::new(0, 13));
        let r16 = range(text, &lines, &first, Encoding::Utf16);
        assert_eq!(r16.end, Position::new(0, 7));
        assert_eq!(
            offset(text, &lines, Position::new(0, 7), Encoding::Utf16),
            first.end
        );
        assert_eq!(
            offset(text, &lines, Position::new(0, 99), Encoding::Utf16),
            first.end
        );
    }

    #[test]
    fn diagnostic_fields_and_off() {
        let text = "The ministry has 1,400 staff.";
        let lines = LineIndex::new(text);
        let f = Finding {
            code: Code::UnsourcedFigure,
            span: 17..28,
            message: "Unsourced figure \"1,400 staff\": add who says so.".into(),
            subject: Subject::Figure(0),
        };
        let d = diagnostic(text, &lines, &f, &Config::default(), Encoding::Utf16, 3).unwrap();
        assert_eq!(d.source.as_deref(), Some("factlens"));
        assert_eq!(d.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(code_of(&d), Some(Code::UnsourcedFigure));
        assert_eq!(d.data.as_ref().unwrap()["text"], "1,400 staff");
        let (off, _) = Config::default()
            .from_toml("[severity]\nunsourced-figure = \"off\"\n")
            .unwrap();
        assert!(diagnostic(text, &lines, &f, &off, Encoding::Utf16, 3).is_none());
    }
}
