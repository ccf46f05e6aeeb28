// Owns: the generic ORM methods reachable through execute_kw (search, search_read, read, write,
// create, unlink, fields_get…) and the model registry. Must never know HTTP, cookies or sessions.

pub mod config_parameter;
pub mod domain;
pub mod model_data;
pub mod module;
pub mod oauth_provider;
pub mod res_groups;
pub mod res_users;
pub mod signature;

use crate::db::Database;
use crate::odoo_error::{access_error, OdooError, Operation};
use crate::pyjson::{py_repr, Py};
use serde_json::{Map, Value};

/// Who calls: the authenticated RPC user and the call's context.
#[derive(Debug, Clone)]
pub struct Env {
    pub uid: i64,
    pub internal: bool,
    pub admin: bool,
    pub system: bool,
    pub context: Map<String, Value>,
}

impl Env {
    pub fn for_user(db: &Database, uid: i64, context: Map<String, Value>) -> Env {
        let user = db.users.get(&uid);
        Env {
            uid,
            internal: user.is_some_and(|u| u.is_internal()),
            admin: user.is_some_and(|u| u.is_admin()),
            system: user.is_some_and(|u| u.is_system()),
            context,
        }
    }

    fn active_test(&self) -> bool {
        !matches!(self.context.get("active_test"), Some(Value::Bool(false)))
    }
}

/// A field value as stored (before serialization).
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// NULL / Python False.
    False,
    Bool(bool),
    Int(i64),
    Str(String),
    M2o(i64, String),
    M2m(Vec<i64>),
}

impl Val {
    pub fn opt_str(s: &Option<String>) -> Val {
        match s {
            Some(s) => Val::Str(s.clone()),
            None => Val::False,
        }
    }

