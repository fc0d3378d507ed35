//! Quick fixes and the workspace: code actions that remove their
//! diagnostic, and claims matched across the articles of a workspace
//! (conflicting figures, hover, references, code lens, workspace symbols,
//! watched files). Fixtures are our own sentences.

#[path = "common/lsp_client.rs"]
mod lsp_client;

use lsp_client::{uri, LspClient, TIMEOUT};
use serde_json::{json, Value};
use std::time::Duration;

/// Apply LSP text edits (UTF-16 positions) to a text.
fn apply(text: &str, edits: &[Value]) -> String {
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let off = |p: &Value| {
        let l = p["line"].as_u64().unwrap() as usize;
        let c = p["character"].as_u64().unwrap() as usize;
        let start = lines[l.min(lines.len() - 1)];
        let mut units = 0;
        for (i, ch) in text[start..].char_indices() {
            if units >= c || ch == '\n' {
                return start + i;
            }
            units += ch.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                off(&e["range"]["start"]),
                off(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Apply from the end; same-offset inserts keep their order.
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, e, t) in spans {
        out.replace_range(s..e, &t);
    }
    out
}

fn find_diag(d: &Value, code: &str, text: &str) -> Option<Value> {
    d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == code && x["data"]["text"] == text)
        .cloned()
}

fn quick_fix(document_changes: bool, language: &str, name: &str) {
    let mut c = LspClient::start();
    c.initialize_with(
        json!({"workspace": {"workspaceEdit": {"documentChanges": document_changes}}}),
        Value::Null,
        None,
    );
    let u = uri(name);
    let text = "Intro line.\n\nThe ministry has 1,400 staff. It is growing.\n";
    c.open(&u, language, 1, text);
    let d = c.diagnostics(&u, Some(1), TIMEOUT);
    let diag = find_diag(&d, "unsourced-figure", "1,400 staff").expect("finding");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
    );
    let actions = r["result"].as_array().expect("actions").clone();
    let add = actions
        .iter()
        .find(|a| a["title"] == "Add source note")
        .unwrap_or_else(|| panic!("no Add source note in {actions:?}"));
    assert_eq!(add["kind"], "quickfix");
    assert_eq!(add["diagnostics"][0]["code"], "unsourced-figure");
    let edits: Vec<Value> = if document_changes {
        let dc = &add["edit"]["documentChanges"][0];
        assert_eq!(dc["textDocument"]["uri"], json!(u));
        assert_eq!(dc["textDocument"]["version"], 1);
        dc["edits"].as_array().unwrap().clone()
    } else {
        add["edit"]["changes"][u.as_str()]
            .as_array()
            .unwrap()
            .clone()
    };
    let fixed = apply(text, &edits);
    if language == "markdown" {
        assert!(fixed.contains("staff.[^src-1]"), "{fixed}");
        assert!(fixed.contains("[^src-1]: Source: "), "{fixed}");
    } else {
        assert!(fixed.contains("staff. [Source: ]"), "{fixed}");
    }
    // The note is applied and the document re-analysed: the note is a
    // source, so the finding is gone without saving.
    c.change(&u, 2, json!([{"text": fixed}]));
    let d = c.diagnostics(&u, Some(2), TIMEOUT);
    assert!(
        find_diag(&d, "unsourced-figure", "1,400 staff").is_none(),
        "the source note did not clear the finding: {d}"
    );
    // Back to the unsourced text, then *Ignore here*: after it, the
    // diagnostic is gone on the next analysis.
    c.change(&u, 3, json!([{"text": text}]));
    let d = c.diagnostics(&u, Some(3), TIMEOUT);
    let diag = find_diag(&d, "unsourced-figure", "1,400 staff").expect("finding again");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
    );
    let actions = r["result"].as_array().expect("actions").clone();
    let ignore = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Ignore") && t.ends_with("here"))
        })
        .unwrap_or_else(|| panic!("no ignore action in {actions:?}"));
    let edits: Vec<Value> = if document_changes {
        assert_eq!(
            ignore["edit"]["documentChanges"][0]["textDocument"]["version"],
            3
        );
        ignore["edit"]["documentChanges"][0]["edits"]
            .as_array()
            .unwrap()
            .clone()
    } else {
        ignore["edit"]["changes"][u.as_str()]
            .as_array()
            .unwrap()
            .clone()
    };
    let ignored = apply(text, &edits);
    assert!(ignored.contains("factlens-ignore"), "{ignored}");
    c.change(&u, 4, json!([{"text": ignored}]));
    let d = c.diagnostics(&u, Some(4), TIMEOUT);
    assert!(
        find_diag(&d, "unsourced-figure", "1,400 staff").is_none(),
        "{d}"
    );
    // Cursor-only request (no diagnostics in the context) on version 4: nothing to fix.
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": u}, "range": {"start": {"line": 2, "character": 20}, "end": {"line": 2, "character": 20}}, "context": {"diagnostics": []}}),
    );
    assert_eq!(r["result"], json!([]));
}

