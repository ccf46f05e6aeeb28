//! `login-bridge setup` against the Odoo simulator: records, parameters, warnings, errors, and
//! the plan as a pure function. Each test is named after the behaviour it proves.

use login_bridge::{
    config::Config,
    odoo::{client::OdooProviderRecord, OdooClient},
    setup::{
        self,
        plan::{self, Change, DisableReason, ExistingRecord, OdooState, Warning},
        SetupError, SetupMode, SetupOptions, SetupReport,
    },
};
use odoo_sim::{Seed, SignupScope};
use serde_json::json;
use std::path::Path;

const PUBLIC: &str = "http://127.0.0.1:3000";

const GOOGLE: &str = "[[provider]]\nid = \"google\"\nkind = \"google\"\nclient_id = \"g-client\"\nclient_secret_env = \"SECRET\"\n";
const GITHUB: &str = "[[provider]]\nid = \"github\"\nkind = \"github\"\nclient_id = \"gh-client\"\nclient_secret_env = \"SECRET\"\n";
const DEVIDP: &str = "[[provider]]\nid = \"devidp\"\nkind = \"oidc\"\ndisplay_name = \"Dev IdP\"\nissuer = \"http://127.0.0.1:9\"\nclient_id = \"login-bridge\"\nclient_secret_env = \"SECRET\"\n";

/// The transcripts' Odoo 18: stock providers 1-3 disabled, record 4 pointing elsewhere, b2b sign-up.
fn seed() -> Seed {
    Seed::transcripts()
}

async fn start(seed: Seed) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = odoo_sim::serve(seed, listener).await;
    });
    format!("http://{addr}")
}

fn env(name: &str) -> Option<String> {
    match name {
        "ODOO_KEY" => Some("sim-admin-api-key".into()),
        "WRONG_KEY" => Some("not-the-key".into()),
        "ALICE_KEY" => Some("alice-api-key".into()),
        "SECRET" => Some("secret".into()),
        _ => None,
    }
}

/// One `[[odoo]] id = "acme"` with `odoo_lines` (API access, buttons…) and these providers.
fn config_text(odoo_url: &str, odoo_lines: &str, providers: &[&str]) -> String {
    format!(
        "public_url = \"{PUBLIC}\"\nlisten = \"127.0.0.1:3000\"\n[store]\nurl = \"sqlite://unused.db\"\n\
         [[odoo]]\nid = \"acme\"\nurl = \"{odoo_url}\"\ndatabase = \"acme\"\n{odoo_lines}\n{}",
        providers.join("\n")
    )
}

fn config(odoo_url: &str, odoo_lines: &str, providers: &[&str]) -> Config {
    Config::parse(&config_text(odoo_url, odoo_lines, providers), Path::new("test.toml"), Path::new("."), &env)
        .expect("test config parses")
}

const API: &str = "api_login = \"admin\"\napi_key_env = \"ODOO_KEY\"";

async fn run(config: &Config, dry_run: bool) -> (Result<SetupReport, SetupError>, String) {
    let mut out = Vec::new();
    let result = setup::run(config, &SetupOptions { odoo: None, dry_run }, &mut out).await;
    (result, String::from_utf8(out).expect("utf-8 output"))
}

async fn run_ok(config: &Config, dry_run: bool) -> (SetupReport, String) {
    let (result, out) = run(config, dry_run).await;
    match result {
        Ok(report) => (report, out),
        Err(e) => panic!("setup failed: {e}\n{out}"),
    }
}

/// An admin's view of Odoo, through the same API key.
fn admin(odoo_url: &str) -> OdooClient {
    let config = config(odoo_url, API, &[GOOGLE]);
    OdooClient::new(config.odoo[0].clone()).expect("client")
}

async fn records(odoo_url: &str) -> Vec<OdooProviderRecord> {
    let mut records = admin(odoo_url).provider_records().await.expect("records");
    records.sort_by_key(|r| r.id);
    records
}

fn bridge_records(records: &[OdooProviderRecord]) -> Vec<&OdooProviderRecord> {
    records.iter().filter(|r| r.auth_endpoint.starts_with(&format!("{PUBLIC}/odoo/authorize"))).collect()
}

