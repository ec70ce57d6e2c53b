//! Bounded display buffer: the last lines of a run's output, for the output pane.
//!
//! Promise 5: memory stays bounded whatever a command prints. At most `max_lines`
//! lines are kept (older ones are counted as dropped) and each line is capped at
//! [`MAX_LINE_CHARS`] characters, with [`TRUNCATED_MARKER`] appended.

use std::collections::VecDeque;

/// Longest line kept, in characters (SGR sequences included).
pub const MAX_LINE_CHARS: usize = 4096;
/// Appended to a line that was cut at [`MAX_LINE_CHARS`].
pub const TRUNCATED_MARKER: &str = " … [line truncated]";

/// The last `max_lines` lines of sanitised output.
#[derive(Debug)]
pub struct OutputTail {
    lines: VecDeque<String>,
    max_lines: usize,
    /// The last line has no newline yet: the next text continues it.
    open: bool,
    /// The open line was already cut; the rest of it is skipped.
    open_capped: bool,
    dropped: u64,
}

impl OutputTail {
    /// An empty buffer keeping at most `max_lines` lines (at least one).
    pub fn new(max_lines: usize) -> Self {
        OutputTail {
            lines: VecDeque::new(),
            max_lines: max_lines.max(1),
            open: false,
            open_capped: false,
            dropped: 0,
        }
    }

    /// Appends sanitised text (any mix of whole and partial lines).
    pub fn push(&mut self, text: &str) {
        self.push_with(text, &|_| None);
    }

    /// Appends text, then lets `fix` rewrite each line it touched, whole —
    /// so a secret split across two chunks is still masked on screen.
    /// `fix` returns `None` to keep the line as it is.
    pub fn push_with(&mut self, text: &str, fix: &dyn Fn(&str) -> Option<String>) {
        self.push_guarded(text, fix, 0);
    }

    /// [`OutputTail::push_with`] for masked text: a line cut at its cap also
    /// loses its last `guard - 1` characters (the longest secret's length),
    /// so the start of a secret that the cut splits is never shown unmasked.
    pub fn push_guarded(&mut self, text: &str, fix: &dyn Fn(&str) -> Option<String>, guard: usize) {
        // Line ends found with `memchr` (vector search), not char by char.
        let mut start = 0;
        while start < text.len() {
            let (body, ends) = match memchr::memchr(b'\n', &text.as_bytes()[start..]) {
                Some(nl) => (&text[start..start + nl], true),
                None => (&text[start..], false),
            };
            start += body.len() + usize::from(ends);
            if !self.open {
                self.new_line();
            }
            if !self.open_capped
                && let Some(last) = self.lines.back_mut()
            {
                last.push_str(body);
                if let Some(fixed) = fix(last) {
                    *last = fixed;
                }
                self.open_capped = cap_line(last, guard);
            }
            self.open = !ends;
            if ends {
                self.open_capped = false;
            }
        }
    }

    /// The kept lines, oldest first (without newlines).
    pub fn lines(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.lines.iter().map(String::as_str)
    }

    /// Number of kept lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when nothing was pushed yet.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Lines dropped from the top to stay within `max_lines`.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    fn new_line(&mut self) {
        // Reuse the evicted line's allocation: a flood then allocates nothing.
        let line = if self.lines.len() >= self.max_lines {
            self.dropped += 1;
            self.lines.pop_front().map(|mut s| {
                s.clear();
                s
            })
        } else {
            None
        };
        self.lines.push_back(line.unwrap_or_default());
    }
}

/// Cuts `line` to [`MAX_LINE_CHARS`] (never inside an SGR sequence) and marks it;
/// `guard` more characters go when a secret could straddle the cut.
/// Returns whether it was cut.
fn cap_line(line: &mut String, guard: usize) -> bool {
    if line.len() <= MAX_LINE_CHARS {
        return false; // bytes >= chars, so it fits
    }
    if line.char_indices().nth(MAX_LINE_CHARS).is_none() {
        return false;
    }
    let keep = MAX_LINE_CHARS - guard.saturating_sub(1).min(MAX_LINE_CHARS / 2);
    let Some((mut cut, _)) = line.char_indices().nth(keep) else {
        return false;
    };
    if let Some(esc) = line[..cut].rfind('\x1b')
        && !line[esc..cut].contains('m')
    {
        cut = esc;
    }
    line.truncate(cut);
    line.push_str(TRUNCATED_MARKER);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_lines_and_counts_dropped() {
        let mut t = OutputTail::new(3);
        t.push("1\n2\n3\n4\n5\n");
        assert_eq!(t.lines().collect::<Vec<_>>(), ["3", "4", "5"]);
        assert_eq!(t.dropped(), 2);
    }

    #[test]
    fn partial_lines_are_joined() {
        let mut t = OutputTail::new(10);
        t.push("hel");
        t.push("lo\nwor");
        t.push("ld");
        assert_eq!(t.lines().collect::<Vec<_>>(), ["hello", "world"]);
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn a_secret_split_by_the_cap_shows_none_of_its_start() {
        let secret = "hunter2pass";
        let mask = |l: &str| l.contains(secret).then(|| l.replace(secret, "••••"));
        let mut t = OutputTail::new(4);
        let mut text = "x".repeat(MAX_LINE_CHARS - 5);
        text.push_str(secret);
        text.push('\n');
        // In two chunks, so the secret is whole only after the cut.
        let (a, b) = text.split_at(MAX_LINE_CHARS - 5 + 6);
        t.push_guarded(a, &mask, secret.len());
        t.push_guarded(b, &mask, secret.len());
        let line = t.lines().next().unwrap_or_default();
        assert!(line.ends_with(TRUNCATED_MARKER), "{line}");
        assert!(
            !line.contains('h'),
            "the start of the secret shows: …{}",
            &line[line.len() - 40..]
        );
    }

    #[test]
    fn long_lines_are_capped_with_a_marker() {
        let mut t = OutputTail::new(10);
        let long = "é".repeat(MAX_LINE_CHARS + 50);
        t.push(&long);
        t.push(&long);
        t.push("\nnext\n");
        let lines: Vec<_> = t.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with(TRUNCATED_MARKER));
        assert_eq!(
            lines[0].chars().count(),
            MAX_LINE_CHARS + TRUNCATED_MARKER.chars().count()
        );
        assert_eq!(lines[1], "next");
    }

    #[test]
    fn cap_never_splits_an_sgr_sequence() {
        let mut line = "x".repeat(MAX_LINE_CHARS - 2);
        line.push_str("\x1b[31mred");
        assert!(cap_line(&mut line, 0));
        assert!(
            !line.contains('\x1b'),
            "a cut SGR must go entirely: {:?}",
            &line[line.len() - 30..]
        );
    }
}
