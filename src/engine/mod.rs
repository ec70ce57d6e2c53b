//! The job engine: the one place that runs work for an incident, for every
//! front end (the live screen, `runbook diagnose`, and next `drill` and
//! `watch`).
//!
//! It owns launching jobs (commands, probes, command checks) off the
//! caller's task, cancelling them, their timeouts, the concurrency limit,
//! shutdown (cancel all, then wait for their last reports), the rule for what
//! may run unattended ([`JobPolicy::admit`]) and the clock ([`now`]). Every
//! event it records goes through the [`Session`] (mask, stamp, fold, hand to
//! the journal writer) and then to its [`Subscriber`]s: the screen, the
//! `diagnose` printer, and later webhooks and drill detectors. A new
//! background worker is a new [`Job`] here, or a new subscriber.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use tokio::sync::mpsc;

use crate::exec::{self, Update};
use crate::incident::{Event, Incident, Record, RunId};
use crate::journal::JournalError;
use crate::session::Session;

mod jobs;
pub use jobs::{
    Job, Launched, WorkUpdate, check_start, command_start, describe_target, probe_context,
    record_launch_failure,
};

/// Starts a job that is not journaled (a drill's `fixed` detector probes
/// its checks this way: only the transitions it sees are recorded). Its
/// reports go to `tx`; the policy of no engine applies, so `job` carries
/// its own environment.
pub fn detached(run: RunId, job: Job, tx: mpsc::Sender<WorkUpdate>) -> Result<Launched, String> {
    jobs::spawn(run, job, tx)
}

/// The async runtime every front end runs its engine on: two worker
/// threads (the machine this is for has two cores), IO and timers.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// The wall clock, read only at the edge: the one place every front end
/// takes the time that stamps its events.
pub fn now() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// Why a command line needs a typed confirmation before it runs (the
/// destructive-command net). A line that can never start (see
/// [`exec::cannot_start`]) needs none: starting it changes nothing and
/// records the launch failure with its reason.
pub fn needs_confirmation(command_line: &str) -> Option<String> {
    match exec::cannot_start(command_line) {
        Some(_) => None,
        None => crate::danger::destructive_reason(command_line),
    }
}

/// Why a refused command is refused, given its rendered command line.
pub type Refusal = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// What the engine adds to or forbids in every job, fixed at construction.
/// The default adds nothing and refuses nothing.
#[derive(Clone, Default)]
pub struct JobPolicy {
    /// Added to the environment of every command and command check spawned
    /// (a drill points `rabbitmqctl` at its sandbox here).
    pub env: Vec<(String, String)>,
    /// When it returns `Some(why)` for a rendered command line, the command
    /// is not started nor offered for confirmation: it is journaled as
    /// started and finished with `launch_error: "refused in a drill: {why}"`.
    pub refuse: Option<Refusal>,
    /// The language of the refusal's journaled words (a drill's).
    pub lang: crate::i18n::Lang,
}

impl fmt::Debug for JobPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobPolicy")
            .field("env", &self.env)
            .field("refuse", &self.refuse.as_ref().map(|_| "fn"))
            .finish()
    }
}

/// May a command run unattended?
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// Yes: it starts on Enter, with "run all" and in `diagnose`.
    Run,
    /// Only after a typed confirmation, for this reason.
    Confirm(String),
    /// Never: the policy refuses it, for this reason (it is journaled as a
    /// launch that failed, and offered to no one for confirmation).
    Refuse(String),
}

impl JobPolicy {
    /// The rule for what may run unattended: refused by the policy first,
    /// then marked `confirm: true` by the runbook (`marked`), then caught by
    /// the destructive-command net.
    pub fn admit(&self, command_line: &str, marked: bool) -> Admission {
        if let Some(why) = self.refused(command_line) {
            return Admission::Refuse(why);
        }
        if marked {
            return Admission::Confirm("the runbook marks it as changing the system".into());
        }
        match needs_confirmation(command_line) {
            Some(reason) => Admission::Confirm(reason),
            None => Admission::Run,
        }
    }

