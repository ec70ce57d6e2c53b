//! A command that cannot even start (its command line too long for the
//! system) is a launch failure with its reason everywhere: what `diagnose`
//! prints, the journal, the folded state and the report; never "interrupted".

#[path = "diagnose_support/mod.rs"]
mod diagnose_support;

use diagnose_support::*;
use runbook::incident::{Event, Incident, RunState};
use runbook::report::{LoadedJournal, ReportFormat, render};

#[test]
fn a_command_line_too_long_to_start_is_a_launch_failure_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("long.yaml");
    // Over Linux's 128 KiB limit for one argument (`sh -c LINE`).
    let line = format!("echo {}", "a".repeat(200 * 1024));
    std::fs::write(
        &rb,
        format!(
            "schema: 1\nid: long\ntitle: Long\nsteps:\n  - id: one\n    title: One\n    budget: 1m\n    commands:\n      - id: long\n        run: {line}\n      - id: after\n        run: echo still here\n"
        ),
    )
    .unwrap();
    let log = dir.path().join("log");
    let out = diagnose(&[rb.to_str().unwrap()], &log);
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stdout.contains("── one / long · could not start"),
        "diagnose prints a block for it:\n{}",
        &stdout[stdout.len().saturating_sub(3000)..]
    );
    assert!(stdout.contains("the command line is too long for the system"));
    assert!(stdout.contains("still here"), "the next command still runs");
    assert!(!stdout.contains("interrupted"));

    let path = journals(&log).pop().expect("a journal");
    let read = runbook::journal::read(&path).unwrap();
    let why = read
        .records
        .iter()
        .find_map(|r| match &r.event {
            Event::CommandFinished {
                launch_error: Some(why),
                ..
            } => Some(why.clone()),
            _ => None,
        })
        .expect("command_finished names the launch error");
    assert!(why.contains("too long"), "{why}");

    let inc = Incident::fold(&read.records);
    let run = inc.runs.values().find(|r| r.item == "long").unwrap();
    assert_eq!(run.state, RunState::LaunchFailed);
    assert_eq!(run.summary, why);

    let loaded = LoadedJournal::load(&path).unwrap();
    for format in [ReportFormat::Markdown, ReportFormat::Html] {
        let report = render(&loaded, format);
        assert!(
            report.contains("could not start: the command line is too long"),
            "{format:?} report"
        );
        assert!(!report.contains("interrupted (program stopped)"));
    }
}

#[test]
fn an_older_journal_without_the_field_still_reads() {
    let line = r#"{"run":1,"exit_code":0,"duration_ms":5,"bytes":3}"#;
    let ev: serde_json::Value = serde_json::from_str(line).unwrap();
    let mut obj = ev.as_object().unwrap().clone();
    obj.insert("type".into(), "command_finished".into());
    let parsed: Event = serde_json::from_value(serde_json::Value::Object(obj)).unwrap();
    assert!(matches!(
        parsed,
        Event::CommandFinished {
            launch_error: None,
            ..
        }
    ));
    // And a run that started is not written with the field at all.
    let text = serde_json::to_string(&parsed).unwrap();
    assert!(!text.contains("launch_error"), "{text}");
}

#[tokio::test]
async fn a_nul_byte_in_a_command_line_is_named_as_the_reason() {
    let (tx, _rx) = tokio::sync::mpsc::channel(4);
    let err = runbook::exec::spawn(1, runbook::exec::Spec::new("printf 'a\0b'"), tx).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the command line contains a NUL byte (at byte 9), which no program can be given"
    );
}
