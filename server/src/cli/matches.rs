//! `factlens matches`: the cross-reference report of an article — each
//! claim with the matching claims of the other articles in the workspace.

use super::files::{self, Status};
use super::workspace::shorten;
use super::{Format, MatchesArgs};
use crate::analysis::analyze;
use crate::index::{prepare, Index, LinePos, Match, Relation};
use crate::workspace::{index_files_with, FileOutcome, Skip};
use serde::Serialize;
use std::io::{self, Write};
use std::path::PathBuf;

/// Matches listed per claim.
const LIMIT: usize = 10;

#[derive(Serialize)]
struct JsonMatch<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    text: &'a str,
    score: f64,
    relation: &'static str,
    /// A `same-claim` whose figures differ from the claim's (see
    /// `Match::figures_differ`); written only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    figures_differ: bool,
}

#[derive(Serialize)]
struct JsonClaim<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    text: &'a str,
    matches: Vec<JsonMatch<'a>>,
}

/// A score for output: three decimals (the index scores in `f32`).
fn score(s: f32) -> f64 {
    (f64::from(s) * 1000.0).round() / 1000.0
}

pub fn run(args: &MatchesArgs) -> i32 {
    let Some(cfg) = files::config_for(args.config.as_deref(), Some(&args.path)) else {
        return 2;
    };
    let mut status = Status::default();
    if let Err(e) = std::fs::metadata(&args.path) {
        status.io_error(&args.path, &e);
        return 2;
    }
    if args.path.is_dir() {
        eprintln!(
            "factlens: {} is a directory; `matches` takes one article (use --workspace for the folder)",
            files::display(&args.path)
        );
        return 2;
    }
    let workspace = args.workspace.clone().unwrap_or_else(|| PathBuf::from("."));
    // The article first, so it keeps the path as given (the walk lists a
    // file once: the workspace's copy of the article is not listed again).
    let list = files::collect(&[args.path.clone(), workspace], &cfg, &mut status);
    let key = files::display(&args.path);
    let Some(file) = files::read(&args.path, &cfg.config, &mut status) else {
        // unreadable or binary: already reported
        return 2;
    };
    // Only the article's text is kept; the others are indexed as they are
    // read (in parallel, each text dropped once prepared) and the matching
    // sentences are read back from disk.
    let mut index = Index::new();
    let art = analyze(&file.text, &cfg.config.analysis_options(file.markdown));
    index.insert(
        &key,
        prepare(&file.text, &art).keep_text(file.text.as_str()),
    );
    drop(art);
    let others: Vec<PathBuf> = list
        .into_iter()
        .filter(|p| files::display(p) != key)
        .collect();
    index_files_with(
        &mut index,
        &others,
        &cfg.config,
        &|p| files::display(p),
        &mut |p, outcome| match outcome {
            FileOutcome::Indexed { lossy: true } => files::note_lossy(p),
            FileOutcome::Indexed { lossy: false } => {}
            FileOutcome::Skipped(Skip::Binary) => files::note_binary(p),
            FileOutcome::Skipped(Skip::Io(e)) => status.io_error(p, e),
        },
        &mut |_, _| {},
    );
    let min_score = cfg.config.min_match_score as f32;
    let claims: Vec<(LinePos, String, Vec<Match>)> = index
        .claims_of(&key)
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_strict())
        .map(|(i, _)| {
            let start = index.claim_position(&key, i).unwrap_or_default().0;
            let text = index.claim_text(&key, i).unwrap_or_default();
            (start, text, index.matches_for(&key, i, LIMIT, min_score))
        })
        .collect();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let res = match args.format {
        Format::Json => write_json(&mut out, &key, &claims),
        Format::Text => write_text(&mut out, &index, &key, &claims),
    }
    .and_then(|_| out.flush());
    if let Err(e) = res {
        return files::output_failed(&e);
    }
    status.code()
}

/// Each strict claim of the article: its start, its sentence, its matches.
type Claims = [(LinePos, String, Vec<Match>)];

