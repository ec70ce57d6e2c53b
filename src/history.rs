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

/// The table printed by `runbook history`, every column at full width, in
/// the locale's language.
pub fn table(entries: &[HistoryEntry]) -> String {
    table_fit(entries, None)
}

/// [`table`] in `lang`.
pub fn table_in(lang: Lang, entries: &[HistoryEntry]) -> String {
    table_fit_in(lang, entries, None)
}

/// The columns in the order they are given up on a narrow terminal: the
/// runbook, mode and start time are in the file name too, which is kept
/// with the title and the state (what `review`, `report` and `resume` need).
const DROP_ORDER: [usize; 6] = [
    COL_RUNBOOK,
    COL_OVER,
    COL_MODE,
    COL_NOTE,
    COL_STARTED,
    COL_DURATION,
];
const COL_STARTED: usize = 0;
const COL_TITLE: usize = 1;
const COL_RUNBOOK: usize = 2;
const COL_MODE: usize = 3;
const COL_DURATION: usize = 5;
const COL_OVER: usize = 6;
const COL_NOTE: usize = 8;
/// The title is cut to no less than this before a column is given up.
const TITLE_MIN: usize = 24;
/// Columns are this far apart.
const GAP: usize = 2;

/// The table for a terminal `width` columns wide (`None`: no limit): the
/// title cut with `…` first, then the less important columns left out, so
/// a line never wraps (down to title, state and file, the least kept).
pub fn table_fit(entries: &[HistoryEntry], width: Option<usize>) -> String {
    table_fit_in(Lang::from_env(), entries, width)
}

/// [`table_fit`] in `lang`.
pub fn table_fit_in(lang: Lang, entries: &[HistoryEntry], width: Option<usize>) -> String {
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
            let title = crate::text::fit(&one_line(&e.title), 40);
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
    let all: Vec<&[String]> = std::iter::once(&header)
        .chain(&rows)
        .map(|r| r.as_slice())
        .collect();
    let Some(width) = width else {
        return aligned(all.iter().copied());
    };
    let natural: Vec<usize> = (0..header.len())
        .map(|c| all.iter().map(|r| r[c].width()).max().unwrap_or(0))
        .collect();
    let mut kept: Vec<usize> = (0..header.len()).collect();
    let total = |kept: &[usize], title: usize| -> usize {
        kept.iter()
            .map(|&c| if c == COL_TITLE { title } else { natural[c] })
            .sum::<usize>()
            + GAP * kept.len().saturating_sub(1)
    };
    let title_floor = natural[COL_TITLE].min(TITLE_MIN);
    for col in DROP_ORDER {
        if total(&kept, title_floor) <= width {
            break;
        }
        kept.retain(|&c| c != col);
    }
    // The title takes the room left, up to its own width.
    let others = total(&kept, 0);
    let title_w = width
        .saturating_sub(others)
        .clamp(title_floor.min(8), natural[COL_TITLE]);
    let cut: Vec<Vec<String>> = all
        .iter()
        .map(|r| {
            kept.iter()
                .map(|&c| {
                    if c == COL_TITLE {
                        crate::text::fit(&r[c], title_w)
                    } else {
                        r[c].clone()
                    }
                })
                .collect()
        })
        .collect();
    aligned(cut.iter().map(|r| r.as_slice()))
}

/// The width `runbook history` fits its table to: `COLUMNS` when it is a
/// number, else the terminal's width when stdout is one, else none (a pipe
/// or a file gets every column, as scripts expect).
pub fn output_width() -> Option<usize> {
    use std::io::IsTerminal;
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
    {
        return Some(n);
    }
    if std::io::stdout().is_terminal() {
        return crossterm::terminal::size()
            .ok()
            .map(|(w, _)| usize::from(w));
    }
    None
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
    // The config file may name the directory: what is wrong with it is said
    // (the list still comes, from the default directory if need be).
    let lang = Lang::from_env();
    for p in crate::config::load().problems {
        crate::text::eprintln!("runbook history: {}", trf(lang, "warning: {}", &[&p]));
    }
    let dir = journal::log_dir(log_dir);
    let now = Utc::now().fixed_offset();
    let entries = match scan(&dir, now) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            crate::text::eprintln!(
                "runbook history: {}",
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
        match serde_json::to_string_pretty(&entries) {
            Ok(s) => crate::text::json_for_terminal(s) + "\n",
            Err(e) => {
                crate::text::eprintln!(
                    "runbook history: {}",
                    trf(lang, "cannot encode the list: {}", &[&e])
                );
                return 2;
            }
        }
    } else if entries.is_empty() {
        trf(lang, "No incidents in {}\n", &[&dir.display()])
    } else {
        table_fit(&entries, output_width())
    };
    let mut out = crate::text::Terminal::new(std::io::stdout().lock(), false);
    let _ = out.write_all(text.as_bytes());
    0
}
