//! The timeline: one entry per thing that happened, in journal order, with
//! the step it happened in. Output chunks are not entries (they belong to
//! their run); everything else is, including events this program does not know.
//! Entries are built as the records are folded, so the step an entry belongs
//! to is the fold's (the incident state), never a second tracking of its own.

use chrono::{DateTime, FixedOffset};

use crate::incident::{CheckStatus, EndReason, Event, Incident, Record, RunId};

use super::text::ms;

/// What kind of thing happened (review filters on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// Incident opened, titled or resolved.
    Incident,
    /// A step entered, completed or skipped.
    Step,
    /// A command started or finished.
    Command,
    /// A check started or finished.
    Check,
    /// A question answered.
    Answer,
    /// A checklist item ticked or unticked.
    Checklist,
    /// A typed confirmation asked or answered.
    Confirmation,
    /// A note.
    Note,
    /// A budget overrun.
    Overrun,
    /// A program session ended or resumed.
    Session,
    /// A drill's own event (fault, check transition, hint, fixed, end, score).
    Drill,
    /// A webhook notification sent, failed, or a target left out.
    Notify,
    /// An event of a type this program does not know.
    Unknown,
}

impl EntryKind {
    /// True for the operator's decisions (answers, confirmations, skips, resolution).
    pub fn is_decision(self) -> bool {
        matches!(self, EntryKind::Answer | EntryKind::Confirmation)
    }
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Journal sequence number.
    pub seq: u64,
    /// When.
    pub ts: DateTime<FixedOffset>,
    /// The step it happened in (explicit, else the current one).
    pub step: Option<String>,
    /// What kind of thing.
    pub kind: EntryKind,
    /// What happened, one line.
    pub text: String,
    /// The command or check run it concerns.
    pub run: Option<RunId>,
    /// A check that did not pass (failed or errored).
    pub failed: bool,
}

/// Folds the records and builds the timeline in the same pass: each entry's
/// step is the one its event names, else the step the fold has current once
/// the event is applied; a finished run's step and item are the fold's run.
pub fn fold(records: &[Record]) -> (Incident, Vec<Entry>) {
    let mut out = Vec::new();
    let incident = Incident::fold_with(records, |inc, rec| {
        if let Some(e) = entry(inc, rec) {
            out.push(e);
        }
    });
    (incident, out)
}

/// The timeline of records in journal order (see [`fold`]).
pub fn build(records: &[Record]) -> Vec<Entry> {
    fold(records).1
}

