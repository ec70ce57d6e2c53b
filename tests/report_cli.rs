//! `runbook report` from the command line: formats, -o, exit codes.

mod report_support;

use assert_cmd::Command;
use predicates::prelude::*;
use report_support::*;

fn runbook() -> Command {
    let mut c = Command::cargo_bin("runbook").unwrap();
    // English messages: the program's follow LC_ALL, LC_MESSAGES, LANG.
    c.env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

#[test]
fn markdown_to_stdout_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = resolved_incident(dir.path());
    runbook()
        .arg("report")
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "# Incident report: Orders queue stuck",
        ));
}

#[test]
fn html_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = resolved_incident(dir.path());
    let out = dir.path().join("report.html");
    runbook()
        .args(["report", "--format", "html", "-o"])
        .arg(&out)
        .arg(&path)
        .assert()
        .code(0)
        .stdout("");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
}

#[test]
fn torn_journal_reports_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = open_torn_incident(dir.path());
    runbook()
        .arg("report")
        .arg(&path)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("torn line (line 8"))
        .stdout(predicate::str::contains("resumed after the laptop died"));
}

#[test]
fn future_schema_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = future_schema(dir.path());
    runbook().arg("report").arg(&path).assert().code(2).stderr(
        predicate::str::contains("schema 99 is newer").and(predicate::str::contains("upgrade")),
    );
}

#[test]
fn missing_or_non_journal_files_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    runbook()
        .arg("report")
        .arg(dir.path().join("nope.jsonl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read the journal"));
    let junk = dir.path().join("junk.jsonl");
    std::fs::write(&junk, "hello\n").unwrap();
    runbook().arg("report").arg(&junk).assert().code(2);
    runbook()
        .args(["report", "--format", "pdf"])
        .arg(&junk)
        .assert()
        .code(2);
}
