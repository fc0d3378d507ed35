//! Scale benchmark of the claim index (harness = false; prints a table).
//!
//! `FACTLENS_CORPUS=/work/shared/corpus cargo bench --bench index`
//! (`FACTLENS_BENCH=build`: the full build and its queries only;
//! `FACTLENS_BENCH=steps`: the one-thread steps only.)
//!
//! Workspace: the 21,268 articles of `bbc2225` + `reuters21578`.
//! * indexing: walk + read + analyse + extract + insert, on all cores, and
//!   the same work on one thread (MB/s per core);
//! * peak memory: `VmHWM` of this process (the full build runs first, in a
//!   fresh process, before anything else is loaded);
//! * hover/references latency: `matches_for` on 1,000 sampled claims (a
//!   hover and a references request make the same call), p50/p95/max; and
//!   `search` (workspace symbols);
//! * growth: 1k, 5k, 21k articles, and 100k made of 5 copies of the 21k
//!   (exact duplicates: a worst case, every claim matches its copies).

use factlens::analysis::analyze_facts;
use factlens::config::Config;
use factlens::index::{prepare, Index, Prepared};
use factlens::workspace::{disk_text_source, index_files, read_article, walk};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn corpus() -> Option<PathBuf> {
    let p = match std::env::var_os("FACTLENS_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    if p.join("bbc2225").is_dir() && p.join("reuters21578").is_dir() {
        Some(p)
    } else {
        None
    }
}

