//! Shared server state: open documents (edited synchronously), analysis
//! snapshots (written by the worker, read by requests), configuration.

use super::config::Layers;
use super::convert::Diag;
use super::documents::{Documents, Language};
use crate::analysis::{AnalysisCache, Article};
use crate::config::Config;
use crate::index::{Index, Match};
use crate::text::{Encoding, LineIndex};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use tokio::sync::mpsc::{Sender, UnboundedSender};
use tower_lsp_server::ls_types::{MessageType, Uri};
use tower_lsp_server::Client;

/// The analysis of one version of one document.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub version: i32,
    pub language: Language,
    /// The analysed text (a prefix when a size limit applies).
    pub text: String,
    pub lines: LineIndex,
    pub article: Article,
    /// The published diagnostics (each names its finding in `article`).
    pub diagnostics: Vec<Diag>,
    /// Position encoding the diagnostics were computed in.
    pub encoding: Encoding,
    /// The index key of the document (a file path, or the URI).
    pub key: String,
    /// Cross-article matches of each strict claim: (claim index in the
    /// index, sentence span, matches), in text order.
    pub claims: Vec<ClaimMatches>,
    /// How many of `article.findings` and `diagnostics` are the article's
    /// own (the rest are cross-article).
    pub local: (usize, usize),
    /// The other documents that claims dropped since the index last
    /// matched this document (their sentences changed) matched: what the
    /// next index update of this document may change there.
    pub dropped: Vec<std::sync::Arc<str>>,
}

/// The matches of one claim of an open document.
#[derive(Debug, Clone)]
pub struct ClaimMatches {
    pub claim: usize,
    pub sentence: usize,
    pub span: std::ops::Range<usize>,
    /// Hash of the claim's text, its sentence or clause (cache key).
    pub hash: u64,
    pub matches: Vec<Match>,
}

/// Work for the background worker.
#[derive(Debug)]
pub enum Job {
    /// The document changed (or was opened/closed): re-analyse its newest version.
    Doc(Uri, i32),
    /// Configuration or encoding changed: re-analyse every open document.
    All,
    /// An analysis finished, with its `publishDiagnostics` frame.
    Done(Uri, Box<Snapshot>, Vec<u8>),
    /// An analysis gave up because its document changed again.
    Cancelled(Uri),
    /// An index update finished (`None` if it failed or was given up),
    /// with a `publishDiagnostics` frame if the diagnostics changed.
    Indexed(Uri, Option<Box<Indexed>>),
    /// A message for `window/logMessage` (text-sync handlers never await).
    Log(MessageType, String),
}

/// A finished index update of an open document.
#[derive(Debug)]
pub struct Indexed {
    pub snap: Snapshot,
    /// The `publishDiagnostics` frame, if the diagnostics changed.
    pub frame: Option<Vec<u8>>,
    /// The index generation right after the document's insert.
    pub gen: u64,
    /// Only matched again (another document changed), not inserted: no
    /// other document needs matching again because of it.
    pub rematch: bool,
}

/// Client capabilities the server cares about.
#[derive(Debug, Default, Clone, Copy)]
pub struct ClientCaps {
    pub configuration: bool,
    pub watched_files_dynamic: bool,
    pub document_changes: bool,
    pub work_done_progress: bool,
}

pub struct State {
    pub client: Client,
    pub docs: Mutex<Documents>,
    pub snapshots: RwLock<HashMap<Uri, Arc<Snapshot>>>,
    /// What the last analysis of each open document keeps for the next
    /// (taken by an analysis while it runs, put back after).
    pub analysis_caches: Mutex<HashMap<Uri, AnalysisCache>>,
    pub config: RwLock<Arc<Config>>,
    pub layers: Mutex<Layers>,
    /// The last configuration error shown, so it is shown once.
    pub shown_error: Mutex<Option<String>>,
    pub encoding: RwLock<Encoding>,
    pub caps: RwLock<ClientCaps>,
    pub jobs: UnboundedSender<Job>,
    /// Whole frames for the output stream, written in order by
    /// `framing::pump_output` beside tower-lsp-server's own messages
    /// (see [`State::publish`]).
    pub frames: Sender<Vec<u8>>,
    pub shutdown: Arc<AtomicBool>,
    /// The workspace claim index (open buffers win over disk).
    pub index: RwLock<Index>,
    /// Bumped on every change to the index.
    pub index_gen: std::sync::atomic::AtomicU64,
    /// The workspace folders.
    pub roots: RwLock<Vec<std::path::PathBuf>>,
}

/// Lock a mutex, recovering from poisoning (a panicked holder must not take
/// the server down with it).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn read<T: Clone>(l: &RwLock<T>) -> T {
    l.read().unwrap_or_else(|e| e.into_inner()).clone()
}

