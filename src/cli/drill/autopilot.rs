//! `runbook drill SCENARIO --autopilot`: the drill without a trainee. It
//! boots the sandbox, injects the faults, proves them live, plays the
//! scenario's model answer through the same runbook items a trainee would
//! use, waits for the fix to be detected, scores and cleans up. Exit 0 only
//! when the fault was live, the fix was detected and the cleanup succeeded:
//! a trainer (and CI) proves a scenario works end to end with it.

use std::io::Write;
use std::time::Duration;

use crate::drill::SolutionStep;
use crate::drill::run::{DRILL_STEP, Drill, DrillStart};
use crate::drill::sandbox::Progress;
use crate::drill::scenario::LoadedScenario;
use crate::engine::{self as runs, Admission, now};
use crate::i18n::{Lang, tr, trf};
use crate::incident::{DrillEndReason, Event};

/// How long the injected fault has to show in `verify_injected`.
pub(super) const SETTLE: Duration = Duration::from_secs(30);
/// The longest an autopilot waits for the fix to be detected.
const MAX_WAIT: Duration = Duration::from_secs(300);

/// Runs the scenario headless; returns the exit code.
pub fn run(loaded: LoadedScenario, opts: DrillStart, keep: bool) -> i32 {
    let rt = match crate::engine::runtime() {
        Ok(rt) => rt,
        Err(e) => {
            crate::text::eprintln!(
                "runbook: {}",
                trf(
                    Lang::from_env(),
                    "cannot start the async runtime: {}",
                    &[&e]
                )
            );
            return 2;
        }
    };
    rt.block_on(autopilot(loaded, opts, keep))
}

/// Prints boot progress on stderr: one line per phase, and the time to ready.
pub(super) fn progress_printer() -> impl FnMut(Progress) {
    let mut last_node = usize::MAX;
    let lang = Lang::from_env();
    move |p| match p {
        Progress::Preparing => {
            crate::text::eprintln!("{}", tr(lang, "drill: preparing the sandbox…"))
        }
        Progress::Booting { node, .. } if node != last_node => {
            last_node = node;
            crate::text::eprintln!(
                "{}",
                trf(lang, "drill: booting sandbox node {}…", &[&(node + 1)])
            );
        }
        Progress::Booting { .. } => {}
        Progress::Joining => crate::text::eprintln!("{}", tr(lang, "drill: joining the cluster…")),
        Progress::Ready { elapsed } => crate::text::eprintln!(
            "{}",
            trf(
                lang,
                "drill: sandbox ready in {} s",
                &[&format!("{:.1}", elapsed.as_secs_f64())]
            )
        ),
    }
}

