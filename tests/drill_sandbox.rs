//! The drill sandbox against the real RabbitMQ install, beside the CI broker
//! (rabbit@localhost on 5672/15672), which must end exactly as it began.
//!
//! Every test has its own state directory (a temporary directory the rabbitmq
//! user can reach). The refusals use `Preflight` seams, so they run as any user.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use runbook::drill::BrokerSpec;
use runbook::drill::sandbox::{
    LEASE_FILE, Preflight, Progress, Sandbox, SandboxError, SandboxSpec,
};

fn broker(nodes: u8, config: &str) -> BrokerSpec {
    BrokerSpec {
        nodes,
        plugins: Vec::new(),
        disk_bytes: None,
        config: config.into(),
        definitions: None,
    }
}

/// A state directory the rabbitmq user can traverse.
fn state_dir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::Builder::new()
        .prefix("rbdrill")
        .tempdir()
        .expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    dir
}

fn id(what: &str) -> String {
    format!("test-{what}-{}", std::process::id())
}

/// rabbitmqctl / rabbitmq-diagnostics against the production node (no
/// sandbox variable leaks in).
fn live(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .env_remove("RABBITMQ_CONF_ENV_FILE")
        .env_remove("RABBITMQ_NODENAME")
        .output()
        .expect("run the RabbitMQ CLI");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What must not change on the production broker. Other suites' own
/// `rbtest_…` objects come and go concurrently; they are not ours to compare.
fn production_snapshot() -> String {
    let mut snap = String::new();
    for args in [
        vec!["-q", "list_vhosts"],
        vec!["-q", "list_users"],
        vec!["-q", "list_queues", "name", "durable"],
    ] {
        snap.push_str(&live("rabbitmqctl", &args));
    }
    snap.push_str(&live("rabbitmq-diagnostics", &["-q", "alarms"]));
    snap.lines()
        .filter(|l| !l.contains("rbtest"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// True when `dir` is a mount point (per /proc/self/mountinfo).
fn mounted(dir: &Path) -> bool {
    let info = std::fs::read_to_string("/proc/self/mountinfo").expect("mountinfo");
    let want = dir.display().to_string();
    info.lines()
        .any(|l| l.split(' ').nth(4) == Some(want.as_str()))
}

fn epmd_names() -> String {
    let out = Command::new("epmd").arg("-names").output().expect("epmd");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Pids whose environment names a file under `dir` as RABBITMQ_CONF_ENV_FILE.
fn sandbox_processes(dir: &Path) -> Vec<u32> {
    let want = format!("RABBITMQ_CONF_ENV_FILE={}/", dir.display());
    std::fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
            let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            !zombie
                && env
                    .split(|&b| b == 0)
                    .any(|v| v.starts_with(want.as_bytes()))
        })
        .collect()
}

fn port_open(port: &str) -> bool {
    let port: u16 = port.parse().expect("port");
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

fn eventually(limit: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    ok()
}

fn node_name_of(dir: &Path) -> String {
    let lease = std::fs::read_to_string(dir.join(LEASE_FILE)).expect("lease");
    let v: serde_json::Value = serde_json::from_str(&lease).expect("lease json");
    v["nodes"][0]["name"]
        .as_str()
        .expect("node name")
        .to_string()
}

#[test]
fn a_sandbox_answers_on_its_own_ports_and_stop_leaves_nothing() {
    let before = production_snapshot();
    let state = state_dir();
    let spec_broker = BrokerSpec {
        disk_bytes: Some(300 << 20),
        ..broker(1, "")
    };
    let spec = SandboxSpec {
        broker: &spec_broker,
        id: id("one"),
    };
    let mut seen = Vec::new();
    let sandbox = Sandbox::start(state.path(), &spec, &mut |p| seen.push(p))
        .unwrap_or_else(|e| panic!("start: {e}"));
    assert_eq!(seen.first(), Some(&Progress::Preparing));
    assert!(
        matches!(seen.last(), Some(Progress::Ready { .. })),
        "{seen:?}"
    );
    let dir = sandbox.dir().to_path_buf();
    assert_eq!(dir, state.path().join(&spec.id));
    assert!(dir.join(LEASE_FILE).exists());

    let vars = sandbox.vars();
    let node = vars["node"].clone();
    assert!(
        node.starts_with("drill-") && node.ends_with("@localhost"),
        "{node}"
    );
    assert_eq!(vars["host"], "127.0.0.1");
    assert_eq!(
        vars["mgmt_url"],
        format!("http://127.0.0.1:{}", vars["mgmt_port"])
    );
    for key in ["amqp_port", "mgmt_port", "prom_port"] {
        assert_ne!(vars[key], "5672");
        assert_ne!(vars[key], "15672");
        assert!(port_open(&vars[key]), "{key} {} does not answer", vars[key]);
    }
    for key in [
        "log_dir",
        "data_dir",
        "config_dir",
        "config_file",
        "backup_dir",
    ] {
        assert!(
            Path::new(&vars[key]).starts_with(&dir),
            "{key} = {}",
            vars[key]
        );
        assert!(Path::new(&vars[key]).exists(), "{key} = {}", vars[key]);
    }
    let nodes = sandbox.nodes();
    assert_eq!(nodes.len(), 1);
    assert_eq!(nodes[0].name, node);
    let node_dir = PathBuf::from(&vars["config_dir"]);
    // A tmpfs where mounting is allowed (root here), else a plain directory.
    assert_eq!(mounted(&node_dir), sandbox.tmpfs(0));
    let os_pid = sandbox.node_os_pid(0).expect("the node's OS pid");
    assert!(Path::new(&format!("/proc/{os_pid}")).exists());

    // The CLI with env() targets the drill node, not rabbit@localhost.
    let status = Command::new("rabbitmqctl")
        .args(["status", "--formatter", "json"])
        .envs(sandbox.env(0))
        .output()
        .expect("rabbitmqctl status");
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.success(), "{text}");
    assert!(text.contains(&node), "status names another node: {text}");
    assert!(text.contains(&vars["config_file"]), "{text}");
    assert!(epmd_names().contains(node.split('@').next().expect("short name")));

    let cleanup = sandbox.stop();
    assert!(cleanup.ok, "{cleanup:?}");
    assert!(
        cleanup.removed.iter().any(|r| r.contains("(stopped)")),
        "{cleanup:?}"
    );
    assert!(sandbox_processes(&dir).is_empty());
    assert!(!mounted(&node_dir));
    assert!(!dir.exists());
    let names = epmd_names();
    assert!(names.contains("name rabbit at port"), "{names}");
    assert!(
        !names.contains(node.split('@').next().expect("short name")),
        "{names}"
    );
    assert!(!port_open(&vars["amqp_port"]));
    assert_eq!(production_snapshot(), before);
}

#[test]
fn two_nodes_form_a_cluster() {
    let state = state_dir();
    let spec_broker = broker(2, "");
    let spec = SandboxSpec {
        broker: &spec_broker,
        id: id("two"),
    };
    let mut seen = Vec::new();
    let sandbox = Sandbox::start(state.path(), &spec, &mut |p| seen.push(p))
        .unwrap_or_else(|e| panic!("start: {e}"));
    assert!(seen.contains(&Progress::Joining), "{seen:?}");
    let vars = sandbox.vars();
    assert!(port_open(&vars["node2_amqp_port"]));
    assert_ne!(vars["node"], vars["node2_node"]);
    let status = Command::new("rabbitmqctl")
        .args(["cluster_status", "--formatter", "json"])
        .envs(sandbox.env(0))
        .output()
        .expect("cluster_status");
    let text = String::from_utf8_lossy(&status.stdout);
    let json: serde_json::Value = serde_json::from_str(&text).expect("cluster_status json");
    let running = json["running_nodes"].to_string();
    assert!(
        running.contains(&vars["node"]) && running.contains(&vars["node2_node"]),
        "{text}"
    );
    let dir = sandbox.dir().to_path_buf();
    let cleanup = sandbox.stop();
    assert!(cleanup.ok, "{cleanup:?}");
    assert!(sandbox_processes(&dir).is_empty());
    assert!(!dir.exists());
}

/// `runbook drill sandbox-hold` with the given state dir; returns the child
/// and the JSON line it printed once its sandbox was ready.
fn hold(state: &Path, id: &str, keep: bool) -> (Child, serde_json::Value) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args([
        "drill",
        "sandbox-hold",
        "--id",
        id,
        "--disk-bytes",
        "314572800",
    ])
    .env("RUNBOOK_DRILL_DIR", state)
    .stdout(Stdio::piped())
    .stderr(Stdio::inherit());
    if keep {
        cmd.arg("--keep");
    }
    let mut child = cmd.spawn().expect("runbook drill sandbox-hold");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(180))
        .expect("the helper never said its sandbox was ready");
    let json = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    (child, json)
}

fn cleanup_cli(state: &Path, dry_run: bool) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args(["drill", "cleanup"])
        .env("RUNBOOK_DRILL_DIR", state)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    if dry_run {
        cmd.arg("--dry-run");
    }
    let out = cmd.output().expect("runbook drill cleanup");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn kill_9_of_the_holder_takes_the_broker_and_cleanup_removes_the_rest() {
    let before = production_snapshot();
    let state = state_dir();
    let (mut child, ready) = hold(state.path(), &id("kill9"), false);
    let dir = PathBuf::from(ready["dir"].as_str().expect("dir"));
    let amqp = ready["vars"]["amqp_port"]
        .as_str()
        .expect("port")
        .to_string();
    let node = ready["vars"]["node"].as_str().expect("node").to_string();
    let node_dir = PathBuf::from(ready["vars"]["config_dir"].as_str().expect("config_dir"));
    assert_eq!(mounted(&node_dir), ready["tmpfs"] == true, "{ready}");
    assert!(port_open(&amqp));
    // The holder is still alive: cleanup leaves its sandbox alone.
    let (ok, out) = cleanup_cli(state.path(), false);
    assert!(ok && out.contains("in use by pid"), "{out}");
    assert!(dir.join(LEASE_FILE).exists());

    child.kill().expect("kill -9");
    child.wait().expect("reap");
    assert!(
        eventually(Duration::from_secs(30), || sandbox_processes(&dir)
            .is_empty()),
        "the broker outlived its holder: {:?}",
        sandbox_processes(&dir)
    );
    assert!(!port_open(&amqp));
    assert!(dir.exists(), "the directory is the reaper's to remove");

    let (ok, out) = cleanup_cli(state.path(), true);
    assert!(ok && out.contains("would remove"), "{out}");
    assert!(dir.exists());
    let (ok, out) = cleanup_cli(state.path(), false);
    assert!(ok, "{out}");
    assert!(out.contains("removed"), "{out}");
    assert!(!mounted(&node_dir), "{out}");
    assert!(!dir.exists());
    assert!(!epmd_names().contains(node.split('@').next().expect("short name")));
    assert_eq!(production_snapshot(), before);
}

#[test]
fn a_kept_sandbox_outlives_its_holder_until_cleanup_kills_it() {
    let state = state_dir();
    let (mut child, ready) = hold(state.path(), &id("keep"), true);
    let dir = PathBuf::from(ready["dir"].as_str().expect("dir"));
    let amqp = ready["vars"]["amqp_port"]
        .as_str()
        .expect("port")
        .to_string();
    assert_eq!(
        node_name_of(&dir),
        ready["vars"]["node"].as_str().expect("node")
    );
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    // Kept: the watchdog was disarmed, the broker still answers.
    std::thread::sleep(Duration::from_secs(2));
    assert!(port_open(&amqp));
    let pids = sandbox_processes(&dir);
    assert!(!pids.is_empty());

    let (ok, out) = cleanup_cli(state.path(), false);
    assert!(ok, "{out}");
    assert!(out.contains("stopped the sandbox's processes"), "{out}");
    assert!(
        eventually(Duration::from_secs(10), || sandbox_processes(&dir)
            .is_empty()),
        "{:?} still run",
        sandbox_processes(&dir)
    );
    assert!(!port_open(&amqp));
    assert!(!dir.exists());
    // epmd was never signalled.
    assert!(epmd_names().contains("name rabbit at port"));
}

#[test]
fn a_bad_config_key_fails_the_boot_with_the_crash_dump_slogan_and_leaves_nothing() {
    let state = state_dir();
    let spec_broker = broker(1, "listners.tcp.default = 1");
    let spec = SandboxSpec {
        broker: &spec_broker,
        id: id("badconf"),
    };
    let err = Sandbox::start(state.path(), &spec, &mut |_| {}).expect_err("must not boot");
    let SandboxError::BootFailed {
        slogan, log_tail, ..
    } = &err
    else {
        panic!("wrong error: {err}");
    };
    let slogan = slogan.as_deref().unwrap_or_default();
    assert!(slogan.contains("failed_to_prepare_configuration"), "{err}");
    assert!(log_tail.contains("listners"), "{err}");
    let message = err.to_string();
    assert!(message.contains("did not boot"), "{message}");
    assert!(message.contains("crash dump slogan:"), "{message}");
    let dir = state.path().join(&spec.id);
    assert!(!dir.exists(), "{message}");
    assert!(sandbox_processes(&dir).is_empty());
}

fn refused(pre: Preflight, state: &Path) -> SandboxError {
    let spec_broker = broker(1, "");
    let spec = SandboxSpec {
        broker: &spec_broker,
        id: id("refused"),
    };
    let err = Sandbox::start_with(state, &spec, &mut |_| {}, &pre).expect_err("must refuse");
    assert!(!state.join(&spec.id).exists(), "{err}");
    err
}

#[test]
fn bad_input_is_refused_with_a_message_and_nothing_on_disk() {
    let state = state_dir();
    let err = refused(
        Preflight {
            euid: 1000,
            ..Preflight::system()
        },
        state.path(),
    );
    let msg = err.to_string();
    assert!(
        matches!(err, SandboxError::NotRoot { euid: 1000, .. }),
        "{msg}"
    );
    assert!(
        msg.contains("needs root") && msg.contains("uid 1000"),
        "{msg}"
    );

    let err = refused(
        Preflight {
            port_free: |_| false,
            ..Preflight::system()
        },
        state.path(),
    );
    assert!(
        err.to_string().contains("no free ports on 127.0.0.1"),
        "{err}"
    );

    let err = refused(
        Preflight {
            server: PathBuf::from("/nonexistent/rabbitmq-server"),
            ..Preflight::system()
        },
        state.path(),
    );
    assert!(
        err.to_string()
            .contains("/nonexistent/rabbitmq-server not found"),
        "{err}"
    );

    let err = refused(
        Preflight {
            user: "no-such-user-rb".into(),
            ..Preflight::system()
        },
        state.path(),
    );
    assert!(
        err.to_string().contains("no `no-such-user-rb` user"),
        "{err}"
    );

    // A state directory behind a 0700 directory (like /root) is out of the
    // rabbitmq user's reach.
    use std::os::unix::fs::PermissionsExt;
    let closed = state.path().join("closed");
    std::fs::create_dir(&closed).expect("mkdir");
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let err = refused(Preflight::system(), &closed.join("drills"));
    let msg = err.to_string();
    assert!(
        msg.contains("cannot reach") && msg.contains(&closed.display().to_string()),
        "{msg}"
    );

    let err = refused(Preflight::system(), &state.path().join("a b"));
    assert!(err.to_string().contains("RUNBOOK_DRILL_DIR"), "{err}");
}
