//! The journal writer on its own OS thread, so a slow or failing disk never
//! holds up the screen.
//!
//! The session sends it encoded records in seq order; it appends them
//! (everything queued at that moment as one batch), fsyncs, and then
//! *acknowledges*: it publishes the seq of the last record on disk in a
//! [`WriteStatus`]. A record is acknowledged only once its fsync returned.
//!
//! On a failed write or fsync the records stay queued in order (see
//! [`Journal`]) and the failure is published; the writer tries again every
//! [`RETRY_EVERY`], and at once when asked to [`Writer::sync`]. The failure
//! is cleared when a retry has put everything held on disk.
//!
//! Besides records it runs small jobs in order with them: best-effort tasks
//! (tail checkpoints) and jobs that must wait until a given record is
//! acknowledged (removing a checkpoint once the journal has its text).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::error::JournalError;
use super::writer::Journal;

/// How often held records are retried after a failure.
pub const RETRY_EVERY: Duration = Duration::from_secs(1);

/// Messages taken before a batch is written: bounded so a flood cannot put
/// off the fsync indefinitely.
const BATCH: usize = 4096;

/// What the writer has done so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteStatus {
    /// Seq of the last record on disk (written and fsynced); 0 for none.
    pub acked: u64,
    /// Why the last attempt to write failed, while records are held
    /// because of it; `None` once a retry put them all on disk.
    pub failure: Option<WriteFailure>,
}

/// A failed write, as published to the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFailure {
    /// The OS error's kind.
    pub kind: io::ErrorKind,
    /// The OS error's text.
    pub message: String,
}

type Job = Box<dyn FnOnce() + Send>;

enum Msg {
    /// An encoded record (seq, line).
    Line(u64, Vec<u8>),
    /// Runs in order with the records, whatever the disk does.
    Task(Job),
    /// Runs once the record with this seq is acknowledged (dropped when the
    /// writer stops before that).
    AfterAck(u64, Job),
    /// Writes everything queued now and answers how that went.
    Sync(mpsc::Sender<Result<(), JournalError>>),
}

/// The handle of the writer thread. Dropping it lets the thread write what
/// is queued (one attempt) and waits for it.
pub struct Writer {
    path: PathBuf,
    tx: Option<mpsc::Sender<Msg>>,
    status: watch::Receiver<WriteStatus>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("path", &self.path)
            .field("status", &*self.status.borrow())
            .finish()
    }
}

