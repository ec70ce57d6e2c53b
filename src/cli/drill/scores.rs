//! `runbook drill scores`: drills compared over time, one row per drill
//! journal in the log directory, oldest first (so a trainee's trend reads
//! down the table).
//!
//! The figures are the journaled `drill_scored` (the score as the trainee
//! saw it); a drill without one shows `—`. A row whose scenario sha256
//! differs from the newest drill of the same scenario id is flagged: its
//! times were taken against another version of the scenario.
//!
//! Journal text (trainee names, ids, outcomes) is hostile: every cell is
//! made one line and printed through `crate::text`.

use std::io::Write;
use std::path::Path;

use chrono::{SecondsFormat, Utc};
use serde::Serialize;

use crate::drill::score::{Score, minutes};
use crate::history::{aligned, journal_paths};
use crate::i18n::{Lang, tr, trf};
use crate::incident::{Event, Mode};
use crate::journal;
use crate::text::one_line;

/// One drill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRow {
    /// Journal file name.
    pub file: String,
    /// When the drill opened, RFC 3339 UTC.
    pub date: String,
    /// Who was drilled.
    pub trainee: String,
    /// Scenario id.
    pub scenario: String,
    /// sha256 of the scenario source, hex.
    pub scenario_sha256: String,
    /// The scenario's source differs from the newest drill of the same id.
    pub scenario_changed: bool,
    /// Formula version of the score (absent without `drill_scored`).
    pub formula: Option<u32>,
    /// The score (absent without `drill_scored`).
    pub score: Option<i64>,
    /// Time to diagnose, ms.
    pub ttd_ms: Option<u64>,
    /// Time to mitigate, ms.
    pub ttm_ms: Option<u64>,
    /// Hints taken (absent without `drill_scored`).
    pub hints: Option<u32>,
    /// `resolved`, `time_limit`, … (the score's, else `drill_ended`'s).
    pub outcome: Option<String>,
}

/// The drills in `dir`, oldest first, filtered by scenario id and trainee.
/// Journals that cannot be read, and live incidents, are left out; the
/// count of unreadable ones is returned beside the rows.
pub fn scan(
    dir: &Path,
    scenario: Option<&str>,
    trainee: Option<&str>,
) -> std::io::Result<(Vec<ScoreRow>, usize)> {
    let mut unreadable = 0;
    let mut rows = Vec::new();
    for path in journal_paths(dir)? {
        match row(&path) {
            Ok(Some(r)) => rows.push(r),
            Ok(None) => {}
            Err(()) => unreadable += 1,
        }
    }
    rows.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.file.cmp(&b.file)));
    // The newest sha256 of each scenario id, over every drill (not only
    // those shown), so a filter never hides a change.
    let mut newest: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for r in &rows {
        newest.insert(&r.scenario, &r.scenario_sha256);
    }
    let changed: Vec<bool> = rows
        .iter()
        .map(|r| newest.get(r.scenario.as_str()) != Some(&r.scenario_sha256.as_str()))
        .collect();
    for (r, c) in rows.iter_mut().zip(changed) {
        r.scenario_changed = c;
    }
    rows.retain(|r| {
        scenario.is_none_or(|s| r.scenario == s) && trainee.is_none_or(|t| r.trainee == t)
    });
    Ok((rows, unreadable))
}

/// `Ok(None)` for a journal that is not a drill; `Err` when it cannot be read.
fn row(path: &Path) -> Result<Option<ScoreRow>, ()> {
    let read = journal::read(path).map_err(drop)?;
    let inc = crate::incident::Incident::fold(&read.records);
    if inc.mode != Mode::Drill {
        return Ok(None);
    }
    let mut r = ScoreRow {
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        date: inc
            .opened_at
            .with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        trainee: inc.user.clone(),
        scenario: String::new(),
        scenario_sha256: String::new(),
        scenario_changed: false,
        formula: None,
        score: None,
        ttd_ms: None,
        ttm_ms: None,
        hints: None,
        outcome: None,
    };
    for rec in &inc.drill_events {
        match &rec.event {
            Event::DrillStarted {
                scenario, trainee, ..
            } => {
                r.scenario = scenario.id.clone();
                r.scenario_sha256 = scenario.sha256.clone();
                r.trainee = trainee.clone();
            }
            Event::DrillEnded { reason, .. } if r.score.is_none() => {
                r.outcome = Some(reason.as_str().to_string());
            }
            e => {
                if let Some(s) = Score::from_event(e) {
                    r.formula = Some(s.formula);
                    r.score = Some(s.score);
                    r.ttd_ms = s.ttd_ms;
                    r.ttm_ms = s.ttm_ms;
                    r.hints = Some(s.hints);
                    r.outcome = Some(s.outcome);
                }
            }
        }
    }
    Ok(Some(r))
}

