//! Incident events: everything that happens in an incident, as journaled.
//!
//! One JSON object per journal line: `{"seq":1,"ts":"…","type":"…",…fields}`.
//! Field names are part of the journal format (schema 1): add, never rename.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Journal schema version written by this program.
pub const JOURNAL_SCHEMA: u32 = 1;

/// Identifies one execution of a command or check within an incident.
pub type RunId = u64;

/// A journaled event with its sequence number and timestamp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// 1, 2, 3 … without gaps.
    pub seq: u64,
    /// RFC 3339 with offset and milliseconds.
    #[serde(with = "ts_millis")]
    pub ts: DateTime<FixedOffset>,
    /// What happened.
    #[serde(flatten)]
    pub event: Event,
}

/// Journal timestamps: always written with milliseconds and a numeric offset
/// (`2026-11-24T10:00:00.000+01:00`), so every line has the same shape.
mod ts_millis {
    use chrono::{DateTime, FixedOffset, SecondsFormat};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ts: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&ts.to_rfc3339_opts(SecondsFormat::Millis, false))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text).map_err(serde::de::Error::custom)
    }
}

/// Live incident or training drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// A real incident.
    #[default]
    Live,
    /// A training drill against a sandbox.
    Drill,
}

/// Which runbook an incident follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbookRef {
    /// Runbook id.
    pub id: String,
    /// Runbook title.
    pub title: String,
    /// File path, or `embedded:<name>` for a built-in runbook.
    pub path: String,
    /// sha256 of the runbook source, hex.
    pub sha256: String,
}

/// A step as recorded at the start, so a journal is readable without its runbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepOutline {
    /// Step id.
    pub id: String,
    /// Step title.
    pub title: String,
    /// Expected duration, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_ms: Option<u64>,
    /// Budget limit, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_ms: Option<u64>,
    /// Completing this step counts as mitigation (time to mitigation).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub mitigation: bool,
    /// Checklist item texts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<String>,
}

/// The scenario a drill follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioRef {
    /// Scenario id.
    pub id: String,
    /// Scenario title.
    pub title: String,
    /// File path, or `embedded:<name>`.
    pub path: String,
    /// sha256 of the scenario source, hex.
    pub sha256: String,
}

/// One node of a drill's sandbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillNode {
    /// Erlang node name (`drill-1a2b3c@localhost`).
    pub name: String,
    /// AMQP port on 127.0.0.1.
    pub amqp: u16,
    /// Management API port.
    pub mgmt: u16,
    /// Prometheus port.
    pub prom: u16,
    /// Erlang distribution port.
    pub dist: u16,
}

/// Who did something in a drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrillActor {
    /// The scenario itself (at start).
    Scenario,
    /// The trainee (a key in the drill screen).
    Trainee,
    /// The trainer (watch screen or `drill hint|inject`).
    Trainer,
}

/// A change the trainee made (a confirmed command), as credited for a fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillChange {
    /// Its run id.
    pub run: RunId,
    /// `step/command` id.
    pub command: String,
    /// When it started.
    #[serde(with = "ts_millis")]
    pub ts: DateTime<FixedOffset>,
}

/// Why a drill ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrillEndReason {
    /// The trainee resolved the incident.
    Resolved,
    /// The scenario's time limit ran out.
    TimeLimit,
    /// The trainer ended it.
    EndedByTrainer,
    /// The trainee quit.
    Quit,
    /// The program died; found on resume or cleanup.
    Interrupted,
    /// The drill could not start (the fault did not take, the sandbox did not boot).
    Aborted,
}

impl DrillEndReason {
    /// The journal spelling (`resolved`, `time_limit`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            DrillEndReason::Resolved => "resolved",
            DrillEndReason::TimeLimit => "time_limit",
            DrillEndReason::EndedByTrainer => "ended_by_trainer",
            DrillEndReason::Quit => "quit",
            DrillEndReason::Interrupted => "interrupted",
            DrillEndReason::Aborted => "aborted",
        }
    }
}

