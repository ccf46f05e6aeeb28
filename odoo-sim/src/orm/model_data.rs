// Owns: the read-only `ir.model.data` model (XML ids such as base.group_portal → res.groups 10).
// Must never invent XML ids: the database seeds them and deletes them with their records.

use super::{field, Env, FieldDef, FieldType, Model, Record, Val};
use crate::db::{Database, GROUP_INTERNAL, GROUP_SETTINGS};
use crate::odoo_error::{OdooError, Operation};
use serde_json::{Map, Value};

pub struct IrModelData;

static FIELDS: [FieldDef; 6] = [
    FieldDef { required: true, ..field("name", "External Identifier", FieldType::Char) },
    FieldDef { readonly: true, ..field("complete_name", "Complete ID", FieldType::Char) },
    FieldDef { required: true, ..field("model", "Model Name", FieldType::Char) },
    FieldDef { required: true, ..field("module", "Module", FieldType::Char) },
    field("res_id", "Record ID", FieldType::Integer),
    FieldDef { readonly: true, ..field("display_name", "Display Name", FieldType::Char) },
];

impl Model for IrModelData {
    fn name(&self) -> &'static str {
        "ir.model.data"
    }
    fn description(&self) -> &'static str {
        "Model Data"
    }
    fn fields(&self) -> &'static [FieldDef] {
        &FIELDS
    }
    fn default_order(&self) -> &'static str {
        "module, model, name"
    }

    fn records(&self, db: &Database) -> Vec<Record> {
        db.xml_ids
            .iter()
            .map(|x| Record {
                id: x.id,
                values: vec![
                    ("name", Val::Str(x.name.clone())),
                    ("complete_name", Val::Str(x.complete_name())),
                    ("model", Val::Str(x.model.clone())),
                    ("module", Val::Str(x.module.clone())),
                    ("res_id", Val::Int(x.res_id)),
                    ("display_name", Val::Str(x.complete_name())),
                ],
            })
            .collect()
    }

    /// Internal users read; writes are for Settings (and refused by the simulator).
    fn check_access(&self, db: &Database, env: &Env, op: Operation) -> Result<(), OdooError> {
        let label = |id: i64| db.groups.get(&id).map(|g| g.access_label()).into_iter().collect::<Vec<_>>();
        match op {
            Operation::Read if env.internal => Ok(()),
            Operation::Read => Err(self.access_denied(op, &label(GROUP_INTERNAL))),
            _ if env.system => Err(OdooError::UserError(
                "The Odoo simulator cannot change XML ids; give groups an \"xml_id\" in the seed instead.".into(),
            )),
            _ => Err(self.access_denied(op, &label(GROUP_SETTINGS))),
        }
    }

    fn create(&self, _db: &mut Database, _env: &Env, _vals: &Map<String, Value>) -> Result<i64, OdooError> {
        Err(OdooError::UserError("The Odoo simulator cannot create XML ids.".into()))
    }
    fn write(&self, _db: &mut Database, _env: &Env, _ids: &[i64], _vals: &Map<String, Value>) -> Result<(), OdooError> {
        Err(OdooError::UserError("The Odoo simulator cannot change XML ids.".into()))
    }
    fn unlink(&self, _db: &mut Database, _env: &Env, _ids: &[i64]) -> Result<(), OdooError> {
        Err(OdooError::UserError("The Odoo simulator cannot remove XML ids.".into()))
    }
}
