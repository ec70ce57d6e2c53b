//! What the trainer's panel shows ([`SeatView`]), derived from one read of a
//! drill's journal and its scenario, with the report's own fold
//! ([`crate::drill::score::Score::fold`]) for the expected path and the
//! score so far.

use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use crate::drill::score::Score;
use crate::incident::{CheckStatus, DrillActor, Event, Record};
use crate::report::LoadedJournal;

/// An expected item's first use: its order among the expected items used,
/// and when.
pub type FirstUse = (u32, DateTime<FixedOffset>);

/// A drill check's last journaled outcome, and when.
pub type LastOutcome = (CheckStatus, DateTime<FixedOffset>);

/// What the trainer's panel shows, derived from one read of the journal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeatView {
    /// Why the scenario's own figures are missing (it was not found).
    pub no_scenario: Option<String>,
    /// The scenario's root cause, kept from the trainee.
    pub hidden: Option<String>,
    /// The expected path: id and, once used, the order and time of first use.
    pub expected: Vec<(String, Option<FirstUse>)>,
    /// The `fixed` checks: id and the last outcome journaled, with its time.
    pub fixed_checks: Vec<(String, Option<LastOutcome>)>,
    /// How long the `fixed` checks must keep passing.
    pub hold: Option<Duration>,
    /// When the fix was detected.
    pub fixed_at: Option<DateTime<FixedOffset>>,
    /// Hints taken by the trainee and pushed by the trainer.
    pub hints_by: (usize, usize),
    /// Hints the scenario has (unknown without it).
    pub hints_total: Option<usize>,
    /// Why the drill is paused, if it is.
    pub paused: Option<String>,
    /// How the drill ended (`time_limit`, …), if it did.
    pub ended: Option<String>,
    /// Where the drill's clock starts (the last fault the scenario injected).
    pub clock_from: Option<DateTime<FixedOffset>>,
    /// The scenario's time limit.
    pub time_limit: Option<Duration>,
    /// The score: the report's fold of the journal so far.
    pub score: Option<Score>,
    /// The scenario's escalation faults (`at: trainer`) and when each went in.
    pub escalation: Vec<(String, Option<DateTime<FixedOffset>>)>,
}

impl SeatView {
    /// The view of a drill journal (its scenario from `journal.scenario`).
    pub fn build(journal: &LoadedJournal) -> SeatView {
        let records = &journal.records;
        let inc = &journal.incident;
        let mut v = SeatView {
            hints_by: hints_by(records),
            paused: crate::tui::app::drill::paused(inc),
            fixed_at: crate::tui::app::drill::fixed_at(inc),
            ended: records.iter().rev().find_map(|r| match &r.event {
                Event::DrillEnded { reason, .. } => Some(reason.as_str().to_string()),
                _ => None,
            }),
            clock_from: clock_from(records),
            ..SeatView::default()
        };
        let Some(found) = &journal.scenario else {
            let lang = crate::i18n::Lang::of_incident(inc);
            v.no_scenario = Some(
                crate::i18n::tr(
                    lang,
                    "scenario not found here: no root cause, expected path or score",
                )
                .to_string(),
            );
            return v;
        };
        let s = &found.scenario;
        v.hidden = Some(s.hidden.trim_end().to_string());
        v.hold = Some(s.fixed.hold);
        v.time_limit = Some(s.time_limit);
        v.hints_total = Some(s.hints.len());
        v.fixed_checks = s
            .fixed
            .checks
            .iter()
            .map(|c| (c.id.clone(), last_check(records, &c.id)))
            .collect();
        v.escalation = s
            .faults
            .iter()
            .filter(|f| f.at_trainer)
            .map(|f| {
                let at = records.iter().find_map(|r| match &r.event {
                    Event::DrillFaultInjected {
                        fault,
                        by: DrillActor::Trainer,
                        ..
                    } if *fault == f.id => Some(r.ts),
                    _ => None,
                });
                (f.id.clone(), at)
            })
            .collect();
        let score = Score::fold(records, s);
        v.expected = score
            .expected_used
            .iter()
            .zip(score.expected_at.iter().chain(std::iter::repeat(&None)))
            .map(|((id, _, order), at)| (id.clone(), order.zip(*at)))
            .collect();
        v.score = Some(score);
        v
    }

    /// Time left on the drill's countdown at `now` (it stands still while
    /// paused), when the scenario is known.
    pub fn left(
        &self,
        inc: &crate::incident::Incident,
        now: DateTime<FixedOffset>,
    ) -> Option<Duration> {
        let from = self.clock_from?;
        let limit = chrono::Duration::from_std(self.time_limit?).ok()?;
        let paused = crate::tui::app::drill::paused_for(inc, now);
        Some((from + limit + paused - now).to_std().unwrap_or_default())
    }

    /// Hints used in all.
    pub fn hints_used(&self) -> usize {
        self.hints_by.0 + self.hints_by.1
    }
}

/// Hints taken by the trainee and pushed by the trainer.
fn hints_by(records: &[Record]) -> (usize, usize) {
    records
        .iter()
        .fold((0, 0), |(trainee, trainer), r| match &r.event {
            Event::DrillHint {
                by: DrillActor::Trainer,
                ..
            } => (trainee, trainer + 1),
            Event::DrillHint { .. } => (trainee + 1, trainer),
            _ => (trainee, trainer),
        })
}

/// Where the drill's clock starts, as the score counts it: the last fault
/// the scenario injected, else the drill's start.
fn clock_from(records: &[Record]) -> Option<DateTime<FixedOffset>> {
    records
        .iter()
        .rev()
        .find_map(|r| match r.event {
            Event::DrillFaultInjected {
                by: DrillActor::Scenario,
                ..
            } => Some(r.ts),
            _ => None,
        })
        .or_else(|| {
            records
                .iter()
                .find(|r| matches!(r.event, Event::DrillStarted { .. }))
                .map(|r| r.ts)
        })
}

/// The last outcome journaled for a drill check.
fn last_check(records: &[Record], id: &str) -> Option<LastOutcome> {
    records.iter().rev().find_map(|r| match &r.event {
        Event::DrillCheck { id: i, outcome, .. } if i == id => Some((*outcome, r.ts)),
        _ => None,
    })
}