async fn param(odoo_url: &str, key: &str) -> Option<String> {
    admin(odoo_url).get_param(key).await.expect("get_param")
}

fn creates(report: &SetupReport) -> Vec<String> {
    report.odoo[0]
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Create { record } => Some(record.name.clone()),
            _ => None,
        })
        .collect()
}

// ---- Against the simulator ------------------------------------------------------------------

#[tokio::test]
async fn fresh_setup_creates_one_record_per_provider_and_sets_the_authorization_header() {
    let odoo = start(seed()).await;
    let config = config(&odoo, API, &[GOOGLE, GITHUB, DEVIDP]);
    let (report, out) = run_ok(&config, false).await;

    assert_eq!(report.odoo[0].mode, SetupMode::Applied);
    assert_eq!(report.odoo[0].major, Some(18));
    assert_eq!(creates(&report), ["Login Bridge: Google", "Login Bridge: GitHub", "Login Bridge: Dev IdP"]);
    assert_eq!(report.odoo[0].created.len(), 3);
    assert!(report.odoo[0].changes.contains(&Change::SetParam {
        key: "auth_oauth.authorization_header",
        from: None,
        to: "1".into()
    }));

    let all = records(&odoo).await;
    let ours = bridge_records(&all);
    assert_eq!(ours.len(), 3, "{all:#?}");
    let expected = [
        ("google", "Google", "fa fa-fw fa-google"),
        ("github", "GitHub", "fa fa-fw fa-github"),
        ("devidp", "Dev IdP", "fa fa-fw fa-key"),
    ];
    for (record, (id, name, css)) in ours.iter().zip(expected) {
        assert_eq!(record.name, format!("Login Bridge: {name}"));
        assert!(record.enabled);
        assert_eq!(record.client_id.as_deref(), Some("acme"));
        assert_eq!(record.auth_endpoint, format!("{PUBLIC}/odoo/authorize/{id}"));
        assert_eq!(record.validation_endpoint, format!("{PUBLIC}/odoo/tokeninfo"));
        assert_eq!(record.data_endpoint, None);
        assert_eq!(record.scope.as_deref(), Some("openid profile email"));
        assert_eq!(record.body.as_deref(), Some(format!("Sign in with {name}").as_str()));
        assert_eq!(record.css_class.as_deref(), Some(css));
    }
    assert_eq!(param(&odoo, "auth_oauth.authorization_header").await.as_deref(), Some("1"));
    // The stock providers and the record pointing elsewhere are left alone.
    assert_eq!(all.iter().filter(|r| r.id <= 4).map(|r| r.enabled).collect::<Vec<_>>(), [false, false, false, true]);

    assert!(out.contains("ok: Odoo 18 answers"), "{out}");
    assert!(out.contains("ok: auth_oauth is installed"), "{out}");
    assert!(out.contains("done: created #"), "{out}");
    assert!(out.contains("done: set auth_oauth.authorization_header = 1"), "{out}");
    assert!(out.contains("google (Google): http://127.0.0.1:3000/callback/google"), "{out}");
    assert!(out.contains("devidp (Dev IdP): http://127.0.0.1:3000/callback/devidp"), "{out}");
}

#[tokio::test]
async fn re_running_setup_changes_nothing() {
    let odoo = start(seed()).await;
    let config = config(&odoo, API, &[GOOGLE, GITHUB, DEVIDP]);
    run_ok(&config, false).await;
    let before = records(&odoo).await;

    let (report, out) = run_ok(&config, false).await;
    assert!(report.nothing_to_change(), "{:#?}", report.odoo[0].changes);
    assert!(out.contains("nothing to change"), "{out}");
    assert_eq!(records(&odoo).await, before, "no record created or written");
}

