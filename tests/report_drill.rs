//! The drill block of `runbook report`: scenario, trainee, outcome, times
//! against par, hints, the score breakdown, the expected path with ✓/✗,
//! and the brief and hidden root cause for the debrief; recomputed against
//! the scenario when it can be found, else the journaled score with the
//! reason. Hostile journal text (an escape sequence in the trainee's name)
//! never reaches the terminal or the HTML raw. Fixtures:
//! tests/fixtures/drill-report.

use std::path::PathBuf;

use assert_cmd::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/drill-report")
        .join(name)
}

fn report(name: &str, format: &str) -> String {
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["report", "--format", format])
        .arg(fixture(name))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_drill_report_has_the_drill_block_with_the_expected_path_and_the_root_cause() {
    let md = report("20261201T090000Z-queue-backlog.jsonl", "markdown");
    let drill = md.find("## Drill").expect("a Drill section");
    let steps = md.find("## Steps").expect("steps");
    assert!(drill < steps, "the drill block comes before the steps");
    for needle in [
        "| Trainee | mallory |",
        "| Outcome | resolved |",
        "| Score | 95/100 (formula v1) |",
        "| Time to diagnose | 0:55 (par 2:00) |",
        "| Hints | 1 |",
        "| -5 | hint 1 |",
        "- ✓ `resources/list-queues` (#1)",
        "- ✗ `temporary-fix/backup-definitions`",
        "### Root cause (hidden from the trainee)",
        "its file changed since the drill",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in:\n{md}");
    }
    assert!(
        !md.contains('\u{1b}') && !md.contains('\u{7}'),
        "raw control bytes"
    );
    // The timeline has the drill's own events.
    assert!(md.contains("hint 1") && md.contains("service restored (drill)"));
}

#[test]
fn without_its_scenario_the_report_shows_the_journaled_score_and_says_why() {
    let md = report("20261201T090000Z-nosuch.jsonl", "markdown");
    assert!(md.contains("| Score | 95/100 (formula v1) |"), "{md}");
    assert!(
        md.contains("scenario nosuch-scenario not found here"),
        "{md}"
    );
    assert!(!md.contains("### Expected path"), "{md}");
    assert!(!md.contains("Root cause (hidden"), "{md}");
}

#[test]
fn the_html_report_has_the_drill_block_escaped() {
    let html = report("20261201T090000Z-queue-backlog.jsonl", "html");
    assert!(html.contains("<h2>Drill</h2>"), "{html}");
    assert!(
        html.contains(
            "<span class=\"fail\">✗</span> <code>temporary-fix/backup-definitions</code>"
        )
    );
    assert!(html.contains("<h3>Root cause (hidden from the trainee)</h3>"));
    assert!(
        !html.contains('\u{1b}') && !html.contains('\u{7}'),
        "raw control bytes"
    );
}

#[test]
fn a_live_incident_report_has_no_drill_block() {
    let live = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/drill-scores/20261116T080000Z-live.jsonl");
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["report"])
        .arg(live)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("## Drill"));
}

/// A Chinese drill's report words its outcome and its score breakdown in
/// Chinese, in Markdown and HTML; the item ids stay as they are.
#[test]
fn a_chinese_drill_report_words_its_score_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("20261201T090000Z-queue-backlog.jsonl");
    let zh = std::fs::read_to_string(fixture("20261201T090000Z-queue-backlog.jsonl"))
        .unwrap()
        .replacen(
            r#""type": "incident_opened", "#,
            r#""type": "incident_opened", "lang": "zh", "#,
            1,
        );
    assert!(
        zh.contains(r#""lang": "zh""#),
        "the fixture's first line changed"
    );
    std::fs::write(&path, zh).unwrap();
    for format in ["markdown", "html"] {
        let out = Command::cargo_bin("runbook")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["report", "--format", format])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        for needle in ["得分明细", "已解决", "提示 1", "resources/list-queues"] {
            assert!(
                text.contains(needle),
                "{format}: missing {needle:?} in:\n{text}"
            );
        }
        assert!(
            !text.contains("hint 1 |"),
            "{format}: an English score line"
        );
    }
}
