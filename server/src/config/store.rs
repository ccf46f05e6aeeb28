//! `[store]`: where the bridge keeps flows, tokens and links (a SQLite file, or PostgreSQL shared
//! by several bridges), and how many short-lived rows it may hold.
//! It must never quote a store URL in an error or a warning: a PostgreSQL URL may hold a password.

use super::{invalid, load_secret, ConfigError, Secret};
use serde::Deserialize;
use std::path::PathBuf;
use url::Url;

/// `[store]` as written by the admin; see `StoreConfig`, `StoreBackend` and `StoreCaps`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StoreFile {
    /// `sqlite://data/login-bridge.db` (relative to the working directory),
    /// `sqlite:///var/lib/login-bridge/bridge.db`, or `postgres://user@host:5432/database`
    /// (also `postgresql://`; libpq-style query parameters such as `sslmode=require` work).
    url: Option<String>,
    /// Instead of `url`: the environment variable holding the whole URL (e.g. `DATABASE_URL`),
    /// for a URL with its password in it.
    url_env: Option<String>,
    /// Instead of `url`: a file holding the whole URL.
    url_file: Option<PathBuf>,
    /// PostgreSQL: the environment variable holding the password of the URL's user.
    password_env: Option<String>,
    /// PostgreSQL: a file holding the password of the URL's user.
    password_file: Option<PathBuf>,
    /// Cap on Odoo-initiated requests waiting on the provider page (default 100 000; 0 = none).
    #[serde(default = "default_requests")]
    max_pending_requests: u32,
    /// Cap on logins gone to the provider and not back yet (default 100 000; 0 = none).
    #[serde(default = "default_flows")]
    max_pending_flows: u32,
    /// Cap on tokens handed to Odoo and not yet expired (default 10 000; 0 = none).
    #[serde(default = "default_tokens")]
    max_live_tokens: u32,
}

fn default_requests() -> u32 {
    StoreCaps::default().pending_requests
}
fn default_flows() -> u32 {
    StoreCaps::default().pending_flows
}
fn default_tokens() -> u32 {
    StoreCaps::default().live_tokens
}

/// Where the state lives and how much short-lived state it may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    pub backend: StoreBackend,
    pub caps: StoreCaps,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreBackend {
    /// A SQLite file; created with its parent folder on first start. One bridge process.
    Sqlite { path: PathBuf },
    /// A PostgreSQL database, which several bridge processes may share (a login begun on one
    /// finishes on another; a token is redeemed once across all). The URL includes the password
    /// when there is one: print `StoreBackend::describe` instead.
    Postgres {
        url: Secret,
        /// The password is written in the config file itself (`url = "postgres://u:pw@…"`).
        password_in_config: bool,
    },
}

impl StoreBackend {
    /// The store as logs and errors may name it: engine, user, host, port and database, never a
    /// password or query parameters.
    pub fn describe(&self) -> String {
        match self {
            Self::Sqlite { path } => format!("SQLite file {}", path.display()),
            Self::Postgres { url, .. } => match Url::parse(url.expose()) {
                Ok(url) => {
                    let user = Some(url.username()).filter(|u| !u.is_empty()).map(|u| format!("{u}@")).unwrap_or_default();
                    let host = url.host_str().unwrap_or("local socket");
                    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
                    format!("PostgreSQL {user}{host}{port}{}", url.path())
                }
                Err(_) => "PostgreSQL".into(),
            },
        }
    }
}

/// Caps on the short-lived tables, so a flood of started-but-never-finished logins cannot grow
/// the store without bound (expiry alone would let it grow for a whole TTL). A request that
/// would go over a cap is refused with 503 and `Retry-After`; rows already there are unaffected.
/// 0 = no cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreCaps {
    /// Odoo-initiated requests waiting on the provider page (15 minutes each): `max_pending_requests`.
    pub pending_requests: u32,
    /// Logins gone to the provider and not back yet (10 minutes each): `max_pending_flows`.
    pub pending_flows: u32,
    /// Tokens handed to Odoo, kept until they expire (2 minutes each): `max_live_tokens`.
    pub live_tokens: u32,
}

impl Default for StoreCaps {
    /// Far above what people make: 100 000 flows in 10 minutes is 160 logins a second; a token
    /// needs a finished upstream login, and 10 000 in 2 minutes is 80 a second. A full table is
    /// some tens of MB.
    fn default() -> Self {
        Self { pending_requests: 100_000, pending_flows: 100_000, live_tokens: 10_000 }
    }
}