/// One action item of a postmortem: what is to be done, and who owns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ActionItem {
    /// What is to be done.
    pub what: String,
    /// Who owns it (a name or a team; may be empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
}

/// One line of a drill score's breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreLine {
    /// What it is for (`3 min over par to diagnose`).
    pub what: String,
    /// Points added (positive) or taken (negative).
    pub points: i64,
}

/// Output stream of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Result of a built-in check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// All good.
    Pass,
    /// Worth a look.
    Warn,
    /// The check found a problem.
    Fail,
    /// The check could not be evaluated.
    Error,
}

/// Why a session ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The operator quit.
    Quit,
    /// A signal (name, e.g. `SIGTERM`, `SIGINT`, `SIGHUP`).
    Signal(String),
    /// The program failed (message).
    Error(String),
    /// A headless run (diagnose) finished its work.
    Finished,
}

/// Everything that can happen in an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// First event of every journal.
    IncidentOpened {
        /// Journal schema ([`JOURNAL_SCHEMA`]).
        schema: u32,
        /// Unique incident id.
        incident_id: String,
        /// Incident title (may be empty; see `title_set`).
        title: String,
        /// The runbook followed.
        runbook: RunbookRef,
        /// The runbook's steps.
        steps: Vec<StepOutline>,
        /// Resolved variables, secrets masked.
        vars: BTreeMap<String, String>,
        /// Host name.
        host: String,
        /// Operator's user name.
        user: String,
        /// Live or drill.
        mode: Mode,
        /// Program version.
        program_version: String,
        /// The runbook's language (`en`, `zh`); empty in older journals.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        lang: String,
    },
    /// The operator gave or changed the incident title.
    TitleSet {
        /// New title.
        title: String,
    },
    /// A step became the current one.
    StepEntered {
        /// Step id.
        step: String,
    },
    /// A step was completed.
    StepCompleted {
        /// Step id.
        step: String,
    },
    /// A step was skipped.
    StepSkipped {
        /// Step id.
        step: String,
        /// Why.
        reason: String,
    },
    /// A checklist item was ticked or unticked.
    ChecklistToggled {
        /// Step id.
        step: String,
        /// Index of the item in the step's checklist.
        item: usize,
        /// Item text.
        text: String,
        /// New state.
        checked: bool,
    },
    /// A step's question was answered.
    QuestionAnswered {
        /// Step id.
        step: String,
        /// Ask id.
        ask: String,
        /// Chosen answer.
        answer: String,
    },
    /// A typed confirmation was asked for a dangerous command.
    ConfirmationAsked {
        /// Step id.
        step: String,
        /// Command id.
        command: String,
        /// The command line as it would run (secrets masked).
        command_line: String,
        /// What the operator must type.
        expected: String,
        /// Why it is considered dangerous.
        reason: String,
    },
    /// The operator answered a confirmation dialog.
    ConfirmationAnswered {
        /// Step id.
        step: String,
        /// Command id.
        command: String,
        /// True when the typed text matched and the command will run.
        accepted: bool,
        /// What was typed (masked).
        typed: String,
    },
    /// A command started.
    CommandStarted {
        /// Run id.
        run: RunId,
        /// Step id.
        step: String,
        /// Command id.
        command: String,
        /// The command line as run (secrets masked).
        command_line: String,
        /// Process id of the shell.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pid: Option<u32>,
    },
    /// A chunk of a command's output (sanitised; SGR colour kept).
    CommandOutput {
        /// Run id.
        run: RunId,
        /// stdout or stderr.
        stream: Stream,
        /// The text (whole lines where possible).
        text: String,
    },
    /// Output left out of the journal to keep it bounded.
    CommandOutputOmitted {
        /// Run id.
        run: RunId,
        /// Bytes not journaled.
        bytes: u64,
        /// The program died while the command ran: these bytes were shown on
        /// screen after the last tail checkpoint and are lost, not just left out.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        lost: bool,
    },
    /// A command ended.
    CommandFinished {
        /// Run id.
        run: RunId,
        /// Exit code, when it exited.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        /// Signal number, when killed by one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signal: Option<i32>,
        /// Killed at its timeout.
        #[serde(default)]
        timed_out: bool,
        /// Cancelled by the operator or at shutdown.
        #[serde(default)]
        cancelled: bool,
        /// Wall time, milliseconds.
        duration_ms: u64,
        /// Bytes printed in all.
        bytes: u64,
        /// True when part of the output was left out of the journal.
        #[serde(default)]
        truncated: bool,
        /// Why the command could not be started at all (absent when it ran;
        /// older journals never have it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        launch_error: Option<String>,
    },
    /// A check started.
    CheckStarted {
        /// Run id.
        run: RunId,
        /// Step id.
        step: String,
        /// Check id.
        check: String,
        /// Check kind (`tcp`, `http`, …).
        kind: String,
        /// What is probed (target, URL; secrets masked).
        target: String,
    },
    /// A check ended.
    CheckFinished {
        /// Run id.
        run: RunId,
        /// pass, warn, fail or error.
        status: CheckStatus,
        /// One line for the operator.
        summary: String,
        /// Supporting detail (secrets masked).
        #[serde(default)]
        evidence: String,
        /// Wall time, milliseconds.
        duration_ms: u64,
    },
    /// A free-text note.
    Note {
        /// Step the note belongs to (the current one when written).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<String>,
        /// The text.
        text: String,
        /// A status update for the people outside (`u`), sent to the
        /// notification targets; a plain note otherwise.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        update: bool,
    },
    /// The outcome of one webhook notification (or, with `about: setup`, a
    /// target left out and why).
    Notification {
        /// The target, its URL masked (`https://hooks.slack.com/…`).
        target: String,
        /// Its format (`generic`, `slack`, …).
        kind: String,
        /// What the message was about (`opened`, `overrun`, `update`, …).
        about: String,
        /// The record it was about.
        for_seq: u64,
        /// The endpoint took it.
        ok: bool,
        /// The last HTTP status, when there was one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
        /// Why it failed.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        error: String,
        /// Attempts made.
        attempts: u32,
        /// From the first attempt to the outcome, ms.
        duration_ms: u64,
    },
    /// A step passed its budget limit (journaled once per step).
    BudgetOverrun {
        /// Step id.
        step: String,
        /// The limit, milliseconds.
        limit_ms: u64,
        /// Time spent when noticed, milliseconds.
        elapsed_ms: u64,
    },
    /// The operator set how bad it is (asked at the start, changed with `i`).
    SeveritySet {
        /// `SEV1` (worst) … `SEV4`, or empty when not given.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        severity: String,
        /// Who or what is affected, in the operator's words.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        impact: String,
    },
    /// When the problem started, as the operator gives it (time to detect).
    ProblemStarted {
        /// The time given.
        #[serde(with = "ts_millis")]
        at: DateTime<FixedOffset>,
    },
    /// The postmortem's first draft, written at resolve.
    PostmortemDrafted {
        /// Why it happened.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        root_cause: String,
        /// What helped.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        helped: String,
        /// What hurt (slowed the response down).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        hurt: String,
        /// Follow-up work, each with an owner.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        actions: Vec<ActionItem>,
    },
    /// The incident was resolved.
    IncidentResolved {
        /// Resolution summary.
        summary: String,
    },
    /// A program session ended (the incident may continue later).
    SessionEnded {
        /// Why.
        reason: EndReason,
    },
    /// A program session picked the incident up again.
    SessionResumed {
        /// Host name.
        host: String,
        /// Operator's user name.
        user: String,
        /// Program version.
        program_version: String,
    },
    /// A drill's sandbox is up and the scenario is about to break it.
    DrillStarted {
        /// The scenario drilled.
        scenario: ScenarioRef,
        /// Who is drilled (defaults to the user name).
        trainee: String,
        /// The sandbox's nodes.
        nodes: Vec<DrillNode>,
        /// The sandbox directory.
        sandbox: String,
    },
    /// A fault was injected into the sandbox.
    DrillFaultInjected {
        /// Fault id in the scenario.
        fault: String,
        /// Who injected it.
        by: DrillActor,
        /// The run that carried the fault command (its `command_*` events
        /// hold the output), when it ran as a command.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        run: Option<RunId>,
    },
    /// A drill check changed outcome (only transitions are journaled).
    DrillCheck {
        /// Check id in the scenario (`fixed` or `verify_injected`).
        id: String,
        /// The new outcome.
        outcome: CheckStatus,
        /// One line, as the check said it.
        summary: String,
    },
    /// A hint was given.
    DrillHint {
        /// Index of the hint in the scenario (0-based).
        index: usize,
        /// The hint's text.
        text: String,
        /// Points it costs.
        cost: u32,
        /// Who asked for it (trainee) or pushed it (trainer).
        by: DrillActor,
    },
    /// Every `fixed` check passed for the hold period: service restored.
    DrillFixed {
        /// How long detection took after the checks first all passed, ms.
        detector_latency_ms: u64,
        /// The last change (a confirmed command) before the fix, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_change: Option<DrillChange>,
        /// The node restarted before the fix (its OS pid or uptime fell back).
        #[serde(default)]
        fixed_by_restart: bool,
    },
    /// The drill was paused (timers frozen).
    DrillPaused {
        /// Why.
        reason: String,
    },
    /// The drill carried on after a pause.
    DrillResumed {
        /// Why.
        reason: String,
    },
    /// The drill ended.
    DrillEnded {
        /// Why.
        reason: DrillEndReason,
        /// More detail (the failing check's evidence for `aborted`).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        detail: String,
    },
    /// The score, derived from the events above (a report recomputes it).
    DrillScored {
        /// Version of the scoring formula.
        formula: u32,
        /// The score, 0–100.
        score: i64,
        /// Time to diagnose, ms (absent when never diagnosed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ttd_ms: Option<u64>,
        /// Time to mitigate, ms (absent when never fixed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ttm_ms: Option<u64>,
        /// Hints used.
        hints: u32,
        /// `resolved`, `time_limit`, `quit`, … as in `drill_ended`.
        outcome: String,
        /// The breakdown: what added or took points.
        lines: Vec<ScoreLine>,
    },
    /// The sandbox was removed.
    DrillCleanup {
        /// Everything went.
        ok: bool,
        /// What was removed (processes, mounts, directories).
        #[serde(default)]
        removed: Vec<String>,
        /// What could not be removed, and why.
        #[serde(default)]
        errors: Vec<String>,
    },
    /// An event of a type this program does not know (from a newer version).
    /// Never written by this program; the reader keeps it so nothing is dropped.
    #[serde(skip)]
    Unknown {
        /// The `type` field.
        type_name: String,
        /// The whole line.
        raw: String,
    },
}

