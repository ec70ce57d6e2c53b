//! The trainer steers a running drill from another terminal, through the
//! control file (`runbook drill hint|inject|pause|resume|end JOURNAL`): the
//! hint reaches the trainee's screen and the journal (by the trainer), the
//! escalation fault runs on the sandbox, pause and resume show and are
//! journaled, a request it does not know is reported, and `end` ends the
//! drill as ended by the trainer, scored and cleaned up. The same from the
//! trainer's seat in `runbook watch JOURNAL`: the panel shows the root cause
//! and ticks the expected path as the trainee works, and its keys hint,
//! pause, resume, inject and end (the last two typed out) through the
//! control file.

mod support;

use support::drill::{has, leftovers};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use runbook::incident::{DrillActor, DrillEndReason, Event};
use support::Launch;

fn trainer(journal: &Path, args: &[&str]) -> std::process::Output {
    Command::new(support::bin())
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("drill")
        .arg(args[0])
        .arg(journal)
        .args(&args[1..])
        .output()
        .unwrap()
}

#[test]
fn the_trainer_hints_injects_pauses_and_ends_a_running_drill() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let logs_arg = logs.display().to_string();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/drills/trainer.yaml")
        .display()
        .to_string();
    let mut pty = Launch::new(
        support::bin(),
        &["drill", &scenario, "--log-dir", &logs_arg],
    )
    .env("RUNBOOK_DRILL_DIR", &state.display().to_string())
    .size(160, 40)
    .spawn();
    pty.expect_within("Drill brief", Duration::from_secs(180));
    pty.send(" ");
    pty.wait_until(support::WAIT, |s| !s.contains("Drill brief"))
        .expect("the brief closes");
    let journal: PathBuf = support::journal_path(&logs);

    let out = trainer(&journal, &["hint"]);
    assert!(out.status.success(), "{out:?}");
    pty.expect("hints 1/1");
    let recs = support::wait_journal(&logs, |e| matches!(e, Event::DrillHint { .. }));
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillHint {
            by: DrillActor::Trainer,
            cost: 7,
            ..
        }
    )));

    assert!(trainer(&journal, &["inject"]).status.success());
    let recs = support::wait_journal(&logs, |e| {
        matches!(
            e,
            Event::DrillFaultInjected {
                by: DrillActor::Trainer,
                ..
            }
        )
    });
    let run = recs
        .iter()
        .find_map(|r| match &r.event {
            Event::DrillFaultInjected {
                fault,
                by: DrillActor::Trainer,
                run,
            } if fault == "escalate" => *run,
            _ => None,
        })
        .expect("the escalation names its run");
    // It ran on the sandbox node (its name), not refused.
    let recs = support::wait_journal(
        &logs,
        |e| matches!(e, Event::CommandFinished { run: r, exit_code: Some(0), .. } if *r == run),
    );
    assert!(has(&recs, |e| matches!(
        e,
        Event::CommandOutput { run: r, text, .. } if *r == run && text.contains("drill-")
    )));

    assert!(trainer(&journal, &["pause"]).status.success());
    pty.expect("DRILL PAUSED");
    assert!(trainer(&journal, &["resume"]).status.success());
    pty.wait_until(support::WAIT, |s| !s.contains("DRILL PAUSED"))
        .expect("resumed");

    // A request it does not know: reported, nothing done.
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(runbook::drill::control::control_path(&journal))
            .unwrap();
        f.write_all(b"{\"action\":\"rm -rf /\"}\n").unwrap();
    }
    pty.expect("unknown request");

    assert!(trainer(&journal, &["end"]).status.success());
    let status = pty
        .wait_exit(Duration::from_secs(120))
        .expect("the trainer's end ends the drill");
    assert!(status.success(), "{status:?}");
    let recs = support::journal(&logs);
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillEnded {
            reason: DrillEndReason::EndedByTrainer,
            ..
        }
    )));
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillCleanup { ok: true, .. }
    )));
    // The drill is over: no more requests.
    assert_eq!(trainer(&journal, &["hint"]).status.code(), Some(2));
    assert!(leftovers(&state).is_empty(), "{:?}", leftovers(&state));
}

