//! Conversions between the analysis (byte spans) and LSP types.

use crate::analysis::findings::Subject;
use crate::analysis::{Code, Finding, Severity};
use crate::config::Config;
use crate::text::{Encoding, LineIndex, Pos};
use serde_json::json;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString, Position,
    PositionEncodingKind, Range, Uri,
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

/// A diagnostic as a snapshot keeps it: the finding it stands for (an index
/// into the snapshot's `article.findings`), its range and severity, and the
/// matches behind a cross-article finding. The LSP [`Diagnostic`] (message,
/// code, `data`) follows from the finding: [`to_lsp`] builds it for the
/// rare request that needs one, [`write_publish`] writes its JSON straight
/// into a `publishDiagnostics` frame. A 100 KB article has hundreds of
/// diagnostics on every keystroke; building each as a `Diagnostic` with a
/// `serde_json::Value` for `data`, cloning them to publish, turning them
/// into a `Value` again and freeing it all cost about a third as much as
/// the analysis itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    pub finding: usize,
    pub range: Range,
    pub severity: DiagnosticSeverity,
    pub related: Option<Vec<DiagnosticRelatedInformation>>,
}

/// The diagnostic for finding `index` (`f`), or `None` when its code is
/// turned off. `pos` converts byte offsets (findings come mostly in text
/// order, so a [`crate::text::Cursor`] makes this linear in the text).
pub fn diag(
    index: usize,
    f: &Finding,
    config: &Config,
    pos: &mut impl FnMut(usize) -> Position,
) -> Option<Diag> {
    let sev = config.severity(f.code)?;
    let start = pos(f.span.start);
    let end = pos(f.span.end.max(f.span.start));
    Some(Diag {
        finding: index,
        range: Range::new(start, end),
        severity: severity(sev),
        related: None,
    })
}

/// The LSP diagnostic of `d` (whose finding is `f`) in a snapshot of
/// `text` at `version`.
///
/// `data` carries what quick fixes need: the code, the byte span in the
/// analysed text, what the finding is about, and the document version.
pub fn to_lsp(text: &str, f: &Finding, d: &Diag, version: i32) -> Diagnostic {
    let subject = match f.subject {
        Subject::Figure(i) => json!({"kind": "figure", "index": i}),
        Subject::Quotation(i) => json!({"kind": "quotation", "index": i}),
        Subject::None => serde_json::Value::Null,
    };
    let flagged = text.get(f.span.clone()).unwrap_or("");
    Diagnostic {
        range: d.range,
        severity: Some(d.severity),
        code: Some(NumberOrString::String(f.code.as_str().to_string())),
        source: Some(SOURCE.into()),
        message: f.message.clone(),
        related_information: d.related.clone(),
        data: Some(json!({
            "code": f.code.as_str(),
            "span": [f.span.start, f.span.end],
            "text": flagged,
            "subject": subject,
            "version": version,
        })),
        ..Default::default()
    }
}

/// The diagnostic for a finding, or `None` when its code is turned off.
pub fn diagnostic(
    text: &str,
    lines: &LineIndex,
    f: &Finding,
    config: &Config,
    enc: Encoding,
    version: i32,
) -> Option<Diagnostic> {
    let d = diag(0, f, config, &mut |o| position(text, lines, o, enc))?;
    Some(to_lsp(text, f, &d, version))
}

const SOURCE: &str = "factlens";

/// A JSON string: copied as it is unless it has a byte that JSON escapes
/// (then serde_json escapes it, so the escapes are serde's).
fn push_str(out: &mut Vec<u8>, s: &str) {
    // No early exit: the check vectorises, and the strings are short.
    let escape = s
        .bytes()
        .fold(false, |e, b| e | (b < 0x20) | (b == b'"') | (b == b'\\'));
    if escape {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    } else {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }
}

