//! The process group of one run, and the watchdog that kills it if we die.
//!
//! Each run gets a new process group whose leader is a tiny watchdog shell, not the
//! command. The watchdog ignores SIGTERM/SIGINT/SIGHUP/SIGQUIT and blocks reading a
//! pipe whose only write end this process holds (close-on-exec, so no command
//! inherits it). When this process ends for any reason — exit, panic, or kill -9 —
//! the kernel closes that end, `read` sees end-of-file, and the watchdog runs
//! `kill -KILL 0`: SIGKILL to its whole group, i.e. the command, its grandchildren
//! and itself. This covers grandchildren, which `PR_SET_PDEATHSIG` cannot, and does
//! not depend on which thread spawned the run (PDEATHSIG fires when the spawning
//! *thread* exits, which would kill commands started from a retired pool thread).
//!
//! Because the leader (the watchdog) lives until we reap it, the group id cannot be
//! recycled while we may still signal it. A process that leaves the group itself
//! (`setsid`, `setpgid`) escapes; only cgroups could catch that.

use std::io;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::Stdio;

use tokio::process::{Child, Command};

/// Shell run as group leader: wait for our death (EOF), then kill the group.
const WATCHDOG: &str = "trap '' TERM INT HUP QUIT; read _ignored; kill -KILL 0";

/// A live process group with its watchdog.
#[derive(Debug)]
pub(crate) struct Group {
    pgid: libc::pid_t,
    watchdog: Child,
    /// Write end of the watchdog's pipe; closing it (or our death) kills the group.
    _lifeline: OwnedFd,
}

impl Group {
    /// Starts the watchdog as the leader of a new process group.
    pub(crate) fn start() -> io::Result<Group> {
        let (cmd, lifeline) = watchdog_command()?;
        let watchdog = Command::from(cmd).spawn()?;
        let pgid = leader_pgid(watchdog.id())?;
        Ok(Group {
            pgid,
            watchdog,
            _lifeline: lifeline,
        })
    }

    /// The process group id, for `setpgid` in the command's child.
    pub(crate) fn pgid(&self) -> libc::pid_t {
        self.pgid
    }

    /// Sends `signal` to every process in the group. A group already gone (ESRCH)
    /// is fine; the leader is unreaped, so the id still names our group.
    pub(crate) fn signal(&self, signal: libc::c_int) {
        // SAFETY: plain syscall; the id is our own group (leader not yet reaped).
        let _ = unsafe { libc::killpg(self.pgid, signal) };
    }

    /// Kills what is left of the group and reaps the watchdog.
    pub(crate) async fn end(mut self) {
        self.signal(libc::SIGKILL);
        let _ = self.watchdog.wait().await;
    }
}

/// [`Group`] for blocking callers with no tokio runtime (the drill sandbox's
/// broker, started on a plain thread): the same watchdog, reaped with `wait`.
#[derive(Debug)]
pub(crate) struct SyncGroup {
    pgid: libc::pid_t,
    watchdog: std::process::Child,
    _lifeline: OwnedFd,
}

impl SyncGroup {
    /// Starts the watchdog as the leader of a new process group.
    pub(crate) fn start() -> io::Result<SyncGroup> {
        let (mut cmd, lifeline) = watchdog_command()?;
        let watchdog = cmd.spawn()?;
        let pgid = leader_pgid(Some(watchdog.id()))?;
        Ok(SyncGroup {
            pgid,
            watchdog,
            _lifeline: lifeline,
        })
    }

    /// The process group id, for `setpgid` in a member's child.
    pub(crate) fn pgid(&self) -> libc::pid_t {
        self.pgid
    }

    /// Sends `signal` to every process in the group (ESRCH is fine).
    pub(crate) fn signal(&self, signal: libc::c_int) {
        // SAFETY: plain syscall; the id is our own group (leader not yet reaped).
        let _ = unsafe { libc::killpg(self.pgid, signal) };
    }

    /// Kills what is left of the group and reaps the watchdog.
    pub(crate) fn end(mut self) {
        self.signal(libc::SIGKILL);
        let _ = self.watchdog.wait();
    }

    /// Lets the group outlive this program: the watchdog alone is killed and
    /// reaped, so our death no longer takes the members with it. The group id
    /// stays taken while any member lives.
    pub(crate) fn disarm(mut self) {
        let _ = self.watchdog.kill();
        let _ = self.watchdog.wait();
    }
}

/// The watchdog's command (`setpgid(0, 0)` in the child) and the write end of
/// its lifeline.
fn watchdog_command() -> io::Result<(std::process::Command, OwnedFd)> {
    use std::os::unix::process::CommandExt;
    let (read_end, write_end) = pipe_cloexec()?;
    let mut cmd = std::process::Command::new("/bin/sh");
    cmd.arg("-c")
        .arg(WATCHDOG)
        .stdin(Stdio::from(read_end))
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: setpgid is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setpgid(0, 0) != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    Ok((cmd, write_end))
}

fn leader_pgid(id: Option<u32>) -> io::Result<libc::pid_t> {
    id.and_then(|id| libc::pid_t::try_from(id).ok())
        .ok_or_else(|| io::Error::other("watchdog exited before it could be used"))
}

/// A pipe whose both ends are close-on-exec (set atomically, so a command spawned
/// concurrently by another thread cannot inherit the write end).
fn pipe_cloexec() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as libc::c_int; 2];
    loop {
        // SAFETY: fds is a valid array of two ints.
        let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
        if rc == 0 {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    // SAFETY: pipe2 succeeded, so both fds are open and owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}
