//! The server survives bad input: after each abuse it still answers a
//! request and keeps serving other documents.

#[path = "common/lsp_client.rs"]
mod lsp_client;

use lsp_client::{uri, LspClient, TIMEOUT};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const FIXTURE: &str = "The ministry has 1,400 staff.\n\nA second paragraph without numbers.\n";

/// The server answers a request and serves a fresh document.
fn still_serving(c: &mut LspClient, tag: &str) {
    assert!(c.alive(), "server died after {tag}\n{}", c.stderr_tail());
    let r = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri("nowhere.md")}}),
    );
    assert!(r.get("result").is_some(), "no answer after {tag}: {r}");
    let u = uri(&format!("probe-{tag}.md"));
    c.open(&u, "markdown", 1, FIXTURE);
    c.diagnostics(&u, Some(1), TIMEOUT);
    c.hover(&u, 0, 18);
    c.close(&u);
}

fn started() -> LspClient {
    let mut c = LspClient::start();
    let r = c.initialize(false);
    assert!(r["result"]["capabilities"].is_object(), "{r}");
    c
}

fn error_reply(c: &mut LspClient, what: &str) -> Value {
    c.wait_for(what, TIMEOUT, |v| {
        v.get("error").is_some() && v.get("method").is_none()
    })
}

#[test]
fn non_json_body_gets_parse_error() {
    let mut c = started();
    c.send_body(b"this is { not json");
    let e = error_reply(&mut c, "-32700");
    assert_eq!(e["error"]["code"], -32700);
    assert_eq!(e["id"], Value::Null);
    still_serving(&mut c, "non-json");
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn json_that_is_not_jsonrpc_gets_invalid_request() {
    let mut c = started();
    c.send_body(b"[]");
    let e = error_reply(&mut c, "-32600 for []");
    assert_eq!(e["error"]["code"], -32600);
    still_serving(&mut c, "empty-array");
    c.send_body(br#"{"jsonrpc":"2.0","params":{}}"#);
    let e = error_reply(&mut c, "-32600 for no method/id");
    assert_eq!(e["error"]["code"], -32600);
    c.send_body(br#"{"jsonrpc":"2.0","id":41,"method":7}"#);
    let e = error_reply(&mut c, "-32600 for numeric method");
    assert_eq!(e["error"]["code"], -32600);
    assert_eq!(e["id"], 41);
    still_serving(&mut c, "bad-method");
}

#[test]
fn bad_headers_are_skipped() {
    let mut c = started();
    c.send_raw(b"Content-Length: twelve\r\n\r\n{\"x\":1}");
    c.send_raw(b"garbage line without a header\r\n\r\n");
    still_serving(&mut c, "bad-headers");
    // A header block that never ends, then a good frame.
    c.send_raw(&vec![b'x'; 20_000]);
    still_serving(&mut c, "long-garbage");
}

#[test]
fn lone_surrogate_and_invalid_utf8_are_replaced() {
    let mut c = started();
    let u = uri("surrogate.md");
    let body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{u}","languageId":"markdown","version":1,"text":"Broken \ud800 here and \udc00 there."}}}}}}"#
    );
    c.send_body(body.as_bytes());
    let d = c.diagnostics(&u, Some(1), TIMEOUT);
    assert!(d["diagnostics"].is_array());
    // The text holds U+FFFD where the surrogate was: an edit at column 9
    // (after "Broken " + U+FFFD + " ") lands where expected.
    c.change(
        &u,
        2,
        json!([{"range": {"start": {"line": 0, "character": 9}, "end": {"line": 0, "character": 13}}, "text": "over"}]),
    );
    c.diagnostics(&u, Some(2), TIMEOUT);
    still_serving(&mut c, "surrogate");

    let u2 = uri("latin1.md");
    let mut raw = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{u2}","languageId":"markdown","version":1,"text":"caf"#
    )
    .into_bytes();
    raw.extend_from_slice(b"\xe9 \xff\xfe ok\"}}}");
    c.send_body(&raw);
    c.diagnostics(&u2, Some(1), TIMEOUT);
    still_serving(&mut c, "invalid-utf8");
}

#[test]
fn reversed_out_of_range_and_unknown_edits() {
    let mut c = started();
    let u = uri("edits.md");
    c.open(&u, "markdown", 1, FIXTURE);
    c.diagnostics(&u, Some(1), TIMEOUT);
    // reversed range
    c.change(
        &u,
        2,
        json!([{"range": {"start": {"line": 2, "character": 8}, "end": {"line": 2, "character": 2}}, "text": ""}]),
    );
    c.diagnostics(&u, Some(2), TIMEOUT);
    // out of range: line and column far past the end
    c.change(
        &u,
        3,
        json!([{"range": {"start": {"line": 0, "character": 9999}, "end": {"line": 500, "character": 3}}, "text": " tail"}]),
    );
    c.diagnostics(&u, Some(3), TIMEOUT);
    let log = c.wait_for("a log about the clamped range", TIMEOUT, |v| {
        v["method"] == "window/logMessage"
            && v["params"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("clamped"))
    });
    assert!(log["params"]["message"]
        .as_str()
        .unwrap()
        .contains("edits.md"));
    // unknown document
    c.change(
        &uri("never-opened.md"),
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]),
    );
    let log = c.wait_for("an error log for the unknown document", TIMEOUT, |v| {
        v["method"] == "window/logMessage"
            && v["params"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("never-opened.md"))
    });
    assert_eq!(log["params"]["type"], 1);
    // params of the wrong shape
    c.notify("textDocument/didChange", json!({"textDocument": 5}));
    let r = c.request("textDocument/hover", json!({"bogus": true}));
    assert!(r.get("error").is_some(), "{r}");
    still_serving(&mut c, "edits");
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn burst_of_300_keystrokes_coalesces() {
    let mut c = started();
    let u = uri("burst.md");
    c.open(&u, "markdown", 1, FIXTURE);
    c.diagnostics(&u, Some(1), TIMEOUT);
    let mut col = 0;
    let mut version = 1;
    for i in 0..300 {
        version += 1;
        let ch = ["a", "ß", "😀", " "][i % 4];
        c.change(
            &u,
            version,
            json!([{"range": {"start": {"line": 2, "character": col}, "end": {"line": 2, "character": col}}, "text": ch}]),
        );
        col += ch.encode_utf16().count() as u32;
        std::thread::sleep(Duration::from_millis(5));
    }
    let last = Instant::now();
    let d = c.diagnostics(&u, Some(version), Duration::from_secs(10));
    let took = last.elapsed();
    // Debug build on a shared machine: generous, but a wedged queue fails.
    assert!(
        took < Duration::from_secs(2),
        "final diagnostics after {took:?}"
    );
    assert!(d["diagnostics"].is_array());
    // No diagnostics for an older version arrive after the last one.
    c.inbox.clear(); // (those received before it)
    let stale = c.try_wait_for(Duration::from_millis(300), |v| {
        v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == json!(u.clone())
    });
    assert!(stale.is_none(), "late diagnostics: {stale:?}");
    still_serving(&mut c, "burst");
}

