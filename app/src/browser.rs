//! The few browser APIs the hydrated page uses. On the server (SSR) they do nothing, so the
//! page renders the same without JavaScript; every call tolerates a browser that refuses
//! (storage blocked in a third-party iframe, no parent window).

/// Where the last-used provider is remembered, per browser (and per Odoo site inside an iframe).
#[cfg(feature = "hydrate")]
const LAST_PROVIDER_KEY: &str = "login-bridge:last-provider";

#[cfg(feature = "hydrate")]
fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// The provider this browser used last, if it may tell.
pub fn last_used_provider() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        storage()?.get_item(LAST_PROVIDER_KEY).ok().flatten()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

pub fn remember_provider(id: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = storage() {
        // Blocked storage is fine: the order just stays as configured.
        let _ = storage.set_item(LAST_PROVIDER_KEY, id);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Follows `url` in this window, or in the top window from inside the iframe
/// (identity providers refuse to be framed).
pub fn navigate(url: &str, top: bool) {
    #[cfg(feature = "hydrate")]
    {
        let window = leptos::prelude::window();
        let target = if top { window.top().ok().flatten().unwrap_or(window) } else { window };
        let _ = target.location().set_href(url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, top);
}

/// Inside the iframe: tells the Odoo page the content height whenever it changes, addressed to
/// each allowed Odoo origin in turn (the browser delivers only to the one that is the parent).
pub fn report_height(parent_origins: Vec<String>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{closure::Closure, JsCast, JsValue};
        let window = leptos::prelude::window();
        let Ok(Some(parent)) = window.parent() else { return };
        // The card, not the body: the body is at least as tall as the iframe, so measuring it
        // would never let the iframe shrink.
        let Some(card) = window
            .document()
            .and_then(|d| d.query_selector("main").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        let measured = card.clone();
        let send = move || {
            let height = measured.offset_top() * 2 + measured.offset_height();
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str("login-bridge:height"));
            let _ = js_sys::Reflect::set(&message, &JsValue::from_str("height"), &JsValue::from_f64(f64::from(height)));
            for origin in &parent_origins {
                let _ = parent.post_message(&message, origin);
            }
        };
        send();
        let callback = Closure::<dyn FnMut()>::new(send);
        if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            observer.observe(&card);
        }
        // The observer lives as long as the page.
        callback.forget();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = parent_origins;
}
