//! The parts of a scenario the sandbox builds and runs: the broker, the
//! variables, the background traffic and the faults.

use std::collections::BTreeMap;

use super::parse::{DEFAULT_FAULT_TIMEOUT, Refs, required_list, template, unique};
use crate::drill::model::*;
use crate::runbook::fields::{Ctx, Fields, as_string, check_id, fields};
use crate::runbook::node::{Located, Node};

const BROKER_KEYS: &[&str] = &["nodes", "plugins", "disk", "config", "definitions"];
const TRAFFIC_KEYS: &[&str] = &[
    "id",
    "kind",
    "url",
    "exchange",
    "routing_key",
    "queue",
    "rate",
    "count",
    "confirm",
];
const TRAFFIC_KINDS: &[(&str, TrafficKind)] = &[
    ("publish", TrafficKind::Publish),
    ("consume", TrafficKind::Consume),
    ("stuck-consumer", TrafficKind::StuckConsumer),
    ("hold-connections", TrafficKind::HoldConnections),
];
const FAULT_KEYS: &[&str] = &["id", "run", "timeout", "at", "node"];

pub(crate) fn broker(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> Option<BrokerSpec> {
    let f = fields(ctx, node, "`broker`", BROKER_KEYS)?;
    let nodes = match f.get("nodes") {
        None => Some(1),
        Some(Located {
            node: Node::Int(n @ (1 | 2)),
            ..
        }) => Some(*n as u8),
        Some(v) => {
            ctx.err(
                v.pos,
                "`broker.nodes` must be 1 or 2",
                Some("1 = one node; 2 = a clustered pair (for partitions)".into()),
            );
            None
        }
    };
    let mut plugins: Vec<String> = Vec::new();
    for (p, pos) in f.str_list(ctx, "plugins") {
        if p.is_empty()
            || !p
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            ctx.err(
                pos,
                format!("`{p}` is not a plugin name"),
                Some("plugin names look like `rabbitmq_prometheus`".into()),
            );
        } else if !plugins.contains(&p) {
            plugins.push(p);
        }
    }
    if !plugins.iter().any(|p| p == "rabbitmq_management") {
        plugins.insert(0, "rabbitmq_management".into());
    }
    let disk_bytes = match f.str(ctx, "disk") {
        None => None,
        Some((d, pos)) => match parse_size(&d) {
            Ok(n) => Some(n),
            Err(e) => {
                ctx.err(pos, format!("bad `disk`: {e}"), None);
                None
            }
        },
    };
    let config = f.str(ctx, "config");
    if let Some((c, pos)) = &config {
        template(refs, c, *pos, false);
    }
    refs.definitions = f.str(ctx, "definitions");
    Some(BrokerSpec {
        nodes: nodes?,
        plugins,
        disk_bytes,
        config: config.map(|c| c.0).unwrap_or_default(),
        // Read by the cross-checks, which know where the file lives.
        definitions: None,
    })
}

