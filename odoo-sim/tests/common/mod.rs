// Owns: the transcript replay harness (transcript parser, raw HTTP client, fake validation servers, comparisons).
// Must never use a non-loopback address: every server here listens on 127.0.0.1 port 0.
#![allow(dead_code)]

use odoo_sim::Seed;
use serde_json::Value;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const API_KEY: &str = "sim-admin-api-key";

/// `CARGO_MANIFEST_DIR/../../shared/odoo-transcripts`, or a clear failure.
pub fn transcripts_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/odoo-transcripts");
    if !dir.join("INDEX.md").is_file() {
        panic!(
            "the Odoo transcripts are missing: expected them in {} (the shared/odoo-transcripts folder next to the repository)",
            dir.display()
        );
    }
    dir
}

// ---------------------------------------------------------------- transcript files

#[derive(Debug, Clone)]
pub struct RawMessage {
    /// Request line or status line.
    pub start: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl RawMessage {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }
    pub fn status(&self) -> u16 {
        self.start.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
    }
    pub fn json(&self) -> Value {
        match serde_json::from_str(&self.body) {
            Ok(v) => v,
            Err(e) => panic!("body is not JSON ({e}): {}", self.body),
        }
    }
    /// The `session_id` value set by this response, if any.
    pub fn set_session_id(&self) -> Option<String> {
        self.headers_named("set-cookie")
            .into_iter()
            .find_map(|c| c.strip_prefix("session_id="))
            .map(|rest| rest.split(';').next().unwrap_or("").to_string())
    }
}

#[derive(Debug, Clone)]
pub struct Outgoing {
    pub request: RawMessage,
    pub reply: RawMessage,
}

#[derive(Debug, Clone)]
pub struct Transcript {
    pub name: String,
    pub title: String,
    pub request: RawMessage,
    pub outgoing: Vec<Outgoing>,
    pub response: RawMessage,
    /// The response body was shortened in the file (`[...]` cuts or a truncated `debug`).
    pub body_cut: bool,
}

fn parse_message(text: &str) -> RawMessage {
    let mut lines = text.lines();
    let start = lines.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    let mut body_lines = Vec::new();
    let mut in_body = false;
    for line in lines {
        if in_body {
            body_lines.push(line);
        } else if line.is_empty() {
            in_body = true;
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let body = body_lines
        .into_iter()
        .filter(|l| !l.starts_with("# log line:"))
        .collect::<Vec<_>>()
        .join("\n");
    RawMessage { start, headers, body: body.trim_end_matches('\n').to_string() }
}

pub fn load(prefix: &str) -> Transcript {
    let dir = transcripts_dir();
    let entry = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(&format!("{prefix}-")))
        .unwrap_or_else(|| panic!("no transcript {prefix}-*.http in {}", dir.display()));
    let name = entry.file_name().to_string_lossy().to_string();
    let text = std::fs::read_to_string(entry.path()).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
    let title = text.lines().next().unwrap_or("").trim_start_matches("# ").to_string();
    let mut request = None;
    let mut response = None;
    let mut out_requests = Vec::new();
    let mut replies = Vec::new();
    for section in text.split("\n### ").skip(1) {
        let (head, rest) = section.split_once('\n').unwrap_or((section, ""));
        let rest = rest.trim_start_matches('\n');
        if head.starts_with("REQUEST") {
            request = Some(parse_message(rest));
        } else if head.starts_with("OUTGOING REQUEST") {
            out_requests.push(parse_message(rest));
        } else if head.starts_with("REPLY") {
            replies.push(parse_message(rest));
        } else if head.starts_with("RESPONSE") {
            response = Some(parse_message(rest));
        }
    }
    let request = request.unwrap_or_else(|| panic!("{name}: no ### REQUEST"));
    let mut response = response.unwrap_or_else(|| panic!("{name}: no ### RESPONSE"));
    let declared: Option<usize> = response.header("content-length").and_then(|v| v.parse().ok());
    if declared == Some(response.body.len() + 1) {
        response.body.push('\n');
    }
    let body_cut = response.body.contains("[...]") || declared.is_some_and(|d| d != response.body.len());
    let outgoing = out_requests
        .into_iter()
        .zip(replies)
        .map(|(request, reply)| Outgoing { request, reply })
        .collect();
    Transcript { name, title, request, outgoing, response, body_cut }
}

pub fn all_prefixes() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(transcripts_dir())
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.ends_with(".http"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.into_iter().map(|n| n[..2].to_string()).collect()
}

// ---------------------------------------------------------------- raw HTTP

/// Sends raw bytes to `addr` and reads the whole answer (the request says `Connection: close`).
pub async fn send_raw(addr: SocketAddr, bytes: &[u8]) -> RawMessage {
    let mut stream = TcpStream::connect(addr).await.unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    stream.write_all(bytes).await.unwrap_or_else(|e| panic!("write to {addr}: {e}"));
    let mut buf = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(20), stream.read_to_end(&mut buf)).await;
    match read {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => panic!("read from {addr}: {e}"),
        Err(_) => panic!("no complete answer from {addr} within 20 s"),
    }
    parse_wire_response(&buf)
}