pub fn write<T>(l: &RwLock<T>, v: T) {
    *l.write().unwrap_or_else(|e| e.into_inner()) = v;
}

impl State {
    pub fn new(client: Client, jobs: UnboundedSender<Job>, frames: Sender<Vec<u8>>) -> Self {
        State {
            client,
            frames,
            docs: Mutex::new(Documents::new()),
            snapshots: RwLock::new(HashMap::new()),
            analysis_caches: Mutex::new(HashMap::new()),
            config: RwLock::new(Arc::new(Config::default())),
            layers: Mutex::new(Layers::default()),
            shown_error: Mutex::new(None),
            encoding: RwLock::new(Encoding::Utf16),
            caps: RwLock::new(ClientCaps::default()),
            jobs,
            shutdown: Arc::new(AtomicBool::new(false)),
            index: RwLock::new({
                // Sentences of unopened files are read back from disk.
                let mut index = Index::new();
                index.set_text_source(crate::workspace::disk_text_source());
                index
            }),
            index_gen: std::sync::atomic::AtomicU64::new(0),
            roots: RwLock::new(Vec::new()),
        }
    }

    pub fn encoding(&self) -> Encoding {
        read(&self.encoding)
    }

    pub fn config(&self) -> Arc<Config> {
        read(&self.config)
    }

    pub fn caps(&self) -> ClientCaps {
        read(&self.caps)
    }

    /// Take the analysis cache of `uri` (empty if none) for one analysis.
    pub fn take_analysis_cache(&self, uri: &Uri) -> AnalysisCache {
        lock(&self.analysis_caches).remove(uri).unwrap_or_default()
    }

    /// Give the cache back after the analysis, if the document is still open.
    pub fn put_analysis_cache(&self, uri: Uri, cache: AnalysisCache) {
        let open = lock(&self.docs).get(&uri).is_some();
        if open {
            lock(&self.analysis_caches).insert(uri, cache);
        }
    }

    pub fn snapshot(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        self.snapshots
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(uri)
            .cloned()
    }

    /// Read the index (a poisoned lock is recovered).
    pub fn index(&self) -> std::sync::RwLockReadGuard<'_, Index> {
        self.index.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Write the index, counting a new generation ([`State::index_gen`]).
    /// The count goes up once the write lock is held: a reader that sees
    /// the new generation reads the index only after this write (the
    /// other order let an open document's update read the generation of
    /// the workspace index about to replace the old one, match against
    /// the old one, and keep those empty matches as still good).
    pub fn index_mut(&self) -> std::sync::RwLockWriteGuard<'_, Index> {
        let guard = self.index.write().unwrap_or_else(|e| e.into_inner());
        self.index_gen.fetch_add(1, Ordering::SeqCst);
        guard
    }

    pub fn send(&self, job: Job) {
        // The worker lives as long as the server; a send error means shutdown.
        let _ = self.jobs.send(job);
    }

    /// Write a `publishDiagnostics` frame (from
    /// [`super::convert::write_publish`]). Only the worker publishes, so
    /// the frames of a document reach the client in the order they were
    /// made. They skip tower-lsp-server's client, which would turn the
    /// (large) diagnostics into a `serde_json::Value` and then into text,
    /// and the copy through its output pipe. Waits while the output is
    /// backed up, as that client did.
    pub async fn publish(&self, frame: Vec<u8>) {
        // An error means the output is gone (the session ended).
        let _ = self.frames.send(frame).await;
    }

    pub fn log(&self, typ: MessageType, msg: impl Into<String>) {
        self.send(Job::Log(typ, msg.into()));
    }

    pub fn is_shut_down(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Recompute the configuration from its layers; report errors once and
    /// warnings to the log; re-analyse open documents when it changed.
    pub async fn reload_config(&self) {
        let layers = lock(&self.layers).clone();
        let eff = tokio::task::spawn_blocking(move || layers.compute())
            .await
            .unwrap_or_else(|_| super::config::Layers::default().compute());
        for w in &eff.warnings {
            self.client.log_message(MessageType::WARNING, w).await;
        }
        let err = (!eff.errors.is_empty()).then(|| eff.errors.join("; "));
        let show = {
            let mut shown = lock(&self.shown_error);
            let show = err.is_some() && *shown != err;
            *shown = err.clone();
            show
        };
        if let (true, Some(e)) = (show, err) {
            self.client.show_message(MessageType::ERROR, &e).await;
            self.client.log_message(MessageType::ERROR, &e).await;
        }
        let changed = *self.config() != eff.config;
        if changed {
            write(&self.config, Arc::new(eff.config));
            self.send(Job::All);
        }
    }
}
