//! Protocol tests on the real binary: lifecycle, encodings, configuration.

#[path = "common/lsp_client.rs"]
mod lsp_client;

use lsp_client::{uri, LspClient, TIMEOUT};
use serde_json::{json, Value};
use std::time::Duration;

#[test]
fn initialize_negotiates_position_encoding() {
    let mut c = LspClient::start();
    let r = c.initialize(false);
    let caps = &r["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(r["result"]["serverInfo"]["name"], "factlens");
    assert_eq!(
        r["result"]["serverInfo"]["version"],
        env!("CARGO_PKG_VERSION")
    );
    // incremental sync
    assert_eq!(caps["textDocumentSync"]["change"], 2);
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(c.shutdown(), Some(0));

    let mut c = LspClient::start();
    let r = c.initialize(true);
    assert_eq!(r["result"]["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(c.shutdown(), Some(0));

    // Offered but only UTF-32 / UTF-16: UTF-16.
    let mut c = LspClient::start();
    let r = c.initialize_with(
        json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
        Value::Null,
        None,
    );
    assert_eq!(r["result"]["capabilities"]["positionEncoding"], "utf-16");
}

#[test]
fn requests_before_initialize_are_refused_not_fatal() {
    let mut c = LspClient::start();
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri("a.md")}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32002, "{r}");
    let r = c.initialize(false);
    assert!(r["result"]["capabilities"].is_object());
    // A second initialize is an error, the server stays up.
    let r = c.request("initialize", json!({"capabilities": {}}));
    assert!(r.get("error").is_some(), "{r}");
    c.open(&uri("a.md"), "markdown", 1, "Text.\n");
    c.diagnostics(&uri("a.md"), Some(1), TIMEOUT);
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn diagnostics_carry_the_document_version() {
    let mut c = LspClient::start();
    c.initialize(false);
    let u = uri("v.md");
    c.open(&u, "markdown", 7, "Nothing to see.\n");
    let d = c.diagnostics(&u, None, TIMEOUT);
    assert_eq!(d["version"], 7);
    c.change(&u, 8, json!([{"text": "Replaced entirely.\n"}]));
    let d = c.diagnostics(&u, None, TIMEOUT);
    assert_eq!(d["version"], 8);
    c.close(&u);
    let d = c.diagnostics(&u, None, TIMEOUT);
    assert_eq!(d["diagnostics"], json!([]));
}

#[test]
fn bad_config_file_is_reported_once_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("factlens.toml"),
        "[severity\nunsourced-figure = 3\n",
    )
    .unwrap();
    let root = format!("file://{}", dir.path().display());
    let mut c = LspClient::start();
    c.settings = json!({"severity": {"unbalanced-quote": "off"}});
    let r = c.initialize_with(
        json!({"workspace": {"configuration": true}}),
        json!({"factlens": {"datesAsFigures": true}}),
        Some(&root),
    );
    assert!(r["result"]["capabilities"].is_object());
    let m = c.wait_for("showMessage about factlens.toml", TIMEOUT, |v| {
        v["method"] == "window/showMessage"
    });
    assert_eq!(m["params"]["type"], 1);
    let msg = m["params"]["message"].as_str().unwrap();
    assert!(msg.contains("factlens.toml"), "{msg}");
    // The server asked for the editor settings.
    assert!(c
        .log
        .iter()
        .any(|v| v["method"] == "workspace/configuration"
            && v["params"]["items"][0]["section"] == "factlens"));
    // A configuration change re-reads; the same error is not shown again.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let again = c.try_wait_for(Duration::from_millis(800), |v| {
        v["method"] == "window/showMessage"
    });
    assert!(again.is_none(), "error shown twice: {again:?}");
    // Serving goes on with defaults.
    let u = uri("cfg.md");
    c.open(&u, "markdown", 1, "Text.\n");
    c.diagnostics(&u, Some(1), TIMEOUT);
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn unknown_settings_are_logged() {
    let mut c = LspClient::start();
    c.initialize_with(json!({}), json!({"factlens": {"noSuchKnob": 1}}), None);
    let m = c.wait_for("a warning naming the unknown setting", TIMEOUT, |v| {
        v["method"] == "window/logMessage"
            && v["params"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("noSuchKnob"))
    });
    assert_eq!(m["params"]["type"], 2);
}

