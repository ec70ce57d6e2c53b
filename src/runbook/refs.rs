//! Cross-reference checks: every `{{var}}` declared, placeholders safe in shell, no default cycles.

use super::fields::{Ctx, suggest};
use super::model::VarDef;
use super::node::Pos;
use std::collections::BTreeMap;

use super::template::{
    MAX_EXPANSION_BYTES, MAX_VAR_BYTES, ShellContext, placeholders, shell_contexts,
};
use crate::text::human_bytes;

/// A string that may contain `{{var}}`, with where it is.
pub(crate) struct Template {
    pub text: String,
    pub pos: Pos,
    /// Rendered for `sh -c` (command lines).
    pub shell: bool,
}

/// Reports undeclared or unterminated placeholders and unsafe shell positions.
pub(crate) fn check_templates(ctx: &mut Ctx, vars: &[(VarDef, Pos)], templates: &[Template]) {
    let names: Vec<&str> = vars.iter().map(|(v, _)| v.name.as_str()).collect();
    for t in templates {
        let found = match placeholders(&t.text) {
            Ok(found) => found,
            Err(_) => {
                ctx.err(
                    t.pos,
                    "unterminated `{{` (no closing `}}`)",
                    Some("write `{{name}}`".into()),
                );
                continue;
            }
        };
        for p in &found {
            if !names.contains(&p.name.as_str()) {
                let help = match suggest(&p.name, &names) {
                    Some(s) => format!("did you mean `{s}`? or declare it under `vars:`"),
                    None => format!(
                        "declare it under `vars:` (declared: {})",
                        if names.is_empty() {
                            "none".into()
                        } else {
                            names.join(", ")
                        }
                    ),
                };
                ctx.err(
                    t.pos,
                    format!("variable `{{{{{}}}}}` is not declared", p.name),
                    Some(help),
                );
            }
        }
        if t.shell {
            for (_, c) in shell_contexts(&t.text) {
                let place = match c {
                    ShellContext::Word => continue,
                    ShellContext::SingleQuoted => "inside '…' quotes",
                    ShellContext::DoubleQuoted => "inside \"…\" quotes",
                    ShellContext::Backticks => "inside `…` backticks",
                    ShellContext::Comment => "inside a # comment",
                    ShellContext::HereDoc => "in a here-document",
                };
                ctx.err(t.pos, format!("a `{{{{var}}}}` placeholder is {place} in `run`"), Some("values are shell-quoted automatically; write the placeholder as a bare word, e.g. `curl -u {{user}} {{url}}`".into()));
            }
        }
    }
}

/// Reports variables whose defaults refer back to themselves.
pub(crate) fn check_var_cycles(ctx: &mut Ctx, vars: &[(VarDef, Pos)]) {
    let refs = |name: &str| -> Vec<String> {
        vars.iter()
            .find(|(v, _)| v.name == name)
            .and_then(|(v, _)| v.default.as_deref())
            .and_then(|d| placeholders(d).ok())
            .map(|ps| ps.into_iter().map(|p| p.name).collect())
            .unwrap_or_default()
    };
    for (v, pos) in vars {
        // Depth-first walk from v; a path back to v is a cycle. Bounded by the var count.
        let mut stack = vec![(v.name.clone(), vec![v.name.clone()])];
        let mut seen: Vec<String> = Vec::new();
        while let Some((n, path)) = stack.pop() {
            for r in refs(&n) {
                if r == v.name {
                    let chain = format!("{} -> {}", path.join(" -> "), r);
                    ctx.err(
                        *pos,
                        format!("the default of `{}` refers to itself ({chain})", v.name),
                        Some("break the loop: give one of these a literal default".into()),
                    );
                    stack.clear();
                    break;
                }
                if !seen.contains(&r) {
                    seen.push(r.clone());
                    let mut p = path.clone();
                    p.push(r.clone());
                    stack.push((r, p));
                }
            }
        }
    }
}

/// Reports variables and texts that grow too large once the defaults are
/// filled in (a default doubling another one a few dozen times): `check`
/// names them here instead of `diagnose` running out of memory later.
pub(crate) fn check_expansion(ctx: &mut Ctx, vars: &[(VarDef, Pos)], templates: &[Template]) {
    // Sizes only, saturating, each variable computed once.
    fn size(
        name: &str,
        vars: &[(VarDef, Pos)],
        memo: &mut BTreeMap<String, usize>,
        visiting: &mut Vec<String>,
    ) -> usize {
        if let Some(n) = memo.get(name) {
            return *n;
        }
        let Some((def, _)) = vars.iter().find(|(v, _)| v.name == name) else {
            return name.len() + 4; // undeclared: stays `{{name}}`, reported elsewhere
        };
        if visiting.iter().any(|v| v == name) {
            return 0; // a cycle, reported by check_var_cycles
        }
        let Some(default) = def.default.as_deref() else {
            return 0;
        };
        visiting.push(name.to_string());
        let found = placeholders(default).unwrap_or_default();
        let literal = default.len() - found.iter().map(|p| p.end - p.start).sum::<usize>();
        let n = found
            .iter()
            .map(|p| size(&p.name, vars, memo, visiting))
            .fold(literal, usize::saturating_add);
        visiting.pop();
        memo.insert(name.to_string(), n);
        n
    }
    let mut memo = BTreeMap::new();
    let mut oversize: Vec<&str> = Vec::new();
    for (v, _) in vars {
        let n = size(&v.name, vars, &mut memo, &mut Vec::new());
        if n > MAX_VAR_BYTES {
            oversize.push(&v.name);
        }
    }
    let built_on_oversize = |v: &VarDef| {
        v.default
            .as_deref()
            .and_then(|d| placeholders(d).ok())
            .is_some_and(|ps| ps.iter().any(|p| oversize.contains(&p.name.as_str())))
    };
    for (v, pos) in vars {
        // Only where the growth crosses the line: the variables built on
        // that one are too large because of it.
        if oversize.contains(&v.name.as_str()) && !built_on_oversize(v) {
            let n = memo.get(&v.name).copied().unwrap_or(usize::MAX);
            ctx.err(
                *pos,
                format!(
                    "variable `{}` expands to {} (more than {}): its default repeats other variables too often",
                    v.name,
                    approx_bytes(n),
                    human_bytes(MAX_VAR_BYTES as u64)
                ),
                Some("a variable holds a short value (a host, a URL, a name); write it out instead of doubling other variables".into()),
            );
        }
    }
    for t in templates {
        let Ok(found) = placeholders(&t.text) else {
            continue;
        };
        if found.iter().any(|p| oversize.contains(&p.name.as_str())) {
            continue; // the variable itself is reported
        }
        let added = found
            .iter()
            .map(|p| size(&p.name, vars, &mut memo, &mut Vec::new()))
            .fold(0, usize::saturating_add);
        if added > MAX_EXPANSION_BYTES {
            ctx.err(
                t.pos,
                format!(
                    "this text grows by {} once its variables are filled in (more than {})",
                    approx_bytes(added),
                    human_bytes(MAX_EXPANSION_BYTES as u64)
                ),
                Some("use fewer placeholders or shorter defaults".into()),
            );
        }
    }
}

fn approx_bytes(n: usize) -> String {
    if n == usize::MAX {
        "an unbounded size".into()
    } else {
        human_bytes(n as u64)
    }
}
