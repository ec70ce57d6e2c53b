//! `runbook diagnose`: run a runbook's safe commands and checks without a
//! human, in parallel, journal everything, print a summary.

use std::collections::{BTreeMap, VecDeque};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use crate::cli::setup::{self, Opened};

mod summary;
use crate::exec::Update;
use crate::exec::tail::OutputTail;
use crate::incident::{EndReason, Event, RunId};
use crate::runbook::when_allows;
use crate::runs::{self, Job, Launched, WorkUpdate};
use crate::tui::now;
use summary::{CONFIRM, FOLLOW, Row, WHEN, print_block, print_table, row};

/// Arguments of `runbook diagnose`.
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Runbook file or id (default: the embedded RabbitMQ emergency runbook).
    pub runbook: Option<String>,
    /// Only these steps (repeatable); default all.
    #[arg(long = "step", value_name = "ID")]
    pub steps: Vec<String>,
    /// Set a runbook variable (repeatable).
    #[arg(long = "var", value_name = "K=V")]
    pub vars: Vec<String>,
    /// Where the incident journal is written.
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
    /// How many commands and checks run at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Answer a step's question, e.g. `--answer symptom=memory-alarm`, to
    /// include the commands and checks meant for that answer (repeatable).
    #[arg(long = "answer", value_name = "ASK=CHOICE")]
    pub answers: Vec<String>,
    /// Print a machine-readable summary instead of the table.
    #[arg(long)]
    pub json: bool,
    /// List every skipped command and check, not just the counts.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Lines of each command's output printed after it finishes.
const SHOWN_LINES: usize = 12;

struct Planned {
    step: usize,
    item: PlannedItem,
}

enum PlannedItem {
    Command(usize),
    Check(usize),
}

/// Runs `runbook diagnose`; returns the exit code.
pub fn run(args: DiagnoseArgs) -> i32 {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runbook: cannot start the async runtime: {e}");
            return 2;
        }
    };
    rt.block_on(diagnose(args))
}

