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
    max_chars: usize,
}

impl Editor {
    /// A one-line editor (confirmation, reason, title).
    pub fn single_line() -> Self {
        Editor {
            lines: vec![String::new()],
            multiline: false,
            max_chars: 4096,
        }
    }

    /// A multi-line editor (notes, summaries).
    pub fn multi_line() -> Self {
        Editor {
            lines: vec![String::new()],
            multiline: true,
            max_chars: 64 * 1024,
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
                    EditOutcome::Submit
                } else if last_empty && self.lines.len() == 1 {
                    // Enter on an empty editor: nothing to save yet.
                    EditOutcome::Editing
                } else {
                    self.lines.push(String::new());
                    EditOutcome::Editing
                }
            }
            KeyCode::Backspace => {
                let n = self.lines.len();
                match self.lines.last_mut() {
                    Some(l) if !l.is_empty() => {
                        l.pop();
                    }
                    _ if n > 1 => {
                        self.lines.pop();
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

    /// Inserts pasted or typed text (control characters dropped).
    pub fn insert(&mut self, text: &str) {
        let total: usize = self.lines.iter().map(|l| l.len()).sum();
        if total + text.len() > self.max_chars {
            return;
        }
        for c in text.chars() {
            if c == '\n' && self.multiline {
                self.lines.push(String::new());
            } else if !c.is_control()
                && let Some(l) = self.lines.last_mut()
            {
                l.push(c);
            }
        }
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
}
