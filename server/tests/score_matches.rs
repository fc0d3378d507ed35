//! Matching quality against the seeds' gold pairs and ECB+ topics.
//!
//! `FACTLENS_CORPUS=/work/shared/corpus cargo test --test score_matches -- --nocapture`
//!
//! Seeds (`seeds/gold/matches.jsonl`, `matches_negative.jsonl`):
//! * recall@3: a gold pair counts when a claim on one side has a claim of the
//!   other side among its top 3 matches (either direction), over the pairs
//!   whose both sides carry a figure or quotation (`both_claims`) and over
//!   all pairs;
//! * precision of the top match: over claims on a gold side that have a
//!   match, the share whose top match is one of their gold partners;
//! * negatives reported: negative pairs where one side appears among the
//!   other's matches (top 5, above the threshold).
//!
//! ECB+: each topic holds two similar but different events (clusters); for
//! every claim with a match, where its top match lands: same event, other
//! event of the topic (wrong), another topic (wrong).

use factlens::analysis::{analyze, AnalysisOptions};
use factlens::index::{Index, Relation};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

fn min_score() -> f32 {
    std::env::var("FACTLENS_MIN_SCORE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0)
}

fn corpus() -> Option<PathBuf> {
    let p = match std::env::var_os("FACTLENS_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    if p.join("seeds/gold/matches.jsonl").is_file() {
        Some(p)
    } else {
        println!("skipped: corpus not found at {}", p.display());
        None
    }
}

fn opts() -> AnalysisOptions {
    AnalysisOptions {
        markdown: false,
        ..Default::default()
    }
}

/// Byte range of the 1-based `line` of `text`, narrowed to `needle` when it
/// occurs in the line.
fn side_range(text: &str, line: usize, needle: &str) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            return Some(match l.find(needle) {
                Some(o) => start + o..start + o + needle.len(),
                None => start..start + l.len(),
            });
        }
        start += l.len() + 1;
    }
    None
}

/// Claims of `path` overlapping `range`.
fn claims_over(index: &Index, path: &str, range: &std::ops::Range<usize>) -> Vec<usize> {
    index
        .claims_of(path)
        .iter()
        .enumerate()
        .filter(|(_, c)| c.span.start < range.end.max(range.start + 1) && range.start < c.span.end)
        .map(|(i, _)| i)
        .collect()
}

type Key = (String, usize);

struct Side {
    claims: Vec<Key>,
}

fn side(index: &Index, texts: &HashMap<String, String>, v: &serde_json::Value) -> Side {
    let file = v["file"].as_str().unwrap_or_default().to_string();
    let line = v["line"].as_u64().unwrap_or(0) as usize;
    let needle = v["text"].as_str().unwrap_or_default();
    let claims = texts
        .get(&file)
        .and_then(|t| side_range(t, line, needle))
        .map(|r| claims_over(index, &file, &r))
        .unwrap_or_default()
        .into_iter()
        .map(|c| (file.clone(), c))
        .collect();
    Side { claims }
}

fn top(index: &Index, k: &Key, n: usize) -> Vec<(Key, Relation)> {
    index
        .matches_for(&k.0, k.1, n, min_score())
        .into_iter()
        .map(|m| ((m.path.to_string(), m.claim), m.relation))
        .collect()
}

fn linked(index: &Index, a: &Side, b: &Side, n: usize) -> bool {
    let bs: HashSet<&Key> = b.claims.iter().collect();
    let as_: HashSet<&Key> = a.claims.iter().collect();
    a.claims
        .iter()
        .any(|k| top(index, k, n).iter().any(|(m, _)| bs.contains(m)))
        || b.claims
            .iter()
            .any(|k| top(index, k, n).iter().any(|(m, _)| as_.contains(m)))
}

