//! `/account?odoo=ID`: a person's own page. They sign in through the bridge and see the
//! identities linked to their Odoo user and their recent logins; they can unlink an identity
//! (never the last one) and end every Odoo session of theirs ("Sign out everywhere").
//! It must never show or touch another user's links, nor act on a POST without the CSRF token.

use super::{
    bridge_pages::{self as pages, SignedIn, SiteStylesheet},
    client_ip::ClientIp,
    pages::escape,
};
use crate::{
    bridge::{AppState, Bridge},
    error::BridgeError,
    odoo::OdooClient,
    odoo_sessions::{end_sessions, EndError},
    session::BridgePage,
    store::{AuditEntry, AuditKind, AuditOutcome, AuditQuery, LinkRecord},
};
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    Extension, Form,
};
use serde::Deserialize;

/// `?odoo=ID` and the notice a POST left (a fixed word, never printed as given).
#[derive(Debug, Default, Deserialize)]
pub struct AccountQuery {
    odoo: Option<String>,
    notice: Option<String>,
}

/// Every form of the page: the CSRF token, the Odoo, and for unlink the identity.
#[derive(Debug, Default, Deserialize)]
pub struct AccountForm {
    csrf: Option<String>,
    odoo: Option<String>,
    provider: Option<String>,
    subject: Option<String>,
}

fn account_page<'a>(bridge: &'a Bridge, odoo: Option<&str>) -> Result<(&'a OdooClient, BridgePage), BridgeError> {
    let odoo = odoo.filter(|o| !o.is_empty());
    let client = bridge.odoo_or_default(odoo).ok_or_else(|| match odoo {
        Some(id) => BridgeError::UnknownOdoo(id.to_string()),
        None => BridgeError::OdooNotChosen,
    })?;
    Ok((client, BridgePage::Account { odoo_id: client.config().id.clone() }))
}

/// `GET /account/signin?odoo=`: the provider choice.
pub async fn signin(State(state): State<AppState>, Extension(css): Extension<SiteStylesheet>, Query(q): Query<AccountQuery>) -> Result<Response, BridgeError> {
    let (client, page) = account_page(&state.bridge, q.odoo.as_deref())?;
    let heading = format!("Your account at {}", client.config().display_name);
    Ok(pages::signin_page(&state.bridge, &page, &css, &heading))
}

/// `GET /account/signin/{provider}?odoo=`: off to the provider.
pub async fn signin_with(State(state): State<AppState>, Path(provider): Path<String>, client: ClientIp, Query(q): Query<AccountQuery>) -> Result<Response, BridgeError> {
    let (_, page) = account_page(&state.bridge, q.odoo.as_deref())?;
    pages::start(&state.bridge, &provider, page, client).await
}

