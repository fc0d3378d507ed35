//! `factlens check` end to end: the real binary on articles written to a
//! temporary directory.

#[path = "common/cli.rs"]
mod cli;

use cli::{json_lines, run, stderr, stdout, tmp, with_code, write};
use serde_json::Value;
use std::path::Path;

/// One unsourced figure (`1,200 people`).
const UNSOURCED: &str = "The agency hired 1,200 people last year.\n";
/// An attributed quotation: no finding.
const ATTRIBUTED: &str = "\"We will not back down from this fight,\" said Maria Lopez.\n";
/// Nothing to report.
const CLEAN: &str = "The weather in the valley was mild and the roads were quiet.\n";

#[test]
fn clean_article_exits_0() {
    let d = tmp();
    write(d.path(), "a.md", CLEAN);
    write(d.path(), "b.txt", "");
    let o = run(d.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "no findings in 2 files");
    let o = run(d.path(), &["check", "--format", "json", "a.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(json_lines(&o).is_empty());
}

#[test]
fn unsourced_figure_json_fields_and_exit_1() {
    let d = tmp();
    write(
        d.path(),
        "news.md",
        format!("# Hiring\n\n{UNSOURCED}\n{ATTRIBUTED}"),
    );
    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    let lines = json_lines(&o);
    let fig = with_code(&lines, "unsourced-figure");
    assert_eq!(fig.len(), 1, "{lines:?}");
    let f = fig[0];
    let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "severity",
        "message",
        "text",
    ] {
        assert!(keys.contains(&k), "missing {k} in {f}");
    }
    assert_eq!(f["path"], "news.md");
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], 18);
    assert_eq!(f["end_line"], 3);
    assert_eq!(f["end_column"], 30);
    assert_eq!(f["text"], "1,200 people");
    assert_eq!(f["severity"], "warning");
    assert!(f["message"].as_str().unwrap().contains("1,200 people"));
    // the attributed quotation is not reported
    assert!(
        lines.iter().all(|v| v["code"] != "unattributed-quote"),
        "{lines:?}"
    );
}

#[test]
fn columns_count_unicode_scalars_after_persian_and_emoji() {
    let d = tmp();
    // 12 chars before "The": Persian letters, a space, an emoji (a
    // surrogate pair in UTF-16, 4 bytes in UTF-8), a space and a dash.
    let line = format!("خبر امروز 😀 — {UNSOURCED}");
    let before = "خبر امروز 😀 — The agency hired ".chars().count();
    write(d.path(), "fa.txt", format!("Title\n\n{line}"));
    let o = run(d.path(), &["check", "--format", "json", "fa.txt"]);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    let lines = json_lines(&o);
    let f = lines
        .iter()
        .find(|v| v["code"] == "unsourced-figure")
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(f["line"], 3);
    assert_eq!(f["column"], (before + 1) as u64);
    assert_eq!(f["end_column"], (before + 1 + 12) as u64);
    assert_eq!(f["text"], "1,200 people");
    // text output: same position, and the underline sits under the figure
    let o = run(d.path(), &["check", "fa.txt"]);
    let out = stdout(&o);
    let head = format!("fa.txt:3:{}: warning[unsourced-figure]: ", before + 1);
    assert!(out.contains(&head), "{out}");
    let src = out.lines().find(|l| l.starts_with("3 | ")).unwrap();
    let mark = out
        .lines()
        .skip_while(|l| !l.starts_with("3 | "))
        .nth(1)
        .unwrap();
    let caret = mark.chars().position(|c| c == '^').unwrap();
    let under: String = src.chars().skip(caret).take(12).collect();
    assert_eq!(under, "1,200 people");
    assert!(
        out.trim_end().ends_with("1 warning in 1 file (1 checked)"),
        "{out}"
    );
}

#[test]
fn severity_off_hides_a_code_and_changes_exit() {
    let d = tmp();
    write(d.path(), "a.md", UNSOURCED);
    write(
        d.path(),
        "factlens.toml",
        "[severity]\nunsourced-figure = \"off\"\n",
    );
    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert!(json_lines(&o).is_empty());
    // information does not fail the check either
    write(
        d.path(),
        "factlens.toml",
        "[severity]\nunsourced-figure = \"information\"\n",
    );
    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["severity"], "information");
    // error fails it; --config wins over the found file
    write(
        d.path(),
        "strict.toml",
        "[severity]\nunsourced-figure = \"error\"\n",
    );
    let o = run(
        d.path(),
        &["check", "--format", "json", "--config", "strict.toml"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json_lines(&o)[0]["severity"], "error");
}

