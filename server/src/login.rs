//! The login itself, one step after another: start upstream, then on return verify the person,
//! apply the policy, link them in Odoo and mint the token Odoo will validate.
//! It must never issue a token before every check has passed.

use crate::{
    bridge::Bridge,
    error::BridgeError,
    flow::{LoginTarget, PendingFlow, FLOW_TTL_SECS},
    odoo::{
        link::{link_person, predictable_subject, provider_record_for, LinkError},
        request::{bridge_signin_url, implicit_flow_answer},
        OdooClient,
    },
    store::IssuedToken,
    tokens::{random_256, unix_now, ODOO_TOKEN_TTL_SECS},
    upstream::UpstreamIdentity,
};
use crate::audit::LoginFacts;

/// What the browser gets when a login starts: the provider URL and the state to bind by cookie.
pub struct StartedLogin {
    pub upstream_url: String,
    pub state: String,
}

/// What the person brought to the start besides the target.
#[derive(Debug, Default, Clone)]
pub struct StartOptions {
    /// An address typed into "type your work email": the provider may pre-fill its form.
    pub login_hint: Option<String>,
    /// The page's language, kept so the pages after the provider speak it too.
    pub lang: Option<String>,
}

pub async fn start_login(bridge: &Bridge, provider_id: &str, target: LoginTarget, options: StartOptions) -> Result<StartedLogin, BridgeError> {
    let provider = bridge.upstreams.get(provider_id).ok_or_else(|| BridgeError::UnknownProvider(provider_id.to_string()))?;
    // Only a plausible address goes upstream: the hint is typed by anyone.
    let login_hint = options.login_hint.filter(|h| h.len() <= 254 && app::email_routing::email_domain(h).is_some());
    let start = provider.start(login_hint.as_deref().map(str::trim)).await?;
    let flow = PendingFlow {
        provider_id: provider_id.to_string(),
        pkce_verifier: start.pkce_verifier,
        nonce: start.nonce,
        target,
        lang: options.lang.and_then(|l| crate::i18n::Locale::from_tag(&l)).map(|l| l.code().to_string()),
        started_at_ms: Some(crate::store::unix_now_ms()),
        // The id of the start's span (`correlation::new_flow`), so the callback's lines carry it too.
        correlation_id: Some(crate::error::correlation_id()),
    };
    bridge.store.put_flow(&start.state, &flow, FLOW_TTL_SECS).await?;
    // The first line of the flow: its span's correlation id is the one the callback's lines carry.
    tracing::info!(provider = provider_id, odoo = ?flow.target.odoo_id(), "login started; sent to the provider");
    Ok(StartedLogin { upstream_url: start.url.to_string(), state: start.state })
}

/// The provider's answer on `/callback/{provider}`, already bound to this browser's cookie.
pub struct CallbackAnswer {
    pub code: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub iss: Option<String>,
}

/// How a login ends.
pub enum Finished {
    /// To Odoo's signin URL with the token.
    Redirect(String),
    /// Signed in to the bridge's own pages: the session's cookie and where to go.
    BridgeSession(crate::session::Opened),
}

