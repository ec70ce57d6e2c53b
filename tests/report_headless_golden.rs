//! A whole incident driven through the app by actions (no terminal), with real
//! commands, then reported: the report is compared with a golden file.

mod app_support;
mod report_support;

use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use runbook::incident::{EndReason, RunState};
use runbook::report::{LoadedJournal, ReportFormat, render};
use runbook::tui::action::Action;
use runbook::tui::app::{App, Focus, Item};
use runbook::tui::headless::Headless;

fn at(secs: i64) -> DateTime<FixedOffset> {
    report_support::at(secs)
}

fn key(h: &mut Headless, code: KeyCode, mods: KeyModifiers, t: i64) {
    h.act(Action::Key(KeyEvent::new(code, mods)), at(t));
}

fn type_text(h: &mut Headless, text: &str, t: i64) {
    for c in text.chars() {
        key(h, KeyCode::Char(c), KeyModifiers::NONE, t);
    }
}

fn select(h: &mut Headless, want: Item, t: i64) {
    h.app.focus = Focus::Detail;
    for _ in 0..30 {
        if h.app.selected_item() == Some(want) {
            return;
        }
        h.act(Action::Down, at(t));
    }
    panic!("item {want:?} not reachable");
}

fn all_finished(app: &App) -> bool {
    app.session
        .incident()
        .runs
        .values()
        .all(|r| r.state != RunState::Running)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_headless_incident_reports_as_the_golden_file_says() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rb = app_support::runbook("tests/fixtures/headless.yaml");
    // The password as the operator gives it (`--var`, the same as the
    // runbook's default): it came from outside, so it is masked.
    let app = app_support::start_app_with_vars(
        rb,
        dir.path(),
        "Publishers blocked on orders",
        at(0),
        &[("password", "golden-pw-987")],
    );
    let mut h = Headless::new(app);
    let wait = Duration::from_secs(10);

    // Step 1: tick, answer, run a command, note, done.
    select(&mut h, Item::Checklist(0), 5);
    h.act(Action::Activate, at(5));
    select(&mut h, Item::Ask, 8);
    h.act(Action::Activate, at(8));
    h.act(Action::Down, at(9));
    h.act(Action::Activate, at(9));
    assert!(
        h.app.items().contains(&Item::Command(1)),
        "answering memory-alarm shows the guarded command"
    );
    select(&mut h, Item::Command(0), 12);
    h.act(Action::Activate, at(12));
    assert!(
        h.settle(wait, || at(13), all_finished).await,
        "command finished"
    );
    h.act(Action::Note, at(20));
    type_text(&mut h, "Publishers on orders blocked since 02:55", 20);
    key(&mut h, KeyCode::Char('s'), KeyModifiers::CONTROL, 21);
    h.act(Action::CompleteStep, at(60));

    // Step 2: skipped with a reason.
    h.act(Action::SkipStep, at(90));
    type_text(&mut h, "logs already read in step 1", 90);
    key(&mut h, KeyCode::Enter, KeyModifiers::NONE, 91);

    // Step 3: the dangerous command, refused once, then confirmed.
    select(&mut h, Item::Command(0), 100);
    h.act(Action::Activate, at(100));
    type_text(&mut h, "yes", 101);
    key(&mut h, KeyCode::Enter, KeyModifiers::NONE, 102);
    assert!(
        h.app.session.incident().runs.len() == 1,
        "a wrong confirmation runs nothing"
    );
    h.act(Action::Activate, at(110));
    type_text(&mut h, "restart", 111);
    key(&mut h, KeyCode::Enter, KeyModifiers::NONE, 112);
    assert!(
        h.settle(wait, || at(113), all_finished).await,
        "restart finished"
    );
    h.act(Action::CompleteStep, at(300));

    // Step 4: an action item, then resolve and quit.
    h.act(Action::Note, at(320));
    type_text(&mut h, "Alert on memory watermark at 80 %", 320);
    key(&mut h, KeyCode::Enter, KeyModifiers::NONE, 320);
    key(&mut h, KeyCode::Enter, KeyModifiers::NONE, 321);
    h.act(Action::CompleteStep, at(330));
    h.act(Action::Resolve, at(340));
    type_text(
        &mut h,
        "Raised the watermark; publishers flowing again",
        340,
    );
    key(&mut h, KeyCode::Char('s'), KeyModifiers::CONTROL, 341);
    h.shutdown(EndReason::Quit, || at(345)).await;

    let path = h.app.session.journal_path().to_path_buf();
    let loaded = LoadedJournal::load(&path).expect("journal reads back");
    let inc = &loaded.incident;
    assert!(inc.resolved.is_some());
    assert_eq!(inc.time_to_mitigation(), Some(Duration::from_secs(300)));
    let text = render(&loaded, ReportFormat::Markdown);
    assert!(
        !text.contains("golden-pw-987"),
        "secret leaked into the report"
    );
    assert!(text.contains("restarted with ••••"));
    // Command durations are measured, not injected: normalise them.
    let re = regex::Regex::new(r"\b\d+\.\d+s\b|\b\d+ms\b").expect("regex");
    let text = re.replace_all(&text, "T").into_owned();
    report_support::golden("headless.md", &text);
}
