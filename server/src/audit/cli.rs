//! `login-bridge audit`: the audit log, newest first, as a table for people or JSON for scripts.
//! Reads only the bridge's store (the one `[store]` names): Odoo and the providers need not be up.
//! It must never print a row's text raw: control characters (a reason may quote a provider's
//! words) are replaced so nothing can rewrite the admin's terminal.

use crate::{
    config::Config,
    store::{unix_now_ms, AuditEntry, AuditKind, AuditOutcome, AuditQuery, Store, StoreError},
};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use clap::{Args, ValueEnum};
use std::{io::Write, process::ExitCode};

/// The filters and format of `login-bridge audit`.
#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Only rows since then: a duration back from now (`30m`, `24h`, `7d`, `2w`), a date
    /// (`2026-11-01`, midnight UTC) or an RFC 3339 time (`2026-11-01T08:00:00Z`).
    #[arg(long, value_name = "WHEN", value_parser = parse_since)]
    pub since: Option<i64>,
    /// One person: an email, Odoo login, Odoo user id or upstream subject (exact, any case).
    #[arg(long, value_name = "EMAIL|LOGIN|ID|SUBJECT")]
    pub user: Option<String>,
    /// Only this `[[odoo]] id`.
    #[arg(long, value_name = "ID")]
    pub odoo: Option<String>,
    /// Only this `[[provider]] id`.
    #[arg(long, value_name = "ID")]
    pub provider: Option<String>,
    /// Only rows with this outcome.
    #[arg(long, value_enum)]
    pub outcome: Option<OutcomeArg>,
    /// Only rows of this kind (login, revoke, unlink, …).
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// At most this many rows (newest first).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
    /// Print a JSON array (every field, `at` as RFC 3339) instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutcomeArg {
    Success,
    Refused,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum KindArg {
    Login,
    Logout,
    Revoke,
    SessionExpired,
    Revalidation,
    Unlink,
}

impl From<OutcomeArg> for AuditOutcome {
    fn from(o: OutcomeArg) -> Self {
        match o {
            OutcomeArg::Success => Self::Success,
            OutcomeArg::Refused => Self::Refused,
            OutcomeArg::Failed => Self::Failed,
        }
    }
}

impl From<KindArg> for AuditKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Login => Self::Login,
            KindArg::Logout => Self::Logout,
            KindArg::Revoke => Self::Revoke,
            KindArg::SessionExpired => Self::SessionExpired,
            KindArg::Revalidation => Self::Revalidation,
            KindArg::Unlink => Self::Unlink,
        }
    }
}

/// `--since` as Unix milliseconds.
pub fn parse_since(text: &str) -> Result<i64, String> {
    since_at(text, unix_now_ms())
}

fn since_at(text: &str, now_ms: i64) -> Result<i64, String> {
    let t = text.trim();
    let help = "write a duration back from now (30m, 24h, 7d, 2w), a date (2026-11-01) or an RFC 3339 time (2026-11-01T08:00:00Z)";
    if let Some(unit) = t.chars().last().filter(|c| "mhdw".contains(*c)) {
        let number = &t[..t.len() - 1];
        if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) {
            let n: i64 = number.parse().map_err(|_| format!("`{t}` is too large; {help}"))?;
            let unit_ms: i64 = match unit {
                'm' => 60_000,
                'h' => 3_600_000,
                'd' => 86_400_000,
                _ => 7 * 86_400_000,
            };
            return n.checked_mul(unit_ms).map(|back| now_ms - back).ok_or_else(|| format!("`{t}` is too far back; {help}"));
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return date.and_hms_opt(0, 0, 0).map(|d| d.and_utc().timestamp_millis()).ok_or_else(|| format!("`{t}` is not a date; {help}"));
    }
    DateTime::parse_from_rfc3339(t).map(|d| d.timestamp_millis()).map_err(|_| format!("`{t}` is not a time; {help}"))
}