#[tokio::test]
async fn a_record_made_by_hand_is_updated_in_place_not_duplicated() {
    let mut seed = seed();
    seed.providers.push(
        serde_json::from_value(json!({
            "id": 9, "name": "Google via Login Bridge", "enabled": false, "client_id": "acme",
            "auth_endpoint": "http://127.0.0.1:3000/odoo/authorize/google/", "validation_endpoint": "http://127.0.0.1:3000/odoo/tokeninfo",
            "data_endpoint": false, "scope": "openid", "body": "Sign in with Google", "css_class": "fa", "sequence": 10
        }))
        .expect("seed provider"),
    );
    let odoo = start(seed).await;
    let config = config(&odoo, API, &[GOOGLE]);
    let (report, out) = run_ok(&config, false).await;

    let update = report.odoo[0].changes.iter().find_map(|c| match c {
        Change::Update { id, fields, .. } => Some((*id, fields.iter().map(|f| f.field).collect::<Vec<_>>())),
        _ => None,
    });
    assert_eq!(
        update,
        Some((9, vec!["name", "enabled", "auth_endpoint", "scope", "css_class", "sequence"])),
        "{out}"
    );
    assert!(creates(&report).is_empty(), "{out}");
    let all = records(&odoo).await;
    let ours = bridge_records(&all);
    assert_eq!(ours.len(), 1);
    assert_eq!((ours[0].id, ours[0].enabled, ours[0].auth_endpoint.as_str()), (9, true, "http://127.0.0.1:3000/odoo/authorize/google"));
    assert!(out.contains("updated #9 \"Google via Login Bridge\" (name, enabled, auth_endpoint, scope, css_class, sequence)"), "{out}");
}

#[tokio::test]
async fn dry_run_changes_nothing_and_prints_the_plan() {
    let odoo = start(seed()).await;
    let config = config(&odoo, API, &[GOOGLE, GITHUB]);
    let before = records(&odoo).await;

    let (dry, out) = run_ok(&config, true).await;
    assert_eq!(dry.odoo[0].mode, SetupMode::DryRun);
    assert_eq!(records(&odoo).await, before, "a dry run creates and writes nothing");
    assert_eq!(param(&odoo, "auth_oauth.authorization_header").await, None);
    assert!(out.contains("would create auth.oauth.provider \"Login Bridge: Google\":"), "{out}");
    assert!(out.contains("auth_endpoint = \"http://127.0.0.1:3000/odoo/authorize/github\""), "{out}");
    assert!(out.contains("would set system parameter auth_oauth.authorization_header: (not set) -> \"1\""), "{out}");
    assert!(out.contains("dry run: nothing was changed (3 change(s) planned"), "{out}");
    assert!(dry.odoo[0].created.is_empty());

    // The plan printed is the one a real run carries out.
    let (real, _) = run_ok(&config, false).await;
    assert_eq!(dry.odoo[0].changes, real.odoo[0].changes);
}

#[tokio::test]
async fn single_button_mode_creates_one_sign_in_with_sso_record() {
    let odoo = start(seed()).await;
    let config = config(&odoo, &format!("{API}\nbuttons = \"single\""), &[GOOGLE, GITHUB]);
    let (report, _) = run_ok(&config, false).await;
    assert_eq!(creates(&report), ["Login Bridge"]);

    let all = records(&odoo).await;
    let ours = bridge_records(&all);
    assert_eq!(ours.len(), 1, "{all:#?}");
    assert_eq!(ours[0].auth_endpoint, "http://127.0.0.1:3000/odoo/authorize");
    assert_eq!(ours[0].body.as_deref(), Some("Sign in with SSO"));
    assert_eq!(ours[0].client_id.as_deref(), Some("acme"));
    assert!(ours[0].enabled);
}