/// With `FACTLENS_SCORE_DEBUG` set, print the best-scoring claim pair.
fn explain(index: &Index, a: &Side, b: &Side) {
    if std::env::var_os("FACTLENS_SCORE_DEBUG").is_none() {
        return;
    }
    let mut best: Option<(f32, bool, String)> = None;
    for x in &a.claims {
        for y in &b.claims {
            if let Some((sc, ev, pass)) = index.score_pair(&x.0, x.1, &y.0, y.1) {
                if best.as_ref().is_none_or(|b| (pass, sc) > (b.1, b.0)) {
                    let shared = index.shared_terms(&x.0, x.1, &y.0, y.1).join(" ");
                    best = Some((sc, pass, format!("{ev:?} #{} ~ #{}: {shared}", x.1, y.1)));
                }
            }
        }
    }
    println!("       best {best:?}");
    if std::env::var("FACTLENS_SCORE_DEBUG").as_deref() != Ok("2") {
        return;
    }
    for (tag, side) in [("a", a), ("b", b)] {
        for k in &side.claims {
            let t: String = index
                .claim_text(&k.0, k.1)
                .unwrap_or_default()
                .chars()
                .take(90)
                .collect();
            println!("       {tag} {}#{}: {t}", &k.0[..3], k.1);
            println!("          terms {}", index.claim_terms(&k.0, k.1).join(" "));
            for m in index.matches_for(&k.0, k.1, 3, min_score()) {
                let t: String = m.text.chars().take(70).collect();
                println!(
                    "          -> {}#{} {:.2} {t}",
                    &m.path[..3],
                    m.claim,
                    m.score
                );
            }
        }
    }
}