/// `300MB`, `1GB`, `512MiB` → bytes (KB/MB/GB are powers of 1000,
/// KiB/MiB/GiB powers of 1024, as RabbitMQ and tmpfs read them).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let (num, unit) = t.split_at(digits);
    let help = "write a whole number and a unit: `300MB`, `1GB`, `512MiB`";
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{t}` is not a size; {help}"))?;
    let mult: u64 = match unit.trim() {
        "KB" | "kB" => 1000,
        "MB" => 1000 * 1000,
        "GB" => 1000 * 1000 * 1000,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "" => return Err(format!("`{t}` has no unit; {help}")),
        _ => return Err(format!("`{t}`: unknown unit; {help}")),
    };
    match n.checked_mul(mult) {
        Some(0) | None => Err(format!("`{t}` is not a usable size; {help}")),
        Some(b) => Ok(b),
    }
}

pub(crate) fn vars(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> BTreeMap<String, String> {
    let Node::Map(entries) = &node.node else {
        ctx.wrong_type("vars", node, "a mapping `name: value`");
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (k, kpos, v) in entries {
        if !check_id(ctx, "variable", k, *kpos, true) {
            continue;
        }
        if out.contains_key(k) {
            ctx.err(*kpos, format!("variable `{k}` is set twice"), None);
            continue;
        }
        if super::SANDBOX_VARS.contains(&k.as_str()) || k.starts_with("node2_") {
            ctx.err(
                *kpos,
                format!("`{k}` is set by the sandbox, not by the scenario"),
                Some(format!(
                    "the sandbox sets {} (and node2_* for a second node)",
                    super::SANDBOX_VARS.join(", ")
                )),
            );
            continue;
        }
        let Some(text) = as_string(ctx, k, v) else {
            continue;
        };
        template(refs, &text, v.pos, false);
        refs.vars.push((k.clone(), *kpos));
        out.insert(k.clone(), text);
    }
    out
}

pub(crate) fn traffic(
    ctx: &mut Ctx,
    node: &Located,
    seen: &mut Vec<String>,
    refs: &mut Refs,
) -> Option<Traffic> {
    let f = fields(ctx, node, "a traffic client", TRAFFIC_KEYS)?;
    let id = f.req_str(ctx, "id");
    if let Some((id, pos)) = &id {
        check_id(ctx, "traffic id", id, *pos, false);
        unique(ctx, seen, id, *pos, "traffic");
    }
    let kind = f.req_str(ctx, "kind").and_then(|(k, pos)| {
        let found = TRAFFIC_KINDS.iter().find(|(n, _)| *n == k).map(|(_, t)| *t);
        if found.is_none() {
            let names: Vec<&str> = TRAFFIC_KINDS.iter().map(|(n, _)| *n).collect();
            ctx.err(
                pos,
                format!("unknown traffic kind `{k}`"),
                Some(format!("valid: {}", names.join(", "))),
            );
        }
        found
    });
    let url = f.req_str(ctx, "url");
    if let Some((u, pos)) = &url {
        template(refs, u, *pos, false);
        if !u.starts_with("amqp://") {
            ctx.err(
                *pos,
                "a traffic `url` is an `amqp://` URL",
                Some(
                    "e.g. `amqp://{{app_user}}:{{app_password}}@127.0.0.1:{{amqp_port}}/{{vhost}}`"
                        .into(),
                ),
            );
        }
    }
    let exchange = f.str(ctx, "exchange");
    let routing_key = f.str(ctx, "routing_key").map(|r| r.0);
    let queue = f.str(ctx, "queue");
    let rate = match f.str(ctx, "rate") {
        None => 1,
        Some((r, pos)) => match r.strip_suffix("/s").map(|n| n.trim().parse::<u32>()) {
            Some(Ok(n)) if n > 0 => n,
            _ => {
                ctx.err(
                    pos,
                    format!("rate `{r}` is not messages per second"),
                    Some("write e.g. `rate: 5/s`".into()),
                );
                1
            }
        },
    };
    let count = f.number(ctx, "count", 1.0, 1000.0).map_or(1, |n| n as u32);
    let confirm = f.bool(ctx, "confirm", false);
    let kind = kind?;
    let need = |ctx: &mut Ctx, key: &str, have: bool| {
        if !have {
            f.missing(ctx, key);
        }
        have
    };
    let ok = match kind {
        TrafficKind::Publish => need(ctx, "exchange", exchange.is_some()),
        TrafficKind::Consume | TrafficKind::StuckConsumer => need(ctx, "queue", queue.is_some()),
        TrafficKind::HoldConnections => true,
    };
    if !ok {
        return None;
    }
    Some(Traffic {
        id: id?.0,
        kind,
        url: url?.0,
        exchange: exchange.map(|e| e.0),
        routing_key,
        queue: queue.map(|q| q.0),
        rate,
        count,
        confirm,
    })
}

pub(crate) fn faults(ctx: &mut Ctx, f: &Fields, nodes: u8, refs: &mut Refs) -> Vec<Fault> {
    let items = required_list(
        ctx,
        f,
        "faults",
        "a drill breaks something: add at least one fault with `run`",
    );
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for item in items {
        let Some(g) = fields(ctx, item, "a fault", FAULT_KEYS) else {
            continue;
        };
        let id = g.req_str(ctx, "id");
        if let Some((id, pos)) = &id {
            check_id(ctx, "fault id", id, *pos, false);
            unique(ctx, &mut seen, id, *pos, "fault");
        }
        let run = crate::runbook::items::shell_run(ctx, &g, &mut refs.templates);
        let timeout = g.duration(ctx, "timeout", DEFAULT_FAULT_TIMEOUT);
        let at_trainer = match g.str(ctx, "at") {
            None => false,
            Some((a, _)) if a == "trainer" => true,
            Some((a, pos)) => {
                ctx.err(
                    pos,
                    format!("`at: {a}` is not known"),
                    Some("`at: trainer` holds the fault until the trainer injects it; leave `at` out to inject at the start".into()),
                );
                false
            }
        };
        // Written 1-based (`node: 2` is the second node, like `node2_*`).
        let node = match g.number(ctx, "node", 1.0, 2.0) {
            Some(n) if n as u8 > nodes => {
                if let Some(v) = g.get("node") {
                    ctx.err(
                        v.pos,
                        format!("`node: {n}` names a second node, but `broker.nodes` is {nodes}"),
                        Some("set `broker: {nodes: 2}` or drop `node`".into()),
                    );
                }
                0
            }
            Some(n) => n as usize - 1,
            None => 0,
        };
        if let (Some((id, _)), Some((run, _))) = (id, run) {
            out.push(Fault {
                id,
                run,
                timeout,
                at_trainer,
                node,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_rabbitmq_and_tmpfs_write_them() {
        assert_eq!(parse_size("300MB"), Ok(300_000_000));
        assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert!(parse_size("300").unwrap_err().contains("no unit"));
        assert!(parse_size("3.5GB").unwrap_err().contains("unknown unit"));
        assert!(parse_size("0MB").is_err());
        assert!(parse_size("lots").unwrap_err().contains("not a size"));
    }
}
