//! What the login page needs to know, and the interface the server implements to tell it.
//! Types here cross the wire to the browser: they must never carry secrets.

use serde::{Deserialize, Serialize};

/// The query of `GET /`: which Odoo the person is heading to and what they asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPageQuery {
    /// The `[[odoo]] id` of a bridge-initiated login.
    pub odoo: Option<String>,
    /// A path on that Odoo to land on after sign-in.
    pub return_to: Option<String>,
    /// The id of a pending Odoo-initiated request (`/odoo/authorize` without a provider).
    pub pending: Option<String>,
}

/// One "Continue with …" button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderButton {
    pub id: String,
    pub kind: String,
    /// Built-in logo name (`google`, `microsoft`, `github`, `facebook`, `gitlab`, `openid`, `key`, `none`).
    pub icon: String,
    pub label: String,
    /// Plain link that starts the upstream login; works without JavaScript.
    pub href: String,
    /// False while the provider cannot be reached (discovery failed); the reason is shown.
    pub available: bool,
    pub unavailable_reason: Option<String>,
}

/// Everything the provider-selection page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPageData {
    pub heading: String,
    /// The Odoo the person is signing in to, when known.
    pub odoo_name: Option<String>,
    pub providers: Vec<ProviderButton>,
    /// Odoo's own password login page, always offered as a way out.
    pub password_login_url: Option<String>,
}

/// Why the page cannot offer any button (bad `odoo=`, bad `return_to`, expired request).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPageProblem {
    pub title: String,
    pub detail: String,
    pub correlation_id: String,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    //! The server side of the page: implemented by the `login-bridge` binary and
    //! provided as Leptos context, so this crate never links server code.
    use super::{LoginPageData, LoginPageProblem, LoginPageQuery};
    use std::{future::Future, pin::Pin, sync::Arc};

    pub type PageFuture<'a> =
        Pin<Box<dyn Future<Output = Result<LoginPageData, LoginPageProblem>> + Send + 'a>>;

    pub trait LoginDirectory: Send + Sync {
        fn login_page<'a>(&'a self, query: LoginPageQuery) -> PageFuture<'a>;
    }

    /// The context value the server provides.
    pub type SharedDirectory = Arc<dyn LoginDirectory>;
}
