//! The trainee's screen, in a real PTY against a real throwaway node: the
//! brief comes first, `h` takes a hint (journaled with its cost, shown in
//! the header), the fix is detected while the screen runs ("Service
//! restored (drill)"), resolve ends the drill as resolved, and it is scored
//! and cleaned up. A drill left alone ends on its time limit. The
//! production broker ends as it began.

mod support;

use support::drill::{drill_processes, has, leftovers};

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use runbook::incident::{DrillActor, DrillEndReason, Event};
use support::{Launch, production};

/// Booting a node and proving the fault live takes 10–60 s on a loaded
/// 2-core machine.
const BOOT: Duration = Duration::from_secs(180);

#[test]
fn the_trainee_reads_the_brief_takes_a_hint_sees_the_fix_detected_and_resolves() {
    let before = production::snapshot();
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let logs_arg = logs.display().to_string();
    // The user's config file names real people's webhooks: a drill leaves
    // them alone; the trainer's own --notify target hears the drill.
    let hooks = support::webhook::Hooks::start();
    let config = support::webhook::config_all_kinds(&hooks, tmp.path());
    let trainer_hook = hooks.url("trainer/generic/TOKEN");
    let mut pty = Launch::new(
        support::bin(),
        &[
            "drill",
            "queue-backlog",
            "--log-dir",
            &logs_arg,
            "--notify",
            &trainer_hook,
        ],
    )
    .env("RUNBOOK_DRILL_DIR", &state.display().to_string())
    .env("RUNBOOK_CONFIG", &config.display().to_string())
    .size(160, 45)
    .spawn();
    // The brief is the first screen, over the drill header and countdown.
    let screen = pty.expect_within("Drill brief", BOOT);
    assert!(screen.contains(" DRILL "), "{screen}");
    assert!(screen.contains("left"), "no countdown: {screen}");
    assert!(screen.contains("hints 0/2"), "{screen}");
    assert!(
        screen.contains("consumer was redeployed at 08:50"),
        "the brief is shown, reflowed: {screen}"
    );
    // The journal has the fault in, before the trainee starts.
    let recs = support::journal(&logs);
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillFaultInjected { .. }
    )));
    assert!(
        !has(&recs, |e| matches!(e, Event::StepEntered { .. })),
        "the first step starts when the brief is dismissed"
    );

    // Any key starts the drill: the first step's timer starts now.
    pty.send(" ");
    pty.wait_until(support::WAIT, |s| !s.contains("Drill brief"))
        .expect("the brief closes");
    support::wait_journal(&logs, |e| matches!(e, Event::StepEntered { .. }));

    // h shows the hints; Enter takes the first one, which costs points.
    pty.send("h");
    pty.expect("take hint 1 of 2");
    pty.send("\r");
    let screen = pty.expect("hints 1/2");
    assert!(screen.contains("1. "), "the hint is shown: {screen}");
    let recs = support::wait_journal(&logs, |e| matches!(e, Event::DrillHint { .. }));
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillHint {
            index: 0,
            by: DrillActor::Trainee,
            cost,
            ..
        } if *cost > 0
    )));
    pty.send("q");
    pty.wait_until(support::WAIT, |s| !s.contains("Drill hints"))
        .expect("the hints close");

    // The fix, made beside the screen with the sandbox's own environment:
    // the detector notices and the screen says so.
    let started = recs
        .iter()
        .find_map(|r| match &r.event {
            Event::DrillStarted { sandbox, nodes, .. } => Some((sandbox.clone(), nodes.clone())),
            _ => None,
        })
        .expect("drill_started");
    let purge = Command::new("rabbitmqctl")
        .args(["-q", "purge_queue", "-p", "orders", "orders.created"])
        .env(
            "RABBITMQ_CONF_ENV_FILE",
            Path::new(&started.0).join("n1/rabbitmq-env.conf"),
        )
        .env("RABBITMQ_NODENAME", &started.1[0].name)
        .output()
        .unwrap();
    assert!(
        purge.status.success(),
        "purge: {}",
        String::from_utf8_lossy(&purge.stderr)
    );
    pty.expect_within("Service restored (drill)", Duration::from_secs(90));
    let recs = support::journal(&logs);
    assert!(has(&recs, |e| matches!(e, Event::DrillFixed { .. })));

    // Resolve, then quit: the drill ends resolved, is scored, cleaned up.
    pty.send("R");
    pty.expect("Resolve the incident");
    pty.send("purged the backlog");
    pty.send("\x13");
    pty.expect("incident resolved");
    pty.send("q");
    pty.expect("Quit?");
    pty.send("y");
    let status = pty
        .wait_exit(Duration::from_secs(120))
        .expect("the drill ends");
    assert!(status.success(), "exit {status:?}");
    let out = pty.screen();
    let recs = support::journal(&logs);
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillEnded {
            reason: DrillEndReason::Resolved,
            ..
        }
    )));
    let scored = recs
        .iter()
        .rev()
        .find_map(|r| match &r.event {
            Event::DrillScored { score, lines, .. } => Some((*score, lines.clone())),
            _ => None,
        })
        .expect("drill_scored");
    assert!(
        scored
            .1
            .iter()
            .any(|l| l.what.contains("hint") && l.points < 0),
        "the hint cost points: {scored:?}"
    );
    assert!(scored.0 < 100, "{scored:?}");
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillCleanup { ok: true, .. }
    )));
    assert!(out.contains("score:"), "the score is printed: {out}");
    let hits = hooks.hits();
    assert!(
        hits.iter().all(|h| h.path.starts_with("/trainer/")),
        "a drill paged the config file's targets: {hits:#?}"
    );
    let events: Vec<&str> = hits
        .iter()
        .map(|h| h.json["event"].as_str().unwrap_or(""))
        .collect();
    assert!(
        events.contains(&"opened") && events.contains(&"resolved"),
        "{events:?}"
    );
    assert!(hits.iter().all(|h| h.json["incident"]["mode"] == "drill"));
    assert!(drill_processes(&state).is_empty(), "drill processes left");
    assert!(leftovers(&state).is_empty(), "{:?}", leftovers(&state));
    assert_eq!(before, production::snapshot(), "production changed");
}

