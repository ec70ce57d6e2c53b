//! Cancelling a check from the screen ends it at once, on screen and in the
//! journal, and kills its command; quitting does the same for every check.

mod app_support;

use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use runbook::incident::{CheckStatus, EndReason, RunState};
use runbook::tui::action::Action;
use runbook::tui::app::{App, Focus, Item};
use runbook::tui::headless::Headless;

fn at(secs: i64) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T03:00:00.000+00:00").expect("time")
        + chrono::Duration::seconds(secs)
}

fn sleeper_alive() -> bool {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .any(|c| String::from_utf8_lossy(&c).contains("45.5151"))
}

fn app(dir: &std::path::Path) -> App {
    let rb = app_support::runbook("tests/fixtures/tui/slow-check.yaml");
    app_support::start_app(rb, dir, "Cancel", at(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn x_cancels_a_running_check_and_quit_ends_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = Headless::new(app(dir.path()));
    h.app.focus = Focus::Detail;
    assert_eq!(h.app.selected_item(), Some(Item::Check(0)));
    h.act(Action::Activate, at(1));
    // Wait for the check's command to be running.
    for _ in 0..500 {
        if sleeper_alive() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(sleeper_alive(), "the check's command started");
    h.act(Action::CancelRun, at(3));
    let run = h
        .app
        .session
        .incident()
        .runs
        .values()
        .next()
        .expect("a run")
        .clone();
    assert_eq!(run.state, RunState::Check(CheckStatus::Error));
    assert!(run.summary.contains("cancelled"), "{}", run.summary);
    for _ in 0..150 {
        if !sleeper_alive() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!sleeper_alive(), "the check's command was killed");

    // Start it again and quit: the run ends as cancelled, not left running.
    h.act(Action::Activate, at(5));
    h.shutdown(EndReason::Quit, || at(6)).await;
    let inc = runbook::incident::Incident::fold(
        &runbook::journal::read(h.app.session.journal_path())
            .expect("journal")
            .records,
    );
    assert!(
        inc.runs.values().all(|r| r.state != RunState::Running),
        "no run is left running in the journal"
    );
    for _ in 0..150 {
        if !sleeper_alive() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!sleeper_alive(), "quitting killed the check's command");
}
