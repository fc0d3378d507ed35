//! The synthetic article of the analysis benchmarks, shared by
//! `benches/analysis.rs` and `examples/analysis_timing.rs`.

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

pub fn synthetic(target: usize) -> String {
    let mut s = String::from("Harbour plans under fire\n\n");
    let mut i = 0;
    while s.len() < target {
        s.push_str(PARAGRAPHS[i % PARAGRAPHS.len()]);
        s.push_str("\n\n");
        i += 1;
    }
    s
}