    pub fn to_py(&self) -> Py {
        match self {
            Val::False => Py::FALSE,
            Val::Bool(b) => Py::Bool(*b),
            Val::Int(i) => Py::Int(*i),
            Val::Str(s) => Py::Str(s.clone()),
            Val::M2o(id, name) => Py::List(vec![Py::Int(*id), Py::Str(name.clone())]),
            Val::M2m(ids) => Py::ints(ids),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Char,
    Boolean,
    Integer,
    Many2one(&'static str),
    Many2many(&'static str),
}

impl FieldType {
    fn odoo_name(self) -> &'static str {
        match self {
            FieldType::Char => "char",
            FieldType::Boolean => "boolean",
            FieldType::Integer => "integer",
            FieldType::Many2one(_) => "many2one",
            FieldType::Many2many(_) => "many2many",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub name: &'static str,
    pub string: &'static str,
    pub ftype: FieldType,
    pub required: bool,
    pub readonly: bool,
}

pub const fn field(name: &'static str, string: &'static str, ftype: FieldType) -> FieldDef {
    FieldDef { name, string, ftype, required: false, readonly: false }
}

/// One row of a model, field values in the model's field order.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: i64,
    pub values: Vec<(&'static str, Val)>,
}

impl Record {
    pub fn get(&self, name: &str) -> Val {
        if name == "id" {
            return Val::Int(self.id);
        }
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap_or(Val::False)
    }
}

/// One simulated Odoo model.
pub trait Model: Sync {
    fn name(&self) -> &'static str;
    fn description(&self) -> &'static str;
    fn fields(&self) -> &'static [FieldDef];
    fn default_order(&self) -> &'static str;
    fn has_active(&self) -> bool {
        false
    }
    /// Fields masked as "********" for non-admins and refused in domains.
    fn private_fields(&self) -> &'static [&'static str] {
        &[]
    }
    /// Every row, archived ones included.
    fn records(&self, db: &Database) -> Vec<Record>;
    /// `ir.model.access` for this model.
    fn check_access(&self, db: &Database, env: &Env, op: Operation) -> Result<(), OdooError>;
    /// How public method `method` is declared (for named-argument calls); `None` = no such
    /// public method.
    fn signature(&self, method: &str) -> Option<signature::Signature> {
        signature::base_method(method)
    }
    /// Model-specific public methods (e.g. `get_param`); `None` = not such a method.
    fn call_method(
        &self,
        _db: &mut Database,
        _env: &Env,
        _method: &str,
        _args: &[Value],
        _kwargs: &Map<String, Value>,
    ) -> Option<Result<Py, OdooError>> {
        None
    }
    fn create(&self, db: &mut Database, env: &Env, vals: &Map<String, Value>) -> Result<i64, OdooError>;
    fn write(
        &self,
        db: &mut Database,
        env: &Env,
        ids: &[i64],
        vals: &Map<String, Value>,
    ) -> Result<(), OdooError>;
    fn unlink(&self, db: &mut Database, env: &Env, ids: &[i64]) -> Result<(), OdooError>;

    fn access_denied(&self, op: Operation, groups: &[String]) -> OdooError {
        access_error(op, self.description(), self.name(), groups)
    }
}

static MODELS: [&dyn Model; 6] = [
    &res_users::UNTIL_18,
    &res_groups::ResGroups,
    &oauth_provider::OAuthProvider,
    &config_parameter::ConfigParameter,
    &module::IrModule,
    &model_data::IrModelData,
];

/// A model as Odoo 18 declares it.
pub fn model_by_name(name: &str) -> Option<&'static dyn Model> {
    MODELS.iter().copied().find(|m| m.name() == name)
}

/// A model as the simulated release declares it (res.users differs in 19).
pub fn model_in(db: &Database, name: &str) -> Option<&'static dyn Model> {
    if name == "res.users" && !db.version.stores_implied_groups() {
        return Some(&res_users::SINCE_19);
    }
    model_by_name(name)
}

/// `execute_kw(db, uid, password, model, method, args, kwargs)` once the caller is authenticated.
pub fn execute_kw(
    db: &mut Database,
    uid: i64,
    model: &str,
    method: &str,
    args: &[Value],
    kwargs: &Map<String, Value>,
) -> Result<Py, OdooError> {
    let context = kwargs.get("context").and_then(Value::as_object).cloned().unwrap_or_default();
    let env = Env::for_user(db, uid, context);
    let Some(m) = model_in(db, model) else {
        return Err(OdooError::UserError(format!("Object {model} doesn't exist")));
    };
    if method.starts_with('_') {
        return Err(OdooError::AccessError(format!(
            "Private methods (such as '{model}.{method}') cannot be called remotely."
        )));
    }
    if let Some(result) = m.call_method(db, &env, method, args, kwargs) {
        return result;
    }
    match method {
        "search" => {
            let ids = search(
                m,
                db,
                &env,
                arg(args, kwargs, 0, "domain"),
                int_arg(arg(args, kwargs, 1, "offset"))?,
                opt_int_arg(arg(args, kwargs, 2, "limit"))?,
                str_arg(arg(args, kwargs, 3, "order")),
            )?;
            Ok(Py::ints(&ids))
        }
        "search_count" => {
            let ids = search(
                m,
                db,
                &env,
                arg(args, kwargs, 0, "domain"),
                0,
                opt_int_arg(arg(args, kwargs, 1, "limit"))?,
                None,
            )?;
            Ok(Py::Int(ids.len() as i64))
        }
        "search_read" => {
            let ids = search(
                m,
                db,
                &env,
                arg(args, kwargs, 0, "domain"),
                int_arg(arg(args, kwargs, 2, "offset"))?,
                opt_int_arg(arg(args, kwargs, 3, "limit"))?,
                str_arg(arg(args, kwargs, 4, "order")),
            )?;
            read(m, db, &env, &ids, arg(args, kwargs, 1, "fields"))
        }
        "read" => {
            let ids = ids_arg(args.first())?;
            read(m, db, &env, &ids, arg(args, kwargs, 1, "fields"))
        }
        "write" => {
            let ids = ids_arg(args.first())?;
            let vals = dict_arg(arg(args, kwargs, 1, "vals"), "write")?;
            m.check_access(db, &env, Operation::Write)
                .or_else(|e| self_write_allowed(m, &env, &ids, &vals).then_some(()).ok_or(e))?;
            ensure_exist(m, db, &env, &ids)?;
            check_field_names(m, vals.keys())?;
            m.write(db, &env, &ids, &vals)?;
            Ok(Py::Bool(true))
        }
        "create" => {
            m.check_access(db, &env, Operation::Create)?;
            match arg(args, kwargs, 0, "vals_list") {
                Some(Value::Array(list)) => {
                    let mut ids = Vec::new();
                    for vals in list {
                        let vals = dict_arg(Some(vals), "create")?;
                        check_field_names(m, vals.keys())?;
                        ids.push(m.create(db, &env, &vals)?);
                    }
                    Ok(Py::ints(&ids))
                }
                other => {
                    let vals = dict_arg(other, "create")?;
                    check_field_names(m, vals.keys())?;
                    Ok(Py::Int(m.create(db, &env, &vals)?))
                }
            }
        }
        "unlink" => {
            let ids = ids_arg(args.first())?;
            m.check_access(db, &env, Operation::Unlink)?;
            ensure_exist(m, db, &env, &ids)?;
            m.unlink(db, &env, &ids)?;
            Ok(Py::Bool(true))
        }
        "fields_get" => {
            m.check_access(db, &env, Operation::Read)?;
            Ok(fields_get(m, arg(args, kwargs, 0, "allfields"), arg(args, kwargs, 1, "attributes")))
        }
        "exists" => {
            let ids = ids_arg(args.first())?;
            let all: Vec<i64> = m.records(db).iter().map(|r| r.id).collect();
            Ok(Py::ints(&ids.into_iter().filter(|i| all.contains(i)).collect::<Vec<_>>()))
        }
        _ => Err(OdooError::AttributeError(format!(
            "The method '{model}.{method}' does not exist"
        ))),
    }
}

/// Users may write a few harmless fields on their own record (`SELF_WRITEABLE_FIELDS`).
fn self_write_allowed(m: &dyn Model, env: &Env, ids: &[i64], vals: &Map<String, Value>) -> bool {
    const SELF_WRITEABLE: [&str; 8] =
        ["signature", "action_id", "company_id", "email", "name", "image_1920", "lang", "tz"];
    m.name() == "res.users"
        && ids == [env.uid]
        && vals.keys().all(|k| SELF_WRITEABLE.contains(&k.as_str()))
}

/// Positional argument `pos`, else keyword `name` (Python call semantics, simplified).
pub fn arg<'a>(args: &'a [Value], kwargs: &'a Map<String, Value>, pos: usize, name: &str) -> Option<&'a Value> {
    args.get(pos).or_else(|| kwargs.get(name))
}

fn int_arg(v: Option<&Value>) -> Result<usize, OdooError> {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Ok(0),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(|n| n as usize)
            .ok_or_else(|| OdooError::ValueError(format!("Invalid offset {n}"))),
        Some(other) => Err(OdooError::TypeError(format!(
            "'<' not supported between instances of '{}' and 'int'",
            py_type(other)
        ))),
    }
}

fn opt_int_arg(v: Option<&Value>) -> Result<Option<usize>, OdooError> {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Ok(None),
        other => int_arg(other).map(Some),
    }
}

