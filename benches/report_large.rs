//! Report generation for a 100 000-event journal: read + fold, Markdown,
//! HTML. Prints milliseconds and peak RSS (VmHWM). Run with
//! `cargo bench --bench report_large`.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::time::Instant;

use chrono::{DateTime, Duration, FixedOffset};
use runbook::incident::*;
use runbook::report::{LoadedJournal, ReportFormat, render};

const EVENTS: u64 = 100_000;

fn at(ms: i64) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T03:00:00.000+00:00").unwrap_or_default()
        + Duration::milliseconds(ms)
}

fn steps() -> Vec<StepOutline> {
    (0..10)
        .map(|i| StepOutline {
            id: format!("step-{i}"),
            title: format!("Step number {i}"),
            expected_ms: Some(60_000),
            limit_ms: Some(120_000),
            mitigation: i == 6,
            checklist: vec![],
        })
        .collect()
}

/// Events in a realistic mix: per step, commands with several output
/// chunks, checks, notes; 100 000 records in all.
fn write_journal(path: &std::path::Path) -> std::io::Result<()> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    let mut seq = 0u64;
    let mut run = 0u64;
    let mut t = 0i64;
    let mut emit =
        |w: &mut BufWriter<std::fs::File>, t: i64, event: Event| -> std::io::Result<u64> {
            seq += 1;
            let rec = Record {
                seq,
                ts: at(t),
                event,
            };
            serde_json::to_writer(&mut *w, &rec)?;
            w.write_all(b"\n")?;
            Ok(seq)
        };
    emit(
        &mut w,
        0,
        Event::IncidentOpened {
            schema: JOURNAL_SCHEMA,
            incident_id: "bench".into(),
            title: "Bench incident".into(),
            runbook: RunbookRef {
                id: "rb".into(),
                title: "RB".into(),
                path: "rb.yaml".into(),
                sha256: "0".into(),
            },
            steps: steps(),
            vars: BTreeMap::new(),
            host: "h".into(),
            user: "u".into(),
            mode: Mode::Live,
            program_version: "0".into(),
            lang: String::new(),
        },
    )?;
    let mut n = 1u64;
    let per_step = EVENTS / 10;
    for s in 0..10 {
        let step = format!("step-{s}");
        n = emit(&mut w, t, Event::StepEntered { step: step.clone() })?;
        let stop = per_step * (s + 1) - 2;
        while n < stop {
            t += 100;
            run += 1;
            emit(
                &mut w,
                t,
                Event::CommandStarted {
                    run,
                    step: step.clone(),
                    command: "cmd".into(),
                    command_line: format!("echo {run} http://host:15672/api"),
                    pid: None,
                },
            )?;
            for k in 0..6 {
                t += 10;
                let text = format!(
                    "\x1b[32mline {k}\x1b[0m of run {run}: some output text here\nsecond line\n"
                );
                emit(
                    &mut w,
                    t,
                    Event::CommandOutput {
                        run,
                        stream: Stream::Stdout,
                        text,
                    },
                )?;
            }
            emit(
                &mut w,
                t,
                Event::CommandFinished {
                    run,
                    exit_code: Some(0),
                    signal: None,
                    timed_out: false,
                    cancelled: false,
                    duration_ms: 60,
                    bytes: 300,
                    truncated: false,
                    launch_error: None,
                },
            )?;
            run += 1;
            emit(
                &mut w,
                t,
                Event::CheckStarted {
                    run,
                    step: step.clone(),
                    check: "tcp".into(),
                    kind: "tcp".into(),
                    target: "h:5672".into(),
                },
            )?;
            emit(
                &mut w,
                t,
                Event::CheckFinished {
                    run,
                    status: if run.is_multiple_of(7) {
                        CheckStatus::Fail
                    } else {
                        CheckStatus::Pass
                    },
                    summary: "ok".into(),
                    evidence: String::new(),
                    duration_ms: 5,
                },
            )?;
            n = emit(
                &mut w,
                t,
                Event::Note {
                    step: Some(step.clone()),
                    text: format!("note {n} <b>"),
                    update: false,
                },
            )?;
        }
        n = emit(&mut w, t, Event::StepCompleted { step })?;
    }
    w.flush()?;
    println!(
        "journal: {} records, {} bytes",
        n,
        std::fs::metadata(path)?.len()
    );
    Ok(())
}

fn peak_rss_kib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l[6..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("20261124T030000Z-bench.jsonl");
    write_journal(&path)?;
    println!("peak RSS after writing: {}", peak_rss_kib());
    for round in 1..=3 {
        let t0 = Instant::now();
        let loaded = LoadedJournal::load(&path)?;
        let t1 = Instant::now();
        let md = render(&loaded, ReportFormat::Markdown);
        let t2 = Instant::now();
        let html = render(&loaded, ReportFormat::Html);
        let t3 = Instant::now();
        println!(
            "round {round}: read+fold {:.0} ms, markdown {:.0} ms ({} KiB), html {:.0} ms ({} KiB), read+fold+markdown {:.0} ms",
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            md.len() / 1024,
            (t3 - t2).as_secs_f64() * 1e3,
            html.len() / 1024,
            (t2 - t0).as_secs_f64() * 1e3,
        );
    }
    println!("peak RSS (VmHWM): {}", peak_rss_kib());
    Ok(())
}
