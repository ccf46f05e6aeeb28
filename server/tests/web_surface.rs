//! The web surface's defences, one test each, through the real router: request limits per client
//! address (and who the client is behind a proxy), tokeninfo's allow-list, HSTS, the pages' CSP
//! and nonce, the headers every response carries, no caching of sign-in answers, the flow
//! cookie's attributes, escaping of everything that comes from config or the URL, and forged
//! Host headers. Each test fails when its defence is removed.

mod common;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{HeaderMap, Method, Request},
    Router,
};
use http_body_util::BodyExt;
use login_bridge::{
    bridge::{AppState, Bridge},
    config::Config,
    store::IssuedToken,
    tokens::unix_now,
};
use std::{net::SocketAddr, path::Path, sync::Arc};
use tempfile::TempDir;
use tower::ServiceExt;

const HTTPS: &str = "https://login.example.com";
const HTTP: &str = "http://127.0.0.1:3000";
/// No whitespace, so it also passes `return_to`'s check and lands in links.
const MARKUP: &str = r#""></title></textarea><script>alert(1)</script><img/src=x/onerror=alert(2)>'"#;

/// What the test changes in the config.
#[derive(Default)]
struct Setup<'a> {
    public_url: &'a str,
    /// Top-level lines (e.g. `trusted_proxies = […]`).
    top: &'a str,
    /// Lines of `[limits]`.
    limits: &'a str,
    /// More lines for `[[odoo]] id = "acme"`.
    acme: &'a str,
    /// Display names from the config.
    provider_name: &'a str,
    odoo_name: &'a str,
}

struct Surface {
    app: Router,
    bridge: Arc<Bridge>,
    _dir: TempDir,
}

/// Two Odoo, an OpenID provider that cannot be reached (port 9) and a GitHub, which needs no
/// discovery, so starting a login with it answers a redirect without any network.
async fn surface(setup: Setup<'_>) -> Surface {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        r#"
public_url = "{public_url}"
listen = "127.0.0.1:3000"
{top}
[store]
url = "sqlite://{db}"
[limits]
{limits}
[[odoo]]
id = "acme"
url = "http://127.0.0.1:8069"
database = "acme"
display_name = '{odoo_name}'
title = '{odoo_name}'
api_login = "admin"
api_key_env = "ODOO_KEY"
odoo_provider_id = 4
{acme}
[[odoo]]
id = "other"
url = "http://127.0.0.1:8070"
database = "other"
api_login = "admin"
api_key_env = "ODOO_KEY"
[[provider]]
id = "devidp"
kind = "oidc"
display_name = '{provider_name}'
issuer = "http://127.0.0.1:9"
client_id = "login-bridge"
client_secret_env = "IDP_SECRET"
[[provider]]
id = "gh"
kind = "github"
base_url = "http://127.0.0.1:9"
client_id = "gh-client"
client_secret_env = "IDP_SECRET"
"#,
        public_url = if setup.public_url.is_empty() { HTTP } else { setup.public_url },
        top = setup.top,
        limits = setup.limits,
        acme = setup.acme,
        odoo_name = if setup.odoo_name.is_empty() { "Acme Corp" } else { setup.odoo_name },
        provider_name = if setup.provider_name.is_empty() { "Dev IdP" } else { setup.provider_name },
        db = dir.path().join("bridge.db").display(),
    );
    let config = Config::parse(&text, Path::new("test.toml"), dir.path(), &common::env).expect("config parses");
    let bridge = Bridge::start(config).await.expect("bridge starts");
    // A site root with one static file, so static answers can be checked too.
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("site dir");
    std::fs::write(site.join("pkg/login-bridge.css"), "body{}").expect("css");
    let leptos_options = leptos::config::LeptosOptions::builder().output_name("login-bridge").site_root(site.display().to_string()).build();
    let app = login_bridge::http::router(AppState { bridge: bridge.clone(), leptos_options });
    Surface { app, bridge, _dir: dir }
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// One request as it arrives from `peer` (a TCP peer address, as `serve` provides it), or
/// without one (`None`, as in-process callers do).
async fn call(app: &Router, method: Method, uri: &str, peer: Option<&str>, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::from(body.to_string())).expect("request");
    if let Some(peer) = peer {
        let addr: SocketAddr = format!("{peer}:40000").parse().expect("peer address");
        request.extensions_mut().insert(ConnectInfo(addr));
    }
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

