//! runbook: guided incident runbooks for the on-call operator.
//!
//! The core (`runbook`, `incident`) does no IO and reads no clock; `journal`,
//! `exec` and `probe` do the IO; the terminal UI sits on top and the core never
//! depends on it.
#![warn(missing_docs)]

pub mod history;
pub mod incident;
pub mod journal;
pub mod report;
pub mod review;
pub mod runbook;
pub mod secrets;
pub mod session;
