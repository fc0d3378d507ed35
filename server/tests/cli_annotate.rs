//! `factlens annotate` end to end: the fact sheet of an article.

#[path = "common/cli.rs"]
mod cli;

use cli::{json_lines, run, stderr, stdout, tmp, write};

const ARTICLE: &str = "\
---
title: Hiring and the harbour
outlet: Test Gazette
date: 2025-01-02
---

# Hiring and the harbour

The agency hired 1,200 people last year.

\"We will not back down from this fight,\" said Maria Lopez. \"The plan stays as it is,\" she said.

Unemployment fell to 30% in the region, according to the statistics office.

The council celebrated its so-called \"paper victory\" on Monday.
";

const FIELDS: [&str; 13] = [
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "kind",
    "text",
    "status",
    "source",
    "value",
    "value_to",
    "unit",
    "qualifier",
];

#[test]
fn empty_and_missing_files() {
    let d = tmp();
    write(d.path(), "empty.md", "");
    let o = run(d.path(), &["annotate", "--format", "json", "empty.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(json_lines(&o).is_empty());
    let o = run(d.path(), &["annotate", "empty.md"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with("empty.md\n"), "{text}");
    assert!(text.contains("0 figures (0 unsourced), 0 quotations (0 unattributed)"));
    let o = run(d.path(), &["annotate", "missing.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("factlens: cannot read missing.md: "));
    let o = run(d.path(), &["annotate"]);
    assert_eq!(o.status.code(), Some(2), "PATH is required");
}

#[test]
fn fact_sheet_json() {
    let d = tmp();
    write(d.path(), "a.md", ARTICLE);
    let o = run(d.path(), &["annotate", "--format", "json", "a.md"]);
    assert_eq!(o.status.code(), Some(0));
    let items = json_lines(&o);
    for i in &items {
        let keys: Vec<&str> = i.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), FIELDS.len(), "{i}");
        for k in FIELDS {
            assert!(keys.contains(&k), "{k} missing in {i}");
        }
        assert_eq!(i["path"], "a.md");
    }
    let find = |t: &str| {
        items
            .iter()
            .find(|i| i["text"].as_str().unwrap().contains(t))
            .unwrap_or_else(|| panic!("{t:?} not in {items:#?}"))
    };
    let hired = find("1,200");
    assert_eq!(hired["kind"], "figure");
    assert_eq!(hired["text"], "1,200 people");
    assert_eq!(hired["status"], "unsourced");
    assert_eq!(hired["value"], 1200.0);
    assert!(hired["value_to"].is_null() && hired["source"].is_null());
    assert!(hired["unit"].is_string());
    assert_eq!(
        (hired["line"].as_u64(), hired["column"].as_u64()),
        (Some(9), Some(18))
    );
    assert_eq!(hired["end_column"], 30);

    let q = find("We will not back down");
    assert_eq!(q["kind"], "quotation");
    assert_eq!(q["status"], "attributed");
    assert_eq!(q["source"], "Maria Lopez");
    assert_eq!(q["line"], 11);
    assert_eq!(q["column"], 2, "the span is the content, after the mark");
    assert!(q["value"].is_null() && q["unit"].is_null() && q["qualifier"].is_null());

    let she = find("The plan stays");
    assert_eq!(she["status"], "attributed");
    assert_eq!(she["source"], "Maria Lopez", "pronoun resolved");

    let pct = find("30%");
    assert_eq!(pct["kind"], "figure");
    assert_eq!(pct["status"], "sourced");
    assert!((pct["value"].as_f64().unwrap() - 0.30).abs() < 1e-9);
    assert_eq!(pct["unit"], "%");
    assert!(pct["source"]
        .as_str()
        .unwrap()
        .contains("statistics office"));

    let scare = find("paper victory");
    assert_eq!(scare["kind"], "scare-quote");
    assert!(scare["status"].is_null());
}

#[test]
fn fact_sheet_text() {
    let d = tmp();
    write(d.path(), "a.md", ARTICLE);
    let o = run(d.path(), &["annotate", "a.md"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        "a.md: Hiring and the harbour (Test Gazette, 2025-01-02)"
    );
    let hired = text.lines().find(|l| l.contains("1,200 people")).unwrap();
    assert!(hired.trim_start().starts_with("9:18"), "{hired}");
    assert!(
        hired.contains("figure") && hired.contains("unsourced"),
        "{hired}"
    );
    let q = text.lines().find(|l| l.contains("The plan stays")).unwrap();
    assert!(q.contains("speaker: Maria Lopez"), "{q}");
}