impl Writer {
    /// Starts the thread that owns `journal`. Records already queued in it
    /// (e.g. written at start without fsync) are fsynced first.
    pub fn spawn(journal: Journal) -> Result<Writer, JournalError> {
        let path = journal.path().to_path_buf();
        let (status_tx, status) = watch::channel(WriteStatus {
            acked: journal.acked_seq(),
            failure: None,
        });
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("journal-writer".into())
            .spawn(move || run(journal, rx, status_tx))
            .map_err(|source| JournalError::Write {
                path: path.clone(),
                source,
                pending: 0,
            })?;
        Ok(Writer {
            path,
            tx: Some(tx),
            status,
            thread: Some(thread),
        })
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn send(&self, msg: Msg) -> Result<(), JournalError> {
        let sent = self.tx.as_ref().is_some_and(|tx| tx.send(msg).is_ok());
        if sent { Ok(()) } else { Err(self.stopped()) }
    }

    fn stopped(&self) -> JournalError {
        JournalError::Write {
            path: self.path.clone(),
            source: io::Error::other("the journal writer has stopped (a bug; please report it)"),
            pending: 0,
        }
    }

    /// Queues an encoded record; never waits for the disk.
    pub fn append(&self, seq: u64, line: Vec<u8>) -> Result<(), JournalError> {
        self.send(Msg::Line(seq, line))
    }

    /// Runs `job` on the writer thread after the records queued so far have
    /// been handed to the journal (best effort: whatever the disk does).
    pub fn task(&self, job: impl FnOnce() + Send + 'static) {
        let _ = self.send(Msg::Task(Box::new(job)));
    }

    /// Runs `job` on the writer thread once record `seq` is on disk; never,
    /// if the writer stops before that.
    pub fn after_ack(&self, seq: u64, job: impl FnOnce() + Send + 'static) {
        let _ = self.send(Msg::AfterAck(seq, Box::new(job)));
    }

    /// Waits until every record queued so far is on disk, retrying held ones
    /// now; on failure they stay held (and retried) and the error is returned.
    pub fn sync(&self) -> Result<(), JournalError> {
        self.sync_noting(Duration::MAX, || {})
    }

    /// [`Writer::sync`], calling `notice` once if it takes longer than `after`
    /// (to tell the operator why the program has not ended yet).
    pub fn sync_noting(&self, after: Duration, notice: impl FnOnce()) -> Result<(), JournalError> {
        let (tx, rx) = mpsc::channel();
        self.send(Msg::Sync(tx))?;
        match rx.recv_timeout(after) {
            Ok(res) => return res,
            Err(RecvTimeoutError::Disconnected) => return Err(self.stopped()),
            Err(RecvTimeoutError::Timeout) => notice(),
        }
        rx.recv().unwrap_or_else(|_| Err(self.stopped()))
    }

    /// What the writer has done so far.
    pub fn status(&self) -> WriteStatus {
        self.status.borrow().clone()
    }

    /// A receiver that wakes whenever the status changes (acks, failures).
    pub fn watch(&self) -> watch::Receiver<WriteStatus> {
        self.status.clone()
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct State {
    journal: Journal,
    status: watch::Sender<WriteStatus>,
    failure: Option<WriteFailure>,
    next_retry: Instant,
    waiting: Vec<(u64, Job)>,
}

impl State {
    /// Writes and fsyncs what is queued; publishes the outcome.
    fn flush(&mut self) -> Result<(), JournalError> {
        let res = self.journal.flush_pending();
        match &res {
            Ok(()) => self.failure = None,
            Err(e) => {
                self.next_retry = Instant::now() + RETRY_EVERY;
                self.failure = Some(match e {
                    JournalError::Write { source, .. } => WriteFailure {
                        kind: source.kind(),
                        message: source.to_string(),
                    },
                    other => WriteFailure {
                        kind: io::ErrorKind::Other,
                        message: other.to_string(),
                    },
                });
            }
        }
        let acked = self.journal.acked_seq();
        let (ready, still): (Vec<_>, Vec<_>) =
            self.waiting.drain(..).partition(|(seq, _)| *seq <= acked);
        self.waiting = still;
        for (_, job) in ready {
            job();
        }
        let now = WriteStatus {
            acked,
            failure: self.failure.clone(),
        };
        self.status.send_if_modified(|s| {
            let changed = *s != now;
            *s = now;
            changed
        });
        res
    }

    fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Line(seq, line) => self.journal.queue(seq, line),
            Msg::Task(job) => job(),
            Msg::AfterAck(seq, job) => {
                if seq <= self.journal.acked_seq() {
                    job();
                } else {
                    self.waiting.push((seq, job));
                }
            }
            Msg::Sync(reply) => {
                let _ = reply.send(self.flush());
            }
        }
    }
}

fn run(journal: Journal, rx: mpsc::Receiver<Msg>, status: watch::Sender<WriteStatus>) {
    let mut st = State {
        journal,
        status,
        failure: None,
        next_retry: Instant::now(),
        waiting: Vec::new(),
    };
    loop {
        let first = if st.journal.pending() == 0 {
            // Idle: wait for work.
            match rx.recv() {
                Ok(m) => Some(m),
                Err(_) => return,
            }
        } else if st.failure.is_some() {
            // Failing: wait for the next retry, taking new work meanwhile.
            let left = st.next_retry.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        } else {
            None
        };
        let mut closed = false;
        if let Some(m) = first {
            st.handle(m);
            // Take what else is queued now, to write it as one batch.
            for _ in 0..BATCH {
                match rx.try_recv() {
                    Ok(m) => st.handle(m),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        closed = true;
                        break;
                    }
                }
            }
        }
        let due = st.failure.is_none() || Instant::now() >= st.next_retry;
        if st.journal.pending() > 0 && due {
            let _ = st.flush();
        }
        if closed {
            break;
        }
    }
    // The session is gone: one last attempt at what is still held.
    if st.journal.pending() > 0 {
        let _ = st.flush();
    }
}
