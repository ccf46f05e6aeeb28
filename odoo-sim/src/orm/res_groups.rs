// Owns: the `res.groups` model (ids and "Category / Name" full names used to decode a user's groups).
// Must never change which groups a user is in; res.users writes do that.

use super::{char_value, field, Env, FieldDef, FieldType, Model, Record, Val};
use crate::db::{Database, Group, GROUP_ACCESS_RIGHTS};
use crate::odoo_error::{OdooError, Operation};
use serde_json::{Map, Value};

pub struct ResGroups;

static FIELDS: [FieldDef; 3] = [
    FieldDef { required: true, ..field("name", "Name", FieldType::Char) },
    FieldDef { readonly: true, ..field("full_name", "Group Name", FieldType::Char) },
    FieldDef { readonly: true, ..field("display_name", "Display Name", FieldType::Char) },
];

impl Model for ResGroups {
    fn name(&self) -> &'static str {
        "res.groups"
    }
    fn description(&self) -> &'static str {
        "Access Groups"
    }
    fn fields(&self) -> &'static [FieldDef] {
        &FIELDS
    }
    fn default_order(&self) -> &'static str {
        "name"
    }

    fn records(&self, db: &Database) -> Vec<Record> {
        db.groups
            .values()
            .map(|g| Record {
                id: g.id,
                values: vec![
                    ("name", Val::Str(g.name().to_string())),
                    ("full_name", Val::Str(g.full_name.clone())),
                    ("display_name", Val::Str(g.full_name.clone())),
                ],
            })
            .collect()
    }

    fn check_access(&self, db: &Database, env: &Env, op: Operation) -> Result<(), OdooError> {
        match op {
            Operation::Read => Ok(()),
            _ if env.admin => Ok(()),
            _ => {
                let groups = db.groups.get(&GROUP_ACCESS_RIGHTS).map(|g| vec![g.access_label()]).unwrap_or_default();
                Err(self.access_denied(op, &groups))
            }
        }
    }

    fn create(&self, db: &mut Database, _env: &Env, vals: &Map<String, Value>) -> Result<i64, OdooError> {
        let name = vals.get("name").map(|v| char_value(v, "name")).transpose()?.flatten().unwrap_or_default();
        if name.is_empty() {
            return Err(OdooError::ValidationError("The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: Access Groups (res.groups)\nField: Name (name)\n".into()));
        }
        let id = db.groups.keys().max().copied().unwrap_or(0) + 1;
        db.groups.insert(id, Group { id, full_name: name });
        Ok(id)
    }

    fn write(&self, db: &mut Database, _env: &Env, ids: &[i64], vals: &Map<String, Value>) -> Result<(), OdooError> {
        if let Some(v) = vals.get("name") {
            let name = char_value(v, "name")?.unwrap_or_default();
            for id in ids {
                if let Some(g) = db.groups.get_mut(id) {
                    g.full_name = match g.full_name.rsplit_once(" / ") {
                        Some((category, _)) => format!("{category} / {name}"),
                        None => name.clone(),
                    };
                }
            }
        }
        Ok(())
    }

    fn unlink(&self, db: &mut Database, _env: &Env, ids: &[i64]) -> Result<(), OdooError> {
        for id in ids {
            db.groups.remove(id);
            for u in db.users.values_mut() {
                u.groups.retain(|g| g != id);
            }
        }
        db.drop_xml_ids("res.groups", ids);
        Ok(())
    }
}
