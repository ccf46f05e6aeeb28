//! The running bridge: configuration plus the long-lived clients every request shares.
//! It must never be mutated after start (a reload builds a new one: `reload`); per-request
//! state lives in the store.

use crate::{
    config::Config,
    odoo::{OdooClient, OdooError},
    store::{Store, StoreError},
    upstream::{UpstreamError, Upstreams},
};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::{collections::HashMap, sync::Arc};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    #[error(transparent)]
    Odoo(#[from] OdooError),
}

pub struct Bridge {
    pub config: Config,
    pub store: Store,
    pub upstreams: Upstreams,
    pub odoo: HashMap<String, OdooClient>,
}

impl Bridge {
    pub async fn start(config: Config) -> Result<Arc<Self>, StartError> {
        let store = Store::open(&config.store).await?;
        Self::with_store(config, store)
    }

    /// A bridge on an open store: how a reload keeps every flow in progress (`reload`).
    pub fn with_store(config: Config, store: Store) -> Result<Arc<Self>, StartError> {
        let upstreams = Upstreams::new(&config)?;
        let odoo = config
            .odoo
            .iter()
            .map(|o| OdooClient::new(o.clone()).map(|c| (o.id.clone(), c)))
            .collect::<Result<HashMap<_, _>, _>>()?;
        Ok(Arc::new(Self { config, store, upstreams, odoo }))
    }

    pub fn odoo(&self, id: &str) -> Option<&OdooClient> {
        self.odoo.get(id)
    }

    /// The Odoo a link means: the named one, or the only one configured.
    pub fn odoo_or_default(&self, id: Option<&str>) -> Option<&OdooClient> {
        match id {
            Some(id) => self.odoo(id),
            None if self.config.odoo.len() == 1 => self.config.odoo.first().and_then(|o| self.odoo(&o.id)),
            None => None,
        }
    }
}

/// Axum state: the bridge and Leptos' options (which the file handler needs).
#[derive(Clone, FromRef)]
pub struct AppState {
    pub bridge: Arc<Bridge>,
    pub leptos_options: LeptosOptions,
}
