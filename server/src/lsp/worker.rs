//! The background worker: the only writer of analysis snapshots.
//!
//! It drains the job channel, keeps at most one analysis in flight per
//! document (a burst of keystrokes costs one analysis per document, plus one
//! for the newest version), runs the analysis on a blocking thread so huge
//! documents never stall request handling, and publishes diagnostics with the
//! document version. Results for versions that are no longer current are
//! dropped.

use super::convert;
use super::documents::Language;
use super::indexing;
use super::state::{lock, Job, Snapshot, State};
use crate::analysis::findings::Subject;
use crate::analysis::{analyze, Code, Finding};
use crate::config::Config;
use crate::text::{Encoding, LineIndex};
use ropey::Rope;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedReceiver;
use tower_lsp_server::ls_types::DiagnosticRelatedInformation;
use tower_lsp_server::ls_types::Uri;

/// Analyse one version of a document.
pub fn build_snapshot(
    rope: &Rope,
    version: i32,
    language: Language,
    config: &Config,
    encoding: Encoding,
    key: String,
) -> Snapshot {
    let mut text = rope.to_string();
    let full_len = text.len();
    let mut limited = false;
    if let Some(max) = config.max_file_bytes {
        if text.len() > max {
            let mut cut = max;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            limited = true;
        }
    }
    let opts = config.analysis_options(language.is_markdown());
    let mut article = analyze(&text, &opts);
    if limited {
        let end = text.len();
        let start = text[..end].char_indices().last().map_or(0, |(i, _)| i);
        article.findings.push(Finding {
            code: Code::SizeLimit,
            span: start..end,
            message: format!(
                "Only the first {} of {} bytes were analysed (max_file_bytes).",
                end, full_len
            ),
            subject: Subject::None,
        });
    }
    let lines = LineIndex::new(&text);
    let diagnostics = article
        .findings
        .iter()
        .filter_map(|f| convert::diagnostic(&text, &lines, f, config, encoding, version))
        .collect();
    Snapshot {
        version,
        language,
        text,
        lines,
        article,
        diagnostics,
        encoding,
        key,
        claims: Vec::new(),
    }
}

/// Add the cross-article diagnostics (from the index) to a snapshot.
fn add_cross_diagnostics(state: &State, snap: &mut Snapshot, config: &Config) {
    let index = state.index();
    let cross = indexing::cross_findings(&index, snap);
    for (f, matches) in cross {
        let Some(mut d) = convert::diagnostic(
            &snap.text,
            &snap.lines,
            &f,
            config,
            snap.encoding,
            snap.version,
        ) else {
            continue;
        };
        let related: Vec<DiagnosticRelatedInformation> = matches
            .iter()
            .filter_map(|m| {
                let location = indexing::location(state, m, snap.encoding)?;
                let title = indexing::title_of(&index, &m.path);
                let text: String = m.text.split_whitespace().collect::<Vec<_>>().join(" ");
                Some(DiagnosticRelatedInformation {
                    location,
                    message: format!("{title} ({}): {text}", m.relation.as_str()),
                })
            })
            .collect();
        if !related.is_empty() {
            d.related_information = Some(related);
        }
        snap.article.findings.push(f);
        snap.diagnostics.push(d);
    }
}

struct Worker {
    state: Arc<State>,
    in_flight: HashSet<Uri>,
    /// Documents that changed while their analysis was in flight.
    dirty: HashSet<Uri>,
    /// Documents we published diagnostics for (to clear them on close).
    published: HashSet<Uri>,
    /// Index generation after each document's own last insert.
    match_gen: Arc<Mutex<HashMap<String, u64>>>,
}

