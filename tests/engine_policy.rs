//! The job engine's policy, in the live screen and in `diagnose` alike: its
//! environment reaches every command and command check; a command its fence
//! refuses is journaled as refused, never run and never offered for a typed
//! confirmation. The default policy adds and refuses nothing.

mod app_support;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use runbook::cli::diagnose::{DiagnoseArgs, run_with};
use runbook::engine::{Admission, JobPolicy};
use runbook::incident::{CheckStatus, Event, RunState};
use runbook::tui::action::Action;
use runbook::tui::app::{App, Focus, Item};
use runbook::tui::headless::Headless;

const FIXTURE: &str = "tests/fixtures/engine-policy.yaml";

fn at(secs: i64) -> DateTime<FixedOffset> {
    app_support::at(secs)
}

fn sandbox_env() -> Vec<(String, String)> {
    vec![("RUNBOOK_POLICY_NODE".into(), "rabbit-drill-7".into())]
}

/// A fence that refuses every `touch`, as a drill refuses what would reach
/// outside its sandbox.
fn fence() -> JobPolicy {
    JobPolicy {
        env: sandbox_env(),
        refuse: Some(Arc::new(|line: &str| {
            line.starts_with("touch ")
                .then(|| "touch writes outside the sandbox".to_string())
        })),
        ..JobPolicy::default()
    }
}

fn screen(dir: &Path, policy: JobPolicy) -> Headless {
    let rb = app_support::runbook(FIXTURE);
    let given = dir.display().to_string();
    let mut app = app_support::start_app_with_vars(rb, dir, "Policy", at(0), &[("dir", &given)]);
    app.policy = Arc::new(policy);
    app.focus = Focus::Detail;
    Headless::new(app)
}

fn select(h: &mut Headless, item: Item) {
    let at_index = h
        .app
        .items()
        .iter()
        .position(|i| *i == item)
        .unwrap_or_else(|| panic!("{item:?} not selectable"));
    while h.app.cursor > at_index {
        h.act(Action::Up, at(1));
    }
    while h.app.cursor < at_index {
        h.act(Action::Down, at(1));
    }
}

fn ended(app: &App, item: &str) -> bool {
    app.last_run("one", item)
        .is_some_and(|r| r.state != RunState::Running)
}

/// Runs the `env` command and the `env-check` check; returns the command's
/// output and the check's status.
async fn run_env_items(h: &mut Headless) -> (String, RunState) {
    select(h, Item::Command(0));
    h.act(Action::Activate, at(2));
    select(h, Item::Check(0));
    h.act(Action::Activate, at(2));
    let done = h
        .settle(
            Duration::from_secs(20),
            || at(3),
            |app| ended(app, "env") && ended(app, "env-check"),
        )
        .await;
    assert!(done, "the command and the check did not end");
    let out = h.app.last_run("one", "env").map(|r| r.output.clone());
    let check = h.app.last_run("one", "env-check").map(|r| r.state);
    (out.unwrap_or_default(), check.unwrap_or(RunState::Running))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_policy_env_reaches_every_command_and_command_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = screen(
        dir.path(),
        JobPolicy {
            env: sandbox_env(),
            refuse: None,
            ..JobPolicy::default()
        },
    );
    let (out, check) = run_env_items(&mut h).await;
    assert_eq!(out, "node=rabbit-drill-7\n");
    assert_eq!(check, RunState::Check(CheckStatus::Pass));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_policy_adds_no_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = screen(dir.path(), JobPolicy::default());
    let (out, check) = run_env_items(&mut h).await;
    assert_eq!(out, "node=\n");
    assert_eq!(check, RunState::Check(CheckStatus::Fail));
}

