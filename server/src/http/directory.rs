//! The server side of the provider page and its embedded twin: which buttons, where they lead,
//! what is down, in which language, with which Odoo's look, and who may frame it.
//! It must never put a secret into page data: all of it is rendered into the HTML.

use super::start::{query_string, resolve_target, StartParams};
use crate::{
    branding,
    bridge::Bridge,
    config::OdooConfig,
    error::{correlation_id, BridgeError},
    flow::LoginTarget,
    i18n::{negotiate, LanguageHints, Locale},
    upstream::Availability,
};
use app::directory::{
    ssr::PageAnswer, Branding, EmailRouting, LoginPageData, LoginPageProblem, LoginPageQuery, Notice, PageTexts, ProviderButton,
};
use axum::{
    extract::{Request, State},
    http::{header, Method},
    middleware::Next,
    response::Response,
};
use std::sync::Arc;

/// In front of the Leptos pages (`/` and `/embed`): computes the page and hands it to the render
/// in the request's extensions (`app::login_page`), so rendering never waits on anything.
pub async fn prepare_page(State(bridge): State<Arc<Bridge>>, mut request: Request, next: Next) -> Response {
    let embed = match request.uri().path() {
        "/" => false,
        "/embed" => true,
        _ => return next.run(request).await,
    };
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let query = page_query(request.uri().query().unwrap_or_default(), embed);
    let accept_language = request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let answer = page(&bridge, query, accept_language).await;
    request.extensions_mut().insert(answer);
    next.run(request).await
}

/// The page's parameters; the first of a repeated one counts.
fn page_query(query: &str, embed: bool) -> LoginPageQuery {
    let param = |name: &str| super::query_param(query, name);
    LoginPageQuery {
        odoo: param("odoo"),
        // Odoo calls it `redirect` on its login page; the embed addon passes it on as is.
        return_to: param("return_to").or_else(|| param("redirect")),
        pending: param("pending"),
        lang: param("lang"),
        odoo_lang: param("odoo_lang"),
        oauth_error: param("oauth_error"),
        email_problem: param("email_problem"),
        embed,
    }
}

async fn page(bridge: &Bridge, query: LoginPageQuery, accept_language: Option<String>) -> PageAnswer {
    let locale = negotiate(LanguageHints {
        odoo: query.odoo_lang.as_deref(),
        accept_language: accept_language.as_deref(),
        param: query.lang.as_deref(),
    });
    let params = StartParams {
        odoo: query.odoo.clone(),
        return_to: query.return_to.clone(),
        pending: query.pending.clone(),
        lang: Some(locale.code().to_string()),
        login_hint: None,
    };
    let target = match resolve_target(bridge, params.clone()).await {
        Ok(target) => target,
        Err(error) => return problem_page(bridge, &query, locale, &error),
    };
    // A pending Odoo request carries its own target: the buttons only need its id.
    let link_pairs = match &target {
        LoginTarget::OdooInitiated { .. } => StartParams { odoo: None, return_to: None, ..params.clone() }.target_pairs(),
        LoginTarget::BridgeInitiated { odoo_id, .. } => StartParams { odoo: Some(odoo_id.clone()), ..params.clone() }.target_pairs(),
        // Not a target this page resolves (the bridge's own pages have their sign-in page).
        LoginTarget::BridgePage { .. } => Vec::new(),
    };
    let link_query = query_string(&link_pairs);
    let Some(odoo) = target.odoo_id().and_then(|id| bridge.odoo(id)).map(|c| c.config().clone()) else {
        return problem_page(bridge, &query, locale, &BridgeError::UnknownOdoo(target.odoo_id().unwrap_or_default().to_string()));
    };

    let mut providers = Vec::new();
    let mut routes = Vec::new();
    for (config, availability) in bridge.upstreams.availability().await {
        let (available, reason) = match availability {
            Availability::Ready => (true, None),
            Availability::Starting => (false, Some(locale.text("provider-connecting"))),
            Availability::Down(_) => (false, Some(locale.text("provider-unavailable"))),
        };
        routes.extend(config.email_domains.iter().map(|d| (d.clone(), providers.len())));
        let name = [("provider", config.display_name.as_str())];
        providers.push(ProviderButton {
            href: format!("/login/{}?{link_query}", config.id),
            label: locale.text_with("continue-with", &name),
            busy_label: locale.text_with("provider-busy", &name),
            kind: config.kind.as_str().to_string(),
            icon: config.icon.clone(),
            id: config.id,
            available,
            unavailable_reason: reason,
        });
    }

    let title_name = odoo.title.clone().unwrap_or_else(|| odoo.display_name.clone());
    let data = LoginPageData {
        lang: locale.code().to_string(),
        title: format!("{} · {title_name}", locale.text("page-title")),
        heading: locale.text("page-heading"),
        odoo_name: Some(title_name.clone()),
        branding: Branding {
            title: odoo.title.clone(),
            logo_url: odoo.logo_url.as_ref().map(|u| u.to_string()),
            logo_alt: locale.text_with("logo-alt", &[("odoo", &title_name)]),
            stylesheet: branding::stylesheet_href(&odoo),
        },
        notice: notice(&query, &odoo, locale),
        email_routing: (!routes.is_empty()).then(|| EmailRouting {
            routes,
            action: "/login".into(),
            hidden: link_pairs.iter().map(|(n, v)| (n.to_string(), v.clone())).collect(),
            label: locale.text("email-label"),
            submit: locale.text("email-submit"),
            hint: locale.text("email-hint"),
            divider: locale.text("email-divider"),
            invalid: locale.text("email-invalid"),
            unknown_domain: locale.text_with("email-unknown-domain", &[("domain", "{domain}")]),
        }),
        providers,
        // Inside Odoo's login page the password form is right there (the addon hides it only
        // with its own way back), so the embed page does not repeat the link.
        password_login_url: (!query.embed).then(|| odoo.password_login_url()),
        texts: PageTexts {
            password_login: locale.text("password-login"),
            no_providers: locale.text("no-providers"),
            reference: locale.text("reference"),
            last_used: locale.text("last-used"),
            shared: locale.text_with("shared-with-odoo", &[("odoo", &odoo.display_name)]),
        },
        embed_parents: query.embed.then(|| odoo.frame_origins()),
    };
    PageAnswer {
        outcome: Ok(data),
        frame_ancestors: if query.embed { odoo.frame_origins() } else { Vec::new() },
        img_origins: odoo.logo_url.iter().map(|u| u.origin().ascii_serialization()).collect(),
    }
}