impl Event {
    /// The `type` tag as written in the journal.
    pub fn type_name(&self) -> &str {
        match self {
            Event::IncidentOpened { .. } => "incident_opened",
            Event::TitleSet { .. } => "title_set",
            Event::StepEntered { .. } => "step_entered",
            Event::StepCompleted { .. } => "step_completed",
            Event::StepSkipped { .. } => "step_skipped",
            Event::ChecklistToggled { .. } => "checklist_toggled",
            Event::QuestionAnswered { .. } => "question_answered",
            Event::ConfirmationAsked { .. } => "confirmation_asked",
            Event::ConfirmationAnswered { .. } => "confirmation_answered",
            Event::CommandStarted { .. } => "command_started",
            Event::CommandOutput { .. } => "command_output",
            Event::CommandOutputOmitted { .. } => "command_output_omitted",
            Event::CommandFinished { .. } => "command_finished",
            Event::CheckStarted { .. } => "check_started",
            Event::CheckFinished { .. } => "check_finished",
            Event::Note { .. } => "note",
            Event::Notification { .. } => "notification",
            Event::BudgetOverrun { .. } => "budget_overrun",
            Event::IncidentResolved { .. } => "incident_resolved",
            Event::SeveritySet { .. } => "severity_set",
            Event::ProblemStarted { .. } => "problem_started",
            Event::PostmortemDrafted { .. } => "postmortem_drafted",
            Event::SessionEnded { .. } => "session_ended",
            Event::SessionResumed { .. } => "session_resumed",
            Event::DrillStarted { .. } => "drill_started",
            Event::DrillFaultInjected { .. } => "drill_fault_injected",
            Event::DrillCheck { .. } => "drill_check",
            Event::DrillHint { .. } => "drill_hint",
            Event::DrillFixed { .. } => "drill_fixed",
            Event::DrillPaused { .. } => "drill_paused",
            Event::DrillResumed { .. } => "drill_resumed",
            Event::DrillEnded { .. } => "drill_ended",
            Event::DrillScored { .. } => "drill_scored",
            Event::DrillCleanup { .. } => "drill_cleanup",
            Event::Unknown { type_name, .. } => type_name,
        }
    }