#[test]
fn add_source_note_markdown_with_document_changes() {
    quick_fix(true, "markdown", "fix.md");
}

#[test]
fn add_source_note_plain_text_with_changes() {
    quick_fix(false, "plaintext", "fix.txt");
}

/// Poll the code lens of `u` until its first title is `title` (5 s).
fn wait_lens(c: &mut LspClient, u: &str, title: &str) -> bool {
    for _ in 0..50 {
        let r = c.request("textDocument/codeLens", json!({"textDocument": {"uri": u}}));
        if r["result"][0]["command"]["title"] == title {
            return true;
        }
        let _ = c.try_wait_for(Duration::from_millis(100), |_| false);
    }
    false
}

fn file_uri(p: &std::path::Path) -> String {
    format!("file://{}", p.display())
}

/// Announce changed files as the client's watcher does, in one batch
/// (type 1 created, 2 changed, 3 deleted).
fn files_changed(c: &mut LspClient, changes: &[(std::path::PathBuf, u8)]) {
    let changes: Vec<Value> = changes
        .iter()
        .map(|(p, t)| json!({"uri": file_uri(p), "type": t}))
        .collect();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": changes }),
    );
}

/// A server initialised on `root` with `capabilities`, once its
/// background indexing has ended: the client and the progress `end`.
fn start_indexed(root: &std::path::Path, capabilities: Value) -> (LspClient, Value) {
    let mut c = LspClient::start();
    c.initialize_with(capabilities, Value::Null, Some(&file_uri(root)));
    let end = c.wait_for("progress end", TIMEOUT, |v| {
        v["method"] == "$/progress" && v["params"]["value"]["kind"] == "end"
    });
    (c, end)
}

