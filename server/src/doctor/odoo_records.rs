//! What one Odoo holds for the bridge: its `auth.oauth.provider` records (as `setup` would make
//! them: see setup/plan.rs), `auth_oauth.authorization_header`, open sign-up, the stock
//! Odoo.com provider, and internal users the bridge cannot link by email.

use super::Check;
use crate::{
    config::{Config, OdooConfig},
    odoo::{link::bridge_subject, OdooClient, OdooError},
    setup::{
        apply::read_state,
        plan::{self, ExistingRecord, OdooState, Warning, FIRST_AUTHORIZATION_HEADER_RELEASE, INVITATION_SCOPE},
    },
};
use serde_json::{json, Value};

/// Where the admin edits these records in Odoo.
const PROVIDERS_MENU: &str = "Settings → Users & Companies → OAuth Providers";
/// How many logins a warning names before "and N more".
const NAMED_USERS: usize = 5;

fn odoo_error(scope: &str, check: &str, odoo: &OdooConfig, e: OdooError) -> Check {
    super::odoo::from_setup(scope, check, &crate::setup::SetupError::from_odoo(odoo, e))
}

pub async fn check(config: &Config, odoo: &OdooConfig, client: &OdooClient, scope: &str, major: i64) -> Vec<Check> {
    let state = match read_state(client, major).await {
        Ok(state) => state,
        Err(e) => {
            let mut checks = vec![odoo_error(scope, "provider_records", odoo, e)];
            let why = "the provider records could not be read";
            checks.extend(["data_endpoint", "authorization_header", "odoo_com_provider"].map(|c| Check::skipped(scope, c, why)));
            checks.extend(signup_and_users(odoo, client, scope).await);
            return checks;
        }
    };
    let mut checks = records(config, odoo, scope, &state);
    checks.push(data_endpoint(config, scope, &state));
    checks.push(authorization_header(scope, &state));
    checks.push(odoo_com(client, scope, &state).await);
    checks.extend(signup_and_users(odoo, client, scope).await);
    checks
}

/// One check per record the config asks for (see `plan::desired_records`), plus stale ones.
fn records(config: &Config, odoo: &OdooConfig, scope: &str, state: &OdooState) -> Vec<Check> {
    let mut checks = Vec::new();
    let desired = plan::desired_records(config, odoo);
    for record in &desired {
        let key = plan::endpoint_key(&record.auth_endpoint);
        // One check per button; the single "Sign in with SSO" button has no provider.
        let name = match &record.provider_id {
            Some(id) => format!("provider_record:{id}"),
            None => "provider_record".to_string(),
        };
        let mut found: Vec<&ExistingRecord> = state.records.iter().filter(|r| plan::endpoint_key(&r.auth_endpoint) == key).collect();
        found.sort_by_key(|r| (!r.enabled, r.id));
        let Some(existing) = found.first() else {
            checks.push(missing(config, scope, &name, record, state));
            continue;
        };
        let mut differences = Vec::new();
        if !existing.enabled {
            differences.push("Allowed is unticked (Odoo shows no button)".to_string());
        }
        if existing.client_id.as_deref().map(str::trim) != Some(record.client_id.as_str()) {
            differences.push(format!(
                "client_id is {} instead of \"{}\" (Odoo presents it to the bridge, which then refuses the request)",
                shown(&existing.client_id),
                record.client_id
            ));
        }
        let validation = existing.validation_endpoint.as_deref().map(plan::endpoint_key);
        if validation != Some(plan::endpoint_key(&record.validation_endpoint)) {
            differences.push(format!(
                "validation_endpoint (UserInfo URL) is {} instead of {} (Odoo would validate the bridge's tokens elsewhere)",
                shown(&existing.validation_endpoint),
                record.validation_endpoint
            ));
        }
        if differences.is_empty() {
            checks.push(Check::ok(
                scope,
                &name,
                format!("record #{} {:?} points at {} and validates at {}", existing.id, existing.name, record.auth_endpoint, record.validation_endpoint),
            ));
        } else {
            checks.push(Check::error(
                scope,
                &name,
                format!("record #{} {:?} ({}): {}", existing.id, existing.name, record.auth_endpoint, differences.join("; ")),
                format!("run `login-bridge setup` (it updates the record in place), or edit it in {PROVIDERS_MENU} → {}", existing.name),
            ));
        }
    }
    let claimed: Vec<&str> = desired.iter().map(|d| plan::endpoint_key(&d.auth_endpoint)).collect();
    for stale in state.records.iter().filter(|r| r.enabled && plan::points_at_bridge(config, &r.auth_endpoint)) {
        if !claimed.contains(&plan::endpoint_key(&stale.auth_endpoint)) {
            checks.push(Check::warning(
                scope,
                &format!("provider_record:#{}", stale.id),
                format!("record #{} {:?} sends people to {}, which this config does not serve (a removed provider?): its button fails", stale.id, stale.name, stale.auth_endpoint),
                format!("run `login-bridge setup` (it disables the record), or untick Allowed in {PROVIDERS_MENU} → {}", stale.name),
            ));
        }
    }
    if let Some(id) = odoo.odoo_provider_id {
        if !state.records.iter().any(|r| r.id == id && plan::points_at_bridge(config, &r.auth_endpoint)) {
            checks.push(Check::error(
                scope,
                "odoo_provider_id",
                format!("`odoo_provider_id = {id}` names no auth.oauth.provider record pointing at {}", plan::authorize_base(config)),
                format!("set `odoo_provider_id` of [[odoo]] id = \"{}\" to the id of one of the bridge's records (see {PROVIDERS_MENU}), or remove it to let the bridge look it up", odoo.id),
            ));
        }
    }
    checks
}

