//! The real `login-bridge serve` binary as a child process, and a browser that keeps cookies
//! and follows redirects by hand, for the tests that must see the process itself (killed,
//! restarted, or several of them sharing a store). Each test uses a part of it.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::{
    collections::BTreeMap,
    path::Path,
    process::Stdio,
    time::{Duration, Instant},
};
use url::Url;

pub const BIN: &str = env!("CARGO_BIN_EXE_login-bridge");
/// Alice, the Odoo user every login here ends as.
pub const ALICE: i64 = 6;
pub const ALICE_EMAIL: &str = "alice@example.com";

/// `login-bridge serve`, stderr collected; killed on drop.
pub struct Served {
    child: std::process::Child,
    stderr: Option<std::thread::JoinHandle<()>>,
    /// Everything written to stderr so far, line by line as it comes.
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Served {
    /// Starts `serve` in `dir` (site files in `dir/site`) with exactly the environment `envs`.
    pub fn start(dir: &Path, config: &Path, envs: &[(&str, &str)]) -> Self {
        Self::start_with(dir, config, envs, &[])
    }

    /// `start` with global options (`--log-format json`) before `serve`.
    pub fn start_with(dir: &Path, config: &Path, envs: &[(&str, &str)], options: &[&str]) -> Self {
        let mut child = std::process::Command::new(BIN)
            .env_clear()
            .current_dir(dir)
            .env("LEPTOS_SITE_ROOT", dir.join("site"))
            .envs(envs.iter().copied())
            .arg("--config")
            .arg(config)
            .args(options)
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {BIN} serve: {e}"));
        let pipe = child.stderr.take().expect("stderr");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = log.clone();
        let stderr = Some(std::thread::spawn(move || {
            for line in std::io::BufRead::lines(std::io::BufReader::new(pipe)).map_while(Result::ok) {
                let mut log = sink.lock().expect("log");
                log.push_str(&line);
                log.push('\n');
            }
        }));
        Self { child, stderr, log }
    }

    /// The log written so far (the process keeps running).
    pub fn log_so_far(&self) -> String {
        self.log.lock().expect("log").clone()
    }

    /// Waits (30 s at most) until the log holds `count` lines containing `text`.
    pub async fn wait_for_log(&self, text: &str, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.log_so_far().matches(text).count() < count {
            assert!(Instant::now() < deadline, "the log never showed `{text}` {count} time(s):\n{}", self.log_so_far());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `kill -9 PID`; asserts death by SIGKILL and returns the log.
    pub fn kill9(mut self) -> String {
        let pid = self.child.id().to_string();
        let status = std::process::Command::new("kill").args(["-9", &pid]).status().expect("run kill");
        assert!(status.success(), "kill -9 {pid} failed");
        let exit = self.child.wait().expect("wait");
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(exit.signal(), Some(9), "the bridge must have died of SIGKILL: {exit:?}");
        self.log()
    }

    /// Sends the process a signal by name (`HUP`, `TERM`, …) with kill(1).
    pub fn signal(&self, name: &str) {
        let pid = self.child.id().to_string();
        let status = std::process::Command::new("kill").args([&format!("-{name}"), &pid]).status().expect("run kill");
        assert!(status.success(), "kill -{name} {pid} failed");
    }

    /// Stops the process and returns its log.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.log()
    }

    fn log(&mut self) -> String {
        if let Some(reader) = self.stderr.take() {
            let _ = reader.join();
        }
        self.log_so_far()
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

/// Waits until `/readyz` says the store and the provider `sso` are up (60 s at most).
pub async fn wait_ready(served: Served, base: &str) -> Served {
    let client = reqwest::Client::builder().no_proxy().build().expect("client");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await {
            let body: Value = response.json().await.unwrap_or(Value::Null);
            if body["providers"]["sso"]["status"] == "ok" && body["store"] == "ok" {
                return served;
            }
        }
        if Instant::now() > deadline {
            panic!("the bridge at {base} did not become ready in 60 s\n--- stderr:\n{}", served.stop());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

/// A browser keeping cookies (for 127.0.0.1, whatever the port, as browsers do); redirects
/// followed by hand so each hop can be sent where the test chooses.
pub struct Browser {
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

/// No redirects, no proxy, a new connection each time (a killed bridge leaves none to reuse).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("http client")
}

impl Browser {
    pub fn new() -> Self {
        Self { http: client(), cookies: BTreeMap::new() }
    }

    pub async fn send(&mut self, request: reqwest::RequestBuilder, what: &str) -> Page {
        let request = if self.cookies.is_empty() {
            request
        } else {
            let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            request.header(reqwest::header::COOKIE, cookie)
        };
        let response = request.send().await.unwrap_or_else(|e| panic!("{what} failed: {e}"));
        let status = response.status().as_u16();
        for value in response.headers().get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
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
        let location = response.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        Page { status, location, body, headers }
    }

    /// A form POST (`application/x-www-form-urlencoded`), not followed.
    pub async fn post_form(&mut self, url: &str, fields: &[(&str, &str)]) -> Page {
        let request = self.http.post(url).form(fields);
        self.send(request, &format!("POST {url}")).await
    }

    /// One GET, fragment dropped as a browser does.
    pub async fn get(&mut self, url: &Url) -> Page {
        let mut bare = url.clone();
        bare.set_fragment(None);
        let request = self.http.get(bare.as_str());
        self.send(request, &format!("GET {bare}")).await
    }

    /// Follows redirects like a browser (fragment inherited; Odoo's fragment-to-query page run),
    /// passing every URL through `route` first (a load balancer), until the page is final or the
    /// next URL satisfies `stop_before`, which is returned unvisited.
    pub async fn navigate(&mut self, start: &str, route: &dyn Fn(Url) -> Url, stop_before: &dyn Fn(&Url) -> bool) -> (Result<Url, Page>, Vec<String>) {
        let mut url = Url::parse(start).expect("start URL");
        let mut hops = Vec::new();
        for _ in 0..25 {
            url = route(url);
            if stop_before(&url) {
                return (Ok(url), hops);
            }
            let page = self.get(&url).await;
            hops.push(format!("GET {url} -> {}{}", page.status, page.location.as_deref().map(|l| format!(" Location: {l}")).unwrap_or_default()));
            match next_url(&url, page.status, page.location.as_deref(), &page.body) {
                Some(next) => url = next,
                None => return (Err(page), hops),
            }
        }
        panic!("more than 25 redirects:\n{}", hops.join("\n"));
    }

    /// `navigate` to the final page, every hop where its URL says.
    pub async fn navigate_to_end(&mut self, start: &str) -> (Page, Vec<String>) {
        match self.navigate(start, &|url| url, &|_| false).await {
            (Err(page), hops) => (page, hops),
            (Ok(url), _) => unreachable!("nothing stops before {url}"),
        }
    }

    /// The Odoo user of this browser's session at `odoo_url`, if signed in.
    pub async fn odoo_uid(&mut self, odoo_url: &str) -> Option<i64> {
        let url = format!("{odoo_url}/web/session/get_session_info");
        let request = self.http.post(&url).json(&json!({"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}));
        let page = self.send(request, &format!("POST {url}")).await;
        let body: Value = serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("session info is not JSON ({e}): {}", page.body));
        body["result"]["uid"].as_i64()
    }
}

/// Where a browser goes after a page: a redirect's `Location` (the fragment carried over when
/// the new URL has none), or the query Odoo's fragment-to-query page builds from the fragment.
/// `None`: the page is final.
pub fn next_url(url: &Url, status: u16, location: Option<&str>, body: &str) -> Option<Url> {
    match location {
        Some(location) if (300..400).contains(&status) => {
            let mut next = url.join(location).unwrap_or_else(|e| panic!("bad Location {location:?}: {e}"));
            if next.fragment().is_none() {
                next.set_fragment(url.fragment());
            }
            Some(next)
        }
        _ if status == 200 && body.contains("l.hash.substring(1)") && url.fragment().is_some_and(|f| !f.is_empty()) => {
            let fragment = url.fragment().unwrap_or_default();
            let search = url.query().filter(|q| !q.is_empty()).map(|q| format!("?{q}")).unwrap_or_default();
            let separator = if search.is_empty() { "?" } else { "&" };
            let mut next = url.join(&format!("{}{search}{separator}{fragment}", url.path())).expect("fragment page target");
            next.set_fragment(None);
            Some(next)
        }
        _ => None,
    }
}

pub fn explain(page: &Page, hops: &[String]) -> String {
    let excerpt: String = page.body.chars().take(1500).collect();
    format!("ended with {}\n  {}\n--- body:\n{excerpt}", page.status, hops.join("\n  "))
}

/// The simulator's Odoo 18: an admin whose API key is `api_key`, and Alice.
pub fn seed(api_key: &str) -> odoo_sim::Seed {
    serde_json::from_value(json!({
        "version": "18.0",
        "database": "acme",
        "dbfilter": "^acme$",
        "signup": "b2b",
        "users": [
            {"id": 2, "login": "admin", "email": "admin@example.com", "name": "Administrator", "share": false, "password": "admin", "api_keys": [api_key], "admin": true},
            {"id": ALICE, "login": ALICE_EMAIL, "email": ALICE_EMAIL, "name": "Alice Example", "share": false, "password": "alice"}
        ],
        "groups": [],
        "providers": [],
        "config_parameters": {},
        "modules": {"auth_oauth": "installed", "auth_signup": "installed"}
    }))
    .expect("seed parses")
}

/// The simulator's Odoo 18 (`seed(api_key)`) on a free port of 127.0.0.1; its base URL.
pub async fn start_odoo(api_key: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind odoo");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seed = seed(api_key);
    tokio::spawn(async move {
        let _ = odoo_sim::serve(seed, listener).await;
    });
    url
}

/// `login-bridge --config CONFIG ARGS…` in `dir` with exactly the environment `envs`:
/// (exit code, stdout, stderr).
pub fn run_cli(dir: &Path, config: &Path, envs: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let output = std::process::Command::new(BIN)
        .env_clear()
        .current_dir(dir)
        .envs(envs.iter().copied())
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .expect("run login-bridge");
    (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// `login-bridge setup --odoo acme`: Odoo learns about the bridge (the provider record its
/// signin needs). Panics with the output when it fails.
pub fn run_setup(dir: &Path, config: &Path, envs: &[(&str, &str)]) {
    let (code, stdout, stderr) = run_cli(dir, config, envs, &["setup", "--odoo", "acme"]);
    assert_eq!(code, Some(0), "setup failed:\n{stdout}\n{stderr}");
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

pub fn is_signin(url: &Url) -> bool {
    url.path().ends_with("/auth_oauth/signin")
}

/// The access token a signin URL carries (in the fragment for Odoo-initiated logins, the query otherwise).
pub fn access_token(signin: &Url) -> String {
    let pairs = format!("{}&{}", signin.query().unwrap_or(""), signin.fragment().unwrap_or(""));
    url::form_urlencoded::parse(pairs.as_bytes()).find(|(k, _)| k == "access_token").map(|(_, v)| v.into_owned()).expect("the signin URL carries an access_token")
}
