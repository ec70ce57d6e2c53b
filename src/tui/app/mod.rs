//! The live incident screen's state and its update function.
//!
//! Split by concern: `starting` starts commands and checks, `steps` moves between
//! steps, `dialogs` handles overlays and typed input, `output` scrolls and
//! searches the output pane.
//!
//! `update(action, now)` changes the screen's own state and returns
//! [`Effect`]s for the runtime to carry out: record an event (the runtime
//! records it through the job engine at once, so the fold shows it in the
//! next frame), start or cancel work, quit. It does no IO, never blocks and
//! never reads the clock: `now` comes from the caller, so tests can fix it.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::engine::{Job, JobPolicy, WorkUpdate};
use crate::exec::Update;
use crate::exec::tail::OutputTail;
use crate::incident::{BudgetState, EndReason, Event, Run, RunId, RunKind, RunState, StepStatus};
use crate::journal::JournalError;
use crate::probe::broker::BrokerSnapshot;
use crate::runbook::{Runbook, Step, Vars, when_allows};
use crate::session::Session;
use crate::tui::action::Action;

mod commands;
mod dialogs;
pub mod drill;
pub mod form;
mod output;
mod starting;
use crate::tui::editor::Editor;
use crate::tui::host::HostSnapshot;

/// Lines of output kept per run for display.
pub const DISPLAY_LINES: usize = 10_000;

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The step list.
    Steps,
    /// The viewed step's guide, checklist, question, commands and checks.
    Detail,
    /// The selected run's output.
    Output,
}

/// A selectable line of the step detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// Checklist item (index).
    Checklist(usize),
    /// The step's question.
    Ask,
    /// A command (index into the step's commands).
    Command(usize),
    /// A check (index into the step's checks).
    Check(usize),
}

/// A dialog or overlay on top of the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// Incident title, asked at the start when not given.
    Title(Editor),
    /// Key help.
    Help,
    /// Typed confirmation before a dangerous command.
    Confirm {
        /// Step index.
        step: usize,
        /// Command index.
        command: usize,
        /// What must be typed.
        expected: String,
        /// Why it is dangerous.
        reason: String,
        /// What has been typed.
        input: Editor,
    },
    /// Note editor.
    Note(Editor),
    /// Status update editor (a note sent to the webhooks).
    Update(Editor),
    /// Reason for skipping the active step.
    Skip(Editor),
    /// A form: the new incident's first screen, `i` (severity, impact,
    /// start), `R` (resolution and postmortem draft).
    Form(Box<form::Form>),
    /// Choosing an answer to the step's question.
    Answer {
        /// Step index.
        step: usize,
        /// Highlighted choice.
        cursor: usize,
        /// Choices marked with Space (the operator sees several symptoms).
        marked: Vec<usize>,
    },
    /// Quit confirmation.
    Quit,
    /// Output search pattern.
    Search(Editor),
    /// A drill's brief (the first screen of a drill).
    Brief,
    /// A drill's hints: those taken, and the next one on offer.
    Hints,
}

/// What the runtime must do after an update.
#[derive(Debug)]
pub enum Effect {
    /// Record this event in the incident (it is journaled and folded).
    Record(Box<Event>),
    /// Start a job for a run already journaled as started.
    Launch(RunId, Box<Job>),
    /// Cancel a running job.
    Cancel(RunId),
    /// Cancel everything, record `session_ended`, leave.
    Quit(EndReason),
}

/// The output pane's scroll and search state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutputView {
    /// Lines scrolled up from the bottom; 0 follows the tail.
    pub from_bottom: usize,
    /// Active search pattern.
    pub search: Option<String>,
    /// Line index of the current match.
    pub current_match: Option<usize>,
}

/// Broker panel state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BrokerPanel {
    /// Shown on screen.
    pub visible: bool,
    /// Latest figures.
    pub snapshot: Option<BrokerSnapshot>,
    /// Why the latest poll failed.
    pub error: Option<String>,
}

