-- Short-lived rows (requests, flows, tokens) carry expires_at (unix seconds) and are purged
-- after it; identity links live until an admin removes them.

-- An Odoo-initiated request waiting for the person to pick a provider.
CREATE TABLE odoo_requests (
    id_hash     TEXT PRIMARY KEY NOT NULL,
    data        TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- An upstream login in progress, keyed by the hash of its `state`.
CREATE TABLE pending_flows (
    state_hash  TEXT PRIMARY KEY NOT NULL,
    provider_id TEXT NOT NULL,
    data        TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- Tokens handed to Odoo, stored only as a SHA-256 hash; used_at makes them single use.
CREATE TABLE issued_tokens (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    odoo_id     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    email       TEXT,
    name        TEXT,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);

-- Which upstream identity reaches which Odoo user, and the subject Odoo knows them by.
CREATE TABLE identity_links (
    provider_id      TEXT NOT NULL,
    upstream_subject TEXT NOT NULL,
    odoo_id          TEXT NOT NULL,
    odoo_user_id     INTEGER NOT NULL,
    bridge_subject   TEXT NOT NULL,
    email            TEXT,
    created_at       INTEGER NOT NULL,
    last_login_at    INTEGER NOT NULL,
    PRIMARY KEY (provider_id, upstream_subject, odoo_id)
);

CREATE INDEX odoo_requests_expiry ON odoo_requests (expires_at);
CREATE INDEX pending_flows_expiry ON pending_flows (expires_at);
CREATE INDEX issued_tokens_expiry ON issued_tokens (expires_at);
