// Owns: the `ir.config_parameter` model with get_param/set_param semantics (set_param returns the
// previous value, false/None deletes). Must never interpret parameters; readers do (db.rs).

use super::{arg, char_value, field, Env, FieldDef, FieldType, Model, Record, Val};
use crate::db::{Database, GROUP_SETTINGS};
use crate::odoo_error::{OdooError, Operation};
use crate::pyjson::Py;
use serde_json::{Map, Value};

pub struct ConfigParameter;

static FIELDS: [FieldDef; 2] = [
    FieldDef { required: true, ..field("key", "Key", FieldType::Char) },
    FieldDef { required: true, ..field("value", "Value", FieldType::Char) },
];

/// Python `str(value)` for the JSON values set_param receives.
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        other => crate::pyjson::py_repr(other),
    }
}

impl ConfigParameter {
    /// Parameter ids follow key order (stable while the set of keys is unchanged).
    fn id_of(db: &Database, key: &str) -> Option<i64> {
        db.params.keys().position(|k| k == key).map(|i| i as i64 + 1)
    }
    fn key_of(db: &Database, id: i64) -> Option<String> {
        db.params.keys().nth((id - 1).max(0) as usize).filter(|_| id >= 1).cloned()
    }
}

impl Model for ConfigParameter {
    fn name(&self) -> &'static str {
        "ir.config_parameter"
    }
    fn description(&self) -> &'static str {
        "System Parameter"
    }
    fn fields(&self) -> &'static [FieldDef] {
        &FIELDS
    }
    fn default_order(&self) -> &'static str {
        "key"
    }

    fn records(&self, db: &Database) -> Vec<Record> {
        db.params
            .iter()
            .enumerate()
            .map(|(i, (k, v))| Record {
                id: i as i64 + 1,
                values: vec![("key", Val::Str(k.clone())), ("value", Val::Str(v.clone()))],
            })
            .collect()
    }

    fn check_access(&self, db: &Database, env: &Env, op: Operation) -> Result<(), OdooError> {
        if env.system {
            return Ok(());
        }
        let groups = db.groups.get(&GROUP_SETTINGS).map(|g| vec![g.access_label()]).unwrap_or_default();
        Err(self.access_denied(op, &groups))
    }

    fn signature(&self, method: &str) -> Option<super::signature::Signature> {
        use super::signature::{Param, Signature};
        const GET_PARAM: &[Param] =
            &[Param { name: "key", required: true }, Param { name: "default", required: false }];
        const SET_PARAM: &[Param] =
            &[Param { name: "key", required: true }, Param { name: "value", required: true }];
        match method {
            "get_param" => Some(Signature::model(GET_PARAM)),
            "set_param" => Some(Signature::model(SET_PARAM)),
            other => super::signature::base_method(other),
        }
    }

    fn call_method(
        &self,
        db: &mut Database,
        env: &Env,
        method: &str,
        args: &[Value],
        kwargs: &Map<String, Value>,
    ) -> Option<Result<Py, OdooError>> {
        let key = || -> Result<String, OdooError> {
            match arg(args, kwargs, 0, "key") {
                Some(Value::String(k)) => Ok(k.clone()),
                Some(other) => Ok(py_str(other)),
                None => Err(OdooError::TypeError(format!(
                    "IrConfigParameter.{method}() missing 1 required positional argument: 'key'"
                ))),
            }
        };
        match method {
            "get_param" => Some((|| {
                self.check_access(db, env, Operation::Read)?;
                let key = key()?;
                let default = arg(args, kwargs, 1, "default").map(Py::from_json).unwrap_or(Py::FALSE);
                Ok(match db.params.get(&key) {
                    Some(v) if !v.is_empty() => Py::Str(v.clone()),
                    _ => default,
                })
            })()),
            "set_param" => Some((|| {
                self.check_access(db, env, Operation::Write)?;
                let key = key()?;
                let value = arg(args, kwargs, 1, "value").cloned().ok_or_else(|| {
                    OdooError::TypeError(
                        "IrConfigParameter.set_param() missing 1 required positional argument: 'value'".into(),
                    )
                })?;
                let old = db.params.get(&key).cloned();
                match value {
                    Value::Null | Value::Bool(false) => {
                        db.params.remove(&key);
                    }
                    v => {
                        db.params.insert(key, py_str(&v));
                    }
                }
                Ok(Py::str_or_false(old.as_deref()))
            })()),
            _ => None,
        }
    }

    fn create(&self, db: &mut Database, _env: &Env, vals: &Map<String, Value>) -> Result<i64, OdooError> {
        let key = vals.get("key").map(|v| char_value(v, "key")).transpose()?.flatten().unwrap_or_default();
        let value = vals.get("value").map(|v| char_value(v, "value")).transpose()?.flatten().unwrap_or_default();
        if key.is_empty() {
            return Err(OdooError::ValidationError("The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: System Parameter (ir.config_parameter)\nField: Key (key)\n".into()));
        }
        if db.params.contains_key(&key) {
            return Err(OdooError::ValidationError("The operation cannot be completed: Key must be unique.".into()));
        }
        db.params.insert(key.clone(), value);
        Ok(Self::id_of(db, &key).unwrap_or(0))
    }

    fn write(&self, db: &mut Database, _env: &Env, ids: &[i64], vals: &Map<String, Value>) -> Result<(), OdooError> {
        let keys: Vec<String> = ids.iter().filter_map(|id| Self::key_of(db, *id)).collect();
        for key in keys {
            let mut key_now = key.clone();
            if let Some(v) = vals.get("key") {
                if let Some(new_key) = char_value(v, "key")? {
                    if let Some(val) = db.params.remove(&key) {
                        db.params.insert(new_key.clone(), val);
                    }
                    key_now = new_key;
                }
            }
            if let Some(v) = vals.get("value") {
                db.params.insert(key_now, char_value(v, "value")?.unwrap_or_default());
            }
        }
        Ok(())
    }

    fn unlink(&self, db: &mut Database, _env: &Env, ids: &[i64]) -> Result<(), OdooError> {
        let keys: Vec<String> = ids.iter().filter_map(|id| Self::key_of(db, *id)).collect();
        for k in keys {
            db.params.remove(&k);
        }
        Ok(())
    }
}
