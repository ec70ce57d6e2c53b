//! The jobs the engine runs: what a runbook item becomes (a `*_started`
//! event plus a [`Job`]), how a job is spawned off the caller's task, and how
//! each [`WorkUpdate`] it reports is recorded.

use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use tokio::sync::mpsc;

use crate::exec::{self, RunHandle, Spec, Update};
use crate::i18n::{Lang, tr, trf};
use crate::incident::{CheckStatus, Event, RunId};
use crate::journal::JournalError;
use crate::probe::{self, CheckOutcome, ProbeContext};
use crate::runbook::{CheckKind, CheckSpec, CommandCheck, CommandSpec, Runbook, Step, Vars};
use crate::session::{RunEnd, Session};

/// Most output a command check keeps to judge and show as evidence.
const COMMAND_CHECK_OUTPUT: usize = 64 * 1024;

/// Work to do off the UI task for one run.
#[derive(Debug, Clone)]
pub enum Job {
    /// A shell command whose output streams into the incident.
    Command(Spec),
    /// A built-in probe (its context boxed: it is the largest part).
    Probe(CheckKind, Box<ProbeContext>),
    /// A `command:` check: run, collect, judge (and say so in the language).
    CommandCheck(Spec, CommandCheck, Lang),
}

/// Something a running job reports.
#[derive(Debug)]
pub enum WorkUpdate {
    /// Output or the end of a command.
    Exec(RunId, Update),
    /// The result of a check.
    Check(RunId, CheckOutcome, Duration),
}

/// A launched job, for cancelling it.
#[derive(Debug)]
pub enum Launched {
    /// A child process group.
    Process(RunHandle),
    /// An async task (probe or command check).
    Task(tokio::task::JoinHandle<()>, Option<RunHandle>),
}

impl Launched {
    /// Stops the job: the process group is terminated, a probe abandoned.
    pub fn cancel(&self) {
        match self {
            Launched::Process(h) => h.cancel(),
            Launched::Task(t, h) => {
                if let Some(h) = h {
                    h.cancel();
                }
                t.abort();
            }
        }
    }
}

/// The probe context for a runbook's checks: thresholds, the management
/// API defaults from the `mgmt_*` variables, and the runbook's language (the
/// incident's: outcomes are journaled as the probes word them).
pub fn probe_context(runbook: &Runbook, vars: &Vars, timeout: Duration) -> ProbeContext {
    ProbeContext {
        thresholds: runbook.thresholds.clone(),
        mgmt_url: vars.get("mgmt_url").map(str::to_string),
        mgmt_user: vars.get("mgmt_user").map(str::to_string),
        mgmt_password: vars.get("mgmt_password").map(str::to_string),
        timeout,
        lang: Lang::from_tag(runbook.lang.as_deref()),
    }
}

/// The `command_started` event and the job for run `run` of `cmd`.
pub fn command_start(run: RunId, step: &Step, cmd: &CommandSpec, vars: &Vars) -> (Event, Job) {
    let mut spec = Spec::new(vars.render_shell(&cmd.run));
    spec.timeout = if cmd.follow { None } else { Some(cmd.timeout) };
    let ev = Event::CommandStarted {
        run,
        step: step.id.clone(),
        command: cmd.id.clone(),
        command_line: vars.render_shell_masked(&cmd.run),
        pid: None,
    };
    (ev, Job::Command(spec))
}

/// The `check_started` event and the job for run `run` of `check`.
pub fn check_start(
    run: RunId,
    runbook: &Runbook,
    step: &Step,
    check: &CheckSpec,
    vars: &Vars,
) -> (Event, Job) {
    let rendered = vars.render_check(&check.kind);
    let masked = vars.render_check_masked(&check.kind);
    let ev = Event::CheckStarted {
        run,
        step: step.id.clone(),
        check: check.id.clone(),
        kind: check.kind.name().to_string(),
        target: describe_target(&masked),
    };
    let job = match rendered {
        CheckKind::Command(cc) => {
            let mut spec = Spec::new(cc.run.clone());
            spec.timeout = Some(check.timeout);
            Job::CommandCheck(spec, cc, Lang::from_tag(runbook.lang.as_deref()))
        }
        kind => Job::Probe(kind, Box::new(probe_context(runbook, vars, check.timeout))),
    };
    (ev, job)
}

