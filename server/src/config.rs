//! The one TOML file that configures the bridge: parsing, validation and secret loading.
//! It must never accept an inline secret, and never print a secret's value.

use ipnet::IpNet;
use serde::Deserialize;
use std::{
    collections::{BTreeMap, HashSet},
    fmt,
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
};
use url::Url;

mod admin;
mod audit;
mod metrics;
mod sessions;
mod store;
pub use admin::AdminConfig;
pub use audit::AuditConfig;
pub use metrics::MetricsConfig;
pub use sessions::{parse_duration, SessionSettings};
pub use store::{StoreBackend, StoreCaps, StoreConfig};

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
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` is believed.
    #[serde(default)]
    trusted_proxies: Vec<String>,
    store: store::StoreFile,
    /// Request limits per client address.
    #[serde(default)]
    limits: LimitsFile,
    #[serde(default)]
    metrics: metrics::MetricsFile,
    #[serde(default)]
    audit: audit::AuditFile,
    #[serde(default)]
    odoo: Vec<OdooFile>,
    #[serde(default)]
    provider: Vec<ProviderFile>,
    /// `[admin]`: who may open `/admin`.
    #[serde(default)]
    admin: admin::AdminFile,
    /// Session lifetime and re-validation settings (config/sessions.rs).
    sessions: Option<sessions::SessionsFile>,
}

/// `[limits]`: every key optional; see `Limits` for the meaning and `Limits::default` for the values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct LimitsFile {
    per_ip_per_minute: u32,
    burst: u32,
    tokeninfo_per_minute: u32,
    tokeninfo_burst: u32,
}

impl Default for LimitsFile {
    fn default() -> Self {
        let d = Limits::default();
        Self { per_ip_per_minute: d.per_ip_per_minute, burst: d.burst, tokeninfo_per_minute: d.tokeninfo_per_minute, tokeninfo_burst: d.tokeninfo_burst }
    }
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
    #[serde(default)]
    default_groups: Vec<String>,
    #[serde(default)]
    group_mapping: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    sync_profile: bool,
    #[serde(default)]
    buttons: ButtonMode,
    #[serde(default)]
    subject: SubjectScheme,
    title: Option<String>,
    logo_url: Option<String>,
    accent_color: Option<String>,
    #[serde(default)]
    embed_origins: Vec<String>,
    #[serde(default)]
    tokeninfo_allowed_ips: Vec<String>,
    /// See `SessionSettings::max_session_age`.
    max_session_age: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderFile {
    id: String,
    kind: ProviderKind,
    display_name: Option<String>,
    icon: Option<String>,
    client_id: String,
    client_secret_env: Option<String>,
    client_secret_file: Option<PathBuf>,
    fallback_client_secret_env: Option<String>,
    fallback_client_secret_file: Option<PathBuf>,
    issuer: Option<String>,
    scopes: Option<Vec<String>>,
    // google
    hosted_domains: Option<Vec<String>>,
    // microsoft
    tenant: Option<String>,
    allowed_tenants: Option<Vec<String>>,
    authority: Option<String>,
    // github, gitlab (self-hosted)
    base_url: Option<String>,
    api_url: Option<String>,
    allowed_organizations: Option<Vec<String>>,
    // facebook
    graph_url: Option<String>,
    // oidc
    claims: Option<ClaimMapping>,
    #[serde(default)]
    email_domains: Vec<String>,
    /// See `SessionSettings::revalidate_every`.
    revalidate_every: Option<String>,
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
    /// Where pending flows, tokens and identity links live (SQLite, or PostgreSQL shared by
    /// several bridges), and the caps on the short-lived tables.
    pub store: StoreConfig,
    /// The Odoo databases this bridge signs people in to.
    pub odoo: Vec<OdooConfig>,
    /// The upstream identity providers, in button order.
    pub providers: Vec<ProviderConfig>,
    /// How many requests one client address may make.
    pub limits: Limits,
    /// Reverse proxies whose `X-Forwarded-For` names the client: the right-most address in it
    /// that is not itself a trusted proxy is the client. Empty = the TCP peer is the client.
    pub trusted_proxies: Vec<IpNet>,
    /// Who may open the `/admin` dashboard (`[admin] emails`); empty = no dashboard.
    pub admin: AdminConfig,
    /// Who may read `GET /metrics`.
    pub metrics: MetricsConfig,
    /// How long audit rows are kept.
    pub audit: AuditConfig,
    /// Session lifetime (`max_session_age`) and upstream re-validation (`revalidate_every`).
    pub sessions: SessionSettings,
}

/// Requests per client address (the TCP peer, or the address a trusted proxy forwarded).
/// A client over a limit gets 429 with `Retry-After`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Sign-in requests (`/login…`, `/callback/…`, `/odoo/authorize…`, all counted together)
    /// per address and minute; 0 = no limit (only when the reverse proxy limits instead).
    pub per_ip_per_minute: u32,
    /// How many sign-in requests an address may make at once before the per-minute pace applies.
    pub burst: u32,
    /// `/odoo/tokeninfo` calls per address and minute (Odoo calls it once per login, from its
    /// server's address); 0 = no limit.
    pub tokeninfo_per_minute: u32,
    /// How many tokeninfo calls an address may make at once before the per-minute pace applies.
    pub tokeninfo_burst: u32,
}

impl Default for Limits {
    /// A sign-in takes two or three limited requests: 60 a minute with 20 at once lets an office
    /// behind one address in and stops scripted floods.
    fn default() -> Self {
        Self { per_ip_per_minute: 60, burst: 20, tokeninfo_per_minute: 120, tokeninfo_burst: 40 }
    }
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
    /// Technical user and API key for the external API; `None` = no API access.
    pub api: Option<OdooApiCredentials>,
    /// Link people to existing Odoo users by their verified email.
    pub link_by_email: bool,
    /// Only emails in these domains may sign in; empty = any.
    pub allowed_email_domains: Vec<String>,
    /// Who may be created when no account matches.
    pub provision: Provision,
    /// The `auth.oauth.provider` record that points at the bridge, when not looked up.
    pub odoo_provider_id: Option<i64>,
    /// Odoo groups (XML ids like `base.group_portal`) every provisioned user gets.
    pub default_groups: Vec<String>,
    /// Provider group/role value → Odoo groups (XML ids) added at each login.
    pub group_mapping: BTreeMap<String, Vec<String>>,
    /// Keep the Odoo user's name and email equal to the provider's at each login.
    pub sync_profile: bool,
    /// What `setup` creates in Odoo: one button per provider, or one "Sign in with SSO" button.
    pub buttons: ButtonMode,
    /// The subject Odoo sees when the bridge has no API access (it cannot write links itself).
    pub subject: SubjectScheme,
    /// Heading of the provider page for this Odoo (default: `display_name`).
    pub title: Option<String>,
    /// Logo shown above the heading (https, or http on loopback), e.g. `{odoo}/web/binary/company_logo`.
    pub logo_url: Option<Url>,
    /// Accent colour, `#rrggbb`: focus ring, hover borders and the email form's button.
    pub accent_color: Option<String>,
    /// Origins allowed to frame `/embed` for this Odoo besides the origin of `url`
    /// (e.g. a website on another domain): `https://www.example.com`.
    pub embed_origins: Vec<String>,
    /// Client addresses (or CIDR ranges) allowed to call `/odoo/tokeninfo` for this Odoo's
    /// tokens, normally Odoo's server; empty = any.
    pub tokeninfo_allowed_ips: Vec<IpNet>,
}

