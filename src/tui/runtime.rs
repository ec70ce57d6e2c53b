//! Carries out the app's effects: launches jobs off the UI task, cancels
//! them, and at the end stops everything and records `session_ended`.
//! Used by the terminal loop and by the headless driver alike.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use tokio::sync::mpsc;

use crate::exec::Update;
use crate::incident::{EndReason, Event, RunId};
use crate::runs::{self, Launched, WorkUpdate};
use crate::tui::action::Action;
use crate::tui::app::{App, Effect};

/// Jobs in flight and the channel their reports come back on.
pub struct Runtime {
    tx: mpsc::Sender<WorkUpdate>,
    /// Reports from running jobs.
    pub rx: mpsc::Receiver<WorkUpdate>,
    launched: HashMap<RunId, Launched>,
}

impl Default for Runtime {
    fn default() -> Self {
        Self::new()
    }
}

impl Runtime {
    /// An idle runtime.
    pub fn new() -> Runtime {
        // Bounded: a flooding command waits for the UI instead of piling up memory.
        let (tx, rx) = mpsc::channel(256);
        Runtime {
            tx,
            rx,
            launched: HashMap::new(),
        }
    }

    /// Number of jobs still running.
    pub fn in_flight(&self) -> usize {
        self.launched.len()
    }

    /// Applies an action to the app and carries out its effects. Returns the
    /// reason to end the session when the app asked to quit.
    pub fn dispatch(
        &mut self,
        app: &mut App,
        action: Action,
        now: DateTime<FixedOffset>,
    ) -> Option<EndReason> {
        if let Action::Work(update) = &action {
            self.observe(update);
        }
        let effects = app.update(action, now);
        self.perform(app, effects, now)
    }

    fn observe(&mut self, update: &WorkUpdate) {
        match update {
            WorkUpdate::Exec(run, Update::Finished(_)) | WorkUpdate::Check(run, ..) => {
                self.launched.remove(run);
            }
            WorkUpdate::Exec(..) => {}
        }
    }

    fn perform(
        &mut self,
        app: &mut App,
        effects: Vec<Effect>,
        now: DateTime<FixedOffset>,
    ) -> Option<EndReason> {
        let mut quit = None;
        for effect in effects {
            match effect {
                Effect::Launch(run, job) => {
                    let is_check = !matches!(*job, runs::Job::Command(_));
                    match runs::launch(run, *job, self.tx.clone()) {
                        Ok(l) => {
                            self.launched.insert(run, l);
                        }
                        Err(why) => {
                            let res = runs::record_launch_failure(
                                &mut app.session,
                                run,
                                is_check,
                                &why,
                                now,
                            );
                            app.note_write(res);
                        }
                    }
                }
                Effect::Cancel(run) => self.cancel(app, run, now),
                Effect::Quit(reason) => quit = Some(reason),
            }
        }
        quit
    }

    /// Stops one job. A command reports its own end (cancelled); a check's
    /// task is abandoned, so its end is recorded here, at once.
    fn cancel(&mut self, app: &mut App, run: RunId, now: DateTime<FixedOffset>) {
        let Some(l) = self.launched.get(&run) else {
            return;
        };
        let (ended, res) = runs::cancel(&mut app.session, run, l, now);
        if ended {
            self.launched.remove(&run);
        }
        app.note_write(res);
    }

    /// Cancels every job, waits (bounded) for their last reports so they are
    /// journaled, then records `session_ended`. The caller drains the
    /// journal writer ([`crate::session::Session::drain`]) before it exits.
    pub async fn shutdown(
        &mut self,
        app: &mut App,
        reason: EndReason,
        now: impl Fn() -> DateTime<FixedOffset>,
    ) {
        let runs: Vec<RunId> = self.launched.keys().copied().collect();
        for run in runs {
            self.cancel(app, run, now());
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while !self.launched.is_empty() {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(update)) => {
                    self.dispatch(app, Action::Work(update), now());
                }
                _ => break,
            }
        }
        let res = app
            .session
            .record(Event::SessionEnded { reason }, now())
            .map(|_| ());
        app.note_write(res);
    }
}
