//! The trainer steers a running drill from another terminal, through the
//! control file (`runbook drill hint|inject|pause|resume|end JOURNAL`): the
//! hint reaches the trainee's screen and the journal (by the trainer), the
//! escalation fault runs on the sandbox, pause and resume show and are
//! journaled, a request it does not know is reported, and `end` ends the
//! drill as ended by the trainer, scored and cleaned up.

mod support;

use support::drill::{has, leftovers};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use runbook::incident::{DrillActor, DrillEndReason, Event};
use support::Launch;

fn trainer(journal: &Path, args: &[&str]) -> std::process::Output {
    Command::new(support::bin())
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
fn a_live_journal_takes_no_trainer_request() {
    let journal = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/drill-scores/20261116T080000Z-live.jsonl");
    let out = trainer(&journal, &["hint"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a drill's journal"));
}
