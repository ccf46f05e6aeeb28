//! The login flow's data: where a login is heading and what the bridge keeps while upstream.
//! It must never hold a secret the browser could read (it lives in the store, keyed by state).

use serde::{Deserialize, Serialize};

/// Lifetime of a flow between leaving for the provider and coming back.
pub const FLOW_TTL_SECS: i64 = 600;
/// Lifetime of an Odoo request waiting on the provider page.
pub const ODOO_REQUEST_TTL_SECS: i64 = 900;

/// Where the person goes once signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LoginTarget {
    /// Odoo sent the person (`/odoo/authorize`): answer its signin URL with a fragment.
    OdooInitiated { odoo_id: String, odoo_state: String, provider_record: Option<i64> },
    /// A link sent the person (`/?odoo=`): the bridge builds Odoo's signin URL and state.
    BridgeInitiated { odoo_id: String, return_to: Option<String> },
    /// The bridge's own pages (`/account`, `/admin`): the login opens a bridge session, no Odoo token.
    BridgePage { page: crate::session::BridgePage },
}

impl LoginTarget {
    /// The Odoo the login is for; `None` for the admin pages, which belong to no Odoo.
    pub fn odoo_id(&self) -> Option<&str> {
        match self {
            Self::OdooInitiated { odoo_id, .. } | Self::BridgeInitiated { odoo_id, .. } => Some(odoo_id),
            Self::BridgePage { page } => page.odoo_id(),
        }
    }
}

/// An upstream login in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingFlow {
    pub provider_id: String,
    pub pkce_verifier: String,
    /// OpenID Connect only.
    pub nonce: Option<String>,
    pub target: LoginTarget,
    /// The language of the page the login started from.
    #[serde(default)]
    pub lang: Option<String>,
    /// When the login started (Unix ms), for the flow-duration metric and the audit row.
    /// `None` for flows stored before it existed.
    #[serde(default)]
    pub started_at_ms: Option<i64>,
    /// The flow's correlation id (`correlation`): the start's log lines, the callback's and the
    /// error page all show it. `None` for flows stored before it existed.
    #[serde(default)]
    pub correlation_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_stored_before_timing_and_correlation_still_parses() {
        let stored = r#"{"provider_id":"google","pkce_verifier":"v","nonce":null,"target":{"kind":"bridge_initiated","odoo_id":"acme","return_to":null}}"#;
        let flow: PendingFlow = serde_json::from_str(stored).expect("an old flow parses");
        assert_eq!((flow.started_at_ms, flow.correlation_id), (None, None));
    }
}
