//! Everything the bridge says to Odoo: the external API client, account linking, request checks.
//! It must never send a token or a redirect to an Odoo that is not configured.

pub mod client;
pub mod link;
pub mod request;

pub use client::{OdooClient, OdooError, OdooUser};
