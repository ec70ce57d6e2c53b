//! The session as the single writer: failures keep events, secrets never reach
//! the file, floods are excerpted, resume marks interrupted runs.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, FixedOffset};
use runbook::incident::*;
use runbook::journal;
use runbook::secrets::Masker;
use runbook::session::{RunEnd, Session};

fn t0() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T03:00:00.000+00:00").unwrap()
}

fn opened(steps: Vec<StepOutline>) -> Event {
    Event::IncidentOpened {
        schema: JOURNAL_SCHEMA,
        incident_id: "inc".into(),
        title: "t".into(),
        runbook: RunbookRef {
            id: "rb".into(),
            title: "RB".into(),
            path: "rb.yaml".into(),
            sha256: "0".into(),
        },
        steps,
        vars: BTreeMap::from([("password".into(), "hunter2-secret".into())]),
        host: "h".into(),
        user: "u".into(),
        mode: Mode::Drill,
        program_version: "0".into(),
        lang: String::new(),
    }
}

fn step(id: &str, expected: Option<u64>, limit: Option<u64>) -> StepOutline {
    StepOutline {
        id: id.into(),
        title: id.into(),
        expected_ms: expected,
        limit_ms: limit,
        mitigation: id == "fix",
        checklist: vec![],
    }
}

fn note(text: &str) -> Event {
    Event::Note {
        step: None,
        text: text.into(),
        update: false,
    }
}

fn seqs(path: &Path) -> Vec<u64> {
    journal::read(path)
        .unwrap()
        .records
        .iter()
        .map(|r| r.seq)
        .collect()
}

/// Mounts a small tmpfs; `None` where not permitted.
struct Tmpfs(tempfile::TempDir);
impl Tmpfs {
    fn mount() -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if ok { Some(Tmpfs(dir)) } else { None }
    }
}
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

#[test]
fn full_disk_keeps_events_pending_and_writes_them_in_order_when_space_returns() {
    // No silent skip: CI runs as root, and a full disk is a promise we test.
    let fs = Tmpfs::mount()
        .expect("mounting a 64 KiB tmpfs failed: this test needs root (CI runs as root)");
    let dir = fs.0.path().join("incidents");
    let mut s = Session::start(
        &dir,
        opened(vec![step("a", None, None)]),
        Masker::default(),
        t0(),
    )
    .unwrap();
    // Fill the filesystem.
    let filler = fs.0.path().join("filler");
    let _ = std::fs::write(&filler, vec![b'x'; 256 * 1024]);
    for i in 0..20 {
        // Recording never waits for the disk; the writer finds it full.
        let _ = s.record(
            note(&format!("note {i} {}", "y".repeat(2000))),
            t0() + Duration::seconds(i),
        );
    }
    assert_eq!(s.incident().notes.len(), 20, "the state shows every event");
    let err = s.drain().expect_err("the disk never filled").to_string();
    assert!(s.pending_writes() > 0);
    assert!(
        err.contains("No space left on device") && err.contains(s.journal_path().to_str().unwrap()),
        "{err}"
    );
    // The writer says so too, for the banner, while records are held; and
    // a new record is told that the journal is failing.
    let told = s
        .write_error()
        .expect("the failure is published")
        .to_string();
    assert!(told.contains("No space left on device"), "{told}");
    assert!(s.record(note("one more"), t0()).is_err());

    std::fs::remove_file(&filler).unwrap();
    s.flush_pending().unwrap();
    assert_eq!(s.pending_writes(), 0);
    assert!(s.write_error().is_none());
    assert_eq!(s.acked_seq(), 22);
    assert_eq!(seqs(s.journal_path()), (1..=22).collect::<Vec<u64>>());
    let read = journal::read(s.journal_path()).unwrap();
    assert_eq!(read.torn, None);
    assert_eq!(&Incident::fold(&read.records), s.incident());
}

#[test]
fn a_removed_journal_directory_is_recreated_with_everything_in_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let mut s = Session::start(&dir, opened(vec![]), Masker::default(), t0()).unwrap();
    s.record(note("before"), t0()).unwrap();
    s.drain().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    s.record(note("after"), t0()).unwrap();
    s.drain().unwrap();
    let read = journal::read(s.journal_path()).unwrap();
    assert_eq!(read.records.len(), 3);
    assert_eq!(&Incident::fold(&read.records), s.incident());
}