#[test]
fn the_trainer_steers_a_running_drill_from_the_seat_in_watch() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("sandboxes");
    let logs = tmp.path().join("logs");
    let logs_arg = logs.display().to_string();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/drills/trainer.yaml")
        .display()
        .to_string();
    let mut trainee = Launch::new(
        support::bin(),
        &["drill", &scenario, "--log-dir", &logs_arg],
    )
    .env("RUNBOOK_DRILL_DIR", &state.display().to_string())
    .size(160, 40)
    .spawn();
    trainee.expect_within("Drill brief", Duration::from_secs(180));
    let journal: PathBuf = support::journal_path(&logs);
    let mut seat = Launch::new(support::bin(), &["watch", &journal.display().to_string()])
        .size(170, 45)
        .spawn();
    // What the trainee does not see: the root cause, the path to take.
    seat.expect_all(&[
        " WATCH ",
        "Trainer",
        "Root cause (hidden)",
        "The application was stopped on purpose.",
        "· confirm/check-running",
        "hints 0/1",
        "escalate ready",
    ]);
    assert!(!trainee.screen().contains("stopped on purpose"));

    // The trainee starts and runs step 1's commands: the expected item ticks.
    trainee.send(" ");
    trainee
        .wait_until(support::WAIT, |s| !s.contains("Drill brief"))
        .expect("the brief closes");
    trainee.send("a");
    seat.expect_within("✓ confirm/check-running #1", Duration::from_secs(30));

    // h pushes the hint: on the trainee's screen, journaled by the trainer,
    // and the seat says it arrived.
    seat.send("h");
    trainee.expect("hints 1/1");
    let recs = support::wait_journal(&logs, |e| matches!(e, Event::DrillHint { .. }));
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillHint {
            by: DrillActor::Trainer,
            ..
        }
    )));
    seat.expect_all(&["hint 1 reached the trainee", "trainee 0, trainer 1"]);

    // p pauses both screens, p again resumes.
    seat.send("p");
    trainee.expect("DRILL PAUSED");
    seat.expect_all(&["PAUSED", "the drill is paused"]);
    seat.send("p");
    trainee
        .wait_until(support::WAIT, |s| !s.contains("DRILL PAUSED"))
        .expect("resumed");
    seat.expect_all(&["RUNNING", "the drill runs again"]);

    // i asks for the fault's id typed out, then the escalation goes in.
    seat.send("i");
    seat.expect("Type escalate and press Enter to send it");
    seat.send("escalate\r");
    seat.expect_within(
        "`escalate` injected into the sandbox",
        Duration::from_secs(30),
    );
    assert!(has(&support::journal(&logs), |e| matches!(
        e,
        Event::DrillFaultInjected {
            by: DrillActor::Trainer,
            ..
        }
    )));

    // e asks for `end` typed out: a wrong word sends nothing.
    seat.send("e");
    seat.expect("Type end and press Enter to send it");
    seat.send("ned\r");
    seat.expect("nothing sent");
    assert!(trainee.alive(), "the drill runs on");
    seat.send("e");
    seat.send("end\r");
    let status = trainee
        .wait_exit(Duration::from_secs(120))
        .expect("the seat's end ends the drill");
    assert!(status.success(), "{status:?}");
    seat.expect_within(
        "session ended (drill ended: ended by trainer)",
        Duration::from_secs(10),
    );
    seat.expect("ENDED: ended by trainer");
    let recs = support::journal(&logs);
    assert!(has(&recs, |e| matches!(
        e,
        Event::DrillEnded {
            reason: DrillEndReason::EndedByTrainer,
            ..
        }
    )));
    // Over: the keys say so and send nothing more.
    let control = runbook::drill::control::control_path(&journal);
    let sent = std::fs::read(&control).unwrap();
    seat.send("h");
    seat.expect("the drill has ended");
    assert_eq!(std::fs::read(&control).unwrap(), sent);
    seat.send("q");
    assert!(seat.wait_exit(support::WAIT).expect("quits").success());
    assert!(leftovers(&state).is_empty(), "{:?}", leftovers(&state));
}

#[test]
fn a_live_journal_takes_no_trainer_request() {
    let journal = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/drill-scores/20261116T080000Z-live.jsonl");
    let out = trainer(&journal, &["hint"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a drill's journal"));
}
