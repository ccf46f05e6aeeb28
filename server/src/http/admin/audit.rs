//! The audit log as the dashboard shows it: a table of rows and the GET search form above it.
//! It must escape every value: emails, subjects, reasons and addresses come from outside.

use crate::{
    bridge::Bridge,
    http::{bridge_pages as pages, pages::escape},
    store::{AuditEntry, AuditKind, AuditOutcome, AuditQuery},
};
use serde::Deserialize;

/// How many rows a search shows at most (newest first); narrow the search for older ones.
pub const SEARCH_LIMIT: u32 = 200;

/// `GET /admin/audit?…`: every field optional, empty = any.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AuditSearch {
    /// Free text anywhere in email, login, subject, provider, reason or address.
    pub q: Option<String>,
    /// One person: email, Odoo login, upstream subject or Odoo user id.
    pub user: Option<String>,
    pub provider: Option<String>,
    pub outcome: Option<String>,
    pub kind: Option<String>,
    /// `YYYY-MM-DD` (UTC): rows from that day on.
    pub since: Option<String>,
}

fn filled(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

fn word<T: serde::de::DeserializeOwned>(value: &Option<String>) -> Option<T> {
    filled(value).and_then(|v| serde_json::from_value(serde_json::Value::String(v)).ok())
}

impl AuditSearch {
    /// The store query, and a problem with the form to tell the admin (an unreadable date).
    pub fn query(&self) -> (AuditQuery, Option<&'static str>) {
        let mut problem = None;
        let since_ms = filled(&self.since).and_then(|d| match chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            Ok(date) => date.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis()),
            Err(_) => {
                problem = Some("The date is not YYYY-MM-DD; it was ignored.");
                None
            }
        });
        let query = AuditQuery {
            since_ms,
            user: filled(&self.user),
            search: filled(&self.q),
            provider_id: filled(&self.provider),
            outcome: word::<AuditOutcome>(&self.outcome),
            kind: word::<AuditKind>(&self.kind),
            limit: SEARCH_LIMIT,
            ..AuditQuery::default()
        };
        (query, problem)
    }
}

fn options(selected: Option<&str>, choices: &[(String, String)]) -> String {
    let mut out = String::from(r#"<option value="">any</option>"#);
    for (value, label) in choices {
        let sel = if selected == Some(value.as_str()) { " selected" } else { "" };
        out.push_str(&format!(r#"<option value="{}"{sel}>{}</option>"#, escape(value), escape(label)));
    }
    out
}

/// The search form, filled with what was asked.
pub fn search_form(bridge: &Bridge, search: &AuditSearch) -> String {
    let text = |v: &Option<String>| escape(v.as_deref().unwrap_or(""));
    let providers: Vec<(String, String)> = bridge.config.providers.iter().map(|p| (p.id.clone(), p.display_name.clone())).collect();
    let outcomes: Vec<(String, String)> =
        [AuditOutcome::Success, AuditOutcome::Refused, AuditOutcome::Failed].iter().map(|o| (o.as_str().to_string(), o.as_str().to_string())).collect();
    let kinds: Vec<(String, String)> = [AuditKind::Login, AuditKind::Logout, AuditKind::Revoke, AuditKind::SessionExpired, AuditKind::Revalidation, AuditKind::Unlink]
        .iter()
        .map(|k| (k.as_str().to_string(), k.as_str().replace('_', " ")))
        .collect();
    format!(
        r#"<form class="lb-search" method="get" action="/admin/audit" role="search">
<label>Text<input type="search" name="q" value="{}"></label>
<label>User<input type="text" name="user" value="{}" placeholder="email, login or id"></label>
<label>Provider<select name="provider">{}</select></label>
<label>Outcome<select name="outcome">{}</select></label>
<label>Kind<select name="kind">{}</select></label>
<label>Since<input type="date" name="since" value="{}"></label>
<button class="lb-button lb-primary" type="submit">Search</button></form>"#,
        text(&search.q),
        text(&search.user),
        options(filled(&search.provider).as_deref(), &providers),
        options(filled(&search.outcome).as_deref(), &outcomes),
        options(filled(&search.kind).as_deref(), &kinds),
        text(&search.since),
    )
}

/// Rows as a table (or a line saying there are none).
pub fn table(bridge: &Bridge, entries: &[AuditEntry]) -> String {
    if entries.is_empty() {
        return r#"<p class="lb-muted">No matching rows.</p>"#.to_string();
    }
    let mut rows = String::new();
    for e in entries {
        let user = match (&e.odoo_login, e.odoo_user_id) {
            (Some(login), Some(id)) => format!("{login} (#{id})"),
            (Some(login), None) => login.clone(),
            (None, Some(id)) => format!("#{id}"),
            (None, None) => String::new(),
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&pages::when_ms(e.at_ms)),
            escape(&e.kind.as_str().replace('_', " ")),
            escape(e.outcome.as_str()),
            escape(&pages::provider_name(bridge, e.provider_id.as_deref())),
            escape(e.email.as_deref().unwrap_or("")),
            escape(&user),
            escape(e.odoo_id.as_deref().unwrap_or("")),
            escape(e.ip.as_deref().unwrap_or("")),
            escape(e.reason.as_deref().unwrap_or("")),
        ));
    }
    format!(
        r#"<table><thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Outcome</th><th scope="col">Provider</th><th scope="col">Email</th><th scope="col">Odoo user</th><th scope="col">Odoo</th><th scope="col">Address</th><th scope="col">Reason</th></tr></thead><tbody>{rows}</tbody></table>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_a_store_query() {
        let search = AuditSearch {
            q: Some(" x ".into()),
            user: Some("".into()),
            provider: Some("sso".into()),
            outcome: Some("refused".into()),
            kind: Some("nonsense".into()),
            since: Some("2026-11-01".into()),
        };
        let (query, problem) = search.query();
        assert_eq!(query.search.as_deref(), Some("x"));
        assert_eq!(query.user, None);
        assert_eq!(query.provider_id.as_deref(), Some("sso"));
        assert_eq!(query.outcome, Some(AuditOutcome::Refused));
        assert_eq!(query.kind, None);
        assert_eq!(query.since_ms, Some(1_793_491_200_000));
        assert_eq!(problem, None);
        let (_, problem) = AuditSearch { since: Some("yesterday".into()), ..AuditSearch::default() }.query();
        assert!(problem.is_some());
    }
}
