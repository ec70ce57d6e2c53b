//! Typed access to the located YAML tree, collecting located diagnostics as it goes.

use std::time::Duration;

use super::duration::parse_duration;
use super::node::{Diagnostic, Located, Node, Pos};

/// Collects diagnostics for one file.
pub(crate) struct Ctx<'a> {
    pub path: &'a str,
    pub diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    pub fn err(&mut self, pos: Pos, message: impl Into<String>, help: Option<String>) {
        self.diags.push(Diagnostic {
            path: self.path.to_string(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            help,
        });
    }

    pub fn wrong_type(&mut self, key: &str, v: &Located, expected: &str) {
        self.err(
            v.pos,
            format!("`{key}` must be {expected}, found {}", v.node.kind_name()),
            None,
        );
    }
}

/// The keys of one mapping, checked against the allowed set.
pub(crate) struct Fields<'n> {
    pub pos: Pos,
    pub what: String,
    entries: Vec<(&'n str, Pos, &'n Located)>,
}

/// Levenshtein distance, for did-you-mean hints.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a small distance.
pub(crate) fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Checks `node` is a mapping with only `allowed` keys; reports unknown and repeated keys.
pub(crate) fn fields<'n>(
    ctx: &mut Ctx,
    node: &'n Located,
    what: &str,
    allowed: &[&str],
) -> Option<Fields<'n>> {
    let Node::Map(entries) = &node.node else {
        ctx.err(
            node.pos,
            format!(
                "{what} must be a mapping (`key: value` lines), found {}",
                node.node.kind_name()
            ),
            None,
        );
        return None;
    };
    let mut out = Fields {
        pos: node.pos,
        what: what.to_string(),
        entries: Vec::new(),
    };
    for (k, kpos, v) in entries {
        if !allowed.contains(&k.as_str()) {
            let valid = allowed.join(", ");
            let help = match suggest(k, allowed) {
                Some(s) => format!("did you mean `{s}`? valid keys: {valid}"),
                None => format!("valid keys: {valid}"),
            };
            ctx.err(*kpos, format!("unknown key `{k}` in {what}"), Some(help));
        } else if out.entries.iter().any(|(e, _, _)| e == k) {
            ctx.err(
                *kpos,
                format!("key `{k}` appears twice in {what}"),
                Some("keep one of them".into()),
            );
        } else {
            out.entries.push((k.as_str(), *kpos, v));
        }
    }
    Some(out)
}

impl<'n> Fields<'n> {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&'n Located> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
    }

    /// Which of `keys` are present, with their key positions.
    pub fn present(&self, keys: &[&str]) -> Vec<(&'n str, Pos, &'n Located)> {
        self.entries
            .iter()
            .filter(|(k, _, _)| keys.contains(k))
            .copied()
            .collect()
    }

    /// Reports a missing required key at the mapping's position.
    pub fn missing(&self, ctx: &mut Ctx, key: &str) {
        ctx.err(
            self.pos,
            format!("missing required key `{key}` in {}", self.what),
            Some(format!("add `{key}: …`")),
        );
    }

    /// A string value (numbers are accepted as their text).
    pub fn str(&self, ctx: &mut Ctx, key: &str) -> Option<(String, Pos)> {
        let v = self.get(key)?;
        as_string(ctx, key, v).map(|s| (s, v.pos))
    }

    /// A required string value.
    pub fn req_str(&self, ctx: &mut Ctx, key: &str) -> Option<(String, Pos)> {
        if self.get(key).is_none() {
            self.missing(ctx, key);
            return None;
        }
        self.str(ctx, key)
    }

    /// A boolean, `default` when absent.
    pub fn bool(&self, ctx: &mut Ctx, key: &str, default: bool) -> bool {
        match self.get(key) {
            None => default,
            Some(Located {
                node: Node::Bool(b),
                ..
            }) => *b,
            Some(v) => {
                ctx.wrong_type(key, v, "`true` or `false`");
                default
            }
        }
    }

    /// A duration like `30s`, `default` when absent.
    pub fn duration(&self, ctx: &mut Ctx, key: &str, default: Duration) -> Duration {
        let Some(v) = self.get(key) else {
            return default;
        };
        match &v.node {
            Node::Str(s) => parse_duration(s).unwrap_or_else(|e| {
                ctx.err(v.pos, format!("bad `{key}`: {e}"), None);
                default
            }),
            Node::Int(n) => {
                ctx.err(
                    v.pos,
                    format!("`{key}: {n}` has no unit"),
                    Some(format!("write `{key}: {n}s`")),
                );
                default
            }
            _ => {
                ctx.wrong_type(key, v, "a duration such as `30s`");
                default
            }
        }
    }

    /// A list of strings (empty when absent).
    pub fn str_list(&self, ctx: &mut Ctx, key: &str) -> Vec<(String, Pos)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let Node::Seq(items) = &v.node else {
            ctx.wrong_type(key, v, "a list");
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|i| as_string(ctx, key, i).map(|s| (s, i.pos)))
            .collect()
    }

    /// A number, checked to lie in `lo..=hi`.
    pub fn number(&self, ctx: &mut Ctx, key: &str, lo: f64, hi: f64) -> Option<f64> {
        let v = self.get(key)?;
        let n = match v.node {
            Node::Int(i) => i as f64,
            Node::Float(f) => f,
            _ => {
                ctx.wrong_type(key, v, "a number");
                return None;
            }
        };
        if !(lo..=hi).contains(&n) {
            ctx.err(
                v.pos,
                format!("`{key}` is {n}, out of range"),
                Some(format!("use a value from {lo} to {hi}")),
            );
            return None;
        }
        Some(n)
    }
}

/// A scalar as text; lists and mappings are type errors.
pub(crate) fn as_string(ctx: &mut Ctx, key: &str, v: &Located) -> Option<String> {
    match &v.node {
        Node::Str(s) => Some(s.clone()),
        Node::Int(i) => Some(i.to_string()),
        Node::Float(f) => Some(f.to_string()),
        Node::Bool(b) => Some(b.to_string()),
        _ => {
            ctx.wrong_type(key, v, "a string");
            None
        }
    }
}

/// Checks an id against `[a-z0-9-]+` (or with `_` when `underscore`).
pub(crate) fn check_id(ctx: &mut Ctx, what: &str, id: &str, pos: Pos, underscore: bool) -> bool {
    let ok = !id.is_empty()
        && id.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || (underscore && c == '_')
        });
    if !ok {
        let set = if underscore {
            "[a-z0-9_-]"
        } else {
            "[a-z0-9-]"
        };
        ctx.err(
            pos,
            format!("{what} `{id}` is not a valid id"),
            Some(format!(
                "use only {set}: lower-case letters, digits and dashes, e.g. `disk-check`"
            )),
        );
    }
    ok
}
