//! Ending every Odoo session of one user: what `login-bridge users revoke` and the account
//! page's "Sign out everywhere" do, in one place so they can never differ.
//! It must never leave a token usable that was minted before the sessions ended.

use crate::{
    bridge::Bridge,
    odoo::{link::bridge_subject, OdooClient, OdooError},
    store::StoreError,
};

#[derive(Debug, thiserror::Error)]
pub enum RevokeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Odoo(#[from] OdooError),
}

/// Spends the tokens minted for the user that Odoo has not redeemed yet, then ends their
/// sessions (a fresh random `oauth_access_token`, which Odoo checks on every request).
pub async fn revoke_user_sessions(bridge: &Bridge, client: &OdooClient, user_id: i64) -> Result<(), RevokeError> {
    bridge.store.void_tokens(&client.config().id, &bridge_subject(user_id)).await?;
    client.revoke_sessions(user_id).await?;
    Ok(())
}
