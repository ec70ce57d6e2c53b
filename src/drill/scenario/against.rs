//! The checks that look outside the scenario's own text: the runbook it
//! names (items, questions), the definitions file, and the `{{var}}`s.

use std::collections::BTreeMap;
use std::path::Path;

use super::parse::Refs;
use super::{Base, MAX_DEFINITIONS_BYTES, RunbookCache, SANDBOX_VARS, embedded};
use crate::runbook::Runbook;
use crate::runbook::VarDef;
use crate::runbook::catalog;
use crate::runbook::fields::{Ctx, suggest};
use crate::runbook::load::{LoadError, LoadedRunbook, load_file};
use crate::runbook::model::when_allows;
use crate::runbook::node::Pos;
use crate::runbook::refs::check_templates;

/// A path (`../runbooks/x.yaml`) rather than an id.
fn is_path(s: &str) -> bool {
    s.contains('/') || s.ends_with(".yaml") || s.ends_with(".yml")
}

/// Resolves `runbook:`: a path relative to the scenario's directory, or an
/// id from the runbook catalog (embedded scenarios name ids only).
pub(crate) fn runbook(
    ctx: &mut Ctx,
    base: &Base,
    refs: &Refs,
    cache: &mut RunbookCache,
) -> Option<LoadedRunbook> {
    let (arg, pos) = refs.runbook.as_ref()?;
    let res: Result<LoadedRunbook, LoadError> = match (base, is_path(arg)) {
        (Base::Dir(dir), true) => {
            let path = dir.join(arg);
            cache.get(path.display().to_string(), || load_file(&path))
        }
        (Base::Embedded, true) => {
            ctx.err(
                *pos,
                format!("an embedded scenario names its runbook by id, not by path (`{arg}`)"),
                Some("write e.g. `runbook: rabbitmq-emergency`".into()),
            );
            return None;
        }
        (_, false) => cache.get(format!("id:{arg}"), || catalog::resolve(arg)),
    };
    match res {
        Ok(l) => Some(l),
        Err(e) => {
            let (message, help) = match e.diagnostics.first() {
                // Not found: the catalog's own words and its list of ids.
                Some(d) if d.path == *arg => {
                    (format!("runbook `{arg}`: {}", d.message), d.help.clone())
                }
                Some(d) => (
                    format!(
                        "runbook `{arg}` does not load: {}:{}:{}: {}",
                        d.path, d.line, d.column, d.message
                    ),
                    Some(format!("run `runbook check {}` for every problem", d.path)),
                ),
                None => (format!("runbook `{arg}` does not load"), None),
            };
            ctx.err(*pos, message, help);
            None
        }
    }
}

/// Every `step/item` named exists; every answer is a question and choice of
/// the runbook; every solution item is shown after the answers before it,
/// and every expected item once the right diagnosis is given.
pub(crate) fn items(
    ctx: &mut Ctx,
    rb: &Runbook,
    refs: &Refs,
    diagnosis: &BTreeMap<String, String>,
) {
    for (id, pos) in &refs.items {
        item(ctx, rb, id, *pos);
    }
    for (ask, choice, pos) in &refs.answers {
        let Some(a) = rb
            .steps
            .iter()
            .find_map(|s| s.ask.as_ref().filter(|a| a.id == *ask))
        else {
            let known: Vec<&str> = rb
                .steps
                .iter()
                .filter_map(|s| s.ask.as_ref().map(|a| a.id.as_str()))
                .collect();
            ctx.err(
                *pos,
                format!("runbook `{}` asks no question `{ask}`", rb.id),
                Some(format!("its questions: {}", known.join(", "))),
            );
            continue;
        };
        if !a.choices.contains(choice) {
            let names: Vec<&str> = a.choices.iter().map(String::as_str).collect();
            let help = match suggest(choice, &names) {
                Some(s) => format!("did you mean `{s}`? choices: {}", names.join(", ")),
                None => format!("choices: {}", names.join(", ")),
            };
            ctx.err(
                *pos,
                format!("`{choice}` is not a choice of question `{ask}`"),
                Some(help),
            );
        }
    }
    for (id, answers, pos) in &refs.solution_items {
        if let Some(need) = hidden_by(rb, id, answers) {
            ctx.err(
                *pos,
                format!("`{id}` is hidden at this point of the solution"),
                Some(format!(
                    "the runbook shows it only when {need}; answer that earlier in `solution`"
                )),
            );
        }
    }
    for (id, pos) in &refs.expected {
        if let Some(need) = hidden_by(rb, id, diagnosis) {
            ctx.err(
                *pos,
                format!("`{id}` is expected, but the right diagnosis hides it"),
                Some(format!(
                    "the runbook shows it only when {need}; `diagnosis` answers otherwise"
                )),
            );
        }
    }
}

