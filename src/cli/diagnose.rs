//! `runbook diagnose`: run a runbook's safe commands and checks without a
//! human, in parallel, journal everything, print a summary.

use std::collections::{BTreeMap, VecDeque};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use crate::cli::setup::{self, Opened};
use crate::exec::Update;
use crate::exec::tail::OutputTail;
use crate::incident::{CheckStatus, EndReason, Event, RunId, RunKind, RunState};
use crate::runbook::{format_duration, when_allows};
use crate::runs::{self, Job, Launched, WorkUpdate};
use crate::tui::now;

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

/// One row of the summary.
#[derive(Debug, Serialize)]
struct Row {
    step: String,
    id: String,
    kind: &'static str,
    result: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<i32>,
    duration_ms: u64,
    ok: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    summary: String,
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
    // Usage errors are found before the journal is opened, so a typo leaves
    // no empty incident behind (which `runbook resume` would then offer).
    let answers = match setup::load_runbook(args.runbook.as_deref())
        .and_then(|l| check_selection(&l.runbook, &args))
    {
        Ok(a) => a,
        Err(code) => return code,
    };
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
    let tty = std::io::stdout().is_terminal() && !args.json;
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
    let mut skipped: Vec<Skip> = Vec::new();
    for (si, step) in runbook.steps.iter().enumerate() {
        if !args.steps.is_empty() && !args.steps.contains(&step.id) {
            continue;
        }
        let skip = |id: &str, why: &'static str, detail: String| Skip {
            step: step.id.clone(),
            id: id.to_string(),
            why,
            detail,
        };
        for (ci, c) in step.commands.iter().enumerate() {
            // Judged on the unquoted text: a value that a nested shell
            // (`ssh host {{cmd}}`) would run must not slip past the net.
            let net = crate::danger::destructive_reason(&vars.render_text(&c.run));
            if c.confirm {
                skipped.push(skip(&c.id, CONFIRM, format!("confirm: true; {TYPED}")));
            } else if let Some(reason) = net {
                skipped.push(skip(
                    &c.id,
                    CONFIRM,
                    format!("looks destructive ({reason}); {TYPED}"),
                ));
            } else if c.follow {
                skipped.push(skip(&c.id, FOLLOW, format!("follow: true; {FOLLOW}")));
            } else if !when_allows(c.when.as_ref(), &answers) {
                skipped.push(skip(&c.id, WHEN, when_detail(c.when.as_ref())));
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
                skipped.push(skip(&k.id, WHEN, when_detail(k.when.as_ref())));
            }
        }
    }

    let (tx, mut rx) = tokio::sync::mpsc::channel::<WorkUpdate>(256);
    let mut launched: BTreeMap<RunId, Launched> = BTreeMap::new();
    let mut order: Vec<RunId> = Vec::new();
    let mut writes = WriteReport::default();
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
            writes.note(res, session.pending_writes());
            order.push(run);
            let is_check = !matches!(job, Job::Command(_));
            match runs::launch(run, job, tx.clone()) {
                Ok(l) => {
                    launched.insert(run, l);
                }
                Err(why) => {
                    writes.note(
                        runs::record_launch_failure(&mut session, run, is_check, &why, now()),
                        session.pending_writes(),
                    );
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
            WorkUpdate::Exec(_, Update::Output { .. }) => None,
            WorkUpdate::Exec(run, Update::Finished(_)) | WorkUpdate::Check(run, ..) => Some(*run),
        };
        let res = runs::apply_update(&mut session, update, now());
        writes.note(res, session.pending_writes());
        if let Some(run) = finished {
            launched.remove(&run);
            if !args.json {
                print_block(&mut stdout, &session, run, tty);
            }
        }
    }
    let reason = match interrupted {
        Some(sig) => EndReason::Signal(sig.into()),
        None => EndReason::Finished,
    };
    let res = session
        .record(Event::SessionEnded { reason }, now())
        .map(|_| ());
    writes.note(res, session.pending_writes());
    if session.pending_writes() > 0 {
        let res = session.flush_pending();
        writes.note(res, session.pending_writes());
    }
    // Complete once nothing is held, even if some writes failed on the way.
    let journal_incomplete = session.pending_writes() > 0;

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
            "ok": all_ok && interrupted.is_none() && !journal_incomplete,
            "interrupted": interrupted,
            "results": rows,
            "skipped": skipped.iter().map(|k| serde_json::json!({"step": k.step, "id": k.id, "why": k.why, "detail": k.detail})).collect::<Vec<_>>(),
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
    if journal_incomplete {
        eprintln!(
            "runbook: the journal {journal} could not be fully written ({} event(s) not on disk); see the errors above",
            session.pending_writes()
        );
    }
    if all_ok && interrupted.is_none() && !journal_incomplete {
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

/// Journal write errors, told once per failing stretch: on a full disk every
/// event fails, and one line per event would bury the summary.
#[derive(Default)]
struct WriteReport {
    failing: bool,
}

impl WriteReport {
    /// `pending` is what the journal still holds after `res`: an `Ok` from
    /// a call that wrote nothing does not mean the disk recovered.
    fn note(&mut self, res: Result<(), crate::journal::JournalError>, pending: usize) {
        match res {
            Err(e) if !self.failing => {
                eprintln!("runbook: {e}");
                self.failing = true;
            }
            Err(_) => {}
            Ok(()) if self.failing && pending == 0 => {
                eprintln!("runbook: the journal can be written again; the held events are on disk");
                self.failing = false;
            }
            Ok(()) => {}
        }
    }
}

fn row(r: &crate::incident::Run, runbook: &crate::runbook::Runbook) -> Row {
    let (result, exit_code, ok) = match &r.state {
        RunState::Exited(c) => (format!("exit {c}"), Some(*c), *c == 0),
        RunState::Signaled(s) => (format!("signal {s}"), None, false),
        RunState::TimedOut => ("timed out".into(), None, false),
        RunState::Cancelled => ("cancelled".into(), None, false),
        RunState::Interrupted => ("interrupted".into(), None, false),
        RunState::Running => ("no result".into(), None, false),
        RunState::Check(s) => (
            status_word(*s).into(),
            None,
            matches!(s, CheckStatus::Pass | CheckStatus::Warn),
        ),
    };
    let step_no = runbook
        .steps
        .iter()
        .position(|s| s.id == r.step)
        .map_or(0, |i| i + 1);
    Row {
        step: format!("{step_no}. {}", r.step),
        id: r.item.clone(),
        kind: if r.kind == RunKind::Command {
            "command"
        } else {
            "check"
        },
        result,
        exit_code,
        duration_ms: r.duration_ms.unwrap_or(0),
        ok,
        summary: r.summary.clone(),
    }
}

fn status_word(s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Pass => "pass",
        CheckStatus::Warn => "warn",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Error => "error",
    }
}

