//! Login Bridge: signs people in to Odoo through upstream identity providers.
//! Modules follow a login from `http` down to `odoo`; `cli` is the binary's front door.

pub mod branding;
pub mod bridge;
pub mod cli;
pub mod config;
pub mod error;
pub mod flow;
pub mod http;
pub mod i18n;
pub mod login;
pub mod odoo;
pub mod policy;
pub mod serve;
pub mod sessions;
pub mod setup;
pub mod store;
pub mod tokens;
pub mod upstream;
pub mod users;
