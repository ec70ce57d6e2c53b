//! Appending records: one write of each whole line, then fsync, before the
//! caller is told the records are safe. Records queued together are written
//! one after the other and made durable by one fsync (a slow disk costs one
//! fsync per batch, not one per record).
//!
//! A failed append keeps the record (and every later one) in an in-memory
//! queue, in order, and retries the queue first on the next append or on
//! [`Journal::flush_pending`]; so a full disk loses nothing and keeps seq
//! order once space comes back. A failed write or fsync may leave a partial
//! or unsynced tail: the file is truncated back to the last whole synced line
//! and everything after it rewritten on the retry.
//!
//! The live screen does not call this directly: the [`super::background`] writer
//! owns the journal on its own thread.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};

use super::error::JournalError;
use super::reader::{ReadJournal, read};
use crate::incident::{Event, Record};

/// Journals can hold sensitive command output: owner-only.
const FILE_MODE: u32 = 0o600;

/// An incident journal open for appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    /// Length of the file up to the end of the last whole, synced line.
    good_len: u64,
    /// A failed write or fsync may have left bytes past `good_len`.
    dirty: bool,
    /// Encoded lines not yet on disk with their seq, oldest first.
    pending: VecDeque<(u64, Vec<u8>)>,
    /// Leading `pending` lines written whole after `good_len` but not yet
    /// fsynced, and their length.
    written: usize,
    written_len: u64,
    /// The directory entry of a new file is not yet known durable.
    dir_unsynced: bool,
    /// Seq of the last record known on disk (0: none).
    acked: u64,
    /// A torn last line starts here; set aside by the first write.
    torn_at: Option<u64>,
}

