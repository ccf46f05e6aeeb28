//! What `/account` and `/admin` share: their sign-in (a provider choice, then the usual flow with
//! a `BridgePage` target), the session cookie, the CSRF check, sign-out and the page frame.
//! It must never show a personal page without a live session for that very page, never act on
//! a POST without the session's CSRF token, and never let a page be cached, indexed or framed.

use super::{
    client_ip::ClientIp,
    cookies::{clear_session_cookie, session_cookies},
    pages::escape,
    start::redirect_to_provider,
};
use crate::{
    bridge::Bridge,
    error::BridgeError,
    flow::LoginTarget,
    login::StartOptions,
    session::{csrf_token, BridgePage, Session},
};
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

/// The site stylesheet's URL (hashed per build), for the pages rendered here.
#[derive(Clone, Debug)]
pub struct SiteStylesheet(pub String);

/// The few rules the site stylesheet lacks for tables, forms and the chart; served by the
/// bridge itself (`/account/pages.css`, `/admin/admin.css`) so the WASM site need not change.
pub const PAGES_CSS: &str = include_str!("bridge_pages.css");

/// Serves `PAGES_CSS`, revalidated on each use (it changes with the binary, not with its name).
pub fn stylesheet_response() -> Response {
    let mut response = PAGES_CSS.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A signed-in person: the cookie's id (for the CSRF token) and the session.
pub struct SignedIn {
    pub id: String,
    pub session: Session,
}

impl SignedIn {
    /// The hidden field every form of the session's pages carries.
    pub fn csrf_field(&self) -> String {
        format!(r#"<input type="hidden" name="csrf" value="{}">"#, escape(&csrf_token(&self.id)))
    }

    pub fn csrf_ok(&self, given: Option<&str>) -> bool {
        crate::session::csrf_ok(&self.id, given)
    }
}

/// The live session the browser holds for `page`, if any (a session for another page does not count).
pub async fn signed_in(bridge: &Bridge, headers: &HeaderMap, page: &BridgePage) -> Result<Option<SignedIn>, BridgeError> {
    for id in session_cookies(headers, bridge.config.secure_cookies()) {
        if id.is_empty() {
            continue;
        }
        if let Some(session) = bridge.store.bridge_session(&id).await? {
            if session.page == *page {
                return Ok(Some(SignedIn { id, session }));
            }
        }
    }
    Ok(None)
}

/// Where the provider choice for `page` is.
pub fn signin_path(page: &BridgePage) -> String {
    match page {
        BridgePage::Account { odoo_id } => format!("/account/signin?{}", odoo_query(odoo_id)),
        BridgePage::Admin => "/admin/signin".to_string(),
    }
}

pub fn odoo_query(odoo_id: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new()).append_pair("odoo", odoo_id).finish()
}

/// The provider choice: one button per configured provider, each starting the usual flow.
pub fn signin_page(bridge: &Bridge, page: &BridgePage, stylesheet: &SiteStylesheet, heading: &str) -> Response {
    let mut buttons = String::new();
    for provider in &bridge.config.providers {
        let href = match page {
            BridgePage::Account { odoo_id } => format!("/account/signin/{}?{}", provider.id, odoo_query(odoo_id)),
            BridgePage::Admin => format!("/admin/signin/{}", provider.id),
        };
        buttons.push_str(&format!(
            r#"<li><a class="lb-button lb-provider" href="{}">Sign in with {}</a></li>"#,
            escape(&href),
            escape(&provider.display_name)
        ));
    }
    let body = format!(
        r#"<main class="lb-card lb-bridge-page"><h1>{}</h1><p class="lb-detail">Sign in with the account you use for Odoo to continue.</p><ul class="lb-providers lb-choices">{buttons}</ul></main>"#,
        escape(heading)
    );
    html(StatusCode::OK, &document(heading, &body, stylesheet, css_path(page)))
}

/// Starts the sign-in to `page` through `provider`.
pub async fn start(bridge: &Bridge, provider: &str, page: BridgePage, client: ClientIp) -> Result<Response, BridgeError> {
    redirect_to_provider(bridge, provider, LoginTarget::BridgePage { page }, StartOptions::default(), client).await
}

/// Ends the session and goes back to the page (which then asks to sign in again).
pub async fn sign_out(bridge: &Bridge, signed_in: &SignedIn) -> Result<Response, BridgeError> {
    bridge.store.delete_bridge_session(&signed_in.id).await?;
    let mut response = super::see_other(&signed_in.session.page.home());
    response.headers_mut().append(header::SET_COOKIE, clear_session_cookie(bridge.config.secure_cookies()));
    Ok(response)
}

/// The sign-out button (a POST, with the CSRF token).
pub fn sign_out_form(action: &str, signed_in: &SignedIn) -> String {
    let odoo = signed_in
        .session
        .page
        .odoo_id()
        .map(|id| format!(r#"<input type="hidden" name="odoo" value="{}">"#, escape(id)))
        .unwrap_or_default();
    format!(
        r#"<form class="lb-inline" method="post" action="{}">{}{odoo}<button class="lb-button" type="submit">Sign out</button></form>"#,
        escape(action),
        signed_in.csrf_field()
    )
}

/// A POST without the session's token: refused, whatever it asked for.
pub fn csrf_refused(page: &BridgePage, stylesheet: &SiteStylesheet) -> Response {
    message_page(
        StatusCode::FORBIDDEN,
        page,
        stylesheet,
        "This form has expired",
        "Nothing was changed. Go back, reload the page and try again.",
    )
}

/// A page that only says something, with a way back to the page's start.
pub fn message_page(status: StatusCode, page: &BridgePage, stylesheet: &SiteStylesheet, title: &str, detail: &str) -> Response {
    let body = format!(
        r#"<main class="lb-card lb-problem"><h1>{}</h1><p class="lb-detail">{}</p><p class="lb-actions"><a class="lb-button" href="{}">Back</a></p></main>"#,
        escape(title),
        escape(detail),
        escape(&page.home())
    );
    html(status, &document(title, &body, stylesheet, css_path(page)))
}

fn css_path(page: &BridgePage) -> &'static str {
    match page {
        BridgePage::Account { .. } => "/account/pages.css",
        BridgePage::Admin => "/admin/admin.css",
    }
}

/// A whole HTML document around `body` (already escaped), with both stylesheets.
pub fn document(title: &str, body: &str, stylesheet: &SiteStylesheet, extra_css: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><link rel="icon" href="/login-bridge.svg" type="image/svg+xml"><title>{}</title><link rel="stylesheet" href="{}"><link rel="stylesheet" href="{}"></head>
<body>{body}</body></html>
"#,
        escape(title),
        escape(&stylesheet.0),
        escape(extra_css),
    )
}

/// An HTML answer that is personal: never stored, never indexed (framing is refused by the
/// strict CSP and X-Frame-Options every non-Leptos response gets).
pub fn html(status: StatusCode, html: &str) -> Response {
    let mut response = (status, html.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    private(headers);
    response
}

/// `no-store` and `noindex` on everything under `/account` and `/admin` (redirects included).
pub fn private(headers: &mut HeaderMap) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
}

/// Middleware form of `private` for the routes of both pages (except their stylesheets).
pub async fn private_responses(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let is_css = request.uri().path().ends_with(".css");
    let mut response = next.run(request).await;
    if !is_css {
        private(response.headers_mut());
    }
    response
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM UTC` (`when_secs` for seconds).
pub fn when_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default()
}

pub fn when_secs(secs: i64) -> String {
    when_ms(secs.saturating_mul(1000))
}

/// The provider's display name, or its id when it is no longer configured.
pub fn provider_name(bridge: &Bridge, id: Option<&str>) -> String {
    match id {
        Some(id) => bridge.config.provider(id).map_or_else(|| id.to_string(), |p| p.display_name.clone()),
        None => String::new(),
    }
}
