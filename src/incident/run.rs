//! One execution of a command or check, as folded from its events.

use chrono::{DateTime, FixedOffset};

use super::event::{CheckStatus, RunId};

/// Command or check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// A shell command.
    Command,
    /// A built-in check.
    Check,
}

/// How a run stands or ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// Still running (as far as the journal knows).
    Running,
    /// Exited with this code.
    Exited(i32),
    /// Killed by this signal.
    Signaled(i32),
    /// Killed at its timeout.
    TimedOut,
    /// Cancelled by the operator or at shutdown.
    Cancelled,
    /// The program went away while it ran (seen at resume).
    Interrupted,
    /// It could not be started at all; the reason is in [`Run::summary`].
    LaunchFailed,
    /// A check finished with this status.
    Check(CheckStatus),
}

/// One execution of a command or a check.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Run id.
    pub id: RunId,
    /// Step id.
    pub step: String,
    /// Command or check id.
    pub item: String,
    /// Command or check.
    pub kind: RunKind,
    /// Check kind (`tcp`, `http`, …); empty for commands.
    pub check_kind: String,
    /// The command line as run, or what the check probed (secrets masked).
    pub command_line_or_target: String,
    /// Process id of the command's shell.
    pub pid: Option<u32>,
    /// When it started.
    pub started_at: DateTime<FixedOffset>,
    /// When it finished (or was found interrupted).
    pub finished_at: Option<DateTime<FixedOffset>>,
    /// Current or final state.
    pub state: RunState,
    /// Journaled output; left-out parts appear as a marker line.
    pub output: String,
    /// Check summary (one line), or why a command could not start.
    pub summary: String,
    /// Check evidence.
    pub evidence: String,
    /// Wall time reported at the end, milliseconds.
    pub duration_ms: Option<u64>,
    /// Bytes printed in all.
    pub bytes: u64,
    /// Part of the output was left out of the journal.
    pub truncated: bool,
}

impl Run {
    pub(crate) fn started(
        id: RunId,
        step: &str,
        item: &str,
        kind: RunKind,
        ts: DateTime<FixedOffset>,
    ) -> Run {
        Run {
            id,
            step: step.to_string(),
            item: item.to_string(),
            kind,
            check_kind: String::new(),
            command_line_or_target: String::new(),
            pid: None,
            started_at: ts,
            finished_at: None,
            state: RunState::Running,
            output: String::new(),
            summary: String::new(),
            evidence: String::new(),
            duration_ms: None,
            bytes: 0,
            truncated: false,
        }
    }
}

/// The marker line standing for output left out of the journal,
/// e.g. `[… 199 000 000 bytes of output left out of the journal …]`.
pub fn omitted_marker(bytes: u64) -> String {
    format!(
        "[… {} bytes of output left out of the journal …]",
        group_thousands(bytes)
    )
}

/// The marker line standing for output that was on screen when the program
/// died and is lost, e.g. `[… 13 000 000 bytes of output shown …, lost …]`.
pub fn lost_marker(bytes: u64) -> String {
    format!(
        "[… {} bytes of output shown on screen after the last checkpoint were lost when the program stopped …]",
        group_thousands(bytes)
    )
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}
