//! Validation of the runbook-wide settings: `vars` and `thresholds`.

use super::fields::{Ctx, fields};
use super::model::*;
use super::node::{Located, Node, Pos};
use super::refs::Template;

const VAR_KEYS: &[&str] = &["default", "env", "secret", "description"];
const THRESHOLD_KEYS: &[&str] = &[
    "cpu_percent",
    "memory_percent",
    "disk_percent",
    "connections",
    "queue_backlog",
    "critical",
];

pub(crate) fn vars(
    ctx: &mut Ctx,
    node: &Located,
    templates: &mut Vec<Template>,
) -> Vec<(VarDef, Pos)> {
    let Node::Map(entries) = &node.node else {
        ctx.wrong_type("vars", node, "a mapping of variable names");
        return Vec::new();
    };
    let mut out: Vec<(VarDef, Pos)> = Vec::new();
    for (name, kpos, v) in entries {
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            ctx.err(
                *kpos,
                format!("variable name `{name}` is not valid"),
                Some("use letters, digits and `_`, starting with a letter".into()),
            );
        }
        if out.iter().any(|(d, _)| &d.name == name) {
            ctx.err(*kpos, format!("variable `{name}` is declared twice"), None);
            continue;
        }
        let mut def = VarDef {
            name: name.clone(),
            default: None,
            env: None,
            secret: false,
            description: None,
        };
        if !matches!(v.node, Node::Null)
            && let Some(f) = fields(ctx, v, &format!("variable `{name}`"), VAR_KEYS)
        {
            {
                if let Some((d, pos)) = f.str(ctx, "default") {
                    templates.push(Template {
                        text: d.clone(),
                        pos,
                        shell: false,
                    });
                    def.default = Some(d);
                }
                def.env = f.str(ctx, "env").map(|s| s.0);
                def.secret = f.bool(ctx, "secret", false);
                def.description = f.str(ctx, "description").map(|s| s.0);
            }
        }
        out.push((def, *kpos));
    }
    out
}

pub(crate) fn thresholds(ctx: &mut Ctx, node: &Located) -> Thresholds {
    let mut t = Thresholds::default();
    let Some(f) = fields(ctx, node, "thresholds", THRESHOLD_KEYS) else {
        return t;
    };
    let count_max = u64::MAX as f64;
    if let Some(v) = f.number(ctx, "cpu_percent", 0.0, 100.0) {
        t.cpu_percent = v;
    }
    if let Some(v) = f.number(ctx, "memory_percent", 0.0, 100.0) {
        t.memory_percent = v;
    }
    if let Some(v) = f.number(ctx, "disk_percent", 0.0, 100.0) {
        t.disk_percent = v;
    }
    if let Some(v) = f.number(ctx, "connections", 0.0, count_max) {
        t.connections = v as u64;
    }
    if let Some(v) = f.number(ctx, "queue_backlog", 0.0, count_max) {
        t.queue_backlog = v as u64;
    }
    if let Some(c) = f.get("critical") {
        let keys = &THRESHOLD_KEYS[..5];
        if let Some(cf) = fields(ctx, c, "thresholds.critical", keys) {
            t.critical = Some(CriticalThresholds {
                cpu_percent: cf.number(ctx, "cpu_percent", 0.0, 100.0),
                memory_percent: cf.number(ctx, "memory_percent", 0.0, 100.0),
                disk_percent: cf.number(ctx, "disk_percent", 0.0, 100.0),
                connections: cf
                    .number(ctx, "connections", 0.0, count_max)
                    .map(|v| v as u64),
                queue_backlog: cf
                    .number(ctx, "queue_backlog", 0.0, count_max)
                    .map(|v| v as u64),
            });
        }
    }
    t
}
