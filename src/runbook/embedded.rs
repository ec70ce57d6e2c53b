//! Runbooks compiled into the binary, so `runbook` works on a bare host.

use super::load::{LoadError, LoadedRunbook, Origin, load_str, sha256_hex};

const ALL: &[(&str, &str)] = &[
    (
        "rabbitmq-emergency.yaml",
        include_str!("../../runbooks/rabbitmq-emergency.yaml"),
    ),
    (
        "rabbitmq-emergency.zh.yaml",
        include_str!("../../runbooks/rabbitmq-emergency.zh.yaml"),
    ),
];

/// (file name, text) of every embedded runbook.
pub fn all() -> &'static [(&'static str, &'static str)] {
    ALL
}

/// The embedded file for a locale: `zh*` → Chinese, anything else → English.
pub fn default_name(lang: Option<&str>) -> &'static str {
    if lang.is_some_and(|l| l.trim().to_ascii_lowercase().starts_with("zh")) {
        "rabbitmq-emergency.zh.yaml"
    } else {
        "rabbitmq-emergency.yaml"
    }
}

/// Loads an embedded runbook by file name.
pub fn load(name: &str) -> Option<Result<LoadedRunbook, LoadError>> {
    let (name, text) = ALL.iter().find(|(n, _)| *n == name)?;
    Some(
        load_str(&format!("embedded:{name}"), text).map(|runbook| LoadedRunbook {
            runbook,
            origin: Origin::Embedded(name),
            sha256: sha256_hex(text.as_bytes()),
        }),
    )
}

/// The default runbook for the locale (LC_ALL, LC_MESSAGES, LANG).
pub fn load_default() -> Result<LoadedRunbook, LoadError> {
    let lang = crate::i18n::locale_tag();
    let name = default_name(lang.as_deref());
    load(name).unwrap_or_else(|| {
        Err(LoadError::single(
            &format!("embedded:{name}"),
            1,
            1,
            "embedded runbook missing".into(),
            None,
        ))
    })
}
