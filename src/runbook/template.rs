//! `{{ name }}` templating: variable resolution, shell-safe and masked rendering.
//!
//! Shell rendering single-quotes every value. That is only safe where the shell
//! would parse a fresh word, so the validator rejects placeholders inside quotes,
//! backticks, comments and here-documents (see [`shell_contexts`]).

use std::collections::BTreeMap;

use super::model::{CheckKind, CommandCheck, HttpCheck, RabbitmqCheck, Runbook};

/// What a secret value is shown as.
pub const MASK: &str = "••••";

/// Most bytes a variable may hold once the `{{…}}` in its default are expanded:
/// a host, a URL, a password. A default doubling another one a few dozen times
/// (a "template bomb") is refused instead of eating the memory.
pub const MAX_VAR_BYTES: usize = 64 * 1024;
/// Most bytes the placeholders of one text (a command line, a guide, a URL)
/// may add to it.
pub const MAX_EXPANSION_BYTES: usize = 1024 * 1024;

/// A problem resolving variables.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `--var name=…` for a variable the runbook does not declare.
    #[error(
        "--var {name}: the runbook declares no variable `{name}`; declared: {}",
        if .declared.is_empty() { "none" } else { .declared.as_str() }
    )]
    UnknownVar {
        /// The name given.
        name: String,
        /// Comma-separated declared names (empty: none).
        declared: String,
    },
    /// Defaults that reference each other in a loop.
    #[error(
        "variable `{name}`: its default refers to itself (through {chain}); give it a value with --var {name}=…"
    )]
    Cycle {
        /// The variable.
        name: String,
        /// The loop, e.g. `a -> b -> a`.
        chain: String,
    },
    /// A value larger than [`MAX_VAR_BYTES`] once expanded.
    #[error(
        "variable `{name}` expands to more than {} (its default repeats other variables too often); give it a value with --var {name}=…",
        crate::text::human_bytes(MAX_VAR_BYTES as u64)
    )]
    VarTooLarge {
        /// The variable.
        name: String,
    },
    /// A text of the runbook whose placeholders add more than [`MAX_EXPANSION_BYTES`].
    #[error(
        "the text starting {start:?} grows by more than {} once its variables are filled in; shorten the values or use fewer placeholders",
        crate::text::human_bytes(MAX_EXPANSION_BYTES as u64)
    )]
    TextTooLarge {
        /// The first characters of the text.
        start: String,
    },
}

impl TemplateError {
    /// The message in `lang` (the English is the Display); names and values
    /// as they are.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::{tr, trf};
        match self {
            TemplateError::UnknownVar { name, declared } => {
                let declared = if declared.is_empty() {
                    tr(lang, "none")
                } else {
                    declared.as_str()
                };
                trf(
                    lang,
                    "--var {}: the runbook declares no variable `{}`; declared: {}",
                    &[name, name, &declared],
                )
            }
            TemplateError::Cycle { name, chain } => trf(
                lang,
                "variable `{}`: its default refers to itself (through {}); give it a value with --var {}=…",
                &[name, chain, name],
            ),
            TemplateError::VarTooLarge { name } => trf(
                lang,
                "variable `{}` expands to more than {} (its default repeats other variables too often); give it a value with --var {}=…",
                &[name, &crate::text::human_bytes(MAX_VAR_BYTES as u64), name],
            ),
            TemplateError::TextTooLarge { start } => trf(
                lang,
                "the text starting {} grows by more than {} once its variables are filled in; shorten the values or use fewer placeholders",
                &[
                    &format!("{start:?}"),
                    &crate::text::human_bytes(MAX_EXPANSION_BYTES as u64),
                ],
            ),
        }
    }
}

/// One `{{name}}` occurrence: byte range of the whole placeholder and the trimmed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Byte offset of `{{`.
    pub start: usize,
    /// Byte offset just past `}}`.
    pub end: usize,
    /// The variable name, spaces trimmed.
    pub name: String,
}

/// Finds every placeholder; `Err(offset)` is the byte offset of an unterminated `{{`.
pub fn placeholders(tmpl: &str) -> Result<Vec<Placeholder>, usize> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(i) = tmpl[rest..].find("{{") {
        let start = rest + i;
        let Some(j) = tmpl[start + 2..].find("}}") else {
            return Err(start);
        };
        let end = start + 2 + j + 2;
        out.push(Placeholder {
            start,
            end,
            name: tmpl[start + 2..start + 2 + j].trim().to_string(),
        });
        rest = end;
    }
    Ok(out)
}

