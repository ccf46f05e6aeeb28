//! Opening the store: a pool of connections to SQLite or PostgreSQL through sqlx's `Any` driver,
//! so every query is written once (`$1` placeholders, which both engines take).
//! It must never put the PostgreSQL password in an error or a log line.

use super::StoreError;
use crate::config::StoreBackend;
use percent_encoding::{percent_decode_str, percent_encode, AsciiSet, CONTROLS};
use sqlx::{any::AnyPoolOptions, AnyConnection, AnyPool, Connection, Executor};
use std::{path::Path, time::Duration};

/// PostgreSQL connections per bridge process. Requests hold one for a few statements; the
/// server's own limit (100 by default) is shared by every bridge.
const MAX_CONNECTIONS: u32 = 8;
/// SQLite takes one writer at a time, and most of the bridge's statements write. With several
/// connections the losers slept in SQLite's busy handler (1 to 100 ms): tokeninfo's p99 was
/// 36 ms at 8 connections against 6 ms at one (`make bench`), for 25 % less throughput, which
/// redeeming in one statement (`Store::redeem_token_of`) won back. One connection also never
/// pings on checkout: it is a file, not a network peer.
const SQLITE_CONNECTIONS: u32 = 1;
/// How long a request waits for a connection: a store that is down fails the request with the
/// "try again" page instead of holding the browser for sqlx's default 30 s.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

pub(super) async fn connect(backend: &StoreBackend) -> Result<AnyPool, StoreError> {
    sqlx::any::install_default_drivers();
    let open_error = |error: sqlx::Error| StoreError::Open { store: backend.describe(), reason: scrub(&error.to_string(), backend) };
    let pool = match backend {
        StoreBackend::Sqlite { path } => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|source| StoreError::CreateDir { path: parent.display().to_string(), source })?;
            }
            AnyPoolOptions::new()
                .max_connections(SQLITE_CONNECTIONS)
                .test_before_acquire(false)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // WAL + NORMAL: a crash loses at most the last transaction, never corrupts.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        Ok(())
                    })
                })
                .connect(&sqlite_url(path)?)
                .await
        }
        StoreBackend::Postgres { url, .. } => {
            // One connection first, outside the pool: a pool retries a refused connection until
            // its timeout and then says only "timed out", hiding what the admin must fix
            // (refused, wrong password, no such database).
            AnyConnection::connect(url.expose()).await.map_err(open_error)?.close().await.map_err(open_error)?;
            AnyPoolOptions::new().max_connections(MAX_CONNECTIONS).acquire_timeout(ACQUIRE_TIMEOUT).connect(url.expose()).await
        }
    };
    pool.map_err(open_error)
}

/// What sqlx's `Any` driver reads as a SQLite file: the absolute path, percent-encoded (spaces,
/// `?`, `#` and `%` reach SQLite as written), with `mode=rwc` to create the file on first start.
fn sqlite_url(path: &Path) -> Result<String, StoreError> {
    const ESCAPED: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'?').add(b'<').add(b'>').add(b'`').add(b'{').add(b'}');
    let absolute = std::path::absolute(path).map_err(|source| StoreError::CreateDir { path: path.display().to_string(), source })?;
    Ok(format!("sqlite://{}?mode=rwc", percent_encode(absolute.as_os_str().as_encoded_bytes(), ESCAPED)))
}

/// A driver's message with the password taken out, in case a driver ever quotes the URL.
fn scrub(message: &str, backend: &StoreBackend) -> String {
    let StoreBackend::Postgres { url, .. } = backend else {
        return message.to_string();
    };
    let Some(encoded) = url::Url::parse(url.expose()).ok().and_then(|u| u.password().map(str::to_string)) else {
        return message.to_string();
    };
    let decoded = percent_decode_str(&encoded).decode_utf8_lossy().into_owned();
    let mut text = message.to_string();
    for form in [encoded.as_str(), decoded.as_str()] {
        if !form.is_empty() {
            text = text.replace(form, "***");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    #[test]
    fn a_password_a_driver_quotes_is_scrubbed() {
        let backend = StoreBackend::Postgres { url: Secret::new("postgres://lb:p%40ss+w@db/lb"), password_in_config: false };
        assert_eq!(scrub("failed for lb:p%40ss+w and p@ss+w", &backend), "failed for lb:*** and ***");
    }

    #[test]
    fn sqlite_paths_are_absolute_and_escaped() {
        let url = sqlite_url(Path::new("/tmp/a b/c#d%e?.db")).expect("url");
        assert_eq!(url, "sqlite:///tmp/a%20b/c%23d%25e%3F.db?mode=rwc");
        assert!(sqlite_url(Path::new("data/x.db")).expect("url").ends_with("/data/x.db?mode=rwc"));
    }
}
