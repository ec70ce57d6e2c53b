//! Shared helpers for the `runbook diagnose` end-to-end tests (included with
//! `#[path]` by each `diagnose_*.rs`; on its own it holds no test).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Output};
use std::time::{Duration, Instant};

use runbook::incident::{Event, Incident, Record};
use runbook::journal::{self, ReadJournal};

/// The `runbook` binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_runbook")
}

/// A fixture runbook of these tests.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diagnose")
        .join(name)
}

/// A `runbook diagnose` command with a clean environment for the journal
/// location (no `RUNBOOK_LOG_DIR` leaking in from the caller).
pub fn diagnose_cmd() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    // LC_ALL picks the embedded runbook's language: pin the English one.
    cmd.arg("diagnose")
        .env_remove("RUNBOOK_LOG_DIR")
        .env("LC_ALL", "C");
    cmd
}

/// Runs `runbook diagnose ARGS --log-dir LOG` to completion.
pub fn diagnose(args: &[&str], log: &Path) -> Output {
    diagnose_cmd()
        .args(args)
        .arg("--log-dir")
        .arg(log)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run runbook diagnose")
}

/// Starts `runbook diagnose ARGS --log-dir LOG` in the background.
pub fn spawn_diagnose(args: &[&str], log: &Path) -> Child {
    std::process::Command::new(bin())
        .arg("diagnose")
        .args(args)
        .arg("--log-dir")
        .arg(log)
        .env_remove("RUNBOOK_LOG_DIR")
        .env("LC_ALL", "C")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn runbook diagnose")
}

/// Exit code, stdout and stderr as text, for assertions and failure messages.
pub fn parts(out: &Output) -> (Option<i32>, String, String) {
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Journals (`*.jsonl`) in `dir`.
pub fn journals(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The one journal written in `dir`.
pub fn the_journal(dir: &Path) -> PathBuf {
    let all = journals(dir);
    assert_eq!(
        all.len(),
        1,
        "expected one journal in {}: {all:?}",
        dir.display()
    );
    all[0].clone()
}

/// Reads and folds the one journal in `dir`.
pub fn read_folded(dir: &Path) -> (ReadJournal, Incident) {
    let path = the_journal(dir);
    let read = journal::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let inc = Incident::fold(&read.records);
    (read, inc)
}

/// Records of one type.
pub fn of_type<'a>(recs: &'a [Record], ty: &str) -> Vec<&'a Record> {
    recs.iter().filter(|r| r.event.type_name() == ty).collect()
}

/// Asserts seq runs 1, 2, 3 … without gaps.
pub fn assert_seq_gapless(recs: &[Record]) {
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r.seq, i as u64 + 1, "seq gap at record {i}: {r:?}");
    }
}

/// The `session_ended` reason of the last record, if it is one.
pub fn last_is_session_ended(recs: &[Record]) -> Option<&runbook::incident::EndReason> {
    match recs.last().map(|r| &r.event) {
        Some(Event::SessionEnded { reason }) => Some(reason),
        _ => None,
    }
}

/// A marker argument no other process has; `sleep <marker>` sleeps ~1000 s.
pub fn marker(tag: u32) -> String {
    format!("1000.{}{tag:03}", std::process::id())
}

/// Live (non-zombie) processes that have `marker` as one whole argument.
pub fn procs_with(marker: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            cmdline
                .split(|&b| b == 0)
                .any(|arg| arg == marker.as_bytes())
        })
        .filter(|pid| {
            // A zombie is dead already (it only waits to be reaped).
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| {
                    s.rsplit_once(')')
                        .map(|(_, rest)| rest.trim_start().starts_with('Z'))
                })
                .is_some_and(|zombie| !zombie)
        })
        .collect()
}

/// Polls `cond` for up to `limit` (a liveness bound, not a timing assertion:
/// processes take a moment to die after a signal).
pub fn eventually(limit: Duration, cond: impl Fn() -> bool) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    cond()
}

/// Waits for `child` to exit, killing it if it outlives `limit`.
pub fn wait_bounded(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if let Ok(Some(st)) = child.try_wait() {
            return Some(st);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Kills any process left with `marker` (so a failing test does not leave
/// 1000-second sleeps behind for the next one).
pub fn reap_marker(marker: &str) {
    for pid in procs_with(marker) {
        // SAFETY: plain syscall on a pid we just found with our own marker.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGKILL);
        }
    }
}

/// Kills leftover marker processes on drop, even when an assertion fails.
pub struct MarkerGuard(pub Vec<String>);

impl Drop for MarkerGuard {
    fn drop(&mut self) {
        for m in &self.0 {
            reap_marker(m);
        }
    }
}
