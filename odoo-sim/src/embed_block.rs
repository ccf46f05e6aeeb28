// Owns: what the repo's `login_bridge_embed` Odoo addon adds to `/web/login` (sign-in frame,
// password link, hidden form) and its static listener script. Must never drift from the addon.

//! The addon lives in `odoo_addon/login_bridge_embed/`. Its script is served from the addon's
//! own file (`include_str!`), and `tests/embed_block.rs` checks the frame rendered here against
//! the addon's XML template, so the two cannot silently part ways.

use crate::db::Database;
use crate::responses::Reply;
use crate::state::SharedSim;
use crate::urlcodec::{first, html_escape, url_encode};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// The addon's technical name, as listed in the seed's `modules`.
pub const MODULE: &str = "login_bridge_embed";

/// Where Odoo serves the addon's listener script (`/<module>/static/…`).
pub const LISTENER_PATH: &str = "/login_bridge_embed/static/src/js/embed_listener.js";

/// The addon's listener script, byte for byte.
pub const LISTENER_JS: &str =
    include_str!("../../odoo_addon/login_bridge_embed/static/src/js/embed_listener.js");

/// Odoo registers `text/javascript` for `.js` (odoo/http.py) and Werkzeug's `send_file` adds the
/// charset to every `text/*` type.
pub const LISTENER_CONTENT_TYPE: &str = "text/javascript; charset=utf-8";

/// The frame's static attributes, in the template's order (QWeb writes static attributes
/// first, then `src`, which the template computes).
pub const FRAME_ATTRIBUTES: [(&str, &str); 7] = [
    ("id", "login_bridge_embed"),
    ("class", "login_bridge_embed"),
    ("title", "Sign in with your organisation account"),
    ("sandbox", "allow-scripts allow-same-origin allow-forms allow-top-navigation-by-user-activation"),
    ("referrerpolicy", "strict-origin"),
    ("loading", "eager"),
    ("style", "display:block;width:100%;height:240px;border:0;color-scheme:normal"),
];

/// The four system parameters, read the way the template reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EmbedSettings {
    /// Stripped, without trailing slashes; never empty.
    url: String,
    odoo_id: String,
    below: bool,
    hide_password: bool,
}

impl EmbedSettings {
    /// `None` when the addon is not installed or `login_bridge_embed.url` is empty: then the
    /// template renders nothing and the page stays stock.
    fn from_db(db: &Database) -> Option<EmbedSettings> {
        let installed = db.modules.iter().any(|m| m.name == MODULE && m.state == "installed");
        if !installed {
            return None;
        }
        let param = |key: &str| db.params.get(key).map(|v| v.trim().to_string()).unwrap_or_default();
        let url = param("login_bridge_embed.url").trim_end_matches('/').to_string();
        if url.is_empty() {
            return None;
        }
        Some(EmbedSettings {
            url,
            odoo_id: param("login_bridge_embed.odoo_id"),
            below: param("login_bridge_embed.position").to_lowercase() == "below",
            hide_password: matches!(
                param("login_bridge_embed.hide_password").to_lowercase().as_str(),
                "true" | "1" | "yes"
            ),
        })
    }
}

/// What the addon adds around the password form of one rendering of `/web/login`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedBlock {
    /// Markup placed right before the `<form>` (position `above`), else empty.
    pub before_form: String,
    /// Markup placed right after the `</form>` (position `below`), else empty.
    pub after_form: String,
    /// The form carries `hidden="hidden"`.
    pub hide_form: bool,
}

impl EmbedBlock {
    /// The form's extra attribute, as QWeb appends `t-att-hidden` after its own attributes.
    pub fn form_attribute(&self) -> &'static str {
        if self.hide_form {
            " hidden=\"hidden\""
        } else {
            ""
        }
    }
}

/// The block for a login page whose URL query is `query` (`request.httprequest.args`: never the
/// POST body); `is_post` is the answer to a password attempt, which always shows the form.
pub fn for_login_page(db: &Database, query: &[(String, String)], is_post: bool) -> EmbedBlock {
    let Some(settings) = EmbedSettings::from_db(db) else {
        return EmbedBlock::default();
    };
    let hide_form = settings.hide_password && first(query, "password") != Some("1") && !is_post;
    let markup = render_block(&settings, &db.lang, query, hide_form);
    if settings.below {
        EmbedBlock { before_form: String::new(), after_form: format!("\n{markup}"), hide_form }
    } else {
        EmbedBlock { before_form: format!("{markup}\n"), after_form: String::new(), hide_form }
    }
}

/// Odoo's `keep_query(*keep, **extra)`: the extra parameters whose value is not None, then every
/// value of each kept parameter present in the query string, Werkzeug-encoded in that order.
pub fn keep_query(query: &[(String, String)], keep: &[&str], extra: &[(&str, Option<&str>)]) -> String {
    let mut pairs: Vec<(&str, &str)> =
        extra.iter().filter_map(|(k, v)| v.map(|v| (*k, v))).collect();
    for name in keep.iter().filter(|name| !extra.iter().any(|(k, _)| k == *name)) {
        pairs.extend(query.iter().filter(|(k, _)| k == name).map(|(k, v)| (k.as_str(), v.as_str())));
    }
    url_encode(&pairs)
}