#[test]
fn claims_across_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("budget.md"),
        "---\ntitle: Harbour budget approved\noutlet: Coast Daily\ndate: 2024-03-01\n---\n\nThe Velmora city council approved a budget of $5 million for the new Ostrava harbour bridge, officials said.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("notes.txt"),
        "Unrelated notes\n\nThe weather was mild.\n",
    )
    .unwrap();
    let draft = root.join("draft.txt");
    let draft_text = "Council votes on bridge\n\nThe Velmora city council approved a budget of $7 million for the new Ostrava harbour bridge.\n";
    std::fs::write(&draft, draft_text).unwrap();

    let mut c = LspClient::start();
    let r = c.initialize_with(
        json!({"window": {"workDoneProgress": true},
               "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
        Value::Null,
        Some(&file_uri(&root)),
    );
    let caps = &r["result"]["capabilities"];
    assert_eq!(caps["referencesProvider"], true);
    assert_eq!(caps["workspaceSymbolProvider"], true);
    // Indexing runs in the background with progress.
    let end = c.wait_for("progress end", TIMEOUT, |v| {
        v["method"] == "$/progress" && v["params"]["value"]["kind"] == "end"
    });
    assert!(
        end["params"]["value"]["message"]
            .as_str()
            .unwrap()
            .contains("indexed 3"),
        "{end}"
    );
    assert!(c
        .log
        .iter()
        .any(|v| v["method"] == "window/workDoneProgress/create"));
    assert!(c
        .log
        .iter()
        .any(|v| v["method"] == "client/registerCapability"));

    let u = file_uri(&draft);
    c.open(&u, "plaintext", 1, draft_text);
    // The analysis is published first; cross-article findings follow once
    // the index has the buffer (same version).
    let uu = u.clone();
    let d = c.wait_for("conflicting-figure diagnostics", TIMEOUT, move |v| {
        v["method"] == "textDocument/publishDiagnostics"
            && v["params"]["uri"] == json!(uu)
            && v["params"]["version"] == 1
            && v.to_string().contains("conflicting-figure")
    })["params"]
        .clone();
    let conflict = find_diag(&d, "conflicting-figure", "$7 million")
        .unwrap_or_else(|| panic!("no conflicting-figure in {d}"));
    assert_eq!(conflict["severity"], 2);
    let rel = &conflict["relatedInformation"][0];
    assert_eq!(
        rel["location"]["uri"],
        json!(file_uri(&root.join("budget.md")))
    );
    assert_eq!(rel["location"]["range"]["start"]["line"], 6);
    assert!(
        conflict["message"].as_str().unwrap().contains("$5 million"),
        "{conflict}"
    );

    // Hover on the figure lists the matching claim with a file link.
    let line = 2;
    let ch = "The Velmora city council approved a budget of ".len() as u32 + 1;
    let h = c.hover(&u, line, ch);
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("1 matching claim"), "{md}");
    assert!(md.contains("Harbour budget approved"), "{md}");
    assert!(md.contains("Coast Daily · 2024-03-01"), "{md}");
    assert!(md.contains("budget.md#L7"), "{md}");
    assert!(md.contains("conflict"), "{md}");

    // References: the claim in the other article.
    let r = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": {"line": line, "character": ch}, "context": {"includeDeclaration": false}}),
    );
    let locs = r["result"].as_array().unwrap();
    assert_eq!(locs.len(), 1, "{r}");
    assert_eq!(locs[0]["uri"], json!(file_uri(&root.join("budget.md"))));

    // Code lens on the paragraph.
    let r = c.request("textDocument/codeLens", json!({"textDocument": {"uri": u}}));
    let lens = &r["result"][0];
    assert_eq!(
        lens["command"]["title"], "1 matching claim · 1 conflict",
        "{r}"
    );
    assert_eq!(lens["range"]["start"]["line"], 2);
    let _ = line;

    // Workspace symbols search claims.
    let r = c.request(
        "workspace/symbol",
        json!({"query": "Ostrava harbour bridge"}),
    );
    let names: Vec<String> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["location"]["uri"].as_str().unwrap().to_string())
        .collect();
    assert!(names.iter().any(|n| n.ends_with("budget.md")), "{r}");

    // An edit elsewhere keeps the conflict in the very first publish of the
    // new version (matches of unchanged sentences are carried over).
    c.change(
        &u,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "سلام 😀\n\n"}]),
    );
    let d = c.diagnostics(&u, Some(2), TIMEOUT);
    let moved = find_diag(&d, "conflicting-figure", "$7 million")
        .unwrap_or_else(|| panic!("conflict not carried over: {d}"));
    assert_eq!(moved["range"]["start"]["line"], 4);
    assert_eq!(
        moved["range"]["start"]["character"],
        conflict["range"]["start"]["character"]
    );

    // A new article on disk, announced by the watcher, is matched too.
    std::fs::write(
        root.join("wire.md"),
        "The Velmora city council approved a budget of $7 million for the new Ostrava harbour bridge, the agency reported.\n",
    )
    .unwrap();
    files_changed(&mut c, &[(root.join("wire.md"), 1)]);
    assert!(
        wait_lens(&mut c, &u, "2 matching claims · 1 conflict"),
        "new file not matched"
    );
    // Deleting it removes it again.
    std::fs::remove_file(root.join("wire.md")).unwrap();
    files_changed(&mut c, &[(root.join("wire.md"), 3)]);
    let ok = wait_lens(&mut c, &u, "1 matching claim · 1 conflict");
    assert!(ok, "deleted file still matched");
    assert_eq!(c.shutdown(), Some(0));
}

