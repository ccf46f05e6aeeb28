//! The real `login-bridge` binary, run as a child process with sentinel secrets and
//! `LOGIN_BRIDGE_LOG=debug`, never lets a secret out: not on stdout or stderr of any command
//! (`check-config`, `setup`, `users`, `serve`, config errors, a panic), not in any HTTP body or
//! header it answers (Location and Set-Cookie included), and not at rest in its store.
//!
//! Every secret is also proven USED (a successful login sent the client secret; a successful
//! `setup` and login used the Odoo API key; the IdP logged the wrong secret it was sent), so
//! the test cannot pass by never touching them.
//!
//! Known leak, kept as an ignored test at the bottom: a TOML *syntax* error quotes the offending
//! line, so an inline secret with a typo, a misspelled `api_key`, or a secret file passed as
//! `--config` prints the secret.

mod common;
mod served;
mod standins;

use base64::{
    engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD},
    Engine as _,
};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use rand::{distributions::Alphanumeric, Rng};
use serde_json::{json, Value};
use standins::{
    oidc_core::{Account, Keycloak, OidcStandin},
    Decision, Registration, SigningKey,
};
use std::{
    collections::BTreeMap,
    fmt::Write as _,
    path::{Path, PathBuf},
    process::{ExitStatus, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use url::Url;

const BIN: &str = env!("CARGO_BIN_EXE_login-bridge");
const ALICE: i64 = 6;
const ALICE_EMAIL: &str = "alice@example.com";
/// The client id of the provider whose secret is right (`sso`) and of the one whose secret the IdP refuses.
const SSO_CLIENT: &str = "login-bridge";
const WRONG_CLIENT: &str = "login-bridge-wrong";

fn random(len: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

// ---------------------------------------------------------------------------------------------
// The sentinels and every form they could leak in

struct Sentinel {
    name: &'static str,
    value: String,
    /// The random parts, checked on their own too (a truncated or re-prefixed leak).
    random_parts: Vec<String>,
    /// The client id this secret authenticates with (Basic auth is base64 of `id:secret`).
    client_id: Option<&'static str>,
}

impl Sentinel {
    /// `PREFIX<12 random>+/~.<12 random>`: the `+/~.` make the raw, form-encoded,
    /// percent-encoded and base64 forms all differ.
    fn new(name: &'static str, prefix: &str, client_id: Option<&'static str>) -> Self {
        let (a, b) = (random(12), random(12));
        Self { name, value: format!("{prefix}{a}+/~.{b}"), random_parts: vec![a, b], client_id }
    }

    /// (form name, needle, case-insensitive).
    fn forms(&self) -> Vec<(String, String, bool)> {
        let s = self.value.as_str();
        let form_encoded: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
        let percent_encoded = utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
        let mut forms = vec![
            ("raw".to_string(), s.to_string(), false),
            ("form-urlencoded".into(), form_encoded.clone(), true),
            ("percent-encoded".into(), percent_encoded.clone(), true),
            ("JSON string".into(), serde_json::to_string(s).unwrap_or_default().trim_matches('"').to_string(), false),
        ];
        for part in &self.random_parts {
            forms.push(("random part".into(), part.clone(), false));
        }
        for (what, bytes) in [("base64", s.to_string()), ("base64 of form-urlencoded", form_encoded.clone())] {
            for core in base64_cores(bytes.as_bytes()) {
                forms.push((what.to_string(), core, false));
            }
        }
        if let Some(id) = self.client_id {
            // What RFC 6749 §2.3.1 Basic auth sends: base64(urlenc(id) ":" urlenc(secret)), and the naive variant.
            let id_encoded: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
            for pair in [format!("{id}:{s}"), format!("{id_encoded}:{form_encoded}")] {
                forms.push(("Basic credentials".into(), base64::engine::general_purpose::STANDARD.encode(&pair), false));
                forms.push(("Basic credentials (url-safe)".into(), base64::engine::general_purpose::URL_SAFE.encode(&pair), false));
            }
        }
        forms
    }
}

/// The base64 characters determined by `bytes` alone, for each of the three alignments it can
/// have inside a longer encoded text, in both alphabets.
fn base64_cores(bytes: &[u8]) -> Vec<String> {
    let mut cores = Vec::new();
    for k in 0..3usize {
        let mut buf = vec![b'\0'; k];
        buf.extend_from_slice(bytes);
        let start = (8 * k).div_ceil(6);
        let end = 8 * (k + bytes.len()) / 6;
        for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            let encoded = engine.encode(&buf);
            if end > start + 8 {
                cores.push(encoded[start..end].to_string());
            }
        }
    }
    cores.sort();
    cores.dedup();
    cores
}

/// Removes ANSI colour sequences (tracing colours field names) so a value is one run of text.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Everything the bridge said, labelled, to be scanned at the end.
#[derive(Default, Clone)]
struct Outputs(Arc<Mutex<Vec<(String, String)>>>);

impl Outputs {
    fn add(&self, label: impl Into<String>, text: impl Into<String>) {
        self.0.lock().expect("outputs").push((label.into(), text.into()));
    }
    fn all(&self) -> Vec<(String, String)> {
        self.0.lock().expect("outputs").clone()
    }
}

/// Every line of every output that holds a form of a sentinel.
fn find_leaks(outputs: &[(String, String)], sentinels: &[&Sentinel]) -> Vec<String> {
    let mut leaks = Vec::new();
    let needles: Vec<(&Sentinel, (String, String, bool))> =
        sentinels.iter().flat_map(|s| s.forms().into_iter().map(move |f| (*s, f))).collect();
    for (label, text) in outputs {
        let clean = strip_ansi(text);
        for (number, line) in clean.lines().enumerate() {
            let lower = line.to_lowercase();
            let mut found: Vec<String> = Vec::new();
            for (sentinel, (form, needle, insensitive)) in &needles {
                let hit = if *insensitive { lower.contains(&needle.to_lowercase()) } else { line.contains(needle.as_str()) };
                if hit {
                    found.push(format!("{} ({form})", sentinel.name));
                }
            }
            if !found.is_empty() {
                found.dedup();
                let excerpt: String = line.chars().take(600).collect();
                leaks.push(format!("{} in {label}, line {}:\n    {excerpt}", found.join(", "), number + 1));
            }
        }
    }
    leaks.sort();
    leaks.dedup();
    leaks
}

#[track_caller]
fn assert_no_leaks(outputs: &[(String, String)], sentinels: &[&Sentinel]) {
    let leaks = find_leaks(outputs, sentinels);
    if !leaks.is_empty() {
        panic!(
            "\n\n*** SECRET LEAK: {} line(s) of the bridge's output hold a sentinel secret ***\n\n{}\n",
            leaks.len(),
            leaks.join("\n")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Running the binary

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

/// The environment of every child: nothing inherited but what the test sets.
fn base_command(dir: &Path, envs: &[(&str, &str)]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(BIN);
    command
        .env_clear()
        .current_dir(dir)
        .env("LOGIN_BRIDGE_LOG", "debug")
        .env("RUST_BACKTRACE", "1")
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .stdin(Stdio::null())
        .kill_on_drop(true);
    for (k, v) in envs {
        command.env(k, v);
    }
    command
}

/// Runs `login-bridge --config CONFIG ARGS…` to completion and records its output.
async fn run_cli(outputs: &Outputs, dir: &Path, config: &Path, args: &[&str], envs: &[(&str, &str)]) -> Run {
    let mut command = base_command(dir, envs);
    command.arg("--config").arg(config).args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    let output = tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .unwrap_or_else(|_| panic!("`login-bridge {}` did not finish in 120 s", args.join(" ")))
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    let run = Run {
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    let label = format!("`login-bridge --config {} {}`", config.file_name().unwrap_or_default().to_string_lossy(), args.join(" "));
    outputs.add(format!("stdout of {label}"), run.stdout.clone());
    outputs.add(format!("stderr of {label}"), run.stderr.clone());
    run
}

#[track_caller]
fn expect_code(run: &Run, code: i32, what: &str) {
    assert_eq!(run.code(), Some(code), "{what}: expected exit code {code}\n--- stdout:\n{}\n--- stderr:\n{}", run.stdout, run.stderr);
}

/// `login-bridge serve` in the background; its output is collected until it stops. Killed on
/// drop, so a failing assertion never leaves it running.
struct Served {
    child: std::process::Child,
    stdout: Option<std::thread::JoinHandle<String>>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Served {
    fn start(dir: &Path, config: &Path, envs: &[(&str, &str)]) -> Self {
        let mut command = std::process::Command::new(BIN);
        command
            .env_clear()
            .current_dir(dir)
            .env("LOGIN_BRIDGE_LOG", "debug")
            .env("RUST_BACKTRACE", "1")
            .env("LEPTOS_SITE_ROOT", dir.join("site"))
            .envs(envs.iter().copied())
            .arg("--config")
            .arg(config)
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().unwrap_or_else(|e| panic!("cannot start {BIN} serve: {e}"));
        fn collect(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = pipe.read_to_end(&mut bytes);
                String::from_utf8_lossy(&bytes).into_owned()
            })
        }
        let stdout = Some(collect(child.stdout.take().expect("stdout")));
        let stderr = Some(collect(child.stderr.take().expect("stderr")));
        Self { child, stdout, stderr }
    }

    /// SIGTERM (the graceful shutdown path), then SIGKILL if it lingers; returns (status, stdout, stderr).
    async fn stop(mut self) -> (Option<ExitStatus>, String, String) {
        let _ = std::process::Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut status = None;
        while Instant::now() < deadline {
            if let Ok(Some(s)) = self.child.try_wait() {
                status = Some(s);
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let stdout = self.stdout.take().and_then(|h| h.join().ok()).unwrap_or_default();
        let stderr = self.stderr.take().and_then(|h| h.join().ok()).unwrap_or_default();
        (status, stdout, stderr)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A browser that records every exchange (status, every header, body)

struct Page {
    url: Url,
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

struct Browser {
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
    outputs: Outputs,
}

impl Browser {
    fn new(outputs: &Outputs) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("http client");
        Self { http, cookies: BTreeMap::new(), outputs: outputs.clone() }
    }

    fn cookie_header(&self) -> Option<String> {
        (!self.cookies.is_empty()).then(|| self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
    }

    fn keep_cookies(&mut self, headers: &reqwest::header::HeaderMap) {
        for value in headers.get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            let mut parts = value.split(';');
            let Some((name, val)) = parts.next().and_then(|p| p.trim().split_once('=')) else { continue };
            let expired = parts.any(|a| {
                let a = a.trim().to_ascii_lowercase();
                a == "max-age=0" || a.starts_with("max-age=-")
            });
            if expired || val.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), val.to_string());
            }
        }
    }

    async fn record(&mut self, what: String, url: &Url, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        self.keep_cookies(&headers);
        let body = response.text().await.unwrap_or_default();
        let mut text = format!("HTTP {status}\n");
        for (name, value) in &headers {
            let _ = writeln!(text, "{name}: {}", String::from_utf8_lossy(value.as_bytes()));
        }
        text.push('\n');
        text.push_str(&body);
        self.outputs.add(format!("HTTP answer to {what}"), text);
        Page { url: url.clone(), status, headers, body }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder, what: String, url: &Url) -> Page {
        let request = match self.cookie_header() {
            Some(cookie) => request.header(reqwest::header::COOKIE, cookie),
            None => request,
        };
        match request.send().await {
            Ok(response) => self.record(what, url, response).await,
            Err(e) => panic!("{what} failed: {e}"),
        }
    }

    async fn get_with(&mut self, url: &str, headers: &[(&str, &str)]) -> Page {
        let mut parsed = Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        parsed.set_fragment(None);
        let mut request = self.http.get(parsed.as_str());
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        self.send(request, format!("GET {parsed}"), &parsed).await
    }

    async fn get(&mut self, url: &str) -> Page {
        self.get_with(url, &[]).await
    }

    async fn post_form(&mut self, url: &str, form: &[(&str, &str)]) -> Page {
        let parsed = Url::parse(url).expect("url");
        let request = self.http.post(parsed.as_str()).form(form);
        self.send(request, format!("POST {parsed}"), &parsed).await
    }

    /// Follows redirects like a browser (fragment inherited; Odoo's fragment-to-query page run).
    async fn navigate(&mut self, start: &str) -> (Page, Vec<String>) {
        let mut url = Url::parse(start).expect("start URL");
        let mut hops = Vec::new();
        for _ in 0..25 {
            let page = self.get(url.as_str()).await;
            let location = page.headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
            hops.push(format!("GET {} -> {}{}", page.url, page.status, location.as_deref().map(|l| format!(" Location: {l}")).unwrap_or_default()));
            match served::next_url(&url, page.status, location.as_deref(), &page.body) {
                Some(next) => url = next,
                None => return (page, hops),
            }
        }
        panic!("more than 25 redirects:\n{}", hops.join("\n"));
    }

    /// Who Odoo says this browser is.
    async fn odoo_uid(&mut self, odoo_url: &str) -> Option<i64> {
        let url = Url::parse(&format!("{odoo_url}/web/session/get_session_info")).expect("url");
        let request = self.http.post(url.as_str()).json(&json!({"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}));
        let page = self.send(request, format!("POST {url}"), &url).await;
        let body: Value = serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("session info is not JSON ({e}): {}", page.body));
        body["result"]["uid"].as_i64()
    }
}

fn describe(page: &Page, hops: &[String]) -> String {
    let excerpt: String = page.body.chars().take(1200).collect();
    format!("ended at {} with {}\n  {}\n--- body:\n{excerpt}", page.url, page.status, hops.join("\n  "))
}

// ---------------------------------------------------------------------------------------------
// The world: two IdP stand-ins, two Odoo simulators, the bridge's files

fn seed(api_keys: &[&str]) -> odoo_sim::Seed {
    let seed = json!({
        "version": "18.0",
        "database": "acme",
        "dbfilter": "^acme$",
        "signup": "b2b",
        "users": [
            {"id": 2, "login": "admin", "email": "admin@example.com", "name": "Administrator", "share": false, "password": "admin", "api_keys": api_keys, "admin": true},
            {"id": ALICE, "login": ALICE_EMAIL, "email": ALICE_EMAIL, "name": "Alice Example", "share": false, "password": "alice"},
            {"id": 7, "login": "bob@example.com", "email": "bob@example.com", "name": "Bob Portal", "share": true, "password": "bob", "groups": [10]}
        ],
        "groups": [{"id": 10, "full_name": "User types / Portal"}],
        "providers": [],
        "config_parameters": {},
        "modules": {"auth_oauth": "installed", "auth_signup": "installed"}
    });
    serde_json::from_value(seed).expect("seed parses")
}

async fn odoo_sim(seed: odoo_sim::Seed) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind odoo");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = odoo_sim::serve(seed, listener).await;
    });
    url
}

fn alice() -> Account {
    Account::new("5f0c8a2e-7d41-4b9a-9e3f-1a2b3c4d5e6f").email(ALICE_EMAIL, true).name("Alice Example")
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

struct Files {
    dir: PathBuf,
    config: PathBuf,
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// The bridge's main config: Odoo `acme` (accepts the key, from an env var) and `refusing`
/// (does not know it; key from a file), provider `sso` (right secret, env var) and `wrongsecret`
/// (the IdP expects another secret; secret from a file).
#[allow(clippy::too_many_arguments)]
fn main_config(dir: &Path, port: u16, acme: &str, refusing: &str, sso_issuer: &str, wrong_issuer: &str, api: &Sentinel, wrong: &Sentinel) -> Files {
    std::fs::create_dir_all(dir.join("site/pkg")).expect("site dir");
    write(&dir.join("wrong-client-secret"), format!("{}\n", wrong.value));
    write(&dir.join("refusing-api-key"), format!("{}\n", api.value));
    let text = format!(
        r##"public_url = "http://127.0.0.1:{port}"
listen = "127.0.0.1:{port}"

[store]
url = "sqlite://{db}"

[[odoo]]
id = "acme"
url = "{acme}"
database = "acme"
display_name = "Acme"
api_login = "admin"
api_key_env = "ACME_ODOO_API_KEY"
accent_color = "#714b67"

[[odoo]]
id = "refusing"
url = "{refusing}"
database = "acme"
display_name = "Refusing"
api_login = "admin"
api_key_file = "{key_file}"

[[provider]]
id = "sso"
kind = "oidc"
display_name = "Acme SSO"
issuer = "{sso_issuer}"
client_id = "{SSO_CLIENT}"
client_secret_env = "SSO_CLIENT_SECRET"
email_domains = ["example.com"]

[[provider]]
id = "wrongsecret"
kind = "oidc"
display_name = "Wrong Secret IdP"
issuer = "{wrong_issuer}"
client_id = "{WRONG_CLIENT}"
client_secret_file = "{secret_file}"
"##,
        db = dir.join("bridge.db").display(),
        key_file = dir.join("refusing-api-key").display(),
        secret_file = dir.join("wrong-client-secret").display(),
    );
    let config = dir.join("login-bridge.toml");
    write(&config, text);
    Files { dir: dir.to_path_buf(), config }
}

/// A small, otherwise valid config with one Odoo and one provider, for the config-error cases.
fn small_config(odoo_lines: &str, provider_lines: &str) -> String {
    format!(
        "public_url = \"http://127.0.0.1:3000\"\nlisten = \"127.0.0.1:3000\"\n[store]\nurl = \"sqlite://bridge.db\"\n\
         [[odoo]]\nid = \"acme\"\nurl = \"http://127.0.0.1:8069\"\ndatabase = \"acme\"\napi_login = \"admin\"\n{odoo_lines}\n\
         [[provider]]\nid = \"sso\"\nkind = \"oidc\"\nissuer = \"http://127.0.0.1:9\"\nclient_id = \"{SSO_CLIENT}\"\n{provider_lines}\n"
    )
}

fn query(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// The `access_token` in a recorded redirect to Odoo's signin (query or fragment).
fn token_in(hops: &[String]) -> Option<String> {
    hops.iter().find_map(|hop| {
        let location = hop.split(" Location: ").nth(1)?;
        let url = Url::parse(location).ok()?;
        if !url.path().ends_with("/auth_oauth/signin") {
            return None;
        }
        let pairs = url.query().unwrap_or("").to_string() + "&" + url.fragment().unwrap_or("");
        url::form_urlencoded::parse(pairs.as_bytes()).find(|(k, _)| k == "access_token").map(|(_, v)| v.into_owned())
    })
}

/// Waits until `/readyz` says both providers are discovered.
async fn wait_ready(served: Served, public: &str) -> Served {
    let client = reqwest::Client::builder().no_proxy().build().expect("client");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = client.get(format!("{public}/readyz")).send().await {
            let body: Value = response.json().await.unwrap_or(Value::Null);
            if body["providers"]["sso"]["status"] == "ok" && body["providers"]["wrongsecret"]["status"] == "ok" {
                return served;
            }
        }
        if Instant::now() > deadline {
            let (status, out, err) = served.stop().await;
            panic!("the bridge did not become ready in 60 s ({status:?})\n--- stdout:\n{out}\n--- stderr:\n{err}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_command_page_header_or_log_line_ever_shows_a_secret() {
    let sso_secret = Sentinel::new("the sso client secret", "SENTINEL-CLIENT-SECRET-", Some(SSO_CLIENT));
    let wrong_secret = Sentinel::new("the wrongsecret client secret", "SENTINEL-CLIENT-SECRET-", Some(WRONG_CLIENT));
    let api_key = Sentinel::new("the Odoo API key", "SENTINEL-API-KEY-", None);
    let sentinels = [&sso_secret, &wrong_secret, &api_key];
    let outputs = Outputs::default();
    let mut covered: Vec<String> = Vec::new();

    let temp = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");

    // The IdPs: `sso` knows the bridge's secret; `wrongsecret` expects another one.
    let sso = OidcStandin::start(
        Box::new(Keycloak { realm: "acme".into() }),
        Registration::new(SSO_CLIENT, &sso_secret.value, &format!("{public}/callback/sso")),
        SigningKey::new(3, "sentinel-sso-key"),
    )
    .await;
    sso.set_account(alice());
    let wrong = OidcStandin::start(
        Box::new(Keycloak { realm: "other".into() }),
        Registration::new(WRONG_CLIENT, "the-idp-expects-another-secret", &format!("{public}/callback/wrongsecret")),
        SigningKey::new(2, "sentinel-wrong-key"),
    )
    .await;
    wrong.set_account(alice());

    // Odoo `acme` knows the API key; Odoo `refusing` does not.
    let acme_url = odoo_sim(seed(&[&api_key.value])).await;
    let refusing_url = odoo_sim(seed(&["a-key-the-bridge-does-not-have"])).await;

    let files = main_config(temp.path(), port, &acme_url, &refusing_url, &sso.issuer(), &wrong.issuer(), &api_key, &wrong_secret);
    let envs = [("ACME_ODOO_API_KEY", api_key.value.as_str()), ("SSO_CLIENT_SECRET", sso_secret.value.as_str())];
    let dir = files.dir.as_path();
    let config = files.config.as_path();

    // ---- CLI commands ------------------------------------------------------------------------
    let run = run_cli(&outputs, dir, config, &["check-config"], &envs).await;
    expect_code(&run, 0, "check-config");
    assert!(run.stdout.contains("configuration OK"), "{}", run.stdout);
    covered.push("check-config (ok)".into());

    let run = run_cli(&outputs, dir, config, &["setup", "--odoo", "acme", "--dry-run"], &envs).await;
    expect_code(&run, 0, "setup --dry-run for the Odoo that knows the key");
    covered.push("setup --dry-run (key accepted)".into());

    let run = run_cli(&outputs, dir, config, &["setup", "--odoo", "acme"], &envs).await;
    expect_code(&run, 0, "setup for the Odoo that knows the key");
    assert!(run.stdout.contains("done: created"), "setup must have written through the API key:\n{}", run.stdout);
    covered.push("setup (applied: the API key was used)".into());

    let run = run_cli(&outputs, dir, config, &["setup", "--odoo", "refusing"], &envs).await;
    expect_code(&run, 1, "setup for the Odoo that refuses the key");
    assert!(run.stderr.contains("refused the API key") || run.stdout.contains("refused the API key"), "{}\n{}", run.stdout, run.stderr);
    covered.push("setup (API key refused)".into());

    let run = run_cli(&outputs, dir, config, &["setup", "--dry-run"], &envs).await;
    expect_code(&run, 1, "setup --dry-run over both Odoo");
    let run = run_cli(&outputs, dir, config, &["setup"], &envs).await;
    expect_code(&run, 1, "setup over both Odoo");
    covered.push("setup / setup --dry-run over both Odoo (one refuses)".into());

    // The same with every crate's trace logging (hyper, reqwest, sqlx…).
    let mut trace_envs = envs.to_vec();
    trace_envs.push(("LOGIN_BRIDGE_LOG", "trace"));
    let run = run_cli(&outputs, dir, config, &["setup", "--dry-run"], &trace_envs).await;
    expect_code(&run, 1, "setup --dry-run at trace level");
    covered.push("setup --dry-run with LOGIN_BRIDGE_LOG=trace".into());

    // ---- serve -------------------------------------------------------------------------------
    let served = Served::start(dir, config, &envs);
    let served = wait_ready(served, &public).await;
    let mut browser = Browser::new(&outputs);

    for path in ["/healthz", "/readyz", "/", "/?odoo=acme", "/?odoo=refusing&lang=fr", "/?odoo=nope", "/embed?odoo=acme", "/branding/acme.css", "/no/such/page", "/pkg/missing.wasm"] {
        browser.get(&format!("{public}{path}")).await;
    }
    browser.get_with(&format!("{public}/?odoo=acme"), &[("Accept-Language", "de-DE,de;q=0.9")]).await;
    covered.push("provider page (several languages), embed, branding CSS, 404, /healthz, /readyz".into());

    // A successful bridge-initiated login: the client secret went to the IdP, the API key to Odoo.
    let mut alice_browser = Browser::new(&outputs);
    let (page, hops) = alice_browser.navigate(&format!("{public}/login/sso?odoo=acme&return_to=/odoo/sales")).await;
    let uid = alice_browser.odoo_uid(&acme_url).await;
    assert_eq!(uid, Some(ALICE), "the bridge-initiated login must end logged in as Alice\n{}", describe(&page, &hops));
    assert!(sso.count("token issued") >= 1, "the IdP never issued a token: {:?}", sso.events());
    let used_token = token_in(&hops).expect("the login handed Odoo a token");
    covered.push("bridge-initiated login (client secret accepted by the IdP, API key used to link in Odoo)".into());

    // The same token a second time, and tokeninfo's other refusals.
    let tokeninfo = format!("{public}/odoo/tokeninfo");
    browser.get(&format!("{tokeninfo}?{}", query(&[("access_token", &used_token)]))).await;
    browser.get_with(&tokeninfo, &[("Authorization", &format!("Bearer {used_token}"))]).await;
    browser.get(&tokeninfo).await;
    browser.get(&format!("{tokeninfo}?access_token=not-a-token")).await;
    browser.get_with(&tokeninfo, &[("Authorization", "Bearer not-a-token")]).await;
    browser.get_with(&format!("{tokeninfo}?access_token=x"), &[("Authorization", "Bearer y")]).await;
    browser.get(&format!("{tokeninfo}?access_token=not-a-token&odoo=refusing")).await;
    covered.push("tokeninfo: reused, unknown, missing, doubled and wrong-audience tokens".into());

    // An Odoo-initiated login from Odoo's login page (the button setup created).
    let mut odoo_browser = Browser::new(&outputs);
    let login_page = odoo_browser.get(&format!("{acme_url}/web/login")).await;
    let prefix = format!("{public}/odoo/authorize/sso?");
    let href = login_page
        .body
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&amp;", "&").replace("&quot;", "\"").replace("&#34;", "\""))
        .find(|h| h.starts_with(&prefix))
        .unwrap_or_else(|| panic!("Odoo's login page has no button for sso:\n{}", login_page.body));
    let (page, hops) = odoo_browser.navigate(&href).await;
    assert_eq!(odoo_browser.odoo_uid(&acme_url).await, Some(ALICE), "Odoo-initiated login\n{}", describe(&page, &hops));
    covered.push("Odoo-initiated login (/odoo/authorize/sso)".into());

    // Odoo-initiated without a provider: the pending request, the page, then the provider.
    let mut pending_browser = Browser::new(&outputs);
    let any = href.replacen("/odoo/authorize/sso?", "/odoo/authorize?", 1);
    let first = pending_browser.get(&any).await;
    let location = first.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(location.starts_with("/?pending="), "expected the provider page with a pending request, got {} {location}", first.status);
    pending_browser.get(&format!("{public}{location}")).await;
    let pending = location.trim_start_matches("/?pending=");
    let (page, hops) = pending_browser.navigate(&format!("{public}/login/sso?pending={pending}")).await;
    assert_eq!(pending_browser.odoo_uid(&acme_url).await, Some(ALICE), "pending login\n{}", describe(&page, &hops));
    covered.push("Odoo-initiated login through the provider page (pending request)".into());

    // The IdP refuses the client secret at the token exchange.
    let mut refused_browser = Browser::new(&outputs);
    let (page, hops) = refused_browser.navigate(&format!("{public}/login/wrongsecret?odoo=acme")).await;
    assert!(page.status >= 400, "a refused client secret must end on an error page\n{}", describe(&page, &hops));
    assert!(
        wrong.events().iter().any(|e| e.starts_with("token error invalid_client")),
        "the IdP must have been sent (and refused) the wrong client secret: {:?}",
        wrong.events()
    );
    assert_eq!(wrong.count("token issued"), 0);
    covered.push(format!("token exchange refused by the IdP (invalid_client) -> {}", page.status));

    // Odoo refuses the API key while linking the person.
    let mut refusing_browser = Browser::new(&outputs);
    let (page, hops) = refusing_browser.navigate(&format!("{public}/login/sso?odoo=refusing")).await;
    assert!(page.status >= 400, "an Odoo refusing the API key must end on an error page\n{}", describe(&page, &hops));
    assert_eq!(refusing_browser.odoo_uid(&refusing_url).await, None);
    covered.push(format!("Odoo refusing the API key during a login -> {}", page.status));

    // The person cancels at the IdP.
    sso.set_decision(Decision::Deny);
    let mut cancel_browser = Browser::new(&outputs);
    let (page, hops) = cancel_browser.navigate(&format!("{public}/login/sso?odoo=acme&lang=fr")).await;
    assert_eq!(page.status, 403, "consent denied\n{}", describe(&page, &hops));
    sso.set_decision(Decision::Approve);
    covered.push("consent denied at the IdP -> 403".into());

    // A callback whose state cookie is right but whose code the IdP never issued.
    let mut forged_browser = Browser::new(&outputs);
    let start = forged_browser.get(&format!("{public}/login/sso?odoo=acme")).await;
    let upstream = start.headers.get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let upstream = upstream.unwrap_or_else(|| panic!("expected a redirect to the IdP, got {}: {}", start.status, start.body));
    let upstream = Url::parse(&upstream).expect("url");
    let state = upstream.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).expect("state");
    let forged = forged_browser.get(&format!("{public}/callback/sso?{}", query(&[("code", "never-issued"), ("state", &state), ("iss", &sso.issuer())]))).await;
    assert!(forged.status >= 400, "a forged code must be refused, got {}", forged.status);
    covered.push(format!("callback with the right state cookie and a forged code -> {}", forged.status));

    let (status, stdout, stderr) = served.stop().await;
    outputs.add("stdout of `login-bridge serve` (logins)", stdout.clone());
    outputs.add("stderr of `login-bridge serve` (logins)", stderr.clone());
    assert!(stderr.contains("DEBUG"), "LOGIN_BRIDGE_LOG=debug must have produced debug lines:\n{stderr}");
    assert!(stderr.contains("login-bridge listening"), "{stderr}");
    covered.push(format!("serve (logins) stopped by SIGTERM ({status:?}), {} lines of log", stderr.lines().count()));

    // A fresh process (fresh request limits) for the error pages and a flood, logging JSON
    // (`LOGIN_BRIDGE_LOG_FORMAT`): a secret must not show escaped into a JSON string either.
    let mut json_envs = envs.to_vec();
    json_envs.push(("LOGIN_BRIDGE_LOG_FORMAT", "json"));
    let served = wait_ready(Served::start(dir, config, &json_envs), &public).await;
    // A successful login in that format too (the client secret and API key at work again).
    let mut json_browser = Browser::new(&outputs);
    let (page, hops) = json_browser.navigate(&format!("{public}/login/sso?odoo=acme")).await;
    assert_eq!(json_browser.odoo_uid(&acme_url).await, Some(ALICE), "login with JSON logs\n{}", describe(&page, &hops));
    browser.get(&format!("{public}/metrics")).await;
    covered.push("a login and GET /metrics with JSON logs".into());
    // Error pages: requests that fail a check.
    let signin = format!("{acme_url}/auth_oauth/signin");
    let authorize = |redirect: &str, client: &str| {
        query(&[("response_type", "token"), ("client_id", client), ("redirect_uri", redirect), ("scope", "openid"), ("state", "{\"d\": \"acme\", \"p\": 4}")])
    };
    let bad_requests = [
        format!("/odoo/authorize/sso?{}", authorize("https://evil.example/auth_oauth/signin", "acme")),
        format!("/odoo/authorize/sso?{}", authorize(&signin, "nobody")),
        format!("/odoo/authorize/sso?{}&state=again", authorize(&signin, "acme")),
        "/odoo/authorize/sso".to_string(),
        format!("/odoo/authorize/nosuchprovider?{}", authorize(&signin, "acme")),
        "/login/sso?odoo=acme&return_to=//evil.example/x".to_string(),
        "/login/sso?odoo=nope".to_string(),
        "/login/sso".to_string(),
        "/login/nosuchprovider?odoo=acme".to_string(),
        "/login?email=alice%40example.com&odoo=acme".to_string(),
        "/login?email=someone%40elsewhere.example&odoo=acme".to_string(),
        "/login?email=not-an-address".to_string(),
        "/login/sso?pending=unknown-pending-id".to_string(),
        "/callback/sso?code=forged&state=forged".to_string(),
        "/callback/sso".to_string(),
        "/callback/sso?error=access_denied&state=forged".to_string(),
        "/callback/wrongsecret?code=x&state=y&iss=http://evil.example".to_string(),
        "/callback/nosuchprovider?code=x&state=y".to_string(),
        "/branding/nope.css".to_string(),
    ];
    let mut bad_statuses = Vec::new();
    for path in &bad_requests {
        bad_statuses.push(browser.get(&format!("{public}{path}")).await.status);
    }
    browser.post_form(&format!("{public}/login/sso"), &[("odoo", "acme"), ("return_to", "/odoo")]).await;
    let mut statuses = BTreeMap::new();
    for _ in 0..30 {
        let page = browser.get(&format!("{public}/login/sso?odoo=acme")).await;
        *statuses.entry(page.status).or_insert(0) += 1;
    }
    for _ in 0..50 {
        let page = browser.get(&format!("{tokeninfo}?access_token=flood")).await;
        *statuses.entry(page.status).or_insert(0) += 1;
    }
    covered.push(format!("error pages: {} refused requests answered {bad_statuses:?}, the POST start; a flood of 80 requests answered {statuses:?}", bad_requests.len()));

    let (status, stdout, stderr) = served.stop().await;
    outputs.add("stdout of `login-bridge serve` (errors)", stdout.clone());
    outputs.add("stderr of `login-bridge serve` (errors)", stderr.clone());
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        assert!(serde_json::from_str::<Value>(line).is_ok(), "LOGIN_BRIDGE_LOG_FORMAT=json wrote a line that is not JSON: {line}");
    }
    assert!(stderr.contains("\"level\":\"DEBUG\""), "debug lines in JSON:\n{stderr}");
    covered.push(format!("serve (error pages) stopped by SIGTERM ({status:?}), {} lines of log", stderr.lines().count()));

    // ---- users (after serve: the store holds links now) --------------------------------------
    let run = run_cli(&outputs, dir, config, &["users", "list"], &envs).await;
    expect_code(&run, 0, "users list");
    assert!(run.stdout.contains(ALICE_EMAIL), "users list shows Alice's link:\n{}", run.stdout);
    let run = run_cli(&outputs, dir, config, &["users", "list", "--json"], &envs).await;
    expect_code(&run, 0, "users list --json");
    let run = run_cli(&outputs, dir, config, &["users", "revoke", "--odoo", "acme", "--user", ALICE_EMAIL], &envs).await;
    expect_code(&run, 0, "users revoke through the accepted key");
    let run = run_cli(&outputs, dir, config, &["users", "revoke", "--odoo", "refusing", "--user", ALICE_EMAIL], &envs).await;
    expect_code(&run, 1, "users revoke through the refused key");
    let run = run_cli(&outputs, dir, config, &["users", "link", "--odoo", "acme", "--provider", "sso", "--subject", "someone", "--user", "nobody@example.com"], &envs).await;
    expect_code(&run, 1, "users link to an unknown user");
    covered.push("users list / list --json / revoke (key accepted, key refused) / link (unknown user)".into());
    let run = run_cli(&outputs, dir, config, &["audit"], &envs).await;
    expect_code(&run, 0, "audit");
    assert!(run.stdout.contains(ALICE_EMAIL) && run.stdout.contains("refused"), "the audit log lists the logins:\n{}", run.stdout);
    let run = run_cli(&outputs, dir, config, &["--log-format", "json", "audit", "--json"], &envs).await;
    expect_code(&run, 0, "audit --json");
    covered.push("audit / audit --json (rows of every login above, reasons included)".into());

    // ---- start failures -----------------------------------------------------------------------
    let taken = std::net::TcpListener::bind(("127.0.0.1", port)).expect("take the bridge's port");
    let run = run_cli(&outputs, dir, config, &["serve"], &envs).await;
    assert_ne!(run.code(), Some(0), "serve on a taken port must fail:\n{}", run.stderr);
    drop(taken);
    let mut no_site = envs.to_vec();
    no_site.push(("LEPTOS_SITE_ROOT", "/nonexistent/site"));
    let run = run_cli(&outputs, dir, config, &["serve"], &no_site).await;
    assert_ne!(run.code(), Some(0), "serve without site assets must fail:\n{}", run.stderr);
    let bad_store_dir = temp.path().join("bad-store");
    std::fs::create_dir_all(bad_store_dir.join("site/pkg")).expect("dir");
    let bad_store = bad_store_dir.join("bad-store.toml");
    let text = std::fs::read_to_string(config).expect("config").replace(&format!("sqlite://{}", dir.join("bridge.db").display()), "sqlite:///proc/no-such-dir/bridge.db");
    write(&bad_store, text);
    let run = run_cli(&outputs, &bad_store_dir, &bad_store, &["serve"], &envs).await;
    assert_ne!(run.code(), Some(0), "serve with an unusable store must fail:\n{}", run.stderr);
    covered.push("serve failing to start: port taken, site missing, store unusable".into());

    // ---- a panic: stdout that cannot be written (println! panics) ------------------------------
    for args in [&["check-config"][..], &["users", "list"][..], &["setup", "--odoo", "acme", "--dry-run"][..]] {
        let mut command = base_command(dir, &envs);
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        command.arg("--config").arg(config).args(args).stdout(Stdio::from(full)).stderr(Stdio::piped());
        // Not `output()`: tokio's replaces stdout with a pipe.
        let child = command.spawn().expect("run with stdout on /dev/full");
        let output = child.wait_with_output().await.expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let panicked = stderr.contains("panicked");
        outputs.add(format!("stderr of `{}` with stdout on /dev/full", args.join(" ")), stderr);
        covered.push(format!("`{}` with stdout on /dev/full: exit {:?}{}", args.join(" "), output.status.code(), if panicked { ", panicked" } else { "" }));
    }

    // ---- config errors (exit 2) ----------------------------------------------------------------
    let bad = temp.path().join("bad-configs");
    std::fs::create_dir_all(bad.join("site/pkg")).expect("dir");
    let secret_dir = bad.join("a-directory");
    std::fs::create_dir_all(&secret_dir).expect("dir");
    let not_utf8 = bad.join("not-utf8-secret");
    let mut bytes = sso_secret.value.clone().into_bytes();
    bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
    write(&not_utf8, bytes);
    let valid_file = bad.join("valid-secret");
    write(&valid_file, format!("{}\n", sso_secret.value));
    let env_key = "api_key_env = \"ACME_ODOO_API_KEY\"";
    let env_secret = "client_secret_env = \"SSO_CLIENT_SECRET\"";
    let cases: Vec<(&str, String)> = vec![
        ("inline client_secret", small_config(env_key, &format!("client_secret = \"{}\"", sso_secret.value))),
        ("inline api_key", small_config(&format!("api_key = \"{}\"", api_key.value), env_secret)),
        ("inline api_key and client_secret (TOML literal strings)", small_config(&format!("api_key = '{}'", api_key.value), &format!("client_secret = '{}'", sso_secret.value))),
        ("client_secret_file is a directory", small_config(env_key, &format!("client_secret_file = \"{}\"", secret_dir.display()))),
        ("client_secret_file is not UTF-8", small_config(env_key, &format!("client_secret_file = \"{}\"", not_utf8.display()))),
        ("client_secret_file does not exist", small_config(env_key, &format!("client_secret_file = \"{}\"", bad.join("missing").display()))),
        ("api_key_file is a directory", small_config(&format!("api_key_file = \"{}\"", secret_dir.display()), env_secret)),
        ("client secret from both env and file", small_config(env_key, &format!("{env_secret}\nclient_secret_file = \"{}\"", valid_file.display()))),
        ("api key env unset", small_config("api_key_env = \"NOT_SET_ANYWHERE\"", env_secret)),
        ("secrets loaded, then a later key is wrong (icon)", small_config(env_key, &format!("{env_secret}\nicon = \"bogus\""))),
        ("secrets loaded, then a later key is wrong (email_domains)", small_config(env_key, &format!("{env_secret}\nemail_domains = [\"not a domain\"]"))),
        ("API key loaded, then an invalid provider id", small_config(env_key, env_secret).replace("id = \"sso\"", "id = \"Not Valid\"")),
    ];
    for (index, (what, text)) in cases.iter().enumerate() {
        let path = bad.join(format!("case-{index}.toml"));
        write(&path, text);
        for args in [&["check-config"][..], &["serve"][..], &["setup", "--dry-run"][..], &["users", "list"][..]] {
            let run = run_cli(&outputs, &bad, &path, args, &envs).await;
            expect_code(&run, 2, what);
            assert!(run.stderr.contains("login-bridge:"), "{what}: the error is on stderr:\n{}", run.stderr);
        }
        covered.push(format!("config error: {what}"));
    }
    let run = run_cli(&outputs, &bad, &bad.join("no-such-config.toml"), &["check-config"], &envs).await;
    expect_code(&run, 2, "missing config file");
    covered.push("config error: the config file does not exist".into());

    // ---- at rest: the store ----------------------------------------------------------------------
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("bridge.db") {
            let bytes = std::fs::read(entry.path()).expect("read store");
            outputs.add(format!("the store file {name}"), String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    covered.push("the SQLite store files at rest".into());

    let all = outputs.all();
    eprintln!("secrets_never_leak: scanned {} outputs ({} bytes) for {} forms of 3 sentinels; paths:", all.len(), all.iter().map(|(_, t)| t.len()).sum::<usize>(), sentinels.iter().map(|s| s.forms().len()).sum::<usize>());
    for path in &covered {
        eprintln!("  - {path}");
    }
    // The scanner itself must see a sentinel where there is one.
    let canary = vec![("canary".to_string(), format!("x {}", base64::engine::general_purpose::STANDARD.encode(format!("{SSO_CLIENT}:{}", sso_secret.value))))];
    assert!(!find_leaks(&canary, &sentinels).is_empty(), "the scanner must find a Basic-encoded secret");
    assert_no_leaks(&all, &sentinels);
}

/// A PostgreSQL password, in the URL, in password_env / password_file or in a URL from url_env /
/// url_file, never reaches stdout, stderr or an HTTP answer: not when the server is down, not
/// when it refuses the password, not when the database is missing, not when all is well.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgres_password_never_shows() {
    let db = common::postgres::TestDb::create().await;
    let wrong = Sentinel::new("a PostgreSQL password", "SENTINEL-DB-PASSWORD-", None);
    let real = Sentinel { name: "the test PostgreSQL password", value: db.password(), random_parts: Vec::new(), client_id: None };
    let outputs = Outputs::default();
    let temp = tempfile::tempdir().expect("tempdir");
    let dir = temp.path();
    std::fs::create_dir_all(dir.join("site/pkg")).expect("site dir");
    let server = Url::parse(&db.url).expect("url");
    let (user, host, port) = (server.username().to_string(), server.host_str().unwrap_or("127.0.0.1").to_string(), server.port().unwrap_or(5432));
    let encode = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    let (wrong_enc, real_enc) = (encode(&wrong.value), encode(&real.value));
    let down = format!("postgres://{user}:{wrong_enc}@127.0.0.1:1/{}", db.name);
    let refused = format!("postgres://{user}:{wrong_enc}@{host}:{port}/{}", db.name);
    write(&dir.join("wrong-password"), format!("{}\n", wrong.value));
    write(&dir.join("refused-url"), &refused);
    let wrong_env = [("DB_PASSWORD", wrong.value.as_str()), ("DATABASE_URL", down.as_str())];
    let real_env = [("DB_PASSWORD", real.value.as_str())];
    type Case<'a> = (&'a str, String, &'a [(&'a str, &'a str)]);
    let failing: Vec<Case> = vec![
        ("inline in url, server down", format!("url = \"{down}\""), &[]),
        ("password_env, server down", format!("url = \"postgres://{user}@127.0.0.1:1/x\"\npassword_env = \"DB_PASSWORD\""), &wrong_env),
        ("password_file, server refuses it", format!("url = \"postgres://{user}@{host}:{port}/{}\"\npassword_file = \"{}\"", db.name, dir.join("wrong-password").display()), &[]),
        ("url_env, server down", "url_env = \"DATABASE_URL\"".into(), &wrong_env),
        ("url_file, server refuses it", format!("url_file = \"{}\"", dir.join("refused-url").display()), &[]),
        ("inline in url, server refuses it", format!("url = \"{refused}\""), &[]),
        ("right password, no such database", format!("url = \"postgres://{user}:{real_enc}@{host}:{port}/no_such_database\""), &[]),
    ];
    for (index, (what, store, envs)) in failing.iter().enumerate() {
        let path = dir.join(format!("failing-{index}.toml"));
        write(&path, small_config("api_key_env = \"K\"", "client_secret_env = \"S\"").replace("url = \"sqlite://bridge.db\"", store));
        let mut envs = envs.to_vec();
        envs.extend([("K", "k"), ("S", "s")]);
        let run = run_cli(&outputs, dir, &path, &["check-config"], &envs).await;
        expect_code(&run, 0, what);
        for args in [&["serve"][..], &["users", "list"][..]] {
            let run = run_cli(&outputs, dir, &path, args, &envs).await;
            assert_ne!(run.code(), Some(0), "{what}: `{}` must fail", args.join(" "));
            assert!(run.stderr.contains("cannot open the store (PostgreSQL "), "{what}: the error names the store:\n{}", run.stderr);
        }
    }

    // All well: serve and answer, then stop.
    let port_bridge = free_port();
    let path = dir.join("working.toml");
    let store = format!("url = \"postgres://{user}@{host}:{port}/{}\"\npassword_env = \"DB_PASSWORD\"", db.name);
    let text = small_config("api_key_env = \"K\"", "client_secret_env = \"S\"").replace("url = \"sqlite://bridge.db\"", &store).replace("127.0.0.1:3000", &format!("127.0.0.1:{port_bridge}"));
    write(&path, text);
    let mut envs = real_env.to_vec();
    envs.extend([("K", "k"), ("S", "s")]);
    let run = run_cli(&outputs, dir, &path, &["users", "list"], &envs).await;
    expect_code(&run, 0, "users list on the working store");
    let served = Served::start(dir, &path, &envs);
    let mut browser = Browser::new(&outputs);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = reqwest::get(format!("http://127.0.0.1:{port_bridge}/healthz")).await {
            if response.status().is_success() {
                break;
            }
        }
        assert!(Instant::now() < deadline, "the bridge did not start in 60 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let ready = browser.get(&format!("http://127.0.0.1:{port_bridge}/readyz")).await;
    assert!(ready.body.contains("\"store\":\"ok\""), "{}", ready.body);
    let (_, stdout, stderr) = served.stop().await;
    assert!(stderr.contains("store open"), "{stderr}");
    outputs.add("stdout of `login-bridge serve` (PostgreSQL)", stdout);
    outputs.add("stderr of `login-bridge serve` (PostgreSQL)", stderr);
    assert_no_leaks(&outputs.all(), &[&wrong, &real]);
}

/// A TOML syntax or schema error names the line and column but never quotes the line: an
/// inline secret with a typo, or a secret file passed as the config, must not reach stderr.
#[tokio::test]
async fn config_parse_errors_do_not_quote_a_secret() {
    let secret = Sentinel::new("an inline secret in a broken config", "SENTINEL-CLIENT-SECRET-", Some(SSO_CLIENT));
    let outputs = Outputs::default();
    let temp = tempfile::tempdir().expect("tempdir");
    let dir = temp.path();
    let secret_file = dir.join("secret");
    write(&secret_file, format!("{}\n", secret.value));
    let cases = [
        ("inline secret with an unterminated string", small_config("api_key_env = \"K\"", &format!("client_secret = \"{}", secret.value))),
        ("misspelled secret key", small_config("api_key_env = \"K\"", &format!("client_secret_env = \"S\"\nclientsecret = \"{}\"", secret.value))),
        ("secret at the top level", format!("client_secret = \"{}\"\n{}", secret.value, small_config("api_key_env = \"K\"", "client_secret_env = \"S\""))),
    ];
    for (index, (_, text)) in cases.iter().enumerate() {
        let path = dir.join(format!("case-{index}.toml"));
        write(&path, text);
        run_cli(&outputs, dir, &path, &["check-config"], &[("K", "k"), ("S", "s")]).await;
    }
    // An admin passing the secret file instead of the config.
    run_cli(&outputs, dir, &secret_file, &["check-config"], &[]).await;
    assert_no_leaks(&outputs.all(), &[&secret]);
}
