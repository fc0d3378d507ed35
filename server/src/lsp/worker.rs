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
use super::state::{lock, Job, Snapshot, State};
use crate::analysis::findings::Subject;
use crate::analysis::{analyze, Code, Finding};
use crate::config::Config;
use crate::text::{Encoding, LineIndex};
use ropey::Rope;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedReceiver;
use tower_lsp_server::ls_types::Uri;

/// Analyse one version of a document.
pub fn build_snapshot(
    rope: &Rope,
    version: i32,
    language: Language,
    config: &Config,
    encoding: Encoding,
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
    }
}

struct Worker {
    state: Arc<State>,
    in_flight: HashSet<Uri>,
    /// Documents that changed while their analysis was in flight.
    dirty: HashSet<Uri>,
    /// Documents we published diagnostics for (to clear them on close).
    published: HashSet<Uri>,
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
        self.in_flight.insert(uri.clone());
        tokio::task::spawn_blocking(move || {
            let snap = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                build_snapshot(&rope, version, language, &config, encoding)
            }));
            let snap = snap.unwrap_or_else(|_| {
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
                }
            });
            let _ = jobs.send(Job::Done(uri, Box::new(snap)));
        });
    }

    async fn done(&mut self, uri: Uri, snap: Box<Snapshot>) {
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
    }
}

/// Run until the job channel closes.
pub async fn run(state: Arc<State>, mut rx: UnboundedReceiver<Job>) {
    let mut w = Worker {
        state,
        in_flight: HashSet::new(),
        dirty: HashSet::new(),
        published: HashSet::new(),
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
        let mut all = false;
        for job in batch.drain(..) {
            match job {
                Job::Doc(uri, _version) => {
                    if seen.insert(uri.clone()) {
                        docs.push(uri);
                    }
                }
                Job::All => all = true,
                Job::Done(uri, snap) => finished.push((uri, snap)),
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
        for (uri, snap) in finished {
            w.done(uri, snap).await;
        }
    }
}
