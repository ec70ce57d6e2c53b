//! Drills end to end against real throwaway RabbitMQ nodes beside the CI
//! broker: every embedded scenario on `--autopilot` (the fault goes in and
//! is live, the model answer fixes it, the fix is detected, the sandbox is
//! gone), kill -9 in the middle of a drill then `drill cleanup`, and the
//! fence refusing a runbook command that would reach production. After all
//! of it the production broker is exactly as it was.

mod support;

use support::drill::{drill_processes, leftovers};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use runbook::incident::{CheckStatus, DrillEndReason, Event, Record};
use support::production;

fn runbook_cmd(state: &Path) -> Command {
    let mut c = Command::new(support::bin());
    c.env("RUNBOOK_DRILL_DIR", state)
        .env("NO_COLOR", "1")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

fn scenario_ids() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("drills");
    let mut ids: Vec<String> = std::fs::read_dir(&dir)
        .expect("drills/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            text.lines()
                .find_map(|l| l.strip_prefix("id:"))
                .map(|id| id.trim().to_string())
        })
        .collect();
    ids.sort();
    ids
}

fn records(dir: &Path) -> Vec<Record> {
    support::journal(dir)
}

fn show(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs one scenario on `--autopilot` with its own sandbox directory under
/// `tmp`; returns what went wrong, if anything.
fn autopilot_one(tmp: &Path, id: &str) -> Vec<String> {
    let state = tmp.join("sandboxes").join(id);
    let logs = tmp.join("logs").join(id);
    let started = Instant::now();
    let out = runbook_cmd(&state)
        .args(["drill", id, "--autopilot", "--log-dir"])
        .arg(&logs)
        .output()
        .unwrap();
    eprintln!(
        "{id}: {:.1} s, exit {:?}",
        started.elapsed().as_secs_f64(),
        out.status.code()
    );
    let mut failures = Vec::new();
    if !out.status.success() {
        failures.push(format!("{id}: {}", show(&out)));
        return failures;
    }
    let recs = records(&logs);
    let has = |f: &dyn Fn(&Event) -> bool| recs.iter().any(|r| f(&r.event));
    let problems: Vec<&str> = [
        (
            has(&|e| matches!(e, Event::DrillFaultInjected { .. })),
            "no drill_fault_injected",
        ),
        (
            has(&|e| {
                matches!(e, Event::DrillCheck { outcome, .. } if *outcome != CheckStatus::Pass)
            }),
            "no failing check after injection",
        ),
        (
            has(&|e| matches!(e, Event::DrillFixed { .. })),
            "no drill_fixed",
        ),
        (
            has(&|e| {
                matches!(e, Event::DrillEnded { reason: DrillEndReason::Resolved, .. })
            }),
            "not ended as resolved",
        ),
        (
            has(&|e| matches!(e, Event::DrillScored { .. })),
            "no drill_scored",
        ),
        (
            has(&|e| matches!(e, Event::DrillCleanup { ok: true, .. })),
            "no successful drill_cleanup",
        ),
    ]
    .into_iter()
    .filter(|(ok, _)| !ok)
    .map(|(_, why)| why)
    .collect();
    if !problems.is_empty() {
        failures.push(format!("{id}: {}\n{}", problems.join(", "), show(&out)));
    }
    let left = drill_processes(&state);
    if !left.is_empty() {
        failures.push(format!("{id}: drill processes left running: {left:?}"));
    }
    let files = leftovers(&state);
    if !files.is_empty() {
        failures.push(format!("{id}: sandbox files left: {files:?}"));
    }
    failures
}

#[test]
fn every_embedded_scenario_breaks_the_sandbox_and_its_model_answer_fixes_it() {
    let before = production::snapshot();
    let ids = scenario_ids();
    assert!(ids.len() >= 12, "at least 12 embedded scenarios: {ids:?}");
    let tmp = tempfile::tempdir().unwrap();
    // Two drills at a time, each with its own sandbox directory: a drill
    // spends most of its time waiting (boot, hold periods), and two fit the
    // 2-core CI machine.
    let queue = std::sync::Mutex::new(ids.into_iter());
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some(id) = next else { break };
                    let f = autopilot_one(tmp.path(), &id);
                    failures.lock().unwrap().extend(f);
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(
        before,
        production::snapshot(),
        "the production broker changed during the drills"
    );
}

#[test]
fn kill_9_in_the_middle_of_a_drill_then_cleanup_removes_every_trace() {
    let before = production::snapshot();
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let mut child = runbook_cmd(&state)
        .args(["drill", "queue-backlog", "--autopilot", "--log-dir"])
        .arg(&logs)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the fault is in: the broker, the traffic and the journal
    // all exist then.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let injected = std::fs::read_dir(&logs).is_ok()
            && records(&logs)
                .iter()
                .any(|r| matches!(r.event, Event::DrillFaultInjected { .. }));
        if injected {
            break;
        }
        assert!(Instant::now() < deadline, "the fault never went in");
        assert!(child.try_wait().unwrap().is_none(), "the drill ended early");
        std::thread::sleep(Duration::from_millis(200));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let out = runbook_cmd(&state)
        .args(["drill", "cleanup"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    // The broker's own exit takes a moment after its group is killed.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !drill_processes(&state).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        drill_processes(&state),
        Vec::<u32>::new(),
        "drill processes survived"
    );
    assert_eq!(
        leftovers(&state),
        Vec::<PathBuf>::new(),
        "sandbox files survived"
    );
    // `resume` of the killed drill cannot bring its sandbox back: it ends
    // the drill as interrupted and scores it, and says how to try again.
    let journal = support::journal_path(&logs);
    let out = runbook_cmd(&state)
        .arg("resume")
        .arg(&journal)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("interrupted") && said.contains("runbook drill queue-backlog"),
        "{said}"
    );
    let recs = records(&logs);
    assert!(recs.iter().any(|r| matches!(
        r.event,
        Event::DrillEnded {
            reason: DrillEndReason::Interrupted,
            ..
        }
    )));
    assert!(
        recs.iter()
            .any(|r| matches!(r.event, Event::DrillScored { .. }))
    );
    // A second resume refuses: the drill has ended.
    let again = runbook_cmd(&state)
        .arg("resume")
        .arg(&journal)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "{}", show(&again));
    let epmd = Command::new("epmd").arg("-names").output().unwrap();
    let names = String::from_utf8_lossy(&epmd.stdout);
    assert!(
        names.contains("name rabbit "),
        "epmd lost the production node: {names}"
    );
    assert_eq!(
        before,
        production::snapshot(),
        "the production broker changed"
    );
}