/// Two open articles report one figure; an edit of one makes them differ.
/// The conflict shows in both: the edited one at once, the other without
/// being edited (it is matched again once the index has the edit), and it
/// goes from both when the figures agree again.
#[test]
fn an_edit_updates_the_conflicts_of_other_open_articles() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let text = "Council votes on bridge\n\nThe Velmora city council approved a budget of $5 million for the new Ostrava harbour bridge, officials said.\n";
    let (a, b) = (root.join("a.txt"), root.join("b.txt"));
    std::fs::write(&a, text).unwrap();
    std::fs::write(&b, text).unwrap();
    let (mut c, _) = start_indexed(&root, json!({"window": {"workDoneProgress": true}}));
    let (ua, ub) = (file_uri(&a), file_uri(&b));
    c.open(&ua, "plaintext", 1, text);
    c.open(&ub, "plaintext", 1, text);
    let _ = c.diagnostics(&ua, Some(1), TIMEOUT);
    let _ = c.diagnostics(&ub, Some(1), TIMEOUT);
    let conflict_in = |c: &mut LspClient, u: &str, version: i64, want: bool| {
        let u = u.to_string();
        c.try_wait_for(TIMEOUT, move |v| {
            v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == json!(u)
                && v["params"]["version"] == version
                && v.to_string().contains("conflicting-figure") == want
        })
        .is_some()
    };
    // `$5 million` -> `$7 million` in a.
    let at = "The Velmora city council approved a budget of $".len() as u32;
    let edit = |to: &str| json!([{"range": {"start": {"line": 2, "character": at}, "end": {"line": 2, "character": at + 1}}, "text": to}]);
    c.inbox.clear();
    c.change(&ua, 2, edit("7"));
    assert!(
        conflict_in(&mut c, &ua, 2, true),
        "no conflict in the edited article"
    );
    assert!(
        conflict_in(&mut c, &ub, 1, true),
        "no conflict in the other article"
    );
    // And back: the conflict goes from both (what came before is read).
    c.inbox.clear();
    c.change(&ua, 3, edit("5"));
    assert!(
        conflict_in(&mut c, &ua, 3, false),
        "conflict stays in the edited article"
    );
    assert!(
        conflict_in(&mut c, &ub, 1, false),
        "conflict stays in the other article"
    );
    assert_eq!(c.shutdown(), Some(0));
}

