//! The store: it opens, this process may write to it, and its schema is the one this binary
//! expects. Never migrates and leaves nothing behind, so a running bridge is not disturbed.

use super::Check;
use crate::{
    config::{Config, StoreBackend},
    store::{
        inspect::{Inspection, MigrationStatus},
        StoreError,
    },
};
use std::time::Duration;

pub const SCOPE: &str = "store";
const OPEN_TIMEOUT: Duration = Duration::from_secs(10);

fn versions(list: &[i64]) -> String {
    list.iter().map(|v| format!("{v:04}")).collect::<Vec<_>>().join(", ")
}

pub async fn check(config: &Config) -> Vec<Check> {
    let backend = &config.store.backend;
    let described = backend.describe();
    if let StoreBackend::Sqlite { path } = backend {
        // Opening would create the file; before the first `serve` there is nothing to check.
        if !path.exists() {
            return vec![
                Check::ok(SCOPE, "opens", format!("{described} does not exist yet: `login-bridge serve` creates it (and its folder) at first start")),
                Check::skipped(SCOPE, "writable", "the store does not exist yet"),
                Check::skipped(SCOPE, "migrations", "the store does not exist yet"),
            ];
        }
    }
    // A PostgreSQL host that drops packets would hold the first connection for the OS's TCP
    // timeout (minutes).
    let opened = tokio::time::timeout(OPEN_TIMEOUT, Inspection::open(&config.store))
        .await
        .unwrap_or_else(|_| Err(StoreError::Open { store: described.clone(), reason: format!("no answer within {} s", OPEN_TIMEOUT.as_secs()) }));
    let inspection = match opened {
        Ok(i) => i,
        Err(e) => {
            let fix = match backend {
                StoreBackend::Sqlite { .. } => "check `[store] url` and that this user may read and write the file and its folder".to_string(),
                StoreBackend::Postgres { .. } => "check `[store] url` (and `password_env` / `password_file`), that PostgreSQL runs, that this machine reaches it and that the database exists".to_string(),
            };
            return vec![
                Check::error(SCOPE, "opens", e.to_string(), fix),
                Check::skipped(SCOPE, "writable", "the store does not open"),
                Check::skipped(SCOPE, "migrations", "the store does not open"),
            ];
        }
    };
    let mut checks = vec![Check::ok(SCOPE, "opens", format!("{described} opens"))];
    let status = inspection.migrations().await;
    let schema_ready = status.as_ref().is_ok_and(|s| s.applied > 0 && s.pending.is_empty() && s.unknown.is_empty());
    checks.push(match inspection.probe_write(schema_ready).await {
        Ok(()) => Check::ok(SCOPE, "writable", "a probe write succeeded (and was rolled back)"),
        Err(e) => Check::error(
            SCOPE,
            "writable",
            format!("the store refuses writes: {e}"),
            match backend {
                StoreBackend::Sqlite { path } => format!("let the user running the bridge write {} and its folder (the -wal and -shm files live next to it)", path.display()),
                StoreBackend::Postgres { .. } => "grant the bridge's database user INSERT, UPDATE, DELETE (and CREATE for migrations) on its tables".to_string(),
            },
        ),
    });
    checks.push(match status {
        Ok(status) => migrations(&status),
        Err(e) => Check::error(SCOPE, "migrations", format!("cannot read the applied migrations: {e}"), "check the store's permissions; `login-bridge serve` reports the same error at start"),
    });
    inspection.close().await;
    checks
}

fn migrations(s: &MigrationStatus) -> Check {
    let check = "migrations";
    if let Some(version) = s.dirty {
        return Check::error(
            SCOPE,
            check,
            format!("migration {version:04} failed half-way; the bridge will not start on this store"),
            "restore the store from a backup taken before the upgrade, or repair it by hand and delete that row of _sqlx_migrations",
        );
    }
    if !s.unknown.is_empty() {
        return Check::error(
            SCOPE,
            check,
            format!("the store has migration(s) {} that this binary does not know: a newer login-bridge set it up, and this one refuses to start on it", versions(&s.unknown)),
            "run the newer login-bridge release (or restore a backup made for this one)",
        );
    }
    if !s.changed.is_empty() {
        return Check::error(
            SCOPE,
            check,
            format!("migration(s) {} differ from the ones this store applied (checksum): the binary was built from modified migrations", versions(&s.changed)),
            "use an official login-bridge release for this store",
        );
    }
    if s.applied == 0 {
        return Check::ok(SCOPE, check, format!("the store is empty: `login-bridge serve` creates its tables ({} migrations) at first start", s.embedded));
    }
    if !s.pending.is_empty() {
        return Check::warning(
            SCOPE,
            check,
            format!("migration(s) {} are not applied yet: an older login-bridge made this store", versions(&s.pending)),
            "start this release's `login-bridge serve` (it applies them at start); stop older bridges sharing this store first, they do not know the new schema",
        );
    }
    Check::ok(SCOPE, check, format!("all {} migrations are applied", s.applied))
}
