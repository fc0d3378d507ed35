//! The articles of one command run as a workspace: read, analysed in
//! parallel, indexed, and the cross-article findings (`conflicting-figure`,
//! `quote-variant`) drawn from the claim index.

use super::files::{LoadedConfig, SourceFile};
use super::output::Related;
use crate::analysis::findings::Subject;
use crate::analysis::{analyze, Article, Code, Finding};
use crate::index::features::FigureFeature;
use crate::index::{matching, prepare, Index, Prepared, Relation};
pub use crate::text::shorten;
use std::collections::HashMap;

/// Matches looked at per claim for cross-article findings.
const MATCHES_PER_CLAIM: usize = 10;

/// An analysed article; `key` is its path as displayed, also its key in
/// the index.
pub struct Doc {
    pub file: SourceFile,
    pub art: Article,
    pub key: String,
}

/// The analysed articles and their claim index.
pub struct Workspace {
    pub docs: Vec<Doc>,
    pub index: Index,
    by_key: HashMap<String, usize>,
}

impl Workspace {
    /// Analyse (in parallel) and index already-read files.
    pub fn from_files(read: Vec<SourceFile>, cfg: &LoadedConfig) -> Workspace {
        let analysed = analyze_all(read, cfg);
        let mut index = Index::new();
        // Keys are the paths as displayed, readable from the working folder.
        index.set_text_source(crate::workspace::disk_text_source());
        let mut docs = Vec::with_capacity(analysed.len());
        let mut by_key = HashMap::new();
        for (file, art, prepared) in analysed {
            let key = file.display();
            if by_key.contains_key(&key) {
                continue;
            }
            index.insert(&key, prepared);
            by_key.insert(key.clone(), docs.len());
            docs.push(Doc { file, art, key });
        }
        Workspace {
            docs,
            index,
            by_key,
        }
    }

    pub fn doc(&self, key: &str) -> Option<&Doc> {
        self.by_key.get(key).map(|&i| &self.docs[i])
    }

    /// How an article is named in messages: its outlet, else its title,
    /// else its path.
    pub fn name_of(&self, key: &str) -> String {
        let meta = self.index.doc_meta(key);
        meta.and_then(|m| m.outlet.clone())
            .or_else(|| {
                meta.and_then(|m| m.title.as_deref())
                    .map(|t| format!("\"{}\"", shorten(t, 50)))
            })
            .unwrap_or_else(|| key.to_string())
    }

    /// Cross-article findings of document `i`: a `conflicting-figure` on
    /// each of its figures that another article contradicts, a
    /// `quote-variant` on each quotation another article words differently,
    /// with the other articles' claims as related locations.
    pub fn cross_findings(&self, i: usize, min_score: f32) -> Vec<(Finding, Vec<Related>)> {
        let doc = &self.docs[i];
        let claims = self.index.claims_of(&doc.key);
        let mut out: Vec<(Finding, Vec<Related>)> = Vec::new();
        let mut add = |f: Finding, r: Related| {
            if let Some((_, rel)) = out
                .iter_mut()
                .find(|(g, _)| g.code == f.code && g.span == f.span)
            {
                if !rel.contains(&r) {
                    rel.push(r);
                }
            } else {
                out.push((f, vec![r]));
            }
        };
        for (ci, claim) in claims.iter().enumerate() {
            // Only a figure with a unit can conflict, only a quotation
            // with a speaker can be a variant: skip the query otherwise.
            let can_conflict = claim.figures.iter().any(|f| f.unit.is_some());
            let can_vary = claim.has_quote() && claim.quotes().iter().any(|q| q.1.is_some());
            if !(can_conflict || can_vary) {
                continue;
            }
            for m in self
                .index
                .matches_for(&doc.key, ci, MATCHES_PER_CLAIM, min_score)
            {
                let Some(other) = self.doc(&m.path) else {
                    continue;
                };
                let Some(oc) = self.index.claims_of(&m.path).get(m.claim) else {
                    continue;
                };
                let who = self.name_of(&m.path);
                match m.relation {
                    Relation::SameClaim => {}
                    Relation::Conflict => {
                        for (f, g) in conflicting_pairs(&claim.figures, &oc.figures) {
                            let (fr, gr) = (f.rel_span(), g.rel_span());
                            let span = claim.span.start + fr.start..claim.span.start + fr.end;
                            let ospan = oc.span.start + gr.start..oc.span.start + gr.end;
                            let (Some(mine), Some(theirs)) =
                                (doc.file.text.get(span.clone()), other.file.text.get(ospan))
                            else {
                                continue;
                            };
                            let theirs = with_qualifier(g.qualifier.as_deref(), theirs);
                            add(
                                Finding {
                                    code: Code::ConflictingFigure,
                                    message: format!(
                                        "Conflicting figure \"{mine}\": {who} reports \"{theirs}\"."
                                    ),
                                    span,
                                    subject: Subject::None,
                                },
                                related(&m, format!("reports \"{theirs}\"")),
                            );
                        }
                    }
                    Relation::QuoteVariant => {
                        // The two quotations worded differently (a
                        // sentence may quote several passages).
                        let Some((i, j)) = matching::varied_quotes(claim, oc) else {
                            continue;
                        };
                        let Some(qi) = doc.art.quotation_at(&claim.quotes()[i].0) else {
                            continue;
                        };
                        let q = &doc.art.quotations[qi];
                        let Some(theirs) = other
                            .file
                            .text
                            .get(oc.quotes()[j].0.clone())
                            .or(m.sentence())
                        else {
                            continue;
                        };
                        let theirs = shorten(theirs.trim_end_matches([',', ';', ':']), 70);
                        add(
                            Finding {
                                code: Code::QuoteVariant,
                                message: format!(
                                    "Quotation worded differently in {who}: \"{theirs}\""
                                ),
                                span: q.span.clone(),
                                subject: Subject::Quotation(qi),
                            },
                            related(&m, format!("quotes \"{theirs}\"")),
                        );
                    }
                }
            }
        }
        out
    }
}

