//! What a sandbox node is made of, as text: its name, its ports and the three
//! files RabbitMQ reads (`rabbitmq.conf`, `enabled_plugins`,
//! `rabbitmq-env.conf`). Pure: no IO beyond the port test the caller passes.

use std::net::TcpListener;
use std::path::{Path, PathBuf};

/// The four loopback ports of one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ports {
    /// AMQP listener.
    pub amqp: u16,
    /// Management API.
    pub mgmt: u16,
    /// Prometheus endpoint.
    pub prom: u16,
    /// Erlang distribution.
    pub dist: u16,
}

impl Ports {
    /// The set at `offset` above the standard ports (5672, 15672, 15692, 25672).
    fn at(offset: u16) -> Ports {
        Ports {
            amqp: 5672 + offset,
            mgmt: 15672 + offset,
            prom: 15692 + offset,
            dist: 25672 + offset,
        }
    }

    fn all(&self) -> [u16; 4] {
        [self.amqp, self.mgmt, self.prom, self.dist]
    }
}

/// Ports a live broker or epmd uses by convention: never handed to a sandbox
/// even when nothing listens on them right now (the live node may be down).
const WELL_KNOWN: [u16; 9] = [4369, 5671, 5672, 15671, 15672, 15691, 15692, 25672, 35672];

/// Offsets tried above the standard ports.
const OFFSETS: u16 = 999;

/// Picks `nodes` sets of ports, starting at offset `start` (wrapping) so that
/// concurrent drills rarely race for the same set. A port is taken when
/// `is_free` says so; every port of every set differs from the others and from
/// [`WELL_KNOWN`]. `None` when not enough sets are free.
pub fn choose_ports(nodes: usize, start: u16, is_free: &dyn Fn(u16) -> bool) -> Option<Vec<Ports>> {
    let mut chosen: Vec<Ports> = Vec::with_capacity(nodes);
    for step in 0..OFFSETS {
        if chosen.len() == nodes {
            break;
        }
        let offset = 1 + (start % OFFSETS + step) % OFFSETS;
        let ports = Ports::at(offset);
        let clashes = ports
            .all()
            .iter()
            .any(|p| WELL_KNOWN.contains(p) || chosen.iter().any(|c| c.all().contains(p)));
        if !clashes && ports.all().iter().all(|&p| is_free(p)) {
            chosen.push(ports);
        }
    }
    (chosen.len() == nodes).then_some(chosen)
}

/// True when a listener can bind `127.0.0.1:port` right now.
pub fn loopback_port_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

/// The Erlang node name of node `index` (0-based) of a sandbox tagged `hex`.
pub fn node_name(hex: &str, index: usize) -> String {
    match index {
        0 => format!("drill-{hex}@localhost"),
        n => format!("drill-{hex}-{}@localhost", n + 1),
    }
}

/// The files of one node, all under its directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeFiles {
    /// The node's directory (a tmpfs mount point when mounted).
    pub dir: PathBuf,
}

impl NodeFiles {
    /// `rabbitmq.conf`.
    pub fn config(&self) -> PathBuf {
        self.dir.join("rabbitmq.conf")
    }
    /// `enabled_plugins`.
    pub fn plugins(&self) -> PathBuf {
        self.dir.join("enabled_plugins")
    }
    /// `rabbitmq-env.conf`: the file `RABBITMQ_CONF_ENV_FILE` names.
    pub fn env_file(&self) -> PathBuf {
        self.dir.join("rabbitmq-env.conf")
    }
    /// Definitions loaded at boot.
    pub fn definitions(&self) -> PathBuf {
        self.dir.join("definitions.json")
    }
    /// `MNESIA_BASE`.
    pub fn data(&self) -> PathBuf {
        self.dir.join("mnesia")
    }
    /// `LOG_BASE`.
    pub fn log(&self) -> PathBuf {
        self.dir.join("log")
    }
    /// Where a crash dump goes (`ERL_CRASH_DUMP`).
    pub fn crash_dump(&self) -> PathBuf {
        self.log().join("erl_crash.dump")
    }
    /// The server's own stdout and stderr (the foreground boot messages).
    pub fn console(&self) -> PathBuf {
        self.log().join("console.out")
    }
    /// `PID_FILE`: the beam's OS pid, written by RabbitMQ.
    pub fn pid_file(&self) -> PathBuf {
        self.dir.join("node.pid")
    }
}

/// `rabbitmq.conf`: loopback listeners on the sandbox ports, then the
/// scenario's own lines.
pub fn rabbitmq_conf(ports: &Ports, definitions: Option<&Path>, extra: &str) -> String {
    let mut out = format!(
        "# Written by runbook for a drill sandbox; removed with it.\n\
         listeners.tcp.default = 127.0.0.1:{}\n\
         management.tcp.port = {}\n\
         management.tcp.ip = 127.0.0.1\n\
         prometheus.tcp.port = {}\n\
         prometheus.tcp.ip = 127.0.0.1\n",
        ports.amqp, ports.mgmt, ports.prom
    );
    if let Some(path) = definitions {
        out.push_str(&format!("load_definitions = {}\n", path.display()));
    }
    if !extra.trim().is_empty() {
        out.push_str("# From the scenario:\n");
        out.push_str(extra.trim_end());
        out.push('\n');
    }
    out
}

