// Owns: tests of `/auth_oauth/signin` (state checks, the single validation call, user lookup,
// sign-up, redirects) against transcripts 04-05, 09-18, 57-60, 62, 67-70. Loopback only.

mod common;

use common::{http, json_reply, reply, session_info, signin_target, start_sim, FakeIdp, Harness};
use odoo_sim::{Seed, SignupScope};
use serde_json::{json, Value};
use std::collections::HashMap;

#[tokio::test]
async fn signin_without_query_answers_fragment_to_query_page() {
    let mut h = Harness::start().await;
    let ex = h.check("04").await;
    assert!(ex.response.body.contains("var q = l.hash.substring(1);"));
}

#[tokio::test]
async fn signin_linked_user_validates_once_and_sets_session() {
    let mut h = Harness::start().await;
    let ex = h.check("05").await;
    assert_eq!(ex.outgoing.len(), 1, "exactly one validation call");
    assert_eq!(ex.outgoing[0].request_line, "GET /tokeninfo?access_token=tok123 HTTP/1.1");
    assert_eq!(ex.response.header("location"), Some("/web"));
    assert_eq!(ex.sim_log[0]["headers"][1], json!(["User-Agent", "python-requests/2.31.0"]));
}

#[tokio::test]
async fn signin_with_authorization_header_param_sends_bearer_without_query() {
    let mut h = Harness::start().await;
    h.check_all(&["09", "10"]).await;
    let ex = h.check("11").await;
    assert_eq!(ex.outgoing[0].request_line, "GET /tokeninfo HTTP/1.1");
    assert!(ex.outgoing[0].headers.contains(&("Authorization".into(), "Bearer tok123".into())));
    h.check_all(&["12", "13"]).await;
    let again = h.replay("05").await;
    assert_eq!(again.outgoing[0].request_line, "GET /tokeninfo?access_token=tok123 HTTP/1.1");
}

#[tokio::test]
async fn signin_unlinked_subject_with_b2b_is_oauth_error_3() {
    let mut h = Harness::start().await;
    let ex = h.check("14").await;
    assert_eq!(ex.response.header("location"), Some("/web/login?oauth_error=3"));
    assert!(ex.response.set_session_id().is_some(), "a fresh anonymous session cookie");
}

#[tokio::test]
async fn signin_rejected_token_is_oauth_error_2() {
    let mut h = Harness::start().await;
    h.check("15").await;
}

#[tokio::test]
async fn signin_state_db_outside_dbfilter_is_400_without_validation() {
    let mut h = Harness::start().await;
    let ex = h.check("16").await;
    assert_eq!(ex.response.status(), 400);
    assert!(ex.outgoing.is_empty() && ex.sim_log.is_empty());
}

#[tokio::test]
async fn signin_absolute_r_keeps_only_path_and_query() {
    let mut h = Harness::start().await;
    let ex = h.check("17").await;
    assert_eq!(ex.response.header("location"), Some("/landing?x=1"));
}

#[tokio::test]
async fn signin_path_r_is_kept() {
    let mut h = Harness::start().await;
    h.check("18").await;
}

#[tokio::test]
async fn signin_same_token_is_validated_again_every_time() {
    let mut h = Harness::start().await;
    let first = h.check("57").await;
    let second = h.check("58").await;
    assert_eq!(first.outgoing.len() + second.outgoing.len(), 2, "no caching of validations");
}

#[tokio::test]
async fn signin_disabled_provider_is_accepted_and_portal_web_goes_to_root() {
    let mut h = Harness::start().await;
    h.check_all(&["27", "30"]).await;
    let ex = h.check("60").await;
    assert_eq!(ex.response.header("location"), Some("/"));
    assert!(ex.response.body.contains("<a href=\"/web\">/web</a>"), "the body still says /web");
}

#[tokio::test]
async fn signin_without_r_lands_on_odoo() {
    let mut h = Harness::start().await;
    h.check_all(&["27", "30", "60", "61"]).await;
    let ex = h.check("62").await;
    assert_eq!(ex.response.header("location"), Some("/odoo"));
}

#[tokio::test]
async fn signin_idp_200_with_error_member_is_oauth_error_2() {
    let mut h = Harness::start().await;
    h.check_all(&["27", "30"]).await;
    h.check("67").await;
}

#[tokio::test]
async fn signin_unknown_provider_is_oauth_error_2_without_outgoing_call() {
    let mut h = Harness::start().await;
    let ex = h.check("68").await;
    assert!(ex.outgoing.is_empty());
}

