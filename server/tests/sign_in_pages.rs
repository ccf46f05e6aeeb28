//! The sign-in pages through the real router: the embedded page's framing rules, the language a
//! person reads, Odoo's oauth_error notices, the email form's no-JavaScript path, branding, and
//! the pages after a provider refused (Microsoft's AADSTS codes included) in the flow's language.

mod common;
mod standins;

use login_bridge::{bridge::Bridge, config::Config};
use standins::{drive::World, Decision};
use std::{path::Path, sync::Arc};

struct Answer {
    status: u16,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

async fn get(app: &axum::Router, uri: &str, accept_language: Option<&str>) -> Answer {
    let headers: Vec<(&str, &str)> = accept_language.map(|l| ("Accept-Language", l)).into_iter().collect();
    let (status, headers, body) = common::send(app, uri, &headers).await;
    Answer { status, headers, body }
}

async fn app(dir: &Path) -> axum::Router {
    common::app(bridge(dir).await)
}

/// Two Odoo (one with a website on another origin and an accent colour), one provider for
/// `example.com` addresses that cannot be reached (nothing listens on port 9).
async fn bridge(dir: &Path) -> Arc<Bridge> {
    let text = format!(
        r##"
public_url = "https://login.example.com"
listen = "127.0.0.1:3000"
[store]
url = "sqlite://{db}"
[[odoo]]
id = "acme"
url = "http://127.0.0.1:8069"
database = "acme"
display_name = "Acme Corp"
api_login = "admin"
api_key_env = "ODOO_KEY"
accent_color = "#FC0"
logo_url = "https://erp.acme.example/web/binary/company_logo"
embed_origins = ["https://www.acme.example"]
[[odoo]]
id = "other"
url = "http://127.0.0.1:8070"
database = "other"
api_login = "admin"
api_key_env = "ODOO_KEY"
[[provider]]
id = "devidp"
kind = "oidc"
display_name = "Dev IdP"
issuer = "http://127.0.0.1:9"
client_id = "login-bridge"
client_secret_env = "IDP_SECRET"
email_domains = ["@Example.com"]
"##,
        db = dir.join("bridge.db").display()
    );
    let config = Config::parse(&text, Path::new("test.toml"), dir, &common::env).expect("config parses");
    Bridge::start(config).await.expect("bridge starts")
}

#[tokio::test]
async fn only_the_embed_page_may_be_framed_and_only_by_its_odoo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;

