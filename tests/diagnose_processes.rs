//! `runbook diagnose` and the processes it starts: a hung command is killed
//! at its timeout with its grandchildren, kill -9 of diagnose leaves a
//! readable journal and no children, Ctrl-C cancels cleanly.

#[path = "diagnose_support/mod.rs"]
mod support;

use std::time::Duration;

use runbook::incident::{EndReason, Event, RunState};
use support::*;

#[test]
fn hung_command_is_killed_at_its_timeout_with_its_grandchildren() {
    let (m1, m2) = (marker(1), marker(2));
    let _guard = MarkerGuard(vec![m1.clone(), m2.clone()]);
    let log = tempfile::tempdir().unwrap();
    let fx = fixture("hung.yaml");
    let out = diagnose(
        &[
            fx.to_str().unwrap(),
            "--var",
            &format!("m1={m1}"),
            "--var",
            &format!("m2={m2}"),
        ],
        log.path(),
    );
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(
        code,
        Some(1),
        "a timed-out command fails the run\n{stdout}\n{stderr}"
    );
    let row = stdout
        .lines()
        .find(|l| l.starts_with("1. hang") && l.contains("hung"))
        .unwrap_or_else(|| panic!("no summary row for `hung`:\n{stdout}"));
    assert!(row.contains("timed out"), "summary row: {row}");

    let (read, inc) = read_folded(log.path());
    let finished = of_type(&read.records, "command_finished");
    assert_eq!(finished.len(), 1);
    match &finished[0].event {
        Event::CommandFinished { timed_out, .. } => assert!(timed_out, "{:?}", finished[0]),
        other => unreachable!("{other:?}"),
    }
    let run = inc.runs.values().next().unwrap();
    assert_eq!(run.state, RunState::TimedOut);
    // diagnose has exited, so its whole group must be gone: the foreground
    // sleep and the background one started by the inner shell.
    assert!(
        eventually(Duration::from_secs(3), || procs_with(&m1).is_empty()
            && procs_with(&m2).is_empty()),
        "left behind: {:?} {:?}",
        procs_with(&m1),
        procs_with(&m2)
    );
}

/// The records on disk in `log` so far (none while there is no journal yet).
fn on_disk(log: &std::path::Path) -> Vec<runbook::incident::Record> {
    journals(log)
        .first()
        .and_then(|p| runbook::journal::read(p).ok())
        .map(|j| j.records)
        .unwrap_or_default()
}

/// kill -9 of diagnose once the journal on disk satisfies `when` (named
/// `moment`): the journal is sound, everything that was on disk before the
/// kill still is, and no child is left.
fn kill9_when(moment: &str, tag: u32, when: impl Fn(&[runbook::incident::Record]) -> bool) {
    let mark = marker(tag);
    let _guard = MarkerGuard(vec![mark.clone()]);
    let log = tempfile::tempdir().unwrap();
    let fx = fixture("ticker.yaml");
    let mut child = spawn_diagnose(
        &[fx.to_str().unwrap(), "--var", &format!("mark={mark}")],
        log.path(),
    );
    let waited = eventually(Duration::from_secs(20), || when(&on_disk(log.path())));
    let seen = on_disk(log.path());
    if !waited {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the journal never reached {moment}: {seen:?}");
    }
    // SAFETY: plain syscall on our own child, not yet reaped.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGKILL);
    }
    let status = child.wait().unwrap();
    assert!(
        status.code().is_none(),
        "diagnose should have been killed {moment}, but exited: {status:?}"
    );

    // No child outlives diagnose: the watchdog of each run's group kills it.
    assert!(
        eventually(Duration::from_secs(5), || procs_with(&mark).is_empty()),
        "children left after kill -9 {moment}: {:?}",
        procs_with(&mark)
    );

    let path = the_journal(log.path());
    let bytes = std::fs::read(&path).unwrap();
    // Every complete line is JSON; only a last line without its newline may be torn.
    let complete = match bytes.iter().rposition(|&b| b == b'\n') {
        Some(i) => &bytes[..=i],
        None => &bytes[..0],
    };
    for (i, line) in complete.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        serde_json::from_slice::<serde_json::Value>(line).unwrap_or_else(|e| {
            panic!(
                "line {} of {} is not JSON ({e}): {}",
                i + 1,
                path.display(),
                String::from_utf8_lossy(line)
            )
        });
    }
    let read = runbook::journal::read(&path)
        .unwrap_or_else(|e| panic!("a killed session's journal must read back: {e}"));
    assert!(read.skipped.is_empty(), "damaged lines: {:?}", read.skipped);
    if let Some(torn) = read.torn {
        // Reported, not fatal; and it is really the unfinished last line.
        assert_eq!(torn.bytes, bytes.len() - complete.len(), "{torn:?}");
    }
    assert_seq_gapless(&read.records);
    // What was on disk before the kill is all still there.
    assert!(
        read.records.len() >= seen.len() && read.records[..seen.len()] == seen[..],
        "records on disk before the kill {moment} were lost"
    );
    assert!(
        last_is_session_ended(&read.records).is_none(),
        "a killed session cannot have recorded its end"
    );
    let inc = runbook::incident::Incident::fold(&read.records);
    let started: Vec<u64> = read
        .records
        .iter()
        .filter_map(|r| match &r.event {
            Event::CommandStarted { run, .. } => Some(*run),
            _ => None,
        })
        .collect();
    for run in &started {
        assert!(
            inc.runs.contains_key(run),
            "run {run} started but not folded"
        );
    }
    assert_eq!(inc.runs.len(), started.len());
    // Replay is stable: folding the same records twice gives the same state.
    assert_eq!(inc, runbook::incident::Incident::fold(&read.records));
}