/// The whole live-incident screen.
pub struct App {
    /// The incident and its journal.
    pub session: Session,
    /// The runbook being followed.
    pub runbook: Runbook,
    /// Resolved variables.
    pub vars: Vars,
    /// Focused pane.
    pub focus: Focus,
    /// Index of the step shown in the detail pane.
    pub viewed: usize,
    /// Selected line of the detail pane (index into [`App::items`]).
    pub cursor: usize,
    /// Open dialog.
    pub overlay: Option<Overlay>,
    /// Display buffers of runs' output.
    pub tails: HashMap<RunId, OutputTail>,
    /// Run shown in the output pane.
    pub shown_run: Option<RunId>,
    /// Output pane state.
    pub output: OutputView,
    /// Long output lines wrap (on) or are cut at the pane's edge (off).
    pub wrap_output: bool,
    /// The pane that fills the screen (the step detail or the output), if any.
    pub zoom: Option<Focus>,
    /// The program takes mouse events (wheel scrolling); off, the terminal
    /// keeps the mouse and text can be selected and copied.
    pub mouse_capture: bool,
    /// Latest host figures.
    pub host: Option<HostSnapshot>,
    /// Broker panel.
    pub broker: BrokerPanel,
    /// A transient message for the operator.
    pub flash: Option<String>,
    /// Draw without colour (`NO_COLOR`): modifiers only.
    pub no_color: bool,
    /// How the operator continues the incident later (`runbook resume`, or
    /// the binary's path after `cargo run`): set by the command line.
    pub resume_hint: String,
    /// Set once the app has asked to quit.
    pub quitting: bool,
    /// Rows the operator has scrolled the step detail above the selected
    /// item, to read a guide longer than the pane: `(step, rows)`. Applies
    /// only while the first item of that step is selected; a step other
    /// than `step` is shown from the top of its guide.
    pub detail_lift: (usize, usize),
    /// Written by each frame: how far the detail is scrolled to keep the
    /// selected item in view, the pane's height, and whether the selected
    /// item is on screen. Lets the keys scroll by what is really there.
    pub detail_room: std::cell::Cell<DetailRoom>,
    /// What may run unattended, and what is refused (the job engine's
    /// policy: the runtime's engine is built with this same one).
    pub policy: Arc<JobPolicy>,
    /// Drill mode: the scenario's brief, hints and clock.
    pub drill: Option<drill::DrillView>,
    /// Where notifications go (the runtime sends them; the screen journals
    /// each outcome and names a failure).
    pub notify: crate::notify::Plan,
    /// Effects of the update in progress, in order: the events it records.
    staged: Vec<Effect>,
}

/// What the last frame knew about the step detail's scrolling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DetailRoom {
    /// Rows scrolled to keep the selected item in view.
    pub auto: usize,
    /// Rows of the pane.
    pub height: usize,
    /// The selected item is on screen.
    pub selected_visible: bool,
}

impl App {
    /// A screen for `session`, viewing its current step.
    pub fn new(session: Session, runbook: Runbook, vars: Vars, ask_title: bool) -> App {
        let mut tails = HashMap::new();
        for (id, run) in &session.incident().runs {
            if run.kind == RunKind::Command && !run.output.is_empty() {
                let mut tail = OutputTail::new(DISPLAY_LINES);
                tail.push(&run.output);
                tails.insert(*id, tail);
            }
        }
        let viewed = session.incident().current.unwrap_or(0);
        let visible = runbook.var("mgmt_url").is_some();
        App {
            session,
            runbook,
            vars,
            focus: Focus::Detail,
            viewed,
            cursor: 0,
            overlay: ask_title.then(|| Overlay::Form(Box::new(form::Form::new_incident()))),
            tails,
            shown_run: None,
            output: OutputView::default(),
            wrap_output: true,
            zoom: None,
            mouse_capture: true,
            host: None,
            broker: BrokerPanel {
                visible,
                ..BrokerPanel::default()
            },
            flash: None,
            no_color: false,
            resume_hint: "runbook resume".into(),
            quitting: false,
            detail_lift: (usize::MAX, 0),
            detail_room: std::cell::Cell::new(DetailRoom::default()),
            policy: Arc::new(JobPolicy::default()),
            notify: crate::notify::Plan::default(),
            drill: None,
            staged: Vec::new(),
        }
    }

    /// The language of the screen: the runbook's.
    pub fn lang(&self) -> crate::i18n::Lang {
        crate::i18n::Lang::from_tag(self.runbook.lang.as_deref())
    }

    /// The viewed step.
    pub fn viewed_step(&self) -> &Step {
        &self.runbook.steps[self.viewed.min(self.runbook.steps.len().saturating_sub(1))]
    }

