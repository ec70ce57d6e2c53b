//! `runbook drill …`: training drills against a throwaway RabbitMQ.
//!
//! Each subcommand has its own file; this one only parses and dispatches.

mod check;
mod list;

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::i18n::{Lang, tr, trf};

mod autopilot;
mod cleanup;
mod hold;
pub mod scores;
mod screen;

/// Arguments of `runbook drill`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DrillArgs {
    /// What to do (default: run a scenario).
    #[command(subcommand)]
    pub command: Option<DrillCommand>,
    /// Run this scenario (file or id).
    #[command(flatten)]
    pub run: RunArgs,
}

/// Running one scenario.
#[derive(Debug, Args, Default)]
pub struct RunArgs {
    /// Scenario file or id (see `runbook drill list`).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<String>,
    /// Headless: run the scenario's model answer and report whether the fault
    /// was live, the fix was detected and cleanup succeeded.
    #[arg(long)]
    pub autopilot: bool,
    /// The trainee's name (default: the user name).
    #[arg(long, value_name = "NAME")]
    pub trainee: Option<String>,
    /// Where the drill journal is written.
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
    /// Set a runbook variable (repeatable).
    #[arg(long = "var", value_name = "K=V")]
    pub vars: Vec<String>,
    /// Leave the sandbox broker running at the end (for a post-mortem).
    #[arg(long)]
    pub keep_sandbox: bool,
    /// Send the drill's events to this webhook too (generic JSON;
    /// repeatable). A drill sends nothing else unless its scenario says `notify: true`.
    #[arg(long = "notify", value_name = "URL")]
    pub notify: Vec<String>,
}

