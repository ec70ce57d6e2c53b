//! The live screen's app driven headless by actions (no terminal): a whole
//! incident end to end, checked in the journal; and a hanging command that
//! must not delay key handling.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use runbook::cli::setup::{Opened, open_incident};
use runbook::incident::{CheckStatus, EndReason, Event, Mode, RunState, StepStatus};
use runbook::tui::action::Action;
use runbook::tui::app::{App, Focus, Item, Overlay};
use runbook::tui::headless::Headless;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tui")
        .join(name)
        .display()
        .to_string()
}

fn t0() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T03:00:00+01:00").expect("fixed time")
}

/// A fresh incident on the headless fixture, step 1 entered, as `start` does.
fn open(dir: &Path) -> Headless {
    open_fixture(dir, "headless.yaml")
}

/// A fresh incident on the fixture `name`, step 1 entered.
fn open_fixture(dir: &Path, name: &str) -> Headless {
    let fx = fixture(name);
    let Opened {
        runbook,
        vars,
        mut session,
    } = open_incident(
        Some(&fx),
        &[],
        Some(dir),
        "Headless incident",
        Mode::Live,
        t0(),
    )
    .unwrap_or_else(|code| panic!("open_incident failed with {code}"));
    session
        .record(
            Event::StepEntered {
                step: runbook.steps[0].id.clone(),
            },
            t0(),
        )
        .expect("journal writable");
    Headless::new(App::new(session, runbook, vars, false))
}

fn typed(h: &mut Headless, text: &str) {
    for c in text.chars() {
        h.act(
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            t0(),
        );
    }
}

fn ctrl_s(h: &mut Headless) {
    h.act(
        Action::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        t0(),
    );
}

fn select(h: &mut Headless, item: Item) {
    let items = h.app.items();
    let at = items
        .iter()
        .position(|i| *i == item)
        .unwrap_or_else(|| panic!("{item:?} not selectable; items: {items:?}"));
    while h.app.cursor > at {
        h.act(Action::Up, t0());
    }
    while h.app.cursor < at {
        h.act(Action::Down, t0());
    }
    assert_eq!(h.app.selected_item(), Some(item));
}

fn finished(app: &App, item: &str) -> bool {
    app.last_run("confirm", item)
        .is_some_and(|r| r.state != RunState::Running)
}

