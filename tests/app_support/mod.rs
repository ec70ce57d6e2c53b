//! An incident screen for tests: a runbook, a session journaling into `dir`
//! at a fixed time, the first step entered — as `runbook start` does, minus
//! the terminal.
#![allow(dead_code)]

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use runbook::cli::setup::outlines;
use runbook::incident::{Event, JOURNAL_SCHEMA, Mode, RunbookRef};
use runbook::runbook::Runbook;
use runbook::runbook::load::load_file;
use runbook::runbook::template::resolve_vars;
use runbook::secrets::Masker;
use runbook::session::Session;
use runbook::tui::action::Action;
use runbook::tui::app::{App, Effect};
use runbook::tui::runtime::Runtime;

/// 2026-11-24 03:00:00 UTC plus `secs`.
pub fn at(secs: i64) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T03:00:00.000+00:00").expect("time")
        + chrono::Duration::seconds(secs)
}

/// Loads a runbook fixture (path relative to the crate).
pub fn runbook(path: &str) -> Runbook {
    load_file(Path::new(path))
        .unwrap_or_else(|e| panic!("fixture {path} does not load:\n{e}"))
        .runbook
}

/// Opens an incident on `rb` in `dir` at `now` (operator alice on
/// mq-prod-1), enters the first step, and returns its screen.
pub fn start_app(rb: Runbook, dir: &Path, title: &str, now: DateTime<FixedOffset>) -> App {
    start_app_with_vars(rb, dir, title, now, &[])
}

/// As [`start_app`], with `--var NAME=VALUE` values given.
pub fn start_app_with_vars(
    rb: Runbook,
    dir: &Path,
    title: &str,
    now: DateTime<FixedOffset>,
    given: &[(&str, &str)],
) -> App {
    let given: Vec<(String, String)> = given
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let vars = resolve_vars(&rb, &given, &|_| None).expect("vars");
    let opened = Event::IncidentOpened {
        schema: JOURNAL_SCHEMA,
        incident_id: "test".into(),
        title: title.into(),
        runbook: RunbookRef {
            id: rb.id.clone(),
            title: rb.title.clone(),
            path: format!("tests/fixtures/{}.yaml", rb.id),
            sha256: "0".into(),
        },
        steps: outlines(&rb),
        vars: vars.masked_map(),
        host: "mq-prod-1".into(),
        user: "alice".into(),
        mode: Mode::Live,
        program_version: "test".into(),
        lang: String::new(),
    };
    let mut session =
        Session::start(dir, opened, Masker::new(vars.secret_values()), now).expect("session");
    let first = rb.steps[0].id.clone();
    session
        .record(Event::StepEntered { step: first }, now)
        .expect("step entered");
    App::new(session, rb, vars, false)
}

/// Applies `action` as the live screen's runtime does, without starting or
/// stopping jobs: a job report is recorded, the app updated, the events it
/// asks for recorded. Returns the other effects (launch, cancel, quit).
pub fn act(app: &mut App, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    Runtime::for_app(app).apply(app, action, now)
}