#[tokio::test]
async fn a_provider_removed_from_the_config_gets_its_record_disabled() {
    let odoo = start(seed()).await;
    run_ok(&config(&odoo, API, &[GOOGLE, GITHUB, DEVIDP]), false).await;
    let github = bridge_records(&records(&odoo).await).iter().find(|r| r.auth_endpoint.ends_with("/github")).map(|r| r.id).expect("github record");

    let (report, out) = run_ok(&config(&odoo, API, &[GOOGLE, DEVIDP]), false).await;
    let disabled: Vec<&Change> = report.odoo[0].changes.iter().filter(|c| matches!(c, Change::Disable { .. })).collect();
    assert_eq!(
        disabled,
        [&Change::Disable {
            id: github,
            name: "Login Bridge: GitHub".into(),
            auth_endpoint: "http://127.0.0.1:3000/odoo/authorize/github".into(),
            reason: DisableReason::NotConfigured,
        }]
    );
    // Dev IdP moves up one place: its sequence follows the config order.
    assert!(
        report.odoo[0].changes.iter().any(|c| matches!(c, Change::Update { name, fields, .. } if name == "Login Bridge: Dev IdP" && fields.len() == 1 && fields[0].field == "sequence")),
        "{out}"
    );
    assert!(out.contains(&format!("disabled #{github} \"Login Bridge: GitHub\"")), "{out}");
    assert!(out.contains("the config no longer asks for this button"), "{out}");
    let all = records(&odoo).await;
    let enabled: Vec<_> = bridge_records(&all).iter().filter(|r| r.enabled).map(|r| r.name.clone()).collect();
    assert_eq!(enabled, ["Login Bridge: Google", "Login Bridge: Dev IdP"]);
    assert_eq!(bridge_records(&all).len(), 3, "disabled, never deleted: users may be linked to it");

    // Switching to one SSO button disables the per-provider ones too.
    let (report, _) = run_ok(&config(&odoo, &format!("{API}\nbuttons = \"single\""), &[GOOGLE, DEVIDP]), false).await;
    let disabled = report.odoo[0].changes.iter().filter(|c| matches!(c, Change::Disable { .. })).count();
    assert_eq!(disabled, 2);
    assert_eq!(creates(&report), ["Login Bridge"]);
}

#[tokio::test]
async fn warns_about_b2c_sign_up_and_an_enabled_odoo_com_provider() {
    let mut seed = seed();
    seed.signup = SignupScope::B2c;
    seed.provider_mut(1).expect("Odoo.com Accounts").enabled = true;
    let odoo = start(seed).await;
    let (report, out) = run_ok(&config(&odoo, API, &[GOOGLE]), false).await;

    assert!(report.odoo[0].warnings.contains(&Warning::OpenSignup), "{out}");
    assert!(
        report.odoo[0].warnings.contains(&Warning::OdooComProviderEnabled { id: 1, name: "Odoo.com Accounts".into() }),
        "{out}"
    );
    assert!(out.contains("warning: open sign-up is on (auth_signup.invitation_scope = b2c)"), "{out}");
    assert!(out.contains("fix: Settings → General Settings → Permissions → Customer Account: On invitation"), "{out}");
    assert!(out.contains("fix: Settings → Users & Companies → OAuth Providers → Odoo.com Accounts → untick Allowed"), "{out}");
    // Warnings only: the admin decides.
    assert_eq!(param(&odoo, "auth_signup.invitation_scope").await.as_deref(), Some("b2c"));
    assert!(records(&odoo).await.iter().any(|r| r.id == 1 && r.enabled));

    // Without either, no warning.
    let quiet = start(Seed::transcripts()).await;
    let (report, _) = run_ok(&config(&quiet, API, &[GOOGLE]), false).await;
    assert_eq!(report.odoo[0].warnings, []);
}

#[tokio::test]
async fn auth_oauth_not_installed_gives_a_clear_message_and_writes_nothing() {
    let mut seed = seed();
    seed.modules.insert("auth_oauth".into(), "uninstalled".into());
    let odoo = start(seed).await;
    let before = records(&odoo).await;
    let (result, _) = run(&config(&odoo, API, &[GOOGLE]), false).await;

    let error = result.expect_err("auth_oauth missing");
    assert!(matches!(&error, SetupError::AuthOauthMissing { odoo, .. } if odoo == "acme"), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("auth_oauth) is not installed; nothing was changed"), "{message}");
    assert!(message.contains("Apps → search \"OAuth2 Authentication\" → Activate"), "{message}");
    assert!(message.contains("Settings → Integrations → tick OAuth Authentication"), "{message}");
    assert_eq!(records(&odoo).await, before);
    assert_eq!(param(&odoo, "auth_oauth.authorization_header").await, None);
}

