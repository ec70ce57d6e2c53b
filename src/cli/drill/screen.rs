//! `runbook drill SCENARIO`: the trainee's screen. The sandbox boots (its
//! progress on stderr), the fault goes in and is proven live, then the live
//! screen opens in drill mode on the production runbook: the brief first,
//! the countdown, `h` for hints, the fix detector and the production
//! broker's health on their own tasks. When the screen ends (resolve, quit,
//! time limit, signal, panic) the drill is ended, scored and cleaned up, and
//! the score is printed.

use std::io::Write;
use std::time::Duration;

use tokio::sync::mpsc;

use super::autopilot::{SETTLE, print_score, progress_printer};
use crate::drill::live::{self, LiveHealth};
use crate::drill::run::{Detector, Drill, DrillStart};
use crate::drill::scenario::LoadedScenario;
use crate::engine::now;
use crate::i18n::{tr, trf};
use crate::incident::{DrillEndReason, Event};
use crate::tui::action::Action;
use crate::tui::app::drill::{DrillNews, DrillView, TrainerFault};
use crate::tui::app::{App, Overlay};

/// Runs the drill screen; returns the exit code.
pub fn run(loaded: LoadedScenario, opts: DrillStart, keep: bool) -> i32 {
    let msg = opts.lang;
    if let Err(code) = crate::cli::start::require_tty(
        "drill",
        &trf(
            msg,
            "To prove a scenario without a trainee use: {}",
            &[&crate::invocation::runbook("drill SCENARIO --autopilot")],
        ),
    ) {
        return code;
    }
    let rt = match crate::engine::runtime() {
        Ok(rt) => rt,
        Err(e) => {
            crate::text::eprintln!(
                "runbook: {}",
                trf(msg, "cannot start the async runtime: {}", &[&e])
            );
            return 2;
        }
    };
    let id = loaded.scenario.id.clone();
    let lang = crate::i18n::locale_tag();
    let brief = reflow(&crate::text::for_terminal(
        loaded.scenario.brief_for(lang.as_deref()),
    ));
    let hints: Vec<(String, u32)> = loaded
        .scenario
        .hints
        .iter()
        .map(|h| {
            let text = h
                .text
                .get(lang.as_deref().and_then(|l| l.get(..2)).unwrap_or("en"))
                .or_else(|| h.text.get("en"))
                .cloned()
                .unwrap_or_default();
            (crate::text::one_line(&text).into_owned(), h.cost)
        })
        .collect();
    let title = crate::text::one_line(&loaded.scenario.title).into_owned();
    let notify_flags = opts.notify.clone();
    let scenario_asks = loaded.scenario.notify;
    let started = rt.block_on(async {
        tokio::task::spawn_blocking(move || {
            let mut progress = progress_printer();
            Drill::start(loaded, &opts, &mut progress)
        })
        .await
    });
    let mut drill = match started {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            crate::text::eprintln!("runbook: {}", trf(msg, "drill {}: {}", &[&id, &e.message]));
            return e.code;
        }
        Err(e) => {
            crate::text::eprintln!(
                "runbook: {}",
                trf(msg, "drill {}: the start failed: {}", &[&id, &e])
            );
            return 1;
        }
    };
    crate::text::eprintln!(
        "{}",
        tr(msg, "drill: injecting the fault and proving it live…")
    );
    let live_at_start = rt.block_on(live::health());
    if let Err(why) = rt.block_on(drill.inject(SETTLE)) {
        let cleanup = rt.block_on(drill.finish(DrillEndReason::Aborted, why.clone(), keep));
        let _ = drill.session.record(
            Event::SessionEnded {
                reason: crate::incident::EndReason::Finished,
            },
            now(),
        );
        let _ = drill.session.drain();
        crate::text::eprintln!(
            "runbook: {}",
            trf(
                msg,
                "drill {} aborted before the trainee started: {}",
                &[&id, &why]
            )
        );
        for e in &cleanup.errors {
            crate::text::eprintln!("  {e}");
        }
        return 1;
    }
    let injected_at = drill.injected_at.unwrap_or_else(now);
    let deadline = injected_at
        + chrono::Duration::from_std(drill.scenario.time_limit)
            .unwrap_or_else(|_| chrono::Duration::hours(1));
    let _ = drill.session.record(
        Event::Note {
            step: None,
            text: trf(drill.lang(), "drill brief:\n{}", &[&brief]),
            update: false,
        },
        now(),
    );
    let detector = drill.detector();
    let trainer_faults: Vec<TrainerFault> = drill
        .scenario
        .faults
        .iter()
        .filter(|f| f.at_trainer)
        .map(|f| TrainerFault {
            id: f.id.clone(),
            line: drill.scenario_vars.render_shell(&f.run),
            masked: drill.scenario_vars.render_shell_masked(&f.run),
            env: drill.env(f.node),
            timeout: f.timeout,
        })
        .collect();
    let journal_path = drill.journal().to_path_buf();
    let poll = drill.scenario.fixed.poll.max(Duration::from_millis(500));
    let (mut app, rest) = into_screen(drill);
    // Real people are not paged by a drill: only the trainer's `--notify`
    // targets, unless the scenario asks for the usual ones.
    let mut plan = crate::notify::Plan::build(
        &app.runbook,
        &app.vars,
        &notify_flags,
        crate::notify::Audience::Drill { scenario_asks },
    );
    plan.announce_opened = true;
    app.attach_notify(plan, now());
    app.drill = Some(DrillView {
        title,
        brief,
        hints,
        injected_at,
        deadline,
        time_up: false,
        ended_by_trainer: false,
        trainer_faults,
    });
    app.overlay = Some(Overlay::Brief);
    let lang = app.lang();
    let background: crate::tui::Background = Box::new(move |tx| {
        tokio::spawn(detect(detector, poll, tx.clone()));
        tokio::spawn(watch_live(live_at_start, lang, tx.clone()));
        tokio::spawn(read_control(journal_path, lang, tx));
    });
    let outcome = crate::tui::run_with(&mut app, Some(background));
    let time_up = app.drill.as_ref().is_some_and(|d| d.time_up);
    let by_trainer = app.drill.as_ref().is_some_and(|d| d.ended_by_trainer);
    let signal = match app.session.incident().session_ends.last() {
        Some((_, crate::incident::EndReason::Signal(s))) => Some(s.clone()),
        _ => None,
    };
    let resolved = app.session.incident().resolved.is_some();
    let mut drill = rest.back(app);
    let (reason, detail) = match (&outcome, time_up, resolved) {
        (_, _, true) => (
            DrillEndReason::Resolved,
            tr(lang, "resolved by the trainee").to_string(),
        ),
        _ if by_trainer => (
            DrillEndReason::EndedByTrainer,
            tr(lang, "the trainer ended the drill").to_string(),
        ),
        (_, true, _) => (
            DrillEndReason::TimeLimit,
            trf(
                lang,
                "the time limit ({}) was reached",
                &[&crate::runbook::format_duration(drill.scenario.time_limit)],
            ),
        ),
        (Err(e), _, _) => (
            DrillEndReason::Quit,
            trf(lang, "the screen ended: {}", &[e]),
        ),
        (Ok(()), _, _) if signal.is_some() => (
            DrillEndReason::Quit,
            trf(
                lang,
                "interrupted by {}",
                &[&signal.as_deref().unwrap_or(tr(lang, "a signal"))],
            ),
        ),
        (Ok(()), _, _) => (
            DrillEndReason::Quit,
            tr(lang, "the trainee quit").to_string(),
        ),
    };
    crate::text::eprintln!(
        "{}",
        trf(
            msg,
            "drill: ending ({}); cleaning up the sandbox…",
            &[&detail]
        )
    );
    let cleanup = rt.block_on(drill.finish(reason, detail, keep));
    let saved = drill.session.drain().is_ok() && drill.session.unsaved() == 0;
    let mut out = crate::text::Terminal::new(std::io::stdout(), false);
    let _ = writeln!(
        out,
        "{}",
        trf(
            msg,
            "drill {}: journal {}",
            &[&id, &drill.journal().display()]
        )
    );
    print_score(&mut out, &drill, msg);
    let _ = writeln!(
        out,
        "{}",
        if cleanup.ok {
            tr(msg, "sandbox: removed")
        } else {
            tr(msg, "sandbox: NOT fully removed")
        }
    );
    for e in &cleanup.errors {
        let _ = writeln!(out, "  {e}");
    }
    let _ = writeln!(
        out,
        "{}",
        trf(
            msg,
            "review it: {}",
            &[&crate::invocation::runbook(&format!(
                "review {}",
                drill.journal().display()
            ))]
        )
    );
    if !saved {
        crate::text::eprintln!(
            "runbook: {}",
            trf(
                msg,
                "the drill journal {} could not be fully written",
                &[&drill.journal().display()]
            )
        );
    }
    match outcome {
        Err(e) => {
            crate::text::eprintln!("runbook: {e}");
            1
        }
        Ok(()) if signal.as_deref() == Some("SIGINT") => 130,
        Ok(()) if signal.as_deref() == Some("SIGHUP") => 129,
        Ok(()) if signal.is_some() => 143,
        Ok(()) if cleanup.ok && saved => 0,
        Ok(()) => 1,
    }
}

