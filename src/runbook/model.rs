//! The validated runbook model: what the loader produces and everything else reads.
//!
//! These types carry no YAML detail; locations live in the loader. A `Runbook`
//! that exists has passed validation, so consumers may rely on its invariants
//! (unique ids, declared variables, `when` naming a real question and choice).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The runbook schema version this program reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// Default timeout of a command when the runbook gives none.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// Default timeout of a built-in check when the runbook gives none.
pub const DEFAULT_CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// A whole runbook: the steps an operator walks through during one kind of incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Runbook {
    /// Schema version (always [`SCHEMA_VERSION`] once loaded).
    pub schema: u32,
    /// Stable identifier, `[a-z0-9-]+`.
    pub id: String,
    /// Human title shown in the header.
    pub title: String,
    /// Optional one-paragraph summary.
    pub summary: Option<String>,
    /// Declared variables, in file order.
    pub vars: Vec<VarDef>,
    /// Alert thresholds used by checks, the footer and the broker panel.
    pub thresholds: Thresholds,
    /// The steps, in order. Never empty.
    pub steps: Vec<Step>,
    /// Language of its text (`en`, `zh`; default English): notifications
    /// are worded in it.
    #[serde(default)]
    pub lang: Option<String>,
    /// Webhooks told about the incident (`notify:`).
    #[serde(default)]
    pub notify: Vec<crate::notify::NotifySpec>,
}

/// A declared `{{variable}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VarDef {
    /// Name used as `{{name}}`.
    pub name: String,
    /// Default value; may itself contain `{{other}}` references.
    pub default: Option<String>,
    /// Environment variable consulted before the default.
    pub env: Option<String>,
    /// Secret values are masked wherever they would be shown or recorded.
    pub secret: bool,
    /// What the variable is for (shown by `runbook list`/help).
    pub description: Option<String>,
}

/// Alert thresholds. `warn` levels default to DESIGN.md's figures; `critical`
/// levels are optional and turn a warning into a failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// CPU use, percent.
    pub cpu_percent: f64,
    /// Memory use, percent.
    pub memory_percent: f64,
    /// Disk use of the relevant mount, percent.
    pub disk_percent: f64,
    /// Broker connection count.
    pub connections: u64,
    /// Messages held in one queue.
    pub queue_backlog: u64,
    /// Optional failure levels above the warning levels.
    pub critical: Option<CriticalThresholds>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            cpu_percent: 80.0,
            memory_percent: 85.0,
            disk_percent: 90.0,
            connections: 1000,
            queue_backlog: 10_000,
            critical: None,
        }
    }
}

/// Failure levels; any left out means "never fail on this, only warn".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CriticalThresholds {
    /// CPU use, percent.
    pub cpu_percent: Option<f64>,
    /// Memory use, percent.
    pub memory_percent: Option<f64>,
    /// Disk use, percent.
    pub disk_percent: Option<f64>,
    /// Broker connection count.
    pub connections: Option<u64>,
    /// Messages held in one queue.
    pub queue_backlog: Option<u64>,
}

/// Time budget of a step: `expected..limit`. Past `expected` the timer turns
/// yellow, past `limit` red and a `budget overrun` is journaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Budget {
    /// Time the step should normally take.
    pub expected: Option<Duration>,
    /// Time after which the step is over budget.
    pub limit: Option<Duration>,
}

impl Budget {
    /// A step with no time budget (`none`).
    pub const NONE: Budget = Budget {
        expected: None,
        limit: None,
    };
}

/// One step of the emergency flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Unique within the runbook.
    pub id: String,
    /// Title shown in the step list.
    pub title: String,
    /// Time budget.
    pub budget: Budget,
    /// What to do and why; may contain `{{var}}`.
    pub guide: Option<String>,
    /// Items the operator ticks.
    pub checklist: Vec<String>,
    /// A question whose answer selects `when`-guarded commands.
    pub ask: Option<Ask>,
    /// Commands the operator can run.
    pub commands: Vec<CommandSpec>,
    /// Built-in checks.
    pub checks: Vec<CheckSpec>,
    /// Completing this step restores service (counts for time to mitigation).
    pub mitigation: bool,
}

/// A multiple-choice question (e.g. "which symptom?").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ask {
    /// Unique among all asks of the runbook; `when` refers to it.
    pub id: String,
    /// The question.
    pub prompt: String,
    /// The possible answers (ids: journaled, used by `when`).
    pub choices: Vec<String>,
    /// What the operator reads for a choice (choice id → label), in the
    /// runbook's language; a choice without one shows its id.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

impl Ask {
    /// The label of a choice, else its id.
    pub fn label<'a>(&'a self, choice: &'a str) -> &'a str {
        self.labels.get(choice).map_or(choice, String::as_str)
    }
}

/// Shows a command or check only when earlier answers match:
/// ask id → accepted choices. All entries must match.
pub type When = BTreeMap<String, Vec<String>>;

/// A shell command of a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandSpec {
    /// Unique within the step.
    pub id: String,
    /// Short human title.
    pub title: Option<String>,
    /// The shell command line, with `{{var}}` placeholders.
    pub run: String,
    /// Killed (with its process group) after this long.
    pub timeout: Duration,
    /// Changes the system: needs a typed confirmation before it runs.
    pub confirm: bool,
    /// Shown only when earlier answers match.
    pub when: Option<When>,
    /// Long-running (e.g. `tail -f`): streams until cancelled, no timeout.
    pub follow: bool,
}

