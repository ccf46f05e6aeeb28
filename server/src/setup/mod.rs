//! `login-bridge setup`: makes each Odoo's `auth.oauth.provider` records and parameters match the config.
//! It must never delete a record, write during a dry run, or touch anything but the bridge's own records.

pub mod plan;

pub(crate) mod apply;
mod manual;

use crate::{
    config::{Config, OdooConfig},
    odoo::{client::ApiFlavor, OdooClient, OdooError},
};
use plan::{Change, DesiredRecord, Plan, Warning};
use std::{io::Write, process::ExitCode};

/// What the command line asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetupOptions {
    /// Only this `[[odoo]] id`; `None` = every configured Odoo.
    pub odoo: Option<String>,
    /// Read and print the plan; write nothing.
    pub dry_run: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("there is no [[odoo]] with id `{id}` in the config. Fix: use --odoo with one of: {known}")]
    UnknownOdoo { id: String, known: String },
    #[error(
        "Odoo `{odoo}` at {url} cannot be reached ({reason}). Fix: check `url` of [[odoo]] `{odoo}`, that Odoo is \
         running, and that this machine can reach it"
    )]
    Unreachable { odoo: String, url: String, reason: String },
    #[error(
        "Odoo `{odoo}` at {url} does not answer like Odoo ({detail}). Fix: set `url` of [[odoo]] `{odoo}` to the \
         address browsers use for Odoo (scheme, host and port, no path)"
    )]
    NotOdoo { odoo: String, url: String, detail: String },
    #[error(
        "Odoo `{odoo}` refused the API key of `{login}` on database `{database}`. Fix: in Odoo, Settings → Users → \
         {login} → Account Security → New API Key, and give it to the bridge through api_key_env or api_key_file; \
         check that api_login is that user's login and database is the database's exact name (on Odoo Online the external API needs a \
         Custom plan; without one, remove api_login and follow the by-hand steps setup prints)"
    )]
    ApiKeyRejected { odoo: String, login: String, database: String },
    #[error(
        "Odoo `{odoo}`: the user `{login}` may not {method} {model} ({message}). Fix: give `{login}` the \
         Administration: Settings access right (Settings → Users → {login} → Access Rights), or use an \
         administrator's API key"
    )]
    MissingRights { odoo: String, login: String, model: String, method: String, message: String },
    #[error(
        "Odoo `{odoo}`: the OAuth2 Authentication module (auth_oauth) is {state}; nothing was changed. Fix: in Odoo, \
         Apps → search \"OAuth2 Authentication\" → Activate, then Settings → Integrations → tick OAuth \
         Authentication → Save; then run login-bridge setup again"
    )]
    AuthOauthMissing { odoo: String, state: String },
    #[error(
        "Odoo `{odoo}`: {source}. Fix: run again with LOGIN_BRIDGE_LOG=debug and read Odoo's server log at the same \
         time; setup is safe to re-run, it only changes what still differs"
    )]
    Odoo { odoo: String, source: OdooError },
    #[error("cannot write setup's report: {0}")]
    Output(#[from] std::io::Error),
    #[error("setup failed for {} Odoo:\n{}", .0.len(), .0.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Several(Vec<SetupError>),
}

impl SetupError {
    /// Names the fix for the failures an admin can cause (wrong URL, key or rights).
    pub(crate) fn from_odoo(odoo: &OdooConfig, error: OdooError) -> Self {
        let id = odoo.id.clone();
        match error {
            OdooError::Unreachable { url, reason } => Self::Unreachable { odoo: id, url, reason },
            OdooError::Http { status, what } => {
                Self::NotOdoo { odoo: id, url: odoo.base(), detail: format!("HTTP {status} to {what}") }
            }
            OdooError::ApiKeyRejected { login } => Self::ApiKeyRejected { odoo: id, login, database: odoo.database.clone() },
            OdooError::AccessError { model, method, message } => {
                // The client splits "auth.oauth.provider.search_read" at the first dot; the
                // method is what follows the last one.
                let call = format!("{model}.{method}");
                let (model, method) = call.rsplit_once('.').map(|(m, f)| (m.to_string(), f.to_string())).unwrap_or((model, method));
                Self::MissingRights {
                    odoo: id,
                    login: odoo.api.as_ref().map(|a| a.login.clone()).unwrap_or_default(),
                    model,
                    method,
                    message,
                }
            }
            source => Self::Odoo { odoo: id, source },
        }
    }
}

