//! exec::spawn against real processes: exit codes, streams, timeout, cancel,
//! process-group cleanup, sanitising.

#[path = "exec_support/mod.rs"]
mod support;

use std::time::Duration;

use runbook::exec::{ExecError, Spec, Stream, spawn};
use support::{collect, eventually, gone, marker, procs_in_group, procs_with};
use tokio::sync::mpsc;

fn spec(cmd: &str, timeout: Option<Duration>) -> Spec {
    Spec {
        timeout,
        grace: Duration::from_millis(500),
        ..Spec::new(cmd)
    }
}

#[tokio::test]
async fn exit_code_and_separate_streams() {
    let (tx, mut rx) = mpsc::channel(8);
    let cmd = "echo out1; echo err1 >&2; cat; echo out2; exit 3";
    let h = spawn(7, spec(cmd, Some(Duration::from_secs(30))), tx).expect("spawn");
    let c = collect(&mut rx, 7).await;
    let o = c.outcome.expect("finished");
    assert_eq!(o.exit_code, Some(3));
    assert_eq!(o.signal, None);
    assert!(!o.timed_out && !o.cancelled);
    // `cat` read /dev/null: stdin is not inherited.
    assert_eq!(c.stdout, "out1\nout2\n");
    assert_eq!(c.stderr, "err1\n");
    assert_eq!(o.bytes, 15);
    assert_eq!(c.after_finished, 0, "nothing may follow Finished");
    assert!(gone(h.pid), "the shell must be reaped, not left a zombie");
}

#[tokio::test]
async fn environment_has_term_dumb_and_spec_env() {
    let (tx, mut rx) = mpsc::channel(8);
    let mut s = spec("echo \"$TERM $RB_TEST_VAR\"", Some(Duration::from_secs(30)));
    s.env.push(("RB_TEST_VAR".into(), "it's set".into()));
    spawn(1, s, tx).expect("spawn");
    assert_eq!(collect(&mut rx, 1).await.stdout, "dumb it's set\n");
}

#[tokio::test]
async fn hung_command_and_term_ignoring_grandchild_die_at_timeout() {
    let m = marker(1);
    let cmd = format!("sh -c 'trap \"\" TERM; sleep {m}' & sleep {m}");
    let (tx, mut rx) = mpsc::channel(8);
    let h = spawn(2, spec(&cmd, Some(Duration::from_secs(1))), tx).expect("spawn");
    assert!(
        eventually(Duration::from_secs(5), || procs_with(&m).len() == 2),
        "both sleeps start"
    );
    let o = collect(&mut rx, 2).await.outcome.expect("finished");
    assert!(o.timed_out && !o.cancelled);
    assert_eq!(o.signal, Some(libc::SIGTERM));
    assert!(
        procs_with(&m).is_empty(),
        "left behind: {:?}",
        procs_with(&m)
    );
    assert!(
        procs_in_group(h.pgid).is_empty(),
        "group {} not empty",
        h.pgid
    );
    assert!(gone(h.pid));
}

#[tokio::test]
async fn cancel_kills_the_group() {
    let m = marker(2);
    let (tx, mut rx) = mpsc::channel(8);
    let h = spawn(3, spec(&format!("echo started; sleep {m}"), None), tx).expect("spawn");
    assert!(eventually(Duration::from_secs(5), || procs_with(&m).len() == 1));
    h.cancel();
    let c = collect(&mut rx, 3).await;
    let o = c.outcome.expect("finished");
    assert!(o.cancelled && !o.timed_out);
    assert_eq!(c.stdout, "started\n");
    assert!(procs_with(&m).is_empty());
    assert!(procs_in_group(h.pgid).is_empty());
}

#[tokio::test]
async fn background_job_left_by_a_finished_command_is_killed() {
    let m = marker(3);
    let (tx, mut rx) = mpsc::channel(8);
    let h = spawn(4, spec(&format!("sleep {m} & echo bye"), None), tx).expect("spawn");
    let c = collect(&mut rx, 4).await;
    assert_eq!(c.outcome.expect("finished").exit_code, Some(0));
    assert_eq!(c.stdout, "bye\n");
    assert!(procs_with(&m).is_empty(), "background sleep survived");
    assert!(procs_in_group(h.pgid).is_empty());
}

