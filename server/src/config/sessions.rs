//! Session lifetime and upstream re-validation: `[[odoo]] max_session_age`,
//! `[[provider]] revalidate_every` and the optional `[sessions]` key that seals stored refresh tokens.
//! It must never accept a setting the bridge could not enforce (no API access, a provider without
//! refresh tokens): it refuses it with the fix instead of ignoring it silently.

use super::{invalid, load_secret, ConfigError, ProviderKind, Secret};
use serde::Deserialize;
use std::{collections::BTreeMap, path::PathBuf, time::Duration};

/// `[sessions]` as written by the admin (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SessionsFile {
    /// The environment variable holding the key that seals refresh tokens in the store:
    /// 32 random bytes, base64 (`openssl rand -base64 32`).
    refresh_token_key_env: Option<String>,
    /// Instead: a file holding that key.
    refresh_token_key_file: Option<PathBuf>,
}

/// How long sessions made through the bridge may live, and which providers are asked again.
#[derive(Debug, Clone, Default)]
pub struct SessionSettings {
    /// `[[odoo]] max_session_age` per Odoo id: Odoo sessions opened through the bridge end after
    /// this long (a background job rotates the user's `oauth_access_token`). Absent = Odoo's own
    /// session lifetime.
    pub max_session_age: BTreeMap<String, Duration>,
    /// `[[provider]] revalidate_every` per provider id: the bridge asks for `offline_access` and
    /// refreshes the person's refresh token this often; a refused refresh ends their Odoo sessions.
    pub revalidate_every: BTreeMap<String, Duration>,
    /// `[sessions] refresh_token_key_env|_file`: AES-256-GCM key sealing stored refresh tokens;
    /// `None` = they are stored in the clear (like the PKCE verifier of a pending login).
    pub refresh_token_key: Option<[u8; 32]>,
}

/// Parses `[sessions]`; the per-entry keys are added by `odoo_max_age` and `provider_revalidate`.
pub(super) fn parse_sessions(file: Option<SessionsFile>, env: &dyn Fn(&str) -> Option<String>) -> Result<SessionSettings, ConfigError> {
    let file = file.unwrap_or_default();
    let key = match (&file.refresh_token_key_env, &file.refresh_token_key_file) {
        (None, None) => None,
        (name, path) => {
            let secret: Secret = load_secret("sessions.refresh_token_key", name.as_deref(), path.as_deref(), env)?;
            Some(decode_key(&secret)?)
        }
    };
    Ok(SessionSettings { refresh_token_key: key, ..SessionSettings::default() })
}

fn decode_key(secret: &Secret) -> Result<[u8; 32], ConfigError> {
    use base64::Engine as _;
    let bad = || {
        invalid(
            "sessions.refresh_token_key",
            "the key is not 32 bytes in base64",
            "generate one with `openssl rand -base64 32` and put it in the variable or file",
        )
    };
    let bytes = base64::engine::general_purpose::STANDARD.decode(secret.expose().trim()).map_err(|_| bad())?;
    bytes.try_into().map_err(|_| bad())
}

/// `[[odoo]] max_session_age`: only with API access (ending a session is an API write).
pub(super) fn odoo_max_age(settings: &mut SessionSettings, key: &str, odoo_id: &str, text: Option<&str>, has_api: bool) -> Result<(), ConfigError> {
    let Some(text) = text else { return Ok(()) };
    let age = parse_duration(key, text)?;
    if !has_api {
        return Err(invalid(
            key,
            "ending sessions needs API access, and this Odoo has no api_login",
            "set api_login and api_key_env, or remove max_session_age (Odoo's own session lifetime applies)",
        ));
    }
    settings.max_session_age.insert(odoo_id.to_string(), age);
    Ok(())
}

/// `[[provider]] revalidate_every`: only OpenID Connect kinds hand out refresh tokens for it.
pub(super) fn provider_revalidate(settings: &mut SessionSettings, key: &str, provider_id: &str, kind: ProviderKind, text: Option<&str>) -> Result<(), ConfigError> {
    let Some(text) = text else { return Ok(()) };
    let every = parse_duration(key, text)?;
    if matches!(kind, ProviderKind::Github | ProviderKind::Facebook) {
        return Err(invalid(
            key,
            format!("kind `{}` is not OpenID Connect and gives the bridge no refresh token to re-validate with", kind.as_str()),
            "remove revalidate_every from this [[provider]]",
        ));
    }
    settings.revalidate_every.insert(provider_id.to_string(), every);
    Ok(())
}

/// `"90s"`, `"15m"`, `"8h"`, `"7d"` or a sum like `"1h30m"`; more than zero.
pub fn parse_duration(key: &str, text: &str) -> Result<Duration, ConfigError> {
    let bad = || invalid(key, format!("`{text}` is not a duration"), "write it like \"90s\", \"15m\", \"8h\", \"7d\" or \"1h30m\"");
    let mut total: u64 = 0;
    let mut number = String::new();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(bad());
    }
    for c in trimmed.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: u64 = number.parse().map_err(|_| bad())?;
        total = n.checked_mul(unit).and_then(|v| total.checked_add(v)).ok_or_else(bad)?;
        number.clear();
    }
    if !number.is_empty() || total == 0 {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_seconds_minutes_hours_days_and_sums() {
        assert_eq!(parse_duration("k", "90s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("k", "15m").unwrap(), Duration::from_secs(900));
        assert_eq!(parse_duration("k", "8h").unwrap(), Duration::from_secs(28_800));
        assert_eq!(parse_duration("k", "1h30m").unwrap(), Duration::from_secs(5_400));
        for bad in ["", "8", "h", "0s", "8 hours", "-1h", "1.5h"] {
            assert!(parse_duration("k", bad).is_err(), "{bad:?} must be refused");
        }
    }
}