#[test]
fn symbols_and_inlay_hints_on_quotations() {
    let mut c = LspClient::start();
    c.initialize(false);
    let u = uri("quotes.md");
    let text =
        "Ana Diaz arrived on Monday. \"We will rebuild the bridge within two years,\" she said.\n";
    c.open(&u, "markdown", 1, text);
    c.diagnostics(&u, Some(1), TIMEOUT);
    let r = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    let syms = r["result"].as_array().expect("symbols");
    let speaker = syms
        .iter()
        .find(|s| s["name"] == "Ana Diaz")
        .unwrap_or_else(|| panic!("no speaker group in {r}"));
    assert!(speaker["children"][0]["name"]
        .as_str()
        .unwrap()
        .contains("We will rebuild"));
    assert!(syms.iter().any(|s| s["name"] == "Figures"), "{r}");
    let r = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}}),
    );
    let hints = r["result"].as_array().expect("hints");
    assert_eq!(hints.len(), 1, "{r}");
    assert_eq!(hints[0]["label"], "= Ana Diaz");
    let she = text.find(" she ").unwrap() + 4;
    assert_eq!(hints[0]["position"], json!({"line": 0, "character": she}));
    assert_eq!(c.shutdown(), Some(0));
}

/// Severity of the `unsourced-figure` diagnostic in a publishDiagnostics
/// notification (None if there is none).
fn figure_severity(v: &Value) -> Option<i64> {
    v["params"]["diagnostics"]
        .as_array()?
        .iter()
        .find(|d| d["code"] == "unsourced-figure")
        .and_then(|d| d["severity"].as_i64())
}

/// Wait for a republish of `u` whose figure diagnostic has `severity`.
fn wait_figure_severity(c: &mut LspClient, u: &str, severity: i64, what: &str) {
    let u = u.to_string();
    c.wait_for(what, TIMEOUT, move |v| {
        v["method"] == "textDocument/publishDiagnostics"
            && v["params"]["uri"] == json!(u)
            && figure_severity(v) == Some(severity)
    });
}

#[test]
fn severity_setting_change_republishes_open_documents() {
    // Push model: the settings come in the notification.
    let mut c = LspClient::start();
    c.initialize(false);
    let u = uri("severity-push.md");
    c.open(
        &u,
        "markdown",
        1,
        "The bridge repairs will cost $4.2 million next spring.\n",
    );
    wait_figure_severity(&mut c, &u, 2, "the figure as a warning (default)");
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"factlens": {"severity": {"unsourced-figure": "error"}}}}),
    );
    wait_figure_severity(&mut c, &u, 1, "the figure republished as an error");
    // Back to nothing set (VS Code pushes an empty section): the default again.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"factlens": {}}}),
    );
    wait_figure_severity(&mut c, &u, 2, "the figure back to a warning");
    assert_eq!(c.shutdown(), Some(0));

    // Pull model: the notification carries nothing; the server asks
    // workspace/configuration and republishes with the answer.
    let mut c = LspClient::start();
    c.initialize_with(
        json!({"workspace": {"configuration": true, "didChangeConfiguration": {"dynamicRegistration": true}}}),
        Value::Null,
        None,
    );
    let u = uri("severity-pull.txt");
    c.open(
        &u,
        "plaintext",
        1,
        "About 3,200 homes lost power overnight.\n",
    );
    wait_figure_severity(&mut c, &u, 2, "the figure as a warning (default)");
    c.settings = json!({"severity": {"unsourced-figure": "error"}});
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    wait_figure_severity(&mut c, &u, 1, "the figure republished as an error (pull)");
    let asked = c
        .log
        .iter()
        .filter(|v| v["method"] == "workspace/configuration")
        .count();
    assert!(
        asked >= 2,
        "the server did not re-ask workspace/configuration"
    );
    c.settings = json!({"severity": {"unsourced-figure": "hint"}});
    c.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    wait_figure_severity(&mut c, &u, 4, "the figure republished as a hint (pull)");
    assert_eq!(c.shutdown(), Some(0));
}
