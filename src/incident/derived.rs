//! Figures derived from the incident state and a caller-supplied `now`.
//!
//! Time while the program was down counts: a step's timer runs from its
//! `step_entered` record until it is completed, skipped or another step is
//! entered, whatever happened to the program in between.

use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use super::event::RunId;
use super::state::Incident;

/// Where a step stands against its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetState {
    /// The step has no budget.
    NoBudget,
    /// At or under the expected time.
    Within,
    /// Past the expected time, at or under the limit.
    OverExpected,
    /// Past the limit.
    OverLimit,
}

/// `to - from`, zero when the clock went backwards between records.
fn span(from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> Duration {
    to.signed_duration_since(from)
        .to_std()
        .unwrap_or(Duration::ZERO)
}

impl Incident {
    /// The end of the running clock: the resolution time, else `now`.
    fn clock_end(&self, now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        match &self.resolved {
            Some((at, _)) => *at,
            None => now,
        }
    }

    /// Time from opening until resolution, or until `now` while open.
    pub fn total_elapsed(&self, now: DateTime<FixedOffset>) -> Duration {
        span(self.opened_at, self.clock_end(now))
    }

    /// Time spent in step `idx` (all its intervals; the open one runs to `now`).
    pub fn step_elapsed(&self, idx: usize, now: DateTime<FixedOffset>) -> Duration {
        let Some(step) = self.steps.get(idx) else {
            return Duration::ZERO;
        };
        let end = self.clock_end(now);
        step.intervals
            .iter()
            .map(|iv| span(iv.start, iv.end.unwrap_or(end)))
            .sum()
    }

    /// Step `idx`'s time against its budget. Exactly at the expected time or
    /// the limit still counts as within it.
    pub fn budget_state(&self, idx: usize, now: DateTime<FixedOffset>) -> BudgetState {
        let Some(step) = self.steps.get(idx) else {
            return BudgetState::NoBudget;
        };
        let (expected, limit) = match (step.outline.expected_ms, step.outline.limit_ms) {
            (None, None) => return BudgetState::NoBudget,
            (Some(e), None) => (e, None),
            (None, Some(l)) => (l, Some(l)),
            (Some(e), Some(l)) => (e, Some(l)),
        };
        let spent = self.step_elapsed(idx, now);
        if let Some(l) = limit
            && spent > Duration::from_millis(l)
        {
            BudgetState::OverLimit
        } else if spent > Duration::from_millis(expected) {
            BudgetState::OverExpected
        } else {
            BudgetState::Within
        }
    }

    /// Opening until the first completion of the step flagged `mitigation`.
    pub fn time_to_mitigation(&self) -> Option<Duration> {
        self.steps
            .iter()
            .filter(|s| s.outline.mitigation)
            .filter_map(|s| s.completed_at)
            .min()
            .map(|at| span(self.opened_at, at))
    }

    /// The run id to use for the next command or check (ids start at 1).
    pub fn next_run_id(&self) -> RunId {
        self.runs.keys().next_back().map_or(1, |max| max + 1)
    }

    /// True until the incident is resolved.
    pub fn is_open(&self) -> bool {
        self.resolved.is_none()
    }
}
