//! The parts of a scenario that judge the trainee: the checks that prove the
//! fault and the fix, the diagnosis, expected and discouraged items, hints,
//! par times and the model answer.

use std::collections::BTreeMap;

use super::parse::{DEFAULT_HOLD, DEFAULT_PAR, DEFAULT_POLL, Refs, required_list, texts, unique};
use crate::drill::model::*;
use crate::runbook::CheckSpec;
use crate::runbook::checks::check_spec;
use crate::runbook::fields::{Ctx, Fields, as_string, fields};
use crate::runbook::items::Asks;
use crate::runbook::node::{Located, Node};

pub(crate) fn checks(ctx: &mut Ctx, f: &Fields, key: &str, refs: &mut Refs) -> Vec<CheckSpec> {
    let items = required_list(
        ctx,
        f,
        key,
        "add at least one check (the runbook's check kinds)",
    );
    let asks = Asks::new();
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for item in items {
        if let Some(c) = check_spec(ctx, item, &asks, &mut refs.templates) {
            unique(ctx, &mut seen, &c.id, item.pos, "check");
            out.push(c);
        }
    }
    out
}

pub(crate) fn fixed(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> Option<Fixed> {
    let f = fields(ctx, node, "`fixed`", &["hold", "poll", "checks"])?;
    let hold = f.duration(ctx, "hold", DEFAULT_HOLD);
    let poll = f.duration(ctx, "poll", DEFAULT_POLL);
    if poll.is_zero()
        && let Some(v) = f.get("poll")
    {
        ctx.err(v.pos, "`poll` must be longer than 0s", None);
    }
    let checks = checks(ctx, &f, "checks", refs);
    Some(Fixed { hold, poll, checks })
}

/// `{ask: choice}` pairs, recorded for the cross-check.
fn answers(
    ctx: &mut Ctx,
    node: &Located,
    refs: &mut Refs,
    out: &mut BTreeMap<String, String>,
) -> bool {
    let Node::Map(entries) = &node.node else {
        ctx.wrong_type("answer", node, "a mapping `{ask-id: choice}`");
        return false;
    };
    if entries.is_empty() {
        ctx.err(
            node.pos,
            "no answer given",
            Some("write `{symptom: memory-alarm}`".into()),
        );
        return false;
    }
    for (ask, kpos, v) in entries {
        if let Some(choice) = as_string(ctx, ask, v) {
            refs.answers.push((ask.clone(), choice.clone(), *kpos));
            out.insert(ask.clone(), choice);
        }
    }
    true
}

pub(crate) fn diagnosis(
    ctx: &mut Ctx,
    node: &Located,
    refs: &mut Refs,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(f) = fields(ctx, node, "`diagnosis`", &["answer"]) else {
        return out;
    };
    match f.get("answer") {
        None => f.missing(ctx, "answer"),
        Some(a) => {
            answers(ctx, a, refs, &mut out);
        }
    }
    out
}

fn item_ids(ctx: &mut Ctx, f: &Fields, key: &str, refs: &mut Refs) -> Vec<String> {
    f.str_list(ctx, key)
        .into_iter()
        .map(|(id, pos)| {
            refs.items.push((id.clone(), pos));
            refs.expected.push((id.clone(), pos));
            id
        })
        .collect()
}

pub(crate) fn expected(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> Expected {
    let Some(f) = fields(ctx, node, "`expected`", &["all", "any"]) else {
        return Expected::default();
    };
    Expected {
        all: item_ids(ctx, &f, "all", refs),
        any: item_ids(ctx, &f, "any", refs),
    }
}

pub(crate) fn discouraged(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> Option<Discouraged> {
    let f = fields(ctx, node, "a discouraged item", &["id", "why", "penalty"])?;
    let id = f.req_str(ctx, "id");
    if let Some((i, pos)) = &id {
        refs.items.push((i.clone(), *pos));
    }
    let why = f.req_str(ctx, "why");
    let penalty = f.number(ctx, "penalty", 0.0, 100.0).map_or(0, |n| n as u32);
    Some(Discouraged {
        id: id?.0,
        why: why?.0,
        penalty,
    })
}

pub(crate) fn hint(ctx: &mut Ctx, node: &Located) -> Option<Hint> {
    let f = fields(ctx, node, "a hint", &["text", "cost"])?;
    let text = match f.get("text") {
        None => {
            f.missing(ctx, "text");
            None
        }
        Some(t) => texts(ctx, "text", t),
    };
    let cost = f.number(ctx, "cost", 0.0, 100.0).map_or(0, |n| n as u32);
    Some(Hint { text: text?, cost })
}

pub(crate) fn par(ctx: &mut Ctx, node: &Located) -> Par {
    match fields(ctx, node, "`par`", &["diagnose", "mitigate"]) {
        None => DEFAULT_PAR,
        Some(f) => Par {
            diagnose: f.duration(ctx, "diagnose", DEFAULT_PAR.diagnose),
            mitigate: f.duration(ctx, "mitigate", DEFAULT_PAR.mitigate),
        },
    }
}

pub(crate) fn solution(ctx: &mut Ctx, f: &Fields, refs: &mut Refs) -> Vec<SolutionStep> {
    let items = required_list(
        ctx,
        f,
        "solution",
        "give the model answer: `{answer: {ask: choice}}`, `{item: step/id}` or `{run: …}`",
    );
    let mut out = Vec::new();
    let mut given = BTreeMap::new();
    for item in items {
        let Some(g) = fields(ctx, item, "a solution step", &["answer", "item", "run"]) else {
            continue;
        };
        let present = g.present(&["answer", "item", "run"]);
        let [(key, _, v)] = present.as_slice() else {
            ctx.err(
                item.pos,
                "a solution step has exactly one of `answer`, `item`, `run`",
                Some("write one step per list entry".into()),
            );
            continue;
        };
        match *key {
            "answer" => {
                let mut these = BTreeMap::new();
                if answers(ctx, v, refs, &mut these) {
                    for (ask, choice) in these {
                        given.insert(ask.clone(), choice.clone());
                        out.push(SolutionStep::Answer { ask, choice });
                    }
                }
            }
            "item" => {
                if let Some(id) = as_string(ctx, "item", v) {
                    refs.items.push((id.clone(), v.pos));
                    refs.solution_items.push((id.clone(), given.clone(), v.pos));
                    out.push(SolutionStep::Item(id));
                }
            }
            _ => {
                if let Some((run, _)) =
                    crate::runbook::items::shell_run(ctx, &g, &mut refs.templates)
                {
                    out.push(SolutionStep::Run(run));
                }
            }
        }
    }
    out
}
