//! `runbook history`: newest first, states (resolved, open, abandoned,
//! unreadable), table and JSON, broken journals listed with a note.

mod report_support;

use assert_cmd::Command;
use chrono::Duration;
use report_support::*;
use runbook::history::{IncidentState, scan, table_fit_in, table_in};
use runbook::i18n::Lang;
use runbook::incident::{Event, Mode};
use runbook::session::Session;

/// Three incidents: resolved (03:00), open torn drill (03:00, another dir
/// copied in), a newer open one (05:00), and a junk file.
fn log_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    resolved_incident(dir.path());
    let other = tempfile::tempdir().unwrap();
    let torn = open_torn_incident(other.path());
    std::fs::copy(&torn, dir.path().join("20261124T030001Z-drill.jsonl")).unwrap();
    let mut s = Session::start(
        dir.path(),
        opened("Newer one", Mode::Live),
        masker(),
        at(7200),
    )
    .unwrap();
    Rec(&mut s).enter(7210, "confirm");
    drop(s);
    std::fs::write(dir.path().join("20261123T000000Z-junk.jsonl"), "not json\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ignored\n").unwrap();
    dir
}

#[test]
fn newest_first_with_states() {
    let dir = log_dir();
    let list = scan(dir.path(), at(7300)).unwrap();
    let titles: Vec<&str> = list.iter().map(|e| e.title.as_str()).collect();
    // Same start time: by file name, newest first; unreadable last.
    let want = [
        "Newer one",
        "Drill: disk alarm",
        "Orders queue stuck | publishers blocked",
        "",
    ];
    assert_eq!(titles, want);
    let states: Vec<IncidentState> = list.iter().map(|e| e.state).collect();
    use IncidentState::*;
    assert_eq!(states, [Open, Open, Resolved, Unreadable]);
    assert_eq!(list[2].steps_over_budget, 1);
    assert_eq!(list[2].duration_ms, Some(700_000));
    let note = |i: usize| list[i].note.clone().unwrap_or_default();
    assert!(note(1).contains("torn last line 8"), "{}", note(1));
    assert!(note(1).contains("1 unknown event"), "{}", note(1));
    assert!(note(3).contains("not a runbook journal"), "{}", note(3));
}

#[test]
fn quiet_for_a_day_is_abandoned() {
    let dir = log_dir();
    let later = at(7300) + Duration::hours(25);
    let states: Vec<IncidentState> = scan(dir.path(), later)
        .unwrap()
        .iter()
        .map(|e| e.state)
        .collect();
    use IncidentState::*;
    assert_eq!(
        states,
        [Abandoned, Abandoned, Resolved, Unreadable],
        "resolved stays resolved"
    );
}

#[test]
fn table_has_a_row_per_incident() {
    let dir = log_dir();
    let text = table_in(Lang::En, &scan(dir.path(), at(7300)).unwrap());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with("STARTED (UTC)") && lines[0].contains("  TITLE  "));
    let cells: Vec<&str> = lines[3]
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "2026-11-24 03:00:00",
            "Orders queue stuck | publishers blocked",
            "rabbitmq-emergency",
            "live",
            "resolved",
            "11m40s",
            "1",
            "20261124T030000Z-rabbitmq-emergency.jsonl"
        ]
    );
    assert!(lines[4].contains("unreadable"));
}

fn widest(text: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    text.lines().map(|l| l.width()).max().unwrap_or(0)
}

