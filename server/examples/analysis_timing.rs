//! Analysis timing without criterion, for machines under load: run it under
//! `perf stat -e task-clock` (CPU time, not wall time) and divide by the
//! iterations.
//!
//! `cargo run --release --example analysis_timing -- <bytes|path> <iterations>`

use factlens::analysis::{analyze, AnalysisOptions};
use std::time::Instant;

/// Our own fixture paragraphs (the same as `benches/analysis.rs`).
const PARAGRAPHS: &[&str] = &[
    "The harbour authority said on Tuesday that it would spend over $ 2.5 billion on new quays by 2030, while critics put the cost at more than three billion dollars.",
    "\"We will not close the northern basin,\" Mayor Ada Lind told the Harbour Gazette. \"Twelve ferries a day depend on it, and 4,500 jobs.\"",
    "According to port records, 1,204 ships docked in March and 1,377 in April. Analysts expect hundreds of extra calls this summer.",
    "Mr. Ortiz of the U.S. consulate visited on Dec. 4 with a dozen engineers. The visit lasted 7-10 minutes longer than planned.",
    "Freight rose 30% in the first quarter, about 4 per cent above the forecast; the two companies declined to comment.",
    "The union's leader, who has worked at the docks for twenty-five years, called the plan “a quiet closure” and demanded a vote of the",
    "members on 18 October. One could argue that the 2022 Harbour Strategy was written for the ships, not for the people.",
    "3 min read 2 hrs ago",
    "Residents of the old quarter, some 800 households, were told the work would take just five [months]. It has taken nineteen.",
];

fn synthetic(target: usize) -> String {
    let mut s = String::from("Harbour plans under fire\n\n");
    let mut i = 0;
    while s.len() < target {
        s.push_str(PARAGRAPHS[i % PARAGRAPHS.len()]);
        s.push_str("\n\n");
        i += 1;
    }
    s
}

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
    let mut best = f64::MAX;
    let mut findings = 0;
    let t0 = Instant::now();
    for _ in 0..iters {
        let t = Instant::now();
        let art = analyze(&text, &opts);
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
