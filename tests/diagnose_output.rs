//! What `runbook diagnose` prints and journals of a command's output: a flood
//! stays bounded, escape sequences never get through, parallel runs are
//! printed grouped.

#[path = "diagnose_support/mod.rs"]
mod support;

use std::time::Duration;

use runbook::incident::{Event, RunState};
use runbook::session::{HEAD_BYTES, TAIL_BYTES};
use support::*;

/// Peak RSS (VmHWM) of a live process, in KiB.
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn flood_is_bounded_in_memory_and_in_the_journal() {
    let log = tempfile::tempdir().unwrap();
    let fx = fixture("flood.yaml");
    let mut child = spawn_diagnose(&[fx.to_str().unwrap()], log.path());
    // VmHWM is the high-water mark, so the last value read before exit is the
    // peak so far; keep the largest seen in case the last read races the exit.
    let mut peak_kib = 0;
    let mut samples = 0;
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if let Some(kib) = vm_hwm_kib(child.id()) {
            peak_kib = peak_kib.max(kib);
            samples += 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(samples > 0, "never sampled the process");
    assert!(
        peak_kib < 64 * 1024,
        "peak RSS {peak_kib} KiB while a command printed 200 MB (limit 64 MiB)"
    );
    // The operator is told the journal holds only part of it.
    assert!(
        stdout.contains("the journal keeps only the first and last part"),
        "{stdout}"
    );

    let path = the_journal(log.path());
    let len = std::fs::metadata(&path).unwrap().len();
    // The excerpt is bounded in text (HEAD_BYTES + TAIL_BYTES = 1 MiB); in
    // the file, JSON escapes each "\n" of "y\n" as two bytes (x1.5), plus
    // per-line overhead. 1.6 MB is that bound; 200 MB unbounded would be far
    // above it.
    let text_bound = (HEAD_BYTES + TAIL_BYTES) as u64;
    assert!(
        len < text_bound * 3 / 2 + 64 * 1024,
        "journal is {len} bytes for a 200 MB flood"
    );

    let (read, inc) = read_folded(log.path());
    assert!(read.torn.is_none() && read.skipped.is_empty());
    assert_seq_gapless(&read.records);
    let omitted: Vec<u64> = read
        .records
        .iter()
        .filter_map(|r| match r.event {
            Event::CommandOutputOmitted { bytes, .. } => Some(bytes),
            _ => None,
        })
        .collect();
    assert_eq!(omitted.len(), 1, "one omission marker");
    assert!(
        (100_000_000..200_000_000).contains(&omitted[0]),
        "omitted {} bytes of 200 MB",
        omitted[0]
    );
    let journaled: usize = read
        .records
        .iter()
        .filter_map(|r| match &r.event {
            Event::CommandOutput { text, .. } => Some(text.len()),
            _ => None,
        })
        .sum();
    assert!(
        journaled <= HEAD_BYTES + TAIL_BYTES,
        "{journaled} bytes of text"
    );
    // Nothing is lost from the accounting: journaled + omitted = printed.
    assert_eq!(journaled as u64 + omitted[0], 200_000_000);
    match &of_type(&read.records, "command_finished")[0].event {
        Event::CommandFinished {
            truncated, bytes, ..
        } => {
            assert!(truncated);
            assert_eq!(*bytes, 200_000_000);
        }
        other => unreachable!("{other:?}"),
    }
    // Replay: the folded run is finished, marked truncated, and its output
    // carries the omission marker between head and tail.
    let run = inc.runs.values().next().unwrap();
    assert_eq!(run.state, RunState::Exited(0));
    assert!(run.truncated);
    assert!(
        run.output
            .contains(&runbook::incident::omitted_marker(omitted[0])),
        "no omission marker in the replayed output"
    );
}

#[test]
fn escape_sequences_never_reach_stdout_or_the_journal() {
    let log = tempfile::tempdir().unwrap();
    let fx = fixture("escapes.yaml");
    let out = diagnose(&[fx.to_str().unwrap()], log.path());
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    // Not a TTY: no escape byte at all on stdout (colour is stripped too).
    assert!(
        !out.stdout.contains(&0x1b),
        "ESC on stdout: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!out.stdout.contains(&0x07), "BEL on stdout");
    let shown = stdout
        .lines()
        .find(|l| l.contains("plain") && !l.contains("printf"))
        .unwrap_or_else(|| panic!("output line missing:\n{stdout}"));
    assert_eq!(shown.trim(), "plainred\u{FFFD}", "bad byte shown as U+FFFD");

    let path = the_journal(log.path());
    let raw = std::fs::read(&path).unwrap();
    assert!(!raw.contains(&0x1b), "raw ESC in the journal file");
    let (read, _) = read_folded(log.path());
    let text: String = read
        .records
        .iter()
        .filter_map(|r| match &r.event {
            Event::CommandOutput { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    for bad in ["\u{1b}]52", "\u{1b}[2J", "\u{1b}[H", "\u{7}", "aGVsbG8="] {
        assert!(!text.contains(bad), "{bad:?} journaled: {text:?}");
    }
    assert!(text.contains("plain"), "{text:?}");
    assert!(text.contains("red"), "{text:?}");
    assert!(text.contains('\u{FFFD}'), "{text:?}");
}

#[test]
fn parallel_runs_are_printed_grouped_and_did_overlap() {
    let log = tempfile::tempdir().unwrap();
    let fx = fixture("parallel.yaml");
    let out = diagnose(&[fx.to_str().unwrap(), "--jobs", "6"], log.path());
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    for c in 1..=6 {
        let id = format!("cmd-{c}");
        let tag = format!("{id} line ");
        let at: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.contains(&tag) && !l.contains("echo"))
            .map(|(i, _)| i)
            .collect();
        assert!(!at.is_empty(), "no output of {id}:\n{stdout}");
        // Contiguous: nothing of another command between its first and last line.
        assert_eq!(
            at.last().unwrap() - at.first().unwrap() + 1,
            at.len(),
            "output of {id} is interleaved:\n{stdout}"
        );
        // In order, ending with line 20.
        let numbers: Vec<&str> = at
            .iter()
            .map(|&i| lines[i].trim().trim_start_matches(&tag))
            .collect();
        let mut sorted = numbers.clone();
        sorted.sort();
        assert_eq!(numbers, sorted, "{id} out of order");
        assert_eq!(numbers.last(), Some(&"20"));
        // Its block header comes right before its lines (header, `$ command`,
        // the "earlier lines" note since only the last lines are shown).
        let header = lines[..at[0]]
            .iter()
            .rposition(|l| l.starts_with("── "))
            .unwrap();
        assert!(
            lines[header].contains(&format!("/ {id} ")),
            "{}",
            lines[header]
        );
        // Exactly one summary row, exit 0.
        let rows: Vec<&&str> = lines
            .iter()
            .filter(|l| l.starts_with("1. par") && l.split_whitespace().nth(2) == Some(&id))
            .collect();
        assert_eq!(rows.len(), 1, "summary rows for {id}: {rows:?}");
        assert!(rows[0].contains("exit 0"), "{}", rows[0]);
    }

    // Overlap, from the journal: with 6 jobs every command started before
    // the first one finished (run sequentially, each would start after the
    // previous one finished).
    let (read, _) = read_folded(log.path());
    let starts: Vec<u64> = of_type(&read.records, "command_started")
        .iter()
        .map(|r| r.seq)
        .collect();
    let first_finish = of_type(&read.records, "command_finished")
        .iter()
        .map(|r| r.seq)
        .min()
        .unwrap();
    assert_eq!(starts.len(), 6);
    assert!(
        starts.iter().all(|&s| s < first_finish),
        "runs did not overlap: starts {starts:?}, first finish at seq {first_finish}"
    );
}
