//! The `LanguageServer` implementation. Text-sync handlers apply edits under
//! a plain mutex and send a job; they never await. Requests read snapshots.
//! Anything that waits for the client runs in a spawned task with a timeout.

use super::documents::{ChangeError, Language};
use super::state::{lock, write, ClientCaps, Job, State};
use super::{actions, convert, crossref, features, indexing};
use crate::text::Encoding;
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// How long to wait for the client to answer a server-to-client request.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(3);

pub struct Backend {
    pub state: Arc<State>,
}

impl Backend {
    /// `frames` takes whole frames to the output stream (see
    /// `framing::pump_output`).
    pub fn new(client: Client, frames: tokio::sync::mpsc::Sender<Vec<u8>>) -> Self {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let state = Arc::new(State::new(client, tx, frames));
        tokio::spawn(super::worker::run(state.clone(), rx));
        Backend { state }
    }

    /// Re-read the configuration in a spawned task (never in a handler).
    fn refresh_config(&self, pull: bool) {
        tokio::spawn(fetch_config(self.state.clone(), pull));
    }
}

/// Fetch the `factlens` section with `workspace/configuration` (when `pull`
/// and the client supports it, with a timeout), then recompute the
/// configuration from its layers.
async fn fetch_config(state: Arc<State>, pull: bool) {
    if pull && state.caps().configuration {
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("factlens".into()),
        }];
        match tokio::time::timeout(CLIENT_TIMEOUT, state.client.configuration(items)).await {
            Ok(Ok(mut values)) => {
                let v = values.pop().unwrap_or(Value::Null);
                lock(&state.layers).editor = v;
            }
            Ok(Err(e)) => {
                state
                    .client
                    .log_message(
                        MessageType::WARNING,
                        format!("workspace/configuration failed: {e}"),
                    )
                    .await
            }
            Err(_) => {
                state
                    .client
                    .log_message(
                        MessageType::WARNING,
                        "workspace/configuration timed out; using cached settings",
                    )
                    .await
            }
        }
    }
    state.reload_config().await;
}

fn workspace_roots(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    let mut roots: Vec<std::path::PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .collect();
    if roots.is_empty() {
        roots.extend(workspace_root(params));
    }
    roots
}

fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn workspace_root(params: &InitializeParams) -> Option<std::path::PathBuf> {
    let from_folders = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| f.uri.to_file_path().map(|p| p.into_owned()));
    #[allow(deprecated)] // root_uri: still sent by many clients
    let from_root = || {
        params
            .root_uri
            .as_ref()
            .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
    };
    from_folders.or_else(from_root)
}

