//! `/admin`: the dashboard for the people in `[admin] emails` — providers and Odoo health,
//! recent logins, a chart of logins per provider and outcome, the searchable audit log and the
//! doctor report. Admins sign in through the bridge like everyone else.
//! It must never show anything to a session whose provider-verified email is not an admin's,
//! and must not exist at all (404) when no admin is configured.

pub mod audit;
pub mod chart;

use super::{
    client_ip::ClientIp,
    bridge_pages::{self as pages, SignedIn, SiteStylesheet},
    error_pages::not_found,
    health::odoo_reachability,
    pages::escape,
};
use crate::{
    bridge::{AppState, Bridge},
    doctor::{DoctorOptions, DoctorReport, Status},
    error::BridgeError,
    session::BridgePage,
    store::{unix_now_ms, AuditKind, AuditQuery},
    upstream::Availability,
};
use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    Extension, Form,
};
use serde::Deserialize;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// The answer for an admin page, or the admin's session.
enum Access {
    Admin(SignedIn),
    Answer(Response),
}

/// Dashboard off → 404; no session → the sign-in; a signed-in non-admin → 403.
async fn access(bridge: &Bridge, headers: &HeaderMap, css: &SiteStylesheet) -> Result<Access, BridgeError> {
    if !bridge.config.admin.enabled() {
        return Ok(Access::Answer(not_found().await));
    }
    let Some(signed_in) = pages::signed_in(bridge, headers, &BridgePage::Admin).await? else {
        return Ok(Access::Answer(super::see_other(&pages::signin_path(&BridgePage::Admin))));
    };
    if !bridge.config.admin.is_admin(signed_in.session.email.as_deref(), signed_in.session.email_verified) {
        tracing::warn!(provider = %signed_in.session.provider_id, email = ?signed_in.session.email, "admin dashboard refused: not in [admin] emails");
        let who = signed_in.session.email.clone().unwrap_or_else(|| "this account".to_string());
        let body = format!(
            r#"<main class="lb-card lb-problem"><h1>Not an administrator</h1><p class="lb-detail">{} is not allowed to open the Login Bridge dashboard. Only the addresses in the bridge's <code>[admin] emails</code> setting may, and only when the provider has verified the address.</p><p class="lb-actions">{}</p></main>"#,
            escape(&who),
            pages::sign_out_form("/admin/signout", &signed_in)
        );
        return Ok(Access::Answer(pages::html(StatusCode::FORBIDDEN, &pages::document("Not an administrator", &body, css, "/admin/admin.css"))));
    }
    Ok(Access::Admin(signed_in))
}

/// `GET /admin/signin`: the provider choice.
pub async fn signin(State(state): State<AppState>, Extension(css): Extension<SiteStylesheet>) -> Response {
    if !state.bridge.config.admin.enabled() {
        return not_found().await;
    }
    pages::signin_page(&state.bridge, &BridgePage::Admin, &css, "Login Bridge dashboard")
}

/// `GET /admin/signin/{provider}`: off to the provider.
pub async fn signin_with(State(state): State<AppState>, Path(provider): Path<String>, client: ClientIp) -> Result<Response, BridgeError> {
    if !state.bridge.config.admin.enabled() {
        return Ok(not_found().await);
    }
    pages::start(&state.bridge, &provider, BridgePage::Admin, client).await
}

/// The sign-out form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct SignOutForm {
    csrf: Option<String>,
}

/// `POST /admin/signout`.
pub async fn sign_out(
    State(state): State<AppState>,
    Extension(css): Extension<SiteStylesheet>,
    headers: HeaderMap,
    Form(form): Form<SignOutForm>,
) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    if !bridge.config.admin.enabled() {
        return Ok(not_found().await);
    }
    let Some(signed_in) = pages::signed_in(bridge, &headers, &BridgePage::Admin).await? else {
        return Ok(super::see_other(&pages::signin_path(&BridgePage::Admin)));
    };
    if !signed_in.csrf_ok(form.csrf.as_deref()) {
        return Ok(pages::csrf_refused(&BridgePage::Admin, &css));
    }
    pages::sign_out(bridge, &signed_in).await
}

