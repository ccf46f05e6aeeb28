//! Reloading the configuration on SIGHUP without dropping a login in progress.
//! Flows, tokens and links live in the store, which stays open across a reload, so a login
//! begun under the old configuration finishes under the new one; requests already running
//! finish on the bridge they started with. Secrets named by `*_file` are read again.
//! It must never leave the bridge half-reloaded: a configuration that does not load, or a
//! bridge that cannot be built from it, changes nothing and is reported.

use crate::{
    bridge::{AppState, Bridge, StartError},
    config::{Config, ConfigError},
};
use axum::{extract::Request, Router};
use leptos::config::LeptosOptions;
use std::{
    convert::Infallible,
    path::{Path, PathBuf},
    sync::{Arc, PoisonError, RwLock},
    time::Duration,
};
use tower::{Service, ServiceExt};

#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Start(#[from] StartError),
}

/// What a reload changed, for the log line an admin reads after `systemctl reload`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reloaded {
    pub odoo: usize,
    pub providers: usize,
    /// Settings that only a restart applies (`listen`, `[store]`): kept as they were.
    pub needs_restart: Vec<&'static str>,
}

/// Longest wait for the new configuration's OpenID providers to be discovered before it goes
/// live: a callback must not find its provider "still connecting" right after a reload.
const DISCOVERY_BEFORE_SWAP: Duration = Duration::from_secs(15);

/// The bridge and the router serving it, replaced together on reload.
pub struct LiveBridge {
    current: RwLock<(Arc<Bridge>, Router)>,
    leptos_options: LeptosOptions,
    /// Two SIGHUPs in a row reload one after the other, never interleaved.
    reloading: tokio::sync::Mutex<()>,
}

impl LiveBridge {
    pub fn new(bridge: Arc<Bridge>, leptos_options: LeptosOptions) -> Arc<Self> {
        let router = crate::http::router(AppState { bridge: bridge.clone(), leptos_options: leptos_options.clone() });
        Arc::new(Self { current: RwLock::new((bridge, router)), leptos_options, reloading: tokio::sync::Mutex::new(()) })
    }

    /// The bridge new work should use (background jobs take it afresh each round).
    pub fn bridge(&self) -> Arc<Bridge> {
        self.current.read().unwrap_or_else(PoisonError::into_inner).0.clone()
    }

    fn router(&self) -> Router {
        self.current.read().unwrap_or_else(PoisonError::into_inner).1.clone()
    }

    /// Every request goes to the router of the moment it arrives.
    pub fn service(self: &Arc<Self>) -> impl Service<Request, Response = axum::response::Response, Error = Infallible, Future = impl Send> + Clone + Send {
        let live = self.clone();
        tower::service_fn(move |request: Request| live.router().oneshot(request))
    }

    /// Loads `path` again and swaps the bridge in once its providers are discovered. The store
    /// (and with it every flow in progress) is kept; `listen` and `[store]` need a restart.
    pub async fn reload(&self, path: &Path) -> Result<Reloaded, ReloadError> {
        let _one_at_a_time = self.reloading.lock().await;
        let mut config = Config::load(path)?;
        let old = self.bridge();
        let mut needs_restart = Vec::new();
        if config.listen != old.config.listen {
            needs_restart.push("listen");
            config.listen = old.config.listen;
        }
        if config.store.backend != old.config.store.backend || config.store.caps != old.config.store.caps {
            needs_restart.push("[store]");
            config.store = old.config.store.clone();
        }
        let new = Bridge::with_store(config, old.store.clone())?;
        let _ = tokio::time::timeout(DISCOVERY_BEFORE_SWAP, new.upstreams.discover_all()).await;
        new.upstreams.spawn_discovery();
        let router = crate::http::router(AppState { bridge: new.clone(), leptos_options: self.leptos_options.clone() });
        let reloaded = Reloaded { odoo: new.config.odoo.len(), providers: new.config.providers.len(), needs_restart };
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = (new, router);
        old.upstreams.stop_discovery();
        Ok(reloaded)
    }
}

/// Reloads on every SIGHUP until the process ends; a failed reload keeps the running config.
pub fn reload_on_sighup(live: Arc<LiveBridge>, path: PathBuf) {
    #[cfg(unix)]
    tokio::spawn(async move {
        let mut hangups = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
            Ok(signal) => signal,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGHUP; reloading the configuration needs a restart");
                return;
            }
        };
        while hangups.recv().await.is_some() {
            match live.reload(&path).await {
                Ok(done) => {
                    tracing::info!(config = %path.display(), odoo = done.odoo, providers = done.providers, "configuration reloaded");
                    for setting in done.needs_restart {
                        tracing::warn!(setting, "this setting changed but only a restart applies it; still using the previous value");
                    }
                }
                Err(error) => tracing::error!(config = %path.display(), %error, "configuration not reloaded; still serving the previous one"),
            }
        }
    });
    #[cfg(not(unix))]
    let _ = (live, path);
}
