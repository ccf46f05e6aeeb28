//! The command line: `login-bridge serve --config FILE` (and `check-config`).
//! It must never echo a secret; errors name the config key and the fix.

use crate::config::Config;
use clap::{Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode};

/// Sign in to Odoo with Google, Microsoft, GitHub, Facebook, GitLab or any OpenID Connect provider.
///
/// Odoo's stock `auth_oauth` module trusts the bridge as its OAuth provider; the bridge signs
/// people in upstream with Authorization Code + PKCE, links them to their Odoo user and hands
/// Odoo a short-lived single-use token. See the README for the configuration reference.
///
/// State (flows, tokens, identity links) lives in the store named by `[store] url`: a SQLite
/// file (`sqlite://data/login-bridge.db`) for one bridge process, or PostgreSQL
/// (`postgres://user@host:5432/database`, password from `password_env` / `password_file`, or the
/// whole URL from `url_env` / `url_file`) for several bridges sharing one database behind a load
/// balancer. `max_pending_requests`, `max_pending_flows` and `max_live_tokens` cap the
/// short-lived tables (over a cap a sign-in gets 503 with Retry-After).
#[derive(Debug, Parser)]
#[command(name = "login-bridge", version)]
pub struct Cli {
    /// The TOML configuration file.
    #[arg(long, short, global = true, env = "LOGIN_BRIDGE_CONFIG", default_value = "login-bridge.toml")]
    pub config: PathBuf,
    /// How log lines are written on stderr: `human` (one readable line each) or `json` (one JSON
    /// object per line, with the flow's `correlation_id` under `span`, for log collectors).
    #[arg(long, global = true, env = "LOGIN_BRIDGE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

/// The format of the log on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bridge: the provider page, the OAuth endpoints for Odoo and the upstream callbacks.
    ///
    /// SIGHUP reloads the configuration (secrets from `*_env` / `*_file` included) without
    /// dropping logins in progress; a file that does not load changes nothing and is logged.
    /// `listen` and `[store]` change only with a restart.
    Serve,
    /// Read and validate the configuration (secrets included), print a summary, and exit.
    CheckConfig,
    /// Create or update Odoo's OAuth provider records for the bridge (idempotent); print what changed.
    Setup {
        /// Only this Odoo (`[[odoo]] id`); default: every configured Odoo.
        #[arg(long = "odoo", value_name = "ID")]
        odoo: Option<String>,
        /// Print the plan and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Check the setup end to end and say what to fix: public URL, store, providers, Odoo.
    ///
    /// Makes real round trips and changes nothing. Each check is ok, warning, error or skipped;
    /// each problem comes with the config key or the Odoo menu that fixes it.
    ///
    /// public_url: GET {public_url}/healthz, and where a reverse proxy redirects it (a proxy
    /// forcing https while public_url says http breaks every redirect URI).
    ///
    /// store: opens, accepts a write (rolled back), holds the migrations this binary expects.
    ///
    /// provider: discovery document and issuer, signing keys, clock, and a token request with
    /// a made-up code, which tells right from wrong client credentials.
    ///
    /// odoo: version, API key, the technical user's rights, auth_oauth, the provider records,
    /// auth_oauth.authorization_header, open sign-up, the stock Odoo.com provider, users
    /// without email.
    ///
    /// Exit status: 0 without errors (warnings allowed), 1 with errors, 2 when the config does
    /// not load.
    Doctor {
        /// Only this Odoo (`[[odoo]] id`); with a filter, only the filtered parts are checked.
        #[arg(long = "odoo", value_name = "ID")]
        odoo: Option<String>,
        /// Only this provider (`[[provider]] id`); with a filter, only the filtered parts are checked.
        #[arg(long = "provider", value_name = "ID")]
        provider: Option<String>,
        /// Print the report as JSON: {"checks":[{"scope","check","status","message","fix"}],"errors":N,"warnings":N}.
        #[arg(long)]
        json: bool,
    },
    /// Manage who signs in: links, blocks and Odoo sessions.
    ///
    /// List links and blocks, link or unlink an identity, block or unblock a user, or end a
    /// user's Odoo sessions. Each prints what it did; an error prints the fix and exits with 1.
    Users {
        #[command(subcommand)]
        command: crate::users::UsersCommand,
    },
    /// Show the audit log: logins (success, refused, failed, with the reason), revokes and
    /// unlinks, newest first, times in UTC. Reads only the store.
    Audit(crate::audit::cli::AuditArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    let config = match Config::load(&cli.config) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("login-bridge: {error}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Setup { odoo, dry_run } => crate::setup::main(&config, crate::setup::SetupOptions { odoo, dry_run }),
        Command::CheckConfig => {
            println!("configuration OK: {} Odoo, {} provider(s)", config.odoo.len(), config.providers.len());
            println!("  store: {}", config.store.backend.describe());
            for warning in config.warnings() {
                println!("  warning: {warning}");
            }
            for provider in &config.providers {
                println!("  provider {}: register the redirect URI {}", provider.id, config.redirect_uri(&provider.id));
            }
            for odoo in &config.odoo {
                println!(
                    "  odoo {}: auth_endpoint {}/odoo/authorize[/<provider>], validation_endpoint {}/odoo/tokeninfo",
                    odoo.id,
                    config.public_base(),
                    config.public_base()
                );
                println!(
                    "  odoo {}: embed page {}/embed?odoo={} may be framed by {}",
                    odoo.id,
                    config.public_base(),
                    odoo.id,
                    odoo.frame_origins().join(", ")
                );
            }
            for line in crate::odoo_sessions::check_config_lines(&config) {
                println!("  {line}");
            }
            ExitCode::SUCCESS
        }
        Command::Doctor { odoo, provider, json } => crate::doctor::main(&config, crate::doctor::DoctorOptions { odoo, provider }, json),
        Command::Users { command } => crate::users::run(config, command),
        Command::Audit(args) => crate::audit::cli::main(&config, &args),
        Command::Serve => {
            let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
                Ok(rt) => rt,
                Err(error) => {
                    eprintln!("login-bridge: cannot start the async runtime: {error}");
                    return ExitCode::FAILURE;
                }
            };
            match runtime.block_on(crate::serve::serve(config, cli.config.clone())) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("login-bridge: {error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LOGIN_BRIDGE_LOG")
        // PostgreSQL's NOTICEs ("relation _sqlx_migrations already exists, skipping" at every
        // start) are not news for an admin.
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx::postgres::notice=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        // Colour codes only for a person at a terminal, never into a log file or journal.
        LogFormat::Human => builder.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).try_init(),
        // The current span (the flow and its correlation id) on each line; the whole span list
        // would only repeat it.
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).try_init(),
    };
}
