//! The located YAML tree of a scenario → the [`Scenario`] model, field by
//! field, with the runbook loader's helpers (same messages, same positions).

use std::collections::BTreeMap;
use std::time::Duration;

use super::grading::{checks, diagnosis, discouraged, expected, fixed, hint, par, solution};
use super::setup::{broker, faults, traffic, vars};
use crate::drill::model::*;
use crate::runbook::fields::{Ctx, Fields, as_string, check_id, fields};
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
    "notify",
];
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
            notify: f.bool(ctx, "notify", false),
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
pub(super) fn texts(ctx: &mut Ctx, key: &str, v: &Located) -> Option<BTreeMap<String, String>> {
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

pub(super) fn template(refs: &mut Refs, text: &str, pos: Pos, shell: bool) {
    refs.templates.push(Template {
        text: text.to_string(),
        pos,
        shell,
    });
}

pub(super) fn unique(ctx: &mut Ctx, seen: &mut Vec<String>, id: &str, pos: Pos, what: &str) {
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

/// The items of a required, non-empty list; a missing or empty one is reported.
pub(super) fn required_list<'n>(
    ctx: &mut Ctx,
    f: &Fields<'n>,
    key: &str,
    help: &str,
) -> &'n [Located] {
    let items = list(ctx, f, key);
    match f.get(key) {
        None => f.missing(ctx, key),
        Some(v) if items.is_empty() && matches!(v.node, Node::Seq(_)) => {
            ctx.err(v.pos, format!("`{key}` is empty"), Some(help.into()))
        }
        _ => {}
    }
    items
}
