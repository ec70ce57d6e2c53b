//! SGR colour sequences (`ESC[…m`) in recorded output turned into ratatui
//! styles, so review shows output as the operator saw it. Any other escape
//! byte is dropped (the journal holds sanitised text; this is belt and braces).

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

/// Converts text to styled lines; a style carries over line ends, as in a terminal.
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
pub fn styled_line_from(s: &str, mut style: Style) -> (Line<'static>, Style) {
    let mut spans = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(pos) = rest.find('\x1b') {
        text.push_str(&clean(&rest[..pos]));
        let after = &rest[pos + 1..];
        let params = after
            .strip_prefix('[')
            .and_then(|b| {
                b.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
                    .map(|end| (b, end))
            })
            .filter(|(b, end)| b.as_bytes()[*end] == b'm');
        match params {
            Some((b, end)) => {
                if !text.is_empty() {
                    spans.push(Span::styled(std::mem::take(&mut text), style));
                }
                style = apply(style, &b[..end]);
                rest = &b[end + 1..];
            }
            None => rest = after,
        }
    }
    text.push_str(&clean(rest));
    if !text.is_empty() {
        spans.push(Span::styled(text, style));
    }
    (Line::from(spans), style)
}

/// Tabs to spaces, other control characters dropped.
fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn apply(mut style: Style, params: &str) -> Style {
    let nums: Vec<u16> = params
        .split([';', ':'])
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    let mut i = 0;
    while i < nums.len() {
        let n = nums[i];
        match n {
            0 => style = Style::default(),
            1 => style = style.add_modifier(Modifier::BOLD),
            2 => style = style.add_modifier(Modifier::DIM),
            3 => style = style.add_modifier(Modifier::ITALIC),
            4 => style = style.add_modifier(Modifier::UNDERLINED),
            7 => style = style.add_modifier(Modifier::REVERSED),
            22 => style = style.remove_modifier(Modifier::BOLD | Modifier::DIM),
            23 => style = style.remove_modifier(Modifier::ITALIC),
            24 => style = style.remove_modifier(Modifier::UNDERLINED),
            27 => style = style.remove_modifier(Modifier::REVERSED),
            30..=37 => style = style.fg(basic(n - 30)),
            39 => style.fg = None,
            40..=47 => style = style.bg(basic(n - 40)),
            49 => style.bg = None,
            90..=97 => style = style.fg(bright(n - 90)),
            100..=107 => style = style.bg(bright(n - 100)),
            38 | 48 => {
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

/// `5;n` or `2;r;g;b` after 38/48: the colour and how many numbers it used.
fn extended(rest: &[u16]) -> (Option<Color>, usize) {
    match rest {
        [5, n, ..] => (Some(Color::Indexed(*n as u8)), 2),
        [2, r, g, b, ..] => (Some(Color::Rgb(*r as u8, *g as u8, *b as u8)), 4),
        _ => (None, rest.len()),
    }
}

fn basic(n: u16) -> Color {
    [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
    ][usize::from(n.min(7))]
}

fn bright(n: u16) -> Color {
    [
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ][usize::from(n.min(7))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_become_styles_and_carry_over_lines() {
        let lines = styled_lines("\x1b[1;31mred\nstill red\x1b[0m plain");
        assert_eq!(lines[0].spans[0].content, "red");
        assert_eq!(lines[0].spans[0].style.fg, Some(Color::Red));
        assert!(
            lines[0].spans[0]
                .style
                .add_modifier
                .contains(Modifier::BOLD)
        );
        assert_eq!(lines[1].spans[0].style.fg, Some(Color::Red));
        assert_eq!(lines[1].spans[1].content, " plain");
        assert_eq!(lines[1].spans[1].style, Style::default());
    }

    #[test]
    fn extended_colours_and_stray_escapes() {
        let (l, _) = styled_line_from(
            "\x1b[38;5;208mo\x1b[48;2;1;2;3mx\x1b(B\x07",
            Style::default(),
        );
        assert_eq!(l.spans[0].style.fg, Some(Color::Indexed(208)));
        assert_eq!(l.spans[1].style.bg, Some(Color::Rgb(1, 2, 3)));
        assert_eq!(l.spans[1].content, "x(B");
    }
}
