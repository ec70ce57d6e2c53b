//! `runbook review`, key `P`: the reviewer writes or changes the
//! postmortem (severity, impact, root cause, what helped and hurt, action
//! items with owners). It is saved to `<journal>.postmortem.json` beside
//! the journal (see [`crate::report::edits`]), never to the journal, and
//! `runbook report` merges it over the operator's draft.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use super::Review;
use crate::report::edits::{self, Edits};
use crate::tui::app::form::{Form, FormOutcome};

/// The reviewer's postmortem editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    /// The form.
    pub form: Form,
    /// The journal, whose edits file it writes.
    pub journal: PathBuf,
}

/// File work the postmortem waits for: reading the edits file before the
/// form opens, writing it on Ctrl-S. The terminal loop does it off the
/// screen's thread ([`Review::take_file_work`], [`FileWork::run`],
/// [`Review::file_done`]), so a sick disk slows the save, never the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileWork {
    /// Read the edits beside this journal, then open the form (a problem
    /// is said in this language).
    Load(PathBuf, crate::i18n::Lang),
    /// Write these edits beside this journal (a problem is said in this
    /// language).
    Save(PathBuf, Edits, crate::i18n::Lang),
}

/// What became of a [`FileWork`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileDone {
    /// The edits file as read (journal, edits or why not).
    Loaded(PathBuf, Result<Option<Edits>, String>),
    /// The edits written (their file or why not) and the edits themselves.
    Saved(Result<PathBuf, String>, Edits),
}

impl FileWork {
    /// Does the work (blocking: call it off the screen's thread).
    pub fn run(self) -> FileDone {
        match self {
            FileWork::Load(journal, lang) => {
                let e = edits::load(&journal, lang);
                FileDone::Loaded(journal, e)
            }
            FileWork::Save(journal, e, lang) => FileDone::Saved(edits::save(&journal, &e, lang), e),
        }
    }
}

/// File work asked for, and whether the terminal loop has taken it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileIo {
    /// The work.
    pub work: FileWork,
    /// The loop took it (it is running on a thread).
    pub taken: bool,
}

impl Review {
    /// `P`: opens the form with the postmortem as a report shows it now,
    /// once the edits file is read (off the screen's thread).
    pub(super) fn open_postmortem(&mut self) {
        if self.file_io.is_some() {
            return;
        }
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
        self.file_io = Some(FileIo {
            work: FileWork::Load(journal, self.lang),
            taken: false,
        });
    }

    /// The file work to start now, if any (each is handed out once).
    pub fn take_file_work(&mut self) -> Option<FileWork> {
        let io = self.file_io.as_mut().filter(|io| !io.taken)?;
        io.taken = true;
        Some(io.work.clone())
    }

    /// The file work is done: open the form, or close it saved, or say why not.
    pub fn file_done(&mut self, done: FileDone) {
        self.file_io = None;
        match done {
            FileDone::Loaded(journal, loaded) => {
                if let Err(e) = &loaded {
                    self.notice = Some(crate::i18n::trf(
                        self.lang,
                        "{}; saving will replace it",
                        &[e],
                    ));
                }
                self.journal.edits = loaded;
                let merged = edits::merge(
                    &self.journal.incident,
                    self.journal.edits.as_ref().ok().and_then(Option::as_ref),
                );
                self.postmortem = Some(Box::new(Editing {
                    form: Form::postmortem(&merged),
                    journal,
                }));
            }
            FileDone::Saved(Ok(path), e) => {
                self.notice = Some(crate::i18n::trf(
                    self.lang,
                    "postmortem saved to {} (the journal is untouched); runbook report shows it",
                    &[&path.display()],
                ));
                self.journal.edits = Ok(Some(e));
                self.postmortem = None;
            }
            FileDone::Saved(Err(why), _) => {
                if let Some(editing) = self.postmortem.as_mut() {
                    editing.form.error = Some(why);
                }
            }
        }
    }

    /// Does the pending file work here and now, blocking (for headless use
    /// and tests; the terminal loop runs it on a thread instead).
    pub fn run_file_work_here(&mut self) {
        while let Some(w) = self.take_file_work() {
            self.file_done(w.run());
        }
    }

    /// What the footer says while file work runs.
    pub fn file_work_text(&self) -> Option<&'static str> {
        let lang = self.lang;
        self.file_io.as_ref().map(|io| match io.work {
            FileWork::Load(..) => crate::i18n::tr(lang, " reading the postmortem…"),
            FileWork::Save(..) => crate::i18n::tr(
                lang,
                " saving the postmortem… (keys wait until the disk answers)",
            ),
        })
    }

    /// A key in the form: Ctrl-S (or Enter on an empty line) saves the
    /// edits file; Esc closes without saving. While a save runs, the form
    /// holds still (what is on screen is what is being written).
    pub(super) fn postmortem_key(&mut self, key: KeyEvent) {
        if self.file_io.is_some() {
            return;
        }
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
                editing.form.error = None;
                self.file_io = Some(FileIo {
                    work: FileWork::Save(editing.journal.clone(), e, self.lang),
                    taken: false,
                });
            }
        }
    }

    /// A paste into the form's focused text field.
    pub(super) fn postmortem_paste(&mut self, text: &str) {
        if self.file_io.is_some() {
            return;
        }
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
