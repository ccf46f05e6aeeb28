//! Recording what happened to people's access: one audit row and the login metrics for every
//! finished login, rows for the admin's `users revoke` / `users unlink`, the retention purge, and
//! the `login-bridge audit` command that reads them back.
//! It must never let the audit write decide a login: a store error is logged, the login goes on.

pub mod cli;

use crate::{
    bridge::Bridge,
    error::{error_chain, BridgeError},
    flow::PendingFlow,
    http::client_ip::ClientIp,
    metrics::metrics,
    odoo::{link::LinkError, OdooError},
    policy::PolicyRefusal,
    store::{unix_now_ms, AuditEntry, AuditKind, AuditOutcome, StoreError},
    upstream::UpstreamError,
};
use axum::http::StatusCode;

/// Who a login turned out to be, filled in by `login::finish_login` as it learns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoginFacts {
    pub upstream_subject: Option<String>,
    pub email: Option<String>,
    pub odoo_user_id: Option<i64>,
    pub odoo_login: Option<String>,
}

/// What the callback keeps of the pending flow before `finish_login` consumes it.
#[derive(Debug, Clone)]
pub struct FlowRecord {
    pub provider_id: String,
    /// `None` for a sign-in to the bridge's own admin pages.
    pub odoo_id: Option<String>,
    pub started_at_ms: Option<i64>,
    pub correlation_id: Option<String>,
    /// A sign-in to the bridge's own pages, said in the row so it is not taken for a login to Odoo.
    pub bridge_page: Option<&'static str>,
}

impl FlowRecord {
    pub fn of(flow: &PendingFlow) -> Self {
        Self {
            provider_id: flow.provider_id.clone(),
            odoo_id: flow.target.odoo_id().map(str::to_string),
            started_at_ms: flow.started_at_ms,
            correlation_id: flow.correlation_id.clone(),
            bridge_page: match &flow.target {
                crate::flow::LoginTarget::BridgePage { page: crate::session::BridgePage::Admin } => Some("admin dashboard"),
                crate::flow::LoginTarget::BridgePage { page: crate::session::BridgePage::Account { .. } } => Some("account page"),
                _ => None,
            },
        }
    }
}

/// A login ended (`error` = `None` for a success): count it, time it and write its audit row.
pub async fn login_finished(bridge: &Bridge, flow: &FlowRecord, client: ClientIp, facts: LoginFacts, error: Option<&BridgeError>) {
    let outcome = error.map_or(AuditOutcome::Success, outcome_of);
    let duration_ms = flow.started_at_ms.map(|start| (unix_now_ms() - start).max(0));
    // A sign-in to the bridge's own dashboard has no Odoo: its label says so.
    metrics().login(&flow.provider_id, flow.odoo_id.as_deref().unwrap_or("-"), outcome.as_str());
    if let Some(ms) = duration_ms {
        metrics().flow_duration(&flow.provider_id, ms as f64 / 1000.0);
    }
    let entry = AuditEntry {
        odoo_id: flow.odoo_id.clone(),
        provider_id: Some(flow.provider_id.clone()),
        upstream_subject: facts.upstream_subject,
        email: facts.email,
        odoo_user_id: facts.odoo_user_id,
        odoo_login: facts.odoo_login,
        reason: match (error, flow.bridge_page) {
            (Some(error), Some(page)) => Some(format!("{page}: {}", reason_of(error))),
            (Some(error), None) => Some(reason_of(error)),
            (None, page) => page.map(|p| format!("signed in to the {p}")),
        },
        ip: client.for_audit(),
        correlation_id: flow.correlation_id.clone(),
        duration_ms,
        ..AuditEntry::now(AuditKind::Login, outcome)
    };
    record(bridge, &entry).await;
}

/// A login that ended before it had a flow: its start failed (provider down, store full) or its
/// callback found no flow bound to this browser (expired, used, or forged). Counted and audited
/// like the others, under the provider it named, but only a configured provider: an id made up
/// in the URL must neither become a metrics label nor fill the log.
pub async fn login_never_began(bridge: &Bridge, provider_id: &str, odoo_id: Option<&str>, client: ClientIp, error: &BridgeError) {
    if bridge.upstreams.get(provider_id).is_none() {
        return;
    }
    let outcome = outcome_of(error);
    metrics().login(provider_id, odoo_id.unwrap_or("-"), outcome.as_str());
    let entry = AuditEntry {
        odoo_id: odoo_id.map(str::to_string),
        provider_id: Some(provider_id.to_string()),
        reason: Some(reason_of(error)),
        ip: client.for_audit(),
        correlation_id: crate::correlation::current(),
        ..AuditEntry::now(AuditKind::Login, outcome)
    };
    record(bridge, &entry).await;
}

/// Writes `entry`; a failure is one log line, never an error for the caller.
pub async fn record(bridge: &Bridge, entry: &AuditEntry) {
    if let Err(error) = bridge.store.record_audit(entry).await {
        tracing::error!(error = %error_chain(&error), kind = entry.kind.as_str(), outcome = entry.outcome.as_str(), "could not write the audit row; the action itself went on");
    }
}