#[tokio::test]
async fn dropping_the_handle_does_not_kill() {
    let (tx, mut rx) = mpsc::channel(8);
    drop(spawn(5, spec("sleep 0.3; echo still here", None), tx).expect("spawn"));
    let c = collect(&mut rx, 5).await;
    assert_eq!(c.stdout, "still here\n");
    assert_eq!(c.outcome.expect("finished").exit_code, Some(0));
}

#[tokio::test]
async fn partial_line_is_flushed_before_the_rest_arrives() {
    let (tx, mut rx) = mpsc::channel(8);
    spawn(
        6,
        spec("printf 'Password check: '; sleep 1; echo ok", None),
        tx,
    )
    .expect("spawn");
    let c = collect(&mut rx, 6).await;
    let texts: Vec<&str> = c.chunks.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts, ["Password check: ", "ok\n"]);
}

#[tokio::test]
async fn escape_sequences_and_invalid_utf8_are_neutralised() {
    let (tx, mut rx) = mpsc::channel(8);
    // OSC 52 clipboard write, screen clear, cursor home, colour, a bad byte, CRLF,
    // a progress bar, a bell, 8-bit-encoded CSI.
    let cmd = r"printf '\033]52;c;cm0gLXJmIC8K\007safe\033[2J\033[H \033[31mred\033[0m \377\r\n 10%%\r100%%\n\007bell\302\2332Jz\n'";
    spawn(8, spec(cmd, None), tx).expect("spawn");
    let c = collect(&mut rx, 8).await;
    assert_eq!(c.stdout, "safe \x1b[31mred\x1b[0m \u{FFFD}\n100%\nbellz\n");
}

#[tokio::test]
async fn stderr_is_tagged_stderr() {
    let (tx, mut rx) = mpsc::channel(8);
    spawn(9, spec("echo oops >&2", None), tx).expect("spawn");
    let c = collect(&mut rx, 9).await;
    assert_eq!(c.chunks, [(Stream::Stderr, "oops\n".to_string())]);
}

#[test]
fn spawn_outside_a_runtime_is_an_error_not_a_panic() {
    let (tx, _rx) = mpsc::channel(1);
    assert!(matches!(
        spawn(1, Spec::new("true"), tx),
        Err(ExecError::NoRuntime)
    ));
}

/// A pipeline fails when any part of it fails (`pipefail`): `broker-cli | head`
/// with the broker down must be recorded as failed, not as an empty success.
#[tokio::test]
async fn a_failing_command_before_a_pipe_fails_the_run() {
    let (tx, mut rx) = mpsc::channel(8);
    spawn(1, spec("false | cat", Some(Duration::from_secs(30))), tx).expect("spawn");
    let o = collect(&mut rx, 1).await.outcome.expect("finished");
    assert_eq!(o.exit_code, Some(1), "`false | cat` must fail: {o:?}");

    // The last failing part gives the code; a pipeline that works still exits 0.
    let (tx, mut rx) = mpsc::channel(8);
    let cmd = "(echo hi; exit 69) | sort | tail -n 1";
    spawn(2, spec(cmd, Some(Duration::from_secs(30))), tx).expect("spawn");
    let c = collect(&mut rx, 2).await;
    assert_eq!(c.stdout, "hi\n");
    assert_eq!(c.outcome.expect("finished").exit_code, Some(69));
    let (tx, mut rx) = mpsc::channel(8);
    spawn(3, spec("echo ok | cat", Some(Duration::from_secs(30))), tx).expect("spawn");
    let o = collect(&mut rx, 3).await.outcome.expect("finished");
    assert_eq!(o.exit_code, Some(0));
}

/// Without bash, `/bin/sh` gets a prologue that turns `pipefail` on where the
/// shell has it and is harmless where it does not (dash 0.5.12 has no pipefail).
#[test]
fn the_sh_prologue_runs_the_command_in_a_shell_without_pipefail() {
    let sh = runbook::exec::Shell::SH;
    let out = std::process::Command::new(sh.program)
        .args(sh.args)
        .arg(sh.command_line("echo before; false | cat; echo \"after $?\""))
        .output()
        .expect("run /bin/sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout == "before\nafter 0\n" || stdout == "before\nafter 1\n",
        "{stdout:?} {out:?}"
    );
    assert!(out.status.success(), "{out:?}");
}