/// The URIs in a JSON value (locations, symbols, hover links) that name a
/// file under one of `dirs`.
fn mentions_any(v: &Value, dirs: &[&str]) -> Vec<String> {
    let text = v.to_string();
    dirs.iter()
        .filter(|d| text.contains(*d))
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn excluded_and_ignored_files_stay_out_of_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("factlens.toml", "exclude = [\"drafts/**\"]\n");
    write(".gitignore", "scratch/\n");
    write(
        "budget.md",
        "# Harbour budget approved\n\nThe Velmora city council approved a budget of $5 million for the new Ostrava harbour bridge, officials said.\n",
    );
    let draft = root.join("draft.txt");
    let draft_text = "Council votes on bridge\n\nThe Velmora city council approved a budget of $7 million for the new Ostrava harbour bridge.\n";
    std::fs::write(&draft, draft_text).unwrap();

    let (mut c, end) = start_indexed(
        &root,
        json!({"window": {"workDoneProgress": true},
               "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    let msg = end["params"]["value"]["message"].as_str().unwrap();
    assert!(msg.contains("indexed 2 "), "{end}");
    let u = file_uri(&draft);
    c.open(&u, "plaintext", 1, draft_text);
    assert!(
        wait_lens(&mut c, &u, "1 matching claim · 1 conflict"),
        "budget.md not matched"
    );

    // New copies of the claim with other figures: excluded by the config,
    // under a .gitignore'd folder, in a hidden folder; and one article that
    // is indexed, announced last in the same batch.
    let copy = |figure: &str| {
        format!("Bridge plan\n\nThe Velmora city council approved a budget of {figure} for the new Ostrava harbour bridge, the paper said.\n")
    };
    write("drafts/copy.md", &copy("$9 million"));
    write("scratch/copy.md", &copy("$11 million"));
    write(".hidden/copy.md", &copy("$13 million"));
    write("wires/wire.md", &copy("$7 million"));
    let hidden = ["drafts/copy.md", "scratch/copy.md", ".hidden/copy.md"];
    let created: Vec<(std::path::PathBuf, u8)> = hidden
        .iter()
        .chain(["wires/wire.md"].iter())
        .map(|f| (root.join(f), 1))
        .collect();
    files_changed(&mut c, &created);
    assert!(
        wait_lens(&mut c, &u, "2 matching claims · 1 conflict"),
        "wires/wire.md not matched, or an excluded file was"
    );
    let ch = "The Velmora city council approved a budget of ".len() as u32 + 1;
    let h = c.hover(&u, 2, ch);
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("2 matching claims"),
        "{h}"
    );
    assert_eq!(mentions_any(&h, &hidden), Vec::<String>::new(), "{h}");
    let r = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": {"line": 2, "character": ch}, "context": {"includeDeclaration": false}}),
    );
    assert_eq!(r["result"].as_array().unwrap().len(), 2, "{r}");
    assert_eq!(mentions_any(&r, &hidden), Vec::<String>::new(), "{r}");
    let r = c.request(
        "workspace/symbol",
        json!({"query": "Ostrava harbour bridge"}),
    );
    assert!(
        mentions_any(&r, &["budget.md", "wire.md"]).len() == 2,
        "{r}"
    );
    assert_eq!(mentions_any(&r, &hidden), Vec::<String>::new(), "{r}");

    // A change to an excluded file is not indexed either; and a config
    // that now excludes budget.md drops it from the index (same batch).
    write("drafts/copy.md", &copy("$15 million"));
    write(
        "factlens.toml",
        "exclude = [\"drafts/**\", \"budget.md\"]\n",
    );
    files_changed(
        &mut c,
        &[
            (root.join("drafts/copy.md"), 2),
            (root.join("factlens.toml"), 2),
        ],
    );
    assert!(
        wait_lens(&mut c, &u, "1 matching claim"),
        "budget.md still matched after the config excluded it"
    );
    let r = c.request(
        "workspace/symbol",
        json!({"query": "Ostrava harbour bridge"}),
    );
    let mut named = mentions_any(&r, &["budget.md", "drafts/copy.md"]);
    named.extend(mentions_any(&r, &hidden[1..]));
    assert_eq!(named, Vec::<String>::new(), "{r}");

    // Included again: indexed again.
    write("factlens.toml", "exclude = [\"drafts/**\"]\n");
    files_changed(&mut c, &[(root.join("factlens.toml"), 2)]);
    assert!(
        wait_lens(&mut c, &u, "2 matching claims · 1 conflict"),
        "budget.md not indexed again"
    );

    // A deleted folder takes its articles out of the index.
    std::fs::remove_dir_all(root.join("wires")).unwrap();
    files_changed(&mut c, &[(root.join("wires"), 3)]);
    assert!(
        wait_lens(&mut c, &u, "1 matching claim · 1 conflict"),
        "the articles of a deleted folder are still matched"
    );
    assert_eq!(c.shutdown(), Some(0));
}

/// A sentence of two clauses is two claims; when both match one sentence
/// of another article, the paragraph's lens counts that sentence once, and
/// each clause's hover and references list it.
#[test]
fn two_clauses_matching_one_sentence_are_one_matching_claim() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("other.md"),
        "Ferry sold\n\nThe sale of the harbour ferry Aldra to a local Velmora trust for $2 million came as the Ostby harbour ferry terminal closed after 40 years, officials said.\n",
    )
    .unwrap();
    let draft = root.join("draft.txt");
    let draft_text = "Council cuts\n\nThe Velmora council closed the Ostby harbour ferry terminal after 40 years, sold the harbour ferry Aldra to a local trust for $2 million and cut the weekend bus service, officials said.\n";
    std::fs::write(&draft, draft_text).unwrap();

    let (mut c, _) = start_indexed(&root, json!({"window": {"workDoneProgress": true}}));
    let u = file_uri(&draft);
    c.open(&u, "plaintext", 1, draft_text);
    assert!(
        wait_lens(&mut c, &u, "1 matching claim"),
        "{}",
        c.request("textDocument/codeLens", json!({"textDocument": {"uri": u}}))
    );
    // An edit elsewhere (the headline): until the index has the new
    // version, each clause keeps its matches, moved with its sentence.
    c.change(
        &u,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "Port "}]),
    );
    c.diagnostics(&u, Some(2), TIMEOUT);
    let draft_text = format!("Port {draft_text}");
    // Each clause, on its own words, finds the other article's sentence.
    for words in ["ferry terminal after", "for $2 million"] {
        let ch = draft_text.lines().nth(2).unwrap().find(words).unwrap() as u32;
        let r = c.request(
            "textDocument/references",
            json!({"textDocument": {"uri": u}, "position": {"line": 2, "character": ch}, "context": {"includeDeclaration": false}}),
        );
        let locs = r["result"].as_array().unwrap();
        assert_eq!(locs.len(), 1, "{words}: {r}");
        assert_eq!(locs[0]["uri"], json!(file_uri(&root.join("other.md"))));
    }
}

