//! The background worker: the only writer of analysis snapshots.
//!
//! It drains the job channel, keeps at most one analysis in flight per
//! document (a burst of keystrokes costs one analysis per document, plus one
//! for the newest version), runs the analysis on a blocking thread so huge
//! documents never stall request handling, and publishes diagnostics with the
//! document version. Results for versions that are no longer current are
//! dropped.
//!
//! Two stages per document:
//! 1. *Analysis* (every change): the article's own findings, plus the
//!    cross-article findings of sentences whose text did not change (their
//!    matches are carried over). Published at once.
//! 2. *Index update* (after [`INDEX_QUIET`] without changes): the index gets
//!    this version, every claim is matched (cached per sentence text), and
//!    the diagnostics are published again only if they changed.
//! 3. *Re-match* (another open document's index update touched this one:
//!    its claims matched here before or now): the claims are matched again
//!    without an insert, so a conflict shows in both articles.

use super::convert;
use super::documents::Language;
use super::indexing;
use super::state::{lock, Indexed, Job, Snapshot, State};
use crate::analysis::findings::Subject;
use crate::analysis::{analyze_cancellable, AnalysisCache, Cancel, Code, Finding};
use crate::config::Config;
use crate::text::{Encoding, LineIndex};
use ropey::Rope;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

/// Quiet time after the last published analysis before the index update.
pub const INDEX_QUIET: Duration = Duration::from_millis(150);
use tower_lsp_server::ls_types::{DiagnosticRelatedInformation, Position, Uri};

/// Analyse one version of a document (its index `key` left empty for the
/// caller); `None` when `cancel` says the result is no longer wanted
/// (checked during the analysis and before the diagnostics are converted).
pub fn build_snapshot(
    rope: &Rope,
    version: i32,
    language: Language,
    config: &Config,
    encoding: Encoding,
    cache: &mut AnalysisCache,
    cancel: &Cancel,
) -> Option<Snapshot> {
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
    let mut article = analyze_cancellable(&text, &opts, cache, cancel)?;
    if cancel.check() {
        return None;
    }
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
    let diagnostics = {
        let mut cursor = lines.cursor(&text, encoding);
        let mut pos = |o| {
            let p = cursor.position(o);
            Position::new(p.line, p.col)
        };
        article
            .findings
            .iter()
            .enumerate()
            .filter_map(|(i, f)| convert::diag(i, f, config, &mut pos))
            .collect()
    };
    Some(Snapshot {
        version,
        language,
        text,
        lines,
        article,
        diagnostics,
        encoding,
        key: String::new(),
        claims: Vec::new(),
        local: (0, 0),
        dropped: Vec::new(),
    })
}

/// Add the cross-article diagnostics (from the index) to a snapshot.
fn add_cross_diagnostics(state: &State, snap: &mut Snapshot, config: &Config) {
    let index = state.index();
    let cross = indexing::cross_findings(&index, snap);
    for (f, matches) in cross {
        let (text, lines, enc) = (&snap.text, &snap.lines, snap.encoding);
        let Some(mut d) = convert::diag(snap.article.findings.len(), &f, config, &mut |o| {
            convert::position(text, lines, o, enc)
        }) else {
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
            d.related = Some(related);
        }
        snap.article.findings.push(f);
        snap.diagnostics.push(d);
    }
}

/// The `publishDiagnostics` frame of a snapshot.
fn frame_of(uri: &Uri, snap: &Snapshot) -> Vec<u8> {
    convert::write_publish(
        uri,
        &snap.text,
        &snap.article.findings,
        &snap.diagnostics,
        Some(snap.version),
    )
}

/// Whether two snapshots of one version publish the same diagnostics.
fn same_diagnostics(a: &Snapshot, b: &Snapshot) -> bool {
    a.diagnostics.len() == b.diagnostics.len()
        && a.diagnostics.iter().zip(&b.diagnostics).all(|(x, y)| {
            x.range == y.range
                && x.severity == y.severity
                && x.related == y.related
                && a.article.findings.get(x.finding) == b.article.findings.get(y.finding)
        })
}

/// Free a replaced snapshot on a blocking thread, so the worker loop (and
/// the next publish) does not wait for it.
fn drop_later(old: Arc<Snapshot>) {
    tokio::task::spawn_blocking(move || drop(old));
}

