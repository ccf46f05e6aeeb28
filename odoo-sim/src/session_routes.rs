// Owns: the JSON routes about the browser session (get_session_info, authenticate, destroy,
// webclient version_info). Must never log a session out on a failed check: only HTTP pages do.

use crate::jsonrpc::{error_reply, parse_envelope, result_reply};
use crate::odoo_error::OdooError;
use crate::page_session::anonymous_cookie;
use crate::pyjson::Py;
use crate::request_url::url_root;
use crate::responses::Reply;
use crate::session_info::session_info;
use crate::sessions::{cids_clear_cookie, session_cookie, CookieSession};
use crate::state::SharedSim;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use serde_json::Value;

/// `POST /web/session/get_session_info` (auth='user'): session info and the cookie re-sent, or
/// code 100 "Odoo Session Expired" with `"id": null` — the stored session survives (file 52).
pub async fn get_session_info(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Reply {
    let call = match parse_envelope(&body) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let world = sim.world();
    match world.sessions.classify(&headers, &world.db) {
        CookieSession::Valid { sid, uid } => match world.db.users.get(&uid) {
            Some(user) => {
                let info = session_info(&world.db, user, &url_root(&headers, &uri));
                result_reply(call.id, info).cookie(session_cookie(&sid))
            }
            None => error_reply(Py::Null, &OdooError::SessionExpired),
        },
        _ => error_reply(Py::Null, &OdooError::SessionExpired),
    }
}

/// `POST /web/session/authenticate` {db, login, password}: password login over JSON-RPC.
pub async fn authenticate(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Reply {
    let call = match parse_envelope(&body) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let mut world = sim.world();
    let text = |k: &str| call.params.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let (db, login, password) = (text("db"), text("login"), text("password"));
    if db != world.db.name {
        return error_reply(call.id, &OdooError::AccessDenied);
    }
    let found = world
        .db
        .users
        .values()
        .find(|u| u.active && u.login == login && !password.is_empty() && u.password.as_deref() == Some(password.as_str()))
        .cloned();
    let Some(user) = found else {
        return error_reply(call.id, &OdooError::AccessDenied);
    };
    let cs = world.sessions.classify(&headers, &world.db);
    if let Some(old) = cs.stored_sid() {
        world.sessions.delete(old);
    }
    let sid = world.sessions.create_authenticated(user.id, user.session_token());
    let info = session_info(&world.db, &user, &url_root(&headers, &uri));
    result_reply(call.id, info).cookie(session_cookie(&sid))
}

/// `POST /web/session/destroy`: logs out, `result: null`.
pub async fn destroy(State(sim): State<SharedSim>, headers: HeaderMap, body: Bytes) -> Reply {
    let call = match parse_envelope(&body) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let mut world = sim.world();
    let cs = world.sessions.classify(&headers, &world.db);
    if let Some(old) = cs.stored_sid() {
        world.sessions.delete(old);
    }
    let sid = world.sessions.create_anonymous();
    result_reply(call.id, Py::Null).cookie(cids_clear_cookie()).cookie(session_cookie(&sid))
}

/// `POST /web/webclient/version_info` (auth='none'): version dict, new anonymous cookie (file 45).
pub async fn version_info(State(sim): State<SharedSim>, headers: HeaderMap, body: Bytes) -> Reply {
    let call = match parse_envelope(&body) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let mut world = sim.world();
    let cs = world.sessions.classify(&headers, &world.db);
    let version = world.db.version.version_dict();
    let cookie = anonymous_cookie(&mut world, &cs);
    result_reply(call.id, version).cookie_opt(cookie)
}