/// How one Odoo was handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupMode {
    /// The plan was carried out.
    Applied,
    /// The plan was only printed.
    DryRun,
    /// No API access: the steps were printed for the admin.
    Manual,
}

/// What setup did (or would do) to one Odoo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdooReport {
    pub odoo_id: String,
    pub mode: SetupMode,
    /// Odoo's major release, when it answered.
    pub major: Option<i64>,
    /// Applied (`Applied`) or planned (`DryRun`); empty in `Manual` mode.
    pub changes: Vec<Change>,
    /// Ids of the records created, in the order of the `Create` changes.
    pub created: Vec<i64>,
    pub warnings: Vec<Warning>,
    /// `Manual` mode: the records the admin is asked to create.
    pub manual_records: Vec<DesiredRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetupReport {
    pub odoo: Vec<OdooReport>,
}

impl SetupReport {
    /// True when setup changed (or, on a dry run, would change) nothing anywhere.
    pub fn nothing_to_change(&self) -> bool {
        self.odoo.iter().all(|o| o.changes.is_empty())
    }

    pub fn for_odoo(&self, id: &str) -> Option<&OdooReport> {
        self.odoo.iter().find(|o| o.odoo_id == id)
    }
}

/// Sets up each selected Odoo in turn. A failing Odoo does not stop the others (they are
/// independent); its error is returned at the end, after everything else was reported.
pub async fn run(config: &Config, options: &SetupOptions, out: &mut dyn Write) -> Result<SetupReport, SetupError> {
    let targets: Vec<&OdooConfig> = match &options.odoo {
        Some(id) => vec![config.odoo(id).ok_or_else(|| SetupError::UnknownOdoo {
            id: id.clone(),
            known: config.odoo.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", "),
        })?],
        None => config.odoo.iter().collect(),
    };
    let mut report = SetupReport::default();
    let mut errors = Vec::new();
    for odoo in targets {
        writeln!(out, "Odoo `{}` at {} (database {})", odoo.id, odoo.base(), odoo.database)?;
        let result = if odoo.api.is_some() {
            setup_with_api(config, odoo, options.dry_run, out).await
        } else {
            setup_by_hand(config, odoo, out).await
        };
        match result {
            Ok(one) => report.odoo.push(one),
            // Output failures mean the admin cannot see what happened: stop at once.
            Err(SetupError::Output(e)) => return Err(SetupError::Output(e)),
            Err(error) => {
                // The error itself (with its fix) is the command's result: printed once, at the end.
                writeln!(out, "  failed: see the error below")?;
                errors.push(error);
            }
        }
        writeln!(out)?;
    }
    print_redirect_uris(config, out)?;
    match errors.len() {
        0 => Ok(report),
        1 => Err(errors.remove(0)),
        _ => Err(SetupError::Several(errors)),
    }
}

/// The URIs each upstream provider must know, whatever happened in Odoo.
fn print_redirect_uris(config: &Config, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Register these redirect URIs at the identity providers (exactly, scheme and port included):")?;
    for provider in &config.providers {
        writeln!(out, "  {} ({}): {}", provider.id, provider.display_name, config.redirect_uri(&provider.id))?;
    }
    Ok(())
}

/// Reachability and version: needs no API key, so it is checked first and reported on its own.
async fn check_version(client: &OdooClient, odoo: &OdooConfig) -> Result<(ApiFlavor, i64), SetupError> {
    client.api_flavor().await.map_err(|e| SetupError::from_odoo(odoo, e))
}

