//! Every file named from outside is read only if it is a regular file of a
//! sane size: devices, FIFOs and huge files get a clear message naming the
//! file and the reason, at once, instead of a hang or an exhausted memory.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use runbook::journal::{self, JournalError};

/// Only a guard against a hang on a FIFO: the commands refuse at once.
const HANG_GUARD: Duration = Duration::from_secs(60);

fn runbook() -> Command {
    let mut c = Command::cargo_bin("runbook").unwrap();
    // English messages: the program's follow LC_ALL, LC_MESSAGES, LANG.
    c.timeout(HANG_GUARD)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

fn fifo(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    p
}

#[test]
fn check_refuses_a_device_naming_it() {
    runbook()
        .args(["check", "/dev/zero"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "/dev/zero:1:1: not a regular file (character device)",
        ));
}

#[test]
fn check_and_diagnose_refuse_a_fifo_without_waiting_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let f = fifo(dir.path(), "runbook.yaml");
    runbook()
        .arg("check")
        .arg(&f)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{}:1:1: not a regular file (FIFO)",
            f.display()
        )));
    runbook()
        .arg("diagnose")
        .arg(&f)
        .arg("--log-dir")
        .arg(dir.path().join("logs"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file (FIFO)"));
}

#[test]
fn check_refuses_a_runbook_over_4_mib_by_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.yaml");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(5 << 20).unwrap();
    runbook()
        .arg("check")
        .arg(&p)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the file is larger than 4 MiB"));
}

#[test]
fn report_refuses_a_device_and_a_fifo() {
    runbook()
        .args(["report", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read the journal /dev/zero: not a regular file (character device)",
        ));
    let dir = tempfile::tempdir().unwrap();
    let f = fifo(dir.path(), "x.jsonl");
    runbook()
        .arg("report")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file (FIFO)"));
}

#[test]
fn resume_refuses_a_fifo_journal() {
    let dir = tempfile::tempdir().unwrap();
    let f = fifo(dir.path(), "x.jsonl");
    // Reading the journal is the first thing resume does after the terminal check.
    let r = runbook::cli::start::open_for_resume(&f, &[], None);
    assert!(matches!(r, Err(2)));
    let e = journal::read(&f).unwrap_err();
    assert!(matches!(e, JournalError::Refused { .. }), "{e}");
    assert!(e.to_string().ends_with("not a regular file (FIFO)"), "{e}");
}

#[test]
fn a_journal_over_the_cap_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.jsonl");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(journal::MAX_JOURNAL_BYTES + 1).unwrap(); // sparse: no disk used
    let e = journal::read(&p).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("cannot read the journal {}: larger than 1 GiB", p.display())
    );
}

#[test]
fn an_endless_line_is_skipped_not_held() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("long.jsonl");
    let opened = r#"{"seq":1,"ts":"2026-01-01T00:00:00.000+00:00","type":"incident_opened","schema":1,"incident_id":"i","title":"t","runbook":{"id":"r","title":"R","path":"p","sha256":"0"},"steps":[],"vars":{},"host":"h","user":"u","mode":"live","program_version":"0"}"#;
    let note = r#"{"seq":2,"ts":"2026-01-01T00:00:01.000+00:00","type":"note","text":"after"}"#;
    let mut data = format!("{opened}\n").into_bytes();
    data.extend(std::iter::repeat_n(b'x', journal::MAX_LINE_BYTES + 10));
    data.push(b'\n');
    data.extend_from_slice(note.as_bytes());
    data.push(b'\n');
    std::fs::write(&p, &data).unwrap();
    let read = journal::read(&p).unwrap();
    assert_eq!(
        read.records.len(),
        2,
        "the note after the long line is kept"
    );
    assert_eq!(read.skipped.len(), 1);
    assert_eq!(read.skipped[0].line, 2);
    assert!(
        read.skipped[0]
            .error
            .contains("more than a journal line can be"),
        "{}",
        read.skipped[0].error
    );
    assert_eq!(read.good_bytes, data.len() as u64);
}

#[test]
fn list_and_history_name_a_fifo_instead_of_hiding_or_waiting_on_it() {
    let cfg = tempfile::tempdir().unwrap();
    let runbooks = cfg.path().join("runbook/runbooks");
    std::fs::create_dir_all(&runbooks).unwrap();
    fifo(&runbooks, "evil.yaml");
    runbook()
        .arg("list")
        .env("XDG_CONFIG_HOME", cfg.path())
        .current_dir(cfg.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "evil.yaml:1:1: not a regular file (FIFO)",
        ))
        .stdout(predicate::str::contains("rabbitmq-emergency"));

    let logs = cfg.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    fifo(&logs, "20260101T000000Z-x.jsonl");
    runbook()
        .arg("history")
        .arg("--log-dir")
        .arg(&logs)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("unreadable"))
        .stdout(predicate::str::contains("not a regular file (FIFO)"));
}
