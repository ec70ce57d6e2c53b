//! The live incident screen's state and its update function.
//!
//! `update(action, now)` changes the state and returns [`Effect`]s for the
//! runtime to carry out (start or cancel work, quit). It never blocks and never
//! reads the clock: `now` comes from the caller, so tests can fix it.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};

use crate::exec::Update;
use crate::exec::tail::OutputTail;
use crate::incident::{BudgetState, EndReason, Event, Run, RunId, RunKind, RunState, StepStatus};
use crate::journal::JournalError;
use crate::probe::broker::BrokerSnapshot;
use crate::runbook::{Runbook, Step, Vars, when_allows};
use crate::runs::{self, Job, WorkUpdate};
use crate::session::Session;
use crate::tui::action::Action;
use crate::tui::editor::{EditOutcome, Editor};
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
    /// Reason for skipping the active step.
    Skip(Editor),
    /// Resolution summary.
    Resolve(Editor),
    /// Choosing an answer to the step's question.
    Answer {
        /// Step index.
        step: usize,
        /// Highlighted choice.
        cursor: usize,
    },
    /// Quit confirmation.
    Quit,
    /// Output search pattern.
    Search(Editor),
}

/// What the runtime must do after an update.
#[derive(Debug)]
pub enum Effect {
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
    /// Latest host figures.
    pub host: Option<HostSnapshot>,
    /// Broker panel.
    pub broker: BrokerPanel,
    /// The last journal write error, while writes are failing.
    pub journal_error: Option<String>,
    /// A transient message for the operator.
    pub flash: Option<String>,
    /// Set once the app has asked to quit.
    pub quitting: bool,
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
            overlay: ask_title.then(|| Overlay::Title(Editor::single_line())),
            tails,
            shown_run: None,
            output: OutputView::default(),
            host: None,
            broker: BrokerPanel {
                visible,
                ..BrokerPanel::default()
            },
            journal_error: None,
            flash: None,
            quitting: false,
        }
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

    fn record(&mut self, ev: Event, now: DateTime<FixedOffset>) {
        let res = self.session.record(ev, now).map(|_| ());
        self.note_write(res);
    }

    fn note_write(&mut self, res: Result<(), JournalError>) {
        match res {
            Ok(()) if self.session.pending_writes() == 0 => self.journal_error = None,
            Ok(()) => {}
            Err(e) => self.journal_error = Some(e.to_string()),
        }
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
        if !matches!(
            action,
            Action::Tick | Action::Work(_) | Action::Host(_) | Action::Broker(_)
        ) {
            self.flash = None;
        }
        match action {
            Action::Work(update) => self.on_work(update, now),
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
            Action::Signal(name) => vec![Effect::Quit(EndReason::Signal(name))],
            Action::Key(key) => self.on_overlay_key(key, now),
            other if self.overlay.is_some() => self.on_overlay_action(other, now),
            other => self.on_command(other, now),
        }
    }

    fn on_work(&mut self, update: WorkUpdate, now: DateTime<FixedOffset>) -> Vec<Effect> {
        if let WorkUpdate::Exec(run, Update::Output { text, .. }) = &update {
            self.tails
                .entry(*run)
                .or_insert_with(|| OutputTail::new(DISPLAY_LINES))
                .push(text);
        }
        let res = runs::apply_update(&mut self.session, update, now);
        self.note_write(res);
        vec![]
    }

    fn on_tick(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        if self.session.pending_writes() > 0 {
            let res = self.session.flush_pending();
            self.note_write(res);
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
                self.record(ev, now);
            }
        }
        vec![]
    }

    fn on_command(&mut self, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
        let n_steps = self.runbook.steps.len();
        match action {
            Action::Up | Action::Down => {
                let down = matches!(action, Action::Down);
                match self.focus {
                    Focus::Steps => {
                        self.viewed = step_by(self.viewed, down, n_steps);
                        self.cursor = 0;
                        self.output = OutputView::default();
                    }
                    Focus::Detail => {
                        let n = self.items().len();
                        self.cursor = step_by(self.cursor, down, n);
                        self.output = OutputView::default();
                    }
                    Focus::Output => self.scroll(if down { -1 } else { 1 }),
                }
            }
            Action::PageUp => self.scroll(20),
            Action::PageDown => self.scroll(-20),
            Action::Scroll(n) => self.scroll(-n),
            Action::Top => self.scroll(i32::MAX / 2),
            Action::Bottom => self.output.from_bottom = 0,
            Action::FocusNext | Action::FocusPrev => {
                let order = [Focus::Steps, Focus::Detail, Focus::Output];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let j = if matches!(action, Action::FocusNext) {
                    (i + 1) % 3
                } else {
                    (i + 2) % 3
                };
                self.focus = order[j];
            }
            Action::Activate => return self.activate(now),
            Action::RunAll => return self.run_all(now),
            Action::CancelRun => {
                let target = self.output_run().filter(|r| self.running().contains(r));
                match target {
                    Some(run) => return vec![Effect::Cancel(run)],
                    None => self.flash = Some("nothing running here to cancel".into()),
                }
            }
            Action::Note => self.overlay = Some(Overlay::Note(Editor::multi_line())),
            Action::CompleteStep => self.complete_step(now),
            Action::SkipStep if self.session.incident().current.is_some() => {
                self.overlay = Some(Overlay::Skip(Editor::single_line()));
            }
            Action::Resolve => self.overlay = Some(Overlay::Resolve(Editor::multi_line())),
            Action::Quit => self.overlay = Some(Overlay::Quit),
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::ToggleBroker => self.broker.visible = !self.broker.visible,
            Action::Search => self.overlay = Some(Overlay::Search(Editor::single_line())),
            Action::SearchNext | Action::SearchPrev => {
                self.jump_match(matches!(action, Action::SearchNext));
            }
            _ => {}
        }
        vec![]
    }

    fn scroll(&mut self, up: i32) {
        let len = self
            .output_run()
            .and_then(|r| self.tails.get(&r))
            .map_or(0, |t| t.len());
        let v = self.output.from_bottom as i64 + i64::from(up);
        self.output.from_bottom = v.clamp(0, len.saturating_sub(1) as i64) as usize;
    }

    fn activate(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        if self.focus == Focus::Steps {
            self.enter_step(self.viewed, now);
            self.focus = Focus::Detail;
            return vec![];
        }
        let step_idx = self.viewed;
        match self.selected_item() {
            Some(Item::Checklist(i)) => {
                let step = &self.runbook.steps[step_idx];
                let checked = self
                    .session
                    .incident()
                    .steps
                    .get(step_idx)
                    .and_then(|s| s.checklist.get(i))
                    .copied()
                    .unwrap_or(false);
                let ev = Event::ChecklistToggled {
                    step: step.id.clone(),
                    item: i,
                    text: step.checklist[i].clone(),
                    checked: !checked,
                };
                self.record(ev, now);
                vec![]
            }
            Some(Item::Ask) => {
                self.overlay = Some(Overlay::Answer {
                    step: step_idx,
                    cursor: 0,
                });
                vec![]
            }
            Some(Item::Command(i)) => self.request_command(step_idx, i, now),
            Some(Item::Check(i)) => self.start_check(step_idx, i, now),
            None => vec![],
        }
    }

    /// Why a command needs a typed confirmation, if it does.
    pub fn danger(&self, step: usize, command: usize) -> Option<String> {
        let cmd = &self.runbook.steps[step].commands[command];
        if cmd.confirm {
            return Some("the runbook marks it as changing the system".into());
        }
        crate::danger::destructive_reason(&self.vars.render_text(&cmd.run))
    }

    fn request_command(
        &mut self,
        step: usize,
        command: usize,
        now: DateTime<FixedOffset>,
    ) -> Vec<Effect> {
        let Some(reason) = self.danger(step, command) else {
            return self.start_command(step, command, now);
        };
        let s = &self.runbook.steps[step];
        let cmd = &s.commands[command];
        let ev = Event::ConfirmationAsked {
            step: s.id.clone(),
            command: cmd.id.clone(),
            command_line: self.vars.render_shell_masked(&cmd.run),
            expected: cmd.id.clone(),
            reason: reason.clone(),
        };
        let expected = cmd.id.clone();
        self.record(ev, now);
        self.overlay = Some(Overlay::Confirm {
            step,
            command,
            expected,
            reason,
            input: Editor::single_line(),
        });
        vec![]
    }

    fn start_command(
        &mut self,
        step: usize,
        command: usize,
        now: DateTime<FixedOffset>,
    ) -> Vec<Effect> {
        let s = self.runbook.steps[step].clone();
        let (run, job, res) =
            runs::start_command(&mut self.session, &s, &s.commands[command], &self.vars, now);
        self.note_write(res);
        self.tails.insert(run, OutputTail::new(DISPLAY_LINES));
        self.shown_run = Some(run);
        self.output = OutputView::default();
        vec![Effect::Launch(run, Box::new(job))]
    }

    fn start_check(
        &mut self,
        step: usize,
        check: usize,
        now: DateTime<FixedOffset>,
    ) -> Vec<Effect> {
        let s = self.runbook.steps[step].clone();
        let (run, job, res) = runs::start_check(
            &mut self.session,
            &self.runbook,
            &s,
            &s.checks[check],
            &self.vars,
            now,
        );
        self.note_write(res);
        self.shown_run = Some(run);
        vec![Effect::Launch(run, Box::new(job))]
    }

    fn run_all(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
        let step = self.session.incident().current.unwrap_or(self.viewed);
        let answers: BTreeMap<String, String> = self.session.incident().answers.clone();
        let s = self.runbook.steps[step].clone();
        let mut effects = Vec::new();
        let mut skipped = 0;
        for (i, c) in s.commands.iter().enumerate() {
            if !when_allows(c.when.as_ref(), &answers) {
                continue;
            }
            if c.follow || self.danger(step, i).is_some() {
                skipped += 1;
                continue;
            }
            effects.extend(self.start_command(step, i, now));
        }
        for (i, c) in s.checks.iter().enumerate() {
            if when_allows(c.when.as_ref(), &answers) {
                effects.extend(self.start_check(step, i, now));
            }
        }
        self.flash = Some(format!(
            "started {} runs{}",
            effects.len(),
            if skipped > 0 {
                format!("; {skipped} left for you (confirmation or follow)")
            } else {
                String::new()
            }
        ));
        effects
    }

    fn enter_step(&mut self, idx: usize, now: DateTime<FixedOffset>) {
        if self.session.incident().current == Some(idx) {
            return;
        }
        let ev = Event::StepEntered {
            step: self.runbook.steps[idx].id.clone(),
        };
        self.record(ev, now);
        self.viewed = idx;
        self.cursor = 0;
    }

    fn next_open_step(&self, after: usize) -> Option<usize> {
        let inc = self.session.incident();
        (after + 1..inc.steps.len()).find(|i| {
            matches!(
                inc.steps[*i].status,
                StepStatus::Pending | StepStatus::Active
            )
        })
    }

    fn complete_step(&mut self, now: DateTime<FixedOffset>) {
        let Some(cur) = self.session.incident().current else {
            self.flash = Some("no active step: press Enter on a step to start it".into());
            return;
        };
        let ev = Event::StepCompleted {
            step: self.runbook.steps[cur].id.clone(),
        };
        self.record(ev, now);
        self.advance(cur, now);
    }

    fn advance(&mut self, from: usize, now: DateTime<FixedOffset>) {
        match self.next_open_step(from) {
            Some(next) => self.enter_step(next, now),
            None => self.flash = Some("all steps done — press R to resolve the incident".into()),
        }
    }

    fn jump_match(&mut self, forward: bool) {
        let (Some(pattern), Some(tail)) = (
            self.output.search.clone(),
            self.output_run().and_then(|r| self.tails.get(&r)),
        ) else {
            return;
        };
        let needle = pattern.to_lowercase();
        let lines: Vec<String> = tail
            .lines()
            .map(|l| crate::tui::ansi::plain(l).to_lowercase())
            .collect();
        let len = lines.len();
        if len == 0 {
            return;
        }
        let start = self.output.current_match.unwrap_or(len);
        let found = if forward {
            (start + 1..len)
                .chain(0..=start.min(len - 1))
                .find(|i| lines[*i].contains(&needle))
        } else {
            (0..start.min(len))
                .rev()
                .chain((start.min(len - 1)..len).rev())
                .find(|i| lines[*i].contains(&needle))
        };
        match found {
            Some(i) => {
                self.output.current_match = Some(i);
                self.output.from_bottom = len - 1 - i;
            }
            None => self.flash = Some(format!("no match for “{pattern}”")),
        }
    }

    fn on_overlay_action(&mut self, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
        match (&mut self.overlay, action) {
            (Some(Overlay::Help), _) => self.overlay = None,
            (Some(Overlay::Answer { cursor, step }), a) => {
                let n = self.runbook.steps[*step]
                    .ask
                    .as_ref()
                    .map_or(0, |a| a.choices.len());
                match a {
                    Action::Up => *cursor = step_by(*cursor, false, n),
                    Action::Down => *cursor = step_by(*cursor, true, n),
                    Action::Activate => {
                        let (step, cursor) = (*step, *cursor);
                        self.overlay = None;
                        if let Some(ask) = self.runbook.steps[step].ask.clone()
                            && let Some(choice) = ask.choices.get(cursor)
                        {
                            let ev = Event::QuestionAnswered {
                                step: self.runbook.steps[step].id.clone(),
                                ask: ask.id.clone(),
                                answer: choice.clone(),
                            };
                            self.record(ev, now);
                        }
                    }
                    Action::Quit | Action::Help => self.overlay = None,
                    _ => {}
                }
            }
            (Some(Overlay::Quit), Action::Quit) => return self.quit(),
            (Some(Overlay::Quit), _) => self.overlay = None,
            _ => {}
        }
        vec![]
    }

    fn quit(&mut self) -> Vec<Effect> {
        self.overlay = None;
        self.quitting = true;
        vec![Effect::Quit(EndReason::Quit)]
    }

    fn on_overlay_key(
        &mut self,
        key: crossterm::event::KeyEvent,
        now: DateTime<FixedOffset>,
    ) -> Vec<Effect> {
        use crossterm::event::KeyCode;
        let Some(overlay) = self.overlay.as_mut() else {
            return vec![];
        };
        let outcome = match overlay {
            Overlay::Title(e)
            | Overlay::Note(e)
            | Overlay::Skip(e)
            | Overlay::Resolve(e)
            | Overlay::Search(e)
            | Overlay::Confirm { input: e, .. } => e.key(key),
            Overlay::Quit => {
                return match key.code {
                    KeyCode::Char('y' | 'Y' | 'q') | KeyCode::Enter => self.quit(),
                    _ => {
                        self.overlay = None;
                        vec![]
                    }
                };
            }
            Overlay::Help | Overlay::Answer { .. } => return vec![],
        };
        if outcome == EditOutcome::Editing {
            return vec![];
        }
        let Some(overlay) = self.overlay.take() else {
            return vec![];
        };
        let submit = outcome == EditOutcome::Submit;
        match overlay {
            Overlay::Title(e) => {
                let t = e.text().trim().to_string();
                if submit && !t.is_empty() {
                    self.record(Event::TitleSet { title: t }, now);
                }
            }
            Overlay::Note(e) => {
                let text = e.text();
                if submit && !text.trim().is_empty() {
                    let step = self
                        .session
                        .incident()
                        .current
                        .map(|i| self.runbook.steps[i].id.clone());
                    self.record(Event::Note { step, text }, now);
                    self.flash = Some("note saved".into());
                }
            }
            Overlay::Skip(e) => {
                let reason = e.text().trim().to_string();
                if submit && reason.is_empty() {
                    self.flash = Some("a skip needs a reason; nothing skipped".into());
                } else if submit && let Some(cur) = self.session.incident().current {
                    let ev = Event::StepSkipped {
                        step: self.runbook.steps[cur].id.clone(),
                        reason,
                    };
                    self.record(ev, now);
                    self.advance(cur, now);
                }
            }
            Overlay::Resolve(e) => {
                let summary = e.text().trim().to_string();
                if submit && summary.is_empty() {
                    self.flash = Some("a resolution needs a summary; incident still open".into());
                } else if submit {
                    self.record(Event::IncidentResolved { summary }, now);
                    self.flash = Some("incident resolved — q to quit, or keep adding notes".into());
                }
            }
            Overlay::Search(e) => {
                let p = e.text();
                if submit && !p.is_empty() {
                    self.output.search = Some(p);
                    self.output.current_match = None;
                    self.focus = Focus::Output;
                    self.jump_match(false);
                } else if !submit {
                    self.output.search = None;
                }
            }
            Overlay::Confirm {
                step,
                command,
                expected,
                input,
                ..
            } => {
                let typed = input.text();
                let accepted = submit && typed.trim() == expected;
                let ev = Event::ConfirmationAnswered {
                    step: self.runbook.steps[step].id.clone(),
                    command: self.runbook.steps[step].commands[command].id.clone(),
                    accepted,
                    typed: typed.clone(),
                };
                self.record(ev, now);
                if accepted {
                    return self.start_command(step, command, now);
                }
                self.flash = Some(if submit {
                    format!("“{typed}” is not “{expected}” — command not run")
                } else {
                    "cancelled — command not run".to_string()
                });
            }
            other => self.overlay = Some(other),
        }
        vec![]
    }

    /// True when the overlay takes typed text (keys go to [`Action::Key`]).
    pub fn wants_text(&self) -> bool {
        matches!(
            self.overlay,
            Some(
                Overlay::Title(_)
                    | Overlay::Note(_)
                    | Overlay::Skip(_)
                    | Overlay::Resolve(_)
                    | Overlay::Search(_)
                    | Overlay::Confirm { .. }
                    | Overlay::Quit
            )
        )
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
