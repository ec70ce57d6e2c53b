//! The incident state: a pure fold over journaled records.
//!
//! `apply` never reads the clock and never does IO; every time it stores comes
//! from a record's timestamp. Figures that depend on "now" (elapsed, budget
//! state) live in `derived.rs` and take `now` from the caller.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use super::event::{EndReason, Event, Mode, Record, RunId, RunbookRef, StepOutline};
use super::run::{Run, RunKind, RunState, lost_marker, omitted_marker};

/// Longest checklist a journal may grow a step to; guards against a corrupt
/// `item` index allocating gigabytes.
const MAX_CHECKLIST_ITEMS: usize = 4096;

/// The whole incident as known from its events.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Unique incident id.
    pub id: String,
    /// Incident title (latest `title_set`, else the opening title).
    pub title: String,
    /// The runbook followed.
    pub runbook: RunbookRef,
    /// Live incident or drill.
    pub mode: Mode,
    /// Host the incident was opened on.
    pub host: String,
    /// Operator who opened it.
    pub user: String,
    /// Program version that opened it.
    pub program_version: String,
    /// The runbook's language as journaled (empty in older journals; see
    /// [`crate::i18n::Lang::of_incident`]).
    pub lang: String,
    /// Journal schema of the opening record.
    pub schema: u32,
    /// When the incident was opened.
    pub opened_at: DateTime<FixedOffset>,
    /// Resolved variables (secrets masked).
    pub vars: BTreeMap<String, String>,
    /// One entry per runbook step, in order.
    pub steps: Vec<StepState>,
    /// Index of the step whose timer runs, if any.
    pub current: Option<usize>,
    /// Every command and check run, by run id.
    pub runs: BTreeMap<RunId, Run>,
    /// Notes in the order written.
    pub notes: Vec<NoteEntry>,
    /// Answers to step questions, by ask id (latest answer wins).
    pub answers: BTreeMap<String, String>,
    /// Typed confirmations asked and answered, in order.
    pub confirmations: Vec<Confirmation>,
    /// Severity (`SEV1`…`SEV4`, empty when not given) and impact.
    pub severity: (String, String),
    /// When the problem started, as the operator gave it.
    pub problem_started: Option<DateTime<FixedOffset>>,
    /// The postmortem draft written at resolve (the latest).
    pub postmortem: Postmortem,
    /// Webhook outcomes, in order.
    pub notifications: Vec<NotificationEntry>,
    /// Budget overruns, in order.
    pub overruns: Vec<Overrun>,
    /// When and how the incident was resolved.
    pub resolved: Option<(DateTime<FixedOffset>, String)>,
    /// Program sessions that ended (the incident may continue).
    pub session_ends: Vec<(DateTime<FixedOffset>, EndReason)>,
    /// Times a program session picked the incident up again.
    pub resumes: Vec<DateTime<FixedOffset>>,
    /// Events of types this program does not know, kept for review.
    pub unknown_events: Vec<UnknownEvent>,
    /// The drill's own events (`drill_*`), in order, for the score fold
    /// (`drill::score`) and the drill views.
    pub drill_events: Vec<Record>,
    /// Timestamp of the last record applied.
    pub last_ts: Option<DateTime<FixedOffset>>,
    /// Sequence number of the last record applied (0 before any).
    pub last_seq: u64,
}

/// A postmortem's words: root cause, what helped and hurt, action items.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Postmortem {
    /// Why it happened.
    #[serde(default)]
    pub root_cause: String,
    /// What helped.
    #[serde(default)]
    pub helped: String,
    /// What hurt.
    #[serde(default)]
    pub hurt: String,
    /// Follow-up work.
    #[serde(default)]
    pub actions: Vec<crate::incident::ActionItem>,
}

impl Postmortem {
    /// Nothing written.
    pub fn is_empty(&self) -> bool {
        self.root_cause.trim().is_empty()
            && self.helped.trim().is_empty()
            && self.hurt.trim().is_empty()
            && self.actions.is_empty()
    }
}

/// The outcome of one webhook notification, as journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationEntry {
    /// Record sequence number.
    pub seq: u64,
    /// The target, masked.
    pub target: String,
    /// What it was about ([`NotificationEntry::SETUP`] for a target left out).
    pub about: String,
    /// Delivered.
    pub ok: bool,
    /// Why not.
    pub error: String,
}

impl NotificationEntry {
    /// `about` of a target left out when the session started (nothing was
    /// sent to it; `error` says why).
    pub const SETUP: &'static str = "setup";

    /// A target left out at the start, not a message sent.
    pub fn is_setup(&self) -> bool {
        self.about == Self::SETUP
    }
}

