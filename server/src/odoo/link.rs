//! Finds (or provisions) the Odoo user for a verified person and writes the link Odoo's
//! `auth_oauth` looks up. First a read-only decision (also what `users preview` shows), then
//! one write. It must never link by an email the policy did not accept, pick one of several
//! matches, or leave a half-written link.

use super::client::{OdooClient, OdooError, OdooUser};
use crate::{
    config::{OdooConfig, Provision, SubjectScheme},
    policy::{self, PolicyRefusal},
    store::{IdentityLink, Store, StoreError},
    upstream::UpstreamIdentity,
};
use serde_json::{json, Value};

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error(transparent)]
    Policy(#[from] PolicyRefusal),
    #[error("no Odoo account for {email}")]
    NoAccount { email: String },
    #[error("the Odoo account for {email} is archived")]
    Archived { email: String },
    #[error("several Odoo accounts use {email}")]
    Ambiguous { email: String },
    #[error("no auth.oauth.provider record in Odoo points at this bridge")]
    NoProviderRecord,
    #[error("another Odoo user already has oauth_uid {subject} for provider record {record}: {message}")]
    SubjectTaken { subject: String, record: i64, message: String },
    #[error(transparent)]
    Odoo(#[from] OdooError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The Odoo user a login ends as, and the subject Odoo will see for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedUser {
    pub user: OdooUser,
    pub subject: String,
    /// True when the bridge created the user (provisioning) during this login.
    pub created: bool,
}

/// What the bridge will do for a person, decided without writing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkDecision {
    /// An existing, active user (found by an earlier link or by verified email).
    Existing { user: OdooUser, by_link: bool },
    /// No account, and the policy provisions one with these groups.
    Create { email: String, name: String, provision: Provision, group_xml_ids: Vec<String> },
}

/// The subject Odoo knows a user by. One per Odoo user, whichever upstream identity signs in,
/// so several identities reach the same account despite Odoo's one-provider-per-user model.
pub fn bridge_subject(user_id: i64) -> String {
    format!("login-bridge-{user_id}")
}

/// Without API access the bridge cannot write links, so the subject must be one the admin
/// can fill in `oauth_uid` in bulk beforehand (see README, "No external API").
pub fn predictable_subject(odoo: &OdooConfig, identity: &UpstreamIdentity) -> Result<String, PolicyRefusal> {
    match odoo.subject {
        SubjectScheme::Email => policy::email_for_linking(odoo, identity),
        SubjectScheme::ProviderSubject => {
            if let Some(email) = identity.email.as_deref() {
                policy::check_domain(odoo, &email.to_lowercase())?;
            }
            Ok(format!("{}:{}", identity.provider_id, identity.subject))
        }
    }
}

/// Read-only: who this person is in Odoo, or who would be created, or why not.
pub async fn decide(client: &OdooClient, store: &Store, identity: &UpstreamIdentity) -> Result<LinkDecision, LinkError> {
    let odoo = client.config();
    if let Some(user) = existing_link(client, store, identity).await? {
        if let Some(email) = identity.email.as_deref() {
            policy::check_domain(odoo, &email.to_lowercase())?;
        }
        return Ok(LinkDecision::Existing { user, by_link: true });
    }
    let email = policy::email_for_linking(odoo, identity)?;
    match find_by_email(client, &email).await {
        Ok(user) => Ok(LinkDecision::Existing { user, by_link: false }),
        Err(LinkError::NoAccount { email }) if odoo.provision != Provision::Off => Ok(LinkDecision::Create {
            name: identity.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| email.clone()),
            group_xml_ids: provisioned_groups(odoo),
            provision: odoo.provision,
            email,
        }),
        Err(error) => Err(error),
    }
}

/// Groups a provisioned user starts with.
fn provisioned_groups(odoo: &OdooConfig) -> Vec<String> {
    let base = match odoo.provision {
        Provision::Portal => "base.group_portal",
        _ => "base.group_user",
    };
    let mut groups = vec![base.to_string()];
    for g in &odoo.default_groups {
        if !groups.contains(g) {
            groups.push(g.clone());
        }
    }
    groups
}

/// Resolves the person to an Odoo user and makes sure Odoo will find them under `provider_record`.
pub async fn link_person(
    client: &OdooClient,
    store: &Store,
    identity: &UpstreamIdentity,
    provider_record: i64,
) -> Result<LinkedUser, LinkError> {
    let odoo = client.config();
    let (user, created) = match decide(client, store, identity).await? {
        LinkDecision::Existing { user, .. } => (user, false),
        LinkDecision::Create { email, name, group_xml_ids, .. } => {
            (create_user(client, &email, &name, &group_xml_ids).await?, true)
        }
    };
    let subject = bridge_subject(user.id);
    let mut vals = serde_json::Map::new();
    if user.oauth_provider_id != Some(provider_record) || user.oauth_uid.as_deref() != Some(subject.as_str()) {
        // Both fields in one write: Odoo never sees a half-written link.
        vals.insert("oauth_provider_id".into(), json!(provider_record));
        vals.insert("oauth_uid".into(), json!(subject));
    }
    if odoo.sync_profile {
        sync_profile_values(&user, identity, &mut vals);
    }
    let mapped = mapped_groups(client, identity, &user).await?;
    if !mapped.is_empty() {
        vals.insert(client.groups_field().await?.into(), Value::Array(mapped.iter().map(|id| json!([4, id])).collect()));
    }
    if !vals.is_empty() {
        client.write("res.users", &[user.id], Value::Object(vals)).await.map_err(|e| subject_clash(e, &subject, provider_record))?;
        tracing::info!(odoo = %odoo.id, user_id = user.id, provider_record, created, "linked Odoo user");
    }
    store
        .save_link(&IdentityLink {
            provider_id: identity.provider_id.clone(),
            upstream_subject: identity.subject.clone(),
            odoo_id: odoo.id.clone(),
            odoo_user_id: user.id,
            bridge_subject: subject.clone(),
            email: identity.email.clone(),
        })
        .await?;
    Ok(LinkedUser { user, subject, created })
}

