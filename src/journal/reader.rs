//! Reading a journal back, tolerantly.
//!
//! - A torn last line (no trailing newline, or not parseable) is what a crash
//!   mid-append leaves: it is reported in [`ReadJournal::torn`] and the rest kept.
//! - An unparseable line in the middle cannot come from this program's writer
//!   (it truncates before retrying), so it means damage from outside. It is
//!   reported in [`ReadJournal::skipped`] with its line number and skipped,
//!   rather than refusing the file: a reviewer or a resuming operator is better
//!   served by everything that is readable plus a clear note of what is not.
//! - An unknown `type` (from a newer program) becomes [`Event::Unknown`],
//!   counted in [`ReadJournal::unknown`].
//! - The first record must be `incident_opened`, and a schema newer than
//!   [`JOURNAL_SCHEMA`] is refused with a message saying to upgrade.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use super::error::JournalError;
use crate::incident::{Event, JOURNAL_SCHEMA, Record};

/// Every `type` this program knows; anything else is kept as `Unknown`.
const KNOWN_TYPES: &[&str] = &[
    "incident_opened",
    "title_set",
    "step_entered",
    "step_completed",
    "step_skipped",
    "checklist_toggled",
    "question_answered",
    "confirmation_asked",
    "confirmation_answered",
    "command_started",
    "command_output",
    "command_output_omitted",
    "command_finished",
    "check_started",
    "check_finished",
    "note",
    "budget_overrun",
    "incident_resolved",
    "session_ended",
    "session_resumed",
];

/// A journal as read from disk.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadJournal {
    /// The records, in file order.
    pub records: Vec<Record>,
    /// The torn last line, if any.
    pub torn: Option<TornTail>,
    /// How many records have a `type` this program does not know.
    pub unknown: usize,
    /// Damaged lines in the middle, skipped.
    pub skipped: Vec<BadLine>,
    /// Length of the file up to the end of the last whole line.
    pub good_bytes: u64,
}

/// An incomplete last line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TornTail {
    /// Its 1-based line number.
    pub line: usize,
    /// Its length in bytes.
    pub bytes: usize,
}

/// A damaged line in the middle of a journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    /// Why it could not be read.
    pub error: String,
}

/// The fields every line has, to classify a line that is not a known event.
#[derive(Deserialize)]
struct Head {
    seq: u64,
    ts: DateTime<FixedOffset>,
    #[serde(rename = "type")]
    type_name: String,
}

/// Reads a journal (see the module documentation for what is tolerated).
pub fn read(path: &Path) -> Result<ReadJournal, JournalError> {
    let bytes = std::fs::read(path).map_err(|source| JournalError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &bytes)
}

fn parse(path: &Path, bytes: &[u8]) -> Result<ReadJournal, JournalError> {
    let not_journal = |detail: String| JournalError::NotAJournal {
        path: path.to_path_buf(),
        detail,
    };
    let mut out = ReadJournal {
        records: Vec::new(),
        torn: None,
        unknown: 0,
        skipped: Vec::new(),
        good_bytes: 0,
    };
    let mut offset = 0usize;
    let mut lines = bytes
        .split_inclusive(|&b| b == b'\n')
        .enumerate()
        .peekable();
    while let Some((i, raw)) = lines.next() {
        let number = i + 1;
        let is_last = lines.peek().is_none();
        let complete = raw.ends_with(b"\n");
        let body = raw.strip_suffix(b"\n").unwrap_or(raw);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        let parsed = if complete {
            parse_line(body)
        } else {
            Err("no end of line".into())
        };
        if out.records.is_empty() && complete {
            check_first(path, body)?;
        }
        match parsed {
            Ok(Some(rec)) => {
                if matches!(rec.event, Event::Unknown { .. }) {
                    out.unknown += 1;
                }
                out.records.push(rec);
            }
            Ok(None) => {} // blank line
            Err(_) if is_last => {
                out.torn = Some(TornTail {
                    line: number,
                    bytes: raw.len(),
                });
                break;
            }
            Err(error) => out.skipped.push(BadLine {
                line: number,
                error,
            }),
        }
        offset += raw.len();
        out.good_bytes = offset as u64;
    }
    match out.records.first() {
        None if bytes.is_empty() => Err(not_journal("the file is empty".into())),
        None => Err(not_journal("it holds no complete record".into())),
        Some(r) if !matches!(r.event, Event::IncidentOpened { .. }) => Err(not_journal(format!(
            "the first record is `{}`, not `incident_opened`",
            r.event.type_name()
        ))),
        Some(_) => Ok(out),
    }
}

/// The first line decides whether we can read the file at all; look at its
/// schema before anything else, since a newer schema may not parse.
fn check_first(path: &Path, body: &[u8]) -> Result<(), JournalError> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Ok(()); // damaged: reported as a skipped or torn line
    };
    let ty = value.get("type").and_then(|t| t.as_str()).unwrap_or("");
    if ty != "incident_opened" {
        return Ok(()); // reported once the records are known
    }
    let schema = value.get("schema").and_then(|s| s.as_u64()).unwrap_or(0);
    if schema > u64::from(JOURNAL_SCHEMA) {
        return Err(JournalError::SchemaTooNew {
            path: path.to_path_buf(),
            schema,
        });
    }
    Ok(())
}

/// `Ok(None)` for a blank line, `Err(why)` for a damaged one.
fn parse_line(body: &[u8]) -> Result<Option<Record>, String> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(None);
    }
    match serde_json::from_slice::<Record>(body) {
        Ok(rec) => Ok(Some(rec)),
        Err(err) => match serde_json::from_slice::<Head>(body) {
            Ok(head) if !KNOWN_TYPES.contains(&head.type_name.as_str()) => Ok(Some(Record {
                seq: head.seq,
                ts: head.ts,
                event: Event::Unknown {
                    type_name: head.type_name,
                    raw: String::from_utf8_lossy(body).into_owned(),
                },
            })),
            _ => Err(err.to_string()),
        },
    }
}
