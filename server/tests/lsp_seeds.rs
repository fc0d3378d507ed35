//! Issue 4's "done when", through the real server on the real seed
//! articles: opening `003_…` with the seeds as the workspace, a hover on the
//! expulsion of eight people links to the matching sentences of `000_…` and
//! `002_…`, and references list them.
//!
//! Reads the articles from `../shared/corpus/seeds/articles` (or
//! `$FACTLENS_CORPUS/seeds/articles`); skipped, saying so, when absent.

#[path = "common/lsp_client.rs"]
mod lsp_client;

use lsp_client::{LspClient, TIMEOUT};
use serde_json::{json, Value};
use std::path::PathBuf;

fn seeds() -> Option<PathBuf> {
    let corpus = match std::env::var_os("FACTLENS_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    let dir = corpus.join("seeds/articles");
    if dir.is_dir() {
        dir.canonicalize().ok()
    } else {
        println!("skipped: corpus not found at {}", dir.display());
        None
    }
}

fn file_uri(p: &std::path::Path) -> String {
    format!("file://{}", p.display())
}

/// Zero-based line and UTF-16 column of byte offset `off` in `text`.
fn position(text: &str, off: usize) -> (u32, u32) {
    let before = &text[..off];
    let line = before.matches('\n').count() as u32;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[start..off].encode_utf16().count() as u32;
    (line, col)
}

#[test]
fn hover_on_the_expulsion_of_eight_links_000_and_002() {
    let Some(root) = seeds() else { return };
    let Some(path) = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("003_"))
    else {
        println!("skipped: no 003_ article in {}", root.display());
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let Some(off) = text.find("expulsion of eight") else {
        println!("skipped: 003_ has changed (no 'expulsion of eight')");
        return;
    };

    let mut c = LspClient::start();
    c.initialize_with(
        json!({"window": {"workDoneProgress": true}}),
        Value::Null,
        Some(&file_uri(&root)),
    );
    c.wait_for("indexing done", TIMEOUT, |v| {
        v["method"] == "$/progress" && v["params"]["value"]["kind"] == "end"
    });
    let u = file_uri(&path);
    c.open(&u, "plaintext", 1, &text);
    c.diagnostics(&u, Some(1), TIMEOUT);

    let (line, ch) = position(&text, off + "expulsion of ".len());
    // The index takes the open buffer shortly after its first analysis.
    let deadline = std::time::Instant::now() + TIMEOUT;
    let md = loop {
        let h = c.hover(&u, line, ch);
        let md = h["contents"]["value"].as_str().unwrap_or("").to_string();
        if md.contains("000_") && md.contains("002_") || std::time::Instant::now() > deadline {
            break md;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    // Clickable links to the file and line of each matching sentence.
    for prefix in ["000_", "002_"] {
        let link = md
            .match_indices("](file://")
            .map(|(i, _)| &md[i + 2..])
            .map(|s| &s[..s.find(')').unwrap_or(s.len())])
            .find(|l| l.contains(prefix));
        let link = link.unwrap_or_else(|| panic!("no link to {prefix} in hover:\n{md}"));
        assert!(link.contains("#L"), "link without a line: {link}");
    }
    // Each listed match shows its sentence with what it shares in bold
    // (a long sentence is cut around that, not before it).
    let lines: Vec<&str> = md.lines().collect();
    let sentences: Vec<&&str> = lines
        .iter()
        .zip(lines.iter().skip(1))
        .filter(|(head, _)| {
            head.split_once(". **")
                .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        })
        .map(|(_, sentence)| sentence)
        .collect();
    assert!(sentences.len() >= 2, "no matches listed:\n{md:?}");
    for s in sentences {
        assert!(
            s.matches("**").count() >= 2,
            "no shared words in bold: {s:?}\n{md}"
        );
    }

    let r = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": {"line": line, "character": ch},
               "context": {"includeDeclaration": false}}),
    );
    let uris: Vec<String> = r["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"))
        .iter()
        .map(|l| l["uri"].as_str().unwrap().to_string())
        .collect();
    assert!(uris.iter().any(|u| u.contains("/000_")), "{uris:?}");
    assert!(uris.iter().any(|u| u.contains("/002_")), "{uris:?}");
    assert!(uris.iter().all(|u| !u.contains("/003_")), "{uris:?}");
}
