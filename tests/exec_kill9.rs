//! Commands die with the program, even when it is killed with SIGKILL.
//!
//! The test re-runs its own binary as the "program": an ignored helper test that
//! starts commands through exec::spawn (one with a grandchild ignoring SIGTERM),
//! says READY and waits. The test kills it with SIGKILL and checks that no process
//! carrying the marker argument is left.

#[path = "exec_support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use runbook::exec::{Spec, spawn};
use support::{eventually, marker, procs_with};

const MARKER_ENV: &str = "RUNBOOK_EXEC_KILL9_MARKER";

#[test]
#[ignore = "helper: run by parent_killed_with_sigkill_takes_its_commands_along"]
fn helper_program_running_commands() {
    let Ok(m) = std::env::var(MARKER_ENV) else {
        return;
    };
    let Ok(rt) = tokio::runtime::Runtime::new() else {
        return;
    };
    rt.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::channel(8);
        let follow = |cmd: String| Spec {
            timeout: None,
            ..Spec::new(cmd)
        };
        let _a = spawn(1, follow(format!("sleep {m}")), tx.clone());
        let _b = spawn(
            2,
            follow(format!("sh -c 'trap \"\" TERM HUP; sleep {m}' & sleep {m}")),
            tx,
        );
        tokio::spawn(async move { while rx.recv().await.is_some() {} });
        if eventually(Duration::from_secs(10), || procs_with(&m).len() == 3) {
            println!("READY");
        }
        tokio::time::sleep(Duration::from_secs(1000)).await;
    });
}

#[test]
fn parent_killed_with_sigkill_takes_its_commands_along() {
    let m = marker(9);
    let exe = std::env::current_exe().expect("test binary path");
    let mut helper = Command::new(exe)
        .args([
            "helper_program_running_commands",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env(MARKER_ENV, &m)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start helper");
    let stdout = helper.stdout.take().expect("helper stdout");
    let ready = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|l| l.trim() == "READY");
    let before = procs_with(&m);
    // SAFETY: plain kill(2) of our own child.
    unsafe { libc::kill(helper.id() as libc::pid_t, libc::SIGKILL) };
    let _ = helper.wait();
    assert!(ready, "helper did not start its commands");
    assert_eq!(
        before.len(),
        3,
        "two sleeps and the TERM-ignoring grandchild were running"
    );
    assert!(
        eventually(Duration::from_secs(5), || procs_with(&m).is_empty()),
        "commands outlived the killed program: {:?}",
        procs_with(&m)
    );
}
