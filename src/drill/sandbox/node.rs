//! The system side of a sandbox node: the rabbitmq user, the tmpfs, the
//! server process (foreground, in a watchdog-led group, uid switched in the
//! child with no `su`), the readiness probe, `rabbitmqctl` calls and what a
//! failed boot left behind.

use std::ffi::CString;
use std::io::{Read, Seek, SeekFrom, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::exec::SyncGroup;

/// Where the CLI and the server look for programs.
const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Output of one `rabbitmqctl` call kept (the rest is read and dropped).
const MAX_CTL_OUTPUT: usize = 16 * 1024;

/// The account the broker runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// User name.
    pub name: String,
    /// Its uid.
    pub uid: u32,
    /// Its primary gid.
    pub gid: u32,
    /// Its supplementary groups (as `initgroups` would set them).
    pub groups: Vec<u32>,
    /// Its home (holds the Erlang cookie the CLI shares).
    pub home: PathBuf,
}

/// Looks `name` up in the user database.
pub fn account(name: &str) -> Option<Account> {
    let cname = CString::new(name).ok()?;
    let mut pwd: libc::passwd = unsafe_zeroed_passwd();
    let mut buf = vec![0u8; 16 * 1024];
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: all pointers are valid for the call; buf outlives the reads below.
    let rc = unsafe {
        libc::getpwnam_r(
            cname.as_ptr(),
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() {
        return None;
    }
    // SAFETY: pw_dir points into buf, NUL-terminated, set by getpwnam_r.
    let home = unsafe { std::ffi::CStr::from_ptr(pwd.pw_dir) };
    let home = PathBuf::from(std::ffi::OsStr::from_bytes(home.to_bytes()));
    let mut groups = vec![0 as libc::gid_t; 64];
    let mut count = libc::c_int::try_from(groups.len()).unwrap_or(64);
    // SAFETY: groups has room for `count` entries.
    let rc =
        unsafe { libc::getgrouplist(cname.as_ptr(), pwd.pw_gid, groups.as_mut_ptr(), &mut count) };
    groups.truncate(if rc < 0 {
        0
    } else {
        usize::try_from(count).unwrap_or(0)
    });
    if groups.is_empty() {
        groups.push(pwd.pw_gid);
    }
    Some(Account {
        name: name.to_string(),
        uid: pwd.pw_uid,
        gid: pwd.pw_gid,
        groups,
        home,
    })
}

fn unsafe_zeroed_passwd() -> libc::passwd {
    // SAFETY: passwd is plain data (integers and pointers); all-zero is valid.
    unsafe { std::mem::zeroed() }
}

/// The effective uid of this process.
pub fn euid() -> u32 {
    // SAFETY: plain syscall.
    unsafe { libc::geteuid() }
}

/// `chown -R` of `dir` to the account.
pub fn chown_tree(dir: &Path, account: &Account) -> std::io::Result<()> {
    std::os::unix::fs::lchown(dir, Some(account.uid), Some(account.gid))?;
    if dir.is_dir() && !dir.is_symlink() {
        for entry in std::fs::read_dir(dir)? {
            chown_tree(&entry?.path(), account)?;
        }
    }
    Ok(())
}

/// The first directory on the way to `dir` that `account` cannot pass
/// (search permission), if any.
pub fn blocked_ancestor(dir: &Path, account: &Account) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    if account.uid == 0 {
        return None;
    }
    dir.ancestors().find_map(|p| {
        let meta = std::fs::metadata(p).ok()?;
        let mode = meta.mode();
        let passes = if meta.uid() == account.uid {
            mode & 0o100 != 0
        } else if account.groups.contains(&meta.gid()) || meta.gid() == account.gid {
            mode & 0o010 != 0
        } else {
            mode & 0o001 != 0
        };
        (!passes).then(|| p.to_path_buf())
    })
}

/// Mounts a tmpfs of `bytes` on `dir`.
pub fn mount_tmpfs(dir: &Path, bytes: u64) -> std::io::Result<()> {
    let target = CString::new(dir.as_os_str().as_bytes())?;
    let options = CString::new(format!("size={bytes},mode=0750"))?;
    // SAFETY: all strings are NUL-terminated and live across the call.
    let rc = unsafe {
        libc::mount(
            c"tmpfs".as_ptr(),
            target.as_ptr(),
            c"tmpfs".as_ptr(),
            libc::MS_NOSUID | libc::MS_NODEV,
            options.as_ptr().cast(),
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Unmounts `dir`, detached (lazy) when `lazy`.
pub fn umount(dir: &Path, lazy: bool) -> std::io::Result<()> {
    let target = CString::new(dir.as_os_str().as_bytes())?;
    let flags = if lazy { libc::MNT_DETACH } else { 0 };
    // SAFETY: the string is NUL-terminated and lives across the call.
    if unsafe { libc::umount2(target.as_ptr(), flags) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// A command run as `account` (unless we already are it), with a clean
/// environment plus `env`, in process group `pgid`.
fn command_as(program: &Path, account: &Account, env: &[(String, String)], pgid: i32) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env("PATH", PATH)
        .env("LANG", "C.UTF-8")
        .env("USER", &account.name)
        .env("LOGNAME", &account.name)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null());
    let switch = euid() != account.uid;
    let (uid, gid, groups) = (account.uid, account.gid, account.groups.clone());
    // SAFETY: only async-signal-safe syscalls between fork and exec; the group
    // list was built before the fork.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setpgid(0, pgid) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if switch
                && (libc::setgroups(groups.len(), groups.as_ptr()) != 0
                    || libc::setgid(gid) != 0
                    || libc::setuid(uid) != 0)
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd
}

/// A started server: its group, its leader process.
#[derive(Debug)]
pub struct Server {
    /// The watchdog-led group it runs in.
    pub group: SyncGroup,
    /// `rabbitmq-server` (a shell that waits for the beam).
    pub child: Child,
}

/// Starts `server` in the foreground in `group`, its output appended to
/// `console`, working directory `cwd`.
pub fn start_server(
    server: &Path,
    account: &Account,
    env: &[(String, String)],
    group: SyncGroup,
    console: &Path,
    cwd: &Path,
) -> Result<Server, (SyncGroup, std::io::Error)> {
    let out = match std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(console)
        .and_then(|f| Ok((f.try_clone()?, f)))
    {
        Ok(out) => out,
        Err(e) => return Err((group, e)),
    };
    let mut cmd = command_as(server, account, env, group.pgid());
    cmd.current_dir(cwd)
        .stdout(Stdio::from(out.0))
        .stderr(Stdio::from(out.1));
    match cmd.spawn() {
        Ok(child) => Ok(Server { group, child }),
        Err(e) => Err((group, e)),
    }
}

/// What the readiness probe saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// The AMQP port accepts and the management API answers.
    Ready,
    /// Not yet.
    Waiting,
}

/// One readiness probe: AMQP port open, then `GET /api/health/checks/alarms`
/// answered with any HTTP status (no credentials needed for that).
pub fn probe(amqp: u16, mgmt: u16) -> Probe {
    let timeout = Duration::from_millis(300);
    let addr = |port| SocketAddr::from(([127, 0, 0, 1], port));
    if TcpStream::connect_timeout(&addr(amqp), timeout).is_err() {
        return Probe::Waiting;
    }
    let answered = TcpStream::connect_timeout(&addr(mgmt), timeout).and_then(|mut s| {
        s.set_read_timeout(Some(timeout))?;
        s.set_write_timeout(Some(timeout))?;
        s.write_all(
            b"GET /api/health/checks/alarms HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        )?;
        let mut head = [0u8; 12];
        s.read_exact(&mut head)?;
        Ok(head.starts_with(b"HTTP/1.") && head[9..12].iter().all(u8::is_ascii_digit))
    });
    if answered.unwrap_or(false) {
        Probe::Ready
    } else {
        Probe::Waiting
    }
}

/// How a `rabbitmqctl` call ended.
#[derive(Debug)]
pub struct CtlOutcome {
    /// Exit status (`None` when killed on timeout or not started).
    pub code: Option<i32>,
    /// stdout and stderr together, bounded.
    pub output: String,
}

impl CtlOutcome {
    /// Exit status 0.
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }
}

/// Runs `ctl args…` as the account with the node's environment, in its own
/// watchdog-led group (so it dies with us), killed after `timeout`.
pub fn ctl(
    ctl: &Path,
    account: &Account,
    env: &[(String, String)],
    args: &[&str],
    timeout: Duration,
) -> CtlOutcome {
    let failed = |output: String| CtlOutcome { code: None, output };
    let group = match SyncGroup::start() {
        Ok(g) => g,
        Err(e) => return failed(format!("cannot start a process group: {e}")),
    };
    let (reader, writer) = match std::io::pipe().and_then(|(r, w)| Ok((r, w.try_clone()?, w))) {
        Ok((r, w1, w2)) => (r, (w1, w2)),
        Err(e) => {
            group.end();
            return failed(format!("cannot make a pipe: {e}"));
        }
    };
    let mut cmd = command_as(ctl, account, env, group.pgid());
    cmd.args(args)
        .current_dir("/")
        .stdout(Stdio::from(writer.0))
        .stderr(Stdio::from(writer.1));
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            group.end();
            return failed(format!("cannot run {}: {e}", ctl.display()));
        }
    };
    // `cmd` holds the write ends until dropped; the reader needs EOF.
    drop(cmd);
    let (sent, collected) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 4096];
        let mut reader = reader;
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let room = MAX_CTL_OUTPUT.saturating_sub(kept.len());
            kept.extend_from_slice(&buf[..n.min(room)]);
        }
        let _ = sent.send(String::from_utf8_lossy(&kept).into_owned());
    });
    let deadline = Instant::now() + timeout;
    let code = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.code(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                group.signal(libc::SIGKILL);
                let _ = child.wait();
                break None;
            }
        }
    };
    // Kills whatever the call left in its group, so the pipe reaches EOF.
    group.end();
    // A process that escaped the group may hold the pipe: do not wait for it.
    let mut output = collected
        .recv_timeout(Duration::from_secs(2))
        .unwrap_or_else(|_| "(output incomplete: a process still holds the pipe)".into());
    if code.is_none() {
        output.push_str(&format!("\n(killed after {} s)", timeout.as_secs()));
    }
    CtlOutcome { code, output }
}