/// `runbook drill` subcommands.
#[derive(Debug, Subcommand)]
pub enum DrillCommand {
    /// List scenarios found (./drills, the user directory, embedded).
    List,
    /// Validate scenario files; errors as file:line:column: message.
    Check {
        /// Scenario files to validate.
        #[arg(required = true, value_name = "SCENARIO")]
        files: Vec<PathBuf>,
    },
    /// Remove sandboxes whose drill died (also done at every drill start).
    Cleanup {
        /// Say what would be removed; remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Test helper: start a sandbox, print its vars as JSON, hold it until killed.
    #[command(hide = true)]
    SandboxHold {
        /// Sandbox id (names its directory).
        #[arg(long)]
        id: String,
        /// Number of nodes.
        #[arg(long, default_value_t = 1)]
        nodes: u8,
        /// Extra rabbitmq.conf lines.
        #[arg(long)]
        config: Option<String>,
        /// tmpfs size in bytes for each node's directory.
        #[arg(long)]
        disk_bytes: Option<u64>,
        /// Disarm the watchdog: the broker outlives this process.
        #[arg(long)]
        keep: bool,
    },
    /// Trainer: push the next hint to the running drill of JOURNAL.
    Hint {
        /// The drill's journal.
        #[arg(value_name = "JOURNAL")]
        journal: PathBuf,
    },
    /// Trainer: inject an `at: trainer` fault (FAULT, else the next one).
    Inject {
        /// The drill's journal.
        #[arg(value_name = "JOURNAL")]
        journal: PathBuf,
        /// The fault's id.
        #[arg(value_name = "FAULT")]
        fault: Option<String>,
    },
    /// Trainer: pause the running drill (its clock stands still).
    Pause {
        /// The drill's journal.
        #[arg(value_name = "JOURNAL")]
        journal: PathBuf,
    },
    /// Trainer: resume a paused drill.
    Resume {
        /// The drill's journal.
        #[arg(value_name = "JOURNAL")]
        journal: PathBuf,
    },
    /// Trainer: end the running drill now.
    End {
        /// The drill's journal.
        #[arg(value_name = "JOURNAL")]
        journal: PathBuf,
    },
    /// Drills compared over time: one row per drill journal.
    Scores {
        /// Journal directory (default: RUNBOOK_LOG_DIR, then the XDG state dir).
        #[arg(long, value_name = "DIR")]
        log_dir: Option<PathBuf>,
        /// Only this scenario id.
        #[arg(long, value_name = "ID")]
        scenario: Option<String>,
        /// Only this trainee.
        #[arg(long, value_name = "NAME")]
        trainee: Option<String>,
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `runbook drill …`; returns the exit code.
pub fn run(args: DrillArgs) -> i32 {
    match args.command {
        Some(DrillCommand::List) => list::run(),
        Some(DrillCommand::Check { files }) => check::run(&files),
        Some(DrillCommand::Cleanup { dry_run }) => cleanup::run(dry_run),
        Some(DrillCommand::SandboxHold {
            id,
            nodes,
            config,
            disk_bytes,
            keep,
        }) => hold::run(id, nodes, config, disk_bytes, keep),
        Some(DrillCommand::Scores {
            log_dir,
            scenario,
            trainee,
            json,
        }) => scores::run(
            log_dir.as_deref(),
            scenario.as_deref(),
            trainee.as_deref(),
            json,
        ),
        Some(DrillCommand::Hint { journal }) => {
            trainer(&journal, crate::drill::control::Request::Hint)
        }
        Some(DrillCommand::Inject { journal, fault }) => {
            trainer(&journal, crate::drill::control::Request::Inject { fault })
        }
        Some(DrillCommand::Pause { journal }) => {
            trainer(&journal, crate::drill::control::Request::Pause)
        }
        Some(DrillCommand::Resume { journal }) => {
            trainer(&journal, crate::drill::control::Request::Resume)
        }
        Some(DrillCommand::End { journal }) => {
            trainer(&journal, crate::drill::control::Request::End)
        }
        None => run_scenario(args.run),
    }
}

/// `runbook drill hint|inject|pause|resume|end JOURNAL`: one request to the
/// running drill, through its control file; the drill journals what it does.
pub fn trainer(journal: &std::path::Path, req: crate::drill::control::Request) -> i32 {
    use crate::incident::{Event, Mode};
    let lang = Lang::from_env();
    let read = match crate::journal::read(journal) {
        Ok(r) => r,
        Err(e) => {
            crate::text::eprintln!("runbook drill: {}", e.message(lang));
            return 2;
        }
    };
    let is_drill = read.records.first().is_some_and(|r| {
        matches!(
            r.event,
            Event::IncidentOpened {
                mode: Mode::Drill,
                ..
            }
        )
    });
    if !is_drill {
        crate::text::eprintln!(
            "runbook drill: {}",
            trf(lang, "{} is not a drill's journal", &[&journal.display()])
        );
        return 2;
    }
    if read
        .records
        .iter()
        .any(|r| matches!(r.event, Event::DrillEnded { .. }))
    {
        crate::text::eprintln!(
            "runbook drill: {}",
            trf(lang, "the drill of {} has ended", &[&journal.display()])
        );
        return 2;
    }
    match crate::drill::control::send(journal, &req) {
        Ok(()) => {
            let what = serde_json::to_string(&req).unwrap_or_default();
            crate::text::println!(
                "{}",
                trf(
                    lang,
                    "sent {} to {}; the drill acts on it within a second and journals it",
                    &[
                        &what,
                        &crate::drill::control::control_path(journal).display()
                    ],
                )
            );
            0
        }
        Err(e) => {
            crate::text::eprintln!("runbook drill: {}", trf(lang, "cannot send: {}", &[&e]));
            1
        }
    }
}

/// `runbook drill` on a terminal without a scenario: the scenarios found,
/// numbered, and a prompt for a number or an id. `None` when cancelled.
fn pick() -> Option<String> {
    use std::io::{BufRead, Read};
    let lang = Lang::from_env();
    let mut seen = std::collections::BTreeSet::new();
    let usable: Vec<crate::drill::catalog::CatalogEntry> = crate::drill::catalog::list()
        .into_iter()
        .filter(|e| e.error.is_none() && seen.insert(e.id.clone()))
        .collect();
    if usable.is_empty() {
        crate::text::eprintln!(
            "runbook: {}",
            tr(lang, "no drill scenario found (`runbook drill list`)")
        );
        return None;
    }
    for (i, e) in usable.iter().enumerate() {
        let difficulty = e
            .difficulty
            .map(|d| format!(" ({d}/5)"))
            .unwrap_or_default();
        crate::text::println!("{:>3}. {:<24} {}{difficulty}", i + 1, e.id, e.title);
    }
    crate::text::write_stdout(format_args!(
        "{}",
        tr(lang, "Scenario to drill (number or id; Enter cancels): ")
    ));
    let mut line = String::new();
    // At most one line of 1 KiB: a paste of anything cannot grow this.
    let _ = std::io::stdin().lock().take(1024).read_line(&mut line);
    let answer = line.trim();
    if answer.is_empty() {
        return None;
    }
    match answer.parse::<usize>() {
        Ok(n) if (1..=usable.len()).contains(&n) => Some(usable[n - 1].id.clone()),
        Ok(_) => {
            crate::text::eprintln!(
                "runbook: {}",
                trf(lang, "no scenario number {}", &[&answer])
            );
            None
        }
        Err(_) => Some(answer.to_string()),
    }
}

/// `runbook drill [SCENARIO]`: the drill screen, or `--autopilot`.
fn run_scenario(args: RunArgs) -> i32 {
    let picked;
    let arg = match args.scenario.as_deref() {
        Some(a) => a,
        None if !args.autopilot
            && std::io::IsTerminal::is_terminal(&std::io::stdin())
            && std::io::IsTerminal::is_terminal(&std::io::stdout()) =>
        {
            match pick() {
                Some(id) => {
                    picked = id;
                    picked.as_str()
                }
                None => return 2,
            }
        }
        None => {
            crate::text::eprintln!(
                "runbook: {}",
                tr(
                    Lang::from_env(),
                    "which scenario? `runbook drill SCENARIO`; `runbook drill list` shows them"
                )
            );
            return 2;
        }
    };
    let loaded = match crate::drill::catalog::resolve(arg) {
        Ok(l) => l,
        Err(e) => {
            crate::text::eprintln!("{e}");
            return 2;
        }
    };
    let opts = crate::drill::run::DrillStart {
        trainee: args.trainee,
        log_dir: args.log_dir,
        vars: args.vars,
        state_dir: None,
        notify: args.notify,
        lang: Lang::from_env(),
    };
    if args.autopilot {
        autopilot::run(loaded, opts, args.keep_sandbox)
    } else {
        screen::run(loaded, opts, args.keep_sandbox)
    }
}

/// `runbook resume` of a drill journal whose drill never ended (the program
/// was killed): its sandbox died with it, so the drill cannot go on. The
/// journal gets `drill_ended {interrupted}` and, when the scenario can be
/// found, `drill_scored`; the way to try again is a new drill.
pub fn end_interrupted(path: &std::path::Path, records: &[crate::incident::Record]) -> i32 {
    use crate::incident::{DrillEndReason, EndReason, Event};
    let lang = Lang::from_env();
    let Some((scenario, sha)) = records.iter().find_map(|r| match &r.event {
        Event::DrillStarted { scenario, .. } => Some((scenario.clone(), scenario.sha256.clone())),
        _ => None,
    }) else {
        crate::text::eprintln!(
            "runbook: {}",
            trf(
                lang,
                "{} is a drill journal without drill_started; `runbook review {}` shows it",
                &[&path.display(), &path.display()],
            )
        );
        return 2;
    };
    let ended = records
        .iter()
        .any(|r| matches!(r.event, Event::DrillEnded { .. }));
    if ended {
        crate::text::eprintln!(
            "runbook: {}",
            trf(
                lang,
                "that drill has ended; a drill cannot be resumed. `runbook review {}` shows it; `runbook drill {}` starts it again",
                &[&path.display(), &scenario.id],
            )
        );
        return 2;
    }
    let mut session = match crate::session::Session::resume(
        path,
        crate::secrets::Masker::new(Vec::new()),
        crate::engine::now(),
    ) {
        Ok(s) => s,
        Err(e) => {
            crate::text::eprintln!(
                "runbook: {}",
                trf(
                    lang,
                    "cannot continue {}: {}",
                    &[&path.display(), &e.message(lang)]
                )
            );
            return 2;
        }
    };
    let now = crate::engine::now;
    let said = crate::i18n::Lang::from_tag(Some(session.incident().lang.as_str()));
    let _ = session.record(
        Event::DrillEnded {
            reason: DrillEndReason::Interrupted,
            detail: tr(
                said,
                "the drill program ended without finishing (killed?); its sandbox went with it",
            )
            .into(),
        },
        now(),
    );
    let by_path = std::path::Path::new(&scenario.path)
        .exists()
        .then(|| crate::drill::catalog::resolve(&scenario.path).ok())
        .flatten();
    let found = by_path.or_else(|| crate::drill::catalog::resolve(&scenario.id).ok());
    let scored = match &found {
        Some(l) => {
            // The score is a fold of the journal as it is on disk now.
            let _ = session.drain();
            let recs = crate::journal::read(path)
                .map(|j| j.records)
                .unwrap_or_else(|_| records.to_vec());
            let score = crate::drill::score::Score::fold(&recs, &l.scenario);
            let _ = session.record(score.to_event(), now());
            let changed = if l.sha256 == sha {
                ""
            } else {
                tr(lang, " (the scenario file changed since the drill)")
            };
            trf(
                lang,
                "scored {}/100 as interrupted{}",
                &[&score.score, &changed],
            )
        }
        None => trf(lang, "not scored: scenario {} not found", &[&scenario.id]),
    };
    let _ = session.record(
        Event::SessionEnded {
            reason: EndReason::Finished,
        },
        now(),
    );
    let saved = session.drain().is_ok() && session.unsaved() == 0;
    let run = crate::invocation::runbook;
    crate::text::println!(
        "{}",
        trf(
            lang,
            "drill {} was interrupted; {}. A drill cannot be resumed: its throwaway broker is gone.\n  review it: {}\n  try again: {}\n  leftovers: {}",
            &[
                &scenario.id,
                &scored,
                &run(&format!("review {}", path.display())),
                &run(&format!("drill {}", scenario.id)),
                &run("drill cleanup"),
            ],
        )
    );
    if saved { 0 } else { 1 }
}