/// The login buttons `login-bridge setup` puts on Odoo's login page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ButtonMode {
    /// One `auth.oauth.provider` per upstream provider, straight to it.
    #[default]
    PerProvider,
    /// One "Sign in with SSO" record that opens the bridge's provider page.
    Single,
}

/// How the bridge names a person to an Odoo it cannot write to (no external API).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectScheme {
    /// The verified email, lower-cased: admins fill `oauth_uid` with each user's email.
    #[default]
    Email,
    /// `{provider id}:{provider subject}`: for people without a stable email.
    ProviderSubject,
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
    /// Whether `ip` may redeem this Odoo's tokens at `/odoo/tokeninfo`.
    pub fn tokeninfo_allows(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.tokeninfo_allowed_ips.is_empty() || self.tokeninfo_allowed_ips.iter().any(|net| net.contains(&ip))
    }
    /// Every origin that may frame `/embed` for this Odoo: its own, then `embed_origins`.
    pub fn frame_origins(&self) -> Vec<String> {
        let mut origins = vec![self.url.origin().ascii_serialization()];
        origins.extend(self.embed_origins.iter().filter(|o| !origins.contains(o)).cloned().collect::<Vec<_>>());
        origins
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
    /// Built-in logo shown on the button (`google`, `microsoft`, `github`, `facebook`, `gitlab`, `openid`, `none`).
    pub icon: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// A second secret for rotating `client_secret` without downtime
    /// (`fallback_client_secret_env` / `_file`): tried only when the provider refuses
    /// `client_secret` as `invalid_client`. Remove it once the old secret is deleted upstream.
    pub fallback_client_secret: Option<Secret>,
    /// Scopes requested (besides `openid` for OpenID Connect kinds).
    pub scopes: Vec<String>,
    /// Where the provider lives and what only this kind needs.
    pub settings: KindSettings,
    /// Email domains whose people sign in here: "type your work email" sends them to this
    /// provider (a domain also covers its subdomains). Empty = not offered by email.
    pub email_domains: Vec<String>,
}

