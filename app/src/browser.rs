//! What the `SignInChoices` island does in the browser, on the server's own markup: the busy
//! state after a click, the remembered provider, email routing and the iframe's height. On the
//! server (SSR) every function does nothing, so the page renders the same without JavaScript;
//! every call tolerates a browser that refuses (storage blocked in a third-party iframe, no
//! parent window).
//!
//! The markup carries what these need in data attributes (`login_page`): `data-provider` and
//! `data-busy` on each button, `data-last-used` and `data-parents` on the list, `data-routes`,
//! `data-invalid` and `data-unknown` on the email form.

#[cfg(feature = "hydrate")]
mod dom {
    use crate::email_routing::{email_domain, route_for, url_escape};
    use leptos::prelude::{document, window};
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use web_sys::{Element, HtmlElement, HtmlFormElement, HtmlInputElement};

    /// Where the last-used provider is remembered, per browser (and per Odoo site inside an iframe).
    const LAST_PROVIDER_KEY: &str = "login-bridge:last-provider";

    fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    fn find(selector: &str) -> Option<Element> {
        document().query_selector(selector).ok().flatten()
    }

    fn find_all(selector: &str) -> Vec<Element> {
        let Ok(list) = document().query_selector_all(selector) else { return Vec::new() };
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
    }

    /// A followable provider button by id (ids are `[a-z0-9_-]`: the config checks them).
    fn provider_link(id: &str) -> Option<Element> {
        find(&format!("a[data-provider=\"{id}\"]"))
    }

    pub fn mark_hydrated() {
        if let Some(card) = find("main") {
            let _ = card.set_attribute("data-hydrated", "true");
        }
    }

    /// Moves the provider this browser used last to the top and badges it. The server renders
    /// the configured order: only the browser knows.
    pub fn show_last_used_provider() {
        let Some(id) = storage().and_then(|s| s.get_item(LAST_PROVIDER_KEY).ok().flatten()) else { return };
        let (Some(link), Some(list)) = (provider_link(&id), find("ul.lb-providers")) else { return };
        let Some(item) = link.closest("li").ok().flatten() else { return };
        let _ = list.insert_before(&item, list.first_child().as_ref());
        let badge = document().create_element("span");
        if let Ok(badge) = badge {
            badge.set_class_name("lb-badge");
            badge.set_text_content(list.get_attribute("data-last-used").as_deref());
            let _ = link.append_child(&badge);
        }
    }

    fn busy() -> bool {
        find("a[data-provider].is-busy").is_some()
    }

    /// One provider is opening: it says so (class, `aria-busy`, the live region), the others
    /// step back, and the choice is remembered for next time.
    fn set_busy(chosen: &Element) {
        let Some(id) = chosen.get_attribute("data-provider") else { return };
        if let Some(storage) = storage() {
            // Blocked storage is fine: the order just stays as configured.
            let _ = storage.set_item(LAST_PROVIDER_KEY, &id);
        }
        for link in find_all("a[data-provider]") {
            let mine = link.get_attribute("data-provider").as_deref() == Some(id.as_str());
            let _ = link.class_list().add_1(if mine { "is-busy" } else { "is-idle" });
            let _ = link.set_attribute("aria-busy", if mine { "true" } else { "false" });
        }
        if let Some(live) = find(".lb-live") {
            live.set_text_content(chosen.get_attribute("data-busy").as_deref());
        }
    }

    pub fn on_provider_click(ev: &web_sys::MouseEvent) {
        let target = ev.target().and_then(|t| t.dyn_into::<Element>().ok());
        let Some(link) = target.and_then(|t| t.closest("a[data-provider]").ok().flatten()) else { return };
        // An impatient second click must not start a second flow.
        if busy() {
            ev.prevent_default();
            return;
        }
        set_busy(&link);
    }

    pub fn on_email_submit(ev: &web_sys::SubmitEvent) {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
        if !form.class_list().contains("lb-email") {
            return;
        }
        // Routed here and now; the form's server route stays the no-JavaScript path.
        ev.prevent_default();
        let Some(input) = find("#lb-email-input").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) else { return };
        let typed = input.value();
        let attr = |name: &str| form.get_attribute(name).unwrap_or_default();
        let problem = match email_domain(&typed) {
            None => Some(attr("data-invalid")),
            Some(domain) => {
                let routes_attr = attr("data-routes");
                let pairs: Vec<(&str, &str)> = routes_attr.split_whitespace().filter_map(|p| p.split_once('=')).collect();
                let routes: Vec<(String, usize)> = pairs.iter().enumerate().map(|(i, (d, _))| (d.to_string(), i)).collect();
                let chosen = route_for(&routes, &domain).and_then(|i| pairs.get(i)).map(|(_, id)| id.to_string());
                match chosen.as_deref().and_then(provider_link) {
                    Some(link) if !busy() => {
                        let href = link.get_attribute("href").unwrap_or_default();
                        let separator = if href.ends_with('?') { "" } else { "&" };
                        set_busy(&link);
                        navigate(&format!("{href}{separator}login_hint={}", url_escape(typed.trim())), form.target() == "_top");
                        None
                    }
                    Some(_) => None,
                    None => match chosen.and_then(|id| find(&format!("[data-provider=\"{id}\"][data-reason]"))) {
                        // A provider that cannot be reached right now says why.
                        Some(unavailable) => unavailable.get_attribute("data-reason"),
                        None => Some(attr("data-unknown").replace("{domain}", &domain)),
                    },
                }
            }
        };
        let _ = input.set_attribute("aria-invalid", if problem.is_some() { "true" } else { "false" });
        if let Some(error) = find("#lb-email-error") {
            error.set_text_content(problem.as_deref());
        }
    }

    /// Follows `url` in this window, or in the top window from inside the iframe
    /// (identity providers refuse to be framed).
    fn navigate(url: &str, top: bool) {
        let window = window();
        let target = if top { window.top().ok().flatten().unwrap_or(window) } else { window };
        let _ = target.location().set_href(url);
    }

    /// Inside the iframe: tells the Odoo page the content height whenever it changes, addressed
    /// to each allowed Odoo origin in turn (the browser delivers only to the one that is the
    /// parent).
    pub fn report_height() {
        let Some(origins) = find("ul.lb-providers").and_then(|l| l.get_attribute("data-parents")) else { return };
        let parent_origins: Vec<String> = origins.split_whitespace().map(str::to_string).collect();
        let window = window();
        let Ok(Some(parent)) = window.parent() else { return };
        // The card, not the body: the body is at least as tall as the iframe, so measuring it
        // would never let the iframe shrink.
        let Some(card) = find("main").and_then(|e| e.dyn_into::<HtmlElement>().ok()) else { return };
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
}

#[cfg(feature = "hydrate")]
pub use dom::{mark_hydrated, on_email_submit, on_provider_click, report_height, show_last_used_provider};

#[cfg(not(feature = "hydrate"))]
mod server_side {
    pub fn mark_hydrated() {}
    pub fn show_last_used_provider() {}
    pub fn report_height() {}
    pub fn on_provider_click(_: &leptos::ev::MouseEvent) {}
    pub fn on_email_submit(_: &leptos::ev::SubmitEvent) {}
}

#[cfg(not(feature = "hydrate"))]
pub use server_side::{mark_hydrated, on_email_submit, on_provider_click, report_height, show_last_used_provider};
