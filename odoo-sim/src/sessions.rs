// Owns: the server-side session store (sid → anonymous or authenticated session bound to the
// user's session-token fields) and the exact Set-Cookie shapes. Must never read HTTP bodies.

use crate::db::{Database, SessionToken};
use axum::http::{header, HeaderMap, HeaderValue};
use rand::Rng;
use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// Odoo's session lifetime (`get_session_max_inactivity`): 7 days.
pub const SESSION_MAX_AGE: u64 = 604_800;

#[derive(Debug, Clone)]
pub struct Session {
    /// `None` for an anonymous session.
    pub uid: Option<i64>,
    /// The user's session-token fields when the session was authenticated.
    pub token: Option<SessionToken>,
}

/// What a request's `session_id` cookie refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum CookieSession {
    /// No cookie at all.
    Absent,
    /// A cookie naming no stored session (expired, logged out, or made up).
    Unknown(String),
    Anonymous(String),
    /// Authenticated and its token still matches the user.
    Valid { sid: String, uid: i64 },
    /// Authenticated but the user's token fields changed (or the user is gone/archived).
    Stale { sid: String, uid: i64 },
}

impl CookieSession {
    /// The sid of a session that exists in the store.
    pub fn stored_sid(&self) -> Option<&str> {
        match self {
            CookieSession::Anonymous(s) => Some(s),
            CookieSession::Valid { sid, .. } | CookieSession::Stale { sid, .. } => Some(sid),
            CookieSession::Absent | CookieSession::Unknown(_) => None,
        }
    }
}

#[derive(Debug, Default)]
pub struct SessionStore {
    sessions: HashMap<String, Session>,
}

impl SessionStore {
    /// A new random sid: 40 URL-safe characters, like Odoo's `token_urlsafe(30)`.
    fn new_sid(&self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut rng = rand::thread_rng();
        loop {
            let sid: String =
                (0..40).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
            if !self.sessions.contains_key(&sid) {
                return sid;
            }
        }
    }

    pub fn create_anonymous(&mut self) -> String {
        let sid = self.new_sid();
        self.sessions.insert(sid.clone(), Session { uid: None, token: None });
        sid
    }

    pub fn create_authenticated(&mut self, uid: i64, token: SessionToken) -> String {
        let sid = self.new_sid();
        self.sessions.insert(sid.clone(), Session { uid: Some(uid), token: Some(token) });
        sid
    }

    pub fn delete(&mut self, sid: &str) {
        self.sessions.remove(sid);
    }

    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// Classifies the request's cookie against the store and the current user records
    /// (Odoo's `check_session`: the stored token must equal the user's current one).
    pub fn classify(&self, headers: &HeaderMap, db: &Database) -> CookieSession {
        let Some(sid) = cookie_value(headers, "session_id") else {
            return CookieSession::Absent;
        };
        let Some(session) = self.sessions.get(&sid) else {
            return CookieSession::Unknown(sid);
        };
        match (session.uid, &session.token) {
            (Some(uid), Some(token)) => {
                let current = db.active_user(uid).map(|u| u.session_token());
                if current.as_ref() == Some(token) {
                    CookieSession::Valid { sid, uid }
                } else {
                    CookieSession::Stale { sid, uid }
                }
            }
            _ => CookieSession::Anonymous(sid),
        }
    }
}

/// The value of cookie `name` in the request (last `Cookie` header wins, like Werkzeug).
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let mut found = None;
    for value in headers.get_all(header::COOKIE) {
        let Ok(text) = value.to_str() else { continue };
        for pair in text.split(';') {
            if let Some((k, v)) = pair.trim().split_once('=') {
                if k.trim() == name && !v.trim().is_empty() {
                    found = Some(v.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    found
}

fn http_date_in(seconds: u64) -> String {
    httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(seconds))
}

/// `session_id=<sid>; Expires=<now + 1 year>; Max-Age=604800; HttpOnly; Path=/` (as Odoo 18 sends it).
pub fn session_cookie(sid: &str) -> HeaderValue {
    let text = format!(
        "session_id={sid}; Expires={}; Max-Age={SESSION_MAX_AGE}; HttpOnly; Path=/",
        http_date_in(365 * 24 * 3600)
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("session_id=; Path=/"))
}

/// `cids=; Expires=<now + 1 year>; Max-Age=0; Path=/`, sent by Odoo's `_post_logout`.
pub fn cids_clear_cookie() -> HeaderValue {
    let text = format!("cids=; Expires={}; Max-Age=0; Path=/", http_date_in(365 * 24 * 3600));
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("cids=; Max-Age=0; Path=/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookie_has_odoo_shape() {
        let c = session_cookie("abc");
        let text = c.to_str().unwrap_or_default();
        assert!(text.starts_with("session_id=abc; Expires="));
        assert!(text.ends_with(" GMT; Max-Age=604800; HttpOnly; Path=/"));
    }

    #[test]
    fn cookie_value_finds_session_id() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("cids=1; session_id=xyz"));
        assert_eq!(cookie_value(&h, "session_id").as_deref(), Some("xyz"));
    }
}
