// Owns: the Python signatures of the public ORM methods and `inspect.Signature.bind` of named
// arguments (how JSON-2 calls them). Must never run a method: `execute_kw` does that.

use serde_json::{Map, Value};

/// One parameter after `self`.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub required: bool,
}

const fn req(name: &'static str) -> Param {
    Param { name, required: true }
}

const fn opt(name: &'static str) -> Param {
    Param { name, required: false }
}

/// How a public method is declared.
#[derive(Debug, Clone, Copy)]
pub struct Signature {
    /// `@api.model` / `@api.model_create_multi`: called on the model, never with `ids`.
    pub on_model: bool,
    pub params: &'static [Param],
}

impl Signature {
    pub const fn model(params: &'static [Param]) -> Signature {
        Signature { on_model: true, params }
    }
    pub const fn records(params: &'static [Param]) -> Signature {
        Signature { on_model: false, params }
    }

    /// `signature.bind(records, **kwargs)`: the error text of Python's TypeError, if any.
    pub fn bind(&self, kwargs: &Map<String, Value>) -> Result<(), String> {
        if let Some(p) = self.params.iter().find(|p| p.required && !kwargs.contains_key(p.name)) {
            return Err(format!("missing a required argument: '{}'", p.name));
        }
        if let Some(k) = kwargs.keys().find(|k| !self.params.iter().any(|p| p.name == k.as_str())) {
            return Err(format!("got an unexpected keyword argument '{k}'"));
        }
        Ok(())
    }
}

/// `BaseModel`'s public methods the simulator implements, as Odoo 19 declares them.
pub fn base_method(method: &str) -> Option<Signature> {
    const SEARCH: &[Param] = &[req("domain"), opt("offset"), opt("limit"), opt("order")];
    const SEARCH_COUNT: &[Param] = &[req("domain"), opt("limit")];
    // `**read_kwargs` go to read(), whose only other parameter is `load`.
    const SEARCH_READ: &[Param] =
        &[opt("domain"), opt("fields"), opt("offset"), opt("limit"), opt("order"), opt("load")];
    const READ: &[Param] = &[opt("fields"), opt("load")];
    const WRITE: &[Param] = &[req("vals")];
    const CREATE: &[Param] = &[req("vals_list")];
    const FIELDS_GET: &[Param] = &[opt("allfields"), opt("attributes")];
    Some(match method {
        "search" => Signature::model(SEARCH),
        "search_count" => Signature::model(SEARCH_COUNT),
        "search_read" => Signature::model(SEARCH_READ),
        "read" => Signature::records(READ),
        "write" => Signature::records(WRITE),
        "create" => Signature::model(CREATE),
        "unlink" => Signature::records(&[]),
        "exists" => Signature::records(&[]),
        "fields_get" => Signature::model(FIELDS_GET),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kwargs(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn bind_reports_like_python() {
        let write = base_method("write").expect("write is public");
        assert_eq!(write.bind(&kwargs(json!({}))), Err("missing a required argument: 'vals'".into()));
        assert_eq!(
            write.bind(&kwargs(json!({"vals": {}, "x": 1}))),
            Err("got an unexpected keyword argument 'x'".into())
        );
        assert!(base_method("search_read").is_some_and(|s| s.bind(&kwargs(json!({}))).is_ok()));
        assert!(base_method("_private").is_none());
    }
}
