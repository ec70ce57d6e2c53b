//! `runbook watch` latency: from an event appended to a journal (written and
//! fsynced by the journal writer the tests use, in this process) to the
//! watcher's screen showing it, read through a PTY and a vt100 emulator.
//! Each note is appended at an uneven moment, so the samples fall anywhere
//! in the follower's 200 ms look. Prints figures; asserts nothing. The issue
//! asks for each new event on screen within 1 s.
//!
//! Run: cargo bench --bench watch_latency (`RUNBOOK_BENCH_SAMPLES`, default 20).

#[path = "../tests/support/pty.rs"]
mod pty;
#[path = "../tests/report_support/mod.rs"]
mod report_support;

use std::path::Path;
use std::time::{Duration, Instant};

use runbook::incident::{Event, Mode, Record};
use runbook::journal::Journal;

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn main() -> anyhow::Result<()> {
    let samples: usize = std::env::var("RUNBOOK_BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let tmp = tempfile::tempdir()?;
    let t0 = report_support::at(0);
    let mut journal = Journal::create(tmp.path(), "bench", t0)?;
    let mut seq = 0u64;
    let mut append = |journal: &mut Journal, event: Event| -> anyhow::Result<()> {
        seq += 1;
        let ts = t0 + chrono::Duration::milliseconds(seq as i64 * 100);
        journal.append(&Record { seq, ts, event })?;
        Ok(())
    };
    append(
        &mut journal,
        report_support::opened("Watched by the bench", Mode::Live),
    )?;
    append(
        &mut journal,
        Event::StepEntered {
            step: "confirm".into(),
        },
    )?;

    let path = journal.path().display().to_string();
    let mut w = pty::Launch::new(Path::new(env!("CARGO_BIN_EXE_runbook")), &["watch", &path])
        .size(160, 45)
        .spawn();
    w.poll = Duration::from_millis(1);
    if let Err(s) = w.wait_until(Duration::from_secs(20), |s| {
        s.contains("following") && s.contains("step entered")
    }) {
        anyhow::bail!("watch never showed the journal:\n{s}");
    }

    let mut lat = Vec::with_capacity(samples);
    let mut fsync = Vec::with_capacity(samples);
    for i in 0..samples + 2 {
        // An uneven pause, so each append meets the follower at another
        // point of its look.
        std::thread::sleep(Duration::from_millis(150 + (i as u64 * 37) % 230));
        let text = format!("bench note {i:04}");
        let start = Instant::now();
        append(
            &mut journal,
            Event::Note {
                step: Some("confirm".into()),
                text: text.clone(),
                update: false,
            },
        )?;
        let on_disk = Instant::now();
        let want = format!("note: {text}");
        if let Err(s) = w.wait_until(Duration::from_secs(10), |s| s.contains(&want)) {
            anyhow::bail!("watch never showed {want:?}:\n{s}");
        }
        // The first two warm the page cache and the screen.
        if i >= 2 {
            lat.push(on_disk.elapsed());
            fsync.push(on_disk - start);
        }
    }
    w.send("q");
    let _ = w.wait_exit(Duration::from_secs(5));

    lat.sort();
    fsync.sort();
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    println!(
        "watch: journal append (fsynced) → on the watcher's screen, {} samples: median {}, p90 {}, p99 {}, min {}, max {} (asked: within 1 s)",
        lat.len(),
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.9)),
        ms(percentile(&lat, 0.99)),
        ms(lat[0]),
        ms(lat[lat.len() - 1]),
    );
    println!(
        "  (the append itself, write + fsync: median {:.2} ms)",
        percentile(&fsync, 0.5).as_secs_f64() * 1000.0
    );
    Ok(())
}
