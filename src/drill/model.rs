//! The drill scenario model (`kind: drill`, schema 1), as loaded and
//! validated by `drill::scenario`. Everything the sandbox, the fault
//! injector, the detector and the score read comes from here.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::runbook::CheckSpec;

/// A validated drill scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// `[a-z0-9-]+`, unique among scenarios.
    pub id: String,
    /// One line for lists and the header.
    pub title: String,
    /// The runbook drilled: an id (`rabbitmq-emergency`) or a path, resolved
    /// like `runbook start`'s argument (relative paths from the scenario's
    /// directory).
    pub runbook: String,
    /// The trainer's label, 1 (easy) to 5.
    pub difficulty: Option<u8>,
    /// The page the trainee gets, by language (`en` always present; `zh` …).
    pub brief: BTreeMap<String, String>,
    /// The root cause, for the trainer and the debrief only.
    pub hidden: String,
    /// The sandbox broker.
    pub broker: BrokerSpec,
    /// Runbook variables for this drill (the sandbox adds its own: ports,
    /// node, directories; see `drill::sandbox`).
    pub vars: BTreeMap<String, String>,
    /// Background clients, started before the faults.
    pub traffic: Vec<Traffic>,
    /// Injected in order after traffic starts (those with `at: trainer` only
    /// when the trainer asks).
    pub faults: Vec<Fault>,
    /// Each must NOT pass right after injection, else the drill aborts.
    pub verify_injected: Vec<CheckSpec>,
    /// All must pass for `hold` → service restored.
    pub fixed: Fixed,
    /// The runbook question answers that mean "diagnosed" (ask id → choice).
    pub diagnosis: BTreeMap<String, String>,
    /// Runbook items a good responder uses.
    pub expected: Expected,
    /// Runbook items that cost points.
    pub discouraged: Vec<Discouraged>,
    /// Hints, in order; each costs points.
    pub hints: Vec<Hint>,
    /// Par times.
    pub par: Par,
    /// The drill ends unresolved after this long.
    pub time_limit: Duration,
    /// The model answer, run in order by `--autopilot`.
    pub solution: Vec<SolutionStep>,
    /// The drill sends the runbook's and the config file's webhooks too
    /// (default: only `--notify` targets; real people are not paged by a drill).
    pub notify: bool,
}

impl Scenario {
    /// The brief in `lang` (`zh`, `zh_CN.UTF-8` …), else English.
    pub fn brief_for(&self, lang: Option<&str>) -> &str {
        let want = lang.map(|l| l.split(['_', '.', '-']).next().unwrap_or(l));
        want.and_then(|l| self.brief.get(l))
            .or_else(|| self.brief.get("en"))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// The sandbox broker a scenario needs.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokerSpec {
    /// 1, or 2 for a clustered pair (partitions).
    pub nodes: u8,
    /// Plugins enabled at boot (`rabbitmq_management` always).
    pub plugins: Vec<String>,
    /// Size of the tmpfs for data and logs when mounting is allowed (bytes).
    pub disk_bytes: Option<u64>,
    /// Lines appended to the sandbox's `rabbitmq.conf`.
    pub config: String,
    /// Definitions JSON loaded at boot (`load_definitions`), the file's text.
    pub definitions: Option<String>,
}

/// Built-in background client kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficKind {
    /// Publishes to `exchange` with `routing_key` at `rate` per second.
    Publish,
    /// Consumes from `queue` and acks.
    Consume,
    /// Consumes from `queue` with no prefetch limit and never acks.
    StuckConsumer,
    /// Opens `count` connections and holds them.
    HoldConnections,
}

/// One background client.
#[derive(Debug, Clone, PartialEq)]
pub struct Traffic {
    /// Unique within the scenario; also the AMQP connection name.
    pub id: String,
    /// What it does.
    pub kind: TrafficKind,
    /// `amqp://…` with `{{var}}`s.
    pub url: String,
    /// For `publish`.
    pub exchange: Option<String>,
    /// For `publish`.
    pub routing_key: Option<String>,
    /// For the consumers.
    pub queue: Option<String>,
    /// Messages per second for `publish` (default 1).
    pub rate: u32,
    /// Connections for `hold-connections` (default 1).
    pub count: u32,
    /// For `publish`: wait for publisher confirms (default false).
    pub confirm: bool,
}

/// One fault.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// Unique within the scenario.
    pub id: String,
    /// Shell command, `{{var}}`s shell-quoted, run with the sandbox env.
    pub run: String,
    /// Killed after this long (default 60 s).
    pub timeout: Duration,
    /// Injected only when the trainer asks (`at: trainer`).
    pub at_trainer: bool,
    /// Which sandbox node's environment it runs with (0-based; default 0).
    pub node: usize,
}

/// The "service restored" detector.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixed {
    /// How long every check must keep passing.
    pub hold: Duration,
    /// How often the checks run.
    pub poll: Duration,
    /// The checks (runbook check kinds).
    pub checks: Vec<CheckSpec>,
}

/// Runbook items a good responder uses, as `step/item` ids.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expected {
    /// Every one of these.
    pub all: Vec<String>,
    /// At least one of these.
    pub any: Vec<String>,
}

/// A runbook item that costs points.
#[derive(Debug, Clone, PartialEq)]
pub struct Discouraged {
    /// `step/item` id.
    pub id: String,
    /// Why, shown in the breakdown.
    pub why: String,
    /// Points taken.
    pub penalty: u32,
}

/// One hint.
#[derive(Debug, Clone, PartialEq)]
pub struct Hint {
    /// By language, like the brief.
    pub text: BTreeMap<String, String>,
    /// Points it costs.
    pub cost: u32,
}

/// Par times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Par {
    /// Time to diagnose.
    pub diagnose: Duration,
    /// Time to mitigate.
    pub mitigate: Duration,
}

/// One step of the model answer.
#[derive(Debug, Clone, PartialEq)]
pub enum SolutionStep {
    /// Answer a runbook question (`ask: {symptom: memory-alarm}`).
    Answer {
        /// Ask id.
        ask: String,
        /// Choice.
        choice: String,
    },
    /// Run a runbook item by `step/item` id (confirmed, as a trainee would).
    Item(String),
    /// Run a shell command with the sandbox env (`{{var}}`s shell-quoted).
    Run(String),
}
