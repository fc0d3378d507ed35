//! A validating framing layer in front of tower-lsp-server.
//!
//! tower-lsp-server stops reading after the first frame its codec cannot
//! decode (tokio-util's `FramedRead` ends on a decoder error), so one bad
//! frame would end the session. This layer reads `Content-Length` frames
//! itself, repairs what can be repaired (invalid UTF-8 and lone surrogate
//! escapes become U+FFFD), answers what cannot (-32700 for a body that is
//! not JSON, -32600 for JSON that is not a JSON-RPC message) and passes only
//! good frames on. Bad headers are skipped up to the next `Content-Length`.

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc::UnboundedSender;
use tower_lsp_server::jsonrpc::{Request, Response};

/// Headers longer than this without a terminating blank line are garbage.
const MAX_HEADER: usize = 8 * 1024;
/// A body larger than this is refused (its bytes are skipped).
const MAX_BODY: usize = 1 << 30;

/// One item read from a byte stream of frames.
#[derive(Debug, PartialEq)]
pub enum Frame {
    /// A complete body.
    Body(Vec<u8>),
    /// Something that was not a frame was skipped; the string says what.
    Skipped(String),
}

/// Reads `Content-Length` frames, resynchronising on garbage.
pub struct FrameReader<R> {
    reader: R,
    buf: Vec<u8>,
    eof: bool,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    pub fn new(reader: R) -> Self {
        FrameReader {
            reader,
            buf: Vec::with_capacity(64 * 1024),
            eof: false,
        }
    }

    /// Read more bytes; false at end of input.
    ///
    /// Cancel-safe (so is [`FrameReader::next`]): `pump_output` races
    /// `next` against its other inputs, and a dropped read must leave the
    /// buffer as it was. `read_buf` only appends what it has read.
    async fn fill(&mut self, want: usize) -> bool {
        if self.eof {
            return false;
        }
        let chunk = want.clamp(64 * 1024, 4 << 20);
        self.buf.reserve(chunk);
        match self.reader.read_buf(&mut self.buf).await {
            Ok(0) => {
                self.eof = true;
                false
            }
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => true,
            Err(_) => {
                self.eof = true;
                false
            }
        }
    }

    /// The next frame, or `None` at end of input.
    pub async fn next(&mut self) -> Option<Frame> {
        const CL: &[u8] = b"content-length";
        loop {
            // 1. Resynchronise on the `Content-Length` header.
            match find_ci(&self.buf, CL) {
                Some(0) => {}
                Some(i) => {
                    // Headers before Content-Length (Content-Type) are fine.
                    let skipped = &self.buf[..i];
                    let benign = skipped.split(|&b| b == b'\n').all(|l| {
                        let l = l.strip_suffix(b"\r").unwrap_or(l);
                        l.is_empty() || find(l, b":").is_some() && l.len() < 1024
                    }) && !skipped.windows(2).any(|w| w == b"\n\n")
                        && !skipped.windows(4).any(|w| w == b"\r\n\r\n");
                    let n = i;
                    self.buf.drain(..i);
                    if !benign {
                        return Some(Frame::Skipped(format!("{n} bytes that are not a frame")));
                    }
                }
                None => {
                    if self.eof {
                        let n = self.buf.len();
                        let junk = !self.buf.iter().all(u8::is_ascii_whitespace);
                        self.buf.clear();
                        return junk.then(|| Frame::Skipped(format!("{n} trailing bytes")));
                    }
                    if self.buf.len() > 64 * 1024 {
                        let cut = self.buf.len() - (CL.len() - 1);
                        let junk = !self.buf[..cut].iter().all(u8::is_ascii_whitespace);
                        self.buf.drain(..cut);
                        if junk {
                            return Some(Frame::Skipped(format!(
                                "{cut} bytes without a Content-Length header"
                            )));
                        }
                    }
                    self.fill(0).await;
                    continue;
                }
            }
            // 2. The header block.
            let (head_len, sep) = loop {
                let head = &self.buf[..self.buf.len().min(MAX_HEADER + 4)];
                let crlf = find(head, b"\r\n\r\n").map(|i| (i, 4));
                let lf = find(head, b"\n\n").map(|i| (i, 2));
                let end = match (crlf, lf) {
                    (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
                    (a, b) => a.or(b),
                };
                if let Some(e) = end {
                    break e;
                }
                if self.buf.len() > MAX_HEADER {
                    self.buf.drain(..CL.len());
                    return Some(Frame::Skipped("a header block without an end".into()));
                }
                if !self.fill(0).await {
                    return None;
                }
            };
            let head = String::from_utf8_lossy(&self.buf[..head_len]).into_owned();
            let mut length: Option<Result<usize, String>> = None;
            for line in head.lines() {
                let Some((name, value)) = line.split_once(':') else {
                    length.get_or_insert(Err(format!("malformed header line {line:?}")));
                    continue;
                };
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = Some(
                        value
                            .trim()
                            .parse::<usize>()
                            .map_err(|_| format!("invalid Content-Length {:?}", value.trim()))
                            .and_then(|n| {
                                if n > MAX_BODY {
                                    Err(format!("Content-Length {n} is too large"))
                                } else {
                                    Ok(n)
                                }
                            }),
                    );
                }
            }
            let body_start = head_len + sep;
            let len = match length {
                Some(Ok(n)) => n,
                Some(Err(e)) => {
                    self.buf.drain(..body_start);
                    return Some(Frame::Skipped(e));
                }
                None => {
                    self.buf.drain(..body_start);
                    return Some(Frame::Skipped("no Content-Length header".into()));
                }
            };
            // 3. The body.
            while self.buf.len() < body_start + len {
                let missing = body_start + len - self.buf.len();
                if !self.fill(missing).await {
                    self.buf.clear();
                    return Some(Frame::Skipped("a truncated frame at end of input".into()));
                }
            }
            let rest = self.buf.split_off(body_start + len);
            let mut body = std::mem::replace(&mut self.buf, rest);
            body.drain(..body_start);
            return Some(Frame::Body(body));
        }
    }
}

