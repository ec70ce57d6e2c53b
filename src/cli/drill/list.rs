//! `runbook drill list`: a table of the scenarios found.

use crate::cli::list::{invalid, print_table, source_cell};
use crate::drill::catalog;
use crate::i18n::{Lang, tr};
use crate::text::one_line;

/// Prints id, title, difficulty, nodes, source; broken files show their first error.
pub fn run() -> i32 {
    let lang = Lang::from_env();
    let entries = catalog::list();
    let keys: Vec<(&str, &str, bool)> = entries
        .iter()
        .map(|e| (e.id.as_str(), e.source.as_str(), e.error.is_none()))
        .collect();
    let rows: Vec<[String; 5]> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (title, difficulty, nodes) = match &e.error {
                Some(err) => (invalid(lang, err), String::new(), String::new()),
                None => (
                    e.title.clone(),
                    e.difficulty
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "-".into()),
                    e.nodes.to_string(),
                ),
            };
            // Ids, titles, paths and errors come from scenario files: one
            // line each, never with their escapes.
            [
                &e.id,
                &title,
                &difficulty,
                &nodes,
                &source_cell(&keys, i, lang),
            ]
            .map(|c| one_line(c).into_owned())
        })
        .collect();
    print_table(
        &[
            "ID",
            tr(lang, "TITLE"),
            tr(lang, "DIFFICULTY"),
            tr(lang, "NODES"),
            tr(lang, "SOURCE"),
        ],
        &rows,
    );
    0
}