/// The `Slogan:` line of an Erlang crash dump, if there is one.
pub fn crash_slogan(dump: &Path) -> Option<String> {
    let mut head = String::new();
    std::fs::File::open(dump)
        .ok()?
        .take(64 * 1024)
        .read_to_string(&mut head)
        .ok()?;
    head.lines()
        .find_map(|l| l.strip_prefix("Slogan: "))
        .map(|s| crate::text::one_line(&truncate(s, 600)).into_owned())
}

/// The last `lines` lines of `path` (from its last 8 KiB), sanitised.
pub fn tail(path: &Path, lines: usize) -> String {
    let Ok(mut file) = std::fs::File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map_or(0, |m| m.len());
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(8 * 1024)));
    let mut bytes = Vec::new();
    let _ = file.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let all: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let kept = all[all.len().saturating_sub(lines)..].join("\n");
    crate::text::for_terminal(&kept).into_owned()
}

/// The first `lines` `[error]` lines of `path` (from its first 64 KiB),
/// sanitised: a failed boot says why first, then dumps reports.
pub fn first_errors(path: &Path, lines: usize) -> String {
    let mut head = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(64 * 1024).read_to_end(&mut head);
    }
    let text = String::from_utf8_lossy(&head);
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("[error]") && !l.trim_end().ends_with('>'))
        .take(lines)
        .collect();
    crate::text::for_terminal(&kept.join("\n")).into_owned()
}

/// `s` cut to `max` characters, with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
