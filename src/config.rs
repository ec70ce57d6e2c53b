//! The user's settings, in one file: `$RUNBOOK_CONFIG`, else
//! `$XDG_CONFIG_HOME/runbook/config.toml` (`~/.config/runbook/config.toml`).
//!
//! ```toml
//! log_dir = "~/incidents"       # where journals go (default: the XDG state dir)
//!
//! [[notify]]                    # webhook targets, see `notify::config`
//! url = "https://hooks.slack.com/services/…"
//! kind = "slack"
//! ```
//!
//! Each setting is taken from the command line first, then its environment
//! variable, then this file, then the default. A missing file is no error. A
//! broken one is reported (file, line and what) and left out, an unknown key
//! is reported and passed over: a settings file never stops an incident.

use crate::i18n::{Lang, tr, trf};
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A config file is a few hundred bytes.
const MAX_BYTES: u64 = 256 * 1024;

/// The keys of the file, at the top and in each `[[notify]]` table.
const TOP_KEYS: [&str; 3] = ["log_dir", "theme", "notify"];

/// The screen's colours (`theme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// The six hues every terminal theme tunes for its background: reads on
    /// light and dark terminals alike.
    #[default]
    Default,
    /// No colour at all, as with `NO_COLOR`: bold, dim, underline and
    /// reverse video carry the meaning.
    Mono,
}

impl Theme {
    /// Every spelling, for messages.
    pub const NAMES: [&str; 2] = ["default", "mono"];
}
const NOTIFY_KEYS: [&str; 5] = ["name", "url", "kind", "secret", "events"];

/// What the config file says, and what is wrong with it.
#[derive(Debug, Clone, Default)]
pub struct UserConfig {
    /// The journal directory (`log_dir`), `~/` expanded.
    pub log_dir: Option<PathBuf>,
    /// The screen's colours (`theme`).
    pub theme: Theme,
    /// The webhook targets as written (`[[notify]]`), checked by `notify::config`.
    pub(crate) notify: Vec<NotifyEntry>,
    /// Problems, each naming the file (and the line where there is one).
    pub problems: Vec<String>,
    /// The file as named in messages.
    pub(crate) shown: String,
    /// The language of the problems (the locale's, for a file read by
    /// [`load`]).
    pub(crate) lang: Lang,
}

#[derive(Debug, Default, Deserialize)]
struct File {
    #[serde(default)]
    log_dir: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    notify: Vec<NotifyEntry>,
}

/// One `[[notify]]` table as written.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct NotifyEntry {
    pub(crate) url: String,
    #[serde(default)]
    pub(crate) kind: Option<String>,
    #[serde(default)]
    pub(crate) events: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) secret: Option<String>,
    #[serde(default)]
    pub(crate) name: Option<String>,
}

/// Where the config file is looked for.
pub fn path() -> Option<PathBuf> {
    match std::env::var_os("RUNBOOK_CONFIG").filter(|v| !v.is_empty()) {
        Some(p) => Some(PathBuf::from(p)),
        None => crate::xdg::config_dir().map(|d| d.join("config.toml")),
    }
}

/// The user's config file (nothing when there is none), read once per
/// process: the log directory, the webhooks and the warnings all come from
/// the same reading, and a slow disk is read once.
pub fn load() -> UserConfig {
    static ONCE: std::sync::OnceLock<UserConfig> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| match path() {
        Some(p) => read_in(&p, Lang::from_env()),
        None => UserConfig::default(),
    })
    .clone()
}

/// Reads the config file at `path`.
pub fn read(path: &Path) -> UserConfig {
    read_in(path, Lang::En)
}

/// [`read`], its problems said in `lang`.
pub fn read_in(path: &Path, lang: Lang) -> UserConfig {
    let shown = path.display().to_string();
    let bytes = match crate::input_file::read(path, MAX_BYTES) {
        Ok(b) => b,
        Err(crate::input_file::InputError::Open(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return UserConfig {
                shown,
                lang,
                ..UserConfig::default()
            };
        }
        Err(e) => return broken(shown, e.message(lang), lang),
    };
    match String::from_utf8(bytes) {
        Ok(text) => parse_in(&shown, &text, lang),
        Err(_) => broken(shown, tr(lang, "not UTF-8 text").into(), lang),
    }
}

fn broken(shown: String, what: String, lang: Lang) -> UserConfig {
    UserConfig {
        problems: vec![format!("{shown}: {what}")],
        shown,
        lang,
        ..UserConfig::default()
    }
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// A TOML error as `FILE:LINE: what`.
fn toml_problem(shown: &str, text: &str, e: &toml::de::Error) -> String {
    let at = e
        .span()
        .map(|s| format!(":{}", line_of(text, s.start)))
        .unwrap_or_default();
    format!("{shown}{at}: {}", crate::text::one_line(e.message()))
}

/// Parses a config file's text; `shown` names it in messages.
pub fn parse(shown: &str, text: &str) -> UserConfig {
    parse_in(shown, text, Lang::En)
}

/// [`parse`], its problems said in `lang`.
pub fn parse_in(shown: &str, text: &str, lang: Lang) -> UserConfig {
    let mut config = UserConfig {
        shown: shown.to_string(),
        lang,
        ..UserConfig::default()
    };
    let root = match toml::de::DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            config.problems.push(toml_problem(shown, text, &e));
            return config;
        }
    };
    config.problems = unknown_keys(shown, text, root.get_ref(), lang);
    let file: File = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            config.problems.push(toml_problem(shown, text, &e));
            return config;
        }
    };
    config.log_dir = file.log_dir.and_then(|d| match expand_home(&d) {
        Some(p) if p.is_absolute() => Some(p),
        _ => {
            let line = text.find("log_dir").map_or(1, |at| line_of(text, at));
            config.problems.push(format!(
                "{shown}:{line}: {}",
                trf(
                    lang,
                    "log_dir `{}` is not an absolute path (nor one starting with ~/); not used",
                    &[&crate::text::one_line(&d)]
                )
            ));
            None
        }
    });
    config.theme = match file.theme.as_deref() {
        None | Some("default") => Theme::Default,
        Some("mono") => Theme::Mono,
        Some(other) => {
            let line = text.find("theme").map_or(1, |at| line_of(text, at));
            config.problems.push(format!(
                "{shown}:{line}: {}",
                trf(
                    lang,
                    "theme `{}` is not one of {}; the default is used",
                    &[&crate::text::one_line(other), &Theme::NAMES.join(", ")]
                )
            ));
            Theme::Default
        }
    };
    config.notify = file.notify;
    config
}