async fn autopilot(loaded: LoadedScenario, opts: DrillStart, keep: bool) -> i32 {
    let lang = opts.lang;
    let title = loaded.scenario.title.clone();
    let id = loaded.scenario.id.clone();
    let started = tokio::task::spawn_blocking(move || {
        let mut progress = progress_printer();
        Drill::start(loaded, &opts, &mut progress)
    })
    .await;
    let mut drill = match started {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            crate::text::eprintln!("runbook: {}", trf(lang, "drill {}: {}", &[&id, &e.message]));
            return e.code;
        }
        Err(e) => {
            crate::text::eprintln!(
                "runbook: {}",
                trf(lang, "drill {}: the start failed: {}", &[&id, &e])
            );
            return 1;
        }
    };
    let mut out = crate::text::Terminal::new(std::io::stdout(), false);
    let _ = writeln!(out, "{}", trf(lang, "drill {}: {}", &[&id, &title]));
    let _ = writeln!(
        out,
        "{}",
        trf(lang, "journal: {}", &[&drill.journal().display()])
    );

    let mut sigint = signal(tokio::signal::unix::SignalKind::interrupt());
    let mut sigterm = signal(tokio::signal::unix::SignalKind::terminate());
    let mut sighup = signal(tokio::signal::unix::SignalKind::hangup());
    let result = {
        let body = play(&mut drill);
        tokio::pin!(body);
        tokio::select! {
            r = &mut body => r,
            _ = recv(&mut sigint) => Played::Signal("SIGINT"),
            _ = recv(&mut sigterm) => Played::Signal("SIGTERM"),
            _ = recv(&mut sighup) => Played::Signal("SIGHUP"),
        }
    };
    let said = drill.lang();
    let (reason, detail, live, fixed, signal_name) = match &result {
        Played::NotLive(why) => (DrillEndReason::Aborted, why.clone(), false, false, None),
        Played::Fixed(secs) => (
            DrillEndReason::Resolved,
            trf(
                said,
                "fix detected {} s after the model answer",
                &[&format!("{secs:.1}")],
            ),
            true,
            true,
            None,
        ),
        Played::NotFixed(why) => (DrillEndReason::TimeLimit, why.clone(), true, false, None),
        Played::Signal(s) => (
            DrillEndReason::Quit,
            trf(said, "interrupted by {}", &[s]),
            false,
            false,
            Some(*s),
        ),
    };
    if fixed {
        let _ = drill.session.record(
            Event::IncidentResolved {
                summary: tr(
                    said,
                    "autopilot: the scenario's model answer restored the service",
                )
                .into(),
            },
            now(),
        );
    }
    let cleanup = drill.finish(reason, detail.clone(), keep).await;
    let end = match signal_name {
        Some(s) => crate::incident::EndReason::Signal(s.into()),
        None => crate::incident::EndReason::Finished,
    };
    let _ = drill
        .session
        .record(Event::SessionEnded { reason: end }, now());
    let saved = drill.session.drain().is_ok() && drill.session.unsaved() == 0;

    let mark = |ok: bool| if ok { "ok  " } else { "FAIL" };
    let _ = writeln!(
        out,
        "{}",
        trf(
            lang,
            "{} fault live (verify_injected failed as it should)",
            &[&mark(live)]
        )
    );
    let _ = writeln!(out, "{}", trf(lang, "{} fix detected", &[&mark(fixed)]));
    let _ = writeln!(
        out,
        "{}",
        trf(lang, "{} sandbox cleaned up", &[&mark(cleanup.ok)])
    );
    for e in &cleanup.errors {
        let _ = writeln!(out, "     {e}");
    }
    if !detail.is_empty() {
        let _ = writeln!(out, "     {detail}");
    }
    print_score(&mut out, &drill, lang);
    if !saved {
        crate::text::eprintln!(
            "runbook: {}",
            trf(
                lang,
                "the drill journal {} could not be fully written",
                &[&drill.journal().display()]
            )
        );
    }
    match signal_name {
        Some("SIGINT") => 130,
        Some("SIGHUP") => 129,
        Some(_) => 143,
        None if live && fixed && cleanup.ok && saved => 0,
        None => 1,
    }
}

