//! Opening a file named from outside (a runbook, a journal) safely: regular
//! files only, never blocking on a FIFO, and never reading more than a cap.
//!
//! `/dev/zero` as a runbook must not eat the memory, a FIFO must not hang the
//! program, and the message must say which file and why.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Why a file named from outside was not read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be looked at or opened.
    #[error("cannot read the file: {0}")]
    Open(io::Error),
    /// A FIFO, device, socket or directory.
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    /// Larger than the cap.
    #[error("larger than {}", crate::text::human_bytes(*limit))]
    TooLarge {
        /// The cap, bytes.
        limit: u64,
    },
    /// Reading failed part-way.
    #[error("cannot read the file: {0}")]
    Read(io::Error),
}

impl InputError {
    /// The reason in `lang` (the English is the Display); OS errors as they are.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::{tr, trf};
        match self {
            InputError::Open(e) | InputError::Read(e) => {
                trf(lang, "cannot read the file: {}", &[e])
            }
            InputError::NotRegular(kind) => {
                trf(lang, "not a regular file ({})", &[&tr(lang, kind)])
            }
            InputError::TooLarge { limit } => {
                trf(lang, "larger than {}", &[&crate::text::human_bytes(*limit)])
            }
        }
    }
}

/// What is not a regular file, as [`InputError::NotRegular`] names it.
const KINDS: [&str; 6] = [
    "a directory",
    "FIFO",
    "character device",
    "block device",
    "socket",
    "special file",
];

/// Opens `path` for reading if it is a regular file no larger than `limit`.
///
/// The type is checked before opening (so a FIFO is never opened), the open
/// is non-blocking (in case the path was swapped for a FIFO in between), and
/// the type and size are checked again on the opened file.
pub fn open(path: &Path, limit: u64) -> Result<File, InputError> {
    let meta = std::fs::metadata(path).map_err(InputError::Open)?;
    check(&meta, limit)?;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(InputError::Open)?;
    let meta = file.metadata().map_err(InputError::Open)?;
    check(&meta, limit)?;
    Ok(file)
}

/// Reads the whole of `path` (see [`open`]); a file that grows past `limit`
/// while it is read is refused too.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let file = open(path, limit)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(InputError::Read)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge { limit });
    }
    Ok(bytes)
}

fn check(meta: &Metadata, limit: u64) -> Result<(), InputError> {
    let ft = meta.file_type();
    let kind = if ft.is_file() {
        None
    } else if ft.is_dir() {
        Some(KINDS[0])
    } else if ft.is_fifo() {
        Some(KINDS[1])
    } else if ft.is_char_device() {
        Some(KINDS[2])
    } else if ft.is_block_device() {
        Some(KINDS[3])
    } else if ft.is_socket() {
        Some(KINDS[4])
    } else {
        Some(KINDS[5])
    };
    if let Some(kind) = kind {
        return Err(InputError::NotRegular(kind));
    }
    if meta.len() > limit {
        return Err(InputError::TooLarge { limit });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_fifos_are_refused_without_blocking() {
        let e = read(Path::new("/dev/zero"), 1024).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (character device)");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read(&fifo, 1024).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (FIFO)");
        let e = read(dir.path(), 1024).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (a directory)");
    }

    #[test]
    fn each_refusal_has_its_chinese() {
        use crate::i18n::Lang;
        for kind in KINDS {
            assert!(crate::i18n::zh(kind).is_some(), "{kind:?} has no Chinese");
            let e = InputError::NotRegular(kind);
            assert_eq!(e.message(Lang::En), e.to_string());
            assert!(e.message(Lang::Zh).starts_with("不是普通文件"), "{e}");
        }
        let e = InputError::TooLarge { limit: 1024 };
        assert_eq!(e.message(Lang::En), e.to_string());
        assert_eq!(e.message(Lang::Zh), "大于 1 KiB");
    }

    #[test]
    fn a_file_over_the_cap_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'x'; 2048]).unwrap();
        let e = read(&p, 1024).unwrap_err();
        assert_eq!(e.to_string(), "larger than 1 KiB");
        assert_eq!(read(&p, 2048).unwrap().len(), 2048);
    }
}
