//! Starting commands and checks from the screen, with the typed confirmation for dangerous ones; moving between steps.

use crate::i18n::{tr, trf};
use std::collections::BTreeMap;

use super::DISPLAY_LINES;
use crate::engine::{self, Admission};
use crate::exec::tail::OutputTail;
use crate::incident::{Event, StepStatus};
use crate::runbook::when_allows;
use crate::tui::app::{App, Effect, Item, OutputView, Overlay};
use crate::tui::editor::Editor;

impl App {
    /// May this command run unattended (the job engine's rule, with the
    /// policy of this screen)?
    pub fn admission(&self, step: usize, command: usize) -> Admission {
        let cmd = &self.runbook.steps[step].commands[command];
        self.policy
            .admit(&self.vars.render_shell(&cmd.run), cmd.confirm)
    }

    /// Why a command needs a typed confirmation, if it does.
    pub fn danger(&self, step: usize, command: usize) -> Option<String> {
        match self.admission(step, command) {
            Admission::Confirm(reason) => Some(reason),
            Admission::Run | Admission::Refuse(_) => None,
        }
    }

    pub(crate) fn request_command(&mut self, step: usize, command: usize) -> Vec<Effect> {
        // A refused command is started too: the engine journals the refusal.
        let Some(reason) = self.danger(step, command) else {
            return self.start_command(step, command);
        };
        // Said (and journaled) in the incident's language.
        let reason = crate::i18n::tr_said(self.lang(), &reason);
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
        self.record(ev);
        self.overlay = Some(Overlay::Confirm {
            step,
            command,
            expected,
            reason,
            input: Editor::single_line(),
        });
        vec![]
    }

    pub(crate) fn start_command(&mut self, step: usize, command: usize) -> Vec<Effect> {
        let s = &self.runbook.steps[step];
        let run = self.next_run_id();
        let (ev, job) = engine::command_start(run, s, &s.commands[command], &self.vars);
        self.record(ev);
        self.tails.insert(run, OutputTail::new(DISPLAY_LINES));
        self.shown_run = Some(run);
        self.output = OutputView::default();
        vec![Effect::Launch(run, Box::new(job))]
    }

    pub(crate) fn start_check(&mut self, step: usize, check: usize) -> Vec<Effect> {
        let s = &self.runbook.steps[step];
        let run = self.next_run_id();
        let (ev, job) = engine::check_start(run, &self.runbook, s, &s.checks[check], &self.vars);
        self.record(ev);
        self.shown_run = Some(run);
        vec![Effect::Launch(run, Box::new(job))]
    }

    pub(crate) fn run_all(&mut self) -> Vec<Effect> {
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
            effects.extend(self.start_command(step, i));
        }
        for (i, c) in s.checks.iter().enumerate() {
            if when_allows(c.when.as_ref(), &answers) {
                effects.extend(self.start_check(step, i));
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
        let lang = self.lang();
        self.flash = Some(format!(
            "{}{}",
            trf(lang, "started {} runs", &[&effects.len()]),
            if skipped > 0 {
                trf(
                    lang,
                    "; {} left for you (confirmation or follow)",
                    &[&skipped],
                )
            } else {
                String::new()
            }
        ));
        effects
    }

    pub(crate) fn enter_step(&mut self, idx: usize) {
        if self.session.incident().current == Some(idx) {
            return;
        }
        let ev = Event::StepEntered {
            step: self.runbook.steps[idx].id.clone(),
        };
        self.record(ev);
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

    pub(crate) fn complete_step(&mut self) {
        let Some(cur) = self.session.incident().current else {
            self.flash = Some(
                tr(
                    self.lang(),
                    "no active step: press Enter on a step to start it",
                )
                .into(),
            );
            return;
        };
        let ev = Event::StepCompleted {
            step: self.runbook.steps[cur].id.clone(),
        };
        self.record(ev);
        self.advance(cur);
    }

    pub(crate) fn advance(&mut self, from: usize) {
        match self.next_open_step(from) {
            Some(next) => self.enter_step(next),
            None => {
                self.flash = Some(
                    tr(
                        self.lang(),
                        "all steps done — press R to resolve the incident",
                    )
                    .into(),
                )
            }
        }
    }
}
