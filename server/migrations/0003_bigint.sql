-- Every integer column becomes BIGINT. To SQLite, INTEGER and BIGINT are the same 64-bit
-- storage; to PostgreSQL, INTEGER is 32 bits, too small for unix seconds after 2038 and not what
-- the bridge reads (i64). SQLite has no ALTER COLUMN, so each table is rebuilt the way both
-- engines understand: create the new table, copy, drop the old one, rename the new one. Files
-- 0001 and 0002 stay byte for byte as they were: sqlx keeps their checksums in every store made
-- before this one and refuses to open a store whose applied migrations changed.
-- (On PostgreSQL the primary keys keep the constraint names of the `_new` tables; nothing uses them.)

CREATE TABLE odoo_requests_new (
    id_hash     TEXT PRIMARY KEY NOT NULL,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
INSERT INTO odoo_requests_new (id_hash, data, expires_at)
    SELECT id_hash, data, expires_at FROM odoo_requests;
DROP TABLE odoo_requests;
ALTER TABLE odoo_requests_new RENAME TO odoo_requests;
CREATE INDEX odoo_requests_expiry ON odoo_requests (expires_at);

CREATE TABLE pending_flows_new (
    state_hash  TEXT PRIMARY KEY NOT NULL,
    provider_id TEXT NOT NULL,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
INSERT INTO pending_flows_new (state_hash, provider_id, data, expires_at)
    SELECT state_hash, provider_id, data, expires_at FROM pending_flows;
DROP TABLE pending_flows;
ALTER TABLE pending_flows_new RENAME TO pending_flows;
CREATE INDEX pending_flows_expiry ON pending_flows (expires_at);

CREATE TABLE issued_tokens_new (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    odoo_id     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    email       TEXT,
    name        TEXT,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
INSERT INTO issued_tokens_new (token_hash, odoo_id, subject, email, name, expires_at, used_at)
    SELECT token_hash, odoo_id, subject, email, name, expires_at, used_at FROM issued_tokens;
DROP TABLE issued_tokens;
ALTER TABLE issued_tokens_new RENAME TO issued_tokens;
CREATE INDEX issued_tokens_expiry ON issued_tokens (expires_at);

CREATE TABLE identity_links_new (
    provider_id      TEXT NOT NULL,
    upstream_subject TEXT NOT NULL,
    odoo_id          TEXT NOT NULL,
    odoo_user_id     BIGINT NOT NULL,
    bridge_subject   TEXT NOT NULL,
    email            TEXT,
    created_at       BIGINT NOT NULL,
    last_login_at    BIGINT NOT NULL,
    PRIMARY KEY (provider_id, upstream_subject, odoo_id)
);
INSERT INTO identity_links_new (provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email, created_at, last_login_at)
    SELECT provider_id, upstream_subject, odoo_id, odoo_user_id, bridge_subject, email, created_at, last_login_at FROM identity_links;
DROP TABLE identity_links;
ALTER TABLE identity_links_new RENAME TO identity_links;
CREATE INDEX identity_links_user ON identity_links (odoo_id, odoo_user_id);

CREATE TABLE blocked_users_new (
    odoo_id      TEXT NOT NULL,
    odoo_user_id BIGINT NOT NULL,
    login        TEXT NOT NULL,
    reason       TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (odoo_id, odoo_user_id)
);
INSERT INTO blocked_users_new (odoo_id, odoo_user_id, login, reason, created_at)
    SELECT odoo_id, odoo_user_id, login, reason, created_at FROM blocked_users;
DROP TABLE blocked_users;
ALTER TABLE blocked_users_new RENAME TO blocked_users;
