//! Drives the app without a terminal, for tests and benchmarks: actions in,
//! real jobs run, state and journal out.

use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use crate::incident::EndReason;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::runtime::Runtime;

/// The app plus a runtime, with the clock supplied by the caller.
pub struct Headless {
    /// The app under test.
    pub app: App,
    /// Its runtime.
    pub runtime: Runtime,
    /// Set when an action asked to quit.
    pub ended: Option<EndReason>,
}

impl Headless {
    /// Wraps an app.
    pub fn new(app: App) -> Headless {
        Headless {
            runtime: Runtime::for_app(&app),
            app,
            ended: None,
        }
    }

    /// Applies one action at time `now`.
    pub fn act(&mut self, action: Action, now: DateTime<FixedOffset>) {
        if let Some(r) = self.runtime.dispatch(&mut self.app, action, now) {
            self.ended = Some(r);
        }
    }

    /// Feeds job reports into the app until `done(app)` holds or `timeout` passes.
    /// Returns whether the condition was met.
    pub async fn settle(
        &mut self,
        timeout: Duration,
        now: impl Fn() -> DateTime<FixedOffset>,
        done: impl Fn(&App) -> bool,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        while !done(&self.app) {
            match tokio::time::timeout_at(deadline, self.runtime.next()).await {
                Ok(Some(u)) => self.act(Action::Work(u), now()),
                _ => return done(&self.app),
            }
        }
        true
    }

    /// Ends the session as the terminal loop would, and waits until the
    /// journal writer has everything on disk (as `runbook start` does at exit).
    pub async fn shutdown(&mut self, reason: EndReason, now: impl Fn() -> DateTime<FixedOffset>) {
        self.runtime.shutdown(&mut self.app, reason, now).await;
        let res = self.app.session.drain();
        self.app.note_write(res);
    }
}