fn str_arg(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).filter(|s| !s.trim().is_empty()).map(str::to_string)
}

pub fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int",
        Value::Number(_) => "float",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Record ids given to read/write/unlink: an int or a list of ints.
pub fn ids_arg(v: Option<&Value>) -> Result<Vec<i64>, OdooError> {
    match v {
        Some(Value::Number(n)) => {
            n.as_i64().map(|i| vec![i]).ok_or_else(|| OdooError::ValueError("Invalid id".into()))
        }
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_i64().ok_or_else(|| {
                    OdooError::ValueError(format!("Invalid record id {}", py_repr(i)))
                })
            })
            .collect(),
        Some(Value::Null) | Some(Value::Bool(false)) => Ok(vec![]),
        Some(other) => Err(OdooError::ValueError(format!("Invalid record ids {}", py_repr(other)))),
        None => Err(OdooError::TypeError(
            "call_kw() missing 1 required positional argument: 'ids'".into(),
        )),
    }
}

fn dict_arg(v: Option<&Value>, method: &str) -> Result<Map<String, Value>, OdooError> {
    match v {
        Some(Value::Object(o)) => Ok(o.clone()),
        Some(other) => Err(OdooError::AttributeError(format!(
            "'{}' object has no attribute 'items'",
            py_type(other)
        ))),
        None => Err(OdooError::TypeError(format!(
            "{method}() missing 1 required positional argument: 'vals'"
        ))),
    }
}

fn check_field_names<'a>(m: &dyn Model, names: impl Iterator<Item = &'a String>) -> Result<(), OdooError> {
    for name in names {
        if name != "id" && !m.fields().iter().any(|f| f.name == name) {
            return Err(OdooError::ValueError(format!(
                "Invalid field {} on model {}",
                crate::pyjson::py_str_repr(name),
                crate::pyjson::py_str_repr(m.name())
            )));
        }
    }
    Ok(())
}