/// The `when` that hides item `id` given `answers`, as `ask: a|b`, if it is hidden.
fn hidden_by(rb: &Runbook, id: &str, answers: &BTreeMap<String, String>) -> Option<String> {
    let (step, item) = id.split_once('/')?;
    let s = rb.step(step)?;
    let when = s
        .commands
        .iter()
        .find(|c| c.id == item)
        .map(|c| c.when.as_ref())
        .or_else(|| {
            s.checks
                .iter()
                .find(|c| c.id == item)
                .map(|c| c.when.as_ref())
        })??;
    if when_allows(Some(when), answers) {
        return None;
    }
    let need: Vec<String> = when
        .iter()
        .map(|(a, c)| format!("{a}: {}", c.join("|")))
        .collect();
    Some(need.join(", "))
}

fn item(ctx: &mut Ctx, rb: &Runbook, id: &str, pos: Pos) {
    let Some((step, item)) = id.split_once('/') else {
        ctx.err(
            pos,
            format!("`{id}` is not a `step/item` id"),
            Some(
                "write the step id and the command or check id, e.g. `temporary-fix/purge-queue`"
                    .into(),
            ),
        );
        return;
    };
    let steps: Vec<&str> = rb.steps.iter().map(|s| s.id.as_str()).collect();
    let Some(s) = rb.step(step) else {
        let help = match suggest(step, &steps) {
            Some(g) => format!("did you mean `{g}`? steps: {}", steps.join(", ")),
            None => format!("steps: {}", steps.join(", ")),
        };
        ctx.err(
            pos,
            format!("runbook `{}` has no step `{step}`", rb.id),
            Some(help),
        );
        return;
    };
    let ids: Vec<&str> = s
        .commands
        .iter()
        .map(|c| c.id.as_str())
        .chain(s.checks.iter().map(|c| c.id.as_str()))
        .collect();
    if !ids.contains(&item) {
        let help = match suggest(item, &ids) {
            Some(g) => format!(
                "did you mean `{step}/{g}`? items of `{step}`: {}",
                ids.join(", ")
            ),
            None => format!("items of `{step}`: {}", ids.join(", ")),
        };
        ctx.err(
            pos,
            format!(
                "step `{step}` of runbook `{}` has no command or check `{item}`",
                rb.id
            ),
            Some(help),
        );
    }
}

/// Reads `broker.definitions` (relative to the scenario file, or the
/// embedded sibling) and checks that it is JSON; returns its text.
pub(crate) fn definitions(ctx: &mut Ctx, base: &Base, refs: &Refs) -> Option<String> {
    let (rel, pos) = refs.definitions.as_ref()?;
    if Path::new(rel).is_absolute() {
        ctx.err(
            *pos,
            format!("`definitions: {rel}` is an absolute path"),
            Some("give a path relative to the scenario file, e.g. `seeds/orders.json`".into()),
        );
        return None;
    }
    let bytes = match base {
        Base::Dir(dir) => {
            match crate::input_file::read(&dir.join(rel), MAX_DEFINITIONS_BYTES as u64) {
                Ok(b) => b,
                Err(e) => {
                    ctx.err(
                        *pos,
                        format!("definitions file `{rel}`: {e}"),
                        Some("the path is relative to the scenario file".into()),
                    );
                    return None;
                }
            }
        }
        Base::Embedded => match embedded::seed(rel) {
            Some(t) => t.as_bytes().to_vec(),
            None => {
                ctx.err(
                    *pos,
                    format!("no embedded definitions file `{rel}`"),
                    Some(format!("embedded: {}", embedded::seed_names().join(", "))),
                );
                return None;
            }
        },
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            ctx.err(
                *pos,
                format!("definitions file `{rel}` is not UTF-8 text"),
                None,
            );
            return None;
        }
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(_)) => Some(text),
        Ok(_) => {
            ctx.err(
                *pos,
                format!("definitions file `{rel}` is JSON but not an object"),
                Some("export one with `rabbitmqctl export_definitions FILE`".into()),
            );
            None
        }
        Err(e) => {
            ctx.err(
                *pos,
                format!(
                    "definitions file `{rel}` is not JSON: {} (its line {}, column {})",
                    json_reason(&e),
                    e.line(),
                    e.column()
                ),
                Some("export one with `rabbitmqctl export_definitions FILE`".into()),
            );
            None
        }
    }
}

/// Every `{{var}}` is a scenario var or a sandbox var (`node2_*` only with
/// two nodes); placeholders in `run` are safe shell words.
pub(crate) fn templates(ctx: &mut Ctx, refs: &Refs, nodes: u8) {
    let mut known: Vec<(VarDef, Pos)> = refs.vars.iter().map(|(n, p)| (var(n), *p)).collect();
    for v in SANDBOX_VARS {
        known.push((var(v), Pos::default()));
        if nodes >= 2 {
            known.push((var(&format!("node2_{v}")), Pos::default()));
        }
    }
    check_templates(ctx, &known, &refs.templates);
}

fn var(name: &str) -> VarDef {
    VarDef {
        name: name.to_string(),
        default: None,
        env: None,
        secret: false,
        description: None,
    }
}

/// serde_json's message without its own " at line L column C".
fn json_reason(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    }
}
