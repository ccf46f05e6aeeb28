// Owns: the in-memory Odoo database (users, groups, OAuth providers, system parameters, modules,
// XML ids) and its invariants (unique login, unique provider+oauth_uid). Must never speak HTTP or JSON-RPC.

use crate::seed::{Seed, SignupScope};
use crate::version::OdooVersion;
use std::collections::BTreeMap;

pub const GROUP_INTERNAL: i64 = 1;
pub const GROUP_ACCESS_RIGHTS: i64 = 2;
pub const GROUP_SETTINGS: i64 = 3;
pub const GROUP_PORTAL: i64 = 10;
pub const GROUP_PUBLIC: i64 = 11;
/// Groups a user created without `groups_id` gets (file 34 reads them in this order).
pub const DEFAULT_INTERNAL_GROUPS: [i64; 4] = [8, 9, 1, 7];

/// Standard groups: id, full name, XML id.
const STANDARD_GROUPS: [(i64, &str, &str); 8] = [
    (1, "User types / Internal User", "base.group_user"),
    (2, "Administration / Access Rights", "base.group_erp_manager"),
    (3, "Administration / Settings", "base.group_system"),
    (7, "Extra Rights / Technical Features", "base.group_no_one"),
    (8, "Technical / Access to export feature", "base.group_allow_export"),
    (9, "Extra Rights / Contact Creation", "base.group_partner_manager"),
    (10, "User types / Portal", "base.group_portal"),
    (11, "User types / Public", "base.group_public"),
];

/// The providers auth_oauth ships (id, name, XML id): their XML ids exist when the seed keeps them.
const STANDARD_PROVIDERS: [(i64, &str, &str); 3] = [
    (1, "Odoo.com Accounts", "auth_oauth.provider_openerp"),
    (2, "Facebook Graph", "auth_oauth.provider_facebook"),
    (3, "Google OAuth2", "auth_oauth.provider_google"),
];

/// Implied groups: Settings ⇒ Access Rights ⇒ Internal User.
const IMPLIED: [(i64, i64); 2] = [(GROUP_SETTINGS, GROUP_ACCESS_RIGHTS), (GROUP_ACCESS_RIGHTS, GROUP_INTERNAL)];

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub email: Option<String>,
    pub name: String,
    pub password: Option<String>,
    pub api_keys: Vec<String>,
    pub active: bool,
    pub groups: Vec<i64>,
    pub oauth_provider_id: Option<i64>,
    pub oauth_uid: Option<String>,
    pub oauth_access_token: Option<String>,
    pub partner_id: i64,
    pub settings_id: i64,
}

impl User {
    /// The user's groups plus every group they imply (`all_group_ids` in Odoo 19), in the order
    /// of `groups` then the implied ones. Until 18 `groups` already holds them all.
    pub fn all_groups(&self) -> Vec<i64> {
        let mut all = self.groups.clone();
        let mut i = 0;
        while i < all.len() {
            for (group, implied) in IMPLIED {
                if all[i] == group && !all.contains(&implied) {
                    all.push(implied);
                }
            }
            i += 1;
        }
        all
    }
    pub fn has_group(&self, group: i64) -> bool {
        self.all_groups().contains(&group)
    }
    pub fn is_internal(&self) -> bool {
        self.has_group(GROUP_INTERNAL)
    }
    /// `share` is computed by Odoo: every non-internal user is a share (portal/public) user.
    pub fn share(&self) -> bool {
        !self.is_internal()
    }
    /// `_is_admin()`: member of Administration / Access Rights.
    pub fn is_admin(&self) -> bool {
        self.has_group(GROUP_ACCESS_RIGHTS)
    }
    /// `_is_system()`: member of Administration / Settings.
    pub fn is_system(&self) -> bool {
        self.has_group(GROUP_SETTINGS)
    }

    /// What Odoo hashes into a session token: a session lives only while these stay the same
    /// (`_get_session_token_fields`: id, login, password, active, plus auth_oauth's token).
    pub fn session_token(&self) -> SessionToken {
        SessionToken {
            uid: self.id,
            login: self.login.clone(),
            password: self.password.clone(),
            active: self.active,
            oauth_access_token: self.oauth_access_token.clone(),
        }
    }

