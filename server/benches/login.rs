//! Server time of one whole Odoo-initiated login, driven through the bridge's axum router
//! in-process: `GET /odoo/authorize/{provider}` → (the browser at the provider) →
//! `GET /callback/{provider}` → `GET /odoo/tokeninfo`, against the honest in-process OpenID
//! provider of the RP tests (`tests/hostile/`) and the Odoo simulator.
//!
//! Criterion times the three bridge requests (the callback includes the bridge's calls to the
//! provider's token endpoint and to Odoo, as in production); the browser's visit to the provider
//! is not timed. A second pass splits CPU time per login between the bridge and the two upstream
//! servers, which run on runtimes of their own, so the bridge's own share can be told apart.
//! The result goes to `target/bench/login.json` (`make bench` prints it).
//!
//! `cargo bench -p login-bridge --bench login` (LOGIN_BENCH_QUICK=1 for a short run).

// The RP tests' provider (and the raw front it refers to as `super::front`), unchanged.
#[allow(dead_code, unused_imports)]
#[path = "../tests/hostile/front.rs"]
mod front;
#[allow(dead_code, unused_imports)]
#[path = "../tests/hostile/idp.rs"]
mod idp;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{header, HeaderMap, Request, StatusCode},
};
use criterion::Criterion;
use idp::HostileIdp;
use http_body_util::BodyExt;
use login_bridge::{
    bridge::{AppState, Bridge},
    config::Config,
};
use serde_json::{json, Value};
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use tower::ServiceExt;

const PROVIDER: &str = "hostile";
const ODOO_ID: &str = "acme";
const RECORD: i64 = 4;
const ALICE: i64 = 6;
/// Nothing listens here: requests go to the router in-process, and the provider's redirects
/// back to the bridge are read from `Location` headers.
const PUBLIC_URL: &str = "http://127.0.0.1:3999";

// ---------------------------------------------------------------------------------------------
// CPU time per thread group

/// CPU clocks of the threads of one upstream runtime (registered as each thread starts).
#[derive(Clone, Default)]
struct ThreadClocks(Arc<Mutex<Vec<libc::clockid_t>>>);

impl ThreadClocks {
    fn register_current(&self) {
        let mut clock: libc::clockid_t = 0;
        // SAFETY: pthread_self() is the calling thread, and `clock` is a valid out-pointer.
        if unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut clock) } == 0 {
            self.0.lock().unwrap_or_else(|e| e.into_inner()).push(clock);
        }
    }

    /// CPU time these threads used so far.
    fn total(&self) -> Duration {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|&clock| cpu_time(clock)).sum()
    }
}

