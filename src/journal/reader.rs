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

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use super::error::{JournalError, NotJournal};
use crate::incident::{Event, JOURNAL_SCHEMA, Record};
use crate::input_file::{self, InputError};

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

/// Journals larger than this are refused: 100 000 events take about 17 MB,
/// and a flood keeps only an excerpt, so this is far beyond any real incident.
pub const MAX_JOURNAL_BYTES: u64 = 1 << 30;
/// A longer line is damage (no event this program writes comes near it): it
/// is skipped without being held in memory.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// Reads a journal (see the module documentation for what is tolerated).
/// Only a regular file of at most [`MAX_JOURNAL_BYTES`] is read, line by
/// line, so neither a device nor a FIFO nor one endless line can hang the
/// program or exhaust its memory.
pub fn read(path: &Path) -> Result<ReadJournal, JournalError> {
    let file = input_file::open(path, MAX_JOURNAL_BYTES).map_err(|e| match e {
        InputError::Open(source) | InputError::Read(source) => JournalError::Read {
            path: path.to_path_buf(),
            source,
        },
        refused => JournalError::Refused {
            path: path.to_path_buf(),
            reason: refused,
        },
    })?;
    let reader = BufReader::with_capacity(64 * 1024, file.take(MAX_JOURNAL_BYTES));
    parse(path, reader)
}

/// One line as read: at most [`MAX_LINE_BYTES`] of it kept.
struct Line {
    /// The kept bytes, newline included when it was within the cap.
    kept: Vec<u8>,
    /// Its whole length in bytes.
    len: usize,
    /// It ended with a newline.
    complete: bool,
}

/// Reads the next line, keeping at most [`MAX_LINE_BYTES`] of it; `None` at the end.
fn next_line(r: &mut impl BufRead) -> std::io::Result<Option<Line>> {
    let mut line = Line {
        kept: Vec::new(),
        len: 0,
        complete: false,
    };
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((line.len > 0).then_some(line));
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = (MAX_LINE_BYTES + 1).saturating_sub(line.kept.len());
        line.kept.extend_from_slice(&buf[..take.min(room)]);
        line.len += take;
        r.consume(take);
        if done {
            line.complete = true;
            return Ok(Some(line));
        }
    }
}

fn parse(path: &Path, mut reader: impl BufRead) -> Result<ReadJournal, JournalError> {
    let not_journal = |detail: NotJournal| JournalError::NotAJournal {
        path: path.to_path_buf(),
        detail,
    };
    let read_err = |source| JournalError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut out = ReadJournal {
        records: Vec::new(),
        torn: None,
        unknown: 0,
        skipped: Vec::new(),
        good_bytes: 0,
    };
    let mut offset = 0usize;
    let mut number = 0usize;
    let mut next = next_line(&mut reader).map_err(read_err)?;
    while let Some(line) = next {
        number += 1;
        next = next_line(&mut reader).map_err(read_err)?;
        let is_last = next.is_none();
        let complete = line.complete;
        let parsed = if line.len > MAX_LINE_BYTES {
            Err(format!(
                "the line is {} bytes long, more than a journal line can be ({})",
                line.len,
                crate::text::human_bytes(MAX_LINE_BYTES as u64)
            ))
        } else if complete {
            let body = line.kept.strip_suffix(b"\n").unwrap_or(&line.kept);
            let body = body.strip_suffix(b"\r").unwrap_or(body);
            if out.records.is_empty() {
                check_first(path, body)?;
            }
            parse_line(body)
        } else {
            Err("no end of line".into())
        };
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
                    bytes: line.len,
                });
                break;
            }
            Err(error) => out.skipped.push(BadLine {
                line: number,
                error,
            }),
        }
        offset += line.len;
        out.good_bytes = offset as u64;
    }
    match out.records.first() {
        None if number == 0 => Err(not_journal(NotJournal::Empty)),
        None => Err(not_journal(NotJournal::NoCompleteRecord)),
        Some(r) if !matches!(r.event, Event::IncidentOpened { .. }) => Err(not_journal(
            NotJournal::FirstRecord(r.event.type_name().to_string()),
        )),
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
