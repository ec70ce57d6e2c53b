//! The command line. `runbook` with no subcommand starts the default
//! embedded runbook (Chinese when the locale, LC_ALL, LC_MESSAGES or LANG, is `zh…`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
pub mod diagnose;
pub mod drill;
pub mod generate;
mod list;
pub mod setup;
pub mod start;

/// Guided incident runbooks for the on-call operator: step by step, with a
/// timer on every step, diagnostics run inline, and a crash-safe incident log.
#[derive(Debug, Parser)]
#[command(name = "runbook", version, about)]
pub struct Cli {
    /// What to do (default: start the embedded RabbitMQ emergency runbook).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start an incident: the guided full-screen runbook.
    Start(start::StartArgs),
    /// Continue an unfinished incident (default: the latest).
    Resume(start::ResumeArgs),
    /// Run the safe commands and checks headless, print a summary, write a journal.
    Diagnose(diagnose::DiagnoseArgs),
    /// Training drills: break a throwaway RabbitMQ, work the runbook, get scored.
    Drill(drill::DrillArgs),
    /// Validate runbook files; errors as file:line:column: message.
    Check {
        /// Runbook files to validate.
        #[arg(required = true, value_name = "RUNBOOK")]
        files: Vec<PathBuf>,
    },
    /// List runbooks found (embedded, ./runbooks, user directory).
    List,
    /// Write a postmortem report of an incident journal (Markdown or HTML).
    Report {
        /// The incident journal (.jsonl).
        #[arg(value_name = "JOURNAL")]
        journal: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = crate::report::ReportFormat::Markdown)]
        format: crate::report::ReportFormat,
        /// Write to this file instead of stdout.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List past incidents in the log directory, newest first.
    History {
        /// Journal directory (default: RUNBOOK_LOG_DIR, then the XDG state dir).
        #[arg(long, value_name = "DIR")]
        log_dir: Option<PathBuf>,
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Walk through a past incident, read-only.
    Review {
        /// The incident journal (.jsonl).
        #[arg(value_name = "JOURNAL")]
        journal: PathBuf,
    },
    /// Follow a live incident read-only, as another process writes it.
    Watch {
        /// The incident journal (default: the newest unfinished one in the log directory).
        #[arg(value_name = "JOURNAL")]
        journal: Option<PathBuf>,
        /// Journal directory (default: RUNBOOK_LOG_DIR, then the XDG state dir).
        #[arg(long, value_name = "DIR")]
        log_dir: Option<PathBuf>,
    },
    /// Print a shell completion script to stdout (e.g. `runbook completions bash > /usr/share/bash-completion/completions/runbook`).
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to stdout: `runbook man > runbook.1`.
    Man,
}

/// Prints clap's usage error: it quotes the arguments given, which may hold
/// escape sequences, so it goes through the sanitiser (colour only on a terminal).
fn usage_error(e: &clap::Error) {
    use std::io::{IsTerminal, Write};
    let styled = std::io::stderr().is_terminal();
    let rendered = e.render();
    let text = if styled {
        rendered.ansi().to_string()
    } else {
        rendered.to_string()
    };
    let mut err = crate::text::Terminal::new(std::io::stderr().lock(), styled);
    let _ = err.write_all(text.as_bytes());
}

fn code(c: i32) -> ExitCode {
    ExitCode::from(u8::try_from(c).unwrap_or(1))
}

/// Parses arguments and runs; a usage error exits with 2.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            usage_error(&e);
            return code(e.exit_code());
        }
        // --help and --version: the program's own text, on stdout.
        Err(e) => e.exit(),
    };
    match cli.command {
        None => code(start::start(start::StartArgs::default())),
        Some(Command::Start(a)) => code(start::start(a)),
        Some(Command::Resume(a)) => code(start::resume(a)),
        Some(Command::Diagnose(a)) => code(diagnose::run(a)),
        Some(Command::Drill(a)) => code(drill::run(a)),
        Some(Command::Check { files }) => check::run(&files),
        Some(Command::List) => list::run(),
        Some(Command::Report {
            journal,
            format,
            output,
        }) => code(crate::report::cli_run(&journal, format, output.as_deref())),
        Some(Command::History { log_dir, json }) => {
            code(crate::history::cli_run(log_dir.as_deref(), json))
        }
        Some(Command::Review { journal }) => code(crate::review::cli_run(&journal)),
        Some(Command::Watch { journal, log_dir }) => code(crate::review::watch::cli_run(
            journal.as_deref(),
            log_dir.as_deref(),
        )),
        Some(Command::Completions { shell }) => code(generate::completions(shell)),
        Some(Command::Man) => code(generate::man()),
    }
}
