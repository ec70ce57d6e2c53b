//! The reaper: removes sandboxes whose owner died (kill -9, a crash, a
//! `--keep-sandbox` drill that ended). It runs at every sandbox start and as
//! `runbook drill cleanup`.
//!
//! It signals a process only with proof that it belongs to the dead sandbox:
//! the process is in a node's recorded process group or is the pid in a
//! node's `PID_FILE`, AND its `/proc/PID/environ` holds
//! `RABBITMQ_CONF_ENV_FILE=<sandbox dir>/…` (the beam's command line carries
//! no node name). epmd is never signalled, whatever its environment.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::lease::{LEASE_FILE, Lease, owner_alive, stat};

/// How long processes get between SIGTERM and SIGKILL.
const TERM_GRACE: Duration = Duration::from_secs(5);
/// How long SIGKILLed processes get to disappear.
const KILL_GRACE: Duration = Duration::from_secs(2);
const POLL: Duration = Duration::from_millis(100);
/// Environments are small; more than this is not read.
const MAX_ENVIRON_BYTES: u64 = 256 * 1024;

/// What the reaper does to the system; a parameter so tests can run it
/// against a fake `/proc` without signalling anything real.
pub trait ReapHost {
    /// Where `/proc` is.
    fn proc_root(&self) -> &Path;
    /// `kill(pid, signal)`.
    fn signal(&self, pid: i32, signal: i32) -> std::io::Result<()>;
    /// `umount2(path)`, detached (lazy) when `lazy`.
    fn umount(&self, path: &Path, lazy: bool) -> std::io::Result<()>;
    /// Waits.
    fn sleep(&self, d: Duration);
}

/// The real system.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemHost;

impl ReapHost for SystemHost {
    fn proc_root(&self) -> &Path {
        Path::new("/proc")
    }

    fn signal(&self, pid: i32, signal: i32) -> std::io::Result<()> {
        // SAFETY: plain syscall.
        if unsafe { libc::kill(pid, signal) } == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }

    fn umount(&self, path: &Path, lazy: bool) -> std::io::Result<()> {
        super::node::umount(path, lazy)
    }

    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// What the reaper found in one sandbox directory and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaped {
    /// The sandbox directory.
    pub dir: PathBuf,
    /// The owner still runs (pid): the sandbox was left alone.
    pub in_use_by: Option<u32>,
    /// Nothing was changed (`--dry-run`).
    pub dry_run: bool,
    /// What was done (or would be), one line each.
    pub actions: Vec<String>,
    /// What failed; the sandbox (or what is left of it) stays for a later try.
    pub errors: Vec<String>,
}

impl Reaped {
    /// True when the directory is gone (or would be, in a dry run).
    pub fn removed(&self) -> bool {
        self.in_use_by.is_none() && self.errors.is_empty()
    }
}

impl fmt::Display for Reaped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self.dir.display();
        if let Some(pid) = self.in_use_by {
            return write!(f, "{dir}: in use by pid {pid}, left alone");
        }
        let verb = match (self.dry_run, self.errors.is_empty()) {
            (true, _) => "would remove",
            (false, true) => "removed",
            (false, false) => "could not remove",
        };
        write!(f, "{dir}: {verb}")?;
        for action in &self.actions {
            write!(f, "\n  {action}")?;
        }
        for error in &self.errors {
            write!(f, "\n  error: {error}")?;
        }
        Ok(())
    }
}

/// Reaps every dead sandbox under `state_dir` on the real system.
pub fn reap(state_dir: &Path, dry_run: bool) -> Vec<Reaped> {
    reap_with(state_dir, dry_run, &SystemHost)
}

/// [`reap`] against `host`.
pub fn reap_with(state_dir: &Path, dry_run: bool, host: &dyn ReapHost) -> Vec<Reaped> {
    let Ok(entries) = std::fs::read_dir(state_dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && !p.is_symlink())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .filter(|dir| dir.join(LEASE_FILE).exists())
        .map(|dir| reap_one(&dir, dry_run, host))
        .collect()
}

