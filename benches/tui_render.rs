//! Frame render time: the whole live screen drawn into a 120×40 TestBackend
//! while the output pane shows a run with 10 000 lines (coloured), following
//! the tail, and scrolled up with a search highlight. Prints p50/p99/max over
//! 500 frames (target: p99 < 2 ms). `RUNBOOK_BENCH_FRAMES` changes the count.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeDelta};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runbook::cli::setup::{Opened, open_incident};
use runbook::exec::tail::OutputTail;
use runbook::incident::{Event, Mode};
use runbook::tui::app::{App, DISPLAY_LINES};

fn t0() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T03:00:00+01:00").expect("fixed time")
}

fn app(dir: &Path) -> App {
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui/basic.yaml");
    let Opened {
        runbook,
        vars,
        mut session,
    } = open_incident(
        Some(&fx.display().to_string()),
        &[],
        Some(dir),
        "Render bench",
        Mode::Live,
        t0(),
    )
    .unwrap_or_else(|code| panic!("open_incident: exit {code}"));
    let step = runbook.steps[0].clone();
    session
        .record(
            Event::StepEntered {
                step: step.id.clone(),
            },
            t0(),
        )
        .expect("journal");
    // A run of the selected command (journaled as started, never launched).
    let run = session.incident().next_run_id();
    let (started, _job) = runbook::engine::command_start(run, &step, &step.commands[0], &vars);
    session.record(started, t0()).expect("journal");
    let mut app = App::new(session, runbook, vars, false);
    let mut tail = OutputTail::new(DISPLAY_LINES);
    for i in 0..10_000 {
        let line = match i % 4 {
            0 => format!(
                "2026-11-24 03:00:{:02} [info] <0.{i}.0> accepting AMQP connection 10.0.0.{}:5672\n",
                i % 60,
                i % 255
            ),
            1 => format!(
                "\x1b[33mwarning\x1b[0m queue orders.{i} has {} messages ready\n",
                i * 7
            ),
            2 => format!(
                "\x1b[31merror\x1b[0m channel {i}: PRECONDITION_FAILED - unknown delivery tag {i}\n"
            ),
            _ => format!("{i:>6} {}\n", "y ".repeat(40)),
        };
        tail.push(&line);
    }
    assert_eq!(tail.len(), 10_000);
    app.tails.insert(run, tail);
    app.shown_run = Some(run);
    assert_eq!(app.output_run(), Some(run), "the pane shows the big run");
    app
}

/// CPU time of this thread: unlike wall time it excludes the time the
/// scheduler gave to other processes (the machine is shared).
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn pct(sorted: &[Duration], p: usize) -> f64 {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)].as_secs_f64() * 1e3
}

fn measure(label: &str, app: &App, frames: usize) {
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    // Warm up (first frame draws everything).
    for _ in 0..10 {
        term.draw(|f| runbook::tui::draw::draw(app, f, t0()).keep(app))
            .expect("draw");
    }
    let mut wall = Vec::with_capacity(frames);
    let mut cpu = Vec::with_capacity(frames);
    for i in 0..frames {
        // The clock moves, as it does on screen (timers, spinner).
        let now = t0() + TimeDelta::milliseconds(i as i64 * 250);
        let (start, start_cpu) = (Instant::now(), thread_cpu());
        term.draw(|f| runbook::tui::draw::draw(app, f, now).keep(app))
            .expect("draw");
        wall.push(start.elapsed());
        cpu.push(thread_cpu().saturating_sub(start_cpu));
    }
    wall.sort();
    cpu.sort();
    println!(
        "tui_render {label}: 120x40, 10000-line output, {frames} frames (target < 2 ms)\n  \
         wall: p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms\n  \
         cpu:  p50 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
        pct(&wall, 50),
        pct(&wall, 99),
        pct(&wall, 100),
        pct(&cpu, 50),
        pct(&cpu, 99),
        pct(&cpu, 100),
    );
}

fn main() {
    let frames: usize = std::env::var("RUNBOOK_BENCH_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
        .max(10);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = app(dir.path());
    measure("following the tail", &app, frames);
    app.output.from_bottom = 5_000;
    app.output.search = Some("precondition".into());
    app.output.current_match = Some(4_998);
    measure("scrolled up 5000 lines, search highlight", &app, frames);
}