/// A built-in check of a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckSpec {
    /// Unique within the step.
    pub id: String,
    /// Short human title.
    pub title: Option<String>,
    /// What is checked.
    pub kind: CheckKind,
    /// Hint shown when the check fails.
    pub on_fail: Option<String>,
    /// Gives up after this long (default [`DEFAULT_CHECK_TIMEOUT`]).
    pub timeout: Duration,
    /// Shown only when earlier answers match.
    pub when: Option<When>,
}

/// The kinds of built-in checks. Strings may contain `{{var}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// `tcp: "host:port"` — can a TCP connection be opened?
    Tcp {
        /// `host:port`
        target: String,
    },
    /// `http: { url, status, user, password, json, contains }` — a GET.
    Http(HttpCheck),
    /// `amqp: { url }` — AMQP 0-9-1 handshake, login and vhost open.
    Amqp {
        /// `amqp://user:pass@host:port/vhost`
        url: String,
    },
    /// `rabbitmq: { check, api, user, password, port }` — management API.
    Rabbitmq(RabbitmqCheck),
    /// `resources: { disk_path }` — host CPU, memory, disk, load.
    Resources {
        /// Disk holding this path; default the fullest mount.
        disk_path: Option<String>,
    },
    /// `command: { run, expect_exit, expect_output }`.
    Command(CommandCheck),
}

impl CheckKind {
    /// The YAML key naming this kind.
    pub fn name(&self) -> &'static str {
        match self {
            CheckKind::Tcp { .. } => "tcp",
            CheckKind::Http(_) => "http",
            CheckKind::Amqp { .. } => "amqp",
            CheckKind::Rabbitmq(_) => "rabbitmq",
            CheckKind::Resources { .. } => "resources",
            CheckKind::Command(_) => "command",
        }
    }
}

/// An HTTP GET check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpCheck {
    /// URL to GET.
    pub url: String,
    /// Expected status; `None` means any 2xx.
    pub status: Option<u16>,
    /// Basic-auth user.
    pub user: Option<String>,
    /// Basic-auth password.
    pub password: Option<String>,
    /// JSON-pointer → expected value (compared as JSON; strings as strings).
    pub json: BTreeMap<String, serde_json::Value>,
    /// Substring the body must contain.
    pub contains: Option<String>,
}

/// Which management-API question a `rabbitmq` check asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RabbitmqCheckKind {
    /// Cluster-wide alarms (`/api/health/checks/alarms`).
    Alarms,
    /// This node's alarms (`/api/health/checks/local-alarms`).
    LocalAlarms,
    /// Node running, memory/disk/fd/socket/process limits, partitions.
    Node,
    /// Queue backlog, consumers, unacked.
    Queues,
    /// Connection count and blocked connections.
    Connections,
    /// Virtual hosts running.
    Vhosts,
    /// A port listener (needs `port`).
    Listener,
    /// Versions and totals.
    Overview,
}

impl RabbitmqCheckKind {
    /// Every kind with its YAML spelling.
    pub const ALL: [(&'static str, RabbitmqCheckKind); 8] = [
        ("alarms", RabbitmqCheckKind::Alarms),
        ("local-alarms", RabbitmqCheckKind::LocalAlarms),
        ("node", RabbitmqCheckKind::Node),
        ("queues", RabbitmqCheckKind::Queues),
        ("connections", RabbitmqCheckKind::Connections),
        ("vhosts", RabbitmqCheckKind::Vhosts),
        ("listener", RabbitmqCheckKind::Listener),
        ("overview", RabbitmqCheckKind::Overview),
    ];
}

/// A management-API check. `api`/`user`/`password` default to the runbook
/// variables `mgmt_url`, `mgmt_user`, `mgmt_password`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RabbitmqCheck {
    /// What to ask.
    pub check: RabbitmqCheckKind,
    /// Base URL of the management API.
    pub api: Option<String>,
    /// API user.
    pub user: Option<String>,
    /// API password.
    pub password: Option<String>,
    /// Port for `listener`.
    pub port: Option<u16>,
}

/// A check answered by a shell command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommandCheck {
    /// The command line.
    pub run: String,
    /// Expected exit code (default 0).
    pub expect_exit: Option<i32>,
    /// Substring the combined output must contain.
    pub expect_output: Option<String>,
}

impl Runbook {
    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The variable declaration with this name.
    pub fn var(&self, name: &str) -> Option<&VarDef> {
        self.vars.iter().find(|v| v.name == name)
    }
}

impl Step {
    /// The command with this id.
    pub fn command(&self, id: &str) -> Option<&CommandSpec> {
        self.commands.iter().find(|c| c.id == id)
    }

    /// The check with this id.
    pub fn check(&self, id: &str) -> Option<&CheckSpec> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// True when `when` is satisfied by the answers given so far (ask id →
/// choice, or several choices joined with `,` when the operator saw more
/// than one symptom). A guard whose question is unanswered is not satisfied.
pub fn when_allows(when: Option<&When>, answers: &BTreeMap<String, String>) -> bool {
    match when {
        None => true,
        Some(w) => w.iter().all(|(ask, choices)| {
            answers
                .get(ask)
                .is_some_and(|a| answer_choices(a).any(|a| choices.iter().any(|c| c == a)))
        }),
    }
}

/// The choices of an answer: one, or several joined with `,`.
pub fn answer_choices(answer: &str) -> impl Iterator<Item = &str> {
    answer.split(',').map(str::trim).filter(|s| !s.is_empty())
}
