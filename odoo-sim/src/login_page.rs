// Owns: `/web/login` (GET page with Odoo's exact provider buttons and oauth_error alerts, POST
// password login for demos). Must never validate OAuth tokens; `/auth_oauth/signin` does.

use crate::db::{Database, Provider};
use crate::embed_block::{self, EmbedBlock};
use crate::page_session::{anonymous_cookie, require_login};
use crate::pyjson::Py;
use crate::request_url::{full_path, query_params, url_root};
use crate::responses::Reply;
use crate::sessions::{session_cookie, CookieSession};
use crate::state::SharedSim;
use crate::urlcodec::{first, html_escape, local_redirect, url_encode, url_quote_plus};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Uri};
use rand::Rng;

/// The alert text Odoo shows for `?oauth_error=` (auth_oauth `web_login`).
pub fn oauth_error_message(code: &str) -> Option<&'static str> {
    match code {
        "1" => Some("Sign up is not allowed on this database."),
        "2" => Some("Access Denied"),
        "3" => Some("You do not have access to this database or your invitation has expired. Please ask for an invitation and be sure to follow the link in your invitation email."),
        _ => None,
    }
}

/// One provider button of the login page.
#[derive(Debug, Clone)]
pub struct ProviderButton {
    pub href: String,
    pub css_class: String,
    pub body: String,
}

/// Python's `str()` of a Char field value that may be False.
fn py_char(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "False".to_string())
}

/// auth_oauth `list_providers()`: one link per enabled provider, ordered by sequence then name,
/// `auth_endpoint?response_type=token&client_id&redirect_uri&scope&state` (Werkzeug url_encode).
pub fn provider_buttons(
    db: &Database,
    url_root: &str,
    redirect: Option<&str>,
    signup_token: Option<&str>,
) -> Vec<ProviderButton> {
    let mut providers: Vec<&Provider> = db.providers.values().filter(|p| p.enabled).collect();
    providers.sort_by(|a, b| {
        a.sequence
            .cmp(&b.sequence)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then(a.id.cmp(&b.id))
    });
    let redirect = redirect.filter(|r| !r.is_empty()).unwrap_or("web");
    let absolute = if redirect.starts_with("//")
        || redirect.starts_with("http://")
        || redirect.starts_with("https://")
    {
        redirect.to_string()
    } else {
        format!("{url_root}{}", redirect.strip_prefix('/').unwrap_or(redirect))
    };
    providers
        .into_iter()
        .map(|p| {
            let mut state = Py::dict([
                ("d", Py::str(db.name.clone())),
                ("p", Py::Int(p.id)),
                ("r", Py::Str(url_quote_plus(&absolute))),
            ]);
            if let Some(t) = signup_token.filter(|t| !t.is_empty()) {
                state.set("t", Py::str(t));
            }
            let redirect_uri = format!("{url_root}auth_oauth/signin");
            let client_id = py_char(&p.client_id);
            let scope = py_char(&p.scope);
            let state = state.dumps();
            let query = url_encode(&[
                ("response_type", "token"),
                ("client_id", &client_id),
                ("redirect_uri", &redirect_uri),
                ("scope", &scope),
                ("state", &state),
            ]);
            ProviderButton {
                href: format!("{}?{query}", py_char(&p.auth_endpoint)),
                css_class: py_char(&p.css_class),
                body: py_char(&p.body),
            }
        })
        .collect()
}

/// What the login form shows.
struct LoginForm<'a> {
    login: Option<&'a str>,
    redirect: Option<&'a str>,
    error: Option<String>,
    keep_query: String,
    providers: Vec<ProviderButton>,
    show_reset: bool,
    signup_link: Option<String>,
    database: &'a str,
    /// What the login_bridge_embed addon adds (empty when it is not installed).
    embed: EmbedBlock,
}

/// Odoo's csrf_token shape: 40 hex characters, `o`, expiry timestamp.
fn csrf_token() -> String {
    let mut rng = rand::thread_rng();
    let hex: String = (0..40).map(|_| format!("{:x}", rng.gen_range(0..16u8))).collect();
    let expiry = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        + 365 * 24 * 3600;
    format!("{hex}o{expiry}")
}

fn render_providers(providers: &[ProviderButton]) -> String {
    if providers.is_empty() {
        return String::new();
    }
    let spacing = if providers.len() > 2 { 3 } else { 1 };
    let mut out = format!(
        "\n                <em class=\"d-block text-center text-muted small my-{spacing}\">- or -</em>\n                <div class=\"o_auth_oauth_providers list-group mt-1 mb-1 text-start\">"
    );
    for p in providers {
        out.push_str(&format!(
            "\n                    <a class=\"list-group-item list-group-item-action py-2\" href=\"{}\">\n                        <i class=\"{}\"></i>\n                        {}\n                    </a>",
            html_escape(&p.href),
            html_escape(&p.css_class),
            html_escape(&p.body)
        ));
    }
    out.push_str("\n                </div>");
    out
}