fn shown(value: &Option<String>) -> String {
    value.as_deref().filter(|v| !v.trim().is_empty()).map(|v| format!("{v:?}")).unwrap_or_else(|| "empty".into())
}

/// No record at the bridge's URL. One at the same path on another origin means `public_url`
/// changed (or differs in scheme/port from what setup was run with): say so.
fn missing(config: &Config, scope: &str, name: &str, record: &plan::DesiredRecord, state: &OdooState) -> Check {
    let path = url::Url::parse(&record.auth_endpoint).map(|u| u.path().to_string()).unwrap_or_default();
    let elsewhere = state.records.iter().find(|r| url::Url::parse(r.auth_endpoint.trim()).is_ok_and(|u| u.path().trim_end_matches('/') == path));
    let hint = match elsewhere {
        Some(r) => format!(
            "; record #{} {:?} points at {} instead: a different public_url than the config's {}",
            r.id,
            r.name,
            r.auth_endpoint,
            config.public_base()
        ),
        None => String::new(),
    };
    Check::error(
        scope,
        name,
        format!("no auth.oauth.provider record has auth_endpoint {}: Odoo's login page has no {:?} button{hint}", record.auth_endpoint, record.body),
        format!("run `login-bridge setup` (it creates or updates the record), or create it in {PROVIDERS_MENU} → New"),
    )
}

/// A data endpoint on one of the bridge's records makes Odoo call it after validation, with the
/// same token, and merge its answer into what identifies the user.
fn data_endpoint(config: &Config, scope: &str, state: &OdooState) -> Check {
    let set: Vec<&ExistingRecord> = state
        .records
        .iter()
        .filter(|r| plan::points_at_bridge(config, &r.auth_endpoint) && r.data_endpoint.as_deref().is_some_and(|d| !d.trim().is_empty()))
        .collect();
    if set.is_empty() {
        return Check::ok(scope, "data_endpoint", "no record pointing at the bridge has a data_endpoint");
    }
    let list = set.iter().map(|r| format!("#{} {:?} → {}", r.id, r.name, r.data_endpoint.as_deref().unwrap_or_default())).collect::<Vec<_>>().join(", ");
    Check::error(
        scope,
        "data_endpoint",
        format!(
            "data_endpoint is set on {list}: after validating a token Odoo calls that URL with the same token and merges its answer \
             into the sign-in data, so it can change who signs in (and the bridge's tokens are single-use)"
        ),
        format!("clear Data Endpoint of {} in {PROVIDERS_MENU} (developer mode), or run `login-bridge setup`, which clears it", set.iter().map(|r| format!("{:?}", r.name)).collect::<Vec<_>>().join(", ")),
    )
}

fn authorization_header(scope: &str, state: &OdooState) -> Check {
    if state.major < FIRST_AUTHORIZATION_HEADER_RELEASE {
        let warning = Warning::NoAuthorizationHeader { major: state.major };
        return Check::warning(scope, "authorization_header", warning.to_string(), warning.fix());
    }
    match state.authorization_header.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(value) => Check::ok(scope, "authorization_header", format!("auth_oauth.authorization_header = {value:?}: Odoo sends tokens in a header")),
        None => Check::warning(
            scope,
            "authorization_header",
            "auth_oauth.authorization_header is not set: Odoo puts each token in the URL of its call to /odoo/tokeninfo, so tokens \
             appear in access logs (Odoo's, the proxy's)",
            "run `login-bridge setup` (it sets auth_oauth.authorization_header = 1), or add that parameter in Settings → Technical → \
             System Parameters (developer mode)",
        ),
    }
}

