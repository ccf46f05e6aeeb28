//! `users list`: the bridge's identity links and blocked users as tables or JSON.
//! It must never print a control character from outside (subjects and emails come from providers).

use super::{pick_odoo, UsersError};
use crate::{
    bridge::Bridge,
    store::{BlockedUser, LinkRecord},
};
use serde_json::{json, Value};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// Aligned tables for people.
    Table,
    /// One JSON object: `{"links": […], "blocked": […]}`.
    Json,
}

/// Lists links and blocks of one Odoo, or of every Odoo when `odoo` is `None`.
pub async fn list(bridge: &Bridge, odoo: Option<&str>, format: ListFormat, out: &mut dyn Write) -> Result<(), UsersError> {
    if let Some(id) = odoo {
        pick_odoo(bridge, Some(id))?;
    }
    let links = bridge.store.links(odoo).await?;
    let blocked = bridge.store.blocked_users(odoo).await?;
    match format {
        ListFormat::Json => {
            let value = json!({
                "links": links.iter().map(link_json).collect::<Vec<_>>(),
                "blocked": blocked.iter().map(blocked_json).collect::<Vec<_>>(),
            });
            let text = serde_json::to_string_pretty(&value).map_err(std::io::Error::from)?;
            writeln!(out, "{text}")?;
        }
        ListFormat::Table => {
            if links.is_empty() {
                writeln!(out, "No identity links.")?;
            } else {
                writeln!(out, "Identity links ({}):", links.len())?;
                let rows = links
                    .iter()
                    .map(|r| {
                        vec![
                            r.link.odoo_id.clone(),
                            r.link.odoo_user_id.to_string(),
                            r.link.provider_id.clone(),
                            r.link.upstream_subject.clone(),
                            r.link.email.clone().unwrap_or_else(|| "-".into()),
                            r.link.bridge_subject.clone(),
                            when(r.created_at),
                            if r.last_login_at > 0 { when(r.last_login_at) } else { "never".into() },
                        ]
                    })
                    .collect::<Vec<_>>();
                table(out, &["ODOO", "USER ID", "PROVIDER", "SUBJECT", "EMAIL", "ODOO SUBJECT", "CREATED", "LAST LOGIN"], &rows)?;
            }
            writeln!(out)?;
            if blocked.is_empty() {
                writeln!(out, "No blocked users.")?;
            } else {
                writeln!(out, "Blocked users ({}):", blocked.len())?;
                let rows = blocked
                    .iter()
                    .map(|b| {
                        vec![
                            b.odoo_id.clone(),
                            b.odoo_user_id.to_string(),
                            b.login.clone(),
                            when(b.created_at),
                            b.reason.clone().unwrap_or_else(|| "-".into()),
                        ]
                    })
                    .collect::<Vec<_>>();
                table(out, &["ODOO", "USER ID", "LOGIN", "BLOCKED SINCE", "REASON"], &rows)?;
            }
        }
    }
    Ok(())
}

fn link_json(r: &LinkRecord) -> Value {
    json!({
        "odoo": r.link.odoo_id,
        "odoo_user_id": r.link.odoo_user_id,
        "provider": r.link.provider_id,
        "subject": r.link.upstream_subject,
        "email": r.link.email,
        "odoo_subject": r.link.bridge_subject,
        "created_at": rfc3339(r.created_at),
        "last_login_at": (r.last_login_at > 0).then(|| rfc3339(r.last_login_at)),
    })
}

fn blocked_json(b: &BlockedUser) -> Value {
    json!({
        "odoo": b.odoo_id,
        "odoo_user_id": b.odoo_user_id,
        "login": b.login,
        "reason": b.reason,
        "blocked_at": rfc3339(b.created_at),
    })
}

/// Left-aligned columns, two spaces apart; the last column is not padded.
fn table(out: &mut dyn Write, headers: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| printable(c)).collect()).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let last = cells.len().saturating_sub(1);
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if i == last {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<width$}  "));
            }
        }
        text
    };
    writeln!(out, "{}", line(headers.to_vec()))?;
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// Text safe for a terminal: control characters (escape sequences included) become `?`.
pub(crate) fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

/// `2025-01-31 14:05 UTC`.
fn when(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0).map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_else(|| unix.to_string())
}

fn rfc3339(unix: i64) -> Value {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| Value::String(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
        .unwrap_or_else(|| json!(unix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_and_neutralise_escape_sequences() {
        let mut out = Vec::new();
        let rows = vec![vec!["a".to_string(), "\u{1b}[31mred".to_string()], vec!["longer".to_string(), "x".to_string()]];
        table(&mut out, &["H1", "H2"], &rows).expect("writes");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(text, "H1      H2\na       ?[31mred\nlonger  x\n");
    }

    #[test]
    fn times_are_utc_and_never_panic() {
        assert_eq!(when(0), "1970-01-01 00:00 UTC");
        assert_eq!(when(i64::MAX), i64::MAX.to_string());
    }
}