/// A step's progress.
#[derive(Debug, Clone, PartialEq)]
pub struct StepState {
    /// The step as recorded when the incident opened.
    pub outline: StepOutline,
    /// Pending, active, done or skipped.
    pub status: StepStatus,
    /// Checklist ticks, one per item.
    pub checklist: Vec<bool>,
    /// Periods during which this step's timer ran; the last may still be open.
    pub intervals: Vec<Interval>,
    /// When the step was (last) completed.
    pub completed_at: Option<DateTime<FixedOffset>>,
    /// A `budget_overrun` has been journaled for this step.
    pub overrun_recorded: bool,
}

/// A period during which a step was the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// When the step was entered.
    pub start: DateTime<FixedOffset>,
    /// When it stopped being current; `None` while it still is.
    pub end: Option<DateTime<FixedOffset>>,
}

/// Where a step stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepStatus {
    /// Not started.
    Pending,
    /// Started and not finished.
    Active,
    /// Completed.
    Done,
    /// Skipped, with the operator's reason.
    Skipped {
        /// Why it was skipped.
        reason: String,
    },
}

/// A note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEntry {
    /// Record sequence number.
    pub seq: u64,
    /// When written.
    pub ts: DateTime<FixedOffset>,
    /// Step it belongs to.
    pub step: Option<String>,
    /// The text.
    pub text: String,
    /// A status update sent to the notification targets (`u`).
    pub update: bool,
}

/// A typed-confirmation dialog and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    /// When asked.
    pub asked_at: DateTime<FixedOffset>,
    /// Step id.
    pub step: String,
    /// Command id.
    pub command: String,
    /// The command line shown (masked).
    pub command_line: String,
    /// What had to be typed.
    pub expected: String,
    /// Why it was considered dangerous.
    pub reason: String,
    /// `(when, accepted, typed)` once answered.
    pub answer: Option<(DateTime<FixedOffset>, bool, String)>,
}

/// A step passing its budget limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overrun {
    /// When noticed.
    pub ts: DateTime<FixedOffset>,
    /// Step id.
    pub step: String,
    /// The limit, milliseconds.
    pub limit_ms: u64,
    /// Time spent when noticed, milliseconds.
    pub elapsed_ms: u64,
}

/// An event this program does not understand, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEvent {
    /// Record sequence number.
    pub seq: u64,
    /// Record timestamp.
    pub ts: DateTime<FixedOffset>,
    /// Its `type`.
    pub type_name: String,
    /// The whole journal line.
    pub raw: String,
}

impl Default for Incident {
    fn default() -> Self {
        Incident {
            id: String::new(),
            title: String::new(),
            runbook: RunbookRef {
                id: String::new(),
                title: String::new(),
                path: String::new(),
                sha256: String::new(),
            },
            mode: Mode::Live,
            host: String::new(),
            user: String::new(),
            program_version: String::new(),
            lang: String::new(),
            schema: 0,
            opened_at: DateTime::UNIX_EPOCH.fixed_offset(),
            vars: BTreeMap::new(),
            steps: Vec::new(),
            current: None,
            runs: BTreeMap::new(),
            notes: Vec::new(),
            answers: BTreeMap::new(),
            confirmations: Vec::new(),
            severity: (String::new(), String::new()),
            problem_started: None,
            postmortem: Postmortem::default(),
            notifications: Vec::new(),
            overruns: Vec::new(),
            resolved: None,
            session_ends: Vec::new(),
            resumes: Vec::new(),
            unknown_events: Vec::new(),
            drill_events: Vec::new(),
            last_ts: None,
            last_seq: 0,
        }
    }
}

