//! The HTTP surface: routes, the Leptos page, static files and middleware.
//! It must never build a URL from the Host or X-Forwarded-* headers: only from the config
//! (`X-Forwarded-For` only names the client, and only from a trusted proxy: `client_ip`).

pub mod account;
pub mod admin;
pub mod assets;
pub mod authorize;
pub mod branding;
pub mod bridge_pages;
pub mod callback;
pub mod client_ip;
pub mod cookies;
pub mod directory;
pub mod error_pages;
pub mod health;
pub mod logout;
pub mod metrics;
pub mod pages;
pub mod rate_limit;
pub mod security_headers;
pub mod start;
pub mod tokeninfo;

use crate::bridge::AppState;
use axum::{
    http::{header, HeaderValue, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
    Extension, Router,
};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use axum::handler::HandlerWithoutStateExt;
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    services::ServeDir,
};

/// The first value of a query parameter, decoded (a repeated one counts once, as pages read it).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// 303 See Other with `Cache-Control: no-store` (every redirect here is part of a login).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    match HeaderValue::from_str(location) {
        Ok(value) => {
            headers.insert(header::LOCATION, value);
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub fn router(state: AppState) -> Router {
    let site_assets = assets::SiteAssets::load(&state.leptos_options);
    let stylesheet = app::StylesheetHref(site_assets.stylesheet.clone());
    let bridge_pages = bridge_pages_routes(&state.bridge.config.limits, &site_assets.stylesheet);
    let leptos_context = move || {
        provide_context(stylesheet.clone());
        leptos::nonce::provide_nonce();
    };
    let routes = generate_route_list(app::App);
    let options = state.leptos_options.clone();
    // The site's files (WASM, JS, CSS); anything else is the translated 404 page, never the app.
    let static_files = ServeDir::new(state.leptos_options.site_root.as_ref())
        // `make build` precompresses the assets: the WASM goes out as brotli where accepted.
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(error_pages::not_found.into_service());
    let static_files = Router::new()
        .fallback_service(static_files)
        .layer(middleware::from_fn_with_state(site_assets.clone(), assets::serve_bundle));
    let localize_state = error_pages::LocalizeState { app: state.clone(), assets: site_assets };
    let limits = state.bridge.config.limits;
    let header_policy = security_headers::HeaderPolicy { https: state.bridge.config.secure_cookies() };
    // Every request that starts, resumes or finishes a sign-in shares one bucket per client.
    // A start is a new flow with its own correlation id; the callback takes the flow's.
    let sign_in = Router::new()
        .route("/odoo/authorize", get(authorize::authorize_any))
        .route("/odoo/authorize/{provider}", get(authorize::authorize_with_provider))
        .route("/login", get(start::start_by_email))
        .route("/login/{provider}", get(start::start_get).post(start::start_post))
        .route_layer(middleware::from_fn(crate::correlation::new_flow))
        .route("/callback/{provider}", get(callback::callback));
    let token_info = Router::new().route("/odoo/tokeninfo", get(tokeninfo::tokeninfo));
    Router::new()
        .merge(rate_limit::limit(sign_in, rate_limit::Group::SignIn, &limits))
        .merge(rate_limit::limit(token_info, rate_limit::Group::TokenInfo, &limits))
        .route("/branding/{file}", get(branding::stylesheet))
        .route("/logout", get(logout::logout))
        .route("/logout/done", get(logout::done))
        .route("/logout/backchannel/{provider}", axum::routing::post(logout::backchannel))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(bridge_pages)
        .route("/metrics", get(metrics::metrics))
        .leptos_routes_with_context(&state, routes, leptos_context, move || app::shell(options.clone()))
        .layer(middleware::from_fn_with_state(state.bridge.clone(), directory::prepare_page))
        .fallback_service(static_files)
        .layer(middleware::from_fn_with_state(localize_state, error_pages::localize))
        .layer(middleware::from_fn_with_state(state.clone(), client_ip::remember))
        .layer(middleware::from_fn_with_state(header_policy, security_headers::security_headers))
        // Brotli quality 4: a page compresses in microseconds; 11 would cost milliseconds each.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)).compress_when(assets::compress_html))
        .with_state(state)
}

/// `/account` and `/admin`: server-rendered, personal (no-store, noindex); their sign-in starts
/// share the sign-in rate limit.
fn bridge_pages_routes(limits: &crate::config::Limits, stylesheet: &str) -> Router<AppState> {
    let sign_in = Router::new()
        .route("/account/signin/{provider}", get(account::signin_with))
        .route("/admin/signin/{provider}", get(admin::signin_with));
    Router::new()
        .merge(rate_limit::limit(sign_in, rate_limit::Group::SignIn, limits))
        .route("/account", get(account::show))
        .route("/account/signin", get(account::signin))
        .route("/account/unlink", post(account::unlink))
        .route("/account/revoke", post(account::revoke))
        .route("/account/signout", post(account::sign_out))
        .route("/account/pages.css", get(account::stylesheet))
        .route("/admin", get(admin::dashboard))
        .route("/admin/audit", get(admin::audit_log))
        .route("/admin/doctor", get(admin::doctor))
        .route("/admin/signin", get(admin::signin))
        .route("/admin/signout", post(admin::sign_out))
        .route("/admin/admin.css", get(admin::stylesheet))
        .layer(middleware::from_fn(bridge_pages::private_responses))
        .layer(Extension(bridge_pages::SiteStylesheet(stylesheet.to_string())))
}
