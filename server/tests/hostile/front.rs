//! The hostile provider's raw front: a hand-written HTTP/1.1 server on its own loopback port
//! that hands every request to the same router, then writes the answer itself. For the
//! endpoint of an `Oversized` scenario it streams a valid JSON document preceded by
//! [`PADDING_BYTES`] of padding, with neither `Content-Length` nor chunking (the body ends when
//! the connection closes), so only a reader that counts bytes as they arrive can stop early.
//! It counts the padding bytes the kernel accepted, to show the reader stopped.

use super::idp::{Endpoint, Inner, Scenario};
use axum::{body::Body, Router};
use http_body_util::BodyExt;
use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc, Mutex,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};
use tower::ServiceExt;

/// Padding before the real document: far more than any sane provider document.
pub const PADDING_BYTES: u64 = 64 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

pub struct Front {
    /// Padding bytes written so far, over all oversized answers.
    padding_written: Arc<AtomicU64>,
    /// Oversized answers started, and how each ended.
    log: Arc<Mutex<Vec<String>>>,
}

impl Front {
    pub fn start(listener: TcpListener, router: Router, inner: Arc<Inner>) -> Arc<Front> {
        let front = Arc::new(Front { padding_written: Arc::new(AtomicU64::new(0)), log: Arc::new(Mutex::new(Vec::new())) });
        let (written, log) = (front.padding_written.clone(), front.log.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (router, inner, written, log) = (router.clone(), inner.clone(), written.clone(), log.clone());
                tokio::spawn(async move {
                    let _ = serve_one(stream, router, inner, written, log).await;
                });
            }
        });
        front
    }

    pub fn padding_written(&self) -> u64 {
        self.padding_written.load(Ordering::SeqCst)
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

async fn serve_one(
    mut stream: TcpStream,
    router: Router,
    inner: Arc<Inner>,
    written: Arc<AtomicU64>,
    log: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    // The request head, then as many body bytes as Content-Length says.
    let mut buffer = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buffer.len() > 64 * 1024 {
            return Ok(());
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut body = buffer[head_end + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let (method, target) = (request_line.next().unwrap_or("GET").to_string(), request_line.next().unwrap_or("/").to_string());
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }

    let mut request = axum::http::Request::builder().method(method.as_str()).uri(target.as_str());
    for (k, v) in &headers {
        request = request.header(k.as_str(), v.as_str());
    }
    let request = request.body(Body::from(body)).expect("request");
    let response = router.oneshot(request).await.expect("infallible router");
    let status = response.status();
    let response_headers = response.headers().clone();
    let document = response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();

    let path = target.split('?').next().unwrap_or_default().to_string();
    let oversized = matches!(inner.scenario(), Scenario::Oversized(e) if inner.endpoint_at(&path) == Some(e));
    if oversized && status.is_success() && document.first() == Some(&b'{') {
        let endpoint: Option<Endpoint> = inner.endpoint_at(&path);
        push(&log, format!("oversized {endpoint:?} started"));
        stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n").await?;
        stream.write_all(b"{\"x_padding\":\"").await?;
        let filler = vec![b'a'; CHUNK];
        let mut sent: u64 = 0;
        while sent < PADDING_BYTES {
            if let Err(e) = stream.write_all(&filler).await {
                push(&log, format!("oversized {endpoint:?}: reader hung up after {sent} padding bytes ({e})"));
                return Ok(());
            }
            sent += CHUNK as u64;
            written.fetch_add(CHUNK as u64, Ordering::SeqCst);
        }
        stream.write_all(b"\",").await?;
        stream.write_all(&document[1..]).await?;
        push(&log, format!("oversized {endpoint:?}: the whole document was sent"));
        stream.shutdown().await?;
        return Ok(());
    }

    let mut head = format!("HTTP/1.1 {} {}\r\n", status.as_u16(), status.canonical_reason().unwrap_or("Status"));
    for (name, value) in response_headers.iter() {
        if matches!(name.as_str(), "content-length" | "transfer-encoding" | "connection") {
            continue;
        }
        head.push_str(&format!("{}: {}\r\n", name, value.to_str().unwrap_or_default()));
    }
    head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", document.len()));
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&document).await?;
    stream.shutdown().await?;
    Ok(())
}

fn push(log: &Mutex<Vec<String>>, line: String) {
    if let Ok(mut l) = log.lock() {
        l.push(line);
    }
}
