//! Text as a terminal shows it: escape sequences (SGR colours, any CSI) take
//! no room, so `hun\x1b[0mter2` shows as `hunter2`. The masker compares
//! secrets with the shown text and maps what it finds back to the original.

use std::borrow::Cow;

use memchr::{memchr, memrchr};

/// The escape character.
pub(super) const ESC: u8 = 0x1b;

/// A text and what of it is shown.
#[derive(Debug)]
pub(super) struct Shown<'a> {
    /// The visible characters, escape sequences left out (borrowed when the
    /// text has none).
    pub(super) text: Cow<'a, str>,
    /// The visible runs, in order, as (offset in `text`, offset in the original).
    runs: Vec<(usize, usize)>,
    /// Length of the original.
    orig_len: usize,
}

impl<'a> Shown<'a> {
    /// The shown form of `s`. Only complete CSI sequences are left out; a
    /// lone ESC stays (it is not what a terminal would hide whole).
    pub(super) fn of(s: &'a str) -> Shown<'a> {
        let bytes = s.as_bytes();
        if memchr(ESC, bytes).is_none() {
            return Shown {
                text: Cow::Borrowed(s),
                runs: vec![(0, 0)],
                orig_len: s.len(),
            };
        }
        let mut text = String::with_capacity(s.len());
        let mut runs = Vec::new();
        let mut run_start = 0;
        let mut pos = 0;
        while let Some(off) = memchr(ESC, &bytes[pos..]) {
            let esc = pos + off;
            match escape_len(&bytes[esc..]) {
                Some(n) => {
                    if esc > run_start {
                        runs.push((text.len(), run_start));
                        text.push_str(&s[run_start..esc]);
                    }
                    run_start = esc + n;
                    pos = run_start;
                }
                None => pos = esc + 1,
            }
        }
        if s.len() > run_start || runs.is_empty() {
            runs.push((text.len(), run_start));
            text.push_str(&s[run_start..]);
        }
        Shown {
            text: Cow::Owned(text),
            runs,
            orig_len: s.len(),
        }
    }

    /// Offset in the original of the shown byte at `i` (the original's
    /// length for `i` at or past the end).
    pub(super) fn orig_start(&self, i: usize) -> usize {
        if i >= self.text.len() {
            return self.orig_len;
        }
        // The last run starting at or before `i` holds it.
        let k = self.runs.partition_point(|&(shown, _)| shown <= i);
        let (shown, orig) = self.runs[k.saturating_sub(1)];
        orig + (i - shown)
    }

    /// Offset in the original just past the shown byte before `i`.
    pub(super) fn orig_end(&self, i: usize) -> usize {
        if i == 0 {
            return self.orig_start(0);
        }
        self.orig_start(i - 1) + 1
    }
}

/// Length of the CSI sequence (`ESC [ params intermediates final`) at the
/// start of `b`, or `None` when `b` does not start with a complete one.
pub(super) fn escape_len(b: &[u8]) -> Option<usize> {
    if b.first() != Some(&ESC) || b.get(1) != Some(&b'[') {
        return None;
    }
    let mut i = 2;
    while b.get(i).is_some_and(|c| (0x30..=0x3f).contains(c)) {
        i += 1;
    }
    while b.get(i).is_some_and(|c| (0x20..=0x2f).contains(c)) {
        i += 1;
    }
    b.get(i)
        .is_some_and(|c| (0x40..=0x7e).contains(c))
        .then_some(i + 1)
}

/// Appends the escape sequences of `s`, and nothing else: the colours that
/// were inside masked text stay in force after the mask.
pub(super) fn push_escapes(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut pos = 0;
    while let Some(off) = memchr(ESC, &bytes[pos..]) {
        let esc = pos + off;
        match escape_len(&bytes[esc..]) {
            Some(n) => {
                out.push_str(&s[esc..esc + n]);
                pos = esc + n;
            }
            None => pos = esc + 1,
        }
    }
}

/// `i` moved back, if need be, to a character boundary of `s` that is not
/// inside an escape sequence (unless that would make it 0).
pub(super) fn floor_outside_escape(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    if let Some(esc) = memrchr(ESC, &s.as_bytes()[..i])
        && escape_len(&s.as_bytes()[esc..]).is_some_and(|n| esc + n > i)
        && esc > 0
    {
        return esc;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_take_no_room() {
        let s = "a\x1b[01;31m\x1b[Kbc\x1b[m\x1b[Kd";
        let shown = Shown::of(s);
        assert_eq!(shown.text, "abcd");
        assert_eq!(shown.orig_start(0), 0);
        assert_eq!(shown.orig_start(1), s.find('b').unwrap_or(0));
        assert_eq!(shown.orig_end(3), s.find('c').unwrap_or(0) + 1);
        assert_eq!(shown.orig_start(4), s.len());
        // A lone or unfinished ESC is shown.
        assert_eq!(Shown::of("a\x1bb\x1b[1").text, "a\x1bb\x1b[1");
        assert_eq!(Shown::of("\x1b[1m").text, "");
        assert!(matches!(Shown::of("plain").text, Cow::Borrowed(_)));
    }

    #[test]
    fn only_escapes_are_kept() {
        let mut out = String::new();
        push_escapes(&mut out, "x\x1b[1my\x1bz\x1b[0m");
        assert_eq!(out, "\x1b[1m\x1b[0m");
    }

    #[test]
    fn a_cut_never_splits_an_escape() {
        let s = "abc\x1b[01;31mdef";
        assert_eq!(floor_outside_escape(s, 6), 3);
        assert_eq!(floor_outside_escape(s, 11), 11);
        assert_eq!(floor_outside_escape("é", 1), 0);
    }
}
