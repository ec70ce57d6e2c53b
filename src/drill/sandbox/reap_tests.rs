//! The reaper against fake `/proc` roots: nothing real is signalled.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::super::config::Ports;
use super::super::lease::{Lease, LeaseNode, Owner};
use super::*;

struct Fake {
    proc_root: PathBuf,
    /// Pids that ignore SIGTERM.
    stubborn: Vec<i32>,
    /// The first non-lazy umount fails with EBUSY.
    busy: bool,
    signals: RefCell<Vec<(i32, i32)>>,
    umounts: RefCell<Vec<(PathBuf, bool)>>,
    slept: RefCell<Duration>,
}

impl Fake {
    fn new(proc_root: &Path) -> Fake {
        Fake {
            proc_root: proc_root.to_path_buf(),
            stubborn: Vec::new(),
            busy: false,
            signals: RefCell::default(),
            umounts: RefCell::default(),
            slept: RefCell::default(),
        }
    }
}

impl ReapHost for Fake {
    fn proc_root(&self) -> &Path {
        &self.proc_root
    }
    fn signal(&self, pid: i32, signal: i32) -> std::io::Result<()> {
        self.signals.borrow_mut().push((pid, signal));
        if signal == libc::SIGKILL || !self.stubborn.contains(&pid) {
            std::fs::remove_dir_all(self.proc_root.join(pid.to_string()))?;
        }
        Ok(())
    }
    fn umount(&self, path: &Path, lazy: bool) -> std::io::Result<()> {
        self.umounts.borrow_mut().push((path.to_path_buf(), lazy));
        if self.busy && !lazy {
            return Err(std::io::Error::from_raw_os_error(libc::EBUSY));
        }
        Ok(())
    }
    fn sleep(&self, d: Duration) {
        *self.slept.borrow_mut() += d;
    }
}

fn process(root: &Path, pid: i32, comm: &str, pgrp: i32, start: u64, env: &[&str]) {
    let dir = root.join(pid.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("stat"),
        format!("{pid} ({comm}) S 1 {pgrp} {pgrp} 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 {start} 0 0\n"),
    )
    .unwrap();
    std::fs::write(dir.join("comm"), format!("{comm}\n")).unwrap();
    let mut environ = env.join("\0");
    environ.push('\0');
    std::fs::write(dir.join("environ"), environ).unwrap();
}

struct World {
    _tmp: tempfile::TempDir,
    proc_root: PathBuf,
    state: PathBuf,
    sandbox: PathBuf,
    proof: String,
}

/// A dead sandbox: owner pid 100 gone; node group 500 holds the server shell
/// (501) and the beam (502); 503 is the beam named by the PID_FILE after a
/// restart outside the group.
fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let proc_root = tmp.path().join("proc");
    let state = tmp.path().join("state");
    let sandbox = state.join("2026-12-03T10-00-00Z_abc");
    let node_dir = sandbox.join("n1");
    std::fs::create_dir_all(&node_dir).unwrap();
    std::fs::create_dir_all(proc_root.join("self")).unwrap();
    std::fs::write(node_dir.join("node.pid"), "503\n").unwrap();
    Lease {
        version: 1,
        id: "2026-12-03T10-00-00Z_abc".into(),
        owner: Owner {
            pid: 100,
            start_time: 5000,
        },
        dir: sandbox.clone(),
        nodes: vec![LeaseNode {
            name: "drill-abcdef@localhost".into(),
            ports: Ports {
                amqp: 5673,
                mgmt: 15673,
                prom: 15693,
                dist: 25673,
            },
            dir: node_dir.clone(),
            tmpfs: true,
            pgid: Some(500),
        }],
    }
    .write()
    .unwrap();
    let proof = format!(
        "RABBITMQ_CONF_ENV_FILE={}/rabbitmq-env.conf",
        node_dir.display()
    );
    std::fs::write(
        proc_root.join("self/mountinfo"),
        format!(
            "22 1 0:21 / / rw - overlay overlay rw\n\
             90 22 0:50 / {} rw,relatime - tmpfs tmpfs rw,size=307200k\n",
            node_dir.display()
        ),
    )
    .unwrap();
    World {
        _tmp: tmp,
        proc_root,
        state,
        sandbox,
        proof,
    }
}

#[test]
fn a_live_owner_keeps_its_sandbox() {
    let w = world();
    process(&w.proc_root, 100, "runbook", 100, 5000, &["HOME=/root"]);
    process(&w.proc_root, 502, "beam.smp", 500, 6000, &[&w.proof]);
    let fake = Fake::new(&w.proc_root);
    let reaped = reap_with(&w.state, false, &fake);
    assert_eq!(reaped.len(), 1);
    assert_eq!(reaped[0].in_use_by, Some(100));
    assert!(!reaped[0].removed());
    assert!(fake.signals.borrow().is_empty());
    assert!(w.sandbox.join(LEASE_FILE).exists());
    assert!(reaped[0].to_string().contains("in use by pid 100"));
}

