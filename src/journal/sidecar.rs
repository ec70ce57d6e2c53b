//! Sidecar files beside a journal: tail checkpoints, what a flooding command
//! showed last, kept on disk so a kill -9 does not lose it. The session
//! writes them; `resume`, `review` and `report` read them from here.
//!
//! A run's output past its first 512 KiB is held in memory and journaled when
//! the run ends. Until then it exists only on screen. While a run is in that
//! phase, the last [`CHECKPOINT_BYTES`] of it are rewritten, at most once a
//! second, into a small sidecar file next to the journal (written whole, then
//! renamed, so it is never torn), by the journal writer thread: a slow disk
//! delays the sidecar, not the screen, and only the newest one waits. When
//! the run ends normally the sidecar is removed once the journal has the
//! tail on disk; when the program died instead, `resume` turns the sidecar
//! into journal events and removes it once they are on disk. Bounded: one sidecar per running command,
//! each at most [`CHECKPOINT_BYTES`] of (already masked) text.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::incident::{Event, Incident, RunId, RunState, Stream};

/// Most text a checkpoint keeps (a few screens).
pub const CHECKPOINT_BYTES: usize = 64 * 1024;

/// What a sidecar holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The run.
    pub run: RunId,
    /// Bytes between the journaled head and the text below.
    pub omitted: u64,
    /// The last output, oldest first, masked.
    pub chunks: Vec<(Stream, String)>,
}

/// The sidecar of `run` for the journal at `journal`.
pub fn path(journal: &Path, run: RunId) -> PathBuf {
    let mut name = journal
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".run-{run}.tail"));
    journal.with_file_name(name)
}

/// Writes a checkpoint whole (temporary file, fsync, rename). Best effort:
/// the journal is the record; a failed checkpoint only loses the on-screen
/// tail on a crash, as it would without checkpoints.
pub fn write(journal: &Path, cp: &Checkpoint) -> std::io::Result<()> {
    let target = path(journal, cp.run);
    let tmp = target.with_extension("tail.tmp");
    let data = serde_json::to_vec(cp).map_err(std::io::Error::other)?;
    {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode_0600()
            .open(&tmp)?;
        f.write_all(&data)?;
        f.sync_data()?;
    }
    std::fs::rename(&tmp, &target)
}

/// Reads the checkpoint of `run`, if one was left behind and is readable.
pub fn read(journal: &Path, run: RunId) -> Option<Checkpoint> {
    // JSON escaping can grow the text (a control byte becomes six bytes).
    let limit = (CHECKPOINT_BYTES * 8) as u64;
    let data = crate::input_file::read(&path(journal, run), limit).ok()?;
    serde_json::from_slice(&data)
        .ok()
        .filter(|c: &Checkpoint| c.run == run)
}

/// Removes the checkpoint and the byte counter of `run` (there may be none).
pub fn remove(journal: &Path, run: RunId) {
    let _ = std::fs::remove_file(path(journal, run));
    let _ = std::fs::remove_file(counter_path(journal, run));
}

/// The byte counter of `run` for the journal at `journal`.
fn counter_path(journal: &Path, run: RunId) -> PathBuf {
    let mut p = path(journal, run).into_os_string();
    p.push(".count");
    PathBuf::from(p)
}

/// How many bytes of a run's output went past its journaled head, kept
/// exact on disk between checkpoints. A checkpoint is written at most once a
/// second; a flood prints megabytes in that second. This small file is
/// overwritten in place with each chunk (no fsync: it must survive the
/// program, not the machine), so after a kill -9 the record can say how much
/// output the screen had shown beyond the checkpoint.
#[derive(Debug)]
pub struct Counter(std::fs::File);

impl Counter {
    /// Creates the counter of `run`, at zero.
    pub fn create(journal: &Path, run: RunId) -> std::io::Result<Counter> {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode_0600()
            .open(counter_path(journal, run))?;
        let c = Counter(f);
        c.set(0)?;
        Ok(c)
    }

    /// Records the count: one fixed-width write at the start of the file.
    pub fn set(&self, bytes: u64) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt;
        self.0.write_all_at(format!("{bytes:020}\n").as_bytes(), 0)
    }
}

/// The count left behind for `run`, if any.
pub fn read_counter(journal: &Path, run: RunId) -> Option<u64> {
    let data = crate::input_file::read(&counter_path(journal, run), 64).ok()?;
    std::str::from_utf8(&data).ok()?.trim().parse().ok()
}

/// Opening files owner-only, as the journal is.
trait OwnerOnly {
    fn mode_0600(&mut self) -> &mut Self;
}

impl OwnerOnly for std::fs::OpenOptions {
    fn mode_0600(&mut self) -> &mut Self {
        use std::os::unix::fs::OpenOptionsExt;
        self.mode(0o600)
    }
}

/// The output that runs still going when the journal at `path` ends showed
/// after their journaled head, as saved in their tail checkpoints: for each
/// such run, the events that put it into the record (an omission marker,
/// then the text). Empty when the program ended normally. `resume` journals
/// these; review and report fold them in without writing anything.
pub fn checkpointed_tails(path: &Path, incident: &Incident) -> Vec<(RunId, Vec<Event>)> {
    // `runs` is ordered by id, so the tails come in run order.
    incident
        .runs
        .values()
        .filter(|r| r.state == RunState::Running)
        .filter_map(|r| {
            let run = r.id;
            let cp = read(path, run);
            let counted = read_counter(path, run);
            if cp.is_none() && counted.is_none() {
                return None;
            }
            let mut events = Vec::new();
            let mut saved = 0u64;
            if let Some(cp) = cp {
                saved = cp.chunks.iter().map(|(_, t)| t.len() as u64).sum::<u64>() + cp.omitted;
                if cp.omitted > 0 {
                    events.push(Event::CommandOutputOmitted {
                        run,
                        bytes: cp.omitted,
                        lost: false,
                    });
                }
                events.extend(
                    cp.chunks
                        .into_iter()
                        .map(|(stream, text)| Event::CommandOutput { run, stream, text }),
                );
            }
            // What the screen showed after the checkpoint died with the
            // program: say how much.
            let lost = counted.unwrap_or(0).saturating_sub(saved);
            if lost > 0 {
                events.push(Event::CommandOutputOmitted {
                    run,
                    bytes: lost,
                    lost: true,
                });
            }
            Some((run, events))
        })
        .collect()
}
