//! The figures at the top of a report, computed once for every renderer.

use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use crate::i18n::{Lang, tr, trf};
use crate::incident::{BudgetState, Incident, Mode, StepStatus};
use crate::runbook::duration::format_duration;

use super::LoadedJournal;
use super::text::utc_datetime;

/// The incident in numbers. For an open incident "now" is the last event.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Resolved or still open.
    pub open: bool,
    /// The clock end: the resolution time, else the last event's time.
    pub end: DateTime<FixedOffset>,
    /// Opening until `end`.
    pub total: Duration,
    /// Opening until the mitigation step was completed.
    pub time_to_mitigation: Option<Duration>,
    /// The operator's resolution summary.
    pub resolution: Option<String>,
    /// One row per step.
    pub steps: Vec<StepRow>,
}

/// A step as shown in the steps table.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    /// Step id.
    pub id: String,
    /// Step title.
    pub title: String,
    /// `pending`, `active`, `done`, `skipped: reason`.
    pub state: String,
    /// Time spent in the step.
    pub spent: Duration,
    /// Budget text (`1m–2m`, `2m`, `—`).
    pub budget: String,
    /// Where the time stands against the budget.
    pub budget_state: BudgetState,
    /// Completing it counts as mitigation.
    pub mitigation: bool,
}

impl StepRow {
    /// `over limit`, `over expected`, or empty (also the HTML class).
    pub fn flag(&self) -> &'static str {
        match self.budget_state {
            BudgetState::OverLimit => "over limit",
            BudgetState::OverExpected => "over expected",
            BudgetState::Within | BudgetState::NoBudget => "",
        }
    }

    /// [`StepRow::flag`] in `lang`.
    pub fn flag_in(&self, lang: Lang) -> &'static str {
        match self.budget_state {
            BudgetState::OverLimit => tr(lang, "over limit"),
            BudgetState::OverExpected => tr(lang, "over expected"),
            BudgetState::Within | BudgetState::NoBudget => "",
        }
    }
}

impl Summary {
    /// Computes the summary; deterministic (no wall clock).
    pub fn of(incident: &Incident) -> Summary {
        let end = match &incident.resolved {
            Some((at, _)) => *at,
            None => incident.last_ts.unwrap_or(incident.opened_at),
        };
        Summary::at(incident, end)
    }

    /// The summary with the clock stopped at `end` (`watch` passes the wall
    /// clock for an incident still open, so its timers run).
    pub fn at(incident: &Incident, end: DateTime<FixedOffset>) -> Summary {
        let lang = Lang::of_incident(incident);
        let steps = incident
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepRow {
                id: s.outline.id.clone(),
                title: s.outline.title.clone(),
                state: match &s.status {
                    StepStatus::Pending => tr(lang, "pending").into(),
                    StepStatus::Active => tr(lang, "active").into(),
                    StepStatus::Done => tr(lang, "done").into(),
                    StepStatus::Skipped { reason } if reason.is_empty() => {
                        tr(lang, "skipped").into()
                    }
                    StepStatus::Skipped { reason } => trf(lang, "skipped: {}", &[reason]),
                },
                spent: incident.step_elapsed(i, end),
                budget: budget_text(s.outline.expected_ms, s.outline.limit_ms),
                budget_state: incident.budget_state(i, end),
                mitigation: s.outline.mitigation,
            })
            .collect();
        Summary {
            open: incident.is_open(),
            end,
            total: incident.total_elapsed(end),
            time_to_mitigation: incident.time_to_mitigation(),
            resolution: incident.resolved.as_ref().map(|(_, s)| s.clone()),
            steps,
        }
    }

    /// Steps past their limit.
    pub fn over_limit(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| s.budget_state == BudgetState::OverLimit)
            .count()
    }
}

/// `1m–2m`, `2m` (expected = limit), `≤2m` (limit only), `—`.
pub fn budget_text(expected: Option<u64>, limit: Option<u64>) -> String {
    let f = |ms: u64| format_duration(Duration::from_millis(ms));
    match (expected, limit) {
        (Some(e), Some(l)) if e == l => f(e),
        (Some(e), Some(l)) => format!("{}–{}", f(e), f(l)),
        (Some(e), None) => format!("~{}", f(e)),
        (None, Some(l)) => format!("≤{}", f(l)),
        (None, None) => "—".into(),
    }
}