pub(super) fn parse_store(file: StoreFile, env: &dyn Fn(&str) -> Option<String>) -> Result<StoreConfig, ConfigError> {
    let caps = StoreCaps { pending_requests: file.max_pending_requests, pending_flows: file.max_pending_flows, live_tokens: file.max_live_tokens };
    let url = match (&file.url, file.url_env.as_deref(), file.url_file.as_deref()) {
        (Some(url), None, None) => Secret::new(url.trim()),
        (None, None, None) => {
            return Err(invalid("store.url", "missing", "write url = \"sqlite://data/login-bridge.db\", or name the URL with url_env or url_file"))
        }
        (None, env_name, file_name) => load_secret("store.url", env_name, file_name, env)?,
        (Some(_), _, _) => return Err(invalid("store.url", "url and url_env/url_file are both set", "keep only one of them")),
    };
    let text = url.expose();
    let backend = if let Some(rest) = text.strip_prefix("sqlite://") {
        if file.password_env.is_some() || file.password_file.is_some() {
            return Err(invalid("store.password_env", "a SQLite store has no password", "remove password_env / password_file"));
        }
        if rest.is_empty() || rest == "/" {
            return Err(invalid("store.url", "no file path", "write sqlite://data/login-bridge.db or sqlite:///var/lib/login-bridge/bridge.db"));
        }
        // `sqlite:///abs` keeps its leading slash; `sqlite://rel` is relative to the working directory.
        StoreBackend::Sqlite { path: PathBuf::from(rest) }
    } else if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        let password_in_config = file.url.is_some() && Url::parse(text).is_ok_and(|u| u.password().is_some());
        StoreBackend::Postgres { url: postgres_url(&url, file.password_env.as_deref(), file.password_file.as_deref(), env)?, password_in_config }
    } else {
        // Only the scheme of an inline URL is quoted: the rest may be a password after a typo,
        // and a URL from url_env / url_file is a secret as a whole.
        let scheme = text.split_once("://").map_or("", |(scheme, _)| scheme);
        let plausible = !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.');
        let named = if file.url.is_some() && plausible { format!("`{scheme}://` is not a supported store") } else { "not a store URL".into() };
        return Err(invalid("store.url", named, "write sqlite://data/login-bridge.db, or postgres://user@host:5432/database for a store several bridges share"));
    };
    Ok(StoreConfig { backend, caps })
}

/// Checks a PostgreSQL URL and puts the password from password_env / password_file into it.
fn postgres_url(url: &Secret, password_env: Option<&str>, password_file: Option<&std::path::Path>, env: &dyn Fn(&str) -> Option<String>) -> Result<Secret, ConfigError> {
    // url::ParseError texts ("invalid port number") never repeat the input.
    let mut parsed = Url::parse(url.expose()).map_err(|e| {
        invalid("store.url", format!("not a valid PostgreSQL URL ({e})"), "write postgres://user@host:5432/database (percent-encode special characters of the user name and password)")
    })?;
    if parsed.path().trim_start_matches('/').is_empty() {
        return Err(invalid("store.url", "no database name", "end the URL with /database, e.g. postgres://login_bridge@db.internal:5432/login_bridge"));
    }
    if password_env.is_none() && password_file.is_none() {
        return Ok(url.clone());
    }
    if parsed.password().is_some() {
        return Err(invalid("store.password_env", "the URL already holds a password", "keep the password in one place: password_env / password_file, or the URL"));
    }
    if parsed.username().is_empty() {
        return Err(invalid("store.url", "a password is set but the URL names no user", "write the user before the host: postgres://login_bridge@db.internal:5432/login_bridge"));
    }
    let password = load_secret("store.password", password_env, password_file, env)?;
    parsed
        .set_password(Some(password.expose()))
        .map_err(|()| invalid("store.url", "this URL cannot carry a password", "write postgres://user@host:5432/database"))?;
    Ok(Secret::new(String::from(parsed)))
}

/// Things that work but that the admin may not want; printed at start (never quoting the URL).
pub(super) fn warnings(store: &StoreConfig) -> Vec<String> {
    let mut warnings = Vec::new();
    if let StoreBackend::Postgres { password_in_config: true, .. } = &store.backend {
        {
            warnings.push("[store] url holds a password in the config file: move it to password_env or password_file (or the whole URL to url_env / url_file) so it stays out of copies of the config".into());
        }
    }
    for (key, cap) in [("max_pending_requests", store.caps.pending_requests), ("max_pending_flows", store.caps.pending_flows), ("max_live_tokens", store.caps.live_tokens)] {
        if cap == 0 {
            warnings.push(format!("[store] {key} = 0: no cap on this table; a flood of unfinished logins grows the store until the rows expire"));
        }
    }
    warnings
}
