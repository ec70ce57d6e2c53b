//! The timeline: one entry per thing that happened, in journal order, with
//! the step it happened in. Output chunks are not entries (they belong to
//! their run); everything else is, including events this program does not know.
//! Entries are built as the records are folded, so the step an entry belongs
//! to is the fold's (the incident state), never a second tracking of its own.

use chrono::{DateTime, FixedOffset};

use crate::i18n::{Lang, tr, trf};
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
    let lang = Lang::of_incident(inc);
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
            let text = if title.is_empty() {
                tr(lang, "incident opened").to_string()
            } else {
                trf(lang, "incident opened: {}", &[title])
            };
            (None, EntryKind::Incident, text, None, false)
        }
        Event::TitleSet { title } => (
            current(),
            EntryKind::Incident,
            trf(lang, "title set: {}", &[title]),
            None,
            false,
        ),
        Event::StepEntered { step } => (
            Some(step.clone()),
            EntryKind::Step,
            tr(lang, "step entered").into(),
            None,
            false,
        ),
        Event::StepCompleted { step } => (
            Some(step.clone()),
            EntryKind::Step,
            tr(lang, "step completed").into(),
            None,
            false,
        ),
        Event::StepSkipped { step, reason } => (
            Some(step.clone()),
            EntryKind::Step,
            trf(lang, "step skipped: {}", &[reason]),
            None,
            false,
        ),
        Event::ChecklistToggled {
            step,
            text,
            checked,
            ..
        } => {
            let text = if *checked {
                trf(lang, "ticked: {}", &[text])
            } else {
                trf(lang, "unticked: {}", &[text])
            };
            (Some(step.clone()), EntryKind::Checklist, text, None, false)
        }
        Event::QuestionAnswered { step, ask, answer } => (
            Some(step.clone()),
            EntryKind::Answer,
            trf(lang, "answered {}: {}", &[ask, answer]),
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
            trf(
                lang,
                "confirmation asked for {}: {}",
                &[command, command_line],
            ),
            None,
            false,
        ),
        Event::ConfirmationAnswered {
            step,
            command,
            accepted,
            ..
        } => {
            let text = if *accepted {
                trf(lang, "confirmation accepted for {}", &[command])
            } else {
                trf(lang, "confirmation declined for {}", &[command])
            };
            (
                Some(step.clone()),
                EntryKind::Confirmation,
                text,
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
            trf(lang, "ran {}: {}", &[command, command_line]),
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
            let took = ms(*duration_ms);
            let text = match launch_error {
                Some(why) => trf(lang, "{} could not start: {}", &[&item, why]),
                None if *timed_out => trf(lang, "{} timed out after {}", &[&item, &took]),
                None if *cancelled => trf(lang, "{} cancelled after {}", &[&item, &took]),
                None => match (signal, exit_code) {
                    (Some(s), _) => {
                        trf(lang, "{} killed by signal {} after {}", &[&item, s, &took])
                    }
                    (None, Some(c)) => trf(lang, "{} exited {} after {}", &[&item, c, &took]),
                    (None, None) => trf(lang, "{} ended after {}", &[&item, &took]),
                },
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
            trf(lang, "check {} ({} {})", &[check, kind, target]),
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
            let text = trf(
                lang,
                "check {}: {} — {}",
                &[&item, &status_word(lang, *status), summary],
            );
            (step, EntryKind::Check, text, Some(*run), failed)
        }
        Event::Note { step, text, update } => (
            step.clone().or_else(current),
            EntryKind::Note,
            if *update {
                trf(lang, "status update: {}", &[text])
            } else {
                trf(lang, "note: {}", &[text])
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
            trf(
                lang,
                "over budget: {} spent, limit {}",
                &[&ms(*elapsed_ms), &ms(*limit_ms)],
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
                1 => tr(lang, "1 try").to_string(),
                n => trf(lang, "{} tries", &[n]),
            };
            let text = if about == crate::incident::NotificationEntry::SETUP {
                trf(lang, "set-up problem: {}", &[error])
            } else if *ok {
                let code = status.map(|s| format!("HTTP {s}, ")).unwrap_or_default();
                trf(
                    lang,
                    "webhook sent: {} → {} ({}{})",
                    &[about, target, &code, &tries],
                )
            } else if tries.is_empty() {
                trf(lang, "webhook failed: {} → {}: {}", &[about, target, error])
            } else {
                trf(
                    lang,
                    "webhook failed: {} → {}: {} ({})",
                    &[about, target, error, &tries],
                )
            };
            (current(), EntryKind::Notify, text, None, !*ok)
        }
        Event::SeveritySet { severity, impact } => {
            let sev = if severity.is_empty() {
                tr(lang, "no severity")
            } else {
                severity.as_str()
            };
            let text = if impact.is_empty() {
                trf(lang, "severity: {}", &[&sev])
            } else {
                trf(lang, "severity: {} — impact: {}", &[&sev, impact])
            };
            (current(), EntryKind::Incident, text, None, false)
        }
        Event::ProblemStarted { at } => (
            current(),
            EntryKind::Incident,
            trf(
                lang,
                "problem started at {} (as the operator gave it)",
                &[&super::text::utc_datetime(*at)],
            ),
            None,
            false,
        ),
        Event::PostmortemDrafted {
            root_cause,
            actions,
            ..
        } => {
            let text = if root_cause.is_empty() {
                trf(
                    lang,
                    "postmortem draft ({} action item(s))",
                    &[&actions.len()],
                )
            } else {
                trf(
                    lang,
                    "postmortem draft: {} ({} action item(s))",
                    &[root_cause, &actions.len()],
                )
            };
            (current(), EntryKind::Incident, text, None, false)
        }
        Event::IncidentResolved { summary } => (
            current(),
            EntryKind::Incident,
            trf(lang, "incident resolved: {}", &[summary]),
            None,
            false,
        ),
        Event::SessionEnded { reason } => {
            let why = end_reason_text(lang, reason);
            (
                current(),
                EntryKind::Session,
                trf(lang, "session ended ({})", &[&why]),
                None,
                false,
            )
        }
        Event::SessionResumed { host, user, .. } => (
            current(),
            EntryKind::Session,
            trf(lang, "session resumed by {}@{}", &[user, host]),
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
                drill_text(lang, &rec.event),
                None,
                failed,
            )
        }
        Event::Unknown { type_name, .. } => (
            current(),
            EntryKind::Unknown,
            trf(lang, "unknown event `{}`", &[type_name]),
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
fn drill_text(lang: Lang, ev: &Event) -> String {
    match ev {
        Event::DrillStarted {
            scenario, trainee, ..
        } => trf(
            lang,
            "drill started: {} ({}), trainee {}",
            &[&scenario.title, &scenario.id, trainee],
        ),
        Event::DrillFaultInjected { fault, by, .. } => trf(
            lang,
            "fault injected: {} (by {})",
            &[fault, &actor(lang, *by)],
        ),
        Event::DrillCheck {
            id,
            outcome,
            summary,
        } => trf(
            lang,
            "drill check {}: {} — {}",
            &[id, &status_word(lang, *outcome), summary],
        ),
        Event::DrillHint {
            index, text, cost, ..
        } => trf(lang, "hint {} (−{}): {}", &[&(index + 1), cost, text]),
        Event::DrillFixed {
            fixed_by_restart, ..
        } => {
            if *fixed_by_restart {
                tr(lang, "service restored (drill; fixed by a restart)").to_string()
            } else {
                tr(lang, "service restored (drill)").to_string()
            }
        }
        Event::DrillPaused { reason } => trf(lang, "drill paused: {}", &[reason]),
        Event::DrillResumed { reason } => trf(lang, "drill resumed: {}", &[reason]),
        Event::DrillEnded { reason, detail } if detail.is_empty() => {
            trf(lang, "drill ended: {}", &[&reason.as_str()])
        }
        Event::DrillEnded { reason, detail } => {
            trf(lang, "drill ended: {} — {}", &[&reason.as_str(), detail])
        }
        Event::DrillScored { score, outcome, .. } => {
            trf(lang, "drill scored: {}/100 ({})", &[score, outcome])
        }
        Event::DrillCleanup { ok: true, .. } => tr(lang, "sandbox removed").to_string(),
        Event::DrillCleanup { errors, .. } => trf(
            lang,
            "sandbox cleanup incomplete: {}",
            &[&errors.join("; ")],
        ),
        other => other.type_name().to_string(),
    }
}

fn actor(lang: Lang, a: crate::incident::DrillActor) -> &'static str {
    match a {
        crate::incident::DrillActor::Scenario => tr(lang, "scenario"),
        crate::incident::DrillActor::Trainee => tr(lang, "trainee"),
        crate::incident::DrillActor::Trainer => tr(lang, "trainer"),
    }
}

/// `PASS`, `WARN`, `FAIL`, `ERROR` (in Chinese: 通过, 警告, 失败, 出错).
pub fn status_word(lang: Lang, s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Pass => tr(lang, "PASS"),
        CheckStatus::Warn => tr(lang, "WARN"),
        CheckStatus::Fail => tr(lang, "FAIL"),
        CheckStatus::Error => tr(lang, "ERROR"),
    }
}

/// Why a session ended, in a few words (`operator quit`, `signal SIGTERM`).
pub fn end_reason_text(lang: Lang, reason: &EndReason) -> String {
    match reason {
        EndReason::Quit => tr(lang, "operator quit").to_string(),
        EndReason::Signal(s) => trf(lang, "signal {}", &[s]),
        EndReason::Error(e) => trf(lang, "error: {}", &[e]),
        EndReason::Finished => tr(lang, "finished").to_string(),
    }
}