/// The stock "Odoo.com Accounts" provider, by where it sends people or by its XML id.
async fn odoo_com(client: &OdooClient, scope: &str, state: &OdooState) -> Check {
    let stock_id = client
        .execute_kw(
            "ir.model.data",
            "search_read",
            json!([[["module", "=", "auth_oauth"], ["name", "=", "provider_openerp"]]]),
            json!({"fields": ["res_id"], "limit": 1}),
        )
        .await
        .ok()
        .and_then(|rows| rows.get(0).and_then(|r| r.get("res_id")).and_then(Value::as_i64));
    let enabled: Vec<&ExistingRecord> = state.records.iter().filter(|r| r.enabled && (plan::is_odoo_com(r) || Some(r.id) == stock_id)).collect();
    match enabled.first() {
        None => Check::ok(scope, "odoo_com_provider", "the stock Odoo.com provider is disabled or absent"),
        Some(r) => {
            let warning = Warning::OdooComProviderEnabled { id: r.id, name: r.name.clone() };
            Check::warning(scope, "odoo_com_provider", warning.to_string(), format!("disable it: {}", warning.fix()))
        }
    }
}

/// Checks that hold whether or not auth_oauth is installed.
pub async fn signup_and_users(odoo: &OdooConfig, client: &OdooClient, scope: &str) -> Vec<Check> {
    let signup = match client.get_param(INVITATION_SCOPE).await {
        Ok(Some(value)) if value.trim() == "b2c" => Check::warning(
            scope,
            "signup",
            format!(
                "{}; anyone with an account upstream who is not linked to an Odoo user could get a portal account that way",
                Warning::OpenSignup
            ),
            Warning::OpenSignup.fix(),
        ),
        Ok(value) => Check::ok(
            scope,
            "signup",
            format!("sign-up is by invitation only ({INVITATION_SCOPE} = {})", value.map(|v| format!("{v:?}")).unwrap_or_else(|| "not set".into())),
        ),
        Err(e) => odoo_error(scope, "signup", odoo, e),
    };
    vec![signup, users_without_email(odoo, client, scope).await]
}

/// Active internal users the bridge cannot find by a verified email (odoo/link.rs looks at the
/// login, then the email). Users it already linked (`oauth_uid` = its subject) do not count.
async fn users_without_email(odoo: &OdooConfig, client: &OdooClient, scope: &str) -> Check {
    let check = "users_without_email";
    if !odoo.link_by_email {
        return Check::ok(scope, check, "not needed: link_by_email = false (people are linked with `login-bridge users link`)");
    }
    let rows = client
        .execute_kw(
            "res.users",
            "search_read",
            json!([[["share", "=", false], ["email", "=", false]]]),
            json!({"fields": ["id", "login", "oauth_uid"], "order": "login"}),
        )
        .await;
    let rows = match rows {
        Ok(rows) => rows.as_array().cloned().unwrap_or_default(),
        Err(e) => return odoo_error(scope, check, odoo, e),
    };
    let unlinkable: Vec<String> = rows
        .iter()
        .filter(|row| {
            let login = row.get("login").and_then(Value::as_str).unwrap_or_default();
            let id = row.get("id").and_then(Value::as_i64).unwrap_or_default();
            let linked = row.get("oauth_uid").and_then(Value::as_str) == Some(bridge_subject(id).as_str());
            !login.contains('@') && !linked
        })
        .filter_map(|row| row.get("login").and_then(Value::as_str).map(str::to_string))
        .collect();
    if unlinkable.is_empty() {
        return Check::ok(scope, check, "every active internal user has an email (or an email as login) to be linked by");
    }
    let mut named = unlinkable.iter().take(NAMED_USERS).map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ");
    if unlinkable.len() > NAMED_USERS {
        named.push_str(&format!(" and {} more", unlinkable.len() - NAMED_USERS));
    }
    Check::warning(
        scope,
        check,
        format!(
            "{} active internal user(s) have no email and a login that is not an email address, so the bridge cannot link them: {named}",
            unlinkable.len()
        ),
        "set each one's Email to the address they sign in with upstream (Settings → Users & Companies → Users → the user), \
         or link them with `login-bridge users link`",
    )
}