/// The entry for `rec`, read against `inc`, the fold just after `rec`
/// was applied; `None` for output chunks (they belong to their run).
pub fn entry(inc: &Incident, rec: &Record) -> Option<Entry> {
    let current = || inc.current_step_id().map(str::to_string);
    let run_of = |run: &RunId| {
        inc.runs
            .get(run)
            .map(|r| {
                (
                    Some(r.step.clone()).filter(|s| !s.is_empty()),
                    r.item.as_str(),
                )
            })
            .unwrap_or((None, ""))
    };
    let (step, kind, text, run, failed) = match &rec.event {
        Event::IncidentOpened { title, .. } => {
            let t = if title.is_empty() {
                String::new()
            } else {
                format!(": {title}")
            };
            (
                None,
                EntryKind::Incident,
                format!("incident opened{t}"),
                None,
                false,
            )
        }
        Event::TitleSet { title } => (
            current(),
            EntryKind::Incident,
            format!("title set: {title}"),
            None,
            false,
        ),
        Event::StepEntered { step } => (
            Some(step.clone()),
            EntryKind::Step,
            "step entered".into(),
            None,
            false,
        ),
        Event::StepCompleted { step } => (
            Some(step.clone()),
            EntryKind::Step,
            "step completed".into(),
            None,
            false,
        ),
        Event::StepSkipped { step, reason } => (
            Some(step.clone()),
            EntryKind::Step,
            format!("step skipped: {reason}"),
            None,
            false,
        ),
        Event::ChecklistToggled {
            step,
            text,
            checked,
            ..
        } => {
            let mark = if *checked { "ticked" } else { "unticked" };
            (
                Some(step.clone()),
                EntryKind::Checklist,
                format!("{mark}: {text}"),
                None,
                false,
            )
        }
        Event::QuestionAnswered { step, ask, answer } => (
            Some(step.clone()),
            EntryKind::Answer,
            format!("answered {ask}: {answer}"),
            None,
            false,
        ),
        Event::ConfirmationAsked {
            step,
            command,
            command_line,
            ..
        } => (
            Some(step.clone()),
            EntryKind::Confirmation,
            format!("confirmation asked for {command}: {command_line}"),
            None,
            false,
        ),
        Event::ConfirmationAnswered {
            step,
            command,
            accepted,
            ..
        } => {
            let verdict = if *accepted { "accepted" } else { "declined" };
            (
                Some(step.clone()),
                EntryKind::Confirmation,
                format!("confirmation {verdict} for {command}"),
                None,
                false,
            )
        }
        Event::CommandStarted {
            run,
            step,
            command,
            command_line,
            ..
        } => (
            Some(step.clone()),
            EntryKind::Command,
            format!("ran {command}: {command_line}"),
            Some(*run),
            false,
        ),
        Event::CommandOutput { .. } | Event::CommandOutputOmitted { .. } => return None,
        Event::CommandFinished {
            run,
            exit_code,
            signal,
            timed_out,
            cancelled,
            duration_ms,
            launch_error,
            ..
        } => {
            let (step, item) = run_of(run);
            let how = if *timed_out {
                "timed out".to_string()
            } else if *cancelled {
                "cancelled".to_string()
            } else if let Some(s) = signal {
                format!("killed by signal {s}")
            } else if let Some(c) = exit_code {
                format!("exited {c}")
            } else {
                "ended".to_string()
            };
            let text = match launch_error {
                Some(why) => format!("{item} could not start: {why}"),
                None => format!("{item} {how} after {}", ms(*duration_ms)),
            };
            let failed = exit_code.is_none_or(|c| c != 0);
            (step, EntryKind::Command, text, Some(*run), failed)
        }
        Event::CheckStarted {
            run,
            step,
            check,
            kind,
            target,
        } => (
            Some(step.clone()),
            EntryKind::Check,
            format!("check {check} ({kind} {target})"),
            Some(*run),
            false,
        ),
        Event::CheckFinished {
            run,
            status,
            summary,
            ..
        } => {
            let (step, item) = run_of(run);
            let failed = matches!(status, CheckStatus::Fail | CheckStatus::Error);
            let text = format!("check {item}: {} — {summary}", status_word(*status));
            (step, EntryKind::Check, text, Some(*run), failed)
        }
        Event::Note { step, text, update } => (
            step.clone().or_else(current),
            EntryKind::Note,
            if *update {
                format!("status update: {text}")
            } else {
                format!("note: {text}")
            },
            None,
            false,
        ),
        Event::BudgetOverrun {
            step,
            limit_ms,
            elapsed_ms,
        } => (
            Some(step.clone()),
            EntryKind::Overrun,
            format!(
                "over budget: {} spent, limit {}",
                ms(*elapsed_ms),
                ms(*limit_ms)
            ),
            None,
            false,
        ),
        Event::Notification {
            target,
            about,
            ok,
            status,
            error,
            attempts,
            ..
        } => {
            let tries = match attempts {
                0 => String::new(),
                1 => "1 try".to_string(),
                n => format!("{n} tries"),
            };
            let text = if about == "setup" {
                format!("webhook not used: {error}")
            } else if *ok {
                let code = status.map(|s| format!("HTTP {s}, ")).unwrap_or_default();
                format!("webhook sent: {about} → {target} ({code}{tries})")
            } else if tries.is_empty() {
                format!("webhook failed: {about} → {target}: {error}")
            } else {
                format!("webhook failed: {about} → {target}: {error} ({tries})")
            };
            (current(), EntryKind::Notify, text, None, !*ok)
        }
        Event::SeveritySet { severity, impact } => {
            let sev = if severity.is_empty() {
                "no severity"
            } else {
                severity.as_str()
            };
            let text = if impact.is_empty() {
                format!("severity: {sev}")
            } else {
                format!("severity: {sev} — impact: {impact}")
            };
            (current(), EntryKind::Incident, text, None, false)
        }
        Event::ProblemStarted { at } => (
            current(),
            EntryKind::Incident,
            format!(
                "problem started at {} (as the operator gave it)",
                super::text::utc_datetime(*at)
            ),
            None,
            false,
        ),
        Event::PostmortemDrafted {
            root_cause,
            actions,
            ..
        } => {
            let cause = if root_cause.is_empty() {
                String::new()
            } else {
                format!(": {root_cause}")
            };
            (
                current(),
                EntryKind::Incident,
                format!("postmortem draft{cause} ({} action item(s))", actions.len()),
                None,
                false,
            )
        }
        Event::IncidentResolved { summary } => (
            current(),
            EntryKind::Incident,
            format!("incident resolved: {summary}"),
            None,
            false,
        ),
        Event::SessionEnded { reason } => {
            let why = end_reason_text(reason);
            (
                current(),
                EntryKind::Session,
                format!("session ended ({why})"),
                None,
                false,
            )
        }
        Event::SessionResumed { host, user, .. } => (
            current(),
            EntryKind::Session,
            format!("session resumed by {user}@{host}"),
            None,
            false,
        ),
        Event::DrillStarted { .. }
        | Event::DrillFaultInjected { .. }
        | Event::DrillCheck { .. }
        | Event::DrillHint { .. }
        | Event::DrillFixed { .. }
        | Event::DrillPaused { .. }
        | Event::DrillResumed { .. }
        | Event::DrillEnded { .. }
        | Event::DrillScored { .. }
        | Event::DrillCleanup { .. } => {
            let failed = matches!(
                &rec.event,
                Event::DrillCleanup { ok: false, .. }
                    | Event::DrillCheck {
                        outcome: CheckStatus::Fail | CheckStatus::Error,
                        ..
                    }
            );
            (
                current(),
                EntryKind::Drill,
                drill_text(&rec.event),
                None,
                failed,
            )
        }
        Event::Unknown { type_name, .. } => (
            current(),
            EntryKind::Unknown,
            format!("unknown event `{type_name}`"),
            None,
            false,
        ),
    };
    Some(Entry {
        seq: rec.seq,
        ts: rec.ts,
        step,
        kind,
        text,
        run,
        failed,
    })
}