/// What a check looks at, in one line (for the journal and the screen).
pub fn describe_target(kind: &CheckKind) -> String {
    match kind {
        CheckKind::Tcp { target } => target.clone(),
        CheckKind::Http(h) => h.url.clone(),
        CheckKind::Amqp { url } => url.clone(),
        CheckKind::Rabbitmq(r) => {
            let what = crate::runbook::RabbitmqCheckKind::ALL
                .iter()
                .find(|(_, k)| *k == r.check)
                .map(|(n, _)| *n)
                .unwrap_or("?");
            match (&r.api, r.port) {
                (Some(api), Some(p)) => format!("{what} {p} @ {api}"),
                (Some(api), None) => format!("{what} @ {api}"),
                (None, Some(p)) => format!("{what} {p}"),
                (None, None) => what.to_string(),
            }
        }
        CheckKind::Resources { disk_path } => match disk_path {
            Some(p) => format!("host resources, disk of {p}"),
            None => "host resources".to_string(),
        },
        CheckKind::Command(c) => c.run.clone(),
    }
}

/// Starts a job off the caller's task; its updates arrive on `tx`.
pub(super) fn spawn(
    run: RunId,
    job: Job,
    tx: mpsc::Sender<WorkUpdate>,
) -> Result<Launched, String> {
    match job {
        Job::Command(spec) => {
            let (etx, mut erx) = mpsc::channel(64);
            let handle = exec::spawn(run, spec, etx).map_err(|e| e.to_string())?;
            tokio::spawn(async move {
                while let Some((run, update)) = erx.recv().await {
                    if tx.send(WorkUpdate::Exec(run, update)).await.is_err() {
                        break;
                    }
                }
            });
            Ok(Launched::Process(handle))
        }
        Job::Probe(kind, ctx) => {
            let task = tokio::spawn(async move {
                let started = std::time::Instant::now();
                // Every probe bounds itself by ctx.timeout; this outer bound and
                // the separate task make sure a run always ends with a result,
                // even if a probe overran or panicked (a bug), so neither the
                // screen nor `diagnose` waits forever.
                let limit = ctx.timeout + Duration::from_secs(2);
                let lang = ctx.lang;
                let inner = tokio::spawn(async move { probe::run_check(&kind, &ctx).await });
                let abort = inner.abort_handle();
                let outcome = match tokio::time::timeout(limit, inner).await {
                    Ok(Ok(outcome)) => outcome,
                    Ok(Err(e)) => CheckOutcome::error(
                        tr(lang, "the check failed unexpectedly (a bug in runbook)"),
                        e.to_string(),
                    ),
                    Err(_) => {
                        abort.abort();
                        CheckOutcome::error(
                            trf(
                                lang,
                                "no result within {}",
                                &[&crate::runbook::format_duration(limit)],
                            ),
                            "",
                        )
                    }
                };
                let _ = tx
                    .send(WorkUpdate::Check(run, outcome, started.elapsed()))
                    .await;
            });
            Ok(Launched::Task(task, None))
        }
        Job::CommandCheck(spec, cc, lang) => {
            let (etx, mut erx) = mpsc::channel(64);
            let started = std::time::Instant::now();
            let handle = exec::spawn(run, spec, etx).map_err(|e| e.to_string())?;
            let task = tokio::spawn(async move {
                let mut output = String::new();
                let mut outcome = None;
                while let Some((_, update)) = erx.recv().await {
                    match update {
                        Update::Output { text, .. } => {
                            if output.len() < COMMAND_CHECK_OUTPUT {
                                output.push_str(&text);
                            }
                        }
                        Update::Finished(o) => outcome = Some(o),
                    }
                }
                let judged = match outcome {
                    Some(o) if o.timed_out => CheckOutcome {
                        status: CheckStatus::Error,
                        summary: trf(
                            lang,
                            "command timed out after {}",
                            &[&crate::runbook::format_duration(o.duration)],
                        ),
                        evidence: exec::sanitize::strip_sgr(&output),
                    },
                    Some(o) => probe::evaluate_command_check(
                        &cc,
                        o.exit_code,
                        &exec::sanitize::strip_sgr(&output),
                        lang,
                    ),
                    None => CheckOutcome {
                        status: CheckStatus::Error,
                        summary: tr(lang, "command ended without a result").into(),
                        evidence: String::new(),
                    },
                };
                let _ = tx
                    .send(WorkUpdate::Check(run, judged, started.elapsed()))
                    .await;
            });
            Ok(Launched::Task(task, Some(handle)))
        }
    }
}