#[test]
fn start_in_an_unwritable_place_is_a_clear_error() {
    let err = Session::start(
        Path::new("/dev/full/incidents"),
        opened(vec![]),
        Masker::default(),
        t0(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("/dev/full/incidents"), "{err}");
}

#[test]
fn secrets_never_reach_the_file_even_split_across_output_chunks() {
    let tmp = tempfile::tempdir().unwrap();
    let masker = Masker::new(vec!["hunter2-secret".into()]);
    let mut s = Session::start(
        tmp.path(),
        opened(vec![step("a", None, None)]),
        masker,
        t0(),
    )
    .unwrap();
    s.record(
        Event::CommandStarted {
            run: 1,
            step: "a".into(),
            command: "c".into(),
            command_line: "curl -u admin:hunter2-secret http://admin:pw@host/".into(),
            pid: None,
        },
        t0(),
    )
    .unwrap();
    s.record_output(1, Stream::Stdout, "line one\npassword is hunt", t0())
        .unwrap();
    s.record_output(
        1,
        Stream::Stdout,
        "er2-secret ok\nlast no newline hunter2-",
        t0(),
    )
    .unwrap();
    s.record_output(1, Stream::Stdout, "secret", t0()).unwrap();
    s.record_finished(
        1,
        RunEnd {
            exit_code: Some(0),
            ..RunEnd::default()
        },
        t0(),
    )
    .unwrap();
    s.drain().unwrap();
    let bytes = std::fs::read_to_string(s.journal_path()).unwrap();
    assert!(
        !bytes.contains("hunter2") && !bytes.contains(":pw@"),
        "{bytes}"
    );
    let out = &s.incident().runs[&1].output;
    assert_eq!(out, "line one\npassword is •••• ok\nlast no newline ••••");
    assert_eq!(s.incident().vars["password"], "••••");
}

#[test]
fn a_coloured_secret_never_reaches_the_file_and_keeps_its_colours() {
    let tmp = tempfile::tempdir().unwrap();
    let masker = Masker::new(vec!["hunter2pass".into()]);
    let mut s = Session::start(tmp.path(), opened(vec![]), masker, t0()).unwrap();
    // grep --color=always, split inside the colour code and the secret.
    s.record_output(1, Stream::Stdout, "password = hunter2\x1b[01", t0())
        .unwrap();
    s.record_output(1, Stream::Stdout, ";31mpa", t0()).unwrap();
    s.record_output(1, Stream::Stdout, "ss\x1b[m\n", t0())
        .unwrap();
    // A line longer than the partial-line limit, cut while it is printed.
    let pad = "x".repeat(70_000);
    s.record_output(1, Stream::Stdout, &pad, t0()).unwrap();
    s.record_output(1, Stream::Stdout, "hun\x1b[0mter2", t0())
        .unwrap();
    s.record_output(1, Stream::Stdout, &pad, t0()).unwrap();
    s.record_output(1, Stream::Stdout, "pass\n", t0()).unwrap();
    s.record_output(1, Stream::Stdout, &pad, t0()).unwrap();
    s.record_output(1, Stream::Stdout, "hunter2\x1b[1mpass", t0())
        .unwrap();
    s.record_output(1, Stream::Stdout, &pad, t0()).unwrap();
    s.record_finished(1, RunEnd::default(), t0()).unwrap();
    // The writer thread appends: read the file once it has everything.
    s.drain().unwrap();
    let text: String = journal::read(s.journal_path())
        .unwrap()
        .records
        .iter()
        .filter_map(|r| match &r.event {
            Event::CommandOutput { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let shown = runbook::exec::sanitize::strip_sgr(&text);
    assert!(!shown.contains("hunter2pass"), "secret in the journal");
    assert!(text.starts_with("password = ••••\x1b[01;31m\x1b[m\n"));
    // `hunter2`, a long run of text, then `pass`: not the secret, kept as printed.
    assert!(text.contains(&format!("{pad}hun\x1b[0mter2{pad}pass\n")));
    assert!(text.ends_with(&format!("{pad}••••\x1b[1m{pad}")));
}

#[test]
fn a_flood_is_journaled_as_head_marker_and_tail() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = Session::start(
        tmp.path(),
        opened(vec![step("a", None, None)]),
        Masker::default(),
        t0(),
    )
    .unwrap();
    s.record(
        Event::CommandStarted {
            run: 1,
            step: "a".into(),
            command: "yes".into(),
            command_line: "yes".into(),
            pid: None,
        },
        t0(),
    )
    .unwrap();
    let chunk = "y\n".repeat(4096); // 8 KiB
    for _ in 0..512 {
        s.record_output(1, Stream::Stdout, &chunk, t0()).unwrap(); // 4 MiB in all
    }
    s.record_output(1, Stream::Stdout, "THE END\n", t0())
        .unwrap();
    s.record_finished(
        1,
        RunEnd {
            exit_code: Some(0),
            bytes: 4 * 1024 * 1024 + 8,
            ..RunEnd::default()
        },
        t0(),
    )
    .unwrap();
    s.drain().unwrap();
    let len = std::fs::metadata(s.journal_path()).unwrap().len();
    assert!(
        len < 1_700_000, // 1 MiB of text; JSON writes each "\n" as two bytes
        "journal holds a bounded excerpt, got {len} bytes"
    );
    let run = &s.incident().runs[&1];
    assert!(run.truncated);
    assert!(
        run.output
            .contains("[… 3 145 736 bytes of output left out of the journal …]"),
        "marker missing"
    );
    assert!(run.output.ends_with("THE END\n"));
    let read = journal::read(s.journal_path()).unwrap();
    assert_eq!(&Incident::fold(&read.records), s.incident());
}

#[test]
fn resume_marks_running_commands_interrupted_and_continues_seq() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = Session::start(
        tmp.path(),
        opened(vec![step("a", None, None)]),
        Masker::default(),
        t0(),
    )
    .unwrap();
    s.record(Event::StepEntered { step: "a".into() }, t0())
        .unwrap();
    s.record(
        Event::CommandStarted {
            run: 1,
            step: "a".into(),
            command: "c".into(),
            command_line: "sleep 100".into(),
            pid: Some(1),
        },
        t0(),
    )
    .unwrap();
    let path = s.journal_path().to_path_buf();
    drop(s); // the program dies
    assert_eq!(
        Incident::fold(&journal::read(&path).unwrap().records).runs[&1].state,
        RunState::Running
    );
    let later = t0() + Duration::minutes(5);
    let mut s = Session::resume(&path, Masker::default(), later).unwrap();
    assert_eq!(s.incident().runs[&1].state, RunState::Interrupted);
    assert_eq!(s.incident().next_run_id(), 2);
    // Time while the program was down counts.
    assert_eq!(s.incident().step_elapsed(0, later).as_secs(), 300);
    s.record(note("back"), later).unwrap();
    s.drain().unwrap();
    assert_eq!(seqs(&path), vec![1, 2, 3, 4, 5]);
    assert_eq!(journal::latest_unfinished(tmp.path()), Some(path));
}

fn flood(
    s: &mut Session,
    run: RunId,
    lines: usize,
    from: DateTime<FixedOffset>,
) -> DateTime<FixedOffset> {
    let mut now = from;
    for i in 0..lines {
        // ~1 KiB a line, 10 ms apart: a checkpoint about every 100 lines.
        now += Duration::milliseconds(10);
        let text = format!("line {i:05} {}\n", "x".repeat(1000));
        s.record_output(run, Stream::Stdout, &text, now).unwrap();
    }
    now
}

/// A session in `dir` whose run 1 (`yes`) has just started.
fn flood_started(dir: &Path) -> Session {
    let mut s = Session::start(
        dir,
        opened(vec![step("a", None, None)]),
        Masker::default(),
        t0(),
    )
    .unwrap();
    s.record(
        Event::CommandStarted {
            run: 1,
            step: "a".into(),
            command: "flood".into(),
            command_line: "yes".into(),
            pid: None,
        },
        t0(),
    )
    .unwrap();
    s
}

fn sidecars(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tail"))
        .collect()
}

/// A session in `dir` whose run 1 flooded 2 MiB (past the 512 KiB head, so
/// the rest is only on screen) and then, a while later (a checkpoint is
/// due), printed "the very last line on screen". Returns it and the time of
/// the flood's end.
fn flood_with_a_last_line(dir: &Path) -> (Session, DateTime<FixedOffset>) {
    let mut s = flood_started(dir);
    let now = flood(&mut s, 1, 2000, t0());
    s.record_output(
        1,
        Stream::Stdout,
        "the very last line on screen\n",
        now + Duration::seconds(2),
    )
    .unwrap();
    (s, now)
}

#[test]
fn kill_9_during_a_flood_keeps_what_was_on_screen_for_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let (s, now) = flood_with_a_last_line(tmp.path());
    let path = s.journal_path().to_path_buf();
    s.drain().unwrap();
    assert_eq!(
        sidecars(tmp.path()).len(),
        1,
        "one checkpoint for the running flood"
    );
    drop(s); // kill -9: the in-memory tail is gone

    let s = Session::resume(&path, Masker::default(), now + Duration::minutes(1)).unwrap();
    s.drain().unwrap();
    let run = &s.incident().runs[&1];
    assert_eq!(run.state, RunState::Interrupted);
    assert!(run.output.contains("line 00000"), "the head is journaled");
    assert!(
        run.output.contains("the very last line on screen"),
        "the last output on screen survives kill -9"
    );
    assert!(
        run.output.contains("left out of the journal"),
        "the gap is marked"
    );
    assert!(
        sidecars(tmp.path()).is_empty(),
        "resume folds the checkpoint into the journal"
    );
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(
        size < 800 * 1024,
        "bounded: head + one checkpoint, {size} bytes"
    );
}

#[test]
fn a_flood_that_ends_normally_leaves_no_checkpoint() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = flood_started(tmp.path());
    let now = flood(&mut s, 1, 1500, t0());
    s.drain().unwrap();
    assert_eq!(sidecars(tmp.path()).len(), 1);
    let end = RunEnd {
        exit_code: Some(0),
        signal: None,
        timed_out: false,
        cancelled: false,
        duration_ms: 15_000,
        bytes: 1_500_000,
    };
    s.record_finished(1, end, now).unwrap();
    s.drain().unwrap();
    assert!(sidecars(tmp.path()).is_empty());
}