/// Which claim carries what, for `kind = "oidc"` providers that name them differently.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimMapping {
    /// Claim with the email address (default `email`).
    #[serde(default = "claim_email")]
    pub email: String,
    /// Claim saying the email is verified (default `email_verified`).
    #[serde(default = "claim_email_verified")]
    pub email_verified: String,
    /// Claim with the display name (default `name`).
    #[serde(default = "claim_name")]
    pub name: String,
    /// Claim with the person's groups or roles (default `groups`).
    #[serde(default = "claim_groups")]
    pub groups: String,
}

fn claim_email() -> String {
    "email".into()
}
fn claim_email_verified() -> String {
    "email_verified".into()
}
fn claim_name() -> String {
    "name".into()
}
fn claim_groups() -> String {
    "groups".into()
}

impl Default for ClaimMapping {
    fn default() -> Self {
        Self { email: claim_email(), email_verified: claim_email_verified(), name: claim_name(), groups: claim_groups() }
    }
}

/// Per-kind settings, with every endpoint already resolved from defaults or overrides.
#[derive(Debug, Clone)]
pub enum KindSettings {
    /// Google: OpenID Connect; `hd` must be one of `hosted_domains` when that list is set.
    Google { issuer: Url, hosted_domains: Vec<String> },
    /// Microsoft Entra ID v2: discovery under `{authority}/{tenant}/v2.0`, issuer per tenant.
    Microsoft { authority: Url, tenant: String, allowed_tenants: Vec<String> },
    /// GitHub (or GitHub Enterprise): plain OAuth 2.0 plus the REST API.
    Github { web_url: Url, api_url: Url, allowed_organizations: Vec<String> },
    /// Facebook Login: plain OAuth 2.0 plus the Graph API.
    Facebook { dialog_url: Url, graph_url: Url },
    /// GitLab.com or self-hosted GitLab: OpenID Connect.
    Gitlab { issuer: Url },
    /// Any OpenID Connect provider by discovery.
    Oidc { issuer: Url, claims: ClaimMapping },
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
        let file: ConfigFile = toml::from_str(text).map_err(|e| parse_error(path, text, &e))?;
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

    /// Things that are allowed but will not work as the admin expects; printed at start.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for p in &self.providers {
            if p.kind == ProviderKind::Facebook && !self.secure_cookies() {
                warnings.push(format!(
                    "provider `{}`: Facebook only accepts https redirect URIs, and {} is not; set public_url to an https URL",
                    p.id,
                    self.redirect_uri(&p.id)
                ));
            }
        }
        warnings.extend(store::warnings(&self.store));
        for (key, rate) in [("per_ip_per_minute", self.limits.per_ip_per_minute), ("tokeninfo_per_minute", self.limits.tokeninfo_per_minute)] {
            if rate == 0 {
                warnings.push(format!("[limits] {key} = 0: no request limit on these routes; make sure the reverse proxy limits them"));
            }
        }
        warnings
    }

    /// Cookies get the `__Host-` prefix when the bridge is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