/// What to do with one body.
#[derive(Debug)]
pub enum Verdict {
    /// Forward this (possibly repaired) JSON text to the server.
    Pass(String),
    /// Answer the client with this error response and drop the frame.
    Reject(Value),
}

/// Replace `\uD800`-style escapes that do not form a surrogate pair with
/// `\uFFFD`. Works on raw JSON text: backslashes only occur in strings.
pub fn fix_lone_surrogates(text: &str) -> Option<String> {
    if !text.contains("\\u") && !text.contains("\\U") {
        return None;
    }
    let b = text.as_bytes();
    let hex = |i: usize| -> Option<u32> {
        let s = text.get(i..i + 4)?;
        if s.bytes().all(|c| c.is_ascii_hexdigit()) {
            u32::from_str_radix(s, 16).ok()
        } else {
            None
        }
    };
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut i = 0usize;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        if b.get(i + 1) != Some(&b'u') {
            i += 2;
            continue;
        }
        let Some(cu) = hex(i + 2) else {
            i += 2;
            continue;
        };
        let lone = match cu {
            0xD800..=0xDBFF => {
                let pair = b.get(i + 6) == Some(&b'\\')
                    && b.get(i + 7) == Some(&b'u')
                    && matches!(hex(i + 8), Some(0xDC00..=0xDFFF));
                if pair {
                    i += 12;
                    continue;
                }
                true
            }
            0xDC00..=0xDFFF => true,
            _ => false,
        };
        if lone {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..i]);
            o.push_str("\\uFFFD");
            copied = i + 6;
        }
        i += 6;
    }
    out.map(|mut o| {
        o.push_str(&text[copied..]);
        o
    })
}

fn error_response(id: Value, code: i64, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// Judge one frame body.
pub fn judge(body: Vec<u8>) -> (Verdict, Vec<String>) {
    let mut notes = Vec::new();
    let text = match String::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            notes.push("invalid UTF-8 in a message replaced with U+FFFD".to_string());
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let text = match fix_lone_surrogates(&text) {
        Some(t) => {
            notes.push("lone surrogate escapes in a message replaced with U+FFFD".to_string());
            t
        }
        None => text,
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            return (
                Verdict::Reject(error_response(
                    Value::Null,
                    -32700,
                    format!("Parse error: {e}"),
                )),
                notes,
            )
        }
    };
    let is_request = Request::deserialize_from(&value);
    let is_response = !is_request && Response::deserialize_from(&value);
    if is_request || is_response {
        return (Verdict::Pass(text), notes);
    }
    let id = match value.get("id") {
        Some(v @ (Value::Number(_) | Value::String(_))) => v.clone(),
        _ => Value::Null,
    };
    let what = match &value {
        Value::Object(o) if !o.contains_key("method") && !o.contains_key("id") => {
            "no method and no id"
        }
        Value::Object(o) if o.get("jsonrpc") != Some(&json!("2.0")) => "jsonrpc is not \"2.0\"",
        Value::Object(_) => "malformed JSON-RPC fields",
        Value::Array(_) => "batches are not supported",
        _ => "not an object",
    };
    (
        Verdict::Reject(error_response(
            id,
            -32600,
            format!("Invalid Request: {what}"),
        )),
        notes,
    )
}

