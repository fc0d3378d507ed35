//! The workspace claim index in the server: keys for documents, the
//! background build with progress, watched-file updates, and the
//! cross-article matches of open documents (conflicting figures, quote
//! variants, hover, references, code lens).

use super::state::{lock, ClaimMatches, Job, Snapshot, State};
use crate::analysis::findings::Subject;
use crate::analysis::{Code, Finding};
use crate::config::Config;
use crate::index::{matching, prepare, Index, Match, Relation};
use crate::text::{shorten, Encoding, LineIndex};
use crate::workspace;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_lsp_server::ls_types::{
    FileChangeType, FileEvent, Location, MessageType, NumberOrString, Position, Range, Uri,
    WorkDoneProgressCreateParams,
};

/// How many matches per claim are kept.
pub const MATCH_LIMIT: usize = 8;

/// The index key of a document: its file path, else the URI itself.
pub fn key_for(uri: &Uri) -> String {
    match uri.to_file_path() {
        Some(p) => workspace::path_key(&p),
        None => uri.as_str().to_string(),
    }
}

/// The URI of an index key.
pub fn uri_for(key: &str) -> Option<Uri> {
    if key.contains("://") || key.starts_with("untitled:") {
        return key.parse().ok();
    }
    Uri::from_file_path(key)
}

/// A short, display name for an indexed article: its title, else its file name.
pub fn title_of(index: &Index, key: &str) -> String {
    index
        .doc_meta(key)
        .and_then(|m| m.title.clone())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| {
            Path::new(key)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| key.to_string())
        })
}

fn hash_str(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// What [`index_and_match`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Update {
    /// Every claim was matched (false: given up, the document changed).
    pub complete: bool,
    /// The index generation right after the document's insert (`None`:
    /// given up before it).
    pub gen: Option<u64>,
    /// `prev_gen` was the generation before the insert: the previous
    /// matches were good for unchanged sentences (and still are for the
    /// stored snapshot's sentences at `gen`).
    pub still_good: bool,
}

/// Insert an analysed open document into the index and compute the
/// matches of its strict claims, reusing `previous` results for sentences
/// whose text did not change when no other document changed meanwhile
/// (`prev_gen` is the index generation those results are good for).
///
/// `cancelled` is asked before the insert and before each claim's
/// matching; when it says yes (the document changed, so the result would
/// be dropped) this gives up. With a large workspace a long article's
/// update takes a few hundred milliseconds, on a core that the next
/// keystrokes' analyses need.
pub fn index_and_match(
    state: &State,
    snap: &mut Snapshot,
    previous: Option<&Arc<Snapshot>>,
    prev_gen: Option<u64>,
    config: &Config,
    cancelled: &dyn Fn() -> bool,
) -> Update {
    let mut update = Update {
        complete: false,
        gen: None,
        still_good: false,
    };
    if cancelled() {
        return update;
    }
    // An open buffer may differ from the file: the index keeps its text.
    let prepared = prepare(&snap.text, &snap.article).keep_text(snap.text.as_str());
    let gen_before = state.index_gen.load(Ordering::SeqCst);
    state.index_mut().insert(&snap.key, prepared);
    let gen_after = state.index_gen.load(Ordering::SeqCst);
    update.gen = Some(gen_after);
    // The cache is valid when nothing but this document changed since.
    update.still_good = prev_gen == Some(gen_before);
    let cache: HashMap<u64, &Vec<Match>> = match (update.still_good, previous) {
        (true, Some(p)) => p.claims.iter().map(|c| (c.hash, &c.matches)).collect(),
        _ => HashMap::new(),
    };
    update.complete = match_claims(state, snap, &cache, config, cancelled);
    if update.complete {
        snap.dropped.clear();
    }
    update
}

/// Match an open document's claims again without inserting it (the index
/// has this version): another document changed, and with it maybe what
/// matches here (a conflict is shown in both articles).
pub fn rematch(
    state: &State,
    snap: &mut Snapshot,
    config: &Config,
    cancelled: &dyn Fn() -> bool,
) -> Update {
    let gen = state.index_gen.load(Ordering::SeqCst);
    let complete = match_claims(state, snap, &HashMap::new(), config, cancelled);
    Update {
        complete,
        gen: Some(gen),
        still_good: complete,
    }
}

