//! runbook: guided incident runbooks for the on-call operator.
//!
//! The core (`runbook`, `incident`, `danger`) does no IO and reads no clock;
//! `journal`, `session`, `exec` and `probe` do the IO; `engine` runs the jobs
//! of every front end; the terminal UI (`tui`) and the command line (`cli`) sit
//! on top, and the core never depends on them.
#![warn(missing_docs)]
// What holds stays held: no unwrap, expect or panic outside tests (a panic is a
// bug, promise 6); unit tests may use them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod cli;
pub mod config;
pub mod danger;
pub mod drill;
pub mod engine;
pub mod exec;
pub mod history;
pub mod i18n;
pub mod incident;
pub mod input_file;
pub mod invocation;
pub mod journal;
pub mod notify;
pub mod probe;
pub mod report;
pub mod review;
pub mod runbook;
/// The job engine under its former name (see [`engine`]).
pub use engine as runs;
pub mod secrets;
pub mod session;
pub mod text;
pub mod tui;
pub mod xdg;
