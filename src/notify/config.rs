//! The user's config file: `$RUNBOOK_CONFIG`, else
//! `$XDG_CONFIG_HOME/runbook/config.toml` (`~/.config/runbook/config.toml`).
//! For now it holds notification targets:
//!
//! ```toml
//! [[notify]]
//! name = "ops"                 # optional
//! url = "https://oapi.dingtalk.com/robot/send?access_token=…"
//! kind = "dingtalk"            # generic (default), slack, feishu, dingtalk, wecom
//! events = ["opened", "overrun", "mitigated", "resolved", "update"]  # default: all
//! secret = "SEC…"              # DingTalk / Feishu signing secret
//! ```
//!
//! A missing file is no error. A broken one is reported (file, line and
//! what) and its targets are left out; it never stops an incident.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::target::{About, Kind, Origin, Target};

/// A config file is a few hundred bytes.
const MAX_BYTES: u64 = 256 * 1024;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    notify: Vec<RawTarget>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    url: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    events: Option<Vec<String>>,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

/// Where the config file is looked for.
pub fn path() -> Option<PathBuf> {
    match std::env::var_os("RUNBOOK_CONFIG").filter(|v| !v.is_empty()) {
        Some(p) => Some(PathBuf::from(p)),
        None => crate::runbook::catalog::user_dir("config.toml"),
    }
}

/// The config file's targets, and the problems found (each naming the file).
pub fn notify_targets() -> (Vec<Target>, Vec<String>) {
    match path() {
        Some(p) => read(&p),
        None => (Vec::new(), Vec::new()),
    }
}

/// Reads the targets of the config file at `path`.
pub fn read(path: &Path) -> (Vec<Target>, Vec<String>) {
    let shown = path.display().to_string();
    let bytes = match crate::input_file::read(path, MAX_BYTES) {
        Ok(b) => b,
        Err(crate::input_file::InputError::Open(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return (Vec::new(), Vec::new());
        }
        Err(e) => return (Vec::new(), vec![format!("{shown}: {e}")]),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return (Vec::new(), vec![format!("{shown}: not UTF-8 text")]);
    };
    parse(&shown, &text)
}

/// Parses a config file's text; `shown` names it in messages.
pub fn parse(shown: &str, text: &str) -> (Vec<Target>, Vec<String>) {
    let file: File = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!(":{line}")
                })
                .unwrap_or_default();
            let msg = crate::text::one_line(e.message()).into_owned();
            return (Vec::new(), vec![format!("{shown}{at}: {msg}")]);
        }
    };
    let mut targets = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in file.notify.into_iter().enumerate() {
        let n = i + 1;
        let kind = match raw.kind.as_deref() {
            None => Kind::Generic,
            Some(k) => match Kind::parse(k) {
                Some(k) => k,
                None => {
                    problems.push(format!(
                        "{shown}: notify #{n}: kind `{}` is not one of generic, slack, feishu, dingtalk, wecom; not used",
                        crate::text::one_line(k)
                    ));
                    continue;
                }
            },
        };
        let mut t = Target::new(raw.url, kind, Origin::Config);
        t.name = raw.name.map(|s| crate::text::one_line(&s).into_owned());
        if let Some(list) = raw.events {
            let mut events = std::collections::BTreeSet::new();
            let mut bad = None;
            for e in &list {
                match About::parse(e) {
                    Some(v) => events.extend(v),
                    None => bad = Some(e.clone()),
                }
            }
            if let Some(b) = bad {
                problems.push(format!(
                    "{shown}: notify #{n}: event `{}` is not one of {}; not used",
                    crate::text::one_line(&b),
                    About::spellings()
                ));
                continue;
            }
            t.events = events;
        }
        if raw.secret.is_some() && !kind.signs() {
            problems.push(format!(
                "{shown}: notify #{n}: `secret` signs DingTalk and Feishu messages only; ignored for {}",
                kind.as_str()
            ));
        }
        t.secret = raw.secret.filter(|_| kind.signs());
        targets.push(t);
    }
    (targets, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_file_gives_targets() {
        let (t, p) = parse(
            "c.toml",
            r#"
[[notify]]
url = "https://oapi.dingtalk.com/robot/send?access_token=x"
kind = "dingtalk"
secret = "SECx"
events = ["opened", "resolved"]

[[notify]]
name = "slack-ops"
url = "https://hooks.slack.com/services/a/b/c"
kind = "slack"
"#,
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].kind, Kind::Dingtalk);
        assert_eq!(t[0].events.len(), 2);
        assert_eq!(t[0].secret.as_deref(), Some("SECx"));
        assert_eq!(t[1].events.len(), About::ALL.len());
        let label = t[1].label();
        assert!(
            label.starts_with("slack-ops (https://hooks.slack.com/… #"),
            "{label}"
        );
        assert_ne!(label, t[0].label());
    }

    #[test]
    fn a_broken_config_file_names_the_file_and_line() {
        let (t, p) = parse("c.toml", "[[notify]]\nurl = \"https://a\"\nkind = slack\n");
        assert!(t.is_empty());
        assert!(p[0].starts_with("c.toml:3: "), "{p:?}");
        let (t, p) = parse(
            "c.toml",
            "[[notify]]\nurl = \"https://a\"\nkind = \"teams\"\n",
        );
        assert!(t.is_empty());
        assert!(p[0].contains("`teams`"), "{p:?}");
        let (_, p) = parse("c.toml", "[[notfy]]\nurl = \"https://a\"\n");
        assert!(p[0].contains("notfy"), "{p:?}");
    }
}