async fn diagnose(args: DiagnoseArgs) -> i32 {
    let Opened {
        runbook,
        vars,
        mut session,
    } = match setup::open_incident(
        args.runbook.as_deref(),
        &args.vars,
        args.log_dir.as_deref(),
        "headless diagnose",
        crate::incident::Mode::Live,
        now(),
    ) {
        Ok(o) => o,
        Err(code) => return code,
    };
    for s in &args.steps {
        if runbook.step(s).is_none() {
            let ids: Vec<&str> = runbook.steps.iter().map(|s| s.id.as_str()).collect();
            eprintln!(
                "runbook: no step `{s}` in runbook {}; steps are: {}",
                runbook.id,
                ids.join(", ")
            );
            return 2;
        }
    }
    let tty = std::io::stdout().is_terminal() && !args.json;
    let answers = match parse_answers(&runbook, &args.answers) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("runbook: {e}");
            return 2;
        }
    };
    for (ask, answer) in &answers {
        if let Some(step) = runbook
            .steps
            .iter()
            .find(|s| s.ask.as_ref().is_some_and(|a| &a.id == ask))
        {
            let ev = Event::QuestionAnswered {
                step: step.id.clone(),
                ask: ask.clone(),
                answer: answer.clone(),
            };
            if let Err(e) = session.record(ev, now()) {
                eprintln!("runbook: {e}");
            }
        }
    }
    let mut plan = VecDeque::new();
    let mut skipped: Vec<(String, String, String)> = Vec::new();
    for (si, step) in runbook.steps.iter().enumerate() {
        if !args.steps.is_empty() && !args.steps.contains(&step.id) {
            continue;
        }
        for (ci, c) in step.commands.iter().enumerate() {
            let danger =
                c.confirm || crate::danger::destructive_reason(&vars.render_text(&c.run)).is_some();
            if danger {
                skipped.push((step.id.clone(), c.id.clone(), CONFIRM.into()));
            } else if c.follow {
                skipped.push((step.id.clone(), c.id.clone(), FOLLOW.into()));
            } else if !when_allows(c.when.as_ref(), &answers) {
                skipped.push((step.id.clone(), c.id.clone(), WHEN.into()));
            } else {
                plan.push_back(Planned {
                    step: si,
                    item: PlannedItem::Command(ci),
                });
            }
        }
        for (ki, k) in step.checks.iter().enumerate() {
            if when_allows(k.when.as_ref(), &answers) {
                plan.push_back(Planned {
                    step: si,
                    item: PlannedItem::Check(ki),
                });
            } else {
                skipped.push((step.id.clone(), k.id.clone(), WHEN.into()));
            }
        }
    }

    let (tx, mut rx) = tokio::sync::mpsc::channel::<WorkUpdate>(256);
    let mut launched: BTreeMap<RunId, Launched> = BTreeMap::new();
    let mut tails: BTreeMap<RunId, OutputTail> = BTreeMap::new();
    let mut order: Vec<RunId> = Vec::new();
    let mut write_failed = false;
    let mut interrupted: Option<&'static str> = None;
    let mut stdout = std::io::stdout();
    let mut sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok();
    let mut sigterm =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();

    loop {
        while interrupted.is_none() && launched.len() < usize::from(args.jobs) {
            let Some(p) = plan.pop_front() else { break };
            let step = &runbook.steps[p.step];
            let (run, job, res) = match p.item {
                PlannedItem::Command(ci) => {
                    runs::start_command(&mut session, step, &step.commands[ci], &vars, now())
                }
                PlannedItem::Check(ki) => {
                    runs::start_check(&mut session, &runbook, step, &step.checks[ki], &vars, now())
                }
            };
            write_failed |= report_write(res);
            order.push(run);
            if matches!(job, Job::Command(_)) {
                tails.insert(run, OutputTail::new(SHOWN_LINES));
            }
            let is_check = !matches!(job, Job::Command(_));
            match runs::launch(run, job, tx.clone()) {
                Ok(l) => {
                    launched.insert(run, l);
                }
                Err(why) => {
                    write_failed |= report_write(runs::record_launch_failure(
                        &mut session,
                        run,
                        is_check,
                        &why,
                        now(),
                    ));
                }
            }
        }
        if launched.is_empty() {
            break;
        }
        let update = tokio::select! {
            u = rx.recv() => u,
            _ = recv_signal(&mut sigint), if interrupted.is_none() => { interrupted = Some("SIGINT"); cancel_all(&launched); continue; }
            _ = recv_signal(&mut sigterm), if interrupted.is_none() => { interrupted = Some("SIGTERM"); cancel_all(&launched); continue; }
        };
        let Some(update) = update else { break };
        let finished = match &update {
            WorkUpdate::Exec(run, Update::Output { text, .. }) => {
                if let Some(t) = tails.get_mut(run) {
                    t.push(text);
                }
                None
            }
            WorkUpdate::Exec(run, Update::Finished(_)) | WorkUpdate::Check(run, ..) => Some(*run),
        };
        write_failed |= report_write(runs::apply_update(&mut session, update, now()));
        if let Some(run) = finished {
            launched.remove(&run);
            if !args.json {
                print_block(&mut stdout, &session, &runbook, run, tails.get(&run), tty);
            }
        }
    }
    let reason = match interrupted {
        Some(sig) => EndReason::Signal(sig.into()),
        None => EndReason::Finished,
    };
    write_failed |= report_write(
        session
            .record(Event::SessionEnded { reason }, now())
            .map(|_| ()),
    );
    if session.pending_writes() > 0 {
        write_failed |= report_write(session.flush_pending());
    }

    let inc = session.incident();
    let rows: Vec<Row> = order
        .iter()
        .filter_map(|id| inc.runs.get(id))
        .map(|r| row(r, &runbook))
        .collect();
    let all_ok = rows.iter().all(|r| r.ok);
    let journal = session.journal_path().display().to_string();
    if args.json {
        let out = serde_json::json!({
            "runbook": runbook.id,
            "journal": journal,
            "ok": all_ok && interrupted.is_none() && !write_failed,
            "interrupted": interrupted,
            "results": rows,
            "skipped": skipped.iter().map(|(s, i, why)| serde_json::json!({"step": s, "id": i, "why": why})).collect::<Vec<_>>(),
        });
        let _ = writeln!(
            stdout,
            "{}",
            serde_json::to_string_pretty(&out).unwrap_or_default()
        );
    } else {
        print_table(&mut stdout, &rows, &skipped, tty, args.verbose);
        let _ = writeln!(stdout, "\njournal: {journal}");
        if let Some(sig) = interrupted {
            let _ = writeln!(
                stdout,
                "interrupted by {sig}: running commands were cancelled"
            );
        }
    }
    if write_failed {
        eprintln!(
            "runbook: the journal {journal} could not be fully written ({} event(s) not on disk); see the errors above",
            session.pending_writes()
        );
    }
    if all_ok && interrupted.is_none() && !write_failed {
        0
    } else {
        1
    }
}

async fn recv_signal(s: &mut Option<tokio::signal::unix::Signal>) {
    match s {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

fn cancel_all(launched: &BTreeMap<RunId, Launched>) {
    for l in launched.values() {
        l.cancel();
    }
}

/// Prints a journal write error once per failure; true when one happened.
fn report_write(res: Result<(), crate::journal::JournalError>) -> bool {
    match res {
        Ok(()) => false,
        Err(e) => {
            eprintln!("runbook: {e}");
            true
        }
    }
}

/// Parses `--answer ASK=CHOICE`, checking the question and the choice exist.
fn parse_answers(
    rb: &crate::runbook::Runbook,
    args: &[String],
) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            return Err(format!("--answer expects ASK=CHOICE, got `{a}`"));
        };
        let Some(ask) = rb
            .steps
            .iter()
            .filter_map(|s| s.ask.as_ref())
            .find(|q| q.id == k)
        else {
            let asks: Vec<&str> = rb
                .steps
                .iter()
                .filter_map(|s| s.ask.as_ref())
                .map(|q| q.id.as_str())
                .collect();
            return Err(format!(
                "no question `{k}` in runbook {}; questions: {}",
                rb.id,
                asks.join(", ")
            ));
        };
        if !ask.choices.iter().any(|c| c == v) {
            return Err(format!(
                "`{v}` is not a choice of `{k}`; choices: {}",
                ask.choices.join(", ")
            ));
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}
