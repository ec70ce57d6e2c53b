//! The incident journal: JSON Lines, one record per line, appended with one
//! write and an fsync (by a [`Writer`] on its own thread for a live
//! session), read back tolerantly.
//!
//! Where journals live ([`log_dir`]) and which one to resume
//! ([`latest_unfinished`]) are decided here too.

mod background;
mod error;
mod reader;
pub mod sidecar;
mod writer;

use std::path::{Path, PathBuf};

pub use background::{RETRY_EVERY, WriteFailure, WriteStatus, Writer};
pub use error::{JournalError, NotJournal};
pub use reader::{BadLine, MAX_JOURNAL_BYTES, MAX_LINE_BYTES, ReadJournal, TornTail, read};
pub use writer::{Journal, encode};

use crate::incident::{EndReason, Event, Incident};

/// File extension of journals.
pub const EXTENSION: &str = "jsonl";

/// The journal directory: `--log-dir`, else `RUNBOOK_LOG_DIR`, else
/// `log_dir` of the config file, else `$XDG_STATE_HOME/runbook/incidents`,
/// else `~/.local/state/runbook/incidents` (`./runbook-incidents` when there
/// is no home directory at all).
pub fn log_dir(cli: Option<&Path>) -> PathBuf {
    if let Some(dir) = cli {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os("RUNBOOK_LOG_DIR").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    // A broken config file is reported where its webhooks are (the first
    // screen, diagnose's stderr); here it only means the default.
    if let Some(dir) = crate::config::load().log_dir {
        return dir;
    }
    match crate::xdg::state_dir() {
        Some(state) => state.join("incidents"),
        None => PathBuf::from("runbook-incidents"),
    }
}

/// The newest journal in `dir` (by file name, which starts with the UTC
/// opening time) whose incident is not resolved. Unreadable journals are
/// passed over: they cannot be resumed anyway. So are finished headless runs
/// (`runbook diagnose`, last event `session_ended` with reason `finished`):
/// nobody is in the middle of them.
pub fn latest_unfinished(dir: &Path) -> Option<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == EXTENSION) && p.is_file())
        .collect();
    paths.sort_by(|a, b| b.file_name().cmp(&a.file_name()));
    paths.into_iter().find(|p| {
        read(p)
            .map(|j| {
                let headless_done = matches!(
                    j.records.last().map(|r| &r.event),
                    Some(Event::SessionEnded {
                        reason: EndReason::Finished
                    })
                );
                !headless_done && Incident::fold(&j.records).is_open()
            })
            .unwrap_or(false)
    })
}