#[tokio::test]
async fn wrong_api_key_gives_a_clear_error() {
    let odoo = start(seed()).await;
    let (result, out) = run(&config(&odoo, "api_login = \"admin\"\napi_key_env = \"WRONG_KEY\"", &[GOOGLE]), false).await;
    let error = result.expect_err("key refused");
    assert!(matches!(&error, SetupError::ApiKeyRejected { login, .. } if login == "admin"), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("refused the API key of `admin` on database `acme`"), "{message}");
    assert!(message.contains("Account Security → New API Key"), "{message}");
    assert!(out.contains("failed: see the error below"), "{out}");
    assert!(bridge_records(&records(&odoo).await).is_empty());
}

#[tokio::test]
async fn a_user_without_settings_rights_is_told_which_right_is_missing() {
    let mut seed = seed();
    seed.user_mut(6).expect("alice").api_keys.push("alice-api-key".into());
    let odoo = start(seed).await;
    let (result, _) = run(&config(&odoo, "api_login = \"alice@example.com\"\napi_key_env = \"ALICE_KEY\"", &[GOOGLE]), false).await;
    let error = result.expect_err("not an administrator");
    assert!(matches!(&error, SetupError::MissingRights { login, model, .. } if login == "alice@example.com" && model == "auth.oauth.provider"), "{error:?}");
    assert!(error.to_string().contains("may not search_read auth.oauth.provider"), "{error}");
    assert!(error.to_string().contains("Administration: Settings access right"), "{error}");
}

#[tokio::test]
async fn unreachable_odoo_gives_a_clear_error() {
    let (result, _) = run(&config("http://127.0.0.1:9", API, &[GOOGLE]), false).await;
    let error = result.expect_err("nobody listens on port 9");
    assert!(matches!(&error, SetupError::Unreachable { odoo, .. } if odoo == "acme"), "{error:?}");
    assert!(error.to_string().contains("cannot be reached"), "{error}");
    assert!(error.to_string().contains("Fix: check `url` of [[odoo]] `acme`"), "{error}");
}

#[tokio::test]
async fn an_unknown_odoo_id_is_refused_with_the_known_ones() {
    let config = config("http://127.0.0.1:9", API, &[GOOGLE]);
    let mut out = Vec::new();
    let error = setup::run(&config, &SetupOptions { odoo: Some("nope".into()), dry_run: false }, &mut out)
        .await
        .expect_err("unknown id");
    assert!(matches!(error, SetupError::UnknownOdoo { .. }));
    assert!(error.to_string().contains("use --odoo with one of: acme"), "{error}");
}

#[tokio::test]
async fn no_api_mode_prints_manual_instructions() {
    let odoo = start(seed()).await;
    let before = records(&odoo).await;
    let (report, out) = run_ok(&config(&odoo, "odoo_provider_id = 4", &[GOOGLE, GITHUB]), false).await;

    assert_eq!(report.odoo[0].mode, SetupMode::Manual);
    assert!(report.odoo[0].changes.is_empty());
    assert_eq!(report.odoo[0].manual_records.len(), 2);
    assert_eq!(records(&odoo).await, before, "nothing written without API access");
    for expected in [
        "no API access",
        "Apps → search \"OAuth2 Authentication\" → Activate",
        "\"Login Bridge: Google\"",
        "Authorization URL    http://127.0.0.1:3000/odoo/authorize/google",
        "UserInfo URL         http://127.0.0.1:3000/odoo/tokeninfo",
        "Client ID            acme",
        "Login button label   Sign in with GitHub",
        "auth_oauth.authorization_header, Value 1",
        "the user's email address in lower case",
        "oauth_uid (\"OAuth User ID\")",
        "oauth_provider_id (\"OAuth Provider\")",
        "Import records",
        "github (GitHub): http://127.0.0.1:3000/callback/github",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }

    let (_, out) = run_ok(&config(&odoo, "odoo_provider_id = 4\nsubject = \"provider_subject\"", &[GOOGLE]), false).await;
    assert!(out.contains("`{provider id}:{the person's id at that provider}`"), "{out}");
}

