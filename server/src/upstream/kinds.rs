//! The table of per-kind defaults: button name, icon and scopes. Data, not code paths.
//! It must never hold an endpoint a test cannot override (those live in `config::KindSettings`).

use crate::config::ProviderKind;

pub struct KindDefaults {
    /// Button name when the admin sets none; `None` means "use the provider id".
    pub display_name: Option<&'static str>,
    pub icon: &'static str,
    /// Scopes besides `openid`.
    pub scopes: &'static [&'static str],
}

/// Logos the page can draw inline (no external requests, CSP stays strict).
pub const ICONS: &[&str] = &["google", "microsoft", "github", "facebook", "gitlab", "openid", "key", "none"];

pub fn defaults(kind: ProviderKind) -> KindDefaults {
    match kind {
        ProviderKind::Google => KindDefaults { display_name: Some("Google"), icon: "google", scopes: &["email", "profile"] },
        ProviderKind::Microsoft => KindDefaults { display_name: Some("Microsoft"), icon: "microsoft", scopes: &["email", "profile"] },
        // read:user for the numeric id and name; user:email for /user/emails (primary + verified).
        ProviderKind::Github => KindDefaults { display_name: Some("GitHub"), icon: "github", scopes: &["read:user", "user:email"] },
        ProviderKind::Facebook => KindDefaults { display_name: Some("Facebook"), icon: "facebook", scopes: &["public_profile", "email"] },
        ProviderKind::Gitlab => KindDefaults { display_name: Some("GitLab"), icon: "gitlab", scopes: &["email", "profile"] },
        ProviderKind::Oidc => KindDefaults { display_name: None, icon: "openid", scopes: &["email", "profile"] },
    }
}
