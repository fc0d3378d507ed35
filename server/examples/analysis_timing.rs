//! Analysis timing without criterion, for machines under load: run it under
//! `perf stat -e task-clock` (CPU time, not wall time) and divide by the
//! iterations.
//!
//! `cargo run --release --example analysis_timing -- <bytes|path> <iterations> [keystroke]`
//!
//! With `keystroke`, each iteration types one character in the middle of
//! the article and analyses it with the per-document cache, as the editor
//! does (`analyze_cached`).

use factlens::analysis::{analyze, analyze_cached, AnalysisCache, AnalysisOptions};
use std::time::Instant;

#[path = "../benches/common/synthetic.rs"]
mod synthetic;
use synthetic::synthetic;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "1048576".to_string());
    let iters: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let (text, markdown) = match what.parse::<usize>() {
        Ok(n) => (synthetic(n), false),
        Err(_) => match std::fs::read_to_string(&what) {
            Ok(t) => (t, what.ends_with(".md")),
            Err(e) => {
                eprintln!("cannot read {what}: {e}");
                std::process::exit(2);
            }
        },
    };
    let opts = AnalysisOptions {
        markdown,
        ..AnalysisOptions::default()
    };
    let keystroke = args.next().as_deref() == Some("keystroke");
    let mut text = text;
    let mut cache = AnalysisCache::default();
    if keystroke {
        analyze_cached(&text, &opts, &mut cache);
    }
    let mut at = text.len() / 2;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut best = f64::MAX;
    let mut findings = 0;
    let t0 = Instant::now();
    for _ in 0..iters {
        let t = Instant::now();
        let art = if keystroke {
            text.insert(at, '7');
            analyze_cached(&text, &opts, &mut cache)
        } else {
            analyze(&text, &opts)
        };
        best = best.min(t.elapsed().as_secs_f64());
        findings = art.findings.len();
    }
    let mean = t0.elapsed().as_secs_f64() / iters.max(1) as f64;
    println!(
        "{} bytes, {iters} iterations, {findings} findings: min {:.3} ms, mean {:.3} ms (wall)",
        text.len(),
        best * 1e3,
        mean * 1e3
    );
}
