//! The one TOML file that configures the bridge: parsing, validation and secret loading.
//! It must never accept an inline secret, and never print a secret's value.

use serde::Deserialize;
use std::{
    collections::HashSet,
    fmt,
    net::SocketAddr,
    path::{Path, PathBuf},
};
use url::Url;

/// A value that must never reach a log line or a page.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("config key `{key}`: {problem}. Fix: {fix}")]
    Invalid { key: String, problem: String, fix: String },
}

fn invalid(key: impl Into<String>, problem: impl Into<String>, fix: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { key: key.into(), problem: problem.into(), fix: fix.into() }
}

// ---- The file as written by the admin -------------------------------------------------

/// The whole configuration file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// What browsers and Odoo use to reach the bridge, e.g. `https://login.example.com`.
    public_url: String,
    /// Address the bridge binds to, e.g. `127.0.0.1:3000`.
    listen: String,
    store: StoreFile,
    #[serde(default)]
    odoo: Vec<OdooFile>,
    #[serde(default)]
    provider: Vec<ProviderFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoreFile {
    url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OdooFile {
    id: String,
    url: String,
    database: String,
    display_name: Option<String>,
    api_login: Option<String>,
    api_key_env: Option<String>,
    api_key_file: Option<PathBuf>,
    #[serde(default = "default_true")]
    link_by_email: bool,
    #[serde(default)]
    allowed_email_domains: Vec<String>,
    #[serde(default)]
    provision: Provision,
    odoo_provider_id: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderFile {
    id: String,
    kind: ProviderKind,
    display_name: Option<String>,
    client_id: String,
    client_secret_env: Option<String>,
    client_secret_file: Option<PathBuf>,
    issuer: Option<String>,
    scopes: Option<Vec<String>>,
}

fn default_true() -> bool {
    true
}

// ---- The validated configuration the rest of the bridge uses --------------------------

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL of the bridge as browsers and Odoo see it (no trailing slash).
    pub public_url: Url,
    /// Where the HTTP server binds.
    pub listen: SocketAddr,
    /// Where pending flows, tokens and identity links live.
    pub store: StoreConfig,
    /// The Odoo databases this bridge signs people in to.
    pub odoo: Vec<OdooConfig>,
    /// The upstream identity providers, in button order.
    pub providers: Vec<ProviderConfig>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    /// A SQLite file; created with its parent folder on first start.
    Sqlite { path: PathBuf },
}

/// Who may be created in Odoo when no account matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provision {
    /// Nobody: a person without an Odoo account is refused.
    #[default]
    Off,
    /// New people become portal users.
    Portal,
    /// New people become internal users.
    Internal,
}

/// One Odoo database.
#[derive(Debug, Clone)]
pub struct OdooConfig {
    /// Identifies this Odoo; also the `client_id` Odoo presents.
    pub id: String,
    /// Base URL of Odoo as browsers reach it (no trailing slash).
    pub url: Url,
    /// The database name (`state.d`).
    pub database: String,
    /// Shown on the provider page.
    pub display_name: String,
    /// Technical user and API key for the external API.
    pub api: OdooApiCredentials,
    /// Link people to existing Odoo users by their verified email.
    pub link_by_email: bool,
    /// Only emails in these domains may sign in; empty = any.
    pub allowed_email_domains: Vec<String>,
    /// Who may be created when no account matches.
    pub provision: Provision,
    /// The `auth.oauth.provider` record that points at the bridge, when not looked up.
    pub odoo_provider_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct OdooApiCredentials {
    pub login: String,
    pub key: Secret,
}

impl OdooConfig {
    /// The exact `redirect_uri` Odoo sends in its implicit request.
    pub fn signin_url(&self) -> String {
        format!("{}/auth_oauth/signin", self.base())
    }
    /// Odoo's password login page, always offered as the way out.
    pub fn password_login_url(&self) -> String {
        format!("{}/web/login", self.base())
    }
    pub fn base(&self) -> String {
        self.url.as_str().trim_end_matches('/').to_string()
    }
}

/// Provider kinds. Only the ones with a working adapter are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Google,
    Microsoft,
    Github,
    Facebook,
    Gitlab,
    Oidc,
}

impl ProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Google => "google",
            Self::Microsoft => "microsoft",
            Self::Github => "github",
            Self::Facebook => "facebook",
            Self::Gitlab => "gitlab",
            Self::Oidc => "oidc",
        }
    }
}

/// One upstream identity provider.
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    /// Identifies the provider; the redirect URI is `{public_url}/callback/{id}`.
    pub id: String,
    pub kind: ProviderKind,
    /// Button text is "Continue with {display_name}".
    pub display_name: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// OpenID issuer used for discovery.
    pub issuer: Url,
    /// Scopes requested besides `openid`.
    pub scopes: Vec<String>,
}

