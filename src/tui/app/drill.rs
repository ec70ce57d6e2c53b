//! The live screen in drill mode: the brief first, hints on `h` (each costs
//! points), the countdown to the scenario's time limit, and what the
//! background workers report (the fix detector, the production broker's
//! health). Everything that matters is journaled; the screen derives what
//! it shows (hints taken, fixed, paused) from the fold, so `resume`,
//! `review` and `report` tell the same story.

use chrono::{DateTime, FixedOffset};

use crate::drill::run::{Detected, fixed_event};
use crate::i18n::{tr, trf};
use crate::incident::{DrillActor, Event, Incident};
use crate::tui::app::{App, Effect, Overlay};

/// What the drill screen knows of its scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillView {
    /// The scenario's title (header).
    pub title: String,
    /// The trainee's page, shown first and again from the hints overlay.
    pub brief: String,
    /// Hints in order: text and cost in points.
    pub hints: Vec<(String, u32)>,
    /// When the last fault went in (the clocks start there).
    pub injected_at: DateTime<FixedOffset>,
    /// The drill ends unresolved at this time.
    pub deadline: DateTime<FixedOffset>,
    /// Set once the time limit ended the screen.
    pub time_up: bool,
    /// Set once the trainer ended the drill.
    pub ended_by_trainer: bool,
    /// The scenario's `at: trainer` faults, ready to run.
    pub trainer_faults: Vec<TrainerFault>,
}

/// An escalation fault the trainer may inject, rendered for the sandbox.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainerFault {
    /// Its id.
    pub id: String,
    /// The command line, values filled in.
    pub line: String,
    /// The same with secrets masked (journaled).
    pub masked: String,
    /// Its node's sandbox environment.
    pub env: Vec<(String, String)>,
    /// Its timeout.
    pub timeout: std::time::Duration,
}

/// News from a drill's background workers.
#[derive(Debug, Clone, PartialEq)]
pub enum DrillNews {
    /// The fix detector saw something.
    Detected(Detected),
    /// The production broker stopped being what it was at the start (why).
    Paused(String),
    /// It is back.
    Resumed(String),
    /// A request of the trainer (control file).
    Trainer(crate::drill::control::Request),
    /// Something wrong with the control file, to report.
    ControlProblem(String),
}

impl DrillView {
    /// Time left before the time limit (0 once it passed); the clock stands
    /// still while the drill is paused.
    pub fn left(&self, inc: &Incident, now: DateTime<FixedOffset>) -> std::time::Duration {
        (self.deadline + paused_for(inc, now) - now)
            .to_std()
            .unwrap_or_default()
    }
}

/// How long the drill has been paused in all (a pause still open counts up
/// to `now`).
pub fn paused_for(inc: &Incident, now: DateTime<FixedOffset>) -> chrono::Duration {
    let mut total = chrono::Duration::zero();
    let mut since = None;
    for r in &inc.drill_events {
        match &r.event {
            Event::DrillPaused { .. } if since.is_none() => since = Some(r.ts),
            Event::DrillResumed { .. } => {
                if let Some(s) = since.take() {
                    total += r.ts - s;
                }
            }
            _ => {}
        }
    }
    if let Some(s) = since {
        total += (now - s).max(chrono::Duration::zero());
    }
    total
}

/// Hints already taken in this drill (from the journal).
pub fn hints_taken(inc: &Incident) -> usize {
    inc.drill_events
        .iter()
        .filter(|r| matches!(r.event, Event::DrillHint { .. }))
        .count()
}

/// When the fix was detected, if it was.
pub fn fixed_at(inc: &Incident) -> Option<DateTime<FixedOffset>> {
    inc.drill_events
        .iter()
        .find(|r| matches!(r.event, Event::DrillFixed { .. }))
        .map(|r| r.ts)
}

/// Why the drill is paused, if it is (the last pause not followed by a resume).
pub fn paused(inc: &Incident) -> Option<String> {
    let mut why = None;
    for r in &inc.drill_events {
        match &r.event {
            Event::DrillPaused { reason } => why = Some(reason.clone()),
            Event::DrillResumed { .. } => why = None,
            _ => {}
        }
    }
    why
}

impl App {
    /// Opens the hints overlay (`h`), offering the next hint if any is left.
    pub(crate) fn open_hints(&mut self) -> Vec<Effect> {
        if self.drill.is_none() {
            return vec![];
        }
        self.overlay = Some(Overlay::Hints);
        vec![]
    }

    /// Takes the next hint: journaled with its cost, then shown.
    pub(crate) fn take_hint(&mut self) {
        self.give_hint(DrillActor::Trainee);
    }

    fn give_hint(&mut self, by: DrillActor) {
        let Some(d) = &self.drill else { return };
        let index = hints_taken(self.session.incident());
        let Some((text, cost)) = d.hints.get(index).cloned() else {
            self.flash = Some(tr(self.lang(), "no hint left").into());
            return;
        };
        self.record(Event::DrillHint {
            index,
            text,
            cost,
            by,
        });
    }

