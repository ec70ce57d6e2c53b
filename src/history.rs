//! `runbook history`: the incidents in the log directory, newest first.
//!
//! State of an incident:
//! - `resolved`: it has an `incident_resolved` record;
//! - `abandoned`: not resolved and nothing recorded for more than
//!   [`ABANDON_AFTER`] (24 h) before now — nobody is working on it, though
//!   `runbook resume` can still pick it up;
//! - `open`: not resolved, with activity in the last 24 h;
//! - `unreadable`: the file could not be read as a journal (the note says why).
//!
//! Durations run to the resolution, else to the last recorded event (never to
//! now), as in the report.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::i18n::{Lang, tr, trf};
use crate::incident::BudgetState;
use crate::journal::{self, EXTENSION};
use crate::report::summary::{Summary, display_title, mode_word};
use crate::runbook::duration::format_duration;
use crate::text::one_line;

/// Quiet time after which an unresolved incident counts as abandoned.
pub const ABANDON_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Where an incident stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    /// Not resolved, recent activity.
    Open,
    /// Resolved.
    Resolved,
    /// Not resolved, quiet for more than [`ABANDON_AFTER`].
    Abandoned,
    /// Not readable as a journal.
    Unreadable,
}

impl IncidentState {
    /// The word shown in the table (English).
    pub fn word(self) -> &'static str {
        self.word_in(Lang::En)
    }

    /// The word shown in the table, in `lang`.
    pub fn word_in(self, lang: Lang) -> &'static str {
        match self {
            IncidentState::Open => tr(lang, "open"),
            IncidentState::Resolved => tr(lang, "resolved"),
            IncidentState::Abandoned => tr(lang, "abandoned"),
            IncidentState::Unreadable => tr(lang, "unreadable"),
        }
    }
}

/// One incident in the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    /// Journal file name.
    pub file: String,
    /// Opening time, RFC 3339 UTC.
    pub started: Option<String>,
    /// Incident title.
    pub title: String,
    /// Runbook id.
    pub runbook: String,
    /// `live` or `drill`.
    pub mode: String,
    /// Where it stands.
    pub state: IncidentState,
    /// Opening until resolution (or the last event), milliseconds.
    pub duration_ms: Option<u64>,
    /// Steps past their budget limit.
    pub steps_over_budget: usize,
    /// What is wrong with the journal, if anything (torn tail, damage, unreadable).
    pub note: Option<String>,
}

/// Lists the journals in `dir`, newest first. `now` decides abandonment.
pub fn scan(dir: &Path, now: DateTime<FixedOffset>) -> std::io::Result<Vec<HistoryEntry>> {
    let mut out: Vec<HistoryEntry> = journal_paths(dir)?.iter().map(|p| entry(p, now)).collect();
    // File names start with the UTC opening time; ties and unreadable files by name.
    out.sort_by(|a, b| b.started.cmp(&a.started).then_with(|| b.file.cmp(&a.file)));
    Ok(out)
}

/// The journal files in `dir` (`*.jsonl`, not directories), in no order.
/// A FIFO or device so named is included: reading it says why it is no journal.
pub fn journal_paths(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == EXTENSION) && !p.is_dir())
        .collect())
}