#[test]
fn gitignore_and_exclude_are_honoured() {
    let d = tmp();
    write(d.path(), "kept.md", UNSOURCED);
    write(d.path(), "drafts/ignored.md", UNSOURCED);
    write(d.path(), "old/excluded.txt", UNSOURCED);
    write(d.path(), "notes.rst", UNSOURCED);
    write(d.path(), ".gitignore", "drafts/\n");
    write(d.path(), "factlens.toml", "exclude = [\"old/**\"]\n");
    let o = run(d.path(), &["check", "--format", "json"]);
    let paths: Vec<String> = json_lines(&o)
        .iter()
        .map(|v| v["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths, vec!["kept.md"]);
}

#[test]
fn gitignored_unreadable_file_is_not_read() {
    let d = tmp();
    write(d.path(), "a.md", CLEAN);
    std::os::unix::fs::symlink("missing-target.md", d.path().join("broken.md")).unwrap();
    // walked: the dangling link is an unreadable path -> 2, the rest checked
    let o = run(d.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("factlens: cannot read broken.md: "),
        "stderr: {err}"
    );
    assert!(stdout(&o).contains("in 1 file"), "{}", stdout(&o));
    // ignored by .ignore (also outside a git repository): never read
    write(d.path(), ".ignore", "broken.md\n");
    let o = run(d.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
}

#[test]
fn directory_argument_honours_config_excludes() {
    let d = tmp();
    // Globs are anchored at the config's folder, also when a subfolder is
    // named on the command line.
    write(
        d.path(),
        "factlens.toml",
        "exclude = [\"site/old/**\", \"*.draft.md\"]\n",
    );
    write(d.path(), "site/a.md", UNSOURCED);
    write(d.path(), "site/old/b.md", UNSOURCED);
    write(d.path(), "site/c.draft.md", UNSOURCED);
    write(d.path(), "site/notes.rst", UNSOURCED);
    write(d.path(), "site/.hidden.md", UNSOURCED);
    write(d.path(), "site/.gitignore", "tmp/\n");
    write(d.path(), "site/tmp/x.md", UNSOURCED);
    write(d.path(), "site/sub/z.txt", UNSOURCED);
    let paths = |o: &std::process::Output| -> Vec<String> {
        json_lines(o)
            .iter()
            .map(|v| v["path"].as_str().unwrap().to_string())
            .collect()
    };
    let o = run(d.path(), &["check", "--format", "json", "site"]);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    assert_eq!(paths(&o), vec!["site/a.md", "site/sub/z.txt"]);
    // The same folder named twice, or a file inside it again: listed once.
    let o = run(
        d.path(),
        &["check", "--format", "json", "site", "site/a.md", "site/"],
    );
    assert_eq!(paths(&o), vec!["site/a.md", "site/sub/z.txt"]);
    // A file named explicitly is checked whatever the globs say.
    let o = run(d.path(), &["check", "--format", "json", "site/old/b.md"]);
    assert_eq!(paths(&o), vec!["site/old/b.md"]);
}

#[test]
fn unreadable_file_exits_2_with_a_clear_message() {
    let d = tmp();
    write(d.path(), "a.md", UNSOURCED);
    // Without permission to read (not enforced for root).
    write(d.path(), "locked.md", CLEAN);
    let locked = d.path().join("locked.md");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let o = run(d.path(), &["check", "--format", "json"]);
    if std::fs::read(&locked).is_err() {
        assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
        assert!(
            stderr(&o).contains("factlens: cannot read locked.md: "),
            "{}",
            stderr(&o)
        );
    } else {
        assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    }
    assert_eq!(json_lines(&o).len(), 1, "a.md is still checked");
    std::fs::remove_file(&locked).unwrap();
    // A file whose read fails for anyone (Linux): reached through a link
    // in a walked folder.
    let mem = Path::new("/proc/self/mem");
    if mem.exists() {
        std::os::unix::fs::symlink(mem, d.path().join("mem.md")).unwrap();
        let o = run(d.path(), &["check", "--format", "json"]);
        assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("factlens: cannot read mem.md: "), "{err}");
        assert_eq!(json_lines(&o).len(), 1, "a.md is still checked");
    }
}

#[test]
fn missing_path_is_reported_and_others_still_checked() {
    let d = tmp();
    write(d.path(), "a.md", CLEAN);
    let o = run(d.path(), &["check", "--format", "json", "nope.md", "a.md"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("factlens: cannot read nope.md: "), "{err}");
    let o = run(d.path(), &["check", "nope.md", "a.md"]);
    assert_eq!(stdout(&o).trim(), "no findings in 1 file");
}

#[test]
fn io_error_wins_over_findings() {
    let d = tmp();
    write(d.path(), "a.md", UNSOURCED);
    let o = run(d.path(), &["check", "--format", "json", "a.md", "gone.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json_lines(&o).len(), 1, "findings of a.md still reported");
}

#[test]
fn usage_and_config_errors_exit_2() {
    let d = tmp();
    write(d.path(), "a.md", CLEAN);
    let o = run(d.path(), &["check", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(d.path(), &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    write(d.path(), "factlens.toml", "severity = 3\n");
    let o = run(d.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.starts_with("factlens: bad config "), "{err}");
    assert!(err.contains("factlens.toml"), "{err}");
    // --config naming a missing file
    let o = run(d.path(), &["check", "--config", "nowhere.toml", "a.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read config nowhere.toml"));
}

#[test]
fn config_is_found_in_an_ancestor_of_the_first_path() {
    let d = tmp();
    write(d.path(), "site/factlens.toml", "unknown_key = true\n");
    write(d.path(), "site/posts/a.md", CLEAN);
    let o = run(d.path(), &["check", "site/posts/a.md"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "the bad config up the tree is used"
    );
    assert!(stderr(&o).contains("unknown_key"));
}

#[test]
fn version_and_help() {
    let d = tmp();
    let o = run(d.path(), &["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o).trim(),
        format!("factlens {}", env!("CARGO_PKG_VERSION"))
    );
    let o = run(d.path(), &["check", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let help = stdout(&o);
    assert!(
        help.contains("--format") && help.contains("2 wins over 1"),
        "{help}"
    );
}

#[test]
fn binary_and_non_utf8_files() {
    let d = tmp();
    write(d.path(), "bin.md", b"PK\x03\x04\x00\x00binary".as_slice());
    write(
        d.path(),
        "latin1.txt",
        b"Caf\xe9 au lait, the bakery said.\n".as_slice(),
    );
    let o = run(d.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("skipping binary file bin.md"), "{err}");
    assert_eq!(
        err.matches("latin1.txt is not valid UTF-8").count(),
        1,
        "{err}"
    );
    assert_eq!(stdout(&o).trim(), "no findings in 1 file");
}

#[test]
fn sarif_shape() {
    let d = tmp();
    write(d.path(), "a.md", UNSOURCED);
    let o = run(d.path(), &["check", "--format", "sarif"]);
    let log: Value = serde_json::from_slice(&o.stdout).expect("one JSON document");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "factlens");
    let ids: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for code in [
        "unsourced-figure",
        "unattributed-quote",
        "vague-attribution",
        "conflicting-figure",
        "quote-variant",
        "unbalanced-quote",
    ] {
        assert!(ids.contains(&code), "rule {code} missing: {ids:?}");
    }
    for r in runs[0]["results"].as_array().unwrap() {
        assert!(ids.contains(&r["ruleId"].as_str().unwrap()));
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(r["message"]["text"].is_string());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "a.md");
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(loc["region"][k].as_u64().unwrap() >= 1);
        }
    }
}

#[test]
fn sarif_result_for_unsourced_figure() {
    let d = tmp();
    write(d.path(), "a.md", UNSOURCED);
    let o = run(d.path(), &["check", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "unsourced-figure")
        .unwrap();
    assert_eq!(r["level"], "warning");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 1);
    assert_eq!(region["startColumn"], 18);
    assert_eq!(region["endColumn"], 30);
}

#[test]
fn fix_notes_inserts_placeholder_notes_once() {
    let d = tmp();
    write(d.path(), "a.md", UNSOURCED);
    write(d.path(), "b.txt", UNSOURCED);
    let latin = b"Caf\xe9 owners hired 1,200 people last year.\n".to_vec();
    write(d.path(), "c.txt", &latin);
    let o = run(d.path(), &["check", "--fix-notes", "--format", "json"]);
    assert_ne!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    let a = std::fs::read_to_string(d.path().join("a.md")).unwrap();
    assert_eq!(
        a,
        "The agency hired 1,200 people last year.[^src-1]\n\n[^src-1]: Source: \n"
    );
    let b = std::fs::read_to_string(d.path().join("b.txt")).unwrap();
    assert_eq!(b, "The agency hired 1,200 people last year. [Source: ]\n");
    // a file read lossily is never rewritten
    assert_eq!(std::fs::read(d.path().join("c.txt")).unwrap(), latin);
    assert!(stderr(&o).contains("not adding notes to c.txt"));
    // a second run adds nothing
    run(d.path(), &["check", "--fix-notes"]);
    assert_eq!(std::fs::read_to_string(d.path().join("a.md")).unwrap(), a);
    assert_eq!(std::fs::read_to_string(d.path().join("b.txt")).unwrap(), b);
}

#[test]
fn max_file_bytes_is_reported_as_information() {
    let d = tmp();
    let text = format!("{CLEAN}{UNSOURCED}");
    write(d.path(), "a.md", &text);
    write(
        d.path(),
        "factlens.toml",
        format!("max_file_bytes = {}\n", CLEAN.len()),
    );
    let o = run(d.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["code"], "size-limit");
    assert_eq!(lines[0]["severity"], "information");
    let msg = lines[0]["message"].as_str().unwrap();
    assert!(
        msg.contains(&CLEAN.len().to_string()) && msg.contains(&text.len().to_string()),
        "{msg}"
    );
}