/// Finishes a login and returns where to send the browser.
/// `learnt` collects who the person turned out to be, for the audit row, even when it fails.
pub async fn finish_login(bridge: &Bridge, provider_id: &str, flow: PendingFlow, answer: CallbackAnswer, learnt: &mut LoginFacts) -> Result<Finished, BridgeError> {
    if flow.provider_id != provider_id {
        return Err(BridgeError::ProviderMismatch { got: provider_id.to_string(), expected: flow.provider_id });
    }
    let provider = bridge.upstreams.get(provider_id).ok_or_else(|| BridgeError::UnknownProvider(provider_id.to_string()))?;
    provider.check_response_issuer(answer.iss.as_deref()).await?;
    if let Some(error) = answer.error {
        return Err(BridgeError::UpstreamRefused {
            provider: provider.config().display_name.clone(),
            error,
            description: answer.error_description.unwrap_or_default(),
        });
    }
    let code = answer.code.ok_or(BridgeError::MalformedCallback)?;
    let (identity, upstream_session) = provider.finish(code, flow.pkce_verifier, flow.nonce).await?;
    learnt.upstream_subject = Some(identity.subject.clone());
    learnt.email = identity.email.clone();
    // The bridge's own pages: a bridge session instead of an Odoo token.
    if let LoginTarget::BridgePage { page } = flow.target {
        return crate::session::open(bridge, page, &identity).await.map(Finished::BridgeSession);
    }

    let odoo_id = flow.target.odoo_id().ok_or(BridgeError::OdooNotChosen)?.to_string();
    let client = bridge.odoo(&odoo_id).ok_or_else(|| BridgeError::UnknownOdoo(odoo_id.clone()))?;
    let public_base = bridge.config.public_base();
    let record = match &flow.target {
        LoginTarget::OdooInitiated { provider_record: Some(record), .. } => *record,
        _ => provider_record_for(client, &public_base, provider_id).await?,
    };
    let named = match name_in_odoo(bridge, client, &identity, record, learnt).await {
        Ok(named) => named,
        Err(error) => {
            // The identity, so an admin can `login-bridge users link` it (the page shows none of it).
            tracing::warn!(provider = provider_id, upstream_subject = %identity.subject, email = ?identity.email, odoo = %odoo_id, "login refused for this identity");
            return Err(error);
        }
    };

    let token = random_256();
    bridge
        .store
        .put_token(
            &token,
            &IssuedToken {
                odoo_id: odoo_id.clone(),
                subject: named.subject,
                email: named.email,
                name: named.name,
                expires_at: unix_now() + ODOO_TOKEN_TTL_SECS,
            },
        )
        .await?;
    tracing::info!(provider = provider_id, odoo = %odoo_id, user_id = ?named.user_id, "login succeeded; token issued");
    if let Some(user_id) = named.user_id {
        crate::odoo_sessions::remember_login(bridge, &odoo_id, user_id, &identity, upstream_session).await?;
    }

    let odoo = client.config();
    Ok(Finished::Redirect(match flow.target {
        LoginTarget::OdooInitiated { odoo_state, .. } => implicit_flow_answer(odoo, &token, ODOO_TOKEN_TTL_SECS, &odoo_state),
        LoginTarget::BridgeInitiated { return_to, .. } => bridge_signin_url(odoo, &token, record, return_to.as_deref()),
        // Finished above with a bridge session; never reaches the token.
        LoginTarget::BridgePage { .. } => return Err(BridgeError::OdooNotChosen),
    }))
}

/// Who the token names, as Odoo will see it.
struct NamedInOdoo {
    subject: String,
    email: Option<String>,
    name: Option<String>,
    user_id: Option<i64>,
}

/// With API access: find or provision the user and write the link. Without: the predictable
/// subject the admin filled in `oauth_uid` beforehand (Odoo then finds the user itself).
async fn name_in_odoo(bridge: &Bridge, client: &OdooClient, identity: &UpstreamIdentity, record: i64, learnt: &mut LoginFacts) -> Result<NamedInOdoo, BridgeError> {
    if client.config().api.is_none() {
        let subject = predictable_subject(client.config(), identity).map_err(LinkError::from)?;
        return Ok(NamedInOdoo { subject, email: identity.email.clone(), name: identity.name.clone(), user_id: None });
    }
    let linked = link_person(client, &bridge.store, identity, record).await?;
    // Known before the block check, so a blocked person's audit row names their Odoo user.
    learnt.odoo_user_id = Some(linked.user.id);
    learnt.odoo_login = Some(linked.user.login.clone());
    if bridge.store.is_blocked(&client.config().id, linked.user.id).await? {
        return Err(BridgeError::Blocked);
    }
    Ok(NamedInOdoo {
        email: linked.user.email.clone().or_else(|| identity.email.clone()),
        name: Some(linked.user.name.clone()).filter(|n| !n.is_empty()).or(identity.name.clone()),
        user_id: Some(linked.user.id),
        subject: linked.subject,
    })
}
