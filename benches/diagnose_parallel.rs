//! `runbook diagnose --jobs 8` of eight independent `sleep 1` commands against
//! the same commands run one after another by bash. Prints both wall times and
//! the ratio (target <= 0.3). Run with `cargo bench --bench diagnose_parallel`;
//! cargo builds the `runbook` binary with the bench profile first and passes
//! its path in `CARGO_BIN_EXE_runbook`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const COMMANDS: usize = 8;

fn time(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let took = started.elapsed();
    assert!(status.success(), "{cmd:?} failed: {status}");
    took
}

fn main() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnose/eight-sleeps.yaml");
    let log = tempfile::tempdir().expect("temporary log directory");
    let rounds = 3;
    let mut parallel = Vec::new();
    let mut sequential = Vec::new();
    for _ in 0..rounds {
        let mut diag = Command::new(env!("CARGO_BIN_EXE_runbook"));
        diag.arg("diagnose")
            .arg(&fixture)
            .args(["--jobs", "8", "--log-dir"])
            .arg(log.path());
        parallel.push(time(diag));
        let script = ["sleep 1"; COMMANDS].join("; ");
        let mut bash = Command::new("bash");
        bash.args(["-c", &script]);
        sequential.push(time(bash));
    }
    let best = |v: &[Duration]| v.iter().min().copied().unwrap_or_default();
    let (p, s) = (best(&parallel), best(&sequential));
    println!("diagnose_parallel: {COMMANDS} x `sleep 1`, best of {rounds}");
    println!(
        "  runbook diagnose --jobs 8 : {:>7.3} s  (all: {parallel:.3?})",
        p.as_secs_f64()
    );
    println!(
        "  bash, one after another   : {:>7.3} s  (all: {sequential:.3?})",
        s.as_secs_f64()
    );
    println!(
        "  ratio                     : {:>7.3}   (target <= 0.3)",
        p.as_secs_f64() / s.as_secs_f64()
    );
}
