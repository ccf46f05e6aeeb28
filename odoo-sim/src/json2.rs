// Owns: Odoo 19's JSON-2 external API — `POST /json/2/<model>/<method>` with bearer API keys,
// database selection (`X-Odoo-Database`), named arguments and HTTP-status errors. Must never set
// session cookies (JSON-2 is stateless) nor run ORM logic of its own: it calls `orm::execute_kw`.

use crate::db::Database;
use crate::odoo_error::{simulated_traceback, OdooError};
use crate::orm;
use crate::pyjson::{py_str_repr, Py};
use crate::request_url::host;
use crate::responses::Reply;
use crate::sessions::CookieSession;
use crate::state::SharedSim;
use crate::urlcodec::url_unquote;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use serde_json::{Map, Value};

/// A werkzeug `HTTPException` raised on the JSON-2 route, serialized by the JSON-2 dispatcher.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpError {
    pub status: StatusCode,
    pub description: String,
}

impl HttpError {
    fn new(status: StatusCode, description: impl Into<String>) -> HttpError {
        HttpError { status, description: description.into() }
    }

    fn class_name(&self) -> &'static str {
        match self.status.as_u16() {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            422 => "UnprocessableEntity",
            _ => "InternalServerError",
        }
    }

    /// `serialize_exception(exc, message=exc.description, arguments=(exc.description, exc.code))`.
    fn body(&self) -> Py {
        let class = format!("werkzeug.exceptions.{}", self.class_name());
        let reason = self.status.canonical_reason().unwrap_or("");
        let last_line = format!("{class}: {} {reason}: {}", self.status.as_u16(), self.description);
        Py::dict([
            ("name", Py::Str(class)),
            ("message", Py::str(self.description.clone())),
            ("arguments", Py::List(vec![Py::str(self.description.clone()), Py::Int(self.status.as_u16() as i64)])),
            ("context", Py::Dict(vec![])),
            ("debug", Py::Str(simulated_traceback(&last_line))),
        ])
    }

    fn reply(&self) -> Reply {
        let reply = Reply::json2(self.status, &self.body());
        if self.status == StatusCode::UNAUTHORIZED {
            // werkzeug's `WWWAuthenticate('bearer')`, kept by the dispatcher's handle_error.
            reply.header(header::WWW_AUTHENTICATE, "Bearer")
        } else {
            reply
        }
    }
}

/// Why a JSON-2 call failed: an HTTP exception or an Odoo/Python exception of the method.
#[derive(Debug, Clone, PartialEq)]
pub enum Json2Error {
    Http(HttpError),
    Odoo(OdooError),
}

impl From<OdooError> for Json2Error {
    fn from(e: OdooError) -> Self {
        Json2Error::Odoo(e)
    }
}

impl Json2Error {
    fn http(status: StatusCode, description: impl Into<String>) -> Json2Error {
        Json2Error::Http(HttpError::new(status, description))
    }

    fn reply(&self) -> Reply {
        match self {
            Json2Error::Http(h) => h.reply(),
            Json2Error::Odoo(e) => {
                let status = StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                Reply::json2(status, &e.serialize())
            }
        }
    }
}

/// The database a request is served from (`Request._get_session_and_dbname`).
#[derive(Debug, Clone, PartialEq)]
enum Served {
    /// The simulated database.
    Main,
    /// Another database of the server: it exists but holds nothing the simulator knows.
    Other,
    /// No database: Odoo serves the request without one (the JSON-2 routes then do not exist).
    None,
}

/// The database of a sessionless request: the `X-Odoo-Database` header if it passes the
/// dbfilter, else the session's database, else the only database the dbfilter lets through.
fn served_database(db: &Database, headers: &HeaderMap, cookie: &CookieSession) -> Served {
    let host = host(headers);
    let named = headers.get("x-odoo-database").and_then(|v| v.to_str().ok());
    let dbname = match named {
        Some(name) => db.db_filter_accepts(name, &host).then(|| name.to_string()),
        None if cookie.stored_sid().is_some() && db.db_filter_accepts(&db.name, &host) => Some(db.name.clone()),
        None => {
            let all = db.databases_for_host(&host);
            if all.len() == 1 { all.into_iter().next() } else { None }
        }
    };
    match dbname {
        Some(name) if name == db.name => Served::Main,
        Some(name) if db.other_databases.contains(&name) => Served::Other,
        // A name passing the filter that no database has: the registry fails, Odoo goes nodb.
        _ => Served::None,
    }
}

/// The API key of an `Authorization: bearer <key>` header (scheme case-insensitive).
fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.split_once(char::is_whitespace)?;
    let token = rest.trim_start();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

/// `ir.http._auth_method_bearer`: the API key's user, or why not.
fn authenticate(db: Option<&Database>, headers: &HeaderMap, cookie: &CookieSession) -> Result<i64, Json2Error> {
    let Some(token) = bearer_token(headers) else {
        return Err(Json2Error::http(
            StatusCode::UNAUTHORIZED,
            "User not authenticated, use the \"Authorization\" header",
        ));
    };
    let Some(uid) = db.and_then(|db| db.api_key_user(&token)) else {
        return Err(Json2Error::http(StatusCode::UNAUTHORIZED, "Invalid apikey"));
    };
    if let CookieSession::Valid { uid: session_uid, .. } = cookie {
        if *session_uid != uid {
            return Err(OdooError::AccessDeniedWith("Session user does not match the used apikey".into()).into());
        }
    }
    Ok(uid)
}

