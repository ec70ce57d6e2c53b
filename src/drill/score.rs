//! The drill score: a pure fold over a drill journal's records and its
//! scenario (DRILLS.md C7). No clock, no IO: the same records always give
//! the same score, so the trainee's screen, `review`, `report` and
//! `drill scores` agree.
//!
//! Formula v1 ([`FORMULA_V1`]):
//! - start at 100;
//! - −1 per whole minute over par for each of time to diagnose and time to
//!   mitigate, at most −20 each (never diagnosed: −20);
//! - minus each hint's cost and each discouraged item's penalty (once per item);
//! - −10 when a change was confirmed before any backup item ran;
//! - 0 when the drill did not end resolved or the fix was never detected;
//! - never below 0.

use chrono::{DateTime, FixedOffset};

use super::model::Scenario;
use crate::i18n::{Lang, tr, tr_dyn, trf};
use crate::incident::{DrillActor, DrillEndReason, Event, Record, ScoreLine};

/// The formula this module computes.
pub const FORMULA_V1: u32 = 1;

/// Points a drill starts with.
const START: i64 = 100;
/// Most points lost to each of TTD and TTM.
const TIME_CAP: i64 = 20;
/// Points lost for a change confirmed before any backup.
const NO_BACKUP: i64 = 10;

/// A drill's score with its breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// Formula version.
    pub formula: u32,
    /// 0–100.
    pub score: i64,
    /// Injection to the first right diagnosis, ms.
    pub ttd_ms: Option<u64>,
    /// Injection to the trainee's fixing change (else to the detection), ms.
    pub ttm_ms: Option<u64>,
    /// Hints taken.
    pub hints: u32,
    /// `resolved`, `time_limit`, `quit`, … (`unfinished` before `drill_ended`).
    pub outcome: String,
    /// What added or took points, in order; the first line is the start.
    pub lines: Vec<ScoreLine>,
    /// Expected items (`all`, then `any`): id, used, and the order of its
    /// first use among the expected items used (1-based).
    pub expected_used: Vec<(String, bool, Option<u32>)>,
    /// When each expected item (as in `expected_used`) was first used.
    pub expected_at: Vec<Option<DateTime<FixedOffset>>>,
    /// The points before the outcome rule: what the drill would score if
    /// it ended resolved with the figures as they stand (its live score).
    pub so_far: i64,
    /// Discouraged items used, in order of first use.
    pub discouraged_used: Vec<String>,
    /// Answers to the diagnosis question given before the right one (`ask=answer`).
    pub wrong_answers: Vec<String>,
    /// A change was confirmed before any backup item ran.
    pub change_before_backup: bool,
    /// The node restarted before the fix was detected.
    pub fixed_by_restart: bool,
}

impl Score {
    /// Scores `records` (a drill journal, in order) against `scenario`.
    pub fn fold(records: &[Record], scenario: &Scenario) -> Score {
        let f = Facts::fold(records, scenario);
        let mut lines = vec![line("start", START)];
        let par_d = scenario.par.diagnose.as_millis() as u64;
        let par_m = scenario.par.mitigate.as_millis() as u64;
        match f.ttd_ms {
            Some(ms) => lines.extend(over_par("diagnose", ms, par_d)),
            None => lines.push(line("never diagnosed", -TIME_CAP)),
        }
        if let Some(ms) = f.ttm_ms {
            lines.extend(over_par("mitigate", ms, par_m));
        }
        for (i, cost) in &f.hints {
            lines.push(line(&format!("hint {}", i + 1), -i64::from(*cost)));
        }
        for id in &f.discouraged_used {
            let penalty = scenario
                .discouraged
                .iter()
                .find(|d| d.id == *id)
                .map_or(0, |d| d.penalty);
            lines.push(line(&format!("discouraged: {id}"), -i64::from(penalty)));
        }
        if f.change_before_backup {
            lines.push(line("change before any backup", -NO_BACKUP));
        }
        let resolved = f.outcome == DrillEndReason::Resolved.as_str();
        let mut score: i64 = lines.iter().map(|l| l.points).sum();
        let so_far = score.clamp(0, START);
        if f.ttm_ms.is_none() || !resolved {
            let why = if f.ttm_ms.is_none() {
                "the fix was never detected"
            } else {
                "the drill did not end resolved"
            };
            lines.push(line(&format!("unresolved: {why}"), -score.max(0)));
            score = 0;
        }
        Score {
            formula: FORMULA_V1,
            score: score.clamp(0, START),
            ttd_ms: f.ttd_ms,
            ttm_ms: f.ttm_ms,
            hints: f.hints.len() as u32,
            outcome: f.outcome,
            lines,
            expected_used: f.expected_used,
            expected_at: f.expected_at,
            so_far,
            discouraged_used: f.discouraged_used,
            wrong_answers: f.wrong_answers,
            change_before_backup: f.change_before_backup,
            fixed_by_restart: f.fixed_by_restart,
        }
    }