/// What Odoo's login page reported (`oauth_error`), or why the email form sent the person back.
fn notice(query: &LoginPageQuery, odoo: &OdooConfig, locale: Locale) -> Option<Notice> {
    if let Some(code) = query.oauth_error.as_deref().filter(|c| matches!(*c, "1" | "2" | "3")) {
        let id = correlation_id();
        tracing::warn!(correlation_id = %id, odoo = %odoo.id, oauth_error = code, fix = odoo_error_fix(code), "Odoo reported a failed sign-in");
        return Some(Notice {
            title: locale.text(&format!("odoo-error-{code}-title")),
            detail: locale.text(&format!("odoo-error-{code}-detail")),
            correlation_id: Some(id),
        });
    }
    let problem = query.email_problem.as_deref()?;
    let detail = match problem {
        "invalid" => locale.text("email-invalid"),
        domain => locale.text_with("email-unknown-domain", &[("domain", domain)]),
    };
    Some(Notice { title: locale.text("email-label"), detail, correlation_id: None })
}

/// The admin's fix for each `oauth_error` Odoo can report.
fn odoo_error_fix(code: &str) -> &'static str {
    match code {
        "1" => "Odoo tried to sign the person up and sign-up is off: create the user in Odoo, or set provision = \"portal\"/\"internal\" in [[odoo]]",
        "2" => "Odoo could not validate the token: check the provider record's Validation URL ({public_url}/odoo/tokeninfo), that it is enabled, and that Odoo reaches the bridge",
        _ => "Odoo found no user for the token's subject: check `login-bridge users list`; the link may have been removed or changed in Odoo",
    }
}

/// The page when no button can be offered, with a way back to Odoo when it is known.
fn problem_page(bridge: &Bridge, query: &LoginPageQuery, locale: Locale, error: &BridgeError) -> PageAnswer {
    let odoo = bridge.odoo_or_default(query.odoo.as_deref()).map(|c| c.config());
    let (title, detail) = match error {
        // On this page an expired flow is always an Odoo request left waiting too long.
        BridgeError::FlowExpired => (locale.text("link-invalid-title"), locale.text("request-expired")),
        other => {
            let (title, detail, _) = other.text().render(locale);
            (title, detail)
        }
    };
    // Inside Odoo's login page a problem must still be readable, so any configured Odoo may frame it.
    let frame_ancestors = if query.embed {
        bridge.config.odoo.iter().flat_map(OdooConfig::frame_origins).collect()
    } else {
        Vec::new()
    };
    PageAnswer {
        outcome: Err(LoginPageProblem {
            lang: locale.code().to_string(),
            title,
            detail,
            correlation_id: error.log(),
            reference: locale.text("reference"),
            back_link: odoo.map(|o| (o.password_login_url(), locale.text("back-to-odoo"))),
            status: error.status().as_u16(),
        }),
        frame_ancestors,
        img_origins: Vec::new(),
    }
}
