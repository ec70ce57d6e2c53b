//! Journal excerpt of one run's output: the head streamed out at once, a rolling
//! tail held back, and a count of what was left out between them (promise 5).

/// Cuts are moved to a line boundary when one is this close.
const LINE_SEARCH: usize = 4096;

/// Bounded excerpt of a run's output: at most `limit` bytes reach the journal.
#[derive(Debug)]
pub struct Excerpt {
    head_left: usize,
    head_open: bool,
    tail: String,
    tail_limit: usize,
    omitted: u64,
}

impl Excerpt {
    /// Keeps the first `limit / 2` bytes (streamed) and the last `limit / 2` bytes.
    pub fn new(limit_bytes: usize) -> Self {
        Excerpt {
            head_left: limit_bytes / 2,
            head_open: true,
            tail: String::new(),
            tail_limit: limit_bytes / 2,
            omitted: 0,
        }
    }

    /// Takes more output; returns the part to journal now (while the head lasts).
    pub fn push(&mut self, text: &str) -> Option<String> {
        if !self.head_open {
            self.push_tail(text);
            return None;
        }
        if text.len() <= self.head_left {
            self.head_left -= text.len();
            return (!text.is_empty()).then(|| text.to_string());
        }
        // The head ends inside this text: cut at a line end if there is one near.
        let limit = floor_char_boundary(text, self.head_left);
        let cut = match text[..limit].rfind('\n') {
            Some(p) if limit - (p + 1) <= LINE_SEARCH => p + 1,
            _ => limit,
        };
        self.head_open = false;
        self.head_left = 0;
        self.push_tail(&text[cut..]);
        (cut > 0).then(|| text[..cut].to_string())
    }

    /// Ends the run: `None` when everything was journaled through `push`, else the
    /// number of bytes left out and the held tail (to journal after a marker).
    pub fn finish(mut self) -> Option<(u64, String)> {
        self.trim_tail(self.tail_limit);
        if self.tail.is_empty() && self.omitted == 0 {
            return None;
        }
        Some((self.omitted, self.tail))
    }

    fn push_tail(&mut self, text: &str) {
        self.tail.push_str(text);
        // Trim in batches so the memmove is amortised: at most 2 × limit held.
        if self.tail.len() > self.tail_limit.saturating_mul(2).max(LINE_SEARCH) {
            self.trim_tail(self.tail_limit);
        }
    }

    fn trim_tail(&mut self, keep: usize) {
        if self.tail.len() <= keep {
            return;
        }
        let mut cut = ceil_char_boundary(&self.tail, self.tail.len() - keep);
        let at_line_start = self.tail[..cut].ends_with('\n');
        if !at_line_start
            && let Some(p) = self.tail[cut..].find('\n')
            && p < LINE_SEARCH.min(self.tail.len() - cut - 1)
        {
            cut += p + 1;
        }
        self.omitted += cut as u64;
        self.tail.drain(..cut);
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_output_is_all_head() {
        let mut e = Excerpt::new(100);
        assert_eq!(e.push("abc\n").as_deref(), Some("abc\n"));
        assert_eq!(e.finish(), None);
    }

    #[test]
    fn flood_keeps_head_and_tail_and_counts_the_rest() {
        let mut e = Excerpt::new(40);
        let mut head = String::new();
        let mut total = 0;
        for i in 0..1000 {
            let line = format!("line {i:04}\n"); // 10 bytes
            total += line.len();
            if let Some(h) = e.push(&line) {
                head.push_str(&h);
            }
        }
        assert_eq!(head, "line 0000\nline 0001\n");
        let (omitted, tail) = e.finish().unwrap_or_default();
        assert_eq!(tail, "line 0998\nline 0999\n");
        assert_eq!(omitted as usize, total - head.len() - tail.len());
    }

    #[test]
    fn cuts_on_char_boundaries() {
        let mut e = Excerpt::new(7);
        let head = e.push("ééééééé").unwrap_or_default(); // 14 bytes, no newline
        assert_eq!(head, "é"); // 3 bytes allowed: one 2-byte char fits
        let (omitted, tail) = e.finish().unwrap_or_default();
        assert_eq!(tail, "é");
        assert_eq!(omitted, 10);
    }
}
