//! Journal write/read: replay reproduces the state; damaged input is tolerated
//! or refused with a clear message.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Duration, FixedOffset};
use runbook::incident::*;
use runbook::journal::{self, Journal, JournalError};

fn t0() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T03:00:00.000+01:00").unwrap()
}

fn opened() -> Event {
    Event::IncidentOpened {
        schema: JOURNAL_SCHEMA,
        incident_id: "inc-1".into(),
        title: "".into(),
        runbook: RunbookRef {
            id: "rabbitmq-emergency".into(),
            title: "RabbitMQ emergency".into(),
            path: "embedded:rabbitmq-emergency.yaml".into(),
            sha256: "ab".into(),
        },
        steps: vec![
            StepOutline {
                id: "confirm".into(),
                title: "Confirm".into(),
                expected_ms: Some(60_000),
                limit_ms: Some(120_000),
                mitigation: false,
                checklist: vec!["clients".into(), "error".into()],
            },
            StepOutline {
                id: "fix".into(),
                title: "Temporary fix".into(),
                expected_ms: Some(300_000),
                limit_ms: Some(600_000),
                mitigation: true,
                checklist: vec![],
            },
        ],
        vars: BTreeMap::from([("host".into(), "localhost".into())]),
        host: "db1".into(),
        user: "ops".into(),
        mode: Mode::Live,
        program_version: "0.1.0".into(),
        lang: String::new(),
    }
}

/// One of every event type, in a plausible order.
fn rich_events() -> Vec<Event> {
    let s = |x: &str| x.to_string();
    vec![
        opened(),
        Event::TitleSet {
            title: s("Queues stuck"),
        },
        Event::StepEntered { step: s("confirm") },
        Event::ChecklistToggled {
            step: s("confirm"),
            item: 1,
            text: s("error"),
            checked: true,
        },
        Event::QuestionAnswered {
            step: s("confirm"),
            ask: s("symptom"),
            answer: s("backlog"),
        },
        Event::CommandStarted {
            run: 1,
            step: s("confirm"),
            command: s("ping"),
            command_line: s("rabbitmq-diagnostics ping"),
            pid: Some(42),
        },
        Event::CommandOutput {
            run: 1,
            stream: Stream::Stdout,
            text: s("pong\n"),
        },
        Event::CommandOutputOmitted {
            run: 1,
            bytes: 199_000_000,
            lost: false,
        },
        Event::CommandOutput {
            run: 1,
            stream: Stream::Stderr,
            text: s("tail\n"),
        },
        Event::CommandFinished {
            run: 1,
            exit_code: Some(0),
            signal: None,
            timed_out: false,
            cancelled: false,
            duration_ms: 120,
            bytes: 199_000_010,
            truncated: true,
            launch_error: None,
        },
        Event::CheckStarted {
            run: 2,
            step: s("confirm"),
            check: s("amqp-port"),
            kind: s("tcp"),
            target: s("localhost:5672"),
        },
        Event::CheckFinished {
            run: 2,
            status: CheckStatus::Fail,
            summary: s("refused"),
            evidence: s("ECONNREFUSED"),
            duration_ms: 3,
        },
        Event::Note {
            step: Some(s("confirm")),
            text: s("clients see ACCESS_REFUSED"),
            update: false,
        },
        Event::BudgetOverrun {
            step: s("confirm"),
            limit_ms: 120_000,
            elapsed_ms: 121_000,
        },
        Event::StepCompleted { step: s("confirm") },
        Event::StepEntered { step: s("fix") },
        Event::ConfirmationAsked {
            step: s("fix"),
            command: s("restart"),
            command_line: s("systemctl restart rabbitmq-server"),
            expected: s("restart"),
            reason: s("restarts a service"),
        },
        Event::ConfirmationAnswered {
            step: s("fix"),
            command: s("restart"),
            accepted: true,
            typed: s("restart"),
        },
        Event::CommandStarted {
            run: 3,
            step: s("fix"),
            command: s("restart"),
            command_line: s("systemctl restart rabbitmq-server"),
            pid: None,
        },
        Event::SessionEnded {
            reason: EndReason::Signal(s("SIGHUP")),
        },
        Event::SessionResumed {
            host: s("db1"),
            user: s("ops"),
            program_version: s("0.1.0"),
        },
        Event::StepSkipped {
            step: s("fix"),
            reason: s("done by hand"),
        },
        Event::IncidentResolved {
            summary: s("memory alarm cleared"),
        },
        Event::SessionEnded {
            reason: EndReason::Quit,
        },
    ]
}