struct Worker {
    state: Arc<State>,
    /// Documents with an analysis in flight.
    in_flight: HashSet<Uri>,
    /// Documents that changed while their analysis was in flight.
    dirty: HashSet<Uri>,
    /// Documents with an index update in flight.
    indexing: HashSet<Uri>,
    /// When each document's index update is due.
    due: HashMap<Uri, Instant>,
    /// When each open document is due to be matched again because another
    /// one that it matches (or now may) changed.
    rematch: HashMap<Uri, Instant>,
    /// Documents we published diagnostics for (to clear them on close).
    published: HashSet<Uri>,
    /// Per index key: the index generation that the stored snapshot's
    /// claim matches are good for (see `indexing::index_and_match`).
    match_gen: Arc<Mutex<HashMap<String, u64>>>,
}

impl Worker {
    fn current_version(&self, uri: &Uri) -> Option<i32> {
        lock(&self.state.docs).get(uri).map(|d| d.version)
    }

    /// A closed document: forget it, clear its diagnostics, and let the
    /// index go back to the file on disk.
    async fn closed(&mut self, uri: Uri) {
        self.due.remove(&uri);
        self.rematch.remove(&uri);
        lock(&self.state.analysis_caches).remove(&uri);
        let had = self
            .state
            .snapshots
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&uri)
            .is_some();
        if !(had || self.published.remove(&uri)) {
            return;
        }
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
            .publish(convert::write_publish(&uri, "", &[], &[], None))
            .await;
    }

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
            self.closed(uri).await;
            return;
        };
        self.due.remove(&uri);
        let config = self.state.config();
        let encoding = self.state.encoding();
        let jobs = self.state.jobs.clone();
        let state = self.state.clone();
        let previous = self.state.snapshot(&uri);
        let key = indexing::key_for(&uri);
        self.in_flight.insert(uri.clone());
        tokio::task::spawn_blocking(move || {
            // A newer version (or other settings) makes this analysis
            // pointless: give it up and let the worker start the newest.
            let stale = || {
                lock(&state.docs).get(&uri).map(|d| d.version) != Some(version)
                    || !Arc::ptr_eq(&config, &state.config())
            };
            let cancel = Cancel::new(&stale);
            let snap = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut cache = state.take_analysis_cache(&uri);
                let snap = build_snapshot(
                    &rope, version, language, &config, encoding, &mut cache, &cancel,
                );
                state.put_analysis_cache(uri.clone(), cache);
                let mut snap = snap?;
                snap.key = key.clone();
                if let Some(prev) = &previous {
                    indexing::carry_claims(&mut snap, prev);
                }
                snap.local = (snap.article.findings.len(), snap.diagnostics.len());
                add_cross_diagnostics(&state, &mut snap, &config);
                Some(snap)
            }));
            let snap = match snap {
                Ok(Some(snap)) if !cancel.check() => snap,
                Ok(_) => {
                    let _ = jobs.send(Job::Cancelled(uri));
                    return;
                }
                // The analysis panicked: publish nothing rather than die.
                Err(_) => {
                    let text = rope.to_string();
                    Snapshot {
                        version,
                        language,
                        lines: LineIndex::new(&text),
                        text,
                        article: Default::default(),
                        diagnostics: Vec::new(),
                        encoding,
                        key,
                        claims: Vec::new(),
                        local: (0, 0),
                        dropped: Vec::new(),
                    }
                }
            };
            let frame = frame_of(&uri, &snap);
            let _ = jobs.send(Job::Done(uri, Box::new(snap), frame));
        });
    }

    /// An analysis gave up (its document changed again): analyse the
    /// newest version.
    async fn cancelled(&mut self, uri: Uri) {
        self.in_flight.remove(&uri);
        self.dirty.remove(&uri);
        self.start(uri).await;
    }

    /// Store a snapshot and publish its diagnostics (`frame`).
    async fn store_and_publish(&mut self, uri: Uri, snap: Box<Snapshot>, frame: Option<Vec<u8>>) {
        let old = self
            .state
            .snapshots
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(uri.clone(), Arc::from(snap));
        if let Some(frame) = frame {
            self.published.insert(uri);
            self.state.publish(frame).await;
        }
        // The replaced snapshot (a whole analysis, its text and diagnostics)
        // is freed after the publish and off the worker loop: on a 100 KB
        // article the drop costs about as much as converting the findings.
        if let Some(old) = old {
            drop_later(old);
        }
    }

    /// An analysis finished: publish it if it is still current and schedule
    /// the index update; otherwise analyse the newest version.
    async fn done(&mut self, uri: Uri, snap: Box<Snapshot>, frame: Vec<u8>) {
        self.in_flight.remove(&uri);
        let was_dirty = self.dirty.remove(&uri);
        let current = self.current_version(&uri);
        let fresh =
            !was_dirty && current == Some(snap.version) && snap.encoding == self.state.encoding();
        if !fresh {
            self.start(uri).await;
            return;
        }
        let first = self.state.snapshot(&uri).is_none();
        self.store_and_publish(uri.clone(), snap, Some(frame)).await;
        let delay = if first { Duration::ZERO } else { INDEX_QUIET };
        self.due.insert(uri, Instant::now() + delay);
    }

    /// Start the index updates that are due (one per document at a time,
    /// never while its analysis runs).
    fn start_due_indexing(&mut self) {
        let now = Instant::now();
        let ready: Vec<Uri> = self
            .due
            .iter()
            .filter(|(u, t)| {
                **t <= now && !self.in_flight.contains(*u) && !self.indexing.contains(*u)
            })
            .map(|(u, _)| u.clone())
            .collect();
        for uri in ready {
            self.due.remove(&uri);
            let Some(current) = self.state.snapshot(&uri) else {
                continue;
            };
            if self.current_version(&uri) != Some(current.version) {
                continue; // a newer analysis will schedule its own
            }
            let match_gen = self.match_gen.clone();
            self.spawn_update(
                uri,
                current,
                false,
                move |state, snap, current, config, changed| {
                    let key = snap.key.clone();
                    let prev_gen = lock(&match_gen).get(&key).copied();
                    let update = indexing::index_and_match(
                        state,
                        snap,
                        Some(current),
                        prev_gen,
                        config,
                        changed,
                    );
                    // Until a result is stored (`indexed`), the stored
                    // snapshot's matches stay good past this document's own
                    // insert only if they were good before it.
                    if let Some(gen) = update.gen {
                        let mut match_gen = lock(&match_gen);
                        if update.still_good {
                            match_gen.insert(key, gen);
                        } else {
                            match_gen.remove(&key);
                        }
                    }
                    update
                },
            );
        }
    }

    /// An index update finished: keep it if the document did not change.
    /// After an insert, the other open documents that its changed claims
    /// matched, before or now, are matched again ([`INDEX_QUIET`] later): what one
    /// article changes shows in the others (a conflict in both).
    async fn indexed(&mut self, uri: Uri, done: Option<Box<Indexed>>) {
        self.indexing.remove(&uri);
        let Some(done) = done else { return };
        let Indexed {
            snap,
            frame,
            gen,
            rematch,
        } = *done;
        let current = self.current_version(&uri);
        let stored = self.state.snapshot(&uri);
        let fresh = current == Some(snap.version)
            && stored.as_ref().map(|s| s.version) == Some(snap.version)
            && !self.in_flight.contains(&uri)
            && snap.encoding == self.state.encoding();
        if !fresh {
            return;
        }
        if !rematch {
            // The documents this update may change: those matched by the
            // claims that changed since the last update, before (`dropped`)
            // or now (a claim kept as it was matches as it did).
            let kept: HashSet<u64> = stored
                .iter()
                .flat_map(|s| &s.claims)
                .map(|c| c.hash)
                .collect();
            let mut touched: HashSet<&str> = stored
                .iter()
                .flat_map(|s| &s.dropped)
                .map(|p| &**p)
                .collect();
            for cm in snap.claims.iter().filter(|c| !kept.contains(&c.hash)) {
                touched.extend(cm.matches.iter().map(|m| &*m.path));
            }
            if !touched.is_empty() {
                let at = Instant::now() + INDEX_QUIET;
                for other in lock(&self.state.docs).uris() {
                    if other != uri && touched.contains(indexing::key_for(&other).as_str()) {
                        self.rematch.entry(other).or_insert(at);
                    }
                }
            }
        }
        lock(&self.match_gen).insert(snap.key.clone(), gen);
        self.store_and_publish(uri, Box::new(snap), frame).await;
    }

    /// Match again the open documents that are due ([`Worker::rematch`]),
    /// unless their own index update is due or running (it matches too).
    fn start_due_rematch(&mut self) {
        let now = Instant::now();
        let ready: Vec<Uri> = self
            .rematch
            .iter()
            .filter(|(_, t)| **t <= now)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in ready {
            // An update of its own that started before the change may have
            // matched without it: again once that one is done.
            if self.indexing.contains(&uri) {
                self.rematch.insert(uri, now + INDEX_QUIET);
                continue;
            }
            self.rematch.remove(&uri);
            // An analysis or an update of its own to come matches anew.
            if self.in_flight.contains(&uri) || self.due.contains_key(&uri) {
                continue;
            }
            let Some(current) = self.state.snapshot(&uri) else {
                continue;
            };
            if self.current_version(&uri) != Some(current.version) || current.claims.is_empty() {
                continue;
            }
            self.spawn_update(uri, current, true, |state, snap, _, config, changed| {
                indexing::rematch(state, snap, config, changed)
            });
        }
    }

    /// Run an index update (`rematch`: a re-match only) of `uri` on a
    /// blocking thread: `step` matches a copy of the `current` snapshot
    /// without its cross-article findings; the new findings are added, the
    /// frame written if they changed, and the result sent back as
    /// [`Job::Indexed`].
    fn spawn_update<F>(&mut self, uri: Uri, current: Arc<Snapshot>, rematch: bool, step: F)
    where
        F: FnOnce(
                &State,
                &mut Snapshot,
                &Arc<Snapshot>,
                &Config,
                &dyn Fn() -> bool,
            ) -> indexing::Update
            + Send
            + 'static,
    {
        self.indexing.insert(uri.clone());
        let state = self.state.clone();
        let jobs = self.state.jobs.clone();
        let config = self.state.config();
        tokio::task::spawn_blocking(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut snap = (*current).clone();
                snap.diagnostics.truncate(snap.local.1);
                snap.article.findings.truncate(snap.local.0);
                let version = snap.version;
                let changed = || lock(&state.docs).get(&uri).map(|d| d.version) != Some(version);
                let update = step(&state, &mut snap, &current, &config, &changed);
                let gen = match (update.complete, update.gen) {
                    (true, Some(gen)) => gen,
                    _ => return None,
                };
                add_cross_diagnostics(&state, &mut snap, &config);
                let frame = (!same_diagnostics(&snap, &current)).then(|| frame_of(&uri, &snap));
                Some(Indexed {
                    snap,
                    frame,
                    gen,
                    rematch,
                })
            }));
            // Settings changed meanwhile: this result has the old
            // severities; the re-analysis the change started schedules its
            // own index update.
            let stale = !Arc::ptr_eq(&config, &state.config());
            let msg = match r {
                Ok(Some(done)) if !stale => Job::Indexed(uri, Some(Box::new(done))),
                _ => Job::Indexed(uri, None),
            };
            let _ = jobs.send(msg);
        });
    }
}

