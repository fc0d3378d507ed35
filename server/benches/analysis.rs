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

#[path = "common/synthetic.rs"]
mod synthetic;
use synthetic::synthetic;

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