    fn refused(&self, command_line: &str) -> Option<String> {
        self.refuse.as_ref().and_then(|f| f(command_line))
    }
}

/// A consumer of the recorded events: the screen, the `diagnose` printer,
/// later webhooks and drill detectors.
pub trait Subscriber: Send {
    /// Called once per event the engine records, in journal order, with the
    /// incident as folded so far.
    fn recorded(&mut self, record: &Record, incident: &Incident);
}

/// Jobs in flight, the channel their reports come back on, and the
/// consumers of what gets recorded.
pub struct Engine {
    policy: Arc<JobPolicy>,
    limit: Option<usize>,
    tx: mpsc::Sender<WorkUpdate>,
    rx: mpsc::Receiver<WorkUpdate>,
    launched: BTreeMap<RunId, Launched>,
    subscribers: Vec<Box<dyn Subscriber>>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("policy", &self.policy)
            .field("limit", &self.limit)
            .field("in_flight", &self.launched.len())
            .field("subscribers", &self.subscribers.len())
            .finish()
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new(JobPolicy::default())
    }
}

/// How long shutdown waits for cancelled jobs to report their end.
const SHUTDOWN_WAIT: Duration = Duration::from_secs(5);

impl Engine {
    /// An idle engine with no concurrency limit.
    pub fn new(policy: impl Into<Arc<JobPolicy>>) -> Engine {
        // Bounded: a flooding command waits for its consumer instead of
        // piling up memory.
        let (tx, rx) = mpsc::channel(256);
        Engine {
            policy: policy.into(),
            limit: None,
            tx,
            rx,
            launched: BTreeMap::new(),
            subscribers: Vec::new(),
        }
    }

    /// At most `jobs` jobs at once (see [`Engine::has_room`]).
    pub fn with_limit(mut self, jobs: usize) -> Engine {
        self.limit = Some(jobs.max(1));
        self
    }

    /// The policy every job follows.
    pub fn policy(&self) -> &Arc<JobPolicy> {
        &self.policy
    }

    /// Attaches a consumer to the stream of events this engine records.
    pub fn subscribe(&mut self, subscriber: Box<dyn Subscriber>) {
        self.subscribers.push(subscriber);
    }

    /// Number of jobs still running.
    pub fn in_flight(&self) -> usize {
        self.launched.len()
    }

    /// True while another job may start under the concurrency limit.
    pub fn has_room(&self) -> bool {
        self.limit.is_none_or(|n| self.launched.len() < n)
    }

    /// Records an event (masked, stamped, folded, handed to the journal
    /// writer) and tells the subscribers.
    pub fn record(
        &mut self,
        session: &mut Session,
        event: Event,
        now: DateTime<FixedOffset>,
    ) -> Result<(), JournalError> {
        self.tap(session);
        let res = session.record(event, now).map(|_| ());
        self.publish(session);
        res
    }

    /// Records `started` (a `command_started` or `check_started` of `run`)
    /// and launches its job. Returns the first journal error.
    pub fn start(
        &mut self,
        session: &mut Session,
        run: RunId,
        started: Event,
        job: Job,
        now: DateTime<FixedOffset>,
    ) -> Result<(), JournalError> {
        let first = self.record(session, started, now);
        let then = self.launch(session, run, job, now);
        first.and(then)
    }

