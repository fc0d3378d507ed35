//! `factlens matches` and the cross-article findings of `check`, end to end.

#[path = "common/cli.rs"]
mod cli;

use cli::{json_lines, run, stderr, stdout, tmp, with_code, write};

const LEDGER: &str = "\
---
title: Mill fire closes Dunmore paper plant
outlet: Valley Ledger
date: 2024-06-02
---

# Mill fire closes Dunmore paper plant

A fire at the Dunmore paper mill on Saturday forced the company to lay off 340 workers at the plant.

The mill has produced paper on the river bank since the war.
";

const WIRE: &str = "\
Dunmore paper mill shut after weekend fire

DUNMORE, June 2 - The Dunmore paper mill laid off 420 workers at the plant after a fire on Saturday, the company said.

Firefighters from three towns fought the blaze through the night, the fire brigade said.
";

const UNRELATED: &str = "\
# Library hours

The public library will open on Sundays from next month, the council announced.
";

fn workspace() -> tempfile::TempDir {
    let d = tmp();
    write(d.path(), "news/ledger.md", LEDGER);
    write(d.path(), "news/wire.txt", WIRE);
    write(d.path(), "news/library.md", UNRELATED);
    d
}

#[test]
fn matches_json_reports_the_conflict() {
    let d = workspace();
    let o = run(
        d.path(),
        &[
            "matches",
            "--format",
            "json",
            "news/ledger.md",
            "--workspace",
            "news",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let claims = json_lines(&o);
    for c in &claims {
        let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 5, "{c}");
        for k in ["path", "line", "column", "text", "matches"] {
            assert!(keys.contains(&k), "{k} missing in {c}");
        }
        assert_eq!(c["path"], "news/ledger.md");
    }
    let fire = claims
        .iter()
        .find(|c| c["text"].as_str().unwrap().contains("340 workers"))
        .unwrap_or_else(|| panic!("{claims:#?}"));
    assert_eq!(fire["line"], 9);
    assert_eq!(fire["column"], 1);
    let ms = fire["matches"].as_array().unwrap();
    // The conflicting sentence ranks first; the wire's headline (the mill
    // shut after the fire) may follow as the same event.
    assert!(!ms.is_empty(), "{ms:?}");
    assert!(ms.iter().all(|m| m["path"] == "news/wire.txt"), "{ms:?}");
    let m = &ms[0];
    assert_eq!(m["path"], "news/wire.txt");
    assert_eq!(m["line"], 3);
    assert_eq!(m["column"], 1);
    assert!(m["text"].as_str().unwrap().contains("420 workers"));
    assert_eq!(m["relation"], "conflict");
    assert!(m["score"].as_f64().unwrap() > 0.0);
    // the unrelated article is never a match
    assert!(claims
        .iter()
        .flat_map(|c| c["matches"].as_array().unwrap())
        .all(|m| m["path"] != "news/library.md"));
}

#[test]
fn matches_text_is_readable() {
    let d = workspace();
    let o = run(
        d.path(),
        &["matches", "news/wire.txt", "--workspace", "news"],
    );
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.starts_with("news/wire.txt: Dunmore paper mill shut after weekend fire\n"),
        "{text}"
    );
    assert!(text.contains("CONFLICT"), "{text}");
    assert!(text.contains("news/ledger.md:9:1"), "{text}");
    assert!(text.contains("Valley Ledger"), "{text}");
    assert!(text.contains("**340 workers**"), "{text}");
}

#[test]
fn check_reports_conflicting_figures_in_both_articles() {
    let d = workspace();
    let o = run(d.path(), &["check", "--format", "json", "news"]);
    assert_eq!(o.status.code(), Some(1));
    let lines = json_lines(&o);
    let conflicts = with_code(&lines, "conflicting-figure");
    assert_eq!(conflicts.len(), 2, "{lines:#?}");
    let ledger = conflicts
        .iter()
        .find(|v| v["path"] == "news/ledger.md")
        .unwrap();
    assert_eq!(ledger["text"], "340 workers");
    assert_eq!(ledger["severity"], "warning");
    assert!(ledger["message"].as_str().unwrap().contains("420 workers"));
    let wire = conflicts
        .iter()
        .find(|v| v["path"] == "news/wire.txt")
        .unwrap();
    assert_eq!(wire["text"], "420 workers");
    assert!(wire["message"].as_str().unwrap().contains("Valley Ledger"));
    // checked alone, an article has nothing to conflict with
    let o = run(d.path(), &["check", "--format", "json", "news/ledger.md"]);
    assert!(json_lines(&o)
        .iter()
        .all(|v| v["code"] != "conflicting-figure"));
    // text output points at the other article
    let o = run(d.path(), &["check", "news"]);
    let text = stdout(&o);
    assert!(text.contains("= note: news/wire.txt:3:1: "), "{text}");
    // and it can be turned off
    write(
        d.path(),
        "factlens.toml",
        "[severity]\nconflicting-figure = \"off\"\n",
    );
    let o = run(d.path(), &["check", "--format", "json", "news"]);
    assert!(json_lines(&o)
        .iter()
        .all(|v| v["code"] != "conflicting-figure"));
}

