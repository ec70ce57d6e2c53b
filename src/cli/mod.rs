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
}

/// Parses arguments and runs; clap exits with 2 on usage errors.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { files } => check::run(&files),
        Command::List => list::run(),
    }
}
