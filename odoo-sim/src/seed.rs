// Owns: the seed file format (what the simulated database starts with), its loading and validation.
// Must never hold live state: the running database is built from a Seed by `db::Database::from_seed`.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The seed shipped with the crate: the setup the Odoo 18 transcripts were recorded against.
pub const TRANSCRIPTS_SEED_JSON: &str = include_str!("../seeds/transcripts.json");

/// Everything the simulated Odoo database starts with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Seed {
    /// Odoo release to simulate: "18.0" (default), "17.0", "16.0", "15.0", "19.0".
    #[serde(default = "default_version")]
    pub version: String,
    /// Overrides `server_version` ("18.0-20250506" by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_version: Option<String>,
    /// The only database of the server.
    pub database: String,
    /// Odoo's `--db-filter` (`%h`/`%d` supported); absent = every database passes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dbfilter: Option<String>,
    /// Names of further (empty) databases on the same server. They only count where Odoo picks
    /// a database for a request: with more than one passing the dbfilter, JSON-2 calls need an
    /// `X-Odoo-Database` header.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_databases: Vec<String>,
    /// Whether the plan includes the external API (default true). `false` is an Odoo Online
    /// database without a "Custom" plan: `/jsonrpc` authenticate/execute_kw and `/json/2/*` are
    /// refused, sign-in and sessions keep working.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub external_api: bool,
    /// `auth_signup.invitation_scope`: "b2b" / "b2c", or "none" when auth_signup is not installed.
    #[serde(default = "default_signup")]
    pub signup: SignupScope,
    pub users: Vec<SeedUser>,
    /// Groups; missing standard ones (1 Internal User, 2 Access Rights, 3 Settings,
    /// 7-9 default extras, 10 Portal, 11 Public) are added.
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    #[serde(default)]
    pub providers: Vec<SeedProvider>,
    /// `ir.config_parameter` values.
    #[serde(default)]
    pub config_parameters: BTreeMap<String, String>,
    /// Module name → state ("installed", "uninstalled", …).
    #[serde(default)]
    pub modules: BTreeMap<String, String>,
    /// Name of the main company (default "My Company").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// The language of the public login page, Odoo's `request.env.lang` there (default "en_US").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignupScope {
    /// Only invited users may sign up: unknown OAuth users get oauth_error=3.
    B2b,
    /// Free sign-up: unknown OAuth users become portal users (login = email).
    B2c,
    /// auth_signup is not installed: unknown OAuth users get oauth_error=1.
    None,
}