    /// Records what a background worker of the drill saw.
    pub(crate) fn on_drill_news(&mut self, news: DrillNews) -> Vec<Effect> {
        let Some(d) = &self.drill else {
            return vec![];
        };
        match news {
            DrillNews::Detected(Detected::Check(ev)) => self.record(*ev),
            DrillNews::Detected(Detected::Fixed {
                passing_since,
                fixed_by_restart,
            }) => {
                let ev = fixed_event(
                    self.session.incident(),
                    Some(d.injected_at),
                    passing_since,
                    fixed_by_restart,
                );
                self.record(ev);
            }
            DrillNews::Paused(reason) => self.record(Event::DrillPaused { reason }),
            DrillNews::Resumed(reason) => self.record(Event::DrillResumed { reason }),
            DrillNews::ControlProblem(why) => self.control_problem(why),
            DrillNews::Trainer(req) => return self.on_trainer(req),
        }
        vec![]
    }

    /// A trainer's request that could not be carried out: named in the
    /// footer and journaled as a `drill control:` note (the trainer's seat
    /// reads it back).
    fn control_problem(&mut self, why: String) {
        let text = trf(self.lang(), "drill control: {}", &[&why]);
        self.flash = Some(why);
        self.record(Event::Note {
            step: None,
            text,
            update: false,
        });
    }

    fn on_trainer(&mut self, req: crate::drill::control::Request) -> Vec<Effect> {
        use crate::drill::control::Request;
        let lang = self.lang();
        let paused = paused(self.session.incident()).is_some();
        match req {
            Request::Hint => {
                let before = hints_taken(self.session.incident());
                self.give_hint(DrillActor::Trainer);
                if self.staged_count() > 0 {
                    self.flash = Some(trf(
                        lang,
                        "the trainer sent hint {} — h shows it",
                        &[&(before + 1)],
                    ));
                }
            }
            Request::Pause if !paused => self.record(Event::DrillPaused {
                reason: tr(lang, "paused by the trainer").into(),
            }),
            Request::Resume if paused => self.record(Event::DrillResumed {
                reason: tr(lang, "resumed by the trainer").into(),
            }),
            Request::Pause | Request::Resume => {}
            Request::End => {
                if let Some(d) = self.drill.as_mut() {
                    d.ended_by_trainer = true;
                }
                return self.quit();
            }
            Request::Inject { fault } => return self.inject_for_trainer(fault.as_deref()),
        }
        vec![]
    }

    /// Runs an `at: trainer` fault (the named one, else the first not yet
    /// injected): journaled as a command of the drill and as
    /// `drill_fault_injected {by: trainer}`.
    fn inject_for_trainer(&mut self, id: Option<&str>) -> Vec<Effect> {
        let Some(d) = &self.drill else {
            return vec![];
        };
        let done: Vec<String> = self
            .session
            .incident()
            .drill_events
            .iter()
            .filter_map(|r| match &r.event {
                Event::DrillFaultInjected { fault, .. } => Some(fault.clone()),
                _ => None,
            })
            .collect();
        let pick = d.trainer_faults.iter().find(|f| match id {
            Some(id) => f.id == id,
            None => !done.contains(&f.id),
        });
        let Some(f) = pick.cloned() else {
            let lang = self.lang();
            let why = match id {
                Some(id) => trf(
                    lang,
                    "the trainer asked for fault `{}`: this scenario has no such trainer fault",
                    &[&id],
                ),
                None => tr(
                    lang,
                    "the trainer asked for an escalation: no trainer fault left",
                )
                .to_string(),
            };
            self.control_problem(why);
            return vec![];
        };
        let run = self.next_run_id();
        self.record(Event::CommandStarted {
            run,
            step: crate::drill::run::DRILL_STEP.to_string(),
            command: format!("fault/{}", f.id),
            command_line: f.masked.clone(),
            pid: None,
        });
        self.record(Event::DrillFaultInjected {
            fault: f.id.clone(),
            by: DrillActor::Trainer,
            run: Some(run),
        });
        let mut spec = crate::exec::Spec::new(f.line.clone());
        spec.timeout = Some(f.timeout);
        spec.env = f.env.clone();
        self.flash = Some(trf(self.lang(), "the trainer injected `{}`", &[&f.id]));
        vec![Effect::Launch(
            run,
            Box::new(crate::engine::Job::Command(spec)),
        )]
    }

    /// Ends the screen when the time limit has passed (the drill is then
    /// ended `time_limit` by its owner).
    pub(crate) fn drill_tick(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        let inc = self.session.incident();
        let resolved = inc.resolved.is_some();
        let Some(d) = &self.drill else {
            return vec![];
        };
        if d.time_up || resolved || !d.left(inc, now).is_zero() {
            return vec![];
        }
        if let Some(d) = self.drill.as_mut() {
            d.time_up = true;
        }
        self.quit()
    }
}