/// Run until the job channel closes.
pub async fn run(state: Arc<State>, mut rx: UnboundedReceiver<Job>) {
    let mut w = Worker {
        state,
        in_flight: HashSet::new(),
        dirty: HashSet::new(),
        indexing: HashSet::new(),
        due: HashMap::new(),
        rematch: HashMap::new(),
        published: HashSet::new(),
        match_gen: Arc::new(Mutex::new(HashMap::new())),
    };
    let mut batch = Vec::new();
    loop {
        let next_due = w.due.values().chain(w.rematch.values()).min().copied();
        tokio::select! {
            job = rx.recv() => match job {
                Some(job) => batch.push(job),
                None => break,
            },
            _ = tokio::time::sleep_until(next_due.unwrap_or_else(Instant::now)), if next_due.is_some() => {}
        }
        while let Ok(job) = rx.try_recv() {
            batch.push(job);
        }
        // Coalesce: each document once per batch, in first-seen order.
        let mut seen = HashSet::new();
        let mut docs = Vec::new();
        let mut finished = Vec::new();
        let mut indexed = Vec::new();
        let mut cancelled = Vec::new();
        let mut all = false;
        for job in batch.drain(..) {
            match job {
                Job::Doc(uri, _version) => {
                    if seen.insert(uri.clone()) {
                        docs.push(uri);
                    }
                }
                Job::All => all = true,
                Job::Done(uri, snap, frame) => finished.push((uri, snap, frame)),
                Job::Cancelled(uri) => cancelled.push(uri),
                Job::Indexed(uri, done) => indexed.push((uri, done)),
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
        for (uri, snap, frame) in finished {
            w.done(uri, snap, frame).await;
        }
        for uri in cancelled {
            w.cancelled(uri).await;
        }
        for (uri, done) in indexed {
            w.indexed(uri, done).await;
        }
        w.start_due_indexing();
        w.start_due_rematch();
    }
}
