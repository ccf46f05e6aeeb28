//! `GET /branding/{odoo}.css`: the accent colour of one Odoo as CSS custom properties.

use super::error_pages::not_found;
use crate::{bridge::AppState, branding};
use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};

pub async fn stylesheet(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let css = file
        .strip_suffix(".css")
        .and_then(|id| state.bridge.odoo(id))
        .and_then(|client| branding::stylesheet(client.config()));
    match css {
        // Short cache: an admin's colour change shows within minutes.
        Some(css) => ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], css).into_response(),
        None => not_found().await,
    }
}