/// The frame's `src`: `{url}/embed?` + `keep_query('redirect', 'oauth_error', odoo=…, odoo_lang=…)`.
fn frame_src(settings: &EmbedSettings, lang: &str, query: &[(String, String)]) -> String {
    let odoo = Some(settings.odoo_id.as_str()).filter(|v| !v.is_empty());
    let odoo_lang = Some(lang).filter(|v| !v.is_empty());
    let params = keep_query(query, &["redirect", "oauth_error"], &[("odoo", odoo), ("odoo_lang", odoo_lang)]);
    format!("{}/embed?{params}", settings.url)
}

fn render_block(settings: &EmbedSettings, lang: &str, query: &[(String, String)], hide_form: bool) -> String {
    let mut iframe = String::from("<iframe");
    for (name, value) in FRAME_ATTRIBUTES {
        iframe.push_str(&format!(" {name}=\"{}\"", html_escape(value)));
    }
    iframe.push_str(&format!(" src=\"{}\"></iframe>", html_escape(&frame_src(settings, lang, query))));
    let password_link = if hide_form {
        let href = format!("/web/login?{}", keep_query(query, &["redirect"], &[("password", Some("1"))]));
        format!(
            "\n                            <p class=\"text-center small mt-2 mb-0\">\n                                <a class=\"o_login_bridge_password_link\" href=\"{}\">Sign in with a password</a>\n                            </p>",
            html_escape(&href)
        )
    } else {
        String::new()
    };
    format!(
        "                        <div class=\"o_login_bridge_embed mb-3\">\n                            <script src=\"{LISTENER_PATH}\"></script>\n                            {iframe}{password_link}\n                        </div>"
    )
}

/// `GET /login_bridge_embed/static/src/js/embed_listener.js`. Odoo serves a module's static
/// files when the module is on the addons path, installed or not; a seed that does not list the
/// module stands for an Odoo without it.
pub async fn listener_script(State(sim): State<SharedSim>) -> Response {
    let on_addons_path = sim.world().db.modules.iter().any(|m| m.name == MODULE);
    if !on_addons_path {
        return Reply::werkzeug_error(StatusCode::NOT_FOUND).into_response();
    }
    (StatusCode::OK, [(header::CONTENT_TYPE, LISTENER_CONTENT_TYPE)], LISTENER_JS).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;

    fn embed_db(params: &[(&str, &str)]) -> Database {
        let mut seed = Seed::transcripts();
        seed.modules.insert(MODULE.into(), "installed".into());
        for (k, v) in params {
            seed.config_parameters.insert((*k).into(), (*v).into());
        }
        match Database::from_seed(&seed) {
            Ok(db) => db,
            Err(e) => panic!("seed: {e}"),
        }
    }

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()
    }

    #[test]
    fn keep_query_puts_extras_first_drops_none_and_keeps_every_value() {
        let query = q(&[("oauth_error", "2"), ("x", "1"), ("redirect", "/a b"), ("redirect", "/c")]);
        assert_eq!(
            keep_query(&query, &["redirect", "oauth_error"], &[("odoo", Some("acme")), ("odoo_lang", None)]),
            "odoo=acme&redirect=%2Fa+b&redirect=%2Fc&oauth_error=2"
        );
    }

    #[test]
    fn url_is_trimmed_and_loses_its_trailing_slashes() {
        let db = embed_db(&[("login_bridge_embed.url", "  https://login.example.com// ")]);
        let block = for_login_page(&db, &[], false);
        assert!(block.before_form.contains("src=\"https://login.example.com/embed?odoo_lang=en_US\""));
    }

    #[test]
    fn blank_url_or_missing_module_renders_nothing() {
        let db = embed_db(&[("login_bridge_embed.url", " / ")]);
        assert_eq!(for_login_page(&db, &[], false), EmbedBlock::default());
        let mut seed = Seed::transcripts();
        seed.config_parameters.insert("login_bridge_embed.url".into(), "https://login.example.com".into());
        seed.modules.insert(MODULE.into(), "uninstalled".into());
        let db = match Database::from_seed(&seed) {
            Ok(db) => db,
            Err(e) => panic!("seed: {e}"),
        };
        assert_eq!(for_login_page(&db, &[], false), EmbedBlock::default());
    }

    #[test]
    fn hide_password_accepts_python_style_truthy_words_only() {
        for (value, hidden) in [("True", true), (" yes ", true), ("1", true), ("False", false), ("0", false), ("", false)] {
            let db = embed_db(&[("login_bridge_embed.url", "https://l.example"), ("login_bridge_embed.hide_password", value)]);
            assert_eq!(for_login_page(&db, &[], false).hide_form, hidden, "{value:?}");
        }
    }
}