#[tokio::test]
async fn a_whole_incident_driven_by_actions_is_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path());
    assert_eq!(h.app.focus, Focus::Detail);

    // Tick the first checklist item.
    select(&mut h, Item::Checklist(0));
    h.act(Action::Activate, t0());

    // Before the answer, the backlog command is hidden.
    assert!(!h.app.items().contains(&Item::Command(1)));
    select(&mut h, Item::Ask);
    h.act(Action::Activate, t0());
    assert!(matches!(h.app.overlay, Some(Overlay::Answer { .. })));
    h.act(Action::Down, t0());
    h.act(Action::Activate, t0());
    assert_eq!(h.app.overlay, None);
    assert!(
        h.app.items().contains(&Item::Command(1)),
        "answering backlog shows its command"
    );

    // Run a command and see its output in the display buffer.
    select(&mut h, Item::Command(0));
    h.act(Action::Activate, t0());
    assert!(
        h.settle(Duration::from_secs(10), t0, |a| finished(a, "greet"))
            .await
    );
    let run = h.app.output_run().expect("the pane shows greet's run");
    let lines: Vec<&str> = h.app.tails[&run].lines().collect();
    assert_eq!(lines, ["greet-output"]);

    // The unlocked command, then the check.
    select(&mut h, Item::Command(1));
    h.act(Action::Activate, t0());
    assert!(
        h.settle(Duration::from_secs(10), t0, |a| finished(
            a,
            "backlog-depth"
        ))
        .await
    );
    select(&mut h, Item::Check(0));
    h.act(Action::Activate, t0());
    assert!(
        h.settle(Duration::from_secs(10), t0, |a| finished(a, "shell-true"))
            .await
    );
    assert_eq!(
        h.app.last_run("confirm", "shell-true").map(|r| &r.state),
        Some(&RunState::Check(CheckStatus::Pass))
    );

    // A note, then complete step 1, skip step 2 with a reason, resolve.
    h.act(Action::Note, t0());
    typed(&mut h, "greet said hello");
    ctrl_s(&mut h);
    h.act(Action::CompleteStep, t0());
    assert_eq!(h.app.session.incident().current, Some(1));
    h.act(Action::SkipStep, t0());
    assert!(matches!(h.app.overlay, Some(Overlay::Skip(_))));
    typed(&mut h, "no logs on this host");
    h.act(
        Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        t0(),
    );
    assert_eq!(h.app.session.incident().current, Some(2));
    h.act(Action::Resolve, t0());
    typed(&mut h, "restarted the consumer");
    ctrl_s(&mut h);
    assert!(h.app.session.incident().resolved.is_some());
    h.shutdown(EndReason::Quit, t0).await;

    let steps = &h.app.session.incident().steps;
    assert_eq!(steps[0].status, StepStatus::Done);
    assert_eq!(
        steps[1].status,
        StepStatus::Skipped {
            reason: "no logs on this host".into()
        }
    );

    // The journal tells the same story, in order.
    let path = h.app.session.journal_path().to_path_buf();
    let recs = runbook::journal::read(&path).expect("journal").records;
    let story: Vec<String> = recs
        .iter()
        .filter_map(|r| match &r.event {
            Event::ChecklistToggled {
                item,
                checked: true,
                ..
            } => Some(format!("tick {item}")),
            Event::QuestionAnswered { answer, .. } => Some(format!("answer {answer}")),
            Event::CommandFinished { exit_code, .. } => Some(format!("exit {exit_code:?}")),
            Event::CheckFinished { status, .. } => Some(format!("check {status:?}")),
            Event::Note { text, .. } => Some(format!("note {text}")),
            Event::StepCompleted { step } => Some(format!("done {step}")),
            Event::StepSkipped { step, reason } => Some(format!("skip {step}: {reason}")),
            Event::IncidentResolved { summary } => Some(format!("resolved {summary}")),
            Event::SessionEnded { reason } => Some(format!("ended {reason:?}")),
            _ => None,
        })
        .collect();
    assert_eq!(
        story,
        [
            "tick 0",
            "answer backlog",
            "exit Some(0)",
            "exit Some(0)",
            "check Pass",
            "note greet said hello",
            "done confirm",
            "skip logs: no logs on this host",
            "resolved restarted the consumer",
            "ended Quit",
        ]
    );
    let outputs: String = recs
        .iter()
        .filter_map(|r| match &r.event {
            Event::CommandOutput { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(outputs.contains("greet-output") && outputs.contains("backlog-output"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_command_does_not_delay_key_handling() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path());
    // Go to step 2 and start `sleep 30`.
    h.act(Action::FocusPrev, t0());
    assert_eq!(h.app.focus, Focus::Steps);
    h.act(Action::Down, t0());
    h.act(Action::Activate, t0());
    assert_eq!(h.app.session.incident().current, Some(1));
    assert_eq!(h.app.selected_item(), Some(Item::Command(0)));
    h.act(Action::Activate, t0());
    let hang = h.app.running();
    assert_eq!(hang.len(), 1, "sleep 30 is running");
    let hang = hang[0];

    // 100 key actions while it runs; each must take effect at once.
    let order = [Focus::Steps, Focus::Detail, Focus::Output];
    let mut times = Vec::with_capacity(100);
    let mut timed = |h: &mut Headless, a: Action| {
        let start = Instant::now();
        h.act(a, t0());
        times.push(start.elapsed());
    };
    for _ in 0..25 {
        let before = order.iter().position(|f| *f == h.app.focus).unwrap_or(0);
        timed(&mut h, Action::FocusNext);
        assert_eq!(h.app.focus, order[(before + 1) % 3], "Tab moved the focus");
        timed(&mut h, Action::Help);
        assert_eq!(h.app.overlay, Some(Overlay::Help), "? opened the help");
        timed(&mut h, Action::Help);
        assert_eq!(h.app.overlay, None, "a key closed the help");
        timed(&mut h, Action::FocusPrev);
        assert_eq!(h.app.focus, order[before], "Shift-Tab moved it back");
        assert_eq!(
            h.app.session.incident().runs[&hang].state,
            RunState::Running,
            "the command is still running"
        );
    }
    assert_eq!(times.len(), 100);
    times.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "key actions while `sleep 30` runs: n=100 p50={:.1}µs p99={:.1}µs max={:.1}µs",
        us(times[50]),
        us(times[98]),
        us(times[99])
    );

    // Quitting cancels the command and journals its end.
    h.shutdown(EndReason::Quit, t0).await;
    let run = &h.app.session.incident().runs[&hang];
    assert_eq!(run.state, RunState::Cancelled);
}

#[tokio::test]
async fn run_all_starts_the_safe_runs_and_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open_fixture(dir.path(), "run-all.yaml");
    assert_eq!(h.app.selected_item(), Some(Item::Checklist(0)));
    h.act(Action::RunAll, t0());
    let flash = h.app.flash.clone().unwrap_or_default();
    assert!(
        flash.contains("started 3 runs") && flash.contains("2 left for you"),
        "{flash}"
    );
    assert_eq!(
        h.app.selected_item(),
        Some(Item::Command(0)),
        "the selection moves to the first command, whose result is then on screen"
    );
    let done = |a: &App| {
        ["first", "second", "works"].iter().all(|id| {
            a.last_run("look", id)
                .is_some_and(|r| r.state != RunState::Running)
        })
    };
    assert!(h.settle(Duration::from_secs(10), t0, done).await);
    assert!(
        h.app.last_run("look", "wipe").is_none(),
        "rm needs a typed confirmation"
    );
    assert!(
        h.app.last_run("look", "watch").is_none(),
        "follow runs until cancelled: not in a"
    );
    let run = h
        .app
        .output_run()
        .expect("the first command's output is shown");
    assert_eq!(
        h.app.tails[&run].lines().collect::<Vec<_>>(),
        ["first-output"]
    );
    h.shutdown(EndReason::Quit, t0).await;
}

/// The operator sees two symptoms at once: Space marks both, Enter answers
/// with both, the journal has them (ids, joined with `,`), and the items
/// meant for either are shown.
#[tokio::test]
async fn several_symptoms_can_be_answered_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = open(dir.path());
    select(&mut h, Item::Ask);
    h.act(Action::Activate, t0());
    h.act(Action::Mark, t0()); // refused
    h.act(Action::Down, t0());
    h.act(Action::Mark, t0()); // backlog
    h.act(Action::Activate, t0());
    assert_eq!(h.app.overlay, None);
    assert!(
        h.app.items().contains(&Item::Command(1)),
        "backlog's command shows"
    );
    h.shutdown(runbook::incident::EndReason::Quit, t0).await;
    h.app.session.drain().unwrap();
    let recs = runbook::journal::read(h.app.session.journal_path())
        .unwrap()
        .records;
    let answers: Vec<String> = recs
        .iter()
        .filter_map(|r| match &r.event {
            runbook::incident::Event::QuestionAnswered { answer, .. } => Some(answer.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(answers, ["refused,backlog"]);
}
