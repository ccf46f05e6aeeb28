//! One correlation id per login flow: made when the login starts, kept in the pending flow, and
//! carried by a tracing span (`correlation_id` field) around the start and the callback, so every
//! log line of the flow (Odoo and upstream modules included) and the error page share it.
//! It must never be anything but random: it is shown to people and must not name them.

use axum::{extract::Request, middleware::Next, response::Response};
use std::future::Future;
use tracing::Instrument;

tokio::task_local! {
    /// The flow's id while its handler runs (read by `error::correlation_id` for the error page).
    static CURRENT: String;
}

/// A fresh random id (12 letters and digits).
pub fn fresh() -> String {
    crate::tokens::random_256().chars().filter(|c| c.is_ascii_alphanumeric()).take(12).collect()
}

/// The id of the flow being handled, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// Runs `future` as part of the flow `id`: inside the `flow` span and with `current()` = `id`.
pub async fn in_flow<T>(id: String, future: impl Future<Output = T>) -> T {
    let span = tracing::info_span!("flow", correlation_id = %id);
    CURRENT.scope(id, future.instrument(span)).await
}

/// Middleware for the routes that start a login: each request is a new flow with a new id.
pub async fn new_flow(request: Request, next: Next) -> Response {
    in_flow(fresh(), next.run(request)).await
}
