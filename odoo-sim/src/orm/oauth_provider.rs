// Owns: the `auth.oauth.provider` model (defaults, required fields, Settings-only access).
// Must never call the providers' endpoints; the sign-in flow does that.

use super::{bool_value, char_value, field, Env, FieldDef, FieldType, Model, Record, Val};
use crate::db::{Database, Provider, GROUP_SETTINGS};
use crate::odoo_error::{OdooError, Operation};
use serde_json::{Map, Value};

pub struct OAuthProvider;

static FIELDS: [FieldDef; 11] = [
    FieldDef { required: true, ..field("name", "Provider name", FieldType::Char) },
    field("client_id", "Client ID", FieldType::Char),
    FieldDef { required: true, ..field("auth_endpoint", "Authorization URL", FieldType::Char) },
    field("scope", "Scope", FieldType::Char),
    FieldDef { required: true, ..field("validation_endpoint", "UserInfo URL", FieldType::Char) },
    field("data_endpoint", "Data Endpoint", FieldType::Char),
    field("enabled", "Allowed", FieldType::Boolean),
    field("css_class", "CSS class", FieldType::Char),
    FieldDef { required: true, ..field("body", "Login button label", FieldType::Char) },
    field("sequence", "Sequence", FieldType::Integer),
    FieldDef { readonly: true, ..field("display_name", "Display Name", FieldType::Char) },
];

impl OAuthProvider {
    fn apply(p: &mut Provider, vals: &Map<String, Value>) -> Result<(), OdooError> {
        for (key, v) in vals {
            match key.as_str() {
                "name" => p.name = char_value(v, key)?.unwrap_or_default(),
                "client_id" => p.client_id = char_value(v, key)?,
                "auth_endpoint" => p.auth_endpoint = char_value(v, key)?,
                "scope" => p.scope = char_value(v, key)?,
                "validation_endpoint" => p.validation_endpoint = char_value(v, key)?,
                "data_endpoint" => p.data_endpoint = char_value(v, key)?,
                "enabled" => p.enabled = bool_value(v),
                "css_class" => p.css_class = char_value(v, key)?,
                "body" => p.body = char_value(v, key)?,
                "sequence" => {
                    p.sequence = match v {
                        Value::Number(n) => n.as_i64().unwrap_or(0),
                        Value::Null | Value::Bool(false) => 0,
                        other => {
                            return Err(OdooError::ValueError(format!(
                                "invalid literal for int() with base 10: {}",
                                crate::pyjson::py_repr(other)
                            )))
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn check_required(p: &Provider) -> Result<(), OdooError> {
        let missing = if p.name.is_empty() {
            Some(("name", "Provider name"))
        } else if p.auth_endpoint.is_none() {
            Some(("auth_endpoint", "Authorization URL"))
        } else if p.validation_endpoint.is_none() {
            Some(("validation_endpoint", "UserInfo URL"))
        } else if p.body.is_none() {
            Some(("body", "Login button label"))
        } else {
            None
        };
        match missing {
            Some((f, s)) => Err(OdooError::ValidationError(format!(
                "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: OAuth2 provider (auth.oauth.provider)\nField: {s} ({f})\n"
            ))),
            None => Ok(()),
        }
    }
}

impl Model for OAuthProvider {
    fn name(&self) -> &'static str {
        "auth.oauth.provider"
    }
    fn description(&self) -> &'static str {
        "OAuth2 provider"
    }
    fn fields(&self) -> &'static [FieldDef] {
        &FIELDS
    }
    fn default_order(&self) -> &'static str {
        "sequence, name"
    }

    fn records(&self, db: &Database) -> Vec<Record> {
        db.providers
            .values()
            .map(|p| Record {
                id: p.id,
                values: vec![
                    ("name", Val::Str(p.name.clone())),
                    ("client_id", Val::opt_str(&p.client_id)),
                    ("auth_endpoint", Val::opt_str(&p.auth_endpoint)),
                    ("scope", Val::opt_str(&p.scope)),
                    ("validation_endpoint", Val::opt_str(&p.validation_endpoint)),
                    ("data_endpoint", Val::opt_str(&p.data_endpoint)),
                    ("enabled", Val::Bool(p.enabled)),
                    ("css_class", Val::opt_str(&p.css_class)),
                    ("body", Val::opt_str(&p.body)),
                    ("sequence", Val::Int(p.sequence)),
                    ("display_name", Val::Str(p.name.clone())),
                ],
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

    fn create(&self, db: &mut Database, _env: &Env, vals: &Map<String, Value>) -> Result<i64, OdooError> {
        let mut p = Provider {
            id: db.next_provider_id(),
            name: String::new(),
            enabled: false,
            client_id: None,
            auth_endpoint: None,
            validation_endpoint: None,
            data_endpoint: None,
            scope: Some("openid profile email".into()),
            body: None,
            css_class: Some("fa fa-fw fa-sign-in text-primary".into()),
            sequence: 10,
        };
        Self::apply(&mut p, vals)?;
        Self::check_required(&p)?;
        let id = p.id;
        db.providers.insert(id, p);
        Ok(id)
    }

    fn write(&self, db: &mut Database, _env: &Env, ids: &[i64], vals: &Map<String, Value>) -> Result<(), OdooError> {
        let mut staged = Vec::new();
        for id in ids {
            let Some(mut p) = db.providers.get(id).cloned() else { continue };
            Self::apply(&mut p, vals)?;
            Self::check_required(&p)?;
            staged.push(p);
        }
        for p in staged {
            db.providers.insert(p.id, p);
        }
        Ok(())
    }

    /// `ondelete='set null'` on res.users.oauth_provider_id.
    fn unlink(&self, db: &mut Database, _env: &Env, ids: &[i64]) -> Result<(), OdooError> {
        for id in ids {
            db.providers.remove(id);
            for u in db.users.values_mut() {
                if u.oauth_provider_id == Some(*id) {
                    u.oauth_provider_id = None;
                }
            }
        }
        db.drop_xml_ids("auth.oauth.provider", ids);
        Ok(())
    }
}
