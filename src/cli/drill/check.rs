//! `runbook drill check FILE...`: validate scenarios (and the runbook each
//! names), print every diagnostic, exit 1 if any file is invalid.

use std::io::Write;
use std::path::PathBuf;

use crate::drill::scenario::load_file;
use crate::text::Terminal;

/// Checks each file; 0 when all are valid, 1 otherwise.
pub fn run(files: &[PathBuf]) -> i32 {
    let mut failed = 0usize;
    // Messages quote the scenario's text and paths: sanitised on the way out.
    let mut out = Terminal::new(std::io::stdout().lock(), false);
    let mut err = Terminal::new(std::io::stderr().lock(), false);
    for f in files {
        match load_file(f) {
            Ok(l) => {
                let s = &l.scenario;
                let faults = s.faults.len();
                let _ = writeln!(
                    out,
                    "ok: {} ({}, {} fault{}, {} node{}, runbook {})",
                    f.display(),
                    s.id,
                    faults,
                    if faults == 1 { "" } else { "s" },
                    s.broker.nodes,
                    if s.broker.nodes == 1 { "" } else { "s" },
                    l.runbook.runbook.id
                );
            }
            Err(e) => {
                failed += 1;
                let _ = writeln!(err, "{e}");
            }
        }
    }
    if failed > 0 {
        let _ = writeln!(err, "{failed} of {} scenario file(s) invalid", files.len());
        1
    } else {
        0
    }
}