#[test]
fn the_table_fits_80_and_120_columns() {
    let dir = log_dir();
    let entries = scan(dir.path(), at(7300)).unwrap();
    let full = table_in(Lang::En, &entries);
    assert!(widest(&full) > 120, "the full table is wide:\n{full}");
    let t120 = table_fit_in(Lang::En, &entries, Some(120));
    assert!(widest(&t120) <= 120, "\n{t120}");
    let t80 = table_fit_in(Lang::En, &entries, Some(80));
    assert!(widest(&t80) <= 80, "\n{t80}");
    for t in [&t120, &t80] {
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 5);
        // What review, report and resume need stays: the file, the state, the title.
        assert!(
            lines[0].contains("TITLE") && lines[0].contains("STATE") && lines[0].contains("FILE")
        );
        assert!(
            lines[3].contains("20261124T030000Z-rabbitmq-emergency.jsonl"),
            "{t}"
        );
        assert!(lines[3].contains("resolved"), "{t}");
        assert!(lines[4].contains("unreadable"), "{t}");
    }
    // 120 columns keep the start time and the duration.
    assert!(
        t120.contains("2026-11-24 03:00:00") && t120.contains("11m40s"),
        "\n{t120}"
    );
    assert!(t120.contains("Orders queue stuck | publishers"), "\n{t120}");
    // 80 columns cut the title with … and leave the less important columns out.
    assert!(
        t80.contains("Orders queue stuck |") && t80.contains('…'),
        "\n{t80}"
    );
    assert!(!t80.contains("RUNBOOK") && !t80.contains("MODE"), "\n{t80}");
    // Without a width (a pipe): every column, as before.
    assert_eq!(table_fit_in(Lang::En, &entries, None), full);
}

#[test]
fn cli_history_follows_columns() {
    let dir = log_dir();
    let run = |cols: Option<&str>| {
        let mut c = Command::cargo_bin("runbook").unwrap();
        c.args(["history", "--log-dir"])
            .arg(dir.path())
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES");
        match cols {
            Some(n) => c.env("COLUMNS", n),
            None => c.env_remove("COLUMNS"),
        };
        String::from_utf8(c.assert().code(0).get_output().stdout.clone()).unwrap()
    };
    assert!(widest(&run(Some("80"))) <= 80);
    assert!(widest(&run(Some("120"))) <= 120);
    assert!(widest(&run(None)) > 120, "a pipe gets the full table");
}

#[test]
fn cli_table_and_json() {
    let dir = log_dir();
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["history", "--json", "--log-dir"])
        .arg(dir.path())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[2]["state"], "resolved");
    assert_eq!(list[2]["file"], "20261124T030000Z-rabbitmq-emergency.jsonl");
    assert_eq!(list[2]["mode"], "live");
    assert_eq!(list[1]["mode"], "drill");
    assert_eq!(list[3]["state"], "unreadable");
    Command::cargo_bin("runbook")
        .unwrap()
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["history", "--log-dir"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicates::str::contains("Drill: disk alarm"));
}

#[test]
fn empty_or_missing_dir_says_so() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("runbook")
        .unwrap()
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["history", "--log-dir"])
        .arg(dir.path().join("none"))
        .assert()
        .code(0)
        .stdout(predicates::str::contains("No incidents in"));
}

#[test]
fn resolution_event_sets_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start(dir.path(), opened("r", Mode::Live), masker(), at(0)).unwrap();
    Rec(&mut s).ev(
        60,
        Event::IncidentResolved {
            summary: "ok".into(),
        },
    );
    drop(s);
    let list = scan(dir.path(), at(10_000_000)).unwrap();
    assert_eq!(list[0].state, IncidentState::Resolved);
    assert_eq!(list[0].duration_ms, Some(60_000));
}

/// Under a Chinese locale the headings and the state and mode words are
/// Chinese; titles, ids and file names stay as the journals have them.
#[test]
fn table_in_chinese() {
    let dir = log_dir();
    let entries = scan(dir.path(), at(7300)).unwrap();
    let text = runbook::history::table_in(runbook::i18n::Lang::Zh, &entries);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("开始时间（UTC）"), "{text}");
    for want in ["标题", "预案", "模式", "状态", "时长", "文件"] {
        assert!(lines[0].contains(want), "{want} missing: {}", lines[0]);
    }
    assert!(
        lines[3].contains("  实战  ") && lines[3].contains("  已解决  "),
        "{text}"
    );
    assert!(lines[3].contains("20261124T030000Z-rabbitmq-emergency.jsonl"));
}