fn render_form(f: &LoginForm) -> String {
    let login_value = f.login.map(|l| format!(" value=\"{}\"", html_escape(l))).unwrap_or_default();
    let redirect_value =
        f.redirect.map(|r| format!(" value=\"{}\"", html_escape(r))).unwrap_or_default();
    let reset = if f.show_reset {
        format!(
            "\n                <a class=\"btn btn-link btn-sm\" tabindex=\"1\" href=\"/web/reset_password?{}\">Reset Password</a>",
            html_escape(&f.keep_query)
        )
    } else {
        String::new()
    };
    let alert = match &f.error {
        Some(e) => format!(
            "                <p class=\"alert alert-danger\" role=\"alert\">\n                    {}\n                </p>\n",
            html_escape(e)
        ),
        None => String::new(),
    };
    let signup = f
        .signup_link
        .as_ref()
        .map(|l| format!("\n                    <a href=\"{}\">Don't have an account?</a>", html_escape(l)))
        .unwrap_or_default();
    format!(
        "<form role=\"form\" method=\"post\" onsubmit=\"this.action = &#39;/web/login&#39; + location.hash\" class=\"oe_login_form d-none\" action=\"/web/login\"{hidden}>
                <input type=\"hidden\" name=\"csrf_token\" value=\"{csrf}\"/>


                <div class=\"mb-3 field-login\">
                    <label for=\"login\" class=\"form-label d-flex justify-content-between\">Email</label>
                    <input type=\"text\" placeholder=\"Email\" name=\"login\"{login_value} id=\"login\" class=\"form-control\" required=\"required\" autocapitalize=\"off\" autocomplete=\"username\"/>
                </div>

                <div class=\"mb-3\">
                    <label for=\"password\" class=\"form-label d-flex justify-content-between\">Password{reset}</label>
                    <input type=\"password\" placeholder=\"Password\" name=\"password\" id=\"password\" class=\"form-control\" required=\"required\" autocomplete=\"current-password\" maxlength=\"4096\"/>
                </div>

{alert}
                <div class=\"oe_login_buttons text-center gap-1 d-grid mb-1 pt-3\">
                    <button type=\"submit\" class=\"btn btn-primary\">Log in</button>
                    <div class=\"o_login_auth\">{providers}</div>
                </div>
                <p class=\"mt-2 text-center\">{signup}
                </p>

                <input type=\"hidden\" name=\"type\" value=\"password\"/>
                <input type=\"hidden\" name=\"redirect\"{redirect_value}/>
            </form>",
        csrf = csrf_token(),
        providers = render_providers(&f.providers),
        hidden = f.embed.form_attribute(),
    )
}