/// Inline secrets would end up in backups and screenshots; say so instead of "unknown field".
/// The TOML error's message and position, without the quoted source line the crate's own
/// text includes: that line may hold a secret (an inline one with a typo, a secret file passed
/// as the config).
fn parse_error(path: &Path, text: &str, error: &toml::de::Error) -> ConfigError {
    let position = error.span().map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!(" (line {line}, column {column})")
    });
    ConfigError::Parse { path: path.to_path_buf(), message: format!("{}{}", error.message().trim_end(), position.unwrap_or_default()) }
}

fn refuse_inline_secrets(text: &str, path: &Path) -> Result<(), ConfigError> {
    let value: toml::Value = toml::from_str(text).map_err(|e| parse_error(path, text, &e))?;
    for (table, secret) in [("odoo", "api_key"), ("provider", "client_secret"), ("provider", "fallback_client_secret")] {
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
    if value.get("store").and_then(|s| s.get("password")).is_some() {
        return Err(invalid(
            "store.password",
            "secrets are never accepted inline in the config file",
            "put the password in an environment variable named by `password_env`, or in a file named by `password_file`",
        ));
    }
    Ok(())
}

fn validate(file: ConfigFile, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    let public_url = parse_base_url("public_url", &file.public_url)?;
    let listen: SocketAddr = file.listen.parse().map_err(|_| {
        invalid("listen", format!("`{}` is not an address:port", file.listen), "write it like \"127.0.0.1:3000\" or \"0.0.0.0:3000\"")
    })?;
    let store = store::parse_store(file.store, env)?;
    let trusted_proxies = ip_list("trusted_proxies", &file.trusted_proxies)?;
    if let Some(all) = trusted_proxies.iter().find(|net| net.prefix_len() == 0) {
        return Err(invalid("trusted_proxies", format!("`{all}` trusts every address, so any client could say who it is"), "list only the addresses of your reverse proxies, e.g. [\"127.0.0.1\"]"));
    }
    let limits = check_limits(&file.limits)?;
    let metrics = metrics::parse_metrics(file.metrics)?;
    let audit = audit::parse_audit(file.audit);
    let mut session_settings = sessions::parse_sessions(file.sessions, env)?;

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
        // No api_login and no key: "no external API" mode (Odoo Online without a Custom plan).
        let has_key = entry.api_key_env.is_some() || entry.api_key_file.is_some();
        let api = match entry.api_login.filter(|l| !l.trim().is_empty()) {
            Some(login) => Some(OdooApiCredentials {
                login,
                key: load_secret(&key("api_key"), entry.api_key_env.as_deref(), entry.api_key_file.as_deref(), env)?,
            }),
            None if has_key => {
                return Err(invalid(key("api_login"), "an API key is set but no api_login", "set api_login to the login of the user the API key belongs to"));
            }
            None => None,
        };
        if api.is_none() {
            if entry.odoo_provider_id.is_none() {
                return Err(invalid(
                    key("odoo_provider_id"),
                    "without API access (no api_login) the bridge cannot look up Odoo's provider record",
                    "set odoo_provider_id to the id of the auth.oauth.provider record, or give the bridge an API key",
                ));
            }
            if entry.provision != Provision::Off {
                return Err(invalid(key("provision"), "creating users needs API access", "set api_login and api_key_env, or provision = \"off\""));
            }
        }
        for xml_id in entry.default_groups.iter().chain(entry.group_mapping.values().flatten()) {
            if xml_id.split_once('.').is_none_or(|(module, name)| module.is_empty() || name.is_empty()) {
                return Err(invalid(key("default_groups"), format!("`{xml_id}` is not an XML id"), "write groups as module.name, e.g. \"base.group_portal\""));
            }
        }
        let domains = email_domains(&key("allowed_email_domains"), entry.allowed_email_domains)?;
        let logo_url = match entry.logo_url {
            Some(text) => {
                let url = Url::parse(&text).map_err(|e| invalid(key("logo_url"), format!("`{text}`: {e}"), "write a full URL like \"https://erp.example.com/web/binary/company_logo\""))?;
                require_secure(&key("logo_url"), &url)?;
                Some(url)
            }
            None => None,
        };
        let accent_color = entry.accent_color.map(|c| parse_colour(&key("accent_color"), &c)).transpose()?;
        let embed_origins = entry.embed_origins.iter().map(|o| parse_origin(&key("embed_origins"), o)).collect::<Result<Vec<_>, _>>()?;
        let tokeninfo_allowed_ips = ip_list(&key("tokeninfo_allowed_ips"), &entry.tokeninfo_allowed_ips)?;
        sessions::odoo_max_age(&mut session_settings, &key("max_session_age"), &entry.id, entry.max_session_age.as_deref(), api.is_some())?;
        odoo.push(OdooConfig {
            display_name: entry.display_name.unwrap_or_else(|| entry.database.clone()),
            id: entry.id,
            url,
            database: entry.database,
            api,
            link_by_email: entry.link_by_email,
            allowed_email_domains: domains,
            provision: entry.provision,
            odoo_provider_id: entry.odoo_provider_id,
            default_groups: entry.default_groups,
            group_mapping: entry.group_mapping,
            sync_profile: entry.sync_profile,
            buttons: entry.buttons,
            subject: entry.subject,
            title: entry.title.filter(|t| !t.trim().is_empty()),
            logo_url,
            accent_color,
            embed_origins,
            tokeninfo_allowed_ips,
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
        if entry.client_id.trim().is_empty() {
            return Err(invalid(key("client_id"), "empty", "copy the client id from the provider's app registration"));
        }
        let client_secret = load_secret(&key("client_secret"), entry.client_secret_env.as_deref(), entry.client_secret_file.as_deref(), env)?;
        let fallback_client_secret = match (&entry.fallback_client_secret_env, &entry.fallback_client_secret_file) {
            (None, None) => None,
            (env_name, file) => Some(load_secret(&key("fallback_client_secret"), env_name.as_deref(), file.as_deref(), env)?),
        };
        let defaults = crate::upstream::kinds::defaults(entry.kind);
        let settings = kind_settings(&entry, &key)?;
        let mut scopes = entry.scopes.clone().unwrap_or_else(|| defaults.scopes.iter().map(|s| s.to_string()).collect());
        scopes.retain(|s| s != "openid");
        if let KindSettings::Github { allowed_organizations, .. } = &settings {
            // Checking membership needs the org scope; add it rather than fail at login.
            if !allowed_organizations.is_empty() && !scopes.iter().any(|s| s == "read:org") {
                scopes.push("read:org".into());
            }
        }
        let icon = entry.icon.clone().unwrap_or_else(|| defaults.icon.to_string());
        if !crate::upstream::kinds::ICONS.contains(&icon.as_str()) {
            return Err(invalid(key("icon"), format!("unknown icon `{icon}`"), format!("use one of {}", crate::upstream::kinds::ICONS.join(", "))));
        }
        let email_domains = email_domains(&key("email_domains"), entry.email_domains.clone())?;
        sessions::provider_revalidate(&mut session_settings, &key("revalidate_every"), &entry.id, entry.kind, entry.revalidate_every.as_deref())?;
        providers.push(ProviderConfig {
            email_domains,
            display_name: entry.display_name.clone().unwrap_or_else(|| defaults.display_name.unwrap_or(&entry.id).to_string()),
            icon,
            id: entry.id,
            kind: entry.kind,
            client_id: entry.client_id,
            client_secret,
            fallback_client_secret,
            scopes,
            settings,
        });
    }
    if providers.is_empty() {
        return Err(invalid("provider", "no [[provider]] entry", "add at least one [[provider]] table"));
    }

    let admin = admin::parse_admin(file.admin)?;
    Ok(Config { public_url, listen, store, odoo, providers, limits, trusted_proxies, admin, metrics, audit, sessions: session_settings })
}

/// Addresses (`10.0.0.5`, `::1`) and CIDR ranges (`10.1.0.0/16`), as ranges.
fn ip_list(key: &str, list: &[String]) -> Result<Vec<IpNet>, ConfigError> {
    list.iter()
        .map(|text| {
            let t = text.trim();
            t.parse::<IpNet>()
                .map(|net| net.trunc())
                .or_else(|_| t.parse::<IpAddr>().map(|ip| IpNet::from(ip.to_canonical())))
                .map_err(|_| invalid(key, format!("`{text}` is not an IP address or range"), "write addresses like \"10.0.0.5\" or ranges like \"10.1.0.0/16\""))
        })
        .collect()
}

/// A limit is off (0) or lets at least one request through at once.
fn check_limits(file: &LimitsFile) -> Result<Limits, ConfigError> {
    for (rate_key, rate, burst_key, burst) in [
        ("per_ip_per_minute", file.per_ip_per_minute, "burst", file.burst),
        ("tokeninfo_per_minute", file.tokeninfo_per_minute, "tokeninfo_burst", file.tokeninfo_burst),
    ] {
        if rate > 0 && burst == 0 {
            return Err(invalid(format!("limits.{burst_key}"), "0 would refuse every request", format!("set {burst_key} to at least 1 (default {}), or {rate_key} = 0 to turn the limit off", if burst_key == "burst" { Limits::default().burst } else { Limits::default().tokeninfo_burst })));
        }
    }
    Ok(Limits { per_ip_per_minute: file.per_ip_per_minute, burst: file.burst, tokeninfo_per_minute: file.tokeninfo_per_minute, tokeninfo_burst: file.tokeninfo_burst })
}

/// Bare, lower-cased email domains (`@example.com` and `Example.COM` are accepted as written by people).
fn email_domains(key: &str, list: Vec<String>) -> Result<Vec<String>, ConfigError> {
    list.into_iter()
        .map(|domain| {
            let d = domain.trim().trim_start_matches('@').to_ascii_lowercase();
            if d.is_empty() || !d.contains('.') || d.contains(['@', ' ', '/']) {
                return Err(invalid(key, format!("`{domain}` is not a domain"), "list bare domains like \"example.com\""));
            }
            Ok(d)
        })
        .collect()
}

/// `#rgb` or `#rrggbb`, returned as `#rrggbb`: it goes into a stylesheet, so nothing else passes.
fn parse_colour(key: &str, text: &str) -> Result<String, ConfigError> {
    let hex = text.trim().strip_prefix('#').unwrap_or("");
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => String::new(),
    };
    if full.is_empty() || !full.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(invalid(key, format!("`{text}` is not a colour"), "write it as #rrggbb, e.g. \"#714b67\""));
    }
    Ok(format!("#{}", full.to_ascii_lowercase()))
}

