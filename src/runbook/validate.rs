//! Turns the located YAML tree into a [`Runbook`], collecting every problem with its location.

use std::collections::BTreeMap;

use super::checks::check_spec;
use super::duration::parse_budget;
use super::fields::{Ctx, check_id, fields};
use super::items::{Asks, shell_run, when};
use super::model::*;
use super::node::{Diagnostic, Located, Node, Pos};
use super::refs::{Template, check_expansion, check_templates, check_var_cycles};
use super::settings::{thresholds, vars};

const TOP_KEYS: &[&str] = &[
    "schema",
    "id",
    "title",
    "summary",
    "vars",
    "thresholds",
    "steps",
    "lang",
    "notify",
];
const NOTIFY_KEYS: &[&str] = &["url", "kind", "events", "secret", "name"];
const STEP_KEYS: &[&str] = &[
    "id",
    "title",
    "budget",
    "guide",
    "checklist",
    "ask",
    "commands",
    "checks",
    "mitigation",
];
const ASK_KEYS: &[&str] = &["id", "prompt", "choices", "labels"];
const COMMAND_KEYS: &[&str] = &["id", "run", "title", "timeout", "confirm", "when", "follow"];

/// Validates the tree; `Err` holds every diagnostic found, in file order.
pub fn validate(path: &str, root: &Located) -> Result<Runbook, Vec<Diagnostic>> {
    let mut ctx = Ctx {
        path,
        diags: Vec::new(),
    };
    let rb = runbook(&mut ctx, root);
    let mut diags = ctx.diags;
    diags.sort_by_key(|d| (d.line, d.column));
    match rb {
        Some(rb) if diags.is_empty() => Ok(rb),
        _ => Err(diags),
    }
}

fn runbook(ctx: &mut Ctx, root: &Located) -> Option<Runbook> {
    if let Some(pos) = drill_kind(root) {
        ctx.err(
            pos,
            "this is a drill scenario (`kind: drill`), not a runbook",
            Some("use `runbook drill check` for scenarios, `runbook drill` to run one".into()),
        );
        return None;
    }
    let f = fields(ctx, root, "the runbook", TOP_KEYS)?;
    let mut templates: Vec<Template> = Vec::new();
    let schema = match f.get("schema") {
        None => {
            f.missing(ctx, "schema");
            None
        }
        Some(Located {
            node: Node::Int(1), ..
        }) => Some(SCHEMA_VERSION),
        Some(v) => {
            let found = match &v.node {
                Node::Int(i) => i.to_string(),
                Node::Str(s) => format!("\"{s}\""),
                other => other.kind_name().to_string(),
            };
            ctx.err(v.pos, format!("schema {found} is not supported; this program reads schema {SCHEMA_VERSION}"), Some(format!("write `schema: {SCHEMA_VERSION}`, or use a runbook program that reads this version")));
            None
        }
    };
    let id = f.req_str(ctx, "id");
    if let Some((id, pos)) = &id {
        check_id(ctx, "runbook id", id, *pos, false);
    }
    let title = f.req_str(ctx, "title");
    let summary = f.str(ctx, "summary").map(|s| s.0);
    let vars = match f.get("vars") {
        Some(v) => vars(ctx, v, &mut templates),
        None => Vec::new(),
    };
    let thresholds = match f.get("thresholds") {
        Some(v) => thresholds(ctx, v),
        None => Thresholds::default(),
    };
    let mut steps_out = Vec::new();
    match f.get("steps") {
        None => f.missing(ctx, "steps"),
        Some(Located {
            node: Node::Seq(items),
            pos,
        }) => {
            if items.is_empty() {
                ctx.err(
                    *pos,
                    "`steps` is empty",
                    Some("a runbook needs at least one step".into()),
                );
            }
            let mut asks = Asks::new();
            let mut ids: BTreeMap<String, Pos> = BTreeMap::new();
            for item in items {
                if let Some(s) = step(ctx, item, &mut asks, &mut templates) {
                    steps_out.push((s, item.pos));
                }
            }
            for (s, pos) in &steps_out {
                if let Some(first) = ids.get(&s.id) {
                    ctx.err(
                        *pos,
                        format!(
                            "duplicate step id `{}` (first used on line {})",
                            s.id, first.line
                        ),
                        Some("step ids must be unique".into()),
                    );
                } else {
                    ids.insert(s.id.clone(), *pos);
                }
            }
        }
        Some(v) => ctx.wrong_type("steps", v, "a list of steps"),
    }
    let lang = f.str(ctx, "lang").map(|(l, pos)| {
        if !matches!(l.as_str(), "en" | "zh") && !l.starts_with("en-") && !l.starts_with("zh-") {
            ctx.err(
                pos,
                format!("lang `{l}` is not supported"),
                Some("write `lang: en` or `lang: zh`".into()),
            );
        }
        l
    });
    let notify = match f.get("notify") {
        Some(v) => notify(ctx, v, &mut templates),
        None => Vec::new(),
    };
    check_templates(ctx, &vars, &templates);
    check_var_cycles(ctx, &vars);
    check_expansion(ctx, &vars, &templates);
    let mut steps: Vec<Step> = steps_out.into_iter().map(|(s, _)| s).collect();
    if !steps.iter().any(|s| s.mitigation) {
        // Runbooks written before `mitigation` existed mark it by this id.
        if let Some(s) = steps.iter_mut().find(|s| s.id == "temporary-fix") {
            s.mitigation = true;
        }
    }
    Some(Runbook {
        schema: schema?,
        id: id?.0,
        title: title?.0,
        summary,
        vars: vars.into_iter().map(|(v, _)| v).collect(),
        thresholds,
        steps,
        lang,
        notify,
    })
}

