// Owns: the Odoo release flavour (15…19) and every behaviour switch that differs between releases.
// Must never hold per-request state; callers ask it questions instead of comparing numbers themselves.

use crate::pyjson::Py;

/// The simulated Odoo release, parsed from the seed's `version` ("18.0", "17.0", "saas~17.4"…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdooVersion {
    pub major: u32,
    pub minor: u32,
    /// `server_version` as reported by `common.version` ("18.0-20250506").
    pub server_version: String,
    /// `server_serie` ("18.0").
    pub serie: String,
}

impl OdooVersion {
    pub fn parse(version: &str, server_version: Option<&str>) -> Result<Self, String> {
        let trimmed = version.trim().trim_start_matches("saas~");
        let (major, minor) = match trimmed.split_once('.') {
            Some((a, b)) => (a, b),
            None => (trimmed, "0"),
        };
        let major: u32 =
            major.parse().map_err(|_| format!("unsupported Odoo version {version:?}"))?;
        let minor: u32 = minor
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect::<String>()
            .parse()
            .unwrap_or(0);
        if !(15..=19).contains(&major) {
            return Err(format!("unsupported Odoo version {version:?} (15.0 to 19.0 are simulated)"));
        }
        let serie = format!("{major}.{minor}");
        // Build dates of the releases the flavours were modelled on.
        let build = if major >= 19 { "20251001" } else { "20250506" };
        let server_version = server_version
            .map(str::to_string)
            .unwrap_or_else(|| format!("{serie}-{build}"));
        Ok(OdooVersion { major, minor, server_version, serie })
    }

    /// Where a user lands when nothing else is asked: `/odoo` since 18, `/web` before.
    pub fn home_path(&self) -> &'static str {
        if self.major >= 18 { "/odoo" } else { "/web" }
    }

    /// Whether the `/odoo` and `/odoo/...` web client routes exist.
    pub fn has_odoo_routes(&self) -> bool {
        self.major >= 18
    }

    /// `auth_oauth.authorization_header` exists since Odoo 16.
    pub fn supports_authorization_header(&self) -> bool {
        self.major >= 16
    }

    /// Odoo 16+ checks the HTTP status and `WWW-Authenticate` of the validation answer; 15 just
    /// parses the body as JSON whatever the status.
    pub fn checks_validation_status(&self) -> bool {
        self.major >= 16
    }

    /// Keys tried, in order, for the OAuth subject of a validation answer.
    pub fn subject_keys(&self) -> &'static [&'static str] {
        if self.major >= 16 { &["sub", "id", "user_id"] } else { &["user_id", "id"] }
    }

    /// Odoo 15 reads the subject with `validation['user_id']`: a missing subject is a plain
    /// error (oauth_error=2), whereas 16+ raise AccessDenied (oauth_error=3).
    pub fn missing_subject_is_access_denied(&self) -> bool {
        self.major >= 16
    }

    /// The JSON-2 external API (`POST /json/2/<model>/<method>`) exists since Odoo 19.
    pub fn has_json2(&self) -> bool {
        self.major >= 19
    }

    /// Name of the res.users field holding its groups: `groups_id` until 18, `group_ids` since
    /// 19 (odoo/odoo#179354, which also adds `all_group_ids` with the implied groups).
    pub fn user_groups_field(&self) -> &'static str {
        if self.major >= 19 { "group_ids" } else { "groups_id" }
    }

    /// Until 18 a groups write also links every implied group (`UsersImplied.write`); since 19
    /// `group_ids` keeps only the groups given and `all_group_ids` adds the implied ones.
    pub fn stores_implied_groups(&self) -> bool {
        self.major < 19
    }

    pub fn server_version_info(&self) -> Py {
        Py::List(vec![
            Py::Int(self.major as i64),
            Py::Int(self.minor as i64),
            Py::Int(0),
            Py::str("final"),
            Py::Int(0),
            Py::str(""),
        ])
    }

    /// The answer of `common.version` and `/web/webclient/version_info`.
    pub fn version_dict(&self) -> Py {
        Py::dict([
            ("server_version", Py::str(self.server_version.clone())),
            ("server_version_info", self.server_version_info()),
            ("server_serie", Py::str(self.serie.clone())),
            ("protocol_version", Py::Int(1)),
        ])
    }

    /// `websocket_worker_version` of the session info.
    pub fn websocket_worker_version(&self) -> String {
        format!("{}-4", self.serie)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavours_differ_where_odoo_differs() {
        let v18 = OdooVersion::parse("18.0", None).expect("18 parses");
        assert_eq!(v18.home_path(), "/odoo");
        assert_eq!(v18.server_version, "18.0-20250506");
        let v15 = OdooVersion::parse("15.0", None).expect("15 parses");
        assert_eq!(v15.home_path(), "/web");
        assert_eq!(v15.subject_keys(), &["user_id", "id"]);
        assert!(!v15.supports_authorization_header());
        assert!(OdooVersion::parse("12.0", None).is_err());
        let v19 = OdooVersion::parse("19.0", None).expect("19 parses");
        assert_eq!(v19.server_version, "19.0-20251001");
        assert!(v19.has_json2() && !v18.has_json2());
        assert_eq!(v19.user_groups_field(), "group_ids");
        assert_eq!(v18.user_groups_field(), "groups_id");
    }
}