#[test]
fn a_report_of_an_incident_killed_during_a_flood_shows_its_last_output_without_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let (s, _) = flood_with_a_last_line(tmp.path());
    let path = s.journal_path().to_path_buf();
    drop(s); // kill -9, never resumed
    let before = std::fs::read(&path).unwrap();

    let loaded = runbook::report::LoadedJournal::load(&path).unwrap();
    let run = &loaded.incident.runs[&1];
    assert!(run.output.contains("the very last line on screen"));
    assert!(run.output.contains("left out of the journal"));
    assert!(
        loaded
            .problems()
            .iter()
            .any(|p| p.contains("Run #1") && p.contains("tail checkpoint")),
        "{:?}",
        loaded.problems()
    );
    let md = runbook::report::render(&loaded, runbook::report::ReportFormat::Markdown);
    assert!(md.contains("the very last line on screen"));
    assert!(md.contains("tail checkpoint"));

    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "review writes nothing"
    );
    assert_eq!(
        sidecars(tmp.path()).len(),
        1,
        "the checkpoint stays for resume"
    );
}

#[test]
fn killed_in_the_first_second_of_a_flood_the_record_says_how_much_was_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = flood_started(tmp.path());
    // 4 MB within one second: only the first checkpoint (as the head
    // filled up) is on disk when the program dies.
    let mut total = 0u64;
    for i in 0..4000 {
        let text = format!("line {i:05} {}\n", "x".repeat(1000));
        total += text.len() as u64;
        let now = t0() + Duration::microseconds(100 * i);
        s.record_output(1, Stream::Stdout, &text, now).unwrap();
    }
    let path = s.journal_path().to_path_buf();
    drop(s); // kill -9

    // The report, before any resume, already says how much is missing.
    let loaded = runbook::report::LoadedJournal::load(&path).unwrap();
    let md = runbook::report::render(&loaded, runbook::report::ReportFormat::Markdown);
    assert!(md.contains("were lost when the program stopped"), "{md}");

    let s = Session::resume(&path, Masker::default(), t0() + Duration::minutes(1)).unwrap();
    drop(s);
    let read = journal::read(&path).unwrap();
    let (mut text, mut omitted, mut lost) = (0u64, 0u64, 0u64);
    for r in &read.records {
        match &r.event {
            Event::CommandOutput {
                run: 1, text: t, ..
            } => text += t.len() as u64,
            Event::CommandOutputOmitted {
                run: 1,
                bytes,
                lost: l,
            } => {
                omitted += bytes;
                if *l {
                    lost += bytes;
                }
            }
            _ => {}
        }
    }
    assert_eq!(
        text + omitted,
        total,
        "every byte shown is either in the journal or counted as missing"
    );
    assert!(
        lost > 2_000_000,
        "most of the flood died with the program, and the record says so: {lost}"
    );
    let run = &Incident::fold(&read.records).runs[&1];
    assert!(
        run.output.contains(&runbook::incident::lost_marker(lost)),
        "{}",
        &run.output[run.output.len().saturating_sub(300)..]
    );
    assert!(
        std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .all(|e| !e.file_name().to_string_lossy().contains(".run-")),
        "resume removes the checkpoint and its counter"
    );
}

#[test]
fn a_flood_that_ends_normally_leaves_no_counter_either() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = flood_started(tmp.path());
    let now = flood(&mut s, 1, 1500, t0());
    s.record_finished(1, RunEnd::default(), now).unwrap();
    // The sidecars go once the journal has the tail on disk.
    s.drain().unwrap();
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".run-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