/// Pulls every `href="…"` of the provider buttons out of Odoo's login page.
fn button_hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .filter(|href| href.contains("response_type=token"))
        .collect()
}

#[tokio::test]
async fn created_records_make_odoos_login_page_show_the_buttons() {
    let odoo = start(seed()).await;
    run_ok(&config(&odoo, API, &[GOOGLE, GITHUB, DEVIDP]), false).await;

    let page = reqwest::get(format!("{odoo}/web/login")).await.expect("login page").text().await.expect("body");
    let hrefs = button_hrefs(&page);
    let ours: Vec<&String> = hrefs.iter().filter(|h| h.starts_with("http://127.0.0.1:3000/odoo/authorize/")).collect();
    assert_eq!(ours.len(), 3, "{hrefs:#?}");
    // In config order, ahead of the record that points elsewhere.
    for (href, id) in ours.iter().zip(["google", "github", "devidp"]) {
        assert!(href.starts_with(&format!("http://127.0.0.1:3000/odoo/authorize/{id}?response_type=token&client_id=acme&")), "{href}");
    }
    assert!(hrefs.first().is_some_and(|h| h.starts_with("http://127.0.0.1:3000/odoo/authorize/google?")), "{hrefs:#?}");
    for label in ["Sign in with Google", "Sign in with GitHub", "Sign in with Dev IdP"] {
        assert!(page.contains(label), "{label} missing from the login page");
    }
}

