//! `runbook report JOURNAL [--format markdown|html] [-o FILE]`.

use std::io::Write;
use std::path::Path;

use super::{LoadedJournal, render};
use crate::i18n::{Lang, trf};

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportFormat {
    /// Markdown, for pasting into a postmortem.
    #[default]
    Markdown,
    /// One self-contained HTML file with a timeline chart.
    Html,
}

/// Runs `runbook report`; returns the exit code (0 ok, 2 bad input or output).
/// Journal problems (a torn tail, damaged lines) are stated in the report
/// and repeated on stderr, but still give a report and exit 0.
pub fn cli_run(journal: &Path, format: ReportFormat, output: Option<&Path>) -> i32 {
    let lang = Lang::from_env();
    let loaded = match LoadedJournal::load(journal) {
        Ok(l) => l,
        Err(e) => {
            crate::text::eprintln!("runbook report: {}", e.message(lang));
            return 2;
        }
    };
    // The problems are in the incident's language, as in the report.
    for p in loaded.problems() {
        crate::text::eprintln!(
            "runbook report: {}",
            trf(lang, "warning: {}: {}", &[&journal.display(), &p])
        );
    }
    // Titles, notes, names and output come from the journal: a Markdown
    // report is read on a terminal (stdout, or `cat` of the file), and HTML
    // has no use for control characters either.
    let text = crate::text::into_terminal(render(&loaded, format));
    match output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                crate::text::eprintln!(
                    "runbook report: {}",
                    trf(
                        lang,
                        "cannot write {}: {}; choose another file with -o",
                        &[&path.display(), &e]
                    )
                );
                return 2;
            }
            0
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => 0,
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
                Err(e) => {
                    crate::text::eprintln!(
                        "runbook report: {}",
                        trf(lang, "cannot write the report: {}", &[&e])
                    );
                    2
                }
            }
        }
    }
}
