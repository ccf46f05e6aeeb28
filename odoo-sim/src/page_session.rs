// Owns: the session side effects of plain HTTP routes (fresh anonymous cookie, logout-and-rotate,
// redirect to the login page). Must never be used by JSON-RPC routes: they never log out.

use crate::responses::Reply;
use crate::sessions::{cids_clear_cookie, session_cookie, CookieSession};
use crate::state::World;
use crate::urlcodec::url_encode;
use axum::http::HeaderValue;

/// Odoo saves a brand-new session (and sends its cookie) when the request had none stored.
pub fn anonymous_cookie(world: &mut World, cs: &CookieSession) -> Option<HeaderValue> {
    match cs {
        CookieSession::Absent | CookieSession::Unknown(_) => {
            Some(session_cookie(&world.sessions.create_anonymous()))
        }
        _ => None,
    }
}

/// `session.logout()` + rotation: the stored session is gone for good, the browser gets `cids`
/// cleared and a new anonymous session cookie (file 54).
pub fn logout_and_rotate(world: &mut World, cs: &CookieSession) -> Vec<HeaderValue> {
    if let Some(sid) = cs.stored_sid() {
        world.sessions.delete(sid);
    }
    let sid = world.sessions.create_anonymous();
    vec![cids_clear_cookie(), session_cookie(&sid)]
}

/// `/web/login?redirect=<full_path>` as `redirect_query` builds it.
pub fn login_url_for(full_path: &str) -> String {
    format!("/web/login?{}", url_encode(&[("redirect", full_path)]))
}

/// The answer of a page that needs a logged-in user and has none (or a stale one).
pub fn require_login(world: &mut World, cs: &CookieSession, full_path: &str) -> Reply {
    let location = login_url_for(full_path);
    match cs {
        CookieSession::Stale { .. } => {
            let cookies = logout_and_rotate(world, cs);
            cookies.into_iter().fold(Reply::redirect(&location), Reply::cookie)
        }
        _ => Reply::redirect(&location).cookie_opt(anonymous_cookie(world, cs)),
    }
}
