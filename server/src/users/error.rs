//! What can go wrong in `login-bridge users …`, each message ending with the fix.
//! It must never print a secret (the API key) or blame the user for an Odoo outage.

use crate::{bridge::StartError, odoo::OdooError, store::StoreError};

#[derive(Debug, thiserror::Error)]
pub enum UsersError {
    #[error("no [[odoo]] with id `{id}` in the config. Fix: use --odoo with one of: {known}")]
    UnknownOdoo { id: String, known: String },
    #[error("several Odoo are configured and none was named. Fix: add --odoo with one of: {known}")]
    OdooNotChosen { known: String },
    #[error("no [[provider]] with id `{id}` in the config. Fix: use --provider with one of: {known}")]
    UnknownProvider { id: String, known: String },
    #[error("{arg} is empty. Fix: give {what}")]
    Empty { arg: &'static str, what: &'static str },
    #[error("no active Odoo user in `{odoo}` has the login or email `{user}`. Fix: check the spelling (or give the numeric user id); archived users cannot be chosen")]
    UnknownUser { odoo: String, user: String },
    #[error("`{user}` matches several Odoo users in `{odoo}`: {matches}. Fix: give the login of one of them (logins are unique)")]
    AmbiguousUser { odoo: String, user: String, matches: String },
    #[error("the bridge has no API access to Odoo `{odoo}`, so it cannot look up `{user}`. Fix: give the numeric user id (the `id=` in the URL of the user's form in Odoo), or set api_login and api_key_env in [[odoo]] `{odoo}`")]
    NeedsUserId { odoo: String, user: String },
    #[error("{what} needs API access to Odoo `{odoo}`, and its [[odoo]] has no api_login. Fix: set api_login and api_key_env (or api_key_file) in [[odoo]] `{odoo}`{alternative}")]
    NoApiAccess { odoo: String, what: &'static str, alternative: &'static str },
    #[error("no auth.oauth.provider record in Odoo `{odoo}` points at this bridge. Fix: create it (README, \"Pointing the bridge at a real Odoo\") or set odoo_provider_id in [[odoo]] `{odoo}`")]
    NoProviderRecord { odoo: String },
    #[error("no link from {provider} subject `{subject}` in Odoo `{odoo}`; nothing removed. Fix: copy the provider and subject from `login-bridge users list`")]
    NotLinked { odoo: String, provider: String, subject: String },
    #[error("{user} has no identity links in Odoo `{odoo}`; nothing removed. Fix: `login-bridge users list` shows the links")]
    UserHasNoLinks { odoo: String, user: String },
    #[error("{user} is not blocked in Odoo `{odoo}`; nothing changed. Fix: `login-bridge users list` shows who is blocked")]
    NotBlocked { odoo: String, user: String },
    #[error("{error}. Fix: {}", odoo_fix(.odoo, .error))]
    Odoo { odoo: String, error: Box<OdooError> },
    #[error("{user} is blocked, but their open Odoo sessions could not be ended: {error}. Fix: {}, then run `login-bridge users revoke --user {user}`", odoo_fix(.odoo, .error))]
    SessionsNotEnded { odoo: String, user: String, error: Box<OdooError> },
    #[error("the bridge's store failed: {0}. Fix: check [store] url and that the file is writable")]
    Store(#[from] StoreError),
    #[error("the bridge cannot start: {0}")]
    Start(#[from] StartError),
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl UsersError {
    pub(crate) fn odoo(odoo: &str, error: OdooError) -> Self {
        Self::Odoo { odoo: odoo.to_string(), error: Box::new(error) }
    }
}

/// What an admin does about an Odoo error, in one clause.
fn odoo_fix(odoo: &str, error: &OdooError) -> String {
    match error {
        OdooError::Unreachable { .. } => format!("check the url of [[odoo]] `{odoo}` and that Odoo is running and reachable from here"),
        OdooError::ApiKeyRejected { login } => format!(
            "check api_login and the API key of [[odoo]] `{odoo}` (api_key_env or api_key_file); create a new key in Odoo under Settings → Users → {login} → Account Security → New API Key"
        ),
        OdooError::AccessError { .. } => format!("give the API user of [[odoo]] `{odoo}` the right to read and write users (e.g. Administration: Settings)"),
        OdooError::NoApiAccess { .. } => format!("set api_login and api_key_env (or api_key_file) in [[odoo]] `{odoo}`"),
        _ => {
            format!("check that [[odoo]] `{odoo}` points at an Odoo with auth_oauth installed, and read Odoo's log at this time")
        }
    }
}
