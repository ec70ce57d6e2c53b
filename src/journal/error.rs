//! What can go wrong with a journal, each saying which file and what to do.

use std::io;
use std::path::PathBuf;

use crate::i18n::{Lang, tr, trf};

/// A journal could not be created, written or read.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The journal directory could not be created.
    #[error(
        "cannot create the journal directory {}: {source}; choose another with --log-dir or RUNBOOK_LOG_DIR",
        dir.display()
    )]
    CreateDir {
        /// The directory.
        dir: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The journal file could not be created or opened.
    #[error("cannot open the journal {}: {source}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// An append did not reach the disk; the records are held in memory.
    #[error(
        "cannot write to the journal {}: {source}; {pending} event(s) held in memory and retried — free disk space or fix the directory",
        path.display()
    )]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
        /// Records not yet on disk.
        pending: usize,
    },
    /// A record could not be encoded as JSON.
    #[error("cannot encode a record for the journal {}: {source}", path.display())]
    Encode {
        /// The file.
        path: PathBuf,
        /// The encoder's error.
        source: serde_json::Error,
    },
    /// The journal could not be read.
    #[error("cannot read the journal {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The path is not a regular file, or too large to be a journal.
    #[error("cannot read the journal {}: {reason}", path.display())]
    Refused {
        /// The file.
        path: PathBuf,
        /// Why it was not read.
        reason: crate::input_file::InputError,
    },
    /// The file is not a runbook journal (or holds no complete record).
    #[error("{} is not a runbook journal: {detail}", path.display())]
    NotAJournal {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        detail: NotJournal,
    },
    /// The journal was written by a newer program.
    #[error(
        "{}: journal schema {schema} is newer than this program (reads {}): upgrade runbook",
        path.display(),
        crate::incident::JOURNAL_SCHEMA
    )]
    SchemaTooNew {
        /// The file.
        path: PathBuf,
        /// Its schema.
        schema: u64,
    },
}

/// Why a file is not a runbook journal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotJournal {
    /// No bytes at all.
    #[error("the file is empty")]
    Empty,
    /// Lines, but none a whole record.
    #[error("it holds no complete record")]
    NoCompleteRecord,
    /// The first record is of this type, not `incident_opened`.
    #[error("the first record is `{0}`, not `incident_opened`")]
    FirstRecord(String),
}

impl NotJournal {
    /// The reason in `lang` (the English is the Display).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            NotJournal::Empty => tr(lang, "the file is empty").to_string(),
            NotJournal::NoCompleteRecord => tr(lang, "it holds no complete record").to_string(),
            NotJournal::FirstRecord(ty) => trf(
                lang,
                "the first record is `{}`, not `incident_opened`",
                &[ty],
            ),
        }
    }
}

impl JournalError {
    /// The message in `lang` (the English is the Display): the program's
    /// words translated; paths, OS errors and values as they are.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            JournalError::CreateDir { dir, source } => trf(
                lang,
                "cannot create the journal directory {}: {}; choose another with --log-dir or RUNBOOK_LOG_DIR",
                &[&dir.display(), source],
            ),
            JournalError::Open { path, source } => trf(
                lang,
                "cannot open the journal {}: {}",
                &[&path.display(), source],
            ),
            JournalError::Write {
                path,
                source,
                pending,
            } => trf(
                lang,
                "cannot write to the journal {}: {}; {} event(s) held in memory and retried — free disk space or fix the directory",
                &[&path.display(), source, pending],
            ),
            JournalError::Encode { path, source } => trf(
                lang,
                "cannot encode a record for the journal {}: {}",
                &[&path.display(), source],
            ),
            JournalError::Read { path, source } => trf(
                lang,
                "cannot read the journal {}: {}",
                &[&path.display(), source],
            ),
            JournalError::Refused { path, reason } => trf(
                lang,
                "cannot read the journal {}: {}",
                &[&path.display(), &reason.message(lang)],
            ),
            JournalError::NotAJournal { path, detail } => trf(
                lang,
                "{} is not a runbook journal: {}",
                &[&path.display(), &detail.message(lang)],
            ),
            JournalError::SchemaTooNew { path, schema } => trf(
                lang,
                "{}: journal schema {} is newer than this program (reads {}): upgrade runbook",
                &[&path.display(), schema, &crate::incident::JOURNAL_SCHEMA],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<JournalError> {
        let p = || PathBuf::from("/x/a.jsonl");
        let os = || io::Error::from_raw_os_error(libc::ENOSPC);
        let mut out = vec![
            JournalError::CreateDir {
                dir: PathBuf::from("/x"),
                source: os(),
            },
            JournalError::Open {
                path: p(),
                source: os(),
            },
            JournalError::Write {
                path: p(),
                source: os(),
                pending: 3,
            },
            JournalError::Read {
                path: p(),
                source: os(),
            },
            JournalError::Refused {
                path: p(),
                reason: crate::input_file::InputError::NotRegular("FIFO"),
            },
            JournalError::SchemaTooNew {
                path: p(),
                schema: 9,
            },
        ];
        for detail in [
            NotJournal::Empty,
            NotJournal::NoCompleteRecord,
            NotJournal::FirstRecord("note_added".into()),
        ] {
            out.push(JournalError::NotAJournal { path: p(), detail });
        }
        if let Err(source) = serde_json::from_str::<u8>("x") {
            out.push(JournalError::Encode { path: p(), source });
        }
        out
    }

    /// The English message is the Display, and the Chinese keeps the values.
    #[test]
    fn the_english_message_is_the_display_and_the_chinese_keeps_the_values() {
        for e in all() {
            assert_eq!(e.message(Lang::En), e.to_string());
            let zh = e.message(Lang::Zh);
            assert_ne!(zh, e.to_string(), "{e}");
            assert!(zh.contains("/x"), "{zh}");
        }
    }
}
