//! The user interface shared by the server (SSR) and the browser (islands: only the
//! interactive part of a page is hydrated; the rest stays server-rendered HTML).
//! It must never depend on server-only crates: those sit behind `directory::ssr`.

mod browser;
pub mod directory;
pub mod email_routing;
pub mod login_page;
pub mod provider_icons;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub use directory::{LoginPageData, LoginPageQuery, ProviderButton};

/// The HTML document around every Leptos-rendered page. `<html lang>` comes from the page
/// (leptos_meta `Html`): the language is known only once the page data is.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="referrer" content="no-referrer"/>
                // Declared, so browsers do not ask for /favicon.ico (a 404) on every first visit.
                <link rel="icon" href="/login-bridge.svg" type="image/svg+xml"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The URL of the site's stylesheet. Builds name it after its content's hash, which only the
/// server knows; it provides this context to every page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StylesheetHref(pub String);

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let stylesheet = use_context::<StylesheetHref>().map_or_else(|| "/pkg/login-bridge.css".to_string(), |s| s.0);
    #[cfg(feature = "ssr")]
    set_page_headers(&[], &[]);

    view! {
        <Stylesheet id="leptos" href=stylesheet/>
        <Router>
            // Async: the whole page (buttons included) is in the first response,
            // so it works with JavaScript disabled. Unknown paths never reach Leptos:
            // the server answers them with its own translated 404 page.
            <Routes fallback=|| ()>
                <Route path=path!("") view=login_page::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("embed") view=login_page::EmbedPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// Pages run only the hydration scripts, which carry this response's nonce; a page that may
/// hold a pending Odoo request id is never cached; only `/embed` may be framed, and only by
/// the Odoo origins the server names. No `form-action`: Chromium applies it to the redirects
/// after a submit, and the email form's answer redirects to the identity provider.
#[cfg(feature = "ssr")]
pub(crate) fn set_page_headers(frame_ancestors: &[String], img_origins: &[String]) {
    use http::{header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY}, HeaderValue};
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    let ancestors = if frame_ancestors.is_empty() { "'none'".to_string() } else { frame_ancestors.join(" ") };
    let images = img_origins.iter().fold(String::from("'self' data:"), |acc, o| format!("{acc} {o}"));
    let policy = format!(
        "default-src 'none'; script-src 'nonce-{}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self'; \
         connect-src 'self'; img-src {images}; frame-ancestors {ancestors}; base-uri 'none'; object-src 'none'",
        &*nonce
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
    response.insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
