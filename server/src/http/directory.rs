//! The server side of the provider page: which buttons, where they lead, what is down.
//! It must never put a secret into page data (it is serialised into the HTML for hydration).

use super::start::{resolve_target, StartParams};
use crate::{bridge::Bridge, error::BridgeError, flow::LoginTarget, upstream::Availability};
use app::directory::{ssr::{LoginDirectory, PageFuture}, LoginPageData, LoginPageProblem, LoginPageQuery, ProviderButton};
use std::sync::Arc;
use url::form_urlencoded;

pub struct BridgeDirectory(pub Arc<Bridge>);

impl LoginDirectory for BridgeDirectory {
    fn login_page<'a>(&'a self, query: LoginPageQuery) -> PageFuture<'a> {
        Box::pin(async move { page(&self.0, query).await })
    }
}

async fn page(bridge: &Bridge, query: LoginPageQuery) -> Result<LoginPageData, LoginPageProblem> {
    let params = StartParams { odoo: query.odoo.clone(), return_to: query.return_to.clone(), pending: query.pending.clone() };
    let target = resolve_target(bridge, params).await.map_err(|error| LoginPageProblem {
        title: "This sign-in link is not valid".into(),
        detail: match &error {
            // On this page an expired flow is always an Odoo request left waiting too long.
            BridgeError::FlowExpired => "This sign-in request has expired. Go back to your Odoo login page and start again.".into(),
            other => other.detail(),
        },
        correlation_id: error.log(),
    })?;

    // The link parameters each button carries to /login/{provider}.
    let link_query = match (&query.pending, &target) {
        (Some(pending), _) if !pending.is_empty() => form_urlencoded::Serializer::new(String::new()).append_pair("pending", pending).finish(),
        (_, LoginTarget::BridgeInitiated { odoo_id, return_to }) => {
            let mut s = form_urlencoded::Serializer::new(String::new());
            s.append_pair("odoo", odoo_id);
            if let Some(r) = return_to {
                s.append_pair("return_to", r);
            }
            s.finish()
        }
        (_, LoginTarget::OdooInitiated { .. }) => String::new(),
    };
    let odoo = bridge.odoo(target.odoo_id()).map(|c| c.config());

    let mut providers = Vec::new();
    for (config, availability) in bridge.upstreams.availability().await {
        let (available, reason) = match availability {
            Availability::Ready => (true, None),
            Availability::Starting => (false, Some("connecting…".to_string())),
            Availability::Down(_) => (false, Some("temporarily unavailable".to_string())),
        };
        providers.push(ProviderButton {
            href: format!("/login/{}?{link_query}", config.id),
            label: format!("Continue with {}", config.display_name),
            kind: config.kind.as_str().to_string(),
            icon: config.icon.clone(),
            id: config.id,
            available,
            unavailable_reason: reason,
        });
    }
    Ok(LoginPageData {
        heading: "Sign in".into(),
        odoo_name: odoo.map(|o| o.display_name.clone()),
        providers,
        password_login_url: odoo.map(|o| o.password_login_url()),
    })
}