fn read_jsonl(path: PathBuf) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn score_seed_matches() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("seeds/articles");
    let mut texts = HashMap::new();
    let mut index = Index::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let art = analyze(&text, &opts());
        index.upsert(name, &text, &art);
        texts.insert(name.clone(), text);
    }
    if index.claim_count() == 0 {
        println!("skipped: the analysis finds no sentences yet");
        return;
    }
    let gold = read_jsonl(corpus.join("seeds/gold/matches.jsonl"));
    let neg = read_jsonl(corpus.join("seeds/gold/matches_negative.jsonl"));

    let (mut all, mut all_hit, mut both, mut both_hit, mut no_claim) = (0, 0, 0, 0, 0);
    // The same without the rows the annotator marked ambiguous (borderline
    // calls; gold/README: "a scorer can report results with and without").
    let (mut all_c, mut all_c_hit, mut both_c, mut both_c_hit) = (0, 0, 0, 0);
    let mut partners: HashMap<Key, HashSet<Key>> = HashMap::new();
    let mut rel_ok = 0;
    let mut rel_n = 0;
    println!("\nseed gold pairs (recall@3):");
    for g in &gold {
        let a = side(&index, &texts, &g["a"]);
        let b = side(&index, &texts, &g["b"]);
        for x in &a.claims {
            for y in &b.claims {
                partners.entry(x.clone()).or_default().insert(y.clone());
                partners.entry(y.clone()).or_default().insert(x.clone());
            }
        }
        let hit = linked(&index, &a, &b, 3);
        let is_both = g["both_claims"].as_bool() == Some(true);
        all += 1;
        all_hit += hit as usize;
        if is_both {
            both += 1;
            both_hit += hit as usize;
        }
        if g["ambiguous"].as_bool() != Some(true) {
            all_c += 1;
            all_c_hit += hit as usize;
            if is_both {
                both_c += 1;
                both_c_hit += hit as usize;
            }
        }
        if a.claims.is_empty() || b.claims.is_empty() {
            no_claim += 1;
        }
        // relation of the pair, when found
        let want = g["relation"].as_str().unwrap_or("same-claim");
        let mut got = None;
        for x in &a.claims {
            for (m, r) in top(&index, x, 5) {
                if b.claims.contains(&m) {
                    got = Some(r);
                }
            }
        }
        if let Some(r) = got {
            rel_n += 1;
            rel_ok += (r.as_str() == want) as usize;
        }
        println!(
            "  {} {} {:>3} ~ {} {:>3} {:<13} both={:<5} {}",
            if hit { "HIT " } else { "miss" },
            &g["a"]["file"].as_str().unwrap_or("")[..3],
            g["a"]["line"],
            &g["b"]["file"].as_str().unwrap_or("")[..3],
            g["b"]["line"],
            want,
            is_both,
            got.map(|r| r.as_str()).unwrap_or("-"),
        );
        explain(&index, &a, &b);
    }

    // Precision of the top match over claims on a gold side.
    let (mut p_n, mut p_ok) = (0, 0);
    for (k, ps) in &partners {
        if let Some((m, _)) = top(&index, k, 1).into_iter().next() {
            p_n += 1;
            p_ok += ps.contains(&m) as usize;
        }
    }
    // Over every strict claim of the seeds: top matches not in any gold pair.
    let (mut any_n, mut any_ok) = (0, 0);
    for name in &names {
        for (i, c) in index.claims_of(name).iter().enumerate() {
            if !c.is_strict() {
                continue;
            }
            let k = (name.clone(), i);
            if let Some((m, _)) = top(&index, &k, 1).into_iter().next() {
                any_n += 1;
                any_ok += partners.get(&k).is_some_and(|p| p.contains(&m)) as usize;
            }
        }
    }

    let mut neg_hit = 0;
    println!("\nseed negative pairs reported (top 5):");
    for g in &neg {
        let a = side(&index, &texts, &g["a"]);
        let b = side(&index, &texts, &g["b"]);
        println!("  neg {} ~ {}", g["a"]["line"], g["b"]["line"]);
        explain(&index, &a, &b);
        if linked(&index, &a, &b, 5) {
            neg_hit += 1;
            println!(
                "  REPORTED {} {} ~ {} {}: {}",
                &g["a"]["file"].as_str().unwrap_or("")[..3],
                g["a"]["line"],
                &g["b"]["file"].as_str().unwrap_or("")[..3],
                g["b"]["line"],
                g["why"].as_str().unwrap_or("")
            );
        }
    }

    let r_both = both_hit as f64 / both.max(1) as f64;
    let r_all = all_hit as f64 / all.max(1) as f64;
    println!("\n| seeds (min score {}) | value |", min_score());
    println!("| --- | --- |");
    println!("| claims indexed | {} |", index.claim_count());
    // A ratio row: `| label | hit/n = share |`.
    let row = |label: &str, hit: usize, n: usize| {
        println!(
            "| {label} | {hit}/{n} = {:.2} |",
            hit as f64 / n.max(1) as f64
        )
    };
    row("recall@3, both_claims pairs", both_hit, both);
    row("recall@3, all pairs", all_hit, all);
    row(
        "recall@3, both_claims pairs, ambiguous rows left out",
        both_c_hit,
        both_c,
    );
    row(
        "recall@3, all pairs, ambiguous rows left out",
        all_c_hit,
        all_c,
    );
    println!("| pairs with a side that has no claim | {no_claim} |");
    row("precision of top match, gold-side claims", p_ok, p_n);
    row(
        "top match is a gold partner, all strict claims with a match",
        any_ok,
        any_n,
    );
    println!("| relation right, found pairs | {rel_ok}/{rel_n} |");
    println!("| negative pairs reported | {neg_hit}/{} |", neg.len());

    // Done-when: the expulsion of eight people in 003 matches 000 and 002.
    let n003 = names.iter().find(|n| n.starts_with("003")).unwrap();
    let t003 = &texts[n003];
    let off = t003.find("expulsion of eight").unwrap_or(0);
    let ms = index.matches_for_span(n003, off..off, 5, min_score());
    println!("\n003 'expulsion of eight' matches:");
    for m in &ms {
        println!(
            "  {} L{} {:.2} {} {}",
            &m.path[..3],
            m.start.line + 1,
            m.score,
            m.relation.as_str(),
            m.text.chars().take(90).collect::<String>()
        );
    }
    // Loose floors (the targets are recall@3 ≥ 0.85 / 0.70 and ≤ 3 of 36
    // negatives; see the printed table for where matching stands).
    assert!(neg_hit <= 3, "{neg_hit} negative pairs reported");
    assert!(r_both >= 0.6, "recall@3 on both_claims pairs {r_both:.2}");
    assert!(r_all >= 0.45, "recall@3 on all pairs {r_all:.2}");
    for other in ["000", "002"] {
        assert!(
            ms.iter().any(|m| m.path.starts_with(other)),
            "003's expulsion of eight does not match {other}"
        );
    }
}