#[tokio::test]
async fn signin_without_state_is_http_500() {
    let mut h = Harness::start().await;
    let ex = h.check("69").await;
    assert_eq!(ex.response.status(), 500);
    assert!(ex.outgoing.is_empty());
}

#[tokio::test]
async fn signin_with_non_json_state_is_http_500() {
    let sim = start_sim(Seed::transcripts()).await;
    let r = http(sim.addr, "GET", "/auth_oauth/signin?access_token=x&state=nope", None, None).await;
    assert_eq!(r.status(), 500);
}

#[tokio::test]
async fn signin_ignores_extra_implicit_flow_params() {
    let mut h = Harness::start().await;
    h.check("70").await;
}

// ------------------------------------------------------------------ beyond the transcripts

/// One fake answering `replies`, one simulator whose provider 4 validates against it.
async fn setup(replies: Vec<(&str, common::RawMessage)>, edit: impl FnOnce(&mut Seed, &FakeIdp)) -> (common::Sim, FakeIdp) {
    let map: HashMap<String, common::RawMessage> = replies.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let fake = FakeIdp::start_with(map).await;
    let mut seed = common::transcript_seed(&fake);
    edit(&mut seed, &fake);
    (start_sim(seed).await, fake)
}

fn state(p: i64, r: Option<&str>) -> Value {
    match r {
        Some(r) => json!({"d": "acme", "p": p, "r": r}),
        None => json!({"d": "acme", "p": p}),
    }
}

#[tokio::test]
async fn signin_subject_may_come_in_sub_id_or_user_id_first_non_empty_wins() {
    let (sim, _fake) = setup(
        vec![
            ("tsub", json_reply(json!({"sub": "alice-sub"}))),
            ("tid", json_reply(json!({"id": "alice-sub"}))),
            ("tempty", json_reply(json!({"sub": "", "id": null, "user_id": "alice-sub"}))),
        ],
        |_, _| {},
    )
    .await;
    for token in ["tsub", "tid", "tempty"] {
        let r = http(sim.addr, "GET", &signin_target(token, &state(4, None)), None, None).await;
        assert_eq!(r.header("location"), Some("/odoo"), "{token}");
    }
}

#[tokio::test]
async fn signin_missing_subject_is_oauth_error_3() {
    let (sim, _fake) = setup(vec![("tnone", json_reply(json!({"email": "alice@example.com"})))], |_, _| {}).await;
    let r = http(sim.addr, "GET", &signin_target("tnone", &state(4, None)), None, None).await;
    assert_eq!(r.header("location"), Some("/web/login?oauth_error=3"));
}

#[tokio::test]
async fn signin_merges_query_already_in_validation_endpoint() {
    let (sim, fake) = setup(vec![("tq", json_reply(json!({"sub": "alice-sub"})))], |seed, fake| {
        if let Some(p) = seed.provider_mut(4) {
            p.validation_endpoint = format!("{}?audience=odoo", fake.url());
        }
    })
    .await;
    let r = http(sim.addr, "GET", &signin_target("tq", &state(4, None)), None, None).await;
    assert_eq!(r.status(), 303);
    assert_eq!(fake.requests()[0].request_line, "GET /tokeninfo?audience=odoo&access_token=tq HTTP/1.1");
}

#[tokio::test]
async fn signin_data_endpoint_adds_a_second_call_and_merges() {
    let data_fake = FakeIdp::start_with(
        [("td".to_string(), json_reply(json!({"email": "new@example.com", "name": "New Person"})))].into_iter().collect(),
    )
    .await;
    let data_url = data_fake.url();
    let (sim, fake) = setup(vec![("td", json_reply(json!({"sub": "new-sub"})))], |seed, _| {
        seed.signup = SignupScope::B2c;
        if let Some(p) = seed.provider_mut(4) {
            p.data_endpoint = Some(data_url);
        }
    })
    .await;
    let r = http(sim.addr, "GET", &signin_target("td", &state(4, None)), None, None).await;
    assert_eq!((fake.count(), data_fake.count()), (1, 1));
    let sid = r.set_session_id().unwrap_or_default();
    let info = session_info(sim.addr, &sid).await;
    assert_eq!(info["result"]["username"], "new@example.com", "the data endpoint's email became the login");
    assert_eq!(info["result"]["name"], "New Person");
}

