// Owns: the `res.users` model as auth_oauth extends it (oauth_provider_id, oauth_uid, the masked
// oauth_access_token), its access rules and create/write/unlink. Must never manage sessions itself.

use super::{apply_m2m_commands, bool_value, char_value, field, m2o_value, Env, FieldDef, FieldType, Model, Record, Val};
use crate::db::{Database, User, DEFAULT_INTERNAL_GROUPS, GROUP_ACCESS_RIGHTS};
use crate::odoo_error::{OdooError, Operation};
use serde_json::{Map, Value};

/// `res.users`; its groups field is named per release (see `OdooVersion::user_groups_field`).
pub struct ResUsers {
    fields: &'static [FieldDef],
}

/// Odoo 15-18: `groups_id` holds the groups with the implied ones.
pub static UNTIL_18: ResUsers = ResUsers { fields: &FIELDS_UNTIL_18 };
/// Odoo 19: `group_ids` holds the groups given, `all_group_ids` adds the implied ones.
pub static SINCE_19: ResUsers = ResUsers { fields: &FIELDS_SINCE_19 };

const NAME: FieldDef = FieldDef { required: true, ..field("name", "Name", FieldType::Char) };
const LOGIN: FieldDef = FieldDef { required: true, ..field("login", "Login", FieldType::Char) };
const EMAIL: FieldDef = field("email", "Email", FieldType::Char);
const ACTIVE: FieldDef = field("active", "Active", FieldType::Boolean);
const SHARE: FieldDef = FieldDef { readonly: true, ..field("share", "Share User", FieldType::Boolean) };
const OAUTH_PROVIDER: FieldDef =
    field("oauth_provider_id", "OAuth Provider", FieldType::Many2one("auth.oauth.provider"));
const OAUTH_UID: FieldDef = field("oauth_uid", "OAuth User ID", FieldType::Char);
const OAUTH_TOKEN: FieldDef = field("oauth_access_token", "OAuth Access Token", FieldType::Char);
const PASSWORD: FieldDef = field("password", "Password", FieldType::Char);
const PARTNER: FieldDef =
    FieldDef { readonly: true, ..field("partner_id", "Related Partner", FieldType::Many2one("res.partner")) };
const DISPLAY_NAME: FieldDef = FieldDef { readonly: true, ..field("display_name", "Display Name", FieldType::Char) };
const COMPANY: FieldDef =
    FieldDef { readonly: true, ..field("company_id", "Company", FieldType::Many2one("res.company")) };

static FIELDS_UNTIL_18: [FieldDef; 13] = [
    NAME,
    LOGIN,
    EMAIL,
    ACTIVE,
    SHARE,
    field("groups_id", "Groups", FieldType::Many2many("res.groups")),
    OAUTH_PROVIDER,
    OAUTH_UID,
    OAUTH_TOKEN,
    PASSWORD,
    PARTNER,
    DISPLAY_NAME,
    COMPANY,
];

static FIELDS_SINCE_19: [FieldDef; 14] = [
    NAME,
    LOGIN,
    EMAIL,
    ACTIVE,
    SHARE,
    field("group_ids", "Groups", FieldType::Many2many("res.groups")),
    FieldDef { readonly: true, ..field("all_group_ids", "Groups and implied groups", FieldType::Many2many("res.groups")) },
    OAUTH_PROVIDER,
    OAUTH_UID,
    OAUTH_TOKEN,
    PASSWORD,
    PARTNER,
    DISPLAY_NAME,
    COMPANY,
];

const READONLY_IGNORED: [&str; 5] = ["share", "partner_id", "display_name", "company_id", "all_group_ids"];

/// The keys of a write/create dict that set the user's groups (only one exists per release;
/// `check_field_names` refuses the other before it gets here).
fn is_groups_key(key: &str) -> bool {
    key == "groups_id" || key == "group_ids"
}

impl ResUsers {
    fn manager_groups(db: &Database) -> Vec<String> {
        db.groups.get(&GROUP_ACCESS_RIGHTS).map(|g| vec![g.access_label()]).unwrap_or_default()
    }

    /// Applies one write/create dict to a candidate user.
    fn apply(db: &Database, user: &mut User, vals: &Map<String, Value>) -> Result<(), OdooError> {
        for (key, v) in vals {
            match key.as_str() {
                "name" => user.name = char_value(v, key)?.unwrap_or_default(),
                "login" => user.login = char_value(v, key)?.unwrap_or_default(),
                "email" => user.email = char_value(v, key)?,
                "password" => user.password = char_value(v, key)?,
                "active" => user.active = bool_value(v),
                k if is_groups_key(k) => {
                    let ids = apply_m2m_commands(&user.groups, v, key)?;
                    if let Some(bad) = ids.iter().find(|g| !db.groups.contains_key(g)) {
                        return Err(OdooError::ValidationError(format!(
                            "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: User (res.users)\nConstraint: res_groups_users_rel_gid_fkey (group {bad})\n"
                        )));
                    }
                    user.groups = ids;
                }
                "oauth_provider_id" => user.oauth_provider_id = m2o_value(v, key)?,
                "oauth_uid" => user.oauth_uid = char_value(v, key)?,
                "oauth_access_token" => user.oauth_access_token = char_value(v, key)?,
                k if READONLY_IGNORED.contains(&k) || k == "id" => {}
                _ => {}
            }
        }
        db.normalize_groups(&mut user.groups);
        Ok(())
    }