/// A sentence quoting two passages: the `quote-variant` diagnostic is on
/// the passage another article words differently, and stays on it when
/// an edit above moves the sentence.
#[test]
fn a_quote_variant_is_the_reworded_passage() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(
        root.join("lund.txt"),
        "Lund speaks\n\n\"The council has gone quiet on the ferry contract,\" Councillor Maya Lund told the harbour meeting.\n",
    )
    .unwrap();
    let draft = root.join("draft.md");
    let text = "# Ferry row\n\nCouncillor Maya Lund called the vote \"a shameful day for the harbour and for every family that has waited years for it\" and said the council had \"gone completely quiet on the new ferry contract\" since June.\n";
    std::fs::write(&draft, text).unwrap();
    let (mut c, _) = start_indexed(&root, json!({"window": {"workDoneProgress": true}}));
    let u = file_uri(&draft);
    c.open(&u, "markdown", 1, text);
    let uu = u.clone();
    let d = c.wait_for("quote-variant diagnostics", TIMEOUT, move |v| {
        v["method"] == "textDocument/publishDiagnostics"
            && v["params"]["uri"] == json!(uu)
            && v.to_string().contains("quote-variant")
    })["params"]
        .clone();
    let variants: Vec<&Value> = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["code"] == "quote-variant")
        .collect();
    assert_eq!(variants.len(), 1, "{d}");
    let passage = "gone completely quiet on the new ferry contract";
    let col = text.lines().nth(2).unwrap().find(passage).unwrap() as u64;
    assert_eq!(variants[0]["range"]["start"]["line"], 2, "{d}");
    assert_eq!(variants[0]["range"]["start"]["character"], col, "{d}");
    assert_eq!(
        variants[0]["range"]["end"]["character"],
        col + passage.len() as u64,
        "{d}"
    );
    assert_eq!(
        variants[0]["relatedInformation"][0]["location"]["uri"],
        json!(file_uri(&root.join("lund.txt")))
    );
    assert_eq!(
        variants[0]["message"],
        "Quotation worded differently in \"Lund speaks\": \"The council has gone quiet on the ferry contract\"",
        "{d}"
    );
    // Two lines above move the sentence: the diagnostic moves with it.
    c.change(
        &u,
        2,
        json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "The harbour meeting ran late.\n\n"}]),
    );
    let d = c.diagnostics(&u, Some(2), TIMEOUT);
    let moved: Vec<&Value> = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["code"] == "quote-variant")
        .collect();
    assert_eq!(moved.len(), 1, "{d}");
    assert_eq!(moved[0]["range"]["start"]["line"], 4, "{d}");
    assert_eq!(moved[0]["range"]["start"]["character"], col, "{d}");
    assert_eq!(c.shutdown(), Some(0));
}
