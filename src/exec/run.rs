//! Supervising one run: readers for both pipes, timeout, cancel, group kill, reap.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, ChildStderr, ChildStdout};
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

use super::group::Group;
use super::sanitize::Sanitizer;
use super::{Outcome, RunId, Spec, Stream, Update};

/// A partial line is sent after waiting this long for the rest of it.
const FLUSH_AFTER: Duration = Duration::from_millis(100);
/// After the group is killed, a pipe silent this long is held by a process that
/// escaped the group: stop reading it so the run can finish.
const DRAIN_IDLE: Duration = Duration::from_secs(1);
/// Bytes read from a pipe at a time: a flood is read in big gulps, so the
/// per-read costs (wakeup, channel send, timestamp) are paid rarely.
const READ_BUF: usize = 128 * 1024;
/// Kernel buffer asked for each output pipe (the default is 64 KiB), so a fast
/// writer fills a whole read before the reader wakes.
const PIPE_SIZE: libc::c_int = 512 * 1024;

type Tx = mpsc::Sender<(RunId, Update)>;

/// Everything `spawn` set up, handed to the supervising task.
pub(super) struct Parts {
    pub run: RunId,
    pub spec: Spec,
    pub child: Child,
    pub group: Group,
    pub stdout: Option<ChildStdout>,
    pub stderr: Option<ChildStderr>,
    pub tx: Tx,
    pub started: Instant,
}

enum Ending {
    Exited(Option<ExitStatus>),
    TimedOut,
    Cancelled,
}

/// Runs to the end of the run and sends exactly one `Finished`.
pub(super) async fn supervise(p: Parts, cancel: Arc<Notify>) {
    let Parts {
        run,
        spec,
        mut child,
        group,
        stdout,
        stderr,
        tx,
        started,
    } = p;
    let (drain_tx, drain_rx) = watch::channel(false);
    let mut out = reader(run, Stream::Stdout, stdout, &tx, &drain_rx);
    let mut err = reader(run, Stream::Stderr, stderr, &tx, &drain_rx);
    let mut out_bytes = None;
    let mut err_bytes = None;

    let ending = tokio::select! {
        status = child.wait() => Ending::Exited(status.ok()),
        _ = sleep_until_opt(spec.timeout.map(|t| started + t)) => Ending::TimedOut,
        _ = cancel.notified() => Ending::Cancelled,
    };
    let (status, timed_out, cancelled) = match ending {
        Ending::Exited(status) => (status, false, false),
        Ending::TimedOut | Ending::Cancelled => {
            group.signal(libc::SIGTERM);
            // Let the group end on its own within the grace: the shell exits and the
            // pipes close (nobody left writing). Then, or at the deadline, SIGKILL.
            let deadline = Instant::now() + spec.grace;
            let mut status = None;
            while status.is_none() || out_bytes.is_none() || err_bytes.is_none() {
                tokio::select! {
                    s = child.wait(), if status.is_none() => status = Some(s.ok()),
                    b = &mut out, if out_bytes.is_none() => out_bytes = Some(b.unwrap_or(0)),
                    b = &mut err, if err_bytes.is_none() => err_bytes = Some(b.unwrap_or(0)),
                    _ = sleep_until(deadline) => break,
                }
            }
            group.signal(libc::SIGKILL);
            let status = match status {
                Some(s) => s,
                None => child.wait().await.ok(),
            };
            (
                status,
                matches!(ending, Ending::TimedOut),
                matches!(ending, Ending::Cancelled),
            )
        }
    };
    // The shell is gone and reaped: kill whatever it left behind (background jobs
    // holding the pipes), then read what is still in the pipes.
    group.signal(libc::SIGKILL);
    let _ = drain_tx.send(true);
    let out_bytes = match out_bytes {
        Some(b) => b,
        None => out.await.unwrap_or(0),
    };
    let err_bytes = match err_bytes {
        Some(b) => b,
        None => err.await.unwrap_or(0),
    };
    group.end().await;
    let outcome = Outcome {
        exit_code: status.and_then(|s| s.code()),
        signal: status.and_then(|s| s.signal()),
        timed_out,
        cancelled,
        duration: started.elapsed(),
        bytes: out_bytes + err_bytes,
    };
    let _ = tx.send((run, Update::Finished(outcome))).await;
}

/// Best effort: asks for a bigger pipe buffer (`F_SETPIPE_SZ`); the kernel may
/// refuse (a per-user limit on pipe memory), and the pipe then stays as it was.
pub(super) fn enlarge_pipe(fd: std::os::fd::RawFd) {
    // SAFETY: fcntl on a descriptor we own; F_SETPIPE_SZ only resizes the pipe.
    let _ = unsafe { libc::fcntl(fd, libc::F_SETPIPE_SZ, PIPE_SIZE) };
}

fn reader<R: AsyncRead + Unpin + Send + 'static>(
    run: RunId,
    stream: Stream,
    pipe: Option<R>,
    tx: &Tx,
    drain: &watch::Receiver<bool>,
) -> JoinHandle<u64> {
    let (tx, drain) = (tx.clone(), drain.clone());
    tokio::spawn(async move {
        match pipe {
            Some(pipe) => read_stream(run, stream, pipe, tx, drain).await,
            None => 0,
        }
    })
}

/// Reads one pipe to its end, sanitising and sending; returns the raw byte count.
async fn read_stream<R: AsyncRead + Unpin>(
    run: RunId,
    stream: Stream,
    mut pipe: R,
    tx: Tx,
    mut drain: watch::Receiver<bool>,
) -> u64 {
    let mut buf = vec![0u8; READ_BUF];
    let mut sanitizer = Sanitizer::new();
    let mut out = Sender {
        run,
        stream,
        tx: Some(tx),
    };
    let mut bytes = 0u64;
    let mut partial_since: Option<Instant> = None;
    let mut draining = false;
    let mut last_read = Instant::now();
    loop {
        let wake = match partial_since {
            Some(t) => Some(t + FLUSH_AFTER),
            None => draining.then(|| last_read + DRAIN_IDLE),
        };
        tokio::select! {
            read = pipe.read(&mut buf) => match read {
                Ok(0) => break,
                Ok(n) => {
                    bytes += n as u64;
                    last_read = Instant::now();
                    out.send(sanitizer.push(&buf[..n])).await;
                    partial_since = match sanitizer.has_partial() {
                        true => partial_since.or(Some(last_read)),
                        false => None,
                    };
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            },
            _ = sleep_until_opt(wake) => {
                let now = Instant::now();
                if partial_since.is_some_and(|t| t + FLUSH_AFTER <= now) {
                    out.send(sanitizer.take_partial()).await;
                    partial_since = None;
                } else if draining && last_read + DRAIN_IDLE <= now {
                    break;
                }
            }
            _ = drain.changed(), if !draining => {
                draining = true;
                last_read = Instant::now();
            }
        }
    }
    out.send(sanitizer.finish()).await;
    bytes
}

/// Sends output; once the receiver is gone, output is discarded (the run goes on).
struct Sender {
    run: RunId,
    stream: Stream,
    tx: Option<Tx>,
}

impl Sender {
    async fn send(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        if let Some(tx) = &self.tx {
            let update = Update::Output {
                stream: self.stream,
                text,
                at: chrono::Utc::now(),
            };
            if tx.send((self.run, update)).await.is_err() {
                self.tx = None;
            }
        }
    }
}

async fn sleep_until_opt(deadline: Option<Instant>) {
    match deadline {
        Some(d) => sleep_until(d).await,
        None => std::future::pending().await,
    }
}