/// Records a job's report in the incident.
pub(super) fn apply_update(
    session: &mut Session,
    update: &WorkUpdate,
    now: DateTime<FixedOffset>,
) -> Result<(), JournalError> {
    match update {
        WorkUpdate::Exec(run, Update::Output { stream, text, .. }) => {
            session.record_output(*run, *stream, text, now)
        }
        WorkUpdate::Exec(run, Update::Finished(o)) => session.record_finished(
            *run,
            RunEnd {
                exit_code: o.exit_code,
                signal: o.signal,
                timed_out: o.timed_out,
                cancelled: o.cancelled,
                duration_ms: o.duration.as_millis() as u64,
                bytes: o.bytes,
            },
            now,
        ),
        WorkUpdate::Check(run, outcome, took) => {
            let outcome = outcome
                .clone()
                .bounded(Lang::of_incident(session.incident()));
            session
                .record(
                    Event::CheckFinished {
                        run: *run,
                        status: outcome.status,
                        summary: outcome.summary,
                        evidence: outcome.evidence,
                        duration_ms: took.as_millis() as u64,
                    },
                    now,
                )
                .map(|_| ())
        }
    }
}

/// Stops a launched job. A command reports its own end (cancelled) through
/// its updates; a check's task is abandoned and reports nothing, so its end
/// is recorded here. Returns true when the run has ended now.
pub(super) fn cancel(
    session: &mut Session,
    run: RunId,
    launched: &Launched,
    now: DateTime<FixedOffset>,
) -> (bool, Result<(), JournalError>) {
    launched.cancel();
    match launched {
        Launched::Process(_) => (false, Ok(())),
        Launched::Task(..) => {
            let took = session
                .incident()
                .runs
                .get(&run)
                .map_or(0, |r| (now - r.started_at).num_milliseconds().max(0) as u64);
            let ev = Event::CheckFinished {
                run,
                status: CheckStatus::Error,
                summary: tr(
                    Lang::of_incident(session.incident()),
                    "cancelled before it finished",
                )
                .into(),
                evidence: String::new(),
                duration_ms: took,
            };
            (true, session.record(ev, now).map(|_| ()))
        }
    }
}

/// Records that a run could not even start (e.g. `sh` missing).
pub fn record_launch_failure(
    session: &mut Session,
    run: RunId,
    is_check: bool,
    why: &str,
    now: DateTime<FixedOffset>,
) -> Result<(), JournalError> {
    let ev = if is_check {
        Event::CheckFinished {
            run,
            status: CheckStatus::Error,
            summary: trf(
                Lang::of_incident(session.incident()),
                "could not start: {}",
                &[&why],
            ),
            evidence: String::new(),
            duration_ms: 0,
        }
    } else {
        Event::CommandFinished {
            run,
            exit_code: None,
            signal: None,
            timed_out: false,
            cancelled: false,
            duration_ms: 0,
            bytes: 0,
            truncated: false,
            launch_error: Some(why.to_string()),
        }
    };
    if !is_check {
        session.record(
            Event::CommandOutput {
                run,
                stream: crate::incident::Stream::Stderr,
                text: format!("runbook: could not start the command: {why}\n"),
            },
            now,
        )?;
    }
    session.record(ev, now).map(|_| ())
}