/// Where a placeholder sits in a shell command line, for the validator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellContext {
    /// A fresh word: a single-quoted value is one literal argument.
    Word,
    /// Inside `'…'`.
    SingleQuoted,
    /// Inside `"…"`.
    DoubleQuoted,
    /// Inside `` `…` ``.
    Backticks,
    /// After `#`.
    Comment,
    /// After `<<` (here-document bodies expand `$(…)`).
    HereDoc,
}

/// The shell context of each placeholder start offset in `cmd` (a conservative scan).
pub fn shell_contexts(cmd: &str) -> Vec<(usize, ShellContext)> {
    use ShellContext::*;
    let mut stack: Vec<ShellContext> = Vec::new();
    let mut out = Vec::new();
    let mut heredoc = false;
    let bytes = cmd.as_bytes();
    let mut i = 0;
    let mut prev: u8 = b' ';
    while i < bytes.len() {
        let top = stack.last().copied();
        if bytes[i..].starts_with(b"{{") {
            let ctx = if heredoc && top.is_none() {
                HereDoc
            } else {
                top.unwrap_or(Word)
            };
            out.push((i, ctx));
            i += 2;
            prev = b'{';
            continue;
        }
        let c = bytes[i];
        match top {
            Some(SingleQuoted) => {
                if c == b'\'' {
                    stack.pop();
                }
            }
            Some(Comment) => {
                if c == b'\n' {
                    stack.pop();
                }
            }
            Some(DoubleQuoted) | Some(Backticks) => match c {
                b'\\' => i += 1,
                b'"' if top == Some(DoubleQuoted) => {
                    stack.pop();
                }
                b'`' if top == Some(Backticks) => {
                    stack.pop();
                }
                b'`' => stack.push(Backticks),
                b'\'' if top == Some(Backticks) => stack.push(SingleQuoted),
                b'"' => stack.push(DoubleQuoted),
                // `$(` inside quotes: anything in it is still dangerous; stay quoted.
                _ => {}
            },
            Some(Word) | Some(HereDoc) | None => match c {
                b'\\' => i += 1,
                b'\'' => stack.push(SingleQuoted),
                b'"' => stack.push(DoubleQuoted),
                b'`' => stack.push(Backticks),
                b'#' if prev.is_ascii_whitespace() || prev == b';' => stack.push(Comment),
                b'<' if bytes.get(i + 1) == Some(&b'<') => heredoc = true,
                _ => {}
            },
        }
        prev = c;
        i += 1;
    }
    out
}

/// Where a variable's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--var name=value` (or a caller without a runbook).
    Given,
    /// The variable's `env` environment variable.
    Env,
    /// The variable's `default`, written in the runbook, with nothing from
    /// `--var` or the environment substituted into it.
    Runbook,
}

/// One resolved variable.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Value {
    text: String,
    secret: bool,
    origin: Origin,
}

/// Resolved variable values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vars {
    values: BTreeMap<String, Value>,
}

