//! `[admin]`: who may open the `/admin` dashboard.
//! It must never admit anyone by an email the provider did not verify.

use super::{invalid, ConfigError};
use serde::Deserialize;

/// `[admin]` as written by the admin.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AdminFile {
    /// Emails that may open `/admin` after signing in through a provider that verified them.
    #[serde(default)]
    emails: Vec<String>,
}

/// Who may open the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminConfig {
    /// Lower-cased emails; empty = the dashboard is off (`/admin` answers 404).
    pub emails: Vec<String>,
}

impl AdminConfig {
    /// The dashboard exists only when someone may open it.
    pub fn enabled(&self) -> bool {
        !self.emails.is_empty()
    }

    /// Whether a provider-verified email is an admin's (any case). An unverified one never is.
    pub fn is_admin(&self, email: Option<&str>, verified: bool) -> bool {
        let Some(email) = email.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty()) else { return false };
        verified && self.emails.iter().any(|a| *a == email)
    }
}

pub(super) fn parse_admin(file: AdminFile) -> Result<AdminConfig, ConfigError> {
    let mut emails = Vec::new();
    for email in file.emails {
        let e = email.trim().to_lowercase();
        if e.is_empty() || !e.contains('@') || e.contains(char::is_whitespace) {
            return Err(invalid("admin.emails", format!("`{email}` is not an email address"), "list addresses like \"ops@example.com\""));
        }
        if !emails.contains(&e) {
            emails.push(e);
        }
    }
    Ok(AdminConfig { emails })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_compare_in_any_case_and_only_verified() {
        let admin = parse_admin(AdminFile { emails: vec![" Ops@Example.com ".into()] }).unwrap();
        assert!(admin.enabled());
        assert!(admin.is_admin(Some("OPS@example.COM"), true));
        assert!(!admin.is_admin(Some("ops@example.com"), false));
        assert!(!admin.is_admin(Some("eve@example.com"), true));
        assert!(!admin.is_admin(None, true));
        assert!(!parse_admin(AdminFile::default()).unwrap().enabled());
        assert!(parse_admin(AdminFile { emails: vec!["not an email".into()] }).is_err());
    }
}
