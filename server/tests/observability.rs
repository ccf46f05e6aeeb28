//! What an operator sees of logins, through the real `login-bridge` binary: `/metrics` counts a
//! login by provider and outcome, times the flow, Odoo and the provider, counts tokeninfo
//! results, and only answers the addresses `[metrics] allowed_ips` admits; `login-bridge audit`
//! lists who signed in or was refused, why and from where; `--log-format json` writes JSON lines
//! and every line of one flow carries the correlation id its error page shows. And the audit
//! retention rule deletes old rows, and only those.

mod common;
mod served;
mod standins;

use login_bridge::{
    audit::purge_old,
    bridge::Bridge,
    config::Config,
    store::{unix_now_ms, AuditEntry, AuditKind, AuditOutcome, AuditQuery},
};
use serde_json::Value;
use served::{explain, free_port, wait_ready, Browser, Served, ALICE, ALICE_EMAIL};
use standins::{
    oidc_core::{Account, Keycloak, OidcStandin},
    Registration, SigningKey,
};
use std::path::Path;

const CLIENT: &str = "login-bridge";
const SECRET: &str = "observability-test-client-secret";
const API_KEY: &str = "observability-test-api-key";
const STRANGER: &str = "stranger@example.com";

fn envs() -> [(&'static str, &'static str); 2] {
    [("ACME_ODOO_API_KEY", API_KEY), ("SSO_CLIENT_SECRET", SECRET)]
}

/// `login-bridge --config CONFIG ARGS…`: (exit code, stdout, stderr).
fn cli(dir: &Path, config: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    served::run_cli(dir, config, &envs(), args)
}

