// Owns: the session-info dicts Odoo 18 returns/inlines (`get_session_info` for the web client,
// the smaller frontend one of /web/login_successful), key for key. Must never check sessions.

use crate::db::{Database, User};
use crate::pyjson::Py;
use std::hash::{Hash, Hasher};

const TRANSLATIONS_HASH: &str = "af090a6a87b84744da1ed1499b617b62da1cedcc";
const LOAD_MENUS_HASH: &str = "d2028299d80ea5877123ae7e4ce79d37f7924a43a1f822396e59132aa287b7f7";

/// `YYYY-MM-DD HH:MM:SS` (UTC) of a UNIX time, Odoo's datetime string format.
pub fn odoo_datetime(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // civil-from-days (Howard Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
}

fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A stable avatar access token shaped like Odoo's (64 hex, `o0x`, 8 hex).
fn avatar_token(seed: &str) -> String {
    let mut out = String::new();
    for round in 0..4u8 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (seed, round).hash(&mut h);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (seed, "suffix").hash(&mut h);
    format!("{out}o0x{:08x}", h.finish() as u32)
}

fn currencies() -> Py {
    Py::dict([(
        "1",
        Py::dict([
            ("symbol", Py::str("$")),
            ("position", Py::str("before")),
            ("digits", Py::ints(&[69, 2])),
        ]),
    )])
}

fn user_settings(user: &User) -> Py {
    Py::dict([
        ("id", Py::Int(user.settings_id)),
        ("user_id", Py::dict([("id", Py::Int(user.id))])),
        ("is_discuss_sidebar_category_channel_open", Py::Bool(true)),
        ("is_discuss_sidebar_category_chat_open", Py::Bool(true)),
        ("push_to_talk_key", Py::FALSE),
        ("use_push_to_talk", Py::FALSE),
        ("voice_active_duration", Py::Int(200)),
        ("channel_notifications", Py::FALSE),
        ("mute_until_dt", Py::FALSE),
        ("volumes", Py::List(vec![Py::List(vec![Py::str("ADD"), Py::List(vec![])])])),
    ])
}

fn view_info() -> Py {
    let view = |name: &str, icon: &str, multi: bool| {
        Py::dict([
            ("display_name", Py::str(name)),
            ("icon", Py::str(icon)),
            ("multi_record", Py::Bool(multi)),
        ])
    };
    Py::dict([
        ("list", view("List", "oi oi-view-list", true)),
        ("form", view("Form", "fa fa-address-card", false)),
        ("graph", view("Graph", "fa fa-area-chart", true)),
        ("pivot", view("Pivot", "oi oi-view-pivot", true)),
        ("calendar", view("Calendar", "fa fa-calendar", true)),
        ("kanban", view("Kanban", "oi oi-view-kanban", true)),
        ("search", view("Search", "oi oi-search", true)),
        ("activity", view("Activity", "fa fa-clock-o", true)),
    ])
}

fn store_data(user: &User, write_date: &str) -> Py {
    let internal = user.is_internal();
    let mut odoobot = vec![
        ("active", Py::FALSE),
        ("avatar_128_access_token", Py::Str(avatar_token("partner-2"))),
    ];
    if internal {
        odoobot.push(("email", Py::str("odoobot@example.com")));
    }
    odoobot.extend([
        ("id", Py::Int(2)),
        ("im_status", Py::str("bot")),
        ("isInternalUser", Py::Bool(true)),
        ("is_company", Py::FALSE),
        ("name", Py::str("OdooBot")),
        ("userId", Py::Int(1)),
        ("write_date", Py::Str(write_date.to_string())),
    ]);
    let me = Py::dict([
        ("active", Py::Bool(true)),
        ("avatar_128_access_token", Py::Str(avatar_token(&format!("partner-{}", user.partner_id)))),
        ("id", Py::Int(user.partner_id)),
        ("isAdmin", Py::Bool(user.is_admin())),
        ("isInternalUser", Py::Bool(internal)),
        ("name", Py::str(user.name.clone())),
        ("notification_preference", Py::str("email")),
        (
            "signature",
            Py::Str(format!(
                "<p data-o-mail-quote=\"1\">--<br data-o-mail-quote=\"1\">{}</p>",
                crate::urlcodec::html_escape(&user.name)
            )),
        ),
        ("userId", Py::Int(user.id)),
        ("write_date", Py::Str(write_date.to_string())),
    ]);
    Py::dict([
        (
            "Store",
            Py::dict([
                ("action_discuss_id", Py::Int(109)),
                ("channel_types_with_seen_infos", Py::List(vec![Py::str("chat"), Py::str("group")])),
                ("hasGifPickerFeature", Py::FALSE),
                ("hasLinkPreviewFeature", Py::Bool(true)),
                ("hasMessageTranslationFeature", Py::FALSE),
                ("internalUserGroupId", Py::Int(1)),
                ("mt_comment_id", Py::Int(1)),
                ("odoobot", Py::dict([("id", Py::Int(2)), ("type", Py::str("partner"))])),
                ("self", Py::dict([("id", Py::Int(user.partner_id)), ("type", Py::str("partner"))])),
                ("settings", user_settings(user)),
            ]),
        ),
        ("res.partner", Py::List(vec![Py::dict(odoobot), me])),
    ])
}