/// Edits that arrive while a long document is being analysed make the
/// server give that analysis up and analyse the newest text: the
/// diagnostics that arrive are the last version's, with every figure the
/// edits typed (none lost, none doubled), and nothing older follows them.
#[test]
fn edits_during_a_long_analysis_end_with_the_last_version() {
    let mut c = started();
    let u = uri("long.md");
    // About 1 MB, thousands of sentences, no figures.
    let para = "The board met on Tuesday. It approved the plan after a long debate.\n\n";
    let text = para.repeat(1024 * 1024 / para.len());
    c.open(&u, "markdown", 1, &text);
    let mut version = 1;
    for n in 1..=20 {
        version += 1;
        // Each edit types one sentence with a figure at the very start.
        c.change(
            &u,
            version,
            json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                    "text": format!("Crews fixed {n} pipes. ")}]),
        );
        std::thread::sleep(Duration::from_millis(15));
    }
    let d = c.diagnostics(&u, Some(version), Duration::from_secs(60));
    let first_line: Vec<&Value> = d["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["range"]["start"]["line"] == 0)
        .collect();
    assert_eq!(first_line.len(), 20, "{first_line:?}");
    assert!(first_line.iter().all(|d| d["code"] == "unsourced-figure"));
    // The last edit's sentence comes first: `Crews fixed 20 pipes.`
    assert_eq!(first_line[0]["range"]["start"]["character"], 12);
    assert_eq!(first_line[0]["range"]["end"]["character"], 20);
    assert!(
        first_line[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("\"20 pipes\"")),
        "{}",
        first_line[0]
    );
    c.inbox.clear();
    let stale = c.try_wait_for(Duration::from_millis(300), |v| {
        v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == json!(u.clone())
    });
    assert!(stale.is_none(), "late diagnostics: {stale:?}");
    still_serving(&mut c, "long-analysis");
}

#[test]
fn five_hundred_open_close_pairs() {
    let mut c = started();
    let u = uri("flicker.md");
    for v in 1..=500 {
        c.open(&u, "markdown", v, FIXTURE);
        c.close(&u);
    }
    still_serving(&mut c, "open-close");
    // The document ends closed: its last diagnostics (if any) are empty.
    let _ = c.try_wait_for(Duration::from_millis(500), |_| false);
    let last = c.log.iter().rev().find(|v| {
        v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == json!(u.clone())
    });
    if let Some(last) = last {
        assert_eq!(
            last["params"]["diagnostics"],
            json!([]),
            "closed document keeps diagnostics"
        );
    }
    let r = c.hover(&u, 0, 18);
    assert_eq!(r, Value::Null, "hover on a closed document");
}

#[test]
fn twenty_megabyte_document_does_not_block_requests() {
    let mut c = started();
    let small = uri("small.md");
    c.open(&small, "markdown", 1, FIXTURE);
    c.diagnostics(&small, Some(1), TIMEOUT);
    let para = "The agency said it had hired 250 people in 2020, and “we will hire more,” a spokeswoman added. Prices rose 3.5% سلام 😀.\n\n";
    let big: String = para.repeat(20 * 1024 * 1024 / para.len() + 1);
    assert!(big.len() >= 20 * 1024 * 1024);
    let bu = uri("big.md");
    c.open(&bu, "markdown", 1, &big);
    // Other requests and documents are served while the big one is analysed.
    let t = Instant::now();
    c.hover(&small, 0, 18);
    c.change(
        &small,
        2,
        json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "New. "}]),
    );
    c.diagnostics(&small, Some(2), TIMEOUT);
    let took = t.elapsed();
    assert!(
        took < Duration::from_secs(5),
        "small document served after {took:?}"
    );
    still_serving(&mut c, "20mb");
    // Closing it mid-analysis is fine too; the server exits promptly.
    c.close(&bu);
    still_serving(&mut c, "20mb-closed");
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn exits_on_exit_and_on_eof() {
    let c = started();
    assert_eq!(c.shutdown(), Some(0));
    let mut c = started();
    c.notify("exit", Value::Null);
    assert_eq!(
        c.wait_exit(Duration::from_secs(10)),
        Some(1),
        "exit without shutdown"
    );
    let mut c = started();
    c.close_stdin();
    assert!(c.wait_exit(Duration::from_secs(10)).is_some());
}
