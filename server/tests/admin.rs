//! `/admin`: only the emails in `[admin] emails` (verified by the provider) get the dashboard;
//! it shows the providers' and Odoo's health, recent logins, an SVG chart with bars for the
//! providers that had logins, and a searchable audit log, escaping whatever the log holds.
//! Without admins configured there is no dashboard at all.

mod bridge_pages;
mod common;
mod served;
mod standins;

use bridge_pages::{account, path_of, World};
use login_bridge::store::AuditOutcome;
use served::{explain, Browser, ALICE, ALICE_EMAIL};

const HOSTILE: &str = "<script>alert(1)</script>@evil.example";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_admins_see_the_dashboard_and_it_shows_health_logins_chart_and_search() {
    let world = World::start(&["Ops@Example.com"]).await;
    world.audit_login("sso", AuditOutcome::Success, ALICE_EMAIL, Some(ALICE), "203.0.113.7").await;
    world.audit_login("sso", AuditOutcome::Success, ALICE_EMAIL, Some(ALICE), "203.0.113.7").await;
    world.audit_login("work", AuditOutcome::Refused, "refused-person@example.com", None, "203.0.113.99").await;
    world.audit_login("sso", AuditOutcome::Failed, HOSTILE, None, "198.51.100.1").await;

    // No session: to the admin sign-in.
    let mut alice = Browser::new();
    let page = alice.get(&world.url("/admin").parse().unwrap()).await;
    assert_eq!((page.status, page.location.as_deref().map(path_of)), (303, Some("/admin/signin".to_string())));
    let choice = alice.get(&world.url("/admin/signin").parse().unwrap()).await;
    assert!(choice.body.contains(r#"href="/admin/signin/sso""#), "{}", choice.body);

    // A signed-in non-admin: 403 with a clear page, on every admin page.
    world.sso.set_account(account("alice-at-sso", ALICE_EMAIL));
    let (page, hops) = world.sign_in(&mut alice, "/admin/signin/sso").await;
    assert_eq!(page.status, 403, "{}", explain(&page, &hops));
    assert!(page.body.contains("Not an administrator"), "{}", page.body);
    assert!(!page.body.contains("203.0.113.7"), "nothing of the log leaks: {}", page.body);
    let page = alice.get(&world.url("/admin/audit?q=alice").parse().unwrap()).await;
    assert_eq!(page.status, 403);
    // An admin's address the provider did not verify is not an admin.
    let mut unverified = Browser::new();
    world.sso.set_account(standins::oidc_core::Account::new("ops-unverified").email("ops@example.com", false));
    let (page, _) = world.sign_in(&mut unverified, "/admin/signin/sso").await;
    assert_eq!(page.status, 403, "{}", page.body);

    // The admin (any case of the configured address).
    world.sso.set_account(account("ops-at-sso", "OPS@example.com"));
    let mut ops = Browser::new();
    let (page, hops) = world.sign_in(&mut ops, "/admin/signin/sso").await;
    assert_eq!(page.status, 200, "{}", explain(&page, &hops));
    let header = |name: &str| page.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert_eq!(header("cache-control"), "no-store");
    assert!(header("x-robots-tag").contains("noindex"));
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"), "{}", header("content-security-policy"));
    assert!(!header("content-security-policy").contains("unsafe-inline"));
    let body = &page.body;
    // Health: both providers ready, Odoo reachable.
    assert!(body.contains("Acme SSO") && body.contains("Work SSO"), "{body}");
    assert_eq!(body.matches(r#"class="lb-ok">ready"#).count(), 2, "{body}");
    assert!(body.contains("reachable (Odoo 18"), "{body}");
    // Recent logins.
    assert!(body.contains("203.0.113.7") && body.contains("refused-person@example.com"), "{body}");
    // The chart: inline SVG with a title, bars for the providers that had logins, a legend.
    assert!(body.contains("<svg") && body.contains("<title id=\"chart-24h-title\">"), "{body}");
    assert!(body.contains(r#"class="lb-bar" data-provider="sso" data-outcome="success""#), "{body}");
    assert!(body.contains(r#"class="lb-bar" data-provider="work" data-outcome="refused""#), "{body}");
    // Alice's two logins to Odoo, and the three sign-ins to this dashboard (ops and alice).
    assert!(body.contains("Acme SSO, success: 5"), "the bar's title counts every sign-in: {body}");
    assert!(body.contains("signed in to the admin dashboard"), "a dashboard sign-in says so: {body}");
    assert!(body.contains("Work SSO, refused"), "the legend: {body}");
    assert!(!body.contains("style="), "no inline style (CSP)");
    // The hostile email is shown as text, never as markup.
    assert!(!body.contains("<script>alert(1)"), "{body}");
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;@evil.example"), "{body}");
    assert!(body.contains("Doctor"), "{body}");

    // The audit search narrows.
    let search = |query: &str| world.url(&format!("/admin/audit?{query}"));
    let all = ops.get(&search("").parse().unwrap()).await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("refused-person@example.com") && all.body.contains(ALICE_EMAIL), "{}", all.body);
    let refused = ops.get(&search("outcome=refused").parse().unwrap()).await;
    assert!(refused.body.contains("refused-person@example.com"), "{}", refused.body);
    assert!(!refused.body.contains("203.0.113.7"), "only refused rows: {}", refused.body);
    let by_user = ops.get(&search(&format!("user={ALICE_EMAIL}")).parse().unwrap()).await;
    assert!(by_user.body.contains("203.0.113.7") && !by_user.body.contains("refused-person"), "{}", by_user.body);
    let by_text = ops.get(&search("q=evil.example").parse().unwrap()).await;
    assert!(by_text.body.contains("&lt;script&gt;") && !by_text.body.contains("<script>alert"), "{}", by_text.body);
    assert!(!by_text.body.contains("refused-person"), "{}", by_text.body);
    let by_provider = ops.get(&search("provider=work").parse().unwrap()).await;
    assert!(by_provider.body.contains("refused-person") && !by_provider.body.contains("203.0.113.7"), "{}", by_provider.body);
    // The form keeps what was asked, escaped.
    let echoed = ops.get(&search("q=%22%3E%3Cscript%3E").parse().unwrap()).await;
    assert!(echoed.body.contains(r#"value="&quot;&gt;&lt;script&gt;""#) && !echoed.body.contains("\"><script>"), "{}", echoed.body);
    // The doctor report, run on demand from the dashboard: real checks of this very setup.
    assert!(body.contains(r#"href="/admin/doctor""#), "the overview offers the doctor: {body}");
    let doctor = ops.get(&world.url("/admin/doctor").parse().unwrap()).await;
    assert_eq!(doctor.status, 200, "{}", doctor.body);
    assert!(doctor.body.contains("<code>provider:sso</code>") && doctor.body.contains("<code>odoo:acme</code>"), "{}", doctor.body);
    assert!(doctor.body.contains(r#"<td>client_credentials</td><td class="lb-ok">ok</td>"#), "the stand-in accepts the secret: {}", doctor.body);
    assert!(doctor.body.contains(r#"<td>auth_oauth</td><td class="lb-ok">ok</td>"#), "{}", doctor.body);
    let css = ops.get(&world.url("/admin/admin.css").parse().unwrap()).await;
    assert!(css.status == 200 && css.headers.get("content-type").is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/css")));

    // Sign-out needs the CSRF token, then ends the session.
    let page = ops.post_form(&world.url("/admin/signout"), &[("csrf", "forged")]).await;
    assert_eq!(page.status, 403);
    assert_eq!(ops.get(&world.url("/admin").parse().unwrap()).await.status, 200, "still signed in");
    let token = bridge_pages::csrf(&ops.get(&world.url("/admin").parse().unwrap()).await.body);
    let page = ops.post_form(&world.url("/admin/signout"), &[("csrf", &token)]).await;
    assert_eq!(page.status, 303);
    let page = ops.get(&world.url("/admin").parse().unwrap()).await;
    assert_eq!((page.status, page.location.as_deref().map(path_of)), (303, Some("/admin/signin".to_string())));
}

/// An account-page session does not open the dashboard, even for an admin's address.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_account_session_is_not_an_admin_session() {
    let world = World::start(&[ALICE_EMAIL]).await;
    world.sso.set_account(account("alice-at-sso", ALICE_EMAIL));
    let mut alice = Browser::new();
    let (page, hops) = world.sign_in(&mut alice, "/account/signin/sso?odoo=acme").await;
    assert_eq!(page.status, 200, "{}", explain(&page, &hops));
    let page = alice.get(&world.url("/admin").parse().unwrap()).await;
    assert_eq!((page.status, page.location.as_deref().map(path_of)), (303, Some("/admin/signin".to_string())));
}

/// No `[admin] emails`: no dashboard, no sign-in to it.
#[tokio::test]
async fn without_admins_there_is_no_dashboard() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = common::app(common::bridge(dir.path(), "http://127.0.0.1:9").await);
    for path in ["/admin", "/admin/audit", "/admin/doctor", "/admin/signin", "/admin/signin/devidp", "/admin/admin.css"] {
        let (status, _, _) = common::send(&app, path, &[]).await;
        assert_eq!(status, 404, "{path}");
    }
}