fn ensure_exist(m: &dyn Model, db: &Database, env: &Env, ids: &[i64]) -> Result<(), OdooError> {
    let all: Vec<i64> = m.records(db).iter().map(|r| r.id).collect();
    let missing: Vec<i64> = ids.iter().copied().filter(|i| !all.contains(i)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let tuple = if missing.len() == 1 {
        format!("({},)", missing[0])
    } else {
        format!("({})", missing.iter().map(i64::to_string).collect::<Vec<_>>().join(", "))
    };
    Err(OdooError::MissingError(format!(
        "Record does not exist or has been deleted.\n(Record: {}{tuple}, User: {})",
        m.name(),
        env.uid
    )))
}

/// `search(domain, offset, limit, order)` → ids.
pub fn search(
    m: &dyn Model,
    db: &Database,
    env: &Env,
    domain: Option<&Value>,
    offset: usize,
    limit: Option<usize>,
    order: Option<String>,
) -> Result<Vec<i64>, OdooError> {
    m.check_access(db, env, Operation::Read)?;
    let empty = Value::Array(vec![]);
    let domain_value = domain.unwrap_or(&empty);
    let mut node = domain::parse(domain_value, m.name(), m.fields())?;
    let mut used = Vec::new();
    domain::field_names(&node, &mut used);
    if used.iter().any(|f| m.private_fields().contains(&f.as_str())) {
        return Err(OdooError::AccessError("Invalid search criterion".into()));
    }
    if m.has_active() && env.active_test() && !domain::mentions(&node, "active") {
        node = domain::Node::And(vec![
            node,
            domain::Node::Leaf { path: vec!["active".into()], op: domain::Op::Eq, value: Value::Bool(true) },
        ]);
    }
    let mut rows: Vec<Record> =
        m.records(db).into_iter().filter(|r| domain::matches(&node, r)).collect();
    let order = order.unwrap_or_else(|| m.default_order().to_string());
    sort_records(m, &mut rows, &order)?;
    Ok(rows.into_iter().skip(offset).take(limit.unwrap_or(usize::MAX)).map(|r| r.id).collect())
}

fn sort_records(m: &dyn Model, rows: &mut [Record], order: &str) -> Result<(), OdooError> {
    let mut keys: Vec<(String, bool)> = Vec::new();
    for term in order.split(',') {
        let words: Vec<&str> = term.split_whitespace().collect();
        let (name, desc) = match words.as_slice() {
            [name] => (*name, false),
            [name, dir] if dir.eq_ignore_ascii_case("asc") => (*name, false),
            [name, dir] if dir.eq_ignore_ascii_case("desc") => (*name, true),
            _ => return Err(invalid_order(order)),
        };
        if name != "id" && !m.fields().iter().any(|f| f.name == name) {
            return Err(invalid_order(order));
        }
        keys.push((name.to_string(), desc));
    }
    rows.sort_by(|a, b| {
        for (name, desc) in &keys {
            let o = cmp_val(&a.get(name), &b.get(name));
            let o = if *desc { o.reverse() } else { o };
            if o.is_ne() {
                return o;
            }
        }
        a.id.cmp(&b.id)
    });
    Ok(())
}

fn invalid_order(order: &str) -> OdooError {
    OdooError::ValueError(format!(
        "Invalid \"order\" specified ({order}). A valid \"order\" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)"
    ))
}

/// Ascending order with NULLs last, like PostgreSQL.
fn cmp_val(a: &Val, b: &Val) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    let text = |s: &str| (s.to_lowercase(), s.to_string());
    match (a, b) {
        (Val::False, Val::False) => Equal,
        (Val::False, _) => Greater,
        (_, Val::False) => Less,
        (Val::Int(x), Val::Int(y)) => x.cmp(y),
        (Val::Bool(x), Val::Bool(y)) => x.cmp(y),
        (Val::Str(x), Val::Str(y)) => text(x).cmp(&text(y)),
        (Val::M2o(_, x), Val::M2o(_, y)) => text(x).cmp(&text(y)),
        (Val::M2m(x), Val::M2m(y)) => x.cmp(y),
        _ => Equal,
    }
}

/// `read(ids, fields)`: `id` first, then the asked fields in the asked order.
pub fn read(
    m: &dyn Model,
    db: &Database,
    env: &Env,
    ids: &[i64],
    fields: Option<&Value>,
) -> Result<Py, OdooError> {
    m.check_access(db, env, Operation::Read)?;
    let names: Vec<String> = match fields {
        None | Some(Value::Null) | Some(Value::Bool(false)) => {
            m.fields().iter().map(|f| f.name.to_string()).collect()
        }
        Some(Value::Array(items)) if items.is_empty() => {
            m.fields().iter().map(|f| f.name.to_string()).collect()
        }
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str().map(str::to_string).ok_or_else(|| {
                    OdooError::ValueError(format!("Invalid field {} on model '{}'", py_repr(i), m.name()))
                })
            })
            .collect::<Result<_, _>>()?,
        Some(Value::String(s)) => vec![s.clone()],
        Some(other) => {
            return Err(OdooError::TypeError(format!(
                "'{}' object is not iterable",
                py_type(other)
            )))
        }
    };
    check_field_names(m, names.iter())?;
    ensure_exist(m, db, env, ids)?;
    let rows = m.records(db);
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for id in ids {
        if seen.contains(id) {
            continue;
        }
        seen.push(*id);
        let Some(row) = rows.iter().find(|r| r.id == *id) else { continue };
        let mut rec = vec![("id".to_string(), Py::Int(*id))];
        for name in &names {
            if name == "id" || rec.iter().any(|(k, _)| k == name) {
                continue;
            }
            let value = if m.private_fields().contains(&name.as_str()) && !env.admin {
                Py::str("********")
            } else {
                row.get(name).to_py()
            };
            rec.push((name.clone(), value));
        }
        out.push(Py::Dict(rec));
    }
    Ok(Py::List(out))
}