fn reap_one(dir: &Path, dry_run: bool, host: &dyn ReapHost) -> Reaped {
    let mut out = Reaped {
        dir: dir.to_path_buf(),
        in_use_by: None,
        dry_run,
        actions: Vec::new(),
        errors: Vec::new(),
    };
    let lease = match Lease::read(dir) {
        Ok(lease) if lease.dir == dir => lease,
        Ok(lease) => {
            out.errors.push(format!(
                "the lease names another directory ({}); left alone",
                lease.dir.display()
            ));
            return out;
        }
        Err(e) => {
            out.errors.push(format!("{e}; left alone"));
            return out;
        }
    };
    if owner_alive(host.proc_root(), &lease.owner) {
        out.in_use_by = Some(lease.owner.pid);
        return out;
    }
    out.actions
        .push(format!("owner pid {} is gone", lease.owner.pid));
    stop_processes(&lease, dry_run, host, &mut out);
    if !out.errors.is_empty() {
        return out;
    }
    for mount in mounts_under(host.proc_root(), dir) {
        if dry_run {
            out.actions
                .push(format!("would unmount {}", mount.display()));
            continue;
        }
        let done = host
            .umount(&mount, false)
            .map(|()| "unmounted")
            .or_else(|_| {
                host.umount(&mount, true)
                    .map(|()| "unmounted (lazily, it was busy)")
            });
        match done {
            Ok(how) => out.actions.push(format!("{how} {}", mount.display())),
            Err(e) => out.errors.push(format!("umount {}: {e}", mount.display())),
        }
    }
    if !out.errors.is_empty() {
        return out;
    }
    if dry_run {
        out.actions
            .push("would delete the directory and the lease".into());
    } else {
        match remove_sandbox_dir(dir) {
            Ok(()) => out
                .actions
                .push("deleted the directory and the lease".into()),
            Err(e) => out.errors.push(e),
        }
    }
    out
}

/// Deletes a sandbox directory, the lease last, so a failure halfway leaves
/// a lease for the next try.
pub(super) fn remove_sandbox_dir(dir: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if entry.file_name() == LEASE_FILE {
            continue;
        }
        let removed = match entry.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
        removed.map_err(|e| format!("delete {}: {e}", path.display()))?;
    }
    let lease = dir.join(LEASE_FILE);
    match std::fs::remove_file(&lease) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("delete {}: {e}", lease.display())),
    }
    std::fs::remove_dir(dir).map_err(|e| format!("delete {}: {e}", dir.display()))
}

/// TERM, up to 5 s, KILL: only processes proven to be the sandbox's.
/// At an orderly stop: processes of the sandbox still running outside the
/// server's own group (a node started with `rabbitmq-server -detached`, by a
/// fault or the trainee) get `wait` to end by themselves after `rabbitmqctl
/// stop`, then SIGTERM and SIGKILL, with the same proof as the reaper.
/// Returns what was done and what failed.
pub(super) fn stop_stragglers(lease: &Lease, wait: Duration) -> (Vec<String>, Vec<String>) {
    let host = SystemHost;
    let mut waited = Duration::ZERO;
    while waited < wait && !sandbox_pids(host.proc_root(), lease).is_empty() {
        host.sleep(POLL);
        waited += POLL;
    }
    let mut out = Reaped {
        dir: lease.dir.clone(),
        in_use_by: None,
        dry_run: false,
        actions: Vec::new(),
        errors: Vec::new(),
    };
    stop_processes(lease, false, &host, &mut out);
    (out.actions, out.errors)
}

