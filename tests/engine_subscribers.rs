//! Consumers attach to the job engine's stream of recorded events: each one
//! sees every event the engine records, once, in journal order, with the
//! incident as folded.

mod app_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use runbook::engine::{self, Engine, JobPolicy, Subscriber};
use runbook::incident::{Event, Incident, Record};

/// Each record's seq and type, and whether the fold already had it.
type Seen = Arc<Mutex<Vec<(u64, String, bool)>>>;

/// Keeps what it is told.
struct Log(Seen);

impl Subscriber for Log {
    fn recorded(&mut self, record: &Record, incident: &Incident) {
        let folded = match &record.event {
            Event::CommandStarted { run, .. } => incident.runs.contains_key(run),
            _ => true,
        };
        if let Ok(mut log) = self.0.lock() {
            log.push((record.seq, record.event.type_name().to_string(), folded));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_subscriber_sees_what_the_engine_records_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rb = app_support::runbook("tests/fixtures/engine-policy.yaml");
    let app = app_support::start_app(rb, dir.path(), "Subscribers", app_support::at(0));
    let (runbook, vars, mut session) = (app.runbook, app.vars, app.session);
    let mut engine = Engine::new(JobPolicy::default());
    let logs: Vec<Seen> = (0..2).map(|_| Arc::default()).collect();
    for log in &logs {
        engine.subscribe(Box::new(Log(log.clone())));
    }
    let step = &runbook.steps[0];
    let run = session.incident().next_run_id();
    let (started, job) = engine::command_start(run, step, &step.commands[0], &vars);
    engine
        .start(&mut session, run, started, job, app_support::at(1))
        .expect("journal writable");
    while engine.in_flight() > 0 {
        let update = tokio::time::timeout(Duration::from_secs(20), engine.next())
            .await
            .expect("the command reports within 20 s")
            .expect("the engine is alive");
        engine
            .report(&mut session, &update, app_support::at(2))
            .expect("journal writable");
    }
    engine
        .record(
            &mut session,
            Event::SessionEnded {
                reason: runbook::incident::EndReason::Finished,
            },
            app_support::at(3),
        )
        .expect("journal writable");
    let want: Vec<&str> = vec![
        "command_started",
        "command_output",
        "command_finished",
        "session_ended",
    ];
    for log in &logs {
        let log = log.lock().expect("log").clone();
        let types: Vec<&str> = log.iter().map(|(_, t, _)| t.as_str()).collect();
        assert_eq!(types, want);
        let seqs: Vec<u64> = log.iter().map(|(s, _, _)| *s).collect();
        // Seq 1 and 2 (opened, step entered) were recorded before the engine.
        assert_eq!(seqs, vec![3, 4, 5, 6]);
        assert!(log.iter().all(|(_, _, folded)| *folded));
    }
}