/// `GET /admin/admin.css`.
pub async fn stylesheet(State(state): State<AppState>) -> Response {
    if !state.bridge.config.admin.enabled() {
        return not_found().await;
    }
    pages::stylesheet_response()
}

fn frame(signed_in: &SignedIn, title: &str, content: &str, css: &SiteStylesheet) -> Response {
    let who = signed_in.session.email.clone().unwrap_or_default();
    let body = format!(
        r#"<main class="lb-admin"><header class="lb-topbar"><h1>{}</h1><nav><a href="/admin">Overview</a> · <a href="/admin/audit">Audit log</a> · <span class="lb-muted">{}</span> {}</nav></header>{content}</main>"#,
        escape(title),
        escape(&who),
        pages::sign_out_form("/admin/signout", signed_in)
    );
    pages::html(StatusCode::OK, &pages::document(title, &body, css, "/admin/admin.css"))
}

/// `GET /admin`: the overview.
pub async fn dashboard(State(state): State<AppState>, Extension(css): Extension<SiteStylesheet>, headers: HeaderMap) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    let signed_in = match access(bridge, &headers, &css).await? {
        Access::Admin(s) => s,
        Access::Answer(response) => return Ok(response),
    };
    let recent = bridge.store.audit_entries(&AuditQuery { kind: Some(AuditKind::Login), limit: 50, ..AuditQuery::default() }).await?;
    let content = format!(
        r#"<section aria-labelledby="health"><h2 id="health">Health</h2>{}</section>
<section aria-labelledby="chart"><h2 id="chart">Logins per provider and outcome</h2>{}</section>
<section aria-labelledby="recent"><h2 id="recent">Recent logins</h2>{}<p><a href="/admin/audit">Search the audit log</a></p></section>
{}"#,
        health_section(bridge).await,
        charts(bridge).await?,
        audit::table(bridge, &recent),
        doctor_section(None),
    );
    Ok(frame(&signed_in, "Login Bridge dashboard", &content, &css))
}

