// Owns: Odoo search domains: parsing the Polish-notation list ("&", "|", "!", leaves) and matching
// records. Must never decide access rights or touch the database; models hand it plain records.

use super::{FieldDef, Record, Val};
use crate::odoo_error::OdooError;
use crate::pyjson::py_tuple_repr;
use serde_json::Value;

#[derive(Debug, Clone)]
pub enum Node {
    True,
    False,
    Leaf { path: Vec<String>, op: Op, value: Value },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    In,
    NotIn,
    Like,
    ILike,
    NotLike,
    NotILike,
    EqLike,
    EqILike,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s.to_ascii_lowercase().as_str() {
            "=" | "==" => Op::Eq,
            "!=" | "<>" => Op::Ne,
            "in" => Op::In,
            "not in" => Op::NotIn,
            "like" => Op::Like,
            "ilike" => Op::ILike,
            "not like" => Op::NotLike,
            "not ilike" => Op::NotILike,
            "=like" => Op::EqLike,
            "=ilike" => Op::EqILike,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            _ => return None,
        })
    }
}

/// Parses a domain for `model` (whose fields are `fields`), validating every leaf like Odoo.
pub fn parse(domain: &Value, model: &str, fields: &[FieldDef]) -> Result<Node, OdooError> {
    let items = match domain {
        Value::Null | Value::Bool(false) => return Ok(Node::True),
        Value::Array(items) => items,
        other => {
            return Err(OdooError::ValueError(format!(
                "Invalid domain: {}",
                crate::pyjson::py_repr(other)
            )))
        }
    };
    let syntax_error = || {
        OdooError::ValueError(format!(
            "Domain {} syntax error: missing operand",
            crate::pyjson::py_repr(domain)
        ))
    };
    let mut stack: Vec<Node> = Vec::new();
    for item in items.iter().rev() {
        match item.as_str() {
            Some("&") | Some("|") => {
                let a = stack.pop().ok_or_else(syntax_error)?;
                let b = stack.pop().ok_or_else(syntax_error)?;
                stack.push(if item.as_str() == Some("&") {
                    Node::And(vec![a, b])
                } else {
                    Node::Or(vec![a, b])
                });
            }
            Some("!") => {
                let a = stack.pop().ok_or_else(syntax_error)?;
                stack.push(Node::Not(Box::new(a)));
            }
            _ => stack.push(parse_leaf(item, model, fields)?),
        }
    }
    stack.reverse();
    Ok(match stack.len() {
        0 => Node::True,
        1 => stack.remove(0),
        _ => Node::And(stack),
    })
}

fn parse_leaf(item: &Value, model: &str, fields: &[FieldDef]) -> Result<Node, OdooError> {
    let parts = match item.as_array() {
        Some(p) if p.len() == 3 => p,
        _ => {
            return Err(OdooError::ValueError(format!(
                "Invalid leaf {}",
                crate::pyjson::py_repr(item)
            )))
        }
    };
    let repr = py_tuple_repr(parts);
    // TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1)
    if let (Some(l), Some("="), Some(1)) = (parts[0].as_i64(), parts[1].as_str(), parts[2].as_i64()) {
        return Ok(if l == 1 { Node::True } else { Node::False });
    }
    let Some(name) = parts[0].as_str() else {
        return Err(OdooError::ValueError(format!("Invalid leaf {repr}")));
    };
    let Some(op) = parts[1].as_str().and_then(Op::parse) else {
        return Err(OdooError::ValueError(format!("Invalid leaf {repr}")));
    };
    let path: Vec<String> = name.split('.').map(str::to_string).collect();
    let head = path[0].as_str();
    let known = head == "id" || fields.iter().any(|f| f.name == head);
    if !known {
        return Err(OdooError::ValueError(format!(
            "Invalid field {model}.{head} in leaf {repr}"
        )));
    }
    Ok(Node::Leaf { path, op, value: parts[2].clone() })
}

/// Whether some leaf of the domain is about `field` (then Odoo adds no implicit active filter).
pub fn mentions(node: &Node, field: &str) -> bool {
    match node {
        Node::Leaf { path, .. } => path[0] == field,
        Node::And(v) | Node::Or(v) => v.iter().any(|n| mentions(n, field)),
        Node::Not(n) => mentions(n, field),
        Node::True | Node::False => false,
    }
}

/// Top-level field names used by the domain's leaves.
pub fn field_names(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::Leaf { path, .. } => out.push(path[0].clone()),
        Node::And(v) | Node::Or(v) => v.iter().for_each(|n| field_names(n, out)),
        Node::Not(n) => field_names(n, out),
        Node::True | Node::False => {}
    }
}

pub fn matches(node: &Node, rec: &Record) -> bool {
    match node {
        Node::True => true,
        Node::False => false,
        Node::And(v) => v.iter().all(|n| matches(n, rec)),
        Node::Or(v) => v.iter().any(|n| matches(n, rec)),
        Node::Not(n) => !matches(n, rec),
        Node::Leaf { path, op, value } => {
            let val = resolve(rec, path);
            leaf_matches(&val, *op, value)
        }
    }
}

