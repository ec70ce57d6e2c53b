//! A whole one-node drill on `--autopilot`: sandbox boot, fault, proof it is
//! live, the model answer, fix detection (its hold period included), score
//! and cleanup, timed from outside as a trainer would. Needs root and
//! RabbitMQ installed. Run: `cargo bench --bench drill_autopilot`.

use std::process::Command;
use std::time::Instant;

const SCENARIOS: &[&str] = &["queue-backlog", "auth-failure", "memory-alarm-backlog"];

fn main() {
    let Ok(tmp) = tempfile::Builder::new().prefix("rbdrillap").tempdir() else {
        eprintln!("drill_autopilot: cannot make a temporary directory");
        std::process::exit(1);
    };
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755));
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "drill --autopilot, whole run (load average at start: {})",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    for id in SCENARIOS {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_runbook"))
            .args(["drill", id, "--autopilot", "--log-dir"])
            .arg(tmp.path().join("logs").join(id))
            .env("RUNBOOK_DRILL_DIR", tmp.path().join("sandboxes"))
            .output();
        let took = started.elapsed().as_secs_f64();
        match out {
            Ok(o) => {
                let err = String::from_utf8_lossy(&o.stderr);
                let ready = err
                    .lines()
                    .find_map(|l| l.strip_prefix("drill: sandbox ready in "))
                    .unwrap_or("?");
                println!(
                    "{id:<22} exit {:?}  whole run {took:.1} s  (sandbox ready in {ready})",
                    o.status.code()
                );
            }
            Err(e) => println!("{id:<22} could not run: {e}"),
        }
    }
}