/// `GET /account?odoo=`: the page, or the way to sign in.
pub async fn show(
    State(state): State<AppState>,
    Extension(css): Extension<SiteStylesheet>,
    headers: HeaderMap,
    Query(q): Query<AccountQuery>,
) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    let (client, page) = account_page(bridge, q.odoo.as_deref())?;
    let Some(signed_in) = pages::signed_in(bridge, &headers, &page).await? else {
        return Ok(super::see_other(&pages::signin_path(&page)));
    };
    let odoo = client.config();
    let title = format!("Your account at {}", odoo.display_name);
    let sign_out = pages::sign_out_form("/account/signout", &signed_in);
    let who = signed_in.session.email.clone().unwrap_or_else(|| signed_in.session.upstream_subject.clone());
    let provider = pages::provider_name(bridge, Some(&signed_in.session.provider_id));
    let top = format!(
        r#"<div class="lb-topbar"><h1>{}</h1>{sign_out}</div><p class="lb-muted">Signed in as {} with {}.</p>"#,
        escape(&title),
        escape(&who),
        escape(&provider)
    );
    let Some(user_id) = signed_in.session.odoo_user_id else {
        let body = format!(
            r#"<main class="lb-card lb-bridge-page lb-problem">{top}<p class="lb-detail">No Odoo user at {} is linked to this sign-in, so there is nothing to show. Sign out and sign in with the account you use for Odoo, or ask your administrator.</p></main>"#,
            escape(&odoo.display_name)
        );
        return Ok(pages::html(StatusCode::FORBIDDEN, &pages::document(&title, &body, &css, "/account/pages.css")));
    };

    let links = user_links(bridge, &odoo.id, user_id).await?;
    let logins = bridge
        .store
        .audit_entries(&AuditQuery {
            odoo_id: Some(odoo.id.clone()),
            user: Some(user_id.to_string()),
            kind: Some(AuditKind::Login),
            limit: 20,
            ..AuditQuery::default()
        })
        .await?;
    let notice = match q.notice.as_deref() {
        Some("unlinked") => Some("The identity was unlinked. It can no longer sign in to this Odoo account."),
        Some("last-identity") => Some("That is the only identity linked to your account, so it cannot be unlinked: you could no longer sign in."),
        Some("not-yours") => Some("That identity is not linked to your account; nothing was changed."),
        Some("signed-out-everywhere") => Some("Every Odoo session of yours has ended, on every device. Sign in again to continue working in Odoo."),
        _ => None,
    }
    .map(|text| format!(r#"<p class="lb-notice" role="status">{}</p>"#, escape(text)))
    .unwrap_or_default();

    let mut rows = String::new();
    for record in &links {
        let link = &record.link;
        let unlink = if links.len() > 1 {
            format!(
                r#"<form class="lb-inline" method="post" action="/account/unlink">{}<input type="hidden" name="odoo" value="{}"><input type="hidden" name="provider" value="{}"><input type="hidden" name="subject" value="{}"><button class="lb-button" type="submit">Unlink</button></form>"#,
                signed_in.csrf_field(),
                escape(&odoo.id),
                escape(&link.provider_id),
                escape(&link.upstream_subject)
            )
        } else {
            r#"<span class="lb-muted">Your only identity</span>"#.to_string()
        };
        let current = if link.provider_id == signed_in.session.provider_id && link.upstream_subject == signed_in.session.upstream_subject {
            r#" <span class="lb-badge">this sign-in</span>"#
        } else {
            ""
        };
        rows.push_str(&format!(
            "<tr><td>{}{current}</td><td>{}</td><td>{}</td><td>{}</td><td>{unlink}</td></tr>",
            escape(&pages::provider_name(bridge, Some(&link.provider_id))),
            escape(link.email.as_deref().unwrap_or("—")),
            escape(&pages::when_secs(record.created_at)),
            if record.last_login_at > 0 { escape(&pages::when_secs(record.last_login_at)) } else { "never".to_string() },
        ));
    }
    let identities = if links.is_empty() {
        r#"<p class="lb-muted">No identity is linked yet; one is linked at your first sign-in to Odoo through this page's providers.</p>"#.to_string()
    } else {
        format!(r#"<table><thead><tr><th scope="col">Provider</th><th scope="col">Email</th><th scope="col">Linked since</th><th scope="col">Last used</th><th scope="col"></th></tr></thead><tbody>{rows}</tbody></table>"#)
    };
    let history = login_table(bridge, &logins);
    let revoke = format!(
        r#"<form method="post" action="/account/revoke">{}<input type="hidden" name="odoo" value="{}"><button class="lb-button lb-primary" type="submit">Sign out everywhere</button></form>"#,
        signed_in.csrf_field(),
        escape(&odoo.id)
    );
    let body = format!(
        r#"<main class="lb-card lb-bridge-page">{top}{notice}
<section aria-labelledby="identities"><h2 id="identities">Linked identities</h2>{identities}</section>
<section aria-labelledby="logins"><h2 id="logins">Recent logins</h2>{history}</section>
<section aria-labelledby="everywhere"><h2 id="everywhere">Sign out everywhere</h2><p>Ends every Odoo session of yours at {}, on every device and browser.</p>{revoke}</section>
</main>"#,
        escape(&odoo.display_name)
    );
    Ok(pages::html(StatusCode::OK, &pages::document(&title, &body, &css, "/account/pages.css")))
}

fn login_table(bridge: &Bridge, logins: &[AuditEntry]) -> String {
    if logins.is_empty() {
        return r#"<p class="lb-muted">No logins recorded yet.</p>"#.to_string();
    }
    let rows: String = logins
        .iter()
        .map(|e| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&pages::when_ms(e.at_ms)),
                escape(&pages::provider_name(bridge, e.provider_id.as_deref())),
                escape(e.outcome.as_str()),
                escape(e.ip.as_deref().unwrap_or("")),
            )
        })
        .collect();
    format!(r#"<table><thead><tr><th scope="col">When</th><th scope="col">Provider</th><th scope="col">Outcome</th><th scope="col">Address</th></tr></thead><tbody>{rows}</tbody></table>"#)
}

async fn user_links(bridge: &Bridge, odoo_id: &str, user_id: i64) -> Result<Vec<LinkRecord>, BridgeError> {
    Ok(bridge.store.links(Some(odoo_id)).await?.into_iter().filter(|r| r.link.odoo_user_id == user_id).collect())
}

/// The session of the Odoo a form names, its CSRF token checked; otherwise the answer to give.
async fn form_session(bridge: &Bridge, css: &SiteStylesheet, headers: &HeaderMap, form: &AccountForm) -> Result<Result<(SignedIn, i64), Response>, BridgeError> {
    let (_, page) = account_page(bridge, form.odoo.as_deref())?;
    let Some(signed_in) = pages::signed_in(bridge, headers, &page).await? else {
        return Ok(Err(super::see_other(&pages::signin_path(&page))));
    };
    if !signed_in.csrf_ok(form.csrf.as_deref()) {
        tracing::warn!("account page: POST without a valid CSRF token refused");
        return Ok(Err(pages::csrf_refused(&page, css)));
    }
    match signed_in.session.odoo_user_id {
        Some(user_id) => Ok(Ok((signed_in, user_id))),
        None => Ok(Err(super::see_other(&page.home()))),
    }
}

