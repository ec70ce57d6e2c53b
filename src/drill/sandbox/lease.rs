//! The lease: `drill.lease.json` in the sandbox directory, written (with
//! fsync) before anything is mounted or started, rewritten as the sandbox
//! grows. It names the owner process (pid and start time, so a recycled pid
//! is not taken for the owner) and everything the reaper must undo.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::config::Ports;

/// File name of the lease inside the sandbox directory.
pub const LEASE_FILE: &str = "drill.lease.json";

/// A lease is small; a bigger file is not one of ours.
const MAX_LEASE_BYTES: u64 = 64 * 1024;

/// The process that holds a sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// Its pid.
    pub pid: u32,
    /// Its start time (clock ticks after boot, field 22 of `/proc/PID/stat`).
    pub start_time: u64,
}

/// One node as the reaper needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseNode {
    /// Erlang node name.
    pub name: String,
    /// Its ports.
    pub ports: Ports,
    /// Its directory (`RABBITMQ_CONF_ENV_FILE` is `<dir>/rabbitmq-env.conf`).
    pub dir: PathBuf,
    /// A tmpfs is (or is about to be) mounted on `dir`.
    pub tmpfs: bool,
    /// Process group the server runs in, once started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pgid: Option<i32>,
}

/// The lease file's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// Format version (1).
    pub version: u32,
    /// The incident id that names the sandbox.
    pub id: String,
    /// Who holds it.
    pub owner: Owner,
    /// The sandbox directory (the lease's own directory).
    pub dir: PathBuf,
    /// Its nodes.
    pub nodes: Vec<LeaseNode>,
}

impl Lease {
    /// Writes the lease durably: a temporary file, fsync, rename over the
    /// lease, fsync of the directory.
    pub fn write(&self) -> std::io::Result<()> {
        let path = self.dir.join(LEASE_FILE);
        let tmp = self.dir.join(format!("{LEASE_FILE}.tmp"));
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(&json)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(&self.dir)?.sync_all()
    }

    /// Reads the lease in `dir`.
    pub fn read(dir: &Path) -> Result<Lease, String> {
        let path = dir.join(LEASE_FILE);
        let file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut text = String::new();
        file.take(MAX_LEASE_BYTES)
            .read_to_string(&mut text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a drill lease: {e}", path.display()))
    }
}

/// Fields of `/proc/PID/stat` the sandbox reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    /// One-letter state (`Z` for a zombie).
    pub state: char,
    /// Process group.
    pub pgrp: i32,
    /// Start time, clock ticks after boot.
    pub start_time: u64,
}

/// Parses `/proc/PID/stat` of `pid` under `proc_root` (the command name may
/// hold spaces and parentheses: fields are counted after the last `)`).
pub fn stat(proc_root: &Path, pid: &str) -> Option<Stat> {
    let text = std::fs::read_to_string(proc_root.join(pid).join("stat")).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state is field 3, pgrp 5, starttime 22.
    Some(Stat {
        state: fields.first()?.chars().next()?,
        pgrp: fields.get(2)?.parse().ok()?,
        start_time: fields.get(19)?.parse().ok()?,
    })
}

/// The owner record of this process.
pub fn this_process(proc_root: &Path) -> Owner {
    let pid = std::process::id();
    Owner {
        pid,
        start_time: stat(proc_root, &pid.to_string()).map_or(0, |s| s.start_time),
    }
}

/// True when `owner` still runs: its pid exists, is not a zombie, and
/// started when the lease says.
pub fn owner_alive(proc_root: &Path, owner: &Owner) -> bool {
    stat(proc_root, &owner.pid.to_string())
        .is_some_and(|s| s.state != 'Z' && s.start_time == owner.start_time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat_line(pid: u32, name: &str, state: char, pgrp: i32, start: u64) -> String {
        format!(
            "{pid} ({name}) {state} 1 {pgrp} {pgrp} 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 {start} 1000 200 18446744073709551615\n"
        )
    }

    #[test]
    fn stat_reads_state_group_and_start_time_past_odd_names() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("42")).unwrap();
        std::fs::write(
            root.path().join("42/stat"),
            stat_line(42, "a) (b", 'S', 40, 987654),
        )
        .unwrap();
        assert_eq!(
            stat(root.path(), "42"),
            Some(Stat {
                state: 'S',
                pgrp: 40,
                start_time: 987654
            })
        );
        assert!(owner_alive(
            root.path(),
            &Owner {
                pid: 42,
                start_time: 987654
            }
        ));
        // A recycled pid (other start time) or a missing one is not the owner.
        assert!(!owner_alive(
            root.path(),
            &Owner {
                pid: 42,
                start_time: 1
            }
        ));
        assert!(!owner_alive(
            root.path(),
            &Owner {
                pid: 43,
                start_time: 987654
            }
        ));
    }

    #[test]
    fn this_process_matches_the_real_proc() {
        let me = this_process(Path::new("/proc"));
        assert_eq!(me.pid, std::process::id());
        assert!(me.start_time > 0);
        assert!(owner_alive(Path::new("/proc"), &me));
    }

    #[test]
    fn lease_round_trips_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let lease = Lease {
            version: 1,
            id: "x".into(),
            owner: Owner {
                pid: 1,
                start_time: 2,
            },
            dir: dir.path().to_path_buf(),
            nodes: vec![LeaseNode {
                name: "drill-abcdef@localhost".into(),
                ports: Ports {
                    amqp: 1,
                    mgmt: 2,
                    prom: 3,
                    dist: 4,
                },
                dir: dir.path().join("n1"),
                tmpfs: true,
                pgid: Some(77),
            }],
        };
        lease.write().unwrap();
        assert_eq!(Lease::read(dir.path()).unwrap(), lease);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        std::fs::write(dir.path().join(LEASE_FILE), "{}").unwrap();
        assert!(
            Lease::read(dir.path())
                .unwrap_err()
                .contains("not a drill lease")
        );
    }
}