enum Played {
    NotLive(String),
    Fixed(f64),
    NotFixed(String),
    Signal(&'static str),
}

/// Inject, prove live, play the model answer, wait for the fix.
async fn play(drill: &mut Drill) -> Played {
    // The production broker's health, read-only, as it was before anything.
    let live_at_start = crate::drill::live::health().await;
    let mut live_checked = tokio::time::Instant::now();
    let mut paused = false;
    if let Err(why) = drill.inject(SETTLE).await {
        return Played::NotLive(why);
    }
    for (i, step) in drill.scenario.solution.clone().iter().enumerate() {
        solve(drill, i, step).await;
    }
    // One detector for the whole wait: its tracker carries the transitions.
    let mut detector = drill.detector();
    let played_at = tokio::time::Instant::now();
    let limit = drill.scenario.time_limit.min(MAX_WAIT);
    // Poll faster than a trainee's screen would: the detector's hold still
    // has to pass, so nothing is detected early.
    let poll = drill.scenario.fixed.poll.min(Duration::from_secs(1));
    loop {
        if live_checked.elapsed() >= crate::drill::live::live_every() {
            live_checked = tokio::time::Instant::now();
            let now_health = crate::drill::live::health().await;
            if !paused && live_at_start.worsened_to(&now_health) {
                paused = true;
                let said = drill.lang();
                let reason = trf(
                    said,
                    "the production broker changed during the drill ({}); the drill does not touch it",
                    &[&now_health.describe_in(said)],
                );
                crate::text::eprintln!(
                    "{}",
                    trf(Lang::from_env(), "drill: paused: {}", &[&reason])
                );
                let _ = drill.session.record(Event::DrillPaused { reason }, now());
            } else if paused && now_health == live_at_start {
                paused = false;
                let _ = drill.session.record(
                    Event::DrillResumed {
                        reason: tr(drill.lang(), "the production broker is healthy again").into(),
                    },
                    now(),
                );
            }
        }
        if drill.poll_fixed(&mut detector).await {
            return Played::Fixed(played_at.elapsed().as_secs_f64());
        }
        if played_at.elapsed() >= limit {
            return Played::NotFixed(trf(
                drill.lang(),
                "the fix was not detected within {} of the model answer",
                &[&crate::runbook::format_duration(limit)],
            ));
        }
        tokio::time::sleep(poll).await;
    }
}

/// Plays one step of the model answer as a trainee would: answers are
/// recorded, runbook commands go through the typed confirmation (answered by
/// the autopilot, and journaled as such) and the fence, checks run.
async fn solve(drill: &mut Drill, index: usize, step: &SolutionStep) {
    match step {
        SolutionStep::Answer { ask, choice } => {
            let owner = drill
                .runbook
                .steps
                .iter()
                .find(|s| s.ask.as_ref().is_some_and(|a| &a.id == ask))
                .map(|s| s.id.clone());
            if let Some(step) = owner {
                enter(drill, &step);
                let _ = drill.session.record(
                    Event::QuestionAnswered {
                        step,
                        ask: ask.clone(),
                        answer: choice.clone(),
                    },
                    now(),
                );
            }
        }
        SolutionStep::Run(line) => {
            let rendered = drill.scenario_vars.render_shell(line);
            let masked = drill.scenario_vars.render_shell_masked(line);
            let env = drill.env(0);
            drill
                .run_line(
                    DRILL_STEP,
                    &format!("solution/{}", index + 1),
                    &rendered,
                    &masked,
                    env,
                    Duration::from_secs(60),
                )
                .await;
        }
        SolutionStep::Item(path) => {
            let Some((step_id, item)) = path.split_once('/') else {
                return;
            };
            let Some(step) = drill.runbook.step(step_id).cloned() else {
                return;
            };
            enter(drill, step_id);
            if let Some(cmd) = step.commands.iter().find(|c| c.id == item) {
                let line = drill.vars.render_shell(&cmd.run);
                let masked = drill.vars.render_shell_masked(&cmd.run);
                // A refused line is asked of no one: the engine journals
                // the refusal when it is run.
                if let Admission::Confirm(reason) = drill.engine.policy().admit(&line, cmd.confirm)
                {
                    let _ = drill.session.record(
                        Event::ConfirmationAsked {
                            step: step.id.clone(),
                            command: cmd.id.clone(),
                            command_line: masked.clone(),
                            expected: cmd.id.clone(),
                            reason: crate::i18n::tr_said(drill.lang(), &reason),
                        },
                        now(),
                    );
                    let _ = drill.session.record(
                        Event::ConfirmationAnswered {
                            step: step.id.clone(),
                            command: cmd.id.clone(),
                            accepted: true,
                            typed: trf(drill.lang(), "{} (typed by the autopilot)", &[&cmd.id]),
                        },
                        now(),
                    );
                }
                let env = drill.env(0);
                drill
                    .run_line(&step.id, &cmd.id, &line, &masked, env, cmd.timeout)
                    .await;
            } else if let Some(check) = step.checks.iter().find(|c| c.id == item) {
                let runbook = drill.runbook.clone();
                let vars = drill.vars.clone();
                let run = drill.session.incident().next_run_id();
                let (started, job) = runs::check_start(run, &runbook, &step, check, &vars);
                let _ = drill
                    .engine
                    .start(&mut drill.session, run, started, job, now());
                while drill
                    .session
                    .incident()
                    .runs
                    .get(&run)
                    .is_some_and(|r| r.finished_at.is_none())
                {
                    let Some(u) = drill.engine.next().await else {
                        break;
                    };
                    let _ = drill.engine.report(&mut drill.session, &u, now());
                }
            }
        }
    }
}

/// Enters `step` unless it is the current one.
fn enter(drill: &mut Drill, step: &str) {
    let current = drill
        .session
        .incident()
        .current
        .and_then(|i| drill.runbook.steps.get(i))
        .map(|s| s.id.as_str());
    if current != Some(step) {
        let _ = drill.session.record(
            Event::StepEntered {
                step: step.to_string(),
            },
            now(),
        );
    }
}

fn signal(kind: tokio::signal::unix::SignalKind) -> Option<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(kind).ok()
}

async fn recv(s: &mut Option<tokio::signal::unix::Signal>) {
    match s {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

/// Prints the journaled score and its breakdown, if the drill was scored.
pub(super) fn print_score(out: &mut impl Write, drill: &Drill, lang: Lang) {
    if let Some(Event::DrillScored { score, lines, .. }) = drill
        .session
        .incident()
        .drill_events
        .iter()
        .rev()
        .map(|r| &r.event)
        .find(|e| matches!(e, Event::DrillScored { .. }))
    {
        let _ = writeln!(out, "{}", trf(lang, "score: {}/100", &[score]));
        for l in lines {
            let what = crate::drill::score::line_text(lang, &l.what);
            let _ = writeln!(out, "  {:+4}  {what}", l.points);
        }
    }
}
