//! One drill from start to cleanup, shared by the drill screen and
//! `--autopilot`: boot the sandbox, open the drill journal, start the
//! traffic, inject the faults and prove they are live, watch the `fixed`
//! checks, score, clean up. Every step is journaled as it happens, so
//! `review`, `report` and `scores` see exactly what the trainee saw.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use tokio::sync::mpsc;

use super::detect::FixedTracker;
use super::fence::Fence;
use super::model::Scenario;
use super::sandbox::{Cleanup, Progress, Sandbox, SandboxSpec};
use super::scenario::LoadedScenario;
use super::traffic::{self, TrafficHandle};
use crate::engine::{self as runs, Engine, Job, JobPolicy, WorkUpdate, now};
use crate::exec::Update;
use crate::i18n::{Lang, trf};
use crate::incident::{
    CheckStatus, DrillActor, DrillChange, DrillEndReason, Event, Incident, Mode, RunId, ScenarioRef,
};
use crate::probe::CheckOutcome;
use crate::runbook::{CheckKind, CheckSpec, Runbook, Vars};
use crate::session::Session;

/// The step id drill-only commands (faults, the model answer's own lines)
/// are journaled under; it is no step of the runbook.
pub const DRILL_STEP: &str = "drill";

/// What starting a drill needs from the command line.
#[derive(Debug, Clone, Default)]
pub struct DrillStart {
    /// Who is drilled.
    pub trainee: Option<String>,
    /// Journal directory.
    pub log_dir: Option<PathBuf>,
    /// `--var K=V` (runbook variables, over the scenario's and sandbox's).
    pub vars: Vec<String>,
    /// Where sandboxes live (default [`super::sandbox::default_state_dir`]).
    pub state_dir: Option<PathBuf>,
    /// `--notify URL`: webhooks the trainer asked for.
    pub notify: Vec<String>,
    /// The language of the start's error messages (the locale's).
    pub lang: crate::i18n::Lang,
}

/// A drill whose sandbox is up and whose journal is open.
pub struct Drill {
    /// The scenario.
    pub scenario: Scenario,
    /// The runbook drilled (the production one).
    pub runbook: Runbook,
    /// The runbook's variables, the sandbox's values set.
    pub vars: Vars,
    /// The runbook's variables plus every sandbox and scenario variable, for
    /// the scenario's own templates (faults, traffic, checks).
    pub scenario_vars: Vars,
    /// The drill journal.
    pub session: Session,
    /// The throwaway broker (taken by [`Drill::finish`]).
    pub sandbox: Option<Sandbox>,
    /// Refuses commands that would reach production.
    pub fence: Fence,
    /// Background clients, once started.
    pub traffic: Option<TrafficHandle>,
    /// When the last scenario fault went in.
    pub injected_at: Option<DateTime<FixedOffset>>,
    /// The `fixed` detector.
    pub tracker: FixedTracker,
    /// The node's OS pid at injection, to tell a fix by restart.
    pub pid_at_injection: Option<u32>,
    /// Runs the trainee's lines: node 1's environment, behind the fence.
    pub engine: Engine,
    /// Runs the trainer's own lines (faults, the model answer's shell
    /// lines): each names its node's environment, no fence.
    pub trainer: Engine,
}

/// Why a drill could not start; the message names what and where.
#[derive(Debug)]
pub struct StartError {
    /// For the user.
    pub message: String,
    /// Exit code.
    pub code: i32,
}

/// The runbook a scenario names, in the trainee's language when there is
/// one: for a Chinese locale, the runbook `<id>-zh` of the catalog
/// (`./runbooks`, the user's directory, embedded), used only when its steps,
/// questions and items have the same ids (so the scenario's expected path,
/// answers and scoring hold as they are).
fn in_language(
    named: crate::runbook::load::LoadedRunbook,
    lang: crate::i18n::Lang,
) -> crate::runbook::load::LoadedRunbook {
    if lang != crate::i18n::Lang::Zh
        || named
            .runbook
            .lang
            .as_deref()
            .is_some_and(|l| l.starts_with("zh"))
    {
        return named;
    }
    match crate::runbook::catalog::resolve(&format!("{}-zh", named.runbook.id)) {
        Ok(zh) if same_skeleton(&named.runbook, &zh.runbook) => zh,
        _ => named,
    }
}

