//! Child processes: run a command line in its own process group, stream its
//! sanitised output over a bounded channel, enforce its timeout, cancel it, and make
//! sure no process of it outlives the run — or this program (see the `group` module).
//!
//! Promise 2: all of this happens on tokio tasks, never on the UI task.

pub mod excerpt;
mod group;
pub(crate) use group::SyncGroup;
mod run;
pub mod sanitize;
pub mod tail;

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::process::Command;
use tokio::sync::{Notify, mpsc};

pub use crate::incident::{RunId, Stream};

/// What to run and under which limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Shell command line, run by [`shell`] (bash with `pipefail` where installed).
    pub command_line: String,
    /// Killed (whole group) after this long; `None` for `follow: true` commands.
    pub timeout: Option<Duration>,
    /// Time between SIGTERM and SIGKILL on timeout or cancel.
    pub grace: Duration,
    /// Extra environment variables (after `TERM=dumb`, so they can override it).
    pub env: Vec<(String, String)>,
}

impl Spec {
    /// A spec with the defaults: timeout 60 s, grace 2 s, no extra environment.
    pub fn new(command_line: impl Into<String>) -> Self {
        Spec {
            command_line: command_line.into(),
            timeout: Some(Duration::from_secs(60)),
            grace: Duration::from_secs(2),
            env: Vec::new(),
        }
    }
}

/// Something a run reports on its channel.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// Sanitised output: whole lines where possible.
    Output {
        /// stdout or stderr.
        stream: Stream,
        /// The text (see [`sanitize`]).
        text: String,
        /// When it was read.
        at: chrono::DateTime<chrono::Utc>,
    },
    /// The run is over: sent exactly once, last, when both pipes are closed, the
    /// shell is reaped and no process of the group is left.
    Finished(Outcome),
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Exit code of the shell, if it exited.
    pub exit_code: Option<i32>,
    /// Signal that killed the shell, if one did.
    pub signal: Option<i32>,
    /// Killed because it ran past its timeout.
    pub timed_out: bool,
    /// Killed because [`RunHandle::cancel`] was called.
    pub cancelled: bool,
    /// From spawn to the end of the run.
    pub duration: Duration,
    /// Raw bytes read from stdout and stderr (before sanitising).
    pub bytes: u64,
}

/// Why a command could not be started.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// The command line itself cannot be given to a program.
    #[error("{0}")]
    CommandLine(String),
    /// `spawn` was called outside a tokio runtime.
    #[error(
        "cannot run a command: no tokio runtime is running (exec::spawn must be called inside one)"
    )]
    NoRuntime,
    /// The process group or the shell could not be started.
    #[error(
        "could not start {shell} for the command ({stage}): {source}; check that {shell} exists and that the process limit is not reached"
    )]
    Spawn {
        /// Which process failed to start.
        stage: &'static str,
        /// The shell program (see [`shell`]).
        shell: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
}

/// The shell that runs command lines, chosen once per process.
///
/// A pipeline's exit status must be a failure when any part of it fails:
/// `rabbitmqctl list_queues | sort | head` with the node down must not look
/// like an empty, healthy broker. Hence `pipefail`. Debian 12's `/bin/sh`
/// (dash 0.5.12) has no `pipefail`, so bash runs the command where it is
/// installed; otherwise `/bin/sh` turns `pipefail` on when it knows it (dash
/// 0.5.13+, busybox ash) and runs without it when it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shell {
    /// The program, e.g. `/bin/bash`.
    pub program: &'static str,
    /// Arguments before the command line (ends with `-c`).
    pub args: &'static [&'static str],
    /// Whether the command line gets the portable `set -o pipefail` prologue.
    prologue: bool,
}

/// What `/bin/sh` runs first when bash is missing: pipefail if the shell has it.
const SH_PIPEFAIL_PROLOGUE: &str = "(set -o pipefail) 2>/dev/null && set -o pipefail\n";

impl Shell {
    /// bash with `pipefail`, used where bash is installed.
    pub const BASH: Shell = Shell {
        program: "/bin/bash",
        args: &["-o", "pipefail", "-c"],
        prologue: false,
    };
    /// The fallback: `/bin/sh`, with `pipefail` only if that shell has it.
    pub const SH: Shell = Shell {
        program: "/bin/sh",
        args: &["-c"],
        prologue: true,
    };

    /// The argument passed after `-c` for `command_line`.
    pub fn command_line(&self, command_line: &str) -> String {
        match self.prologue {
            true => format!("{SH_PIPEFAIL_PROLOGUE}{command_line}"),
            false => command_line.to_string(),
        }
    }
}

/// Linux's limit on one argument (`MAX_ARG_STRLEN`, 32 pages), the NUL included.
const MAX_ARG_BYTES: usize = 128 * 1024;

