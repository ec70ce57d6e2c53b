//! The terminal loop of `runbook review`: read-only, restores the terminal
//! on exit and on panic (the live screen's terminal set-up, without the mouse).

use std::path::Path;

use std::time::Duration;

use crossterm::event::{self, Event};

use super::postmortem::{FileDone, FileWork};
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
    // The postmortem's file work runs on a thread of its own; the loop
    // waits for keys and for its answer, never for the disk.
    let (done_tx, done_rx) = std::sync::mpsc::channel::<FileDone>();
    let mut worker: Option<std::thread::JoinHandle<()>> = None;
    let result = (|| -> std::io::Result<()> {
        while !review.quit {
            if let Some(work) = review.take_file_work() {
                let tx = done_tx.clone();
                worker = Some(std::thread::spawn(move || {
                    let _ = tx.send(work.run());
                }));
            }
            while let Ok(done) = done_rx.try_recv() {
                review.file_done(done);
            }
            terminal.draw(|f| draw(f, &review))?;
            let wait = if review.file_io.is_some() {
                Duration::from_millis(50)
            } else {
                Duration::from_secs(3600)
            };
            if !event::poll(wait)? {
                continue;
            }
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
    // Quit during a save: the terminal is back; the save is finished, not
    // abandoned half-way (its outcome is said).
    if matches!(
        review.file_io.as_ref().map(|io| &io.work),
        Some(FileWork::Save(..))
    ) {
        let lang = crate::i18n::Lang::from_env();
        crate::text::eprintln!(
            "runbook review: {}",
            crate::i18n::tr(lang, "saving the postmortem (the disk is slow)…")
        );
        if let Some(w) = worker.take() {
            let _ = w.join();
        }
        match done_rx.try_recv() {
            Ok(FileDone::Saved(Ok(path), _)) => crate::text::eprintln!(
                "runbook review: {}",
                crate::i18n::trf(lang, "postmortem saved to {}", &[&path.display()])
            ),
            Ok(FileDone::Saved(Err(why), _)) => crate::text::eprintln!(
                "runbook review: {}",
                crate::i18n::trf(lang, "the postmortem was not saved: {}", &[&why])
            ),
            _ => {}
        }
    }
    match result {
        Ok(()) => 0,
        Err(e) => {
            crate::text::eprintln!("runbook review: {}", trf(lang, "terminal error: {}", &[&e]));
            1
        }
    }
}
