//! The commands that change something: link, unlink, block, unblock, revoke.
//! It must never let an Odoo outage undo a block, nor hide a failed Odoo write: it says what is left to do.

use super::{in_odoo, pick_odoo, require_api, resolve_user, UserRef, UsersError};
use crate::{
    bridge::Bridge,
    odoo::link::{bridge_subject, provider_record_for, LinkError},
    odoo_sessions::EndError,
    store::{AuditEntry, AuditKind, AuditOutcome, BlockedUser, IdentityLink},
    tokens::unix_now,
};
use std::io::Write;

/// `users link`: the identity (`provider`, `subject`) signs in as `user` from now on.
pub async fn link(bridge: &Bridge, odoo: Option<&str>, provider: &str, subject: &str, user: &str, out: &mut dyn Write) -> Result<(), UsersError> {
    let client = pick_odoo(bridge, odoo)?;
    let odoo_id = client.config().id.clone();
    if bridge.config.provider(provider).is_none() {
        let known = bridge.config.providers.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ");
        return Err(UsersError::UnknownProvider { id: provider.to_string(), known });
    }
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(UsersError::Empty { arg: "--subject", what: "the person's subject at the provider (see `login-bridge users link --help`)" });
    }
    let target = resolve_user(client, user).await?;
    let previous = bridge.store.find_link(provider, subject, &odoo_id).await?;
    let odoo_subject = bridge_subject(target.id);

    // Odoo first: if it fails, the store still says what it said before.
    let written_in_odoo = match client.config().api {
        Some(_) => {
            let record = provider_record_for(client, &bridge.config.public_base(), provider).await.map_err(|e| match e {
                LinkError::Odoo(error) => UsersError::odoo(&odoo_id, error),
                LinkError::Store(error) => UsersError::Store(error),
                _ => UsersError::NoProviderRecord { odoo: odoo_id.clone() },
            })?;
            client.link_user(target.id, record, &odoo_subject).await.map_err(in_odoo(client))?;
            Some(record)
        }
        None => None,
    };
    bridge
        .store
        .save_explicit_link(&IdentityLink {
            provider_id: provider.to_string(),
            upstream_subject: subject.to_string(),
            odoo_id: odoo_id.clone(),
            odoo_user_id: target.id,
            bridge_subject: odoo_subject.clone(),
            email: None,
        })
        .await?;

    let before = match previous {
        Some(p) if p.odoo_user_id != target.id => format!(" (it was linked to user id {} before)", p.odoo_user_id),
        Some(_) => " (it already was; refreshed)".to_string(),
        None => String::new(),
    };
    writeln!(out, "linked {provider} subject `{}` to {target} in Odoo `{odoo_id}`{before}", super::list::printable(subject))?;
    match written_in_odoo {
        Some(record) => writeln!(out, "Odoo knows them as oauth_uid `{odoo_subject}` of provider record {record}; their next sign-in with {provider} lands there")?,
        None => writeln!(out, "the bridge has no API access to Odoo `{odoo_id}`: only the bridge's store changed, nothing was written to Odoo")?,
    }
    Ok(())
}

/// Which links `users unlink` removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnlinkTarget {
    /// One upstream identity.
    Identity { provider: String, subject: String },
    /// Every identity linked to this Odoo user (login, email or numeric id).
    User(String),
}

/// `users unlink`: forget links in the bridge's store. The identities then sign in only if their
/// verified email finds an account; open Odoo sessions are untouched (`users revoke`).
pub async fn unlink(bridge: &Bridge, odoo: Option<&str>, target: &UnlinkTarget, out: &mut dyn Write) -> Result<(), UsersError> {
    let client = pick_odoo(bridge, odoo)?;
    let odoo_id = client.config().id.clone();
    match target {
        UnlinkTarget::Identity { provider, subject } => {
            let subject = subject.trim();
            let Some(found) = bridge.store.find_link(provider, subject, &odoo_id).await? else {
                return Err(UsersError::NotLinked { odoo: odoo_id, provider: provider.clone(), subject: subject.to_string() });
            };
            bridge.store.delete_link(provider, subject, &odoo_id).await?;
            let entry = AuditEntry {
                provider_id: Some(provider.clone()),
                upstream_subject: Some(subject.to_string()),
                odoo_user_id: Some(found.odoo_user_id),
                ..admin_entry(AuditKind::Unlink, AuditOutcome::Success, &odoo_id, "users unlink")
            };
            crate::audit::record(bridge, &entry).await;
            writeln!(
                out,
                "removed the link from {provider} subject `{}` to user id {} in Odoo `{odoo_id}`",
                super::list::printable(subject),
                found.odoo_user_id
            )?;
        }
        UnlinkTarget::User(user) => {
            let target = resolve_user(client, user).await?;
            let removed = bridge.store.delete_links_of_user(&odoo_id, target.id).await?;
            if removed.is_empty() {
                return Err(UsersError::UserHasNoLinks { odoo: odoo_id, user: target.to_string() });
            }
            for r in &removed {
                let entry = AuditEntry {
                    provider_id: Some(r.link.provider_id.clone()),
                    upstream_subject: Some(r.link.upstream_subject.clone()),
                    odoo_user_id: Some(target.id),
                    odoo_login: target.login.clone(),
                    ..admin_entry(AuditKind::Unlink, AuditOutcome::Success, &odoo_id, "users unlink")
                };
                crate::audit::record(bridge, &entry).await;
            }
            let which = removed
                .iter()
                .map(|r| format!("{} `{}`", r.link.provider_id, super::list::printable(&r.link.upstream_subject)))
                .collect::<Vec<_>>()
                .join(", ");
            writeln!(out, "removed {} link(s) of {target} in Odoo `{odoo_id}`: {which}", removed.len())?;
        }
    }
    writeln!(out, "open Odoo sessions are not ended; `login-bridge users revoke --user …` does that")?;
    Ok(())
}

