//! Streams a flood through the path command output takes in the program —
//! exec::spawn (pipe reads + Sanitizer) → the masker as `Session::record_output`
//! applies it (whole lines cut off a held buffer, `Masker::stream_cut` for a
//! long partial line, `Masker::mask`) → Excerpt and OutputTail — and compares
//! with the shell writing the same data to /dev/null and through `cat`.
//! Prints MB/s, the runner's throughput as a fraction of cat's (target ≥ 0.7)
//! and peak RSS (VmHWM; target < 64 MiB).
//!
//! `RUNBOOK_BENCH_BYTES` sets the size (default 1 GB):
//! `RUNBOOK_BENCH_BYTES=100000000 cargo bench --bench exec_flood`

use std::time::{Duration, Instant};

use runbook::exec::excerpt::Excerpt;
use runbook::exec::sanitize::Sanitizer;
use runbook::exec::tail::OutputTail;
use runbook::exec::{Spec, Update, spawn};
use runbook::secrets::Masker;

/// As `session::MAX_PARTIAL_LINE`: a partial line held longer is cut and passed on.
const MAX_PARTIAL_LINE: usize = 64 * 1024;

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
    let cpu_before = cpu_self();
    let (elapsed, lines, dropped) = rt.block_on(run_flood(&source, bytes))?;
    let (user, sys) = cpu_self();
    let (user, sys) = (user - cpu_before.0, sys - cpu_before.1);
    report("exec::spawn + mask + tail + excerpt", bytes, elapsed);
    println!(
        "  runner: {:.2}x of cat's throughput (target >= 0.70; {:.2}x the time)",
        cat.as_secs_f64() / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() / cat.as_secs_f64()
    );
    println!("  runner process CPU: user {user:.2} s, sys {sys:.2} s");
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
    // A configured secret, so the masker searches for it (as with any runbook
    // that has `secret: true` variables); URL passwords are searched always.
    let masker = Masker::new(vec!["hunter2pass".into()]);
    let mut partial = String::new();
    while let Some((_, update)) = rx.recv().await {
        match update {
            Update::Output { text, .. } => {
                // As `Session::record_output`: complete lines are masked and
                // passed on; a long partial line is cut where no secret can straddle.
                partial.push_str(&text);
                let cut = match partial.rfind('\n') {
                    Some(nl) => nl + 1,
                    None if partial.len() > MAX_PARTIAL_LINE => {
                        masker.stream_cut(&partial, MAX_PARTIAL_LINE / 2)
                    }
                    None => continue,
                };
                let rest = partial.split_off(cut);
                let ready = std::mem::replace(&mut partial, rest);
                let masked = masker.mask(&ready);
                journaled += excerpt.push(&masked).map_or(0, |h| h.len());
                tail.push(&masked);
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

/// User and system CPU seconds of this process so far.
fn cpu_self() -> (f64, f64) {
    // SAFETY: getrusage only writes the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above; RUSAGE_SELF is always valid.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (secs(ru.ru_utime), secs(ru.ru_stime))
}
