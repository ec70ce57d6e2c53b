//! The release binary in a pseudo-terminal: (a) launch to first frame,
//! (b) idle CPU, (c) key-to-frame latency while a 1 GB flood streams,
//! (d) on a sick disk (every fsync 3 s slow, by an `LD_PRELOAD` shim): first
//! frame, a tick and `?` just after it, and how long until "saving…" goes.
//! Prints figures; asserts nothing about time.
//!
//! `RUNBOOK_BENCH_IDLE_SECS` shortens the idle window (default 30 s);
//! `RUNBOOK_BENCH_ONLY=launch|idle|keys|slowdisk` runs one part.

#[path = "../tests/support/pty.rs"]
mod pty;
#[path = "../tests/support/slow_fsync.rs"]
mod slow_fsync;

use std::path::Path;
use std::time::{Duration, Instant};

use pty::{Launch, Pty, cpu_ticks};

fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_runbook"))
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tui")
        .join(name)
        .display()
        .to_string()
}

fn start(dir: &Path, runbook: Option<&str>) -> Pty {
    start_with(dir, runbook, &[])
}

fn start_with(dir: &Path, runbook: Option<&str>, env: &[(String, String)]) -> Pty {
    let d = dir.display().to_string();
    let mut args = vec!["start"];
    if let Some(r) = runbook {
        args.push(r);
    }
    args.extend(["--title", "Bench incident", "--log-dir", &d]);
    let mut launch = Launch::new(bin(), &args).size(120, 40);
    for (k, v) in env {
        launch = launch.env(k, v);
    }
    let mut p = launch.spawn();
    p.poll = Duration::from_millis(1);
    p
}