    fn not_null(field: &str, string: &str, model: &str, table: &str) -> OdooError {
        OdooError::ValidationError(format!(
            "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: {model} ({table})\nField: {string} ({field})\n"
        ))
    }
}

impl Model for ResUsers {
    fn name(&self) -> &'static str {
        "res.users"
    }
    fn description(&self) -> &'static str {
        "User"
    }
    fn fields(&self) -> &'static [FieldDef] {
        self.fields
    }
    fn default_order(&self) -> &'static str {
        "name, login"
    }
    fn has_active(&self) -> bool {
        true
    }
    fn private_fields(&self) -> &'static [&'static str] {
        &["password", "oauth_access_token"]
    }

    fn records(&self, db: &Database) -> Vec<Record> {
        db.users
            .values()
            .map(|u| Record {
                id: u.id,
                values: vec![
                    ("name", Val::Str(u.name.clone())),
                    ("login", Val::Str(u.login.clone())),
                    ("email", Val::opt_str(&u.email)),
                    ("active", Val::Bool(u.active)),
                    ("share", Val::Bool(u.share())),
                    ("groups_id", Val::M2m(u.groups.clone())),
                    ("group_ids", Val::M2m(u.groups.clone())),
                    ("all_group_ids", {
                        let mut all = u.all_groups();
                        db.sort_groups(&mut all);
                        Val::M2m(all)
                    }),
                    (
                        "oauth_provider_id",
                        match u.oauth_provider_id.and_then(|p| db.providers.get(&p)) {
                            Some(p) => Val::M2o(p.id, p.name.clone()),
                            None => Val::False,
                        },
                    ),
                    ("oauth_uid", Val::opt_str(&u.oauth_uid)),
                    ("oauth_access_token", Val::opt_str(&u.oauth_access_token)),
                    ("password", Val::Str(String::new())),
                    ("partner_id", Val::M2o(u.partner_id, u.name.clone())),
                    ("display_name", Val::Str(u.name.clone())),
                    ("company_id", Val::M2o(1, db.company_name.clone())),
                ],
            })
            .collect()
    }

    fn check_access(&self, db: &Database, env: &Env, op: Operation) -> Result<(), OdooError> {
        match op {
            Operation::Read => Ok(()),
            _ if env.admin => Ok(()),
            _ => Err(self.access_denied(op, &Self::manager_groups(db))),
        }
    }

    fn create(&self, db: &mut Database, _env: &Env, vals: &Map<String, Value>) -> Result<i64, OdooError> {
        let id = db.next_user_id();
        let mut user = User {
            id,
            login: String::new(),
            email: None,
            name: String::new(),
            password: None,
            api_keys: vec![],
            active: true,
            groups: if vals.keys().any(|k| is_groups_key(k)) { vec![] } else { DEFAULT_INTERNAL_GROUPS.to_vec() },
            oauth_provider_id: None,
            oauth_uid: None,
            oauth_access_token: None,
            partner_id: db.next_partner_id(),
            settings_id: id,
        };
        Self::apply(db, &mut user, vals)?;
        if user.name.is_empty() {
            return Err(OdooError::ValidationError(
                "The operation cannot be completed: Contacts require a name".into(),
            ));
        }
        if user.login.is_empty() {
            return Err(Self::not_null("login", "Login", "User", "res.users"));
        }
        db.check_user_constraints(&user).map_err(|c| OdooError::ValidationError(c.message()))?;
        db.users.insert(id, user);
        Ok(id)
    }

    fn write(&self, db: &mut Database, env: &Env, ids: &[i64], vals: &Map<String, Value>) -> Result<(), OdooError> {
        if vals.get("active").is_some_and(|v| !bool_value(v)) && ids.contains(&env.uid) {
            return Err(OdooError::UserError(
                "You cannot deactivate the user you're currently logged in as.".into(),
            ));
        }
        let mut staged = db.clone();
        for id in ids {
            let Some(mut user) = staged.users.get(id).cloned() else { continue };
            let was_internal = user.is_internal();
            Self::apply(&staged, &mut user, vals)?;
            // `UsersImplied.write`: a user demoted from internal keeps only the groups the
            // commands give (e.g. [[3, 1], [4, 10]] leaves just Portal).
            if let Some(commands) = vals.iter().find(|(k, _)| is_groups_key(k)).map(|(_, v)| v) {
                if was_internal && !user.is_internal() {
                    user.groups = apply_m2m_commands(&[], commands, "groups")?;
                    staged.normalize_groups(&mut user.groups);
                }
            }
            if user.login.is_empty() {
                return Err(Self::not_null("login", "Login", "User", "res.users"));
            }
            staged.check_user_constraints(&user).map_err(|c| OdooError::ValidationError(c.message()))?;
            staged.users.insert(*id, user);
        }
        db.users = staged.users;
        Ok(())
    }

    fn unlink(&self, db: &mut Database, _env: &Env, ids: &[i64]) -> Result<(), OdooError> {
        if ids.iter().any(|id| *id == 1 || *id == 2) {
            return Err(OdooError::UserError(
                "You can not remove the admin user as it is used internally for resources created by Odoo (updates, module installation, ...)".into(),
            ));
        }
        for id in ids {
            db.users.remove(id);
        }
        db.drop_xml_ids("res.users", ids);
        Ok(())
    }
}
