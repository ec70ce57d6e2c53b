//! The user's config file: `$RUNBOOK_CONFIG`, else
//! `$XDG_CONFIG_HOME/runbook/config.toml` (`~/.config/runbook/config.toml`).
//! Its `[[notify]]` tables are the notification targets (the file itself
//! is read by [`crate::config`]):
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
//! what) and its targets are left out; an unknown key is reported and
//! passed over; it never stops an incident.

use crate::i18n::trf;
use std::path::{Path, PathBuf};

use super::target::{About, Kind, Origin, Target};
use crate::config::UserConfig;

/// Where the config file is looked for (see [`crate::config::path`]).
pub fn path() -> Option<PathBuf> {
    crate::config::path()
}

/// The config file's targets, and the problems found in the file (each
/// naming it): the whole file's, so they are shown where the targets are.
pub fn notify_targets() -> (Vec<Target>, Vec<String>) {
    targets_of(crate::config::load())
}

/// Reads the targets of the config file at `path`.
pub fn read(path: &Path) -> (Vec<Target>, Vec<String>) {
    targets_of(crate::config::read(path))
}

/// Parses a config file's text; `shown` names it in messages.
pub fn parse(shown: &str, text: &str) -> (Vec<Target>, Vec<String>) {
    targets_of(crate::config::parse(shown, text))
}

/// The usable targets of a read config file, and every problem of it.
pub(crate) fn targets_of(config: UserConfig) -> (Vec<Target>, Vec<String>) {
    let shown = config.shown;
    let lang = config.lang;
    let mut problems = config.problems;
    let mut targets = Vec::new();
    for (i, raw) in config.notify.into_iter().enumerate() {
        let n = i + 1;
        let kind = match raw.kind.as_deref() {
            None => Kind::Generic,
            Some(k) => match Kind::parse(k) {
                Some(k) => k,
                None => {
                    problems.push(format!(
                        "{shown}: notify #{n}: {}",
                        trf(
                            lang,
                            "kind `{}` is not one of generic, slack, feishu, dingtalk, wecom; not used",
                            &[&crate::text::one_line(k)]
                        )
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
                    "{shown}: notify #{n}: {}",
                    trf(
                        lang,
                        "event `{}` is not one of {}; not used",
                        &[&crate::text::one_line(&b), &About::spellings()]
                    )
                ));
                continue;
            }
            t.events = events;
        }
        if raw.secret.is_some() && !kind.signs() {
            problems.push(format!(
                "{shown}: notify #{n}: {}",
                trf(
                    lang,
                    "`secret` signs DingTalk and Feishu messages only; ignored for {}",
                    &[&kind.as_str()]
                )
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