fn paint(text: &str, ok: bool, tty: bool) -> String {
    if !tty {
        return text.to_string();
    }
    let colour = if ok { "32" } else { "31;1" };
    format!("\u{1b}[{colour}m{text}\u{1b}[0m")
}

fn print_block(out: &mut impl Write, session: &crate::session::Session, run: RunId, tty: bool) {
    let Some(r) = session.incident().runs.get(&run) else {
        return;
    };
    let row = row(r, &runbook_stub());
    let dur = short_duration(r.duration_ms.unwrap_or(0));
    let _ = writeln!(
        out,
        "── {} / {} · {} · {dur}",
        r.step,
        r.item,
        paint(&row.result, row.ok, tty)
    );
    if r.kind == RunKind::Check {
        let _ = writeln!(out, "   {}", r.summary);
        return;
    }
    let _ = writeln!(out, "   $ {}", r.command_line_or_target);
    // Shown from the journaled output, not the raw stream: that text is
    // already masked (secrets, URL passwords), so the screen never shows
    // more than the journal.
    let mut tail = OutputTail::new(SHOWN_LINES);
    tail.push(&r.output);
    if r.truncated {
        // A flood is only excerpted in the journal: do not promise the
        // operator that the hidden lines are all there.
        let _ = writeln!(
            out,
            "   … earlier output not shown; of {} bytes printed, the journal keeps only the first and last part",
            r.bytes
        );
    } else if tail.dropped() > 0 {
        let _ = writeln!(
            out,
            "   … {} earlier line(s) not shown; all are in the journal",
            tail.dropped()
        );
    }
    for l in tail.lines() {
        let l = if tty {
            l.to_string()
        } else {
            crate::exec::sanitize::strip_sgr(l)
        };
        let _ = writeln!(out, "   {l}");
    }
}