#[test]
fn a_drill_left_alone_ends_on_its_time_limit_and_is_cleaned_up() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let logs_arg = logs.display().to_string();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/drills/fence-restart.yaml")
        .display()
        .to_string();
    let mut pty = Launch::new(
        support::bin(),
        &["drill", &scenario, "--log-dir", &logs_arg],
    )
    .env("RUNBOOK_DRILL_DIR", &state.display().to_string())
    .size(120, 40)
    .spawn();
    pty.expect_within("Drill brief", BOOT);
    pty.send(" ");
    // Its time limit is 15 s: the screen ends by itself.
    let status = pty
        .wait_exit(Duration::from_secs(120))
        .expect("the time limit ends the drill");
    assert!(status.success(), "exit {status:?}");
    let recs = support::journal(&logs);
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillEnded {
            reason: DrillEndReason::TimeLimit,
            ..
        }
    )));
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillScored { score: 0, .. }
    )));
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillCleanup { ok: true, .. }
    )));
    assert!(drill_processes(&state).is_empty(), "drill processes left");
    assert!(leftovers(&state).is_empty(), "{:?}", leftovers(&state));
}

#[test]
fn sigterm_during_the_drill_screen_ends_scores_and_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let logs_arg = logs.display().to_string();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/drills/fence-restart.yaml")
        .display()
        .to_string();
    let mut pty = Launch::new(
        support::bin(),
        &["drill", &scenario, "--log-dir", &logs_arg],
    )
    .env("RUNBOOK_DRILL_DIR", &state.display().to_string())
    .size(120, 40)
    .spawn();
    pty.expect_within("Drill brief", BOOT);
    pty.signal(libc::SIGTERM);
    let status = pty
        .wait_exit(Duration::from_secs(120))
        .expect("SIGTERM ends the drill");
    assert_eq!(status.exit_code(), 143, "{status:?}");
    let recs = support::journal(&logs);
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillEnded {
            reason: DrillEndReason::Quit,
            detail,
        } if detail.contains("SIGTERM")
    )));
    assert!(has(&recs, |e| matches!(e, Event::DrillScored { .. })));
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillCleanup { ok: true, .. }
    )));
    assert!(drill_processes(&state).is_empty(), "drill processes left");
    assert!(leftovers(&state).is_empty(), "{:?}", leftovers(&state));
}

#[test]
fn a_panic_in_the_drill_screen_still_ends_scores_and_cleans_up() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let logs_arg = logs.display().to_string();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/drills/fence-restart.yaml")
        .display()
        .to_string();
    let mut pty = Launch::new(
        support::bin(),
        &["drill", &scenario, "--log-dir", &logs_arg],
    )
    .env("RUNBOOK_DRILL_DIR", &state.display().to_string())
    .env("RUNBOOK_TEST_PANIC", "1")
    .size(120, 40)
    .spawn();
    pty.expect_within("Drill brief", BOOT);
    pty.send(" ");
    pty.wait_until(support::WAIT, |s| !s.contains("Drill brief"))
        .expect("the brief closes");
    // F12 (debug builds with RUNBOOK_TEST_PANIC) panics inside the loop.
    pty.send("\x1b[24~");
    let status = pty
        .wait_exit(Duration::from_secs(120))
        .expect("the drill ends after the panic");
    assert_eq!(status.exit_code(), 1, "{status:?}");
    let recs = support::journal(&logs);
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillEnded {
            reason: DrillEndReason::Quit,
            detail,
        } if detail.contains("panicked")
    )));
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillCleanup { ok: true, .. }
    )));
    assert!(drill_processes(&state).is_empty(), "drill processes left");
    assert!(leftovers(&state).is_empty(), "{:?}", leftovers(&state));
}

