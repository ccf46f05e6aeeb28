//! The pure half of `setup`: the records and parameters Odoo should hold for this config,
//! compared with what it holds. It must never talk to Odoo or print; `setup` reads, prints, applies.

use crate::config::{ButtonMode, Config, OdooConfig, ProviderConfig};
use std::{collections::HashSet, fmt};

/// What Odoo asks the provider for; the bridge ignores it, but Odoo's form requires something.
pub const SCOPE: &str = "openid profile email";
/// Odoo 16+ sends the token in an `Authorization` header (not the URL) when this is set.
pub const AUTHORIZATION_HEADER: &str = "auth_oauth.authorization_header";
pub const AUTHORIZATION_HEADER_VALUE: &str = "1";
/// `b2c` = anyone may sign up; an unknown OAuth user becomes a portal user.
pub const INVITATION_SCOPE: &str = "auth_signup.invitation_scope";
/// The first Odoo release with `auth_oauth.authorization_header`.
pub const FIRST_AUTHORIZATION_HEADER_RELEASE: i64 = 16;
/// The oldest release whose `auth_oauth` the bridge was checked against.
pub const OLDEST_KNOWN_RELEASE: i64 = 15;

/// An `auth.oauth.provider` record as setup wants it (always enabled, never a data endpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredRecord {
    /// The upstream provider the button goes straight to; `None` for the "Sign in with SSO" one.
    pub provider_id: Option<String>,
    pub name: String,
    pub client_id: String,
    pub auth_endpoint: String,
    pub validation_endpoint: String,
    pub scope: String,
    pub body: String,
    pub css_class: String,
    pub sequence: i64,
}

impl DesiredRecord {
    /// Every field setup manages, in the order Odoo's form shows them.
    pub fn fields(&self) -> Vec<(&'static str, FieldValue)> {
        vec![
            ("name", FieldValue::text(&self.name)),
            ("client_id", FieldValue::text(&self.client_id)),
            ("enabled", FieldValue::Flag(true)),
            ("auth_endpoint", FieldValue::text(&self.auth_endpoint)),
            ("validation_endpoint", FieldValue::text(&self.validation_endpoint)),
            ("data_endpoint", FieldValue::Text(None)),
            ("scope", FieldValue::text(&self.scope)),
            ("body", FieldValue::text(&self.body)),
            ("css_class", FieldValue::text(&self.css_class)),
            ("sequence", FieldValue::Number(Some(self.sequence))),
        ]
    }
}

/// An `auth.oauth.provider` record as Odoo holds it; Char fields Odoo prints as `false` are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingRecord {
    pub id: i64,
    pub name: String,
    pub enabled: bool,
    pub client_id: Option<String>,
    pub auth_endpoint: String,
    pub validation_endpoint: Option<String>,
    pub data_endpoint: Option<String>,
    pub scope: Option<String>,
    pub body: Option<String>,
    pub css_class: Option<String>,
    pub sequence: Option<i64>,
}

impl ExistingRecord {
    fn field(&self, name: &str) -> FieldValue {
        match name {
            "name" => FieldValue::text(&self.name),
            "client_id" => FieldValue::Text(self.client_id.clone()),
            "enabled" => FieldValue::Flag(self.enabled),
            "auth_endpoint" => FieldValue::text(&self.auth_endpoint),
            "validation_endpoint" => FieldValue::Text(self.validation_endpoint.clone()),
            "data_endpoint" => FieldValue::Text(self.data_endpoint.clone()),
            "scope" => FieldValue::Text(self.scope.clone()),
            "body" => FieldValue::Text(self.body.clone()),
            "css_class" => FieldValue::Text(self.css_class.clone()),
            "sequence" => FieldValue::Number(self.sequence),
            _ => FieldValue::Text(None),
        }
    }
}

/// What setup read from one Odoo.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OdooState {
    /// Odoo's major release (`server_version_info[0]`).
    pub major: i64,
    pub records: Vec<ExistingRecord>,
    /// `auth_oauth.authorization_header`; `None` when unset.
    pub authorization_header: Option<String>,
    /// `auth_signup.invitation_scope`; `None` when unset or auth_signup is not installed.
    pub invitation_scope: Option<String>,
    /// The embed addon's parameters, when `login_bridge_embed` is installed in this Odoo.
    pub embed_addon: Option<EmbedAddonState>,
}