async fn get(app: &Router, uri: &str) -> Answer {
    call(app, Method::GET, uri, Some("203.0.113.5"), &[], "").await
}

async fn get_from(app: &Router, uri: &str, peer: Option<&str>, headers: &[(&str, &str)]) -> Answer {
    call(app, Method::GET, uri, peer, headers, "").await
}

fn authorize_uri(provider: Option<&str>) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "token")
        .append_pair("client_id", "acme")
        .append_pair("redirect_uri", "http://127.0.0.1:8069/auth_oauth/signin")
        .append_pair("scope", "openid")
        .append_pair("state", r#"{"d": "acme", "p": 4}"#)
        .finish();
    match provider {
        Some(p) => format!("/odoo/authorize/{p}?{query}"),
        None => format!("/odoo/authorize?{query}"),
    }
}

fn issued(odoo: &str) -> IssuedToken {
    IssuedToken { odoo_id: odoo.into(), subject: "login-bridge-6".into(), email: Some("alice@example.com".into()), name: None, expires_at: unix_now() + 120 }
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

const TINY_LIMITS: &str = "per_ip_per_minute = 1\nburst = 2\ntokeninfo_per_minute = 1\ntokeninfo_burst = 2";

#[tokio::test]
async fn every_sign_in_route_and_tokeninfo_answer_429_with_retry_after_over_the_limit() {
    let routes = [
        "/login/devidp?odoo=acme".to_string(),
        "/login?email=someone%40nowhere.test&odoo=acme".to_string(),
        "/callback/devidp?state=s&code=c".to_string(),
        authorize_uri(None),
        authorize_uri(Some("gh")),
        "/odoo/tokeninfo?access_token=unknown".to_string(),
    ];
    for uri in &routes {
        // A fresh bridge per route: the sign-in routes share one bucket per client.
        let s = surface(Setup { limits: TINY_LIMITS, ..Default::default() }).await;
        for n in 0..2 {
            let answer = get_from(&s.app, uri, Some("203.0.113.5"), &[]).await;
            assert_ne!(answer.status, 429, "{uri}: request {n} is within the burst");
        }
        let refused = get_from(&s.app, uri, Some("203.0.113.5"), &[("Accept-Language", "fr-CH, fr;q=0.9")]).await;
        assert_eq!(refused.status, 429, "{uri}");
        let retry_after: u64 = refused.header("retry-after").parse().unwrap_or_else(|_| panic!("{uri}: Retry-After in seconds"));
        assert!((1..=61).contains(&retry_after), "{uri}: Retry-After {retry_after}");
        assert_eq!(refused.header("cache-control"), "no-store", "{uri}");
        if uri.starts_with("/odoo/tokeninfo") {
            assert_eq!(refused.json()["error"], "temporarily_unavailable", "{}", refused.body);
            assert!(refused.header("www-authenticate").starts_with("Bearer error="), "{uri}");
        } else {
            // The translated page, in the reader's language, with the reference an admin greps for.
            assert!(refused.header("content-type").starts_with("text/html"), "{uri}");
            assert!(refused.body.contains(r#"<html lang="fr""#) && refused.body.contains("Trop de tentatives"), "{uri}: {}", refused.body);
            assert!(refused.body.contains("lb-correlation"), "{uri}: the page names a reference");
        }
        // The provider page and health are not limited.
        assert_eq!(get_from(&s.app, "/?odoo=acme", Some("203.0.113.5"), &[]).await.status, 200);
        assert_eq!(get_from(&s.app, "/healthz", Some("203.0.113.5"), &[]).await.status, 200);
    }
}

#[tokio::test]
async fn the_limit_is_per_client_and_only_trusted_proxies_may_name_the_client() {
    let s = surface(Setup { top: r#"trusted_proxies = ["127.0.0.1"]"#, limits: "per_ip_per_minute = 1\nburst = 1", ..Default::default() }).await;
    let uri = "/callback/devidp?state=s&code=c";
    let via_proxy = |client: &'static str| [("X-Forwarded-For", client)];

    // Behind the trusted proxy, each forwarded client has its own bucket.
    assert_eq!(get_from(&s.app, uri, Some("127.0.0.1"), &via_proxy("198.51.100.1")).await.status, 400);
    assert_eq!(get_from(&s.app, uri, Some("127.0.0.1"), &via_proxy("198.51.100.1")).await.status, 429);
    assert_eq!(get_from(&s.app, uri, Some("127.0.0.1"), &via_proxy("198.51.100.2")).await.status, 400, "another client is not limited");
    // A forged address left of the proxy's own entry changes nothing.
    assert_eq!(get_from(&s.app, uri, Some("127.0.0.1"), &via_proxy("6.6.6.6, 198.51.100.1")).await.status, 429);

    // From an untrusted peer, X-Forwarded-For is ignored: changing it does not escape the limit.
    assert_eq!(get_from(&s.app, uri, Some("203.0.113.9"), &via_proxy("198.51.100.3")).await.status, 400);
    assert_eq!(get_from(&s.app, uri, Some("203.0.113.9"), &via_proxy("198.51.100.4")).await.status, 429);
    assert_eq!(get_from(&s.app, uri, Some("203.0.113.10"), &[]).await.status, 400, "another peer is not limited");

    // Without a peer address (in-process callers) all requests are one unknown client, still limited.
    assert_eq!(get_from(&s.app, uri, None, &via_proxy("198.51.100.5")).await.status, 400);
    assert_eq!(get_from(&s.app, uri, None, &via_proxy("198.51.100.6")).await.status, 429);
}

#[tokio::test]
async fn tokeninfo_refuses_callers_outside_the_allow_list_and_leaves_the_token_usable() {
    let s = surface(Setup {
        top: r#"trusted_proxies = ["127.0.0.1"]"#,
        acme: r#"tokeninfo_allowed_ips = ["10.0.0.5", "10.1.0.0/16"]"#,
        ..Default::default()
    })
    .await;
    let store = &s.bridge.store;
    store.put_token("tok-acme", &issued("acme")).await.expect("stored");
    store.put_token("tok-other", &issued("other")).await.expect("stored");

    for (uri, peer, headers) in [
        ("/odoo/tokeninfo?access_token=tok-acme", Some("203.0.113.7"), &[][..]),
        ("/odoo/tokeninfo?access_token=tok-acme&odoo=acme", Some("203.0.113.7"), &[][..]),
        // `other` allows anyone, but the token belongs to `acme`.
        ("/odoo/tokeninfo?access_token=tok-acme&odoo=other", Some("203.0.113.7"), &[][..]),
        // An allowed address in X-Forwarded-For counts only from a trusted proxy.
        ("/odoo/tokeninfo?access_token=tok-acme", Some("203.0.113.7"), &[("X-Forwarded-For", "10.0.0.5")][..]),
        ("/odoo/tokeninfo?access_token=tok-acme", None, &[][..]),
    ] {
        let refused = get_from(&s.app, uri, peer, headers).await;
        assert_eq!(refused.status, 403, "{uri} from {peer:?} {headers:?}");
        assert_eq!(refused.json()["error"], "access_denied");
        assert_eq!(refused.header("cache-control"), "no-store");
    }
    // The refused calls did not use the token up: Odoo's server still redeems it, once.
    let ok = get_from(&s.app, "/odoo/tokeninfo?access_token=tok-acme&odoo=acme", Some("10.1.2.3"), &[]).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.json()["aud"], "acme");
    assert_eq!(get_from(&s.app, "/odoo/tokeninfo?access_token=tok-acme", Some("10.1.2.3"), &[]).await.status, 401);

    // Through the trusted proxy, the forwarded address is the one checked.
    store.put_token("tok-proxied", &issued("acme")).await.expect("stored");
    let proxied = get_from(&s.app, "/odoo/tokeninfo?access_token=tok-proxied", Some("127.0.0.1"), &[("X-Forwarded-For", "10.0.0.5")]).await;
    assert_eq!(proxied.status, 200, "{}", proxied.body);

    // An Odoo without a list takes calls from anywhere.
    assert_eq!(get_from(&s.app, "/odoo/tokeninfo?access_token=tok-other", Some("203.0.113.7"), &[]).await.status, 200);
}

#[tokio::test]
async fn hsts_is_sent_over_https_and_never_over_http() {
    let uris = ["/?odoo=acme", "/healthz", "/nope", "/odoo/tokeninfo?access_token=x", "/login/gh?odoo=acme", "/pkg/login-bridge.css"];
    let secure = surface(Setup { public_url: HTTPS, ..Default::default() }).await;
    for uri in uris {
        assert_eq!(get(&secure.app, uri).await.header("strict-transport-security"), "max-age=31536000; includeSubDomains", "{uri}");
    }
    let plain = surface(Setup::default()).await;
    for uri in uris {
        assert!(get(&plain.app, uri).await.headers.get("strict-transport-security").is_none(), "{uri} over http");
    }
}

/// The `nonce-…` of a CSP header.
fn csp_nonce(csp: &str) -> String {
    let start = csp.find("'nonce-").expect("CSP has a nonce") + "'nonce-".len();
    csp[start..].split('\'').next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_provider_page_csp_has_the_scripts_nonce_and_forbids_plugins_base_and_framing() {
    let s = surface(Setup::default()).await;
    let page = get(&s.app, "/?odoo=acme").await;
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy");
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'none'"] {
        assert!(csp.contains(directive), "{directive} missing: {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let nonce = csp_nonce(csp);
    assert!(nonce.len() >= 16, "a nonce worth the name: {nonce}");
    let scripts: Vec<&str> = page.body.match_indices("<script").map(|(i, _)| &page.body[i..i + page.body[i..].find('>').unwrap_or(0)]).collect();
    assert!(!scripts.is_empty(), "the page hydrates with scripts");
    for tag in &scripts {
        assert!(tag.contains(&format!(r#"nonce="{nonce}""#)), "script without this response's nonce: {tag}");
    }
    // A second response gets another nonce.
    assert_ne!(csp_nonce(get(&s.app, "/?odoo=acme").await.header("content-security-policy")), nonce);
}

#[tokio::test]
async fn nosniff_and_no_referrer_on_pages_errors_json_and_static_files() {
    let s = surface(Setup::default()).await;
    for uri in [
        "/?odoo=acme",
        "/embed?odoo=acme",
        "/nope",
        "/callback/devidp?state=s&code=c",
        "/healthz",
        "/odoo/tokeninfo?access_token=x",
        "/pkg/login-bridge.css",
        "/branding/acme.css",
    ] {
        let answer = get(&s.app, uri).await;
        assert_ne!(answer.status, 500, "{uri}");
        assert_eq!(answer.header("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(answer.header("referrer-policy"), "no-referrer", "{uri}");
    }
    assert_eq!(get(&s.app, "/pkg/login-bridge.css").await.status, 200, "the static file is served");
}

#[tokio::test]
async fn sign_in_answers_and_pages_are_never_cached() {
    let s = surface(Setup::default()).await;
    s.bridge.store.put_token("tok", &issued("acme")).await.expect("stored");
    for (uri, status) in [
        ("/login/gh?odoo=acme".to_string(), 303),
        ("/login/devidp?odoo=acme".to_string(), 503),
        ("/login?email=a%40nowhere.test&odoo=acme".to_string(), 303),
        ("/callback/devidp?state=s&code=c".to_string(), 400),
        (authorize_uri(None), 303),
        (authorize_uri(Some("gh")), 303),
        ("/odoo/authorize?client_id=nope".to_string(), 400),
        ("/odoo/tokeninfo?access_token=tok".to_string(), 200),
        ("/odoo/tokeninfo?access_token=tok".to_string(), 401),
        ("/?odoo=acme".to_string(), 200),
        ("/embed?odoo=acme".to_string(), 200),
        ("/?odoo=nope".to_string(), 404),
        ("/nope".to_string(), 404),
    ] {
        let answer = get(&s.app, &uri).await;
        assert_eq!(answer.status, status, "{uri}: {}", answer.body);
        assert_eq!(answer.header("cache-control"), "no-store", "{uri}");
    }
    let post = call(&s.app, Method::POST, "/login/gh", Some("203.0.113.5"), &[("Content-Type", "application/x-www-form-urlencoded")], "odoo=acme").await;
    assert_eq!((post.status, post.header("cache-control")), (303, "no-store"));
}

#[tokio::test]
async fn the_flow_cookie_is_httponly_lax_host_wide_and_host_prefixed_over_https() {
    for (public_url, name) in [(HTTP, "lb_flow="), (HTTPS, "__Host-lb_flow=")] {
        let s = surface(Setup { public_url, ..Default::default() }).await;
        let start = get(&s.app, "/login/gh?odoo=acme").await;
        assert_eq!(start.status, 303, "{}", start.body);
        let cookie = start.header("set-cookie");
        assert!(cookie.starts_with(name), "{cookie}");
        let attributes: Vec<String> = cookie.split(';').skip(1).map(|a| a.trim().to_ascii_lowercase()).collect();
        for wanted in ["httponly", "samesite=lax", "path=/"] {
            assert!(attributes.iter().any(|a| a == wanted), "{wanted} missing: {cookie}");
        }
        assert!(!attributes.iter().any(|a| a.starts_with("domain")), "a Domain would share it with other hosts: {cookie}");
        assert_eq!(attributes.iter().any(|a| a == "secure"), public_url == HTTPS, "Secure iff https: {cookie}");
        // The callback clears it with the same attributes.
        let state = cookie[name.len()..].split(';').next().unwrap_or_default().to_string();
        let back = get_from(&s.app, &format!("/callback/gh?state={state}&error=access_denied"), Some("203.0.113.5"), &[("Cookie", &format!("{name}{state}"))]).await;
        let cleared = back.header("set-cookie");
        assert!(cleared.starts_with(&format!("{name};")) && cleared.contains("Max-Age=0") && cleared.contains("HttpOnly"), "{cleared}");
    }
}

/// No payload survives as markup; every script tag is ours (carries the nonce), and the
/// hydration data cannot close its script element.
fn assert_inert(uri: &str, answer: &Answer) {
    let body = &answer.body;
    // Fragments that only exist if a payload's `<` or `"` came through as markup.
    for raw in ["<script>alert", "<img/src=x", "\"></title>", "</textarea><script", "</title></script>"] {
        let at = body.find(raw).map(|i| &body[i.saturating_sub(300)..(i + 100).min(body.len())]);
        assert!(at.is_none(), "{uri}: `{raw}` unescaped in\n…{}…", at.unwrap_or_default());
    }
    if let Some(csp) = answer.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).filter(|c| c.contains("'nonce-")) {
        let nonce = csp_nonce(csp);
        for (i, _) in body.match_indices("<script") {
            let tag = &body[i..i + body[i..].find('>').unwrap_or(0)];
            assert!(tag.contains(&format!(r#"nonce="{nonce}""#)), "{uri}: foreign script tag {tag}");
        }
    }
    if let Some(start) = body.find("__RESOLVED_RESOURCES") {
        let script_end = body[start..].find("</script>").map_or(body.len(), |e| start + e);
        let data = &body[start..script_end];
        assert!(!data.contains('<'), "{uri}: raw `<` in the hydration data: {data}");
    }
    for (name, value) in &answer.headers {
        let value = value.to_str().unwrap_or_default();
        assert!(!value.contains('<'), "{uri}: header {name}: {value}");
    }
    assert!(!answer.header("location").contains('"'), "{uri}: {}", answer.header("location"));
}

#[tokio::test]
async fn markup_from_the_config_or_the_url_never_reaches_a_page_unescaped() {
    let s = surface(Setup {
        provider_name: r#"Dev "IdP" </title></script><script>alert(1)</script>"#,
        odoo_name: r#"Acme "ERP" </title></script><script>alert(1)</script><img/src=x/onerror=alert(2)>"#,
        ..Default::default()
    })
    .await;
    let m = encode(MARKUP);
    let uris = [
        "/?odoo=acme".to_string(),
        "/embed?odoo=acme".to_string(),
        format!("/?odoo=acme&return_to=/web{m}&email_problem={m}&oauth_error={m}"),
        format!("/embed?odoo=acme&redirect=/web{m}&oauth_error={m}&odoo_lang={m}&lang={m}"),
        format!("/?odoo={m}"),
        format!("/?odoo=acme&pending={m}"),
        format!("/?odoo=acme&return_to={m}"),
        format!("/callback/devidp?state=s&code=c&odoo={m}&lang={m}"),
        format!("/callback/devidp?state=s&error={m}&error_description={m}"),
        format!("/login/{m}?odoo=acme"),
        format!("/login?email={m}&odoo=acme&return_to=/web{m}"),
        format!("/nope{m}"),
    ];
    for uri in &uris {
        let answer = get(&s.app, uri).await;
        assert_ne!(answer.status, 500, "{uri}");
        assert_inert(uri, &answer);
        // Follow a redirect back to a page of the bridge (the email form's way back).
        let location = answer.header("location").to_string();
        if location.starts_with('/') {
            let page = get(&s.app, &location).await;
            assert_inert(&location, &page);
        }
    }
    // The names are shown, escaped.
    let page = get(&s.app, "/?odoo=acme").await;
    assert!(page.body.contains("Acme &quot;ERP&quot;") || page.body.contains("Acme \"ERP\" &lt;"), "{}", page.body);
}

#[tokio::test]
async fn forged_host_headers_never_reach_a_url() {
    let s = surface(Setup { public_url: HTTPS, ..Default::default() }).await;
    let forged = [
        ("Host", "evil.example"),
        ("X-Forwarded-Host", "evil.example"),
        ("X-Forwarded-Proto", "http"),
        ("X-Forwarded-Port", "8443"),
        ("Forwarded", "host=evil.example;proto=http"),
    ];
    let uris = [
        "/?odoo=acme".to_string(),
        "/embed?odoo=acme".to_string(),
        "/login/gh?odoo=acme".to_string(),
        "/login/devidp?odoo=acme".to_string(),
        "/login?email=a%40nowhere.test&odoo=acme".to_string(),
        authorize_uri(None),
        authorize_uri(Some("gh")),
        "/callback/gh?state=s&code=c".to_string(),
        "/nope".to_string(),
        "/odoo/tokeninfo?access_token=x".to_string(),
        "http://evil.example/?odoo=acme".to_string(),
        "http://evil.example/login/gh?odoo=acme".to_string(),
    ];
    for uri in &uris {
        let answer = get_from(&s.app, uri, Some("203.0.113.5"), &forged).await;
        assert_ne!(answer.status, 500, "{uri}");
        assert!(!answer.body.contains("evil.example"), "{uri}: the forged host is in the body");
        for (name, value) in &answer.headers {
            assert!(!value.to_str().unwrap_or_default().contains("evil.example"), "{uri}: the forged host is in {name}");
        }
        // The only absolute URL of the bridge is public_url's.
        let location = answer.header("location");
        if location.contains("redirect_uri=") {
            assert!(location.contains(&format!("redirect_uri={}", encode("https://login.example.com/callback/gh"))), "{uri}: {location}");
        }
    }
    let upstream = get_from(&s.app, "/login/gh?odoo=acme", Some("203.0.113.5"), &forged).await;
    assert!(upstream.header("location").contains("redirect_uri="), "the GitHub start names its redirect URI");
}

#[test]
fn limits_and_address_lists_are_checked_at_start() {
    let base = |top: &str, limits: &str, acme: &str| {
        format!(
            "public_url = \"{HTTP}\"\nlisten = \"127.0.0.1:3000\"\n{top}\n[store]\nurl = \"sqlite://x.db\"\n[limits]\n{limits}\n\
             [[odoo]]\nid = \"acme\"\nurl = \"http://127.0.0.1:8069\"\ndatabase = \"acme\"\nodoo_provider_id = 4\n{acme}\n\
             [[provider]]\nid = \"gh\"\nkind = \"github\"\nclient_id = \"c\"\nclient_secret_env = \"IDP_SECRET\"\n"
        )
    };
    let parse = |text: String| Config::parse(&text, Path::new("t.toml"), Path::new("."), &common::env);
    let defaults = parse(base("", "", "")).expect("defaults parse");
    assert_eq!((defaults.limits.per_ip_per_minute, defaults.limits.burst, defaults.limits.tokeninfo_per_minute), (60, 20, 120));
    assert!(defaults.trusted_proxies.is_empty());
    for (text, key) in [
        (base("", "burst = 0", ""), "limits.burst"),
        (base("", "tokeninfo_burst = 0", ""), "limits.tokeninfo_burst"),
        (base("", "per_minute = 5", ""), "per_minute"),
        (base(r#"trusted_proxies = ["0.0.0.0/0"]"#, "", ""), "trusted_proxies"),
        (base(r#"trusted_proxies = ["proxy.local"]"#, "", ""), "trusted_proxies"),
        (base("", "", r#"tokeninfo_allowed_ips = ["10.0.0.300"]"#), "odoo[0].tokeninfo_allowed_ips"),
    ] {
        let error = parse(text).expect_err(key).to_string();
        assert!(error.contains(key), "{key}: {error}");
    }
    // Off is allowed, with a warning at start.
    let off = parse(base("", "per_ip_per_minute = 0\nburst = 0", "")).expect("0 = off");
    assert!(off.warnings().iter().any(|w| w.contains("per_ip_per_minute = 0")));
}
