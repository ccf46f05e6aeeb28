// Owns: ordered JSON values rendered byte-for-byte like Python's `json.dumps` (", "/": " separators,
// ensure_ascii) plus Python `repr()` of request values for error texts. Must never reorder dict keys.

use std::fmt::Write as _;

/// A JSON value whose dict keys keep insertion order, rendered the way Odoo's `json.dumps` does.
#[derive(Debug, Clone, PartialEq)]
pub enum Py {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Py>),
    Dict(Vec<(String, Py)>),
}

impl Py {
    /// Python's `False`, Odoo's "no value".
    pub const FALSE: Py = Py::Bool(false);

    pub fn dict<K: Into<String>>(items: impl IntoIterator<Item = (K, Py)>) -> Py {
        Py::Dict(items.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn str(s: impl Into<String>) -> Py {
        Py::Str(s.into())
    }

    /// `Some(s)` → string, `None` → `false` (how Odoo serializes an empty Char field).
    pub fn str_or_false(s: Option<&str>) -> Py {
        match s {
            Some(s) => Py::Str(s.to_string()),
            None => Py::FALSE,
        }
    }

    pub fn ints(ids: &[i64]) -> Py {
        Py::List(ids.iter().map(|i| Py::Int(*i)).collect())
    }

    /// Appends or replaces a key of a dict (no-op on other values).
    pub fn set(&mut self, key: &str, value: Py) {
        if let Py::Dict(items) = self {
            if let Some(slot) = items.iter_mut().find(|(k, _)| k == key) {
                slot.1 = value;
            } else {
                items.push((key.to_string(), value));
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&Py> {
        match self {
            Py::Dict(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Converts a serde value (dict keys in serde's order).
    pub fn from_json(v: &serde_json::Value) -> Py {
        match v {
            serde_json::Value::Null => Py::Null,
            serde_json::Value::Bool(b) => Py::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Py::Int(i),
                None => Py::Float(n.as_f64().unwrap_or(0.0)),
            },
            serde_json::Value::String(s) => Py::Str(s.clone()),
            serde_json::Value::Array(a) => Py::List(a.iter().map(Py::from_json).collect()),
            serde_json::Value::Object(o) => {
                Py::Dict(o.iter().map(|(k, v)| (k.clone(), Py::from_json(v))).collect())
            }
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Py::Null => serde_json::Value::Null,
            Py::Bool(b) => serde_json::Value::Bool(*b),
            Py::Int(i) => serde_json::Value::from(*i),
            Py::Float(f) => serde_json::Value::from(*f),
            Py::Str(s) => serde_json::Value::String(s.clone()),
            Py::List(l) => serde_json::Value::Array(l.iter().map(Py::to_json).collect()),
            Py::Dict(d) => serde_json::Value::Object(
                d.iter().map(|(k, v)| (k.clone(), v.to_json())).collect(),
            ),
        }
    }

    /// `json.dumps(value)` with Python's default separators and `ensure_ascii=True`.
    pub fn dumps(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, false);
        out
    }

    /// Like `dumps`, but also escapes `<`, `>`, `&` so the text can sit inside a `<script>`
    /// (what Odoo's `json.scriptsafe` does for inlined session info).
    pub fn dumps_scriptsafe(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, true);
        out
    }

    fn write(&self, out: &mut String, scriptsafe: bool) {
        match self {
            Py::Null => out.push_str("null"),
            Py::Bool(true) => out.push_str("true"),
            Py::Bool(false) => out.push_str("false"),
            Py::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Py::Float(f) => out.push_str(&python_float(*f)),
            Py::Str(s) => write_json_string(out, s, scriptsafe),
            Py::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out, scriptsafe);
                }
                out.push(']');
            }
            Py::Dict(items) => {
                out.push('{');
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_json_string(out, k, scriptsafe);
                    out.push_str(": ");
                    v.write(out, scriptsafe);
                }
                out.push('}');
            }
        }
    }
}

impl From<&str> for Py {
    fn from(s: &str) -> Py {
        Py::Str(s.to_string())
    }
}
impl From<String> for Py {
    fn from(s: String) -> Py {
        Py::Str(s)
    }
}
impl From<i64> for Py {
    fn from(i: i64) -> Py {
        Py::Int(i)
    }
}
impl From<bool> for Py {
    fn from(b: bool) -> Py {
        Py::Bool(b)
    }
}

fn python_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity".into() } else { "-Infinity".into() }
    } else if f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// Python `json` string escaping with `ensure_ascii=True`.
pub fn write_json_string(out: &mut String, s: &str, scriptsafe: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '<' | '>' | '&' if scriptsafe => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{:04x}", unit);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Python `repr()` of a JSON request value (`'abc'`, `1`, `True`, `None`, `[..]`, `{..}`).
pub fn py_repr(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "None".into(),
        serde_json::Value::Bool(true) => "True".into(),
        serde_json::Value::Bool(false) => "False".into(),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => i.to_string(),
            None => python_float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => py_str_repr(s),
        serde_json::Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", inner.join(", "))
        }
        serde_json::Value::Object(o) => {
            let inner: Vec<String> =
                o.iter().map(|(k, v)| format!("{}: {}", py_str_repr(k), py_repr(v))).collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// `repr(tuple(items))`, e.g. `('login', '=', 1)` or `(99,)`.
pub fn py_tuple_repr(items: &[serde_json::Value]) -> String {
    let inner: Vec<String> = items.iter().map(py_repr).collect();
    if inner.len() == 1 {
        format!("({},)", inner[0])
    } else {
        format!("({})", inner.join(", "))
    }
}

/// Python's `repr(str)`: single quotes unless the text holds a `'` and no `"`.
pub fn py_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::new();
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dumps_uses_python_separators_and_ascii_escapes() {
        let v = Py::dict([("d", Py::str("acme")), ("p", Py::Int(4)), ("r", Py::str("é/\"x\""))]);
        assert_eq!(v.dumps(), r#"{"d": "acme", "p": 4, "r": "\u00e9/\"x\""}"#);
    }

    #[test]
    fn repr_of_leaf_matches_python() {
        let leaf = serde_json::json!(["no_such_field", "=", 1]);
        let items = leaf.as_array().cloned().unwrap_or_default();
        assert_eq!(py_tuple_repr(&items), "('no_such_field', '=', 1)");
        assert_eq!(py_repr(&serde_json::json!([true, null, "it's"])), "[True, None, \"it's\"]");
    }
}
