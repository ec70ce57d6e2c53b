//! The drill sandbox: time from `Sandbox::start` to ready (AMQP port and
//! management API answer, then one `check_running`) and time for an orderly
//! `stop` (`rabbitmqctl stop`, directory and lease removed), one node, three
//! runs. Needs root and RabbitMQ installed. Run: `cargo bench --bench drill_sandbox`.

use std::time::{Duration, Instant};

use runbook::drill::BrokerSpec;
use runbook::drill::sandbox::{Sandbox, SandboxSpec};

const RUNS: usize = 3;

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() {
    use std::os::unix::fs::PermissionsExt;
    let Ok(state) = tempfile::Builder::new().prefix("rbdrillbench").tempdir() else {
        eprintln!("drill_sandbox: cannot make a temporary directory");
        std::process::exit(1);
    };
    let _ = std::fs::set_permissions(state.path(), std::fs::Permissions::from_mode(0o755));
    let broker = BrokerSpec {
        nodes: 1,
        plugins: Vec::new(),
        disk_bytes: Some(300 << 20),
        config: String::new(),
        definitions: None,
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "drill sandbox, one node, {RUNS} runs (load average at start: {})",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let (mut ready_total, mut stop_total) = (Duration::ZERO, Duration::ZERO);
    for run in 1..=RUNS {
        let spec = SandboxSpec {
            broker: &broker,
            id: format!("bench-{}-{run}", std::process::id()),
        };
        let started = Instant::now();
        let sandbox = match Sandbox::start(state.path(), &spec, &mut |_| {}) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("drill_sandbox: run {run}: {e}");
                std::process::exit(1);
            }
        };
        let ready = started.elapsed();
        let tmpfs = sandbox.tmpfs(0);
        let stopping = Instant::now();
        let cleanup = sandbox.stop();
        let stop = stopping.elapsed();
        if !cleanup.ok {
            eprintln!(
                "drill_sandbox: run {run}: cleanup failed: {:?}",
                cleanup.errors
            );
            std::process::exit(1);
        }
        ready_total += ready;
        stop_total += stop;
        println!(
            "run {run}: ready {}  stop {}  (tmpfs: {tmpfs})",
            secs(ready),
            secs(stop)
        );
    }
    let n = u32::try_from(RUNS).unwrap_or(1);
    println!(
        "mean: ready {}  stop {}",
        secs(ready_total / n),
        secs(stop_total / n)
    );
}
