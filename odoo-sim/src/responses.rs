// Owns: the shapes of Odoo/Werkzeug responses (303 redirect page, 400/404/500 pages, JSON bodies,
// header sets and reason phrases). Must never decide *which* response a request deserves.

use crate::pyjson::Py;
use crate::urlcodec::werkzeug_escape;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub const SERVER: &str = "Werkzeug/2.2.2 Python/3.11.2";
const HTML: &str = "text/html; charset=utf-8";
const JSON: &str = "application/json; charset=utf-8";

/// A response under construction; headers come out in Odoo's order (content type, extra
/// headers, cookies, then `X-Content-Type-Options`).
#[derive(Debug)]
pub struct Reply {
    status: StatusCode,
    content_type: &'static str,
    headers: Vec<(HeaderName, HeaderValue)>,
    cookies: Vec<HeaderValue>,
    nosniff: bool,
    body: String,
}

impl Reply {
    fn new(status: StatusCode, content_type: &'static str, body: String, nosniff: bool) -> Reply {
        Reply { status, content_type, headers: vec![], cookies: vec![], nosniff, body }
    }

    /// A 200 HTML page (Odoo pages carry `X-Content-Type-Options: nosniff`).
    pub fn html(body: String) -> Reply {
        Reply::new(StatusCode::OK, HTML, body, true)
    }

    /// Werkzeug's 303 redirect: `Location` and a body pointing at the same place.
    pub fn redirect(location: &str) -> Reply {
        Reply::redirect_showing(location, location)
    }

    /// A 303 whose `Location` differs from the URL its body shows (Odoo rewrites the header of
    /// portal users' `/web` redirects to `/` after rendering, file 60).
    pub fn redirect_showing(location: &str, body_location: &str) -> Reply {
        let shown = werkzeug_escape(body_location);
        let body = format!(
            "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"{shown}\">{shown}</a>. If not, click the link.\n"
        );
        Reply::new(StatusCode::SEE_OTHER, HTML, body, true).header(header::LOCATION, location)
    }

    /// A Werkzeug HTTPException page (400, 404, 500…): no nosniff header, like Odoo.
    pub fn werkzeug_error(status: StatusCode) -> Reply {
        let (name, description) = match status.as_u16() {
            400 => ("Bad Request", "The browser (or proxy) sent a request that this server could not understand."),
            404 => ("Not Found", "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."),
            405 => ("Method Not Allowed", "The method is not allowed for the requested URL."),
            _ => ("Internal Server Error", "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application."),
        };
        let body = format!(
            "<!doctype html>\n<html lang=en>\n<title>{} {name}</title>\n<h1>{name}</h1>\n<p>{description}</p>\n",
            status.as_u16()
        );
        Reply::new(status, HTML, body, false)
    }

    /// HTTP 400 `Invalid JSON data` of a JSON route fed unparseable JSON (file 44).
    pub fn invalid_json() -> Reply {
        Reply::new(StatusCode::BAD_REQUEST, HTML, "Invalid JSON data".into(), true)
    }

    /// A JSON-RPC success envelope.
    pub fn json(body: &Py) -> Reply {
        Reply::new(StatusCode::OK, JSON, body.dumps(), true)
    }

    /// A JSON-RPC error envelope (Odoo sends those without nosniff).
    pub fn json_error(body: &Py) -> Reply {
        Reply::new(StatusCode::OK, JSON, body.dumps(), false)
    }

    /// A JSON-2 answer: the bare result (200, nosniff like every dispatched response) or an
    /// error body from the dispatcher's `handle_error` (any status, no nosniff).
    pub fn json2(status: StatusCode, body: &Py) -> Reply {
        Reply::new(status, JSON, body.dumps(), status == StatusCode::OK)
    }

    /// Any JSON document (simulator-only routes).
    pub fn raw_json(text: String) -> Reply {
        Reply::new(StatusCode::OK, "application/json", text, false)
    }

    pub fn header(mut self, name: HeaderName, value: &str) -> Reply {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((name, v));
        }
        self
    }

    pub fn cookie(mut self, value: HeaderValue) -> Reply {
        self.cookies.push(value);
        self
    }

    pub fn cookie_opt(self, value: Option<HeaderValue>) -> Reply {
        match value {
            Some(v) => self.cookie(v),
            None => self,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body).into_response();
        let h = response.headers_mut();
        h.clear();
        h.insert(header::SERVER, HeaderValue::from_static(SERVER));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        for (name, value) in self.headers {
            h.append(name, value);
        }
        for c in self.cookies {
            h.append(header::SET_COOKIE, c);
        }
        if self.nosniff {
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        }
        response
    }
}

/// Werkzeug's upper-case reason phrases ("303 SEE OTHER"), set on every response.
pub async fn werkzeug_reason_phrase(mut response: Response) -> Response {
    let phrase: Option<&[u8]> = match response.status().as_u16() {
        200 => Some(b"OK"),
        303 => Some(b"SEE OTHER"),
        302 => Some(b"FOUND"),
        400 => Some(b"BAD REQUEST"),
        401 => Some(b"UNAUTHORIZED"),
        403 => Some(b"FORBIDDEN"),
        404 => Some(b"NOT FOUND"),
        422 => Some(b"UNPROCESSABLE ENTITY"),
        405 => Some(b"METHOD NOT ALLOWED"),
        500 => Some(b"INTERNAL SERVER ERROR"),
        _ => None,
    };
    if let Some(p) = phrase.and_then(|p| hyper::ext::ReasonPhrase::try_from(p).ok()) {
        response.extensions_mut().insert(p);
    }
    if !response.headers().contains_key(header::SERVER) {
        response.headers_mut().insert(header::SERVER, HeaderValue::from_static(SERVER));
    }
    response
}
