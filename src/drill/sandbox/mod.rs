//! The throwaway RabbitMQ a drill runs against (DRILLS.md B1, B2, B5, C3, C5).
//!
//! One directory per drill under the state dir, named by the incident id:
//! `drill.lease.json` (written first, with fsync), `backup/`, and one
//! directory per node (`n1/`, `n2/`; a tmpfs when the scenario sets a disk
//! size and mounting works) holding its `rabbitmq.conf`, `enabled_plugins`,
//! `rabbitmq-env.conf`, data and logs. Each node runs
//! `/usr/lib/rabbitmq/bin/rabbitmq-server` in the foreground as the rabbitmq
//! user, in a process group led by the exec watchdog: if this program dies,
//! even by kill -9, the group is SIGKILLed. What is left on disk is the
//! reaper's ([`reap`]).

mod config;
mod lease;
mod node;
mod reap;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::drill::BrokerSpec;
use crate::exec::SyncGroup;
use crate::incident::DrillNode;

pub use config::{Ports, choose_ports, loopback_port_free};
pub use lease::{LEASE_FILE, Lease, LeaseNode, Owner};
pub use reap::{ReapHost, Reaped, SystemHost, reap, reap_with};

use config::NodeFiles;
use node::{Account, Probe, Server};

/// How long a node gets to boot.
pub const BOOT_TIMEOUT: Duration = Duration::from_secs(60);
/// How often readiness is probed.
const PROBE_EVERY: Duration = Duration::from_millis(100);
/// Limit of one `rabbitmqctl` call.
const CTL_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the server gets to exit after `rabbitmqctl stop`, and after SIGTERM.
const EXIT_GRACE: Duration = Duration::from_secs(10);
const TERM_GRACE: Duration = Duration::from_secs(5);

/// What the sandbox is made of.
#[derive(Debug, Clone)]
pub struct SandboxSpec<'a> {
    /// The scenario's broker.
    pub broker: &'a BrokerSpec,
    /// The incident id: names the sandbox directory.
    pub id: String,
}

/// Where a start is, for a progress view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Reaping, checking, writing files, mounting.
    Preparing,
    /// Node `node` (0-based) is booting, `elapsed` since its start.
    Booting {
        /// Node index.
        node: usize,
        /// Since the node was started.
        elapsed: Duration,
    },
    /// The second node is joining the first.
    Joining,
    /// Everything answers; `elapsed` since the start was called.
    Ready {
        /// Since `start` was called.
        elapsed: Duration,
    },
}

/// What `stop` did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cleanup {
    /// Everything is gone.
    pub ok: bool,
    /// What was removed, one line each.
    pub removed: Vec<String>,
    /// What failed (the reaper retries what is left).
    pub errors: Vec<String>,
}