/// Every fsync of the program takes `SLOW_MS`: first frame, key-to-frame of
/// a tick and of `?` pressed just after it, and how long the "saving…" mark
/// stays after the tick (the disk's time, not the screen's).
fn slow_disk() {
    const SLOW_MS: u64 = 3000;
    const HELP: &str = "any key closes this help";
    let tmp = tempfile::tempdir().expect("tempdir");
    let shim = slow_fsync::SlowFsync::build(tmp.path());
    let env = shim.env(Some(SLOW_MS));
    let fx = fixture("headless.yaml");
    let (mut first, mut tick, mut help, mut saved) = (vec![], vec![], vec![], vec![]);
    let mut held_at_help = 0;
    for round in 0..3 {
        let log = tmp.path().join(format!("log-{round}"));
        let started = Instant::now();
        let mut t = start_with(&log, Some(&fx), &env);
        if t.wait_until(Duration::from_secs(30), |s| s.contains("Bench incident"))
            .is_err()
        {
            println!("tui_pty slowdisk: no first frame:\n{}", t.screen());
            return;
        }
        first.push(started.elapsed());
        // Let the start-up fsyncs finish, so the tick meets a fresh one.
        let _ = t.wait_until(Duration::from_secs(30), |s| !s.contains("saving…"));
        let ticked = Instant::now();
        t.send("\r");
        if t.wait_until(Duration::from_secs(30), |s| {
            s.contains("[x] Clients identified")
        })
        .is_err()
        {
            println!("tui_pty slowdisk: the tick never showed:\n{}", t.screen());
            return;
        }
        tick.push(ticked.elapsed());
        let pressed = Instant::now();
        t.send("?");
        if t.wait_until(Duration::from_secs(30), |s| s.contains(HELP))
            .is_err()
        {
            println!("tui_pty slowdisk: help never showed:\n{}", t.screen());
            return;
        }
        help.push(pressed.elapsed());
        held_at_help += usize::from(shim.in_progress());
        t.send("\x1b");
        let _ = t.wait_until(Duration::from_secs(30), |s| !s.contains(HELP));
        if t.wait_until(Duration::from_secs(30), |s| !s.contains("saving…"))
            .is_ok()
        {
            saved.push(ticked.elapsed());
        }
        t.send("qy");
        let _ = t.wait_exit(Duration::from_secs(30));
    }
    let show = |v: &mut Vec<Duration>| {
        v.sort();
        format!("median {:.1} ms  max {:.1} ms", pct(v, 50), pct(v, 100))
    };
    println!(
        "tui_pty slow disk (every fsync {SLOW_MS} ms, release, 120x40, n=3): first frame {}  (target < 1 s)",
        show(&mut first)
    );
    println!(
        "tui_pty slow disk: tick key-to-frame {}; `?` just after the tick {}  (target < 100 ms; an fsync was in progress at {held_at_help} of 3 help frames)",
        show(&mut tick),
        show(&mut help)
    );
    if !saved.is_empty() {
        println!(
            "tui_pty slow disk: \"saving…\" gone after the tick in {}  (the disk's time)",
            show(&mut saved)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn pct(sorted: &[Duration], p: usize) -> f64 {
    ms(sorted[(sorted.len() * p / 100).min(sorted.len() - 1)])
}

fn launch_to_first_frame() {
    let fx = fixture("basic.yaml");
    let mut times = Vec::new();
    for _ in 0..10 {
        let dir = tempfile::tempdir().expect("tempdir");
        let started = Instant::now();
        let t = start(dir.path(), Some(&fx));
        // The header is the first row of the first frame.
        if t.wait_until(Duration::from_secs(10), |s| s.contains("Bench incident"))
            .is_err()
        {
            println!("tui_pty launch: the header never appeared:\n{}", t.screen());
            return;
        }
        times.push(started.elapsed());
        drop(t);
    }
    times.sort();
    println!(
        "tui_pty launch to first frame (release, 120x40, n=10): median {:.1} ms  min {:.1} ms  max {:.1} ms  (target < 50 ms)",
        pct(&times, 50),
        pct(&times, 0),
        pct(&times, 100)
    );
}

fn idle_cpu() {
    let secs: u64 = std::env::var("RUNBOOK_BENCH_IDLE_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
        .max(1);
    let dir = tempfile::tempdir().expect("tempdir");
    // The default embedded runbook, as an operator would start it (its
    // broker panel polls a management API that is not there).
    let t = start(dir.path(), None);
    if t.wait_until(Duration::from_secs(10), |s| s.contains("Bench incident"))
        .is_err()
    {
        println!("tui_pty idle: no first frame:\n{}", t.screen());
        return;
    }
    // Let start-up work (first samples, first broker poll) settle.
    std::thread::sleep(Duration::from_secs(2));
    let (Some(before), bytes_before) = (cpu_ticks(t.pid), t.raw_len()) else {
        println!("tui_pty idle: cannot read /proc/{}/stat", t.pid);
        return;
    };
    std::thread::sleep(Duration::from_secs(secs));
    let (Some(after), bytes_after) = (cpu_ticks(t.pid), t.raw_len()) else {
        println!("tui_pty idle: cannot read /proc/{}/stat", t.pid);
        return;
    };
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let cpu_s = (after - before) as f64 / hz;
    println!(
        "tui_pty idle CPU over {secs} s: {:.2} % of one core ({cpu_s:.2} s cpu; {} bytes drawn, {:.0} B/s)  (target < 1 %)",
        cpu_s * 100.0 / secs as f64,
        bytes_after - bytes_before,
        (bytes_after - bytes_before) as f64 / secs as f64
    );
}

fn key_latency_under_flood() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = start(dir.path(), Some(&fixture("flood.yaml")));
    if t.wait_until(Duration::from_secs(10), |s| s.contains("Bench incident"))
        .is_err()
    {
        println!("tui_pty keys: no first frame:\n{}", t.screen());
        return;
    }
    t.send("\r");
    if t.wait_until(Duration::from_secs(10), |s| {
        s.contains("running") && s.contains("││y")
    })
    .is_err()
    {
        println!("tui_pty keys: the flood never showed:\n{}", t.screen());
        return;
    }
    let flood_started = Instant::now();
    const HELP: &str = "any key closes this help";
    let mut times = Vec::new();
    let mut missed = 0;
    for i in 0..20 {
        let opening = i % 2 == 0;
        let started = Instant::now();
        t.send("?");
        let shown = t.wait_until(Duration::from_secs(5), |s| s.contains(HELP) == opening);
        if shown.is_ok() {
            times.push(started.elapsed());
        } else {
            missed += 1;
        }
        // Space the presses like a person would.
        std::thread::sleep(Duration::from_millis(50));
    }
    let still_running = t.screen().contains("running");
    let during = flood_started.elapsed();
    times.sort();
    if times.is_empty() {
        println!("tui_pty keys: no press was shown within 5 s");
        return;
    }
    println!(
        "tui_pty key-to-frame while `yes | head -c 1000000000` streams (n={}, missed {missed}): median {:.1} ms  p99 {:.1} ms  max {:.1} ms  (target < 50 ms); flood {} after {:.1} s",
        times.len(),
        pct(&times, 50),
        pct(&times, 99),
        pct(&times, 100),
        if still_running {
            "still running"
        } else {
            "had finished"
        },
        during.as_secs_f64()
    );
}

/// Webhooks that never answer (a listener that accepts and says nothing)
/// and one that refuses: key-to-frame of `?` while their messages hang, and
/// the time from Ctrl-S on a status update to its "update saved" line.
fn hanging_webhooks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming().flatten() {
            held.push(c);
        }
    });
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let mut config = String::new();
    for kind in ["generic", "slack", "feishu", "dingtalk", "wecom"] {
        config.push_str(&format!(
            "[[notify]]\nurl = \"http://127.0.0.1:{port}/{kind}\"\nkind = \"{kind}\"\n\n"
        ));
    }
    config.push_str(&format!(
        "[[notify]]\nurl = \"http://127.0.0.1:{refused}/dead\"\n"
    ));
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config).expect("config");
    let env = vec![
        ("RUNBOOK_CONFIG".to_string(), path.display().to_string()),
        ("RUNBOOK_NOTIFY_TIMEOUT_MS".to_string(), "60000".to_string()),
        ("RUNBOOK_NOTIFY_DRAIN_MS".to_string(), "500".to_string()),
    ];
    let mut t = start_with(dir.path(), Some(&fixture("basic.yaml")), &env);
    if t.wait_until(Duration::from_secs(10), |s| s.contains("Bench incident"))
        .is_err()
    {
        println!("tui_pty webhooks: no first frame:\n{}", t.screen());
        return;
    }
    let mut saved = Vec::new();
    for i in 0..10 {
        t.send("u");
        if t.wait_until(Duration::from_secs(5), |s| s.contains("Status update"))
            .is_err()
        {
            println!("tui_pty webhooks: the update dialog never opened");
            return;
        }
        t.send(format!("update {i}"));
        let started = Instant::now();
        t.send("\x13");
        if t.wait_until(Duration::from_secs(5), |s| s.contains("update saved"))
            .is_ok()
        {
            saved.push(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    const HELP: &str = "any key closes this help";
    let mut keys = Vec::new();
    for i in 0..20 {
        let opening = i % 2 == 0;
        let started = Instant::now();
        t.send("?");
        if t.wait_until(Duration::from_secs(5), |s| s.contains(HELP) == opening)
            .is_ok()
        {
            keys.push(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    saved.sort();
    keys.sort();
    if saved.is_empty() || keys.is_empty() {
        println!("tui_pty webhooks: no update or key was shown");
        return;
    }
    println!(
        "tui_pty with 5 webhooks that never answer and 1 that refuses: Ctrl-S to \"update saved\" median {:.1} ms  max {:.1} ms (n={}); key-to-frame median {:.1} ms  p99 {:.1} ms (n={})",
        pct(&saved, 50),
        pct(&saved, 100),
        saved.len(),
        pct(&keys, 50),
        pct(&keys, 99),
        keys.len()
    );
}

fn main() {
    let only = std::env::var("RUNBOOK_BENCH_ONLY").unwrap_or_default();
    if only.is_empty() || only == "launch" {
        launch_to_first_frame();
    }
    if only.is_empty() || only == "keys" {
        key_latency_under_flood();
    }
    if only.is_empty() || only == "idle" {
        idle_cpu();
    }
    if only.is_empty() || only == "slowdisk" {
        slow_disk();
    }
    if only.is_empty() || only == "webhooks" {
        hanging_webhooks();
    }
}