/// The run of `item`: its `command_finished` launch error, from the journal.
fn launch_error(journal: &Path, item: &str) -> Option<String> {
    let read = runbook::journal::read(journal).expect("journal reads");
    let run = read.records.iter().find_map(|r| match &r.event {
        Event::CommandStarted { run, command, .. } if command == item => Some(*run),
        _ => None,
    })?;
    read.records.iter().find_map(|r| match &r.event {
        Event::CommandFinished {
            run: r2,
            launch_error,
            ..
        } if *r2 == run => launch_error.clone(),
        _ => None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_command_is_journaled_never_run_nor_offered_for_confirmation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = screen(dir.path(), fence());
    assert_eq!(
        h.app.admission(0, 2),
        Admission::Refuse("touch writes outside the sandbox".into()),
        "the fence comes before the runbook's confirm: true"
    );
    assert_eq!(h.app.danger(0, 2), None);
    for (i, id) in [(1, "fenced"), (2, "guarded")] {
        select(&mut h, Item::Command(i));
        h.act(Action::Activate, at(2));
        assert!(h.app.overlay.is_none(), "{id}: offered for confirmation");
        assert!(ended(&h.app, id), "{id}: journaled as ended at once");
    }
    h.shutdown(runbook::incident::EndReason::Quit, || at(5))
        .await;
    let journal = h.app.session.journal_path().to_path_buf();
    for id in ["fenced", "guarded"] {
        assert_eq!(
            launch_error(&journal, id).as_deref(),
            Some("refused in a drill: touch writes outside the sandbox"),
            "{id}"
        );
        assert!(!dir.path().join(format!("{id}-ran")).exists(), "{id} ran");
    }
    let asked = runbook::journal::read(&journal)
        .expect("journal reads")
        .records
        .iter()
        .any(|r| matches!(r.event, Event::ConfirmationAsked { .. }));
    assert!(!asked, "a refused command was offered for confirmation");
}

/// A Chinese drill journals its refusals in Chinese, as its screen shows them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chinese_drill_journals_its_refusal_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policy = JobPolicy {
        lang: runbook::i18n::Lang::Zh,
        ..fence()
    };
    let mut h = screen(dir.path(), policy);
    select(&mut h, Item::Command(1));
    h.act(Action::Activate, at(2));
    h.shutdown(runbook::incident::EndReason::Quit, || at(5))
        .await;
    let journal = h.app.session.journal_path().to_path_buf();
    assert_eq!(
        launch_error(&journal, "fenced").as_deref(),
        Some("演练中已拒绝：touch writes outside the sandbox")
    );
    assert!(!dir.path().join("fenced-ran").exists(), "fenced ran");
}

#[test]
fn the_default_policy_still_asks_to_confirm_a_marked_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = screen(dir.path(), JobPolicy::default());
    assert_eq!(
        h.app.admission(0, 2),
        Admission::Confirm("the runbook marks it as changing the system".into())
    );
    // The destructive-command net catches `touch` too; the fence came first.
    assert!(matches!(h.app.admission(0, 1), Admission::Confirm(_)));
    assert_eq!(h.app.admission(0, 0), Admission::Run);
}

#[test]
fn diagnose_under_a_fence_journals_refusals_and_passes_the_env() {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = dir.path().join("incidents");
    let args = DiagnoseArgs {
        runbook: Some(FIXTURE.into()),
        steps: vec![],
        vars: vec![format!("dir={}", dir.path().display())],
        log_dir: Some(logs.clone()),
        jobs: 2,
        answers: vec![],
        json: true,
        verbose: false,
        notify: vec![],
    };
    let code = run_with(args, fence());
    assert_eq!(code, 1, "refused commands are not a success");
    let journal = std::fs::read_dir(&logs)
        .expect("log dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .expect("a journal was written");
    for id in ["fenced", "guarded"] {
        assert_eq!(
            launch_error(&journal, id).as_deref(),
            Some("refused in a drill: touch writes outside the sandbox"),
            "{id}"
        );
        assert!(!dir.path().join(format!("{id}-ran")).exists(), "{id} ran");
    }
    let read = runbook::journal::read(&journal).expect("journal reads");
    let inc = runbook::incident::Incident::fold(&read.records);
    let env = inc
        .runs
        .values()
        .find(|r| r.item == "env")
        .expect("env ran");
    assert_eq!(env.output, "node=rabbit-drill-7\n");
    let check = inc
        .runs
        .values()
        .find(|r| r.item == "env-check")
        .expect("env-check ran");
    assert_eq!(check.state, RunState::Check(CheckStatus::Pass));
}