/// Why a sandbox could not start. Nothing is left running or on disk after
/// any of these (the start undoes what it did).
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Neither root nor the broker's user.
    #[error(
        "a drill starts its own RabbitMQ node and needs root (or the `{user}` user); this runs as uid {euid}. Run it with sudo"
    )]
    NotRoot {
        /// Effective uid.
        euid: u32,
        /// The broker's user.
        user: String,
    },
    /// No broker user.
    #[error(
        "no `{user}` user on this system: is RabbitMQ installed (Debian: apt install rabbitmq-server)?"
    )]
    NoUser {
        /// The user looked for.
        user: String,
    },
    /// A RabbitMQ program is missing.
    #[error("RabbitMQ is not installed: {} not found or not executable (Debian: apt install rabbitmq-server)", .path.display())]
    NotInstalled {
        /// The program looked for.
        path: PathBuf,
    },
    /// The id cannot name a directory.
    #[error(
        "sandbox id {id:?} cannot name a directory: use letters, digits, `.`, `_`, `-` (not starting with `.`)"
    )]
    BadId {
        /// The id.
        id: String,
    },
    /// The state directory holds characters the generated files cannot.
    #[error("drill directory {} has characters the broker's config files cannot hold (space, quote, `$` …): set RUNBOOK_DRILL_DIR to a plain path", .dir.display())]
    OddPath {
        /// The directory.
        dir: PathBuf,
    },
    /// The broker's user cannot reach the state directory.
    #[error("the `{user}` user cannot reach the drill directory {}: {} does not let it pass. Set RUNBOOK_DRILL_DIR (or XDG_STATE_HOME) to a directory it can reach, e.g. /var/lib/runbook/drills", .dir.display(), .blocked.display())]
    Unreachable {
        /// The broker's user.
        user: String,
        /// The state directory.
        dir: PathBuf,
        /// The ancestor without search permission for it.
        blocked: PathBuf,
    },
    /// The sandbox directory exists already.
    #[error("sandbox {} exists already (another drill with the same id?); `runbook drill cleanup` removes dead ones", .dir.display())]
    Exists {
        /// The directory.
        dir: PathBuf,
    },
    /// No free set of loopback ports.
    #[error(
        "no free ports on 127.0.0.1 for {nodes} sandbox node(s): tried AMQP 5673–6671 with management, Prometheus and distribution ports at the same offset"
    )]
    NoFreePorts {
        /// Nodes asked for.
        nodes: usize,
    },
    /// A file or directory operation failed.
    #[error("cannot {what} {}: {source}", .path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// On what.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The node did not come up.
    #[error("{}", boot_failure(node, why, slogan.as_deref(), log_tail, dir))]
    BootFailed {
        /// Node name.
        node: String,
        /// What was seen (exited, or no answer in time).
        why: String,
        /// The crash dump's slogan, if a dump was written.
        slogan: Option<String>,
        /// The last lines of the server's console and log, sanitised.
        log_tail: String,
        /// The node's directory (gone by the time this is read).
        dir: PathBuf,
    },
    /// A `rabbitmqctl` step failed.
    #[error("`{command}` on sandbox node {node} failed: {detail}")]
    Ctl {
        /// Node name.
        node: String,
        /// The CLI command.
        command: String,
        /// Its exit and output, sanitised, one line.
        detail: String,
    },
}

fn boot_failure(node: &str, why: &str, slogan: Option<&str>, tail: &str, dir: &Path) -> String {
    let mut msg = format!("sandbox node {node} did not boot: {why}");
    match slogan {
        Some(s) => msg.push_str(&format!("\ncrash dump slogan: {s}")),
        None => msg.push_str("\nno crash dump was written"),
    }
    if !tail.is_empty() {
        msg.push_str(&format!(
            "\nits first errors and last lines (from {}, now removed):\n{tail}",
            dir.join("log").display()
        ));
    }
    msg
}

/// What `start` checks and uses; a parameter so tests can reach every
/// refusal without changing the machine.
#[derive(Debug, Clone)]
pub struct Preflight {
    /// The effective uid to judge (root, or the broker's user, may start).
    pub euid: u32,
    /// The broker's user.
    pub user: String,
    /// The server script, run in the foreground.
    pub server: PathBuf,
    /// The CLI script (run directly as the broker's user, no `su`).
    pub ctl: PathBuf,
    /// `rabbitmq-diagnostics` (for `check_running`), run like `ctl`.
    pub diagnostics: PathBuf,
    /// Port test.
    pub port_free: fn(u16) -> bool,
    /// How long a node gets to boot.
    pub boot_timeout: Duration,
    /// Where `/proc` is (owner start time).
    pub proc_root: PathBuf,
}

impl Preflight {
    /// This machine as it is.
    pub fn system() -> Preflight {
        Preflight {
            euid: node::euid(),
            user: "rabbitmq".into(),
            server: PathBuf::from("/usr/lib/rabbitmq/bin/rabbitmq-server"),
            ctl: PathBuf::from("/usr/lib/rabbitmq/bin/rabbitmqctl"),
            diagnostics: PathBuf::from("/usr/lib/rabbitmq/bin/rabbitmq-diagnostics"),
            port_free: loopback_port_free,
            boot_timeout: BOOT_TIMEOUT,
            proc_root: PathBuf::from("/proc"),
        }
    }
}

