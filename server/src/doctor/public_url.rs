//! `public_url`: what browsers, Odoo and the providers' redirects use to reach the bridge.
//! Checks that it answers as the bridge (`/healthz`), that nothing in front of it (a reverse
//! proxy forcing https, another host) sends requests elsewhere — the source of
//! `redirect_uri_mismatch` — and that a public host uses https.

use super::{http, Check};
use crate::config::{is_loopback, Config};
use url::Url;

pub const SCOPE: &str = "public_url";

pub async fn check(config: &Config) -> Vec<Check> {
    let mut checks = vec![scheme(config), proxy(config)];
    checks.push(reachable(config).await);
    checks.push(Check::ok(
        SCOPE,
        "redirect_uris",
        format!("each provider's app registration must list exactly: {}", redirect_uris(config, &config.public_base())),
    ));
    checks
}

/// `google: https://login.example.com/callback/google, …` for a given public URL.
fn redirect_uris(config: &Config, base: &str) -> String {
    config.providers.iter().map(|p| format!("{}: {base}/callback/{}", p.id, p.id)).collect::<Vec<_>>().join(", ")
}

fn scheme(config: &Config) -> Check {
    let url = &config.public_url;
    if url.scheme() == "https" {
        Check::ok(SCOPE, "scheme", format!("{} uses https", config.public_base()))
    } else if is_loopback(url) {
        Check::ok(SCOPE, "scheme", format!("{} uses http on a loopback host (fine for development; browsers on other machines cannot use it)", config.public_base()))
    } else {
        Check::warning(
            SCOPE,
            "scheme",
            format!(
                "{} uses http on a public host: cookies and tokens cross the network in clear, and providers \
                 (Facebook, Microsoft, Google) refuse http redirect URIs outside localhost",
                config.public_base()
            ),
            "serve the bridge over https (usually a reverse proxy with a certificate) and set `public_url` to the https:// address",
        )
    }
}

/// The bridge never builds URLs from forwarded headers, but its request limits and tokeninfo's
/// allow-list need the client's address: behind a proxy that is only known with `trusted_proxies`.
fn proxy(config: &Config) -> Check {
    let public_port = config.public_url.port_or_known_default();
    let public_is_local = is_loopback(&config.public_url);
    // Something forwards when the port differs, or when a public name reaches a loopback socket.
    let forwarded = public_port != Some(config.listen.port()) || (!public_is_local && config.listen.ip().is_loopback());
    if !forwarded {
        return Check::ok(SCOPE, "proxy", format!("browsers reach the bridge directly on {} (no reverse proxy assumed)", config.listen));
    }
    if config.trusted_proxies.is_empty() {
        return Check::warning(
            SCOPE,
            "proxy",
            format!(
                "{} is served through a reverse proxy (the bridge listens on {}), but `trusted_proxies` is empty: every browser \
                 counts as the proxy's address, so the request limits ([limits]) throttle everyone together and \
                 `tokeninfo_allowed_ips` sees only the proxy",
                config.public_base(),
                config.listen
            ),
            "set `trusted_proxies` to the proxy's address(es), e.g. [\"127.0.0.1\"], so its X-Forwarded-For names the client",
        );
    }
    let proxies = config.trusted_proxies.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ");
    Check::ok(SCOPE, "proxy", format!("served through a reverse proxy; X-Forwarded-For is believed from {proxies}"))
}

async fn reachable(config: &Config) -> Check {
    let base = config.public_base();
    let url = format!("{base}/healthz");
    let client = match http::client() {
        Ok(c) => c,
        Err(reason) => return Check::error(SCOPE, "reachable", format!("cannot build an HTTP client: {reason}"), "report this as a bug"),
    };
    let not_running_fix = format!(
        "start `login-bridge serve` (it listens on {}) and check that the reverse proxy in front of it forwards {base} to that address; \
         doctor may run before serve, which is why this is only a warning",
        config.listen
    );
    let answer = match http::get(&client, &url).await {
        Ok(answer) => answer,
        Err(reason) if reason.contains("certificate") || reason.to_ascii_lowercase().contains("tls") => {
            return Check::error(
                SCOPE,
                "reachable",
                format!("GET {url} failed in the TLS handshake ({reason}): browsers and Odoo will refuse the bridge too"),
                format!("give the reverse proxy a certificate that browsers trust for {}", config.public_url.host_str().unwrap_or_default()),
            )
        }
        Err(reason) => {
            return Check::warning(
                SCOPE,
                "reachable",
                format!("nothing answers at {url} ({reason}): is the bridge running / is the proxy in front of it forwarding?"),
                not_running_fix,
            )
        }
    };
    match answer.status {
        200 if is_bridge_health(&answer.body) => Check::ok(SCOPE, "reachable", format!("{url} answers {{\"status\":\"ok\"}}")),
        200 => Check::error(
            SCOPE,
            "reachable",
            format!("{url} answers HTTP 200, but not with the bridge's {{\"status\":\"ok\"}}: something else is served at public_url"),
            format!("point `public_url` (or the reverse proxy's upstream) at the bridge, which listens on {}", config.listen),
        ),
        300..=399 => redirected(config, &url, answer.status, answer.location.as_deref()),
        502..=504 => Check::warning(
            SCOPE,
            "reachable",
            format!("{url} answers HTTP {} (the reverse proxy cannot reach the bridge): is the bridge running?", answer.status),
            not_running_fix,
        ),
        status => Check::error(
            SCOPE,
            "reachable",
            format!("{url} answers HTTP {status}: the bridge is not what answers at public_url, or the proxy forwards only some paths"),
            format!(
                "forward every path of {base} to the bridge (it listens on {}); it serves /healthz, /callback/…, /odoo/… and its pages itself",
                config.listen
            ),
        ),
    }
}