fn fields_get(m: &dyn Model, allfields: Option<&Value>, attributes: Option<&Value>) -> Py {
    let wanted: Option<Vec<&str>> =
        allfields.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect());
    let attrs: Option<Vec<&str>> =
        attributes.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect());
    let mut out = Vec::new();
    let id_field = field("id", "ID", FieldType::Integer);
    for f in std::iter::once(&id_field).chain(m.fields().iter()) {
        if wanted.as_ref().is_some_and(|w| !w.is_empty() && !w.contains(&f.name)) {
            continue;
        }
        let mut desc = vec![
            ("type", Py::str(f.ftype.odoo_name())),
            ("string", Py::str(f.string)),
            ("required", Py::Bool(f.required)),
            ("readonly", Py::Bool(f.readonly || f.name == "id")),
        ];
        if let FieldType::Many2one(rel) | FieldType::Many2many(rel) = f.ftype {
            desc.push(("relation", Py::str(rel)));
        }
        let desc: Vec<(String, Py)> = desc
            .into_iter()
            .filter(|(k, _)| attrs.as_ref().is_none_or(|a| a.is_empty() || a.contains(k)))
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        out.push((f.name.to_string(), Py::Dict(desc)));
    }
    Py::Dict(out)
}

/// Reads a Char value from a write/create dict: string, or false/null to clear.
pub fn char_value(v: &Value, field: &str) -> Result<Option<String>, OdooError> {
    match v {
        Value::String(s) => Ok(Some(s.clone())),
        Value::Null | Value::Bool(false) => Ok(None),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(OdooError::ValueError(format!(
            "Wrong value for {field}: {}",
            py_repr(other)
        ))),
    }
}

/// Reads a Boolean value (Python truthiness).
pub fn bool_value(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Null => false,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Reads a Many2one value: id, or false/null to clear.
pub fn m2o_value(v: &Value, field: &str) -> Result<Option<i64>, OdooError> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| OdooError::ValueError(format!("Wrong value for {field}: {n}"))),
        Value::Null | Value::Bool(false) => Ok(None),
        Value::Array(a) if a.len() == 2 && a[0].is_i64() => Ok(a[0].as_i64()),
        other => Err(OdooError::ValueError(format!(
            "Wrong value for {field}: {}",
            py_repr(other)
        ))),
    }
}

/// Applies x2many commands (`[[6,0,ids]]`, `[[4,id]]`, `[[3,id]]`, `[[5]]`, or plain ids).
pub fn apply_m2m_commands(current: &[i64], v: &Value, field: &str) -> Result<Vec<i64>, OdooError> {
    let bad = || OdooError::ValueError(format!("Wrong value for {field}: {}", py_repr(v)));
    let mut ids = current.to_vec();
    let Value::Array(commands) = v else {
        return match v {
            Value::Null | Value::Bool(false) => Ok(vec![]),
            _ => Err(bad()),
        };
    };
    if commands.iter().all(Value::is_i64) {
        return Ok(commands.iter().filter_map(Value::as_i64).collect());
    }
    for cmd in commands {
        let Some(parts) = cmd.as_array() else { return Err(bad()) };
        let code = parts.first().and_then(Value::as_i64).ok_or_else(bad)?;
        let id = parts.get(1).and_then(Value::as_i64);
        match code {
            6 => {
                ids = parts
                    .get(2)
                    .and_then(Value::as_array)
                    .ok_or_else(bad)?
                    .iter()
                    .map(|i| i.as_i64().ok_or_else(bad))
                    .collect::<Result<_, _>>()?;
            }
            4 => {
                let id = id.ok_or_else(bad)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            3 | 2 => {
                let id = id.ok_or_else(bad)?;
                ids.retain(|x| *x != id);
            }
            5 => ids.clear(),
            _ => return Err(bad()),
        }
    }
    Ok(ids)
}
