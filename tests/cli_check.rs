//! `runbook check` and `runbook list` as a user runs them.

use assert_cmd::Command;
use predicates::prelude::*;

fn runbook() -> Command {
    Command::cargo_bin("runbook").unwrap()
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
