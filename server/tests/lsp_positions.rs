//! Diagnostics on real findings: codes, ranges that cover the flagged text,
//! and ranges that follow incremental edits with multibyte text (Persian,
//! emoji, combining marks) and CRLF, in UTF-16 and UTF-8.

#[path = "common/lsp_client.rs"]
mod lsp_client;

use lsp_client::{uri, LspClient, TIMEOUT};
use serde_json::{json, Value};

/// Our own fixture (not from the corpus).
const TEXT: &str = "The ministry has 1,400 staff.\n\nA quiet paragraph.\n";

/// Column of byte offset `b` in `line` for the encoding.
fn col(line: &str, b: usize, utf8: bool) -> u32 {
    if utf8 {
        b as u32
    } else {
        line[..b].encode_utf16().count() as u32
    }
}

/// The text a range covers, in `text`, for the encoding.
fn covered(text: &str, range: &Value, utf8: bool) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let off = |p: &Value| -> usize {
        let l = p["line"].as_u64().unwrap() as usize;
        let c = p["character"].as_u64().unwrap() as usize;
        let start: usize = lines[..l].iter().map(|x| x.len() + 1).sum();
        let line = lines[l];
        let b = if utf8 {
            c
        } else {
            let mut units = 0;
            let mut b = line.len();
            for (i, ch) in line.char_indices() {
                if units >= c {
                    b = i;
                    break;
                }
                units += ch.len_utf16();
            }
            if units < c {
                b = line.len();
            }
            b
        };
        start + b
    };
    text[off(&range["start"])..off(&range["end"])].to_string()
}

fn figure_diag<'a>(d: &'a Value, text: &str) -> &'a Value {
    d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "unsourced-figure" && x["data"]["text"] == text)
        .unwrap_or_else(|| panic!("no unsourced-figure for {text:?} in {d}"))
}

fn session(utf8: bool) {
    let mut c = LspClient::start();
    let r = c.initialize(utf8);
    assert_eq!(
        r["result"]["capabilities"]["positionEncoding"],
        if utf8 { "utf-8" } else { "utf-16" }
    );
    let u = uri(if utf8 { "enc8.md" } else { "enc16.md" });
    c.open(&u, "markdown", 1, TEXT);
    let d = c.diagnostics(&u, Some(1), TIMEOUT);
    let f = figure_diag(&d, "1,400 staff");
    assert_eq!(f["source"], "factlens");
    assert_eq!(f["severity"], 2);
    assert!(
        f["message"].as_str().unwrap().contains("1,400 staff"),
        "{f}"
    );
    assert_eq!(covered(TEXT, &f["range"], utf8), "1,400 staff");

    // Insert Persian, an emoji and a combining mark before the figure.
    let mut text = TEXT.to_string();
    let ins = "سلام 😀 é ";
    let at = "The ministry ".len();
    c.change(
        &u,
        2,
        json!([{"range": {"start": {"line": 0, "character": at}, "end": {"line": 0, "character": at}}, "text": ins}]),
    );
    text.insert_str(at, ins);
    let d = c.diagnostics(&u, Some(2), TIMEOUT);
    let f = figure_diag(&d, "1,400 staff");
    assert_eq!(covered(&text, &f["range"], utf8), "1,400 staff");
    let first_line = text.split('\n').next().unwrap().to_string();
    let fig = first_line.find("1,400").unwrap();
    assert_eq!(
        f["range"]["start"]["character"],
        col(&first_line, fig, utf8)
    );

    // Delete the emoji (a surrogate pair in UTF-16, 4 bytes in UTF-8).
    let e = text.find('😀').unwrap();
    let (s, en) = (col(&first_line, e, utf8), col(&first_line, e + 4, utf8));
    c.change(
        &u,
        3,
        json!([{"range": {"start": {"line": 0, "character": s}, "end": {"line": 0, "character": en}}, "text": ""}]),
    );
    text.replace_range(e..e + 4, "");
    let d = c.diagnostics(&u, Some(3), TIMEOUT);
    let f = figure_diag(&d, "1,400 staff");
    assert_eq!(covered(&text, &f["range"], utf8), "1,400 staff");

    // Add a CRLF line with Persian text before it and a second figure.
    let line2 = "Προσοχή 👩‍👩‍👧 سلام: the port moved 3.5 million tonnes.\r\n";
    c.change(
        &u,
        4,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": line2}]),
    );
    text.insert_str(0, line2);
    let d = c.diagnostics(&u, Some(4), TIMEOUT);
    let f = figure_diag(&d, "1,400 staff");
    assert_eq!(f["range"]["start"]["line"], 1);
    assert_eq!(covered(&text, &f["range"], utf8), "1,400 staff");
    let g = figure_diag(&d, "3.5 million tonnes");
    assert_eq!(covered(&text, &g["range"], utf8), "3.5 million tonnes");
    assert!(!covered(&text, &g["range"], utf8).contains('\r'));

    // Hover on the figure, at its reported start.
    let h = c.hover(
        &u,
        f["range"]["start"]["line"].as_u64().unwrap() as u32,
        f["range"]["start"]["character"].as_u64().unwrap() as u32 + 1,
    );
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("1,400 staff") && md.contains("1,400"), "{md}");
    assert!(md.contains("unsourced"), "{md}");
    assert_eq!(h["range"], f["range"]);
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn ranges_follow_multibyte_edits_utf16() {
    session(false);
}

#[test]
fn ranges_follow_multibyte_edits_utf8() {
    session(true);
}

#[test]
fn severity_from_settings_and_off() {
    let mut c = LspClient::start();
    c.initialize_with(
        json!({}),
        json!({"factlens": {"severity": {"unsourced-figure": "error"}}}),
        None,
    );
    let u = uri("sev.md");
    c.open(&u, "markdown", 1, TEXT);
    let d = c.diagnostics(&u, Some(1), TIMEOUT);
    assert_eq!(figure_diag(&d, "1,400 staff")["severity"], 1);
    // Push-style settings turn it off; open documents are re-published.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"factlens": {"severity": {"unsourced-figure": "off"}}}}),
    );
    let d = c.wait_for("re-published diagnostics", TIMEOUT, |v| {
        v["method"] == "textDocument/publishDiagnostics"
            && v["params"]["uri"] == json!(uri("sev.md"))
            && !v["params"]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["code"] == "unsourced-figure")
    });
    assert_eq!(d["params"]["version"], 1);
}
