//! Streams a flood through exec::spawn + Sanitizer + OutputTail + Excerpt and
//! compares with the shell writing the same data to /dev/null and through `cat`.
//! Prints MB/s and peak RSS (VmHWM; target < 64 MiB).
//!
//! `RUNBOOK_BENCH_BYTES` sets the size (default 1 GB):
//! `RUNBOOK_BENCH_BYTES=100000000 cargo bench --bench exec_flood`

use std::time::{Duration, Instant};

use runbook::exec::excerpt::Excerpt;
use runbook::exec::sanitize::Sanitizer;
use runbook::exec::tail::OutputTail;
use runbook::exec::{Spec, Update, spawn};

fn main() -> anyhow::Result<()> {
    let bytes: u64 = std::env::var("RUNBOOK_BENCH_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000_000);
    // 100-byte lines: 99 × 'a' and a newline.
    let source = format!("yes {} | head -c {bytes}", "a".repeat(99));
    println!("exec_flood: {bytes} bytes of 100-byte lines");

    let null = time_shell(&format!("{source} > /dev/null"))?;
    let cat = time_shell(&format!("{source} | cat > /dev/null"))?;
    report("shell > /dev/null", bytes, null);
    report("shell | cat > /dev/null", bytes, cat);

    let rt = tokio::runtime::Runtime::new()?;
    let (elapsed, lines, dropped) = rt.block_on(run_flood(&source, bytes))?;
    report("exec::spawn + tail + excerpt", bytes, elapsed);
    println!(
        "  ratio vs cat: {:.2}x the time",
        elapsed.as_secs_f64() / cat.as_secs_f64()
    );
    println!("  tail kept {lines} lines, dropped {dropped}");

    let sanitize = sanitize_in_memory(bytes.min(500_000_000));
    report(
        "Sanitizer::push alone (in memory)",
        bytes.min(500_000_000),
        sanitize,
    );
    println!(
        "peak RSS (VmHWM): {:.1} MiB (target < 64 MiB)",
        vm_hwm_kib() as f64 / 1024.0
    );
    Ok(())
}

async fn run_flood(cmd: &str, bytes: u64) -> anyhow::Result<(Duration, usize, u64)> {
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let spec = Spec {
        timeout: None,
        ..Spec::new(cmd)
    };
    let start = Instant::now();
    spawn(1, spec, tx)?;
    let mut tail = OutputTail::new(10_000);
    let mut excerpt = Excerpt::new(1 << 20);
    let mut journaled = 0usize;
    while let Some((_, update)) = rx.recv().await {
        match update {
            Update::Output { text, .. } => {
                journaled += excerpt.push(&text).map_or(0, |h| h.len());
                tail.push(&text);
            }
            Update::Finished(o) => {
                anyhow::ensure!(o.bytes == bytes, "read {} bytes, expected {bytes}", o.bytes);
                break;
            }
        }
    }
    let elapsed = start.elapsed();
    if let Some((omitted, t)) = excerpt.finish() {
        println!(
            "  excerpt: head {journaled} B, tail {} B, omitted {omitted} B",
            t.len()
        );
    }
    Ok((elapsed, tail.len(), tail.dropped()))
}

fn sanitize_in_memory(bytes: u64) -> Duration {
    let chunk: Vec<u8> = format!("{}\n", "a".repeat(99)).repeat(655).into_bytes();
    let mut s = Sanitizer::new();
    let start = Instant::now();
    let mut done = 0u64;
    let mut out = 0usize;
    while done < bytes {
        out += s.push(&chunk).len();
        done += chunk.len() as u64;
    }
    std::hint::black_box(out);
    start.elapsed()
}

fn time_shell(cmd: &str) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let status = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(cmd)
        .status()?;
    anyhow::ensure!(status.success(), "`{cmd}` failed: {status}");
    Ok(start.elapsed())
}

fn report(what: &str, bytes: u64, t: Duration) {
    let mbs = bytes as f64 / 1e6 / t.as_secs_f64();
    println!("{what:<36} {:>8.3} s {mbs:>9.1} MB/s", t.as_secs_f64());
}

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