#[test]
fn a_dead_owner_loses_only_what_is_proven_to_be_its_own() {
    let w = world();
    let other = "RABBITMQ_CONF_ENV_FILE=/var/lib/other/rabbitmq-env.conf";
    // The owner pid now belongs to another program (recycled: other start time).
    process(&w.proc_root, 100, "bash", 100, 9999, &["HOME=/root"]);
    process(&w.proc_root, 501, "rabbitmq-server", 500, 6000, &[&w.proof]);
    process(&w.proc_root, 502, "beam.smp", 500, 6000, &["A=1", &w.proof]);
    process(&w.proc_root, 503, "beam.smp", 700, 6100, &[&w.proof]);
    // In the group but without the proof (the environ is someone else's).
    process(&w.proc_root, 504, "sleep", 500, 6000, &[other]);
    // epmd started by the beam inherits its environment: never touched.
    process(&w.proc_root, 505, "epmd", 500, 6000, &[&w.proof]);
    // The proof, but neither in the group nor the PID_FILE (a trainer's shell).
    process(&w.proc_root, 506, "bash", 900, 6000, &[&w.proof]);
    // The live broker.
    process(
        &w.proc_root,
        10,
        "beam.smp",
        10,
        50,
        &["HOME=/var/lib/rabbitmq"],
    );
    let mut fake = Fake::new(&w.proc_root);
    fake.busy = true;
    let reaped = reap_with(&w.state, false, &fake);
    assert_eq!(reaped.len(), 1, "{reaped:?}");
    let r = &reaped[0];
    assert!(r.removed(), "{r}");
    let signalled: Vec<i32> = fake.signals.borrow().iter().map(|s| s.0).collect();
    assert_eq!(signalled, vec![501, 502, 503]);
    assert!(fake.signals.borrow().iter().all(|s| s.1 == libc::SIGTERM));
    for alive in [10, 100, 504, 505, 506] {
        assert!(w.proc_root.join(alive.to_string()).exists(), "pid {alive}");
    }
    let node_dir = w.sandbox.join("n1");
    assert_eq!(
        *fake.umounts.borrow(),
        vec![(node_dir.clone(), false), (node_dir, true)]
    );
    assert!(!w.sandbox.exists());
    let text = r.to_string();
    assert!(text.contains("removed"), "{text}");
    assert!(text.contains("pids 501 502 503"), "{text}");
    assert!(text.contains("lazily"), "{text}");
}

#[test]
fn a_process_that_ignores_term_gets_kill_after_five_seconds() {
    let w = world();
    process(&w.proc_root, 502, "beam.smp", 500, 6000, &[&w.proof]);
    let mut fake = Fake::new(&w.proc_root);
    fake.stubborn = vec![502];
    let reaped = reap_with(&w.state, false, &fake);
    assert!(reaped[0].removed(), "{}", reaped[0]);
    assert_eq!(
        *fake.signals.borrow(),
        vec![(502, libc::SIGTERM), (502, libc::SIGKILL)]
    );
    assert!(*fake.slept.borrow() >= Duration::from_secs(5));
}

#[test]
fn a_dry_run_changes_nothing_and_says_what_it_would_do() {
    let w = world();
    process(&w.proc_root, 502, "beam.smp", 500, 6000, &[&w.proof]);
    let fake = Fake::new(&w.proc_root);
    let reaped = reap_with(&w.state, true, &fake);
    assert!(fake.signals.borrow().is_empty());
    assert!(fake.umounts.borrow().is_empty());
    assert!(w.sandbox.join(LEASE_FILE).exists());
    let text = reaped[0].to_string();
    assert!(text.contains("would remove"), "{text}");
    assert!(
        text.contains("would stop the sandbox's processes: pids 502"),
        "{text}"
    );
    assert!(text.contains("would unmount"), "{text}");
}

#[test]
fn a_failed_umount_keeps_the_directory_and_the_lease() {
    let w = world();
    struct Stuck(Fake);
    impl ReapHost for Stuck {
        fn proc_root(&self) -> &Path {
            self.0.proc_root()
        }
        fn signal(&self, pid: i32, signal: i32) -> std::io::Result<()> {
            self.0.signal(pid, signal)
        }
        fn umount(&self, _: &Path, _: bool) -> std::io::Result<()> {
            Err(std::io::Error::from_raw_os_error(libc::EPERM))
        }
        fn sleep(&self, d: Duration) {
            self.0.sleep(d)
        }
    }
    let stuck = Stuck(Fake::new(&w.proc_root));
    let reaped = reap_with(&w.state, false, &stuck);
    assert!(!reaped[0].removed());
    assert!(reaped[0].to_string().contains("could not remove"));
    assert!(w.sandbox.join(LEASE_FILE).exists());
}

#[test]
fn directories_without_a_lease_and_bad_leases_are_left_alone() {
    let w = world();
    std::fs::create_dir_all(w.state.join("not-a-sandbox")).unwrap();
    std::fs::write(w.sandbox.join(LEASE_FILE), "garbage").unwrap();
    let fake = Fake::new(&w.proc_root);
    let reaped = reap_with(&w.state, false, &fake);
    assert_eq!(reaped.len(), 1);
    assert!(reaped[0].errors[0].contains("not a drill lease"));
    assert!(w.sandbox.exists());
    assert!(w.state.join("not-a-sandbox").exists());
    assert!(reap_with(&w.state.join("missing"), false, &fake).is_empty());
}

#[test]
fn mountinfo_escapes_are_undone() {
    assert_eq!(unescape_mount("/a\\040b\\134c"), "/a b\\c");
    assert_eq!(unescape_mount("/plain"), "/plain");
}
