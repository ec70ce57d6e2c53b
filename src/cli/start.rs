//! `runbook start` and `runbook resume`: the live incident screen.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use crate::cli::setup::{self, Opened};
use crate::i18n::{Lang, tr, trf};
use crate::incident::{Event, Mode};
use crate::journal;
use crate::notify::{Audience, Plan};
use crate::runbook::template::MASK;
use crate::runbook::template::resolve_vars;
use crate::secrets::Masker;
use crate::session::Session;
use crate::tui::{self, app::App};

/// Arguments of `runbook start`.
#[derive(Debug, Args, Default)]
pub struct StartArgs {
    /// Runbook file or id (default: the embedded RabbitMQ emergency runbook,
    /// in Chinese when LANG/LC_ALL starts with zh).
    pub runbook: Option<String>,
    /// Incident title (asked on the first screen when not given).
    #[arg(long)]
    pub title: Option<String>,
    /// Set a runbook variable (repeatable).
    #[arg(long = "var", value_name = "K=V")]
    pub vars: Vec<String>,
    /// Where the incident journal is written.
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
    /// Also send the incident's events to this webhook (generic JSON;
    /// repeatable), besides the runbook's and the config file's.
    #[arg(long = "notify", value_name = "URL")]
    pub notify: Vec<String>,
}

/// Arguments of `runbook resume`.
#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// Journal to continue (default: the latest unfinished incident).
    pub journal: Option<PathBuf>,
    /// Set a runbook variable (repeatable), e.g. a secret that is not journaled.
    #[arg(long = "var", value_name = "K=V")]
    pub vars: Vec<String>,
    /// Where to look for the latest incident.
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
    /// Use this runbook (path or id) instead of the one the journal names,
    /// e.g. when its file has moved. Its steps must be the incident's steps.
    #[arg(long, value_name = "RUNBOOK")]
    pub runbook: Option<String>,
    /// Also send the incident's events to this webhook (generic JSON;
    /// repeatable), besides the runbook's and the config file's.
    #[arg(long = "notify", value_name = "URL")]
    pub notify: Vec<String>,
}

/// Every screen command (`start`, `resume`, `review`, the bare `runbook`)
/// refuses to run without a terminal, with a message saying what to use
/// instead (`instead`), and exit code 2.
pub fn require_tty(what: &str, instead: &str) -> Result<(), i32> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    crate::text::eprintln!(
        "{}\n  {instead}",
        trf(
            Lang::from_env(),
            "runbook {} needs an interactive terminal (stdin and stdout must be a TTY).",
            &[&what],
        )
    );
    Err(2)
}

/// What to use instead of a screen command without a terminal.
fn headless() -> String {
    trf(
        Lang::from_env(),
        "For a headless run of the safe diagnostics use: {}",
        &[&crate::invocation::runbook("diagnose [RUNBOOK]")],
    )
}

/// Runs `runbook start`; returns the exit code.
pub fn start(args: StartArgs) -> i32 {
    if let Err(code) = require_tty("start", &headless()) {
        return code;
    }
    let now = tui::now();
    let title = args.title.clone().unwrap_or_default();
    let Opened {
        runbook,
        vars,
        mut session,
    } = match setup::open_incident(
        args.runbook.as_deref(),
        &args.vars,
        args.log_dir.as_deref(),
        &title,
        Mode::Live,
        now,
    ) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if let Some(first) = runbook.steps.first() {
        // The first step starts with the incident: its timer is the symptom timer.
        let _ = session.record(
            Event::StepEntered {
                step: first.id.clone(),
            },
            now,
        );
    }
    let mut plan = Plan::build(&runbook, &vars, &args.notify, Audience::Live);
    plan.announce_opened = true;
    let mut app = App::new(session, runbook, vars, args.title.is_none());
    app.attach_notify(plan, now);
    finish(app)
}

/// Runs `runbook resume`; returns the exit code.
pub fn resume(args: ResumeArgs) -> i32 {
    let dir = journal::log_dir(args.log_dir.as_deref());
    let path = match args.journal {
        Some(p) => p,
        None => match journal::latest_unfinished(&dir) {
            Some(p) => p,
            None => {
                crate::text::eprintln!(
                    "runbook: {}",
                    trf(
                        Lang::from_env(),
                        "no unfinished incident in {}; start one with `runbook start`",
                        &[&dir.display()],
                    )
                );
                return 2;
            }
        },
    };
    // A drill cannot go on without its sandbox: it is ended as interrupted.
    if let Ok(read) = journal::read(&path)
        && read.records.first().is_some_and(|r| {
            matches!(
                &r.event,
                Event::IncidentOpened {
                    mode: Mode::Drill,
                    ..
                }
            )
        })
    {
        return crate::cli::drill::end_interrupted(&path, &read.records);
    }
    if let Err(code) = require_tty("resume", &headless()) {
        return code;
    }
    match open_for_resume(&path, &args.vars, args.runbook.as_deref()) {
        Ok(mut app) => {
            // A resume goes on telling the same targets; the opening was
            // announced when the incident started.
            let plan = Plan::build(&app.runbook, &app.vars, &args.notify, Audience::Live);
            app.attach_notify(plan, tui::now());
            finish(app)
        }
        Err(code) => code,
    }
}