/// Refused: a rule or the person said no. Failed: something broke on the way.
pub fn outcome_of(error: &BridgeError) -> AuditOutcome {
    match error.status() {
        StatusCode::FORBIDDEN | StatusCode::CONFLICT => AuditOutcome::Refused,
        _ => AuditOutcome::Failed,
    }
}

/// A stable code to filter on, then the error's own words (never a secret: they are the log line's).
pub fn reason_of(error: &BridgeError) -> String {
    let mut chain = error_chain(error);
    if chain.len() > 500 {
        let mut end = 500;
        while !chain.is_char_boundary(end) {
            end -= 1;
        }
        chain.truncate(end);
        chain.push('…');
    }
    format!("{}: {chain}", reason_code(error))
}

fn reason_code(error: &BridgeError) -> &'static str {
    match error {
        BridgeError::UpstreamRefused { error, .. } if error == "access_denied" => "cancelled",
        BridgeError::UpstreamRefused { .. } => "provider_refused",
        BridgeError::Blocked => "blocked",
        BridgeError::Link(LinkError::NoAccount { .. }) => "no_account",
        BridgeError::Link(LinkError::Archived { .. }) => "archived",
        BridgeError::Link(LinkError::Ambiguous { .. }) => "ambiguous",
        BridgeError::Link(LinkError::SubjectTaken { .. }) => "link_conflict",
        BridgeError::Link(LinkError::NoProviderRecord) => "no_provider_record",
        BridgeError::Link(LinkError::Policy(PolicyRefusal::NoEmail)) => "no_email",
        BridgeError::Link(LinkError::Policy(PolicyRefusal::EmailNotVerified(_))) => "email_unverified",
        BridgeError::Link(LinkError::Policy(PolicyRefusal::DomainNotAllowed { .. })) => "domain_not_allowed",
        BridgeError::Link(LinkError::Policy(PolicyRefusal::NotLinked)) => "not_linked",
        BridgeError::Upstream(UpstreamError::NotAllowed { .. }) => "not_allowed",
        BridgeError::Upstream(UpstreamError::Unavailable { .. }) => "provider_unavailable",
        BridgeError::Upstream(UpstreamError::TokenExchange { .. }) => "token_exchange",
        BridgeError::Upstream(UpstreamError::InvalidIdToken { .. } | UpstreamError::MissingIdToken { .. }) => "invalid_id_token",
        BridgeError::Upstream(UpstreamError::IssuerMismatch { .. }) => "issuer_mismatch",
        BridgeError::Upstream(_) => "upstream_error",
        BridgeError::Odoo(OdooError::Unreachable { .. }) | BridgeError::Link(LinkError::Odoo(OdooError::Unreachable { .. })) => "odoo_unreachable",
        BridgeError::Odoo(_) | BridgeError::Link(LinkError::Odoo(_)) => "odoo_error",
        BridgeError::Store(StoreError::Full { .. }) => "store_full",
        BridgeError::Store(_) | BridgeError::Link(LinkError::Store(_)) => "store_error",
        BridgeError::FlowExpired => "flow_expired",
        BridgeError::ProviderMismatch { .. } | BridgeError::MalformedCallback => "bad_callback",
        _ => "error",
    }
}

/// One pass of the retention rule (`[audit] retention_days`; 0 keeps every row): deletes the
/// rows older than that and returns how many went.
pub async fn purge_old(bridge: &Bridge) -> Result<u64, StoreError> {
    let days = bridge.config.audit.retention_days;
    if days == 0 {
        return Ok(0);
    }
    let before = unix_now_ms() - i64::from(days) * 86_400_000;
    bridge.store.purge_audit(before).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_the_persons_side_failures_the_systems() {
        let no_account = BridgeError::Link(LinkError::NoAccount { email: "carol@example.com".into() });
        assert_eq!(outcome_of(&no_account), AuditOutcome::Refused);
        assert_eq!(reason_of(&no_account), "no_account: no Odoo account for carol@example.com");
        assert_eq!(outcome_of(&BridgeError::Blocked), AuditOutcome::Refused);
        let cancelled = BridgeError::UpstreamRefused { provider: "Google".into(), error: "access_denied".into(), description: String::new() };
        assert_eq!((outcome_of(&cancelled), reason_code(&cancelled)), (AuditOutcome::Refused, "cancelled"));
        let down = BridgeError::Upstream(UpstreamError::Unavailable { provider: "Google".into(), reason: "timeout".into() });
        assert_eq!((outcome_of(&down), reason_code(&down)), (AuditOutcome::Failed, "provider_unavailable"));
        let odoo = BridgeError::Odoo(OdooError::Unreachable { url: "http://odoo".into(), reason: "refused".into() });
        assert_eq!((outcome_of(&odoo), reason_code(&odoo)), (AuditOutcome::Failed, "odoo_unreachable"));
    }

    #[test]
    fn a_long_reason_is_cut_on_a_character_boundary() {
        let long = BridgeError::UpstreamRefused { provider: "P".into(), error: "x".into(), description: "é".repeat(400) };
        let reason = reason_of(&long);
        assert!(reason.ends_with('…') && reason.chars().count() < 520, "{reason}");
    }
}
