//! The terminal loop of `runbook review`: read-only, restores the terminal
//! on exit and on panic (ratatui's init installs the panic hook).

use std::path::Path;

use crossterm::event::{self, Event};

use super::{Review, draw::draw};
use crate::report::LoadedJournal;

/// Runs `runbook review JOURNAL`; returns the exit code (0 ok, 2 bad input,
/// 1 terminal failure). The journal is read once and never opened for writing.
pub fn cli_run(journal: &Path) -> i32 {
    let loaded = match LoadedJournal::load(journal) {
        Ok(l) => l,
        Err(e) => {
            crate::text::eprintln!("runbook review: {e}");
            return 2;
        }
    };
    for p in loaded.problems() {
        crate::text::eprintln!("runbook review: warning: {}: {p}", journal.display());
    }
    let mut review = Review::new(loaded);
    let mut terminal = ratatui::init();
    let result = (|| -> std::io::Result<()> {
        while !review.quit {
            terminal.draw(|f| draw(f, &review))?;
            if let Event::Key(key) = event::read()?
                && let Some(action) = review.key(key)
            {
                review.update(action);
            }
        }
        Ok(())
    })();
    ratatui::restore();
    match result {
        Ok(()) => 0,
        Err(e) => {
            crate::text::eprintln!("runbook review: terminal error: {e}");
            1
        }
    }
}