impl Config {
    /// Reads and validates a config file; every error names the key and the fix.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        let base = path.parent().unwrap_or_else(|| Path::new("."));
        Self::parse(&text, path, base, &|name| std::env::var(name).ok())
    }

    /// Parses config text; `env` resolves `*_env` secrets (injected for tests).
    pub fn parse(
        text: &str,
        path: &Path,
        _base_dir: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        refuse_inline_secrets(text, path)?;
        let file: ConfigFile = toml::from_str(text)
            .map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: e.to_string() })?;
        validate(file, env)
    }

    pub fn odoo(&self, id: &str) -> Option<&OdooConfig> {
        self.odoo.iter().find(|o| o.id == id)
    }

    pub fn provider(&self, id: &str) -> Option<&ProviderConfig> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// `{public_url}/callback/{provider}`, the only redirect URI the bridge uses upstream.
    pub fn redirect_uri(&self, provider_id: &str) -> String {
        format!("{}/callback/{provider_id}", self.public_base())
    }

    pub fn public_base(&self) -> String {
        self.public_url.as_str().trim_end_matches('/').to_string()
    }

    /// Cookies get the `__Host-` prefix when the bridge is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

/// Inline secrets would end up in backups and screenshots; say so instead of "unknown field".
fn refuse_inline_secrets(text: &str, path: &Path) -> Result<(), ConfigError> {
    let value: toml::Value = toml::from_str(text)
        .map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: e.to_string() })?;
    for (table, secret) in [("odoo", "api_key"), ("provider", "client_secret")] {
        let entries = value.get(table).and_then(|v| v.as_array()).into_iter().flatten();
        for (index, entry) in entries.enumerate() {
            if entry.get(secret).is_some() {
                return Err(invalid(
                    format!("{table}[{index}].{secret}"),
                    "secrets are never accepted inline in the config file",
                    format!("put the value in an environment variable named by `{secret}_env`, or in a file named by `{secret}_file`"),
                ));
            }
        }
    }
    Ok(())
}

fn validate(file: ConfigFile, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    let public_url = parse_base_url("public_url", &file.public_url)?;
    let listen: SocketAddr = file.listen.parse().map_err(|_| {
        invalid("listen", format!("`{}` is not an address:port", file.listen), "write it like \"127.0.0.1:3000\" or \"0.0.0.0:3000\"")
    })?;
    let store = parse_store(&file.store.url)?;

    if file.odoo.is_empty() {
        return Err(invalid("odoo", "no [[odoo]] entry", "add at least one [[odoo]] table with id, url and database"));
    }
    let mut seen = HashSet::new();
    let mut odoo = Vec::new();
    for (index, entry) in file.odoo.into_iter().enumerate() {
        let key = |k: &str| format!("odoo[{index}].{k}");
        check_id(&key("id"), &entry.id)?;
        if !seen.insert(entry.id.clone()) {
            return Err(invalid(key("id"), format!("duplicate id `{}`", entry.id), "give every [[odoo]] its own id"));
        }
        let url = parse_base_url(&key("url"), &entry.url)?;
        require_secure(&key("url"), &url)?;
        if entry.database.trim().is_empty() {
            return Err(invalid(key("database"), "empty", "set the Odoo database name"));
        }
        let login = entry.api_login.filter(|l| !l.trim().is_empty()).ok_or_else(|| {
            invalid(key("api_login"), "missing", "set the login of the technical Odoo user whose API key the bridge uses")
        })?;
        let api_key = load_secret(&key("api_key"), entry.api_key_env.as_deref(), entry.api_key_file.as_deref(), env)?;
        if entry.provision != Provision::Off {
            return Err(invalid(
                key("provision"),
                "creating Odoo users is not available in this version",
                "set provision = \"off\" and create the users in Odoo",
            ));
        }
        let mut domains = Vec::new();
        for domain in entry.allowed_email_domains {
            let d = domain.trim().trim_start_matches('@').to_ascii_lowercase();
            if d.is_empty() || d.contains('@') || d.contains(' ') {
                return Err(invalid(key("allowed_email_domains"), format!("`{domain}` is not a domain"), "list bare domains like \"example.com\""));
            }
            domains.push(d);
        }
        odoo.push(OdooConfig {
            display_name: entry.display_name.unwrap_or_else(|| entry.database.clone()),
            id: entry.id,
            url,
            database: entry.database,
            api: OdooApiCredentials { login, key: api_key },
            link_by_email: entry.link_by_email,
            allowed_email_domains: domains,
            provision: entry.provision,
            odoo_provider_id: entry.odoo_provider_id,
        });
    }

    let mut seen = HashSet::new();
    let mut providers = Vec::new();
    for (index, entry) in file.provider.into_iter().enumerate() {
        let key = |k: &str| format!("provider[{index}].{k}");
        check_id(&key("id"), &entry.id)?;
        if !seen.insert(entry.id.clone()) {
            return Err(invalid(key("id"), format!("duplicate id `{}`", entry.id), "give every [[provider]] its own id"));
        }
        if entry.kind != ProviderKind::Oidc {
            return Err(invalid(
                key("kind"),
                format!("kind `{}` is not available in this version", entry.kind.as_str()),
                "use kind = \"oidc\" with the provider's issuer URL",
            ));
        }
        let issuer_text = entry.issuer.ok_or_else(|| {
            invalid(key("issuer"), "missing", "set issuer to the provider's OpenID issuer URL (its discovery document is at {issuer}/.well-known/openid-configuration)")
        })?;
        let issuer = Url::parse(&issuer_text)
            .map_err(|e| invalid(key("issuer"), format!("`{issuer_text}` is not a URL ({e})"), "write the full issuer URL, e.g. \"https://idp.example.com/realms/acme\""))?;
        require_secure(&key("issuer"), &issuer)?;
        if entry.client_id.trim().is_empty() {
            return Err(invalid(key("client_id"), "empty", "copy the client id from the provider's app registration"));
        }
        let client_secret = load_secret(&key("client_secret"), entry.client_secret_env.as_deref(), entry.client_secret_file.as_deref(), env)?;
        let mut scopes = entry.scopes.unwrap_or_else(|| vec!["email".into(), "profile".into()]);
        scopes.retain(|s| s != "openid");
        providers.push(ProviderConfig {
            display_name: entry.display_name.unwrap_or_else(|| entry.id.clone()),
            id: entry.id,
            kind: entry.kind,
            client_id: entry.client_id,
            client_secret,
            issuer,
            scopes,
        });
    }
    if providers.is_empty() {
        return Err(invalid("provider", "no [[provider]] entry", "add at least one [[provider]] table"));
    }

    Ok(Config { public_url, listen, store, odoo, providers })
}