/// The figures of two matching claims that contradict each other, paired
/// one to one: a figure that another figure of the same unit confirms is
/// not in conflict; the rest pair up by closeness of value, so a sentence
/// with `$27.5bn` and `$9.4bn` against one with `$9.3bn` pairs only the
/// latter two.
fn conflicting_pairs<'a>(
    mine: &'a [FigureFeature],
    theirs: &'a [FigureFeature],
) -> Vec<(&'a FigureFeature, &'a FigureFeature)> {
    let log = |v: f64| v.abs().max(1e-12).ln();
    let mut cand: Vec<(f64, usize, usize)> = Vec::new();
    for (fi, f) in mine.iter().enumerate() {
        if theirs.iter().any(|g| f.agrees(g)) {
            continue;
        }
        for (gi, g) in theirs.iter().enumerate() {
            if f.conflicts(g) && !mine.iter().any(|f2| f2.agrees(g)) {
                cand.push(((log(f.value) - log(g.value)).abs(), fi, gi));
            }
        }
    }
    cand.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut used_f, mut used_g) = (vec![false; mine.len()], vec![false; theirs.len()]);
    let mut out = Vec::new();
    for (_, fi, gi) in cand {
        if !used_f[fi] && !used_g[gi] {
            used_f[fi] = true;
            used_g[gi] = true;
            out.push((&mine[fi], &theirs[gi]));
        }
    }
    out.sort_by_key(|(f, _)| f.rel_span().start);
    out
}

fn related(m: &crate::index::Match, message: String) -> Related {
    Related {
        path: m.path.to_string(),
        line: m.start.line as usize + 1,
        column: m.start.col as usize + 1,
        message,
    }
}

fn with_qualifier(q: Option<&str>, text: &str) -> String {
    match q {
        Some(q) if !q.is_empty() && !matches!(q, "range" | "from-to") && !text.contains(q) => {
            format!("{q} {text}")
        }
        _ => text.to_string(),
    }
}

/// `f` over `items` on all cores (at most 8 threads), results in order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            break;
                        };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    let mut all: Vec<(usize, R)> = parts.into_iter().flatten().collect();
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Analyse and prepare every file, on all cores.
fn analyze_all(read: Vec<SourceFile>, cfg: &LoadedConfig) -> Vec<(SourceFile, Article, Prepared)> {
    let done = par_map(&read, |file| {
        let art = analyze(&file.text, &cfg.config.analysis_options(file.markdown));
        let prepared = prepare(&file.text, &art);
        (art, prepared)
    });
    read.into_iter()
        .zip(done)
        .map(|(f, (a, p))| (f, a, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(value: f64, unit: &str, at: usize) -> FigureFeature {
        FigureFeature::new(
            value,
            None,
            Some(unit.into()),
            crate::index::features::Qual::Exact,
            None,
            at..at + 1,
        )
    }

    #[test]
    fn conflicts_pair_one_to_one_by_closeness() {
        let mine = [fig(27.5e9, "usd", 0), fig(9.4e9, "usd", 10)];
        let theirs = [fig(9.3e9, "usd", 0)];
        let p = conflicting_pairs(&mine, &theirs);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0.value, 9.4e9);
        // a figure confirmed by the other claim is not in conflict
        let theirs = [fig(27.5e9, "usd", 0), fig(9.3e9, "usd", 5)];
        let p = conflicting_pairs(&mine, &theirs);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].0.value, p[0].1.value), (9.4e9, 9.3e9));
        // other units never conflict
        assert!(conflicting_pairs(&mine, &[fig(5.0, "worker", 0)]).is_empty());
        assert!(conflicting_pairs(&mine, &[fig(9.4e9, "usd", 0)]).is_empty());
    }

    #[test]
    fn par_map_keeps_order() {
        let v: Vec<usize> = (0..1000).collect();
        assert_eq!(
            par_map(&v, |x| x * 2),
            v.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        assert!(par_map(&Vec::<u8>::new(), |x| *x).is_empty());
    }

    #[test]
    fn shorten_flattens_and_cuts() {
        assert_eq!(shorten("  a\n  b  ", 10), "a b");
        assert_eq!(shorten("abcdefghij", 5), "abcd…");
    }

    #[test]
    fn qualifier_prefix() {
        assert_eq!(
            with_qualifier(Some("about"), "2,100 residents"),
            "about 2,100 residents"
        );
        assert_eq!(
            with_qualifier(Some("range"), "7-10 minutes"),
            "7-10 minutes"
        );
        assert_eq!(with_qualifier(None, "8 members"), "8 members");
    }
}
