//! `runbook diagnose`: run a runbook's safe commands and checks without a
//! human, in parallel, journal everything, print a summary.

use std::collections::{BTreeMap, VecDeque};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use crate::cli::setup::{self, Opened};

mod summary;
use crate::engine::{self, Admission, Engine, JobPolicy, Subscriber, now};
use crate::i18n::{Lang, tr, trf};
use crate::incident::{EndReason, Event, Incident, Record, RunId};
use crate::runbook::{Runbook, when_allows};
use summary::{CONFIRM, FOLLOW, Row, TYPED, WHEN, print_block, print_table, row};

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
    /// Also send the incident's events to this webhook (generic JSON;
    /// repeatable), besides the runbook's and the config file's.
    #[arg(long = "notify", value_name = "URL")]
    pub notify: Vec<String>,
}

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
    run_with(args, JobPolicy::default())
}

/// Runs `runbook diagnose` with its jobs under `policy` (a drill's sandbox
/// environment and fence); returns the exit code.
pub fn run_with(args: DiagnoseArgs, policy: JobPolicy) -> i32 {
    let rt = match crate::engine::runtime() {
        Ok(rt) => rt,
        Err(e) => {
            crate::text::eprintln!(
                "runbook: {}",
                crate::i18n::trf(
                    crate::i18n::Lang::from_env(),
                    "cannot start the async runtime: {}",
                    &[&e]
                )
            );
            return 2;
        }
    };
    rt.block_on(diagnose(args, policy))
}