trait DeserializeFrom {
    fn deserialize_from(v: &Value) -> bool;
}

impl DeserializeFrom for Request {
    fn deserialize_from(v: &Value) -> bool {
        // Check the shape without cloning a (possibly huge) params object.
        let Value::Object(o) = v else { return false };
        if !matches!(o.get("method"), Some(Value::String(_))) {
            return false;
        }
        let mut shell = o.clone_shallow_without("params");
        if o.contains_key("params") {
            shell.insert("params".into(), Value::Null);
        }
        serde::Deserialize::deserialize(&Value::Object(shell))
            .map(|_: Request| true)
            .unwrap_or(false)
    }
}

impl DeserializeFrom for Response {
    fn deserialize_from(v: &Value) -> bool {
        let Value::Object(o) = v else { return false };
        let mut shell = o.clone_shallow_without("result");
        if o.contains_key("result") {
            shell.insert("result".into(), Value::Null);
        }
        serde::Deserialize::deserialize(&Value::Object(shell))
            .map(|_: Response| true)
            .unwrap_or(false)
    }
}

trait ShallowClone {
    fn clone_shallow_without(&self, key: &str) -> serde_json::Map<String, Value>;
}

impl ShallowClone for serde_json::Map<String, Value> {
    fn clone_shallow_without(&self, key: &str) -> serde_json::Map<String, Value> {
        self.iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// Write one frame (header and body in one write: tokio's stdout hands
/// each write to a blocking thread and waits for the previous one).
pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, body: &[u8]) -> std::io::Result<()> {
    let head = format!("Content-Length: {}\r\n\r\n", body.len());
    let mut frame = Vec::with_capacity(head.len() + body.len());
    frame.extend_from_slice(head.as_bytes());
    frame.extend_from_slice(body);
    write_framed(w, &frame).await
}

/// Write bytes that are already one or more whole frames.
async fn write_framed<W: AsyncWrite + Unpin>(w: &mut W, frames: &[u8]) -> std::io::Result<()> {
    w.write_all(frames).await?;
    w.flush().await
}

/// Read frames from `input`, pass good ones to `server`, send error
/// responses to `replies`. Returns at end of input or when the server side
/// is gone.
pub async fn pump_input<R, W>(input: R, mut server: W, replies: UnboundedSender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = FrameReader::new(input);
    while let Some(frame) = reader.next().await {
        match frame {
            Frame::Skipped(what) => eprintln!("factlens lsp: skipped {what}"),
            Frame::Body(body) => {
                let (verdict, notes) = judge(body);
                for n in notes {
                    eprintln!("factlens lsp: {n}");
                }
                match verdict {
                    Verdict::Pass(text) => {
                        if write_frame(&mut server, text.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    Verdict::Reject(resp) => {
                        eprintln!(
                            "factlens lsp: rejected a frame: {}",
                            resp["error"]["message"]
                        );
                        if replies.send(resp.to_string().into_bytes()).is_err() {
                            return;
                        }
                    }
                }
            }
        }
    }
    let _ = server.shutdown().await;
}

/// Merge the server's framed output with the framing layer's own error
/// responses (bodies) and the worker's whole frames (`framed`: each item
/// is one or more complete frames, written as they are and in the order
/// sent), writing whole frames to `out`. Returns when the server's output
/// ends.
pub async fn pump_output<R, W>(
    from_server: R,
    mut out: W,
    mut replies: tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    mut framed: tokio::sync::mpsc::Receiver<Vec<u8>>,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut reader = FrameReader::new(from_server);
    let mut replies_open = true;
    let mut framed_open = true;
    loop {
        tokio::select! {
            frame = reader.next() => match frame {
                Some(Frame::Body(body)) => {
                    if write_frame(&mut out, &body).await.is_err() {
                        return;
                    }
                }
                Some(Frame::Skipped(what)) => eprintln!("factlens lsp: output: skipped {what}"),
                None => break,
            },
            r = replies.recv(), if replies_open => match r {
                Some(body) => {
                    if write_frame(&mut out, &body).await.is_err() {
                        return;
                    }
                }
                None => replies_open = false,
            },
            f = framed.recv(), if framed_open => match f {
                Some(frames) => {
                    if write_framed(&mut out, &frames).await.is_err() {
                        return;
                    }
                }
                None => framed_open = false,
            },
        }
    }
    while let Ok(body) = replies.try_recv() {
        let _ = write_frame(&mut out, &body).await;
    }
    while let Ok(frames) = framed.try_recv() {
        let _ = write_framed(&mut out, &frames).await;
    }
    let _ = out.flush().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Frame> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut r = FrameReader::new(input);
            let mut v = Vec::new();
            while let Some(f) = r.next().await {
                v.push(f);
            }
            v
        })
    }

