//! Who may be matched to an Odoo account, per `[[odoo]]`: verified email and allowed domains.
//! It must never let an unverified email find an account.

use crate::{config::OdooConfig, upstream::UpstreamIdentity};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyRefusal {
    #[error("the provider did not share an email address")]
    NoEmail,
    #[error("the provider has not verified the email address {0}")]
    EmailNotVerified(String),
    #[error("{email} is not in a domain allowed to sign in to this Odoo")]
    DomainNotAllowed { email: String },
    #[error("this identity is not linked to an Odoo account and linking by email is off")]
    NotLinked,
}

/// The email that may be used to look up an Odoo account for this person, lower-cased.
pub fn email_for_linking(odoo: &OdooConfig, identity: &UpstreamIdentity) -> Result<String, PolicyRefusal> {
    let email = identity.email.as_deref().map(str::trim).filter(|e| e.contains('@')).ok_or(PolicyRefusal::NoEmail)?;
    let email = email.to_lowercase();
    if !identity.email_verified {
        return Err(PolicyRefusal::EmailNotVerified(email));
    }
    check_domain(odoo, &email)?;
    if !odoo.link_by_email {
        return Err(PolicyRefusal::NotLinked);
    }
    Ok(email)
}

/// The domain allow-list applies to every login, linked or not.
pub fn check_domain(odoo: &OdooConfig, email: &str) -> Result<(), PolicyRefusal> {
    if odoo.allowed_email_domains.is_empty() {
        return Ok(());
    }
    let domain = email.rsplit_once('@').map(|(_, d)| d.to_lowercase()).unwrap_or_default();
    if odoo.allowed_email_domains.iter().any(|d| *d == domain) {
        Ok(())
    } else {
        Err(PolicyRefusal::DomainNotAllowed { email: email.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{OdooApiCredentials, Provision, Secret};

    fn odoo(domains: &[&str], link_by_email: bool) -> OdooConfig {
        OdooConfig {
            id: "acme".into(),
            url: url::Url::parse("http://127.0.0.1:8069").expect("url"),
            database: "acme".into(),
            display_name: "Acme".into(),
            api: Some(OdooApiCredentials { login: "admin".into(), key: Secret::new("k") }),
            link_by_email,
            allowed_email_domains: domains.iter().map(|d| d.to_string()).collect(),
            provision: Provision::Off,
            odoo_provider_id: None,
            default_groups: Vec::new(),
            group_mapping: Default::default(),
            sync_profile: false,
            buttons: Default::default(),
            subject: Default::default(),
            title: None,
            logo_url: None,
            accent_color: None,
            embed_origins: Vec::new(),
            tokeninfo_allowed_ips: Vec::new(),
        }
    }

    fn person(email: Option<&str>, verified: bool) -> UpstreamIdentity {
        UpstreamIdentity {
            provider_id: "devidp".into(),
            subject: "s".into(),
            email: email.map(str::to_string),
            email_verified: verified,
            name: None,
            groups: Vec::new(),
        }
    }

    #[test]
    fn links_by_verified_email_lower_cased() {
        assert_eq!(email_for_linking(&odoo(&[], true), &person(Some("Alice@Example.com"), true)), Ok("alice@example.com".into()));
    }

    #[test]
    fn refuses_unverified_or_missing_email() {
        assert_eq!(
            email_for_linking(&odoo(&[], true), &person(Some("a@example.com"), false)),
            Err(PolicyRefusal::EmailNotVerified("a@example.com".into()))
        );
        assert_eq!(email_for_linking(&odoo(&[], true), &person(None, true)), Err(PolicyRefusal::NoEmail));
    }

    #[test]
    fn refuses_emails_outside_allowed_domains() {
        let o = odoo(&["example.com"], true);
        assert!(email_for_linking(&o, &person(Some("a@example.com"), true)).is_ok());
        assert!(matches!(
            email_for_linking(&o, &person(Some("a@example.com.evil.test"), true)),
            Err(PolicyRefusal::DomainNotAllowed { .. })
        ));
    }

    #[test]
    fn refuses_email_linking_when_turned_off() {
        assert_eq!(email_for_linking(&odoo(&[], false), &person(Some("a@example.com"), true)), Err(PolicyRefusal::NotLinked));
    }
}