fn check_id(key: &str, id: &str) -> Result<(), ConfigError> {
    let ok = !id.is_empty()
        && id.len() <= 63
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(invalid(key, format!("`{id}` is not a valid id"), "use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit"))
    }
}

fn parse_base_url(key: &str, text: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(text).map_err(|e| {
        invalid(key, format!("`{text}` is not a URL ({e})"), "write an absolute URL such as \"https://login.example.com\"")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid(key, format!("`{text}` is not an http(s) URL"), "write an absolute URL such as \"https://login.example.com\""));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(key, "it has a query or fragment", "remove everything after the path"));
    }
    if url.path() != "/" {
        return Err(invalid(key, format!("`{text}` has a path; the bridge and Odoo must be served at the root of their host"), "remove the path"));
    }
    Ok(url)
}

/// https everywhere except loopback, so local providers work in development and tests.
fn require_secure(key: &str, url: &Url) -> Result<(), ConfigError> {
    if url.scheme() == "https" || is_loopback(url) {
        Ok(())
    } else {
        Err(invalid(key, format!("`{url}` uses http on a non-loopback host"), "use https (http is only allowed for 127.0.0.1, ::1 and localhost)"))
    }
}

pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn parse_store(url: &str) -> Result<StoreConfig, ConfigError> {
    if let Some(rest) = url.strip_prefix("sqlite://") {
        if rest.is_empty() || rest == "/" {
            return Err(invalid("store.url", "no file path", "write sqlite://data/login-bridge.db or sqlite:///var/lib/login-bridge/bridge.db"));
        }
        // `sqlite:///abs` keeps its leading slash; `sqlite://rel` is relative to the working directory.
        return Ok(StoreConfig::Sqlite { path: PathBuf::from(rest) });
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Err(invalid("store.url", "PostgreSQL is not available in this version", "use sqlite://data/login-bridge.db"));
    }
    Err(invalid("store.url", format!("`{url}` is not a supported store URL"), "write sqlite://data/login-bridge.db"))
}

fn load_secret(
    key: &str,
    env_name: Option<&str>,
    file: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Secret, ConfigError> {
    match (env_name, file) {
        (Some(_), Some(_)) => Err(invalid(format!("{key}_env"), format!("both {key}_env and {key}_file are set"), "keep only one of them")),
        (Some(name), None) => match env(name) {
            Some(v) if !v.trim().is_empty() => Ok(Secret::new(v.trim())),
            _ => Err(invalid(format!("{key}_env"), format!("environment variable {name} is not set or empty"), format!("export {name}=… before starting the bridge"))),
        },
        (None, Some(path)) => match std::fs::read_to_string(path) {
            Ok(v) if !v.trim().is_empty() => Ok(Secret::new(v.trim())),
            Ok(_) => Err(invalid(format!("{key}_file"), format!("{} is empty", path.display()), "write the secret into that file")),
            Err(e) => Err(invalid(format!("{key}_file"), format!("cannot read {}: {e}", path.display()), "check the path and the file permissions")),
        },
        (None, None) => Err(invalid(format!("{key}_env"), "missing secret", format!("set {key}_env (an environment variable name) or {key}_file (a file path)"))),
    }
}
