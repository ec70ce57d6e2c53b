//! Starting commands and checks from the screen, with the typed confirmation for dangerous ones; moving between steps.

use chrono::{DateTime, FixedOffset};

use std::collections::BTreeMap;

use super::DISPLAY_LINES;
use crate::exec::tail::OutputTail;
use crate::incident::{Event, StepStatus};
use crate::runbook::when_allows;
use crate::runs;
use crate::tui::app::{App, Effect, Item, OutputView, Overlay};
use crate::tui::editor::Editor;

impl App {
    /// Why a command needs a typed confirmation, if it does.
    pub fn danger(&self, step: usize, command: usize) -> Option<String> {
        let cmd = &self.runbook.steps[step].commands[command];
        if cmd.confirm {
            return Some("the runbook marks it as changing the system".into());
        }
        crate::runs::needs_confirmation(&self.vars.render_shell(&cmd.run))
    }

    pub(crate) fn request_command(
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

    pub(crate) fn start_command(
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

    pub(crate) fn start_check(
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

    pub(crate) fn run_all(&mut self, now: DateTime<FixedOffset>) -> Vec<Effect> {
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
        // Show what was started: the selection goes to the step's first
        // command or check, so its result lines are on screen.
        if self.viewed == step && !effects.is_empty() {
            if let Some(i) = self
                .items()
                .iter()
                .position(|it| matches!(it, Item::Command(_) | Item::Check(_)))
            {
                self.cursor = i;
            }
            self.detail_lift = (self.viewed, 0);
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

    pub(crate) fn enter_step(&mut self, idx: usize, now: DateTime<FixedOffset>) {
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

    pub(crate) fn next_open_step(&self, after: usize) -> Option<usize> {
        let inc = self.session.incident();
        (after + 1..inc.steps.len()).find(|i| {
            matches!(
                inc.steps[*i].status,
                StepStatus::Pending | StepStatus::Active
            )
        })
    }

    pub(crate) fn complete_step(&mut self, now: DateTime<FixedOffset>) {
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

    pub(crate) fn advance(&mut self, from: usize, now: DateTime<FixedOffset>) {
        match self.next_open_step(from) {
            Some(next) => self.enter_step(next, now),
            None => self.flash = Some("all steps done — press R to resolve the incident".into()),
        }
    }
}