#[tokio::test]
async fn the_setup_command_exits_0_on_success_and_1_with_the_fix_on_a_wrong_key() {
    let odoo = start(seed()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bridge.toml");
    std::fs::write(&file, config_text(&odoo, API, &[GOOGLE])).expect("write config");
    let command = |key: &str| {
        let mut c = tokio::process::Command::new(env!("CARGO_BIN_EXE_login-bridge"));
        c.args(["--config", file.to_str().expect("utf-8 path"), "setup", "--odoo", "acme"])
            .env("ODOO_KEY", key)
            .env("SECRET", "secret")
            .env_remove("LOGIN_BRIDGE_CONFIG");
        c
    };

    let dry = command("sim-admin-api-key").arg("--dry-run").output().await.expect("runs");
    assert_eq!(dry.status.code(), Some(0), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(String::from_utf8_lossy(&dry.stdout).contains("would create"));
    assert!(bridge_records(&records(&odoo).await).is_empty());

    let done = command("sim-admin-api-key").output().await.expect("runs");
    assert_eq!(done.status.code(), Some(0), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(bridge_records(&records(&odoo).await).len(), 1);

    let refused = command("wrong").output().await.expect("runs");
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("refused the API key of `admin`") && stderr.contains("New API Key"), "{stderr}");
}

// ---- The plan, as a pure function -----------------------------------------------------------

fn existing(id: i64, endpoint: &str, enabled: bool) -> ExistingRecord {
    ExistingRecord {
        id,
        name: format!("record {id}"),
        enabled,
        client_id: Some("acme".into()),
        auth_endpoint: endpoint.into(),
        validation_endpoint: Some(format!("{PUBLIC}/odoo/tokeninfo")),
        data_endpoint: None,
        scope: Some("openid profile email".into()),
        body: Some("Sign in with Google".into()),
        css_class: Some("fa fa-fw fa-google".into()),
        sequence: Some(1),
    }
}

fn state(records: Vec<ExistingRecord>) -> OdooState {
    OdooState { major: 18, records, authorization_header: Some("1".into()), invitation_scope: Some("b2b".into()), embed_addon: None }
}

#[test]
fn plan_updates_only_the_fields_that_differ_and_treats_empty_as_false() {
    let config = config("http://127.0.0.1:8069", API, &[GOOGLE]);
    let mut record = existing(7, "http://127.0.0.1:3000/odoo/authorize/google", true);
    record.name = "Login Bridge: Google".into();
    record.data_endpoint = Some(String::new()); // Odoo's "" and false are the same empty field
    assert_eq!(plan::plan(&config, &config.odoo[0], &state(vec![record.clone()])).changes, []);

    record.body = Some("Google".into());
    let changes = plan::plan(&config, &config.odoo[0], &state(vec![record])).changes;
    match changes.as_slice() {
        [Change::Update { id: 7, fields, .. }] => {
            assert_eq!(fields.iter().map(|f| f.field).collect::<Vec<_>>(), ["body"]);
            assert_eq!(fields[0].to.to_json(), json!("Sign in with Google"));
        }
        other => panic!("{other:#?}"),
    }
}

#[test]
fn plan_disables_a_duplicate_and_keeps_the_enabled_record() {
    let config = config("http://127.0.0.1:8069", API, &[GOOGLE]);
    let mut kept = existing(8, "http://127.0.0.1:3000/odoo/authorize/google", true);
    kept.name = "Login Bridge: Google".into();
    let twin = existing(5, "http://127.0.0.1:3000/odoo/authorize/google", true);
    let changes = plan::plan(&config, &config.odoo[0], &state(vec![twin, kept])).changes;
    // Both enabled: the oldest is kept (users are most likely linked to it) and renamed.
    assert!(matches!(changes.as_slice(), [Change::Update { id: 5, .. }, Change::Disable { id: 8, reason: DisableReason::Duplicate { kept: 5 }, .. }]), "{changes:#?}");

    let off = existing(5, "http://127.0.0.1:3000/odoo/authorize/google", false);
    let mut on = existing(8, "http://127.0.0.1:3000/odoo/authorize/google", true);
    on.name = "Login Bridge: Google".into();
    assert_eq!(plan::plan(&config, &config.odoo[0], &state(vec![off, on])).changes, [], "the disabled twin stays disabled");
}

#[test]
fn plan_leaves_records_of_other_providers_and_other_bridges_alone() {
    let config = config("http://127.0.0.1:8069", API, &[GOOGLE]);
    let mut ours = existing(8, "http://127.0.0.1:3000/odoo/authorize/google", true);
    ours.name = "Login Bridge: Google".into();
    let other_bridge = existing(9, "http://127.0.0.1:3001/odoo/authorize/google", true);
    let lookalike = existing(10, "http://127.0.0.1:3000/odoo/authorizer", true);
    let stale = existing(11, "http://127.0.0.1:3000/odoo/authorize/gitlab", true);
    let changes = plan::plan(&config, &config.odoo[0], &state(vec![ours, other_bridge, lookalike, stale])).changes;
    assert!(matches!(changes.as_slice(), [Change::Disable { id: 11, reason: DisableReason::NotConfigured, .. }]), "{changes:#?}");
}

#[test]
fn plan_on_odoo_15_sets_no_authorization_header_and_says_why() {
    let config = config("http://127.0.0.1:8069", API, &[GOOGLE]);
    let mut old = state(Vec::new());
    old.major = 15;
    old.authorization_header = None;
    let plan = plan::plan(&config, &config.odoo[0], &old);
    assert!(plan.changes.iter().all(|c| !matches!(c, Change::SetParam { .. })), "{:#?}", plan.changes);
    assert_eq!(plan.warnings, [Warning::NoAuthorizationHeader { major: 15 }]);
}

#[test]
fn css_classes_follow_the_provider_kind() {
    let microsoft = "[[provider]]\nid = \"microsoft\"\nkind = \"microsoft\"\ntenant = \"organizations\"\nclient_id = \"m\"\nclient_secret_env = \"SECRET\"\n";
    let facebook = "[[provider]]\nid = \"facebook\"\nkind = \"facebook\"\nclient_id = \"f\"\nclient_secret_env = \"SECRET\"\n";
    let gitlab = "[[provider]]\nid = \"gitlab\"\nkind = \"gitlab\"\nclient_id = \"l\"\nclient_secret_env = \"SECRET\"\n";
    let config = config("http://127.0.0.1:8069", API, &[GOOGLE, microsoft, GITHUB, facebook, gitlab, DEVIDP]);
    let classes: Vec<String> = plan::desired_records(&config, &config.odoo[0]).into_iter().map(|r| r.css_class).collect();
    assert_eq!(
        classes,
        ["fa fa-fw fa-google", "fa fa-fw fa-windows", "fa fa-fw fa-github", "fa fa-fw fa-facebook-square", "fa fa-fw fa-gitlab", "fa fa-fw fa-key"]
    );
    let sequences: Vec<i64> = plan::desired_records(&config, &config.odoo[0]).into_iter().map(|r| r.sequence).collect();
    assert_eq!(sequences, [1, 2, 3, 4, 5, 6]);
}

#[tokio::test]
async fn odoo_19_is_set_up_through_json_2() {
    let mut seed = seed();
    seed.version = "19.0".into();
    seed.server_version = None;
    let odoo = start(seed).await;
    let config = config(&odoo, API, &[GOOGLE, GITHUB]);
    let (report, out) = run_ok(&config, false).await;
    assert_eq!(report.odoo[0].major, Some(19));
    assert!(out.contains("ok: Odoo 19 answers (JSON-2 external API)"), "{out}");
    assert_eq!(creates(&report), ["Login Bridge: Google", "Login Bridge: GitHub"]);
    assert_eq!(bridge_records(&records(&odoo).await).len(), 2);
    assert_eq!(param(&odoo, "auth_oauth.authorization_header").await.as_deref(), Some("1"));
    let (again, _) = run_ok(&config, false).await;
    assert!(again.nothing_to_change(), "{:#?}", again.odoo[0].changes);
}

#[tokio::test]
async fn odoo_15_gets_the_records_but_no_authorization_header() {
    let mut seed = seed();
    seed.version = "15.0".into();
    seed.server_version = None;
    let odoo = start(seed).await;
    let (report, out) = run_ok(&config(&odoo, API, &[GOOGLE]), false).await;
    assert_eq!(creates(&report), ["Login Bridge: Google"]);
    assert!(report.odoo[0].changes.iter().all(|c| !matches!(c, Change::SetParam { .. })), "{out}");
    assert!(report.odoo[0].warnings.contains(&Warning::NoAuthorizationHeader { major: 15 }), "{out}");
    assert_eq!(param(&odoo, "auth_oauth.authorization_header").await, None);
}

#[tokio::test]
async fn setup_points_an_installed_embed_addon_at_this_bridge_and_this_odoo() {
    let mut with_addon = seed();
    with_addon.modules.insert("login_bridge_embed".into(), "installed".into());
    // A stale URL with a trailing slash from a hand edit: only the slash differs, so it is kept;
    // the id is missing.
    with_addon.config_parameters.insert("login_bridge_embed.url".into(), format!("{PUBLIC}/"));
    let odoo = start(with_addon).await;
    let bridge_config = config(&odoo, API, &[DEVIDP]);
    let (report, _) = run_ok(&bridge_config, false).await;
    assert!(report.odoo[0].changes.contains(&Change::SetParam { key: "login_bridge_embed.odoo_id", from: None, to: "acme".into() }));
    assert!(!report.odoo[0].changes.iter().any(|c| matches!(c, Change::SetParam { key: "login_bridge_embed.url", .. })));
    assert_eq!(param(&odoo, "login_bridge_embed.odoo_id").await.as_deref(), Some("acme"));
    // The Odoo login page now frames this bridge's embed page for this Odoo.
    let page = reqwest::get(format!("{odoo}/web/login")).await.expect("login page").text().await.expect("body");
    assert!(page.contains(&format!("src=\"{PUBLIC}/embed?odoo=acme&amp;odoo_lang=")), "{page}");

    let (again, _) = run_ok(&bridge_config, false).await;
    assert!(!again.odoo[0].changes.iter().any(|c| matches!(c, Change::SetParam { key: "login_bridge_embed.url" | "login_bridge_embed.odoo_id", .. })));

    // Without the addon nothing of it is written.
    let plain = start(seed()).await;
    let (report, _) = run_ok(&config(&plain, API, &[DEVIDP]), false).await;
    assert!(!report.odoo[0].changes.iter().any(|c| matches!(c, Change::SetParam { key: "login_bridge_embed.odoo_id", .. })));
    assert_eq!(param(&plain, "login_bridge_embed.odoo_id").await, None);
}