fn cpu_time(clock: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid out-pointer; an invalid clock only makes the call fail.
    if unsafe { libc::clock_gettime(clock, &mut ts) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn process_cpu() -> Duration {
    cpu_time(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn runtime(name: &str, workers: usize, clocks: Option<ThreadClocks>) -> tokio::runtime::Runtime {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.worker_threads(workers).thread_name(name).enable_all();
    if let Some(clocks) = clocks {
        builder.on_thread_start(move || clocks.register_current());
    }
    builder.build().expect("tokio runtime")
}

// ---------------------------------------------------------------------------------------------
// The world: provider and Odoo on their own runtimes, the bridge's router in-process

struct World {
    app: axum::Router,
    idp_rt: tokio::runtime::Runtime,
    /// Kept alive: the Odoo simulator runs on it.
    _odoo_rt: tokio::runtime::Runtime,
    idp_clocks: ThreadClocks,
    odoo_clocks: ThreadClocks,
    /// The "browser" at the provider; lives on the provider's runtime so its work counts there.
    browser: reqwest::Client,
    odoo_url: String,
    _bridge: Arc<Bridge>,
    _idp: HostileIdp,
    _dir: tempfile::TempDir,
}

fn seed() -> Value {
    json!({
        "version": "18.0",
        "database": "acme",
        "dbfilter": "^acme$",
        "signup": "b2b",
        "users": [
            {"id": 2, "login": "admin", "email": "admin@example.com", "name": "Administrator", "share": false, "password": "admin", "api_keys": ["sim-admin-api-key"], "admin": true},
            {"id": ALICE, "login": "alice@example.com", "email": "alice@example.com", "name": "Alice Example", "share": false, "password": "alice"}
        ],
        "groups": [],
        "providers": [{
            "id": RECORD, "name": "Hostile OP via Login Bridge", "enabled": true, "client_id": ODOO_ID,
            "auth_endpoint": format!("{PUBLIC_URL}/odoo/authorize/{PROVIDER}"),
            "validation_endpoint": format!("{PUBLIC_URL}/odoo/tokeninfo"),
            "data_endpoint": false, "scope": "openid profile email",
            "body": "Sign in with Hostile OP", "css_class": "fa fa-fw fa-sign-in", "sequence": 10
        }],
        "config_parameters": {"auth_oauth.authorization_header": "1"},
        "modules": {"auth_oauth": "installed", "auth_signup": "installed"}
    })
}

impl World {
    fn start(bridge_rt: &tokio::runtime::Runtime) -> World {
        let idp_clocks = ThreadClocks::default();
        let odoo_clocks = ThreadClocks::default();
        let idp_rt = runtime("upstream-idp", 1, Some(idp_clocks.clone()));
        let odoo_rt = runtime("upstream-odoo", 1, Some(odoo_clocks.clone()));

        let idp = idp_rt.block_on(HostileIdp::start(&format!("{PUBLIC_URL}/callback/{PROVIDER}")));
        let browser = idp_rt.block_on(async {
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().build().expect("client")
        });
        let odoo_url = odoo_rt.block_on(async {
            let seed: odoo_sim::Seed = serde_json::from_value(seed()).expect("seed parses");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind odoo");
            let url = format!("http://{}", listener.local_addr().expect("odoo address"));
            tokio::spawn(async move {
                let _ = odoo_sim::serve(seed, listener).await;
            });
            url
        });

        let dir = tempfile::tempdir().expect("tempdir");
        // Limits as in production, raised so that thousands of logins from one address pass;
        // tokeninfo admits only the Odoo server's address, which the requests below carry.
        let text = format!(
            "public_url = \"{PUBLIC_URL}\"\nlisten = \"127.0.0.1:3999\"\n\n\
             [store]\nurl = \"sqlite://{db}\"\n\n\
             [limits]\nper_ip_per_minute = 60000000\nburst = 1000000\ntokeninfo_per_minute = 60000000\ntokeninfo_burst = 1000000\n\n\
             [[odoo]]\nid = \"{ODOO_ID}\"\nurl = \"{odoo_url}\"\ndatabase = \"acme\"\napi_login = \"admin\"\napi_key_env = \"ODOO_KEY\"\n\
             tokeninfo_allowed_ips = [\"127.0.0.1\"]\n\n\
             [[provider]]\nid = \"{PROVIDER}\"\nkind = \"oidc\"\ndisplay_name = \"Hostile OP\"\nclient_id = \"{client}\"\n\
             client_secret_env = \"IDP_SECRET\"\nissuer = \"{issuer}\"\n",
            db = dir.path().join("bridge.db").display(),
            client = idp.inner.client_id,
            issuer = idp.issuer(),
        );
        let secret = idp.inner.client_secret.clone();
        let env = move |name: &str| match name {
            "ODOO_KEY" => Some("sim-admin-api-key".to_string()),
            "IDP_SECRET" => Some(secret.clone()),
            _ => None,
        };
        let config = Config::parse(&text, Path::new("bench.toml"), dir.path(), &env).unwrap_or_else(|e| panic!("bench config: {e}\n{text}"));
        let bridge = bridge_rt.block_on(async {
            let bridge = Bridge::start(config).await.unwrap_or_else(|e| panic!("the bridge does not start: {e}"));
            bridge.upstreams.discover_all().await;
            bridge
        });
        let site_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site");
        let leptos_options = leptos::config::LeptosOptions::builder()
            .output_name("login-bridge")
            .site_root(site_root.display().to_string())
            .build();
        let app = login_bridge::http::router(AppState { bridge: bridge.clone(), leptos_options });
        World { app, idp_rt, _odoo_rt: odoo_rt, idp_clocks, odoo_clocks, browser, odoo_url, _bridge: bridge, _idp: idp, _dir: dir }
    }

    /// One request through the router as if it came from 127.0.0.1 (Odoo's server, a browser).
    async fn bridge(&self, uri: &str, headers: &[(header::HeaderName, String)]) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let mut request = request.body(Body::empty()).expect("request");
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 45678))));
        let response = self.app.clone().oneshot(request).await.expect("router answers");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes().to_vec();
        (parts.status, parts.headers, bytes)
    }

    /// The browser at the provider (auto-approves): returns where it sends the browser back.
    async fn at_provider(&self, url: String) -> String {
        let browser = self.browser.clone();
        let location = self
            .idp_rt
            .spawn(async move {
                let response = browser.get(&url).send().await.expect("provider authorize");
                assert_eq!(response.status().as_u16(), 302, "the provider must redirect back");
                location(response.headers())
            })
            .await
            .expect("provider task");
        location
    }

    /// One login; the time spent in each of the three bridge requests.
    async fn login(&self) -> Steps {
        let state = json!({"d": "acme", "p": RECORD, "r": format!("{}/odoo", self.odoo_url)}).to_string();
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "token")
            .append_pair("client_id", ODOO_ID)
            .append_pair("redirect_uri", &format!("{}/auth_oauth/signin", self.odoo_url))
            .append_pair("scope", "openid profile email")
            .append_pair("state", &state)
            .finish();

        let t0 = Instant::now();
        let (status, headers, _) = self.bridge(&format!("/odoo/authorize/{PROVIDER}?{query}"), &[]).await;
        let authorize = t0.elapsed();
        assert_eq!(status, StatusCode::SEE_OTHER, "authorize must send the browser to the provider");
        let cookie = headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.split(';').next().filter(|c| c.starts_with("lb_flow=")).map(str::to_string))
            .expect("flow cookie");

        let back = self.at_provider(location(&headers)).await;
        let callback_uri = back.strip_prefix(PUBLIC_URL).expect("back to the bridge").to_string();

        let t1 = Instant::now();
        let (status, headers, body) = self.bridge(&callback_uri, &[(header::COOKIE, cookie)]).await;
        let callback = t1.elapsed();
        assert_eq!(status, StatusCode::SEE_OTHER, "callback must hand the token to Odoo: {}", String::from_utf8_lossy(&body));
        let signin = location(&headers);
        let fragment = signin.split_once('#').map(|(_, f)| f).expect("implicit-flow fragment");
        let token = url::form_urlencoded::parse(fragment.as_bytes())
            .find(|(k, _)| k == "access_token")
            .map(|(_, v)| v.into_owned())
            .expect("access_token");

        let t2 = Instant::now();
        let (status, _, body) = self.bridge("/odoo/tokeninfo", &[(header::AUTHORIZATION, format!("Bearer {token}"))]).await;
        let tokeninfo = t2.elapsed();
        assert_eq!(status, StatusCode::OK, "tokeninfo must accept a fresh token: {}", String::from_utf8_lossy(&body));
        Steps { authorize, callback, tokeninfo }
    }
}