impl AuditArgs {
    fn query(&self) -> AuditQuery {
        let nonempty = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        AuditQuery {
            since_ms: self.since,
            until_ms: None,
            user: nonempty(&self.user),
            search: None,
            odoo_id: nonempty(&self.odoo),
            provider_id: nonempty(&self.provider),
            kind: self.kind.map(Into::into),
            outcome: self.outcome.map(Into::into),
            limit: self.limit,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuditCliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot encode JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Reads the rows `args` selects from `store` and writes them to `out`.
pub async fn print(store: &Store, args: &AuditArgs, out: &mut dyn Write) -> Result<(), AuditCliError> {
    let rows = store.audit_entries(&args.query()).await?;
    if args.json {
        let values = rows.iter().map(json_row).collect::<Result<Vec<_>, _>>()?;
        serde_json::to_writer_pretty(&mut *out, &values)?;
        writeln!(out)?;
    } else {
        write_table(&rows, out)?;
    }
    Ok(())
}

fn json_row(row: &AuditEntry) -> Result<serde_json::Value, serde_json::Error> {
    let mut value = serde_json::to_value(row)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("at".into(), serde_json::Value::String(utc(row.at_ms, true)));
    }
    Ok(value)
}

/// `2026-11-28 02:43:48` (table) or RFC 3339 with milliseconds (JSON), always UTC.
fn utc(ms: i64, rfc3339: bool) -> String {
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(t) if rfc3339 => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => ms.to_string(),
    }
}

/// Control characters become `?`; a cell is cut at `max` characters.
fn cell(text: &str, max: usize) -> String {
    let clean: String = text.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
    if clean.chars().count() > max {
        let mut cut: String = clean.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        clean
    }
}

fn write_table(rows: &[AuditEntry], out: &mut dyn Write) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "no audit rows match");
    }
    let header = ["TIME (UTC)", "KIND", "OUTCOME", "PROVIDER", "ODOO", "WHO", "ODOO USER", "IP", "REASON"];
    let table: Vec<[String; 9]> = rows
        .iter()
        .map(|r| {
            let who = match (&r.email, &r.upstream_subject) {
                (Some(email), _) => email.clone(),
                (None, Some(subject)) => format!("subject {subject}"),
                (None, None) => "-".into(),
            };
            let odoo_user = match (&r.odoo_login, r.odoo_user_id) {
                (Some(login), Some(id)) => format!("{login} (#{id})"),
                (None, Some(id)) => format!("#{id}"),
                (Some(login), None) => login.clone(),
                (None, None) => "-".into(),
            };
            let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
            [
                utc(r.at_ms, false),
                r.kind.as_str().to_string(),
                r.outcome.as_str().to_string(),
                cell(&dash(&r.provider_id), 24),
                cell(&dash(&r.odoo_id), 24),
                cell(&who, 40),
                cell(&odoo_user, 40),
                cell(&dash(&r.ip), 39),
                cell(&dash(&r.reason), 100),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &table {
        for (width, value) in widths.iter_mut().zip(row) {
            *width = (*width).max(value.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(&header.map(String::from)))?;
    for row in &table {
        writeln!(out, "{}", line(row))?;
    }
    Ok(())
}

/// The binary's `audit` subcommand. Exit 1 when the store cannot be read.
pub fn main(config: &Config, args: &AuditArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("login-bridge: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let store = Store::open(&config.store).await?;
        let mut stdout = std::io::stdout().lock();
        print(&store, args, &mut stdout).await?;
        stdout.flush()?;
        Ok::<(), AuditCliError>(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("login-bridge: {}", crate::error::error_chain(&error));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_reads_durations_dates_and_times() {
        let now = 1_800_000_000_000;
        assert_eq!(since_at("24h", now), Ok(now - 86_400_000));
        assert_eq!(since_at("7d", now), Ok(now - 7 * 86_400_000));
        assert_eq!(since_at("30m", now), Ok(now - 1_800_000));
        assert_eq!(since_at("2026-11-01", now), Ok(1_793_491_200_000));
        assert_eq!(since_at("2026-11-01T08:00:00Z", now), Ok(1_793_491_200_000 + 8 * 3_600_000));
        for bad in ["", "yesterday", "7", "h", "-3d", "2026-13-01", "99999999999999999999d"] {
            assert!(since_at(bad, now).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn cells_never_carry_control_characters() {
        assert_eq!(cell("a\u{1b}[31mb\nc", 50), "a?[31mb?c");
        assert_eq!(cell("abcdef", 4), "abc…");
    }
}
