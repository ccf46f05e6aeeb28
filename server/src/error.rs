//! The bridge's errors and the one way they reach people: a page, a status and one log line.
//! It must never put a secret, a stack trace or an internal detail on the page.

use crate::{
    http::pages::{render_page, PageContent},
    odoo::{link::LinkError, request::AuthorizeRequestError, OdooError},
    policy::PolicyRefusal,
    store::StoreError,
    upstream::UpstreamError,
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
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error(transparent)]
    Odoo(#[from] OdooError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A short random id that ties the page a person sees to the log line an admin greps.
pub fn correlation_id() -> String {
    crate::tokens::random_256().chars().filter(|c| c.is_ascii_alphanumeric()).take(12).collect()
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
    fn status(&self) -> StatusCode {
        match self {
            Self::OdooRequest(_) | Self::OdooNotChosen | Self::BadReturnTo(_) | Self::FlowExpired
            | Self::ProviderMismatch { .. } | Self::MalformedCallback => StatusCode::BAD_REQUEST,
            Self::UnknownProvider(_) | Self::UnknownOdoo(_) => StatusCode::NOT_FOUND,
            Self::UpstreamRefused { .. } | Self::Blocked => StatusCode::FORBIDDEN,
            Self::Link(LinkError::Policy(_) | LinkError::NoAccount { .. } | LinkError::Ambiguous { .. } | LinkError::Archived { .. }) => {
                StatusCode::FORBIDDEN
            }
            Self::Link(LinkError::SubjectTaken { .. }) => StatusCode::CONFLICT,
            Self::Upstream(UpstreamError::Unavailable { .. }) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Upstream(UpstreamError::NotAllowed { .. }) => StatusCode::FORBIDDEN,
            Self::Upstream(_) | Self::Odoo(_) | Self::Link(LinkError::Odoo(_)) => StatusCode::BAD_GATEWAY,
            Self::Link(LinkError::NoProviderRecord) | Self::Link(LinkError::Store(_)) | Self::Store(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What the person reads: what happened and what to do, in plain words.
    fn content(&self) -> PageContent {
        let page = |title: &str, detail: String| PageContent::new(title, detail);
        match self {
            Self::OdooRequest(_) => page(
                "This sign-in request is not valid",
                "The request did not come from an Odoo this sign-in service knows, or it was altered. Go back to your Odoo login page and try again; if it keeps happening, tell your administrator.".into(),
            ),
            Self::UnknownProvider(_) => page("Unknown sign-in provider", "This sign-in option does not exist. Go back to the sign-in page and pick one of the buttons.".into()).with_retry("/"),
            Self::UnknownOdoo(_) | Self::OdooNotChosen => page("Unknown Odoo", "The link you followed names an Odoo this sign-in service does not serve. Use the sign-in link from your Odoo.".into()),
            Self::BadReturnTo(_) => page("This sign-in link is not valid", "The page to open after sign-in must be a page of your Odoo. Use the sign-in link from your Odoo.".into()),
            Self::FlowExpired | Self::ProviderMismatch { .. } | Self::MalformedCallback => page(
                "Your sign-in expired",
                "The sign-in took too long, was already used, or was started in another browser. Start again.".into(),
            )
            .with_retry("/"),
            Self::UpstreamRefused { provider, error, .. } if error == "access_denied" => page(
                "Sign-in was cancelled",
                format!("{provider} did not sign you in because the request was denied. You can try again."),
            )
            .with_retry("/"),
            Self::UpstreamRefused { provider, .. } => page("Sign-in failed", format!("{provider} could not sign you in. You can try again; if it keeps happening, tell your administrator.")).with_retry("/"),
            Self::Upstream(UpstreamError::Unavailable { provider, .. }) => page(
                "Sign-in provider unavailable",
                format!("{provider} cannot be reached right now. Try again in a few minutes or use another way to sign in."),
            )
            .with_retry("/"),
            Self::Upstream(UpstreamError::NotAllowed { reason, .. }) => page(
                "Account not allowed",
                format!("{reason}. Sign in with your work account, or ask your Odoo administrator."),
            )
            .with_retry("/"),
            Self::Upstream(_) => page("Sign-in failed", "Your identity provider's answer could not be verified. Try again; if it keeps happening, tell your administrator.".into()).with_retry("/"),
            Self::Link(LinkError::NoAccount { email }) => page(
                "No Odoo account",
                format!("There is no Odoo account for {email}. Ask your Odoo administrator to create one for this address, then sign in again."),
            ),
            Self::Link(LinkError::Archived { email }) => page(
                "Odoo account archived",
                format!("The Odoo account for {email} is archived. Ask your Odoo administrator to restore it."),
            ),
            Self::Link(LinkError::SubjectTaken { .. }) => page(
                "Account link conflict",
                "Your Odoo account cannot be linked because another account already holds the same sign-in link. Your administrator needs to fix the links; give them the reference below.".into(),
            ),
            Self::Link(LinkError::Ambiguous { email }) => page(
                "Several Odoo accounts match",
                format!("More than one Odoo account uses {email}, so none was chosen. Ask your Odoo administrator to keep this address on one account."),
            ),
            Self::Link(LinkError::Policy(refusal)) => match refusal {
                PolicyRefusal::NoEmail => page("Email address needed", "Your identity provider did not share an email address, so no Odoo account can be found. Allow the email permission and try again.".into()).with_retry("/"),
                PolicyRefusal::EmailNotVerified(email) => page(
                    "Email address not verified",
                    format!("Your identity provider has not verified {email}. Verify the address there, then sign in again, or ask your Odoo administrator."),
                ),
                PolicyRefusal::DomainNotAllowed { email } => page("Address not allowed", format!("Accounts like {email} may not sign in to this Odoo. Use your work account.")).with_retry("/"),
                PolicyRefusal::NotLinked => page("Account not linked", "This sign-in is not linked to an Odoo account yet. Ask your Odoo administrator to link it.".into()),
            },
            Self::Blocked => page(
                "Access blocked",
                "Your administrator has blocked sign-in through this service for this account. Contact them if you need access.".into(),
            ),
            Self::Odoo(OdooError::Unreachable { .. } | OdooError::Http { .. })
            | Self::Link(LinkError::Odoo(OdooError::Unreachable { .. } | OdooError::Http { .. })) => page("Odoo is not answering", "The sign-in worked, but Odoo could not be reached to open your session. Try again in a few minutes; if it keeps happening, tell your administrator.".into()).with_retry("/"),
            Self::Odoo(_) | Self::Link(LinkError::Odoo(_)) => page(
                "Sign-in is not set up correctly",
                "Your identity was confirmed, but Odoo refused the sign-in service's request. Your administrator needs to fix the set-up; give them the reference below.".into(),
            ),
            Self::Link(LinkError::NoProviderRecord) => page("Sign-in is not set up in Odoo", "Odoo has no OAuth provider pointing at this sign-in service. Your administrator needs to finish the set-up.".into()),
            Self::Link(LinkError::Store(_)) | Self::Store(_) => page("Something went wrong", "The sign-in service had an internal problem. Try again; if it keeps happening, tell your administrator.".into()).with_retry("/"),
        }
    }
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
            (Self::Blocked, _) => "an admin blocked this user; `login-bridge users list` shows why, `login-bridge users unblock --user …` lets them in",
            _ => "none needed unless it repeats",
        }
    }
}

impl BridgeError {
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

    /// What the person reads about this error, without the page around it.
    pub(crate) fn detail(&self) -> String {
        self.content().detail
    }
}

impl IntoResponse for BridgeError {
    fn into_response(self) -> Response {
        let id = self.log();
        let status = self.status();
        let html = render_page(&self.content().with_correlation_id(&id));
        let mut response = (status, html).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}