/// The matches of a snapshot's strict claims (`cache`: earlier matches by
/// sentence hash, still good); false when `cancelled` said stop.
fn match_claims(
    state: &State,
    snap: &mut Snapshot,
    cache: &HashMap<u64, &Vec<Match>>,
    config: &Config,
    cancelled: &dyn Fn() -> bool,
) -> bool {
    let index = state.index();
    let min = config.min_match_score as f32;
    let mut out = Vec::new();
    for (i, claim) in index.claims_of(&snap.key).iter().enumerate() {
        if !claim.is_strict() {
            continue;
        }
        if cancelled() {
            return false;
        }
        let sentence_text = snap.text.get(claim.span.clone()).unwrap_or("");
        let hash = hash_str(sentence_text);
        let matches = match cache.get(&hash) {
            Some(m) => (*m).clone(),
            None => index.matches_for(&snap.key, i, MATCH_LIMIT, min),
        };
        out.push(ClaimMatches {
            claim: i,
            sentence: claim.sentence(),
            span: claim.span.clone(),
            hash,
            matches,
        });
    }
    snap.claims = out;
    true
}

/// A sentence of the previous snapshot (its index) and its claims, each
/// with its offset in the sentence.
type SentenceClaims<'a> = (usize, Vec<(&'a ClaimMatches, usize)>);

/// Phase 1 of an analysis: reuse the previous snapshot's claim matches for
/// sentences whose text is unchanged (at their new offsets), before the
/// index has this version. A sentence's claims (one per clause, see
/// `index::clauses`) move with it.
pub fn carry_claims(snap: &mut Snapshot, prev: &Snapshot) {
    if prev.claims.is_empty() {
        return;
    }
    // By the hash of their sentence's text: (that sentence, its claims with
    // their offsets in it). Of two sentences with the same text, the
    // first one's claims.
    let mut by_sentence: HashMap<u64, SentenceClaims> = HashMap::new();
    for cm in &prev.claims {
        let Some(s) = prev.article.sentences.get(cm.sentence) else {
            continue;
        };
        let (Some(t), Some(off)) = (
            prev.text.get(s.span.clone()),
            cm.span.start.checked_sub(s.span.start),
        ) else {
            continue;
        };
        let e = by_sentence
            .entry(hash_str(t))
            .or_insert_with(|| (cm.sentence, Vec::new()));
        if e.0 == cm.sentence {
            e.1.push((cm, off));
        }
    }
    let mut out = Vec::new();
    let mut carried: HashSet<u64> = HashSet::new();
    for (i, s) in snap.article.sentences.iter().enumerate() {
        let Some(t) = snap.text.get(s.span.clone()) else {
            continue;
        };
        let h = hash_str(t);
        let Some((_, claims)) = by_sentence.get(&h) else {
            continue;
        };
        carried.insert(h);
        for &(cm, off) in claims {
            let start = s.span.start + off;
            out.push(ClaimMatches {
                claim: cm.claim,
                sentence: i,
                span: start..start + cm.span.len(),
                hash: cm.hash,
                matches: cm.matches.clone(),
            });
        }
    }
    snap.claims = out;
    // What the dropped claims matched, until the index matches this
    // document again.
    let mut dropped = prev.dropped.clone();
    for (h, (_, claims)) in &by_sentence {
        if carried.contains(h) {
            continue;
        }
        for (cm, _) in claims {
            for m in &cm.matches {
                if !dropped.contains(&m.path) {
                    dropped.push(m.path.clone());
                }
            }
        }
    }
    snap.dropped = dropped;
}

