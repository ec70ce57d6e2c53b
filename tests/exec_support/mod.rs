//! Shared helpers for the exec tests (included with `#[path]`, not a test itself).
#![allow(dead_code)]

use std::time::Duration;

use runbook::exec::{Outcome, RunId, Stream, Update};
use tokio::sync::mpsc;

/// A marker argument no other process has: `sleep <marker>` sleeps 1000 s.
pub fn marker(tag: u32) -> String {
    format!("1000.{}{tag:03}", std::process::id())
}

/// Live (non-zombie) processes that have `marker` as one of their arguments.
pub fn procs_with(marker: &str) -> Vec<u32> {
    live_procs(|pid| {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        cmdline
            .split(|&b| b == 0)
            .any(|arg| arg == marker.as_bytes())
    })
}

/// Live (non-zombie) processes in process group `pgid`.
pub fn procs_in_group(pgid: u32) -> Vec<u32> {
    live_procs(|pid| {
        stat_fields(pid).is_some_and(|f| f.get(2).is_some_and(|g| *g == pgid.to_string()))
    })
}

/// True when `pid` no longer exists at all (not even as a zombie: it was reaped).
pub fn gone(pid: u32) -> bool {
    !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Fields after `(comm)` of /proc/pid/stat: [state, ppid, pgrp, …].
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    Some(after.split_whitespace().map(str::to_string).collect())
}

fn live_procs(pred: impl Fn(u32) -> bool) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pred(pid))
        .filter(|&pid| stat_fields(pid).is_some_and(|f| f.first().is_some_and(|s| s != "Z")))
        .collect()
}

/// Polls `cond` for up to `limit` (processes take a moment to die after SIGKILL).
pub fn eventually(limit: Duration, cond: impl Fn() -> bool) -> bool {
    let end = std::time::Instant::now() + limit;
    while std::time::Instant::now() < end {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    cond()
}

/// Collected output of one run.
#[derive(Debug, Default)]
pub struct Collected {
    pub stdout: String,
    pub stderr: String,
    /// Output messages in arrival order.
    pub chunks: Vec<(Stream, String)>,
    pub outcome: Option<Outcome>,
    /// Messages received after `Finished` (must stay empty).
    pub after_finished: usize,
}

/// Reads updates of `run` until `Finished`, then briefly checks nothing follows.
pub async fn collect(rx: &mut mpsc::Receiver<(RunId, Update)>, run: RunId) -> Collected {
    let mut c = Collected::default();
    while let Some((id, update)) = rx.recv().await {
        assert_eq!(id, run, "update tagged with the wrong run id");
        match update {
            Update::Output { stream, text, .. } => {
                match stream {
                    Stream::Stdout => c.stdout.push_str(&text),
                    Stream::Stderr => c.stderr.push_str(&text),
                }
                c.chunks.push((stream, text));
            }
            Update::Finished(outcome) => {
                c.outcome = Some(outcome);
                break;
            }
        }
    }
    while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(50), rx.recv()).await {
        c.after_finished += 1;
    }
    c
}
