//! The bridge's Prometheus metrics: one registry for the process, the series it holds and the
//! small functions the login, tokeninfo, rate-limit, upstream and Odoo code call to count.
//! It must never put a person, a token or any request-chosen text in a label: labels are config
//! ids (provider, Odoo) and fixed words, so the number of series stays bounded.
//!
//! The registry is process-wide (not in `Bridge`) because the Odoo and upstream clients that time
//! their calls are also used by the CLI, where nothing is served and the numbers are simply dropped.

use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{
        counter::Counter,
        family::Family,
        histogram::{exponential_buckets, Histogram},
    },
    registry::Registry,
};
use std::{future::Future, sync::LazyLock, time::Instant};

/// A login by provider and Odoo, with how it ended.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LoginLabels {
    provider: String,
    odoo: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ProviderLabels {
    provider: String,
}

/// One call to a provider: `token`, `userinfo` or `discovery` (discovery and JWKS).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UpstreamLabels {
    provider: String,
    call: String,
}

/// One call to Odoo's external API: the method is the code's own name for it
/// (`common.authenticate`, `res.users.search_read`, `version_info`).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OdooLabels {
    odoo: String,
    method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GroupLabels {
    group: String,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// A whole login takes seconds (a person types a password): 0.1 s to ~7 min.
fn flow_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.1, 2.0, 13))
}

/// A server-to-server call: 5 ms to ~20 s.
fn call_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 13))
}

/// Every series the bridge exports.
pub struct Metrics {
    registry: Registry,
    logins: Family<LoginLabels, Counter>,
    flow_duration: Histograms<ProviderLabels>,
    upstream_latency: Histograms<UpstreamLabels>,
    odoo_latency: Histograms<OdooLabels>,
    tokeninfo: Family<ResultLabels, Counter>,
    rate_limited: Family<GroupLabels, Counter>,
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("login_bridge");
        let logins = Family::<LoginLabels, Counter>::default();
        let flow_duration: Histograms<ProviderLabels> = Family::new_with_constructor(flow_buckets);
        let upstream_latency: Histograms<UpstreamLabels> = Family::new_with_constructor(call_buckets);
        let odoo_latency: Histograms<OdooLabels> = Family::new_with_constructor(call_buckets);
        let tokeninfo = Family::<ResultLabels, Counter>::default();
        let rate_limited = Family::<GroupLabels, Counter>::default();
        // Counters get `_total` from the encoder: login_bridge_logins_total, ….
        registry.register("logins", "Finished logins by provider, Odoo and outcome (success, refused, failed)", logins.clone());
        registry.register("flow_duration_seconds", "Time from the start of a login (/login, /odoo/authorize) to the end of its callback", flow_duration.clone());
        registry.register("upstream_request_duration_seconds", "Latency of calls to upstream providers by provider and call (token, userinfo, discovery)", upstream_latency.clone());
        registry.register("odoo_request_duration_seconds", "Latency of calls to Odoo's external API by Odoo and method", odoo_latency.clone());
        registry.register("tokeninfo_requests", "Odoo's token validations by result", tokeninfo.clone());
        registry.register("rate_limited_requests", "Requests refused by the per-address limits, by route group (sign_in, tokeninfo)", rate_limited.clone());
        Self { registry, logins, flow_duration, upstream_latency, odoo_latency, tokeninfo, rate_limited }
    }

    /// A login finished (`outcome`: success, refused or failed).
    pub fn login(&self, provider: &str, odoo: &str, outcome: &str) {
        self.logins.get_or_create(&LoginLabels { provider: provider.into(), odoo: odoo.into(), outcome: outcome.into() }).inc();
    }

    pub fn flow_duration(&self, provider: &str, seconds: f64) {
        self.flow_duration.get_or_create(&ProviderLabels { provider: provider.into() }).observe(seconds);
    }

    pub fn upstream_call(&self, provider: &str, call: &'static str, seconds: f64) {
        self.upstream_latency.get_or_create(&UpstreamLabels { provider: provider.into(), call: call.into() }).observe(seconds);
    }

    pub fn odoo_call(&self, odoo: &str, method: &str, seconds: f64) {
        self.odoo_latency.get_or_create(&OdooLabels { odoo: odoo.into(), method: method.into() }).observe(seconds);
    }

    pub fn tokeninfo(&self, result: &'static str) {
        self.tokeninfo.get_or_create(&ResultLabels { result: result.into() }).inc();
    }

    pub fn rate_limited(&self, group: &'static str) {
        self.rate_limited.get_or_create(&GroupLabels { group: group.into() }).inc();
    }

    /// The whole registry in the OpenMetrics text format (which Prometheus reads).
    pub fn encode(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail; an encoder error would leave a partial page, still valid up to there.
        if let Err(error) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            tracing::warn!(%error, "metrics encoding failed");
        }
        text
    }
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    &METRICS
}

/// Runs `call` and records its duration as an upstream call of `provider`, whatever its result.
pub async fn time_upstream<T>(provider: &str, call: &'static str, future: impl Future<Output = T>) -> T {
    let started = Instant::now();
    let result = future.await;
    metrics().upstream_call(provider, call, started.elapsed().as_secs_f64());
    result
}

/// Runs `call` and records its duration as a call to Odoo `odoo`, whatever its result.
pub async fn time_odoo<T>(odoo: &str, method: &str, future: impl Future<Output = T>) -> T {
    let started = Instant::now();
    let result = future.await;
    metrics().odoo_call(odoo, method, started.elapsed().as_secs_f64());
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_are_named_the_prometheus_way() {
        let m = Metrics::new();
        m.login("google", "acme", "success");
        m.flow_duration("google", 1.5);
        m.tokeninfo("ok");
        let text = m.encode();
        assert!(text.contains("login_bridge_logins_total{provider=\"google\",odoo=\"acme\",outcome=\"success\"} 1"), "{text}");
        assert!(text.contains("login_bridge_flow_duration_seconds_count{provider=\"google\"} 1"), "{text}");
        assert!(text.contains("login_bridge_tokeninfo_requests_total{result=\"ok\"} 1"), "{text}");
    }
}
