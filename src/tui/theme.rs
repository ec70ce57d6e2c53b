//! Colours that read on light and dark terminals alike, and `NO_COLOR`.
//!
//! The rule every screen follows (a test checks every cell of the frames):
//! - text on the terminal's own background is in the default colour or one
//!   of the six hues (red, green, yellow, blue, magenta, cyan), which every
//!   terminal theme tunes to read on its own background. Black, white and
//!   the greys are some theme's background (white on a light terminal,
//!   black or dark grey on a dark one) and vanish there, so they are never a
//!   foreground on the default background; quieter text is dimmed
//!   ([`dim`]) instead of greyed;
//! - a background is only ever set together with a foreground of its own,
//!   different from it (black or white on a hue), never on the terminal's
//!   default foreground, which may be black or white.
//!
//! With `NO_COLOR` set (and not empty, as no-color.org says) every colour
//! goes: [`strip_colour`] reduces a drawn frame to its modifiers, a
//! coloured background becoming reverse video so selections and badges
//! still show.

use std::ffi::OsStr;

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};

/// Quieter text (hints, times, borders of unfocused panes): dimmed, in the
/// default colour, so it reads on any background.
pub fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

/// A badge (LIVE, RESOLVED, a banner): a hue behind a foreground chosen to
/// contrast with it.
pub fn badge(bg: Color) -> Style {
    let fg = match bg {
        Color::Green | Color::Yellow | Color::Cyan => Color::Black,
        _ => Color::White,
    };
    Style::new().bg(bg).fg(fg)
}

/// Whether a `NO_COLOR` value asks for no colour: set and not empty.
pub fn no_color_requested(value: Option<&OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

/// Whether this process was asked for no colour: `NO_COLOR`, or
/// `theme = "mono"` in the config file. Read at the edge, once, by the
/// commands that draw or print.
pub fn no_color() -> bool {
    no_color_requested(std::env::var_os("NO_COLOR").as_deref())
        || crate::config::load().theme == crate::config::Theme::Mono
}

/// Takes every colour out of a drawn frame, command output's included:
/// a coloured background becomes reverse video, modifiers (bold, dim,
/// underline, reverse) stay.
pub fn strip_colour(buf: &mut Buffer) {
    for cell in &mut buf.content {
        if cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::REVERSED);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
    }
}

/// Why a cell would not read on a light or a dark terminal, if it would not
/// (the rule above; for tests of every frame).
pub fn unreadable(fg: Color, bg: Color) -> Option<&'static str> {
    let greyscale = matches!(
        fg,
        Color::Black | Color::White | Color::Gray | Color::DarkGray
    );
    let light = matches!(
        fg,
        Color::LightRed
            | Color::LightGreen
            | Color::LightYellow
            | Color::LightBlue
            | Color::LightMagenta
            | Color::LightCyan
    );
    if bg == Color::Reset {
        if greyscale {
            return Some("black, white or grey text on the terminal's own background");
        }
        if light {
            return Some("a light hue on the terminal's own background (vanishes on white)");
        }
        None
    } else if fg == Color::Reset {
        Some("a background behind the terminal's default foreground")
    } else if fg == bg {
        Some("foreground and background the same")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_means_set_and_not_empty() {
        assert!(!no_color_requested(None));
        assert!(!no_color_requested(Some(OsStr::new(""))));
        assert!(no_color_requested(Some(OsStr::new("1"))));
        assert!(no_color_requested(Some(OsStr::new("false"))));
    }

    #[test]
    fn stripping_keeps_a_highlight_as_reverse_video() {
        let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 2, 1));
        buf[(0, 0)].set_style(badge(Color::Red).add_modifier(Modifier::BOLD));
        buf[(1, 0)].set_style(Style::new().fg(Color::Green));
        strip_colour(&mut buf);
        assert_eq!(buf[(0, 0)].fg, Color::Reset);
        assert_eq!(buf[(0, 0)].bg, Color::Reset);
        assert!(
            buf[(0, 0)]
                .modifier
                .contains(Modifier::REVERSED | Modifier::BOLD)
        );
        assert_eq!(buf[(1, 0)].fg, Color::Reset);
        assert!(!buf[(1, 0)].modifier.contains(Modifier::REVERSED));
    }

    /// The frames the tests draw cannot show every state (the "saving…"
    /// mark depends on the disk): no drawing code anywhere names a
    /// greyscale or light foreground, so no state can show one.
    #[test]
    fn no_drawing_code_names_a_foreground_that_vanishes_on_some_terminal() {
        const VANISH: [&str; 10] = [
            "White",
            "Black",
            "Gray",
            "DarkGray",
            "LightRed",
            "LightGreen",
            "LightYellow",
            "LightBlue",
            "LightMagenta",
            "LightCyan",
        ];
        let mut found = Vec::new();
        crate::text::tests::each_source_line(&mut |p, no, line| {
            // The rule's own module, and the SGR decoder that maps a
            // command's own colours.
            if p.ends_with("tui/theme.rs") || p.ends_with("text/styled.rs") {
                return;
            }
            if VANISH
                .iter()
                .any(|c| line.contains(&format!("fg(Color::{c})")))
            {
                found.push(format!("{}:{no}: {}", p.display(), line.trim()));
            }
        });
        assert!(
            found.is_empty(),
            "use theme::dim() or a hue:\n{}",
            found.join("\n")
        );
    }
}
