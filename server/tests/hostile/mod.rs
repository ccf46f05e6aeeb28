//! A hostile OpenID provider for the bridge's relying-party tests: an axum server with a
//! switch of misbehaviours ([`Scenario`]), a raw HTTP/1.1 front for oversized answers, and a
//! world that puts the bridge and the Odoo simulator in front of it.
//!
//! ```ignore
//! let world = HostileWorld::start().await;      // honest until told otherwise
//! world.idp.set(Scenario::AlgNone);
//! let outcome = world.login().await;
//! world.expect_unverified(&outcome);
//! world.expect_nothing_issued().await;
//! ```
#![allow(dead_code, unused_imports)]

pub mod front;
pub mod idp;
pub mod world;

pub use front::PADDING_BYTES;
pub use idp::{ClientAuth, Endpoint, HostileIdp, Hit, Kind, Scenario};
pub use world::{HostileWorld, Setup, ALICE, ALICE_EMAIL, ODOO_ID, PROVIDER, RECORD};
