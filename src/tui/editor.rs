//! A small text editor for dialogs and notes: single or multi-line, wide-char aware.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

/// What a key did to the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOutcome {
    /// Text changed or the cursor moved.
    Editing,
    /// The operator asked to save (Enter on a single line; Ctrl-S or Enter on
    /// an empty last line when multi-line).
    Submit,
    /// The operator cancelled (Esc).
    Cancel,
}

/// Editable text with the cursor always at the end of the last line (enough
/// for notes and answers typed under pressure; no mouse selection).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Editor {
    lines: Vec<String>,
    multiline: bool,
    max_bytes: usize,
    /// Length of [`Editor::text`] before trailing blank lines are dropped:
    /// kept up to date so a keystroke or a paste never re-measures the text.
    bytes: usize,
}

/// What a paste did: how much of it went in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pasted {
    /// Characters inserted.
    pub kept: usize,
    /// Characters left out because the field was full.
    pub cut: usize,
}

impl Editor {
    /// A one-line editor (confirmation, reason, title).
    pub fn single_line() -> Self {
        Editor {
            lines: vec![String::new()],
            multiline: false,
            max_bytes: 4096,
            bytes: 0,
        }
    }

    /// A multi-line editor (notes, summaries).
    pub fn multi_line() -> Self {
        Editor {
            lines: vec![String::new()],
            multiline: true,
            max_bytes: 64 * 1024,
            bytes: 0,
        }
    }

    /// The text typed so far, lines joined with `\n`, trailing blank lines dropped.
    pub fn text(&self) -> String {
        let mut lines = self.lines.clone();
        while lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines.join("\n")
    }

    /// The lines, for drawing.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Most bytes the field holds.
    pub fn capacity(&self) -> usize {
        self.max_bytes
    }

    /// Display width of the last line (where the cursor is).
    pub fn cursor_column(&self) -> usize {
        self.lines.last().map_or(0, |l| l.width())
    }

    /// Applies a key.
    pub fn key(&mut self, key: KeyEvent) -> EditOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => EditOutcome::Cancel,
            KeyCode::Char('s') if ctrl => EditOutcome::Submit,
            KeyCode::Char('c') if ctrl => EditOutcome::Cancel,
            KeyCode::Char('u') if ctrl => {
                if let Some(l) = self.lines.last_mut() {
                    self.bytes -= l.len();
                    l.clear();
                }
                EditOutcome::Editing
            }
            KeyCode::Enter => {
                if !self.multiline {
                    return EditOutcome::Submit;
                }
                let last_empty = self.lines.last().is_some_and(|l| l.is_empty());
                if last_empty && self.lines.len() > 1 {
                    self.lines.pop();
                    self.bytes -= 1;
                    EditOutcome::Submit
                } else if last_empty && self.lines.len() == 1 {
                    // Enter on an empty editor: nothing to save yet.
                    EditOutcome::Editing
                } else if self.bytes < self.max_bytes {
                    self.lines.push(String::new());
                    self.bytes += 1;
                    EditOutcome::Editing
                } else {
                    EditOutcome::Editing
                }
            }
            KeyCode::Backspace => {
                let n = self.lines.len();
                match self.lines.last_mut() {
                    Some(l) if !l.is_empty() => {
                        if let Some(c) = l.pop() {
                            self.bytes -= c.len_utf8();
                        }
                    }
                    _ if n > 1 => {
                        self.lines.pop();
                        self.bytes -= 1;
                    }
                    _ => {}
                }
                EditOutcome::Editing
            }
            KeyCode::Tab => {
                self.insert("  ");
                EditOutcome::Editing
            }
            KeyCode::Char(c) if !ctrl => {
                let mut buf = [0u8; 4];
                self.insert(c.encode_utf8(&mut buf));
                EditOutcome::Editing
            }
            _ => EditOutcome::Editing,
        }
    }

    /// Inserts typed or pasted text at the cursor, in one pass over it
    /// (a 100 KB paste costs what copying it costs). Line breaks (`\n`,
    /// `\r\n`, `\r`) start a new line in a multi-line editor and become a
    /// space in a one-line one; a tab becomes two spaces; other control
    /// characters are dropped. What does not fit under the cap is left out
    /// and counted, so the caller can say so.
    pub fn insert(&mut self, text: &str) -> Pasted {
        let clean = self.normalise(text);
        let room = self.max_bytes.saturating_sub(self.bytes);
        let mut keep = clean.len().min(room);
        while !clean.is_char_boundary(keep) {
            keep -= 1;
        }
        let (kept, rest) = clean.split_at(keep);
        let mut parts = kept.split('\n');
        if let (Some(first), Some(last)) = (parts.next(), self.lines.last_mut()) {
            last.push_str(first);
        }
        self.lines.extend(parts.map(str::to_string));
        self.bytes += kept.len();
        Pasted {
            kept: kept.chars().count(),
            cut: rest.chars().count(),
        }
    }

    fn normalise(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' | '\n' => {
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    out.push(if self.multiline { '\n' } else { ' ' });
                }
                '\t' => out.push_str("  "),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        if !self.multiline {
            // A copied line usually brings its line break along.
            let end = out.trim_end_matches(' ').len();
            if text.ends_with(['\n', '\r']) {
                out.truncate(end);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn multiline_note_saves_on_enter_on_an_empty_line() {
        let mut e = Editor::multi_line();
        for c in "disk full".chars() {
            e.key(key(KeyCode::Char(c)));
        }
        assert_eq!(e.key(key(KeyCode::Enter)), EditOutcome::Editing);
        for c in "磁盘满".chars() {
            e.key(key(KeyCode::Char(c)));
        }
        assert_eq!(e.cursor_column(), 6);
        assert_eq!(e.key(key(KeyCode::Enter)), EditOutcome::Editing);
        assert_eq!(e.key(key(KeyCode::Enter)), EditOutcome::Submit);
        assert_eq!(e.text(), "disk full\n磁盘满");
    }

    #[test]
    fn escape_cancels_and_control_chars_are_dropped() {
        let mut e = Editor::single_line();
        e.insert("a\u{1b}[2Jb");
        assert_eq!(e.text(), "a[2Jb");
        assert_eq!(e.key(key(KeyCode::Esc)), EditOutcome::Cancel);
    }

    #[test]
    fn a_paste_keeps_its_lines_and_is_cut_at_the_cap_with_a_count() {
        let mut e = Editor::multi_line();
        e.insert("first\r\nsecond\rthird\n");
        assert_eq!(e.lines(), ["first", "second", "third", ""]);
        assert_eq!(e.text(), "first\nsecond\nthird");
        let mut e = Editor::multi_line();
        let big = "é".repeat(60_000); // 120 000 bytes
        let p = e.insert(&big);
        assert_eq!(p.kept + p.cut, 60_000);
        assert_eq!(p.kept, 64 * 1024 / 2);
        assert_eq!(e.text().len(), 64 * 1024);
        // Full: typing adds nothing, backspace makes room again.
        e.key(key(KeyCode::Char('x')));
        assert_eq!(e.text().len(), 64 * 1024);
        e.key(key(KeyCode::Backspace));
        e.key(key(KeyCode::Char('x')));
        assert!(e.text().ends_with('x'));
    }

    #[test]
    fn a_one_line_field_takes_a_pasted_line_without_its_break() {
        let mut e = Editor::single_line();
        let p = e.insert("restart\n");
        assert_eq!(e.text(), "restart");
        assert_eq!(p.cut, 0);
        e.insert("\ta\nb");
        assert_eq!(e.text(), "restart  a b");
    }
}
