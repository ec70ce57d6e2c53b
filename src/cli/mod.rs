//! The command line: `runbook check`, `runbook list`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod list;

/// Guided incident runbooks for the on-call operator.
#[derive(Debug, Parser)]
#[command(name = "runbook", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
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
        #[arg(long, value_enum, default_value_t = runbook::report::ReportFormat::Markdown)]
        format: runbook::report::ReportFormat,
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

/// Parses arguments and runs; clap exits with 2 on usage errors.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { files } => check::run(&files),
        Command::List => list::run(),
        Command::Report {
            journal,
            format,
            output,
        } => exit(runbook::report::cli_run(
            &journal,
            format,
            output.as_deref(),
        )),
        Command::History { log_dir, json } => {
            exit(runbook::history::cli_run(log_dir.as_deref(), json))
        }
        Command::Review { journal } => exit(runbook::review::cli_run(&journal)),
    }
}

/// An exit code from the library's `i32` (clamped to 0..=255).
fn exit(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
