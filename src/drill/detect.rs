//! Fix detection, as a pure state machine: the drill feeds it each `fixed`
//! check's outcome as it comes in; it says which outcomes are transitions
//! (only those are journaled) and when every check has kept passing for the
//! hold period. The clock comes from the caller.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use crate::incident::{CheckStatus, Event};

/// Tracks the `fixed` checks of one drill.
#[derive(Debug, Clone)]
pub struct FixedTracker {
    hold: Duration,
    last: BTreeMap<String, CheckStatus>,
    ids: Vec<String>,
    passing_since: Option<DateTime<FixedOffset>>,
    fixed: bool,
}

impl FixedTracker {
    /// A tracker for these check ids, fixed once all pass for `hold`.
    pub fn new(ids: impl IntoIterator<Item = String>, hold: Duration) -> FixedTracker {
        FixedTracker {
            hold,
            last: BTreeMap::new(),
            ids: ids.into_iter().collect(),
            passing_since: None,
            fixed: false,
        }
    }

    /// Takes one outcome; returns the `drill_check` event to journal when it
    /// is a change (the first outcome of a check counts as one).
    pub fn observe(
        &mut self,
        id: &str,
        status: CheckStatus,
        summary: &str,
        now: DateTime<FixedOffset>,
    ) -> Option<Event> {
        let changed = self.last.get(id) != Some(&status);
        self.last.insert(id.to_string(), status);
        let all_pass = !self.ids.is_empty()
            && self
                .ids
                .iter()
                .all(|i| self.last.get(i) == Some(&CheckStatus::Pass));
        match (all_pass, self.passing_since) {
            (true, None) => self.passing_since = Some(now),
            (false, _) => self.passing_since = None,
            (true, Some(_)) => {}
        }
        changed.then(|| Event::DrillCheck {
            id: id.to_string(),
            outcome: status,
            summary: summary.to_string(),
        })
    }

    /// Since when every check has passed, if they all do.
    pub fn passing_since(&self) -> Option<DateTime<FixedOffset>> {
        self.passing_since
    }

    /// True once, at the first call after every check has kept passing for
    /// the hold period; false before and after.
    pub fn take_fixed(&mut self, now: DateTime<FixedOffset>) -> bool {
        if self.fixed {
            return false;
        }
        let held = self
            .passing_since
            .is_some_and(|since| (now - since).to_std().unwrap_or_default() >= self.hold);
        if held {
            self.fixed = true;
        }
        held
    }

    /// Whether the fix was detected.
    pub fn is_fixed(&self) -> bool {
        self.fixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-12-03T10:00:00+00:00").unwrap()
            + chrono::Duration::seconds(s)
    }

    #[test]
    fn only_changes_are_journaled_and_the_fix_needs_the_whole_hold() {
        let mut tr = FixedTracker::new(["a".to_string(), "b".to_string()], Duration::from_secs(10));
        assert!(tr.observe("a", CheckStatus::Fail, "down", t(0)).is_some());
        assert!(tr.observe("a", CheckStatus::Fail, "down", t(5)).is_none());
        assert!(tr.observe("b", CheckStatus::Pass, "ok", t(5)).is_some());
        assert!(tr.observe("a", CheckStatus::Pass, "ok", t(6)).is_some());
        assert_eq!(tr.passing_since(), Some(t(6)));
        assert!(!tr.take_fixed(t(15)));
        // A flap restarts the hold.
        tr.observe("b", CheckStatus::Error, "timeout", t(15));
        assert!(!tr.take_fixed(t(17)));
        tr.observe("b", CheckStatus::Pass, "ok", t(20));
        assert!(!tr.take_fixed(t(29)));
        assert!(tr.take_fixed(t(30)));
        assert!(!tr.take_fixed(t(31)), "fixed is told once");
        assert!(tr.is_fixed());
    }

    #[test]
    fn a_check_never_seen_keeps_the_drill_unfixed() {
        let mut tr = FixedTracker::new(["a".to_string(), "b".to_string()], Duration::ZERO);
        tr.observe("a", CheckStatus::Pass, "ok", t(0));
        assert!(!tr.take_fixed(t(100)));
    }
}
