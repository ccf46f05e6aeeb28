// Owns: the crate's public face — `Seed`, `router`, `serve` — and the route table of the Odoo
// simulator. Must never contain behaviour itself: each route lives in its own module.

//! An in-memory simulator of an Odoo server with the stock `auth_oauth` module, faithful to
//! recorded Odoo 18 exchanges (login page buttons, `/auth_oauth/signin`, sessions, JSON-RPC),
//! with the Odoo 19 flavour's JSON-2 API (`/json/2/<model>/<method>`).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let seed = odoo_sim::Seed::transcripts();
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! println!("Odoo simulator on http://{}", listener.local_addr()?);
//! odoo_sim::serve(seed, listener).await
//! # }
//! ```

pub mod db;
pub mod embed_block;
pub mod json2;
pub mod jsonrpc;
pub mod login_page;
pub mod odoo_error;
pub mod orm;
pub mod page_session;
pub mod pyjson;
pub mod request_url;
pub mod responses;
pub mod seed;
pub mod session_info;
pub mod session_routes;
pub mod sessions;
pub mod signin;
pub mod sim_hooks;
pub mod state;
pub mod token_validation;
pub mod urlcodec;
pub mod version;
pub mod webclient;

pub use seed::{Seed, SeedError, SeedGroup, SeedProvider, SeedUser, SignupScope};

use axum::http::StatusCode;
use axum::routing::{any, get, post};
use axum::Router;
use responses::Reply;
use state::{SharedSim, Sim};
use std::sync::Arc;

async fn not_found() -> Reply {
    Reply::werkzeug_error(StatusCode::NOT_FOUND)
}

/// The simulator's routes over a fresh database built from `seed`.
///
/// Panics if the seed is inconsistent (use [`Seed::validate`] first to get an error instead).
pub fn router(seed: Seed) -> Router {
    match try_router(seed) {
        Ok(r) => r,
        Err(e) => panic!("invalid odoo-sim seed: {e}"),
    }
}

/// Like [`router`], but reports an invalid seed as an error.
pub fn try_router(seed: Seed) -> Result<Router, String> {
    let sim: SharedSim = Arc::new(Sim::new(&seed)?);
    Ok(Router::new()
        .route("/web/login", get(login_page::get_login).post(login_page::post_login))
        .route("/auth_oauth/signin", get(signin::signin))
        .route("/web/session/get_session_info", post(session_routes::get_session_info))
        .route("/web/session/authenticate", post(session_routes::authenticate))
        .route("/web/session/destroy", post(session_routes::destroy))
        .route("/web/session/logout", get(webclient::logout))
        .route("/web/webclient/version_info", post(session_routes::version_info))
        .route("/jsonrpc", post(jsonrpc::jsonrpc))
        .route("/json/2", any(json2::json2))
        .route("/json/2/{*subpath}", any(json2::json2))
        .route("/web", get(webclient::web_client))
        .route("/odoo", get(webclient::web_client))
        .route("/odoo/{*subpath}", get(webclient::web_client))
        .route("/web/login_successful", get(webclient::login_successful))
        .route("/", get(webclient::root))
        .route(embed_block::LISTENER_PATH, get(embed_block::listener_script))
        .route(
            "/__sim/validation_log",
            get(sim_hooks::validation_log).delete(sim_hooks::clear_validation_log),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(axum::middleware::map_response(responses::werkzeug_reason_phrase))
        .with_state(sim))
}

/// Serves the simulator on `listener` until the task is dropped or the server fails.
pub async fn serve(seed: Seed, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = try_router(seed).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    axum::serve(listener, app).await
}