fn records(events: Vec<Event>) -> Vec<Record> {
    events
        .into_iter()
        .enumerate()
        .map(|(i, event)| Record {
            seq: i as u64 + 1,
            ts: t0() + Duration::seconds(30 * i as i64),
            event,
        })
        .collect()
}

fn write_journal(dir: &std::path::Path, recs: &[Record]) -> std::path::PathBuf {
    let mut j = Journal::create(dir, "rabbitmq-emergency", t0()).unwrap();
    for r in recs {
        j.append(r).unwrap();
    }
    j.path().to_path_buf()
}

#[test]
fn replay_reproduces_the_state_for_every_event_type() {
    let dir = tempfile::tempdir().unwrap();
    let recs = records(rich_events());
    let path = write_journal(dir.path(), &recs);
    assert_eq!(
        path.file_name().unwrap(),
        "20261124T020000Z-rabbitmq-emergency.jsonl"
    );
    let read = journal::read(&path).unwrap();
    assert_eq!(read.torn, None);
    assert_eq!(read.records, recs);
    let folded = Incident::fold(&recs);
    assert_eq!(Incident::fold(&read.records), folded);
    // The fold saw what a reviewer will look for.
    assert_eq!(folded.title, "Queues stuck");
    assert_eq!(folded.runs[&3].state, RunState::Interrupted);
    assert_eq!(folded.runs[&2].state, RunState::Check(CheckStatus::Fail));
    assert!(
        folded.runs[&1]
            .output
            .contains("[… 199 000 000 bytes of output left out of the journal …]")
    );
    assert_eq!(folded.steps[0].checklist, vec![false, true]);
    assert!(!folded.is_open());
    // Every line is valid JSON with seq, ts (milliseconds) and type.
    let text = std::fs::read_to_string(&path).unwrap();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["ts"].as_str().unwrap().contains(".000+01:00"), "{line}");
        assert!(v["type"].is_string() && v["seq"].is_u64());
    }
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn same_second_gets_a_suffixed_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let a = Journal::create(dir.path(), "x", t0()).unwrap();
    let b = Journal::create(dir.path(), "x", t0()).unwrap();
    assert_ne!(a.path(), b.path());
    assert!(b.path().to_string_lossy().ends_with("-x-2.jsonl"));
}

#[test]
fn torn_last_line_is_reported_kept_aside_and_resume_continues_the_seq() {
    let dir = tempfile::tempdir().unwrap();
    let recs = records(rich_events()[..6].to_vec());
    let path = write_journal(dir.path(), &recs);
    let full = std::fs::read(&path).unwrap();
    // Cut the last record in the middle, as a crash mid-write would.
    let cut = full.len() - 20;
    std::fs::write(&path, &full[..cut]).unwrap();
    let read = journal::read(&path).unwrap();
    assert_eq!(read.records, recs[..5]);
    let torn = read.torn.unwrap();
    assert_eq!(torn.line, 6);

    let (mut j, read) = Journal::open_existing(&path).unwrap();
    assert_eq!(read.records.len(), 5);
    // Opening only reads (no fsync before the first screen): the torn line
    // is set aside by the first write, on the writer's thread.
    assert_eq!(std::fs::read(&path).unwrap(), full[..cut]);
    assert!(!path.with_extension("jsonl.torn").exists());
    let next = Record {
        seq: 6,
        ts: t0() + Duration::minutes(10),
        event: Event::Note {
            step: None,
            text: "after crash".into(),
            update: false,
        },
    };
    j.append(&next).unwrap();
    let sidecar = std::fs::read(path.with_extension("jsonl.torn")).unwrap();
    assert_eq!(sidecar.len(), torn.bytes, "torn bytes kept in .torn");
    let again = journal::read(&path).unwrap();
    assert_eq!(again.torn, None);
    let seqs: Vec<u64> = again.records.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4, 5, 6]);
}

#[test]
fn a_newer_schema_is_refused_with_an_upgrade_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.jsonl");
    std::fs::write(&path, "{\"seq\":1,\"ts\":\"2026-11-24T03:00:00.000+01:00\",\"type\":\"incident_opened\",\"schema\":2,\"new\":true}\n").unwrap();
    let err = journal::read(&path).unwrap_err();
    assert!(matches!(err, JournalError::SchemaTooNew { schema: 2, .. }));
    assert!(
        err.to_string()
            .contains("journal schema 2 is newer than this program (reads 1): upgrade runbook"),
        "{err}"
    );
}

