//! The trainer's requests to a running drill: JSON lines appended to
//! `<journal>.control` by `runbook drill hint|inject|pause|resume|end` or by
//! the trainer's `watch`. The drill process reads them (every second) and
//! journals what it does, so it stays the journal's one writer. A control
//! file that another user owns, or that others may write, is ignored and
//! reported; so are requests it does not know.

use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One request of the trainer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Request {
    /// Push the next hint to the trainee.
    Hint,
    /// Inject an `at: trainer` fault (this one, else the first not yet in).
    Inject {
        /// The fault's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fault: Option<String>,
    },
    /// Pause the drill (its clock stands still).
    Pause,
    /// Resume it.
    Resume,
    /// End it now (`ended_by_trainer`).
    End,
}

/// The control file of a drill journal.
pub fn control_path(journal: &Path) -> PathBuf {
    let mut p = journal.as_os_str().to_os_string();
    p.push(".control");
    PathBuf::from(p)
}

/// Appends `req` to the journal's control file (created 0600).
pub fn send(journal: &Path, req: &Request) -> Result<(), String> {
    let path = control_path(journal);
    let mut line = serde_json::to_string(req).map_err(|e| e.to_string())?;
    line.push('\n');
    // Never through a symlink planted in its place, never blocking on a
    // FIFO, and only into a regular file.
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => format!(
                "{} is a symbolic link: not followed; remove it",
                path.display()
            ),
            Some(libc::ENXIO) => format!("{}: not a regular file (FIFO)", path.display()),
            _ => format!("{}: {e}", path.display()),
        })?;
    if !f.metadata().is_ok_and(|m| m.is_file()) {
        return Err(format!("{}: not a regular file", path.display()));
    }
    f.write_all(line.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Most bytes read from the control file per poll.
const MAX_READ: u64 = 64 * 1024;

/// Reads new requests from a control file.
#[derive(Debug)]
pub struct ControlReader {
    path: PathBuf,
    offset: u64,
    partial: Vec<u8>,
    refused: bool,
    lang: crate::i18n::Lang,
}

impl ControlReader {
    /// A reader of the journal's control file, from its start.
    pub fn new(journal: &Path) -> ControlReader {
        ControlReader {
            path: control_path(journal),
            offset: 0,
            partial: Vec::new(),
            refused: false,
            lang: crate::i18n::Lang::En,
        }
    }

    /// Says its problems in `lang` (the drill's language).
    pub fn in_lang(mut self, lang: crate::i18n::Lang) -> ControlReader {
        self.lang = lang;
        self
    }

    /// New requests since the last poll, and problems to report (each once).
    pub fn poll(&mut self) -> (Vec<Request>, Vec<String>) {
        use crate::i18n::{tr, trf};
        let lang = self.lang;
        let mut problems = Vec::new();
        let Ok(meta) = std::fs::symlink_metadata(&self.path) else {
            return (Vec::new(), problems);
        };
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        let stranger = if !meta.file_type().is_file() {
            Some(tr(lang, "it is not a regular file").to_string())
        } else if meta.uid() != me {
            Some(trf(
                lang,
                "it belongs to uid {}, not {}",
                &[&meta.uid(), &me],
            ))
        } else if meta.mode() & 0o022 != 0 {
            Some(trf(
                lang,
                "others may write it (mode {})",
                &[&format!("{:o}", meta.mode() & 0o777)],
            ))
        } else {
            None
        };
        if let Some(why) = stranger {
            if !self.refused {
                self.refused = true;
                problems.push(trf(
                    lang,
                    "the control file {} is ignored: {}",
                    &[&self.path.display(), &why],
                ));
            }
            return (Vec::new(), problems);
        }
        self.refused = false;
        if meta.len() < self.offset {
            // Truncated or replaced: start again.
            self.offset = 0;
            self.partial.clear();
        }
        let mut buf = Vec::new();
        let read = std::fs::File::open(&self.path).and_then(|mut f| {
            f.seek(SeekFrom::Start(self.offset))?;
            f.take(MAX_READ).read_to_end(&mut buf)
        });
        if let Err(e) = read {
            problems.push(trf(lang, "cannot read {}: {}", &[&self.path.display(), &e]));
            return (Vec::new(), problems);
        }
        self.offset += buf.len() as u64;
        self.partial.extend_from_slice(&buf);
        let mut out = Vec::new();
        while let Some(nl) = self.partial.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.partial.drain(..=nl).collect();
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            match serde_json::from_str::<Request>(text) {
                Ok(r) => out.push(r),
                Err(_) => problems.push(trf(
                    lang,
                    "unknown request in {} ignored: {}",
                    &[
                        &self.path.display(),
                        &crate::text::one_line(&text.chars().take(120).collect::<String>()),
                    ],
                )),
            }
        }
        if self.partial.len() > 4096 {
            problems.push(trf(
                lang,
                "a line over 4 KiB in {} ignored",
                &[&self.path.display()],
            ));
            self.partial.clear();
        }
        (out, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn requests_are_read_once_unknown_ones_reported_and_a_writable_file_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("j.jsonl");
        let mut r = ControlReader::new(&journal);
        assert_eq!(r.poll(), (vec![], vec![]));
        send(&journal, &Request::Hint).unwrap();
        send(
            &journal,
            &Request::Inject {
                fault: Some("escalate".into()),
            },
        )
        .unwrap();
        let (reqs, problems) = r.poll();
        assert_eq!(
            reqs,
            vec![
                Request::Hint,
                Request::Inject {
                    fault: Some("escalate".into())
                }
            ]
        );
        assert!(problems.is_empty());
        assert_eq!(r.poll(), (vec![], vec![]), "read once");
        let path = control_path(&journal);
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"action\":\"format_disk\"}\n{\"action\":\"end\"}\n")
            .unwrap();
        let (reqs, problems) = r.poll();
        assert_eq!(reqs, vec![Request::End]);
        assert!(problems[0].contains("unknown request"), "{problems:?}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        send(&journal, &Request::Pause).unwrap();
        let (reqs, problems) = r.poll();
        assert!(reqs.is_empty());
        assert!(problems[0].contains("others may write it"), "{problems:?}");
        assert_eq!(r.poll(), (vec![], vec![]), "reported once");
    }
}