#[test]
fn matches_errors() {
    let d = workspace();
    let o = run(
        d.path(),
        &["matches", "news/none.md", "--workspace", "news"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("factlens: cannot read news/none.md: "));
    let o = run(d.path(), &["matches", "news"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(d.path(), &["matches"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn quote_variant_across_articles() {
    let d = tmp();
    write(d.path(), "a.md", "# Owner vows to rebuild\n\n\"We will rebuild the mill and every single job will come back to Dunmore,\" said Dana Whitfield, the owner of the mill.\n");
    write(d.path(), "b.txt", "Dunmore mill owner speaks\n\n\"We are going to rebuild the mill, and every job will come back to Dunmore,\" mill owner Dana Whitfield told reporters.\n");
    let o = run(d.path(), &["check", "--format", "json"]);
    let lines = json_lines(&o);
    let v = with_code(&lines, "quote-variant");
    assert_eq!(v.len(), 2, "{lines:#?}");
    let a = v.iter().find(|v| v["path"] == "a.md").unwrap();
    assert_eq!(a["severity"], "information");
    assert!(a["text"]
        .as_str()
        .unwrap()
        .starts_with("We will rebuild the mill"));
    assert_eq!(
        (a["line"].as_u64(), a["column"].as_u64()),
        (Some(3), Some(2))
    );
    let o = run(d.path(), &["matches", "--format", "json", "a.md"]);
    let claims = json_lines(&o);
    assert!(
        claims
            .iter()
            .flat_map(|c| c["matches"].as_array().unwrap())
            .any(|m| m["relation"] == "quote-variant" && m["path"] == "b.txt"),
        "{claims:#?}"
    );
}

/// A report of the same claim whose figure differs, though its sentence
/// says too little else alike to call it a conflict: JSON marks it
/// `figures_differ`, the text report says "related, figures differ". A
/// report that agrees carries no such mark.
#[test]
fn matches_mark_a_related_report_with_another_figure() {
    let d = tmp();
    write(d.path(), "v1.md", "Kesselton exchange volume\n\nKESSELTON, April 2 - Turnover at the Kesselton futures exchange for the whole of the first quarter was 4.87 mln contracts against 2.52 mln in the same period last year, the exchange said.\n");
    write(d.path(), "v2.md", "Kesselton exchange volume\n\nKESSELTON, April 2 - Total volume in the first quarter rose to 4.8 mln contracts, helped by heavy trading in bond, currency and grain options after the central bank cut lending rates twice and farmers hedged a record harvest, officials at the Kesselton futures exchange said.\n");
    write(d.path(), "v3.md", "Kesselton exchange volume\n\nKESSELTON, April 2 - Kesselton futures exchange turnover reached 4.87 mln contracts in the first quarter, the exchange said.\n");
    write(d.path(), "x.md", "Harbour works\n\nThe harbour board will dredge the east basin next spring, the board said.\n");
    let o = run(d.path(), &["matches", "--format", "json", "v1.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let claims = json_lines(&o);
    let ms: Vec<&serde_json::Value> = claims
        .iter()
        .flat_map(|c| c["matches"].as_array().unwrap())
        .collect();
    let of = |p: &str| {
        *ms.iter()
            .find(|m| m["path"] == p)
            .unwrap_or_else(|| panic!("{p}: {ms:#?}"))
    };
    assert_eq!(of("v2.md")["relation"], "same-claim");
    assert_eq!(of("v2.md")["figures_differ"], true);
    assert_eq!(of("v3.md")["relation"], "same-claim");
    assert!(of("v3.md").get("figures_differ").is_none(), "{ms:#?}");
    let text = stdout(&run(d.path(), &["matches", "v1.md"]));
    let line = text
        .lines()
        .find(|l| l.contains("v2.md:3:1"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.trim_start().starts_with("related, figures differ "),
        "{text}"
    );
}

/// A sentence quoting two passages: `check` flags the passage another
/// article words differently and quotes that article's words, not the
/// sentence's longest quotation.
#[test]
fn quote_variant_flags_the_reworded_passage() {
    let d = tmp();
    write(d.path(), "x.md", "# Ferry row\n\nCouncillor Maya Lund called the vote \"a shameful day for the harbour and for every family that has waited years for it\" and said the council had \"gone completely quiet on the new ferry contract\" since June.\n");
    write(d.path(), "y.txt", "Lund speaks\n\n\"The council has gone quiet on the ferry contract,\" Councillor Maya Lund told the harbour meeting.\n");
    let o = run(d.path(), &["check", "--format", "json"]);
    let lines = json_lines(&o);
    let v = with_code(&lines, "quote-variant");
    let x: Vec<_> = v.iter().filter(|v| v["path"] == "x.md").collect();
    assert_eq!(x.len(), 1, "{lines:#?}");
    assert_eq!(
        x[0]["text"],
        "gone completely quiet on the new ferry contract"
    );
    let msg = x[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("\"The council has gone quiet on the ferry contract\""),
        "{msg}"
    );
    let y: Vec<_> = v.iter().filter(|v| v["path"] == "y.txt").collect();
    assert_eq!(y.len(), 1, "{lines:#?}");
    assert!(
        y[0]["message"]
            .as_str()
            .unwrap()
            .contains("\"gone completely quiet on the new ferry contract\""),
        "{y:#?}"
    );
}