/// What the `login_bridge_embed` addon (odoo_addon/) reads: where the bridge is and which Odoo this is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedAddonState {
    pub url: Option<String>,
    pub odoo_id: Option<String>,
}

/// The embed addon's system parameters.
pub const EMBED_URL: &str = "login_bridge_embed.url";
pub const EMBED_ODOO_ID: &str = "login_bridge_embed.odoo_id";

/// A field value as Odoo stores it; an empty Char is the same as `false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(Option<String>),
    Flag(bool),
    Number(Option<i64>),
}

impl FieldValue {
    fn text(value: &str) -> Self {
        Self::Text(Some(value.to_string()))
    }

    /// Odoo reads an empty Char back as `false`: both mean "empty" and must not cause an update.
    fn normalized(&self) -> Self {
        match self {
            Self::Text(Some(t)) if t.trim().is_empty() => Self::Text(None),
            other => other.clone(),
        }
    }

    /// The JSON value `create`/`write` take (`false` clears a Char field).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Text(Some(t)) => serde_json::Value::String(t.clone()),
            Self::Text(None) => serde_json::Value::Bool(false),
            Self::Flag(b) => serde_json::Value::Bool(*b),
            Self::Number(Some(n)) => serde_json::Value::from(*n),
            Self::Number(None) => serde_json::Value::Bool(false),
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(Some(t)) => write!(f, "{t:?}"),
            Self::Text(None) | Self::Number(None) => f.write_str("(empty)"),
            Self::Flag(b) => write!(f, "{b}"),
            Self::Number(Some(n)) => write!(f, "{n}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub from: FieldValue,
    pub to: FieldValue,
}

/// Why a record pointing at this bridge is switched off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisableReason {
    /// The config no longer asks for a button at this auth_endpoint.
    NotConfigured,
    /// Another record with the same auth_endpoint is kept (two buttons would do the same thing).
    Duplicate { kept: i64 },
}

/// One thing setup changes in Odoo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Create { record: DesiredRecord },
    Update { id: i64, name: String, auth_endpoint: String, fields: Vec<FieldChange> },
    /// Disabled rather than deleted: users may still be linked to it (`oauth_provider_id`).
    Disable { id: i64, name: String, auth_endpoint: String, reason: DisableReason },
    SetParam { key: &'static str, from: Option<String>, to: String },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Create { record } => {
                write!(f, "create auth.oauth.provider {:?}:", record.name)?;
                for (field, value) in record.fields() {
                    write!(f, "\n      {field} = {value}")?;
                }
                Ok(())
            }
            Self::Update { id, name, fields, .. } => {
                write!(f, "update auth.oauth.provider #{id} {name:?}:")?;
                for change in fields {
                    write!(f, "\n      {}: {} -> {}", change.field, change.from, change.to)?;
                }
                Ok(())
            }
            Self::Disable { id, name, auth_endpoint, reason } => {
                write!(f, "disable auth.oauth.provider #{id} {name:?} ({auth_endpoint}): ")?;
                match reason {
                    DisableReason::NotConfigured => f.write_str("the config no longer asks for this button"),
                    DisableReason::Duplicate { kept } => write!(f, "a duplicate of #{kept}, which is kept"),
                }
            }
            Self::SetParam { key, from, to } => {
                let from = from.as_deref().map(|v| format!("{v:?}")).unwrap_or_else(|| "(not set)".into());
                write!(f, "set system parameter {key}: {from} -> {to:?}")
            }
        }
    }
}

/// Something setup does not change itself but the admin should, each with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    OpenSignup,
    OdooComProviderEnabled { id: i64, name: String },
    NoAuthorizationHeader { major: i64 },
    UnknownRelease { major: i64 },
}

