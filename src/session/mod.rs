//! The one writer of an incident: masks each event, stamps it (seq, ts),
//! applies it to the state and hands it to the journal [`Writer`], which
//! appends and fsyncs it on its own thread and then acknowledges it.
//!
//! Recording never waits for the disk. The state is updated at once, even
//! when the journal write later fails: the operator must see what happened.
//! An event is *saved* once acknowledged ([`Session::acked_seq`]); until
//! then it is [`Session::unsaved`] and the screen says "saving…". A failed
//! record stays queued in the writer and is retried (see [`Journal`]);
//! [`Session::write_error`] says why while that lasts. [`Session::drain`]
//! waits until everything recorded is on disk (at exit, and in tests that
//! read the file while the session is alive).
//!
//! Command output is journaled as a bounded excerpt per run: the first
//! [`HEAD_BYTES`] as they come, then a rolling tail of [`TAIL_BYTES`] held in
//! memory and written when the run finishes, after a `command_output_omitted`.
//! Output is masked line by line (a partial last line is held per run and
//! stream), so a secret split across two chunks is still masked.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, SubsecRound};

use crate::incident::{Event, Incident, Record, RunId, Stream};
use crate::journal::{BadLine, Journal, JournalError, TornTail, WriteStatus, Writer};
use crate::secrets::Masker;

use crate::journal::sidecar as checkpoint;
pub use crate::journal::sidecar::checkpointed_tails;
pub use checkpoint::CHECKPOINT_BYTES;

/// Output journaled as it comes, per run.
pub const HEAD_BYTES: usize = 512 * 1024;
/// Output held (rolling) and journaled when the run finishes, per run.
pub const TAIL_BYTES: usize = 512 * 1024;
/// A line longer than this is masked and passed on in pieces (bounded memory).
const MAX_PARTIAL_LINE: usize = 64 * 1024;
/// Largest `command_output` text written for the held tail.
const TAIL_EVENT_BYTES: usize = 64 * 1024;

/// How a command ended, as passed to [`Session::record_finished`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunEnd {
    /// Exit code, when it exited.
    pub exit_code: Option<i32>,
    /// Signal number, when killed by one.
    pub signal: Option<i32>,
    /// Killed at its timeout.
    pub timed_out: bool,
    /// Cancelled.
    pub cancelled: bool,
    /// Wall time, milliseconds.
    pub duration_ms: u64,
    /// Bytes printed in all.
    pub bytes: u64,
}

/// What reading the journal at resume found besides the records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recovery {
    /// A torn last line, cut off and kept in `<file>.torn`.
    pub torn: Option<TornTail>,
    /// Damaged lines in the middle, skipped.
    pub skipped: Vec<BadLine>,
    /// Records of unknown types, kept.
    pub unknown: usize,
}

/// An incident being recorded.
#[derive(Debug)]
pub struct Session {
    writer: Writer,
    incident: Incident,
    masker: Masker,
    next_seq: u64,
    last: Option<Record>,
    partial: HashMap<(RunId, bool), String>,
    excerpts: HashMap<RunId, Excerpt>,
    /// When each run's tail was last checkpointed (see `checkpoint`).
    checkpointed: HashMap<RunId, DateTime<FixedOffset>>,
    /// Each flooding run's exact count of output past its head (see
    /// `checkpoint::Counter`); `None` when the file could not be made.
    counters: HashMap<RunId, Option<checkpoint::Counter>>,
    /// The newest checkpoint of each run not yet written by the writer
    /// thread: one slot per run, so a slow disk never piles them up.
    checkpoint_slots: Arc<Mutex<HashMap<RunId, checkpoint::Checkpoint>>>,
    recovery: Recovery,
    /// Copies of the records made since the last [`Session::take_recorded`],
    /// kept only once someone asked ([`Session::keep_recorded`]).
    recorded: Option<Vec<Record>>,
}