fn entry(path: &Path, now: DateTime<FixedOffset>) -> HistoryEntry {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read = match journal::read(path) {
        Ok(r) => r,
        Err(e) => {
            return HistoryEntry {
                file,
                started: None,
                title: String::new(),
                runbook: String::new(),
                mode: String::new(),
                state: IncidentState::Unreadable,
                duration_ms: None,
                steps_over_budget: 0,
                note: Some(e.to_string()),
            };
        }
    };
    let inc = crate::incident::Incident::fold(&read.records);
    let sum = Summary::of(&inc);
    let quiet = now
        .signed_duration_since(sum.end)
        .to_std()
        .unwrap_or(Duration::ZERO);
    let state = if !sum.open {
        IncidentState::Resolved
    } else if quiet > ABANDON_AFTER {
        IncidentState::Abandoned
    } else {
        IncidentState::Open
    };
    let mut notes = Vec::new();
    if matches!(
        read.records.last().map(|r| &r.event),
        Some(crate::incident::Event::SessionEnded {
            reason: crate::incident::EndReason::Finished
        })
    ) {
        notes.push("headless `runbook diagnose` run".to_string());
    }
    if let Some(t) = read.torn {
        notes.push(format!("torn last line {}", t.line));
    }
    if !read.skipped.is_empty() {
        notes.push(format!("{} damaged line(s) skipped", read.skipped.len()));
    }
    if read.unknown > 0 {
        notes.push(format!("{} unknown event(s)", read.unknown));
    }
    HistoryEntry {
        file,
        started: Some(
            inc.opened_at
                .with_timezone(&Utc)
                .to_rfc3339_opts(SecondsFormat::Secs, true),
        ),
        title: display_title(&inc),
        runbook: inc.runbook.id.clone(),
        mode: mode_word(Lang::En, inc.mode).into(),
        state,
        duration_ms: Some(sum.total.as_millis() as u64),
        steps_over_budget: sum
            .steps
            .iter()
            .filter(|s| s.budget_state == BudgetState::OverLimit)
            .count(),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

/// The table printed by `runbook history`, in the locale's language.
pub fn table(entries: &[HistoryEntry]) -> String {
    table_in(Lang::from_env(), entries)
}

/// The table printed by `runbook history`, in `lang`.
pub fn table_in(lang: Lang, entries: &[HistoryEntry]) -> String {
    let header = [
        tr(lang, "STARTED (UTC)"),
        tr(lang, "TITLE"),
        tr(lang, "RUNBOOK"),
        tr(lang, "MODE"),
        tr(lang, "STATE"),
        tr(lang, "DURATION"),
        tr(lang, "OVER"),
        tr(lang, "FILE"),
        tr(lang, "NOTE"),
    ]
    .map(String::from);
    let rows: Vec<[String; 9]> = entries
        .iter()
        .map(|e| {
            let started = e
                .started
                .as_deref()
                .map(|s| s.replace('T', " ").trim_end_matches('Z').to_string())
                .unwrap_or_else(|| "—".into());
            let title = one_line(&e.title);
            let title: String = if title.chars().count() > 40 {
                title.chars().take(39).chain(['…']).collect()
            } else {
                title.into_owned()
            };
            // Titles, ids, file names and notes come from journals: one
            // line each, never with their escapes.
            [
                started,
                title,
                e.runbook.clone(),
                match e.mode.as_str() {
                    "live" => tr(lang, "live").into(),
                    "drill" => tr(lang, "drill").into(),
                    other => other.to_string(),
                },
                e.state.word_in(lang).into(),
                e.duration_ms
                    .map(|ms| format_duration(Duration::from_millis(ms)))
                    .unwrap_or_default(),
                e.steps_over_budget.to_string(),
                e.file.clone(),
                e.note.clone().unwrap_or_default(),
            ]
            .map(|c| one_line(&c).into_owned())
        })
        .collect();
    aligned(std::iter::once(&header).chain(&rows).map(|r| r.as_slice()))
}

/// Rows of cells in columns two spaces apart, each as wide as its widest
/// cell (display width); trailing blanks trimmed. Cells must be one line.
pub fn aligned<'a>(rows: impl Iterator<Item = &'a [String]> + Clone) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for r in rows.clone() {
        if widths.len() < r.len() {
            widths.resize(r.len(), 0);
        }
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.width());
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, (c, w)) in r.iter().zip(&widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(c);
            line.push_str(&" ".repeat(w.saturating_sub(c.width())));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Runs `runbook history`; returns the exit code (0 ok, 2 unreadable directory).
pub fn cli_run(log_dir: Option<&Path>, json: bool) -> i32 {
    let dir = journal::log_dir(log_dir);
    let now = Utc::now().fixed_offset();
    let entries = match scan(&dir, now) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            crate::text::eprintln!(
                "runbook history: cannot list {}: {e}; choose another directory with --log-dir",
                dir.display()
            );
            return 2;
        }
    };
    let text = if json {
        match serde_json::to_string_pretty(&entries) {
            Ok(s) => crate::text::json_for_terminal(s) + "\n",
            Err(e) => {
                crate::text::eprintln!("runbook history: cannot encode the list: {e}");
                return 2;
            }
        }
    } else if entries.is_empty() {
        let lang = Lang::from_env();
        trf(lang, "No incidents in {}\n", &[&dir.display()])
    } else {
        table(&entries)
    };
    let mut out = crate::text::Terminal::new(std::io::stdout().lock(), false);
    let _ = out.write_all(text.as_bytes());
    0
}
