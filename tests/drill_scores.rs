//! `runbook drill scores`: one row per drill journal, oldest first, the
//! journaled score (or `—`), filters, the scenario-changed flag, JSON, and
//! hostile journal text kept off the terminal. Fixtures:
//! tests/fixtures/drill-scores (three drills by alice and bob, two versions
//! of one scenario, one drill without a score, one live incident, a hostile
//! trainee name, a junk file).

use std::path::PathBuf;

use assert_cmd::Command;
use runbook::cli::drill::scores::{scan, table};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drill-scores")
}

#[test]
fn one_row_per_drill_oldest_first_live_and_junk_left_out() {
    let (rows, unreadable) = scan(&dir(), None, None).expect("scan");
    let files: Vec<&str> = rows.iter().map(|r| r.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "20261101T080000Z-a.jsonl",
            "20261115T080000Z-c.jsonl",
            "20261117T080000Z-e.jsonl",
            "20261201T080000Z-b.jsonl",
        ]
    );
    assert_eq!(unreadable, 1);
    let a = &rows[0];
    assert_eq!(
        (a.trainee.as_str(), a.score, a.ttd_ms),
        ("alice", Some(77), Some(390_000))
    );
    assert_eq!(a.date, "2026-11-01T08:00:00Z");
    // Scored with an older scenario than the newest drill of the same id.
    assert!(a.scenario_changed);
    assert!(!rows[3].scenario_changed && !rows[2].scenario_changed);
    // No drill_scored: no figures, the outcome from drill_ended.
    let c = &rows[1];
    assert_eq!(
        (c.score, c.hints, c.outcome.as_deref()),
        (None, None, Some("quit"))
    );
}

#[test]
fn filters_by_scenario_and_trainee_keep_the_changed_flag() {
    let (rows, _) = scan(&dir(), Some("memory-alarm-backlog"), Some("alice")).expect("scan");
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].scenario_changed,
        "the newer drill is by bob but still counts"
    );
    let (rows, _) = scan(&dir(), None, Some("alice")).expect("scan");
    assert_eq!(rows.len(), 2);
    let (rows, _) = scan(&dir(), Some("nosuch"), None).expect("scan");
    assert!(rows.is_empty());
}

#[test]
fn the_table_shows_times_sha_and_dashes() {
    let (rows, _) = scan(&dir(), None, None).expect("scan");
    let t = table(&rows);
    let lines: Vec<&str> = t.lines().collect();
    assert!(
        lines[0].starts_with("DATE (UTC)") && lines[0].contains("TRAINEE"),
        "{t}"
    );
    assert!(
        lines[3].contains("mallory") && !lines[3].contains('\u{1b}'),
        "{t}"
    );
    assert!(lines[1].contains("memory-alarm-backlog 11111111"), "{t}");
    assert!(
        lines[1].contains("6:30") && lines[1].contains("35:00"),
        "{t}"
    );
    assert!(lines[1].contains("older scenario version"), "{t}");
    assert!(lines[2].contains("disk-full 22222222"), "{t}");
    assert_eq!(lines[2].matches('—').count(), 4, "{t}");
    assert!(lines[4].contains("bob") && lines[4].contains("100"), "{t}");
}

#[test]
fn the_command_prints_hostile_text_harmlessly() {
    let out = Command::cargo_bin("runbook")
        .expect("binary")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["drill", "scores", "--log-dir"])
        .arg(dir())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert_eq!(stdout.lines().count(), 5, "one line per drill: {stdout}");
    assert!(stdout.contains("mal"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 journal(s)"), "{stderr}");
}

#[test]
fn json_for_scripts_with_filters() {
    let out = Command::cargo_bin("runbook")
        .expect("binary")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["drill", "scores", "--json", "--trainee", "bob", "--log-dir"])
        .arg(dir())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rows = v.as_array().expect("an array");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["score"], 100);
    assert_eq!(rows[0]["ttm_ms"], 146_000);
    assert_eq!(rows[0]["scenario_sha256"], "22".repeat(32));
    assert_eq!(rows[0]["scenario_changed"], false);
}

#[test]
fn an_empty_or_missing_directory_says_so() {
    let empty = tempfile::tempdir().expect("tempdir");
    for d in [empty.path().to_path_buf(), empty.path().join("missing")] {
        let out = Command::cargo_bin("runbook")
            .expect("binary")
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .args(["drill", "scores", "--log-dir"])
            .arg(&d)
            .output()
            .expect("runs");
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("No drills in"));
    }
}
