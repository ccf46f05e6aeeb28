//! What the login page needs to know, and the interface the server implements to tell it.
//! Types here cross the wire to the browser: they must never carry secrets, and every text in
//! them is already in the reader's language (the server translates; the WASM never does).

use serde::{Deserialize, Serialize};

/// The query of `GET /` and `GET /embed`: which Odoo the person is heading to and what they asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPageQuery {
    /// The `[[odoo]] id` of a bridge-initiated login.
    pub odoo: Option<String>,
    /// A path on that Odoo to land on after sign-in (`redirect` on `/embed`, as Odoo names it).
    pub return_to: Option<String>,
    /// The id of a pending Odoo-initiated request (`/odoo/authorize` without a provider).
    pub pending: Option<String>,
    /// `?lang=`: the language asked for by a link.
    pub lang: Option<String>,
    /// Odoo's language code (`fr_FR`), passed by the embed addon.
    pub odoo_lang: Option<String>,
    /// Odoo's `oauth_error` (1, 2 or 3) when its login page reports a failed sign-in.
    pub oauth_error: Option<String>,
    /// Why the email form (no-JS path, `GET /login?email=`) sent the person back:
    /// `invalid`, or the domain no provider is set up for.
    pub email_problem: Option<String>,
    /// The compact page made for an iframe on Odoo's login page.
    pub embed: bool,
}

/// One "Continue with …" button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderButton {
    pub id: String,
    pub kind: String,
    /// Built-in logo name (`google`, `microsoft`, `github`, `facebook`, `gitlab`, `openid`, `key`, `none`).
    pub icon: String,
    pub label: String,
    /// Plain link that starts the upstream login; works without JavaScript. Always has a `?`.
    pub href: String,
    /// False while the provider cannot be reached (discovery failed); the reason is shown.
    pub available: bool,
    pub unavailable_reason: Option<String>,
    /// What assistive technology announces while this provider opens.
    pub busy_label: String,
}

/// A message shown above the buttons: what Odoo reported, or why the email was not routed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub title: String,
    pub detail: String,
    pub correlation_id: Option<String>,
}

/// Per-Odoo look: a title, a logo and a stylesheet that sets the accent colour.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branding {
    pub title: Option<String>,
    pub logo_url: Option<String>,
    pub logo_alt: String,
    /// A stylesheet setting `--lb-accent` and friends for this Odoo.
    pub stylesheet: Option<String>,
}

/// "Type your work email": which email domain goes to which provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailRouting {
    /// `(domain, index into providers)`; a domain also matches its subdomains.
    pub routes: Vec<(String, usize)>,
    /// The no-JavaScript form target (`/login`).
    pub action: String,
    /// Hidden fields the form carries (`odoo`, `return_to`, `pending`, `lang`).
    pub hidden: Vec<(String, String)>,
    pub label: String,
    pub submit: String,
    pub hint: String,
    pub divider: String,
    pub invalid: String,
    /// Has `{domain}` where the domain goes.
    pub unknown_domain: String,
}

/// The fixed texts of the page, in the reader's language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageTexts {
    pub password_login: String,
    pub no_providers: String,
    pub reference: String,
    pub last_used: String,
    /// What Odoo will receive (name and email), said before the person picks an account.
    pub shared: String,
}

/// Everything the provider-selection page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPageData {
    /// BCP 47 code of the language the texts are in.
    pub lang: String,
    pub title: String,
    pub heading: String,
    /// The Odoo the person is signing in to, when known.
    pub odoo_name: Option<String>,
    pub branding: Branding,
    pub notice: Option<Notice>,
    pub providers: Vec<ProviderButton>,
    pub email_routing: Option<EmailRouting>,
    /// Odoo's own password login page, always offered as a way out.
    pub password_login_url: Option<String>,
    pub texts: PageTexts,
    /// Set on `/embed`: the Odoo origins the page reports its height to.
    pub embed_parents: Option<Vec<String>>,
}

/// Why the page cannot offer any button (bad `odoo=`, bad `return_to`, expired request).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPageProblem {
    pub lang: String,
    pub title: String,
    pub detail: String,
    pub correlation_id: String,
    pub reference: String,
    /// A way out: Odoo's login page when the Odoo is known.
    pub back_link: Option<(String, String)>,
    /// The HTTP status, the same as the log line says.
    pub status: u16,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    //! The server side of the page: the `login-bridge` binary computes the page before Leptos
    //! renders it and puts it in the request's extensions, so this crate never links server code
    //! and rendering has nothing left to wait for.
    use super::{LoginPageData, LoginPageProblem};

    /// The page, and what its security headers must allow (never sent to the browser as data).
    #[derive(Clone, Debug)]
    pub struct PageAnswer {
        pub outcome: Result<LoginPageData, LoginPageProblem>,
        /// Origins that may frame this page (`/embed` only); empty = `frame-ancestors 'none'`.
        pub frame_ancestors: Vec<String>,
        /// Origins images may come from besides the bridge (a configured logo).
        pub img_origins: Vec<String>,
    }
}
