//! `login-bridge users …` (list, link, unlink, block, unblock, revoke) as library functions on a bridge and a writer.
//! It must never act on a guessed user: an unknown or ambiguous login is an error before anything is written.

mod args;
mod commands;
mod error;
mod list;
mod preview;

pub use args::{OdooChoice, UserChoice, UsersCommand};
pub use commands::{block, link, revoke, unblock, unlink, UnlinkTarget};
pub use error::UsersError;
pub use list::{list, ListFormat};
pub use preview::preview;

use crate::{
    bridge::Bridge,
    config::Config,
    odoo::{OdooClient, OdooError},
};
use std::{io::Write, process::ExitCode};

/// Runs one `users` command against `bridge`, printing what it did to `out`.
pub async fn execute(bridge: &Bridge, command: &UsersCommand, out: &mut dyn Write) -> Result<(), UsersError> {
    match command {
        UsersCommand::List { odoo, json } => {
            list(bridge, odoo.as_deref(), if *json { ListFormat::Json } else { ListFormat::Table }, out).await
        }
        UsersCommand::Link { odoo, provider, subject, user } => link(bridge, odoo.odoo.as_deref(), provider, subject, &user.user, out).await,
        UsersCommand::Unlink { odoo, provider, subject, user } => {
            let target = match (provider, subject, user) {
                (_, _, Some(user)) => UnlinkTarget::User(user.clone()),
                (Some(provider), Some(subject), None) => UnlinkTarget::Identity { provider: provider.clone(), subject: subject.clone() },
                // clap requires --provider with --subject, or --user.
                _ => return Err(UsersError::Empty { arg: "--provider and --subject (or --user)", what: "the link to remove" }),
            };
            unlink(bridge, odoo.odoo.as_deref(), &target, out).await
        }
        UsersCommand::Block { odoo, user, reason } => block(bridge, odoo.odoo.as_deref(), &user.user, reason.as_deref(), out).await,
        UsersCommand::Unblock { odoo, user } => unblock(bridge, odoo.odoo.as_deref(), &user.user, out).await,
        UsersCommand::Revoke { odoo, user } => revoke(bridge, odoo.odoo.as_deref(), &user.user, out).await,
        UsersCommand::Preview { odoo, email, groups } => preview(bridge, odoo.odoo.as_deref(), email, groups, out).await,
    }
}

/// The binary's `users` subcommand: start the bridge's store and clients (no server), run the
/// command, print errors on stderr. Exit code 1 on any error.
pub fn run(config: Config, command: UsersCommand) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("login-bridge: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        let bridge = Bridge::start(config).await?;
        let mut stdout = std::io::stdout().lock();
        execute(&bridge, &command, &mut stdout).await?;
        stdout.flush()?;
        Ok::<(), UsersError>(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("login-bridge: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The Odoo a command acts on: the named one, or the only one configured.
pub(crate) fn pick_odoo<'b>(bridge: &'b Bridge, id: Option<&str>) -> Result<&'b OdooClient, UsersError> {
    let known = || bridge.config.odoo.iter().map(|o| o.id.as_str()).collect::<Vec<_>>().join(", ");
    match id {
        Some(id) => bridge.odoo(id).ok_or_else(|| UsersError::UnknownOdoo { id: id.to_string(), known: known() }),
        None => bridge.odoo_or_default(None).ok_or_else(|| UsersError::OdooNotChosen { known: known() }),
    }
}

/// An Odoo user a command acts on, as the admin will read it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRef {
    pub id: i64,
    /// The Odoo login, or `None` when the bridge could not read it (no API access).
    pub login: Option<String>,
}

impl std::fmt::Display for UserRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.login {
            Some(login) => write!(f, "{} (user id {})", list::printable(login), self.id),
            None => write!(f, "user id {}", self.id),
        }
    }
}

/// The one active Odoo user whose login, else whose email, is `user` (a numeric id also works).
/// Without API access only a numeric id can be resolved.
pub(crate) async fn resolve_user(client: &OdooClient, user: &str) -> Result<UserRef, UsersError> {
    let odoo = client.config().id.clone();
    let wanted = user.trim();
    if wanted.is_empty() {
        return Err(UsersError::Empty { arg: "--user", what: "the Odoo user's login or email" });
    }
    let numeric = wanted.parse::<i64>().ok().filter(|id| *id > 0);
    if client.config().api.is_none() {
        return numeric
            .map(|id| UserRef { id, login: None })
            .ok_or_else(|| UsersError::NeedsUserId { odoo: odoo.clone(), user: wanted.to_string() });
    }
    let lower = wanted.to_lowercase();
    let mut candidates = vec![wanted];
    if lower != wanted {
        candidates.push(&lower);
    }
    for field in ["login", "email"] {
        for value in &candidates {
            let found = client.users_where(field, value).await.map_err(|e| UsersError::odoo(&odoo, e))?;
            match found.as_slice() {
                [] => continue,
                [one] => return Ok(UserRef { id: one.id, login: Some(one.login.clone()) }),
                several => {
                    let matches = several.iter().map(|u| format!("{} (user id {})", list::printable(&u.login), u.id)).collect::<Vec<_>>().join(", ");
                    return Err(UsersError::AmbiguousUser { odoo, user: wanted.to_string(), matches });
                }
            }
        }
    }
    if let Some(id) = numeric {
        if let Some(found) = client.user(id).await.map_err(|e| UsersError::odoo(&odoo, e))?.filter(|u| u.active) {
            return Ok(UserRef { id: found.id, login: Some(found.login) });
        }
    }
    Err(UsersError::UnknownUser { odoo, user: wanted.to_string() })
}

/// Commands that write to Odoo refuse early, with the fix, when there is no API access.
pub(crate) fn require_api(client: &OdooClient, what: &'static str, alternative: &'static str) -> Result<(), UsersError> {
    match client.config().api {
        Some(_) => Ok(()),
        None => Err(UsersError::NoApiAccess { odoo: client.config().id.clone(), what, alternative }),
    }
}

/// Tags an Odoo error with the Odoo it came from (for `map_err`).
pub(crate) fn in_odoo(client: &OdooClient) -> impl Fn(OdooError) -> UsersError + '_ {
    move |error| UsersError::odoo(&client.config().id, error)
}
