//! The words of `login-bridge users …` as clap parses them; the doc comments are its manual.
//! It must never hold logic: every command is a library function in `users`.

use clap::{Args, Subcommand};

/// Which Odoo a command acts on.
#[derive(Debug, Clone, Default, Args)]
pub struct OdooChoice {
    /// The `[[odoo]] id` to act on. May be left out when the config has only one `[[odoo]]`.
    #[arg(long, value_name = "ID")]
    pub odoo: Option<String>,
}

/// Who a command acts on.
#[derive(Debug, Clone, Args)]
pub struct UserChoice {
    /// The Odoo user: their login or email address (or the numeric user id, the `id=` in the URL
    /// of their form in Odoo; needed when the bridge has no API access to that Odoo).
    #[arg(long, value_name = "LOGIN_OR_EMAIL")]
    pub user: String,
}

#[derive(Debug, Clone, Subcommand)]
pub enum UsersCommand {
    /// Show the identity links and the blocked users.
    ///
    /// An identity link says which upstream identity (provider and subject) reaches which Odoo
    /// user; logins make them, and so does `users link`. Reads only the bridge's store: Odoo need
    /// not be reachable.
    List {
        /// Only this `[[odoo]] id` (default: every configured Odoo).
        #[arg(long, value_name = "ID")]
        odoo: Option<String>,
        /// Print JSON (`{"links": […], "blocked": […]}`) instead of tables, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Link an upstream identity to an Odoo user explicitly.
    ///
    /// For people whose email the provider does not vouch for (e.g. Microsoft without the
    /// `xms_edov` claim): the identity then signs in as that user whatever its email says.
    /// Writes the link in Odoo too when the bridge has API access.
    Link {
        #[command(flatten)]
        odoo: OdooChoice,
        /// The `[[provider]] id` the person signs in with, e.g. `microsoft`.
        #[arg(long, value_name = "PROVIDER")]
        provider: String,
        /// The person's subject at that provider: Google, GitLab and OpenID Connect `sub`;
        /// Microsoft `{tenant id}:{object id}` (lower case); GitHub and Facebook the numeric user id.
        #[arg(long, value_name = "SUBJECT")]
        subject: String,
        #[command(flatten)]
        user: UserChoice,
    },
    /// Remove identity links: one identity's, or every link of a user.
    ///
    /// Give `--provider` and `--subject` (as `users list` shows them), or `--user`. The identity
    /// then signs in only if its verified email finds an account. Open Odoo sessions stay open;
    /// `users revoke` ends them.
    Unlink {
        #[command(flatten)]
        odoo: OdooChoice,
        /// The `[[provider]] id` of the link to remove (with `--subject`).
        #[arg(long, value_name = "PROVIDER", requires = "subject", required_unless_present = "user", conflicts_with = "user")]
        provider: Option<String>,
        /// The subject at that provider of the link to remove (with `--provider`); `users list` shows it.
        #[arg(long, value_name = "SUBJECT", requires = "provider", conflicts_with = "user")]
        subject: Option<String>,
        /// Remove every link to this Odoo user instead: their login or email (or numeric user id).
        #[arg(long, value_name = "LOGIN_OR_EMAIL")]
        user: Option<String>,
    },
    /// Refuse sign-in through the bridge to a user and end their open Odoo sessions.
    ///
    /// They get an "Access blocked" page asking them to contact their administrator, whichever
    /// provider they use. Their password login to Odoo, if any, is not affected (archive the user
    /// in Odoo for that). Needs API access to that Odoo.
    Block {
        #[command(flatten)]
        odoo: OdooChoice,
        #[command(flatten)]
        user: UserChoice,
        /// Why, for whoever reads `users list` later (never shown to the user).
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Let a blocked user sign in through the bridge again.
    Unblock {
        #[command(flatten)]
        odoo: OdooChoice,
        #[command(flatten)]
        user: UserChoice,
    },
    /// End every open Odoo session of a user at once, on every device.
    ///
    /// Writes a fresh random value to the user's `oauth_access_token` in Odoo, which invalidates
    /// all their sessions. They can sign in again right away; `users block` keeps them out. Needs
    /// API access to that Odoo.
    Revoke {
        #[command(flatten)]
        odoo: OdooChoice,
        #[command(flatten)]
        user: UserChoice,
    },
    /// Show what would happen if a person with this email signed in, without doing it.
    ///
    /// Runs the same decision as a login (existing link or account, provisioning, domain
    /// allow-list, archived or ambiguous accounts) as if the provider had verified the email,
    /// and prints it. Writes nothing to Odoo or the store.
    Preview {
        #[command(flatten)]
        odoo: OdooChoice,
        /// The email address the provider would vouch for.
        email: String,
        /// Groups or roles the provider would send (for `group_mapping`); repeat for several.
        #[arg(long = "group")]
        groups: Vec<String>,
    },
}