/// Cross-article findings of a snapshot: `conflicting-figure` on each
/// figure another article gives a different value for, `quote-variant` on
/// quotations worded differently elsewhere. Each with the matches behind it.
pub fn cross_findings(index: &Index, snap: &Snapshot) -> Vec<(Finding, Vec<Match>)> {
    let mut out = CrossOut::default();
    let claims = index.claims_of(&snap.key);
    for cm in &snap.claims {
        let Some(claim) = claims.get(cm.claim) else {
            continue;
        };
        for m in &cm.matches {
            match m.relation {
                Relation::Conflict => {
                    let Some(other) = index.claims_of(&m.path).get(m.claim) else {
                        continue;
                    };
                    for fq in claim.figures.iter() {
                        let Some(fd) = other.figures.iter().find(|fd| fq.conflicts(fd)) else {
                            continue;
                        };
                        // The claim's sentence may have moved (phase 1 reuses
                        // the indexed claim of an unchanged sentence).
                        let r = fq.rel_span();
                        let span = cm.span.start + r.start..cm.span.start + r.end;
                        if snap.text.get(span.clone()).is_none() {
                            continue;
                        }
                        let theirs = m
                            .sentence()
                            .and_then(|t| t.get(fd.rel_span()))
                            .unwrap_or("a different value")
                            .to_string();
                        let mine = &snap.text[span.clone()];
                        let title = title_of(index, &m.path);
                        out.push(
                            Finding {
                                code: Code::ConflictingFigure,
                                span,
                                message: format!(
                                    "Conflicting figure \"{mine}\": \"{title}\" reports \"{theirs}\"."
                                ),
                                subject: Subject::None,
                            },
                            m,
                        );
                    }
                }
                Relation::QuoteVariant => {
                    let Some(other) = index.claims_of(&m.path).get(m.claim) else {
                        continue;
                    };
                    // The quotation worded differently (a sentence may
                    // quote several passages), where it is now: the
                    // claim's sentence may have moved.
                    let Some((i, j)) = matching::varied_quotes(claim, other) else {
                        continue;
                    };
                    let r = &claim.quotes()[i].0;
                    let Some(span) = (r.start + cm.span.start)
                        .checked_sub(claim.span.start)
                        .map(|start| start..start + r.len())
                    else {
                        continue;
                    };
                    let Some(qi) = snap.article.quotation_at(&span) else {
                        continue;
                    };
                    let title = title_of(index, &m.path);
                    // Their words, when the match shows its whole sentence.
                    let theirs = m
                        .sentence()
                        .filter(|t| t.len() == m.span.len())
                        .and_then(|t| {
                            let r = &other.quotes()[j].0;
                            t.get(
                                r.start.checked_sub(m.span.start)?
                                    ..r.end.checked_sub(m.span.start)?,
                            )
                        })
                        .map(|t| shorten(t.trim_end_matches([',', ';', ':']), 70));
                    let message = match theirs {
                        Some(t) => format!("Quotation worded differently in \"{title}\": \"{t}\""),
                        None => format!("Quotation worded differently in \"{title}\"."),
                    };
                    out.push(
                        Finding {
                            code: Code::QuoteVariant,
                            span,
                            message,
                            subject: Subject::Quotation(qi),
                        },
                        m,
                    );
                }
                _ => {}
            }
        }
    }
    out.list
}

/// Cross-article findings in first-seen order, one per (code, span), each
/// with the distinct matches behind it.
#[derive(Default)]
struct CrossOut {
    list: Vec<(Finding, Vec<Match>)>,
    at: HashMap<(Code, usize, usize), usize>,
}

impl CrossOut {
    fn push(&mut self, f: Finding, m: &Match) {
        let key = (f.code, f.span.start, f.span.end);
        match self.at.get(&key) {
            Some(&i) => {
                let ms = &mut self.list[i].1;
                if !ms.iter().any(|x| x.path == m.path && x.claim == m.claim) {
                    ms.push(m.clone());
                }
            }
            None => {
                self.at.insert(key, self.list.len());
                self.list.push((f, vec![m.clone()]));
            }
        }
    }
}

/// The LSP location of a match in another article. UTF-16 columns come
/// from the index; UTF-8 columns need the text (an open snapshot, else the
/// file on disk).
pub fn location(state: &State, m: &Match, enc: Encoding) -> Option<Location> {
    let uri = uri_for(&m.path)?;
    let range = match enc {
        Encoding::Utf16 => Range::new(
            Position::new(m.start.line, m.start.col_utf16),
            Position::new(m.end.line, m.end.col_utf16),
        ),
        Encoding::Chars => Range::new(
            Position::new(m.start.line, m.start.col),
            Position::new(m.end.line, m.end.col),
        ),
        Encoding::Utf8 => {
            let text = match state.snapshot(&uri) {
                Some(s) => Some(s.text.clone()),
                None => workspace::read_article(Path::new(&*m.path))
                    .ok()
                    .map(|r| r.text),
            };
            match text {
                Some(t) => {
                    let li = LineIndex::new(&t);
                    super::convert::range(&t, &li, &m.span, Encoding::Utf8)
                }
                None => Range::new(
                    Position::new(m.start.line, m.start.col),
                    Position::new(m.end.line, m.end.col),
                ),
            }
        }
    };
    Some(Location { uri, range })
}

