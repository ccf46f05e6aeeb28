//! The user interface shared by the server (SSR) and the browser (hydration).
//! It must never depend on server-only crates: those sit behind `directory::ssr`.

pub mod directory;
pub mod login_page;
pub mod provider_icons;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub use directory::{LoginPageData, LoginPageQuery, ProviderButton};

/// The HTML document around every Leptos-rendered page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="referrer" content="no-referrer"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "ssr")]
    set_page_headers();

    view! {
        <Stylesheet id="leptos" href="/pkg/login-bridge.css"/>
        <Title text="Sign in"/>
        <Router>
            // Async: the whole page (buttons included) is in the first response,
            // so it works with JavaScript disabled.
            <Routes fallback=|| view! { <login_page::NotFound/> }>
                <Route path=path!("") view=login_page::LoginPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// Pages run only the hydration scripts, which carry this response's nonce; and a page that
/// may hold a pending Odoo request id is never cached.
#[cfg(feature = "ssr")]
fn set_page_headers() {
    use http::{header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY}, HeaderValue};
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    let policy = format!(
        "default-src 'none'; script-src 'nonce-{}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self'; \
         connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        &*nonce
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
    response.insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
