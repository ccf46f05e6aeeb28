//! A wrong config is refused at start with a message that names the key and the fix.

use login_bridge::config::{Config, ConfigError, StoreBackend};
use std::path::{Path, PathBuf};

const GOOD: &str = r#"
public_url = "http://127.0.0.1:3000"
listen = "127.0.0.1:3000"
[store]
url = "sqlite://data/login-bridge.db"
[[odoo]]
id = "acme"
url = "http://127.0.0.1:8069"
database = "acme"
api_login = "admin"
api_key_env = "ACME_KEY"
[[provider]]
id = "devidp"
kind = "oidc"
display_name = "Dev IdP"
issuer = "http://127.0.0.1:9000"
client_id = "login-bridge"
client_secret_env = "IDP_SECRET"
"#;

fn env(name: &str) -> Option<String> {
    match name {
        "ACME_KEY" => Some("key".into()),
        "IDP_SECRET" => Some("secret".into()),
        _ => None,
    }
}

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("bridge.toml"), Path::new("."), &env)
}

fn error(text: &str) -> String {
    match parse(text) {
        Ok(_) => panic!("config should have been refused:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn good_config_loads_with_secrets_from_env() {
    let config = parse(GOOD).expect("valid");
    assert_eq!(config.public_base(), "http://127.0.0.1:3000");
    assert_eq!(config.redirect_uri("devidp"), "http://127.0.0.1:3000/callback/devidp");
    assert_eq!(config.odoo[0].signin_url(), "http://127.0.0.1:8069/auth_oauth/signin");
    assert_eq!(config.providers[0].client_secret.expose(), "secret");
    assert_eq!(config.store.backend, StoreBackend::Sqlite { path: PathBuf::from("data/login-bridge.db") });
    assert!(!config.secure_cookies());
}

#[test]
fn absolute_sqlite_path_keeps_its_slash() {
    let config = parse(&GOOD.replace("sqlite://data/login-bridge.db", "sqlite:///var/lib/lb/bridge.db")).expect("valid");
    assert_eq!(config.store.backend, StoreBackend::Sqlite { path: PathBuf::from("/var/lib/lb/bridge.db") });
}

#[test]
fn unknown_key_is_named() {
    let e = error(&GOOD.replace("listen =", "colour = \"red\"\nlisten ="));
    assert!(e.contains("unknown field `colour`"), "{e}");
}

#[test]
fn missing_secret_names_the_variable_and_the_fix() {
    let e = error(&GOOD.replace("IDP_SECRET", "NOT_SET_ANYWHERE"));
    assert!(e.contains("provider[0].client_secret_env"), "{e}");
    assert!(e.contains("NOT_SET_ANYWHERE"), "{e}");
    assert!(e.contains("export NOT_SET_ANYWHERE"), "{e}");
}

#[test]
fn inline_secret_is_refused_with_the_fix() {
    let e = error(&GOOD.replace("client_secret_env = \"IDP_SECRET\"", "client_secret = \"hunter2\""));
    assert!(e.contains("provider[0].client_secret"), "{e}");
    assert!(e.contains("client_secret_env"), "{e}");
    assert!(!e.contains("hunter2"), "the secret must not be echoed: {e}");
}

#[test]
fn secret_file_is_read_and_both_sources_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("secret");
    std::fs::write(&file, "from-file\n").expect("write");
    let text = GOOD.replace("client_secret_env = \"IDP_SECRET\"", &format!("client_secret_file = \"{}\"", file.display()));
    assert_eq!(parse(&text).expect("valid").providers[0].client_secret.expose(), "from-file");
    let both = GOOD.replace("client_secret_env = \"IDP_SECRET\"", &format!("client_secret_env = \"IDP_SECRET\"\nclient_secret_file = \"{}\"", file.display()));
    assert!(error(&both).contains("keep only one"));
}

#[test]
fn bad_url_is_named() {
    let e = error(&GOOD.replace("url = \"http://127.0.0.1:8069\"", "url = \"not a url\""));
    assert!(e.contains("odoo[0].url"), "{e}");
    let e = error(&GOOD.replace("public_url = \"http://127.0.0.1:3000\"", "public_url = \"http://127.0.0.1:3000/bridge?x=1\""));
    assert!(e.contains("public_url"), "{e}");
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    let e = error(&GOOD.replace("issuer = \"http://127.0.0.1:9000\"", "issuer = \"http://idp.example.com\""));
    assert!(e.contains("provider[0].issuer") && e.contains("https"), "{e}");
    let e = error(&GOOD.replace("url = \"http://127.0.0.1:8069\"", "url = \"http://odoo.example.com\""));
    assert!(e.contains("odoo[0].url"), "{e}");
    assert!(parse(&GOOD.replace("http://127.0.0.1:9000", "http://localhost:9000")).is_ok());
    assert!(parse(&GOOD.replace("http://127.0.0.1:9000", "https://idp.example.com")).is_ok());
}

#[test]
fn duplicate_ids_are_refused() {
    let twice = format!("{GOOD}\n[[provider]]\nid = \"devidp\"\nkind = \"oidc\"\nissuer = \"http://127.0.0.1:9001\"\nclient_id = \"x\"\nclient_secret_env = \"IDP_SECRET\"\n");
    let e = error(&twice);
    assert!(e.contains("provider[1].id") && e.contains("duplicate"), "{e}");
}

#[test]
fn bad_listen_and_store_are_named() {
    assert!(error(&GOOD.replace("listen = \"127.0.0.1:3000\"", "listen = \"port 80\"")).contains("listen"));
    assert!(error(&GOOD.replace("sqlite://data/login-bridge.db", "mysql://x")).contains("store.url"));
}

#[test]
fn ids_must_be_url_safe() {
    let e = error(&GOOD.replace("id = \"devidp\"", "id = \"Dev IdP\""));
    assert!(e.contains("provider[0].id"), "{e}");
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let config = parse(GOOD).expect("valid");
    let debug = format!("{config:?}");
    assert!(!debug.contains("secret\""), "{debug}");
    assert!(debug.contains("<redacted>"));
}

fn with_provider(extra: &str) -> String {
    format!("{GOOD}\n[[provider]]\n{extra}\nclient_id = \"x\"\nclient_secret_env = \"IDP_SECRET\"\n")
}

#[test]
fn every_kind_gets_its_defaults() {
    let text = [
        with_provider("id = \"google\"\nkind = \"google\"\nhosted_domains = [\"Example.com\"]"),
        "[[provider]]\nid = \"ms\"\nkind = \"microsoft\"\ntenant = \"organizations\"\nclient_id = \"x\"\nclient_secret_env = \"IDP_SECRET\"\n".into(),
        "[[provider]]\nid = \"gh\"\nkind = \"github\"\nallowed_organizations = [\"Acme\"]\nclient_id = \"x\"\nclient_secret_env = \"IDP_SECRET\"\n".into(),
        "[[provider]]\nid = \"fb\"\nkind = \"facebook\"\nclient_id = \"x\"\nclient_secret_env = \"IDP_SECRET\"\n".into(),
        "[[provider]]\nid = \"gl\"\nkind = \"gitlab\"\nclient_id = \"x\"\nclient_secret_env = \"IDP_SECRET\"\n".into(),
    ]
    .join("\n");
    let config = parse(&text).expect("valid");
    let names: Vec<_> = config.providers.iter().map(|p| (p.display_name.as_str(), p.icon.as_str())).collect();
    assert_eq!(
        names,
        [("Dev IdP", "openid"), ("Google", "google"), ("Microsoft", "microsoft"), ("GitHub", "github"), ("Facebook", "facebook"), ("GitLab", "gitlab")]
    );
    let github = config.provider("gh").expect("github");
    assert_eq!(github.scopes, ["read:user", "user:email", "read:org"], "org checks need read:org");
    match &github.settings {
        login_bridge::config::KindSettings::Github { api_url, allowed_organizations, .. } => {
            assert_eq!(api_url.as_str(), "https://api.github.com/");
            assert_eq!(allowed_organizations, &["acme"]);
        }
        other => panic!("{other:?}"),
    }
    match &config.provider("google").expect("google").settings {
        login_bridge::config::KindSettings::Google { issuer, hosted_domains } => {
            assert_eq!(issuer.as_str(), "https://accounts.google.com/");
            assert_eq!(hosted_domains, &["example.com"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn github_enterprise_api_lives_under_the_web_host() {
    let config = parse(&with_provider("id = \"ghe\"\nkind = \"github\"\nbase_url = \"https://github.example.com\"")).expect("valid");
    match &config.provider("ghe").expect("ghe").settings {
        login_bridge::config::KindSettings::Github { api_url, .. } => assert_eq!(api_url.as_str(), "https://github.example.com/api/v3"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn microsoft_needs_a_tenant() {
    let e = error(&with_provider("id = \"ms\"\nkind = \"microsoft\""));
    assert!(e.contains("provider[1].tenant") && e.contains("organizations"), "{e}");
}

#[test]
fn settings_of_another_kind_are_refused() {
    let e = error(&with_provider("id = \"gh\"\nkind = \"github\"\nhosted_domains = [\"example.com\"]"));
    assert!(e.contains("provider[1].hosted_domains") && e.contains("does not apply to kind `github`"), "{e}");
    let e = error(&with_provider("id = \"g\"\nkind = \"google\"\nclaims = { email = \"mail\" }"));
    assert!(e.contains("provider[1].claims"), "{e}");
}

#[test]
fn unknown_icon_is_refused_with_the_choices() {
    let e = error(&with_provider("id = \"g\"\nkind = \"google\"\nicon = \"rocket\""));
    assert!(e.contains("provider[1].icon") && e.contains("github"), "{e}");
}

#[test]
fn oidc_claim_mapping_is_read() {
    let config = parse(&with_provider("id = \"kc\"\nkind = \"oidc\"\nissuer = \"https://idp.example.com/realms/acme\"\nclaims = { email = \"mail\", groups = \"roles\" }")).expect("valid");
    match &config.provider("kc").expect("kc").settings {
        login_bridge::config::KindSettings::Oidc { claims, .. } => {
            assert_eq!(claims.email, "mail");
            assert_eq!(claims.email_verified, "email_verified");
            assert_eq!(claims.groups, "roles");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn facebook_over_http_is_warned_about() {
    let config = parse(&with_provider("id = \"fb\"\nkind = \"facebook\"")).expect("valid");
    let warnings = config.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("https") && warnings[0].contains("http://127.0.0.1:3000/callback/fb"), "{warnings:?}");
    assert!(parse(GOOD).expect("valid").warnings().is_empty());
}

#[test]
fn branding_embedding_and_email_routing_are_checked_and_normalised() {
    let with = |odoo_lines: &str, provider_lines: &str| {
        GOOD.replace("api_key_env = \"ACME_KEY\"\n", &format!("api_key_env = \"ACME_KEY\"\n{odoo_lines}\n"))
            .replace("client_secret_env = \"IDP_SECRET\"\n", &format!("client_secret_env = \"IDP_SECRET\"\n{provider_lines}\n"))
    };
    let config = parse(&with(
        "accent_color = \"#ABC\"\nlogo_url = \"https://erp.example.com/web/binary/company_logo\"\nembed_origins = [\"https://www.example.com:8443\"]",
        "email_domains = [\"@Example.COM\", \"eu.example.org\"]",
    ))
    .expect("valid");
    assert_eq!(config.odoo[0].accent_color.as_deref(), Some("#aabbcc"));
    assert_eq!(config.odoo[0].frame_origins(), ["http://127.0.0.1:8069", "https://www.example.com:8443"]);
    assert_eq!(config.providers[0].email_domains, ["example.com", "eu.example.org"]);

    let bad_colour = error(&with("accent_color = \"red; } body { display: none\"", ""));
    assert!(bad_colour.contains("odoo[0].accent_color") && bad_colour.contains("#rrggbb"), "{bad_colour}");
    let origin_with_path = error(&with("embed_origins = [\"https://www.example.com/portal\"]", ""));
    assert!(origin_with_path.contains("odoo[0].embed_origins") && origin_with_path.contains("is not an origin"), "{origin_with_path}");
    let http_origin = error(&with("embed_origins = [\"http://www.example.com\"]", ""));
    assert!(http_origin.contains("http on a non-loopback host"), "{http_origin}");
    let http_logo = error(&with("logo_url = \"http://cdn.example.com/logo.png\"", ""));
    assert!(http_logo.contains("odoo[0].logo_url"), "{http_logo}");
    let bad_domain = error(&with("", "email_domains = [\"people at example\"]"));
    assert!(bad_domain.contains("provider[0].email_domains") && bad_domain.contains("bare domains"), "{bad_domain}");
}

// ---- [store]: SQLite or PostgreSQL, and the password never quoted -----------------------------

const PASSWORD: &str = "Pg-S3cret+/~.pw";

fn with_store(store: &str) -> String {
    GOOD.replace("url = \"sqlite://data/login-bridge.db\"", store)
}

fn parse_with(text: &str, extra_env: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let extra: Vec<(String, String)> = extra_env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Config::parse(text, Path::new("bridge.toml"), Path::new("."), &move |name| extra.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).or_else(|| env(name)))
}

fn postgres_url(config: &Config) -> String {
    match &config.store.backend {
        StoreBackend::Postgres { url, .. } => url.expose().to_string(),
        other => panic!("expected PostgreSQL, got {other:?}"),
    }
}

#[test]
fn postgres_urls_are_accepted_with_the_password_from_env_file_or_url() {
    let encoded: String = url::form_urlencoded::byte_serialize(PASSWORD.as_bytes()).collect::<String>().replace('+', "%20");
    for scheme in ["postgres", "postgresql"] {
        let config = parse(&with_store(&format!("url = \"{scheme}://lb@db.internal:5432/login_bridge\""))).expect("valid");
        assert_eq!(postgres_url(&config), format!("{scheme}://lb@db.internal:5432/login_bridge"));
        assert_eq!(config.store.backend.describe(), "PostgreSQL lb@db.internal:5432/login_bridge");
    }
    // password_env: put into the URL, percent-encoded.
    let config = parse_with(&with_store("url = \"postgres://lb@db.internal:5432/login_bridge\"\npassword_env = \"DB_PASSWORD\""), &[("DB_PASSWORD", PASSWORD)]).expect("valid");
    let url = url::Url::parse(&postgres_url(&config)).expect("url");
    assert_eq!(percent_encoding::percent_decode_str(url.password().unwrap_or_default()).decode_utf8_lossy(), PASSWORD);
    assert!(config.warnings().is_empty(), "{:?}", config.warnings());
    // password_file.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("db-password");
    std::fs::write(&file, format!("{PASSWORD}\n")).expect("write");
    let config = parse(&with_store(&format!("url = \"postgres://lb@db/lb\"\npassword_file = \"{}\"", file.display()))).expect("valid");
    assert!(postgres_url(&config).contains(&url.password().unwrap_or_default().to_string()));
    // url_env / url_file: the whole URL is the secret.
    let whole = format!("postgres://lb:{}@db:5432/lb", url.password().unwrap_or_default());
    let config = parse_with(&with_store("url_env = \"DATABASE_URL\""), &[("DATABASE_URL", &whole)]).expect("valid");
    assert_eq!(postgres_url(&config), whole);
    let url_file = dir.path().join("db-url");
    std::fs::write(&url_file, &whole).expect("write");
    let config = parse(&with_store(&format!("url_file = \"{}\"", url_file.display()))).expect("valid");
    assert_eq!(postgres_url(&config), whole);
    assert!(config.warnings().is_empty(), "a URL from a file is not inline: {:?}", config.warnings());
    // Inline in `url`: works, and is warned about without quoting it.
    let config = parse(&with_store(&format!("url = \"postgres://lb:{encoded}@db:5432/lb\""))).expect("valid");
    let warnings = config.warnings().join("\n");
    assert!(warnings.contains("password") && warnings.contains("password_env"), "{warnings}");
    for text in [warnings, format!("{config:?}"), config.store.backend.describe()] {
        assert!(!text.contains(&encoded) && !text.contains(PASSWORD) && !text.contains("S3cret"), "the password leaked: {text}");
    }
}

#[test]
fn store_errors_name_the_key_and_never_quote_the_url() {
    // Special characters would make most of these URLs fail to parse for that reason alone.
    const URL_SAFE: &str = "lb-S3cret-pw";
    let cases = [
        (format!("url = \"postgress://lb:{URL_SAFE}@db/lb\""), "store.url"),
        (format!("url = \"postgres://lb:{URL_SAFE}@db:99999/lb\""), "store.url"),
        (format!("url = \"postgres://lb:{URL_SAFE}@db:5432\""), "no database name"),
        (format!("url = \"postgres://lb:{URL_SAFE}@db/lb\"\npassword_env = \"DB_PASSWORD\""), "already holds a password"),
        ("url = \"postgres://db/lb\"\npassword_env = \"DB_PASSWORD\"".to_string(), "names no user"),
        ("url = \"sqlite://x.db\"\npassword_env = \"DB_PASSWORD\"".to_string(), "no password"),
        (format!("url = \"postgres://lb:{URL_SAFE}@db/lb\"\nurl_env = \"DATABASE_URL\""), "keep only one"),
        ("url_env = \"NOT_SET_ANYWHERE\"".to_string(), "store.url_env"),
        ("password = \"hunter2\"\nurl = \"postgres://lb@db/lb\"".to_string(), "never accepted inline"),
        (PASSWORD.to_string(), "line"),
    ];
    for (store, expected) in cases {
        let text = with_store(&store);
        let message = match parse_with(&text, &[("DB_PASSWORD", "pw"), ("DATABASE_URL", "postgres://x@y/z")]) {
            Ok(_) => panic!("should be refused: {store}"),
            Err(e) => e.to_string(),
        };
        assert!(message.contains(expected), "{store}: {message}");
        assert!(!message.contains("S3cret") && !message.contains("hunter2"), "{store}: the error quotes the secret: {message}");
    }
}