impl SignupScope {
    pub fn as_param(self) -> Option<&'static str> {
        match self {
            SignupScope::B2b => Some("b2b"),
            SignupScope::B2c => Some("b2c"),
            SignupScope::None => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedUser {
    pub id: i64,
    pub login: String,
    #[serde(default, deserialize_with = "string_or_false", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub name: String,
    /// Portal (true) or internal (false) when `groups` is not given.
    #[serde(default)]
    pub share: bool,
    #[serde(default, deserialize_with = "string_or_false", skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_keys: Vec<String>,
    /// Member of Administration / Access Rights and / Settings.
    #[serde(default)]
    pub admin: bool,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "int_or_false", skip_serializing_if = "Option::is_none")]
    pub oauth_provider_id: Option<i64>,
    #[serde(default, deserialize_with = "string_or_false", skip_serializing_if = "Option::is_none")]
    pub oauth_uid: Option<String>,
    #[serde(default, deserialize_with = "string_or_false", skip_serializing_if = "Option::is_none")]
    pub oauth_access_token: Option<String>,
    /// res.partner id (default: user id + 1, as on a fresh Odoo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<i64>,
    /// res.users.settings id shown in session info (default: the user id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedGroup {
    pub id: i64,
    /// "Category / Name", e.g. "User types / Portal".
    pub full_name: String,
    /// XML id "module.name" (standard groups keep theirs, e.g. base.group_portal, when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xml_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SeedProvider {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default, deserialize_with = "string_or_false")]
    pub client_id: Option<String>,
    pub auth_endpoint: String,
    pub validation_endpoint: String,
    #[serde(default, deserialize_with = "string_or_false")]
    pub data_endpoint: Option<String>,
    #[serde(default = "default_scope", deserialize_with = "string_or_false")]
    pub scope: Option<String>,
    pub body: String,
    #[serde(default = "default_css_class", deserialize_with = "string_or_false")]
    pub css_class: Option<String>,
    #[serde(default = "default_sequence")]
    pub sequence: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read seed file {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("seed is not valid JSON for the seed format: {0}")]
    Json(#[from] serde_json::Error),
    #[error("invalid seed: {0}")]
    Invalid(String),
}

impl Seed {
    pub fn from_file(path: impl AsRef<Path>) -> Result<Seed, SeedError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|source| SeedError::Io { path: path.display().to_string(), source })?;
        Seed::from_json_str(&text)
    }

    pub fn from_json_str(text: &str) -> Result<Seed, SeedError> {
        let seed: Seed = serde_json::from_str(text)?;
        seed.validate()?;
        Ok(seed)
    }

    /// The setup of the recorded Odoo 18 transcripts (database acme, admin 2, alice 6, bob 7,
    /// provider 4 "Bridge" and stock providers 1-3 disabled).
    pub fn transcripts() -> Seed {
        match Seed::from_json_str(TRANSCRIPTS_SEED_JSON) {
            Ok(seed) => seed,
            Err(e) => panic!("the bundled seeds/transcripts.json is broken: {e}"),
        }
    }

    pub fn provider_mut(&mut self, id: i64) -> Option<&mut SeedProvider> {
        self.providers.iter_mut().find(|p| p.id == id)
    }

    pub fn user_mut(&mut self, id: i64) -> Option<&mut SeedUser> {
        self.users.iter_mut().find(|u| u.id == id)
    }

    /// Checks ids, uniqueness rules and the dbfilter; called by every loader.
    pub fn validate(&self) -> Result<(), SeedError> {
        let bad = |m: String| Err(SeedError::Invalid(m));
        crate::version::OdooVersion::parse(&self.version, self.server_version.as_deref())
            .map_err(SeedError::Invalid)?;
        if self.database.is_empty() {
            return bad("database must not be empty".into());
        }
        if let Some(f) = &self.dbfilter {
            regex::Regex::new(f).map_err(|e| SeedError::Invalid(format!("dbfilter: {e}")))?;
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut logins = std::collections::BTreeSet::new();
        let mut links = std::collections::BTreeSet::new();
        for u in &self.users {
            if u.id <= 0 || !seen.insert(u.id) {
                return bad(format!("user id {} is not positive or not unique", u.id));
            }
            if u.login.is_empty() || !logins.insert(u.login.clone()) {
                return bad(format!("user login {:?} is empty or not unique", u.login));
            }
            if let (Some(p), Some(uid)) = (u.oauth_provider_id, &u.oauth_uid) {
                if !links.insert((p, uid.clone())) {
                    return bad(format!("oauth_uid {uid:?} is used twice for provider {p}"));
                }
            }
            if let Some(p) = u.oauth_provider_id {
                if !self.providers.iter().any(|x| x.id == p) {
                    return bad(format!("user {} refers to unknown provider {p}", u.id));
                }
            }
        }
        let mut pids = std::collections::BTreeSet::new();
        for p in &self.providers {
            if p.id <= 0 || !pids.insert(p.id) {
                return bad(format!("provider id {} is not positive or not unique", p.id));
            }
        }
        let mut gids = std::collections::BTreeSet::new();
        let mut xml_ids = std::collections::BTreeSet::new();
        for g in &self.groups {
            if g.id <= 0 || !gids.insert(g.id) {
                return bad(format!("group id {} is not positive or not unique", g.id));
            }
            if let Some(x) = &g.xml_id {
                if split_xml_id(x).is_none() {
                    return bad(format!("group {} has xml_id {x:?}, expected \"module.name\"", g.id));
                }
                if !xml_ids.insert(x.clone()) {
                    return bad(format!("xml_id {x:?} is used twice"));
                }
            }
        }
        if self.other_databases.iter().any(|d| d.is_empty() || *d == self.database) {
            return bad("other_databases must be non-empty names other than database".into());
        }
        Ok(())
    }
}

/// `"module.name"` → `("module", "name")`; both parts non-empty, the name without dots.
pub fn split_xml_id(xml_id: &str) -> Option<(&str, &str)> {
    let (module, name) = xml_id.split_once('.')?;
    (!module.is_empty() && !name.is_empty() && !name.contains('.')).then_some((module, name))
}

fn is_true(b: &bool) -> bool {
    *b
}

fn default_version() -> String {
    "18.0".into()
}
fn default_signup() -> SignupScope {
    SignupScope::B2b
}
fn yes() -> bool {
    true
}
fn default_scope() -> Option<String> {
    Some("openid profile email".into())
}
fn default_css_class() -> Option<String> {
    Some("fa fa-fw fa-sign-in text-primary".into())
}
fn default_sequence() -> i64 {
    10
}

/// Accepts a string, `null` or Odoo's `false` for an empty Char field.
fn string_or_false<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(Some(s)),
        serde_json::Value::Null | serde_json::Value::Bool(false) => Ok(None),
        other => Err(serde::de::Error::custom(format!("expected a string or false, got {other}"))),
    }
}

/// Accepts an integer, `null` or `false` for an empty Many2one.
fn int_or_false<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("expected an integer id")),
        serde_json::Value::Null | serde_json::Value::Bool(false) => Ok(None),
        other => Err(serde::de::Error::custom(format!("expected an id or false, got {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_transcripts_seed_loads() {
        let seed = Seed::transcripts();
        assert_eq!(seed.database, "acme");
        assert_eq!(seed.providers.len(), 4);
    }

    #[test]
    fn duplicate_oauth_link_is_rejected() {
        let mut seed = Seed::transcripts();
        if let Some(bob) = seed.user_mut(7) {
            bob.oauth_provider_id = Some(4);
            bob.oauth_uid = Some("alice-sub".into());
        }
        assert!(seed.validate().is_err());
    }
}
