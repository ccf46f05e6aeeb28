//! Login Bridge: signs people in to Odoo through upstream identity providers.
//! Modules follow a login from `http` down to `odoo`; `cli` is the binary's front door.

pub mod audit;
pub mod branding;
pub mod bridge;
pub mod cli;
pub mod config;
pub mod correlation;
pub mod doctor;
pub mod error;
pub mod flow;
pub mod http;
pub mod i18n;
pub mod login;
pub mod metrics;
pub mod odoo;
pub mod policy;
pub mod reload;
pub mod serve;
pub mod odoo_sessions;
pub mod session;
pub mod setup;
pub mod store;
pub mod tokens;
pub mod upstream;
pub mod users;
