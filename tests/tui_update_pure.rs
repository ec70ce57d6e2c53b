//! `App::update` is pure: it records nothing itself and returns the events
//! to record as effects, in order, before the jobs to launch; the runtime
//! records them right after it returns, so the screen shows them at once.

mod app_support;

use runbook::incident::Event;
use runbook::tui::action::Action;
use runbook::tui::app::{App, Effect, Focus};

fn demo(dir: &std::path::Path) -> App {
    let rb = app_support::runbook("tests/fixtures/frames.yaml");
    let mut app = app_support::start_app(rb, dir, "Pure", app_support::at(0));
    app.focus = Focus::Detail;
    app
}

fn recorded(effects: &[Effect]) -> Vec<&str> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Record(ev) => Some(ev.type_name()),
            _ => None,
        })
        .collect()
}

#[test]
fn update_returns_the_event_and_changes_no_incident_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = demo(dir.path());
    app.session.drain().expect("journal written");
    let before = app.session.incident().clone();
    // Enter on the first checklist item.
    let effects = app.update(Action::Activate, app_support::at(1));
    assert_eq!(recorded(&effects), vec!["checklist_toggled"]);
    assert_eq!(app.session.incident(), &before, "update recorded by itself");
    assert_eq!(
        app.session.unsaved(),
        0,
        "update handed a record to the writer"
    );
    // The runtime's way: recorded right away, and the fold shows it.
    app_support::act(&mut app, Action::Activate, app_support::at(1));
    assert_eq!(app.session.incident().steps[0].checklist, vec![true, false]);
}

#[test]
fn run_all_stages_each_start_before_its_launch_with_distinct_run_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = demo(dir.path());
    let next = app.session.incident().next_run_id();
    let effects = app.update(Action::RunAll, app_support::at(1));
    let started: Vec<u64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Record(ev) => match **ev {
                Event::CommandStarted { run, .. } | Event::CheckStarted { run, .. } => Some(run),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let launched: Vec<u64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Launch(run, _) => Some(*run),
            _ => None,
        })
        .collect();
    // ping, api and the amqp-port check; restart waits for its answer.
    assert_eq!(started, vec![next, next + 1, next + 2]);
    assert_eq!(launched, started);
    let first_launch = effects
        .iter()
        .position(|e| matches!(e, Effect::Launch(..)))
        .expect("a launch");
    assert_eq!(
        first_launch,
        started.len(),
        "a launch before its start event"
    );
    assert!(
        app.session.incident().runs.is_empty(),
        "update recorded by itself"
    );
}
