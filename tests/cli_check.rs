//! `runbook check` and `runbook list` as a user runs them.

use assert_cmd::Command;
use predicates::prelude::*;

/// The binary, in English (its messages follow LC_ALL, LC_MESSAGES, LANG).
fn runbook() -> Command {
    let mut c = Command::cargo_bin("runbook").unwrap();
    c.env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

const VALID: &str = "tests/runbooks/valid/full.yaml";
const INVALID: &str = "tests/runbooks/invalid/unknown-key.yaml";

#[test]
fn valid_files_exit_0_with_ok_lines() {
    runbook()
        .args(["check", VALID, "tests/runbooks/valid/crlf.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "ok: tests/runbooks/valid/full.yaml (full-example, 3 steps)",
        ))
        .stdout(predicate::str::contains(
            "ok: tests/runbooks/valid/crlf.yaml (crlf, 1 step)",
        ));
}

#[test]
fn an_invalid_file_exits_1_naming_file_line_column() {
    runbook()
        .args(["check", VALID, INVALID])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "ok: tests/runbooks/valid/full.yaml",
        ))
        .stderr(predicate::str::contains(
            "tests/runbooks/invalid/unknown-key.yaml:7:5: unknown key `budgett` in a step",
        ))
        .stderr(predicate::str::contains("did you mean `budget`?"));
}

#[test]
fn a_missing_file_exits_1() {
    runbook()
        .args(["check", "no/such/file.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no/such/file.yaml:1:1: cannot read the file",
        ));
}

#[test]
fn usage_errors_exit_2() {
    runbook().args(["check"]).assert().code(2);
    runbook().args(["frobnicate"]).assert().code(2);
}

#[test]
fn help_exists_for_every_subcommand() {
    for sub in ["check", "list"] {
        runbook()
            .args([sub, "--help"])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("Usage: runbook"));
    }
}

#[test]
fn list_shows_embedded_and_local_and_broken_user_files() {
    let cfg = tempfile::tempdir().unwrap();
    let dir = cfg.path().join("runbook/runbooks");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("broken.yaml"), "schema: 1\nid: [\n").unwrap();
    runbook()
        .arg("list")
        .env("XDG_CONFIG_HOME", cfg.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("rabbitmq-emergency"))
        .stdout(predicate::str::contains("embedded"))
        .stdout(predicate::str::contains(
            "./runbooks/rabbitmq-emergency.yaml",
        ))
        .stdout(predicate::str::contains("broken").and(predicate::str::contains("(invalid)")));
}

#[test]
fn a_local_runbook_overrides_the_embedded_one_with_the_same_id() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("runbooks")).unwrap();
    std::fs::write(
        dir.path().join("runbooks/mine.yaml"),
        "schema: 1\nid: rabbitmq-emergency\ntitle: Our own emergency sheet\nsteps:\n  - id: one\n    title: One\n    budget: 1m\n    commands:\n      - id: hi\n        run: echo local-override\n",
    )
    .unwrap();
    let out = runbook()
        .current_dir(dir.path())
        .args(["diagnose", "rabbitmq-emergency", "--log-dir", "logs"])
        .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("local-override"), "{stdout}");
    let list = runbook()
        .current_dir(dir.path())
        .arg("list")
        .env("XDG_CONFIG_HOME", dir.path().join("no-config"))
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    let first = list.lines().nth(1).unwrap_or_default();
    assert!(
        first.contains("./runbooks/mine.yaml"),
        "local files are listed first:\n{list}"
    );
    let embedded = list
        .lines()
        .find(|l| l.starts_with("rabbitmq-emergency ") && l.contains("embedded"))
        .unwrap_or_default();
    assert!(
        embedded.contains("not used: ./runbooks/mine.yaml comes first"),
        "the shadowed embedded runbook says so:\n{list}"
    );
}