/// Why `command_line` can never start, whatever it says: a NUL byte no program
/// can be given, or a line longer than the kernel takes in one argument. Such a
/// command changes nothing; it is a launch failure, recorded with this reason.
pub fn cannot_start(command_line: &str) -> Option<String> {
    if let Some(i) = command_line.find('\0') {
        return Some(format!(
            "the command line contains a NUL byte (at byte {i}), which no program can be given"
        ));
    }
    let len = shell().command_line(command_line).len() + 1;
    (len > MAX_ARG_BYTES).then(|| {
        format!(
            "the command line is too long for the system ({} bytes; Linux takes at most 128 KiB in one argument)",
            command_line.len()
        )
    })
}

/// The shell every command runs in: `/bin/bash -o pipefail -c` when bash is
/// installed, else `/bin/sh -c` with `pipefail` where that shell supports it.
pub fn shell() -> &'static Shell {
    static SHELL: std::sync::OnceLock<Shell> = std::sync::OnceLock::new();
    SHELL.get_or_init(|| {
        let bash = ["/bin/bash", "/usr/bin/bash"]
            .into_iter()
            .find(|p| is_executable(std::path::Path::new(p)));
        match bash {
            Some(program) => Shell {
                program,
                ..Shell::BASH
            },
            None => Shell::SH,
        }
    })
}

fn is_executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// A running command. Dropping the handle does NOT stop the command: it runs on to
/// its timeout and still reports `Finished`; call [`RunHandle::cancel`] to stop it.
/// (If the whole program or runtime goes away, the group is killed: see the `group` module.)
#[derive(Debug, Clone)]
pub struct RunHandle {
    /// Process id of the shell running the command.
    pub pid: u32,
    /// Process group of the run (every process it starts, unless one escapes it).
    pub pgid: u32,
    cancel: Arc<Notify>,
}

impl RunHandle {
    /// Stops the run: SIGTERM to the whole group, SIGKILL after the grace period.
    /// The `Finished` outcome then says `cancelled: true`. Harmless once finished.
    pub fn cancel(&self) {
        self.cancel.notify_one();
    }
}

/// Starts `spec` and reports its output and end on `tx` tagged with `run`. Must be
/// called inside a tokio runtime. A slow receiver slows the reading (backpressure):
/// nothing piles up in memory. If the receiver is dropped, output is discarded but
/// the run is still supervised to its end.
pub fn spawn(
    run: RunId,
    spec: Spec,
    tx: mpsc::Sender<(RunId, Update)>,
) -> Result<RunHandle, ExecError> {
    let rt = tokio::runtime::Handle::try_current().map_err(|_| ExecError::NoRuntime)?;
    if let Some(why) = cannot_start(&spec.command_line) {
        return Err(ExecError::CommandLine(why));
    }
    let started = tokio::time::Instant::now();
    let group = group::Group::start().map_err(|source| ExecError::Spawn {
        stage: "process-group watchdog",
        shell: "/bin/sh",
        source,
    })?;
    let pgid = group.pgid();
    let sh = shell();
    let mut cmd = Command::new(sh.program);
    cmd.args(sh.args)
        .arg(sh.command_line(&spec.command_line))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("TERM", "dumb")
        // bash runs $BASH_ENV before a non-interactive command; sh would not.
        .env_remove("BASH_ENV")
        .envs(spec.env.iter().map(|(k, v)| (k, v)));
    // SAFETY: setpgid is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setpgid(0, pgid) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(source) => {
            rt.spawn(group.end());
            if source.raw_os_error() == Some(libc::E2BIG) {
                return Err(ExecError::CommandLine(format!(
                    "the command line is too long for the system ({} bytes; Linux takes at most 128 KiB in one argument): {source}",
                    spec.command_line.len()
                )));
            }
            return Err(ExecError::Spawn {
                stage: "command shell",
                shell: sh.program,
                source,
            });
        }
    };
    let pid = child.id().unwrap_or(0);
    let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
    {
        use std::os::fd::AsRawFd;
        let fds = [
            stdout.as_ref().map(AsRawFd::as_raw_fd),
            stderr.as_ref().map(AsRawFd::as_raw_fd),
        ];
        fds.into_iter().flatten().for_each(run::enlarge_pipe);
    }
    let cancel = Arc::new(Notify::new());
    let parts = run::Parts {
        run,
        spec,
        child,
        group,
        stdout,
        stderr,
        tx,
        started,
    };
    rt.spawn(run::supervise(parts, cancel.clone()));
    Ok(RunHandle {
        pid,
        pgid: u32::try_from(pgid).unwrap_or(0),
        cancel,
    })
}