fn runbook_stub() -> crate::runbook::Runbook {
    crate::runbook::Runbook {
        schema: 1,
        id: String::new(),
        title: String::new(),
        summary: None,
        vars: vec![],
        thresholds: Default::default(),
        steps: vec![],
    }
}

fn print_table(out: &mut impl Write, rows: &[Row], skipped: &[Skip], tty: bool, verbose: bool) {
    let w_step = rows
        .iter()
        .map(|r| r.step.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let w_id = rows
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    let _ = writeln!(
        out,
        "\n{:<w_step$}  {:<w_id$}  {:<7}  {:<10}  {:>8}  summary",
        "step", "id", "kind", "result", "time"
    );
    for r in rows {
        let result = format!("{:<10}", r.result);
        let _ = writeln!(
            out,
            "{:<w_step$}  {:<w_id$}  {:<7}  {}  {:>8}  {}",
            r.step,
            r.id,
            r.kind,
            paint(&result, r.ok, tty),
            short_duration(r.duration_ms),
            r.summary
        );
    }
    let failed = rows.iter().filter(|r| !r.ok).count();
    let _ = writeln!(
        out,
        "\n{} run, {} passed, {} failed; {} skipped",
        rows.len(),
        rows.len() - failed,
        failed,
        skipped.len()
    );
    if verbose {
        for k in skipped {
            let _ = writeln!(out, "  skipped {}/{}: {}", k.step, k.id, k.detail);
        }
    } else {
        for why in [CONFIRM, WHEN, FOLLOW] {
            let n = skipped.iter().filter(|k| k.why == why).count();
            if n > 0 {
                let _ = writeln!(out, "  {n} skipped: {why}");
            }
        }
        if !skipped.is_empty() {
            let _ = writeln!(out, "  (--verbose lists them)");
        }
    }
}

/// A command or check diagnose leaves out, and why.
struct Skip {
    step: String,
    id: String,
    /// One of [`CONFIRM`], [`WHEN`], [`FOLLOW`] (the summary counts these).
    why: &'static str,
    /// Why this one, for `--verbose` and `--json`.
    detail: String,
}

/// `only when symptom is memory-alarm or disk-alarm (--answer symptom=memory-alarm)`.
fn when_detail(when: Option<&crate::runbook::When>) -> String {
    let Some(w) = when else {
        return String::new();
    };
    let conds: Vec<String> = w
        .iter()
        .map(|(ask, choices)| format!("{ask} is {}", choices.join(" or ")))
        .collect();
    let hint: Vec<String> = w
        .iter()
        .filter_map(|(ask, choices)| choices.first().map(|c| format!("--answer {ask}={c}")))
        .collect();
    format!("only when {} ({})", conds.join(" and "), hint.join(" "))
}

const TYPED: &str = "needs a typed confirmation in `runbook start`";
const CONFIRM: &str = "they change the system and need a typed confirmation in `runbook start`";
const WHEN: &str = "they are for an answer not given (e.g. --answer symptom=memory-alarm)";
const FOLLOW: &str = "they follow output until cancelled";

/// Checks `--step` and `--answer` against the runbook; returns the answers,
/// or prints why not and returns the exit code.
fn check_selection(
    runbook: &crate::runbook::Runbook,
    args: &DiagnoseArgs,
) -> Result<BTreeMap<String, String>, i32> {
    for s in &args.steps {
        if runbook.step(s).is_none() {
            let ids: Vec<&str> = runbook.steps.iter().map(|s| s.id.as_str()).collect();
            eprintln!(
                "runbook: no step `{s}` in runbook {}; steps are: {}",
                runbook.id,
                ids.join(", ")
            );
            return Err(2);
        }
    }
    parse_answers(runbook, &args.answers).map_err(|e| {
        eprintln!("runbook: {e}");
        2
    })
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

/// Seconds with centiseconds below a minute (`0.12s`), else `1m05s`.
fn short_duration(ms: u64) -> String {
    if ms < 60_000 {
        format!("{:.2}s", ms as f64 / 1000.0)
    } else {
        format_duration(Duration::from_millis(ms))
    }
}
