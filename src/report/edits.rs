//! The reviewer's edits of a postmortem: `<journal>.postmortem.json`,
//! beside the journal, written by `runbook review` (key `P`) and never the
//! journal itself (the journal is what happened; this is what was
//! understood after). A report merges both: a field the reviewer set wins
//! over the operator's draft.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::incident::{ActionItem, Incident, Postmortem};

/// Largest edits file read.
const MAX_BYTES: u64 = 1024 * 1024;

/// What the reviewer changed; `None` leaves the journal's value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edits {
    /// Format version (1).
    #[serde(default = "one")]
    pub schema: u32,
    /// `SEV1` … `SEV4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Who or what was affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<String>,
    /// Why it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<String>,
    /// What helped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helped: Option<String>,
    /// What hurt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hurt: Option<String>,
    /// The action items (the whole list, as the reviewer left it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<ActionItem>>,
    /// Who edited last (`user@host`).
    #[serde(default)]
    pub edited_by: String,
    /// When (RFC 3339).
    #[serde(default)]
    pub edited_at: String,
}

fn one() -> u32 {
    1
}

/// The postmortem as a report shows it: the operator's draft with the
/// reviewer's edits over it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Merged {
    /// `SEV1` … `SEV4`, or empty.
    pub severity: String,
    /// Impact, or empty.
    pub impact: String,
    /// Root cause, helped, hurt, action items.
    pub postmortem: Postmortem,
    /// Who edited it after the incident, and when, if anyone did.
    pub edited: Option<(String, String)>,
}

/// `<journal>.postmortem.json`.
pub fn path_for(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".postmortem.json");
    PathBuf::from(name)
}

/// Reads the edits beside `journal`: `Ok(None)` when there are none, `Err`
/// (naming the file, in `lang`) when the file is there and cannot be used.
pub fn load(journal: &Path, lang: crate::i18n::Lang) -> Result<Option<Edits>, String> {
    let path = path_for(journal);
    let shown = path.display();
    let bytes = match crate::input_file::read(&path, MAX_BYTES) {
        Ok(b) => b,
        Err(crate::input_file::InputError::Open(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(None);
        }
        Err(e) => return Err(format!("{shown}: {}", e.message(lang))),
    };
    serde_json::from_slice::<Edits>(&bytes)
        .map(Some)
        .map_err(|e| format!("{shown}: {}", crate::text::one_line(&e.to_string())))
}

/// Writes `edits` beside `journal`: to a temporary file, synced, then
/// renamed over the old one, so a crash leaves the old edits or the new,
/// never half of them.
pub fn save(journal: &Path, edits: &Edits, lang: crate::i18n::Lang) -> Result<PathBuf, String> {
    let path = path_for(journal);
    let mut tmp = path.clone().into_os_string();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let text = serde_json::to_vec_pretty(edits).map_err(|e| e.to_string())?;
    let write = || -> std::io::Result<()> {
        use std::os::unix::fs::OpenOptionsExt;
        // Never through a symlink planted where the temporary file goes.
        let _ = std::fs::remove_file(&tmp);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)?;
        f.write_all(&text)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        if let Some(dir) = path.parent()
            && let Ok(d) = std::fs::File::open(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            })
        {
            let _ = d.sync_all();
        }
        Ok(())
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        crate::i18n::trf(lang, "cannot write {}: {}", &[&path.display(), &e])
    })?;
    Ok(path)
}

/// The draft in the journal with `edits` over it.
pub fn merge(inc: &Incident, edits: Option<&Edits>) -> Merged {
    let mut m = Merged {
        severity: inc.severity.0.clone(),
        impact: inc.severity.1.clone(),
        postmortem: inc.postmortem.clone(),
        edited: None,
    };
    let Some(e) = edits else { return m };
    let set = |field: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            field.clone_from(v);
        }
    };
    set(&mut m.severity, &e.severity);
    set(&mut m.impact, &e.impact);
    set(&mut m.postmortem.root_cause, &e.root_cause);
    set(&mut m.postmortem.helped, &e.helped);
    set(&mut m.postmortem.hurt, &e.hurt);
    if let Some(a) = &e.actions {
        m.postmortem.actions.clone_from(a);
    }
    m.edited = Some((e.edited_by.clone(), e.edited_at.clone()));
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_win_over_the_draft_field_by_field_and_survive_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("x.jsonl");
        assert_eq!(load(&journal, crate::i18n::Lang::En), Ok(None));
        let mut inc = Incident::default();
        inc.postmortem.root_cause = "disk".into();
        inc.postmortem.helped = "the runbook".into();
        let edits = Edits {
            schema: 1,
            root_cause: Some("a log flood filled the disk".into()),
            actions: Some(vec![ActionItem {
                what: "alert on disk".into(),
                owner: "ops".into(),
            }]),
            edited_by: "rev@h".into(),
            ..Edits::default()
        };
        save(&journal, &edits, crate::i18n::Lang::En).unwrap();
        // Where it cannot be written, the reviewer is told in their language.
        let nowhere = journal.with_file_name("gone").join("x.jsonl");
        let why = save(&nowhere, &edits, crate::i18n::Lang::Zh).unwrap_err();
        assert!(
            why.starts_with("无法写入 ") && why.contains("gone"),
            "{why}"
        );
        let back = load(&journal, crate::i18n::Lang::En).unwrap().unwrap();
        assert_eq!(back, edits);
        let m = merge(&inc, Some(&back));
        assert_eq!(m.postmortem.root_cause, "a log flood filled the disk");
        assert_eq!(m.postmortem.helped, "the runbook");
        assert_eq!(m.postmortem.actions[0].owner, "ops");
        std::fs::write(path_for(&journal), "{\"rootcause\": 1}").unwrap();
        let err = load(&journal, crate::i18n::Lang::En).unwrap_err();
        assert!(
            err.contains("x.jsonl.postmortem.json") && err.contains("rootcause"),
            "{err}"
        );
    }
}