impl Incident {
    /// Folds records, in order, into an incident.
    pub fn fold<'a>(recs: impl IntoIterator<Item = &'a Record>) -> Incident {
        let mut incident = Incident::default();
        for rec in recs {
            incident.apply(rec);
        }
        incident
    }

    /// Folds records like [`Incident::fold`], calling `seen` after each one
    /// with the state it produced: views that need "where were we when this
    /// happened" (the report's timeline) read it from the fold itself.
    pub fn fold_with<'a>(
        recs: impl IntoIterator<Item = &'a Record>,
        mut seen: impl FnMut(&Incident, &'a Record),
    ) -> Incident {
        let mut incident = Incident::default();
        for rec in recs {
            incident.apply(rec);
            seen(&incident, rec);
        }
        incident
    }

    /// The id of the step whose timer runs, if any.
    pub fn current_step_id(&self) -> Option<&str> {
        self.current
            .and_then(|i| self.steps.get(i))
            .map(|s| s.outline.id.as_str())
    }

    /// Index of the step with this id.
    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.outline.id == id)
    }

    /// Applies one record. Pure and total: records that do not fit (a run id
    /// never started, a step id not in the outline) are ignored rather than
    /// fatal, because a damaged journal must still be reviewable.
    pub fn apply(&mut self, rec: &Record) {
        let ts = rec.ts;
        self.last_ts = Some(ts);
        self.last_seq = rec.seq;
        match &rec.event {
            Event::IncidentOpened {
                schema,
                incident_id,
                title,
                runbook,
                steps,
                vars,
                host,
                user,
                mode,
                program_version,
                lang,
            } => {
                self.lang = lang.clone();
                self.schema = *schema;
                self.id = incident_id.clone();
                self.title = title.clone();
                self.runbook = runbook.clone();
                self.vars = vars.clone();
                self.host = host.clone();
                self.user = user.clone();
                self.mode = *mode;
                self.program_version = program_version.clone();
                self.opened_at = ts;
                self.steps = steps.iter().map(StepState::new).collect();
                self.current = None;
            }
            Event::TitleSet { title } => self.title = title.clone(),
            Event::StepEntered { step } => self.enter_step(step, ts),
            Event::StepCompleted { step } => {
                if let Some(i) = self.stop_step(step, ts) {
                    self.steps[i].status = StepStatus::Done;
                    self.steps[i].completed_at = Some(ts);
                }
            }
            Event::StepSkipped { step, reason } => {
                if let Some(i) = self.stop_step(step, ts) {
                    self.steps[i].status = StepStatus::Skipped {
                        reason: reason.clone(),
                    };
                }
            }
            Event::ChecklistToggled {
                step,
                item,
                checked,
                ..
            } => {
                if let Some(i) = self.step_index(step) {
                    let list = &mut self.steps[i].checklist;
                    if *item < MAX_CHECKLIST_ITEMS {
                        if *item >= list.len() {
                            list.resize(item + 1, false);
                        }
                        list[*item] = *checked;
                    }
                }
            }
            Event::QuestionAnswered { ask, answer, .. } => {
                self.answers.insert(ask.clone(), answer.clone());
            }
            Event::ConfirmationAsked {
                step,
                command,
                command_line,
                expected,
                reason,
            } => self.confirmations.push(Confirmation {
                asked_at: ts,
                step: step.clone(),
                command: command.clone(),
                command_line: command_line.clone(),
                expected: expected.clone(),
                reason: reason.clone(),
                answer: None,
            }),
            Event::ConfirmationAnswered {
                step,
                command,
                accepted,
                typed,
            } => {
                let open = self
                    .confirmations
                    .iter_mut()
                    .rev()
                    .find(|c| c.answer.is_none() && &c.step == step && &c.command == command);
                if let Some(c) = open {
                    c.answer = Some((ts, *accepted, typed.clone()));
                }
            }
            Event::CommandStarted {
                run,
                step,
                command,
                command_line,
                pid,
            } => {
                let mut r = Run::started(*run, step, command, RunKind::Command, ts);
                r.command_line_or_target = command_line.clone();
                r.pid = *pid;
                self.runs.insert(*run, r);
            }
            Event::CommandOutput { run, text, .. } => {
                if let Some(r) = self.runs.get_mut(run) {
                    r.output.push_str(text);
                }
            }
            Event::CommandOutputOmitted { run, bytes, lost } => {
                if let Some(r) = self.runs.get_mut(run) {
                    if !r.output.is_empty() && !r.output.ends_with('\n') {
                        r.output.push('\n');
                    }
                    r.output.push_str(&if *lost {
                        lost_marker(*bytes)
                    } else {
                        omitted_marker(*bytes)
                    });
                    r.output.push('\n');
                }
            }
            Event::CommandFinished {
                run,
                exit_code,
                signal,
                timed_out,
                cancelled,
                duration_ms,
                bytes,
                truncated,
                launch_error,
            } => {
                if let Some(r) = self.runs.get_mut(run) {
                    r.state = if let Some(why) = launch_error {
                        r.summary = why.clone();
                        RunState::LaunchFailed
                    } else if *timed_out {
                        RunState::TimedOut
                    } else if *cancelled {
                        RunState::Cancelled
                    } else if let Some(s) = signal {
                        RunState::Signaled(*s)
                    } else if let Some(c) = exit_code {
                        RunState::Exited(*c)
                    } else {
                        RunState::Interrupted
                    };
                    r.finished_at = Some(ts);
                    r.duration_ms = Some(*duration_ms);
                    r.bytes = *bytes;
                    r.truncated = *truncated;
                }
            }
            Event::CheckStarted {
                run,
                step,
                check,
                kind,
                target,
            } => {
                let mut r = Run::started(*run, step, check, RunKind::Check, ts);
                r.check_kind = kind.clone();
                r.command_line_or_target = target.clone();
                self.runs.insert(*run, r);
            }
            Event::CheckFinished {
                run,
                status,
                summary,
                evidence,
                duration_ms,
            } => {
                if let Some(r) = self.runs.get_mut(run) {
                    r.state = RunState::Check(*status);
                    r.summary = summary.clone();
                    r.evidence = evidence.clone();
                    r.duration_ms = Some(*duration_ms);
                    r.finished_at = Some(ts);
                }
            }
            Event::SeveritySet { severity, impact } => {
                self.severity = (severity.clone(), impact.clone());
            }
            Event::ProblemStarted { at } => self.problem_started = Some(*at),
            Event::PostmortemDrafted {
                root_cause,
                helped,
                hurt,
                actions,
            } => {
                self.postmortem = Postmortem {
                    root_cause: root_cause.clone(),
                    helped: helped.clone(),
                    hurt: hurt.clone(),
                    actions: actions.clone(),
                };
            }
            Event::Notification {
                target,
                about,
                ok,
                error,
                ..
            } => self.notifications.push(NotificationEntry {
                seq: rec.seq,
                target: target.clone(),
                about: about.clone(),
                ok: *ok,
                error: error.clone(),
            }),
            Event::Note { step, text, update } => self.notes.push(NoteEntry {
                seq: rec.seq,
                ts,
                step: step.clone(),
                text: text.clone(),
                update: *update,
            }),
            Event::BudgetOverrun {
                step,
                limit_ms,
                elapsed_ms,
            } => {
                if let Some(i) = self.step_index(step) {
                    self.steps[i].overrun_recorded = true;
                }
                self.overruns.push(Overrun {
                    ts,
                    step: step.clone(),
                    limit_ms: *limit_ms,
                    elapsed_ms: *elapsed_ms,
                });
            }
            Event::IncidentResolved { summary } => {
                self.resolved = Some((ts, summary.clone()));
            }
            Event::SessionEnded { reason } => self.session_ends.push((ts, reason.clone())),
            Event::SessionResumed { .. } => {
                self.resumes.push(ts);
                // Whatever was running died with the previous program.
                for r in self.runs.values_mut() {
                    if r.state == RunState::Running {
                        r.state = RunState::Interrupted;
                        r.finished_at = Some(ts);
                    }
                }
            }
            Event::DrillStarted { .. }
            | Event::DrillFaultInjected { .. }
            | Event::DrillCheck { .. }
            | Event::DrillHint { .. }
            | Event::DrillFixed { .. }
            | Event::DrillPaused { .. }
            | Event::DrillResumed { .. }
            | Event::DrillEnded { .. }
            | Event::DrillScored { .. }
            | Event::DrillCleanup { .. } => self.drill_events.push(rec.clone()),
            Event::Unknown { type_name, raw } => self.unknown_events.push(UnknownEvent {
                seq: rec.seq,
                ts,
                type_name: type_name.clone(),
                raw: raw.clone(),
            }),
        }
    }

    fn enter_step(&mut self, step: &str, ts: DateTime<FixedOffset>) {
        let Some(i) = self.step_index(step) else {
            return;
        };
        if self.current == Some(i) {
            return;
        }
        if let Some(prev) = self.current {
            self.steps[prev].close_interval(ts);
            // Leaving a step without finishing it keeps it active (in progress).
        }
        let s = &mut self.steps[i];
        s.status = StepStatus::Active;
        s.intervals.push(Interval {
            start: ts,
            end: None,
        });
        self.current = Some(i);
    }

    /// Stops the step's timer; returns its index.
    fn stop_step(&mut self, step: &str, ts: DateTime<FixedOffset>) -> Option<usize> {
        let i = self.step_index(step)?;
        self.steps[i].close_interval(ts);
        if self.current == Some(i) {
            self.current = None;
        }
        Some(i)
    }
}

impl StepState {
    fn new(outline: &StepOutline) -> StepState {
        StepState {
            outline: outline.clone(),
            status: StepStatus::Pending,
            checklist: vec![false; outline.checklist.len()],
            intervals: Vec::new(),
            completed_at: None,
            overrun_recorded: false,
        }
    }

    fn close_interval(&mut self, ts: DateTime<FixedOffset>) {
        if let Some(last) = self.intervals.last_mut()
            && last.end.is_none()
        {
            last.end = Some(ts);
        }
    }
}