fn resolve(rec: &Record, path: &[String]) -> Val {
    let base = rec.get(&path[0]);
    match (path.get(1).map(String::as_str), base) {
        (None, v) => v,
        (Some("id"), Val::M2o(id, _)) => Val::Int(id),
        (Some("name") | Some("display_name"), Val::M2o(_, name)) => Val::Str(name),
        _ => Val::False,
    }
}

fn is_false(v: &Value) -> bool {
    matches!(v, Value::Null | Value::Bool(false))
}

fn eq(val: &Val, v: &Value) -> bool {
    match val {
        Val::Bool(b) => match v {
            Value::Bool(x) => x == b,
            Value::Null => !b,
            Value::Number(n) => n.as_i64().map(|n| n != 0) == Some(*b),
            _ => false,
        },
        Val::False => is_false(v),
        Val::Int(i) => v.as_i64() == Some(*i) || v.as_str() == Some(&i.to_string()),
        Val::Str(s) => match v {
            Value::String(x) => x == s,
            Value::Number(n) => n.to_string() == *s,
            other => is_false(other) && s.is_empty(),
        },
        Val::M2o(id, name) => v.as_i64() == Some(*id) || v.as_str() == Some(name.as_str()),
        Val::M2m(ids) => match v {
            Value::Number(n) => n.as_i64().is_some_and(|n| ids.contains(&n)),
            other => is_false(other) && ids.is_empty(),
        },
    }
}

fn text_of(val: &Val) -> Option<String> {
    match val {
        Val::Str(s) => Some(s.clone()),
        Val::M2o(_, name) => Some(name.clone()),
        Val::Int(i) => Some(i.to_string()),
        Val::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        Val::False | Val::M2m(_) => None,
    }
}

fn leaf_matches(val: &Val, op: Op, value: &Value) -> bool {
    match op {
        Op::Eq => eq(val, value),
        Op::Ne => !eq(val, value),
        Op::In | Op::NotIn => {
            let items: Vec<Value> = match value {
                Value::Array(a) => a.clone(),
                other => vec![other.clone()],
            };
            let hit = match val {
                Val::M2m(ids) => {
                    items.iter().any(|i| i.as_i64().is_some_and(|i| ids.contains(&i)))
                        || (ids.is_empty() && items.iter().any(is_false))
                }
                _ => items.iter().any(|i| eq(val, i)),
            };
            (op == Op::In) == hit
        }
        Op::Like | Op::ILike | Op::EqLike | Op::EqILike | Op::NotLike | Op::NotILike => {
            let needle = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return matches!(op, Op::NotLike | Op::NotILike) && text_of(val).is_some(),
            };
            let pattern = match op {
                Op::EqLike | Op::EqILike => needle,
                _ => format!("%{needle}%"),
            };
            let insensitive = matches!(op, Op::ILike | Op::EqILike | Op::NotILike);
            match text_of(val) {
                Some(text) => {
                    let hit = like_match(&pattern, &text, insensitive);
                    if matches!(op, Op::NotLike | Op::NotILike) { !hit } else { hit }
                }
                None => matches!(op, Op::NotLike | Op::NotILike),
            }
        }
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let ord = match (val, value) {
                (Val::Int(i) | Val::M2o(i, _), Value::Number(n)) => {
                    n.as_f64().and_then(|n| (*i as f64).partial_cmp(&n))
                }
                (Val::Str(s), Value::String(x)) => Some(s.as_str().cmp(x.as_str())),
                _ => None,
            };
            match ord {
                Some(o) => match op {
                    Op::Lt => o.is_lt(),
                    Op::Le => o.is_le(),
                    Op::Gt => o.is_gt(),
                    _ => o.is_ge(),
                },
                None => false,
            }
        }
    }
}

/// SQL LIKE: `%` any run, `_` one character, `\` escapes.
pub fn like_match(pattern: &str, text: &str, insensitive: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if insensitive {
        (pattern.to_lowercase().chars().collect(), text.to_lowercase().chars().collect())
    } else {
        (pattern.chars().collect(), text.chars().collect())
    };
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Lit(char),
        One,
        Any,
    }
    let mut toks = Vec::new();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' if i + 1 < p.len() => {
                toks.push(Tok::Lit(p[i + 1]));
                i += 1;
            }
            '%' => toks.push(Tok::Any),
            '_' => toks.push(Tok::One),
            c => toks.push(Tok::Lit(c)),
        }
        i += 1;
    }
    // dp[j] = pattern prefix matches text prefix of length j
    let mut dp = vec![false; t.len() + 1];
    dp[0] = true;
    for tok in toks {
        let mut next = vec![false; t.len() + 1];
        match tok {
            Tok::Any => {
                let mut seen = false;
                for j in 0..=t.len() {
                    seen |= dp[j];
                    next[j] = seen;
                }
            }
            Tok::One => {
                next[1..].copy_from_slice(&dp[..t.len()]);
            }
            Tok::Lit(c) => {
                for j in 1..=t.len() {
                    next[j] = dp[j - 1] && t[j - 1] == c;
                }
            }
        }
        dp = next;
    }
    dp[t.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_behave_like_sql() {
        assert!(like_match("%ali%", "Alice", true));
        assert!(!like_match("%ali%", "Alice", false));
        assert!(like_match("a_ice", "alice", false));
        assert!(like_match("%@example.com", "bob@example.com", true));
        assert!(!like_match("100\\%", "1000", false));
    }
}