/// `POST /account/unlink`: removes one of the person's identities, never the last.
pub async fn unlink(
    State(state): State<AppState>,
    Extension(css): Extension<SiteStylesheet>,
    ip: ClientIp,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    let (signed_in, user_id) = match form_session(bridge, &css, &headers, &form).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    let page = signed_in.session.page.clone();
    let odoo_id = page.odoo_id().unwrap_or_default().to_string();
    let (provider, subject) = (form.provider.unwrap_or_default(), form.subject.unwrap_or_default());
    let back = |notice: &str| super::see_other(&format!("{}&notice={notice}", page.home()));
    let found = bridge.store.find_link(&provider, &subject, &odoo_id).await?;
    let Some(link) = found.filter(|l| l.odoo_user_id == user_id) else {
        return Ok(back("not-yours"));
    };
    let entry = AuditEntry {
        odoo_id: Some(odoo_id.clone()),
        provider_id: Some(link.provider_id.clone()),
        upstream_subject: Some(link.upstream_subject.clone()),
        email: link.email.clone(),
        odoo_user_id: Some(user_id),
        ip: ip.for_audit(),
        ..AuditEntry::now(AuditKind::Unlink, AuditOutcome::Success)
    };
    // Never the last: without an identity the person could not sign in through the bridge again.
    if user_links(bridge, &odoo_id, user_id).await?.len() <= 1 {
        bridge
            .store
            .record_audit(&AuditEntry { outcome: AuditOutcome::Refused, reason: Some("last identity of the user (account page)".into()), ..entry })
            .await?;
        return Ok(back("last-identity"));
    }
    bridge.store.delete_link(&provider, &subject, &odoo_id).await?;
    bridge.store.record_audit(&AuditEntry { reason: Some("by the person (account page)".into()), ..entry }).await?;
    tracing::info!(odoo = %odoo_id, user_id, provider = %provider, "identity unlinked on the account page");
    Ok(back("unlinked"))
}

/// `POST /account/revoke`: "Sign out everywhere", exactly as `login-bridge users revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    Extension(css): Extension<SiteStylesheet>,
    ip: ClientIp,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    let (signed_in, user_id) = match form_session(bridge, &css, &headers, &form).await? {
        Ok(found) => found,
        Err(response) => return Ok(response),
    };
    let page = signed_in.session.page.clone();
    let odoo_id = page.odoo_id().unwrap_or_default().to_string();
    let client = bridge.odoo(&odoo_id).ok_or_else(|| BridgeError::UnknownOdoo(odoo_id.clone()))?;
    let result = end_sessions(bridge, client, user_id).await;
    let entry = AuditEntry {
        odoo_id: Some(odoo_id.clone()),
        provider_id: Some(signed_in.session.provider_id.clone()),
        upstream_subject: Some(signed_in.session.upstream_subject.clone()),
        email: signed_in.session.email.clone(),
        odoo_user_id: Some(user_id),
        ip: ip.for_audit(),
        ..AuditEntry::now(AuditKind::Revoke, AuditOutcome::Success)
    };
    match result {
        Ok(()) => {
            bridge.store.record_audit(&AuditEntry { reason: Some("sign out everywhere (account page)".into()), ..entry }).await?;
            tracing::info!(odoo = %odoo_id, user_id, "every Odoo session ended from the account page");
            Ok(super::see_other(&format!("{}&notice=signed-out-everywhere", page.home())))
        }
        Err(error) => {
            let failed = AuditEntry { outcome: AuditOutcome::Failed, reason: Some(crate::error::error_chain(&error)), ..entry };
            crate::audit::record(bridge, &failed).await;
            Err(match error {
                EndError::Store(e) => BridgeError::Store(e),
                EndError::Odoo(e) => BridgeError::Odoo(e),
            })
        }
    }
}

/// `POST /account/signout`: ends this session (the Odoo sessions stay).
pub async fn sign_out(
    State(state): State<AppState>,
    Extension(css): Extension<SiteStylesheet>,
    headers: HeaderMap,
    Form(form): Form<AccountForm>,
) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    let (_, page) = account_page(bridge, form.odoo.as_deref())?;
    let Some(signed_in) = pages::signed_in(bridge, &headers, &page).await? else {
        return Ok(super::see_other(&pages::signin_path(&page)));
    };
    if !signed_in.csrf_ok(form.csrf.as_deref()) {
        return Ok(pages::csrf_refused(&page, &css));
    }
    pages::sign_out(bridge, &signed_in).await
}

/// `GET /account/pages.css`.
pub async fn stylesheet() -> Response {
    pages::stylesheet_response()
}