    /// Every free-text field of the event, for masking secrets before it is
    /// journaled or shown.
    pub fn text_fields_mut(&mut self) -> Vec<&mut String> {
        match self {
            Event::IncidentOpened { title, vars, .. } => {
                let mut v = vec![title];
                v.extend(vars.values_mut());
                v
            }
            Event::TitleSet { title } => vec![title],
            Event::StepSkipped { reason, .. } => vec![reason],
            Event::ConfirmationAsked { command_line, .. } => vec![command_line],
            Event::ConfirmationAnswered { typed, .. } => vec![typed],
            Event::CommandStarted { command_line, .. } => vec![command_line],
            Event::CommandOutput { text, .. } => vec![text],
            Event::CheckStarted { target, .. } => vec![target],
            Event::CheckFinished {
                summary, evidence, ..
            } => vec![summary, evidence],
            Event::Note { text, .. } => vec![text],
            Event::Notification { target, error, .. } => vec![target, error],
            Event::CommandFinished {
                launch_error: Some(why),
                ..
            } => vec![why],
            Event::IncidentResolved { summary } => vec![summary],
            Event::SeveritySet { severity, impact } => vec![severity, impact],
            Event::PostmortemDrafted {
                root_cause,
                helped,
                hurt,
                actions,
            } => {
                let mut v = vec![root_cause, helped, hurt];
                for a in actions.iter_mut() {
                    v.push(&mut a.what);
                    v.push(&mut a.owner);
                }
                v
            }
            Event::SessionEnded {
                reason: EndReason::Error(msg),
            } => vec![msg],
            Event::Unknown { raw, .. } => vec![raw],
            Event::DrillStarted {
                scenario,
                trainee,
                sandbox,
                ..
            } => vec![&mut scenario.title, trainee, sandbox],
            Event::DrillCheck { summary, .. } => vec![summary],
            Event::DrillHint { text, .. } => vec![text],
            Event::DrillPaused { reason } | Event::DrillResumed { reason } => vec![reason],
            Event::DrillEnded { detail, .. } => vec![detail],
            Event::DrillScored { lines, .. } => lines.iter_mut().map(|l| &mut l.what).collect(),
            Event::DrillCleanup {
                removed, errors, ..
            } => removed.iter_mut().chain(errors.iter_mut()).collect(),
            Event::DrillFaultInjected { .. } | Event::DrillFixed { .. } => vec![],
            Event::StepEntered { .. }
            | Event::StepCompleted { .. }
            | Event::ChecklistToggled { .. }
            | Event::QuestionAnswered { .. }
            | Event::CommandOutputOmitted { .. }
            | Event::CommandFinished { .. }
            | Event::BudgetOverrun { .. }
            | Event::ProblemStarted { .. }
            | Event::SessionEnded { .. }
            | Event::SessionResumed { .. } => vec![],
        }
    }
}