impl Warning {
    pub fn fix(&self) -> String {
        match self {
            Self::OpenSignup => {
                "Settings → General Settings → Permissions → Customer Account: On invitation (then Save)".into()
            }
            Self::OdooComProviderEnabled { name, .. } => {
                format!("Settings → Users & Companies → OAuth Providers → {name} → untick Allowed (then Save)")
            }
            Self::NoAuthorizationHeader { .. } => {
                "upgrade to Odoo 16 or later to keep tokens out of Odoo's access log".into()
            }
            Self::UnknownRelease { .. } => "upgrade Odoo, or check a sign-in by hand before relying on it".into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OpenSignup => f.write_str(
                "open sign-up is on (auth_signup.invitation_scope = b2c): Odoo would create a portal user for anyone who \
                 signs in through another OAuth provider it does not know",
            ),
            Self::OdooComProviderEnabled { id, name } => write!(
                f,
                "the stock provider #{id} {name:?} (accounts.odoo.com) is enabled: its button lets people sign in with an \
                 odoo.com account, past the bridge's checks"
            ),
            Self::NoAuthorizationHeader { major } => write!(
                f,
                "Odoo {major} has no auth_oauth.authorization_header: it sends the token in the URL, so Odoo's log holds \
                 it (the bridge's tokens are single-use and expire after 120 s)"
            ),
            Self::UnknownRelease { major } => write!(
                f,
                "Odoo {major} is older than the releases the bridge was checked against ({OLDEST_KNOWN_RELEASE}-19)"
            ),
        }
    }
}

/// Everything setup would do to one Odoo, and what it will only warn about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub changes: Vec<Change>,
    pub warnings: Vec<Warning>,
}

/// Font Awesome icon for Odoo's button, following the provider's icon (which defaults to its kind).
pub fn css_class(provider: &ProviderConfig) -> &'static str {
    match provider.icon.as_str() {
        "google" => "fa fa-fw fa-google",
        "microsoft" => "fa fa-fw fa-windows",
        "github" => "fa fa-fw fa-github",
        "facebook" => "fa fa-fw fa-facebook-square",
        "gitlab" => "fa fa-fw fa-gitlab",
        // openid, key, none: Font Awesome 4 (Odoo's) has no OpenID logo.
        _ => "fa fa-fw fa-key",
    }
}

/// `{public_url}/odoo/authorize`: Odoo's auth_endpoint for the bridge's provider page.
pub fn authorize_base(config: &Config) -> String {
    format!("{}/odoo/authorize", config.public_base())
}

/// The records this config asks for in one Odoo, in button order.
pub fn desired_records(config: &Config, odoo: &OdooConfig) -> Vec<DesiredRecord> {
    let validation_endpoint = format!("{}/odoo/tokeninfo", config.public_base());
    match odoo.buttons {
        ButtonMode::PerProvider => config
            .providers
            .iter()
            .enumerate()
            .map(|(index, provider)| DesiredRecord {
                provider_id: Some(provider.id.clone()),
                name: format!("Login Bridge: {}", provider.display_name),
                client_id: odoo.id.clone(),
                auth_endpoint: format!("{}/{}", authorize_base(config), provider.id),
                validation_endpoint: validation_endpoint.clone(),
                scope: SCOPE.into(),
                body: format!("Sign in with {}", provider.display_name),
                css_class: css_class(provider).into(),
                // Odoo orders buttons by sequence then name; 1.. puts ours in config order,
                // ahead of the stock providers (sequence 10).
                sequence: i64::try_from(index).unwrap_or(i64::MAX - 1).saturating_add(1),
            })
            .collect(),
        ButtonMode::Single => vec![DesiredRecord {
            provider_id: None,
            name: "Login Bridge".into(),
            client_id: odoo.id.clone(),
            auth_endpoint: authorize_base(config),
            validation_endpoint,
            scope: SCOPE.into(),
            body: "Sign in with SSO".into(),
            css_class: "fa fa-fw fa-sign-in".into(),
            sequence: 1,
        }],
    }
}

/// Admins paste URLs by hand: a trailing slash or blank must not make setup create a twin.
pub fn endpoint_key(endpoint: &str) -> &str {
    endpoint.trim().trim_end_matches('/')
}

/// Whether a record's auth_endpoint is one of this bridge's (`/odoo/authorize` or below).
pub fn points_at_bridge(config: &Config, endpoint: &str) -> bool {
    let base = authorize_base(config);
    let endpoint = endpoint_key(endpoint);
    endpoint == base || endpoint.strip_prefix(base.as_str()).is_some_and(|rest| rest.starts_with('/'))
}

