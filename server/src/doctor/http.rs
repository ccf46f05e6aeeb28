//! The HTTP client every doctor check uses, and what it remembers of an answer (status, `Date`)
//! so the provider checks can read the clock of whoever answered.
//! It must never follow a redirect on its own (a redirect is itself a finding) nor wait long.

use crate::error::error_chain;
use std::{
    sync::Mutex,
    time::{Duration, SystemTime},
};

/// One request's limit; the bridge gives upstream calls 10 s, a check needs less.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(8);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest body read from anyone (the bridge's own cap for provider documents).
const MAX_BODY_BYTES: usize = 256 * 1024;

/// `openidconnect`'s reqwest (the same crate version the bridge's upstream calls use).
pub type Client = openidconnect::reqwest::Client;

pub fn client() -> Result<Client, String> {
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(CALL_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("login-bridge-doctor/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| error_chain(&e))
}

/// An answer, its body capped.
pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    /// The answering server's clock (`Date` header), when it sent one.
    pub date: Option<SystemTime>,
    pub body: Vec<u8>,
}

/// GET `url`; `Err` is the transport failure (refused, timeout, TLS), with its causes.
pub async fn get(client: &Client, url: &str) -> Result<Answer, String> {
    let mut response = client.get(url).header("Accept", "application/json").send().await.map_err(|e| error_chain(&e))?;
    let status = response.status().as_u16();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let date = parse_date(response.headers().get("date").and_then(|v| v.to_str().ok()));
    let body = read_capped(&mut response).await?;
    Ok(Answer { status, location, date, body })
}

async fn read_capped(response: &mut openidconnect::reqwest::Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| error_chain(&e))? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BODY_BYTES {
            return Err(format!("the answer is larger than {MAX_BODY_BYTES} bytes"));
        }
    }
    Ok(body)
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7).
pub fn parse_date(value: Option<&str>) -> Option<SystemTime> {
    let parsed = chrono::DateTime::parse_from_rfc2822(value?.trim()).ok()?;
    let secs = u64::try_from(parsed.timestamp()).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

/// The other clock minus ours, in whole seconds (positive: theirs is ahead).
pub fn skew_seconds(theirs: SystemTime, ours: SystemTime) -> i64 {
    match theirs.duration_since(ours) {
        Ok(ahead) => i64::try_from(ahead.as_secs()).unwrap_or(i64::MAX),
        Err(behind) => -i64::try_from(behind.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// What the last answer through a [`Recording`] client looked like.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen {
    pub status: u16,
    pub date: Option<SystemTime>,
}

/// The HTTP client handed to `oauth2`/`openidconnect` for the token probe: it remembers the
/// status (a 401 with an unreadable body is still "wrong credentials") and the `Date` header.
pub struct Recording<'a> {
    client: &'a Client,
    seen: Mutex<Option<Seen>>,
}

impl<'a> Recording<'a> {
    pub fn new(client: &'a Client) -> Self {
        Self { client, seen: Mutex::new(None) }
    }
    pub fn seen(&self) -> Option<Seen> {
        self.seen.lock().ok().and_then(|s| *s)
    }
}

impl<'c> openidconnect::AsyncHttpClient<'c> for Recording<'_> {
    type Error = openidconnect::HttpClientError<openidconnect::reqwest::Error>;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<openidconnect::HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: openidconnect::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let mut response = self.client.execute(request.try_into().map_err(Box::new)?).await.map_err(Box::new)?;
            let seen = Seen {
                status: response.status().as_u16(),
                date: parse_date(response.headers().get("date").and_then(|v| v.to_str().ok())),
            };
            if let Ok(mut slot) = self.seen.lock() {
                *slot = Some(seen);
            }
            let mut builder = openidconnect::http::Response::builder().status(response.status()).version(response.version());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let body = read_capped(&mut response).await.map_err(openidconnect::HttpClientError::Other)?;
            builder.body(body).map_err(openidconnect::HttpClientError::Http)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_http_dates_and_signs_the_skew() {
        let date = parse_date(Some("Sun, 06 Nov 1994 08:49:37 GMT")).expect("an HTTP date parses");
        assert_eq!(date.duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs()).ok(), Some(784111777));
        assert_eq!(skew_seconds(date + Duration::from_secs(90), date), 90);
        assert_eq!(skew_seconds(date, date + Duration::from_secs(400)), -400);
        assert_eq!(parse_date(Some("yesterday")), None);
    }
}
