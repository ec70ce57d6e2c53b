//! The located YAML tree of a scenario → the [`Scenario`] model, field by
//! field, with the runbook loader's helpers (same messages, same positions).

use std::collections::BTreeMap;
use std::time::Duration;

use crate::drill::model::*;
use crate::runbook::CheckSpec;
use crate::runbook::checks::check_spec;
use crate::runbook::fields::{Ctx, Fields, as_string, check_id, fields};
use crate::runbook::items::Asks;
use crate::runbook::node::{Located, Node, Pos};
use crate::runbook::refs::Template;
use crate::runbook::validate::list;

const TOP_KEYS: &[&str] = &[
    "schema",
    "kind",
    "id",
    "title",
    "runbook",
    "difficulty",
    "brief",
    "hidden",
    "broker",
    "vars",
    "traffic",
    "faults",
    "verify_injected",
    "fixed",
    "diagnosis",
    "expected",
    "discouraged",
    "hints",
    "par",
    "limits",
    "solution",
];
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
const LANGS: &[&str] = &["en", "zh"];

/// Default time a fault command may take.
pub const DEFAULT_FAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default time the `fixed` checks must keep passing.
pub const DEFAULT_HOLD: Duration = Duration::from_secs(10);
/// Default interval of the `fixed` checks.
pub const DEFAULT_POLL: Duration = Duration::from_secs(5);
/// Default `limits.time`.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(30 * 60);
/// Default par times (diagnose, mitigate).
pub const DEFAULT_PAR: Par = Par {
    diagnose: Duration::from_secs(5 * 60),
    mitigate: Duration::from_secs(15 * 60),
};

/// What the cross-checks against the runbook and the sibling files need,
/// with where each value was written.
pub(crate) struct Refs {
    /// `runbook:` as written.
    pub runbook: Option<(String, Pos)>,
    /// `broker.definitions:` as written.
    pub definitions: Option<(String, Pos)>,
    /// `step/item` ids of `expected`, `discouraged`, `solution` items.
    pub items: Vec<(String, Pos)>,
    /// `diagnosis` and `solution` answers (ask, choice, where).
    pub answers: Vec<(String, String, Pos)>,
    /// `expected` items (shown once the diagnosis is given?).
    pub expected: Vec<(String, Pos)>,
    /// Solution items with the answers given before them (for `when`).
    pub solution_items: Vec<(String, BTreeMap<String, String>, Pos)>,
    /// Every text that may hold `{{var}}`.
    pub templates: Vec<Template>,
    /// The scenario's own vars, with positions.
    pub vars: Vec<(String, Pos)>,
}