fn vm(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

/// CPU time of the calling thread (user + system), 10 ms resolution.
fn cpu() -> Duration {
    cpu_of("/proc/thread-self/stat")
}

/// CPU time of the whole process (every thread).
fn process_cpu() -> Duration {
    cpu_of("/proc/self/stat")
}

fn cpu_of(path: &str) -> Duration {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    let ticks = f.get(11).copied().unwrap_or(0) + f.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn mb(b: u64) -> f64 {
    b as f64 / 1e6
}

struct Lat {
    p50: Duration,
    p95: Duration,
    max: Duration,
    n: usize,
    avg_matches: f64,
}

/// Deterministic sample of (path, claim) pairs of strict claims.
fn sample(index: &Index, n: usize) -> Vec<(String, usize)> {
    let mut all: Vec<(String, usize)> = Vec::new();
    let mut paths: Vec<&std::sync::Arc<str>> = index.paths().collect();
    paths.sort();
    for p in paths {
        for (i, c) in index.claims_of(p).iter().enumerate() {
            if c.is_strict() {
                all.push((p.to_string(), i));
            }
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut x: u64 = 0x9E3779B97F4A7C15;
    for _ in 0..n.min(all.len()) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(all[(x % all.len() as u64) as usize].clone());
    }
    out
}

fn latency(index: &Index, queries: &[(String, usize)]) -> Lat {
    let mut t = Vec::with_capacity(queries.len());
    let mut total = 0usize;
    for (p, c) in queries {
        let s = Instant::now();
        let m = index.matches_for(p, *c, 5, 1.0);
        t.push(s.elapsed());
        total += m.len();
    }
    t.sort();
    let at = |q: f64| {
        t.get(((t.len() as f64 * q) as usize).min(t.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Lat {
        p50: at(0.5),
        p95: at(0.95),
        max: t.last().copied().unwrap_or_default(),
        n: t.len(),
        avg_matches: total as f64 / t.len().max(1) as f64,
    }
}

fn prepared_strict(index: &Index) -> usize {
    index
        .paths()
        .map(|p| index.claims_of(p).iter().filter(|c| c.is_strict()).count())
        .sum()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let Some(corpus) = corpus() else {
        println!("skipped: corpus not found (set FACTLENS_CORPUS)");
        return;
    };
    let cfg = Config::default();
    let rss0 = vm("VmRSS:");
    let roots = vec![corpus.join("bbc2225"), corpus.join("reuters21578")];

    // `FACTLENS_BENCH=steps`: only the one-thread steps (for profiling).
    let only_steps = std::env::var("FACTLENS_BENCH").is_ok_and(|v| v == "steps");
    if only_steps {
        let files = walk(&roots, &cfg);
        steps(&cfg, &files);
        return;
    }

    // 1. Full build on all cores, first, for an honest peak.
    let t = Instant::now();
    let files = walk(&roots, &cfg);
    let walk_t = t.elapsed();
    let mut index = Index::new();
    let (t, pc) = (Instant::now(), process_cpu());
    let report = index_files(&mut index, &files, &cfg, &mut |_, _| {});
    let build_t = t.elapsed() + walk_t;
    let build_cpu = process_cpu().saturating_sub(pc);
    let hwm = vm("VmHWM:");
    let rss = vm("VmRSS:");
    let bytes = report.bytes as u64;
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!("\n## factlens index benchmark (release)\n");
    println!(
        "workspace: {} articles, {:.1} MB of text ({} files walked, {} cores)",
        report.indexed,
        mb(bytes),
        files.len(),
        cores
    );
    println!("\n| measure | value | budget |");
    println!("| --- | --- | --- |");
    println!("| walk | {:.0} ms | |", ms(walk_t));
    println!(
        "| index 21k (walk+read+analyse+extract+insert, {cores} threads) | {:.2} s, {:.1} MB/s (cpu {:.2} s, {:.0}% of {cores} cores) | < 2 s |",
        build_t.as_secs_f64(),
        mb(bytes) / build_t.as_secs_f64(),
        build_cpu.as_secs_f64(),
        100.0 * build_cpu.as_secs_f64() / (build_t - walk_t).as_secs_f64() / cores as f64
    );
    println!("| claims | {} | |", index.claim_count());
    println!(
        "| peak memory VmHWM (process, at start {:.1} MB) | {:.1} MB | < {:.1} MB (50 MB + corpus) |",
        mb(rss0),
        mb(hwm),
        50.0 + mb(bytes)
    );
    println!("| resident after build | {:.1} MB | |", mb(rss));
    println!(
        "| index heap (estimate) | {:.1} MB | |",
        mb(index.heap_bytes() as u64)
    );

    for (part, bytes) in index.heap_breakdown() {
        println!("| index heap: {part} | {:.1} MB | |", mb(bytes as u64));
    }

    let q = sample(&index, 1000);
    let lat = latency(&index, &q);
    println!(
        "| hover/references `matches_for` 21k: p50 / p95 / max | {:.3} / {:.3} / {:.3} ms ({} queries, {:.1} matches avg) | p95 < 5 ms |",
        ms(lat.p50), ms(lat.p95), ms(lat.max), lat.n, lat.avg_matches
    );
    let words = [
        "oil prices",
        "bank rate cut",
        "election",
        "150 mln",
        "shares rose",
        "minister said",
    ];
    let t = Instant::now();
    let mut hits = 0;
    for w in words {
        hits += index.search(w, 50).len();
    }
    println!(
        "| workspace symbols `search` 21k | {:.3} ms avg ({hits} hits) | |",
        ms(t.elapsed()) / words.len() as f64
    );

    // `FACTLENS_BENCH=build`: only the full build and the queries above.
    if std::env::var("FACTLENS_BENCH").is_ok_and(|v| v == "build") {
        return;
    }
    // 2. One core, step by step: read, analyse, extract, insert.
    let prepared = steps(&cfg, &files);
    drop(index);
    growth(&prepared);
}

fn steps(cfg: &Config, files: &[PathBuf]) -> Vec<(String, Prepared)> {
    let t = Instant::now();
    let mut texts: Vec<(String, String, bool)> = Vec::with_capacity(files.len());
    for f in files {
        if let Ok(r) = read_article(f) {
            let md = f.extension().is_some_and(|e| e == "md");
            texts.push((f.to_string_lossy().into_owned(), r.text, md));
        }
    }
    let read_t = t.elapsed();
    let b1: u64 = texts.iter().map(|t| t.1.len() as u64).sum();
    let (t, c) = (Instant::now(), cpu());
    let arts: Vec<_> = texts
        .iter()
        .map(|(_, text, md)| analyze_facts(text, &cfg.analysis_options(*md)))
        .collect();
    let (ana_t, ana_c) = (t.elapsed(), cpu() - c);
    let (t, c) = (Instant::now(), cpu());
    let prepared: Vec<(String, Prepared)> = texts
        .iter()
        .zip(&arts)
        .map(|((p, text, _), a)| (p.clone(), prepare(text, a)))
        .collect();
    let (prep_t, prep_c) = (t.elapsed(), cpu() - c);
    drop(arts);
    drop(texts);
    let (t, c) = (Instant::now(), cpu());
    let mut one = Index::new();
    for (p, d) in &prepared {
        one.insert(p, d.clone());
    }
    let (ins_t, ins_c) = (t.elapsed(), cpu() - c);
    let strict: usize = prepared_strict(&one);
    let per_core = mb(b1) / (ana_t + prep_t + ins_t).as_secs_f64();
    println!("| one thread: read | {:.2} s | |", read_t.as_secs_f64());
    let step = |name: &str, t: Duration, c: Duration| {
        println!(
            "| one thread: {name} | {:.2} s, {:.1} MB/s (cpu {:.2} s) | |",
            t.as_secs_f64(),
            mb(b1) / t.as_secs_f64(),
            c.as_secs_f64()
        )
    };
    step("analyse (analysis module)", ana_t, ana_c);
    step("extract claims (index)", prep_t, prep_c);
    step("insert (index, incl. clone)", ins_t, ins_c);
    println!("| one thread: analyse+extract+insert | {per_core:.1} MB/s per core | ≥ 20 MB/s |");
    println!(
        "| strict claims (figure/quote/date) | {strict} of {} | |",
        one.claim_count()
    );
    drop(one);
    prepared
}

/// 3. Growth.
fn growth(prepared: &[(String, Prepared)]) {
    println!(
        "\n| articles | claims | insert | index heap | matches_for p50 | p95 | max | matches avg |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for &n in &[1000usize, 5000, prepared.len(), prepared.len() * 5] {
        let mut ix = Index::new();
        ix.set_text_source(disk_text_source());
        let t = Instant::now();
        for k in 0..n {
            let (p, d) = &prepared[k % prepared.len()];
            let copy = k / prepared.len();
            if copy == 0 {
                ix.insert(p, d.clone());
            } else {
                ix.insert(&format!("copy{copy}/{p}"), d.clone());
            }
        }
        let ins = t.elapsed();
        let q = sample(&ix, 1000);
        let lat = latency(&ix, &q);
        println!(
            "| {}{} | {} | {:.2} s | {:.1} MB | {:.3} ms | {:.3} ms | {:.3} ms | {:.1} |",
            n,
            if n > prepared.len() {
                " (5 copies of 21k)"
            } else {
                ""
            },
            ix.claim_count(),
            ins.as_secs_f64(),
            mb(ix.heap_bytes() as u64),
            ms(lat.p50),
            ms(lat.p95),
            ms(lat.max),
            lat.avg_matches
        );
    }
    println!(
        "\npeak memory after growth runs (VmHWM): {:.1} MB",
        mb(vm("VmHWM:"))
    );
}