/// `login-bridge audit ARGS… --json`, parsed.
fn audit_json(dir: &Path, config: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["audit", "--json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = cli(dir, config, &all);
    assert_eq!(code, Some(0), "audit {args:?} failed:\n{stdout}\n{stderr}");
    serde_json::from_str::<Vec<Value>>(&stdout).unwrap_or_else(|e| panic!("audit --json is not a JSON array ({e}):\n{stdout}"))
}

/// The value of the sample `name{labels}` in a scrape, if present.
fn sample(scrape: &str, name_and_labels: &str) -> Option<f64> {
    scrape.lines().find_map(|line| line.strip_prefix(name_and_labels).and_then(|rest| rest.trim().split(' ').next()?.parse().ok()))
}

/// The sum of every sample of `name` whose labels contain `label` (e.g. `odoo="acme"`).
fn sum_of(scrape: &str, name: &str, label: &str) -> f64 {
    scrape
        .lines()
        .filter(|line| line.starts_with(&format!("{name}{{")) && line.contains(label))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// The id on an error page: `<p class="lb-correlation">Reference: <code>ID</code></p>`.
fn reference_on(page: &str) -> Option<String> {
    let after = &page[page.find("lb-correlation")?..];
    let start = after.find("<code>")? + "<code>".len();
    let end = after[start..].find("</code>")?;
    Some(after[start..start + end].to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn logins_show_in_metrics_audit_and_json_logs_with_one_correlation_id_per_flow() {
    let temp = tempfile::tempdir().expect("tempdir");
    let dir = temp.path();
    std::fs::create_dir_all(dir.join("site/pkg")).expect("site dir");
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");

    let sso = OidcStandin::start(
        Box::new(Keycloak { realm: "acme".into() }),
        Registration::new(CLIENT, SECRET, &format!("{public}/callback/sso")),
        SigningKey::new(3, "observability-sso-key"),
    )
    .await;
    let acme = served::start_odoo(API_KEY).await;

    let db = dir.join("bridge.db");
    let config = dir.join("login-bridge.toml");
    // 127.0.0.1 is a trusted proxy so that a request can claim, through X-Forwarded-For, to come
    // from an address outside `[metrics] allowed_ips` (left at its default, loopback only).
    std::fs::write(
        &config,
        format!(
            r#"public_url = "{public}"
listen = "127.0.0.1:{port}"
trusted_proxies = ["127.0.0.1"]

[store]
url = "sqlite://{db}"

[[odoo]]
id = "acme"
url = "{acme}"
database = "acme"
api_login = "admin"
api_key_env = "ACME_ODOO_API_KEY"

[[provider]]
id = "sso"
kind = "oidc"
display_name = "Acme SSO"
issuer = "{issuer}"
client_id = "{CLIENT}"
client_secret_env = "SSO_CLIENT_SECRET"
"#,
            db = db.display(),
            issuer = sso.issuer(),
        ),
    )
    .expect("write config");
    let (code, stdout, stderr) = cli(dir, &config, &["setup", "--odoo", "acme"]);
    assert_eq!(code, Some(0), "setup failed:\n{stdout}\n{stderr}");

    let served = wait_ready(Served::start_with(dir, &config, &envs(), &["--log-format", "json"]), &public).await;
    let metrics_url = format!("{public}/metrics");
    let scrape = || async {
        let response = served::client().get(&metrics_url).send().await.expect("GET /metrics");
        assert_eq!(response.status().as_u16(), 200, "/metrics from 127.0.0.1 (allowed by default)");
        response.text().await.expect("metrics body")
    };

    // ---- Alice signs in --------------------------------------------------------------------
    sso.set_account(Account::new("alice-subject-0001").email(ALICE_EMAIL, true).name("Alice Example"));
    let mut alice = Browser::new();
    let (page, hops) = alice.navigate_to_end(&format!("{public}/login/sso?odoo=acme&return_to=/odoo")).await;
    assert_eq!(alice.odoo_uid(&acme).await, Some(ALICE), "Alice must be signed in\n{}", explain(&page, &hops));

    let after_success = scrape().await;
    let logins = "login_bridge_logins_total{provider=\"sso\",odoo=\"acme\",outcome=";
    assert_eq!(sample(&after_success, &format!("{logins}\"success\"}}")), Some(1.0), "one successful login counted:\n{after_success}");
    assert_eq!(sample(&after_success, &format!("{logins}\"refused\"}}")), None, "nothing refused yet:\n{after_success}");
    assert_eq!(sample(&after_success, "login_bridge_flow_duration_seconds_count{provider=\"sso\"}"), Some(1.0), "{after_success}");
    assert_eq!(sample(&after_success, "login_bridge_tokeninfo_requests_total{result=\"ok\"}"), Some(1.0), "Odoo redeemed one token:\n{after_success}");
    assert!(sum_of(&after_success, "login_bridge_odoo_request_duration_seconds_count", "odoo=\"acme\"") > 0.0, "Odoo calls timed:\n{after_success}");
    assert!(sample(&after_success, "login_bridge_upstream_request_duration_seconds_count{provider=\"sso\",call=\"token\"}").is_some_and(|n| n >= 1.0), "the token call timed:\n{after_success}");
    assert!(sample(&after_success, "login_bridge_upstream_request_duration_seconds_count{provider=\"sso\",call=\"discovery\"}").is_some_and(|n| n >= 1.0), "discovery timed:\n{after_success}");

    // ---- a stranger (no Odoo account) is refused ---------------------------------------------
    sso.set_account(Account::new("stranger-subject-0002").email(STRANGER, true).name("A Stranger"));
    let mut stranger = Browser::new();
    let (page, hops) = stranger.navigate_to_end(&format!("{public}/login/sso?odoo=acme")).await;
    assert_eq!(page.status, 403, "no Odoo account: refused\n{}", explain(&page, &hops));
    let reference = reference_on(&page.body).unwrap_or_else(|| panic!("the error page shows a reference:\n{}", page.body));

    let after_refusal = scrape().await;
    assert_eq!(sample(&after_refusal, &format!("{logins}\"refused\"}}")), Some(1.0), "the refusal counted:\n{after_refusal}");
    assert_eq!(sample(&after_refusal, &format!("{logins}\"success\"}}")), Some(1.0), "{after_refusal}");
    assert_eq!(sample(&after_refusal, "login_bridge_flow_duration_seconds_count{provider=\"sso\"}"), Some(2.0), "{after_refusal}");

    // A replayed token and an unknown one are counted as such, and were never "ok".
    let tokeninfo = format!("{public}/odoo/tokeninfo?access_token=not-a-token");
    assert_eq!(served::client().get(&tokeninfo).send().await.expect("tokeninfo").status().as_u16(), 401);
    let counted = scrape().await;
    assert_eq!(sample(&counted, "login_bridge_tokeninfo_requests_total{result=\"unknown_or_used\"}"), Some(1.0), "{counted}");
    assert_eq!(sample(&counted, "login_bridge_tokeninfo_requests_total{result=\"ok\"}"), Some(1.0), "{counted}");

    // ---- /metrics refuses addresses outside allowed_ips ----------------------------------------
    let outside = served::client().get(&metrics_url).header("X-Forwarded-For", "203.0.113.7").send().await.expect("GET /metrics");
    assert_eq!(outside.status().as_u16(), 404, "a client at 203.0.113.7 must not read /metrics");
    let body = outside.text().await.unwrap_or_default();
    assert!(!body.contains("login_bridge_"), "nothing of the metrics leaks: {body}");

    // ---- an audit write that fails never fails the login ----------------------------------------
    let mut sqlite = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", db.display())).await.expect("open the store");
    sqlx::query("ALTER TABLE audit_log RENAME TO audit_log_away").execute(&mut sqlite).await.expect("hide the audit table");
    sso.set_account(Account::new("alice-subject-0001").email(ALICE_EMAIL, true).name("Alice Example"));
    let mut again = Browser::new();
    let (page, hops) = again.navigate_to_end(&format!("{public}/login/sso?odoo=acme")).await;
    assert_eq!(again.odoo_uid(&acme).await, Some(ALICE), "the login must succeed though its audit row cannot be written\n{}", explain(&page, &hops));
    sqlx::query("ALTER TABLE audit_log_away RENAME TO audit_log").execute(&mut sqlite).await.expect("restore the audit table");
    let counted = scrape().await;
    assert_eq!(sample(&counted, &format!("{logins}\"success\"}}")), Some(2.0), "still counted:\n{counted}");

    let log = served.stop();

    // ---- JSON logs: every line is JSON; one flow's lines share the page's reference ----------
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("--log-format json wrote a line that is not JSON ({e}): {l}")))
        .collect();
    assert!(lines.iter().any(|l| l["fields"]["message"] == "login-bridge listening"), "{log}");
    assert!(
        lines.iter().any(|l| l["level"] == "ERROR" && l["fields"]["message"].as_str().is_some_and(|m| m.starts_with("could not write the audit row"))),
        "the failed audit write is logged:\n{log}"
    );
    let flow_of = |line: &Value| line["span"]["correlation_id"].as_str().map(str::to_string);
    let of_refused: Vec<&Value> = lines.iter().filter(|l| flow_of(l).as_deref() == Some(reference.as_str())).collect();
    let messages: Vec<&str> = of_refused.iter().filter_map(|l| l["fields"]["message"].as_str()).collect();
    assert!(messages.contains(&"login started; sent to the provider"), "the start's line carries the page's reference {reference}: {messages:?}\n{log}");
    assert!(messages.contains(&"login refused for this identity"), "the callback's line carries it: {messages:?}\n{log}");
    assert!(messages.contains(&"request refused"), "the error's own line carries it: {messages:?}\n{log}");
    let refused_line = of_refused.iter().find(|l| l["fields"]["message"] == "request refused").expect("the error line");
    assert_eq!(refused_line["fields"]["correlation_id"], reference.as_str(), "the error line's own field is the same id");
    // Alice's flow has its own id.
    let starts: Vec<String> = lines.iter().filter(|l| l["fields"]["message"] == "login started; sent to the provider").filter_map(flow_of).collect();
    assert_eq!(starts.len(), 3, "three flows started: {starts:?}");
    assert!(starts[0] != starts[1] && starts[1] != starts[2] && starts[0] != starts[2], "each flow has its own id: {starts:?}");
    assert_eq!(starts[1], reference, "the second flow is the refused one");
    let alice_flow = starts[0].clone();
    assert!(
        lines.iter().any(|l| flow_of(l).as_deref() == Some(alice_flow.as_str()) && l["fields"]["message"] == "login succeeded; token issued"),
        "Alice's callback carries her start's id {alice_flow}\n{log}"
    );

    // ---- the audit log -------------------------------------------------------------------------
    let rows = audit_json(dir, &config, &[]);
    assert_eq!(rows.len(), 2, "two logins, two rows: {rows:#?}");
    let (refused, success) = (&rows[0], &rows[1]);
    assert_eq!(refused["outcome"], "refused", "newest first: {rows:#?}");
    assert_eq!(refused["kind"], "login");
    assert_eq!(refused["provider_id"], "sso");
    assert_eq!(refused["odoo_id"], "acme");
    assert_eq!(refused["email"], STRANGER);
    assert_eq!(refused["upstream_subject"], "stranger-subject-0002");
    assert_eq!(refused["odoo_user_id"], Value::Null);
    assert_eq!(refused["ip"], "127.0.0.1");
    assert_eq!(refused["correlation_id"], reference.as_str(), "the row names the page's reference");
    assert!(refused["reason"].as_str().is_some_and(|r| r.starts_with("no_account") && r.contains(STRANGER)), "{refused:#?}");
    assert_eq!(success["outcome"], "success");
    assert_eq!(success["email"], ALICE_EMAIL);
    assert_eq!(success["upstream_subject"], "alice-subject-0001");
    assert_eq!(success["odoo_user_id"], ALICE);
    assert_eq!(success["odoo_login"], ALICE_EMAIL);
    assert_eq!(success["ip"], "127.0.0.1");
    assert_eq!(success["reason"], Value::Null);
    assert_eq!(success["correlation_id"], alice_flow.as_str());
    assert!(success["duration_ms"].as_i64().is_some_and(|ms| ms >= 0), "{success:#?}");
    assert!(success["at"].as_str().is_some_and(|t| t.ends_with('Z')), "time in UTC: {success:#?}");

    // Filters.
    assert_eq!(audit_json(dir, &config, &["--outcome", "refused"]).len(), 1);
    let by_user = audit_json(dir, &config, &["--user", ALICE_EMAIL]);
    assert_eq!(by_user.len(), 1, "{by_user:#?}");
    assert_eq!(by_user[0]["outcome"], "success");
    assert_eq!(audit_json(dir, &config, &["--user", "6"]).len(), 1, "by Odoo user id");
    assert_eq!(audit_json(dir, &config, &["--provider", "nope"]).len(), 0);
    assert_eq!(audit_json(dir, &config, &["--since", "1h", "--limit", "1"]).len(), 1);
    assert_eq!(audit_json(dir, &config, &["--since", "2999-01-01"]).len(), 0);

    // The table for people.
    let (code, table, stderr) = cli(dir, &config, &["audit"]);
    assert_eq!(code, Some(0), "{stderr}");
    let table_lines: Vec<&str> = table.lines().collect();
    assert!(table_lines[0].starts_with("TIME (UTC)"), "{table}");
    assert!(table_lines[1].contains("refused") && table_lines[1].contains(STRANGER) && table_lines[1].contains("no_account"), "{table}");
    assert!(table_lines[2].contains("success") && table_lines[2].contains("alice@example.com (#6)") && table_lines[2].contains("127.0.0.1"), "{table}");

    // Bad input: a clear error and exit 2, no panic.
    for bad in [&["audit", "--since", "yesterday"][..], &["audit", "--outcome", "maybe"][..], &["audit", "--limit", "0"][..]] {
        let (code, stdout, stderr) = cli(dir, &config, bad);
        assert_eq!(code, Some(2), "{bad:?}:\n{stdout}\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let (_, _, stderr) = cli(dir, &config, &["audit", "--since", "yesterday"]);
    assert!(stderr.contains("24h") && stderr.contains("2026-11-01"), "the error says what to write: {stderr}");

    // An admin's revoke is recorded too.
    let (code, stdout, stderr) = cli(dir, &config, &["users", "revoke", "--user", ALICE_EMAIL]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let revokes = audit_json(dir, &config, &["--kind", "revoke"]);
    assert_eq!(revokes.len(), 1, "{revokes:#?}");
    assert_eq!((&revokes[0]["outcome"], &revokes[0]["odoo_user_id"], &revokes[0]["odoo_login"]), (&Value::from("success"), &Value::from(ALICE), &Value::from(ALICE_EMAIL)));

    // A blocked person's refusal names their Odoo user; the human log format shows the flow's id.
    let (code, stdout, stderr) = cli(dir, &config, &["users", "block", "--user", ALICE_EMAIL]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let served = wait_ready(Served::start(dir, &config, &envs()), &public).await;
    let mut blocked = Browser::new();
    let (page, hops) = blocked.navigate_to_end(&format!("{public}/login/sso?odoo=acme")).await;
    assert_eq!(page.status, 403, "blocked\n{}", explain(&page, &hops));
    let reference = reference_on(&page.body).expect("a reference on the page");
    let human = served.stop();
    let rows = audit_json(dir, &config, &["--user", ALICE_EMAIL, "--outcome", "refused"]);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!((&rows[0]["odoo_user_id"], &rows[0]["odoo_login"]), (&Value::from(ALICE), &Value::from(ALICE_EMAIL)));
    assert!(rows[0]["reason"].as_str().is_some_and(|r| r.starts_with("blocked:")), "{:#?}", rows[0]);
    assert_eq!(rows[0]["correlation_id"], reference.as_str());
    let tagged = human.lines().filter(|l| l.contains(&format!("flow{{correlation_id={reference}}}"))).count();
    assert!(tagged >= 3, "the start, the refusal and the error line carry the id in the human format too:\n{human}");
    assert!(human.lines().all(|l| !l.starts_with('{')), "human format by default:\n{human}");
}

async fn bridge_keeping(dir: &Path, retention: &str) -> std::sync::Arc<Bridge> {
    let text = format!("{}\n[audit]\n{retention}\n", common::config_text(&dir.join("bridge.db"), "http://127.0.0.1:9"));
    let config = Config::parse(&text, Path::new("test.toml"), dir, &common::env).expect("config parses");
    Bridge::start(config).await.expect("bridge starts")
}

fn login_row(days_ago: i64, email: &str) -> AuditEntry {
    AuditEntry { at_ms: unix_now_ms() - days_ago * 86_400_000, email: Some(email.into()), ..AuditEntry::now(AuditKind::Login, AuditOutcome::Success) }
}

#[tokio::test]
async fn the_retention_purge_deletes_rows_older_than_retention_days_and_only_those() {
    let temp = tempfile::tempdir().expect("tempdir");
    let bridge = bridge_keeping(temp.path(), "retention_days = 30").await;
    for (days, email) in [(45, "old@example.com"), (31, "older-than-30@example.com"), (29, "recent@example.com"), (0, "today@example.com")] {
        bridge.store.record_audit(&login_row(days, email)).await.expect("record");
    }
    assert_eq!(purge_old(&bridge).await.expect("purge"), 2);
    let left: Vec<String> = bridge.store.audit_entries(&AuditQuery::default()).await.expect("rows").into_iter().filter_map(|r| r.email).collect();
    assert_eq!(left, ["today@example.com", "recent@example.com"]);
    drop(bridge);

    // 0 keeps everything; and the default is 90 days.
    let forever = bridge_keeping(temp.path(), "retention_days = 0").await;
    forever.store.record_audit(&login_row(4000, "ancient@example.com")).await.expect("record");
    assert_eq!(purge_old(&forever).await.expect("purge"), 0);
    assert_eq!(forever.store.audit_entries(&AuditQuery::default()).await.expect("rows").len(), 3);
    drop(forever);
    let default = bridge_keeping(temp.path(), "").await;
    assert_eq!(default.config.audit.retention_days, 90);
    assert_eq!(purge_old(&default).await.expect("purge"), 1, "only the 4000-day-old row is past 90 days");
}

#[tokio::test]
async fn metrics_are_not_served_to_an_address_outside_allowed_ips() {
    let temp = tempfile::tempdir().expect("tempdir");
    // In-process requests have no peer address: never admitted, even by a list that admits everything else.
    let bridge = bridge_keeping(temp.path(), "").await;
    let app = common::app(bridge);
    let (status, _, body) = common::send(&app, "/metrics", &[]).await;
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("login_bridge_"));

    let text = format!("{}\n[metrics]\nallowed_ips = [\"10.0.0.0/8\", \"2001:db8::1\"]\n", common::config_text(&temp.path().join("b.db"), "http://127.0.0.1:9"));
    let config = Config::parse(&text, Path::new("test.toml"), temp.path(), &common::env).expect("config parses");
    for (ip, allowed) in [("10.1.2.3", true), ("::ffff:10.1.2.3", true), ("2001:db8::1", true), ("127.0.0.1", false), ("192.168.1.1", false)] {
        assert_eq!(config.metrics.allows(ip.parse().expect("ip")), allowed, "{ip}");
    }
    let bad = format!("{}\n[metrics]\nallowed_ips = [\"everyone\"]\n", common::config_text(&temp.path().join("c.db"), "http://127.0.0.1:9"));
    let error = Config::parse(&bad, Path::new("test.toml"), temp.path(), &common::env).expect_err("a bad address is refused");
    assert!(error.to_string().contains("metrics.allowed_ips"), "{error}");
}

#[tokio::test]
async fn rate_limit_hits_and_tokeninfo_refusals_are_counted() {
    let temp = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "{}\n[limits]\ntokeninfo_per_minute = 1\ntokeninfo_burst = 1\n",
        common::config_text(&temp.path().join("bridge.db"), "http://127.0.0.1:9")
    );
    let config = Config::parse(&text, Path::new("test.toml"), temp.path(), &common::env).expect("config parses");
    let app = common::app(Bridge::start(config).await.expect("bridge starts"));
    // The registry is the process's: this test reads it directly (in-process requests are not
    // admitted to /metrics), and only this test in this binary calls tokeninfo.
    let count = |series: &str| sample(&login_bridge::metrics::metrics().encode(), series).unwrap_or(0.0);
    let limited = "login_bridge_rate_limited_requests_total{group=\"tokeninfo\"}";
    let unknown = "login_bridge_tokeninfo_requests_total{result=\"unknown_or_used\"}";
    let (limited_before, unknown_before) = (count(limited), count(unknown));
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(common::send(&app, "/odoo/tokeninfo?access_token=not-a-token", &[]).await.0);
    }
    assert_eq!(statuses, [401, 429, 429]);
    assert_eq!(count(unknown) - unknown_before, 1.0, "the one call let through was an unknown token");
    assert_eq!(count(limited) - limited_before, 2.0, "two calls over the limit");
}

/// A login that ends before it has a flow is counted and audited too: a start whose provider is
/// down, and a callback with no flow bound to the browser (expired, used or forged). A provider
/// id made up in the URL is neither a label nor a row.
#[tokio::test]
async fn logins_that_end_before_their_flow_exists_are_counted_and_audited() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The provider's issuer (port 9) never answers: every start fails.
    let bridge = common::bridge(dir.path(), "http://127.0.0.1:9").await;
    let app = common::app(bridge.clone());
    let scrape = || login_bridge::metrics::metrics().encode();
    let count = |text: &str, labels: &str| sample(text, &format!("login_bridge_logins_total{{{labels}}}")).unwrap_or(0.0);
    let at_start = r#"provider="devidp",odoo="acme",outcome="failed""#;
    let at_callback = r#"provider="devidp",odoo="-",outcome="failed""#;
    let before = scrape();

    let (status, _, _) = common::send(&app, "/login/devidp?odoo=acme", &[]).await;
    assert_eq!(status, 503, "the provider is down");
    let (status, _, page) = common::send(&app, "/callback/devidp?state=forged-state&code=some-code", &[]).await;
    assert_eq!(status, 400, "no flow for this state");
    let (status, _, _) = common::send(&app, "/callback/made-up?state=forged-state&code=some-code", &[]).await;
    assert_eq!(status, 400);

    let after = scrape();
    assert_eq!(count(&after, at_start) - count(&before, at_start), 1.0, "{after}");
    assert_eq!(count(&after, at_callback) - count(&before, at_callback), 1.0, "{after}");
    assert!(!after.contains("made-up"), "a made-up provider id is no label: {after}");

    let rows = bridge.store.audit_entries(&AuditQuery::default()).await.expect("audit rows");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let (callback, start) = (&rows[0], &rows[1]);
    assert_eq!((callback.kind, callback.outcome, callback.provider_id.as_deref(), callback.odoo_id.as_deref()), (AuditKind::Login, AuditOutcome::Failed, Some("devidp"), None));
    assert!(callback.reason.as_deref().is_some_and(|r| r.starts_with("flow_expired: ")), "{callback:?}");
    let reference = callback.correlation_id.clone().expect("the row carries the reference");
    assert!(page.contains(&format!("<code>{reference}</code>")), "the page shows the row's reference {reference}: {page}");
    assert_eq!((start.outcome, start.odoo_id.as_deref()), (AuditOutcome::Failed, Some("acme")));
    assert!(start.reason.as_deref().is_some_and(|r| r.starts_with("provider_unavailable: ")), "{start:?}");
}
