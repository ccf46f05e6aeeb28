//! The bridge's errors and the one way they reach people: a page, a status and one log line.
//! It must never put a secret, a stack trace or an internal detail on the page.

use crate::{
    http::error_pages::{error_page_response, ErrorPage},
    i18n::Locale,
    odoo::{link::LinkError, request::AuthorizeRequestError, OdooError},
    policy::PolicyRefusal,
    store::StoreError,
    upstream::{NotAllowedReason, UpstreamError},
};
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    #[error("invalid request from Odoo: {0}")]
    OdooRequest(#[from] AuthorizeRequestError),
    #[error("unknown provider `{0}`")]
    UnknownProvider(String),
    #[error("unknown Odoo `{0}`")]
    UnknownOdoo(String),
    #[error("several Odoo are configured and the link names none")]
    OdooNotChosen,
    #[error("refused return_to: {0}")]
    BadReturnTo(String),
    #[error("the sign-in flow expired or was started in another browser")]
    FlowExpired,
    #[error("the callback came back for provider `{got}`, the flow was started with `{expected}`")]
    ProviderMismatch { got: String, expected: String },
    #[error("{provider} refused the sign-in: {error} {description}")]
    UpstreamRefused { provider: String, error: String, description: String },
    #[error("the callback carries neither code nor error")]
    MalformedCallback,
    #[error("the Odoo user is blocked from signing in through the bridge (login-bridge users block)")]
    Blocked,
    #[error("too many sign-in requests from {ip}: over [limits] per_ip_per_minute / burst (retry in {retry_after} s)")]
    TooManyRequests { ip: String, retry_after: u64 },
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error(transparent)]
    Odoo(#[from] OdooError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A short random id that ties the page a person sees to the log line an admin greps: inside a
/// login flow, the flow's own id (`correlation`), which every log line of the flow carries too.
pub fn correlation_id() -> String {
    crate::correlation::current().unwrap_or_else(crate::correlation::fresh)
}

/// Flattens an error and its sources into one line for logs and admin-facing messages.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl BridgeError {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::OdooRequest(_) | Self::OdooNotChosen | Self::BadReturnTo(_) | Self::FlowExpired
            | Self::ProviderMismatch { .. } | Self::MalformedCallback => StatusCode::BAD_REQUEST,
            Self::UnknownProvider(_) | Self::UnknownOdoo(_) => StatusCode::NOT_FOUND,
            Self::UpstreamRefused { .. } | Self::Blocked => StatusCode::FORBIDDEN,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Link(LinkError::Policy(_) | LinkError::NoAccount { .. } | LinkError::Ambiguous { .. } | LinkError::Archived { .. }) => {
                StatusCode::FORBIDDEN
            }
            Self::Link(LinkError::SubjectTaken { .. }) => StatusCode::CONFLICT,
            Self::Upstream(UpstreamError::Unavailable { .. }) | Self::Store(StoreError::Full { .. }) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Upstream(UpstreamError::NotAllowed { .. }) => StatusCode::FORBIDDEN,
            Self::Upstream(_) | Self::Odoo(_) | Self::Link(LinkError::Odoo(_)) => StatusCode::BAD_GATEWAY,
            Self::Link(LinkError::NoProviderRecord) | Self::Link(LinkError::Store(_)) | Self::Store(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What the person reads: what happened and what to do, as message ids of `locales/`.
    pub(crate) fn text(&self) -> ErrorText {
        let text = ErrorText::new;
        match self {
            Self::OdooRequest(_) => text("error-request-invalid"),
            Self::UnknownProvider(_) => text("error-unknown-provider").retry(),
            Self::UnknownOdoo(_) | Self::OdooNotChosen => text("error-unknown-odoo"),
            Self::BadReturnTo(_) => text("error-return-to"),
            Self::FlowExpired | Self::ProviderMismatch { .. } | Self::MalformedCallback => text("error-expired").retry(),
            // Microsoft names the exact cause (AADSTS…), even for access_denied: say it.
            Self::UpstreamRefused { description, .. } if aadsts_code(description).is_some() => {
                ErrorText::aadsts(aadsts_code(description).unwrap_or_default())
            }
            Self::UpstreamRefused { provider, error, .. } if error == "access_denied" => {
                text("error-cancelled").arg("provider", provider).retry()
            }
            // The code is shown to help the admin, but only if it looks like one (it comes from the URL).
            Self::UpstreamRefused { provider, error, .. } => text("error-refused").arg("provider", provider).arg("code", &safe_code(error)).retry(),
            Self::Upstream(UpstreamError::TokenExchange { reason, .. }) if aadsts_code(reason).is_some() => {
                ErrorText::aadsts(aadsts_code(reason).unwrap_or_default())
            }
            Self::Upstream(UpstreamError::Unavailable { provider, .. }) => text("error-provider-down").arg("provider", provider).retry(),
            Self::Upstream(UpstreamError::NotAllowed { reason, .. }) => {
                let detail = match reason {
                    NotAllowedReason::GoogleDomain(domain) => ("error-not-allowed-google-domain", "domain", domain),
                    NotAllowedReason::MicrosoftTenant(tenant) => ("error-not-allowed-microsoft-tenant", "tenant", tenant),
                    NotAllowedReason::GithubOrganization(login) => ("error-not-allowed-github-org", "code", login),
                };
                ErrorText { title: "error-not-allowed-title", detail: detail.0, args: vec![(detail.1, detail.2.clone())], code_line: None, retry: true }
            }
            Self::Upstream(_) => text("error-verify-failed").retry(),
            Self::Link(LinkError::NoAccount { email }) => text("error-no-account").arg("email", email),
            Self::Link(LinkError::Archived { email }) => text("error-archived").arg("email", email),
            Self::Link(LinkError::SubjectTaken { .. }) => text("error-link-conflict"),
            Self::Link(LinkError::Ambiguous { email }) => text("error-ambiguous").arg("email", email),
            Self::Link(LinkError::Policy(refusal)) => match refusal {
                PolicyRefusal::NoEmail => text("error-no-email").retry(),
                PolicyRefusal::EmailNotVerified(email) => text("error-email-unverified").arg("email", email),
                PolicyRefusal::DomainNotAllowed { email } => text("error-domain").arg("email", email).retry(),
                PolicyRefusal::NotLinked => text("error-not-linked"),
            },
            Self::Blocked => text("error-blocked"),
            Self::TooManyRequests { .. } => text("error-too-many").retry(),
            Self::Odoo(OdooError::Unreachable { .. } | OdooError::Http { .. })
            | Self::Link(LinkError::Odoo(OdooError::Unreachable { .. } | OdooError::Http { .. })) => text("error-odoo-down").retry(),
            Self::Odoo(_) | Self::Link(LinkError::Odoo(_)) => text("error-odoo-setup"),
            Self::Link(LinkError::NoProviderRecord) => text("error-no-provider-record"),
            Self::Store(StoreError::Full { .. }) => text("error-busy").retry(),
            Self::Link(LinkError::Store(_)) | Self::Store(_) => text("error-internal").retry(),
        }
    }
}

/// An error page's words as message ids: `{id}-title` and `{id}-detail` with their variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorText {
    pub title: &'static str,
    pub detail: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// A line naming the provider's own error code (Microsoft's AADSTS…), for the admin.
    pub code_line: Option<(&'static str, String)>,
    /// Offer "Try again": starting over can help.
    pub retry: bool,
}

impl ErrorText {
    /// `id` names a `{id}-title` / `{id}-detail` pair.
    pub fn new(id: &'static str) -> Self {
        let (title, detail) = ERROR_IDS.iter().find(|(i, _, _)| *i == id).map(|(_, t, d)| (*t, *d)).unwrap_or(("error-internal-title", "error-internal-detail"));
        Self { title, detail, args: Vec::new(), code_line: None, retry: false }
    }
    fn arg(mut self, name: &'static str, value: &str) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
    fn retry(mut self) -> Self {
        self.retry = true;
        self
    }
    fn aadsts(code: &str) -> Self {
        let detail = AADSTS_EXPLAINED.iter().find(|(c, _)| *c == code).map_or("aadsts-other", |(_, id)| *id);
        Self { title: "aadsts-title", detail, args: Vec::new(), code_line: Some(("aadsts-code", format!("AADSTS{code}"))), retry: true }
    }
    /// The title and detail in `locale`.
    pub fn render(&self, locale: Locale) -> (String, String, Option<String>) {
        let args: Vec<(&'static str, &str)> = self.args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let code = self.code_line.as_ref().map(|(id, code)| locale.text_with(id, &[("code", code)]));
        (locale.text_with(self.title, &args), locale.text_with(self.detail, &args), code)
    }
}

/// Message ids are whole literals so a search for one finds every use.
const ERROR_IDS: &[(&str, &str, &str)] = &[
    ("error-request-invalid", "error-request-invalid-title", "error-request-invalid-detail"),
    ("error-unknown-provider", "error-unknown-provider-title", "error-unknown-provider-detail"),
    ("error-unknown-odoo", "error-unknown-odoo-title", "error-unknown-odoo-detail"),
    ("error-return-to", "error-return-to-title", "error-return-to-detail"),
    ("error-expired", "error-expired-title", "error-expired-detail"),
    ("error-cancelled", "error-cancelled-title", "error-cancelled-detail"),
    ("error-refused", "error-refused-title", "error-refused-detail"),
    ("error-provider-down", "error-provider-down-title", "error-provider-down-detail"),
    ("error-verify-failed", "error-verify-failed-title", "error-verify-failed-detail"),
    ("error-no-account", "error-no-account-title", "error-no-account-detail"),
    ("error-archived", "error-archived-title", "error-archived-detail"),
    ("error-link-conflict", "error-link-conflict-title", "error-link-conflict-detail"),
    ("error-ambiguous", "error-ambiguous-title", "error-ambiguous-detail"),
    ("error-no-email", "error-no-email-title", "error-no-email-detail"),
    ("error-email-unverified", "error-email-unverified-title", "error-email-unverified-detail"),
    ("error-domain", "error-domain-title", "error-domain-detail"),
    ("error-not-linked", "error-not-linked-title", "error-not-linked-detail"),
    ("error-blocked", "error-blocked-title", "error-blocked-detail"),
    ("error-odoo-down", "error-odoo-down-title", "error-odoo-down-detail"),
    ("error-odoo-setup", "error-odoo-setup-title", "error-odoo-setup-detail"),
    ("error-no-provider-record", "error-no-provider-record-title", "error-no-provider-record-detail"),
    ("error-internal", "error-internal-title", "error-internal-detail"),
    ("error-too-many", "error-too-many-title", "error-too-many-detail"),
    ("error-busy", "error-busy-title", "error-busy-detail"),
    ("page-not-found", "page-not-found-title", "page-not-found-detail"),
];

/// The Microsoft Entra ID codes people meet most, and the message that explains each.
const AADSTS_EXPLAINED: &[(&str, &str)] = &[
    ("50011", "aadsts-50011"),
    ("50020", "aadsts-50020"),
    ("50034", "aadsts-50034"),
    ("50053", "aadsts-50053"),
    ("50055", "aadsts-50055"),
    ("50057", "aadsts-50057"),
    ("50058", "aadsts-50058"),
    ("50076", "aadsts-50076"),
    ("50079", "aadsts-50076"),
    ("50105", "aadsts-50105"),
    ("50126", "aadsts-50126"),
    ("53003", "aadsts-53003"),
    ("65001", "aadsts-65001"),
    ("65004", "aadsts-65004"),
    ("70011", "aadsts-70011"),
    ("90072", "aadsts-90072"),
    ("700016", "aadsts-700016"),
    ("7000215", "aadsts-7000215"),
    ("7000222", "aadsts-7000222"),
];

/// The number of the first `AADSTS<digits>` in a Microsoft error description.
fn aadsts_code(text: &str) -> Option<&str> {
    let start = text.find("AADSTS")? + "AADSTS".len();
    let digits = text[start..].find(|c: char| !c.is_ascii_digit()).map_or(&text[start..], |end| &text[start..start + end]);
    (!digits.is_empty()).then_some(digits)
}

/// An OAuth error code as RFC 6749 defines them (`%x20-21 / %x23-5B / %x5D-7E`), narrowed to
/// what providers use; anything else is not repeated on the page.
fn safe_code(code: &str) -> String {
    let plausible = !code.is_empty() && code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if plausible { code.to_string() } else { "?".into() }
}

impl BridgeError {
    /// What the admin should do, for the log line (people see `content`, admins see this).
    fn admin_fix(&self) -> &'static str {
        let odoo = match self {
            Self::Odoo(e) | Self::Link(LinkError::Odoo(e)) => Some(e),
            _ => None,
        };
        match (self, odoo) {
            (_, Some(OdooError::Unreachable { .. })) => "check the [[odoo]] url and that Odoo is running and reachable from the bridge",
            (_, Some(OdooError::ApiKeyRejected { .. })) => "check api_login and the API key (Settings → Users → the user → API Keys); the key may have been revoked",
            (_, Some(OdooError::AccessError { .. })) => "the API user lacks rights: give it Administration / Access Rights (it must read and write users)",
            (_, Some(OdooError::NoApiAccess { .. })) => "this Odoo has no API access configured; links must be filled in Odoo (see README, No external API)",
            (_, Some(_)) => "see the Odoo server log for this time",
            (Self::Link(LinkError::NoProviderRecord), _) => "run `login-bridge setup`, or set odoo_provider_id in [[odoo]]",
            (Self::Link(LinkError::SubjectTaken { .. }), _) => "another Odoo user holds this oauth_uid for the provider record: clear it on that user (Settings → Users → OAuth)",
            (Self::Link(LinkError::Ambiguous { .. }), _) => "several active Odoo users share this login/email: keep it on one user",
            (Self::OdooRequest(_), _) => "Odoo's provider record must have Client ID = the [[odoo]] id and Odoo must build redirect_uri = {odoo url}/auth_oauth/signin (proxy_mode behind a proxy)",
            (Self::Upstream(UpstreamError::Unavailable { .. }), _) => "check the provider's issuer/URLs and that the bridge can reach it; GET /readyz shows the reason",
            (Self::Upstream(UpstreamError::TokenExchange { .. }), _) => "check client_id and the client secret registered at the provider",
            (Self::TooManyRequests { .. }, _) => "none needed unless people share this address: behind a reverse proxy set trusted_proxies, for an office behind one address raise [limits] per_ip_per_minute and burst",
            (Self::Store(StoreError::Full { .. }), _) => "none if it passes (the rows expire and the table frees itself): a flood of unfinished sign-ins filled it; if real sign-ins are this many, raise the [store] cap named above",
            (Self::Blocked, _) => "an admin blocked this user; `login-bridge users list` shows why, `login-bridge users unblock --user …` lets them in",
            _ => "none needed unless it repeats",
        }
    }
}

impl BridgeError {
    /// Seconds after which the same request may succeed, sent as `Retry-After`.
    pub(crate) fn retry_after(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests { retry_after, .. } | Self::Store(StoreError::Full { retry_after, .. }) => Some(*retry_after),
            _ => None,
        }
    }

    /// Writes the one log line for this error (with the admin's fix) and returns its correlation id.
    pub(crate) fn log(&self) -> String {
        let id = correlation_id();
        let status = self.status();
        let fix = self.admin_fix();
        if status.is_server_error() {
            tracing::error!(correlation_id = %id, status = status.as_u16(), error = %error_chain(self), fix, "request failed");
        } else {
            tracing::warn!(correlation_id = %id, status = status.as_u16(), error = %error_chain(self), fix, "request refused");
        }
        id
    }
}

impl IntoResponse for BridgeError {
    /// The page is written in the reader's language by `http::error_pages`, which knows the
    /// request; this response carries the words as message ids and the log line's id.
    fn into_response(self) -> Response {
        let correlation_id = self.log();
        let mut response = error_page_response(self.status(), ErrorPage { text: self.text(), correlation_id: Some(correlation_id) });
        if let Some(seconds) = self.retry_after() {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(error: &str, description: &str) -> BridgeError {
        BridgeError::UpstreamRefused { provider: "Microsoft".into(), error: error.into(), description: description.into() }
    }

    #[test]
    fn microsoft_codes_get_their_own_explanation_and_the_code_line() {
        let text = refused("invalid_request", "AADSTS50011: The redirect URI 'x' specified in the request does not match.").text();
        assert_eq!((text.title, text.detail), ("aadsts-title", "aadsts-50011"));
        let (title, detail, code) = text.render(Locale::default());
        assert_eq!(title, "Microsoft could not sign you in");
        assert!(detail.contains("redirect URI"), "{detail}");
        assert_eq!(code.as_deref(), Some("Microsoft error AADSTS50011"));
        // A code without its own message still names the code and says what to do.
        let other = refused("server_error", "AADSTS90099: something new").text();
        assert_eq!(other.detail, "aadsts-other");
        assert_eq!(other.code_line.map(|(_, c)| c), Some("AADSTS90099".into()));
        // Token endpoint errors carry the code in the error chain.
        let secret = BridgeError::Upstream(UpstreamError::TokenExchange { provider: "Microsoft".into(), reason: "invalid_client: AADSTS7000215: Invalid client secret provided.".into() });
        assert_eq!(secret.text().detail, "aadsts-7000215");
    }

    #[test]
    fn a_cancelled_consent_and_an_unknown_code_read_plainly() {
        assert_eq!(refused("access_denied", "The user denied access").text().title, "error-cancelled-title");
        let text = refused("temporarily_unavailable", "").text();
        assert_eq!(text.title, "error-refused-title");
        assert!(text.args.contains(&("code", "temporarily_unavailable".into())));
        // Whatever the URL says is not repeated unless it looks like an error code.
        assert!(refused("<script>", "").text().args.contains(&("code", "?".into())));
    }

    #[test]
    fn every_error_names_messages_that_exist() {
        let args = [("provider", "P"), ("email", "e@x"), ("code", "c"), ("domain", "d"), ("tenant", "t")];
        for (_, title, detail) in ERROR_IDS {
            for id in [title, detail] {
                assert_ne!(Locale::default().text_with(id, &args), *id, "{id} is missing from locales/en");
            }
        }
        for (_, id) in AADSTS_EXPLAINED {
            assert_ne!(Locale::default().text_with(id, &args), *id, "{id} is missing from locales/en");
        }
    }
}