impl Worker {
    /// Start analysing the newest version of `uri`, or note it is dirty.
    async fn start(&mut self, uri: Uri) {
        if self.in_flight.contains(&uri) {
            self.dirty.insert(uri);
            return;
        }
        let doc = {
            let docs = lock(&self.state.docs);
            docs.get(&uri)
                .map(|d| (d.rope.clone(), d.version, d.language))
        };
        let Some((rope, version, language)) = doc else {
            // Closed: forget it and clear its diagnostics.
            let had = self
                .state
                .snapshots
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&uri)
                .is_some();
            if had || self.published.remove(&uri) {
                // The buffer is gone: the index goes back to the file on disk.
                let state = self.state.clone();
                let key = indexing::key_for(&uri);
                lock(&self.match_gen).remove(&key);
                let path = uri.to_file_path().map(|p| p.into_owned());
                tokio::task::spawn_blocking(move || {
                    let config = state.config();
                    match path {
                        Some(p) if indexing::in_workspace(&state, &p) => {
                            indexing::reindex_from_disk(&state, &p, &config);
                        }
                        _ => {
                            if state.index().contains(&key) {
                                state.index_mut().remove(&key);
                            }
                        }
                    }
                });
                self.state
                    .client
                    .publish_diagnostics(uri, Vec::new(), None)
                    .await;
            }
            return;
        };
        let config = self.state.config();
        let encoding = self.state.encoding();
        let jobs = self.state.jobs.clone();
        let state = self.state.clone();
        let previous = self.state.snapshot(&uri);
        let match_gen = self.match_gen.clone();
        let key = indexing::key_for(&uri);
        self.in_flight.insert(uri.clone());
        let current_version = {
            let state = self.state.clone();
            let uri = uri.clone();
            move || lock(&state.docs).get(&uri).map(|d| d.version)
        };
        tokio::task::spawn_blocking(move || {
            let fallback = |rope: &Rope| {
                // The analysis panicked: publish nothing rather than die.
                let text = rope.to_string();
                Snapshot {
                    version,
                    language,
                    lines: LineIndex::new(&text),
                    text,
                    article: Default::default(),
                    diagnostics: Vec::new(),
                    encoding,
                    key: key.clone(),
                    claims: Vec::new(),
                }
            };
            // Phase 1: the analysis, plus cross-article findings for the
            // sentences whose text did not change. Published at once.
            let phase1 = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut snap =
                    build_snapshot(&rope, version, language, &config, encoding, key.clone());
                if let Some(prev) = &previous {
                    indexing::carry_claims(&mut snap, prev);
                }
                let local = (snap.article.findings.len(), snap.diagnostics.len());
                add_cross_diagnostics(&state, &mut snap, &config);
                (snap, local)
            }));
            let Ok((snap, local)) = phase1 else {
                let _ = jobs.send(Job::Done(uri, Box::new(fallback(&rope)), true));
                return;
            };
            let mut snap2 = snap.clone();
            let _ = jobs.send(Job::Publish(uri.clone(), Box::new(snap)));
            if current_version() != Some(version) {
                // A newer version is waiting: skip the index update for this one.
                let _ = jobs.send(Job::Done(uri, Box::new(snap2), false));
                return;
            }
            // Phase 2: update the index with this version and match every
            // claim (cached per sentence); publish again only if it changed.
            let phase2 = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let before = snap2.diagnostics.clone();
                snap2.article.findings.truncate(local.0);
                snap2.diagnostics.truncate(local.1);
                let prev_gen = lock(&match_gen).get(&key).copied();
                let gen = indexing::index_and_match(
                    &state,
                    &mut snap2,
                    previous.as_ref(),
                    prev_gen,
                    &config,
                );
                lock(&match_gen).insert(key.clone(), gen);
                add_cross_diagnostics(&state, &mut snap2, &config);
                let changed = snap2.diagnostics != before;
                (snap2, changed)
            }));
            match phase2 {
                Ok((snap2, changed)) => {
                    let _ = jobs.send(Job::Done(uri, Box::new(snap2), changed));
                }
                Err(_) => {
                    let _ = jobs.send(Job::Done(uri, Box::new(fallback(&rope)), false));
                }
            }
        });
    }

    /// Store a snapshot and publish its diagnostics if it is still current.
    async fn publish(&mut self, uri: Uri, snap: Box<Snapshot>) -> bool {
        let current = lock(&self.state.docs).get(&uri).map(|d| d.version);
        let fresh = !self.dirty.contains(&uri)
            && current == Some(snap.version)
            && snap.encoding == self.state.encoding();
        if !fresh {
            return false;
        }
        let diags = snap.diagnostics.clone();
        let version = snap.version;
        self.state
            .snapshots
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(uri.clone(), Arc::from(snap));
        self.published.insert(uri.clone());
        self.state
            .client
            .publish_diagnostics(uri, diags, Some(version))
            .await;
        true
    }

    /// An analysis finished (after its index update): store it, publish it
    /// when `publish` (its diagnostics differ from what phase 1 published),
    /// and start the next version if the document changed meanwhile.
    async fn done(&mut self, uri: Uri, snap: Box<Snapshot>, publish: bool) {
        self.in_flight.remove(&uri);
        let was_dirty = self.dirty.remove(&uri);
        let current = lock(&self.state.docs).get(&uri).map(|d| d.version);
        let fresh =
            !was_dirty && current == Some(snap.version) && snap.encoding == self.state.encoding();
        if !fresh {
            // Stale: analyse the newest version (or clear a closed document).
            self.start(uri).await;
            return;
        }
        if publish {
            self.publish(uri, snap).await;
        } else {
            self.state
                .snapshots
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(uri, Arc::from(snap));
        }
    }
}

/// Run until the job channel closes.
pub async fn run(state: Arc<State>, mut rx: UnboundedReceiver<Job>) {
    let mut w = Worker {
        state,
        in_flight: HashSet::new(),
        dirty: HashSet::new(),
        published: HashSet::new(),
        match_gen: Arc::new(Mutex::new(HashMap::new())),
    };
    let mut batch = Vec::new();
    while let Some(job) = rx.recv().await {
        batch.push(job);
        while let Ok(job) = rx.try_recv() {
            batch.push(job);
        }
        // Coalesce: each document once per batch, in first-seen order.
        let mut seen = HashSet::new();
        let mut docs = Vec::new();
        let mut finished = Vec::new();
        let mut early = Vec::new();
        let mut all = false;
        for job in batch.drain(..) {
            match job {
                Job::Doc(uri, _version) => {
                    if seen.insert(uri.clone()) {
                        docs.push(uri);
                    }
                }
                Job::All => all = true,
                Job::Done(uri, snap, publish) => finished.push((uri, snap, publish)),
                Job::Publish(uri, snap) => early.push((uri, snap)),
                Job::Log(typ, msg) => w.state.client.log_message(typ, msg).await,
            }
        }
        if all {
            for uri in lock(&w.state.docs).uris() {
                if seen.insert(uri.clone()) {
                    docs.push(uri);
                }
            }
        }
        // Changed documents first, so a finished analysis of a document that
        // changed again in this batch is seen as stale and redone once.
        for uri in docs {
            w.start(uri).await;
        }
        for (uri, snap) in early {
            w.publish(uri, snap).await;
        }
        for (uri, snap, publish) in finished {
            w.done(uri, snap, publish).await;
        }
    }
}
