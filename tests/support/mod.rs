//! Shared helpers for the end-to-end tests: the PTY harness, fixtures and
//! reading the journal an incident wrote.
#![allow(dead_code)]

pub mod drill;
pub mod production;
pub mod pty;
pub mod slow_fsync;
pub mod webhook;

use std::path::{Path, PathBuf};
use std::time::Duration;

use runbook::incident::{Event, Record};

pub use pty::{Launch, Pty};

/// The binary under test.
pub fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_runbook"))
}

/// A fixture runbook under tests/fixtures/tui.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tui")
        .join(name)
        .display()
        .to_string()
}

/// Generous deadline for screen waits (debug build, 2 shared cores).
pub const WAIT: Duration = Duration::from_secs(10);

/// The one journal in `dir`.
pub fn journal_path(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read log dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    assert_eq!(files.len(), 1, "expected one journal in {dir:?}: {files:?}");
    files[0].clone()
}

/// Every record of the one journal in `dir`.
pub fn journal(dir: &Path) -> Vec<Record> {
    runbook::journal::read(&journal_path(dir))
        .expect("journal readable")
        .records
}

/// Waits (bounded) until the journal in `dir` has a record matching `pred`.
pub fn wait_journal(dir: &Path, pred: impl Fn(&Event) -> bool) -> Vec<Record> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let recs = journal(dir);
        if recs.iter().any(|r| pred(&r.event)) {
            return recs;
        }
        if std::time::Instant::now() >= deadline {
            panic!(
                "journal never got the expected event; it has:\n{}",
                recs.iter()
                    .map(|r| format!("{:?}", r.event))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `runbook start FIXTURE --title TITLE --log-dir DIR [--var …]` in a 100×30 PTY.
pub fn start(fixture_name: &str, title: &str, dir: &Path, vars: &[&str]) -> Pty {
    let fx = fixture(fixture_name);
    let d = dir.display().to_string();
    let mut args = vec![
        "start",
        fx.as_str(),
        "--title",
        title,
        "--log-dir",
        d.as_str(),
    ];
    for v in vars {
        args.push("--var");
        args.push(v);
    }
    Launch::new(bin(), &args).spawn()
}

/// A string no other process on the machine has in its arguments: used as
/// the `sleep` duration of a slow command so the test can find that process.
pub fn marker_seconds() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("30.{}{:09}", std::process::id(), nanos)
}

/// Live processes whose command line is exactly `args`.
pub fn processes_with_args(args: &[&str]) -> Vec<u32> {
    let want: Vec<u8> = args
        .iter()
        .flat_map(|a| [a.as_bytes(), b"\0"].concat())
        .collect();
    std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
                .filter(|pid| {
                    std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| c == want)
                        && pty::process_alive(*pid)
                })
                .collect()
        })
        .unwrap_or_default()
}