/// `GET /admin/audit?…`: the audit log, searched.
pub async fn audit_log(
    State(state): State<AppState>,
    Extension(css): Extension<SiteStylesheet>,
    headers: HeaderMap,
    Query(search): Query<audit::AuditSearch>,
) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    let signed_in = match access(bridge, &headers, &css).await? {
        Access::Admin(s) => s,
        Access::Answer(response) => return Ok(response),
    };
    let (query, problem) = search.query();
    let entries = bridge.store.audit_entries(&query).await?;
    let problem = problem.map(|p| format!(r#"<p class="lb-notice" role="status">{}</p>"#, escape(p))).unwrap_or_default();
    let limited = if entries.len() >= audit::SEARCH_LIMIT as usize {
        format!(r#"<p class="lb-muted">Showing the newest {} rows; narrow the search for older ones.</p>"#, audit::SEARCH_LIMIT)
    } else {
        format!(r#"<p class="lb-muted">{} rows.</p>"#, entries.len())
    };
    let content = format!(
        r#"<section aria-labelledby="audit"><h2 id="audit">Audit log</h2>{}{problem}{limited}{}</section>"#,
        audit::search_form(bridge, &search),
        audit::table(bridge, &entries)
    );
    Ok(frame(&signed_in, "Audit log", &content, &css))
}

/// Providers (discovery state) and each Odoo's reachability, as `/readyz` sees them.
async fn health_section(bridge: &Bridge) -> String {
    let mut rows = String::new();
    for (config, availability) in bridge.upstreams.availability().await {
        let (class, status) = match availability {
            Availability::Ready => ("lb-ok", "ready".to_string()),
            Availability::Starting => ("lb-muted", "starting".to_string()),
            Availability::Down(reason) => ("lb-down", format!("down: {reason}")),
        };
        rows.push_str(&format!(
            r#"<tr><td>Provider</td><td>{}</td><td><code>{}</code></td><td class="{class}">{}</td></tr>"#,
            escape(&config.display_name),
            escape(&config.id),
            escape(&status)
        ));
    }
    for (id, reachable) in odoo_reachability(bridge).await {
        let name = bridge.config.odoo(&id).map_or_else(|| id.clone(), |o| o.display_name.clone());
        let (class, status) = match reachable {
            Ok(version) => ("lb-ok", format!("reachable (Odoo {})", version.as_str().unwrap_or("?"))),
            Err(reason) => ("lb-down", format!("unreachable: {reason}")),
        };
        rows.push_str(&format!(
            r#"<tr><td>Odoo</td><td>{}</td><td><code>{}</code></td><td class="{class}">{}</td></tr>"#,
            escape(&name),
            escape(&id),
            escape(&status)
        ));
    }
    format!(r#"<table><thead><tr><th scope="col">What</th><th scope="col">Name</th><th scope="col">Id</th><th scope="col">Status</th></tr></thead><tbody>{rows}</tbody></table>"#)
}

/// The last 24 hours by hour and the last 7 days by day.
async fn charts(bridge: &Bridge) -> Result<String, BridgeError> {
    let now = unix_now_ms();
    let name = |id: Option<&str>| match id {
        Some(_) => pages::provider_name(bridge, id),
        None => "unknown provider".to_string(),
    };
    let mut out = String::new();
    for spec in [
        chart::ChartSpec { id: "chart-24h", title: "Logins in the last 24 hours, per hour (UTC)", start_ms: chart::ChartSpec::start_for(now, HOUR_MS, 24), bucket_ms: HOUR_MS, buckets: 24, label_format: "%H:00", label_every: 3 },
        chart::ChartSpec { id: "chart-7d", title: "Logins in the last 7 days, per day (UTC)", start_ms: chart::ChartSpec::start_for(now, DAY_MS, 7), bucket_ms: DAY_MS, buckets: 7, label_format: "%a %d", label_every: 1 },
    ] {
        let counts = bridge.store.audit_counts(AuditKind::Login, spec.start_ms, spec.bucket_ms).await?;
        out.push_str(&format!("<figure>{}<figcaption>{}</figcaption></figure>", chart::render(&spec, &counts, &name), escape(spec.title)));
    }
    Ok(out)
}

/// The `login-bridge doctor` report as a table, or (on the overview, where running it would
/// make every visit wait on round trips to each provider and Odoo) the way to run it.
pub fn doctor_section(report: Option<&DoctorReport>) -> String {
    let content = match report {
        Some(report) => {
            let rows: String = report
                .checks
                .iter()
                .map(|c| {
                    let class = match c.status {
                        Status::Ok => "lb-ok",
                        Status::Warning => "lb-warn",
                        Status::Error => "lb-down",
                        Status::Skipped => "lb-muted",
                    };
                    format!(
                        r#"<tr><td><code>{}</code></td><td>{}</td><td class="{class}">{}</td><td>{}</td><td>{}</td></tr>"#,
                        escape(&c.scope),
                        escape(&c.check),
                        c.status.as_str(),
                        escape(&c.message),
                        escape(c.fix.as_deref().unwrap_or(""))
                    )
                })
                .collect();
            format!(
                r#"<p>{} error(s), {} warning(s). <a href="/admin/doctor">Run again</a></p><table><thead><tr><th scope="col">Where</th><th scope="col">Check</th><th scope="col">Status</th><th scope="col">Result</th><th scope="col">Fix</th></tr></thead><tbody>{rows}</tbody></table>"#,
                report.errors(),
                report.warnings()
            )
        }
        None => r#"<p><a href="/admin/doctor">Run the doctor checks</a>: real round trips to the public URL, the store, each provider and each Odoo, with the fix for every problem (the same as <code>login-bridge doctor</code>).</p>"#.to_string(),
    };
    format!(r#"<section aria-labelledby="doctor"><h2 id="doctor">Doctor</h2>{content}</section>"#)
}

/// `GET /admin/doctor`: runs the doctor now and shows its report.
pub async fn doctor(State(state): State<AppState>, Extension(css): Extension<SiteStylesheet>, headers: HeaderMap) -> Result<Response, BridgeError> {
    let bridge = &state.bridge;
    let signed_in = match access(bridge, &headers, &css).await? {
        Access::Admin(s) => s,
        Access::Answer(response) => return Ok(response),
    };
    let report = crate::doctor::run(&bridge.config, &DoctorOptions::default()).await;
    Ok(frame(&signed_in, "Doctor", &doctor_section(Some(&report)), &css))
}