/// `users block`: refuse this user at the bridge's login and end their open sessions.
pub async fn block(bridge: &Bridge, odoo: Option<&str>, user: &str, reason: Option<&str>, out: &mut dyn Write) -> Result<(), UsersError> {
    let client = pick_odoo(bridge, odoo)?;
    // Without API access the bridge never learns which Odoo user signs in, so a block could
    // not be enforced: refuse rather than pretend.
    require_api(client, "blocking a user", ", or archive the user in Odoo")?;
    let odoo_id = client.config().id.clone();
    let target = resolve_user(client, user).await?;
    let newly = bridge
        .store
        .block_user(&BlockedUser {
            odoo_id: odoo_id.clone(),
            odoo_user_id: target.id,
            login: target.login.clone().unwrap_or_else(|| target.id.to_string()),
            reason: reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_string),
            created_at: unix_now(),
        })
        .await?;
    if newly {
        writeln!(out, "blocked {target} in Odoo `{odoo_id}`: sign-in through the bridge is refused")?;
    } else {
        writeln!(out, "{target} was already blocked in Odoo `{odoo_id}`; reason updated")?;
    }
    crate::odoo_sessions::end_sessions(bridge, client, target.id).await.map_err(|error| match error {
        EndError::Store(error) => UsersError::Store(error),
        EndError::Odoo(error) => UsersError::SessionsNotEnded {
            odoo: odoo_id.clone(),
            user: target.login.clone().unwrap_or_else(|| target.id.to_string()),
            error: Box::new(error),
        },
    })?;
    writeln!(out, "ended all their open Odoo sessions")?;
    Ok(())
}

/// `users unblock`: lift a block. Finds the user in Odoo, or else by the login stored with the block
/// (so an archived or renamed user can still be unblocked).
pub async fn unblock(bridge: &Bridge, odoo: Option<&str>, user: &str, out: &mut dyn Write) -> Result<(), UsersError> {
    let client = pick_odoo(bridge, odoo)?;
    let odoo_id = client.config().id.clone();
    let target = match resolve_user(client, user).await {
        Ok(target) => target,
        Err(error @ (UsersError::UnknownUser { .. } | UsersError::NeedsUserId { .. })) => {
            let wanted = user.trim().to_lowercase();
            let blocked = bridge.store.blocked_users(Some(&odoo_id)).await?;
            match blocked.iter().find(|b| b.login.to_lowercase() == wanted) {
                Some(b) => UserRef { id: b.odoo_user_id, login: Some(b.login.clone()) },
                None => return Err(error),
            }
        }
        Err(error) => return Err(error),
    };
    if !bridge.store.unblock_user(&odoo_id, target.id).await? {
        return Err(UsersError::NotBlocked { odoo: odoo_id, user: target.to_string() });
    }
    writeln!(out, "unblocked {target} in Odoo `{odoo_id}`: they can sign in through the bridge again")?;
    Ok(())
}

/// `users revoke`: end every open Odoo session of the user now.
pub async fn revoke(bridge: &Bridge, odoo: Option<&str>, user: &str, out: &mut dyn Write) -> Result<(), UsersError> {
    let client = pick_odoo(bridge, odoo)?;
    require_api(client, "ending a user's sessions", ", or change the user's password in Odoo, which also ends their sessions")?;
    let odoo_id = client.config().id.clone();
    let target = resolve_user(client, user).await?;
    let revoked = crate::odoo_sessions::end_sessions(bridge, client, target.id).await;
    let (outcome, reason) = match &revoked {
        Ok(()) => (AuditOutcome::Success, "users revoke".to_string()),
        Err(error) => (AuditOutcome::Failed, format!("users revoke: {}", crate::error::error_chain(error))),
    };
    let entry = AuditEntry { odoo_user_id: Some(target.id), odoo_login: target.login.clone(), ..admin_entry(AuditKind::Revoke, outcome, &odoo_id, &reason) };
    crate::audit::record(bridge, &entry).await;
    revoked.map_err(|error| match error {
        EndError::Store(error) => UsersError::Store(error),
        EndError::Odoo(error) => in_odoo(client)(error),
    })?;
    writeln!(out, "ended every open Odoo session of {target} in Odoo `{odoo_id}`")?;
    let blocked = bridge.store.is_blocked(&odoo_id, target.id).await?;
    if blocked {
        writeln!(out, "they are blocked, so they cannot sign in through the bridge again until `users unblock`")?;
    } else {
        writeln!(out, "they can sign in again at once; `login-bridge users block` keeps them out")?;
    }
    Ok(())
}

/// An audit row for an admin's command on Odoo `odoo_id` (no client address: it ran here).
fn admin_entry(kind: AuditKind, outcome: AuditOutcome, odoo_id: &str, reason: &str) -> AuditEntry {
    AuditEntry { odoo_id: Some(odoo_id.to_string()), reason: Some(reason.to_string()), ..AuditEntry::now(kind, outcome) }
}
