//! `runbook drill sandbox-hold` (hidden): start a sandbox, print its
//! variables as one JSON line, and hold it until killed. The tests kill this
//! process with SIGKILL to prove the broker dies with it (or, with `--keep`,
//! that `drill cleanup` removes what was left).

use std::path::PathBuf;

use crate::drill::BrokerSpec;
use crate::drill::sandbox::{Sandbox, SandboxSpec, default_state_dir};

/// Starts and holds; returns only on a start failure (exit 1).
pub fn run(
    id: String,
    nodes: u8,
    config: Option<String>,
    disk_bytes: Option<u64>,
    keep: bool,
) -> i32 {
    let broker = BrokerSpec {
        nodes,
        plugins: Vec::new(),
        disk_bytes,
        config: config.unwrap_or_default(),
        definitions: None,
    };
    let spec = SandboxSpec {
        broker: &broker,
        id,
    };
    let sandbox = match Sandbox::start(&default_state_dir(), &spec, &mut |_| {}) {
        Ok(s) => s,
        Err(e) => {
            crate::text::eprintln!("runbook: {e}");
            return 1;
        }
    };
    let line = serde_json::json!({
        "dir": sandbox.dir(),
        "vars": sandbox.vars(),
        "os_pid": sandbox.node_os_pid(0),
        "tmpfs": sandbox.tmpfs(0),
    });
    let _held: Option<Sandbox> = if keep {
        let _: PathBuf = sandbox.keep();
        None
    } else {
        Some(sandbox)
    };
    crate::text::println!("{line}");
    loop {
        std::thread::park();
    }
}