/// `enabled_plugins`: management and prometheus always (the sandbox's ports
/// name them), then the scenario's, each once, as quoted Erlang atoms.
pub fn enabled_plugins(plugins: &[String]) -> String {
    let mut names: Vec<&str> = vec!["rabbitmq_management", "rabbitmq_prometheus"];
    for p in plugins {
        if !names.contains(&p.as_str()) {
            names.push(p);
        }
    }
    let atoms: Vec<String> = names
        .iter()
        .map(|n| format!("'{}'", n.replace('\\', "\\\\").replace('\'', "\\'")))
        .collect();
    format!("[{}].\n", atoms.join(","))
}

/// `rabbitmq-env.conf`: replaces `/etc/rabbitmq/rabbitmq-env.conf` for every
/// process that has `RABBITMQ_CONF_ENV_FILE` pointing here (server and CLI).
pub fn env_conf(files: &NodeFiles, node: &str, ports: &Ports) -> String {
    let q = |p: PathBuf| shell_quote(&p.display().to_string());
    format!(
        "# Written by runbook for a drill sandbox; removed with it.\n\
         NODENAME={node}\n\
         DIST_PORT={dist}\n\
         CONFIG_FILE={config}\n\
         ENABLED_PLUGINS_FILE={plugins}\n\
         MNESIA_BASE={data}\n\
         LOG_BASE={log}\n\
         PID_FILE={pid}\n\
         ERL_EPMD_ADDRESS=127.0.0.1\n\
         SERVER_ADDITIONAL_ERL_ARGS=\"-kernel inet_dist_use_interface {{127,0,0,1}}\"\n\
         export ERL_CRASH_DUMP={dump}\n",
        dist = ports.dist,
        config = q(files.config()),
        plugins = q(files.plugins()),
        data = q(files.data()),
        log = q(files.log()),
        pid = q(files.pid_file()),
        dump = q(files.crash_dump()),
    )
}

/// Single-quoted for sh.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// True when `path` can go into the generated files as it is: every character
/// is one a path usually has (no space, quote, newline or `$`).
pub fn plain_path(path: &Path) -> bool {
    path.to_str().is_some_and(|s| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+@:,".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_skip_busy_and_well_known_and_each_other() {
        let busy = |p: u16| p != 5673 && p != 15694;
        let sets = choose_ports(2, 0, &busy).unwrap();
        // offset 1 has 5673 busy; offset 2 has 15694 busy (its prom); 3 and 4 are free.
        assert_eq!(sets[0], Ports::at(3));
        assert_eq!(sets[1], Ports::at(4));
        // Offsets 19 and 20 would put mgmt on 15691/15692, the live Prometheus ports.
        let from_18 = choose_ports(2, 17, &|_| true).unwrap();
        assert_eq!(from_18[0], Ports::at(18));
        assert_eq!(from_18[1], Ports::at(21));
    }

    #[test]
    fn ports_never_overlap_between_nodes() {
        // Offset 1's prom (15693) is offset 21's mgmt: the second set skips 21.
        let amqp_busy = |p: u16| !(5674..=5692).contains(&p);
        let sets = choose_ports(2, 0, &amqp_busy).unwrap();
        assert_eq!(sets, vec![Ports::at(1), Ports::at(22)]);
    }

    #[test]
    fn no_free_ports_is_none() {
        assert_eq!(choose_ports(1, 0, &|_| false), None);
    }

    #[test]
    fn names() {
        assert_eq!(node_name("a1b2c3", 0), "drill-a1b2c3@localhost");
        assert_eq!(node_name("a1b2c3", 1), "drill-a1b2c3-2@localhost");
    }

    #[test]
    fn files_point_into_the_node_dir() {
        let files = NodeFiles {
            dir: PathBuf::from("/s/n1"),
        };
        let ports = Ports::at(1);
        let env = env_conf(&files, "drill-x@localhost", &ports);
        assert!(env.contains("NODENAME=drill-x@localhost\n"));
        assert!(env.contains("DIST_PORT=25673\n"));
        assert!(env.contains("CONFIG_FILE='/s/n1/rabbitmq.conf'\n"));
        assert!(env.contains("export ERL_CRASH_DUMP='/s/n1/log/erl_crash.dump'\n"));
        assert!(env.contains("inet_dist_use_interface {127,0,0,1}"));
        let conf = rabbitmq_conf(
            &ports,
            Some(&files.definitions()),
            "log.file.level = debug\n",
        );
        assert!(conf.contains("listeners.tcp.default = 127.0.0.1:5673\n"));
        assert!(conf.contains("management.tcp.port = 15673\n"));
        assert!(conf.contains("prometheus.tcp.port = 15693\n"));
        assert!(conf.contains("load_definitions = /s/n1/definitions.json\n"));
        assert!(conf.ends_with("log.file.level = debug\n"));
        assert!(!rabbitmq_conf(&ports, None, "").contains("load_definitions"));
    }

    #[test]
    fn plugins_always_have_management_and_prometheus_once() {
        let p = enabled_plugins(&["rabbitmq_management".into(), "rabbitmq_shovel".into()]);
        assert_eq!(
            p,
            "['rabbitmq_management','rabbitmq_prometheus','rabbitmq_shovel'].\n"
        );
        assert_eq!(
            enabled_plugins(&["a'b".into()]).matches("'a\\'b'").count(),
            1
        );
    }

    #[test]
    fn odd_paths_are_refused() {
        assert!(plain_path(Path::new(
            "/var/lib/runbook/drills/2026-12-03T10-00-00Z_x"
        )));
        assert!(!plain_path(Path::new("/tmp/a b")));
        assert!(!plain_path(Path::new("/tmp/a'b")));
        assert!(!plain_path(Path::new("/tmp/a$b")));
    }
}