/// The trainer's requests: the control file beside the journal, every second.
async fn read_control(
    journal: std::path::PathBuf,
    lang: crate::i18n::Lang,
    tx: mpsc::Sender<Action>,
) {
    let mut reader = crate::drill::control::ControlReader::new(&journal).in_lang(lang);
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (requests, problems) = reader.poll();
        let news = problems
            .into_iter()
            .map(DrillNews::ControlProblem)
            .chain(requests.into_iter().map(DrillNews::Trainer));
        for n in news {
            if tx.send(Action::Drill(n)).await.is_err() {
                return;
            }
        }
    }
}

/// The fix detector: polls the `fixed` checks until the fix is seen.
async fn detect(mut detector: Detector, poll: Duration, tx: mpsc::Sender<Action>) {
    loop {
        for news in detector.poll().await {
            if tx
                .send(Action::Drill(DrillNews::Detected(news)))
                .await
                .is_err()
            {
                return;
            }
        }
        if detector.is_fixed() {
            return;
        }
        tokio::time::sleep(poll).await;
    }
}

/// The stop condition: the production broker's health, read-only, every
/// [`live::live_every`].
async fn watch_live(at_start: LiveHealth, lang: crate::i18n::Lang, tx: mpsc::Sender<Action>) {
    let mut paused = false;
    loop {
        tokio::time::sleep(live::live_every()).await;
        let health = live::health().await;
        let news = if !paused && at_start.worsened_to(&health) {
            paused = true;
            DrillNews::Paused(health.describe_in(lang))
        } else if paused && health == at_start {
            paused = false;
            DrillNews::Resumed(
                crate::i18n::tr(lang, "the production broker is healthy again").into(),
            )
        } else {
            continue;
        };
        if tx.send(Action::Drill(news)).await.is_err() {
            return;
        }
    }
}