    let embed = get(&app, "/embed?odoo=acme", None).await;
    assert_eq!(embed.status, 200);
    let csp = embed.header("content-security-policy");
    assert!(csp.contains("frame-ancestors http://127.0.0.1:8069 https://www.acme.example;"), "{csp}");
    assert!(embed.headers.get("x-frame-options").is_none(), "X-Frame-Options would forbid the Odoo page too");
    assert!(embed.headers.get("set-cookie").is_none(), "nothing in the iframe may rely on cookies");
    assert!(embed.body.contains(r#"target="_top""#), "buttons must leave the frame: providers refuse to be framed");
    assert!(!embed.body.contains("/web/login\""), "no password link inside Odoo's own login page");

    // The other Odoo's embed names only its own origin.
    let other = get(&app, "/embed?odoo=other", None).await;
    assert!(other.header("content-security-policy").contains("frame-ancestors http://127.0.0.1:8070;"));

    for uri in ["/?odoo=acme", "/nope", "/callback/devidp?state=x&code=y"] {
        let page = get(&app, uri, None).await;
        assert!(page.header("content-security-policy").contains("frame-ancestors 'none'"), "{uri}");
        assert_eq!(page.header("x-frame-options"), "DENY", "{uri}");
    }
}

#[tokio::test]
async fn the_page_speaks_odoos_language_then_the_browsers_then_the_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;

    let french = get(&app, "/?odoo=acme", Some("fr-CH, fr;q=0.9, en;q=0.8")).await;
    assert!(french.body.contains(r#"<html lang="fr""#), "{}", &french.body[..400.min(french.body.len())]);
    assert!(french.body.contains("Continuer avec Dev IdP"));
    // The provider is down here (no link): the email form's way in carries the language.
    assert!(french.body.contains(r#"<input type="hidden" name="lang" value="fr">"#), "the flow keeps the language");

    let odoo_wins = get(&app, "/embed?odoo=acme&odoo_lang=de_DE", Some("fr")).await;
    assert!(odoo_wins.body.contains(r#"<html lang="de""#));

    let link = get(&app, "/?odoo=acme&lang=es", Some("ja-JP,ja;q=0.9")).await;
    assert!(link.body.contains(r#"<html lang="es""#));

    let fallback = get(&app, "/?odoo=acme", Some("ja-JP")).await;
    assert!(fallback.body.contains(r#"<html lang="en""#));
    assert!(fallback.body.contains("Continue with Dev IdP"));
    // Before the click, the page says what the chosen account will give Odoo, in the page's language.
    assert!(
        fallback.body.contains(r#"<p class="lb-shared">Acme Corp receives only your name and email address from the account you choose. Your password stays with that provider.</p>"#),
        "{}",
        fallback.body
    );
    assert!(french.body.contains("Acme Corp reçoit uniquement votre nom et votre adresse e-mail"), "the notice is translated");

    let not_found = get(&app, "/nope", Some("pt-BR")).await;
    assert_eq!(not_found.status, 404);
    assert!(not_found.body.contains(r#"<html lang="pt""#) && not_found.body.contains("Página não encontrada"), "{}", not_found.body);
}

#[tokio::test]
async fn odoos_oauth_error_is_explained_with_a_reference() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    for (code, title) in [("1", "Odoo does not allow sign-up"), ("2", "Odoo refused the sign-in"), ("3", "No access to this Odoo database")] {
        let page = get(&app, &format!("/embed?odoo=acme&oauth_error={code}"), None).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains(title), "oauth_error={code}");
        assert!(page.body.contains(r#"class="lb-correlation""#), "oauth_error={code} needs a reference");
    }
    let page = get(&app, "/?odoo=acme&oauth_error=%3Cb%3E", None).await;
    assert!(!page.body.contains("lb-notice"), "only Odoo's three codes are explained");
}

#[tokio::test]
async fn the_email_form_without_javascript_routes_by_domain_or_comes_back_saying_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;

    let page = get(&app, "/?odoo=acme&return_to=/odoo/sales", None).await;
    assert!(page.body.contains(r#"action="/login""#), "the form works without JavaScript");
    assert!(page.body.contains(r#"name="return_to" value="/odoo/sales""#));

    let unknown = get(&app, "/login?email=ann%40acme.org&odoo=acme&return_to=/odoo/sales&lang=nl", None).await;
    assert_eq!(unknown.status, 303);
    assert_eq!(unknown.header("location"), "/?odoo=acme&return_to=%2Fodoo%2Fsales&lang=nl&email_problem=acme.org");
    let back = get(&app, unknown.header("location"), None).await;
    assert!(back.body.contains("acme.org") && back.body.contains("lb-notice"));

    let invalid = get(&app, "/login?email=ann&odoo=acme", None).await;
    assert!(invalid.header("location").ends_with("email_problem=invalid"));
    assert!(get(&app, invalid.header("location"), None).await.body.contains("Enter an email address such as name@example.com."));

    // A subdomain of a configured domain goes to its provider (which is down here: its page says so).
    let routed = get(&app, "/login?email=ann%40paris.example.com&odoo=acme", None).await;
    assert_eq!(routed.status, 503, "went to the provider of example.com");
    assert!(routed.body.contains("Dev IdP cannot be reached right now"));

    // The target is checked as for a button: no open redirect through the form.
    let evil = get(&app, "/login?email=ann%40example.com&odoo=acme&return_to=https://evil.example/", None).await;
    assert_eq!(evil.status, 400);
}

#[tokio::test]
async fn each_odoo_gets_its_logo_title_and_an_accessible_accent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(dir.path()).await;
    let page = get(&app, "/?odoo=acme", None).await;
    assert!(page.body.contains(r#"src="https://erp.acme.example/web/binary/company_logo""#));
    assert!(page.body.contains(r#"href="/branding/acme.css""#));
    assert!(page.header("content-security-policy").contains("img-src 'self' data: https://erp.acme.example;"), "the logo's origin is allowed, nothing more");

    let css = get(&app, "/branding/acme.css", None).await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
    // #FC0 is light: black text keeps AA contrast on it.
    assert_eq!(css.body.trim(), ":root { --lb-accent: #ffcc00; --lb-accent-text: #000000; }");

    assert_eq!(get(&app, "/branding/other.css", None).await.status, 404, "no accent configured: no stylesheet");
    let other = get(&app, "/?odoo=other", None).await;
    assert!(!other.body.contains("/branding/"));
}

#[tokio::test]
async fn microsofts_refusal_is_explained_by_its_aadsts_code_in_the_flows_language() {
    let world = World::start().await;
    world.microsoft.set_decision(Decision::Deny);
    let mut browser = standins::drive::Browser::new();
    let page = browser.navigate(&format!("{}/login/microsoft?odoo=acme&lang=fr", world.bridge_url)).await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains(r#"<html lang="fr""#), "the page after the provider speaks the flow's language");
    assert!(page.body.contains("Microsoft n"), "French title: {}", page.body);
    assert!(page.body.contains("AADSTS65004"), "the code is named for the admin");
    assert!(page.body.contains(r#"class="lb-correlation""#));
    assert!(page.body.contains("/web/login"), "a way back to Odoo's password login");
}

#[tokio::test]
async fn a_cancelled_github_consent_says_so_and_offers_to_try_again() {
    let world = World::start().await;
    world.github.set_decision(Decision::Deny);
    let mut browser = standins::drive::Browser::new();
    let page = browser.navigate(&format!("{}/login/github?odoo=acme&lang=de", world.bridge_url)).await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains(r#"<html lang="de""#));
    assert!(page.body.contains(r#"class="lb-button lb-primary" href="/?odoo=acme&amp;lang=de""#), "{}", page.body);
}

/// A site as `make build` leaves it: content-hashed names listed in `hash.txt`, each with its
/// brotli and gzip twin, and a public file with a plain name.
fn hashed_site(root: &Path) {
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("site dir");
    std::fs::write(root.join("hash.txt"), "js: J5h\nwasm: W4sm\ncss: C55\n").expect("hash list");
    for (name, body) in [
        ("pkg/login-bridge.W4sm.wasm", "plain"),
        ("pkg/login-bridge.W4sm.wasm.br", "brotli"),
        ("pkg/login-bridge.W4sm.wasm.gz", "gzip"),
        ("pkg/login-bridge.C55.css", "body{}"),
        ("pkg/login-bridge.J5h.js", "export default 1"),
        ("login-bridge.svg", "<svg/>"),
    ] {
        std::fs::write(root.join(name), body).expect("asset");
    }
}

#[tokio::test]
async fn assets_have_hashed_names_a_year_of_caching_and_go_out_precompressed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    hashed_site(&site);
    let options = leptos::config::LeptosOptions::builder().output_name("login-bridge").site_root(site.display().to_string()).build();
    let leptos_options = login_bridge::http::assets::with_hashed_names(options, &site);
    let app = login_bridge::http::router(login_bridge::bridge::AppState { bridge: bridge(dir.path()).await, leptos_options });

    // Pages name this build's files, and are never cached themselves. The JS and WASM go by
    // one bundle name, which leads to the hashed files.
    let page = get(&app, "/?odoo=acme", None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"href="/pkg/login-bridge.C55.css""#), "{}", page.body);
    assert_eq!(page.header("cache-control"), "no-store");
    let bundle = page.body.split(r#"("", "pkg", ""#).nth(1).and_then(|rest| rest.split('"').next()).expect("the hydration script names the bundle");
    assert!(bundle.starts_with("login-bridge.") && bundle != "login-bridge", "{bundle}");
    assert!(page.body.contains(&format!(r#"("", "pkg", "{bundle}", "{bundle}""#)));
    assert!(page.body.contains(&format!(r#"rel="modulepreload" href="/pkg/{bundle}.js""#)), "{}", page.body);

    for (accept, encoding, body) in [("br, gzip", "br", "brotli"), ("gzip", "gzip", "gzip"), ("identity", "", "plain")] {
        for path in [format!("/pkg/{bundle}.wasm"), "/pkg/login-bridge.W4sm.wasm".to_string()] {
            let (status, headers, text) = common::send(&app, &path, &[("Accept-Encoding", accept)]).await;
            let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            assert_eq!(status, 200, "{path} {accept}");
            assert_eq!(text, body, "{path} {accept}");
            assert_eq!(header("content-encoding"), encoding, "{path} {accept}");
            assert_eq!(header("content-type"), "application/wasm", "{path} {accept}");
            assert_eq!(header("cache-control"), "public, max-age=31536000, immutable", "{path} {accept}");
            assert_eq!(header("vary"), "accept-encoding", "a shared cache must not hand brotli to a gzip-only browser");
        }
    }
    let script = get(&app, &format!("/pkg/{bundle}.js"), None).await;
    assert_eq!((script.status, script.body.as_str()), (200, "export default 1"));
    // A plain name may change with the next build: browsers ask again.
    let logo = get(&app, "/login-bridge.svg", None).await;
    assert_eq!((logo.status, logo.header("cache-control")), (200, "no-cache"));
    let not_found = get(&app, "/nope", None).await;
    assert!(not_found.body.contains(r#"href="/pkg/login-bridge.C55.css""#), "error pages use the same stylesheet");
    assert_eq!(not_found.header("cache-control"), "no-store");

    // HTML is compressed on the fly for browsers that accept it.
    for (accept, encoding) in [("br, gzip", "br"), ("gzip", "gzip"), ("identity", "")] {
        let (_, headers, _) = common::send(&app, "/?odoo=acme", &[("Accept-Encoding", accept)]).await;
        let encoding_sent = headers.get("content-encoding").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert_eq!(encoding_sent, encoding, "{accept}");
    }
}