fn stop_processes(lease: &Lease, dry_run: bool, host: &dyn ReapHost, out: &mut Reaped) {
    let proc_root = host.proc_root();
    let pids = sandbox_pids(proc_root, lease);
    if pids.is_empty() {
        return;
    }
    let list = |pids: &[i32]| {
        pids.iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if dry_run {
        out.actions.push(format!(
            "would stop the sandbox's processes: pids {}",
            list(&pids)
        ));
        return;
    }
    let mut left = pids.clone();
    for (signal, grace) in [(libc::SIGTERM, TERM_GRACE), (libc::SIGKILL, KILL_GRACE)] {
        // Proven again right before each signal: a pid that ended may be reused.
        left.retain(|&pid| proven(proc_root, pid, lease));
        for &pid in &left {
            let _ = host.signal(pid, signal);
        }
        let mut waited = Duration::ZERO;
        while !left.is_empty() && waited < grace {
            host.sleep(POLL);
            waited += POLL;
            left.retain(|&pid| running(proc_root, pid));
        }
        if left.is_empty() {
            break;
        }
    }
    out.actions.push(format!(
        "stopped the sandbox's processes: pids {}",
        list(&pids)
    ));
    if !left.is_empty() {
        out.errors
            .push(format!("pids {} did not end after SIGKILL", list(&left)));
    }
}

/// The pids that belong to the sandbox, with proof (see the module docs).
fn sandbox_pids(proc_root: &Path, lease: &Lease) -> Vec<i32> {
    let pid_files: Vec<i32> = lease
        .nodes
        .iter()
        .filter_map(|n| std::fs::read_to_string(n.dir.join("node.pid")).ok())
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let groups: Vec<i32> = lease.nodes.iter().filter_map(|n| n.pgid).collect();
    let me = i32::try_from(std::process::id()).unwrap_or(0);
    let Ok(entries) = std::fs::read_dir(proc_root) else {
        return Vec::new();
    };
    let mut pids: Vec<i32> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| pid != me)
        .filter(|&pid| {
            pid_files.contains(&pid)
                || stat(proc_root, &pid.to_string()).is_some_and(|s| groups.contains(&s.pgrp))
                || is_beam(proc_root, pid)
        })
        .filter(|&pid| proven(proc_root, pid, lease))
        .collect();
    pids.sort_unstable();
    pids
}

/// The ownership proof: not epmd, and the environment names this sandbox's
/// env file.
fn proven(proc_root: &Path, pid: i32, lease: &Lease) -> bool {
    let base = proc_root.join(pid.to_string());
    let comm = std::fs::read_to_string(base.join("comm")).unwrap_or_default();
    if comm.trim() == "epmd" || !running(proc_root, pid) {
        return false;
    }
    let mut environ = Vec::new();
    let read = std::fs::File::open(base.join("environ"))
        .and_then(|f| f.take(MAX_ENVIRON_BYTES).read_to_end(&mut environ));
    if read.is_err() {
        return false;
    }
    let want = format!("RABBITMQ_CONF_ENV_FILE={}/", lease.dir.display());
    environ
        .split(|&b| b == 0)
        .any(|var| var.starts_with(want.as_bytes()))
}

/// An Erlang VM: with the proof, a node of the sandbox started outside its
/// group (`rabbitmq-server -detached` by a fault or the trainee), whose PID
/// file may be gone. A shell that merely exported the sandbox's env file is
/// not one.
fn is_beam(proc_root: &Path, pid: i32) -> bool {
    std::fs::read_to_string(proc_root.join(pid.to_string()).join("comm"))
        .is_ok_and(|c| c.trim() == "beam.smp")
}

/// The process exists and is not a zombie.
fn running(proc_root: &Path, pid: i32) -> bool {
    stat(proc_root, &pid.to_string()).is_some_and(|s| s.state != 'Z')
}

/// Mount points at or under `dir`, deepest first (from `self/mountinfo`).
fn mounts_under(proc_root: &Path, dir: &Path) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(proc_root.join("self/mountinfo")).unwrap_or_default();
    let mut found: Vec<PathBuf> = text
        .lines()
        .filter_map(|line| line.split(' ').nth(4))
        .map(|p| PathBuf::from(unescape_mount(p)))
        .filter(|p| p.starts_with(dir))
        .collect();
    found.sort_by_key(|p| std::cmp::Reverse(p.as_os_str().len()));
    found.dedup();
    found
}

/// mountinfo writes space, tab, newline and backslash as `\ooo`.
fn unescape_mount(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let code = rest
            .get(i + 1..i + 4)
            .and_then(|o| u8::from_str_radix(o, 8).ok());
        match code {
            Some(c) => {
                out.push(char::from(c));
                rest = &rest[i + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
#[path = "reap_tests.rs"]
mod tests;