/// The `notify:` list: webhook targets.
fn notify(
    ctx: &mut Ctx,
    node: &Located,
    templates: &mut Vec<Template>,
) -> Vec<crate::notify::NotifySpec> {
    use crate::notify::{About, Kind, NotifySpec};
    let Node::Seq(items) = &node.node else {
        ctx.wrong_type("notify", node, "a list of webhook targets");
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(f) = fields(ctx, item, "a notify target", NOTIFY_KEYS) else {
            continue;
        };
        let url = f.req_str(ctx, "url");
        if let Some((u, pos)) = &url {
            templates.push(Template {
                text: u.clone(),
                pos: *pos,
                shell: false,
            });
            // Checked now when it has no placeholder; else when rendered.
            if !u.contains("{{")
                && let Err(e) = crate::notify::target::check_url(u)
            {
                ctx.err(
                    *pos,
                    e,
                    Some("a webhook URL starts with https:// (or http://)".into()),
                );
            }
        }
        let kind = match f.str(ctx, "kind") {
            None => Some(Kind::Generic),
            Some((k, pos)) => {
                let parsed = Kind::parse(&k);
                if parsed.is_none() {
                    ctx.err(
                        pos,
                        format!("notify kind `{k}` is not known"),
                        Some("use generic, slack, feishu, dingtalk or wecom".into()),
                    );
                }
                parsed
            }
        };
        let mut events = Vec::new();
        let listed = f.str_list(ctx, "events");
        for (e, pos) in &listed {
            match About::parse(e) {
                Some(v) => events.extend(v),
                None => ctx.err(
                    *pos,
                    format!("notify event `{e}` is not known"),
                    Some(format!("use one of {}", About::spellings())),
                ),
            }
        }
        if listed.is_empty() {
            events = About::ALL.to_vec();
        }
        events.sort();
        events.dedup();
        let secret = f.str(ctx, "secret");
        if let Some((s, pos)) = &secret {
            templates.push(Template {
                text: s.clone(),
                pos: *pos,
                shell: false,
            });
            if kind.is_some_and(|k| !k.signs()) {
                ctx.err(
                    *pos,
                    "`secret` signs DingTalk and Feishu messages only",
                    Some("remove it, or set `kind: dingtalk` or `kind: feishu`".into()),
                );
            }
        }
        let name = f.str(ctx, "name").map(|n| n.0);
        if let (Some((url, _)), Some(kind)) = (url, kind) {
            out.push(NotifySpec {
                name,
                url,
                kind,
                events,
                secret: secret.map(|s| s.0),
            });
        }
    }
    out
}

/// Where a top-level `kind: drill` is, if the file is a drill scenario.
pub(crate) fn drill_kind(root: &Located) -> Option<Pos> {
    let Node::Map(entries) = &root.node else {
        return None;
    };
    entries.iter().find_map(|(k, kpos, v)| {
        (k == "kind" && matches!(&v.node, Node::Str(s) if s == "drill")).then_some(*kpos)
    })
}

