-- The audit log: one row per thing that happened to someone's access (a login and its outcome,
-- a logout, a revocation, a session ended for its age, a refused re-validation, an unlink).
-- Rows are never updated; `[audit] retention_days` deletes the old ones. Times are Unix
-- milliseconds so the rows of one busy second keep their order.
CREATE TABLE audit_log (
    event_id         TEXT PRIMARY KEY NOT NULL,
    at_ms            BIGINT NOT NULL,
    kind             TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    odoo_id          TEXT,
    provider_id      TEXT,
    upstream_subject TEXT,
    email            TEXT,
    odoo_user_id     BIGINT,
    odoo_login       TEXT,
    reason           TEXT,
    ip               TEXT,
    correlation_id   TEXT,
    duration_ms      BIGINT
);
CREATE INDEX audit_log_at ON audit_log (at_ms);
CREATE INDEX audit_log_user ON audit_log (odoo_id, odoo_user_id);
CREATE INDEX audit_log_email ON audit_log (email);
