//! What commands and checks share when they are validated: the `run` of a
//! shell item and its `when` condition (used by `validate` and `checks`).

use std::collections::BTreeMap;

use super::fields::{Ctx, suggest};
use super::model::When;
use super::node::{Located, Node, Pos};
use super::refs::Template;

/// Asks seen so far (id → choices), for `when`.
pub(crate) type Asks = BTreeMap<String, Vec<String>>;

/// The required `run` of a command or a `command:` check: not empty, and
/// its `{{var}}`s checked as shell placeholders.
pub(crate) fn shell_run(
    ctx: &mut Ctx,
    f: &super::fields::Fields<'_>,
    templates: &mut Vec<Template>,
) -> Option<(String, Pos)> {
    let run = f.req_str(ctx, "run");
    if let Some((r, pos)) = &run {
        if r.trim().is_empty() {
            ctx.err(
                *pos,
                "`run` is empty",
                Some("write the shell command to run".into()),
            );
        }
        if let Some(i) = r.find('\0') {
            ctx.err(
                *pos,
                format!(
                    "`run` contains a NUL byte (character {}): no command line can hold one, so it could not start",
                    r[..i].chars().count() + 1
                ),
                Some("remove it; to print a NUL byte, write `printf '\\0'`".into()),
            );
        }
        templates.push(Template {
            text: r.clone(),
            pos: *pos,
            shell: true,
        });
    }
    run
}

/// `when: {ask: [a, b]}` or `{ask: a}`; ask ids must exist in this or an earlier step.
pub(crate) fn when(ctx: &mut Ctx, node: &Located, asks: &Asks) -> Option<When> {
    let Node::Map(entries) = &node.node else {
        ctx.wrong_type("when", node, "a mapping `{ask-id: [choice, …]}`");
        return None;
    };
    let mut out = When::new();
    let mut ok = true;
    for (ask, kpos, v) in entries {
        let Some(choices) = asks.get(ask) else {
            let known: Vec<&str> = asks.keys().map(String::as_str).collect();
            let help = match suggest(ask, &known) {
                Some(s) => format!("did you mean `{s}`? asks so far: {}", known.join(", ")),
                None if known.is_empty() => "no step up to here has an `ask`".into(),
                None => format!("asks so far: {}", known.join(", ")),
            };
            ctx.err(
                *kpos,
                format!("`when` names ask `{ask}`, which no earlier step asks"),
                Some(help),
            );
            ok = false;
            continue;
        };
        let given: Vec<&Located> = match &v.node {
            Node::Seq(items) => items.iter().collect(),
            _ => vec![v],
        };
        let mut list = Vec::new();
        for g in given {
            let Some(c) = super::fields::as_string(ctx, "when", g) else {
                ok = false;
                continue;
            };
            if !choices.contains(&c) {
                ctx.err(
                    g.pos,
                    format!("`{c}` is not a choice of ask `{ask}`"),
                    Some(format!("choices: {}", choices.join(", "))),
                );
                ok = false;
            }
            list.push(c);
        }
        out.insert(ask.clone(), list);
    }
    ok.then_some(out)
}
