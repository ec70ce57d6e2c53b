//! `runbook list`: a table of the runbooks found.

use std::io::Write;
use std::process::ExitCode;

use crate::runbook::catalog;
use crate::text::{Terminal, one_line};
use unicode_width::UnicodeWidthStr;

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
}

/// Prints id, title, steps, source; broken files show their first error.
pub fn run() -> ExitCode {
    let entries = catalog::list();
    let rows: Vec<[String; 4]> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let title = match &e.error {
                Some(err) => format!("(invalid) {}", err.lines().next().unwrap_or("")),
                None => e.title.clone(),
            };
            // Lookup order: the first valid runbook with an id is the one
            // `start ID` runs; later ones with that id are not used.
            let winner = if e.error.is_none() {
                entries[..i]
                    .iter()
                    .find(|w| w.error.is_none() && w.id == e.id)
            } else {
                None
            };
            let source = match winner {
                Some(w) => format!("{} (not used: {} comes first)", e.source, w.source),
                None => e.source.clone(),
            };
            // Titles, ids, file names and error messages come from runbook
            // files: shown on one line, never with their escapes.
            [&e.id, &title, &e.steps.to_string(), &source].map(|c| one_line(c).into_owned())
        })
        .collect();
    let header = ["ID", "TITLE", "STEPS", "SOURCE"].map(String::from);
    let mut widths = [0usize; 4];
    for r in std::iter::once(&header).chain(&rows) {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.width());
        }
    }
    let mut out = Terminal::new(std::io::stdout().lock(), false);
    for r in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{}  {}  {}  {}",
            pad(&r[0], widths[0]),
            pad(&r[1], widths[1]),
            pad(&r[2], widths[2]),
            r[3]
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    ExitCode::SUCCESS
}