/// Build the index of the workspace folders in the background, reporting
/// progress, then swap it in (open documents win) and refresh open
/// documents' cross-article diagnostics.
pub async fn build(state: Arc<State>) {
    let roots = state
        .roots
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if roots.is_empty() {
        return;
    }
    let config = state.config();
    let token = NumberOrString::String(format!("factlens-index-{}", std::process::id()));
    let progress = if state.caps().work_done_progress {
        let created = tokio::time::timeout(
            Duration::from_secs(3),
            state
                .client
                .send_request::<tower_lsp_server::ls_types::request::WorkDoneProgressCreate>(
                    WorkDoneProgressCreateParams {
                        token: token.clone(),
                    },
                ),
        )
        .await;
        if matches!(created, Ok(Ok(()))) {
            Some(
                state
                    .client
                    .progress(token.clone(), "factlens: indexing workspace")
                    .with_percentage(0)
                    .begin()
                    .await,
            )
        } else {
            None
        }
    } else {
        None
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
    let started = Instant::now();
    let job = tokio::task::spawn_blocking(move || {
        workspace::build_workspace_report(&roots, &config, |done, total| {
            let _ = tx.send((done, total));
        })
    });
    let mut last = Instant::now();
    let mut last_pct = 0;
    while let Some((done, total)) = rx.recv().await {
        let pct = (done * 100 / total.max(1)) as u32;
        if let Some(p) = &progress {
            if pct > last_pct && last.elapsed() > Duration::from_millis(100) {
                p.report_with_message(format!("{done}/{total} articles"), pct)
                    .await;
                last = Instant::now();
                last_pct = pct;
            }
        }
    }
    // Open buffers win over disk. Preparing a long article takes
    // milliseconds: on a blocking thread, not on one of the two runtime
    // threads that relay keystrokes and diagnostics.
    let built = match job.await {
        Ok((index, report)) => {
            let snaps: Vec<Arc<Snapshot>> = state
                .snapshots
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .values()
                .cloned()
                .collect();
            tokio::task::spawn_blocking(move || {
                let mut index = index;
                for s in snaps {
                    index.insert(
                        &s.key,
                        prepare(&s.text, &s.article).keep_text(s.text.as_str()),
                    );
                }
                index
            })
            .await
            .map(|index| (index, report))
        }
        Err(e) => Err(e),
    };
    let Ok((index, report)) = built else {
        if let Some(p) = progress {
            p.finish_with_message("indexing failed").await;
        }
        state
            .client
            .log_message(MessageType::ERROR, "factlens: workspace indexing failed")
            .await;
        return;
    };
    let claims = index.claim_count();
    // The replaced index (a whole workspace on a rebuild) is freed off the
    // runtime threads too.
    let old = std::mem::replace(&mut *state.index_mut(), index);
    tokio::task::spawn_blocking(move || drop(old));
    let msg = format!(
        "indexed {} articles ({} claims, {:.1} MB) in {:.2} s",
        report.indexed,
        claims,
        report.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    if let Some(p) = progress {
        p.finish_with_message(msg.clone()).await;
    }
    state.client.log_message(MessageType::INFO, &msg).await;
    for (what, list) in [
        ("not UTF-8 (read lossily)", &report.lossy),
        ("binary (skipped)", &report.binary),
        ("unreadable (skipped)", &report.unreadable),
    ] {
        if !list.is_empty() {
            let names: Vec<String> = list
                .iter()
                .take(10)
                .map(|p| p.display().to_string())
                .collect();
            state
                .client
                .log_message(
                    MessageType::WARNING,
                    format!("{} files {what}: {}", list.len(), names.join(", ")),
                )
                .await;
        }
    }
    state.send(Job::All);
}

/// Apply watched-file events to the index (open documents are left to
/// their buffers). A file is indexed only when the workspace walk would
/// list it ([`workspace::is_walked`]: the include/exclude globs,
/// `.gitignore`/`.ignore`, hidden names); one that no longer qualifies is
/// dropped, and a deleted folder takes its files along. A changed
/// `factlens.toml` is read here at once (the server's
/// own reload is asynchronous), so this batch is judged by the new globs,
/// and the index is brought in line with them. Runs on a blocking thread.
pub fn apply_file_events(state: &State, events: &[FileEvent]) -> bool {
    let config_changed = events
        .iter()
        .any(|e| e.uri.as_str().ends_with("/factlens.toml"));
    let config = if config_changed {
        let layers = lock(&state.layers).clone();
        Arc::new(layers.compute().config)
    } else {
        state.config()
    };
    let mut changed = false;
    if config_changed {
        changed |= resync_with_globs(state, &config);
    }
    for ev in events {
        let Some(path) = ev.uri.to_file_path().map(|p| p.into_owned()) else {
            continue;
        };
        if lock(&state.docs).get(&ev.uri).is_some() {
            continue;
        }
        if ev.typ == FileChangeType::DELETED {
            changed |= drop_key(state, &workspace::path_key(&path)) || drop_under(state, &path);
            continue;
        }
        changed |= reindex_from_disk(state, &path, &config);
    }
    changed
}

fn roots_of(state: &State) -> Vec<std::path::PathBuf> {
    state
        .roots
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
}

/// Remove a key from the index; whether it was there.
fn drop_key(state: &State, key: &str) -> bool {
    if state.index().contains(key) {
        state.index_mut().remove(key);
        true
    } else {
        false
    }
}

/// The index keys of the open documents.
fn open_keys(state: &State) -> std::collections::HashSet<String> {
    state
        .snapshots
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .values()
        .map(|s| s.key.clone())
        .collect()
}

/// A deleted folder: remove the indexed files under it (open documents
/// are left to their buffers). Whether any was there.
fn drop_under(state: &State, dir: &Path) -> bool {
    let open = open_keys(state);
    let under: Vec<String> = state
        .index()
        .paths()
        .filter(|k| Path::new(&***k).starts_with(dir) && !open.contains(&***k))
        .map(|k| k.to_string())
        .collect();
    let mut changed = false;
    for k in &under {
        changed |= drop_key(state, k);
    }
    changed
}

/// After a configuration change: walk the workspace folders again, drop
/// the indexed files under them that the walk no longer lists (excluded
/// now) and index the ones it newly lists. Open documents are left alone.
fn resync_with_globs(state: &State, config: &Config) -> bool {
    let roots = roots_of(state);
    if roots.is_empty() {
        return false;
    }
    let listed: std::collections::HashSet<String> = workspace::walk(&roots, config)
        .iter()
        .map(|p| workspace::path_key(p))
        .collect();
    let open = open_keys(state);
    let stale: Vec<String> = state
        .index()
        .paths()
        .filter(|k| {
            !listed.contains(&***k)
                && !open.contains(&***k)
                && roots.iter().any(|r| Path::new(&***k).starts_with(r))
        })
        .map(|k| k.to_string())
        .collect();
    let mut changed = false;
    for k in &stale {
        changed |= drop_key(state, k);
    }
    let new: Vec<String> = {
        let index = state.index();
        listed
            .into_iter()
            .filter(|k| !index.contains(k) && !open.contains(k))
            .collect()
    };
    for k in new {
        if let Ok((prepared, _)) = workspace::prepare_file(Path::new(&k), config) {
            state.index_mut().insert(&k, prepared);
            changed = true;
        }
    }
    changed
}

/// Re-read one file from disk into the index, or drop it when it is gone,
/// unreadable or not an article of the workspace ([`workspace::is_walked`]:
/// excluded, ignored or not matching the include globs). Returns whether
/// the index changed.
pub fn reindex_from_disk(state: &State, path: &Path, config: &Config) -> bool {
    let key = workspace::path_key(path);
    if !workspace::is_walked(path, &roots_of(state), config) {
        return drop_key(state, &key);
    }
    match workspace::prepare_file(path, config) {
        Ok((prepared, _)) => {
            state.index_mut().insert(&key, prepared);
            true
        }
        Err(_) => drop_key(state, &key),
    }
}

/// Whether a path lies under one of the workspace folders.
pub fn in_workspace(state: &State, path: &Path) -> bool {
    state
        .roots
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .any(|r| path.starts_with(r))
}
