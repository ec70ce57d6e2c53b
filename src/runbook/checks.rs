//! Validation of built-in checks (`tcp`, `http`, `amqp`, `rabbitmq`, `resources`, `command`).

use std::collections::BTreeMap;

use super::fields::{Ctx, check_id, fields, suggest};
use super::items::{Asks, shell_run, when};
use super::model::*;
use super::node::{Located, Node, Pos};
use super::refs::Template;

const KINDS: &[&str] = &["tcp", "http", "amqp", "rabbitmq", "resources", "command"];
const COMMON: &[&str] = &["id", "title", "on_fail", "timeout", "when"];

/// Validates one entry of `checks:`.
pub(crate) fn check_spec(
    ctx: &mut Ctx,
    node: &Located,
    asks: &Asks,
    templates: &mut Vec<Template>,
) -> Option<CheckSpec> {
    let allowed: Vec<&str> = COMMON.iter().chain(KINDS).copied().collect();
    let f = fields(ctx, node, "a check", &allowed)?;
    let id = f.req_str(ctx, "id");
    if let Some((id, pos)) = &id {
        check_id(ctx, "check id", id, *pos, true);
    }
    let title = f.str(ctx, "title").map(|s| s.0);
    let on_fail = f.str(ctx, "on_fail");
    if let Some((t, pos)) = &on_fail {
        templates.push(Template {
            text: t.clone(),
            pos: *pos,
            shell: false,
        });
    }
    let timeout = f.duration(ctx, "timeout", DEFAULT_CHECK_TIMEOUT);
    let when = f.get("when").and_then(|w| when(ctx, w, asks));
    let present = f.present(KINDS);
    let kind = match present.as_slice() {
        [] => {
            ctx.err(
                f.pos,
                "this check has no kind",
                Some(format!("add exactly one of: {}", KINDS.join(", "))),
            );
            None
        }
        [(k, kpos, v)] => kind(ctx, k, *kpos, v, templates),
        [_, (k2, kpos, _), ..] => {
            let names: Vec<&str> = present.iter().map(|p| p.0).collect();
            ctx.err(
                *kpos,
                format!(
                    "a check has exactly one kind, this one has {} (`{k2}` is extra)",
                    names.join(" and ")
                ),
                Some("split it into separate checks".into()),
            );
            None
        }
    };
    Some(CheckSpec {
        id: id?.0,
        title,
        kind: kind?,
        on_fail: on_fail.map(|s| s.0),
        timeout,
        when,
    })
}

fn text(
    ctx: &mut Ctx,
    f: &super::fields::Fields,
    key: &str,
    templates: &mut Vec<Template>,
    required: bool,
) -> Option<String> {
    let (s, pos) = if required {
        f.req_str(ctx, key)?
    } else {
        f.str(ctx, key)?
    };
    templates.push(Template {
        text: s.clone(),
        pos,
        shell: false,
    });
    Some(s)
}

