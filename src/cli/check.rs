//! `runbook check FILE...`: validate, print every diagnostic, exit 1 if any file is invalid.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::i18n::{Lang, trf};
use crate::runbook::load::load_file;
use crate::text::Terminal;

/// Checks each file; exit 0 when all are valid, 1 otherwise.
pub fn run(files: &[PathBuf]) -> ExitCode {
    let lang = Lang::from_env();
    let mut failed = 0usize;
    // Errors quote the runbook's text and paths: sanitised on the way out.
    let mut out = Terminal::new(std::io::stdout().lock(), false);
    let mut err = Terminal::new(std::io::stderr().lock(), false);
    for f in files {
        match load_file(f) {
            Ok(l) => {
                let steps = l.runbook.steps.len();
                let line = if steps == 1 {
                    trf(lang, "ok: {} ({}, 1 step)", &[&f.display(), &l.runbook.id])
                } else {
                    trf(
                        lang,
                        "ok: {} ({}, {} steps)",
                        &[&f.display(), &l.runbook.id, &steps],
                    )
                };
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
                "{} of {} runbook file(s) invalid",
                &[&failed, &files.len()]
            )
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