impl Session {
    /// Opens a new journal in `dir` and records `opened` (an `incident_opened`).
    /// Fails, leaving no journal behind, when even that first record cannot
    /// be written: better to say so before the operator relies on it. The
    /// record is written here (so a full disk or a bad directory shows at
    /// once) and fsynced, with the directory, on the writer thread: a slow
    /// disk does not hold up the first screen.
    pub fn start(
        dir: &Path,
        mut opened: Event,
        masker: Masker,
        now: DateTime<FixedOffset>,
    ) -> Result<Session, JournalError> {
        let runbook_id = match &opened {
            Event::IncidentOpened { runbook, .. } => runbook.id.clone(),
            _ => "incident".to_string(),
        };
        masker.mask_event(&mut opened);
        let rec = Record {
            seq: 1,
            ts: now.trunc_subsecs(3),
            event: opened,
        };
        let mut journal = Journal::create(dir, &runbook_id, now)?;
        let path = journal.path().to_path_buf();
        let written = crate::journal::encode(&path, &rec).and_then(|line| {
            journal.queue(rec.seq, line);
            journal.write_unsynced()
        });
        let writer = written.and_then(|()| Writer::spawn(journal));
        let writer = match writer {
            Ok(w) => w,
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                return Err(e);
            }
        };
        let mut session = Session::new(writer, Incident::default(), masker, 2);
        session.incident.apply(&rec);
        session.last = Some(rec);
        Ok(session)
    }

    /// Continues the incident in the journal at `path` and records
    /// `session_resumed` (which marks runs that were still going as
    /// interrupted). A failure to write that record leaves it pending.
    pub fn resume(
        path: &Path,
        masker: Masker,
        now: DateTime<FixedOffset>,
    ) -> Result<Session, JournalError> {
        let (journal, read) = Journal::open_existing(path)?;
        let incident = Incident::fold(&read.records);
        let next_seq = journal.acked_seq() + 1;
        let writer = Writer::spawn(journal)?;
        let mut session = Session::new(writer, incident, masker, next_seq);
        session.recovery = Recovery {
            torn: read.torn,
            skipped: read.skipped,
            unknown: read.unknown,
        };
        // Output a flooding command showed after its journaled head, saved
        // in a checkpoint before the program died: into the journal with it.
        let journal_path = session.writer.path().to_path_buf();
        for (run, events) in checkpointed_tails(&journal_path, &session.incident) {
            for event in events {
                let _ = session.record(event, now);
            }
            // Only once the journal has it: on a full disk the sidecar stays
            // and is the copy that survives if this session dies too.
            session.remove_checkpoint_when_saved(run);
        }
        let resumed = Event::SessionResumed {
            host: host_name(),
            user: user_name(),
            program_version: env!("CARGO_PKG_VERSION").to_string(),
        };
        // Not fatal: the state is there and the record is queued for retry.
        let _ = session.record(resumed, now);
        Ok(session)
    }

    fn new(writer: Writer, incident: Incident, masker: Masker, next_seq: u64) -> Session {
        Session {
            writer,
            incident,
            masker,
            next_seq,
            last: None,
            partial: HashMap::new(),
            excerpts: HashMap::new(),
            checkpointed: HashMap::new(),
            counters: HashMap::new(),
            checkpoint_slots: Arc::default(),
            recovery: Recovery::default(),
            recorded: None,
        }
    }

    /// The masker applied to everything this session records (for text shown
    /// on screen that is not itself an event, such as the live output tail).
    pub fn masker(&self) -> &Masker {
        &self.masker
    }

    /// From now on, keeps a copy of each record made, for
    /// [`Session::take_recorded`] (the job engine's subscribers).
    pub fn keep_recorded(&mut self) {
        self.recorded.get_or_insert_with(Vec::new);
    }

    /// The records made since the last call, in order (none unless
    /// [`Session::keep_recorded`] was called).
    pub fn take_recorded(&mut self) -> Vec<Record> {
        self.recorded
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The incident as recorded so far (including records not yet on disk).
    pub fn incident(&self) -> &Incident {
        &self.incident
    }

    /// The journal file.
    pub fn journal_path(&self) -> &Path {
        self.writer.path()
    }

    /// Seq of the last record the writer has acknowledged (on disk: written
    /// and fsynced). Every record up to it survives a kill -9.
    pub fn acked_seq(&self) -> u64 {
        self.writer.status().acked
    }

    /// Records accepted but not yet acknowledged: in flight to the disk, or
    /// held after a failed write (then [`Session::write_error`] says why).
    pub fn unsaved(&self) -> usize {
        let last = self.next_seq.saturating_sub(1);
        last.saturating_sub(self.acked_seq()) as usize
    }

    /// Records accepted but not yet on disk (the same as [`Session::unsaved`]).
    pub fn pending_writes(&self) -> usize {
        self.unsaved()
    }

    /// Why the journal cannot be written, while records are held because of
    /// it (the writer retries every second); `None` while writes succeed,
    /// even when some are still in flight.
    pub fn write_error(&self) -> Option<JournalError> {
        let failure = self.writer.status().failure?;
        Some(JournalError::Write {
            path: self.journal_path().to_path_buf(),
            source: std::io::Error::new(failure.kind, failure.message),
            pending: self.unsaved(),
        })
    }

    /// Wakes whenever the writer acknowledges records or a write fails, so
    /// the screen can redraw its "saving…" mark and banner.
    pub fn watch_writes(&self) -> tokio::sync::watch::Receiver<WriteStatus> {
        self.writer.watch()
    }

    /// Waits until every record so far is on disk, retrying held records
    /// now. On failure they stay held (and retried) and the error says why.
    pub fn drain(&self) -> Result<(), JournalError> {
        self.writer.sync()
    }

    /// [`Session::drain`], calling `notice` once if the disk takes longer
    /// than `after` (so a slow disk at exit is explained).
    pub fn drain_noting(
        &self,
        after: std::time::Duration,
        notice: impl FnOnce(),
    ) -> Result<(), JournalError> {
        self.writer.sync_noting(after, notice)
    }

    /// Retries records held after a failed write and waits for them: the
    /// same as [`Session::drain`].
    pub fn flush_pending(&mut self) -> Result<(), JournalError> {
        self.drain()
    }

    /// What resume found wrong with the journal (empty for a new incident).
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// Masks, stamps, applies and hands an event to the journal writer,
    /// without waiting for the disk. The state is updated even on `Err`
    /// (the journal is failing: the record is held and will be retried),
    /// except when the event cannot be encoded at all.
    pub fn record(
        &mut self,
        mut ev: Event,
        now: DateTime<FixedOffset>,
    ) -> Result<&Record, JournalError> {
        self.masker.mask_event(&mut ev);
        self.record_masked(ev, now)
    }

    fn record_masked(
        &mut self,
        event: Event,
        now: DateTime<FixedOffset>,
    ) -> Result<&Record, JournalError> {
        let rec = Record {
            seq: self.next_seq,
            ts: now.trunc_subsecs(3),
            event,
        };
        let line = crate::journal::encode(self.writer.path(), &rec)?;
        self.next_seq += 1;
        self.incident.apply(&rec);
        if let Some(kept) = &mut self.recorded {
            kept.push(rec.clone());
        }
        let sent = self.writer.append(rec.seq, line);
        let failing = self.write_error();
        let rec = self.last.insert(rec);
        sent?;
        match failing {
            Some(e) => Err(e),
            None => Ok(&*rec),
        }
    }

    /// Removes `run`'s tail checkpoint once everything recorded so far is
    /// on disk (never, if that does not happen before the program ends).
    fn remove_checkpoint_when_saved(&mut self, run: RunId) {
        if let Ok(mut slots) = self.checkpoint_slots.lock() {
            slots.remove(&run);
        }
        let path = self.writer.path().to_path_buf();
        let last = self.next_seq.saturating_sub(1);
        self.writer
            .after_ack(last, move || checkpoint::remove(&path, run));
    }

    /// Has the writer thread save `cp` (best effort, see `checkpoint`). Only
    /// the newest checkpoint of a run waits to be written.
    fn save_checkpoint(&mut self, cp: checkpoint::Checkpoint) {
        let run = cp.run;
        let Ok(mut slots) = self.checkpoint_slots.lock() else {
            return;
        };
        if slots.insert(run, cp).is_some() {
            return; // a write of this run's slot is already queued
        }
        drop(slots);
        let slots = Arc::clone(&self.checkpoint_slots);
        let path: PathBuf = self.writer.path().to_path_buf();
        self.writer.task(move || {
            let cp = slots.lock().ok().and_then(|mut s| s.remove(&run));
            if let Some(cp) = cp {
                let _ = checkpoint::write(&path, &cp);
            }
        });
    }

    /// Records a chunk of a run's output: masked per line, journaled while
    /// the run is under its head limit, held in a rolling tail after that.
    pub fn record_output(
        &mut self,
        run: RunId,
        stream: Stream,
        text: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<(), JournalError> {
        let key = (run, stream == Stream::Stderr);
        let buf = self.partial.entry(key).or_default();
        buf.push_str(text);
        let ready = take_ready(buf, &self.masker);
        if ready.is_empty() {
            return Ok(());
        }
        self.push_output(run, stream, &ready, now)
    }

    fn push_output(
        &mut self,
        run: RunId,
        stream: Stream,
        raw: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<(), JournalError> {
        let masked = self.masker.mask(raw).into_owned();
        let excerpt = self.excerpts.entry(run).or_insert_with(Excerpt::new);
        let head = excerpt.push(stream, &masked);
        if excerpt.holding_tail() {
            // Best effort, like the checkpoint; before it, so the count is
            // never behind what a checkpoint holds.
            let counter = self
                .counters
                .entry(run)
                .or_insert_with(|| checkpoint::Counter::create(self.writer.path(), run).ok());
            if let Some(c) = counter {
                let _ = c.set(excerpt.past_head());
            }
        }
        if excerpt.holding_tail()
            && self
                .checkpointed
                .get(&run)
                .is_none_or(|t| now - *t >= chrono::Duration::seconds(1))
        {
            let cp = excerpt.checkpoint(run);
            self.checkpointed.insert(run, now);
            self.save_checkpoint(cp);
        }
        match head {
            Some(head) => {
                let ev = Event::CommandOutput {
                    run,
                    stream,
                    text: head,
                };
                self.record_masked(ev, now).map(|_| ())
            }
            None => Ok(()),
        }
    }

    /// Records the end of a command: any held partial line, the held tail
    /// (after a `command_output_omitted` when output was left out), then
    /// `command_finished`. Everything is applied; the first write error is
    /// returned.
    pub fn record_finished(
        &mut self,
        run: RunId,
        end: RunEnd,
        now: DateTime<FixedOffset>,
    ) -> Result<(), JournalError> {
        let mut first_err = None;
        let mut keep = |r: Result<(), JournalError>| {
            if let Err(e) = r {
                first_err.get_or_insert(e);
            }
        };
        for (is_err, stream) in [(false, Stream::Stdout), (true, Stream::Stderr)] {
            if let Some(rest) = self.partial.remove(&(run, is_err))
                && !rest.is_empty()
            {
                keep(self.push_output(run, stream, &rest, now));
            }
        }
        let mut truncated = false;
        if let Some(excerpt) = self.excerpts.remove(&run) {
            let (omitted, tail) = excerpt.finish();
            if omitted > 0 {
                truncated = true;
                let ev = Event::CommandOutputOmitted {
                    run,
                    bytes: omitted,
                    lost: false,
                };
                keep(self.record_masked(ev, now).map(|_| ()));
            }
            for (stream, text) in tail {
                let ev = Event::CommandOutput { run, stream, text };
                keep(self.record_masked(ev, now).map(|_| ()));
            }
        }
        let had_counter = self.counters.remove(&run).is_some();
        let checkpointed = self.checkpointed.remove(&run).is_some() || had_counter;
        let ev = Event::CommandFinished {
            run,
            exit_code: end.exit_code,
            signal: end.signal,
            timed_out: end.timed_out,
            cancelled: end.cancelled,
            duration_ms: end.duration_ms,
            bytes: end.bytes,
            truncated,
            launch_error: None,
        };
        keep(self.record_masked(ev, now).map(|_| ()));
        if checkpointed {
            // The held tail is journaled now: the sidecar goes once it is on disk.
            self.remove_checkpoint_when_saved(run);
        }
        first_err.map_or(Ok(()), Err)
    }
}

/// Takes the complete lines out of `buf`. A partial line longer than
/// [`MAX_PARTIAL_LINE`] is passed on too, except its last
/// `longest secret` visible bytes, and never cutting through a secret (colour
/// codes inside it included), so masking still sees every secret whole.
fn take_ready(buf: &mut String, masker: &Masker) -> String {
    let cut = match buf.rfind('\n') {
        Some(nl) => nl + 1,
        None if buf.len() > MAX_PARTIAL_LINE => safe_cut(buf, masker),
        None => return String::new(),
    };
    let rest = buf.split_off(cut);
    std::mem::replace(buf, rest)
}

fn safe_cut(buf: &str, masker: &Masker) -> usize {
    // Only a secret longer than the held bytes leaves nothing to pass on:
    // then half is passed on so memory stays bounded.
    masker.stream_cut(buf, MAX_PARTIAL_LINE / 2)
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Head-and-tail excerpt of one run's output (kept private; the exec module
/// has its own for display, and the two may be unified later).
#[derive(Debug)]
struct Excerpt {
    head_left: usize,
    tail: VecDeque<(Stream, String)>,
    tail_bytes: usize,
    omitted: u64,
}

impl Excerpt {
    fn new() -> Excerpt {
        Excerpt {
            head_left: HEAD_BYTES,
            tail: VecDeque::new(),
            tail_bytes: 0,
            omitted: 0,
        }
    }

    /// The part of `text` to journal now, if any; the rest goes to the tail.
    fn push(&mut self, stream: Stream, text: &str) -> Option<String> {
        let take = floor_boundary(text, self.head_left);
        if take < text.len() {
            self.head_left = 0; // once the tail starts, the head is closed
        } else {
            self.head_left -= take;
        }
        let rest = &text[take..];
        if !rest.is_empty() {
            self.push_tail(stream, rest);
        }
        (take > 0).then(|| text[..take].to_string())
    }

    fn push_tail(&mut self, stream: Stream, text: &str) {
        match self.tail.back_mut() {
            Some((s, last)) if *s == stream && last.len() < TAIL_EVENT_BYTES => last.push_str(text),
            _ => self.tail.push_back((stream, text.to_string())),
        }
        self.tail_bytes += text.len();
        while self.tail_bytes > TAIL_BYTES {
            let excess = self.tail_bytes - TAIL_BYTES;
            let Some((_, front)) = self.tail.front_mut() else {
                break;
            };
            if front.len() <= excess {
                let n = front.len();
                self.tail.pop_front();
                self.tail_bytes -= n;
                self.omitted += n as u64;
            } else {
                let mut cut = excess;
                while !front.is_char_boundary(cut) {
                    cut += 1;
                }
                front.drain(..cut);
                self.tail_bytes -= cut;
                self.omitted += cut as u64;
            }
        }
    }

    /// Bytes that went past the head so far (held in the tail or dropped).
    fn past_head(&self) -> u64 {
        self.omitted + self.tail_bytes as u64
    }

    /// True once output is being held back from the journal.
    fn holding_tail(&self) -> bool {
        self.head_left == 0 && !self.tail.is_empty()
    }

    /// The last [`CHECKPOINT_BYTES`] of the held tail, for a crash.
    fn checkpoint(&self, run: RunId) -> checkpoint::Checkpoint {
        let mut chunks = Vec::new();
        let mut kept = 0usize;
        for (stream, text) in self.tail.iter().rev() {
            let room = CHECKPOINT_BYTES - kept;
            if room == 0 {
                break;
            }
            let piece = if text.len() <= room {
                text.as_str()
            } else {
                let mut cut = text.len() - room;
                while !text.is_char_boundary(cut) {
                    cut += 1;
                }
                &text[cut..]
            };
            kept += piece.len();
            chunks.push((*stream, piece.to_string()));
        }
        chunks.reverse();
        checkpoint::Checkpoint {
            run,
            omitted: self.omitted + (self.tail_bytes - kept) as u64,
            chunks,
        }
    }

    /// Bytes left out, and the held tail in journal-sized pieces.
    fn finish(self) -> (u64, Vec<(Stream, String)>) {
        (self.omitted, self.tail.into_iter().collect())
    }
}

/// This machine's host name (empty when it cannot be read).
pub fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates
    // within it or truncates, and we stop at the first NUL either way.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return String::new();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

/// The operator's user name: the invoking user under sudo (`$SUDO_USER`),
/// else `$USER`/`$LOGNAME`, else the password database entry of the uid,
/// else the numeric uid.
pub fn user_name() -> String {
    ["SUDO_USER", "USER", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|u| !u.is_empty())
        .or_else(passwd_name)
        // SAFETY: getuid has no preconditions and cannot fail.
        .unwrap_or_else(|| format!("uid {}", unsafe { libc::getuid() }))
}

fn passwd_name() -> Option<String> {
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call; getpwuid_r writes the
    // strings into `buf`, which outlives our reads of `pwd.pw_name`.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name points at a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned()).filter(|n| !n.is_empty())
}