/// `ir.http.session_info()` of Odoo 18 for a logged-in user (files 06 and 61).
pub fn session_info(db: &Database, user: &User, url_root: &str) -> Py {
    let internal = user.is_internal();
    let write_date = odoo_datetime(now_unix());
    let base_url = db
        .params
        .get("web.base.url")
        .cloned()
        .unwrap_or_else(|| url_root.trim_end_matches('/').to_string());
    let mut cache_hashes = Py::dict([("translations", Py::str(TRANSLATIONS_HASH))]);
    if internal {
        cache_hashes.set("load_menus", Py::str(LOAD_MENUS_HASH));
    }
    let mut info = Py::dict([
        ("uid", Py::Int(user.id)),
        ("is_system", Py::Bool(user.is_system())),
        ("is_admin", Py::Bool(user.is_admin())),
        ("is_public", Py::FALSE),
        ("is_internal_user", Py::Bool(internal)),
        (
            "user_context",
            Py::dict([("lang", Py::str("en_US")), ("tz", Py::FALSE), ("uid", Py::Int(user.id))]),
        ),
        ("db", Py::str(db.name.clone())),
        ("user_settings", user_settings(user)),
        ("server_version", Py::str(db.version.server_version.clone())),
        ("server_version_info", db.version.server_version_info()),
        ("support_url", Py::str("https://www.odoo.com/buy")),
        ("name", Py::str(user.name.clone())),
        ("username", Py::str(user.login.clone())),
        ("partner_write_date", Py::Str(write_date.clone())),
        ("partner_display_name", Py::str(user.name.clone())),
        ("partner_id", Py::Int(user.partner_id)),
        ("web.base.url", Py::Str(base_url)),
        ("active_ids_limit", Py::Int(20000)),
        ("profile_session", Py::Null),
        ("profile_collectors", Py::Null),
        ("profile_params", Py::Null),
        ("max_file_upload_size", Py::Int(134_217_728)),
        ("home_action_id", Py::FALSE),
        ("cache_hashes", cache_hashes),
        ("currencies", currencies()),
        ("bundle_params", Py::dict([("lang", Py::str("en_US"))])),
        ("test_mode", Py::FALSE),
        ("view_info", view_info()),
    ]);
    if internal {
        info.set(
            "user_companies",
            Py::dict([
                ("current_company", Py::Int(1)),
                (
                    "allowed_companies",
                    Py::dict([(
                        "1",
                        Py::dict([
                            ("id", Py::Int(1)),
                            ("name", Py::str(db.company_name.clone())),
                            ("sequence", Py::Int(0)),
                            ("child_ids", Py::List(vec![])),
                            ("parent_id", Py::FALSE),
                        ]),
                    )]),
                ),
                ("disallowed_ancestor_companies", Py::Dict(vec![])),
            ]),
        );
        info.set("show_effect", Py::Bool(true));
        info.set("display_switch_company_menu", Py::FALSE);
    }
    info.set("websocket_worker_version", Py::Str(db.version.websocket_worker_version()));
    info.set("tour_enabled", Py::FALSE);
    info.set("current_tour", Py::Null);
    info.set("storeData", store_data(user, &write_date));
    info
}

/// `get_frontend_session_info()` inlined in website-less frontend pages (file 66).
pub fn frontend_session_info(db: &Database, user: &User) -> Py {
    Py::dict([
        ("is_admin", Py::Bool(user.is_admin())),
        ("is_system", Py::Bool(user.is_system())),
        ("is_public", Py::FALSE),
        ("is_internal_user", Py::Bool(user.is_internal())),
        ("is_website_user", Py::FALSE),
        ("uid", Py::Int(user.id)),
        ("is_frontend", Py::Bool(true)),
        ("profile_session", Py::Null),
        ("profile_collectors", Py::Null),
        ("profile_params", Py::Null),
        ("show_effect", Py::Bool(true)),
        ("currencies", currencies()),
        ("bundle_params", Py::dict([("lang", Py::str("en_US"))])),
        ("test_mode", Py::FALSE),
        ("server_version", Py::str(db.version.server_version.clone())),
        ("server_version_info", db.version.server_version_info()),
        ("websocket_worker_version", Py::Str(db.version.websocket_worker_version())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odoo_datetime_formats_utc() {
        assert_eq!(odoo_datetime(0), "1970-01-01 00:00:00");
        assert_eq!(odoo_datetime(1_795_799_213), "2026-11-27 17:06:53");
    }
}
