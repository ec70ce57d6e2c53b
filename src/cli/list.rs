//! `runbook list`: a table of the runbooks found.

use std::io::Write;
use std::process::ExitCode;

use crate::i18n::{Lang, tr, trf};
use crate::runbook::catalog;
use crate::text::{Terminal, one_line};
use unicode_width::UnicodeWidthStr;

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
}

/// Prints id, title, steps, source; broken files show their first error.
pub fn run() -> ExitCode {
    let lang = Lang::from_env();
    let entries = catalog::list();
    let keys: Vec<(&str, &str, bool)> = entries
        .iter()
        .map(|e| (e.id.as_str(), e.source.as_str(), e.error.is_none()))
        .collect();
    let rows: Vec<[String; 4]> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let title = match &e.error {
                Some(err) => invalid(lang, err),
                None => e.title.clone(),
            };
            let source = source_cell(&keys, i, lang);
            // Titles, ids, file names and error messages come from runbook
            // files: shown on one line, never with their escapes.
            [&e.id, &title, &e.steps.to_string(), &source].map(|c| one_line(c).into_owned())
        })
        .collect();
    print_table(
        &[
            "ID",
            tr(lang, "TITLE"),
            tr(lang, "STEPS"),
            tr(lang, "SOURCE"),
        ],
        &rows,
    );
    ExitCode::SUCCESS
}

/// Prints columns padded to their widest cell (the last one unpadded);
/// cells must already be one line and free of escapes.
pub(crate) fn print_table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) {
    let header = header.map(String::from);
    let mut widths = [0usize; N];
    for r in std::iter::once(&header).chain(rows) {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.width());
        }
    }
    let mut out = Terminal::new(std::io::stdout().lock(), false);
    for r in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i + 1 < N {
                line.push_str(&pad(c, widths[i]));
                line.push_str("  ");
            } else {
                line.push_str(c);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The title cell of a file that does not load: its first error (English,
/// as the validator wrote it).
pub(crate) fn invalid(lang: Lang, err: &str) -> String {
    trf(lang, "(invalid) {}", &[&err.lines().next().unwrap_or("")])
}

/// The source column of entry `i` of (id, source, valid) in lookup order:
/// the first valid entry with an id is the one an id runs; a later one says
/// it is not used.
pub(crate) fn source_cell(entries: &[(&str, &str, bool)], i: usize, lang: Lang) -> String {
    let (id, source, valid) = entries[i];
    let winner = entries[..i]
        .iter()
        .find(|(wid, _, wvalid)| valid && *wvalid && *wid == id);
    match winner {
        Some((_, w, _)) => trf(lang, "{} (not used: {} comes first)", &[&source, w]),
        None => source.to_string(),
    }
}
