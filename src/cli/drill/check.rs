//! `runbook drill check FILE...`: validate scenarios (and the runbook each
//! names), print every diagnostic, exit 1 if any file is invalid.

use std::io::Write;
use std::path::PathBuf;

use crate::drill::scenario::load_file;
use crate::i18n::{Lang, tr, trf};
use crate::text::Terminal;

/// Checks each file; 0 when all are valid, 1 otherwise.
pub fn run(files: &[PathBuf]) -> i32 {
    let lang = Lang::from_env();
    let mut failed = 0usize;
    // Messages quote the scenario's text and paths: sanitised on the way out.
    let mut out = Terminal::new(std::io::stdout().lock(), false);
    let mut err = Terminal::new(std::io::stderr().lock(), false);
    for f in files {
        match load_file(f) {
            Ok(l) => {
                let s = &l.scenario;
                let faults = s.faults.len();
                let faults = if faults == 1 {
                    tr(lang, "1 fault").to_string()
                } else {
                    trf(lang, "{} faults", &[&faults])
                };
                let nodes = if s.broker.nodes == 1 {
                    tr(lang, "1 node").to_string()
                } else {
                    trf(lang, "{} nodes", &[&s.broker.nodes])
                };
                let line = trf(
                    lang,
                    "ok: {} ({}, {}, {}, runbook {})",
                    &[&f.display(), &s.id, &faults, &nodes, &l.runbook.runbook.id],
                );
                let _ = writeln!(out, "{line}");
            }
            Err(e) => {
                // The validator's file:line:column: messages stay English.
                failed += 1;
                let _ = writeln!(err, "{e}");
            }
        }
    }
    if failed > 0 {
        let _ = writeln!(
            err,
            "{}",
            trf(
                lang,
                "{} of {} scenario file(s) invalid",
                &[&failed, &files.len()]
            )
        );
        1
    } else {
        0
    }
}
