//! A fresh PostgreSQL database per test, so PostgreSQL tests run in parallel and start empty.
//! The server comes from LOGIN_BRIDGE_TEST_POSTGRES_URL (`make postgres` starts one and the
//! Makefile exports it); without it a PostgreSQL test fails, never skips.

use rand::Rng;
use sqlx::{Connection, Executor, PgConnection};
use url::Url;

pub const ENV: &str = "LOGIN_BRIDGE_TEST_POSTGRES_URL";

/// The admin URL (a role with CREATEDB), or a failure that says how to get one.
pub fn server_url() -> String {
    match std::env::var(ENV) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "{ENV} is not set, so the PostgreSQL tests cannot run. Run `make postgres` (installs and starts a local \
             PostgreSQL on 127.0.0.1) and run the tests through make (`make unit`), or export \
             {ENV}=postgres://login_bridge_test:lb-test-pw-7Hq2@127.0.0.1:5432/postgres"
        ),
    }
}

/// A database created for one test and dropped (with any connection still open) when dropped.
pub struct TestDb {
    /// `postgres://…/lb_test_…`: what the bridge's `[store] url` gets.
    pub url: String,
    server: String,
    pub name: String,
}

impl TestDb {
    pub async fn create() -> Self {
        let server = server_url();
        let suffix: String = rand::thread_rng().sample_iter(rand::distributions::Alphanumeric).take(16).map(|c| char::from(c).to_ascii_lowercase()).collect();
        let name = format!("lb_test_{suffix}");
        let mut admin = PgConnection::connect(&server)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {ENV} ({e}); run `make postgres` to start the local PostgreSQL"));
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e} (the role needs CREATEDB; `make postgres` grants it)"));
        let _ = admin.close().await;
        let mut url = Url::parse(&server).unwrap_or_else(|e| panic!("{ENV} is not a URL: {e}"));
        url.set_path(&format!("/{name}"));
        Self { url: url.into(), server, name }
    }

    /// A plain connection to this database, for looking at what the bridge wrote.
    pub async fn connect(&self) -> PgConnection {
        PgConnection::connect(&self.url).await.unwrap_or_else(|e| panic!("connect to {}: {e}", self.name))
    }

    /// The test role's password (what a leak test looks for).
    pub fn password(&self) -> String {
        Url::parse(&self.url).ok().and_then(|u| u.password().map(str::to_string)).unwrap_or_default()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // Drop may run inside a runtime, which cannot block: a thread with its own runtime.
        // A few tries: WITH (FORCE) fails while an autovacuum worker it may not stop is in there.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                for _ in 0..20 {
                    if let Ok(mut admin) = PgConnection::connect(&server).await {
                        let done = admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.is_ok();
                        let _ = admin.close().await;
                        if done {
                            return Some(());
                        }
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                }
                None
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("note: could not drop test database {}", self.name);
        }
    }
}
