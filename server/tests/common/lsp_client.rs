//! A small LSP client for protocol tests: spawns the real binary
//! (`factlens lsp --stdio`), talks JSON-RPC over its stdio, answers the
//! server's own requests, and fails clearly on timeouts.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct LspClient {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Messages received but not yet consumed.
    pub inbox: VecDeque<Value>,
    /// Everything received, in order (for assertions about notifications).
    pub log: Vec<Value>,
    next_id: i64,
    pub stderr: Arc<Mutex<String>>,
    /// The answer to `workspace/configuration` requests.
    pub settings: Value,
}

fn read_frame(r: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    Some(body)
}

impl LspClient {
    pub fn start() -> Self {
        Self::start_in(None)
    }

    pub fn start_in(cwd: Option<&std::path::Path>) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_factlens"));
        cmd.args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(d) = cwd {
            cmd.current_dir(d);
        }
        let mut child = cmd.spawn().expect("spawn factlens lsp");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(body) = read_frame(&mut r) {
                let v: Value = serde_json::from_slice(&body)
                    .unwrap_or_else(|e| json!({"__unparseable": e.to_string()}));
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let err_buf = Arc::new(Mutex::new(String::new()));
        let eb = err_buf.clone();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stderr);
            let mut line = String::new();
            while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                let mut b = eb.lock().unwrap();
                if b.len() < 1 << 20 {
                    b.push_str(&line);
                }
                line.clear();
            }
        });
        LspClient {
            child,
            stdin,
            rx,
            inbox: VecDeque::new(),
            log: Vec::new(),
            next_id: 1,
            stderr: err_buf,
            settings: Value::Null,
        }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().unwrap();
    }

    pub fn send_body(&mut self, body: &[u8]) {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        self.send_raw(&frame);
    }

    pub fn send(&mut self, v: &Value) {
        self.send_body(v.to_string().as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request; returns its id.
    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Close the server's input.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Receive one message, answering server-to-client requests.
    fn recv(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        let v = self.rx.recv_timeout(left).ok()?;
        self.log.push(v.clone());
        if v.get("method").is_some() && v.get("id").is_some() {
            self.answer_server_request(&v);
        }
        Some(v)
    }

    fn answer_server_request(&mut self, v: &Value) {
        let id = v["id"].clone();
        let result = match v["method"].as_str() {
            Some("workspace/configuration") => {
                let n = v["params"]["items"].as_array().map_or(1, Vec::len);
                Value::Array(vec![self.settings.clone(); n])
            }
            _ => Value::Null,
        };
        if self.stdin.is_some() {
            self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
        }
    }

    /// Wait for a message matching `pred` (earlier unmatched messages stay
    /// in the inbox). Panics with context on timeout.
    pub fn wait_for(
        &mut self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Value {
        if let Some(i) = self.inbox.iter().position(&pred) {
            return self.inbox.remove(i).unwrap();
        }
        let deadline = Instant::now() + timeout;
        while let Some(v) = self.recv(deadline) {
            if pred(&v) {
                return v;
            }
            self.inbox.push_back(v);
        }
        panic!(
            "timed out after {timeout:?} waiting for {what}; server alive: {}; last messages: {}\nstderr:\n{}",
            self.alive(),
            self.log.iter().rev().take(5).map(|v| {
                let s = v.to_string();
                s.chars().take(300).collect::<String>()
            }).collect::<Vec<_>>().join("\n"),
            self.stderr_tail()
        );
    }

    pub fn try_wait_for(
        &mut self,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(i) = self.inbox.iter().position(&pred) {
            return self.inbox.remove(i);
        }
        let deadline = Instant::now() + timeout;
        while let Some(v) = self.recv(deadline) {
            if pred(&v) {
                return Some(v);
            }
            self.inbox.push_back(v);
        }
        None
    }

    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(&format!("response {id}"), TIMEOUT, |v| {
            v.get("method").is_none() && v["id"] == json!(id)
        })
    }

    /// Send a request and wait for its response (the whole message).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        self.response(id)
    }

    pub fn initialize_with(
        &mut self,
        capabilities: Value,
        init_options: Value,
        root: Option<&str>,
    ) -> Value {
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "capabilities": capabilities,
                "initializationOptions": init_options,
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// Initialize, offering UTF-8 positions or not.
    pub fn initialize(&mut self, utf8: bool) -> Value {
        let caps = if utf8 {
            json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}})
        } else {
            json!({})
        };
        self.initialize_with(caps, Value::Null, None)
    }

    pub fn open(&mut self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    /// Wait for diagnostics of `uri` at `version` (any version when None).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>, timeout: Duration) -> Value {
        let uri = uri.to_string();
        self.wait_for(
            &format!("diagnostics for {uri} v{version:?}"),
            timeout,
            move |v| {
                v["method"] == "textDocument/publishDiagnostics"
                    && v["params"]["uri"] == json!(uri)
                    && version.is_none_or(|ver| v["params"]["version"] == json!(ver))
            },
        )["params"]
            .clone()
    }

    /// A hover request answers (with or without content) in time.
    pub fn hover(&mut self, uri: &str, line: u32, character: u32) -> Value {
        let r = self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        assert!(r.get("error").is_none(), "hover failed: {r}");
        r["result"].clone()
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn stderr_tail(&self) -> String {
        let s = self.stderr.lock().unwrap();
        let start = s.len().saturating_sub(2000);
        let mut i = start;
        while !s.is_char_boundary(i) {
            i += 1;
        }
        s[i..].to_string()
    }

    /// shutdown + exit; returns the exit code.
    pub fn shutdown(mut self) -> Option<i32> {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "shutdown failed: {r}");
        self.notify("exit", Value::Null);
        self.wait_exit(Duration::from_secs(10))
    }

    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("server did not exit within {timeout:?}");
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A file URI for a test document name.
pub fn uri(name: &str) -> String {
    format!("file:///factlens-test/{name}")
}
