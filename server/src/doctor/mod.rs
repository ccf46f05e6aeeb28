//! `login-bridge doctor`: real round trips to the bridge's public URL, the store, each upstream
//! provider and each Odoo, reported check by check as ok / warning / error, each problem with
//! the sentence that fixes it (the config key, or the Odoo menu).
//! It must never change anything (Odoo, providers, store), never print a secret, and never
//! hang: every network call has a timeout, and each part of the run has one more around it.

mod http;
mod odoo;
mod odoo_records;
mod provider;
mod public_url;
mod render;
mod store;
mod token_probe;

use crate::config::Config;
use serde::{Serialize, Serializer};
use std::{future::Future, process::ExitCode, time::Duration};

/// What the command line (or the dashboard) asks for. A filter narrows the run to that part:
/// `--provider google` checks only that provider, `--odoo acme` only that Odoo, both both;
/// without filters everything is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DoctorOptions {
    /// Only this `[[odoo]] id`.
    pub odoo: Option<String>,
    /// Only this `[[provider]] id`.
    pub provider: Option<String>,
}

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warning,
    Error,
    /// Not run, because something it needs failed or is missing (the message says which).
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warning => "warning",
            Self::Error => "error",
            Self::Skipped => "skipped",
        }
    }
}

/// One check: where (`public_url`, `store`, `provider:{id}`, `odoo:{id}`), what, how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub scope: String,
    pub check: String,
    pub status: Status,
    pub message: String,
    /// What to change, and where; every warning and error has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    pub fn ok(scope: &str, check: &str, message: impl Into<String>) -> Self {
        Self { scope: scope.into(), check: check.into(), status: Status::Ok, message: message.into(), fix: None }
    }
    pub fn warning(scope: &str, check: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self { scope: scope.into(), check: check.into(), status: Status::Warning, message: message.into(), fix: Some(fix.into()) }
    }
    pub fn error(scope: &str, check: &str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Self { scope: scope.into(), check: check.into(), status: Status::Error, message: message.into(), fix: Some(fix.into()) }
    }
    pub fn skipped(scope: &str, check: &str, why: impl Into<String>) -> Self {
        Self { scope: scope.into(), check: check.into(), status: Status::Skipped, message: why.into(), fix: None }
    }
}

/// Every check of one run, in the order they were made (grouped by scope).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DoctorReport {
    pub checks: Vec<Check>,
}

impl DoctorReport {
    pub fn errors(&self) -> usize {
        self.count(Status::Error)
    }
    pub fn warnings(&self) -> usize {
        self.count(Status::Warning)
    }
    fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }
    /// The human report: one block per scope, one line per check, the fix indented below it.
    pub fn render_text(&self) -> String {
        render::text(self)
    }
    /// 0 when no check is an error (warnings allowed), 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.errors() > 0)
    }
}

/// `{"checks":[…],"errors":N,"warnings":N}`: the counts travel with the checks so a reader
/// need not recount.
impl Serialize for DoctorReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            checks: &'a [Check],
            errors: usize,
            warnings: usize,
        }
        Wire { checks: &self.checks, errors: self.errors(), warnings: self.warnings() }.serialize(serializer)
    }
}

/// How long one part of the run (the public URL, the store, one provider, one Odoo) may take in
/// all; each call inside has its own, shorter timeout. A part that overruns becomes one error.
const PART_TIMEOUT: Duration = Duration::from_secs(60);

async fn bounded(scope: &str, part: impl Future<Output = Vec<Check>>) -> Vec<Check> {
    match tokio::time::timeout(PART_TIMEOUT, part).await {
        Ok(checks) => checks,
        Err(_) => vec![Check::error(
            scope,
            "timeout",
            format!("the checks did not finish within {} s", PART_TIMEOUT.as_secs()),
            "run again with LOGIN_BRIDGE_LOG=debug to see which call hangs, and check the network path to it",
        )],
    }
}

/// An unknown `--odoo`/`--provider` id: the only check of the run.
fn unknown_id(kind: &str, flag: &str, id: &str, known: Vec<&str>) -> Check {
    Check::error(
        "options",
        flag,
        format!("there is no [[{kind}]] with id `{id}` in the config"),
        format!("use --{flag} with one of: {}", known.join(", ")),
    )
}

/// Runs every selected check and returns the report; never panics, never fails as a whole.
pub async fn run(config: &Config, options: &DoctorOptions) -> DoctorReport {
    if let Some(id) = options.odoo.as_deref().filter(|id| config.odoo(id).is_none()) {
        return DoctorReport { checks: vec![unknown_id("odoo", "odoo", id, config.odoo.iter().map(|o| o.id.as_str()).collect())] };
    }
    if let Some(id) = options.provider.as_deref().filter(|id| config.provider(id).is_none()) {
        let known = config.providers.iter().map(|p| p.id.as_str()).collect();
        return DoctorReport { checks: vec![unknown_id("provider", "provider", id, known)] };
    }
    let filtered = options.odoo.is_some() || options.provider.is_some();
    let whole = !filtered;
    let providers: Vec<_> = config
        .providers
        .iter()
        .filter(|p| whole || options.provider.as_deref() == Some(p.id.as_str()))
        .collect();
    let odoos: Vec<_> = config.odoo.iter().filter(|o| whole || options.odoo.as_deref() == Some(o.id.as_str())).collect();

    // The parts are independent: run them side by side so a slow one does not add up.
    let public_part = async {
        if whole {
            bounded(public_url::SCOPE, public_url::check(config)).await
        } else {
            Vec::new()
        }
    };
    let store_part = async {
        if whole {
            bounded(store::SCOPE, store::check(config)).await
        } else {
            Vec::new()
        }
    };
    let provider_part = async {
        let mut checks = Vec::new();
        for p in &providers {
            checks.extend(bounded(&provider::scope(p), provider::check(config, p)).await);
        }
        checks
    };
    let odoo_part = async {
        let mut checks = Vec::new();
        for o in &odoos {
            checks.extend(bounded(&odoo::scope(o), odoo::check(config, o)).await);
        }
        checks
    };
    let (public, stored, upstream, odoo) = tokio::join!(public_part, store_part, provider_part, odoo_part);
    let config_part = if whole { config_warnings(config) } else { Vec::new() };
    DoctorReport { checks: [config_part, public, stored, upstream, odoo].concat() }
}

/// What `serve` and `check-config` print as warnings at start (allowed, but not what the admin
/// expects): each sentence names the key and what to change.
fn config_warnings(config: &Config) -> Vec<Check> {
    config
        .warnings()
        .into_iter()
        .map(|warning| Check::warning("config", "warning", warning, "change the config key the warning names as it says, or keep it knowingly"))
        .collect()
}

/// The `doctor` subcommand: prints the report (text or JSON) and exits 0 without errors, 1 with.
pub fn main(config: &Config, options: DoctorOptions, json: bool) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(error) => {
            eprintln!("login-bridge: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let report = runtime.block_on(run(config, &options));
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("login-bridge doctor: cannot write the report: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{}", report.render_text());
    }
    ExitCode::from(report.exit_code())
}
