//! `[audit]`: how long the audit log (who signed in, was refused, revoked) is kept.
//! It must never delete a row younger than `retention_days`.

use serde::Deserialize;

/// `[audit]` as written by the admin.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct AuditFile {
    /// Days a row is kept before the periodic purge deletes it (default 90; 0 = forever).
    retention_days: u32,
}

impl Default for AuditFile {
    fn default() -> Self {
        Self { retention_days: AuditConfig::default().retention_days }
    }
}

/// How long audit rows live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditConfig {
    /// Rows older than this many days are deleted by the purge every minute; 0 = kept forever.
    pub retention_days: u32,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self { retention_days: 90 }
    }
}

pub(super) fn parse_audit(file: AuditFile) -> AuditConfig {
    AuditConfig { retention_days: file.retention_days }
}