/// `scheme://host[:port]` with nothing after it; https, or http on loopback.
fn parse_origin(key: &str, text: &str) -> Result<String, ConfigError> {
    let url = Url::parse(text).map_err(|e| invalid(key, format!("`{text}`: {e}"), "write an origin like \"https://www.example.com\""))?;
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() || !url.has_host() {
        return Err(invalid(key, format!("`{text}` is not an origin"), "write only scheme, host and port, like \"https://www.example.com\""));
    }
    require_secure(key, &url)?;
    Ok(url.origin().ascii_serialization())
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

/// Resolves a provider's endpoints from its kind's defaults and the admin's overrides, and
/// refuses settings that belong to another kind (they would silently do nothing).
fn kind_settings(entry: &ProviderFile, key: &dyn Fn(&str) -> String) -> Result<KindSettings, ConfigError> {
    let kind = entry.kind;
    let foreign = |name: &str, present: bool| -> Result<(), ConfigError> {
        if present {
            Err(invalid(key(name), format!("`{name}` does not apply to kind `{}`", kind.as_str()), format!("remove `{name}` from this [[provider]]")))
        } else {
            Ok(())
        }
    };
    let url = |name: &str, value: Option<&String>, default: &str| -> Result<Url, ConfigError> {
        let text = value.map(String::as_str).unwrap_or(default);
        let parsed = Url::parse(text).map_err(|e| invalid(key(name), format!("`{text}` is not a URL ({e})"), "write a full https URL"))?;
        if parsed.host_str().is_none() || !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid(key(name), format!("`{text}` is not an http(s) URL"), "write a full https URL"));
        }
        require_secure(&key(name), &parsed)?;
        Ok(parsed)
    };
    let lower = |v: &Option<Vec<String>>| v.clone().unwrap_or_default().into_iter().map(|d| d.trim().to_ascii_lowercase()).collect::<Vec<_>>();
    let is_google = kind == ProviderKind::Google;
    let is_microsoft = kind == ProviderKind::Microsoft;
    let is_github = kind == ProviderKind::Github;
    foreign("hosted_domains", entry.hosted_domains.is_some() && !is_google)?;
    foreign("tenant", entry.tenant.is_some() && !is_microsoft)?;
    foreign("allowed_tenants", entry.allowed_tenants.is_some() && !is_microsoft)?;
    foreign("authority", entry.authority.is_some() && !is_microsoft)?;
    foreign("api_url", entry.api_url.is_some() && !is_github)?;
    foreign("allowed_organizations", entry.allowed_organizations.is_some() && !is_github)?;
    foreign("base_url", entry.base_url.is_some() && !matches!(kind, ProviderKind::Github | ProviderKind::Gitlab | ProviderKind::Facebook))?;
    foreign("graph_url", entry.graph_url.is_some() && kind != ProviderKind::Facebook)?;
    foreign("claims", entry.claims.is_some() && kind != ProviderKind::Oidc)?;
    foreign("issuer", entry.issuer.is_some() && matches!(kind, ProviderKind::Github | ProviderKind::Facebook | ProviderKind::Microsoft))?;

    Ok(match kind {
        ProviderKind::Google => KindSettings::Google {
            issuer: url("issuer", entry.issuer.as_ref(), "https://accounts.google.com")?,
            hosted_domains: lower(&entry.hosted_domains),
        },
        ProviderKind::Microsoft => {
            let tenant = entry.tenant.clone().ok_or_else(|| {
                invalid(key("tenant"), "missing", "set tenant to your directory (tenant) id, or \"organizations\", \"common\" or \"consumers\"")
            })?;
            if tenant.is_empty() || !tenant.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
                return Err(invalid(key("tenant"), format!("`{tenant}` is not a tenant"), "use a tenant id (GUID), a verified domain, \"organizations\", \"common\" or \"consumers\""));
            }
            KindSettings::Microsoft {
                authority: url("authority", entry.authority.as_ref(), "https://login.microsoftonline.com")?,
                tenant,
                allowed_tenants: lower(&entry.allowed_tenants),
            }
        }
        ProviderKind::Github => {
            let web_url = url("base_url", entry.base_url.as_ref(), "https://github.com")?;
            // GitHub Enterprise serves its API under /api/v3 of the web host.
            let default_api = if entry.base_url.is_some() {
                format!("{}/api/v3", web_url.as_str().trim_end_matches('/'))
            } else {
                "https://api.github.com".into()
            };
            KindSettings::Github {
                api_url: url("api_url", entry.api_url.as_ref(), &default_api)?,
                web_url,
                allowed_organizations: lower(&entry.allowed_organizations),
            }
        }
        ProviderKind::Facebook => KindSettings::Facebook {
            dialog_url: url("base_url", entry.base_url.as_ref(), "https://www.facebook.com")?,
            graph_url: url("graph_url", entry.graph_url.as_ref(), "https://graph.facebook.com")?,
        },
        ProviderKind::Gitlab => KindSettings::Gitlab {
            issuer: url("issuer", entry.issuer.as_ref().or(entry.base_url.as_ref()), "https://gitlab.com")?,
        },
        ProviderKind::Oidc => {
            let text = entry.issuer.as_ref().ok_or_else(|| {
                invalid(key("issuer"), "missing", "set issuer to the provider's OpenID issuer URL (its discovery document is at {issuer}/.well-known/openid-configuration)")
            })?;
            KindSettings::Oidc { issuer: url("issuer", Some(text), "")?, claims: entry.claims.clone().unwrap_or_default() }
        }
    })
}