impl Journal {
    /// Creates `<dir>/<UTC %Y%m%dT%H%M%SZ>-<runbook id>.jsonl` (with `-2`, `-3` …
    /// when taken), creating `dir` first.
    pub fn create(
        dir: &Path,
        runbook_id: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Journal, JournalError> {
        std::fs::create_dir_all(dir).map_err(|source| JournalError::CreateDir {
            dir: dir.to_path_buf(),
            source,
        })?;
        let stamp = now.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ");
        let id = safe_file_part(runbook_id);
        let mut n = 1;
        loop {
            let name = match n {
                1 => format!("{stamp}-{id}.{}", super::EXTENSION),
                _ => format!("{stamp}-{id}-{n}.{}", super::EXTENSION),
            };
            let path = dir.join(name);
            match open_append(&path, true) {
                Ok(file) => {
                    // The directory is fsynced with the first records.
                    let mut j = Journal::with_file(path, file, 0, 0);
                    j.dir_unsynced = true;
                    return Ok(j);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(source) => return Err(JournalError::Open { path, source }),
            }
        }
    }

    /// Opens an existing journal to continue it (resume). A torn last line is
    /// moved to `<file>.torn` (so nothing is destroyed) and cut off, and
    /// appends continue after the last whole line. Opening does no IO but
    /// reading: the torn line is set aside by the first write (on the
    /// writer's thread, so a slow disk never holds up the first screen),
    /// its copy synced before the journal is cut.
    pub fn open_existing(path: &Path) -> Result<(Journal, ReadJournal), JournalError> {
        let journal = read(path)?;
        let file = open_append(path, false).map_err(|source| JournalError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let good = journal.good_bytes;
        let acked = journal.records.iter().map(|r| r.seq).max().unwrap_or(0);
        let mut j = Journal::with_file(path.to_path_buf(), file, good, acked);
        j.torn_at = journal.torn.is_some().then_some(good);
        Ok((j, journal))
    }

    /// Moves the torn tail past `at` to `<file>.torn` (synced), then cuts
    /// the journal there.
    fn set_aside_torn(&mut self) -> io::Result<()> {
        let Some(at) = self.torn_at else {
            return Ok(());
        };
        let len = self.file.metadata()?.len();
        if len > at {
            let mut torn = vec![0; (len - at) as usize];
            self.file.read_exact_at(&mut torn, at)?;
            save_torn(&self.path, &torn)?;
            self.file.set_len(at)?;
        }
        self.torn_at = None;
        Ok(())
    }

    fn with_file(path: PathBuf, file: File, good_len: u64, acked: u64) -> Journal {
        Journal {
            path,
            file,
            good_len,
            dirty: false,
            pending: VecDeque::new(),
            written: 0,
            written_len: 0,
            dir_unsynced: false,
            acked,
            torn_at: None,
        }
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records accepted but not yet on disk.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Seq of the last record known to be on disk (written and fsynced);
    /// 0 when there is none.
    pub fn acked_seq(&self) -> u64 {
        self.acked
    }

    /// Appends a record: held records first, then this one, written whole
    /// and fsynced. On error the record is kept and retried later.
    pub fn append(&mut self, rec: &Record) -> Result<(), JournalError> {
        let line = encode(&self.path, rec)?;
        self.queue(rec.seq, line);
        self.flush_pending()
    }

    /// Queues an encoded line (see [`encode`]) of the record `seq`, to be
    /// written by the next [`Journal::flush_pending`].
    pub fn queue(&mut self, seq: u64, line: Vec<u8>) {
        self.pending.push_back((seq, line));
    }

    /// Writes the queued lines without waiting for the disk (no fsync): a
    /// full disk or a bad directory shows up here, at once. They stay
    /// queued until [`Journal::flush_pending`] has fsynced them.
    pub fn write_unsynced(&mut self) -> Result<(), JournalError> {
        self.write_queue(false)
            .map_err(|source| self.write_error(source))
    }

    /// Writes and fsyncs the queued records, in order, held ones first.
    pub fn flush_pending(&mut self) -> Result<(), JournalError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.write_queue(true)
            .map_err(|source| self.write_error(source))
    }

    fn write_error(&self, source: io::Error) -> JournalError {
        JournalError::Write {
            path: self.path.clone(),
            source,
            pending: self.pending.len(),
        }
    }

    fn write_queue(&mut self, sync: bool) -> io::Result<()> {
        let res = self.ensure_linked().and_then(|()| self.write_rest(sync));
        if res.is_err() {
            // Until a write and its fsync both return, the tail past the last
            // synced line is suspect: cut it and write it all again.
            self.dirty = true;
            self.written = 0;
            self.written_len = 0;
        }
        res
    }

    fn write_rest(&mut self, sync: bool) -> io::Result<()> {
        self.set_aside_torn()?;
        if self.dirty {
            self.file.set_len(self.good_len)?;
            self.dirty = false;
        }
        while let Some((_, line)) = self.pending.get(self.written) {
            (&self.file).write_all(line)?;
            self.written += 1;
            self.written_len += line.len() as u64;
        }
        if !sync || self.written == 0 {
            return Ok(());
        }
        self.file.sync_data()?;
        if self.dir_unsynced {
            if let Some(dir) = self.path.parent() {
                sync_dir(dir);
            }
            self.dir_unsynced = false;
        }
        self.good_len += self.written_len;
        for (seq, _) in self.pending.drain(..self.written) {
            self.acked = seq;
        }
        self.written = 0;
        self.written_len = 0;
        Ok(())
    }

    /// When the file (or its directory) was removed under us, writes would go
    /// to an unlinked inode and vanish at exit. Recreate the file at its path
    /// from what the open descriptor still holds, then carry on there.
    fn ensure_linked(&mut self) -> io::Result<()> {
        let ours = self.file.metadata()?;
        match std::fs::metadata(&self.path) {
            Ok(m) if m.dev() == ours.dev() && m.ino() == ours.ino() => return Ok(()),
            Ok(_) => {
                return Err(io::Error::other(
                    "the journal file was replaced by another file; move it away to continue",
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let fresh = open_append(&self.path, true)?;
        let mut buf = vec![0; 64 * 1024];
        let mut at = 0;
        while at < self.good_len {
            let n = (self.good_len - at).min(buf.len() as u64) as usize;
            self.file.read_exact_at(&mut buf[..n], at)?;
            (&fresh).write_all(&buf[..n])?;
            at += n as u64;
        }
        fresh.sync_data()?;
        if let Some(dir) = self.path.parent() {
            sync_dir(dir);
        }
        self.file = fresh;
        self.dirty = false;
        // Lines written to the old file but not synced are written again.
        self.written = 0;
        self.written_len = 0;
        Ok(())
    }
}

/// A record as one journal line (with its newline), for [`Journal::queue`].
/// `path` names the journal in the error.
pub fn encode(path: &Path, rec: &Record) -> Result<Vec<u8>, JournalError> {
    // An unknown event is kept verbatim (it cannot be re-encoded).
    let mut line = match &rec.event {
        Event::Unknown { raw, .. } => raw.as_bytes().to_vec(),
        _ => serde_json::to_vec(rec).map_err(|source| JournalError::Encode {
            path: path.to_path_buf(),
            source,
        })?,
    };
    line.push(b'\n');
    Ok(line)
}

fn open_append(path: &Path, new: bool) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    // Readable too: a torn tail or a removed file is recovered from this descriptor.
    opts.read(true).append(true).mode(FILE_MODE);
    if new {
        opts.create_new(true);
    }
    opts.open(path)
}

/// Best effort: makes a new directory entry durable. A failure here is not
/// worth failing the incident for; the file's own fsyncs still hold.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Keeps a torn tail in `<file>.torn` (`.torn.2` … when taken).
fn save_torn(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut n = 1;
    loop {
        let mut name = path.as_os_str().to_os_string();
        name.push(if n == 1 {
            ".torn".to_string()
        } else {
            format!(".torn.{n}")
        });
        match open_append(Path::new(&name), true) {
            Ok(mut f) => {
                f.write_all(bytes)?;
                return f.sync_data();
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(e),
        }
    }
}

/// A runbook id as it may appear in a file name: no separators, no dots first.
fn safe_file_part(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "incident".into() } else { s }
}
