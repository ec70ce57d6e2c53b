//! Carries out the app's effects through the job engine: records the events
//! an update asks for, launches and cancels jobs, and at the end stops
//! everything and records `session_ended`. Used by the terminal loop and by
//! the headless driver alike.

use chrono::{DateTime, FixedOffset};

use crate::engine::{Engine, WorkUpdate};
use crate::incident::{EndReason, Event};
use crate::notify::{Delivery, Notifier};
use crate::tui::action::Action;
use crate::tui::app::{App, Effect};

/// The screen's job engine and webhook senders.
#[derive(Debug, Default)]
pub struct Runtime {
    /// Runs the jobs and records what they report.
    pub engine: Engine,
    /// Sends the webhooks (none when the app has no target).
    pub notifier: Option<Notifier>,
}

impl Runtime {
    /// An idle runtime with the default job policy.
    pub fn new() -> Runtime {
        Runtime::default()
    }

    /// An idle runtime whose engine follows the app's policy.
    /// With webhook targets, their senders start on the current tokio
    /// runtime (none there: nothing is sent, and the screen says so).
    pub fn for_app(app: &App) -> Runtime {
        let mut engine = Engine::new(app.policy.clone());
        let notifier = if app.notify.targets.is_empty() {
            None
        } else if let Ok(handle) = tokio::runtime::Handle::try_current() {
            let (mut notifier, feed) =
                Notifier::start(&app.notify, app.session.incident(), &handle);
            engine.subscribe(Box::new(feed));
            if !app.asking_title() {
                notifier.announce_opened(app.session.incident());
            }
            Some(notifier)
        } else {
            None
        };
        Runtime { engine, notifier }
    }

    /// The next webhook outcome (pending for ever without targets).
    pub async fn next_delivery(&mut self) -> Option<Delivery> {
        next_delivery(&mut self.notifier).await
    }

    /// Webhook messages still being sent.
    pub fn notifications_in_flight(&self) -> usize {
        self.notifier.as_ref().map_or(0, Notifier::in_flight)
    }

    /// Number of jobs still running.
    pub fn in_flight(&self) -> usize {
        self.engine.in_flight()
    }

    /// The next report of a running job.
    pub async fn next(&mut self) -> Option<WorkUpdate> {
        self.engine.next().await
    }

    /// Applies an action to the app and carries out its effects. Returns the
    /// reason to end the session when the app asked to quit.
    pub fn dispatch(
        &mut self,
        app: &mut App,
        action: Action,
        now: DateTime<FixedOffset>,
    ) -> Option<EndReason> {
        let mut quit = None;
        for effect in self.apply(app, action, now) {
            match effect {
                Effect::Record(ev) => self.record(app, *ev, now),
                Effect::Launch(run, job) => {
                    let res = self.engine.launch(&mut app.session, run, *job, now);
                    app.note_write(res);
                }
                Effect::Cancel(run) => {
                    let res = self.engine.cancel(&mut app.session, run, now);
                    app.note_write(res);
                }
                Effect::Quit(reason) => quit = Some(reason),
            }
        }
        quit
    }

    /// Applies an action without starting or stopping jobs: a job's report
    /// is recorded, the app updated, and the events it asks for recorded
    /// (so the next frame shows them). Returns the other effects (launch,
    /// cancel, quit). Tests that feed reports by hand use this directly.
    pub fn apply(
        &mut self,
        app: &mut App,
        action: Action,
        now: DateTime<FixedOffset>,
    ) -> Vec<Effect> {
        if let Action::Work(update) = &action {
            let res = self.engine.report(&mut app.session, update, now);
            app.note_write(res);
        }
        let mut rest = Vec::new();
        for effect in app.update(action, now) {
            match effect {
                // Recorded now, in order: a launch that follows may fail at
                // once and record its end after its start.
                Effect::Record(ev) if rest.is_empty() => self.record(app, *ev, now),
                other => rest.push(other),
            }
        }
        // A new incident is announced once the operator has given its
        // title (or closed the dialog without one).
        if let Some(n) = self.notifier.as_mut()
            && n.opening_pending()
            && !app.asking_title()
        {
            n.announce_opened(app.session.incident());
        }
        rest
    }

    fn record(&mut self, app: &mut App, ev: Event, now: DateTime<FixedOffset>) {
        let res = self.engine.record(&mut app.session, ev, now);
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
        let res = self.engine.shutdown(&mut app.session, &now).await;
        app.note_write(res);
        // What is still being sent gets a bounded wait (the resolution is
        // often the last thing said before quitting); its outcome, or that
        // it was given up, is journaled before the session's end.
        if let Some(n) = self.notifier.as_mut() {
            for d in n.drain().await {
                self.record(app, d.into_event(), now());
            }
        }
        self.record(app, Event::SessionEnded { reason }, now());
    }
}

/// The next outcome of `notifier`, pending for ever without one (a borrow of
/// the notifier alone, beside the engine's, for the event loop).
pub async fn next_delivery(notifier: &mut Option<Notifier>) -> Option<Delivery> {
    match notifier.as_mut() {
        Some(n) => n.next().await,
        None => std::future::pending().await,
    }
}