#[test]
fn the_fence_refuses_a_runbook_command_that_would_restart_the_production_service() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drills/fence-restart.yaml");
    let out = runbook_cmd(&state)
        .args(["drill"])
        .arg(&scenario)
        .args(["--autopilot", "--log-dir"])
        .arg(&logs)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let recs = records(&logs);
    let refused = recs.iter().any(|r| {
        matches!(&r.event, Event::CommandFinished { launch_error: Some(why), .. } if why.starts_with("refused in a drill"))
    });
    assert!(refused, "the restart was not refused: {}", show(&out));
    assert!(
        recs.iter()
            .any(|r| matches!(r.event, Event::DrillCleanup { ok: true, .. })),
        "no cleanup"
    );
    assert!(drill_processes(&state).is_empty());
}

#[test]
fn a_fault_that_does_not_go_in_aborts_the_drill_says_which_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drills/fault-fails.yaml");
    let out = runbook_cmd(&state)
        .args(["drill"])
        .arg(&scenario)
        .args(["--autopilot", "--log-dir"])
        .arg(&logs)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("FAIL fault live") && said.contains("fault `stop-app` did not go in"),
        "{}",
        show(&out)
    );
    let recs = records(&logs);
    assert!(recs.iter().any(|r| matches!(
        r.event,
        Event::DrillEnded {
            reason: DrillEndReason::Aborted,
            ..
        }
    )));
    assert!(
        recs.iter()
            .any(|r| matches!(r.event, Event::DrillCleanup { ok: true, .. }))
    );
    assert!(drill_processes(&state).is_empty());
    assert!(leftovers(&state).is_empty(), "{:?}", leftovers(&state));
}

/// A Chinese trainee drills on the Chinese runbook: with a `zh` locale the
/// scenario's embedded `rabbitmq-emergency` becomes `rabbitmq-emergency-zh`
/// (same ids, so the model answer, the fix and the score hold), and the
/// score is printed in Chinese. The sandbox is gone afterwards.
#[test]
fn a_chinese_locale_drills_on_the_chinese_runbook() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let out = runbook_cmd(&state)
        .env("LANG", "zh_CN.UTF-8")
        .args(["drill", "missing-vhost", "--autopilot", "--log-dir"])
        .arg(&logs)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", show(&out));
    let recs = records(&logs);
    let runbook = recs.iter().find_map(|r| match &r.event {
        Event::IncidentOpened { runbook, lang, .. } => Some((runbook.id.clone(), lang.clone())),
        _ => None,
    });
    assert_eq!(
        runbook,
        Some(("rabbitmq-emergency-zh".to_string(), "zh".to_string()))
    );
    assert!(
        recs.iter().any(|r| matches!(
            r.event,
            Event::DrillEnded {
                reason: DrillEndReason::Resolved,
                ..
            }
        )),
        "{}",
        show(&out)
    );
    // What the autopilot journals is in the drill's language too.
    let said: Vec<String> = recs
        .iter()
        .filter_map(|r| match &r.event {
            Event::IncidentResolved { summary } => Some(summary.clone()),
            Event::DrillEnded { detail, .. } => Some(detail.clone()),
            _ => None,
        })
        .collect();
    assert!(
        said.iter()
            .any(|s| s == "自动演练：场景的标准答案恢复了服务"),
        "{said:?}"
    );
    assert!(said.iter().any(|s| s.contains("秒检测到修复")), "{said:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("得分："), "{}", show(&out));
    assert!(stdout.contains("起始分"), "{}", show(&out));
    assert!(drill_processes(&state).is_empty());
    assert!(leftovers(&state).is_empty(), "{:?}", leftovers(&state));
}
