//! `login-bridge users preview EMAIL`: what a login with this (verified) email would do in Odoo,
//! decided by the same code as a real login. It must never write to Odoo or the store.

use super::{pick_odoo, UsersError};
use crate::{
    bridge::Bridge,
    odoo::link::{decide, predictable_subject, LinkDecision},
    upstream::UpstreamIdentity,
};
use std::io::Write;

/// Prints, for a person whose provider vouches for `email`, what the next login would do.
pub async fn preview(
    bridge: &Bridge,
    odoo_id: Option<&str>,
    email: &str,
    groups: &[String],
    out: &mut dyn Write,
) -> Result<(), UsersError> {
    let client = pick_odoo(bridge, odoo_id)?;
    let odoo = client.config();
    // A person the bridge has never seen, with a verified email: the store has no link for them.
    let identity = UpstreamIdentity {
        provider_id: "preview".into(),
        subject: format!("preview:{email}"),
        email: Some(email.to_string()),
        email_verified: true,
        name: None,
        groups: groups.to_vec(),
    };
    writeln!(out, "{email} signing in to {} ({}), email verified by the provider:", odoo.id, odoo.base())?;
    if odoo.api.is_none() {
        match predictable_subject(odoo, &identity) {
            Ok(subject) => writeln!(out, "  Odoo is asked for the user whose oauth_uid is `{subject}` (no API access: the bridge cannot check)")?,
            Err(refusal) => writeln!(out, "  refused: {refusal}")?,
        }
        return Ok(());
    }
    match decide(client, &bridge.store, &identity).await {
        Ok(LinkDecision::Existing { user, .. }) => {
            let kind = if user.share { "portal" } else { "internal" };
            writeln!(out, "  signs in as Odoo user #{} {} ({}, {kind})", user.id, user.login, user.name)?;
            let mapped: Vec<&String> = groups.iter().filter(|g| odoo.group_mapping.contains_key(*g)).collect();
            if !mapped.is_empty() {
                writeln!(out, "  groups added from the provider's groups {mapped:?} when missing")?;
            }
            if odoo.sync_profile {
                writeln!(out, "  name and email are kept in step with the provider")?;
            }
        }
        Ok(LinkDecision::Create { email, name, provision, group_xml_ids }) => {
            writeln!(out, "  no account yet: a {provision:?} user `{email}` ({name}) would be created with groups {}", group_xml_ids.join(", "))?;
        }
        Err(error) => writeln!(out, "  refused: {error}")?,
    }
    Ok(())
}
