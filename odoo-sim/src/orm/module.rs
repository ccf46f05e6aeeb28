// Owns: the read-only `ir.module.module` model (is auth_oauth installed?).
// Must never install or remove modules: the seed decides what is installed.

use super::{field, Env, FieldDef, FieldType, Model, Record, Val};
use crate::db::{Database, GROUP_INTERNAL, GROUP_SETTINGS};
use crate::odoo_error::{OdooError, Operation};
use serde_json::{Map, Value};

pub struct IrModule;

static FIELDS: [FieldDef; 5] = [
    FieldDef { readonly: true, ..field("name", "Technical Name", FieldType::Char) },
    FieldDef { readonly: true, ..field("state", "Status", FieldType::Char) },
    FieldDef { readonly: true, ..field("latest_version", "Installed Version", FieldType::Char) },
    FieldDef { readonly: true, ..field("installed_version", "Latest Version", FieldType::Char) },
    FieldDef { readonly: true, ..field("shortdesc", "Module Name", FieldType::Char) },
];

impl Model for IrModule {
    fn name(&self) -> &'static str {
        "ir.module.module"
    }
    fn description(&self) -> &'static str {
        "Module"
    }
    fn fields(&self) -> &'static [FieldDef] {
        &FIELDS
    }
    fn default_order(&self) -> &'static str {
        "name"
    }

    fn records(&self, db: &Database) -> Vec<Record> {
        let version = format!("{}.1.0", db.version.serie);
        db.modules
            .iter()
            .map(|m| {
                let installed = m.state == "installed" || m.state == "to upgrade";
                Record {
                    id: m.id,
                    values: vec![
                        ("name", Val::Str(m.name.clone())),
                        ("state", Val::Str(m.state.clone())),
                        ("latest_version", if installed { Val::Str(version.clone()) } else { Val::False }),
                        ("installed_version", Val::Str(version.clone())),
                        ("shortdesc", Val::Str(m.name.clone())),
                    ],
                }
            })
            .collect()
    }

    fn check_access(&self, db: &Database, env: &Env, op: Operation) -> Result<(), OdooError> {
        let label = |id: i64| db.groups.get(&id).map(|g| g.access_label());
        match op {
            Operation::Read if env.internal => Ok(()),
            Operation::Read => Err(self.access_denied(op, &label(GROUP_INTERNAL).into_iter().collect::<Vec<_>>())),
            _ if env.system => Err(OdooError::UserError(
                "The Odoo simulator cannot install, change or remove modules; edit the seed instead.".into(),
            )),
            _ => Err(self.access_denied(op, &label(GROUP_SETTINGS).into_iter().collect::<Vec<_>>())),
        }
    }

    fn create(&self, _db: &mut Database, _env: &Env, _vals: &Map<String, Value>) -> Result<i64, OdooError> {
        Err(OdooError::UserError("The Odoo simulator cannot create modules.".into()))
    }
    fn write(&self, _db: &mut Database, _env: &Env, _ids: &[i64], _vals: &Map<String, Value>) -> Result<(), OdooError> {
        Err(OdooError::UserError("The Odoo simulator cannot change modules.".into()))
    }
    fn unlink(&self, _db: &mut Database, _env: &Env, _ids: &[i64]) -> Result<(), OdooError> {
        Err(OdooError::UserError("The Odoo simulator cannot remove modules.".into()))
    }
}
