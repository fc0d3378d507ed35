use factlens::{
    analysis,
    index::{prepare, Index},
};
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let opts = analysis::AnalysisOptions::default();
    for _ in 0..3 {
        let t = Instant::now();
        let art = analysis::analyze(&text, &opts);
        let a = t.elapsed();
        let t = Instant::now();
        let p = prepare(&text, &art);
        let b = t.elapsed();
        let mut idx = Index::new();
        let t = Instant::now();
        idx.insert("/x.md", p);
        let c = t.elapsed();
        let t = Instant::now();
        let li = factlens::text::LineIndex::new(&text);
        let mut n = 0;
        for f in &art.findings {
            let p = li.position(&text, f.span.start, factlens::text::Encoding::Utf16);
            n += p.col as usize;
        }
        let d = t.elapsed();
        println!(
            "bytes={} analyze={:?} prepare={:?} insert={:?} positions={:?} findings={} {}",
            text.len(),
            a,
            b,
            c,
            d,
            art.findings.len(),
            n
        );
    }
}