/// Resolves every declared variable: `--var`, then the var's `env`, then `default`.
pub fn resolve_vars(
    rb: &Runbook,
    overrides: &[(String, String)],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vars, TemplateError> {
    for (name, _) in overrides {
        if rb.var(name).is_none() {
            let declared: Vec<&str> = rb.vars.iter().map(|v| v.name.as_str()).collect();
            return Err(TemplateError::UnknownVar {
                name: name.clone(),
                declared: declared.join(", "),
            });
        }
    }
    let mut vars = Vars::default();
    let mut done = BTreeMap::new();
    for def in &rb.vars {
        let mut chain = Vec::new();
        let (text, origin) = resolve_one(rb, &def.name, overrides, env, &mut chain, &mut done)?;
        let value = Value {
            text,
            secret: def.secret,
            origin,
        };
        vars.values.insert(def.name.clone(), value);
    }
    check_expansions(rb, &vars)?;
    Ok(vars)
}

fn resolve_one(
    rb: &Runbook,
    name: &str,
    overrides: &[(String, String)],
    env: &dyn Fn(&str) -> Option<String>,
    chain: &mut Vec<String>,
    done: &mut BTreeMap<String, (String, Origin)>,
) -> Result<(String, Origin), TemplateError> {
    if chain.iter().any(|n| n == name) {
        chain.push(name.to_string());
        return Err(TemplateError::Cycle {
            name: chain[0].clone(),
            chain: chain.join(" -> "),
        });
    }
    // Each variable is expanded once: a chain of doublings stays linear work.
    if let Some(v) = done.get(name) {
        return Ok(v.clone());
    }
    let too_large = || TemplateError::VarTooLarge {
        name: name.to_string(),
    };
    let (value, origin) = if let Some((_, v)) = overrides.iter().rev().find(|(n, _)| n == name) {
        (v.clone(), Origin::Given)
    } else if let Some(def) = rb.var(name) {
        match (def.env.as_deref().and_then(env), def.default.as_deref()) {
            (Some(v), _) => (v, Origin::Env),
            (None, None) => (String::new(), Origin::Runbook),
            (None, Some(default)) => {
                chain.push(name.to_string());
                let mut out = String::new();
                let mut origin = Origin::Runbook;
                let mut last = 0;
                for p in placeholders(default).unwrap_or_default() {
                    out.push_str(&default[last..p.start]);
                    let (part, from) = resolve_one(rb, &p.name, overrides, env, chain, done)?;
                    out.push_str(&part);
                    // A default built from a value given from outside carries that value.
                    if origin == Origin::Runbook {
                        origin = from;
                    }
                    last = p.end;
                    if out.len() > MAX_VAR_BYTES {
                        return Err(too_large());
                    }
                }
                out.push_str(&default[last..]);
                chain.pop();
                (out, origin)
            }
        }
    } else {
        return Ok((format!("{{{{{name}}}}}"), Origin::Runbook));
    };
    if value.len() > MAX_VAR_BYTES {
        return Err(too_large());
    }
    done.insert(name.to_string(), (value.clone(), origin));
    Ok((value, origin))
}

/// Refuses a runbook text that the resolved values would blow up (see
/// [`MAX_EXPANSION_BYTES`]). Every string of the runbook is looked at, so no
/// field can be forgotten.
fn check_expansions(rb: &Runbook, vars: &Vars) -> Result<(), TemplateError> {
    fn walk(v: &serde_json::Value, vars: &Vars) -> Result<(), TemplateError> {
        match v {
            serde_json::Value::String(s) => {
                let added: usize = placeholders(s)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|p| vars.get(&p.name))
                    .map(str::len)
                    .fold(0, usize::saturating_add);
                if added > MAX_EXPANSION_BYTES {
                    return Err(TemplateError::TextTooLarge {
                        start: s.chars().take(40).collect(),
                    });
                }
                Ok(())
            }
            serde_json::Value::Array(items) => items.iter().try_for_each(|i| walk(i, vars)),
            serde_json::Value::Object(map) => map.values().try_for_each(|i| walk(i, vars)),
            _ => Ok(()),
        }
    }
    match serde_json::to_value(rb) {
        Ok(v) => walk(&v, vars),
        Err(_) => Ok(()),
    }
}

/// Quotes `s` as one literal shell word: `'…'` with `'` written as `'\''`.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

impl Vars {
    /// Builds from (name, value, secret) triples (for tests and callers
    /// without a runbook); the values count as given with `--var`.
    pub fn from_values(items: impl IntoIterator<Item = (String, String, bool)>) -> Self {
        Vars {
            values: items
                .into_iter()
                .map(|(n, text, secret)| {
                    let origin = Origin::Given;
                    (
                        n,
                        Value {
                            text,
                            secret,
                            origin,
                        },
                    )
                })
                .collect(),
        }
    }

