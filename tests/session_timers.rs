//! Timers and budgets from the fold, with time injected.

use chrono::{DateTime, Duration, FixedOffset};
use runbook::incident::*;

fn at(secs: i64) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T03:00:00.000+00:00").unwrap() + Duration::seconds(secs)
}

fn incident(events: Vec<(i64, Event)>) -> Incident {
    let step = |id: &str, e: Option<u64>, l: Option<u64>| StepOutline {
        id: id.into(),
        title: id.into(),
        expected_ms: e,
        limit_ms: l,
        mitigation: id == "fix",
        checklist: vec![],
    };
    let mut all = vec![(
        0,
        Event::IncidentOpened {
            schema: 1,
            incident_id: "i".into(),
            title: "".into(),
            runbook: RunbookRef {
                id: "r".into(),
                title: "r".into(),
                path: "p".into(),
                sha256: "s".into(),
            },
            steps: vec![
                step("confirm", Some(60_000), Some(120_000)),
                step("fix", None, None),
                step("later", None, Some(30_000)),
            ],
            vars: Default::default(),
            host: "h".into(),
            user: "u".into(),
            mode: Mode::Live,
            program_version: "0".into(),
            lang: String::new(),
        },
    )];
    all.extend(events);
    let recs: Vec<Record> = all
        .into_iter()
        .enumerate()
        .map(|(i, (s, event))| Record {
            seq: i as u64 + 1,
            ts: at(s),
            event,
        })
        .collect();
    Incident::fold(&recs)
}

fn entered(s: &str) -> Event {
    Event::StepEntered { step: s.into() }
}

#[test]
fn budget_state_at_the_boundaries() {
    let inc = incident(vec![(10, entered("confirm"))]);
    assert_eq!(
        inc.budget_state(0, at(10 + 60)),
        BudgetState::Within,
        "exactly the expected time is within"
    );
    assert_eq!(inc.budget_state(0, at(10 + 61)), BudgetState::OverExpected);
    assert_eq!(
        inc.budget_state(0, at(10 + 120)),
        BudgetState::OverExpected,
        "exactly the limit is not over it"
    );
    assert_eq!(inc.budget_state(0, at(10 + 121)), BudgetState::OverLimit);
    assert_eq!(inc.budget_state(1, at(500)), BudgetState::NoBudget);
    assert_eq!(
        inc.budget_state(2, at(500)),
        BudgetState::Within,
        "never entered: no time spent"
    );
}

#[test]
fn only_the_current_step_runs_and_time_while_down_counts() {
    let inc = incident(vec![
        (10, entered("confirm")),
        (
            40,
            Event::SessionEnded {
                reason: EndReason::Signal("SIGKILL".into()),
            },
        ),
        (
            400,
            Event::SessionResumed {
                host: "h".into(),
                user: "u".into(),
                program_version: "0".into(),
            },
        ),
        (410, entered("fix")),
        (430, entered("confirm")),
    ]);
    assert_eq!(
        inc.step_elapsed(0, at(450)).as_secs(),
        400 + 20,
        "both visits, the downtime included"
    );
    assert_eq!(
        inc.step_elapsed(1, at(450)).as_secs(),
        20,
        "stopped when another step was entered"
    );
    assert_eq!(inc.current, Some(0));
    assert_eq!(inc.total_elapsed(at(450)).as_secs(), 450);
    assert_eq!(inc.budget_state(0, at(450)), BudgetState::OverLimit);
}

#[test]
fn completion_stops_the_timer_and_gives_time_to_mitigation() {
    let inc = incident(vec![
        (10, entered("fix")),
        (100, Event::StepCompleted { step: "fix".into() }),
        (
            200,
            Event::IncidentResolved {
                summary: "ok".into(),
            },
        ),
    ]);
    assert_eq!(inc.step_elapsed(1, at(5000)).as_secs(), 90);
    assert_eq!(inc.steps[1].status, StepStatus::Done);
    assert_eq!(inc.current, None);
    assert_eq!(inc.time_to_mitigation().map(|d| d.as_secs()), Some(100));
    assert_eq!(
        inc.total_elapsed(at(5000)).as_secs(),
        200,
        "the clock stops at resolution"
    );
    assert!(!inc.is_open());
}

#[test]
fn runs_end_states_and_next_run_id() {
    let started = |run, cmd: &str| Event::CommandStarted {
        run,
        step: "confirm".into(),
        command: cmd.into(),
        command_line: cmd.into(),
        pid: None,
    };
    let finished = |run, exit_code, signal, timed_out, cancelled| Event::CommandFinished {
        run,
        exit_code,
        signal,
        timed_out,
        cancelled,
        duration_ms: 1,
        bytes: 0,
        truncated: false,
        launch_error: None,
    };
    let inc = incident(vec![
        (1, started(1, "a")),
        (2, finished(1, Some(3), None, false, false)),
        (3, started(2, "b")),
        (4, finished(2, None, Some(9), true, false)),
        (5, started(7, "c")),
        (6, finished(7, None, Some(15), false, true)),
        (7, started(8, "d")),
        (8, finished(8, None, Some(9), false, false)),
    ]);
    let states: Vec<RunState> = inc.runs.values().map(|r| r.state).collect();
    assert_eq!(
        states,
        vec![
            RunState::Exited(3),
            RunState::TimedOut,
            RunState::Cancelled,
            RunState::Signaled(9)
        ]
    );
    assert_eq!(inc.next_run_id(), 9);
    assert_eq!(incident(vec![]).next_run_id(), 1);
}