async fn diagnose(args: DiagnoseArgs, policy: JobPolicy) -> i32 {
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
    // Colour only on a terminal, and never under NO_COLOR (command output's
    // own colour included).
    let tty = std::io::stdout().is_terminal() && !args.json && !crate::tui::theme::no_color();
    let mut engine = Engine::new(policy).with_limit(usize::from(args.jobs));
    // The program's own messages follow the locale; the summary speaks the
    // incident's language.
    let msg = crate::i18n::Lang::from_env();
    let mut writes = WriteReport {
        failing: false,
        lang: msg,
    };
    if !args.json {
        engine.subscribe(Box::new(Printer {
            out: crate::text::Terminal::new(std::io::stdout(), tty),
            runbook: runbook.clone(),
            tty,
        }));
    }
    let mut plan =
        crate::notify::Plan::build(&runbook, &vars, &args.notify, crate::notify::Audience::Live);
    plan.announce_opened = true;
    for ev in plan.problem_events() {
        let res = engine.record(&mut session, ev, now());
        writes.note(res, &session);
    }
    for p in &plan.problems {
        crate::text::eprintln!("runbook: {p}");
    }
    let mut notifier = if plan.targets.is_empty() {
        None
    } else {
        let (mut n, feed) = crate::notify::Notifier::start(
            &plan,
            session.incident(),
            &tokio::runtime::Handle::current(),
        );
        engine.subscribe(Box::new(feed));
        n.announce_opened(session.incident());
        Some(n)
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
            let res = engine.record(&mut session, ev, now());
            writes.note(res, &session);
        }
    }
    let mut plan = VecDeque::new();
    let mut skipped: Vec<Skip> = Vec::new();
    for (si, step) in runbook.steps.iter().enumerate() {
        if !args.steps.is_empty() && !args.steps.contains(&step.id) {
            continue;
        }
        let skip = |id: &str, why: &'static str, detail: SkipDetail| Skip {
            step: step.id.clone(),
            id: id.to_string(),
            why,
            detail,
        };
        for (ci, c) in step.commands.iter().enumerate() {
            // Judged on exactly the line that runs (values shell-quoted): the
            // net parses it as the shell will, strings for `ssh host …`,
            // `sh -c …` and `eval` included, so a value cannot slip past it.
            let admission = engine.policy().admit(&vars.render_shell(&c.run), c.confirm);
            let refused = matches!(admission, Admission::Refuse(_));
            if refused && !c.follow && when_allows(c.when.as_ref(), &answers) {
                // Journaled as refused by the engine, offered to no one.
                plan.push_back(Planned {
                    step: si,
                    item: PlannedItem::Command(ci),
                });
            } else if c.confirm {
                skipped.push(skip(&c.id, CONFIRM, SkipDetail::Confirm));
            } else if let Admission::Confirm(reason) = admission {
                skipped.push(skip(&c.id, CONFIRM, SkipDetail::Destructive(reason)));
            } else if c.follow {
                skipped.push(skip(&c.id, FOLLOW, SkipDetail::Follow));
            } else if !when_allows(c.when.as_ref(), &answers) {
                skipped.push(skip(&c.id, WHEN, SkipDetail::When(c.when.clone())));
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
                skipped.push(skip(&k.id, WHEN, SkipDetail::When(k.when.clone())));
            }
        }
    }

    let mut order: Vec<RunId> = Vec::new();
    let mut interrupted: Option<&'static str> = None;
    let mut sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok();
    let mut sigterm =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();

    loop {
        while engine.has_room() {
            let Some(p) = plan.pop_front() else { break };
            let step = &runbook.steps[p.step];
            let run = session.incident().next_run_id();
            let (started, job) = match p.item {
                PlannedItem::Command(ci) => {
                    engine::command_start(run, step, &step.commands[ci], &vars)
                }
                PlannedItem::Check(ki) => {
                    engine::check_start(run, &runbook, step, &step.checks[ki], &vars)
                }
            };
            order.push(run);
            let res = engine.start(&mut session, run, started, job, now());
            writes.note(res, &session);
        }
        if engine.in_flight() == 0 {
            break;
        }
        let update = tokio::select! {
            u = engine.next() => u,
            Some(d) = crate::tui::runtime::next_delivery(&mut notifier) => {
                let res = engine.record(&mut session, d.into_event(), now());
                writes.note(res, &session);
                continue;
            }
            _ = recv_signal(&mut sigint) => { interrupted = Some("SIGINT"); None }
            _ = recv_signal(&mut sigterm) => { interrupted = Some("SIGTERM"); None }
        };
        let Some(update) = update else { break };
        let res = engine.report(&mut session, &update, now());
        writes.note(res, &session);
    }
    if interrupted.is_some() {
        // Cancels what runs and records how each ended (printed as it ends).
        let res = engine.shutdown(&mut session, now).await;
        writes.note(res, &session);
    }
    // The webhooks get a bounded wait; their outcomes (or that they were
    // given up) are journaled before the session's end.
    if let Some(n) = notifier.as_mut() {
        for d in n.drain().await {
            let res = engine.record(&mut session, d.into_event(), now());
            writes.note(res, &session);
        }
    }
    let reason = match interrupted {
        Some(sig) => EndReason::Signal(sig.into()),
        None => EndReason::Finished,
    };
    let res = engine.record(&mut session, Event::SessionEnded { reason }, now());
    writes.note(res, &session);
    drop(engine);
    // Everything goes to disk before the summary: wait for the writer.
    let res = session.drain();
    writes.note(res, &session);
    // Complete once nothing is held, even if some writes failed on the way.
    let journal_incomplete = session.unsaved() > 0;

    let inc = session.incident();
    let lang = crate::i18n::Lang::of_incident(inc);
    let rows: Vec<Row> = order
        .iter()
        .filter_map(|id| inc.runs.get(id))
        .map(|r| row(r, &runbook, lang))
        .collect();
    let all_ok = rows.iter().all(|r| r.ok);
    let webhooks: Vec<&crate::incident::NotificationEntry> =
        inc.notifications.iter().filter(|n| !n.is_setup()).collect();
    let journal = session.journal_path().display().to_string();
    let mut stdout = crate::text::Terminal::new(std::io::stdout(), tty);
    if args.json {
        let out = serde_json::json!({
            "runbook": runbook.id,
            "journal": journal,
            "ok": all_ok && interrupted.is_none() && !journal_incomplete,
            "interrupted": interrupted,
            "results": rows,
            "notifications": webhooks.iter().map(|n| serde_json::json!({"target": n.target, "about": n.about, "ok": n.ok, "error": n.error})).collect::<Vec<_>>(),
            "skipped": skipped.iter().map(|k| serde_json::json!({"step": k.step, "id": k.id, "why": k.why, "detail": k.detail.text(Lang::En)})).collect::<Vec<_>>(),
        });
        let _ = writeln!(
            stdout,
            "{}",
            crate::text::json_for_terminal(serde_json::to_string_pretty(&out).unwrap_or_default())
        );
    } else {
        print_table(&mut stdout, lang, &rows, &skipped, tty, args.verbose);
        let _ = writeln!(
            stdout,
            "\n{}",
            crate::i18n::trf(lang, "journal: {}", &[&journal])
        );
        if !webhooks.is_empty() {
            let failed: Vec<_> = webhooks.iter().filter(|n| !n.ok).collect();
            let _ = writeln!(
                stdout,
                "{}",
                crate::i18n::trf(
                    lang,
                    "webhooks: {} sent, {} failed",
                    &[&(webhooks.len() - failed.len()), &failed.len()]
                )
            );
            for f in failed {
                let _ = writeln!(stdout, "  {} → {}: {}", f.about, f.target, f.error);
            }
        }
        if let Some(sig) = interrupted {
            let _ = writeln!(
                stdout,
                "{}",
                crate::i18n::trf(
                    lang,
                    "interrupted by {}: running commands were cancelled",
                    &[&sig]
                )
            );
        }
    }
    if journal_incomplete {
        crate::text::eprintln!(
            "runbook: {}",
            crate::i18n::trf(
                msg,
                "the journal {} could not be fully written ({} event(s) not on disk); see the errors above",
                &[&journal, &session.unsaved()]
            )
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

/// Prints each run's block as it ends (the table follows at the end).
struct Printer {
    out: crate::text::Terminal<std::io::Stdout>,
    runbook: Runbook,
    tty: bool,
}

impl Subscriber for Printer {
    fn recorded(&mut self, record: &Record, incident: &Incident) {
        let run = match &record.event {
            Event::CommandFinished { run, .. } | Event::CheckFinished { run, .. } => *run,
            _ => return,
        };
        print_block(&mut self.out, incident, &self.runbook, run, self.tty);
        let _ = self.out.flush();
    }
}

/// Journal write errors, told once per failing stretch: on a full disk every
/// event fails, and one line per event would bury the summary.
struct WriteReport {
    failing: bool,
    /// The language of the messages (the locale's).
    lang: crate::i18n::Lang,
}

impl WriteReport {
    /// Looks at `res` and at the journal writer's own status: writes
    /// happen on the writer's thread, so a failing disk shows up there; it
    /// has recovered once the writer has put everything held on disk.
    fn note(
        &mut self,
        res: Result<(), crate::journal::JournalError>,
        session: &crate::session::Session,
    ) {
        match res.err().or_else(|| session.write_error()) {
            Some(e) if !self.failing => {
                crate::text::eprintln!("runbook: {}", e.message(self.lang));
                self.failing = true;
            }
            Some(_) => {}
            None if self.failing => {
                crate::text::eprintln!(
                    "runbook: {}",
                    crate::i18n::tr(
                        self.lang,
                        "the journal can be written again; the held events are on disk"
                    )
                );
                self.failing = false;
            }
            None => {}
        }
    }
}

/// A command or check diagnose leaves out, and why.
pub(super) struct Skip {
    step: String,
    id: String,
    /// One of [`CONFIRM`], [`WHEN`], [`FOLLOW`] (the summary counts these).
    why: &'static str,
    /// Why this one, for `--verbose` (the summary's language) and `--json`
    /// (English).
    detail: SkipDetail,
}

/// Why one command or check is left out.
pub(super) enum SkipDetail {
    /// `confirm: true` in the runbook.
    Confirm,
    /// The danger net asks for a confirmation (its reason).
    Destructive(String),
    /// `follow: true`.
    Follow,
    /// Its `when:` is for an answer not given.
    When(Option<crate::runbook::When>),
}

impl SkipDetail {
    /// `only when symptom is memory-alarm or disk-alarm (--answer symptom=memory-alarm)`,
    /// and the like, in `lang`.
    pub(super) fn text(&self, lang: Lang) -> String {
        match self {
            SkipDetail::Confirm => trf(lang, "confirm: true; {}", &[&tr(lang, TYPED)]),
            SkipDetail::Destructive(reason) => trf(
                lang,
                "looks destructive ({}); {}",
                &[&crate::i18n::tr_said(lang, reason), &tr(lang, TYPED)],
            ),
            SkipDetail::Follow => trf(lang, "follow: true; {}", &[&tr(lang, FOLLOW)]),
            SkipDetail::When(None) => String::new(),
            SkipDetail::When(Some(w)) => {
                let or = tr(lang, " or ");
                let conds: Vec<String> = w
                    .iter()
                    .map(|(ask, choices)| trf(lang, "{} is {}", &[ask, &choices.join(or)]))
                    .collect();
                let hint: Vec<String> = w
                    .iter()
                    .filter_map(|(ask, choices)| {
                        choices.first().map(|c| format!("--answer {ask}={c}"))
                    })
                    .collect();
                trf(
                    lang,
                    "only when {} ({})",
                    &[&conds.join(tr(lang, " and ")), &hint.join(" ")],
                )
            }
        }
    }
}

/// Checks `--step` and `--answer` against the runbook; returns the answers,
/// or prints why not and returns the exit code.
fn check_selection(
    runbook: &crate::runbook::Runbook,
    args: &DiagnoseArgs,
) -> Result<BTreeMap<String, String>, i32> {
    let lang = crate::i18n::Lang::from_env();
    for s in &args.steps {
        if runbook.step(s).is_none() {
            let ids: Vec<&str> = runbook.steps.iter().map(|s| s.id.as_str()).collect();
            crate::text::eprintln!(
                "runbook: {}",
                crate::i18n::trf(
                    lang,
                    "no step `{}` in runbook {}; steps are: {}",
                    &[s, &runbook.id, &ids.join(", ")]
                )
            );
            return Err(2);
        }
    }
    parse_answers(runbook, &args.answers, lang).map_err(|e| {
        crate::text::eprintln!("runbook: {e}");
        2
    })
}

/// Parses `--answer ASK=CHOICE`, checking the question and the choice
/// exist; the error is in `lang`.
fn parse_answers(
    rb: &crate::runbook::Runbook,
    args: &[String],
    lang: crate::i18n::Lang,
) -> Result<BTreeMap<String, String>, String> {
    use crate::i18n::trf;
    let mut out = BTreeMap::new();
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            return Err(trf(lang, "--answer expects ASK=CHOICE, got `{}`", &[a]));
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
            return Err(trf(
                lang,
                "no question `{}` in runbook {}; questions: {}",
                &[&k, &rb.id, &asks.join(", ")],
            ));
        };
        // Several symptoms: `--answer symptom=memory-alarm,queue-backlog`.
        for one in crate::runbook::answer_choices(v) {
            if !ask.choices.iter().any(|c| c == one) {
                return Err(trf(
                    lang,
                    "`{}` is not a choice of `{}`; choices: {}",
                    &[&one, &k, &ask.choices.join(", ")],
                ));
            }
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}