fn render_page(f: &LoginForm) -> String {
    format!(
        "<!DOCTYPE html>
<html lang=\"en-US\">
    <head>
        <meta charset=\"utf-8\"/>
        <meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\"/>
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1, user-scalable=no\"/>
        <meta name=\"generator\" content=\"Odoo (odoo-sim)\"/>
        <title>Odoo</title>
        <style>
            body {{ font-family: system-ui, sans-serif; background: #f2f2f2; margin: 0; }}
            .card {{ background: #fff; max-width: 320px; margin: 48px auto; padding: 24px; border-radius: 6px; }}
            .form-control {{ display: block; width: 100%; box-sizing: border-box; padding: 6px; margin: 4px 0 12px; }}
            .btn-primary {{ width: 100%; padding: 8px; background: #714b67; color: #fff; border: 0; border-radius: 4px; }}
            .list-group-item {{ display: block; padding: 8px; margin: 6px 0; border: 1px solid #ccc; border-radius: 4px; text-decoration: none; color: #222; }}
            .alert-danger {{ background: #f8d7da; color: #721c24; padding: 8px; border-radius: 4px; }}
            .o_sim_note {{ text-align: center; font-size: 12px; color: #888; }}
        </style>
    </head>
    <body class=\"bg-100\">
        <main>
            <div class=\"container py-5\">
                <div class=\"card border-0 mx-auto bg-100 o_database_list\" style=\"max-width: 300px;\">
                    <div class=\"card-body\">
                        <div class=\"text-center pb-3 border-bottom mb-4\"><strong class=\"o_sim_database\">{db}</strong></div>
{before_form}{form}{after_form}
                        <div class=\"text-center small mt-4 pt-3 border-top\">
                            <a href=\"https://www.odoo.com?utm_source=db&amp;utm_medium=auth\" target=\"_blank\">Powered by <span>Odoo</span></a>
                        </div>
                    </div>
                </div>
            </div>
            <p class=\"o_sim_note\">Odoo simulator (odoo-sim): not a real Odoo server.</p>
        </main>
    </body>
</html>
",
        db = html_escape(f.database),
        form = render_form(f),
        before_form = f.embed.before_form,
        after_form = f.embed.after_form,
    )
}

/// Headers Odoo's `web_login` sets on the page.
fn login_page_reply(body: String) -> Reply {
    Reply::html(body)
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::X_FRAME_OPTIONS, "SAMEORIGIN")
        .header(header::CONTENT_SECURITY_POLICY, "frame-ancestors 'self'")
}

/// `keep_query()` with no arguments: every current parameter, Werkzeug-encoded.
fn keep_query(params: &[(String, String)]) -> String {
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    url_encode(&pairs)
}

/// `query` is the URL's own query string (what `keep_query` sees), `params` adds a POST body;
/// a `login` (even empty) means this page answers a password attempt.
fn build_form<'a>(
    db: &'a Database,
    root: &str,
    params: &'a [(String, String)],
    query: &[(String, String)],
    login: Option<&'a str>,
    error: Option<String>,
) -> LoginForm<'a> {
    let redirect = first(params, "redirect");
    let error = error.or_else(|| {
        first(params, "oauth_error").and_then(oauth_error_message).map(str::to_string)
    });
    let signup_link = (db.signup_scope() == crate::seed::SignupScope::B2c)
        .then(|| format!("/web/signup?{}", keep_query(params)));
    LoginForm {
        login,
        redirect: redirect.filter(|r| !r.is_empty()),
        error,
        keep_query: keep_query(params),
        providers: provider_buttons(db, root, redirect, first(params, "token")),
        show_reset: db.signup_installed,
        signup_link,
        database: &db.name,
        embed: embed_block::for_login_page(db, query, login.is_some()),
    }
}

/// `GET /web/login`.
pub async fn get_login(State(sim): State<SharedSim>, headers: HeaderMap, uri: Uri) -> Reply {
    let params = query_params(&uri);
    let root = url_root(&headers, &uri);
    let mut world = sim.world();
    let cs = world.sessions.classify(&headers, &world.db);
    if let CookieSession::Stale { .. } = cs {
        return require_login(&mut world, &cs, &full_path(&uri));
    }
    if let (CookieSession::Valid { .. }, Some(r)) = (&cs, first(&params, "redirect")) {
        if !r.is_empty() {
            return Reply::redirect(&local_redirect(r));
        }
    }
    let body = render_page(&build_form(&world.db, &root, &params, &params, None, None));
    let cookie = anonymous_cookie(&mut world, &cs);
    login_page_reply(body).cookie_opt(cookie)
}

/// `POST /web/login` with `login` and `password` (password only: API keys are not interactive).
pub async fn post_login(
    State(sim): State<SharedSim>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Reply {
    let query = query_params(&uri);
    let mut params = query.clone();
    params.extend(form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned())));
    let root = url_root(&headers, &uri);
    let mut world = sim.world();
    let cs = world.sessions.classify(&headers, &world.db);
    let login = first(&params, "login").unwrap_or("").to_string();
    let password = first(&params, "password").unwrap_or("").to_string();
    let found = world
        .db
        .users
        .values()
        .find(|u| u.active && u.login == login && !password.is_empty() && u.password.as_deref() == Some(password.as_str()))
        .map(|u| (u.id, u.is_internal(), u.session_token()));
    match found {
        Some((uid, internal, token)) => {
            if let Some(old) = cs.stored_sid() {
                world.sessions.delete(old);
            }
            let sid = world.sessions.create_authenticated(uid, token);
            let home = if internal { world.db.version.home_path() } else { "/web/login_successful" };
            let target = first(&params, "redirect").filter(|r| !r.is_empty()).unwrap_or(home);
            Reply::redirect(&local_redirect(target)).cookie(session_cookie(&sid))
        }
        None => {
            let form =
                build_form(&world.db, &root, &params, &query, Some(&login), Some("Wrong login/password".into()));
            let body = render_page(&form);
            let cookie = anonymous_cookie(&mut world, &cs);
            login_page_reply(body).cookie_opt(cookie)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;

    #[test]
    fn button_href_is_built_like_odoo() {
        let db = Database::from_seed(&Seed::transcripts()).expect("seed");
        let buttons = provider_buttons(&db, "http://127.0.0.1:8069/", None, None);
        assert_eq!(buttons.len(), 1);
        assert_eq!(
            buttons[0].href,
            "http://127.0.0.1:9099/authorize?response_type=token&client_id=odoo-acme&redirect_uri=http%3A%2F%2F127.0.0.1%3A8069%2Fauth_oauth%2Fsignin&scope=openid+profile+email&state=%7B%22d%22%3A+%22acme%22,+%22p%22%3A+4,+%22r%22%3A+%22http%253A%252F%252F127.0.0.1%253A8069%252Fweb%22%7D"
        );
    }
}
