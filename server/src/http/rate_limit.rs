//! Request limits per client address (tower_governor) on the sign-in routes and on tokeninfo:
//! over the limit a browser gets the translated "too many attempts" page, Odoo gets a JSON
//! error, both with `Retry-After` in seconds and one log line.
//! It must never key a limit on anything but `ClientIp` (the peer, or what a trusted proxy said).

use super::{client_ip::ClientIp, tokeninfo};
use crate::{config::Limits, error::BridgeError, error::correlation_id};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use std::{sync::Arc, time::Duration};
use tower_governor::{governor::GovernorConfigBuilder, key_extractor::KeyExtractor, GovernorError, GovernorLayer};

/// The two buckets an address has: sign-in routes (counted together) and tokeninfo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    SignIn,
    TokenInfo,
}

impl Group {
    /// The `group` label of `login_bridge_rate_limited_requests_total`.
    pub fn label(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::TokenInfo => "tokeninfo",
        }
    }
}

/// Keys the limit on the address `client_ip::remember` decided.
#[derive(Clone, Copy, Debug)]
struct ClientIpKey;

impl KeyExtractor for ClientIpKey {
    type Key = ClientIp;
    fn extract<T>(&self, request: &axum::http::Request<T>) -> Result<Self::Key, GovernorError> {
        Ok(ClientIp::of(request.extensions()))
    }
}

/// Put on the governor's refusal so `answer`, which knows the route group, writes the response.
#[derive(Clone, Copy, Debug)]
struct Limited {
    retry_after: u64,
}

/// Wraps `routes` in the limit of `group`; with the limit off (0 a minute) they are unchanged.
pub fn limit<S: Clone + Send + Sync + 'static>(routes: Router<S>, group: Group, limits: &Limits) -> Router<S> {
    let (per_minute, burst) = match group {
        Group::SignIn => (limits.per_ip_per_minute, limits.burst),
        Group::TokenInfo => (limits.tokeninfo_per_minute, limits.tokeninfo_burst),
    };
    if per_minute == 0 {
        return routes;
    }
    // One request back every 60/N seconds, up to `burst` at once.
    let period = Duration::from_nanos((60_000_000_000 / u64::from(per_minute)).max(1));
    let Some(config) = GovernorConfigBuilder::default().key_extractor(ClientIpKey).period(period).burst_size(burst.max(1)).finish() else {
        return routes;
    };
    let limiter = Arc::downgrade(config.limiter());
    forget_idle_clients(move || {
        limiter.upgrade().map(|limiter| {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        })
        .is_some()
    });
    let governor = GovernorLayer::new(config).error_handler(refused);
    routes.route_layer(governor).route_layer(middleware::from_fn_with_state(group, answer))
}

/// The governor's answer, before `answer` dresses it.
fn refused(error: GovernorError) -> Response<Body> {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            let mut response = StatusCode::TOO_MANY_REQUESTS.into_response();
            // `wait_time` is rounded down: never tell a client to come back too early.
            response.extensions_mut().insert(Limited { retry_after: wait_time + 1 });
            response
        }
        // The key extractor cannot fail; should another error come, it is a plain 500.
        other => other.into_response().map(Body::from),
    }
}

/// Turns a refusal into the group's answer: the error page (rendered in the reader's language
/// by `error_pages::localize`) or tokeninfo's JSON, each with `Retry-After` and a log line.
async fn answer(State(group): State<Group>, request: Request, next: Next) -> Response {
    let client = ClientIp::of(request.extensions());
    let response = next.run(request).await;
    let Some(Limited { retry_after }) = response.extensions().get::<Limited>().copied() else {
        return response;
    };
    crate::metrics::metrics().rate_limited(group.label());
    let mut response = match group {
        Group::SignIn => BridgeError::TooManyRequests { ip: client.to_string(), retry_after }.into_response(),
        Group::TokenInfo => {
            tracing::warn!(
                correlation_id = %correlation_id(),
                status = 429,
                ip = %client,
                retry_after,
                fix = "none needed unless it repeats: one Odoo server makes every tokeninfo call, so raise [limits] tokeninfo_per_minute and tokeninfo_burst for a busy Odoo; behind a reverse proxy set trusted_proxies",
                "tokeninfo call refused: over [limits] tokeninfo_per_minute / tokeninfo_burst"
            );
            tokeninfo::refuse(StatusCode::TOO_MANY_REQUESTS, "temporarily_unavailable", "too many requests, retry later")
        }
    };
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// The limiter remembers every address it saw: every minute, for as long as the router lives,
/// `sweep` drops the ones back to a full bucket (it answers false once the limiter is gone).
fn forget_idle_clients(sweep: impl Fn() -> bool + Send + 'static) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    runtime.spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(60)).await;
            if !sweep() {
                break;
            }
        }
    });
}
