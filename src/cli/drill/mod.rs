//! `runbook drill …`: training drills against a throwaway RabbitMQ.
//!
//! Each subcommand has its own file; this one only parses and dispatches.

mod check;
mod list;

use std::path::PathBuf;

use clap::{Args, Subcommand};

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
        None => run_scenario(args.run),
    }
}

/// `runbook drill [SCENARIO]`: the drill screen, or `--autopilot`.
fn run_scenario(args: RunArgs) -> i32 {
    let Some(arg) = args.scenario.as_deref() else {
        crate::text::eprintln!(
            "runbook: which scenario? `runbook drill SCENARIO`; `runbook drill list` shows them"
        );
        return 2;
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
    };
    if args.autopilot {
        autopilot::run(loaded, opts, args.keep_sandbox)
    } else {
        screen::run(loaded, opts, args.keep_sandbox)
    }
}
