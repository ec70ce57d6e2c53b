//! Where the program's files live, by the XDG base directory spec: the one
//! place that reads `XDG_CONFIG_HOME`, `XDG_STATE_HOME` and `HOME`.
//!
//! The spec says a relative `XDG_*_HOME` is invalid and must be ignored (a
//! relative value would move the files with the working directory); an
//! empty one counts as unset.

use std::ffi::OsString;
use std::path::PathBuf;

fn var(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

/// The value of an `XDG_*_HOME` variable as the spec allows it: set, not
/// empty and absolute.
pub fn valid_base(value: Option<OsString>) -> Option<PathBuf> {
    value
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

/// `value` when valid, else `$HOME/default` (None without a home).
pub fn base_or_home(
    value: Option<OsString>,
    home: Option<OsString>,
    default: &str,
) -> Option<PathBuf> {
    valid_base(value).or_else(|| {
        home.filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(default))
    })
}

/// The home directory (`$HOME`, when set and not empty).
pub fn home() -> Option<PathBuf> {
    var("HOME").map(PathBuf::from)
}

/// `$XDG_CONFIG_HOME/runbook`, else `~/.config/runbook`.
pub fn config_dir() -> Option<PathBuf> {
    base_or_home(var("XDG_CONFIG_HOME"), var("HOME"), ".config").map(|b| b.join("runbook"))
}

/// `$XDG_STATE_HOME/runbook`, when that variable is valid (the drills
/// choose their own default when it is not).
pub fn state_dir_from_env() -> Option<PathBuf> {
    valid_base(var("XDG_STATE_HOME")).map(|b| b.join("runbook"))
}

/// `$XDG_STATE_HOME/runbook`, else `~/.local/state/runbook`.
pub fn state_dir() -> Option<PathBuf> {
    base_or_home(var("XDG_STATE_HOME"), var("HOME"), ".local/state").map(|b| b.join("runbook"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> Option<OsString> {
        Some(OsString::from(s))
    }

    #[test]
    fn a_relative_or_empty_xdg_value_is_ignored() {
        let home = os("/home/op");
        assert_eq!(
            base_or_home(os("/xdg/config"), home.clone(), ".config"),
            Some(PathBuf::from("/xdg/config"))
        );
        for bad in ["relative/config", "./config", "config", ""] {
            assert_eq!(
                base_or_home(os(bad), home.clone(), ".config"),
                Some(PathBuf::from("/home/op/.config")),
                "{bad:?}"
            );
        }
        assert_eq!(
            base_or_home(None, home.clone(), ".local/state"),
            Some(PathBuf::from("/home/op/.local/state"))
        );
        assert_eq!(base_or_home(os("rel"), None, ".config"), None);
        assert_eq!(base_or_home(None, os(""), ".config"), None);
    }
}
