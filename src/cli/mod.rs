//! The command line. `runbook` with no subcommand starts the default
//! embedded runbook (Chinese when LANG/LC_ALL starts with `zh`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
pub mod diagnose;
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
}

fn code(c: i32) -> ExitCode {
    ExitCode::from(u8::try_from(c).unwrap_or(1))
}

/// Parses arguments and runs; clap exits with 2 on usage errors.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => code(start::start(start::StartArgs::default())),
        Some(Command::Start(a)) => code(start::start(a)),
        Some(Command::Resume(a)) => code(start::resume(a)),
        Some(Command::Diagnose(a)) => code(diagnose::run(a)),
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
    }
}