/// The stock "Odoo.com Accounts" provider, recognised by where it sends people.
pub fn is_odoo_com(record: &ExistingRecord) -> bool {
    url::Url::parse(record.auth_endpoint.trim())
        .ok()
        .and_then(|u| u.host_str().map(|h| h.eq_ignore_ascii_case("accounts.odoo.com")))
        .unwrap_or(false)
}

/// Compares what Odoo holds with what the config asks for. Records are matched by auth_endpoint,
/// so a re-run updates them in place; nothing is ever deleted.
pub fn plan(config: &Config, odoo: &OdooConfig, state: &OdooState) -> Plan {
    let mut changes = Vec::new();
    let mut claimed = HashSet::new();
    for desired in desired_records(config, odoo) {
        let key = endpoint_key(&desired.auth_endpoint);
        let mut matches: Vec<&ExistingRecord> =
            state.records.iter().filter(|r| endpoint_key(&r.auth_endpoint) == key).collect();
        // Keep the enabled one (fewest changes), then the oldest (users are most likely linked to it).
        matches.sort_by_key(|r| (!r.enabled, r.id));
        let Some((kept, duplicates)) = matches.split_first() else {
            changes.push(Change::Create { record: desired });
            continue;
        };
        claimed.insert(kept.id);
        let fields: Vec<FieldChange> = desired
            .fields()
            .into_iter()
            .filter_map(|(field, to)| {
                let from = kept.field(field);
                (from.normalized() != to.normalized()).then_some(FieldChange { field, from, to })
            })
            .collect();
        if !fields.is_empty() {
            changes.push(Change::Update { id: kept.id, name: kept.name.clone(), auth_endpoint: kept.auth_endpoint.clone(), fields });
        }
        for duplicate in duplicates {
            claimed.insert(duplicate.id);
            if duplicate.enabled {
                changes.push(Change::Disable {
                    id: duplicate.id,
                    name: duplicate.name.clone(),
                    auth_endpoint: duplicate.auth_endpoint.clone(),
                    reason: DisableReason::Duplicate { kept: kept.id },
                });
            }
        }
    }
    for stale in state.records.iter().filter(|r| r.enabled && !claimed.contains(&r.id) && points_at_bridge(config, &r.auth_endpoint)) {
        changes.push(Change::Disable {
            id: stale.id,
            name: stale.name.clone(),
            auth_endpoint: stale.auth_endpoint.clone(),
            reason: DisableReason::NotConfigured,
        });
    }

    let mut warnings = Vec::new();
    if state.major >= FIRST_AUTHORIZATION_HEADER_RELEASE {
        if state.authorization_header.as_deref() != Some(AUTHORIZATION_HEADER_VALUE) {
            changes.push(Change::SetParam {
                key: AUTHORIZATION_HEADER,
                from: state.authorization_header.clone(),
                to: AUTHORIZATION_HEADER_VALUE.to_string(),
            });
        }
    } else {
        warnings.push(Warning::NoAuthorizationHeader { major: state.major });
    }
    // The embed addon is installed: point its iframe at this bridge and this Odoo's id.
    if let Some(addon) = &state.embed_addon {
        for (key, from, to) in [(EMBED_URL, &addon.url, config.public_base()), (EMBED_ODOO_ID, &addon.odoo_id, odoo.id.clone())] {
            if from.as_deref().map(|v| v.trim().trim_end_matches('/')) != Some(to.as_str()) {
                changes.push(Change::SetParam { key, from: from.clone(), to });
            }
        }
    }
    if state.major < OLDEST_KNOWN_RELEASE {
        warnings.push(Warning::UnknownRelease { major: state.major });
    }
    if state.invitation_scope.as_deref().map(str::trim) == Some("b2c") {
        warnings.push(Warning::OpenSignup);
    }
    for record in state.records.iter().filter(|r| r.enabled && is_odoo_com(r)) {
        warnings.push(Warning::OdooComProviderEnabled { id: record.id, name: record.name.clone() });
    }
    Plan { changes, warnings }
}