async fn setup_with_api(config: &Config, odoo: &OdooConfig, dry_run: bool, out: &mut dyn Write) -> Result<OdooReport, SetupError> {
    let fail = |e: OdooError| SetupError::from_odoo(odoo, e);
    let client = OdooClient::new(odoo.clone()).map_err(fail)?;
    let (flavor, major) = check_version(&client, odoo).await?;
    let api = match flavor {
        ApiFlavor::JsonRpc => "JSON-RPC",
        ApiFlavor::Json2 => "JSON-2",
    };
    writeln!(out, "  ok: Odoo {major} answers ({api} external API)")?;

    // The first authenticated call: a wrong key or database shows up here, before anything is read.
    let module = client.module_state("auth_oauth").await.map_err(fail)?;
    match module.as_deref() {
        Some("installed" | "to upgrade") => {}
        other => {
            let state = match other {
                Some("uninstalled") | None => "not installed".to_string(),
                Some(state) => format!("in state `{state}` (not installed yet)"),
            };
            return Err(SetupError::AuthOauthMissing { odoo: odoo.id.clone(), state });
        }
    }
    let login = odoo.api.as_ref().map(|a| a.login.as_str()).unwrap_or_default();
    writeln!(out, "  ok: auth_oauth is installed; the API key of `{login}` is accepted")?;

    let state = apply::read_state(&client, major).await.map_err(fail)?;
    let Plan { changes, warnings } = plan::plan(config, odoo, &state);

    for change in &changes {
        writeln!(out, "  {}{change}", if dry_run { "would " } else { "" })?;
    }
    for warning in &warnings {
        writeln!(out, "  warning: {warning}\n      fix: {}", warning.fix())?;
    }

    let mut report = OdooReport {
        odoo_id: odoo.id.clone(),
        mode: if dry_run { SetupMode::DryRun } else { SetupMode::Applied },
        major: Some(major),
        changes: Vec::new(),
        created: Vec::new(),
        warnings,
        manual_records: Vec::new(),
    };
    if changes.is_empty() {
        writeln!(out, "  nothing to change")?;
        return Ok(report);
    }
    if dry_run {
        writeln!(out, "  dry run: nothing was changed ({} change(s) planned; run without --dry-run to apply)", changes.len())?;
        report.changes = changes;
        return Ok(report);
    }
    // One write per change, each reported as it lands, so a failure half-way shows what is done.
    for change in changes {
        let created = apply::apply(&client, &change).await.map_err(fail)?;
        writeln!(out, "  done: {}", summary(&change, created))?;
        report.created.extend(created);
        report.changes.push(change);
    }
    writeln!(out, "  {} change(s) applied", report.changes.len())?;
    Ok(report)
}

/// One line per applied change: what, which record, which fields.
fn summary(change: &Change, created: Option<i64>) -> String {
    match change {
        Change::Create { record } => {
            format!("created #{} {:?} ({})", created.map(|id| id.to_string()).unwrap_or_else(|| "?".into()), record.name, record.auth_endpoint)
        }
        Change::Update { id, name, fields, .. } => {
            format!("updated #{id} {name:?} ({})", fields.iter().map(|f| f.field).collect::<Vec<_>>().join(", "))
        }
        Change::Disable { id, name, .. } => format!("disabled #{id} {name:?}"),
        Change::SetParam { key, to, .. } => format!("set {key} = {to}"),
    }
}

/// No API access: nothing can be read or written, so print the by-hand steps instead of failing.
async fn setup_by_hand(config: &Config, odoo: &OdooConfig, out: &mut dyn Write) -> Result<OdooReport, SetupError> {
    // version_info needs no key; when it answers, the steps can match the release. When it does
    // not, the steps are still right: the bridge itself never calls this Odoo.
    let major = match OdooClient::new(odoo.clone()) {
        Ok(client) => match client.api_flavor().await {
            Ok((_, major)) => {
                writeln!(out, "  ok: Odoo {major} answers")?;
                Some(major)
            }
            Err(error) => {
                writeln!(out, "  note: could not ask Odoo for its version ({error}); check `url` if browsers cannot reach it either")?;
                None
            }
        },
        Err(_) => None,
    };
    let records = plan::desired_records(config, odoo);
    manual::print(config, odoo, &records, major, out)?;
    Ok(OdooReport {
        odoo_id: odoo.id.clone(),
        mode: SetupMode::Manual,
        major,
        changes: Vec::new(),
        created: Vec::new(),
        warnings: Vec::new(),
        manual_records: records,
    })
}

/// The `setup` subcommand: exit 0 when every selected Odoo is set up (or planned), 1 otherwise.
pub fn main(config: &Config, options: SetupOptions) -> ExitCode {
    // One Odoo at a time, in order: a single-threaded runtime is all setup needs.
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(error) => {
            eprintln!("login-bridge: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    match runtime.block_on(run(config, &options, &mut stdout)) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("login-bridge setup: {error}");
            ExitCode::FAILURE
        }
    }
}
