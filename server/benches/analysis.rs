//! Analysis latency: each seed article (read from the corpus at runtime, if
//! present) and synthetic ~10 KB and ~1 MB articles built from the
//! project's own fixture paragraphs. Budget (SPEC): < 1 ms per 10 KB,
//! < 50 ms per MB, release build.
//!
//! `FACTLENS_CORPUS=/path/to/corpus cargo bench --bench analysis`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use factlens::analysis::{analyze, AnalysisOptions};
use std::path::PathBuf;
use std::time::Duration;

/// Our own fixture paragraphs (no corpus text): figures, quotations, dates,
/// abbreviations, a blank-line break, page furniture.
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

fn seeds() -> Vec<(String, String)> {
    let dir = match std::env::var_os("FACTLENS_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    }
    .join("seeds/articles");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    let text = std::fs::read_to_string(e.path()).ok()?;
                    Some((name, text))
                })
                .collect()
        })
        .unwrap_or_default();
    if out.is_empty() {
        eprintln!(
            "seed articles skipped: corpus not found at {}",
            dir.display()
        );
    }
    out.sort();
    out
}

fn bench(c: &mut Criterion) {
    let txt = AnalysisOptions {
        markdown: false,
        ..AnalysisOptions::default()
    };
    let md = AnalysisOptions::default();
    let mut g = c.benchmark_group("analysis");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for (name, text) in seeds() {
        let label = format!("seed {} ({} B)", &name[..3.min(name.len())], text.len());
        g.bench_function(label, |b| b.iter(|| analyze(black_box(&text), &txt)));
    }
    let small = synthetic(10 * 1024);
    let medium = synthetic(100 * 1024);
    let large = synthetic(1024 * 1024);
    g.bench_function(format!("synthetic 10 KB ({} B)", small.len()), |b| {
        b.iter(|| analyze(black_box(&small), &txt))
    });
    g.bench_function(
        format!("synthetic 10 KB markdown ({} B)", small.len()),
        |b| b.iter(|| analyze(black_box(&small), &md)),
    );
    g.bench_function(format!("synthetic 100 KB ({} B)", medium.len()), |b| {
        b.iter(|| analyze(black_box(&medium), &txt))
    });
    g.bench_function(format!("synthetic 1 MB ({} B)", large.len()), |b| {
        b.iter(|| analyze(black_box(&large), &txt))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