/// The title, or a placeholder naming the runbook (in the incident's language).
pub fn display_title(inc: &Incident) -> String {
    if inc.title.trim().is_empty() {
        let lang = Lang::of_incident(inc);
        trf(lang, "(untitled) {}", &[&inc.runbook.title])
    } else {
        inc.title.clone()
    }
}

/// `live` or `drill`, in `lang`.
pub fn mode_word(lang: Lang, m: Mode) -> &'static str {
    match m {
        Mode::Live => tr(lang, "live"),
        Mode::Drill => tr(lang, "drill"),
    }
}

/// The summary table as (label, value) rows, shared by every format.
pub fn summary_rows(
    j: &LoadedJournal,
    sum: &Summary,
    pm: &super::edits::Merged,
) -> Vec<(&'static str, String)> {
    let inc = &j.incident;
    let lang = Lang::of_incident(inc);
    let given = |s: &str| {
        if s.trim().is_empty() {
            tr(lang, "not given").to_string()
        } else {
            s.to_string()
        }
    };
    // The figures count from the problem's start when the operator gave
    // it (what users felt), else from the incident's opening.
    let base = match inc.problem_started {
        Some(at) if at < inc.opened_at => at,
        _ => inc.opened_at,
    };
    let from = if base < inc.opened_at {
        tr(lang, "from the problem's start")
    } else {
        tr(lang, "from the opening")
    };
    let figure = |end: Option<DateTime<FixedOffset>>, missing: &str| match end {
        Some(t) => trf(
            lang,
            "{} ({})",
            &[&format_duration(super::text::span(base, t)), &from],
        ),
        None => missing.to_string(),
    };
    let mitigated_at = inc
        .steps
        .iter()
        .filter(|s| s.outline.mitigation)
        .filter_map(|s| s.completed_at)
        .min();
    let so_far = if sum.open { tr(lang, " (so far)") } else { "" };
    let resolved = match &inc.resolved {
        Some((at, _)) => utc_datetime(*at),
        None => trf(lang, "— (open; last event {})", &[&utc_datetime(sum.end)]),
    };
    vec![
        (tr(lang, "Title"), display_title(inc)),
        (
            tr(lang, "Status"),
            if sum.open {
                tr(lang, "OPEN").into()
            } else {
                tr(lang, "resolved").into()
            },
        ),
        (
            tr(lang, "Runbook"),
            format!("{} ({})", inc.runbook.title, inc.runbook.id),
        ),
        (tr(lang, "Mode"), mode_word(lang, inc.mode).into()),
        (tr(lang, "Severity"), given(&pm.severity)),
        (tr(lang, "Impact"), given(&pm.impact)),
        (tr(lang, "Operator"), format!("{}@{}", inc.user, inc.host)),
        (
            tr(lang, "Problem began"),
            inc.problem_started
                .map_or_else(|| tr(lang, "not given").into(), utc_datetime),
        ),
        (tr(lang, "Started"), utc_datetime(inc.opened_at)),
        (tr(lang, "Resolved"), resolved),
        (
            tr(lang, "Time to detect"),
            match inc.problem_started {
                Some(at) if at <= inc.opened_at => {
                    format_duration(super::text::span(at, inc.opened_at))
                }
                Some(_) => tr(lang, "— (the start given is after the opening)").into(),
                None => tr(lang, "— (no problem start given)").into(),
            },
        ),
        (
            tr(lang, "Time to mitigate"),
            figure(mitigated_at, tr(lang, "not reached")),
        ),
        (
            tr(lang, "Time to resolve"),
            figure(
                inc.resolved.as_ref().map(|(t, _)| *t),
                tr(lang, "not resolved"),
            ),
        ),
        (
            tr(lang, "Total duration"),
            format!("{}{so_far}", format_duration(sum.total)),
        ),
        (
            tr(lang, "Resolution"),
            sum.resolution.clone().unwrap_or_else(|| "—".into()),
        ),
        (tr(lang, "Steps over limit"), sum.over_limit().to_string()),
        (
            tr(lang, "Journal"),
            trf(lang, "{} ({} events)", &[&j.file_name, &j.records.len()]),
        ),
    ]
}