    /// Selectable lines of the viewed step, in screen order; commands and
    /// checks whose `when` does not match the answers are left out.
    pub fn items(&self) -> Vec<Item> {
        let step = self.viewed_step();
        let answers = &self.session.incident().answers;
        let mut items: Vec<Item> = (0..step.checklist.len()).map(Item::Checklist).collect();
        if step.ask.is_some() {
            items.push(Item::Ask);
        }
        items.extend(
            step.commands
                .iter()
                .enumerate()
                .filter(|(_, c)| when_allows(c.when.as_ref(), answers))
                .map(|(i, _)| Item::Command(i)),
        );
        items.extend(
            step.checks
                .iter()
                .enumerate()
                .filter(|(_, c)| when_allows(c.when.as_ref(), answers))
                .map(|(i, _)| Item::Check(i)),
        );
        items
    }

    /// Rows the step detail is lifted above the selected item (see
    /// [`App::detail_lift`]).
    pub fn detail_lift_rows(&self) -> usize {
        let (step, rows) = self.detail_lift;
        match (self.cursor, step == self.viewed) {
            // A step not scrolled since it came on screen shows its guide
            // from the top (the frame clamps this to what there is).
            (0, false) => usize::MAX,
            (0, true) => rows,
            _ => 0,
        }
    }

    /// The selected detail line.
    pub fn selected_item(&self) -> Option<Item> {
        self.items().get(self.cursor).copied()
    }

    /// The latest run of a command or check of a step.
    pub fn last_run(&self, step: &str, item: &str) -> Option<&Run> {
        self.session
            .incident()
            .runs
            .values()
            .rev()
            .find(|r| r.step == step && r.item == item)
    }

    /// Every run still running.
    pub fn running(&self) -> Vec<RunId> {
        self.session
            .incident()
            .runs
            .values()
            .filter(|r| r.state == RunState::Running)
            .map(|r| r.id)
            .collect()
    }

    /// The run whose output the output pane shows: the selected item's latest
    /// run, else the last one started from this screen.
    pub fn output_run(&self) -> Option<RunId> {
        let step = self.viewed_step();
        let from_item = match self.selected_item() {
            Some(Item::Command(i)) => self.last_run(&step.id, &step.commands[i].id).map(|r| r.id),
            Some(Item::Check(i)) => self.last_run(&step.id, &step.checks[i].id).map(|r| r.id),
            _ => None,
        };
        from_item.or(self.shown_run)
    }

    /// Asks the runtime to record `ev` (staged until the update returns).
    pub(crate) fn record(&mut self, ev: Event) {
        self.staged.push(Effect::Record(Box::new(ev)));
    }

    /// Sets where notifications go. Targets left out (a bad URL, a broken
    /// config file) are journaled and the first is named in the footer; the
    /// incident goes on without them.
    pub fn attach_notify(&mut self, plan: crate::notify::Plan, now: DateTime<FixedOffset>) {
        for ev in plan.problem_events() {
            let res = self.session.record(ev, now).map(|_| ());
            self.note_write(res);
        }
        if let Some(first) = plan.problems.first() {
            let lang = self.lang();
            let more = match plan.problems.len() {
                1 => String::new(),
                n => crate::i18n::trf(lang, " (and {} more; see the journal)", &[&(n - 1)]),
            };
            self.flash = Some(format!("{first}{more}"));
        }
        self.notify = plan;
    }

    /// Journals a webhook's outcome; a failure is named in the footer (the
    /// operator can say it another way; nothing else waits for it).
    pub(crate) fn on_delivered(&mut self, d: crate::notify::Delivery) -> Vec<Effect> {
        if !d.ok {
            self.flash = Some(crate::i18n::trf(
                self.lang(),
                "webhook failed ({} → {}): {}",
                &[&d.about, &d.target, &d.error],
            ));
        }
        self.record(d.into_event());
        vec![]
    }

    /// Effects staged by the update in progress.
    pub(crate) fn staged_count(&self) -> usize {
        self.staged.len()
    }

    /// The id the next run started by this update gets: the incident's next
    /// one, past the runs this update has already staged.
    pub(crate) fn next_run_id(&self) -> RunId {
        let staged = self
            .staged
            .iter()
            .filter(|e| {
                matches!(e, Effect::Record(ev) if matches!(
                    **ev,
                    Event::CommandStarted { .. } | Event::CheckStarted { .. }
                ))
            })
            .count() as RunId;
        self.session.incident().next_run_id() + staged
    }

