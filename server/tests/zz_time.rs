use factlens::analysis::*;
use std::time::Instant;
#[test]
fn time_phases() {
    let para = "The agency said it had hired 250 people in 2020, and “we will hire more,” a spokeswoman added. Prices rose 3.5% سلام 😀.\n\n";
    for mb in [1usize] {
        let big: String = para.repeat(mb * 1024 * 1024 / para.len() + 1);
        let opts = AnalysisOptions::default();
        let t = Instant::now();
        let mut art = article::parse(&big, &opts);
        let t1 = t.elapsed();
        let (f, d) = figures::scan(&big, &art, &opts);
        art.figures = f;
        art.dates = d;
        let t2 = t.elapsed();
        art.quotations = quotes::find(&big, &art, &opts);
        let t3 = t.elapsed();
        attribution::attribute(&big, &mut art, &opts);
        let t4 = t.elapsed();
        let fi = findings::collect(&big, &art, &opts);
        let t5 = t.elapsed();
        println!(
            "{mb} MB: parse {:?} figures {:?} quotes {:?} attribution {:?} findings {:?} ({})",
            t1,
            t2 - t1,
            t3 - t2,
            t4 - t3,
            t5 - t4,
            fi.len()
        );
    }
}
