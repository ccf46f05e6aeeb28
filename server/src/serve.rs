//! `login-bridge serve`: binds `listen`, finds the site assets and runs until a signal.
//! It must never bind anywhere but the configured `listen` address.

use crate::{
    bridge::{Bridge, StartError},
    config::Config,
    reload::LiveBridge,
};
use leptos::config::LeptosOptions;
use std::{path::PathBuf, time::Duration};

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: std::net::SocketAddr, source: std::io::Error },
    #[error("the site assets are missing: {0} not found (build with `cargo leptos build --release`, or set LEPTOS_SITE_ROOT)")]
    SiteMissing(String),
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Where the compiled site (`pkg/` with CSS, JS, WASM) lives.
pub fn site_root() -> PathBuf {
    std::env::var_os("LEPTOS_SITE_ROOT").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("target/site"))
}

pub fn leptos_options(config: &Config) -> Result<LeptosOptions, ServeError> {
    let root = site_root();
    if !root.join("pkg").is_dir() {
        return Err(ServeError::SiteMissing(root.join("pkg").display().to_string()));
    }
    let options = LeptosOptions::builder()
        .output_name("login-bridge")
        .site_root(root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .build();
    Ok(crate::http::assets::with_hashed_names(options, &root))
}

/// `config_path` is read again on SIGHUP (`reload`).
pub async fn serve(config: Config, config_path: PathBuf) -> Result<(), ServeError> {
    let leptos_options = leptos_options(&config)?;
    for warning in config.warnings() {
        tracing::warn!("{warning}");
    }
    let listen = config.listen;
    let bridge = Bridge::start(config).await?;
    bridge.upstreams.spawn_discovery();
    let live = LiveBridge::new(bridge, leptos_options);
    spawn_purge(live.clone());
    spawn_session_jobs(live.clone());
    crate::reload::reload_on_sighup(live.clone(), config_path);
    let app = axum::Router::new().fallback_service(live.service());
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|source| ServeError::Bind { addr: listen, source })?;
    tracing::info!(%listen, "login-bridge listening");
    // The peer address is the client's unless it is a trusted proxy (http::client_ip).
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

/// Expired flows and tokens are deleted every minute so the tables stay small, and the capped
/// tables are counted again. A minute is enough: a request that finds its table at the cap
/// deletes expired rows itself (store::caps), so capacity comes back when rows expire, not at the
/// next purge. Audit rows older than `[audit] retention_days` go too. With several bridges on one
/// PostgreSQL each purges; the work is idempotent.
fn spawn_purge(live: std::sync::Arc<LiveBridge>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(60)).await;
            let bridge = live.bridge();
            match bridge.store.purge_expired().await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(rows = n, "purged expired rows"),
                Err(error) => tracing::warn!(%error, "purge failed"),
            }
            // `[audit] retention_days`: rows past it go on the same beat.
            match crate::audit::purge_old(&bridge).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "purged audit rows older than [audit] retention_days"),
                Err(error) => tracing::warn!(%error, "audit purge failed"),
            }
        }
    });
}

/// Every minute: `max_session_age` (odoo_sessions::expiry), upstream re-validation
/// (odoo_sessions::revalidate) and the logout-token ids that can no longer be replayed. With
/// several bridges on one PostgreSQL each runs them; ending a session twice is harmless. Each
/// round takes the configuration of the moment (a reload changes ages and schedules).
fn spawn_session_jobs(live: std::sync::Arc<LiveBridge>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(60)).await;
            let bridge = live.bridge();
            let now = crate::tokens::unix_now();
            if let Err(error) = crate::odoo_sessions::expiry::run_once(&bridge, now).await {
                tracing::warn!(%error, "max_session_age job failed");
            }
            if let Err(error) = crate::odoo_sessions::revalidate::run_once(&bridge, now).await {
                tracing::warn!(%error, "re-validation job failed");
            }
            if let Err(error) = bridge.store.purge_logout_jtis(now).await {
                tracing::warn!(%error, "purging logout token ids failed");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