/// Odoo enforces (oauth_provider_id, oauth_uid) uniqueness with a ValidationError.
fn subject_clash(error: OdooError, subject: &str, record: i64) -> LinkError {
    match error {
        OdooError::Fault { name, message, .. } if name.ends_with("ValidationError") || name.ends_with("IntegrityError") => {
            LinkError::SubjectTaken { subject: subject.to_string(), record, message }
        }
        other => LinkError::Odoo(other),
    }
}

/// Creates the user without Odoo's invitation mail.
async fn create_user(client: &OdooClient, email: &str, name: &str, groups: &[String]) -> Result<OdooUser, LinkError> {
    let group_ids = client.group_ids(groups).await?;
    let mut vals = json!({"name": name, "login": email, "email": email});
    vals[client.groups_field().await?] = json!([[6, 0, group_ids]]);
    let id = client.create_user(vals).await?;
    // The link needs the new id, so `link_person` writes it next, both fields at once; if that
    // write fails the user exists unlinked and the next login links it by email.
    let user = client.user(id).await?.ok_or_else(|| OdooError::Protocol(format!("created user {id} cannot be read back")))?;
    tracing::info!(odoo = %client.config().id, user_id = id, "provisioned Odoo user");
    Ok(user)
}

/// Name always; email only when the provider verified it.
fn sync_profile_values(user: &OdooUser, identity: &UpstreamIdentity, vals: &mut serde_json::Map<String, Value>) {
    if let Some(name) = identity.name.as_deref().filter(|n| !n.trim().is_empty() && *n != user.name) {
        vals.insert("name".into(), json!(name));
    }
    if identity.email_verified {
        if let Some(email) = identity.email.as_deref().map(str::to_lowercase) {
            if user.email.as_deref().map(str::to_lowercase).as_deref() != Some(email.as_str()) {
                vals.insert("email".into(), json!(email));
            }
        }
    }
}

/// Groups the person's provider groups map to that the user does not have yet. Only adds:
/// removing groups at login could strip rights an admin gave by hand.
async fn mapped_groups(client: &OdooClient, identity: &UpstreamIdentity, user: &OdooUser) -> Result<Vec<i64>, LinkError> {
    let mapping = &client.config().group_mapping;
    let mut xml_ids: Vec<String> = Vec::new();
    for group in &identity.groups {
        for xml_id in mapping.get(group).into_iter().flatten() {
            if !xml_ids.contains(xml_id) {
                xml_ids.push(xml_id.clone());
            }
        }
    }
    let ids = client.group_ids(&xml_ids).await?;
    Ok(ids.into_iter().filter(|id| !user.group_ids.contains(id)).collect())
}

/// A link made at an earlier login, if its Odoo user still exists and is active.
async fn existing_link(client: &OdooClient, store: &Store, identity: &UpstreamIdentity) -> Result<Option<OdooUser>, LinkError> {
    let Some(link) = store.find_link(&identity.provider_id, &identity.subject, &client.config().id).await? else {
        return Ok(None);
    };
    Ok(client.user(link.odoo_user_id).await?.filter(|u| u.active))
}

/// The one active user whose login, or else whose email, is this address.
async fn find_by_email(client: &OdooClient, email: &str) -> Result<OdooUser, LinkError> {
    let by_login = client.users_where("login", email).await?;
    if let [user] = by_login.as_slice() {
        return Ok(user.clone());
    }
    if by_login.len() > 1 {
        return Err(LinkError::Ambiguous { email: email.to_string() });
    }
    let by_email = client.users_where("email", email).await?;
    match by_email.as_slice() {
        [user] => Ok(user.clone()),
        [] if client.archived_user_exists(email).await? => Err(LinkError::Archived { email: email.to_string() }),
        [] => Err(LinkError::NoAccount { email: email.to_string() }),
        _ => Err(LinkError::Ambiguous { email: email.to_string() }),
    }
}

/// The `auth.oauth.provider` record for a bridge-initiated login: the configured one, else the
/// record whose auth_endpoint is this provider's bridge URL, else any record pointing at the bridge.
pub async fn provider_record_for(client: &OdooClient, public_base: &str, provider_id: &str) -> Result<i64, LinkError> {
    if let Some(id) = client.config().odoo_provider_id {
        return Ok(id);
    }
    let records = client.provider_records().await?;
    let exact = format!("{public_base}/odoo/authorize/{provider_id}");
    let generic = format!("{public_base}/odoo/authorize");
    let rank = |endpoint: &str| {
        if endpoint == exact {
            Some(0)
        } else if endpoint == generic {
            Some(1)
        } else if endpoint.starts_with(&format!("{generic}/")) {
            Some(2)
        } else {
            None
        }
    };
    records
        .iter()
        .filter_map(|r| rank(&r.auth_endpoint).map(|score| (score, !r.enabled, r.id)))
        .min()
        .map(|(_, _, id)| id)
        .ok_or(LinkError::NoProviderRecord)
}