/// Reads the whole tree; `None` when a required part is missing (the
/// diagnostics say which).
pub(crate) fn scenario(ctx: &mut Ctx, root: &Located) -> Option<(Scenario, Refs)> {
    let f = fields(ctx, root, "the drill scenario", TOP_KEYS)?;
    let mut refs = Refs {
        runbook: None,
        definitions: None,
        items: Vec::new(),
        answers: Vec::new(),
        expected: Vec::new(),
        solution_items: Vec::new(),
        templates: Vec::new(),
        vars: Vec::new(),
    };
    let schema_ok = schema(ctx, &f);
    let kind_ok = match f.get("kind") {
        None => {
            ctx.err(
                f.pos,
                "missing required key `kind` in the drill scenario",
                Some("a scenario says `kind: drill`".into()),
            );
            false
        }
        Some(v) => match as_string(ctx, "kind", v) {
            Some(k) if k == "drill" => true,
            Some(k) => {
                ctx.err(
                    v.pos,
                    format!("`kind: {k}` is not a drill scenario"),
                    Some("a scenario says `kind: drill`".into()),
                );
                false
            }
            None => false,
        },
    };
    let id = f.req_str(ctx, "id");
    if let Some((id, pos)) = &id {
        check_id(ctx, "scenario id", id, *pos, false);
    }
    let title = f.req_str(ctx, "title");
    refs.runbook = f.req_str(ctx, "runbook");
    let difficulty = f.number(ctx, "difficulty", 1.0, 5.0).map(|n| n as u8);
    if let Some(v) = f.get("difficulty")
        && matches!(v.node, Node::Float(_))
    {
        ctx.err(v.pos, "`difficulty` is a whole number from 1 to 5", None);
    }
    let brief = match f.get("brief") {
        None => {
            f.missing(ctx, "brief");
            None
        }
        Some(v) => texts(ctx, "brief", v),
    };
    let hidden = f.req_str(ctx, "hidden").map(|h| h.0);
    let broker = match f.get("broker") {
        Some(b) => broker(ctx, b, &mut refs),
        None => Some(BrokerSpec {
            nodes: 1,
            plugins: vec!["rabbitmq_management".into()],
            disk_bytes: None,
            config: String::new(),
            definitions: None,
        }),
    };
    let vars = f
        .get("vars")
        .map(|v| vars(ctx, v, &mut refs))
        .unwrap_or_default();
    let mut traffic_out = Vec::new();
    let mut seen = Vec::new();
    for t in list(ctx, &f, "traffic") {
        if let Some(t) = traffic(ctx, t, &mut seen, &mut refs) {
            traffic_out.push(t);
        }
    }
    let nodes = broker.as_ref().map_or(2, |b| b.nodes);
    let faults = faults(ctx, &f, nodes, &mut refs);
    let verify_injected = checks(ctx, &f, "verify_injected", &mut refs);
    let fixed = match f.get("fixed") {
        None => {
            f.missing(ctx, "fixed");
            None
        }
        Some(v) => fixed(ctx, v, &mut refs),
    };
    let diagnosis = f
        .get("diagnosis")
        .map(|d| diagnosis(ctx, d, &mut refs))
        .unwrap_or_default();
    let expected = f
        .get("expected")
        .map(|e| expected(ctx, e, &mut refs))
        .unwrap_or_default();
    let discouraged = list(ctx, &f, "discouraged")
        .iter()
        .filter_map(|d| discouraged(ctx, d, &mut refs))
        .collect();
    let hints = list(ctx, &f, "hints")
        .iter()
        .filter_map(|h| hint(ctx, h))
        .collect();
    let par = f.get("par").map(|p| par(ctx, p)).unwrap_or(DEFAULT_PAR);
    let time_limit = match f.get("limits") {
        None => DEFAULT_TIME_LIMIT,
        Some(l) => fields(ctx, l, "`limits`", &["time"])
            .map(|l| l.duration(ctx, "time", DEFAULT_TIME_LIMIT))
            .unwrap_or(DEFAULT_TIME_LIMIT),
    };
    let solution = solution(ctx, &f, &mut refs);
    if !(schema_ok && kind_ok) {
        return None;
    }
    Some((
        Scenario {
            id: id?.0,
            title: title?.0,
            runbook: refs.runbook.clone()?.0,
            difficulty,
            brief: brief?,
            hidden: hidden?,
            broker: broker?,
            vars,
            traffic: traffic_out,
            faults,
            verify_injected,
            fixed: fixed?,
            diagnosis,
            expected,
            discouraged,
            hints,
            par,
            time_limit,
            solution,
        },
        refs,
    ))
}

fn schema(ctx: &mut Ctx, f: &Fields) -> bool {
    match f.get("schema") {
        None => {
            f.missing(ctx, "schema");
            false
        }
        Some(Located {
            node: Node::Int(1), ..
        }) => true,
        Some(v) => {
            ctx.err(
                v.pos,
                "this program reads drill scenarios of schema 1",
                Some("write `schema: 1`".into()),
            );
            false
        }
    }
}

