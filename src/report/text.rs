//! Text helpers shared by the renderers: SGR stripping, escaping, fences,
//! abbreviation of long output, time formatting.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};

use crate::runbook::duration::format_duration;

/// Lines kept at each end of abbreviated output.
pub const KEEP_LINES: usize = 40;

/// The text without colour (the program's one `strip_sgr`, see `crate::text`).
pub use crate::text::strip_sgr;

/// `s` split into at most `2 * keep` lines plus a marker line saying how many
/// were left out; `None` when it is short enough to show whole.
pub fn abbreviate(lang: crate::i18n::Lang, s: &str, keep: usize) -> Option<String> {
    let lines: Vec<&str> = s.lines().collect();
    if lines.len() <= 2 * keep {
        return None;
    }
    let omitted = lines.len() - 2 * keep;
    let mut out = lines[..keep].join("\n");
    out.push_str(&crate::i18n::trf(
        lang,
        "\n[… {} lines omitted — full output in the HTML report / journal …]\n",
        &[&omitted],
    ));
    out.push_str(&lines[lines.len() - keep..].join("\n"));
    Some(out)
}

/// A backtick fence longer than any backtick run inside `s` (at least 3).
pub fn fence_for(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Makes text safe inside a Markdown table cell: one line, no cell breaks,
/// no raw HTML.
pub fn md_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '\n' => out.push_str(" ⏎ "),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// `2026-11-24 03:00:05 UTC`.
pub fn utc_datetime(ts: DateTime<FixedOffset>) -> String {
    ts.with_timezone(&Utc)
        .format("%Y-%m-%d %H:%M:%S UTC")
        .to_string()
}

/// `03:00:05` (UTC).
pub fn utc_time(ts: DateTime<FixedOffset>) -> String {
    ts.with_timezone(&Utc).format("%H:%M:%S").to_string()
}

/// `+1m30s` from `start` (clamped at zero when the clock went backwards).
pub fn offset(start: DateTime<FixedOffset>, ts: DateTime<FixedOffset>) -> String {
    format!("+{}", format_duration(span(start, ts)))
}

/// `to - from`, zero when negative.
pub fn span(from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> Duration {
    to.signed_duration_since(from)
        .to_std()
        .unwrap_or(Duration::ZERO)
}

/// A duration in milliseconds, sub-second precision for short ones (`1.2s`).
pub fn ms(ms: u64) -> String {
    if ms < 10_000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else {
        format_duration(Duration::from_millis(ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_sgr_only() {
        assert_eq!(strip_sgr("\x1b[1;31mred\x1b[0m ok"), "red ok");
        assert_eq!(strip_sgr("a\x1bb"), "a");
        assert_eq!(strip_sgr("a\x1b]52;c;aGk=\x07b\x1b[2Jc"), "abc");
        assert_eq!(strip_sgr("plain [1m"), "plain [1m");
    }

    #[test]
    fn fence_outgrows_backticks() {
        assert_eq!(fence_for("no ticks"), "```");
        assert_eq!(fence_for("a ```` b"), "`````");
    }

    #[test]
    fn abbreviates_with_marker() {
        let text: String = (1..=100).map(|i| format!("line {i}\n")).collect();
        let short = abbreviate(crate::i18n::Lang::En, &text, 40).unwrap_or_default();
        assert!(short.contains("line 40\n[… 20 lines omitted"));
        assert!(short.ends_with("line 100"));
        assert!(abbreviate(crate::i18n::Lang::En, "a\nb", 40).is_none());
    }
}
