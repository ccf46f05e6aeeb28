// Owns: the JSON-RPC envelope (parse, echo `id`, result/error bodies) and `POST /jsonrpc` with its
// common/object/db services. Must never set or destroy session cookies: /jsonrpc is sessionless.

use crate::db::Database;
use crate::odoo_error::OdooError;
use crate::orm;
use crate::pyjson::Py;
use crate::responses::Reply;
use crate::state::SharedSim;
use axum::body::Bytes;
use axum::extract::State;
use serde_json::{Map, Value};

/// A parsed JSON-RPC request.
#[derive(Debug, Clone)]
pub struct RpcCall {
    /// The request `id`, echoed in the answer.
    pub id: Py,
    pub params: Map<String, Value>,
}

/// Parses a JSON-RPC body: unparseable JSON is HTTP 400 "Invalid JSON data" (file 44); a
/// JSON value that is not an object fails like Python's `.get` on it.
pub fn parse_envelope(body: &[u8]) -> Result<RpcCall, Reply> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(_) => return Err(Reply::invalid_json()),
    };
    let Value::Object(obj) = value else {
        let err = OdooError::AttributeError(format!(
            "'{}' object has no attribute 'get'",
            orm::py_type(&value)
        ));
        return Err(error_reply(Py::Null, &err));
    };
    let id = obj.get("id").map(Py::from_json).unwrap_or(Py::Null);
    let params = match obj.get("params") {
        Some(Value::Object(p)) => p.clone(),
        _ => Map::new(),
    };
    Ok(RpcCall { id, params })
}

pub fn result_body(id: Py, result: Py) -> Py {
    Py::dict([("jsonrpc", Py::str("2.0")), ("id", id), ("result", result)])
}

pub fn result_reply(id: Py, result: Py) -> Reply {
    Reply::json(&result_body(id, result))
}

pub fn error_reply(id: Py, err: &OdooError) -> Reply {
    Reply::json_error(&Py::dict([
        ("jsonrpc", Py::str("2.0")),
        ("id", id),
        ("error", err.to_error_object()),
    ]))
}

/// `POST /jsonrpc`.
pub async fn jsonrpc(State(sim): State<SharedSim>, body: Bytes) -> Reply {
    let call = match parse_envelope(&body) {
        Ok(c) => c,
        Err(reply) => return reply,
    };
    let outcome = {
        let mut world = sim.world();
        dispatch(&mut world.db, &call.params)
    };
    match outcome {
        Ok(result) => result_reply(call.id, result),
        Err(e) => error_reply(call.id, &e),
    }
}

fn missing(name: &str) -> OdooError {
    OdooError::TypeError(format!("RPC.jsonrpc() missing 1 required positional argument: '{name}'"))
}

/// `dispatch_rpc(service, method, args)`.
pub fn dispatch(db: &mut Database, params: &Map<String, Value>) -> Result<Py, OdooError> {
    let service = params.get("service").ok_or_else(|| missing("service"))?;
    let method = params.get("method").ok_or_else(|| missing("method"))?;
    let args = params.get("args").ok_or_else(|| missing("args"))?;
    let service = service.as_str().unwrap_or_default();
    let method = method.as_str().unwrap_or_default();
    let args: Vec<Value> = match args {
        Value::Array(a) => a.clone(),
        Value::Null => vec![],
        other => {
            return Err(OdooError::TypeError(format!(
                "odoo.service.{service}.dispatch() argument after * must be an iterable, not {}",
                orm::py_type(other)
            )))
        }
    };
    match service {
        "common" => common(db, method, &args),
        "object" => object(db, method, &args),
        "db" => database_service(db, method, &args),
        other => Err(OdooError::KeyError(crate::pyjson::py_str_repr(other))),
    }
}

fn arity(name: &str, args: &[Value], needed: &[&str]) -> Result<(), OdooError> {
    if args.len() < needed.len() {
        let missing: Vec<String> =
            needed[args.len()..].iter().map(|n| format!("'{n}'")).collect();
        let count = missing.len();
        let plural = if count == 1 { "argument" } else { "arguments" };
        return Err(OdooError::TypeError(format!(
            "{name}() missing {count} required positional {plural}: {}",
            missing.join(" and ")
        )));
    }
    Ok(())
}