fn kind(
    ctx: &mut Ctx,
    k: &str,
    kpos: Pos,
    v: &Located,
    templates: &mut Vec<Template>,
) -> Option<CheckKind> {
    let what = format!("the `{k}` check");
    match (k, &v.node) {
        ("tcp", Node::Str(t)) => {
            templates.push(Template {
                text: t.clone(),
                pos: v.pos,
                shell: false,
            });
            let port_ok = t.rsplit_once(':').is_some_and(|(h, p)| {
                !h.is_empty() && (p.contains("{{") || p.parse::<u16>().is_ok_and(|n| n > 0))
            });
            if !port_ok {
                ctx.err(
                    v.pos,
                    format!("tcp target `{t}` is not `host:port`"),
                    Some("write e.g. `tcp: \"{{host}}:5672\"`".into()),
                );
                return None;
            }
            Some(CheckKind::Tcp { target: t.clone() })
        }
        ("tcp", _) => {
            ctx.wrong_type("tcp", v, "a string `host:port`");
            None
        }
        ("amqp", Node::Str(u)) => {
            templates.push(Template {
                text: u.clone(),
                pos: v.pos,
                shell: false,
            });
            Some(CheckKind::Amqp { url: u.clone() })
        }
        ("http", Node::Str(u)) => {
            templates.push(Template {
                text: u.clone(),
                pos: v.pos,
                shell: false,
            });
            Some(CheckKind::Http(HttpCheck {
                url: u.clone(),
                status: None,
                user: None,
                password: None,
                json: BTreeMap::new(),
                contains: None,
            }))
        }
        ("resources", Node::Null) => Some(CheckKind::Resources { disk_path: None }),
        _ => {
            let keys: &[&str] = match k {
                "http" => &["url", "status", "user", "password", "json", "contains"],
                "amqp" => &["url"],
                "rabbitmq" => &["check", "api", "user", "password", "port"],
                "resources" => &["disk_path"],
                _ => &["run", "expect_exit", "expect_output"],
            };
            let f = fields(ctx, v, &what, keys)?;
            let _ = kpos;
            match k {
                "http" => {
                    let url = text(ctx, &f, "url", templates, true);
                    let status = f.number(ctx, "status", 100.0, 599.0).map(|n| n as u16);
                    let user = text(ctx, &f, "user", templates, false);
                    let password = text(ctx, &f, "password", templates, false);
                    let contains = text(ctx, &f, "contains", templates, false);
                    let json = f
                        .get("json")
                        .map(|j| json_map(ctx, j, templates))
                        .unwrap_or_default();
                    Some(CheckKind::Http(HttpCheck {
                        url: url?,
                        status,
                        user,
                        password,
                        json,
                        contains,
                    }))
                }
                "amqp" => Some(CheckKind::Amqp {
                    url: text(ctx, &f, "url", templates, true)?,
                }),
                "resources" => Some(CheckKind::Resources {
                    disk_path: text(ctx, &f, "disk_path", templates, false),
                }),
                "rabbitmq" => rabbitmq(ctx, &f, templates),
                _ => {
                    let run = shell_run(ctx, &f, templates);
                    let expect_exit = f
                        .number(ctx, "expect_exit", f64::from(i32::MIN), f64::from(i32::MAX))
                        .map(|n| n as i32);
                    let expect_output = text(ctx, &f, "expect_output", templates, false);
                    Some(CheckKind::Command(CommandCheck {
                        run: run?.0,
                        expect_exit,
                        expect_output,
                    }))
                }
            }
        }
    }
}

fn rabbitmq(
    ctx: &mut Ctx,
    f: &super::fields::Fields,
    templates: &mut Vec<Template>,
) -> Option<CheckKind> {
    let check = f.req_str(ctx, "check").and_then(|(c, pos)| {
        let found = RabbitmqCheckKind::ALL
            .iter()
            .find(|(n, _)| *n == c)
            .map(|(_, k)| *k);
        if found.is_none() {
            let names: Vec<&str> = RabbitmqCheckKind::ALL.iter().map(|(n, _)| *n).collect();
            let help = match suggest(&c, &names) {
                Some(s) => format!("did you mean `{s}`? valid: {}", names.join(", ")),
                None => format!("valid: {}", names.join(", ")),
            };
            ctx.err(pos, format!("unknown rabbitmq check `{c}`"), Some(help));
        }
        found
    });
    let api = text(ctx, f, "api", templates, false);
    let user = text(ctx, f, "user", templates, false);
    let password = text(ctx, f, "password", templates, false);
    let port = f.number(ctx, "port", 1.0, 65535.0).map(|n| n as u16);
    if check == Some(RabbitmqCheckKind::Listener) && port.is_none() && f.get("port").is_none() {
        ctx.err(
            f.pos,
            "the `listener` check needs `port`",
            Some("add e.g. `port: 5672`".into()),
        );
        return None;
    }
    Some(CheckKind::Rabbitmq(RabbitmqCheck {
        check: check?,
        api,
        user,
        password,
        port,
    }))
}

fn json_map(
    ctx: &mut Ctx,
    node: &Located,
    templates: &mut Vec<Template>,
) -> BTreeMap<String, serde_json::Value> {
    let Node::Map(entries) = &node.node else {
        ctx.wrong_type("json", node, "a mapping of JSON pointer to expected value");
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (ptr, kpos, v) in entries {
        if !ptr.is_empty() && !ptr.starts_with('/') {
            ctx.err(
                *kpos,
                format!("`{ptr}` is not a JSON pointer"),
                Some(format!("JSON pointers start with `/`, e.g. `/{ptr}`")),
            );
        }
        let value = match &v.node {
            Node::Null => serde_json::Value::Null,
            Node::Bool(b) => serde_json::Value::Bool(*b),
            Node::Int(i) => i64::try_from(*i)
                .map(serde_json::Value::from)
                .unwrap_or(serde_json::Value::Null),
            Node::Float(f) => serde_json::Value::from(*f),
            Node::Str(s) => {
                templates.push(Template {
                    text: s.clone(),
                    pos: v.pos,
                    shell: false,
                });
                serde_json::Value::String(s.clone())
            }
            _ => {
                ctx.wrong_type(ptr, v, "a plain value (string, number, boolean or null)");
                continue;
            }
        };
        out.insert(ptr.clone(), value);
    }
    out
}
