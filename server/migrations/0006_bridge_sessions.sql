-- Sessions of the bridge's own pages (`/account`, `/admin`): one row per person signed in to
-- them through a provider. Only the SHA-256 of the cookie's random id is kept, so a copy of the
-- store opens no session. `page` says what the session is for (JSON: the account page of one
-- Odoo, or the admin dashboard); a session for one never opens the other. Unix seconds.
CREATE TABLE bridge_sessions (
    id_hash          TEXT PRIMARY KEY NOT NULL,
    page             TEXT NOT NULL,
    provider_id      TEXT NOT NULL,
    upstream_subject TEXT NOT NULL,
    email            TEXT,
    email_verified   BIGINT NOT NULL,
    odoo_user_id     BIGINT,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL
);
CREATE INDEX bridge_sessions_expires ON bridge_sessions (expires_at);