/// A text given as a string (English) or by language `{en: …, zh: …}`.
fn texts(ctx: &mut Ctx, key: &str, v: &Located) -> Option<BTreeMap<String, String>> {
    if let Node::Map(_) = v.node {
        let f = fields(ctx, v, &format!("`{key}`"), LANGS)?;
        let mut out = BTreeMap::new();
        for lang in LANGS {
            if let Some((t, _)) = f.str(ctx, lang) {
                out.insert((*lang).to_string(), t);
            }
        }
        if !out.contains_key("en") {
            ctx.err(
                v.pos,
                format!("`{key}` has no English text"),
                Some(format!(
                    "add `en: …` under `{key}`; other languages fall back to it"
                )),
            );
            return None;
        }
        return Some(out);
    }
    let t = as_string(ctx, key, v)?;
    Some(BTreeMap::from([("en".to_string(), t)]))
}

fn template(refs: &mut Refs, text: &str, pos: Pos, shell: bool) {
    refs.templates.push(Template {
        text: text.to_string(),
        pos,
        shell,
    });
}

fn broker(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> Option<BrokerSpec> {
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

fn vars(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> BTreeMap<String, String> {
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

fn traffic(
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

fn unique(ctx: &mut Ctx, seen: &mut Vec<String>, id: &str, pos: Pos, what: &str) {
    if seen.iter().any(|s| s == id) {
        ctx.err(
            pos,
            format!("duplicate {what} id `{id}`"),
            Some(format!("{what} ids must be unique in the scenario")),
        );
    } else {
        seen.push(id.to_string());
    }
}

fn faults(ctx: &mut Ctx, f: &Fields, nodes: u8, refs: &mut Refs) -> Vec<Fault> {
    let items = list(ctx, f, "faults");
    match f.get("faults") {
        None => f.missing(ctx, "faults"),
        Some(v) if items.is_empty() && matches!(v.node, Node::Seq(_)) => ctx.err(
            v.pos,
            "`faults` is empty",
            Some("a drill breaks something: add at least one fault with `run`".into()),
        ),
        _ => {}
    }
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

fn checks(ctx: &mut Ctx, f: &Fields, key: &str, refs: &mut Refs) -> Vec<CheckSpec> {
    let items = list(ctx, f, key);
    match f.get(key) {
        None => f.missing(ctx, key),
        Some(v) if items.is_empty() && matches!(v.node, Node::Seq(_)) => ctx.err(
            v.pos,
            format!("`{key}` is empty"),
            Some("add at least one check (the runbook's check kinds)".into()),
        ),
        _ => {}
    }
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

fn fixed(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> Option<Fixed> {
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

fn diagnosis(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> BTreeMap<String, String> {
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

fn expected(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> Expected {
    let Some(f) = fields(ctx, node, "`expected`", &["all", "any"]) else {
        return Expected::default();
    };
    Expected {
        all: item_ids(ctx, &f, "all", refs),
        any: item_ids(ctx, &f, "any", refs),
    }
}

fn discouraged(ctx: &mut Ctx, node: &Located, refs: &mut Refs) -> Option<Discouraged> {
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

fn hint(ctx: &mut Ctx, node: &Located) -> Option<Hint> {
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

fn par(ctx: &mut Ctx, node: &Located) -> Par {
    match fields(ctx, node, "`par`", &["diagnose", "mitigate"]) {
        None => DEFAULT_PAR,
        Some(f) => Par {
            diagnose: f.duration(ctx, "diagnose", DEFAULT_PAR.diagnose),
            mitigate: f.duration(ctx, "mitigate", DEFAULT_PAR.mitigate),
        },
    }
}

fn solution(ctx: &mut Ctx, f: &Fields, refs: &mut Refs) -> Vec<SolutionStep> {
    let items = list(ctx, f, "solution");
    match f.get("solution") {
        None => f.missing(ctx, "solution"),
        Some(v) if items.is_empty() && matches!(v.node, Node::Seq(_)) => ctx.err(
            v.pos,
            "`solution` is empty",
            Some(
                "give the model answer: `{answer: {ask: choice}}`, `{item: step/id}` or `{run: …}`"
                    .into(),
            ),
        ),
        _ => {}
    }
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