/// What the drill keeps while its journal is the screen's.
struct Rest {
    scenario: crate::drill::Scenario,
    runbook: crate::runbook::Runbook,
    vars: crate::runbook::Vars,
    scenario_vars: crate::runbook::Vars,
    sandbox: Option<crate::drill::sandbox::Sandbox>,
    fence: crate::drill::fence::Fence,
    traffic: Option<crate::drill::traffic::TrafficHandle>,
    injected_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    tracker: crate::drill::detect::FixedTracker,
    pid_at_injection: Option<u32>,
    engine: crate::engine::Engine,
    trainer: crate::engine::Engine,
}

/// Hands the drill's journal to a screen that runs the trainee's lines
/// under the drill's policy (sandbox environment, fence).
fn into_screen(d: Drill) -> (App, Rest) {
    let Drill {
        scenario,
        runbook,
        vars,
        scenario_vars,
        session,
        sandbox,
        fence,
        traffic,
        injected_at,
        tracker,
        pid_at_injection,
        engine,
        trainer,
    } = d;
    let mut app = App::new(session, runbook.clone(), vars.clone(), false);
    app.policy = engine.policy().clone();
    let rest = Rest {
        scenario,
        runbook,
        vars,
        scenario_vars,
        sandbox,
        fence,
        traffic,
        injected_at,
        tracker,
        pid_at_injection,
        engine,
        trainer,
    };
    (app, rest)
}

impl Rest {
    /// The drill again, with the journal back from the screen.
    fn back(self, app: App) -> Drill {
        Drill {
            scenario: self.scenario,
            runbook: self.runbook,
            vars: self.vars,
            scenario_vars: self.scenario_vars,
            session: app.session,
            sandbox: self.sandbox,
            fence: self.fence,
            traffic: self.traffic,
            injected_at: self.injected_at,
            tracker: self.tracker,
            pid_at_injection: self.pid_at_injection,
            engine: self.engine,
            trainer: self.trainer,
        }
    }
}

/// Joins a YAML block's hard-wrapped lines into paragraphs for the screen
/// to wrap at its own width; blank lines, list items (`- `, `* `, `1. `)
/// and indented lines keep their breaks.
fn reflow(text: &str) -> String {
    let mut out = String::new();
    let mut open = false;
    for line in text.lines() {
        let t = line.trim_end();
        let starts_item = t.starts_with(['-', '*', ' ', '\t'])
            || t.split_once(". ")
                .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty());
        if t.is_empty() {
            out.push_str(if open { "\n\n" } else { "\n" });
            open = false;
        } else if open && !starts_item {
            out.push(' ');
            out.push_str(t.trim_start());
        } else {
            if open {
                out.push('\n');
            }
            out.push_str(t);
            open = true;
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::reflow;

    #[test]
    fn a_hard_wrapped_brief_becomes_paragraphs_and_lists_keep_their_lines() {
        let brief = "Support 09:15: customers get\nconfirmations late.\n\nWhat you know:\n- one\n- two\n  continued\n1. first\n";
        assert_eq!(
            reflow(brief),
            "Support 09:15: customers get confirmations late.\n\nWhat you know:\n- one\n- two\n  continued\n1. first"
        );
    }
}