/// A stand-in for the production management API: healthy until `sick` is
/// set, then 503 with a hostile reason.
fn fake_production(sick: std::sync::Arc<std::sync::atomic::AtomicBool>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let (status, body) = if sick.load(std::sync::atomic::Ordering::SeqCst) {
                (
                    "503 Service Unavailable",
                    "{\"status\":\"failed\",\"reason\":\"memory alarm \\u001b[2J on rabbit@prod\"}",
                )
            } else {
                ("200 OK", "{\"status\":\"ok\"}")
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn the_drill_pauses_while_the_production_broker_is_sick_and_its_clock_stands_still() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let sick = Arc::new(AtomicBool::new(false));
    let api = fake_production(sick.clone());
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let logs_arg = logs.display().to_string();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/drills/fence-restart.yaml")
        .display()
        .to_string();
    let mut pty = Launch::new(
        support::bin(),
        &["drill", &scenario, "--log-dir", &logs_arg],
    )
    .env("RUNBOOK_DRILL_DIR", &state.display().to_string())
    .env("RUNBOOK_DRILL_LIVE_API", &api)
    .env("RUNBOOK_DRILL_LIVE_EVERY_MS", "300")
    .size(160, 40)
    .spawn();
    pty.expect_within("Drill brief", BOOT);
    pty.send(" ");
    sick.store(true, Ordering::SeqCst);
    let screen = pty.expect("DRILL PAUSED");
    assert!(screen.contains("memory alarm"), "{screen}");
    std::thread::sleep(Duration::from_secs(6));
    sick.store(false, Ordering::SeqCst);
    pty.wait_until(support::WAIT, |s| !s.contains("DRILL PAUSED"))
        .expect("the drill resumes");
    // Time limit 15 s, plus the pause.
    let status = pty
        .wait_exit(Duration::from_secs(120))
        .expect("the time limit ends the drill");
    assert!(status.success(), "{status:?}");
    let recs = support::journal(&logs);
    let ts = |f: &dyn Fn(&Event) -> bool| {
        recs.iter()
            .find(|r| f(&r.event))
            .map(|r| r.ts)
            .expect("event present")
    };
    let injected = ts(&|e| matches!(e, Event::DrillFaultInjected { .. }));
    let paused = ts(&|e| matches!(e, Event::DrillPaused { .. }));
    let resumed = ts(&|e| matches!(e, Event::DrillResumed { .. }));
    let ended = ts(&|e| {
        matches!(
            e,
            Event::DrillEnded {
                reason: DrillEndReason::TimeLimit,
                ..
            }
        )
    });
    let pause = resumed - paused;
    assert!(pause >= chrono::Duration::seconds(5), "{pause:?}");
    assert!(
        ended - injected >= chrono::Duration::seconds(15) + pause - chrono::Duration::seconds(1),
        "the clock ran during the pause: ended {:?} after injection, paused {pause:?}",
        ended - injected
    );
    assert!(recs.iter().all(|r| match &r.event {
        Event::DrillPaused { reason } => !reason.contains('\u{1b}'),
        _ => true,
    }));
    assert!(leftovers(&state).is_empty(), "{:?}", leftovers(&state));
}

#[test]
fn without_a_scenario_the_terminal_offers_the_list_and_enter_cancels() {
    let mut pty = Launch::new(support::bin(), &["drill"])
        .size(120, 40)
        .spawn();
    let screen = pty.expect("Scenario to drill (number or id; Enter cancels)");
    assert!(screen.contains("queue-backlog"), "{screen}");
    assert!(screen.contains("partition"), "{screen}");
    pty.send("\r");
    let status = pty.wait_exit(support::WAIT).expect("cancelled");
    assert_eq!(status.exit_code(), 2);
    // A number out of range is refused.
    let mut pty = Launch::new(support::bin(), &["drill"])
        .size(120, 40)
        .spawn();
    pty.expect("Scenario to drill");
    pty.send("99\r");
    pty.expect("no scenario number 99");
    let status = pty.wait_exit(support::WAIT).expect("refused");
    assert_eq!(status.exit_code(), 2);
}