fn write_json(out: &mut dyn Write, key: &str, claims: &Claims) -> io::Result<()> {
    for (c, text, ms) in claims {
        let j = JsonClaim {
            path: key,
            line: c.line as usize + 1,
            column: c.col as usize + 1,
            text,
            matches: ms
                .iter()
                .map(|m| JsonMatch {
                    path: &m.path,
                    line: m.start.line as usize + 1,
                    column: m.start.col as usize + 1,
                    text: &m.text,
                    score: score(m.score),
                    relation: m.relation.as_str(),
                    figures_differ: m.figures_differ,
                })
                .collect(),
        };
        serde_json::to_writer(&mut *out, &j)?;
        writeln!(out)?;
    }
    Ok(())
}

fn label(m: &Match) -> &'static str {
    match m.relation {
        Relation::SameClaim if m.figures_differ => "related, figures differ",
        Relation::SameClaim => "same claim",
        Relation::Conflict => "CONFLICT",
        Relation::QuoteVariant => "quote variant",
    }
}

/// The sentence with the shared figures and words in `**bold**`.
fn bolded(m: &Match) -> String {
    // The index cut the sentence around what it shares with the claim.
    let text = &m.text;
    let mut spans = m.bold.clone();
    let mut s = String::new();
    let mut at = 0;
    spans.sort_by_key(|r| r.start);
    for r in spans {
        if r.start < at || r.end > text.len() {
            continue;
        }
        let (Some(before), Some(word)) = (text.get(at..r.start), text.get(r.clone())) else {
            continue;
        };
        s.push_str(before);
        s.push_str("**");
        s.push_str(word);
        s.push_str("**");
        at = r.end;
    }
    s.push_str(text.get(at..).unwrap_or(""));
    // On one line.
    shorten(&s, usize::MAX)
}

fn write_text(out: &mut dyn Write, index: &Index, key: &str, claims: &Claims) -> io::Result<()> {
    let title = index
        .doc_meta(key)
        .and_then(|m| m.title.clone())
        .map(|t| format!(": {}", shorten(&t, 80)))
        .unwrap_or_default();
    writeln!(out, "{key}{title}")?;
    let matched = claims.iter().filter(|(_, _, m)| !m.is_empty()).count();
    let mut others: Vec<&str> = claims
        .iter()
        .flat_map(|(_, _, ms)| ms.iter().map(|m| &*m.path))
        .collect();
    others.sort_unstable();
    others.dedup();
    let count = |r: Relation| {
        claims
            .iter()
            .flat_map(|(_, _, ms)| ms)
            .filter(|m| m.relation == r)
            .count()
    };
    writeln!(
        out,
        "{matched} of {} claims reported elsewhere, in {} other article{} ({} conflicting, {} quote variant{})",
        claims.len(),
        others.len(),
        if others.len() == 1 { "" } else { "s" },
        count(Relation::Conflict),
        count(Relation::QuoteVariant),
        if count(Relation::QuoteVariant) == 1 { "" } else { "s" },
    )?;
    for (c, text, ms) in claims {
        if ms.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{}:{}  {}", c.line + 1, c.col + 1, shorten(text, 160))?;
        for m in ms {
            let meta = index.doc_meta(&m.path);
            let mut about = Vec::new();
            if let Some(t) = meta.and_then(|m| m.title.as_deref()) {
                about.push(format!("\"{}\"", shorten(t, 60)));
            }
            if let Some(o) = meta.and_then(|m| m.outlet.as_deref()) {
                about.push(o.to_string());
            }
            if let Some(d) = index.doc_date(&m.path) {
                about.push(d);
            }
            writeln!(
                out,
                "  {:<23} {:.2}  {}:{}:{}  {}",
                label(m),
                m.score,
                m.path,
                m.start.line + 1,
                m.start.col + 1,
                about.join(", ")
            )?;
            writeln!(out, "      {}", bolded(m))?;
        }
    }
    Ok(())
}