/// Same step ids, each with the same question, choice, command and check ids.
fn same_skeleton(a: &Runbook, b: &Runbook) -> bool {
    let skeleton = |rb: &Runbook| -> Vec<String> {
        rb.steps
            .iter()
            .flat_map(|s| {
                let mut ids = vec![format!("step {}", s.id)];
                if let Some(ask) = &s.ask {
                    ids.push(format!("ask {}", ask.id));
                    ids.extend(ask.choices.iter().map(|c| format!("choice {c}")));
                }
                ids.extend(s.commands.iter().map(|c| format!("command {}", c.id)));
                ids.extend(s.checks.iter().map(|c| format!("check {}", c.id)));
                ids
            })
            .collect()
    };
    skeleton(a) == skeleton(b)
}

fn fail(message: impl Into<String>, code: i32) -> StartError {
    StartError {
        message: message.into(),
        code,
    }
}

impl Drill {
    /// Boots the sandbox (blocking: call it off any UI task) and opens the
    /// drill journal with `incident_opened` (mode drill) and `drill_started`.
    pub fn start(
        loaded: LoadedScenario,
        opts: &DrillStart,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Drill, StartError> {
        let scenario = loaded.scenario;
        let lang = opts.lang;
        let runbook_loaded = in_language(loaded.runbook, lang);
        let overrides =
            crate::cli::setup::parse_var_args(&opts.vars, lang).map_err(|e| fail(e, 2))?;
        let state_dir = opts
            .state_dir
            .clone()
            .unwrap_or_else(super::sandbox::default_state_dir);
        let at = now();
        let incident_id = format!("{}-{}", at.format("%Y%m%dT%H%M%S"), std::process::id());
        let spec = SandboxSpec {
            broker: &scenario.broker,
            id: incident_id.clone(),
        };
        let sandbox = Sandbox::start(&state_dir, &spec, progress)
            .map_err(|e| fail(trf(lang, "the drill's sandbox broker: {}", &[&e]), 1))?;
        // Sandbox values, then the scenario's, then the command line's.
        let mut layered: Vec<(String, String)> = sandbox.vars().into_iter().collect();
        layered.extend(scenario.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        layered.extend(overrides);
        let declared: Vec<(String, String)> = layered
            .iter()
            .filter(|(k, _)| runbook_loaded.runbook.var(k).is_some())
            .cloned()
            .collect();
        let vars =
            crate::runbook::template::resolve_vars(&runbook_loaded.runbook, &declared, &|k| {
                std::env::var(k).ok()
            });
        let vars = match vars {
            Ok(v) => v,
            Err(e) => {
                let _ = sandbox.stop();
                return Err(fail(
                    trf(lang, "runbook variables: {}", &[&e.message(lang)]),
                    2,
                ));
            }
        };
        let scenario_vars = vars.overlaid(layered);
        let nodes = sandbox.nodes();
        let fence = Fence::for_nodes(&nodes).in_lang(crate::i18n::Lang::from_tag(
            runbook_loaded.runbook.lang.as_deref(),
        ));
        let policy = drill_policy(sandbox.env(0), fence.clone());
        let rb = runbook_loaded.runbook;
        let opened = Event::IncidentOpened {
            schema: crate::incident::JOURNAL_SCHEMA,
            incident_id,
            title: format!("drill: {}", scenario.title),
            runbook: crate::incident::RunbookRef {
                id: rb.id.clone(),
                title: rb.title.clone(),
                path: runbook_loaded.origin.label(),
                sha256: runbook_loaded.sha256.clone(),
            },
            steps: crate::cli::setup::outlines(&rb),
            vars: vars.masked_map(),
            host: crate::session::host_name(),
            user: crate::session::user_name(),
            mode: Mode::Drill,
            program_version: env!("CARGO_PKG_VERSION").to_string(),
            lang: rb.lang.clone().unwrap_or_default(),
        };
        let dir = crate::journal::log_dir(opts.log_dir.as_deref());
        let masker = crate::secrets::Masker::new(vars.secret_values());
        let mut session = match Session::start(&dir, opened, masker, now()) {
            Ok(s) => s,
            Err(e) => {
                let _ = sandbox.stop();
                return Err(fail(
                    trf(
                        lang,
                        "cannot open the drill journal: {}",
                        &[&e.message(lang)],
                    ),
                    2,
                ));
            }
        };
        let started = Event::DrillStarted {
            scenario: ScenarioRef {
                id: scenario.id.clone(),
                title: scenario.title.clone(),
                path: loaded.origin.label(),
                sha256: loaded.sha256,
            },
            trainee: opts
                .trainee
                .clone()
                .unwrap_or_else(crate::session::user_name),
            nodes,
            sandbox: sandbox.dir().display().to_string(),
        };
        let _ = session.record(started, now());
        let tracker = FixedTracker::new(
            scenario.fixed.checks.iter().map(|c| c.id.clone()),
            scenario.fixed.hold,
        );
        Ok(Drill {
            scenario,
            runbook: rb,
            vars,
            scenario_vars,
            session,
            sandbox: Some(sandbox),
            fence,
            traffic: None,
            injected_at: None,
            tracker,
            pid_at_injection: None,
            engine: Engine::new(policy),
            trainer: Engine::default(),
        })
    }

    /// The sandbox environment commands of node `n` run with.
    pub fn env(&self, node: usize) -> Vec<(String, String)> {
        self.sandbox
            .as_ref()
            .map(|s| s.env(node))
            .unwrap_or_default()
    }

    /// Starts the traffic, injects the scenario's faults (journaled as
    /// commands plus `drill_fault_injected`) and proves them live: every
    /// `verify_injected` check must stop passing within `settle`. On
    /// failure the drill is over: the caller ends it with `aborted`.
    pub async fn inject(&mut self, settle: Duration) -> Result<(), String> {
        self.traffic = Some(traffic::start(&self.scenario.traffic, &self.scenario_vars));
        // Let the clients connect, so the fault meets live traffic.
        if !self.scenario.traffic.is_empty() {
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        self.pid_at_injection = self.sandbox.as_ref().and_then(|s| s.node_os_pid(0));
        let faults: Vec<_> = self
            .scenario
            .faults
            .iter()
            .filter(|f| !f.at_trainer)
            .cloned()
            .collect();
        for f in faults {
            self.inject_fault(&f, DrillActor::Scenario).await?;
        }
        self.injected_at = Some(now());
        self.verify_live(settle).await
    }

    /// Runs one fault and journals it.
    pub async fn inject_fault(
        &mut self,
        f: &super::model::Fault,
        by: DrillActor,
    ) -> Result<(), String> {
        let line = self.scenario_vars.render_shell(&f.run);
        let masked = self.scenario_vars.render_shell_masked(&f.run);
        let env = self.env(f.node);
        let (run, code) = self
            .run_line(
                DRILL_STEP,
                &format!("fault/{}", f.id),
                &line,
                &masked,
                env,
                f.timeout,
            )
            .await;
        let _ = self.session.record(
            Event::DrillFaultInjected {
                fault: f.id.clone(),
                by,
                run: Some(run),
            },
            now(),
        );
        match code {
            Some(0) => Ok(()),
            Some(c) => Err(crate::i18n::trf(
                self.lang(),
                "fault `{}` did not go in: its command exited with {} (see its output in the journal)",
                &[&f.id, &c],
            )),
            None => Err(crate::i18n::trf(
                self.lang(),
                "fault `{}` did not go in: its command did not finish",
                &[&f.id],
            )),
        }
    }

    /// Polls `verify_injected` until none passes, for at most `settle`.
    async fn verify_live(&mut self, settle: Duration) -> Result<(), String> {
        let deadline = tokio::time::Instant::now() + settle;
        let mut seen: BTreeMap<String, CheckStatus> = BTreeMap::new();
        loop {
            let results = self.probe_all(&self.scenario.verify_injected.clone()).await;
            let mut still_passing = Vec::new();
            for (id, outcome) in results {
                if seen.get(&id) != Some(&outcome.status) {
                    seen.insert(id.clone(), outcome.status);
                    let _ = self.session.record(
                        Event::DrillCheck {
                            id: id.clone(),
                            outcome: outcome.status,
                            summary: outcome.summary.clone(),
                        },
                        now(),
                    );
                }
                if outcome.status == CheckStatus::Pass {
                    still_passing.push(format!("{id}: {}", outcome.summary));
                }
            }
            if still_passing.is_empty() {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(crate::i18n::trf(
                    self.lang(),
                    "the fault is not live: these checks still pass {} after injection: {}",
                    &[
                        &crate::runbook::format_duration(settle),
                        &still_passing.join("; "),
                    ],
                ));
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }

    /// The detector of this drill's fix, to run on its own task (the drill
    /// screen) or polled in line ([`Drill::poll_fixed`]).
    pub fn detector(&self) -> Detector {
        Detector {
            checks: self.scenario.fixed.checks.clone(),
            runbook: self.runbook.clone(),
            vars: self.scenario_vars.clone(),
            env: self.env(0),
            tracker: self.tracker.clone(),
            pid_file: self.sandbox.as_ref().and_then(|s| s.pid_file(0)),
            pid_at_injection: self.pid_at_injection,
        }
    }

    /// Runs the `fixed` checks once with `detector` (made by
    /// [`Drill::detector`] after the injection, kept across polls),
    /// journals transitions, and journals `drill_fixed` when they have all
    /// held for the hold period. Returns true when the fix was detected by
    /// this poll.
    pub async fn poll_fixed(&mut self, detector: &mut Detector) -> bool {
        let news = detector.poll().await;
        let mut fixed = false;
        for n in news {
            let ev = match n {
                Detected::Check(ev) => *ev,
                Detected::Fixed {
                    passing_since,
                    fixed_by_restart,
                } => {
                    fixed = true;
                    fixed_event(
                        self.session.incident(),
                        self.injected_at,
                        passing_since,
                        fixed_by_restart,
                    )
                }
            };
            let _ = self.session.record(ev, now());
        }
        fixed
    }

    /// Runs checks with the scenario's values and node 1's environment.
    async fn probe_all(&self, checks: &[CheckSpec]) -> Vec<(String, CheckOutcome)> {
        probe_checks(checks, &self.runbook, &self.scenario_vars, &self.env(0)).await
    }

    /// Runs a command line with the sandbox environment, journaled as a run
    /// of `step`/`command` with its output; returns its run id and exit code.
    /// A line the fence refuses does not run: it is journaled as a launch
    /// failure saying why.
    pub async fn run_line(
        &mut self,
        step: &str,
        command: &str,
        line: &str,
        masked: &str,
        env: Vec<(String, String)>,
        timeout: Duration,
    ) -> (RunId, Option<i32>) {
        let run = self.session.incident().next_run_id();
        let started = Event::CommandStarted {
            run,
            step: step.to_string(),
            command: command.to_string(),
            command_line: masked.to_string(),
            pid: None,
        };
        let mut spec = crate::exec::Spec::new(line.to_string());
        spec.timeout = Some(timeout);
        // The trainer's engine adds nothing: the line names its node.
        let engine = if step == DRILL_STEP {
            spec.env = env;
            &mut self.trainer
        } else {
            &mut self.engine
        };
        let _ = engine.start(&mut self.session, run, started, Job::Command(spec), now());
        let mut code = None;
        while self
            .session
            .incident()
            .runs
            .get(&run)
            .is_some_and(|r| r.finished_at.is_none())
        {
            let Some(u) = engine.next().await else { break };
            if let WorkUpdate::Exec(r, Update::Finished(o)) = &u
                && *r == run
            {
                code = o.exit_code;
            }
            let _ = engine.report(&mut self.session, &u, now());
        }
        (run, code)
    }

    /// Ends the drill: `drill_ended`, `drill_scored`, then the traffic and
    /// the sandbox go (`drill_cleanup`), unless `keep` leaves the sandbox
    /// running. Blocking parts run off the async workers.
    pub async fn finish(&mut self, reason: DrillEndReason, detail: String, keep: bool) -> Cleanup {
        let _ = self
            .session
            .record(Event::DrillEnded { reason, detail }, now());
        // The score is a fold of the journal: everything recorded so far
        // goes to disk first, then the fold reads it back.
        let _ = self.session.drain();
        let path = self.session.journal_path().to_path_buf();
        let records = tokio::task::spawn_blocking(move || crate::journal::read(&path))
            .await
            .ok()
            .and_then(Result::ok)
            .map(|j| j.records)
            .unwrap_or_default();
        let score = super::score::Score::fold(&records, &self.scenario);
        let _ = self.session.record(score.to_event(), now());
        if let Some(mut t) = self.traffic.take() {
            t.stop();
        }
        let cleanup = match self.sandbox.take() {
            Some(s) if keep => {
                let dir = s.keep();
                Cleanup {
                    ok: true,
                    removed: Vec::new(),
                    errors: vec![format!(
                        "kept running at {} (--keep-sandbox); remove it with `{}`",
                        dir.display(),
                        crate::invocation::runbook("drill cleanup")
                    )],
                }
            }
            Some(s) => tokio::task::spawn_blocking(move || s.stop())
                .await
                .unwrap_or_else(|e| Cleanup {
                    ok: false,
                    removed: Vec::new(),
                    errors: vec![format!("cleanup failed: {e}")],
                }),
            None => Cleanup {
                ok: true,
                removed: Vec::new(),
                errors: Vec::new(),
            },
        };
        let _ = self.session.record(
            Event::DrillCleanup {
                ok: cleanup.ok,
                removed: cleanup.removed.clone(),
                errors: cleanup.errors.clone(),
            },
            now(),
        );
        cleanup
    }

    /// The drill's language: its runbook's (what it journals is in it).
    pub fn lang(&self) -> crate::i18n::Lang {
        crate::i18n::Lang::from_tag(self.runbook.lang.as_deref())
    }

    /// The drill's journal.
    pub fn journal(&self) -> &Path {
        self.session.journal_path()
    }
}

/// Runs checks (a scenario's, with the sandbox values) in parallel, for a
/// drill or its detector worker; they are not journaled as runs: only their
/// transitions are (see [`FixedTracker`]).
pub async fn probe_checks(
    checks: &[CheckSpec],
    runbook: &Runbook,
    vars: &Vars,
    env: &[(String, String)],
) -> Vec<(String, CheckOutcome)> {
    let lang = Lang::from_tag(runbook.lang.as_deref());
    let (tx, mut rx) = mpsc::channel::<WorkUpdate>(checks.len().max(1));
    let mut ids: BTreeMap<RunId, String> = BTreeMap::new();
    let mut launched = Vec::new();
    for (i, c) in checks.iter().enumerate() {
        let run = i as RunId + 1;
        ids.insert(run, c.id.clone());
        let job = match vars.render_check(&c.kind) {
            CheckKind::Command(cc) => {
                let mut spec = crate::exec::Spec::new(cc.run.clone());
                spec.timeout = Some(c.timeout);
                spec.env = env.to_vec();
                Job::CommandCheck(spec, cc, lang)
            }
            kind => Job::Probe(
                kind,
                Box::new(runs::probe_context(runbook, vars, c.timeout)),
            ),
        };
        match runs::detached(run, job, tx.clone()) {
            Ok(l) => launched.push(l),
            Err(why) => {
                let _ = tx.try_send(WorkUpdate::Check(
                    run,
                    CheckOutcome::error(trf(lang, "could not start: {}", &[&why]), ""),
                    Duration::ZERO,
                ));
            }
        }
    }
    drop(tx);
    let mut out = Vec::new();
    while let Some(u) = rx.recv().await {
        if let WorkUpdate::Check(run, outcome, _) = u
            && let Some(id) = ids.get(&run)
        {
            out.push((id.clone(), outcome.bounded(lang)));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The drill's job policy: every command gets the sandbox's environment
/// (so `rabbitmqctl` reaches the drill node) and the fence refuses what
/// would reach production.
pub fn drill_policy(env: Vec<(String, String)>, fence: Fence) -> JobPolicy {
    JobPolicy {
        env,
        lang: fence.lang(),
        refuse: Some(std::sync::Arc::new(move |line: &str| fence.refusal(line))),
    }
}

/// The last confirmed (system-changing) command the trainee ran after
/// the injection, or failing that the last runbook command run.
pub fn last_change(
    inc: &Incident,
    injected_at: Option<DateTime<FixedOffset>>,
) -> Option<DrillChange> {
    let since = injected_at?;
    let confirmed: Vec<(String, String)> = inc
        .confirmations
        .iter()
        .filter(|c| matches!(c.answer, Some((_, true, _))))
        .map(|c| (c.step.clone(), c.command.clone()))
        .collect();
    let mut changes: Vec<(bool, DrillChange)> = Vec::new();
    for r in inc.runs.values() {
        if r.kind != crate::incident::RunKind::Command
            || r.step == DRILL_STEP
            || r.started_at < since
        {
            continue;
        }
        let is_change = confirmed.iter().any(|(s, c)| s == &r.step && c == &r.item);
        changes.push((
            is_change,
            DrillChange {
                run: r.id,
                command: format!("{}/{}", r.step, r.item),
                ts: r.started_at,
            },
        ));
    }
    // The latest confirmed change; failing that, the latest command.
    let any_change = changes.iter().any(|(c, _)| *c);
    changes
        .into_iter()
        .filter(|(c, _)| *c || !any_change)
        .map(|(_, d)| d)
        .max_by_key(|d| (d.ts, d.run))
}

/// The `drill_fixed` event for a fix the detector saw: the trainee's last
/// change before it (from the incident) and the detector's own latency.
pub fn fixed_event(
    inc: &Incident,
    injected_at: Option<DateTime<FixedOffset>>,
    passing_since: DateTime<FixedOffset>,
    fixed_by_restart: bool,
) -> Event {
    let last_change = last_change(inc, injected_at);
    let latency = last_change
        .as_ref()
        .map(|c| (passing_since - c.ts).num_milliseconds().max(0) as u64)
        .unwrap_or(0);
    Event::DrillFixed {
        detector_latency_ms: latency,
        last_change,
        fixed_by_restart,
    }
}

/// What one poll of the detector saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Detected {
    /// A `fixed` check changed (a `drill_check` event to journal).
    Check(Box<Event>),
    /// Every `fixed` check has kept passing for the hold period.
    Fixed {
        /// Since when they all pass.
        passing_since: DateTime<FixedOffset>,
        /// The node's OS pid changed since the injection.
        fixed_by_restart: bool,
    },
}

/// Runs a drill's `fixed` checks off the drill's task: it owns what it
/// needs and reports what it saw; the owner of the journal records it.
#[derive(Debug, Clone)]
pub struct Detector {
    checks: Vec<CheckSpec>,
    runbook: Runbook,
    vars: Vars,
    env: Vec<(String, String)>,
    tracker: FixedTracker,
    pid_file: Option<PathBuf>,
    pid_at_injection: Option<u32>,
}

impl Detector {
    /// Runs the checks once.
    pub async fn poll(&mut self) -> Vec<Detected> {
        if self.tracker.is_fixed() {
            return Vec::new();
        }
        let results = probe_checks(&self.checks, &self.runbook, &self.vars, &self.env).await;
        let at = now();
        let mut out: Vec<Detected> = results
            .into_iter()
            .filter_map(|(id, o)| self.tracker.observe(&id, o.status, &o.summary, at))
            .map(|ev| Detected::Check(Box::new(ev)))
            .collect();
        if self.tracker.take_fixed(at) {
            let pid_now = self
                .pid_file
                .as_ref()
                .and_then(|p| std::fs::read_to_string(p).ok())
                .and_then(|s| s.trim().parse::<u32>().ok());
            out.push(Detected::Fixed {
                passing_since: self.tracker.passing_since().unwrap_or(at),
                fixed_by_restart: matches!(
                    (self.pid_at_injection, pid_now),
                    (Some(a), Some(b)) if a != b
                ),
            });
        }
        out
    }

    /// Whether the fix was seen.
    pub fn is_fixed(&self) -> bool {
        self.tracker.is_fixed()
    }
}
