//! One Odoo: reachable and which release (no key needed), then, with API access, the API key,
//! the technical user's rights and `auth_oauth`; `odoo_records` checks what Odoo holds.
//! Reads only; the wording of each problem is `setup`'s where setup has one.

use super::{odoo_records, Check};
use crate::{
    config::{Config, OdooConfig},
    odoo::{client::ApiFlavor, OdooClient, OdooError},
    setup::{plan::OLDEST_KNOWN_RELEASE, SetupError},
};
use serde_json::{json, Value};

pub fn scope(odoo: &OdooConfig) -> String {
    format!("odoo:{}", odoo.id)
}

/// The checks that need the external API, in the order they run.
pub const API_CHECKS: [&str; 9] = [
    "api_key",
    "user_rights",
    "auth_oauth",
    "provider_records",
    "data_endpoint",
    "authorization_header",
    "odoo_com_provider",
    "signup",
    "users_without_email",
];

/// Splits setup's "problem. Fix: what to do" sentences into the report's two fields.
pub fn from_setup(scope: &str, check: &str, error: &SetupError) -> Check {
    let text = error.to_string();
    match text.split_once(". Fix: ") {
        Some((problem, fix)) => Check::error(scope, check, problem, fix),
        None => Check::error(scope, check, text, "run again with LOGIN_BRIDGE_LOG=debug and read Odoo's server log"),
    }
}

pub fn skip_rest(scope: &str, from: &str, why: &str) -> Vec<Check> {
    API_CHECKS.iter().skip_while(|c| **c != from).map(|c| Check::skipped(scope, c, why)).collect()
}

pub async fn check(config: &Config, odoo: &OdooConfig) -> Vec<Check> {
    let scope = scope(odoo);
    let scope = scope.as_str();
    let client = match OdooClient::new(odoo.clone()) {
        Ok(c) => c,
        Err(e) => return vec![from_setup(scope, "reachable", &SetupError::from_odoo(odoo, e))],
    };
    let mut checks = Vec::new();
    let major = match client.api_flavor().await {
        Ok((flavor, major)) => {
            let api = match flavor {
                ApiFlavor::JsonRpc => "JSON-RPC",
                ApiFlavor::Json2 => "JSON-2",
            };
            checks.push(Check::ok(scope, "reachable", format!("Odoo {major} answers at {} ({api} external API)", odoo.base())));
            if major < OLDEST_KNOWN_RELEASE {
                let warning = crate::setup::plan::Warning::UnknownRelease { major };
                checks.push(Check::warning(scope, "version", warning.to_string(), warning.fix()));
            }
            major
        }
        Err(e) => {
            checks.push(from_setup(scope, "reachable", &SetupError::from_odoo(odoo, e)));
            checks.extend(skip_rest(scope, "api_key", "Odoo did not answer"));
            return checks;
        }
    };
    let Some(api) = &odoo.api else {
        checks.push(Check::warning(
            scope,
            "api_access",
            "no API access (no api_login): the bridge cannot link people to Odoo users itself, so Odoo must already hold each \
             user's oauth_uid (see the README, \"No external API\")",
            format!(
                "if the Odoo plan allows the external API, create an API key (Settings → Users → the technical user → Account \
                 Security → New API Key) and set `api_login` and `api_key_env` of [[odoo]] id = \"{}\"",
                odoo.id
            ),
        ));
        checks.extend(skip_rest(scope, "api_key", "needs the external API (no api_login)"));
        return checks;
    };
    let fail = |check: &str, e: OdooError| from_setup(scope, check, &SetupError::from_odoo(odoo, e));

    // The first authenticated call: a wrong key or database shows up here.
    let groups = match technical_user_groups(&client, &api.login, major).await {
        Ok(Some(groups)) => {
            checks.push(Check::ok(scope, "api_key", format!("the API key of `{}` is accepted on database `{}`", api.login, odoo.database)));
            groups
        }
        Ok(None) => {
            checks.push(Check::error(
                scope,
                "api_key",
                format!("the API key is accepted, but no active user has the login `{}`", api.login),
                format!("set `api_login` of [[odoo]] id = \"{}\" to the exact login of the user the API key belongs to", odoo.id),
            ));
            checks.extend(skip_rest(scope, "user_rights", "the technical user was not found"));
            return checks;
        }
        Err(e) => {
            checks.push(fail("api_key", e));
            checks.extend(skip_rest(scope, "user_rights", "the API key was refused"));
            return checks;
        }
    };
    checks.push(match client.group_ids(&["base.group_erp_manager".to_string()]).await {
        Ok(ids) if ids.iter().all(|id| groups.contains(id)) => Check::ok(
            scope,
            "user_rights",
            format!("`{}` is in Administration: Access Rights (base.group_erp_manager), so the bridge may link and create users", api.login),
        ),
        Ok(_) => Check::error(
            scope,
            "user_rights",
            format!(
                "`{}` is not in Administration: Access Rights (base.group_erp_manager): Odoo refuses the bridge's writes on res.users \
                 (linking a person, provisioning, ending sessions)",
                api.login
            ),
            format!(
                "give `{0}` the Administration: Settings access right (Settings → Users → {0} → Access Rights), or use an administrator's API key",
                api.login
            ),
        ),
        Err(e) => fail("user_rights", e),
    });

    match client.module_state("auth_oauth").await {
        Ok(Some(state)) if matches!(state.as_str(), "installed" | "to upgrade") => {
            checks.push(Check::ok(scope, "auth_oauth", "the OAuth2 Authentication module (auth_oauth) is installed"));
        }
        Ok(other) => {
            let state = match other.as_deref() {
                Some("uninstalled") | None => "not installed".to_string(),
                Some(state) => format!("in state `{state}` (not installed yet)"),
            };
            checks.push(from_setup(scope, "auth_oauth", &SetupError::AuthOauthMissing { odoo: odoo.id.clone(), state }));
            // Sign-up and users do not depend on auth_oauth; the records and its parameter do.
            let why = "auth_oauth is not installed";
            checks.extend(["provider_records", "data_endpoint", "authorization_header", "odoo_com_provider"].map(|c| Check::skipped(scope, c, why)));
            checks.extend(odoo_records::signup_and_users(odoo, &client, scope).await);
            return checks;
        }
        Err(e) => {
            checks.push(fail("auth_oauth", e));
            checks.extend(skip_rest(scope, "provider_records", "the module list could not be read"));
            return checks;
        }
    }
    checks.extend(odoo_records::check(config, odoo, &client, scope, major).await);
    checks
}

/// The technical user's groups, implied ones included (`groups_id` holds them up to 18; 19
/// splits `group_ids` from `all_group_ids`). `None`: no active user with that login.
async fn technical_user_groups(client: &OdooClient, login: &str, major: i64) -> Result<Option<Vec<i64>>, OdooError> {
    let field = if major >= 19 { "all_group_ids" } else { "groups_id" };
    let rows = client
        .execute_kw("res.users", "search_read", json!([[["login", "=", login]]]), json!({"fields": ["id", field], "limit": 1}))
        .await?;
    Ok(rows.get(0).map(|row| row.get(field).and_then(Value::as_array).map(|ids| ids.iter().filter_map(Value::as_i64).collect()).unwrap_or_default()))
}
