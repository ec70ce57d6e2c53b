//! What can go wrong with a journal, each saying which file and what to do.

use std::io;
use std::path::PathBuf;

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
        detail: String,
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
