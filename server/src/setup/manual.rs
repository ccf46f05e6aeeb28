//! What `setup` prints for an Odoo the bridge has no API access to: the steps to do by hand.
//! It must never contact Odoo's external API; the admin does everything through Odoo's UI.

use super::plan::{DesiredRecord, AUTHORIZATION_HEADER, FIRST_AUTHORIZATION_HEADER_RELEASE};
use crate::config::{ButtonMode, Config, OdooConfig, SubjectScheme};
use std::io::{self, Write};

/// Labels of Odoo's OAuth Provider form, in the form's order, for each field setup manages.
fn form_rows(record: &DesiredRecord) -> Vec<(&'static str, String)> {
    vec![
        ("Provider name", record.name.clone()),
        ("Client ID", record.client_id.clone()),
        ("Allowed", "✓ (ticked)".into()),
        ("Login button label", record.body.clone()),
        ("CSS class", record.css_class.clone()),
        ("Authorization URL", record.auth_endpoint.clone()),
        ("Scope", record.scope.clone()),
        ("UserInfo URL", record.validation_endpoint.clone()),
        ("Data Endpoint", "(empty)".into()),
        ("Sequence", record.sequence.to_string()),
    ]
}

/// What goes into `oauth_uid`: the subject the bridge presents to Odoo when it cannot link users itself.
fn subject_text(odoo: &OdooConfig) -> &'static str {
    match odoo.subject {
        SubjectScheme::Email => {
            "the user's email address in lower case, e.g. alice@example.com (subject = \"email\"; \
             the bridge only uses emails the provider marks verified)"
        }
        SubjectScheme::ProviderSubject => {
            "`{provider id}:{the person's id at that provider}`, e.g. google:110248495921238986420 \
             (subject = \"provider_subject\"; the id is the `sub` claim, `tid:oid` for Microsoft, the numeric \
             user id for GitHub and Facebook)"
        }
    }
}

/// Prints the by-hand procedure; `major` is Odoo's release when it answered, else `None`.
pub fn print(config: &Config, odoo: &OdooConfig, records: &[DesiredRecord], major: Option<i64>, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "  no API access (no api_login for this Odoo): nothing is changed; do these steps in Odoo by hand")?;
    writeln!(
        out,
        "  1. Install OAuth: Apps → search \"OAuth2 Authentication\" → Activate; then Settings → Integrations → tick \
         OAuth Authentication → Save."
    )?;
    let count = records.len();
    writeln!(
        out,
        "  2. Create {} in Settings → Users & Companies → OAuth Providers → New (or update the one with the same \
         Authorization URL):",
        if count == 1 { "this record".to_string() } else { format!("these {count} records") }
    )?;
    for record in records {
        writeln!(out, "     {:?}", record.name)?;
        for (label, value) in form_rows(record) {
            writeln!(out, "       {label:<20} {value}")?;
        }
    }
    match odoo.odoo_provider_id {
        Some(id) if odoo.buttons == ButtonMode::Single => writeln!(
            out,
            "     The bridge expects this record to have id {id} (odoo_provider_id): after saving, read the id in the \
             form's URL (…&id=N) and set odoo_provider_id = N if it differs."
        )?,
        Some(id) => writeln!(
            out,
            "     Bridge-initiated sign-ins use record id {id} (odoo_provider_id): after saving, read the ids in the \
             forms' URLs (…&id=N) and set odoo_provider_id to the record people should normally use."
        )?,
        None => {}
    }
    let header_step = match major {
        Some(major) if major < FIRST_AUTHORIZATION_HEADER_RELEASE => {
            format!("Odoo {major} has no {AUTHORIZATION_HEADER}; skip this step (the bridge accepts tokens in the URL too).")
        }
        _ => format!(
            "Keep tokens out of Odoo's logs (Odoo 16+): Settings → Technical → System Parameters → New: Key \
             {AUTHORIZATION_HEADER}, Value 1."
        ),
    };
    writeln!(out, "  3. {header_step}")?;
    writeln!(
        out,
        "  4. Link existing users in bulk (the bridge cannot write links without API access). Odoo finds a person by \
         the record they clicked and by the subject the bridge sends, which is {}:",
        subject_text(odoo)
    )?;
    writeln!(out, "     a. Settings → Users → select the users → Actions → Export: tick \"I want to update data (import-compatible export)\" and export ID, Login, Email.")?;
    writeln!(out, "     b. In the file add the columns oauth_uid (\"OAuth User ID\") = each user's subject as above, and oauth_provider_id (\"OAuth Provider\") = the name of the record they will sign in with, e.g. {:?}.", records.first().map(|r| r.name.as_str()).unwrap_or("Login Bridge"))?;
    writeln!(out, "     c. Settings → Users → Actions (or Favorites) → Import records → upload the file → Import; rows update the users by their ID.")?;
    if odoo.buttons == ButtonMode::PerProvider && count > 1 {
        writeln!(
            out,
            "     Odoo keeps one OAuth provider per user: a user linked to one record signs in only with that button. \
             With buttons = \"single\" in [[odoo]] there is one record and every provider works for everyone."
        )?;
    }
    writeln!(
        out,
        "  5. Check sign-up and the stock provider: Settings → General Settings → Permissions → Customer Account: On \
         invitation (unless you want Odoo to create portal users for strangers); Settings → Users & Companies → OAuth \
         Providers → Odoo.com Accounts → untick Allowed unless you use it."
    )?;
    writeln!(
        out,
        "  6. Odoo must reach {}/odoo/tokeninfo server to server, and browsers must reach both.",
        config.public_base()
    )?;
    writeln!(
        out,
        "  7. Optional, the sign-in buttons inside Odoo's login page: install the addon in odoo_addon/login_bridge_embed, \
         then Settings → Technical → System Parameters: login_bridge_embed.url = {} and login_bridge_embed.odoo_id = {}.",
        config.public_base(),
        odoo.id
    )?;
    Ok(())
}
