//! Masking secrets before anything is journaled or shown.
//!
//! Two kinds of secret: the values of `secret: true` variables (given to
//! [`Masker::new`]), and the password part of URLs
//! (`scheme://user:pass@host` → `scheme://user:••••@host`), found in any text.
//!
//! Text is compared as a terminal shows it: colour codes (any CSI sequence)
//! inside a secret do not hide it (`grep --color=always` colours part of a
//! line). The secret's visible characters become the mask and the colour
//! codes that were inside it are kept, after the mask, so the colours of the
//! rest of the line are unchanged.

use std::borrow::Cow;

use memchr::memmem;

use crate::incident::Event;

mod shown;
use shown::{Shown, floor_outside_escape, push_escapes};

/// What a masked secret looks like. (The templating module defines the same
/// marker as `runbook::template::MASK`; the lead may point this at it.)
pub const MASK: &str = "••••";

/// Masks configured secret values and URL passwords in text and events.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    /// Non-empty, distinct secret values, each with its searcher.
    secrets: Vec<memmem::Finder<'static>>,
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
        let secrets = secrets
            .iter()
            .map(|s| memmem::Finder::new(s.as_bytes()).into_owned())
            .collect();
        Masker { secrets }
    }

    /// Length in bytes of the longest configured secret (0 without any).
    pub fn longest_secret(&self) -> usize {
        self.secrets.first().map_or(0, |f| f.needle().len())
    }

    /// Byte ranges of shown text to mask: every secret value and URL
    /// password, sorted, overlapping ones merged (so no part of one is left).
    fn ranges(&self, shown: &str) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for finder in &self.secrets {
            let len = finder.needle().len();
            found.extend(finder.find_iter(shown.as_bytes()).map(|i| (i, i + len)));
        }
        found.extend(url_password_ranges(shown));
        if found.len() > 1 {
            found.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::with_capacity(found.len());
            for (a, b) in found {
                match merged.last_mut() {
                    Some(last) if a < last.1 => last.1 = last.1.max(b),
                    _ => merged.push((a, b)),
                }
            }
            found = merged;
        }
        found
    }

    /// `s` with every secret value and URL password replaced by [`MASK`],
    /// as the text will be shown (see the module docs).
    pub fn mask<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let shown = Shown::of(s);
        let ranges = self.ranges(&shown.text);
        if ranges.is_empty() {
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len());
        let mut copied = 0;
        for (a, b) in ranges {
            let (start, end) = (shown.orig_start(a), shown.orig_end(b));
            out.push_str(&s[copied..start]);
            out.push_str(MASK);
            push_escapes(&mut out, &s[start..end]);
            copied = end;
        }
        out.push_str(&s[copied..]);
        Cow::Owned(out)
    }

    /// Where a line still being printed (`buf`, no newline yet) can be cut
    /// so that what comes before is masked right now: before its last
    /// `longest secret` visible bytes (a secret starting there may not be
    /// complete), and never through a secret or an escape code. When no such
    /// cut leaves anything to pass on, `fallback` bytes are passed on anyway
    /// so memory stays bounded (the documented limit of the masking).
    pub fn stream_cut(&self, buf: &str, fallback: usize) -> usize {
        let shown = Shown::of(buf);
        let text: &str = &shown.text;
        let mut cut = text.len().saturating_sub(self.longest_secret());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        // A complete secret straddling the cut moves the cut to its start
        // (the ranges are merged, so one move is enough).
        if let Some(&(start, _)) = self
            .ranges(text)
            .iter()
            .find(|&&(start, end)| start < cut && cut < end)
        {
            cut = start;
        }
        let cut = shown.orig_start(cut);
        if cut > 0 {
            return cut;
        }
        match floor_outside_escape(buf, fallback) {
            0 => {
                let mut i = fallback.min(buf.len());
                while !buf.is_char_boundary(i) {
                    i -= 1;
                }
                i
            }
            i => i,
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

/// Byte ranges of the URL passwords in `s` (not those already masked).
fn url_password_ranges(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(found) = memmem::find(&s.as_bytes()[search..], b"://") {
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
        out.push((pass_start, pass_end));
        search = pass_end;
    }
    out
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
    fn a_secret_coloured_by_grep_is_masked_and_the_colours_stay() {
        let m = Masker::new(vec!["hunter2pass".into()]);
        // `grep --color=always pass` as the sanitiser leaves it (EL dropped).
        let line = "password = hunter2\x1b[01;31mpass\x1b[m";
        assert_eq!(m.mask(line), "password = ••••\x1b[01;31m\x1b[m");
        // As grep prints it, with the erase-line codes too.
        let raw = "password = hunter2\x1b[01;31m\x1b[Kpass\x1b[m\x1b[K";
        assert_eq!(m.mask(raw), "password = ••••\x1b[01;31m\x1b[K\x1b[m\x1b[K");
        // `printf 'hun\033[0mter2pass'`.
        assert_eq!(m.mask("hun\x1b[0mter2pass\n"), "••••\x1b[0m\n");
        // Colours around the secret stay where they were.
        assert_eq!(
            m.mask("\x1b[31mhunter2pass\x1b[0m ok \x1b[1mhunter2pass"),
            "\x1b[31m••••\x1b[0m ok \x1b[1m••••"
        );
        // Text with colours but no secret is left alone.
        let plain = "\x1b[32mgreen\x1b[0m hunter2 pass";
        assert!(matches!(m.mask(plain), Cow::Borrowed(_)));
    }

    #[test]
    fn overlapping_secrets_and_coloured_url_passwords_are_masked_whole() {
        let m = Masker::new(vec!["abc".into(), "bcd".into()]);
        assert_eq!(m.mask("xabcdy"), "x••••y");
        assert_eq!(m.mask("xa\x1b[1mbc\x1b[0mdy"), "x••••\x1b[1m\x1b[0my");
        let m = Masker::default();
        assert_eq!(
            m.mask("amqp://u:p\x1b[1mw\x1b[0m@h/"),
            "amqp://u:••••\x1b[1m\x1b[0m@h/"
        );
    }

    /// Feeds `chunks` the way the session does for a line without a newline:
    /// cut where `stream_cut` says, mask what is passed on.
    fn stream(m: &Masker, chunks: &[&str], limit: usize) -> String {
        let mut buf = String::new();
        let mut out = String::new();
        for c in chunks {
            buf.push_str(c);
            if buf.len() > limit {
                let cut = m.stream_cut(&buf, limit / 2);
                assert!(cut > 0 && buf.is_char_boundary(cut));
                let rest = buf.split_off(cut);
                out.push_str(&m.mask(&buf));
                buf = rest;
            }
        }
        out.push_str(&m.mask(&buf));
        out
    }

    #[test]
    fn a_coloured_secret_split_across_chunks_of_a_long_line_is_masked() {
        let m = Masker::new(vec!["hunter2pass".into()]);
        let pad = "a".repeat(40);
        // The cut would fall inside the secret (colour codes and all).
        let got = stream(&m, &[&pad, "hunter2\x1b[31mpa", "ss\x1b[0mxy"], 30);
        assert_eq!(got, format!("{pad}••••\x1b[31m\x1b[0mxy"));
        // The secret is not complete yet when the buffer is cut.
        let got = stream(&m, &[&pad, "hun\x1b[0m", "ter2", "pass!"], 30);
        assert_eq!(got, format!("{pad}••••\x1b[0m!"));
        // Nothing shown yet that could start a secret: all of it goes on.
        let codes = "\x1b[1m".repeat(20);
        assert_eq!(m.stream_cut(&codes, 8), codes.len());
        // Too little shown to tell: the fallback cut keeps colour codes whole.
        let buf = format!("x{codes}");
        assert_eq!(&buf[..m.stream_cut(&buf, 8)], "x\x1b[1m");
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