    /// Password or API key, as `_check_credentials` accepts for RPC.
    pub fn accepts_secret(&self, secret: &str) -> bool {
        !secret.is_empty()
            && (self.password.as_deref() == Some(secret) || self.api_keys.iter().any(|k| k == secret))
    }
}

/// The user fields a session was authenticated with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionToken {
    uid: i64,
    login: String,
    password: Option<String>,
    active: bool,
    oauth_access_token: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: i64,
    pub full_name: String,
}

impl Group {
    /// The group's own name (`full_name` without its category).
    pub fn name(&self) -> &str {
        self.full_name.rsplit(" / ").next().unwrap_or(&self.full_name)
    }
    /// "Category/Name" as Odoo prints groups in access errors.
    pub fn access_label(&self) -> String {
        self.full_name.replacen(" / ", "/", 1)
    }
}

#[derive(Debug, Clone)]
pub struct Provider {
    pub id: i64,
    pub name: String,
    pub enabled: bool,
    pub client_id: Option<String>,
    pub auth_endpoint: Option<String>,
    pub validation_endpoint: Option<String>,
    pub data_endpoint: Option<String>,
    pub scope: Option<String>,
    pub body: Option<String>,
    pub css_class: Option<String>,
    pub sequence: i64,
}

/// One `ir.model.data` row: the XML id `module.name` of record `res_id` of `model`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlId {
    pub id: i64,
    pub module: String,
    pub name: String,
    pub model: String,
    pub res_id: i64,
}

impl XmlId {
    pub fn complete_name(&self) -> String {
        format!("{}.{}", self.module, self.name)
    }
}

#[derive(Debug, Clone)]
pub struct Module {
    pub id: i64,
    pub name: String,
    pub state: String,
}

/// A violated database constraint, reported the way Odoo turns psycopg2 errors into messages.
#[derive(Debug, Clone, PartialEq)]
pub enum ConstraintViolation {
    DuplicateLogin,
    DuplicateOAuthLink,
    UnknownProvider(i64),
    TooManyUserTypes,
}

impl ConstraintViolation {
    pub fn message(&self) -> String {
        match self {
            ConstraintViolation::DuplicateLogin => {
                "The operation cannot be completed: You can not have two users with the same login!".into()
            }
            ConstraintViolation::DuplicateOAuthLink => {
                "The operation cannot be completed: OAuth UID must be unique per provider".into()
            }
            ConstraintViolation::UnknownProvider(_) => "The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: User (res.users)\nConstraint: res_users_oauth_provider_id_fkey\n".into(),
            ConstraintViolation::TooManyUserTypes => "The user cannot have more than one user types.".into(),
        }
    }
}

/// The whole simulated database.
#[derive(Debug, Clone)]
pub struct Database {
    pub name: String,
    pub version: OdooVersion,
    pub dbfilter: Option<String>,
    /// Further, empty databases of the server (they only matter for picking a database).
    pub other_databases: Vec<String>,
    /// Whether the plan includes the external API (Odoo Online without "Custom": false).
    pub external_api: bool,
    pub users: BTreeMap<i64, User>,
    pub groups: BTreeMap<i64, Group>,
    pub providers: BTreeMap<i64, Provider>,
    pub params: BTreeMap<String, String>,
    pub modules: Vec<Module>,
    pub xml_ids: Vec<XmlId>,
    pub signup_installed: bool,
    pub company_name: String,
    /// `request.env.lang` of anonymous pages (the login page).
    pub lang: String,
}