/// Reopens a journal for the live screen (also used by tests).
pub fn open_for_resume(
    path: &std::path::Path,
    var_args: &[String],
    runbook_arg: Option<&str>,
) -> Result<App, i32> {
    let lang = Lang::from_env();
    let read = journal::read(path).map_err(|e| {
        crate::text::eprintln!("runbook: {}", e.message(lang));
        2
    })?;
    let Some(first) = read.records.first() else {
        crate::text::eprintln!(
            "runbook: {}",
            trf(lang, "{} holds no events", &[&path.display()])
        );
        return Err(2);
    };
    let Event::IncidentOpened {
        runbook: rref,
        vars: journaled,
        steps: outline,
        ..
    } = &first.event
    else {
        crate::text::eprintln!(
            "runbook: {}",
            trf(
                lang,
                "{} does not start with incident_opened",
                &[&path.display()]
            )
        );
        return Err(2);
    };
    let (loaded, changed) = match runbook_arg {
        Some(arg) => {
            let l = setup::load_runbook(Some(arg))?;
            let changed = l.sha256 != rref.sha256;
            (l, changed)
        }
        None => setup::runbook_of_journal(rref, lang).map_err(|e| {
            crate::text::eprintln!("runbook: {e}");
            crate::text::eprintln!(
                "  {}",
                tr(lang, "(if the file moved, give it with --runbook PATH)")
            );
            2
        })?,
    };
    // The screen pairs the journal's steps with the runbook's, one to one.
    let journal_ids: Vec<&str> = outline.iter().map(|s| s.id.as_str()).collect();
    let runbook_ids: Vec<&str> = loaded.runbook.steps.iter().map(|s| s.id.as_str()).collect();
    if journal_ids != runbook_ids {
        crate::text::eprintln!(
            "runbook: {}",
            trf(
                lang,
                "the runbook's steps are not this incident's steps\n  journal: {}\n  runbook: {}\n  resume with the runbook the incident started with (--runbook PATH); `runbook review {}` shows it read-only",
                &[
                    &journal_ids.join(", "),
                    &runbook_ids.join(", "),
                    &path.display()
                ],
            )
        );
        return Err(2);
    }
    // Non-secret values come back from the journal; secrets (masked there)
    // from --var, the environment or their defaults, as at the start.
    let mut overrides: Vec<(String, String)> = journaled
        .iter()
        .filter(|(k, v)| v.as_str() != MASK && loaded.runbook.var(k).is_some_and(|d| !d.secret))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    overrides.extend(setup::parse_var_args(var_args, lang).map_err(|e| {
        crate::text::eprintln!("runbook: {e}");
        2
    })?);
    let vars =
        resolve_vars(&loaded.runbook, &overrides, &|k| std::env::var(k).ok()).map_err(|e| {
            crate::text::eprintln!("runbook: {}", e.message(lang));
            2
        })?;
    let session =
        Session::resume(path, Masker::new(vars.secret_values()), tui::now()).map_err(|e| {
            crate::text::eprintln!(
                "runbook: {}",
                trf(
                    lang,
                    "cannot continue {}: {}",
                    &[&path.display(), &e.message(lang)]
                )
            );
            2
        })?;
    let mut app = App::new(session, loaded.runbook, vars, false);
    // On the screen: the incident's language.
    let screen = app.lang();
    if let Some(t) = &read.torn {
        app.flash = Some(trf(
            screen,
            "the journal's last line was torn ({}); it was set aside, everything before it is here",
            &[&format!("{t:?}")],
        ));
    }
    if changed {
        app.flash = Some(trf(
            screen,
            "note: the runbook {} changed since this incident started",
            &[&rref.path],
        ));
    }
    Ok(app)
}

fn finish(mut app: App) -> i32 {
    let lang = Lang::from_env();
    app.no_color = tui::theme::no_color();
    app.resume_hint = crate::invocation::runbook("resume");
    let result = tui::run(&mut app);
    let path = app.session.journal_path().display().to_string();
    // Everything the screen showed goes to disk before the program ends.
    let drained = app
        .session
        .drain_noting(std::time::Duration::from_millis(500), || {
            crate::text::eprintln!(
                "runbook: {}",
                tr(lang, "saving the journal (the disk is slow)…")
            );
        });
    match result {
        Ok(()) => {
            if app.session.incident().resolved.is_some() {
                crate::text::println!(
                    "{}",
                    trf(
                        lang,
                        "Incident resolved. Journal: {}\n  report: {}",
                        &[
                            &path,
                            &crate::invocation::runbook(&format!("report {path}"))
                        ],
                    )
                );
            } else {
                crate::text::println!(
                    "{}",
                    trf(
                        lang,
                        "Incident saved: {}\n  continue with: {}",
                        &[&path, &crate::invocation::runbook("resume")],
                    )
                );
            }
            if let Err(e) = drained {
                crate::text::eprintln!(
                    "runbook: {}",
                    trf(
                        lang,
                        "WARNING: {} event(s) could not be written to {}: {}",
                        &[&app.session.unsaved(), &path, &e.message(lang)],
                    )
                );
                return 1;
            }
            0
        }
        Err(e) => {
            crate::text::eprintln!(
                "runbook: {e}\n{}",
                trf(
                    lang,
                    "The incident journal is {}; `runbook resume` continues it.",
                    &[&path]
                )
            );
            if let Err(we) = drained {
                crate::text::eprintln!(
                    "runbook: {}",
                    trf(
                        lang,
                        "WARNING: {} event(s) could not be written to {}: {}",
                        &[&app.session.unsaved(), &path, &we.message(lang)],
                    )
                );
            }
            1
        }
    }
}