#[test]
fn score_ecbplus_topics() {
    let Some(corpus) = corpus() else { return };
    let ecb = corpus.join("ecbplus");
    let Ok(clusters) = std::fs::read_to_string(ecb.join("clusters.tsv")) else {
        println!("skipped: no ecbplus");
        return;
    };
    let mut event_of: HashMap<String, (String, String)> = HashMap::new();
    for l in clusters.lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        for file in f[3].split_whitespace() {
            event_of.insert(file.to_string(), (f[0].to_string(), f[1].to_string()));
        }
    }
    let mut files: Vec<&String> = event_of.keys().collect();
    files.sort();
    let mut index = Index::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(ecb.join(f)) else {
            continue;
        };
        let art = analyze(&text, &opts());
        index.upsert(f, &text, &art);
    }
    if index.claim_count() == 0 {
        println!("skipped: the analysis finds no sentences yet");
        return;
    }
    // Every 3rd strict claim keeps a debug run short.
    let (mut same, mut other_event, mut other_topic, mut none, mut n) = (0, 0, 0, 0, 0);
    for f in &files {
        let (ev, topic) = &event_of[*f];
        for (i, c) in index.claims_of(f).iter().enumerate() {
            if !c.is_strict() || i % 3 != 0 {
                continue;
            }
            n += 1;
            match index.matches_for(f, i, 1, min_score()).first() {
                None => none += 1,
                Some(m) => match event_of.get(&*m.path) {
                    Some((e, _)) if e == ev => same += 1,
                    Some((_, t)) if t == topic => other_event += 1,
                    _ => other_topic += 1,
                },
            }
        }
    }
    // Recall on the annotated same-event sentence pairs (a sample).
    let pairs = std::fs::read_to_string(ecb.join("claim_pairs.tsv")).unwrap_or_default();
    let (mut pn, mut phit) = (0, 0);
    for l in pairs.lines().skip(1).step_by(10) {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        let (fa, la, fb, lb) = (
            f[0],
            f[1].parse().unwrap_or(0),
            f[2],
            f[3].parse().unwrap_or(0),
        );
        let at = |file: &str, line: usize| -> Vec<Key> {
            let claims = index.claims_of(file);
            claims
                .iter()
                .enumerate()
                .filter_map(|(i, _)| Some((i, index.claim_position(file, i)?)))
                .filter(|(_, (s, e))| (s.line as usize) < line && line <= e.line as usize + 1)
                .map(|(i, _)| (file.to_string(), i))
                .collect()
        };
        let a = Side { claims: at(fa, la) };
        let b = Side { claims: at(fb, lb) };
        pn += 1;
        phit += linked(&index, &a, &b, 3) as usize;
    }
    let with = same + other_event + other_topic;
    println!(
        "\n| ECB+ (every 3rd strict claim, min score {}) | count | share of claims with a match |",
        min_score()
    );
    println!("| --- | --- | --- |");
    println!("| claims queried | {n} | |");
    println!("| no match | {none} | |");
    println!(
        "| top match in the same event | {same} | {:.2} |",
        same as f64 / with.max(1) as f64
    );
    println!(
        "| top match in the other event of the topic | {other_event} | {:.2} |",
        other_event as f64 / with.max(1) as f64
    );
    println!(
        "| top match in another topic | {other_topic} | {:.2} |",
        other_topic as f64 / with.max(1) as f64
    );
    println!(
        "| claim_pairs.tsv recall@3 (every 10th pair) | {phit}/{pn} = {:.2} | |",
        phit as f64 / pn.max(1) as f64
    );
    assert!(n >= with);
}