/// The table printed by `runbook drill scores` (English).
pub fn table(rows: &[ScoreRow]) -> String {
    table_in(rows, Lang::En)
}

/// [`table`] with its headings and notes in `lang` (the journal's values as
/// they are).
pub fn table_in(rows: &[ScoreRow], lang: Lang) -> String {
    let header: Vec<String> = [
        tr(lang, "DATE (UTC)"),
        tr(lang, "TRAINEE"),
        tr(lang, "SCENARIO"),
        "TTD",
        "TTM",
        tr(lang, "HINTS"),
        tr(lang, "SCORE"),
        tr(lang, "OUTCOME"),
        tr(lang, "NOTE"),
    ]
    .map(String::from)
    .to_vec();
    let dash = || "—".to_string();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let sha: String = r.scenario_sha256.chars().take(8).collect();
            let scored = r.score.is_some();
            [
                r.date.replace('T', " ").trim_end_matches('Z').to_string(),
                r.trainee.clone(),
                format!("{} {sha}", r.scenario),
                if scored { minutes(r.ttd_ms) } else { dash() },
                if scored { minutes(r.ttm_ms) } else { dash() },
                r.hints.map_or_else(dash, |h| h.to_string()),
                r.score.map_or_else(dash, |s| s.to_string()),
                r.outcome.clone().unwrap_or_else(dash),
                if r.scenario_changed {
                    tr(lang, "older scenario version: times not comparable").into()
                } else {
                    String::new()
                },
            ]
            .map(|c| one_line(&c).into_owned())
            .to_vec()
        })
        .collect();
    aligned(std::iter::once(&header).chain(&body).map(|r| r.as_slice()))
}

/// Runs `runbook drill scores`; returns the exit code (0 ok, 2 unreadable directory).
pub fn run(
    log_dir: Option<&Path>,
    scenario: Option<&str>,
    trainee: Option<&str>,
    json: bool,
) -> i32 {
    let lang = Lang::from_env();
    let dir = journal::log_dir(log_dir);
    let (rows, unreadable) = match scan(&dir, scenario, trainee) {
        Ok(found) => found,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Vec::new(), 0),
        Err(e) => {
            crate::text::eprintln!(
                "runbook drill scores: {}",
                trf(
                    lang,
                    "cannot list {}: {}; choose another directory with --log-dir",
                    &[&dir.display(), &e]
                )
            );
            return 2;
        }
    };
    let text = if json {
        match serde_json::to_string_pretty(&rows) {
            Ok(s) => crate::text::json_for_terminal(s) + "\n",
            Err(e) => {
                crate::text::eprintln!(
                    "runbook drill scores: {}",
                    trf(lang, "cannot encode the list: {}", &[&e])
                );
                return 2;
            }
        }
    } else if rows.is_empty() {
        trf(lang, "No drills in {}\n", &[&dir.display()])
    } else {
        table_in(&rows, lang)
    };
    let mut out = crate::text::Terminal::new(std::io::stdout().lock(), false);
    let _ = out.write_all(text.as_bytes());
    if unreadable > 0 {
        crate::text::eprintln!(
            "runbook drill scores: {}",
            trf(
                lang,
                "{} journal(s) in {} could not be read (see `{}`)",
                &[
                    &unreadable,
                    &dir.display(),
                    &crate::invocation::runbook("history")
                ],
            )
        );
    }
    0
}