    /// A failing disk is shown by the banner, from the writer's own status
    /// ([`App::journal_error`]); any other error of recording (an event that
    /// cannot be encoded) is told once.
    pub(crate) fn note_write(&mut self, res: Result<(), JournalError>) {
        match res {
            Ok(()) | Err(JournalError::Write { .. }) => {}
            Err(e) => self.flash = Some(e.to_string()),
        }
    }

    /// Why the journal cannot be written, while events are held because of
    /// it (the writer retries every second).
    pub fn journal_error(&self) -> Option<String> {
        self.session.write_error().map(|e| e.to_string())
    }

    /// Events shown on screen that the journal writer has not yet
    /// acknowledged (the "saving…" mark).
    pub fn saving(&self) -> bool {
        self.session.unsaved() > 0
    }

    /// Applies one action to the screen's state; returns what the runtime
    /// must do, in order (the events to record come first).
    pub fn update(&mut self, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
        self.staged.clear();
        let effects = self.apply_action(action, now);
        let mut out = std::mem::take(&mut self.staged);
        out.extend(effects);
        out
    }

    fn apply_action(&mut self, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
        if !matches!(
            action,
            Action::Tick
                | Action::Work(_)
                | Action::Host(_)
                | Action::Broker(_)
                | Action::Drill(_)
                | Action::Delivered(_)
        ) {
            self.flash = None;
        }
        match action {
            Action::Work(update) => self.on_work(update),
            Action::Tick => self.on_tick(now),
            Action::Host(h) => {
                self.host = Some(h);
                vec![]
            }
            Action::Broker(res) => {
                match res {
                    Ok(s) => {
                        self.broker.snapshot = Some(s);
                        self.broker.error = None;
                    }
                    Err(e) => self.broker.error = Some(e),
                }
                vec![]
            }
            Action::Resize => vec![],
            Action::Drill(news) => self.on_drill_news(news),
            Action::Delivered(d) => self.on_delivered(d),
            Action::Signal(name) => vec![Effect::Quit(EndReason::Signal(name))],
            Action::Key(key) if matches!(self.overlay, Some(Overlay::Form(_))) => {
                self.on_form_key(key, now)
            }
            Action::Key(key) => self.on_overlay_key(key),
            Action::Paste(text) => {
                self.on_paste(&text);
                vec![]
            }
            other if self.overlay.is_some() => self.on_overlay_action(other),
            other => self.on_command(other),
        }
    }

    /// Shows a job's output (the runtime has recorded the report already).
    pub(crate) fn on_work(&mut self, update: WorkUpdate) -> Vec<Effect> {
        if let WorkUpdate::Exec(run, Update::Output { text, .. }) = &update {
            // The screen gets the same masking as the journal, line by line,
            // so a secret a command prints is never shown, even split in two.
            let masker = self.session.masker();
            self.tails
                .entry(*run)
                .or_insert_with(|| OutputTail::new(DISPLAY_LINES))
                .push_guarded(
                    text,
                    &|line| match masker.mask(line) {
                        std::borrow::Cow::Owned(m) => Some(m),
                        std::borrow::Cow::Borrowed(_) => None,
                    },
                    masker.longest_secret(),
                );
        }
        vec![]
    }

    pub(crate) fn on_tick(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        // Held records are retried by the journal writer itself.
        if self.drill.is_some() {
            let out = self.drill_tick(now);
            if !out.is_empty() {
                return out;
            }
        }
        let inc = self.session.incident();
        if let Some(cur) = inc.current {
            let st = &inc.steps[cur];
            if st.status == StepStatus::Active
                && !st.overrun_recorded
                && inc.budget_state(cur, now) == BudgetState::OverLimit
            {
                let ev = Event::BudgetOverrun {
                    step: st.outline.id.clone(),
                    limit_ms: st.outline.limit_ms.unwrap_or(0),
                    elapsed_ms: inc.step_elapsed(cur, now).as_millis() as u64,
                };
                self.record(ev);
            }
        }
        vec![]
    }
}

fn step_by(i: usize, down: bool, n: usize) -> usize {
    if n == 0 {
        0
    } else if down {
        (i + 1).min(n - 1)
    } else {
        i.saturating_sub(1)
    }
}
