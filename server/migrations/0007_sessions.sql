-- Logout and session lifetime. `odoo_sessions`: the latest sign-in through the bridge per Odoo
-- user (each Odoo sign-in writes a new oauth_access_token, which already ends that user's older
-- session, so the latest one is the only one alive): when it happened (max_session_age), the
-- upstream identity and its session id (back-channel logout by `sid`), and the refresh token
-- kept for re-validation (only while the session lives; deleted when it ends).
CREATE TABLE odoo_sessions (
    odoo_id          TEXT NOT NULL,
    odoo_user_id     BIGINT NOT NULL,
    provider_id      TEXT NOT NULL,
    upstream_subject TEXT NOT NULL,
    upstream_sid     TEXT,
    email            TEXT,
    login_at         BIGINT NOT NULL,
    refresh_token    TEXT,
    revalidate_at    BIGINT,
    PRIMARY KEY (odoo_id, odoo_user_id)
);
CREATE INDEX odoo_sessions_subject ON odoo_sessions (provider_id, upstream_subject);
CREATE INDEX odoo_sessions_sid ON odoo_sessions (provider_id, upstream_sid);
CREATE INDEX odoo_sessions_login_at ON odoo_sessions (login_at);
CREATE INDEX odoo_sessions_revalidate_at ON odoo_sessions (revalidate_at);
-- The `jti` of every back-channel logout token accepted, until the token could no longer be
-- accepted anyway (its expiry): a replayed token finds its jti here and is refused.
CREATE TABLE logout_token_ids (
    provider_id TEXT NOT NULL,
    jti         TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    PRIMARY KEY (provider_id, jti)
);
CREATE INDEX logout_token_ids_expires_at ON logout_token_ids (expires_at);