fn location(headers: &HeaderMap) -> String {
    headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).expect("Location").to_string()
}

#[derive(Default, Clone, Copy)]
struct Steps {
    authorize: Duration,
    callback: Duration,
    tokeninfo: Duration,
}

impl Steps {
    fn total(&self) -> Duration {
        self.authorize + self.callback + self.tokeninfo
    }
    fn add(&mut self, other: Steps) {
        self.authorize += other.authorize;
        self.callback += other.callback;
        self.tokeninfo += other.tokeninfo;
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

// ---------------------------------------------------------------------------------------------

fn main() {
    // As `login-bridge serve` logs (info, one line per login), minus the terminal.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
        .with_writer(std::io::sink)
        .try_init();
    let quick = std::env::var_os("LOGIN_BENCH_QUICK").is_some();
    let workspace_target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target");
    let workspace_target = workspace_target.canonicalize().unwrap_or(workspace_target);
    let bridge_rt = runtime("bridge", 2, None);
    let world = World::start(&bridge_rt);

    // One login first: links Alice (later logins find the link, as every login after the first does).
    bridge_rt.block_on(world.login());

    let mut criterion = Criterion::default()
        .output_directory(&workspace_target.join("criterion"))
        .sample_size(if quick { 10 } else { 50 })
        .warm_up_time(Duration::from_secs(if quick { 1 } else { 3 }))
        .measurement_time(Duration::from_secs(if quick { 3 } else { 15 }))
        .configure_from_args();
    let mut group = criterion.benchmark_group("login");
    group.bench_function("full", |b| {
        b.iter_custom(|iters| {
            bridge_rt.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    total += world.login().await.total();
                }
                total
            })
        })
    });
    group.finish();
    criterion.final_summary();

    // Where the time goes: wall time per step, CPU time per thread group.
    let logins: u32 = if quick { 100 } else { 500 };
    let (idp0, odoo0, all0, wall0) = (world.idp_clocks.total(), world.odoo_clocks.total(), process_cpu(), Instant::now());
    let mut steps = Steps::default();
    bridge_rt.block_on(async {
        for _ in 0..logins {
            steps.add(world.login().await);
        }
    });
    let wall = wall0.elapsed();
    let idp_cpu = world.idp_clocks.total() - idp0;
    let odoo_cpu = world.odoo_clocks.total() - odoo0;
    let bridge_cpu = (process_cpu() - all0).saturating_sub(idp_cpu + odoo_cpu);
    let per = |d: Duration| ms(d) / f64::from(logins);

    let estimates = |id: &str| -> Option<Value> {
        let path = workspace_target.join("criterion").join(id).join("new/estimates.json");
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
    };
    let point_ms = |e: &Value, key: &str| e[key]["point_estimate"].as_f64().map(|ns| ns / 1e6);
    let ci_ms = |e: &Value, key: &str| {
        json!([e[key]["confidence_interval"]["lower_bound"].as_f64().map(|ns| ns / 1e6), e[key]["confidence_interval"]["upper_bound"].as_f64().map(|ns| ns / 1e6)])
    };
    let full = estimates("login/full").unwrap_or(Value::Null);
    let result = json!({
        "name": "login",
        "what": "one Odoo-initiated login through the bridge's router in-process: /odoo/authorize/{provider} + /callback/{provider} + /odoo/tokeninfo; the callback includes the bridge's calls to the provider's token endpoint and to Odoo (JSON-RPC); the browser's visit to the provider is not timed",
        "criterion": {
            "id": "login/full",
            "mean_ms": point_ms(&full, "mean"),
            "mean_ci95_ms": ci_ms(&full, "mean"),
            "median_ms": point_ms(&full, "median"),
            "median_ci95_ms": ci_ms(&full, "median"),
            "std_dev_ms": point_ms(&full, "std_dev"),
            "estimates": workspace_target.join("criterion/login/full/new/estimates.json").display().to_string(),
        },
        "breakdown": {
            "logins": logins,
            "wall_ms_per_login": per(wall),
            "step_wall_ms": {
                "authorize": per(steps.authorize),
                "callback": per(steps.callback),
                "tokeninfo": per(steps.tokeninfo),
                "bridge_requests_total": per(steps.total()),
            },
            "cpu_ms_per_login": {
                "bridge": per(bridge_cpu),
                "provider": per(idp_cpu),
                "odoo_sim": per(odoo_cpu),
            },
            "note": "CPU time from per-thread clocks: the provider and the Odoo simulator run on runtimes of their own; everything else in the process (the router, its store and its HTTP clients) is the bridge's",
        },
    });
    let out = workspace_target.join("bench");
    std::fs::create_dir_all(&out).expect("target/bench");
    std::fs::write(out.join("login.json"), format!("{result:#}\n")).expect("write login.json");
    println!(
        "login: criterion mean {:.3} ms, median {:.3} ms; bridge CPU {:.3} ms, provider CPU {:.3} ms, Odoo CPU {:.3} ms per login (→ target/bench/login.json)",
        point_ms(&full, "mean").unwrap_or(f64::NAN),
        point_ms(&full, "median").unwrap_or(f64::NAN),
        per(bridge_cpu),
        per(idp_cpu),
        per(odoo_cpu)
    );
    drop(world);
    bridge_rt.shutdown_timeout(Duration::from_secs(1));
}