    /// Launches the job of a run already journaled as started. A command the
    /// policy refuses, or one that cannot be spawned, is journaled as ended
    /// with the reason instead.
    pub fn launch(
        &mut self,
        session: &mut Session,
        run: RunId,
        mut job: Job,
        now: DateTime<FixedOffset>,
    ) -> Result<(), JournalError> {
        self.tap(session);
        let is_check = !matches!(job, Job::Command(_));
        let refused = match &mut job {
            Job::Command(spec) | Job::CommandCheck(spec, _, _) => {
                let refused = self.policy.refused(&spec.command_line);
                // The policy's environment first: a job that names its own
                // (a drill's fault on node 2) keeps it.
                let own = std::mem::take(&mut spec.env);
                spec.env = self.policy.env.iter().cloned().chain(own).collect();
                refused
            }
            Job::Probe(..) => None,
        };
        let failed = match refused {
            Some(why) => Some(crate::i18n::trf(
                self.policy.lang,
                "refused in a drill: {}",
                &[&why],
            )),
            None => match jobs::spawn(run, job, self.tx.clone()) {
                Ok(l) => {
                    self.launched.insert(run, l);
                    None
                }
                Err(why) => Some(why),
            },
        };
        let res = match failed {
            Some(why) => record_launch_failure(session, run, is_check, &why, now),
            None => Ok(()),
        };
        self.publish(session);
        res
    }

    /// The next report of a running job (`None` only if the engine is gone).
    pub async fn next(&mut self) -> Option<WorkUpdate> {
        self.rx.recv().await
    }

    /// A report already waiting, if any.
    pub fn try_next(&mut self) -> Option<WorkUpdate> {
        self.rx.try_recv().ok()
    }

    /// Records a job's report; a run that ended leaves the jobs in flight.
    pub fn report(
        &mut self,
        session: &mut Session,
        update: &WorkUpdate,
        now: DateTime<FixedOffset>,
    ) -> Result<(), JournalError> {
        match update {
            WorkUpdate::Exec(run, Update::Finished(_)) | WorkUpdate::Check(run, ..) => {
                self.launched.remove(run);
            }
            WorkUpdate::Exec(..) => {}
        }
        self.tap(session);
        let res = jobs::apply_update(session, update, now);
        self.publish(session);
        res
    }

    /// Stops one job. A command reports its own end (cancelled) through its
    /// updates; a check's task is abandoned, so its end is recorded here.
    pub fn cancel(
        &mut self,
        session: &mut Session,
        run: RunId,
        now: DateTime<FixedOffset>,
    ) -> Result<(), JournalError> {
        let Some(l) = self.launched.get(&run) else {
            return Ok(());
        };
        self.tap(session);
        let (ended, res) = jobs::cancel(session, run, l, now);
        if ended {
            self.launched.remove(&run);
        }
        self.publish(session);
        res
    }

    /// Stops every job (see [`Engine::cancel`]); returns the first journal error.
    pub fn cancel_all(
        &mut self,
        session: &mut Session,
        now: DateTime<FixedOffset>,
    ) -> Result<(), JournalError> {
        let runs: Vec<RunId> = self.launched.keys().copied().collect();
        let mut first = Ok(());
        for run in runs {
            let res = self.cancel(session, run, now);
            first = first.and(res);
        }
        first
    }

    /// Cancels every job and waits (bounded) for their last reports, which
    /// are recorded, so nothing a job said before it stopped is lost.
    /// Returns the first journal error.
    pub async fn shutdown(
        &mut self,
        session: &mut Session,
        now: impl Fn() -> DateTime<FixedOffset>,
    ) -> Result<(), JournalError> {
        let mut first = self.cancel_all(session, now());
        let deadline = tokio::time::Instant::now() + SHUTDOWN_WAIT;
        while !self.launched.is_empty() {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(update)) => {
                    let res = self.report(session, &update, now());
                    first = first.and(res);
                }
                _ => break,
            }
        }
        first
    }

    /// Has the session keep what it records for the subscribers, if any.
    fn tap(&self, session: &mut Session) {
        if !self.subscribers.is_empty() {
            session.keep_recorded();
        }
    }

    fn publish(&mut self, session: &mut Session) {
        if self.subscribers.is_empty() {
            return;
        }
        for record in session.take_recorded() {
            for s in &mut self.subscribers {
                s.recorded(&record, session.incident());
            }
        }
    }
}
