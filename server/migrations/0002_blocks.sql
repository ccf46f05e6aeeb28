-- Odoo users an admin blocked from signing in through the bridge (`login-bridge users block`).
-- The block is on (odoo_id, odoo_user_id); login is kept only so `users list` can name them.
CREATE TABLE blocked_users (
    odoo_id      TEXT NOT NULL,
    odoo_user_id INTEGER NOT NULL,
    login        TEXT NOT NULL,
    reason       TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (odoo_id, odoo_user_id)
);

-- Explicit links (`login-bridge users link`) are written with last_login_at = 0: never used yet.
CREATE INDEX identity_links_user ON identity_links (odoo_id, odoo_user_id);
