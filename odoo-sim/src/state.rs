// Owns: the shared simulator state behind one mutex (database + sessions) and the log of outgoing
// validation calls. Must never be locked across an `.await`: take what you need, then release.

use crate::db::Database;
use crate::seed::Seed;
use crate::sessions::SessionStore;
use crate::token_validation::ValidationRecord;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Database and sessions change together (a token write kills sessions), so they share a lock.
#[derive(Debug)]
pub struct World {
    pub db: Database,
    pub sessions: SessionStore,
}

pub struct Sim {
    world: Mutex<World>,
    validation_log: Mutex<Vec<ValidationRecord>>,
    /// The "python-requests" client for validation calls: no redirects, 10 s timeout.
    pub http: reqwest::Client,
}

pub type SharedSim = Arc<Sim>;

impl Sim {
    pub fn new(seed: &Seed) -> Result<Sim, String> {
        let db = Database::from_seed(seed)?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .no_proxy()
            .http1_title_case_headers()
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Sim {
            world: Mutex::new(World { db, sessions: SessionStore::default() }),
            validation_log: Mutex::new(Vec::new()),
            http,
        })
    }

    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn log_validation(&self, record: ValidationRecord) {
        self.validation_log.lock().unwrap_or_else(|p| p.into_inner()).push(record);
    }

    pub fn validation_log(&self) -> Vec<ValidationRecord> {
        self.validation_log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn clear_validation_log(&self) {
        self.validation_log.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}
