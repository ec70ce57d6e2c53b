//! Cross-reference checks: every `{{var}}` declared, placeholders safe in shell, no default cycles.

use super::fields::{Ctx, suggest};
use super::load::Pos;
use super::model::VarDef;
use super::template::{ShellContext, placeholders, shell_contexts};

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
