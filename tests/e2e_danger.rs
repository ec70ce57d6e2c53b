//! End to end: a dangerous command opens a typed confirmation; a wrong answer
//! runs nothing, the command's id runs it. Both a `confirm: true` command and
//! one caught only by the destructive-pattern list.

mod support;

use runbook::incident::Event;
use support::{journal, start, wait_journal};

fn answers(dir: &std::path::Path, command: &str) -> Vec<(bool, String)> {
    journal(dir)
        .into_iter()
        .filter_map(|r| match r.event {
            Event::ConfirmationAnswered {
                command: c,
                accepted,
                typed,
                ..
            } if c == command => Some((accepted, typed)),
            _ => None,
        })
        .collect()
}

fn started(dir: &std::path::Path, command: &str) -> bool {
    journal(dir)
        .iter()
        .any(|r| matches!(&r.event, Event::CommandStarted { command: c, .. } if c == command))
}

#[test]
fn rm_on_a_file_needs_its_id_typed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let var = format!("file={}", victim.display());
    let mut t = start("basic.yaml", "Danger", dir.path(), &[&var]);
    t.expect("1 ▶ Look");

    // hello, slow, wipe: the third command.
    t.send("jj\r");
    // The dialog shows the exact command.
    t.expect_all(&[
        "Confirm dangerous command",
        &format!("$ rm -f '{}'", victim.display()),
        "Type wipe and press Enter",
    ]);
    t.send("nope\r");
    t.expect("command not run");
    assert!(victim.exists(), "a wrong answer deleted the file");
    assert_eq!(answers(dir.path(), "wipe"), [(false, "nope".to_string())]);
    assert!(
        !started(dir.path(), "wipe"),
        "a refused command was started"
    );

    t.send("\r");
    t.expect("Confirm dangerous command");
    t.send("wipe\r");
    wait_journal(dir.path(), |e| matches!(e, Event::CommandFinished { .. }));
    assert!(!victim.exists(), "the confirmed command did not run");
    assert_eq!(
        answers(dir.path(), "wipe"),
        [(false, "nope".to_string()), (true, "wipe".to_string())]
    );
}

#[test]
fn confirm_true_command_is_cancelled_by_esc_and_run_by_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = start("basic.yaml", "Danger 2", dir.path(), &[]);
    t.expect("1 ▶ Look");

    t.send("jjj\r");
    // The dialog shows the command and why.
    t.expect_all(&[
        "Confirm dangerous command",
        "$ echo restarted-for-real",
        "the runbook marks it as changing the system",
    ]);
    t.send("\x1b");
    t.expect("cancelled — command not run");
    assert_eq!(answers(dir.path(), "restart"), [(false, String::new())]);
    assert!(!started(dir.path(), "restart"));

    t.send("\r");
    t.expect("Confirm dangerous command");
    t.send("restart\r");
    // Its output is shown.
    t.expect_all(&["┌ restart — exit 0", "││restarted-for-real"]);
    assert!(started(dir.path(), "restart"));
}