/// A JSON number.
fn push_num(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    let mut n = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

fn push_range(out: &mut Vec<u8>, r: &Range) {
    out.extend_from_slice(br#"{"end":{"character":"#);
    push_num(out, r.end.character.into());
    out.extend_from_slice(br#","line":"#);
    push_num(out, r.end.line.into());
    out.extend_from_slice(br#"},"start":{"character":"#);
    push_num(out, r.start.character.into());
    out.extend_from_slice(br#","line":"#);
    push_num(out, r.start.line.into());
    out.extend_from_slice(b"}}");
}

/// The JSON of [`to_lsp`]`(text, f, d, version)`, byte for byte what
/// tower-lsp-server wrote for it: it turned the notification's params into
/// a `serde_json::Value`, whose maps keep their keys sorted, so every
/// object here lists its fields in alphabetical order.
fn push_diagnostic(out: &mut Vec<u8>, text: &str, f: &Finding, d: &Diag, version: i32) {
    // Codes are plain kebab-case words (a test checks that each needs
    // no escape).
    let code = f.code.as_str().as_bytes();
    out.extend_from_slice(br#"{"code":""#);
    out.extend_from_slice(code);
    out.extend_from_slice(br#"","data":{"code":""#);
    out.extend_from_slice(code);
    out.extend_from_slice(br#"","span":["#);
    push_num(out, f.span.start as i64);
    out.push(b',');
    push_num(out, f.span.end as i64);
    out.extend_from_slice(br#"],"subject":"#);
    let subject = match f.subject {
        Subject::Figure(i) => Some((i, "figure")),
        Subject::Quotation(i) => Some((i, "quotation")),
        Subject::None => None,
    };
    match subject {
        Some((i, kind)) => {
            out.extend_from_slice(br#"{"index":"#);
            push_num(out, i as i64);
            out.extend_from_slice(br#","kind":""#);
            out.extend_from_slice(kind.as_bytes());
            out.extend_from_slice(br#""}"#);
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(br#","text":"#);
    push_str(out, text.get(f.span.clone()).unwrap_or(""));
    out.extend_from_slice(br#","version":"#);
    push_num(out, version.into());
    out.extend_from_slice(br#"},"message":"#);
    push_str(out, &f.message);
    out.extend_from_slice(br#","range":"#);
    push_range(out, &d.range);
    if let Some(related) = &d.related {
        out.extend_from_slice(br#","relatedInformation":["#);
        for (n, r) in related.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(br#"{"location":{"range":"#);
            push_range(out, &r.location.range);
            out.extend_from_slice(br#","uri":"#);
            push_str(out, r.location.uri.as_str());
            out.extend_from_slice(br#"},"message":"#);
            push_str(out, &r.message);
            out.push(b'}');
        }
        out.push(b']');
    }
    out.extend_from_slice(br#","severity":"#);
    push_num(out, severity_number(d.severity));
    out.extend_from_slice(br#","source":"factlens"}"#);
}

/// The number LSP gives a severity.
fn severity_number(s: DiagnosticSeverity) -> i64 {
    [
        DiagnosticSeverity::ERROR,
        DiagnosticSeverity::WARNING,
        DiagnosticSeverity::INFORMATION,
        DiagnosticSeverity::HINT,
    ]
    .iter()
    .position(|&x| x == s)
    .map_or(1, |i| i as i64 + 1)
}

/// One `textDocument/publishDiagnostics` notification, framed
/// (`Content-Length` header and body), byte for byte as tower-lsp-server
/// wrote it. `diags` are `findings`' diagnostics in `text` at `version`;
/// `None` as the version (a closed document) publishes no version.
///
/// Written by hand rather than through serde: on a 100 KB article this
/// is ~110 KB of JSON on every keystroke, and serde's generic map and
/// struct serialisers cost about three times as much.
pub fn write_publish(
    uri: &Uri,
    text: &str,
    findings: &[Finding],
    diags: &[Diag],
    version: Option<i32>,
) -> Vec<u8> {
    // About 330 bytes a diagnostic on typical articles.
    let mut body = Vec::with_capacity(160 + diags.len() * 360);
    body.extend_from_slice(
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"diagnostics":["#,
    );
    let mut first = true;
    for d in diags {
        let Some(f) = findings.get(d.finding) else {
            continue;
        };
        if !std::mem::take(&mut first) {
            body.push(b',');
        }
        push_diagnostic(&mut body, text, f, d, version.unwrap_or(0));
    }
    body.extend_from_slice(br#"],"uri":"#);
    push_str(&mut body, uri.as_str());
    if let Some(v) = version {
        body.extend_from_slice(br#","version":"#);
        push_num(&mut body, v.into());
    }
    body.extend_from_slice(b"}}");
    let head = format!("Content-Length: {}\r\n\r\n", body.len());
    let mut frame = Vec::with_capacity(head.len() + body.len());
    frame.extend_from_slice(head.as_bytes());
    frame.extend_from_slice(&body);
    frame
}

/// The code of a diagnostic we published, if it is ours.
pub fn code_of(d: &Diagnostic) -> Option<Code> {
    if d.source.as_deref() != Some(SOURCE) {
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

    /// What tower-lsp-server wrote for a notification: `Request` (jsonrpc,
    /// method, params) with the params as a `serde_json::Value`.
    fn tower_frame(params: &tower_lsp_server::ls_types::PublishDiagnosticsParams) -> Vec<u8> {
        #[derive(serde::Serialize)]
        struct Request<'a> {
            jsonrpc: &'a str,
            method: &'a str,
            params: serde_json::Value,
        }
        let body = serde_json::to_string(&Request {
            jsonrpc: "2.0",
            method: "textDocument/publishDiagnostics",
            params: serde_json::to_value(params).unwrap(),
        })
        .unwrap();
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn published_frames_are_what_tower_lsp_wrote() {
        use tower_lsp_server::ls_types::{Location, PublishDiagnosticsParams};
        let text = "سلام 😀 \"q\\\" \u{1}\r\nThe ministry has 1,400 staff, \"so\" he said.\n";
        let at = |s: &str| text.find(s).unwrap();
        let findings = vec![
            Finding {
                code: Code::UnsourcedFigure,
                span: at("1,400")..at("1,400") + 11,
                message: "Unsourced figure \"1,400 staff\": add who says so.".into(),
                subject: Subject::Figure(0),
            },
            Finding {
                code: Code::UnattributedQuote,
                span: at("\"q")..at(" \u{1}"),
                message: "Quotation \"q\\\" \u{1}\t😀".into(),
                subject: Subject::Quotation(12),
            },
            Finding {
                code: Code::ConflictingFigure,
                span: 0..4,
                message: "Conflicting".into(),
                subject: Subject::None,
            },
            // A span that is not on char boundaries: no text, no panic.
            Finding {
                code: Code::UnbalancedQuote,
                span: 1..3,
                message: String::new(),
                subject: Subject::None,
            },
        ];
        let uri: Uri = "file:///tmp/a%20b/%C3%A9.md".parse().unwrap();
        let other: Uri = "file:///tmp/other.md".parse().unwrap();
        let lines = LineIndex::new(text);
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let mut diags: Vec<Diag> = findings
                .iter()
                .enumerate()
                .filter_map(|(i, f)| {
                    diag(i, f, &Config::default(), &mut |o| {
                        position(text, &lines, o, enc)
                    })
                })
                .collect();
            assert_eq!(diags.len(), findings.len());
            let all = [
                DiagnosticSeverity::ERROR,
                DiagnosticSeverity::WARNING,
                DiagnosticSeverity::INFORMATION,
                DiagnosticSeverity::HINT,
            ];
            for (d, s) in diags.iter_mut().zip(all) {
                d.severity = s;
            }
            diags[2].related = Some(vec![
                DiagnosticRelatedInformation {
                    location: Location {
                        uri: other.clone(),
                        range: Range::new(Position::new(3, 1), Position::new(4, 0)),
                    },
                    message: "Other \"t\" (conflict): x".into(),
                };
                2
            ]);
            for version in [Some(7), None, Some(-3), Some(i32::MAX)] {
                let lsp: Vec<Diagnostic> = diags
                    .iter()
                    .map(|d| to_lsp(text, &findings[d.finding], d, version.unwrap_or(0)))
                    .collect();
                let params = PublishDiagnosticsParams::new(uri.clone(), lsp, version);
                let ours = write_publish(&uri, text, &findings, &diags, version);
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    String::from_utf8(tower_frame(&params)).unwrap()
                );
            }
        }
        let empty = PublishDiagnosticsParams::new(uri.clone(), Vec::new(), None);
        assert_eq!(write_publish(&uri, "", &[], &[], None), tower_frame(&empty));
    }

    #[test]
    fn codes_need_no_json_escape() {
        for code in Code::ALL {
            let s = code.as_str();
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{s}\""));
        }
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
