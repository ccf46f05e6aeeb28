//! Every error page, written in the reader's language: handlers answer with the words as message
//! ids (`ErrorPage`), and this middleware, which sees the request, renders them.
//! It must never show a stack trace or an internal detail: only the messages of `locales/`.

use super::{
    assets::SiteAssets,
    pages::{render_page, PageContent},
};
use crate::{
    bridge::AppState,
    error::ErrorText,
    i18n::{negotiate, LanguageHints, Locale},
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use url::form_urlencoded;

/// An error page waiting for its language: put on the response by `BridgeError`.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub text: ErrorText,
    pub correlation_id: Option<String>,
}

/// What a handler knows that the request does not say: the flow's language and Odoo.
#[derive(Clone, Debug, Default)]
pub struct PageContext {
    pub lang: Option<String>,
    pub odoo_id: Option<String>,
}

/// A response that the middleware turns into the page. The English body is what a caller
/// outside the router (a unit test) sees.
pub fn error_page_response(status: StatusCode, page: ErrorPage) -> Response {
    let content = page_content(&page, Locale::default(), None);
    let mut response = html_response(status, render_page(&content, UNHASHED_STYLESHEET));
    response.extensions_mut().insert(page);
    response
}

fn html_response(status: StatusCode, html: String) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Where a page can send the person next: start again, or back to Odoo's password login.
struct WayOut {
    retry_href: String,
    odoo_login: Option<String>,
}

fn page_content(page: &ErrorPage, locale: Locale, way_out: Option<&WayOut>) -> PageContent {
    let (title, detail, code_line) = page.text.render(locale);
    PageContent {
        lang: locale.code().to_string(),
        title,
        detail,
        code_line,
        retry: page.text.retry.then(|| {
            let href = way_out.map_or_else(|| "/".to_string(), |w| w.retry_href.clone());
            (href, locale.text("try-again"))
        }),
        back_link: way_out.and_then(|w| w.odoo_login.clone()).map(|href| (href, locale.text("back-to-odoo"))),
        correlation_id: page.correlation_id.clone().map(|id| (locale.text("reference"), id)),
    }
}

/// The stylesheet of a build without hashed names; real pages get theirs from `localize`.
const UNHASHED_STYLESHEET: &str = "/pkg/login-bridge.css";

/// What `localize` needs: the bridge (Odoo links) and this build's asset names.
#[derive(Clone)]
pub struct LocalizeState {
    pub app: AppState,
    pub assets: SiteAssets,
}

/// The middleware: renders any `ErrorPage` in the language of the request (or of its flow).
pub async fn localize(State(LocalizeState { app: state, assets }): State<LocalizeState>, request: Request, next: Next) -> Response {
    let query = request.uri().query().unwrap_or_default().to_string();
    let accept_language = request.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let response = next.run(request).await;
    let Some(page) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let context = response.extensions().get::<PageContext>().cloned().unwrap_or_default();
    let param = |name: &str| super::query_param(&query, name);
    let (odoo_lang, lang) = (param("odoo_lang"), param("lang"));
    let locale = negotiate(LanguageHints {
        odoo: context.lang.as_deref().or(odoo_lang.as_deref()),
        accept_language: accept_language.as_deref(),
        param: lang.as_deref(),
    });
    let odoo_id = context.odoo_id.or_else(|| param("odoo"));
    let odoo = state.bridge.odoo_or_default(odoo_id.as_deref()).map(|client| client.config());
    let way_out = WayOut {
        retry_href: match odoo {
            Some(o) => format!("/?{}", form_urlencoded::Serializer::new(String::new()).append_pair("odoo", &o.id).append_pair("lang", locale.code()).finish()),
            None => format!("/?lang={}", locale.code()),
        },
        odoo_login: odoo.map(|o| o.password_login_url()),
    };
    let html = render_page(&page_content(&page, locale, Some(&way_out)), &assets.stylesheet);
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

/// Unknown paths: the translated "page not found" (static files are served before this).
pub async fn not_found() -> Response {
    error_page_response(StatusCode::NOT_FOUND, ErrorPage { text: ErrorText::new("page-not-found"), correlation_id: None })
}
