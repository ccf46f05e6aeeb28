// Owns: the Python exceptions Odoo raises over JSON-RPC and their exact error-object shape
// (code 200 "Odoo Server Error" / code 100 "Odoo Session Expired"). Must never build HTTP responses.

use crate::pyjson::Py;

/// An exception as Odoo would raise it, identified by its Python class.
#[derive(Debug, Clone, PartialEq)]
pub enum OdooError {
    AccessDenied,
    /// `AccessDenied(message)` with a message of its own.
    AccessDeniedWith(String),
    AccessError(String),
    UserError(String),
    ValidationError(String),
    MissingError(String),
    ValueError(String),
    AttributeError(String),
    TypeError(String),
    KeyError(String),
    NameError(String),
    Exception(String),
    /// psycopg2 failing to reach a database that does not exist.
    OperationalError(String),
    SessionExpired,
}

impl OdooError {
    /// `module.ClassName`, the `data.name` of the error object.
    pub fn class_path(&self) -> &'static str {
        match self {
            OdooError::AccessDenied | OdooError::AccessDeniedWith(_) => "odoo.exceptions.AccessDenied",
            OdooError::AccessError(_) => "odoo.exceptions.AccessError",
            OdooError::UserError(_) => "odoo.exceptions.UserError",
            OdooError::ValidationError(_) => "odoo.exceptions.ValidationError",
            OdooError::MissingError(_) => "odoo.exceptions.MissingError",
            OdooError::ValueError(_) => "builtins.ValueError",
            OdooError::AttributeError(_) => "builtins.AttributeError",
            OdooError::TypeError(_) => "builtins.TypeError",
            OdooError::KeyError(_) => "builtins.KeyError",
            OdooError::NameError(_) => "builtins.NameError",
            OdooError::Exception(_) => "builtins.Exception",
            OdooError::OperationalError(_) => "psycopg2.OperationalError",
            OdooError::SessionExpired => "odoo.http.SessionExpiredException",
        }
    }

    /// `str(exception)`.
    pub fn message(&self) -> String {
        match self {
            OdooError::AccessDenied => "Access Denied".into(),
            OdooError::SessionExpired => "Session expired".into(),
            OdooError::AccessDeniedWith(m)
            | OdooError::AccessError(m)
            | OdooError::UserError(m)
            | OdooError::ValidationError(m)
            | OdooError::MissingError(m)
            | OdooError::ValueError(m)
            | OdooError::AttributeError(m)
            | OdooError::TypeError(m)
            | OdooError::KeyError(m)
            | OdooError::NameError(m)
            | OdooError::Exception(m)
            | OdooError::OperationalError(m) => m.clone(),
        }
    }

    /// The last line of a Python traceback for this exception (builtins print without module).
    fn traceback_last_line(&self) -> String {
        let path = self.class_path();
        let shown = path.strip_prefix("builtins.").unwrap_or(path);
        format!("{shown}: {}", self.message())
    }

    /// The exception's `http_status` (Odoo 19, used by JSON-2): UserError 422, AccessDenied and
    /// AccessError 403, MissingError 404; anything else is an internal server error.
    pub fn http_status(&self) -> u16 {
        match self {
            OdooError::UserError(_) | OdooError::ValidationError(_) => 422,
            OdooError::AccessDenied | OdooError::AccessDeniedWith(_) | OdooError::AccessError(_) => 403,
            OdooError::MissingError(_) => 404,
            OdooError::SessionExpired => 403,
            _ => 500,
        }
    }

    fn debug(&self) -> String {
        simulated_traceback(&self.traceback_last_line())
    }

    /// Odoo 19's `http.serialize_exception`: the body of a JSON-2 error.
    pub fn serialize(&self) -> Py {
        let message = self.message();
        Py::dict([
            ("name", Py::str(self.class_path())),
            ("message", Py::Str(message.clone())),
            ("arguments", Py::List(vec![Py::Str(message)])),
            ("context", Py::Dict(vec![])),
            ("debug", Py::Str(self.debug())),
        ])
    }

    /// The JSON-RPC `error` member, exactly as Odoo's `serialize_exception` shapes it.
    pub fn to_error_object(&self) -> Py {
        let (code, title) = match self {
            OdooError::SessionExpired => (100, "Odoo Session Expired"),
            _ => (200, "Odoo Server Error"),
        };
        let message = self.message();
        let debug = self.debug();
        Py::dict([
            ("code", Py::Int(code)),
            ("message", Py::str(title)),
            (
                "data",
                Py::dict([
                    ("name", Py::str(self.class_path())),
                    ("debug", Py::Str(debug)),
                    ("message", Py::Str(message.clone())),
                    ("arguments", Py::List(vec![Py::Str(message)])),
                    ("context", Py::Dict(vec![])),
                ]),
            ),
        ])
    }
}

/// What Odoo Online answers external API calls of a database whose plan has no API access
/// (only "Custom" plans include it).
pub fn external_api_unavailable() -> OdooError {
    OdooError::AccessDeniedWith(
        "The external API is not available on this Odoo plan: access to data through the external API (XML-RPC, JSON-RPC, JSON-2) is only included in Custom pricing plans.".into(),
    )
}

/// A Python traceback of the simulator ending with `last_line` ("module.Class: message").
pub fn simulated_traceback(last_line: &str) -> String {
    format!("Traceback (most recent call last):\n  File \"odoo-sim\", line 1, in <simulated>\n{last_line}\n")
}

/// Which ORM operation an access check is about, worded like Odoo's access errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Read,
    Write,
    Create,
    Unlink,
}

impl Operation {
    fn verb(self) -> &'static str {
        match self {
            Operation::Read => "access",
            Operation::Write => "modify",
            Operation::Create => "create",
            Operation::Unlink => "delete",
        }
    }
}

/// The AccessError of a failed `ir.model.access` check (file 37's wording).
pub fn access_error(op: Operation, description: &str, model: &str, groups: &[String]) -> OdooError {
    let mut text =
        format!("You are not allowed to {} '{description}' ({model}) records.", op.verb());
    if !groups.is_empty() {
        text.push_str("\n\nThis operation is allowed for the following groups:\n");
        let lines: Vec<String> = groups.iter().map(|g| format!("\t- {g}")).collect();
        text.push_str(&lines.join("\n"));
    } else {
        text.push_str("\n\nNo group currently allows this operation.");
    }
    text.push_str("\n\nContact your administrator to request access if necessary.");
    OdooError::AccessError(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_error_wording_matches_file_37() {
        let e = access_error(
            Operation::Write,
            "User",
            "res.users",
            &["Administration/Access Rights".to_string()],
        );
        assert_eq!(
            e.message(),
            "You are not allowed to modify 'User' (res.users) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary."
        );
    }
}