/// `~/x` under the home directory; other paths as they are.
fn expand_home(p: &str) -> Option<PathBuf> {
    match p.strip_prefix("~/") {
        Some(rest) => crate::xdg::home().map(|h| h.join(rest)),
        None => Some(PathBuf::from(p)),
    }
}

/// A message for every key the program does not know, with its line and
/// the known key it was probably meant to be.
fn unknown_keys(shown: &str, text: &str, root: &toml::de::DeTable<'_>, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let mut check =
        |key: &toml::Spanned<toml::de::DeString<'_>>, known: &[&str], within: &'static str| {
            let k = key.get_ref().as_ref();
            if known.contains(&k) {
                return;
            }
            let guess = known
                .iter()
                .map(|c| (strsim::jaro_winkler(k, c), c))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, c)| trf(lang, "did you mean `{}`? ", &[c]))
                .unwrap_or_default();
            out.push(format!(
                "{shown}:{}: {}",
                line_of(text, key.span().start),
                trf(
                    lang,
                    "unknown key `{}`{}; {}known: {}; ignored",
                    &[
                        &crate::text::one_line(k),
                        &tr(lang, within),
                        &guess,
                        &known.join(", ")
                    ]
                )
            ));
        };
    for (key, value) in root {
        check(key, &TOP_KEYS, "");
        if key.get_ref() == "notify"
            && let Some(list) = value.get_ref().as_array()
        {
            for table in list.iter().filter_map(|v| v.get_ref().as_table()) {
                for (k, _) in table {
                    check(k, &NOTIFY_KEYS, " in [[notify]]");
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_read_and_unknown_keys_named_with_their_line() {
        let c = parse(
            "c.toml",
            "log_dir = \"/srv/incidents\"\nlogdir = \"x\"\n\n[[notify]]\nurl = \"https://a\"\nkinds = \"slack\"\n",
        );
        assert_eq!(c.log_dir, Some(PathBuf::from("/srv/incidents")));
        assert_eq!(c.notify.len(), 1, "the target is kept");
        assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
        assert!(
            c.problems[0].starts_with("c.toml:2: unknown key `logdir`; did you mean `log_dir`?"),
            "{:?}",
            c.problems
        );
        assert!(
            c.problems[1]
                .starts_with("c.toml:6: unknown key `kinds` in [[notify]]; did you mean `kind`?"),
            "{:?}",
            c.problems
        );
    }

    #[test]
    fn the_theme_is_read_and_an_unknown_one_named_with_its_line() {
        assert_eq!(parse("c.toml", "theme = \"mono\"\n").theme, Theme::Mono);
        assert_eq!(parse("c.toml", "").theme, Theme::Default);
        let c = parse("c.toml", "log_dir = \"/x\"\ntheme = \"dracula\"\n");
        assert_eq!(c.theme, Theme::Default);
        assert_eq!(
            c.problems,
            ["c.toml:2: theme `dracula` is not one of default, mono; the default is used"]
        );
    }

    /// Under a Chinese locale the problems are Chinese; the file, the line
    /// and the key as written stay.
    #[test]
    fn problems_are_said_in_the_locales_language() {
        let c = parse_in("c.toml", "logdir = \"x\"\ntheme = \"x\"\n", Lang::Zh);
        assert_eq!(
            c.problems,
            [
                "c.toml:1: 未知的键 `logdir`；是否想写 `log_dir`？可用的键：log_dir, theme, notify；已忽略",
                "c.toml:2: theme `x` 不是 default, mono 之一，使用默认值",
            ]
        );
        let (_, problems) = crate::notify::config::targets_of(parse_in(
            "c.toml",
            "[[notify]]\nurl = \"https://a.example/x\"\nkind = \"teams\"\n",
            Lang::Zh,
        ));
        assert_eq!(
            problems,
            [
                "c.toml: notify #1: kind `teams` 不是 generic、slack、feishu、dingtalk、wecom 之一，未使用"
            ]
        );
    }

    #[test]
    fn a_relative_log_dir_is_refused_and_a_broken_file_named() {
        let c = parse("c.toml", "\nlog_dir = \"incidents\"\n");
        assert_eq!(c.log_dir, None);
        assert!(
            c.problems[0].starts_with("c.toml:2: log_dir `incidents`"),
            "{:?}",
            c.problems
        );
        let c = parse("c.toml", "log_dir = [1]\n");
        assert_eq!(c.log_dir, None);
        assert!(c.problems[0].starts_with("c.toml:1: "), "{:?}", c.problems);
        let c = parse("c.toml", "a = \n");
        assert!(c.problems[0].starts_with("c.toml:1: "), "{:?}", c.problems);
    }
}
