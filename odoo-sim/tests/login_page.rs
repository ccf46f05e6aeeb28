// Owns: tests of `/web/login` (provider buttons, oauth_error alerts, headers, password form)
// against transcripts 01-03, 19, 20. Must never reach beyond 127.0.0.1.

mod common;

use common::{http, start_sim, Harness};
use odoo_sim::Seed;

fn href_of(body: &str) -> Vec<String> {
    body.split("class=\"list-group-item list-group-item-action py-2\" href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or("").to_string())
        .collect()
}

fn recorded_href(prefix: &str) -> String {
    let t = common::load(prefix);
    href_of(&t.response.body).into_iter().next().unwrap_or_else(|| panic!("{prefix}: no href recorded"))
}

#[tokio::test]
async fn login_page_button_href_matches_odoo_byte_for_byte() {
    let mut h = Harness::start().await;
    let ex = h.check("01").await;
    assert_eq!(href_of(&ex.response.body), vec![recorded_href("01")]);
    assert!(ex.response.body.contains("&amp;client_id=odoo-acme&amp;redirect_uri="));
}

#[tokio::test]
async fn login_page_sends_odoo_security_headers_and_a_fresh_session_cookie() {
    let mut h = Harness::start().await;
    let ex = h.check("01").await;
    let r = &ex.response;
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    assert_eq!(r.header("x-frame-options"), Some("SAMEORIGIN"));
    assert_eq!(r.header("content-security-policy"), Some("frame-ancestors 'self'"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let cookie = r.header("set-cookie").unwrap_or_default();
    assert!(cookie.starts_with("session_id=") && cookie.ends_with("; Max-Age=604800; HttpOnly; Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure") && !cookie.contains("SameSite"));
}

#[tokio::test]
async fn login_page_redirect_param_goes_absolute_into_state_r() {
    let mut h = Harness::start().await;
    let ex = h.check("02").await;
    assert_eq!(href_of(&ex.response.body), vec![recorded_href("02")]);
    assert!(ex.response.body.contains("<input type=\"hidden\" name=\"redirect\" value=\"/odoo/discuss\"/>"));
}

#[tokio::test]
async fn login_page_builds_redirect_uri_from_host_header() {
    let mut h = Harness::start().await;
    let ex = h.check("03").await;
    assert!(ex.response.body.contains("redirect_uri=http%3A%2F%2Fodoo.acme.test%3A8069%2Fauth_oauth%2Fsignin"));
}

#[tokio::test]
async fn login_page_shows_no_access_text_for_oauth_error_3() {
    let mut h = Harness::start().await;
    h.check("19").await;
}

#[tokio::test]
async fn login_page_shows_access_denied_for_oauth_error_2() {
    let mut h = Harness::start().await;
    h.check("20").await;
}

#[tokio::test]
async fn login_page_shows_signup_not_allowed_for_oauth_error_1() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = http(sim.addr, "GET", "/web/login?oauth_error=1", None, None).await;
    assert!(r.body.contains(
        "<p class=\"alert alert-danger\" role=\"alert\">\n                    Sign up is not allowed on this database.\n                </p>"
    ));
}

#[tokio::test]
async fn login_page_lists_only_enabled_providers_by_sequence_then_name() {
    let mut seed = Seed::transcripts();
    for (id, name, seq) in [(1, "Zeta", 5), (2, "Alpha", 10), (3, "Omega", 1)] {
        if let Some(p) = seed.provider_mut(id) {
            p.enabled = id != 3;
            p.name = name.into();
            p.body = format!("Log in with {name}");
            p.sequence = seq;
        }
    }
    let sim = start_sim(seed).await;
    let r = http(sim.addr, "GET", "/web/login", None, None).await;
    let order: Vec<usize> = ["Log in with Zeta", "Log in with Alpha", "Sign in with Bridge"]
        .iter()
        .map(|b| r.body.find(b).unwrap_or_else(|| panic!("{b} missing")))
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "sequence 5 first, then Alpha/Bridge by name");
    assert!(!r.body.contains("Omega"), "disabled providers get no button");
    assert!(r.body.contains("small my-3\">- or -</em>"), "more than two buttons use my-3 like Odoo");
}


#[tokio::test]
async fn login_page_password_form_logs_in_and_redirects_home() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = common::post_form(sim.addr, "/web/login", "login=alice%40example.com&password=alice&redirect=").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.header("location"), Some("/odoo"));
    let sid = r.set_session_id().unwrap_or_default();
    let info = common::session_info(sim.addr, &sid).await;
    assert_eq!(info["result"]["uid"], 6);
    let portal = common::post_form(sim.addr, "/web/login", "login=bob%40example.com&password=bob").await;
    assert_eq!(portal.header("location"), Some("/web/login_successful"));
}

#[tokio::test]
async fn login_page_wrong_password_shows_odoo_error() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = common::post_form(sim.addr, "/web/login", "login=alice%40example.com&password=nope").await;
    assert_eq!(r.status(), 200);
    assert!(r.body.contains("Wrong login/password"));
    assert!(r.body.contains("name=\"login\" value=\"alice@example.com\""));
    let api_key = common::post_form(sim.addr, "/web/login", "login=admin&password=sim-admin-api-key").await;
    assert_eq!(api_key.status(), 200, "API keys are not interactive passwords");
}

#[tokio::test]
async fn login_page_with_live_session_and_redirect_param_goes_there() {
    let sim = start_sim(Seed::transcripts()).await;
    let login = common::post_form(sim.addr, "/web/login", "login=alice%40example.com&password=alice").await;
    let sid = login.set_session_id().unwrap_or_default();
    let r = http(sim.addr, "GET", "/web/login?redirect=%2Fodoo%2Fdiscuss", Some(&sid), None).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.header("location"), Some("/odoo/discuss"));
}