/// One node of a sandbox.
#[derive(Debug)]
struct SandboxNode {
    name: String,
    ports: Ports,
    files: NodeFiles,
    tmpfs: bool,
    server: Option<Server>,
    /// When its server was started.
    launched: Option<Instant>,
}

impl SandboxNode {
    fn env(&self, account: &Account) -> Vec<(String, String)> {
        let path = |p: PathBuf| p.display().to_string();
        vec![
            ("RABBITMQ_CONF_ENV_FILE".into(), path(self.files.env_file())),
            ("RABBITMQ_NODENAME".into(), self.name.clone()),
            ("HOME".into(), path(account.home.clone())),
            ("ERL_CRASH_DUMP".into(), path(self.files.crash_dump())),
        ]
    }
}

/// A running sandbox. Dropped without [`Sandbox::stop`] or [`Sandbox::keep`],
/// it is killed and removed at once.
#[derive(Debug)]
pub struct Sandbox {
    dir: PathBuf,
    lease: Lease,
    account: Account,
    ctl: PathBuf,
    diagnostics: PathBuf,
    nodes: Vec<SandboxNode>,
    reaped: Vec<Reaped>,
    /// Stopped or kept: nothing left for `Drop`.
    finished: bool,
}

/// The drills state directory: `RUNBOOK_DRILL_DIR`, else
/// `$XDG_STATE_HOME/runbook/drills`, else for root `/var/lib/runbook/drills`
/// (root's home is closed to the rabbitmq user the broker runs as), else
/// `~/.local/state/runbook/drills`.
pub fn default_state_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RUNBOOK_DRILL_DIR").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(state) = crate::xdg::state_dir_from_env() {
        return state.join("drills");
    }
    if node::euid() == 0 {
        return PathBuf::from("/var/lib/runbook/drills");
    }
    match crate::xdg::state_dir() {
        Some(state) => state.join("drills"),
        None => PathBuf::from("runbook-drills"),
    }
}

