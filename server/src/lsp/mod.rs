//! The language server: a thin translation of the analysis and the index to
//! LSP over stdio.
//!
//! * [`framing`]: validates every incoming frame before tower-lsp-server
//!   sees it (bad frames are answered or skipped, never fatal).
//! * [`documents`]: open documents as ropes; incremental edits; positions.
//! * [`worker`]: the one background task that analyses and publishes.
//! * [`server`]: the `LanguageServer` handlers.
//! * [`features`]: hover, symbols, inlay hints from a snapshot.
//! * [`convert`], [`config`]: LSP conversions, configuration layers.

pub mod actions;
pub mod config;
pub mod convert;
pub mod crossref;
pub mod documents;
pub mod features;
pub mod framing;
pub mod indexing;
pub mod server;
pub mod state;
pub mod worker;

use std::sync::atomic::Ordering;
use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// Requests handled concurrently by tower-lsp-server. Handlers never block
/// (text sync does no `.await`, requests read snapshots), so a generous
/// level only keeps slow clients from filling the queue.
const CONCURRENCY: usize = 64;

/// publishDiagnostics frames waiting for the output stream.
const FRAMES_QUEUED: usize = 4;

/// Serve LSP on stdio until the client exits. Returns the process exit code
/// (0 after `shutdown` + `exit`, 1 when the client exits without
/// `shutdown` or closes the input). Arguments such as `--stdio` are accepted
/// and ignored.
pub fn run() -> i32 {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("factlens lsp: cannot start the runtime: {e}");
            return 2;
        }
    };
    let code = rt.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // stdin is read on a blocking thread that may still wait for input.
    rt.shutdown_background();
    code
}

/// Serve LSP on any byte streams.
pub async fn serve<I, O>(input: I, output: O) -> i32
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, from_server) = tokio::io::duplex(1 << 16);
    let (replies_tx, replies_rx) = tokio::sync::mpsc::unbounded_channel();
    // The worker's publishDiagnostics frames; bounded, so a client that
    // stops reading holds the worker up rather than queueing every version.
    let (frames_tx, frames_rx) = tokio::sync::mpsc::channel(FRAMES_QUEUED);
    let (service, socket) = LspService::new(|client| server::Backend::new(client, frames_tx));
    let shutdown = service.inner().state.shutdown.clone();
    let input_task = tokio::spawn(framing::pump_input(input, to_server, replies_tx));
    let output_task = tokio::spawn(framing::pump_output(
        from_server,
        output,
        replies_rx,
        frames_rx,
    ));
    Server::new(server_in, server_out, socket)
        .concurrency_level(CONCURRENCY)
        .serve(service)
        .await;
    let _ = output_task.await;
    input_task.abort();
    if shutdown.load(Ordering::SeqCst) {
        0
    } else {
        1
    }
}