#[test]
fn unknown_event_types_are_kept_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let recs = records(rich_events()[..3].to_vec());
    let path = write_journal(dir.path(), &recs);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    writeln!(f, "{{\"seq\":4,\"ts\":\"2026-11-24T03:05:00.000+01:00\",\"type\":\"pager_acked\",\"by\":\"ann\"}}").unwrap();
    writeln!(f, "not json at all").unwrap();
    writeln!(
        f,
        "{}",
        serde_json::to_string(&Record {
            seq: 5,
            ts: t0(),
            event: Event::Note {
                step: None,
                text: "x".into(),
                update: false,
            }
        })
        .unwrap()
    )
    .unwrap();
    let read = journal::read(&path).unwrap();
    assert_eq!(read.unknown, 1);
    assert_eq!(read.records.len(), 5);
    assert_eq!(read.skipped.len(), 1);
    assert_eq!(read.skipped[0].line, 5);
    let inc = Incident::fold(&read.records);
    assert_eq!(inc.unknown_events.len(), 1);
    assert_eq!(inc.unknown_events[0].type_name, "pager_acked");
    assert!(inc.unknown_events[0].raw.contains("\"by\":\"ann\""));
}

#[test]
fn a_file_that_is_not_a_journal_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    assert!(
        journal::read(&empty)
            .unwrap_err()
            .to_string()
            .contains("is not a runbook journal: the file is empty")
    );
    let wrong = dir.path().join("wrong.jsonl");
    let rec = Record {
        seq: 1,
        ts: t0(),
        event: Event::Note {
            step: None,
            text: "x".into(),
            update: false,
        },
    };
    std::fs::write(&wrong, serde_json::to_string(&rec).unwrap() + "\n").unwrap();
    assert!(
        journal::read(&wrong)
            .unwrap_err()
            .to_string()
            .contains("not `incident_opened`")
    );
}

#[test]
fn a_log_dir_under_a_regular_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let err = Journal::create(&file.join("incidents"), "x", t0()).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, JournalError::CreateDir { .. }));
    assert!(
        msg.contains("cannot create the journal directory")
            && msg.contains("plain-file/incidents")
            && msg.contains("--log-dir"),
        "{msg}"
    );
}

#[test]
fn latest_unfinished_skips_resolved_and_broken_journals() {
    let dir = tempfile::tempdir().unwrap();
    let open = records(rich_events()[..4].to_vec());
    let resolved = records(rich_events());
    let old_open = write_journal(dir.path(), &open);
    let mut j = Journal::create(dir.path(), "zz-resolved", t0() + Duration::hours(1)).unwrap();
    for r in &resolved {
        j.append(r).unwrap();
    }
    std::fs::write(dir.path().join("29991231T000000Z-broken.jsonl"), "garbage").unwrap();
    assert_eq!(journal::latest_unfinished(dir.path()), Some(old_open));
}

#[test]
fn log_dir_prefers_the_command_line() {
    let p = std::path::Path::new("/tmp/x");
    assert_eq!(journal::log_dir(Some(p)), p);
}

#[test]
fn latest_unfinished_passes_over_a_finished_headless_diagnose() {
    let dir = tempfile::tempdir().unwrap();
    let open = records(rich_events()[..4].to_vec());
    let interactive = write_journal(dir.path(), &open);
    // A newer journal from `runbook diagnose`: open, but its session finished.
    let mut diag = rich_events()[..4].to_vec();
    diag.push(runbook::incident::Event::SessionEnded {
        reason: runbook::incident::EndReason::Finished,
    });
    let diag = records(diag);
    let mut j = Journal::create(dir.path(), "zz-diagnose", t0() + Duration::hours(1)).unwrap();
    for r in &diag {
        j.append(r).unwrap();
    }
    assert_eq!(journal::latest_unfinished(dir.path()), Some(interactive));
}

#[test]
fn the_writer_thread_acknowledges_in_order_and_runs_after_ack_jobs_only_once_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let recs = records(rich_events());
    let j = Journal::create(dir.path(), "rabbitmq-emergency", t0()).unwrap();
    let path = j.path().to_path_buf();
    let w = journal::Writer::spawn(j).unwrap();
    assert_eq!(w.status().acked, 0);
    let last = recs.last().unwrap().seq;
    // A job waiting for the last record sees the whole journal on disk.
    let (tx, rx) = std::sync::mpsc::channel();
    let seen_by_job = path.clone();
    w.after_ack(last, move || {
        let n = journal::read(&seen_by_job)
            .map(|j| j.records.len())
            .unwrap_or(0);
        let _ = tx.send(n);
    });
    for r in &recs {
        w.append(r.seq, journal::encode(&path, r).unwrap()).unwrap();
    }
    w.sync().unwrap();
    assert_eq!(w.status().acked, last);
    assert_eq!(w.status().failure, None);
    assert_eq!(rx.recv().unwrap(), recs.len());
    drop(w);
    assert_eq!(journal::read(&path).unwrap().records, recs);
}