/// psycopg2 failing to open a database other than the simulated one.
fn check_db(db: &Database, name: &Value) -> Result<(), OdooError> {
    match name.as_str() {
        Some(n) if n == db.name => Ok(()),
        _ => Err(OdooError::OperationalError(format!(
            "connection to server on socket \"/var/run/postgresql/.s.PGSQL.5432\" failed: FATAL:  database \"{}\" does not exist\n",
            name.as_str().map(str::to_string).unwrap_or_else(|| crate::pyjson::py_repr(name))
        ))),
    }
}

fn common(db: &Database, method: &str, args: &[Value]) -> Result<Py, OdooError> {
    match method {
        "version" => Ok(db.version.version_dict()),
        "about" => Ok(Py::str("See http://openerp.com")),
        "authenticate" | "login" => {
            if !db.external_api {
                return Err(crate::odoo_error::external_api_unavailable());
            }
            let needed: &[&str] = if method == "login" {
                &["db", "login", "password"]
            } else {
                &["db", "login", "password", "user_agent_env"]
            };
            arity(&format!("exp_{method}"), args, needed)?;
            check_db(db, &args[0])?;
            let (Some(login), Some(secret)) = (args[1].as_str(), args[2].as_str()) else {
                return Ok(Py::FALSE);
            };
            Ok(db.authenticate(login, secret).map(Py::Int).unwrap_or(Py::FALSE))
        }
        other => Err(OdooError::Exception(format!("Method not found: {other}"))),
    }
}

/// `int(params[1])` of the object service.
fn uid_arg(v: &Value) -> Result<i64, OdooError> {
    match v {
        Value::Number(n) => n.as_i64().ok_or_else(|| {
            OdooError::ValueError(format!("invalid literal for int() with base 10: '{n}'"))
        }),
        Value::Bool(b) => Ok(*b as i64),
        Value::String(s) => s.trim().parse().map_err(|_| {
            OdooError::ValueError(format!("invalid literal for int() with base 10: {}", crate::pyjson::py_str_repr(s)))
        }),
        other => Err(OdooError::TypeError(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            orm::py_type(other)
        ))),
    }
}

fn object(db: &mut Database, method: &str, args: &[Value]) -> Result<Py, OdooError> {
    if !db.external_api {
        return Err(crate::odoo_error::external_api_unavailable());
    }
    arity("dispatch", args, &["db", "uid", "passwd"])?;
    let uid = uid_arg(&args[1])?;
    check_db(db, &args[0])?;
    let secret = args[2].as_str().unwrap_or_default();
    if !db.check_uid_secret(uid, secret) {
        return Err(OdooError::AccessDenied);
    }
    match method {
        "execute_kw" => {
            arity("execute_kw", &args[3..], &["obj", "method", "args"])?;
            let model = args[3].as_str().unwrap_or_default();
            let name = args[4].as_str().unwrap_or_default();
            let call_args = match &args[5] {
                Value::Array(a) => a.clone(),
                Value::Null => vec![],
                other => {
                    return Err(OdooError::TypeError(format!(
                        "odoo.api.call_kw() argument after * must be an iterable, not {}",
                        orm::py_type(other)
                    )))
                }
            };
            let kwargs = match args.get(6) {
                Some(Value::Object(k)) => k.clone(),
                Some(Value::Null) | None => Map::new(),
                Some(other) => {
                    return Err(OdooError::TypeError(format!(
                        "odoo.api.call_kw() argument after ** must be a mapping, not {}",
                        orm::py_type(other)
                    )))
                }
            };
            orm::execute_kw(db, uid, model, name, &call_args, &kwargs)
        }
        "execute" => {
            arity("execute", &args[3..], &["obj", "method"])?;
            let model = args[3].as_str().unwrap_or_default();
            let name = args[4].as_str().unwrap_or_default();
            orm::execute_kw(db, uid, model, name, &args[5..], &Map::new())
        }
        other => Err(OdooError::NameError(format!("Method not available {other}"))),
    }
}

fn database_service(db: &Database, method: &str, _args: &[Value]) -> Result<Py, OdooError> {
    match method {
        // list_db = False on the recorded server
        "list" => Err(OdooError::AccessDenied),
        "server_version" => Ok(Py::str(db.version.server_version.clone())),
        "db_exist" => Ok(Py::Bool(
            _args.first().and_then(Value::as_str).is_some_and(|n| n == db.name),
        )),
        other => Err(OdooError::KeyError(crate::pyjson::py_str_repr(&format!("exp_{other}")))),
    }
}