fn step(
    ctx: &mut Ctx,
    node: &Located,
    asks: &mut Asks,
    templates: &mut Vec<Template>,
) -> Option<Step> {
    let f = fields(ctx, node, "a step", STEP_KEYS)?;
    let id = f.req_str(ctx, "id");
    if let Some((id, pos)) = &id {
        check_id(ctx, "step id", id, *pos, true);
    }
    let title = f.req_str(ctx, "title");
    let budget = match f.get("budget") {
        None => {
            f.missing(ctx, "budget");
            None
        }
        Some(v) => match &v.node {
            Node::Str(s) => parse_budget(s)
                .map_err(|e| ctx.err(v.pos, format!("bad budget: {e}"), None))
                .ok(),
            _ => {
                ctx.wrong_type("budget", v, "a budget such as `1m..2m` or `none`");
                None
            }
        },
    };
    let guide = f.str(ctx, "guide");
    if let Some((g, pos)) = &guide {
        templates.push(Template {
            text: g.clone(),
            pos: *pos,
            shell: false,
        });
    }
    let checklist = f
        .str_list(ctx, "checklist")
        .into_iter()
        .map(|s| s.0)
        .collect();
    let ask = f.get("ask").and_then(|a| ask(ctx, a, asks));
    let mut commands = Vec::new();
    let mut seen: Vec<(String, Pos)> = Vec::new();
    for item in list(ctx, &f, "commands") {
        if let Some(c) = command(ctx, item, asks, templates) {
            dup(ctx, &mut seen, &c.id, item.pos);
            commands.push(c);
        }
    }
    let mut checks = Vec::new();
    for item in list(ctx, &f, "checks") {
        if let Some(c) = check_spec(ctx, item, asks, templates) {
            dup(ctx, &mut seen, &c.id, item.pos);
            checks.push(c);
        }
    }
    let mitigation = f.bool(ctx, "mitigation", false);
    Some(Step {
        id: id?.0,
        title: title?.0,
        budget: budget?,
        guide: guide.map(|g| g.0),
        checklist,
        ask,
        commands,
        checks,
        mitigation,
    })
}

fn dup(ctx: &mut Ctx, seen: &mut Vec<(String, Pos)>, id: &str, pos: Pos) {
    if let Some((_, first)) = seen.iter().find(|(s, _)| s == id) {
        ctx.err(
            pos,
            format!(
                "duplicate id `{id}` in this step (first used on line {})",
                first.line
            ),
            Some("commands and checks of one step need distinct ids".into()),
        );
    } else {
        seen.push((id.to_string(), pos));
    }
}

/// The items of a list-valued key.
pub(crate) fn list<'n>(ctx: &mut Ctx, f: &super::fields::Fields<'n>, key: &str) -> &'n [Located] {
    match f.get(key) {
        None => &[],
        Some(Located {
            node: Node::Seq(items),
            ..
        }) => items,
        Some(v) => {
            ctx.wrong_type(key, v, "a list");
            &[]
        }
    }
}

fn ask(ctx: &mut Ctx, node: &Located, asks: &mut Asks) -> Option<Ask> {
    let f = fields(ctx, node, "`ask`", ASK_KEYS)?;
    let id = f.req_str(ctx, "id");
    let prompt = f.req_str(ctx, "prompt");
    if f.get("choices").is_none() {
        f.missing(ctx, "choices");
    }
    let choices: Vec<String> = f
        .str_list(ctx, "choices")
        .into_iter()
        .map(|s| s.0)
        .collect();
    if let (Some(v), true) = (f.get("choices"), choices.is_empty())
        && matches!(v.node, Node::Seq(_))
    {
        {
            ctx.err(
                v.pos,
                "`choices` is empty",
                Some("list the possible answers".into()),
            );
        }
    }
    let (id, pos) = id?;
    check_id(ctx, "ask id", &id, pos, true);
    if asks.contains_key(&id) {
        ctx.err(
            pos,
            format!("duplicate ask id `{id}`"),
            Some("ask ids must be unique across the runbook".into()),
        );
    }
    let mut labels = BTreeMap::new();
    match f.get("labels") {
        None => {}
        Some(Located {
            node: Node::Map(entries),
            ..
        }) => {
            for (choice, kpos, v) in entries {
                if !choices.contains(choice) {
                    ctx.err(
                        *kpos,
                        format!("label for `{choice}`, which is not a choice"),
                        Some(format!("choices: {}", choices.join(", "))),
                    );
                }
                match &v.node {
                    Node::Str(s) => {
                        labels.insert(choice.clone(), s.clone());
                    }
                    _ => ctx.wrong_type(choice, v, "a label (text)"),
                }
            }
        }
        Some(v) => ctx.wrong_type("labels", v, "a mapping of choice → label"),
    }
    asks.insert(id.clone(), choices.clone());
    Some(Ask {
        id,
        prompt: prompt?.0,
        choices,
        labels,
    })
}

fn command(
    ctx: &mut Ctx,
    node: &Located,
    asks: &Asks,
    templates: &mut Vec<Template>,
) -> Option<CommandSpec> {
    let f = fields(ctx, node, "a command", COMMAND_KEYS)?;
    let id = f.req_str(ctx, "id");
    if let Some((id, pos)) = &id {
        check_id(ctx, "command id", id, *pos, true);
    }
    let run = shell_run(ctx, &f, templates);
    let title = f.str(ctx, "title").map(|s| s.0);
    let timeout = f.duration(ctx, "timeout", DEFAULT_COMMAND_TIMEOUT);
    let confirm = f.bool(ctx, "confirm", false);
    let follow = f.bool(ctx, "follow", false);
    let when = f.get("when").and_then(|w| when(ctx, w, asks));
    Some(CommandSpec {
        id: id?.0,
        title,
        run: run?.0,
        timeout,
        confirm,
        when,
        follow,
    })
}