fn count(recs: &[runbook::incident::Record], kind: &str) -> usize {
    recs.iter().filter(|r| r.event.type_name() == kind).count()
}

#[test]
fn kill9_early_leaves_a_sound_journal_and_no_children() {
    kill9_when("once the incident is opened", 10, |r| !r.is_empty());
}

#[test]
fn kill9_mid_run_leaves_a_sound_journal_and_no_children() {
    kill9_when("mid-run (10 outputs on disk)", 11, |r| {
        count(r, "command_output") >= 10
    });
}

#[test]
fn kill9_late_leaves_a_sound_journal_and_no_children() {
    kill9_when("late (a command finished on disk)", 12, |r| {
        count(r, "command_finished") >= 1
    });
}

#[test]
fn ctrl_c_cancels_the_running_command_and_records_the_end() {
    let mark = format!("30.{}{:03}", std::process::id(), 20);
    let _guard = MarkerGuard(vec![mark.clone()]);
    let log = tempfile::tempdir().unwrap();
    let fx = fixture("sleeper.yaml");
    let mut child = spawn_diagnose(
        &[fx.to_str().unwrap(), "--var", &format!("mark={mark}")],
        log.path(),
    );
    // Interrupt once the sleep is really running.
    assert!(
        eventually(Duration::from_secs(20), || !procs_with(&mark).is_empty()),
        "the sleep never started"
    );
    // SAFETY: plain syscall on our own child, not yet reaped.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let status = wait_bounded(&mut child, Duration::from_secs(15))
        .expect("diagnose did not exit after SIGINT (a 30 s sleep was running)");
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        status.code(),
        Some(1),
        "interrupted is not success\n{stdout}"
    );
    assert!(stdout.contains("interrupted by SIGINT"), "{stdout}");
    assert!(procs_with(&mark).is_empty(), "the sleep survived Ctrl-C");

    let (read, inc) = read_folded(log.path());
    assert_eq!(
        last_is_session_ended(&read.records),
        Some(&EndReason::Signal("SIGINT".into())),
        "last record: {:?}",
        read.records.last()
    );
    let run = inc.runs.values().next().unwrap();
    assert_eq!(run.state, RunState::Cancelled);
    assert_seq_gapless(&read.records);
}

#[test]
fn ctrl_c_ends_a_running_check_too() {
    let mark = format!("30.{}{:03}", std::process::id(), 21);
    let _guard = MarkerGuard(vec![mark.clone()]);
    let log = tempfile::tempdir().unwrap();
    let fx = fixture("slow-check.yaml");
    let mut child = spawn_diagnose(
        &[fx.to_str().unwrap(), "--var", &format!("mark={mark}")],
        log.path(),
    );
    assert!(
        eventually(Duration::from_secs(20), || !procs_with(&mark).is_empty()),
        "the check's sleep never started"
    );
    // SAFETY: plain syscall on our own child, not yet reaped.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let status = wait_bounded(&mut child, Duration::from_secs(15))
        .expect("diagnose did not exit after SIGINT while a check was running");
    assert_eq!(status.code(), Some(1));
    assert!(
        eventually(Duration::from_secs(5), || procs_with(&mark).is_empty()),
        "the check's sleep survived Ctrl-C"
    );
    let (read, inc) = read_folded(log.path());
    assert_eq!(
        last_is_session_ended(&read.records),
        Some(&EndReason::Signal("SIGINT".into()))
    );
    let run = inc.runs.values().next().unwrap();
    assert_eq!(
        run.state,
        RunState::Check(runbook::incident::CheckStatus::Error)
    );
    assert!(run.summary.contains("cancelled"), "{}", run.summary);
}