/// One line for a `drill_*` event.
fn drill_text(ev: &Event) -> String {
    match ev {
        Event::DrillStarted {
            scenario, trainee, ..
        } => format!(
            "drill started: {} ({}), trainee {trainee}",
            scenario.title, scenario.id
        ),
        Event::DrillFaultInjected { fault, by, .. } => {
            format!("fault injected: {fault} (by {})", actor(*by))
        }
        Event::DrillCheck {
            id,
            outcome,
            summary,
        } => format!("drill check {id}: {} — {summary}", status_word(*outcome)),
        Event::DrillHint {
            index, text, cost, ..
        } => format!("hint {} (−{cost}): {text}", index + 1),
        Event::DrillFixed {
            fixed_by_restart, ..
        } => {
            if *fixed_by_restart {
                "service restored (drill; fixed by a restart)".to_string()
            } else {
                "service restored (drill)".to_string()
            }
        }
        Event::DrillPaused { reason } => format!("drill paused: {reason}"),
        Event::DrillResumed { reason } => format!("drill resumed: {reason}"),
        Event::DrillEnded { reason, detail } if detail.is_empty() => {
            format!("drill ended: {}", reason.as_str())
        }
        Event::DrillEnded { reason, detail } => {
            format!("drill ended: {} — {detail}", reason.as_str())
        }
        Event::DrillScored { score, outcome, .. } => {
            format!("drill scored: {score}/100 ({outcome})")
        }
        Event::DrillCleanup { ok: true, .. } => "sandbox removed".to_string(),
        Event::DrillCleanup { errors, .. } => {
            format!("sandbox cleanup incomplete: {}", errors.join("; "))
        }
        other => other.type_name().to_string(),
    }
}

fn actor(a: crate::incident::DrillActor) -> &'static str {
    match a {
        crate::incident::DrillActor::Scenario => "scenario",
        crate::incident::DrillActor::Trainee => "trainee",
        crate::incident::DrillActor::Trainer => "trainer",
    }
}

/// `PASS`, `WARN`, `FAIL`, `ERROR`.
pub fn status_word(s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Pass => "PASS",
        CheckStatus::Warn => "WARN",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Error => "ERROR",
    }
}

/// Why a session ended, in a few words (`operator quit`, `signal SIGTERM`).
pub fn end_reason_text(reason: &EndReason) -> String {
    match reason {
        EndReason::Quit => "operator quit".to_string(),
        EndReason::Signal(s) => format!("signal {s}"),
        EndReason::Error(e) => format!("error: {e}"),
        EndReason::Finished => "finished".to_string(),
    }
}