fn parse_wire_response(buf: &[u8]) -> RawMessage {
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| {
        panic!("no header end in answer: {:?}", String::from_utf8_lossy(buf))
    });
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let mut body = buf[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let start = lines.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    RawMessage { start, headers, body: String::from_utf8_lossy(&body).to_string() }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}

/// Builds raw request bytes from a message (Content-Length recomputed when present).
pub fn request_bytes(msg: &RawMessage) -> Vec<u8> {
    let mut out = format!("{}\r\n", msg.start);
    for (k, v) in &msg.headers {
        if k.eq_ignore_ascii_case("content-length") {
            out.push_str(&format!("{k}: {}\r\n", msg.body.len()));
        } else {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    out.push_str("\r\n");
    out.push_str(&msg.body);
    out.into_bytes()
}

/// A simple request to the simulator: `GET`/`POST` with optional cookie and JSON body.
pub async fn http(addr: SocketAddr, method: &str, target: &str, cookie: Option<&str>, body: Option<&str>) -> RawMessage {
    http_with(addr, method, target, cookie, &[], body).await
}

/// Like [`http`], with extra request headers (`Authorization`, `X-Odoo-Database`…).
pub async fn http_with(
    addr: SocketAddr,
    method: &str,
    target: &str,
    cookie: Option<&str>,
    extra: &[(&str, &str)],
    body: Option<&str>,
) -> RawMessage {
    let mut headers = vec![
        ("Host".to_string(), "127.0.0.1:8069".to_string()),
        ("User-Agent".to_string(), "odoo-sim-tests/1.0".to_string()),
    ];
    if let Some(c) = cookie {
        headers.push(("Cookie".into(), format!("session_id={c}")));
    }
    headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    if body.is_some() {
        headers.push(("Content-Type".into(), "application/json".into()));
        headers.push(("Content-Length".into(), "0".into()));
    }
    headers.push(("Connection".into(), "close".into()));
    let msg = RawMessage {
        start: format!("{method} {target} HTTP/1.1"),
        headers,
        body: body.unwrap_or("").to_string(),
    };
    send_raw(addr, &request_bytes(&msg)).await
}

// ---------------------------------------------------------------- fake validation servers

/// A request as the fake validation server received it (exact header names and order).
#[derive(Debug, Clone)]
pub struct Received {
    pub request_line: String,
    pub headers: Vec<(String, String)>,
}

/// A token-validation server answering like the recording's `fake_idp.py`: the replies of the
/// transcripts by token, anything else 401 `WWW-Authenticate: Bearer error="invalid_token"`.
pub struct FakeIdp {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeIdp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Token → reply, collected from every transcript's OUTGOING/REPLY pair.
pub fn replies_by_token() -> HashMap<String, RawMessage> {
    let mut map = HashMap::new();
    for prefix in all_prefixes() {
        for o in load(&prefix).outgoing {
            if let Some(token) = token_of(&o.request.start, &o.request.headers) {
                map.entry(token).or_insert(o.reply);
            }
        }
    }
    map
}

fn token_of(request_line: &str, headers: &[(String, String)]) -> Option<String> {
    if let Some(auth) = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("authorization")) {
        return auth.1.strip_prefix("Bearer ").map(str::to_string);
    }
    let target = request_line.split_whitespace().nth(1)?;
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|p| p.strip_prefix("access_token=")).map(str::to_string)
}

impl FakeIdp {
    /// Answers like the recording's fakes (replies taken from the transcripts).
    pub async fn start() -> FakeIdp {
        FakeIdp::start_with(replies_by_token()).await
    }

    /// Answers `replies[token]`, or the recorded 401 for any other token.
    pub async fn start_with(replies: HashMap<String, RawMessage>) -> FakeIdp {
        let replies = Arc::new(replies);
        let default_reply = load("15").outgoing.into_iter().next().map(|o| o.reply).unwrap_or_else(|| {
            panic!("transcript 15 lost its 401 reply")
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("bind fake idp: {e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("fake idp addr: {e}"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else { break };
                let replies = replies.clone();
                let default_reply = default_reply.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf).to_string();
                    let head = head.split("\r\n\r\n").next().unwrap_or("").to_string();
                    let mut lines = head.split("\r\n");
                    let request_line = lines.next().unwrap_or("").to_string();
                    let headers: Vec<(String, String)> = lines
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                        .collect();
                    let token = token_of(&request_line, &headers);
                    log.lock().unwrap_or_else(|p| p.into_inner()).push(Received { request_line, headers });
                    let reply = token.and_then(|t| replies.get(&t).cloned()).unwrap_or(default_reply);
                    let mut out = format!("{}\r\nServer: BaseHTTP/0.6 Python/3.11.7\r\n", reply.start);
                    for (k, v) in &reply.headers {
                        if !k.eq_ignore_ascii_case("server") && !k.eq_ignore_ascii_case("content-length") {
                            out.push_str(&format!("{k}: {v}\r\n"));
                        }
                    }
                    out.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n{}", reply.body.len(), reply.body));
                    let _ = stream.write_all(out.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        FakeIdp { addr, received, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}/tokeninfo", self.addr)
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// A fake-server reply: status, extra headers, body.
pub fn reply(status: &str, headers: &[(&str, &str)], body: &str) -> RawMessage {
    RawMessage {
        start: format!("HTTP/1.1 {status}"),
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.to_string(),
    }
}

/// A 200 JSON reply.
pub fn json_reply(body: Value) -> RawMessage {
    reply("200 OK", &[("Content-Type", "application/json")], &body.to_string())
}

// ---------------------------------------------------------------- the simulator under test

pub struct Sim {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn start_sim(seed: Seed) -> Sim {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("bind sim: {e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("sim addr: {e}"));
    let task = tokio::spawn(async move {
        if let Err(e) = odoo_sim::serve(seed, listener).await {
            panic!("simulator stopped: {e}");
        }
    });
    Sim { addr, task }
}

/// The recording's setup, with provider 4 validating against `fake_a`.
pub fn transcript_seed(fake_a: &FakeIdp) -> Seed {
    let mut seed = Seed::transcripts();
    if let Some(p) = seed.provider_mut(4) {
        p.validation_endpoint = fake_a.url();
    }
    seed
}

/// Replays transcripts against one simulator and two fake validation servers, mapping the
/// masked `<SESSION_ID_n>` to the real cookies as they appear.
pub struct Harness {
    pub sim: Sim,
    /// Stands for 127.0.0.1:9099 (provider 4).
    pub fake_a: FakeIdp,
    /// Stands for 127.0.0.1:9098 (provider 5, created over RPC in file 27).
    pub fake_b: FakeIdp,
    pub sessions: HashMap<String, String>,
}

pub struct Exchange {
    pub transcript: Transcript,
    pub response: RawMessage,
    /// Requests the fake validation servers received during the exchange.
    pub outgoing: Vec<Received>,
    /// New entries of `/__sim/validation_log` during the exchange.
    pub sim_log: Vec<Value>,
}

impl Harness {
    pub async fn start() -> Harness {
        let fake_a = FakeIdp::start().await;
        let fake_b = FakeIdp::start().await;
        let sim = start_sim(transcript_seed(&fake_a)).await;
        Harness { sim, fake_a, fake_b, sessions: HashMap::new() }
    }

    pub async fn with_seed(seed: Seed, fake_a: FakeIdp, fake_b: FakeIdp) -> Harness {
        let sim = start_sim(seed).await;
        Harness { sim, fake_a, fake_b, sessions: HashMap::new() }
    }

    fn substitutions(&self) -> Vec<(String, String)> {
        vec![
            ("http://127.0.0.1:9099/tokeninfo".into(), self.fake_a.url()),
            ("http://127.0.0.1:9098/tokeninfo".into(), self.fake_b.url()),
            ("<API_KEY>".into(), API_KEY.into()),
        ]
    }

    fn substitute(&self, text: &str) -> String {
        let mut t = text.to_string();
        for (from, to) in self.substitutions() {
            t = t.replace(&from, &to);
        }
        t
    }

    /// The real sid standing for `<SESSION_ID_n>`.
    pub fn sid(&self, placeholder: &str) -> String {
        self.sessions
            .get(placeholder)
            .cloned()
            .unwrap_or_else(|| panic!("{placeholder} was never set by an earlier exchange"))
    }

    pub async fn sim_log(&self) -> Vec<Value> {
        let r = http(self.sim.addr, "GET", "/__sim/validation_log", None, None).await;
        match serde_json::from_str::<Value>(&r.body) {
            Ok(Value::Array(a)) => a,
            _ => panic!("bad /__sim/validation_log answer: {}", r.body),
        }
    }

    /// Sends transcript `prefix`'s request (placeholders replaced) and collects what happened.
    pub async fn replay(&mut self, prefix: &str) -> Exchange {
        let transcript = load(prefix);
        let mut request = transcript.request.clone();
        request.body = self.substitute(&request.body);
        for (k, v) in request.headers.iter_mut() {
            if k.eq_ignore_ascii_case("cookie") {
                let mut value = v.clone();
                while let Some(start) = value.find("<SESSION_ID_") {
                    let end = value[start..].find('>').map(|e| start + e + 1).unwrap_or(value.len());
                    let placeholder = value[start..end].to_string();
                    value = value.replacen(&placeholder, &self.sid(&placeholder), 1);
                }
                *v = value;
            }
        }
        let log_before = self.sim_log().await.len();
        let (a_before, b_before) = (self.fake_a.count(), self.fake_b.count());
        let response = send_raw(self.sim.addr, &request_bytes(&request)).await;
        let mut outgoing = self.fake_a.requests()[a_before..].to_vec();
        outgoing.extend(self.fake_b.requests()[b_before..].to_vec());
        let sim_log = self.sim_log().await[log_before..].to_vec();
        Exchange { transcript, response, outgoing, sim_log }
    }

    /// Replays `prefix` and asserts the simulator answered as the real Odoo did.
    pub async fn check(&mut self, prefix: &str) -> Exchange {
        let ex = self.replay(prefix).await;
        self.assert_matches(&ex);
        ex
    }

    /// Replays several transcripts in order, checking each.
    pub async fn check_all(&mut self, prefixes: &[&str]) {
        for p in prefixes {
            self.check(p).await;
        }
    }

    pub fn assert_matches(&mut self, ex: &Exchange) {
        let name = &ex.transcript.name;
        let expected = &ex.transcript.response;
        let actual = &ex.response;
        assert_eq!(actual.start, expected.start, "{name}: status line\nbody: {}", actual.body);
        self.compare_headers(name, expected, actual, ex.transcript.body_cut);
        self.compare_body(name, expected, actual, ex.transcript.body_cut);
        self.compare_outgoing(ex);
    }

    fn compare_headers(&mut self, name: &str, expected: &RawMessage, actual: &RawMessage, body_cut: bool) {
        let names = |m: &RawMessage| {
            let mut v: Vec<String> = m
                .headers
                .iter()
                .map(|(k, _)| k.to_ascii_lowercase())
                .filter(|k| k != "date")
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(actual), names(expected), "{name}: header names\nactual: {:?}", actual.headers);
        for (k, v) in &expected.headers {
            let key = k.to_ascii_lowercase();
            match key.as_str() {
                "set-cookie" => {}
                "content-length" if body_cut => {}
                // bodies are compared byte for byte below; substituted ports change lengths
                "content-length" => {
                    let got = actual.header(k).unwrap_or("");
                    assert_eq!(got, actual.body.len().to_string(), "{name}: Content-Length vs body");
                    if self.substitute(&expected.body) == expected.body {
                        assert_eq!(got, v, "{name}: header {k}");
                    }
                }
                _ => {
                    let want = self.substitute(v);
                    let got = actual.header(k).unwrap_or("");
                    assert_eq!(got, want, "{name}: header {k}");
                }
            }
        }
        let want_cookies = expected.headers_named("set-cookie");
        let got_cookies = actual.headers_named("set-cookie");
        assert_eq!(got_cookies.len(), want_cookies.len(), "{name}: Set-Cookie count {got_cookies:?}");
        for (want, got) in want_cookies.iter().zip(got_cookies.iter()) {
            let (want_name, want_rest) = want.split_once('=').unwrap_or((want, ""));
            let (got_name, got_rest) = got.split_once('=').unwrap_or((got, ""));
            assert_eq!(got_name, want_name, "{name}: cookie order/name");
            let shape = |s: &str| -> String {
                let mut parts: Vec<String> = s.split("; ").map(str::to_string).collect();
                parts[0] = "<VALUE>".into();
                for p in parts.iter_mut() {
                    if p.starts_with("Expires=") {
                        *p = "Expires=<DATE>".into();
                    }
                }
                parts.join("; ")
            };
            assert_eq!(shape(got_rest), shape(want_rest), "{name}: cookie attributes of {got}");
            assert_expires_one_year_ahead(name, got);
            if want_name == "session_id" {
                let placeholder = want_rest.split(';').next().unwrap_or("").to_string();
                let sid = got_rest.split(';').next().unwrap_or("").to_string();
                assert!(
                    sid.len() >= 32 && sid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                    "{name}: session id shape {sid:?}"
                );
                match self.sessions.get(&placeholder) {
                    Some(known) => assert_eq!(&sid, known, "{name}: {placeholder} must be the same session"),
                    None => {
                        assert!(
                            !self.sessions.values().any(|s| *s == sid),
                            "{name}: {placeholder} must be a new session, got a reused one"
                        );
                        self.sessions.insert(placeholder, sid);
                    }
                }
            } else {
                assert_eq!(got_rest.split(';').next(), want_rest.split(';').next(), "{name}: cookie value");
            }
        }
    }

    fn compare_body(&self, name: &str, expected: &RawMessage, actual: &RawMessage, body_cut: bool) {
        let content_type = expected.header("content-type").unwrap_or("");
        let want = self.substitute(&expected.body);
        if want.contains("[...]") {
            for chunk in want.split("[...]") {
                let chunk = chunk.trim_matches('\n');
                if chunk.is_empty() {
                    continue;
                }
                let chunk = normalize_csrf(chunk);
                let body = normalize_csrf(&actual.body);
                assert!(body.contains(&chunk), "{name}: body lacks the recorded fragment:\n{chunk}\n--- actual body:\n{body}");
            }
            return;
        }
        if content_type.starts_with("application/json") {
            let mut want_json: Value = serde_json::from_str(&want).unwrap_or_else(|e| panic!("{name}: bad recorded JSON: {e}"));
            let mut got_json: Value = serde_json::from_str(&actual.body)
                .unwrap_or_else(|e| panic!("{name}: simulator JSON is invalid ({e}): {}", actual.body));
            let want_debug = take_debug(&mut want_json);
            let got_debug = take_debug(&mut got_json);
            if let Some(want_debug) = want_debug {
                let last = |s: &str| s.trim_end().lines().last().unwrap_or("").to_string();
                assert_eq!(last(&got_debug.unwrap_or_default()), last(&want_debug), "{name}: traceback last line");
            }
            let is_session_info = want_json.pointer("/result/user_context").is_some();
            if is_session_info {
                strip_volatile_session_info(&mut want_json);
                strip_volatile_session_info(&mut got_json);
            }
            assert_eq!(got_json, want_json, "{name}: JSON body");
            if !is_session_info && !body_cut {
                assert_eq!(actual.body, want, "{name}: JSON bytes (Python json.dumps layout)");
            }
            return;
        }
        assert_eq!(actual.body, want, "{name}: body");
    }

    fn compare_outgoing(&self, ex: &Exchange) {
        let name = &ex.transcript.name;
        assert_eq!(
            ex.outgoing.len(),
            ex.transcript.outgoing.len(),
            "{name}: number of requests the validation servers received: {:?}",
            ex.outgoing
        );
        assert_eq!(ex.sim_log.len(), ex.transcript.outgoing.len(), "{name}: /__sim/validation_log entries");
        for (got, want) in ex.outgoing.iter().zip(&ex.transcript.outgoing) {
            assert_eq!(got.request_line, want.request.start, "{name}: outgoing request line");
            let fake_host = |h: &str| -> String {
                match h {
                    "127.0.0.1:9099" => self.fake_a.addr.to_string(),
                    "127.0.0.1:9098" => self.fake_b.addr.to_string(),
                    other => other.to_string(),
                }
            };
            let want_headers: Vec<(String, String)> = want
                .request
                .headers
                .iter()
                .map(|(k, v)| if k == "Host" { (k.clone(), fake_host(v)) } else { (k.clone(), v.clone()) })
                .collect();
            assert_eq!(got.headers, want_headers, "{name}: outgoing headers (names, values, order)");
        }
    }
}

fn take_debug(v: &mut Value) -> Option<String> {
    v.pointer_mut("/error/data")
        .and_then(Value::as_object_mut)
        .and_then(|d| d.remove("debug"))
        .and_then(|d| d.as_str().map(str::to_string))
}

/// Fields of session info that depend on the real database's history, not on behaviour.
fn strip_volatile_session_info(v: &mut Value) {
    if let Some(r) = v.pointer_mut("/result").and_then(Value::as_object_mut) {
        r.remove("partner_write_date");
        r.remove("cache_hashes");
        r.remove("storeData");
    }
}

fn normalize_csrf(s: &str) -> String {
    let re = regex_lite_csrf();
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(re) {
        let start = i + re.len();
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map(|e| start + e).unwrap_or(rest.len());
        out.push_str("<CSRF>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn regex_lite_csrf() -> &'static str {
    "name=\"csrf_token\" value=\""
}

fn assert_expires_one_year_ahead(name: &str, cookie: &str) {
    let Some(expires) = cookie.split("; ").find_map(|p| p.strip_prefix("Expires=")) else {
        panic!("{name}: cookie without Expires: {cookie}");
    };
    let when = httpdate_parse(expires).unwrap_or_else(|| panic!("{name}: bad Expires date {expires:?}"));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let year = 365 * 24 * 3600;
    assert!(when + 120 >= now + year && when <= now + year + 120, "{name}: Expires should be now + 1 year: {expires}");
}

/// Parses `Sat, 27 Nov 2027 17:06:53 GMT` into UNIX seconds.
pub fn httpdate_parse(s: &str) -> Option<u64> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() != 6 || parts[5] != "GMT" {
        return None;
    }
    let day: i64 = parts[1].parse().ok()?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| *m == parts[2])? as i64
        + 1;
    let year: i64 = parts[3].parse().ok()?;
    let hms: Vec<i64> = parts[4].split(':').filter_map(|x| x.parse().ok()).collect();
    if hms.len() != 3 {
        return None;
    }
    // days-from-civil (Howard Hinnant)
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2]) as u64)
}

/// A JSON-RPC body `{"jsonrpc": "2.0", "method": "call", "params": …, "id": n}`.
pub fn rpc_body(params: Value, id: i64) -> String {
    serde_json::json!({"jsonrpc": "2.0", "method": "call", "params": params, "id": id}).to_string()
}

/// `execute_kw` over `/jsonrpc`; returns the parsed answer.
pub async fn execute_kw(addr: SocketAddr, uid: i64, secret: &str, model: &str, method: &str, args: Value, kwargs: Value) -> Value {
    let params = serde_json::json!({
        "service": "object", "method": "execute_kw",
        "args": ["acme", uid, secret, model, method, args, kwargs]
    });
    http(addr, "POST", "/jsonrpc", None, Some(&rpc_body(params, 1))).await.json()
}

/// `get_session_info` with a cookie; returns the parsed answer.
pub async fn session_info(addr: SocketAddr, sid: &str) -> Value {
    http(addr, "POST", "/web/session/get_session_info", Some(sid), Some(&rpc_body(serde_json::json!({}), 1))).await.json()
}

/// `POST /json/2/{model}/{method}` (Odoo 19) with `Authorization: bearer {key}` when a key is
/// given and `X-Odoo-Database: {db}` when a database is.
pub async fn json2(addr: SocketAddr, model: &str, method: &str, key: Option<&str>, db: Option<&str>, body: &Value) -> RawMessage {
    let auth = key.map(|k| format!("bearer {k}"));
    let mut extra: Vec<(&str, &str)> = Vec::new();
    if let Some(a) = &auth {
        extra.push(("Authorization", a));
    }
    if let Some(d) = db {
        extra.push(("X-Odoo-Database", d));
    }
    http_with(addr, "POST", &format!("/json/2/{model}/{method}"), None, &extra, Some(&body.to_string())).await
}

/// The transcripts' setup as an Odoo 19 server (default 19 server_version).
pub fn odoo_19_seed() -> Seed {
    let mut seed = Seed::transcripts();
    seed.version = "19.0".into();
    seed.server_version = None;
    seed
}

/// Builds a signin URL for a state object.
pub fn signin_target(token: &str, state: &Value) -> String {
    let state = state.to_string();
    let enc: String = state
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    format!("/auth_oauth/signin?access_token={token}&state={enc}")
}

/// A urlencoded form POSTed to `target` (`/web/login` for the password form).
pub async fn post_form(addr: std::net::SocketAddr, target: &str, form: &str) -> RawMessage {
    let msg = RawMessage {
        start: format!("POST {target} HTTP/1.1"),
        headers: vec![
            ("Host".into(), "127.0.0.1:8069".into()),
            ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
            ("Content-Length".into(), "0".into()),
            ("Connection".into(), "close".into()),
        ],
        body: form.into(),
    };
    send_raw(addr, &request_bytes(&msg)).await
}