    /// The value of a variable.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|v| v.text.as_str())
    }

    /// A copy with `extra` values set (given, not secret), replacing values
    /// of the same name: a drill's sandbox and scenario variables on top of
    /// the runbook's, for the scenario's own templates.
    pub fn overlaid(&self, extra: impl IntoIterator<Item = (String, String)>) -> Vars {
        let mut out = self.clone();
        for (n, text) in extra {
            let secret = out.values.get(&n).is_some_and(|v| v.secret);
            out.values.insert(
                n,
                Value {
                    text,
                    secret,
                    origin: Origin::Given,
                },
            );
        }
        out
    }

    /// Where a variable's value came from.
    pub fn origin(&self, name: &str) -> Option<Origin> {
        self.values.get(name).map(|v| v.origin)
    }

    fn render(&self, tmpl: &str, shell: bool, masked: bool) -> String {
        let Ok(found) = placeholders(tmpl) else {
            return tmpl.to_string();
        };
        let mut out = String::with_capacity(tmpl.len());
        let mut last = 0;
        for p in found {
            out.push_str(&tmpl[last..p.start]);
            match self.values.get(&p.name) {
                Some(v) => {
                    let shown = if masked && v.secret {
                        MASK
                    } else {
                        v.text.as_str()
                    };
                    if shell {
                        out.push_str(&shell_quote(shown));
                    } else {
                        out.push_str(shown);
                    }
                }
                None => out.push_str(&tmpl[p.start..p.end]),
            }
            last = p.end;
        }
        out.push_str(&tmpl[last..]);
        out
    }

    /// Values shell-quoted (single quotes), ready for `sh -c`.
    pub fn render_shell(&self, tmpl: &str) -> String {
        self.render(tmpl, true, false)
    }

    /// Like [`Vars::render_shell`], secrets shown as [`MASK`].
    pub fn render_shell_masked(&self, tmpl: &str) -> String {
        self.render(tmpl, true, true)
    }

    /// Plain substitution (guides, URLs, check targets).
    pub fn render_text(&self, tmpl: &str) -> String {
        self.render(tmpl, false, false)
    }

    /// Plain substitution, secrets shown as [`MASK`].
    pub fn render_text_masked(&self, tmpl: &str) -> String {
        self.render(tmpl, false, true)
    }

    /// Every string field rendered as text (`command` checks' `run` as shell).
    pub fn render_check(&self, kind: &CheckKind) -> CheckKind {
        self.render_check_with(kind, false)
    }

    /// As [`Vars::render_check`], secrets shown as [`MASK`] (for the journal and screen).
    pub fn render_check_masked(&self, kind: &CheckKind) -> CheckKind {
        self.render_check_with(kind, true)
    }

    fn render_check_with(&self, kind: &CheckKind, masked: bool) -> CheckKind {
        let t = |s: &str| self.render(s, false, masked);
        let ot = |s: &Option<String>| s.as_deref().map(t);
        match kind {
            CheckKind::Tcp { target } => CheckKind::Tcp { target: t(target) },
            CheckKind::Http(h) => CheckKind::Http(HttpCheck {
                url: t(&h.url),
                status: h.status,
                user: ot(&h.user),
                password: ot(&h.password),
                json: h
                    .json
                    .iter()
                    .map(|(k, v)| {
                        let v = match v {
                            serde_json::Value::String(s) => serde_json::Value::String(t(s)),
                            other => other.clone(),
                        };
                        (t(k), v)
                    })
                    .collect(),
                contains: ot(&h.contains),
            }),
            CheckKind::Amqp { url } => CheckKind::Amqp { url: t(url) },
            CheckKind::Rabbitmq(r) => CheckKind::Rabbitmq(RabbitmqCheck {
                check: r.check,
                api: ot(&r.api),
                user: ot(&r.user),
                password: ot(&r.password),
                port: r.port,
            }),
            CheckKind::Resources { disk_path } => CheckKind::Resources {
                disk_path: ot(disk_path),
            },
            CheckKind::Command(c) => CheckKind::Command(CommandCheck {
                run: self.render(&c.run, true, masked),
                expect_exit: c.expect_exit,
                expect_output: ot(&c.expect_output),
            }),
        }
    }

    /// The values the masker hides wherever they appear: non-empty values of
    /// secret variables given with `--var` or from the environment. A secret's
    /// own `default` is written in the runbook in plain text and hides
    /// nothing; masking it would only hide innocent text (the default
    /// password `guest` would mask the user name `guest` in every log line).
    pub fn secret_values(&self) -> Vec<String> {
        self.values
            .values()
            .filter(|v| v.secret && v.origin != Origin::Runbook && !v.text.is_empty())
            .map(|v| v.text.clone())
            .collect()
    }

    /// Name → value with secrets as [`MASK`] (for `incident_opened.vars`).
    pub fn masked_map(&self) -> BTreeMap<String, String> {
        self.values
            .iter()
            .map(|(n, v)| {
                let shown = if v.secret { MASK } else { v.text.as_str() };
                (n.clone(), shown.to_string())
            })
            .collect()
    }
}

#[cfg(test)]
mod message_tests {
    use super::TemplateError;
    use crate::i18n::Lang;

    /// The English message is the Display; the Chinese keeps the names.
    #[test]
    fn the_english_message_is_the_display() {
        let all = [
            TemplateError::UnknownVar {
                name: "host".into(),
                declared: String::new(),
            },
            TemplateError::UnknownVar {
                name: "host".into(),
                declared: "a, b".into(),
            },
            TemplateError::Cycle {
                name: "host".into(),
                chain: "host -> x -> host".into(),
            },
            TemplateError::VarTooLarge {
                name: "host".into(),
            },
            TemplateError::TextTooLarge {
                start: "host".into(),
            },
        ];
        for e in all {
            assert_eq!(e.message(Lang::En), e.to_string());
            let zh = e.message(Lang::Zh);
            assert!(zh.contains("host") && zh != e.to_string(), "{zh}");
        }
        let none = TemplateError::UnknownVar {
            name: "x".into(),
            declared: String::new(),
        };
        assert!(none.to_string().ends_with("declared: none"));
        assert!(none.message(Lang::Zh).ends_with("已声明：无"));
    }
}
