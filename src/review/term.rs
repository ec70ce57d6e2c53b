//! The terminal loop of `runbook review`: read-only, restores the terminal
//! on exit and on panic (the live screen's terminal set-up, without the mouse).

use std::path::Path;

use crossterm::event::{self, Event};

use super::{Action, Review, draw::draw};
use crate::i18n::{Lang, trf};
use crate::report::LoadedJournal;

/// Runs `runbook review JOURNAL`; returns the exit code (0 ok, 2 bad input
/// or no terminal, 1 terminal failure). The journal is read once and never opened for writing.
pub fn cli_run(journal: &Path) -> i32 {
    let lang = Lang::from_env();
    let loaded = match LoadedJournal::load(journal) {
        Ok(l) => l,
        Err(e) => {
            crate::text::eprintln!("runbook review: {}", e.message(lang));
            return 2;
        }
    };
    for p in loaded.problems() {
        crate::text::eprintln!(
            "runbook review: {}",
            trf(lang, "warning: {}: {}", &[&journal.display(), &p])
        );
    }
    // After the journal: a bad journal is the more useful thing to hear.
    if let Err(code) = crate::cli::start::require_tty(
        "review",
        &trf(
            lang,
            "To read the incident without one use: {}",
            &[&crate::invocation::runbook("report JOURNAL")],
        ),
    ) {
        return code;
    }
    let mut review = Review::new(loaded);
    review.no_color = crate::tui::theme::no_color();
    review.journal_path = Some(journal.to_path_buf());
    let mut terminal = match crate::tui::terminal::enter_without_mouse() {
        Ok(t) => t,
        Err(e) => {
            crate::text::eprintln!(
                "runbook review: {}",
                trf(lang, "cannot use the terminal: {}", &[&e])
            );
            return 1;
        }
    };
    let result = (|| -> std::io::Result<()> {
        while !review.quit {
            terminal.draw(|f| draw(f, &review))?;
            let action = match event::read()? {
                Event::Key(key) => review.key(key),
                Event::Paste(text) => Some(Action::Paste(text)),
                _ => None,
            };
            if let Some(action) = action {
                // Review has no trainer's seat: nothing is ever sent.
                let _ = review.update(action);
            }
        }
        Ok(())
    })();
    crate::tui::terminal::restore();
    match result {
        Ok(()) => 0,
        Err(e) => {
            crate::text::eprintln!("runbook review: {}", trf(lang, "terminal error: {}", &[&e]));
            1
        }
    }
}
