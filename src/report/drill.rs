//! The drill block of a report: scenario, trainee, outcome, time to diagnose
//! and to mitigate against par, hints, the score with its breakdown, the
//! expected path with ✓/✗, discouraged items, and for the debrief the brief
//! and the hidden root cause.
//!
//! The figures are a fold of the journal. When the scenario the journal
//! names can still be found (same id, and the same file when it was one),
//! the score is recomputed against it, which adds the expected path, the
//! par times and the root cause; otherwise the block shows the score as
//! journaled and says why.

use crate::drill::Scenario;
use crate::drill::score::{Score, minutes, outcome_text};
use crate::i18n::{Lang, tr, trf};
use crate::incident::{DrillEndReason, Event, Record, ScenarioRef};

/// A scenario found for a drill journal: the scenario and whether its file
/// is the one drilled (same sha256).
#[derive(Debug, Clone)]
pub struct FoundScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// Its sha256 is the journal's.
    pub same: bool,
}

/// The drill block, for a journal of a drill.
#[derive(Debug, Clone)]
pub struct DrillReport {
    /// The scenario as journaled.
    pub scenario: ScenarioRef,
    /// Who was drilled.
    pub trainee: String,
    /// The sandbox node names.
    pub nodes: Vec<String>,
    /// How it ended (`drill_ended`), if it did: reason and detail.
    pub ended: Option<(DrillEndReason, String)>,
    /// The score: recomputed against the scenario when found, else as
    /// journaled, else none (the drill never ended).
    pub score: Option<Score>,
    /// Where the score comes from, in a sentence.
    pub score_source: String,
    /// The journal's language, for [`DrillReport::rows`].
    pub lang: Lang,
    /// Par times to diagnose and to mitigate, ms (scenario found only).
    pub par: Option<(u64, u64)>,
    /// The brief (scenario found only).
    pub brief: Option<String>,
    /// The root cause kept from the trainee (scenario found only).
    pub hidden: Option<String>,
    /// The sandbox was removed (`drill_cleanup`), if known.
    pub cleanup_ok: Option<bool>,
}

impl DrillReport {
    /// The block for `records`, or `None` when they are not a drill's.
    pub fn build(
        lang: Lang,
        records: &[Record],
        found: Option<&FoundScenario>,
    ) -> Option<DrillReport> {
        let (scenario, trainee, nodes) = records.iter().find_map(|r| match &r.event {
            Event::DrillStarted {
                scenario,
                trainee,
                nodes,
                ..
            } => Some((
                scenario.clone(),
                trainee.clone(),
                nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>(),
            )),
            _ => None,
        })?;
        let ended = records.iter().rev().find_map(|r| match &r.event {
            Event::DrillEnded { reason, detail } => Some((*reason, detail.clone())),
            _ => None,
        });
        let journaled = records
            .iter()
            .rev()
            .find_map(|r| Score::from_event(&r.event));
        let cleanup_ok = records.iter().rev().find_map(|r| match &r.event {
            Event::DrillCleanup { ok, .. } => Some(*ok),
            _ => None,
        });
        let (score, score_source) = match (found, ended.is_some()) {
            (Some(f), true) => (
                Some(Score::fold(records, &f.scenario)),
                if f.same {
                    tr(
                        lang,
                        "recomputed from the journal against the scenario drilled",
                    )
                    .to_string()
                } else {
                    tr(
                        lang,
                        "recomputed against the scenario as it is now: its file changed since the drill",
                    )
                    .to_string()
                },
            ),
            (None, true) => (
                journaled,
                trf(
                    lang,
                    "as journaled: scenario {} not found here, so the expected path and par are not shown",
                    &[&scenario.id],
                ),
            ),
            (_, false) => (
                None,
                tr(
                    lang,
                    "the drill has not ended: no score yet (`runbook resume` ends a killed drill)",
                )
                .to_string(),
            ),
        };
        let par = found.map(|f| {
            (
                f.scenario.par.diagnose.as_millis() as u64,
                f.scenario.par.mitigate.as_millis() as u64,
            )
        });
        Some(DrillReport {
            scenario,
            trainee,
            nodes,
            ended,
            score,
            score_source,
            lang,
            par,
            brief: found.map(|f| f.scenario.brief_for(None).trim_end().to_string()),
            hidden: found.map(|f| f.scenario.hidden.trim_end().to_string()),
            cleanup_ok,
        })
    }

    /// The summary rows: (label, value).
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        let lang = self.lang;
        let mut rows = vec![
            (
                tr(lang, "Scenario"),
                format!(
                    "{} ({}, sha256 {})",
                    self.scenario.title,
                    self.scenario.id,
                    self.scenario
                        .sha256
                        .get(..12)
                        .unwrap_or(&self.scenario.sha256)
                ),
            ),
            (tr(lang, "Trainee"), self.trainee.clone()),
        ];
        let outcome = match &self.ended {
            Some((r, d)) if d.is_empty() => outcome_text(lang, r.as_str()),
            Some((r, d)) => format!("{} — {d}", outcome_text(lang, r.as_str())),
            None => tr(lang, "not ended").into(),
        };
        rows.push((tr(lang, "Outcome"), outcome));
        if let Some(s) = &self.score {
            rows.push((
                tr(lang, "Score"),
                trf(lang, "{}/100 (formula v{})", &[&s.score, &s.formula]),
            ));
            let par = |p: Option<u64>| {
                p.map(|ms| trf(lang, " (par {})", &[&minutes(Some(ms))]))
                    .unwrap_or_default()
            };
            rows.push((
                tr(lang, "Time to diagnose"),
                format!("{}{}", minutes(s.ttd_ms), par(self.par.map(|p| p.0))),
            ));
            rows.push((
                tr(lang, "Time to mitigate"),
                format!("{}{}", minutes(s.ttm_ms), par(self.par.map(|p| p.1))),
            ));
            rows.push((tr(lang, "Hints"), s.hints.to_string()));
            if !s.wrong_answers.is_empty() {
                rows.push((
                    tr(lang, "Wrong diagnoses first"),
                    s.wrong_answers.join(", "),
                ));
            }
            if !s.discouraged_used.is_empty() {
                rows.push((
                    tr(lang, "Discouraged items used"),
                    s.discouraged_used.join(", "),
                ));
            }
            if s.change_before_backup {
                rows.push((tr(lang, "Change before any backup"), tr(lang, "yes").into()));
            }
            if s.fixed_by_restart {
                rows.push((tr(lang, "Fixed by a restart"), tr(lang, "yes").into()));
            }
        }
        rows.push((tr(lang, "Score source"), self.score_source.clone()));
        if let Some(ok) = self.cleanup_ok {
            rows.push((
                tr(lang, "Sandbox"),
                if ok {
                    tr(lang, "removed").into()
                } else {
                    tr(lang, "NOT fully removed (see the timeline)").into()
                },
            ));
        }
        rows
    }

    /// The expected path: id, used, order of first use.
    pub fn expected(&self) -> &[(String, bool, Option<u32>)] {
        self.score
            .as_ref()
            .map_or(&[][..], |s| s.expected_used.as_slice())
    }
}