    /// The score as journaled (`drill_scored`); the figures the event does
    /// not carry (expected path, discouraged items …) are empty.
    pub fn from_event(event: &Event) -> Option<Score> {
        let Event::DrillScored {
            formula,
            score,
            ttd_ms,
            ttm_ms,
            hints,
            outcome,
            lines,
        } = event
        else {
            return None;
        };
        Some(Score {
            formula: *formula,
            score: *score,
            ttd_ms: *ttd_ms,
            ttm_ms: *ttm_ms,
            hints: *hints,
            outcome: outcome.clone(),
            lines: lines.clone(),
            expected_used: Vec::new(),
            expected_at: Vec::new(),
            so_far: *score,
            discouraged_used: Vec::new(),
            wrong_answers: Vec::new(),
            change_before_backup: false,
            fixed_by_restart: false,
        })
    }

    /// The `drill_scored` event to journal.
    pub fn to_event(&self) -> Event {
        Event::DrillScored {
            formula: self.formula,
            score: self.score,
            ttd_ms: self.ttd_ms,
            ttm_ms: self.ttm_ms,
            hints: self.hints,
            outcome: self.outcome.clone(),
            lines: self.lines.clone(),
        }
    }

    /// The breakdown as plain text in `lang`, one figure or line per row
    /// (the text comes from journals: print it through `crate::text`).
    pub fn breakdown(&self, lang: Lang) -> String {
        let mut out = trf(
            lang,
            "score {} (formula v{}), outcome {}",
            &[
                &self.score,
                &self.formula,
                &outcome_text(lang, &self.outcome),
            ],
        );
        out.push('\n');
        out.push_str(&trf(
            lang,
            "time to diagnose {}, time to mitigate {}, hints {}",
            &[&minutes(self.ttd_ms), &minutes(self.ttm_ms), &self.hints],
        ));
        out.push('\n');
        for l in &self.lines {
            out.push_str(&format!(
                "  {:>+5}  {}\n",
                l.points,
                line_text(lang, &l.what)
            ));
        }
        for (id, used, order) in &self.expected_used {
            let mark = if *used { "✓" } else { "✗" };
            let order = order.map(|o| format!(" (#{o})")).unwrap_or_default();
            out.push_str(&format!("  {} {mark} {id}{order}\n", tr(lang, "expected")));
        }
        for w in &self.wrong_answers {
            out.push_str(&format!("  {} {w}\n", tr(lang, "wrong answer")));
        }
        if self.fixed_by_restart {
            out.push_str(&format!("  {}\n", tr(lang, "fixed by restart")));
        }
        out
    }
}

/// A breakdown line as journaled (`drill_scored` keeps the English the
/// fold wrote, so every reader of any journal agrees) in `lang`. A line
/// this program did not write (a newer formula) is shown as it is.
pub fn line_text(lang: Lang, what: &str) -> String {
    if lang == Lang::En {
        return what.to_string();
    }
    match what {
        "start" | "never diagnosed" | "change before any backup" => {
            return tr_dyn(lang, what);
        }
        _ => {}
    }
    if let Some(n) = what.strip_prefix("hint ") {
        return trf(lang, "hint {}", &[&n]);
    }
    if let Some(id) = what.strip_prefix("discouraged: ") {
        return trf(lang, "discouraged: {}", &[&id]);
    }
    if let Some(why) = what.strip_prefix("unresolved: ") {
        return trf(lang, "unresolved: {}", &[&tr_dyn(lang, why)]);
    }
    if let Some((n, to)) = what.split_once(" min over par to ") {
        return match to {
            "diagnose" => trf(lang, "{} min over par to diagnose", &[&n]),
            "mitigate" => trf(lang, "{} min over par to mitigate", &[&n]),
            _ => what.to_string(),
        };
    }
    what.to_string()
}

/// A drill's outcome (`resolved`, `time_limit`, …, `unfinished`) in words.
pub fn outcome_text(lang: Lang, outcome: &str) -> String {
    let en = match outcome {
        "resolved" => "resolved",
        "time_limit" => "time limit",
        "ended_by_trainer" => "ended by trainer",
        "quit" => "quit",
        "interrupted" => "interrupted",
        "aborted" => "aborted",
        "unfinished" => "unfinished",
        other => return other.replace('_', " "),
    };
    tr(lang, en).to_string()
}

/// `m:ss`, or `—` when absent.
pub fn minutes(ms: Option<u64>) -> String {
    match ms {
        Some(ms) => format!("{}:{:02}", ms / 60_000, (ms / 1000) % 60),
        None => "—".into(),
    }
}

fn line(what: &str, points: i64) -> ScoreLine {
    ScoreLine {
        what: what.to_string(),
        points,
    }
}

/// `−1` per whole minute of `ms` over `par_ms`, capped; nothing when within par.
fn over_par(what: &str, ms: u64, par_ms: u64) -> Option<ScoreLine> {
    let minutes = (ms.saturating_sub(par_ms) / 60_000) as i64;
    (minutes > 0).then(|| {
        line(
            &format!("{minutes} min over par to {what}"),
            -minutes.min(TIME_CAP),
        )
    })
}

/// Whether `id` (`step/item`) is a backup item.
fn is_backup(id: &str) -> bool {
    id.ends_with("/backup-definitions") || id.contains("backup")
}