impl Sandbox {
    /// Starts a sandbox (blocking: call it on a thread). Reaps dead
    /// sandboxes first.
    pub fn start(
        state_dir: &Path,
        spec: &SandboxSpec,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Sandbox, SandboxError> {
        Sandbox::start_with(state_dir, spec, progress, &Preflight::system())
    }

    /// [`Sandbox::start`] with the checks and programs of `pre`.
    pub fn start_with(
        state_dir: &Path,
        spec: &SandboxSpec,
        progress: &mut dyn FnMut(Progress),
        pre: &Preflight,
    ) -> Result<Sandbox, SandboxError> {
        let started = Instant::now();
        progress(Progress::Preparing);
        let account = node::account(&pre.user).ok_or_else(|| SandboxError::NoUser {
            user: pre.user.clone(),
        })?;
        if pre.euid != 0 && pre.euid != account.uid {
            return Err(SandboxError::NotRoot {
                euid: pre.euid,
                user: pre.user.clone(),
            });
        }
        for program in [&pre.server, &pre.ctl, &pre.diagnostics] {
            if !is_executable(program) {
                return Err(SandboxError::NotInstalled {
                    path: program.clone(),
                });
            }
        }
        if !valid_id(&spec.id) {
            return Err(SandboxError::BadId {
                id: spec.id.clone(),
            });
        }
        if !config::plain_path(state_dir) {
            return Err(SandboxError::OddPath {
                dir: state_dir.to_path_buf(),
            });
        }
        let reaped = reap(state_dir, false);
        std::fs::create_dir_all(state_dir).map_err(io("create", state_dir))?;
        if let Some(blocked) = node::blocked_ancestor(state_dir, &account) {
            return Err(SandboxError::Unreachable {
                user: account.name.clone(),
                dir: state_dir.to_path_buf(),
                blocked,
            });
        }
        let nodes = usize::from(spec.broker.nodes.max(1));
        let all_ports = choose_ports(nodes, random_u16(), &pre.port_free)
            .ok_or(SandboxError::NoFreePorts { nodes })?;
        let dir = state_dir.join(&spec.id);
        match std::fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(SandboxError::Exists { dir });
            }
            Err(e) => return Err(io("create", &dir)(e)),
        }
        let hex = random_hex();
        let tmpfs = spec.broker.disk_bytes.is_some() && pre.euid == 0;
        let sandbox_nodes: Vec<SandboxNode> = all_ports
            .into_iter()
            .enumerate()
            .map(|(i, ports)| SandboxNode {
                name: config::node_name(&hex, i),
                ports,
                files: NodeFiles {
                    dir: dir.join(format!("n{}", i + 1)),
                },
                tmpfs,
                server: None,
                launched: None,
            })
            .collect();
        let mut sandbox = Sandbox {
            lease: Lease {
                version: 1,
                id: spec.id.clone(),
                owner: lease::this_process(&pre.proc_root),
                dir: dir.clone(),
                nodes: Vec::new(),
            },
            dir,
            account,
            ctl: pre.ctl.clone(),
            diagnostics: pre.diagnostics.clone(),
            nodes: sandbox_nodes,
            reaped,
            finished: false,
        };
        // From here on, an error drops `sandbox`, which undoes everything.
        sandbox.write_lease()?;
        sandbox.prepare(spec.broker)?;
        for i in 0..sandbox.nodes.len() {
            sandbox.launch(i, &pre.server)?;
        }
        for i in 0..sandbox.nodes.len() {
            sandbox.wait_ready(i, pre.boot_timeout, progress)?;
        }
        if sandbox.nodes.len() > 1 {
            progress(Progress::Joining);
            sandbox.join_cluster()?;
        }
        progress(Progress::Ready {
            elapsed: started.elapsed(),
        });
        Ok(sandbox)
    }

    fn write_lease(&mut self) -> Result<(), SandboxError> {
        self.lease.nodes = self
            .nodes
            .iter()
            .map(|n| LeaseNode {
                name: n.name.clone(),
                ports: n.ports,
                dir: n.files.dir.clone(),
                tmpfs: n.tmpfs,
                pgid: n.server.as_ref().map(|s| s.group.pgid()),
            })
            .collect();
        let path = self.dir.join(LEASE_FILE);
        self.lease.write().map_err(io("write the lease", &path))
    }

    /// Node directories (tmpfs when asked and allowed), files, ownership.
    fn prepare(&mut self, broker: &BrokerSpec) -> Result<(), SandboxError> {
        let backup = self.dir.join("backup");
        std::fs::create_dir(&backup).map_err(io("create", &backup))?;
        let mut mounts_changed = false;
        for n in &mut self.nodes {
            let dir = &n.files.dir;
            std::fs::create_dir(dir).map_err(io("create", dir))?;
            if let (true, Some(bytes)) = (n.tmpfs, broker.disk_bytes)
                && node::mount_tmpfs(dir, bytes).is_err()
            {
                // Not allowed here (a container without CAP_SYS_ADMIN): a plain dir.
                n.tmpfs = false;
                mounts_changed = true;
            }
            for sub in [n.files.data(), n.files.log()] {
                std::fs::create_dir(&sub).map_err(io("create", &sub))?;
            }
            let definitions = broker.definitions.as_ref().map(|_| n.files.definitions());
            let mut files = vec![
                (
                    n.files.config(),
                    config::rabbitmq_conf(&n.ports, definitions.as_deref(), &broker.config),
                ),
                (n.files.plugins(), config::enabled_plugins(&broker.plugins)),
                (
                    n.files.env_file(),
                    config::env_conf(&n.files, &n.name, &n.ports),
                ),
            ];
            if let (Some(path), Some(json)) = (definitions, &broker.definitions) {
                files.push((path, json.clone()));
            }
            for (path, text) in files {
                std::fs::write(&path, text).map_err(io("write", &path))?;
            }
            node::chown_tree(dir, &self.account).map_err(io("chown", dir))?;
        }
        node::chown_tree(&backup, &self.account).map_err(io("chown", &backup))?;
        if mounts_changed {
            self.write_lease()?;
        }
        Ok(())
    }

    /// Starts node `i`'s server in a new watchdog-led group; the lease gets
    /// the group before the server starts.
    fn launch(&mut self, i: usize, server: &Path) -> Result<(), SandboxError> {
        let group = SyncGroup::start().map_err(io("start a process group for", server))?;
        let pgid = group.pgid();
        if let Some(n) = self.lease.nodes.get_mut(i) {
            n.pgid = Some(pgid);
        }
        let lease_path = self.dir.join(LEASE_FILE);
        if let Err(e) = self.lease.write() {
            group.end();
            return Err(io("write the lease", &lease_path)(e));
        }
        let Some(n) = self.nodes.get_mut(i) else {
            group.end();
            return Ok(());
        };
        let env = vec![
            (
                "RABBITMQ_CONF_ENV_FILE".to_string(),
                n.files.env_file().display().to_string(),
            ),
            ("HOME".to_string(), self.account.home.display().to_string()),
        ];
        match node::start_server(
            server,
            &self.account,
            &env,
            group,
            &n.files.console(),
            &n.files.dir,
        ) {
            Ok(s) => {
                n.server = Some(s);
                n.launched = Some(Instant::now());
                Ok(())
            }
            Err((group, e)) => {
                group.end();
                Err(io("start", server)(e))
            }
        }
    }

    fn wait_ready(
        &mut self,
        i: usize,
        timeout: Duration,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(), SandboxError> {
        loop {
            let Some(n) = self.nodes.get_mut(i) else {
                return Ok(());
            };
            let elapsed = n.launched.map_or(Duration::ZERO, |t| t.elapsed());
            let exited = match n.server.as_mut().map(|s| s.child.try_wait()) {
                Some(Ok(Some(status))) => Some(format!("the server exited during boot ({status})")),
                Some(Err(e)) => Some(format!("cannot watch the server: {e}")),
                None => Some("the server is not running".into()),
                Some(Ok(None)) => None,
            };
            if let Some(why) = exited {
                return Err(self.boot_failed(i, why));
            }
            if node::probe(n.ports.amqp, n.ports.mgmt) == Probe::Ready {
                break;
            }
            if elapsed >= timeout {
                let why = format!(
                    "no answer on AMQP port {} and management port {} within {} s",
                    n.ports.amqp,
                    n.ports.mgmt,
                    timeout.as_secs()
                );
                return Err(self.boot_failed(i, why));
            }
            progress(Progress::Booting { node: i, elapsed });
            std::thread::sleep(PROBE_EVERY);
        }
        self.ctl_step(&self.diagnostics, i, &["check_running"])
    }

    fn boot_failed(&self, i: usize, why: String) -> SandboxError {
        let Some(n) = self.nodes.get(i) else {
            return SandboxError::BootFailed {
                node: String::new(),
                why,
                slogan: None,
                log_tail: String::new(),
                dir: self.dir.clone(),
            };
        };
        let first = node::first_errors(&n.files.console(), 8);
        let console = node::tail(&n.files.console(), 4);
        let log = node::tail(&n.files.log().join(format!("{}.log", n.name)), 4);
        let log_tail = [first, console, log]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        SandboxError::BootFailed {
            node: n.name.clone(),
            why,
            slogan: node::crash_slogan(&n.files.crash_dump()),
            log_tail,
            dir: n.files.dir.clone(),
        }
    }

    fn ctl_step(&self, program: &Path, i: usize, args: &[&str]) -> Result<(), SandboxError> {
        let out = node::ctl(program, &self.account, &self.env(i), args, CTL_TIMEOUT);
        if out.ok() {
            return Ok(());
        }
        let status = out
            .code
            .map_or("killed".to_string(), |c| format!("exit {c}"));
        Err(SandboxError::Ctl {
            node: self
                .nodes
                .get(i)
                .map(|n| n.name.clone())
                .unwrap_or_default(),
            command: args.join(" "),
            detail: format!("{status}: {}", crate::text::one_line(out.output.trim())),
        })
    }

    /// Node 2 joins node 1 (stop_app, reset, join_cluster, start_app).
    fn join_cluster(&self) -> Result<(), SandboxError> {
        let first = self
            .nodes
            .first()
            .map(|n| n.name.clone())
            .unwrap_or_default();
        for i in 1..self.nodes.len() {
            for args in [
                vec!["stop_app"],
                vec!["reset"],
                vec!["join_cluster", first.as_str()],
                vec!["start_app"],
            ] {
                self.ctl_step(&self.ctl, i, &args)?;
            }
        }
        Ok(())
    }

    /// The environment that points the RabbitMQ CLI at node `node` (0-based):
    /// `RABBITMQ_CONF_ENV_FILE`, `RABBITMQ_NODENAME`, `HOME` (the cookie),
    /// `ERL_CRASH_DUMP`. Empty for a node that does not exist.
    pub fn env(&self, node: usize) -> Vec<(String, String)> {
        self.nodes
            .get(node)
            .map(|n| n.env(&self.account))
            .unwrap_or_default()
    }

    /// Runbook variables for the sandbox: `host`, `amqp_port`, `mgmt_port`,
    /// `mgmt_url`, `prom_port`, `dist_port`, `node`, `log_dir`, `data_dir`,
    /// `backup_dir`, `config_dir`, `config_file`; `node2_…` for the second node.
    pub fn vars(&self) -> BTreeMap<String, String> {
        let mut vars = BTreeMap::new();
        let path = |p: &Path| p.display().to_string();
        vars.insert("host".into(), "127.0.0.1".into());
        vars.insert("backup_dir".into(), path(&self.dir.join("backup")));
        for (i, n) in self.nodes.iter().enumerate() {
            let prefix = if i == 0 {
                String::new()
            } else {
                format!("node{}_", i + 1)
            };
            let mut put = |k: &str, v: String| {
                vars.insert(format!("{prefix}{k}"), v);
            };
            put("amqp_port", n.ports.amqp.to_string());
            put("mgmt_port", n.ports.mgmt.to_string());
            put("mgmt_url", format!("http://127.0.0.1:{}", n.ports.mgmt));
            put("prom_port", n.ports.prom.to_string());
            put("dist_port", n.ports.dist.to_string());
            put("node", n.name.clone());
            put("log_dir", path(&n.files.log()));
            put("data_dir", path(&n.files.data()));
            put("config_dir", path(&n.files.dir));
            put("config_file", path(&n.files.config()));
        }
        vars
    }

    /// The nodes, for the journal.
    pub fn nodes(&self) -> Vec<DrillNode> {
        self.nodes
            .iter()
            .map(|n| DrillNode {
                name: n.name.clone(),
                amqp: n.ports.amqp,
                mgmt: n.ports.mgmt,
                prom: n.ports.prom,
                dist: n.ports.dist,
            })
            .collect()
    }

    /// The sandbox directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// True when node `node`'s directory is a tmpfs of the scenario's size
    /// (false: a plain directory, mounting was not allowed).
    pub fn tmpfs(&self, node: usize) -> bool {
        self.nodes.get(node).is_some_and(|n| n.tmpfs)
    }

    /// What the reaper found before this sandbox started.
    pub fn reaped(&self) -> &[Reaped] {
        &self.reaped
    }

    /// The beam's OS pid of node `node` (from its PID_FILE), to tell a
    /// restart from a fix.
    /// The PID file node `node` writes (read by the fix detector to tell a
    /// restart).
    pub fn pid_file(&self, node: usize) -> Option<PathBuf> {
        self.nodes.get(node).map(|n| n.files.pid_file())
    }

    /// The OS pid of node `node`'s Erlang VM, from its PID file.
    pub fn node_os_pid(&self, node: usize) -> Option<u32> {
        let n = self.nodes.get(node)?;
        std::fs::read_to_string(n.files.pid_file())
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// Stops every node (`rabbitmqctl stop`, else SIGTERM then SIGKILL of its
    /// group), unmounts, deletes the directory, the lease last.
    pub fn stop(mut self) -> Cleanup {
        self.teardown(true)
    }

    /// Leaves the sandbox running after this program ends (`--keep-sandbox`):
    /// the watchdogs are disarmed; the lease stays, so `runbook drill cleanup`
    /// (or the next drill) removes it once this program is gone.
    pub fn keep(mut self) -> PathBuf {
        for n in &mut self.nodes {
            if let Some(server) = n.server.take() {
                server.group.disarm();
            }
        }
        self.finished = true;
        self.dir.clone()
    }

    fn teardown(&mut self, orderly: bool) -> Cleanup {
        let mut out = Cleanup::default();
        for i in (0..self.nodes.len()).rev() {
            let env = self.env(i);
            let Some(n) = self.nodes.get_mut(i) else {
                continue;
            };
            let Some(mut server) = n.server.take() else {
                continue;
            };
            let mut how = "killed";
            if orderly {
                let stopped =
                    node::ctl(&self.ctl, &self.account, &env, &["stop"], CTL_TIMEOUT).ok();
                if stopped && exited_within(&mut server, EXIT_GRACE) {
                    how = "stopped";
                } else {
                    server.group.signal(libc::SIGTERM);
                    how = if exited_within(&mut server, TERM_GRACE) {
                        "stopped by SIGTERM"
                    } else {
                        "killed (SIGKILL)"
                    };
                }
            }
            server.group.end();
            let _ = server.child.wait();
            out.removed.push(format!("node {} ({how})", n.name));
        }
        // A node restarted outside the server's group (`rabbitmq-server
        // -detached`) is stopped by `rabbitmqctl stop` too, but ends a few
        // seconds later; anything of the sandbox still running then goes.
        let wait = if orderly { EXIT_GRACE } else { Duration::ZERO };
        let (done, failed) = reap::stop_stragglers(&self.lease, wait);
        out.removed.extend(done);
        out.errors.extend(failed);
        for n in &self.nodes {
            if n.tmpfs {
                let dir = &n.files.dir;
                match node::umount(dir, false).or_else(|_| node::umount(dir, true)) {
                    Ok(()) => out.removed.push(format!("tmpfs {}", dir.display())),
                    Err(e) => out.errors.push(format!("umount {}: {e}", dir.display())),
                }
            }
        }
        if out.errors.is_empty() {
            match reap::remove_sandbox_dir(&self.dir) {
                Ok(()) => out
                    .removed
                    .push(format!("directory {} and its lease", self.dir.display())),
                Err(e) => out.errors.push(e),
            }
        }
        out.ok = out.errors.is_empty();
        self.finished = true;
        out
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.teardown(false);
        }
    }
}

fn exited_within(server: &mut Server, grace: Duration) -> bool {
    let deadline = Instant::now() + grace;
    loop {
        match server.child.try_wait() {
            Ok(Some(_)) | Err(_) => return true,
            Ok(None) if Instant::now() >= deadline => return false,
            Ok(None) => std::thread::sleep(PROBE_EVERY),
        }
    }
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> SandboxError {
    let path = path.to_path_buf();
    move |source| SandboxError::Io { what, path, source }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 120
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

fn random_bytes() -> [u8; 3] {
    use std::io::Read;
    let mut bytes = [0u8; 3];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
            ^ std::process::id();
        bytes.copy_from_slice(&nanos.to_le_bytes()[..3]);
    }
    bytes
}

fn random_hex() -> String {
    random_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn random_u16() -> u16 {
    let [a, b, _] = random_bytes();
    u16::from_le_bytes([a, b])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_name_a_directory() {
        assert!(valid_id("20261203T133000-12345"));
        assert!(!valid_id(""));
        assert!(!valid_id("../x"));
        assert!(!valid_id(".hidden"));
        assert!(!valid_id("a b"));
    }

    #[test]
    fn random_hex_is_six_hex_digits() {
        let h = random_hex();
        assert_eq!(h.len(), 6);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