    #[test]
    fn reads_frames_and_resyncs() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Type: x\r\nContent-Length: 3\r\n\r\n[1]garbage\r\n\r\nContent-Length: abc\r\n\r\nContent-Length: 1\n\n5";
        let f = frames(input);
        assert_eq!(f[0], Frame::Body(b"{}".to_vec()));
        assert_eq!(f[1], Frame::Body(b"[1]".to_vec()));
        assert!(matches!(f[2], Frame::Skipped(_)), "{f:?}");
        assert!(
            matches!(&f[3], Frame::Skipped(s) if s.contains("abc")),
            "{f:?}"
        );
        assert_eq!(f[4], Frame::Body(b"5".to_vec()));
        assert_eq!(f.len(), 5);
    }

    #[test]
    fn truncated_and_empty() {
        assert!(frames(b"").is_empty());
        assert!(frames(b"\r\n  \n").is_empty());
        let f = frames(b"Content-Length: 10\r\n\r\n{}");
        assert!(matches!(f[0], Frame::Skipped(_)));
    }

    #[test]
    fn surrogates() {
        assert_eq!(fix_lone_surrogates(r#"{"a":"x"}"#), None);
        assert_eq!(
            fix_lone_surrogates(r#"{"a":"\ud800x"}"#).unwrap(),
            r#"{"a":"\uFFFDx"}"#
        );
        assert_eq!(fix_lone_surrogates(r#"{"a":"\ud83d\ude00"}"#), None);
        assert_eq!(fix_lone_surrogates(r#"{"a":"\\ud800"}"#), None);
        assert_eq!(
            fix_lone_surrogates(r#"["\udc00\ud800\u0041"]"#).unwrap(),
            r#"["\uFFFD\uFFFD\u0041"]"#
        );
    }

    #[test]
    fn verdicts() {
        let pass = |s: &str| matches!(judge(s.as_bytes().to_vec()).0, Verdict::Pass(_));
        let code = |s: &[u8]| match judge(s.to_vec()).0 {
            Verdict::Reject(v) => v["error"]["code"].as_i64().unwrap(),
            Verdict::Pass(_) => 0,
        };
        assert!(pass(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#));
        assert!(pass(
            r#"{"jsonrpc":"2.0","method":"x","params":{"t":"\ud800"}}"#
        ));
        assert!(pass(r#"{"jsonrpc":"2.0","id":3,"result":null}"#));
        assert!(pass(
            r#"{"jsonrpc":"2.0","id":3,"error":{"code":1,"message":"m"}}"#
        ));
        assert_eq!(code(b"not json"), -32700);
        assert_eq!(code(b"[]"), -32600);
        assert_eq!(code(b"{}"), -32600);
        assert_eq!(code(br#"{"jsonrpc":"2.0","id":1,"method":5}"#), -32600);
        assert_eq!(code(br#"{"jsonrpc":"1.0","id":1,"method":"x"}"#), -32600);
        assert_eq!(code(b"{\"jsonrpc\":\"2.0\",\"method\":\"x\xff\"}"), 0);
        match judge(br#"{"jsonrpc":"2.0","id":7}"#.to_vec()).0 {
            Verdict::Reject(v) => assert_eq!(v["id"], 7),
            Verdict::Pass(_) => panic!("passed"),
        }
    }
}