/// What the records say, before any points.
struct Facts {
    ttd_ms: Option<u64>,
    ttm_ms: Option<u64>,
    hints: Vec<(usize, u32)>,
    outcome: String,
    expected_used: Vec<(String, bool, Option<u32>)>,
    expected_at: Vec<Option<DateTime<FixedOffset>>>,
    discouraged_used: Vec<String>,
    wrong_answers: Vec<String>,
    change_before_backup: bool,
    fixed_by_restart: bool,
}

impl Facts {
    fn fold(records: &[Record], scenario: &Scenario) -> Facts {
        // The clock starts at the last fault the scenario injected (not a
        // trainer's escalation), else at the drill's start.
        let injected: Option<DateTime<FixedOffset>> = records
            .iter()
            .filter(|r| {
                matches!(
                    r.event,
                    Event::DrillFaultInjected {
                        by: DrillActor::Scenario,
                        ..
                    }
                )
            })
            .map(|r| r.ts)
            .next_back()
            .or_else(|| {
                records
                    .iter()
                    .find(|r| matches!(r.event, Event::DrillStarted { .. }))
                    .map(|r| r.ts)
            })
            .or_else(|| records.first().map(|r| r.ts));
        let since = |ts: DateTime<FixedOffset>| {
            injected.map(|i| ts.signed_duration_since(i).num_milliseconds().max(0) as u64)
        };

        let wanted: Vec<&String> = scenario
            .expected
            .all
            .iter()
            .chain(&scenario.expected.any)
            .collect();
        let mut first_use: Vec<Option<u32>> = vec![None; wanted.len()];
        let mut first_at: Vec<Option<DateTime<FixedOffset>>> = vec![None; wanted.len()];
        let mut uses = 0u32;
        let mut f = Facts {
            ttd_ms: None,
            ttm_ms: None,
            hints: Vec::new(),
            outcome: "unfinished".into(),
            expected_used: Vec::new(),
            expected_at: Vec::new(),
            discouraged_used: Vec::new(),
            wrong_answers: Vec::new(),
            change_before_backup: false,
            fixed_by_restart: false,
        };
        let mut answers = std::collections::BTreeMap::new();
        let mut backed_up = false;
        let mut fixed = false;
        for r in records {
            match &r.event {
                Event::QuestionAnswered { ask, answer, .. } if f.ttd_ms.is_none() => {
                    if let Some(right) = scenario.diagnosis.get(ask) {
                        if !names_right(answer, right) {
                            f.wrong_answers.push(format!("{ask}={answer}"));
                        }
                        answers.insert(ask.clone(), answer.clone());
                        let diagnosed = !scenario.diagnosis.is_empty()
                            && scenario
                                .diagnosis
                                .iter()
                                .all(|(k, v)| answers.get(k).is_some_and(|a| names_right(a, v)));
                        if diagnosed {
                            f.ttd_ms = since(r.ts);
                        }
                    }
                }
                Event::CommandStarted { step, command, .. }
                | Event::CheckStarted {
                    step,
                    check: command,
                    ..
                } => {
                    let id = format!("{step}/{command}");
                    if let Some(i) = wanted.iter().position(|w| **w == id)
                        && first_use[i].is_none()
                    {
                        uses += 1;
                        first_use[i] = Some(uses);
                        first_at[i] = Some(r.ts);
                    }
                    if scenario.discouraged.iter().any(|d| d.id == id)
                        && !f.discouraged_used.contains(&id)
                    {
                        f.discouraged_used.push(id.clone());
                    }
                    if matches!(r.event, Event::CommandStarted { .. }) && is_backup(&id) {
                        backed_up = true;
                    }
                }
                Event::ConfirmationAnswered {
                    step,
                    command,
                    accepted: true,
                    ..
                } => {
                    let id = format!("{step}/{command}");
                    if !backed_up && !is_backup(&id) {
                        f.change_before_backup = true;
                    }
                }
                Event::DrillHint { index, cost, .. } => f.hints.push((*index, *cost)),
                Event::DrillFixed {
                    last_change,
                    fixed_by_restart,
                    ..
                } if !fixed => {
                    fixed = true;
                    let ts = last_change.as_ref().map_or(r.ts, |c| c.ts);
                    f.ttm_ms = since(ts);
                    f.fixed_by_restart = *fixed_by_restart;
                }
                Event::DrillEnded { reason, .. } => f.outcome = reason.as_str().to_string(),
                _ => {}
            }
        }
        f.expected_used = wanted
            .iter()
            .zip(first_use)
            .map(|(id, order)| ((*id).clone(), order.is_some(), order))
            .collect();
        f.expected_at = first_at;
        f
    }
}

/// An answer names the right choice: it is the choice, or one of at most
/// two the trainee marked (two symptoms seen at once, e.g. a memory alarm
/// and the backlog it causes; marking more is guessing, not a diagnosis).
fn names_right(answer: &str, right: &str) -> bool {
    let given: Vec<&str> = crate::runbook::answer_choices(answer).collect();
    given.len() <= 2 && given.contains(&right)
}