impl Database {
    pub fn from_seed(seed: &Seed) -> Result<Database, String> {
        seed.validate().map_err(|e| e.to_string())?;
        let version = OdooVersion::parse(&seed.version, seed.server_version.as_deref())?;
        let mut groups: BTreeMap<i64, Group> = STANDARD_GROUPS
            .iter()
            .map(|(id, n, _)| (*id, Group { id: *id, full_name: n.to_string() }))
            .collect();
        for g in &seed.groups {
            groups.insert(g.id, Group { id: g.id, full_name: g.full_name.clone() });
        }
        let providers = seed
            .providers
            .iter()
            .map(|p| {
                let provider = Provider {
                    id: p.id,
                    name: p.name.clone(),
                    enabled: p.enabled,
                    client_id: p.client_id.clone(),
                    auth_endpoint: Some(p.auth_endpoint.clone()),
                    validation_endpoint: Some(p.validation_endpoint.clone()),
                    data_endpoint: p.data_endpoint.clone(),
                    scope: p.scope.clone(),
                    body: Some(p.body.clone()),
                    css_class: p.css_class.clone(),
                    sequence: p.sequence,
                };
                (p.id, provider)
            })
            .collect();
        let mut users = BTreeMap::new();
        for u in &seed.users {
            let groups_of_user = match &u.groups {
                Some(g) => g.clone(),
                None if u.share => vec![GROUP_PORTAL],
                None => DEFAULT_INTERNAL_GROUPS.to_vec(),
            };
            let mut user = User {
                id: u.id,
                login: u.login.clone(),
                email: u.email.clone(),
                name: u.name.clone(),
                password: u.password.clone(),
                api_keys: u.api_keys.clone(),
                active: u.active,
                groups: groups_of_user,
                oauth_provider_id: u.oauth_provider_id,
                oauth_uid: u.oauth_uid.clone(),
                oauth_access_token: u.oauth_access_token.clone(),
                partner_id: u.partner_id.unwrap_or(u.id + 1),
                settings_id: u.settings_id.unwrap_or(u.id),
            };
            if u.admin {
                user.groups.extend([GROUP_ACCESS_RIGHTS, GROUP_SETTINGS]);
            }
            for gid in &user.groups {
                if !groups.contains_key(gid) {
                    return Err(format!("user {} is in unknown group {gid}", u.id));
                }
            }
            users.insert(u.id, user);
        }
        let mut db = Database {
            name: seed.database.clone(),
            version,
            dbfilter: seed.dbfilter.clone(),
            other_databases: seed.other_databases.clone(),
            external_api: seed.external_api,
            users,
            groups,
            providers,
            params: seed.config_parameters.clone(),
            modules: Vec::new(),
            xml_ids: Vec::new(),
            signup_installed: seed.signup != SignupScope::None,
            company_name: seed.company_name.clone().unwrap_or_else(|| "My Company".into()),
            lang: seed.lang.clone().filter(|l| !l.is_empty()).unwrap_or_else(|| "en_US".into()),
        };
        let ids: Vec<i64> = db.users.keys().copied().collect();
        for id in ids {
            if let Some(mut u) = db.users.remove(&id) {
                db.normalize_groups(&mut u.groups);
                db.users.insert(id, u);
            }
        }
        db.seed_xml_ids(seed);
        if let Some(scope) = seed.signup.as_param() {
            db.params
                .entry("auth_signup.invitation_scope".into())
                .or_insert_with(|| scope.to_string());
        }
        let mut modules = seed.modules.clone();
        modules.entry("base".into()).or_insert_with(|| "installed".into());
        modules.entry("web".into()).or_insert_with(|| "installed".into());
        modules.entry("auth_oauth".into()).or_insert_with(|| "installed".into());
        modules
            .entry("auth_signup".into())
            .or_insert_with(|| if db.signup_installed { "installed" } else { "uninstalled" }.into());
        let known_ids = [("base", 1), ("web", 2), ("auth_signup", 17), ("auth_oauth", 19)];
        let mut next_id = 100;
        for (name, state) in modules {
            let id = match known_ids.iter().find(|(n, _)| *n == name) {
                Some((_, id)) => *id,
                None => {
                    next_id += 1;
                    next_id
                }
            };
            db.modules.push(Module { id, name, state });
        }
        Ok(db)
    }