#[tokio::test]
async fn signin_b2c_creates_portal_user_with_login_email() {
    let (sim, _fake) = setup(
        vec![("tnew", json_reply(json!({"sub": "carol-sub", "email": "carol@example.com", "name": "Carol"})))],
        |seed, _| seed.signup = SignupScope::B2c,
    )
    .await;
    let r = http(sim.addr, "GET", &signin_target("tnew", &state(4, Some("/odoo"))), None, None).await;
    assert_eq!(r.header("location"), Some("/odoo"));
    let sid = r.set_session_id().unwrap_or_default();
    let info = session_info(sim.addr, &sid).await;
    assert_eq!(info["result"]["is_internal_user"], false);
    let users = common::execute_kw(
        sim.addr, 2, common::API_KEY, "res.users", "search_read",
        json!([[["login", "=", "carol@example.com"]]]),
        json!({"fields": ["share", "groups_id", "oauth_provider_id", "oauth_uid"]}),
    )
    .await;
    let u = &users["result"][0];
    assert_eq!((u["share"].clone(), u["groups_id"].clone(), u["oauth_uid"].clone()), (json!(true), json!([10]), json!("carol-sub")));
    let odoo = http(sim.addr, "GET", "/odoo", Some(&sid), None).await;
    assert_eq!(odoo.header("location"), Some("/web/login_successful"));
}

#[tokio::test]
async fn signin_b2c_without_email_uses_provider_login_and_empty_email_fails() {
    let (sim, _fake) = setup(
        vec![
            ("tnomail", json_reply(json!({"sub": "x-sub"}))),
            ("temptymail", json_reply(json!({"sub": "y-sub", "email": ""}))),
        ],
        |seed, _| seed.signup = SignupScope::B2c,
    )
    .await;
    let r = http(sim.addr, "GET", &signin_target("tnomail", &state(4, None)), None, None).await;
    let info = session_info(sim.addr, &r.set_session_id().unwrap_or_default()).await;
    assert_eq!(info["result"]["username"], "provider_4_user_x-sub");
    let r = http(sim.addr, "GET", &signin_target("temptymail", &state(4, None)), None, None).await;
    assert_eq!(r.header("location"), Some("/web/login?oauth_error=2"));
}

#[tokio::test]
async fn signin_without_auth_signup_is_oauth_error_1() {
    let (sim, _fake) = setup(vec![("tnew", json_reply(json!({"sub": "zed", "email": "z@example.com"})))], |seed, _| {
        seed.signup = SignupScope::None
    })
    .await;
    let r = http(sim.addr, "GET", &signin_target("tnew", &state(4, None)), None, None).await;
    assert_eq!(r.header("location"), Some("/web/login?oauth_error=1"));
}

#[tokio::test]
async fn signin_archived_user_is_not_found() {
    let (sim, _fake) = setup(vec![("tok", json_reply(json!({"sub": "alice-sub"})))], |seed, _| {
        if let Some(u) = seed.user_mut(6) {
            u.active = false;
        }
    })
    .await;
    let r = http(sim.addr, "GET", &signin_target("tok", &state(4, None)), None, None).await;
    assert_eq!(r.header("location"), Some("/web/login?oauth_error=3"));
}

#[tokio::test]
async fn signin_broken_validation_answers_are_oauth_error_2() {
    let (sim, fake) = setup(
        vec![
            ("thtml", reply("200 OK", &[("Content-Type", "text/html")], "<html>hi</html>")),
            ("t500", reply("500 Internal Server Error", &[], "oops")),
            ("tlist", json_reply(json!(["alice-sub"]))),
        ],
        |_, _| {},
    )
    .await;
    for token in ["thtml", "t500", "tlist"] {
        let r = http(sim.addr, "GET", &signin_target(token, &state(4, None)), None, None).await;
        assert_eq!(r.header("location"), Some("/web/login?oauth_error=2"), "{token}");
    }
    assert_eq!(fake.count(), 3);
}

#[tokio::test]
async fn signin_with_unreachable_endpoint_is_oauth_error_2() {
    let (sim, _fake) = setup(vec![], |seed, _| {
        if let Some(p) = seed.provider_mut(4) {
            // a port nothing listens on (bound then released)
            let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(9);
            p.validation_endpoint = format!("http://127.0.0.1:{port}/tokeninfo");
        }
    })
    .await;
    let r = http(sim.addr, "GET", &signin_target("tok123", &state(4, None)), None, None).await;
    assert_eq!(r.header("location"), Some("/web/login?oauth_error=2"));
}

#[tokio::test]
async fn signin_validation_log_records_exactly_one_call_with_python_requests_headers() {
    let mut h = Harness::start().await;
    h.check("46").await;
    let log = h.sim_log().await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["provider_id"], 4);
    assert_eq!(log[0]["query"], "access_token=tok123");
    let names: Vec<String> = log[0]["headers"].as_array().map(|a| a.iter().map(|p| p[0].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default();
    assert_eq!(names, ["Host", "User-Agent", "Accept-Encoding", "Accept", "Connection"]);
}
