// Owns: the HTML pages a browser lands on after login (`/odoo`, `/web`, `/`, `/web/login_successful`)
// and `/web/session/logout`; each names the logged-in user. Must never answer JSON.

use crate::db::User;
use crate::page_session::{anonymous_cookie, logout_and_rotate, require_login};
use crate::request_url::{full_path, query_params, url_root};
use crate::responses::Reply;
use crate::session_info::{frontend_session_info, session_info};
use crate::sessions::{session_cookie, CookieSession};
use crate::state::SharedSim;
use crate::urlcodec::{first, html_escape, local_redirect, url_encode};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};

/// The visible line every logged-in page carries: `Logged in as Alice Example (alice@example.com)`.
pub fn user_line(user: &User) -> String {
    format!("Logged in as {} ({})", html_escape(&user.name), html_escape(&user.login))
}

fn webclient_page(user: &User, info_json: &str, path: &str) -> String {
    format!(
        "<!DOCTYPE html>
<html lang=\"en-US\">
    <head>
        <meta charset=\"utf-8\"/>
        <meta name=\"generator\" content=\"Odoo (odoo-sim)\"/>
        <title>Odoo</title>
        <script id=\"web.layout.odooscript\" type=\"text/javascript\">
            var odoo = {{
                debug: \"\",
            }};
        </script>
        <script type=\"text/javascript\">
            odoo.__session_info__ = {info_json};
        </script>
    </head>
    <body class=\"o_web_client\">
        <main class=\"o_sim_webclient\">
            <h1 class=\"o_sim_user\">{line}</h1>
            <p class=\"o_sim_path\">Path: <code>{path}</code></p>
            <p class=\"o_sim_note\">Odoo simulator (odoo-sim): this page stands for the Odoo web client.</p>
            <p><a class=\"o_sim_logout\" href=\"/web/session/logout\">Log out</a></p>
        </main>
    </body>
</html>
",
        line = user_line(user),
        path = html_escape(path),
    )
}

/// `web.login_successful` (file 66) plus the user's name.
fn login_successful_page(user: &User, frontend_info: &str) -> String {
    format!(
        "<!DOCTYPE html>
<html lang=\"en-US\">
    <head>
        <meta charset=\"utf-8\"/>
        <meta name=\"generator\" content=\"Odoo (odoo-sim)\"/>
        <title>Odoo</title>
        <script type=\"text/javascript\">var odoo = {{}};</script>
        <script type=\"text/javascript\">
            odoo.__session_info__ = {frontend_info};
            if (!/(^|;\\s)tz=/.test(document.cookie)) {{
                const userTZ = Intl.DateTimeFormat().resolvedOptions().timeZone;
                document.cookie = `tz=${{userTZ}}; path=/`;
            }}
        </script>
    </head>
    <body>
        <main>
            <div class=\"container py-5\">
            <div class=\"oe_login_form\">
            
            <script defer=\"defer\" type=\"text/javascript\">
                window.history.replaceState({{}}, null, '/web/login_successful');
            </script>
                <p>
                    You are logged in.
                </p>
                <div class=\"clearfix oe_login_buttons text-center mb-1 pt-3\">
                    <a class=\"btn btn-primary btn-block\" href=\"/web/session/logout\">Log out</a>
                </div>
            </div>
            <p class=\"o_sim_user\">{line}</p>
            </div>
        </main>
    </body>
</html>
",
        line = user_line(user),
    )
}

/// `/web`, `/odoo`, `/odoo/<path>`: the web client for internal users (X-Frame-Options: DENY),
/// `/web/login_successful` for portal users, the login page for everyone else.
pub async fn web_client(State(sim): State<SharedSim>, headers: HeaderMap, uri: Uri) -> Reply {
    let mut world = sim.world();
    if uri.path().starts_with("/odoo") && !world.db.version.has_odoo_routes() {
        return Reply::werkzeug_error(StatusCode::NOT_FOUND);
    }
    let cs = world.sessions.classify(&headers, &world.db);
    let CookieSession::Valid { sid, uid } = &cs else {
        return require_login(&mut world, &cs, &full_path(&uri));
    };
    let Some(user) = world.db.users.get(uid).cloned() else {
        return require_login(&mut world, &cs, &full_path(&uri));
    };
    let params = query_params(&uri);
    if uri.path() == "/web" {
        if let Some(r) = first(&params, "redirect").filter(|r| !r.is_empty()) {
            return Reply::redirect(&local_redirect(r)).cookie(session_cookie(sid));
        }
    }
    if !user.is_internal() {
        return Reply::redirect("/web/login_successful").cookie(session_cookie(sid));
    }
    let info = session_info(&world.db, &user, &url_root(&headers, &uri)).dumps_scriptsafe();
    let shown = match uri.query() {
        Some(q) => format!("{}?{q}", uri.path()),
        None => uri.path().to_string(),
    };
    Reply::html(webclient_page(&user, &info, &shown))
        .header(header::X_FRAME_OPTIONS, "DENY")
        .cookie(session_cookie(sid))
}

/// `GET /web/login_successful` (auth='user').
pub async fn login_successful(State(sim): State<SharedSim>, headers: HeaderMap, uri: Uri) -> Reply {
    let mut world = sim.world();
    let cs = world.sessions.classify(&headers, &world.db);
    let user = match &cs {
        CookieSession::Valid { uid, .. } => world.db.users.get(uid).cloned(),
        _ => None,
    };
    let Some(user) = user else {
        return require_login(&mut world, &cs, &full_path(&uri));
    };
    let info = frontend_session_info(&world.db, &user).dumps_scriptsafe();
    Reply::html(login_successful_page(&user, &info))
}

/// `GET /`: portal users see a page naming them; everyone else goes to the web client
/// (`redirect_query('/odoo', params)`), which sends anonymous visitors to the login page.
pub async fn root(State(sim): State<SharedSim>, headers: HeaderMap, uri: Uri) -> Reply {
    let mut world = sim.world();
    let cs = world.sessions.classify(&headers, &world.db);
    if let CookieSession::Stale { .. } = cs {
        return require_login(&mut world, &cs, &full_path(&uri));
    }
    if let CookieSession::Valid { uid, .. } = &cs {
        if let Some(user) = world.db.users.get(uid).filter(|u| !u.is_internal()).cloned() {
            let info = frontend_session_info(&world.db, &user).dumps_scriptsafe();
            return Reply::html(login_successful_page(&user, &info));
        }
    }
    let params = query_params(&uri);
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let home = world.db.version.home_path();
    let location = if pairs.is_empty() { home.to_string() } else { format!("{home}?{}", url_encode(&pairs)) };
    let cookie = anonymous_cookie(&mut world, &cs);
    Reply::redirect(&location).cookie_opt(cookie)
}

/// `GET /web/session/logout?redirect=`: the session is deleted for good, `cids` cleared, a new
/// anonymous session cookie, then 303 to `redirect` (default `/odoo`, `/web` before 18).
pub async fn logout(State(sim): State<SharedSim>, headers: HeaderMap, uri: Uri) -> Reply {
    let mut world = sim.world();
    let cs = world.sessions.classify(&headers, &world.db);
    let params = query_params(&uri);
    let target = first(&params, "redirect")
        .filter(|r| !r.is_empty())
        .unwrap_or(world.db.version.home_path())
        .to_string();
    let cookies = logout_and_rotate(&mut world, &cs);
    cookies.into_iter().fold(Reply::redirect(&local_redirect(&target)), Reply::cookie)
}
