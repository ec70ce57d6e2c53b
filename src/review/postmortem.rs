//! `runbook review`, key `P`: the reviewer writes or changes the
//! postmortem (severity, impact, root cause, what helped and hurt, action
//! items with owners). It is saved to `<journal>.postmortem.json` beside
//! the journal (see [`crate::report::edits`]), never to the journal, and
//! `runbook report` merges it over the operator's draft.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use super::Review;
use crate::report::edits;
use crate::tui::app::form::{Form, FormOutcome};

/// The reviewer's postmortem editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    /// The form.
    pub form: Form,
    /// The journal, whose edits file it writes.
    pub journal: PathBuf,
}

impl Review {
    /// `P`: opens the form with the postmortem as a report shows it now.
    pub(super) fn open_postmortem(&mut self) {
        let Some(journal) = self.journal_path.clone() else {
            self.notice = Some(
                crate::i18n::tr(
                    self.lang,
                    "the postmortem is written in `runbook review JOURNAL`, once the incident is over",
                )
                .into(),
            );
            return;
        };
        // Fresh from disk: another reviewer may have saved since.
        self.journal.edits = edits::load(&journal);
        if let Err(e) = &self.journal.edits {
            self.notice = Some(crate::i18n::trf(
                self.lang,
                "{}; saving will replace it",
                &[e],
            ));
        }
        let merged = edits::merge(
            &self.journal.incident,
            self.journal.edits.as_ref().ok().and_then(Option::as_ref),
        );
        self.postmortem = Some(Box::new(Editing {
            form: Form::postmortem(&merged),
            journal,
        }));
    }

    /// A key in the form: Ctrl-S (or Enter on an empty line) saves the
    /// edits file; Esc closes without saving.
    pub(super) fn postmortem_key(&mut self, key: KeyEvent) {
        let Some(editing) = self.postmortem.as_mut() else {
            return;
        };
        match editing.form.key(key) {
            FormOutcome::Editing => {}
            FormOutcome::Cancel => {
                self.postmortem = None;
                self.notice = Some(crate::i18n::tr(self.lang, "postmortem not saved").into());
            }
            FormOutcome::Save => {
                let who = format!(
                    "{}@{}",
                    crate::session::user_name(),
                    crate::session::host_name()
                );
                let e = editing.form.edits(who, crate::engine::now());
                match edits::save(&editing.journal, &e) {
                    Ok(path) => {
                        self.notice = Some(crate::i18n::trf(
                            self.lang,
                            "postmortem saved to {} (the journal is untouched); runbook report shows it",
                            &[&path.display()],
                        ));
                        self.journal.edits = Ok(Some(e));
                        self.postmortem = None;
                    }
                    Err(why) => editing.form.error = Some(why),
                }
            }
        }
    }

    /// A paste into the form's focused text field.
    pub(super) fn postmortem_paste(&mut self, text: &str) {
        if let Some(editing) = self.postmortem.as_mut() {
            match editing.form.focused_editor() {
                Some(e) => {
                    e.insert(text);
                }
                None => {
                    self.notice = Some(
                        crate::i18n::tr(self.lang, "paste ignored: Tab to a text field").into(),
                    )
                }
            }
        }
    }
}
