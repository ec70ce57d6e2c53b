//! SGR colour in command output → ratatui styles.
//!
//! The exec sanitiser guarantees that the only escape sequences left in output
//! text are SGR (`ESC [ … m`); everything else was removed before it got here.
//! Each line is styled on its own (style does not carry across lines), so the
//! output pane can render just the visible lines of a long buffer.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

/// Renders one line of sanitised output as a styled line (starting unstyled).
pub fn styled_line(text: &str) -> Line<'static> {
    styled_line_from(text, Style::default()).0
}

/// Renders text as styled lines; a style carries over line ends, as in a terminal.
pub fn styled_lines(text: &str) -> Vec<Line<'static>> {
    let mut style = Style::default();
    text.lines()
        .map(|l| {
            let (line, next) = styled_line_from(l, style);
            style = next;
            line
        })
        .collect()
}

/// One line starting in `style`; returns the line and the style at its end.
pub fn styled_line_from(text: &str, mut style: Style) -> (Line<'static>, Style) {
    let mut spans = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(pos) = rest.find('\u{1b}') {
        push_clean(&mut plain, &rest[..pos]);
        let after = &rest[pos + 1..];
        match sgr_params(after) {
            Some((params, consumed)) => {
                if !plain.is_empty() {
                    spans.push(Span::styled(std::mem::take(&mut plain), style));
                }
                style = apply_sgr(style, params);
                rest = &after[consumed..];
            }
            None => {
                // Not an SGR sequence: drop the lone ESC, keep the text.
                rest = after;
            }
        }
    }
    push_clean(&mut plain, rest);
    if !plain.is_empty() {
        spans.push(Span::styled(plain, style));
    }
    (Line::from(spans), style)
}

/// Appends text without control characters: output was sanitised before it
/// was journaled, but a journal is a file anyone can edit, and nothing from
/// it may reach the terminal raw. Tabs become a space.
fn push_clean(out: &mut String, text: &str) {
    out.extend(
        text.chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|c| !c.is_control()),
    );
}

/// Removes SGR sequences, leaving the plain text (for search and width).
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('\u{1b}') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        rest = match sgr_params(after) {
            Some((_, consumed)) => &after[consumed..],
            None => after,
        };
    }
    out.push_str(rest);
    out
}

/// Parses `[params m` after an ESC; returns the parameter text and bytes consumed.
fn sgr_params(after: &str) -> Option<(&str, usize)> {
    let body = after.strip_prefix('[')?;
    let end = body.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))?;
    if body[end..].starts_with('m') {
        Some((&body[..end], end + 2))
    } else {
        None
    }
}

fn apply_sgr(mut style: Style, params: &str) -> Style {
    let nums: Vec<u16> = if params.is_empty() {
        vec![0]
    } else {
        params
            .split([';', ':'])
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    let mut i = 0;
    while i < nums.len() {
        match nums[i] {
            0 => style = Style::default(),
            1 => style = style.add_modifier(Modifier::BOLD),
            2 => style = style.add_modifier(Modifier::DIM),
            3 => style = style.add_modifier(Modifier::ITALIC),
            4 => style = style.add_modifier(Modifier::UNDERLINED),
            7 => style = style.add_modifier(Modifier::REVERSED),
            9 => style = style.add_modifier(Modifier::CROSSED_OUT),
            22 => style = style.remove_modifier(Modifier::BOLD | Modifier::DIM),
            23 => style = style.remove_modifier(Modifier::ITALIC),
            24 => style = style.remove_modifier(Modifier::UNDERLINED),
            27 => style = style.remove_modifier(Modifier::REVERSED),
            29 => style = style.remove_modifier(Modifier::CROSSED_OUT),
            n @ 30..=37 => style = style.fg(basic(n - 30, false)),
            n @ 90..=97 => style = style.fg(basic(n - 90, true)),
            n @ 40..=47 => style = style.bg(basic(n - 40, false)),
            n @ 100..=107 => style = style.bg(basic(n - 100, true)),
            39 => style.fg = None,
            49 => style.bg = None,
            n @ (38 | 48) => {
                let (color, used) = extended(&nums[i + 1..]);
                if let Some(c) = color {
                    style = if n == 38 { style.fg(c) } else { style.bg(c) };
                }
                i += used;
            }
            _ => {}
        }
        i += 1;
    }
    style
}

fn extended(rest: &[u16]) -> (Option<Color>, usize) {
    match rest {
        [5, n, ..] => (Some(Color::Indexed((*n).min(255) as u8)), 2),
        [2, r, g, b, ..] => (
            Some(Color::Rgb(
                (*r).min(255) as u8,
                (*g).min(255) as u8,
                (*b).min(255) as u8,
            )),
            4,
        ),
        _ => (None, rest.len()),
    }
}

fn basic(n: u16, bright: bool) -> Color {
    match (n, bright) {
        (0, false) => Color::Black,
        (1, false) => Color::Red,
        (2, false) => Color::Green,
        (3, false) => Color::Yellow,
        (4, false) => Color::Blue,
        (5, false) => Color::Magenta,
        (6, false) => Color::Cyan,
        (7, false) => Color::Gray,
        (0, true) => Color::DarkGray,
        (1, true) => Color::LightRed,
        (2, true) => Color::LightGreen,
        (3, true) => Color::LightYellow,
        (4, true) => Color::LightBlue,
        (5, true) => Color::LightMagenta,
        (6, true) => Color::LightCyan,
        _ => Color::White,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_become_styles_and_escapes_disappear() {
        let line = styled_line("ok \u{1b}[1;31mFAIL\u{1b}[0m done");
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "ok FAIL done");
        assert_eq!(line.spans[1].style.fg, Some(Color::Red));
        assert!(line.spans[1].style.add_modifier.contains(Modifier::BOLD));
        assert_eq!(line.spans[2].style, Style::default());
    }

    #[test]
    fn styles_carry_over_lines_and_controls_never_pass() {
        let lines = styled_lines("\u{1b}[1;31mred\nstill red\u{1b}[0m plain\u{7}\u{9b}2J");
        assert_eq!(lines[0].spans[0].style.fg, Some(Color::Red));
        assert_eq!(lines[1].spans[0].style.fg, Some(Color::Red));
        assert_eq!(lines[1].spans[1].content, " plain2J");
        assert_eq!(lines[1].spans[1].style, Style::default());
    }

    #[test]
    fn extended_colours_and_stray_escapes() {
        let line = styled_line("\u{1b}[38;5;208mx\u{1b}[48;2;1;2;3my\u{1b}z");
        assert_eq!(line.spans[0].style.fg, Some(Color::Indexed(208)));
        assert_eq!(line.spans[1].style.bg, Some(Color::Rgb(1, 2, 3)));
        assert_eq!(plain("a\u{1b}[31mb\u{1b}[mc\u{1b}"), "abc");
    }
}
