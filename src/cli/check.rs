//! `runbook check FILE...`: validate, print every diagnostic, exit 1 if any file is invalid.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::runbook::load::load_file;

/// Checks each file; exit 0 when all are valid, 1 otherwise.
pub fn run(files: &[PathBuf]) -> ExitCode {
    let mut failed = 0usize;
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    for f in files {
        match load_file(f) {
            Ok(l) => {
                let _ = writeln!(
                    out,
                    "ok: {} ({}, {} step{})",
                    f.display(),
                    l.runbook.id,
                    l.runbook.steps.len(),
                    if l.runbook.steps.len() == 1 { "" } else { "s" }
                );
            }
            Err(e) => {
                failed += 1;
                let _ = writeln!(err, "{e}");
            }
        }
    }
    if failed > 0 {
        let _ = writeln!(err, "{failed} of {} runbook file(s) invalid", files.len());
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