/// The JSON body as named arguments (`Json2RpcDispatcher.dispatch`).
fn named_arguments(body: &[u8]) -> Result<Map<String, Value>, Json2Error> {
    if body.is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(Json2Error::http(StatusCode::BAD_REQUEST, "could not parse the body, expecting a json object")),
        Err(e) => Err(Json2Error::http(
            StatusCode::BAD_REQUEST,
            format!("could not parse the body as json: {}", python_json_error(body, &e)),
        )),
    }
}

/// Roughly what Python's `json.loads` says about a malformed document.
fn python_json_error(body: &[u8], e: &serde_json::Error) -> String {
    let (line, column) = (e.line().max(1), e.column().max(1));
    let text = String::from_utf8_lossy(body);
    let before: usize = text.split('\n').take(line - 1).map(|l| l.chars().count() + 1).sum();
    format!("Expecting value: line {line} column {column} (char {})", before + column - 1)
}

/// `WebJson2Controller.web_json_2_rpc`: model and method lookup, `ids`/`context`, signature
/// binding, then the ORM call as the API key's user.
pub fn call(db: &mut Database, uid: i64, model: &str, method: &str, mut kwargs: Map<String, Value>) -> Result<Py, Json2Error> {
    let ids_value = kwargs.remove("ids");
    let context = kwargs.remove("context");
    let Some(m) = orm::model_in(db, model) else {
        return Err(Json2Error::http(StatusCode::NOT_FOUND, format!("the model {} does not exist", py_str_repr(model))));
    };
    if method.starts_with('_') || method == "init" {
        return Err(OdooError::AccessError(format!(
            "Private methods (such as '{model}.{method}') cannot be called remotely."
        ))
        .into());
    }
    let Some(signature) = m.signature(method) else {
        return Err(Json2Error::http(StatusCode::NOT_FOUND, format!("The method '{model}.{method}' does not exist")));
    };
    let ids = match &ids_value {
        None => vec![],
        Some(v) => orm::ids_arg(Some(v))?,
    };
    if signature.on_model && !ids.is_empty() {
        return Err(Json2Error::http(StatusCode::UNPROCESSABLE_ENTITY, format!("cannot call {model}.{method} with ids")));
    }
    signature.bind(&kwargs).map_err(|e| Json2Error::http(StatusCode::UNPROCESSABLE_ENTITY, e))?;
    if let Some(Value::Object(c)) = context {
        kwargs.insert("context".into(), Value::Object(c));
    }
    let args = if signature.on_model { vec![] } else { vec![Value::from(ids)] };
    let result = orm::execute_kw(db, uid, model, method, &args, &kwargs)?;
    // Recordsets come back as their ids: `create` always answers a list.
    Ok(match (method, result) {
        ("create", Py::Int(id)) => Py::List(vec![Py::Int(id)]),
        (_, other) => other,
    })
}

/// Every request under `/json/2` (Odoo 19), or the plain 404 page of older releases.
pub async fn json2(State(sim): State<SharedSim>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Reply {
    let mut world = sim.world();
    if !world.db.version.has_json2() {
        return Reply::werkzeug_error(StatusCode::NOT_FOUND);
    }
    let cookie = world.sessions.classify(&headers, &world.db);
    let served = served_database(&world.db, &headers, &cookie);
    if served == Served::None {
        return Reply::werkzeug_error(StatusCode::NOT_FOUND);
    }
    let path = url_unquote(uri.path());
    let segments: Vec<&str> = path.trim_start_matches("/json/2").trim_start_matches('/').split('/').collect();
    let (model, method_name) = match segments.as_slice() {
        [model, name] if method == Method::POST && !model.is_empty() && !name.is_empty() => (*model, *name),
        _ => {
            return HttpError::new(StatusCode::NOT_FOUND, "Did you mean POST /json/2/<model>/<method>?").reply();
        }
    };
    let outcome = (|| {
        let db = match served {
            Served::Main => Some(&mut world.db),
            _ => None,
        };
        if db.as_ref().is_some_and(|db| !db.external_api) {
            return Err(crate::odoo_error::external_api_unavailable().into());
        }
        let uid = authenticate(db.as_deref(), &headers, &cookie)?;
        let kwargs = named_arguments(&body)?;
        match db {
            Some(db) => call(db, uid, model, method_name, kwargs),
            None => Err(Json2Error::http(StatusCode::UNAUTHORIZED, "Invalid apikey")),
        }
    })();
    match outcome {
        Ok(result) => Reply::json2(StatusCode::OK, &result),
        Err(e) => e.reply(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("BeArEr  k1"));
        assert_eq!(bearer_token(&h).as_deref(), Some("k1"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic k1"));
        assert_eq!(bearer_token(&h), None);
    }

    #[test]
    fn unauthorized_body_has_werkzeug_arguments() {
        let body = HttpError::new(StatusCode::UNAUTHORIZED, "Invalid apikey").body().to_json();
        assert_eq!(body["name"], "werkzeug.exceptions.Unauthorized");
        assert_eq!(body["arguments"], serde_json::json!(["Invalid apikey", 401]));
    }
}