fn client_caps(params: &InitializeParams) -> ClientCaps {
    let c = &params.capabilities;
    let ws = c.workspace.as_ref();
    ClientCaps {
        configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
        watched_files_dynamic: ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        document_changes: ws
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false),
        work_done_progress: c
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let enc = negotiate_encoding(&params);
        write(&self.state.encoding, enc);
        write(&self.state.caps, client_caps(&params));
        {
            let mut layers = lock(&self.state.layers);
            layers.root = workspace_root(&params);
            layers.init_options = params.initialization_options.clone().unwrap_or(Value::Null);
            write(&self.state.roots, workspace_roots(&params));
            // Load the file and init options now so the first analyses use them.
            let eff = layers.compute();
            write(&self.state.config, Arc::new(eff.config));
        }
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(enc)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        resolve_provider: Some(false),
                        work_done_progress_options: Default::default(),
                    },
                )),
                references_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "factlens".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let enc = self.state.encoding();
        self.state.log(
            MessageType::INFO,
            format!(
                "factlens {} ready (positions in {:?})",
                env!("CARGO_PKG_VERSION"),
                enc
            ),
        );
        // Errors in factlens.toml are shown (once) by reload_config; the
        // workspace is indexed in the background once settings are known.
        let state = self.state.clone();
        tokio::spawn(async move {
            fetch_config(state.clone(), true).await;
            indexing::build(state).await;
        });
        if self.state.caps().watched_files_dynamic {
            let state = self.state.clone();
            tokio::spawn(async move {
                let opts = DidChangeWatchedFilesRegistrationOptions {
                    watchers: ["**/factlens.toml", "**/*.{md,markdown,txt}"]
                        .into_iter()
                        .map(|g| FileSystemWatcher {
                            glob_pattern: GlobPattern::String(g.into()),
                            kind: None,
                        })
                        .collect(),
                };
                let reg = Registration {
                    id: "factlens-watch".into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                    register_options: serde_json::to_value(opts).ok(),
                };
                let r = tokio::time::timeout(
                    CLIENT_TIMEOUT,
                    state.client.register_capability(vec![reg]),
                )
                .await;
                if !matches!(r, Ok(Ok(()))) {
                    state
                        .client
                        .log_message(MessageType::WARNING, "could not register file watchers")
                        .await;
                }
            });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        let lang = Language::detect(&d.language_id, d.uri.as_str());
        lock(&self.state.docs).open(d.uri.clone(), &d.text, d.version, lang);
        self.state.send(Job::Doc(d.uri, d.version));
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let enc = self.state.encoding();
        let result = lock(&self.state.docs).change(&uri, version, &params.content_changes, enc);
        match result {
            Ok(notes) => {
                for n in notes {
                    self.state.log(
                        MessageType::WARNING,
                        format!("didChange {}: {n}", uri.as_str()),
                    );
                }
                self.state.send(Job::Doc(uri, version));
            }
            Err(ChangeError::UnknownDocument) => self.state.log(
                MessageType::ERROR,
                format!(
                    "didChange for a document that is not open: {}",
                    uri.as_str()
                ),
            ),
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if lock(&self.state.docs).close(&uri) {
            self.state.send(Job::Doc(uri, 0));
        } else {
            self.state.log(
                MessageType::WARNING,
                format!("didClose for a document that is not open: {}", uri.as_str()),
            );
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // Push-style settings arrive in the notification; otherwise pull.
        // A `factlens` object is a push even when empty (every setting was
        // removed); a client that cannot be asked is taken at its word.
        let pushed = super::config::section(&params.settings);
        let explicit = params
            .settings
            .get("factlens")
            .is_some_and(Value::is_object);
        let has_push = explicit
            || matches!(&pushed, Value::Object(o) if !o.is_empty())
            || (pushed.is_object() && !self.state.caps().configuration);
        if has_push {
            lock(&self.state.layers).editor = pushed;
        }
        self.refresh_config(!has_push);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let config_changed = params
            .changes
            .iter()
            .any(|c| c.uri.as_str().ends_with("/factlens.toml"));
        if config_changed {
            self.refresh_config(false);
        }
        let state = self.state.clone();
        let events = params.changes;
        tokio::spawn(async move {
            let s = state.clone();
            let changed =
                tokio::task::spawn_blocking(move || indexing::apply_file_events(&s, &events))
                    .await
                    .unwrap_or(false);
            if changed {
                state.send(Job::All);
            }
        });
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let Some(snap) = self.state.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let off = convert::offset(&snap.text, &snap.lines, p.position, snap.encoding);
        let mut hover = features::hover(&snap, off);
        if let Some(cm) = crossref::claim_at(&snap, off).filter(|c| !c.matches.is_empty()) {
            let section = crossref::hover_section(&self.state.index(), &cm.matches);
            match &mut hover {
                Some(Hover {
                    contents: HoverContents::Markup(m),
                    ..
                }) => {
                    m.value.push_str("\n---\n\n");
                    m.value.push_str(&section);
                }
                _ => {
                    hover = Some(Hover {
                        contents: HoverContents::Markup(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value: section,
                        }),
                        range: Some(convert::range(
                            &snap.text,
                            &snap.lines,
                            &cm.span,
                            snap.encoding,
                        )),
                    })
                }
            }
        }
        Ok(hover)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let Some(snap) = self.state.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let off = convert::offset(&snap.text, &snap.lines, p.position, snap.encoding);
        let state = self.state.clone();
        let include = params.context.include_declaration;
        // UTF-8 positions of unopened files read them: off the runtime threads.
        let locs =
            tokio::task::spawn_blocking(move || crossref::references(&state, &snap, off, include))
                .await
                .unwrap_or_default();
        Ok(Some(locs))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let Some(snap) = self.state.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(crossref::code_lenses(&snap)))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let state = self.state.clone();
        let enc = self.state.encoding();
        let syms = tokio::task::spawn_blocking(move || {
            crossref::workspace_symbols(&state, &params.query, enc)
        })
        .await
        .unwrap_or_default();
        Ok(Some(WorkspaceSymbolResponse::Nested(syms)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(snap) = self.state.snapshot(&uri) else {
            return Ok(None);
        };
        if let Some(only) = &params.context.only {
            if !only.iter().any(|k| k.as_str().starts_with("quickfix")) {
                return Ok(Some(Vec::new()));
            }
        }
        let config = self.state.config();
        let actions = actions::code_actions(
            &self.state,
            &snap,
            &uri,
            params.range,
            &params.context.diagnostics,
            &config,
            self.state.caps().document_changes,
        );
        Ok(Some(actions))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some(snap) = self.state.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(DocumentSymbolResponse::Nested(
            features::document_symbols(&snap),
        )))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some(snap) = self.state.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let s = convert::offset(&snap.text, &snap.lines, params.range.start, snap.encoding);
        let e = convert::offset(&snap.text, &snap.lines, params.range.end, snap.encoding);
        Ok(Some(features::inlay_hints(&snap, s.min(e)..s.max(e))))
    }
}
