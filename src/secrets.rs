//! Masking secrets before anything is journaled or shown.
//!
//! Two kinds of secret: the values of `secret: true` variables (given to
//! [`Masker::new`]), and the password part of URLs
//! (`scheme://user:pass@host` → `scheme://user:••••@host`), found in any text.

use std::borrow::Cow;

use crate::incident::Event;

/// What a masked secret looks like. (The templating module defines the same
/// marker as `runbook::template::MASK`; the lead may point this at it.)
pub const MASK: &str = "••••";

/// Masks configured secret values and URL passwords in text and events.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    /// Non-empty, distinct, longest first so a secret that contains another
    /// is masked whole.
    secrets: Vec<String>,
}

impl Masker {
    /// A masker for these secret values (empty ones are ignored).
    pub fn new(secrets: Vec<String>) -> Masker {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .filter(|s| !s.is_empty() && s != MASK)
            .collect();
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
        Masker { secrets }
    }

    /// Length in bytes of the longest configured secret (0 without any).
    pub fn longest_secret(&self) -> usize {
        self.secrets.first().map_or(0, String::len)
    }

    /// Byte ranges of every configured secret value in `s` (possibly overlapping).
    pub fn occurrences<'a>(&'a self, s: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.secrets.iter().flat_map(move |secret| {
            s.match_indices(secret.as_str())
                .map(|(i, m)| (i, i + m.len()))
        })
    }

    /// `s` with every secret value and URL password replaced by [`MASK`].
    pub fn mask<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(s);
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), MASK));
            }
        }
        match mask_url_passwords(&out) {
            Some(masked) => Cow::Owned(masked),
            None => out,
        }
    }

    /// Masks every free-text field of an event in place.
    pub fn mask_event(&self, ev: &mut Event) {
        for field in ev.text_fields_mut() {
            if let Cow::Owned(masked) = self.mask(field) {
                *field = masked;
            }
        }
    }
}

/// Characters that end a URL's authority (or the URL) in running text.
fn ends_authority(c: char) -> bool {
    matches!(
        c,
        '/' | '?' | '#' | '"' | '\'' | '<' | '>' | '`' | '(' | ')' | '[' | ']' | '{' | '}'
    ) || c.is_whitespace()
}

/// `None` when there is no URL password to mask.
fn mask_url_passwords(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0; // bytes of `s` already in `out`
    let mut search = 0;
    while let Some(found) = s[search..].find("://") {
        let scheme_end = search + found;
        let auth_start = scheme_end + 3;
        search = auth_start;
        let has_scheme = s[..scheme_end]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if !has_scheme {
            continue;
        }
        let rest = &s[auth_start..];
        let auth_len = rest.find(ends_authority).unwrap_or(rest.len());
        let authority = &rest[..auth_len];
        // The last '@' ends the userinfo: an unencoded '@' in a password stays masked.
        let Some(at) = authority.rfind('@') else {
            continue;
        };
        let Some(colon) = authority[..at].find(':') else {
            continue;
        };
        let pass_start = auth_start + colon + 1;
        let pass_end = auth_start + at;
        if pass_start == pass_end || &s[pass_start..pass_end] == MASK {
            continue;
        }
        out.push_str(&s[copied..pass_start]);
        out.push_str(MASK);
        copied = pass_end;
        search = pass_end;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&s[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_configured_secrets_longest_first() {
        let m = Masker::new(vec!["s3cret".into(), "s3cret-long".into(), String::new()]);
        assert_eq!(m.mask("a s3cret-long b s3cret"), "a •••• b ••••");
        assert_eq!(m.mask("nothing here"), "nothing here");
        assert!(matches!(m.mask("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn masks_url_passwords_and_keeps_the_user() {
        let m = Masker::default();
        assert_eq!(
            m.mask("connect amqp://guest:pa:ss@rabbit:5672/vh and http://u:p@h/x"),
            "connect amqp://guest:••••@rabbit:5672/vh and http://u:••••@h/x"
        );
        assert_eq!(m.mask("http://host:15672/api"), "http://host:15672/api");
        assert_eq!(m.mask("amqp://user@host"), "amqp://user@host");
        assert_eq!(m.mask("amqp://u:p@ss@h"), "amqp://u:••••@h");
    }

    #[test]
    fn masks_every_text_field_of_an_event() {
        let m = Masker::new(vec!["hunter2".into()]);
        let mut ev = Event::CheckFinished {
            run: 1,
            status: crate::incident::CheckStatus::Fail,
            summary: "login hunter2 refused".into(),
            evidence: "url amqp://a:b@c".into(),
            duration_ms: 1,
        };
        m.mask_event(&mut ev);
        let text = format!("{ev:?}");
        assert!(!text.contains("hunter2") && !text.contains(":b@"), "{text}");
    }
}