    /// XML ids of the standard groups (or the seed's), the stock providers and the admin user.
    fn seed_xml_ids(&mut self, seed: &Seed) {
        let mut rows: Vec<(String, &'static str, i64)> = Vec::new();
        for (id, _, xml_id) in STANDARD_GROUPS {
            if !seed.groups.iter().any(|g| g.id == id && g.xml_id.is_some()) {
                rows.push((xml_id.to_string(), "res.groups", id));
            }
        }
        for g in &seed.groups {
            if let Some(x) = &g.xml_id {
                rows.push((x.clone(), "res.groups", g.id));
            }
        }
        for (id, name, xml_id) in STANDARD_PROVIDERS {
            if self.providers.get(&id).is_some_and(|p| p.name == name) {
                rows.push((xml_id.to_string(), "auth.oauth.provider", id));
            }
        }
        if self.users.contains_key(&2) {
            rows.push(("base.user_admin".to_string(), "res.users", 2));
        }
        for (xml_id, model, res_id) in rows {
            let Some((module, name)) = crate::seed::split_xml_id(&xml_id) else { continue };
            if self.xml_ids.iter().any(|x| x.module == module && x.name == name) {
                continue;
            }
            let id = self.xml_ids.len() as i64 + 1;
            self.xml_ids.push(XmlId {
                id,
                module: module.to_string(),
                name: name.to_string(),
                model: model.to_string(),
                res_id,
            });
        }
    }

    /// Deleting records deletes their XML ids (`BaseModel.unlink`).
    pub fn drop_xml_ids(&mut self, model: &str, ids: &[i64]) {
        self.xml_ids.retain(|x| !(x.model == model && ids.contains(&x.res_id)));
    }

    /// `db_list(force=True, host)`: the server's databases passing the dbfilter for `host`.
    pub fn databases_for_host(&self, host: &str) -> Vec<String> {
        std::iter::once(&self.name)
            .chain(self.other_databases.iter())
            .filter(|d| self.db_filter_accepts(d, host))
            .cloned()
            .collect()
    }

    /// Whether `dbname` passes Odoo's `db_filter` for a request to `host` (`%h`/`%d` expanded,
    /// matched at the start like Python's `re.match`).
    pub fn db_filter_accepts(&self, dbname: &str, host: &str) -> bool {
        let Some(filter) = &self.dbfilter else { return true };
        let mut h = host.split(':').next().unwrap_or("").to_string();
        if let Some(stripped) = h.strip_prefix("www.") {
            h = stripped.to_string();
        }
        let d = h.split('.').next().unwrap_or("").to_string();
        let pattern =
            filter.replace("%h", &regex::escape(&h)).replace("%d", &regex::escape(&d));
        match regex::Regex::new(&format!("^(?:{pattern})")) {
            Ok(re) => re.is_match(dbname),
            Err(_) => false,
        }
    }

    /// `auth_signup` reading of `auth_signup.invitation_scope`.
    pub fn signup_scope(&self) -> SignupScope {
        if !self.signup_installed {
            return SignupScope::None;
        }
        match self.params.get("auth_signup.invitation_scope").map(String::as_str) {
            Some("b2c") => SignupScope::B2c,
            _ => SignupScope::B2b,
        }
    }

    /// `auth_oauth.authorization_header` is set (any non-empty value, as Python truthiness).
    pub fn authorization_header_enabled(&self) -> bool {
        self.version.supports_authorization_header()
            && self.params.get("auth_oauth.authorization_header").is_some_and(|v| !v.is_empty())
    }

    pub fn active_user(&self, uid: i64) -> Option<&User> {
        self.users.get(&uid).filter(|u| u.active)
    }

    /// `common.authenticate`: active user by login, password or API key.
    pub fn authenticate(&self, login: &str, secret: &str) -> Option<i64> {
        self.users
            .values()
            .find(|u| u.active && u.login == login)
            .filter(|u| u.accepts_secret(secret))
            .map(|u| u.id)
    }

    /// `res.users.apikeys._check_credentials(scope='rpc', key)` of JSON-2's bearer auth: the
    /// active user owning this API key (passwords do not count).
    pub fn api_key_user(&self, key: &str) -> Option<i64> {
        self.users
            .values()
            .find(|u| u.active && !key.is_empty() && u.api_keys.iter().any(|k| k == key))
            .map(|u| u.id)
    }

    /// `security.check(db, uid, passwd)` of the object service.
    pub fn check_uid_secret(&self, uid: i64, secret: &str) -> bool {
        self.active_user(uid).is_some_and(|u| u.accepts_secret(secret))
    }

    /// The active user linked to `(provider, oauth_uid)`.
    pub fn find_oauth_user(&self, provider_id: i64, oauth_uid: &str) -> Option<i64> {
        self.users
            .values()
            .find(|u| {
                u.active
                    && u.oauth_provider_id == Some(provider_id)
                    && u.oauth_uid.as_deref() == Some(oauth_uid)
            })
            .map(|u| u.id)
    }

    pub fn next_user_id(&self) -> i64 {
        self.users.keys().max().copied().unwrap_or(0) + 1
    }

    pub fn next_partner_id(&self) -> i64 {
        self.users.values().map(|u| u.partner_id).max().unwrap_or(2) + 1
    }

    pub fn next_provider_id(&self) -> i64 {
        self.providers.keys().max().copied().unwrap_or(0) + 1
    }

    /// Until 18 adds implied groups (Settings ⇒ Access Rights ⇒ Internal User); then drops
    /// duplicates and orders them like Odoo reads a user's groups (by group name).
    pub fn normalize_groups(&self, groups: &mut Vec<i64>) {
        if self.version.stores_implied_groups() {
            for (group, implied) in IMPLIED {
                if groups.contains(&group) && !groups.contains(&implied) {
                    groups.push(implied);
                }
            }
        }
        self.sort_groups(groups);
    }

    /// Orders group ids by group name (res.groups `_order`), duplicates dropped.
    pub fn sort_groups(&self, groups: &mut Vec<i64>) {
        groups.sort_by(|a, b| {
            let name = |id: &i64| self.groups.get(id).map(|g| g.name().to_lowercase());
            name(a).cmp(&name(b)).then(a.cmp(b))
        });
        groups.dedup();
    }

    /// Checks the constraints a candidate user state must satisfy against every other user.
    pub fn check_user_constraints(&self, user: &User) -> Result<(), ConstraintViolation> {
        let types = [GROUP_INTERNAL, GROUP_PORTAL, GROUP_PUBLIC];
        let all = user.all_groups();
        if types.iter().filter(|t| all.contains(t)).count() > 1 {
            return Err(ConstraintViolation::TooManyUserTypes);
        }
        if let Some(p) = user.oauth_provider_id {
            if !self.providers.contains_key(&p) {
                return Err(ConstraintViolation::UnknownProvider(p));
            }
        }
        for other in self.users.values().filter(|o| o.id != user.id) {
            if other.login == user.login {
                return Err(ConstraintViolation::DuplicateLogin);
            }
            if user.oauth_provider_id.is_some()
                && user.oauth_uid.is_some()
                && other.oauth_provider_id == user.oauth_provider_id
                && other.oauth_uid == user.oauth_uid
            {
                return Err(ConstraintViolation::DuplicateOAuthLink);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dbfilter_matches_from_the_start_like_re_match() {
        let db = Database::from_seed(&Seed::transcripts()).expect("seed builds");
        assert!(db.db_filter_accepts("acme", "127.0.0.1:8069"));
        assert!(!db.db_filter_accepts("other", "127.0.0.1:8069"));
        assert!(!db.db_filter_accepts("acme2", "127.0.0.1:8069"));
    }

    #[test]
    fn seeded_users_get_default_groups() {
        let db = Database::from_seed(&Seed::transcripts()).expect("seed builds");
        assert_eq!(db.users[&6].groups, vec![8, 9, 1, 7]);
        assert!(db.users[&7].share());
        assert!(db.users[&2].is_admin() && db.users[&2].is_system());
    }
}