fn is_bridge_health(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v.get("status").and_then(|s| s.as_str()) == Some("ok"))
}

/// A redirect in front of `/healthz`. To another scheme, host or port it means the address the
/// config gives out is not the one that is served: every redirect URI the bridge sends upstream,
/// and Odoo's buttons, point at the wrong place.
fn redirected(config: &Config, url: &str, status: u16, location: Option<&str>) -> Check {
    let target = location.and_then(|l| Url::parse(url).ok()?.join(l).ok());
    let Some(target) = target else {
        return Check::error(
            SCOPE,
            "reachable",
            format!("{url} answers HTTP {status} without a usable Location"),
            "make the reverse proxy forward requests to the bridge instead of redirecting them",
        );
    };
    let ours = config.public_url.origin();
    if target.origin() == ours {
        return Check::error(
            SCOPE,
            "reachable",
            format!("{url} is redirected to {target} on the same host: something in front of the bridge (a login wall?) intercepts its routes"),
            "let the reverse proxy pass every path (/healthz, /callback/…, /odoo/authorize…, /odoo/tokeninfo) straight to the bridge",
        );
    }
    let served = target.origin().ascii_serialization();
    let scheme_only = target.host_str() == config.public_url.host_str() && target.scheme() != config.public_url.scheme();
    let what = if scheme_only {
        format!("the reverse proxy forces {} while public_url says {}", target.scheme(), config.public_url.scheme())
    } else {
        format!("the bridge is served at {served}, not at public_url")
    };
    Check::error(
        SCOPE,
        "reachable",
        format!(
            "{url} is redirected (HTTP {status}) to {target}: {what}. The redirect URIs the bridge sends ({}) and Odoo's \
             buttons would not match what is served, so providers answer redirect_uri_mismatch",
            redirect_uris(config, &config.public_base())
        ),
        format!(
            "set `public_url = \"{served}\"`, register exactly these redirect URIs at the providers: {}; then run `login-bridge setup` \
             so Odoo's provider records follow",
            redirect_uris(config, &served)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Status;

    fn config(public_url: &str, listen: &str, proxies: &str) -> Config {
        let text = format!(
            "public_url = \"{public_url}\"\nlisten = \"{listen}\"\ntrusted_proxies = [{proxies}]\n[store]\nurl = \"sqlite://x.db\"\n\
             [[odoo]]\nid = \"acme\"\nurl = \"https://erp.example.com\"\ndatabase = \"acme\"\nodoo_provider_id = 1\n\
             [[provider]]\nid = \"google\"\nkind = \"google\"\nclient_id = \"id\"\nclient_secret_env = \"S\"\n"
        );
        Config::parse(&text, std::path::Path::new("t.toml"), std::path::Path::new("."), &|_| Some("s".into())).expect("config")
    }

    #[test]
    fn a_proxy_without_trusted_proxies_is_a_warning() {
        assert_eq!(proxy(&config("http://127.0.0.1:3000", "127.0.0.1:3000", "")).status, Status::Ok);
        let behind = proxy(&config("https://login.example.com", "127.0.0.1:3000", ""));
        assert_eq!(behind.status, Status::Warning);
        assert!(behind.message.contains("`trusted_proxies` is empty"), "{}", behind.message);
        assert_eq!(proxy(&config("https://login.example.com", "127.0.0.1:3000", "\"127.0.0.1\"")).status, Status::Ok);
        assert_eq!(scheme(&config("http://login.example.com", "0.0.0.0:80", "")).status, Status::Warning);
    }
}
