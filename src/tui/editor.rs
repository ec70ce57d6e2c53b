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

/// Editable text with a cursor: the keys of a shell's line editor (←/→,
/// Home/End, Ctrl-A/E, word moves, Ctrl-W/U/K, Backspace/Delete, ↑/↓ between
/// lines); no mouse selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Editor {
    lines: Vec<String>,
    multiline: bool,
    max_bytes: usize,
    /// Length of [`Editor::text`] before trailing blank lines are dropped:
    /// kept up to date so a keystroke or a paste never re-measures the text.
    bytes: usize,
    /// The cursor's line.
    row: usize,
    /// The cursor's byte offset in its line (always on a char boundary).
    col: usize,
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
            ..Editor::default()
        }
    }

    /// A multi-line editor (notes, summaries).
    pub fn multi_line() -> Self {
        Editor {
            lines: vec![String::new()],
            multiline: true,
            max_bytes: 64 * 1024,
            ..Editor::default()
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

    /// The cursor: its line and its byte offset in that line.
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    /// Display width of the cursor's line up to the cursor.
    pub fn cursor_column(&self) -> usize {
        self.line()[..self.col].width()
    }

    fn line(&self) -> &str {
        self.lines.get(self.row).map_or("", String::as_str)
    }

    /// Applies a key.
    pub fn key(&mut self, key: KeyEvent) -> EditOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Esc => return EditOutcome::Cancel,
            KeyCode::Char('s') if ctrl => return EditOutcome::Submit,
            KeyCode::Char('c') if ctrl => return EditOutcome::Cancel,
            KeyCode::Enter => return self.enter(),
            KeyCode::Left if ctrl || alt => self.col = self.word_left(),
            KeyCode::Char('b') if alt => self.col = self.word_left(),
            KeyCode::Right if ctrl || alt => self.col = self.word_right(),
            KeyCode::Char('f') if alt => self.col = self.word_right(),
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Home => self.col = 0,
            KeyCode::Char('a') if ctrl => self.col = 0,
            KeyCode::End => self.col = self.line().len(),
            KeyCode::Char('e') if ctrl => self.col = self.line().len(),
            KeyCode::Up => self.vertical(-1),
            KeyCode::Down => self.vertical(1),
            KeyCode::Char('w') if ctrl => self.delete_back_to(self.word_left()),
            KeyCode::Backspace if ctrl || alt => self.delete_back_to(self.word_left()),
            KeyCode::Char('u') if ctrl => self.delete_back_to(0),
            KeyCode::Char('k') if ctrl => {
                let end = self.line().len();
                self.delete_range(self.col, end);
            }
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Tab => {
                self.insert("  ");
            }
            KeyCode::Char(c) if !ctrl => {
                let mut buf = [0u8; 4];
                self.insert(c.encode_utf8(&mut buf));
            }
            _ => {}
        }
        EditOutcome::Editing
    }

    /// Enter: saves a one-line field; in a multi-line one, saves on an
    /// empty last line and otherwise breaks the line at the cursor.
    fn enter(&mut self) -> EditOutcome {
        if !self.multiline {
            return EditOutcome::Submit;
        }
        let on_last = self.row + 1 == self.lines.len();
        if on_last && self.line().is_empty() {
            if self.lines.len() == 1 {
                // Enter on an empty editor: nothing to save yet.
                return EditOutcome::Editing;
            }
            self.lines.pop();
            self.bytes -= 1;
            self.row -= 1;
            self.col = self.line().len();
            return EditOutcome::Submit;
        }
        if self.bytes < self.max_bytes {
            let rest = self.lines[self.row].split_off(self.col);
            self.lines.insert(self.row + 1, rest);
            self.bytes += 1;
            self.row += 1;
            self.col = 0;
        }
        EditOutcome::Editing
    }

    fn left(&mut self) {
        if let Some(c) = self.line()[..self.col].chars().next_back() {
            self.col -= c.len_utf8();
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.line().len();
        }
    }

    fn right(&mut self) {
        if let Some(c) = self.line()[self.col..].chars().next() {
            self.col += c.len_utf8();
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    /// The start of the word before the cursor (spaces, then non-spaces).
    fn word_left(&self) -> usize {
        let before = &self.line()[..self.col];
        let trimmed = before.trim_end();
        trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8())
    }

    /// The end of the word after the cursor (spaces, then non-spaces).
    fn word_right(&self) -> usize {
        let after = &self.line()[self.col..];
        let skipped = after.len() - after.trim_start().len();
        let word = after[skipped..]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(after.len() - skipped, |(i, _)| i);
        self.col + skipped + word
    }

    /// Up or down a line, at the same display column (or the line's end).
    fn vertical(&mut self, by: isize) {
        let Some(row) = self
            .row
            .checked_add_signed(by)
            .filter(|&r| r < self.lines.len())
        else {
            return;
        };
        let want = self.cursor_column();
        self.row = row;
        let line = self.line();
        let mut w = 0;
        let mut col = line.len();
        for (i, c) in line.char_indices() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if w + cw > want {
                col = i;
                break;
            }
            w += cw;
        }
        self.col = col;
    }

    fn delete_range(&mut self, from: usize, to: usize) {
        if let Some(l) = self.lines.get_mut(self.row) {
            l.replace_range(from..to, "");
            self.bytes -= to - from;
            self.col = from;
        }
    }

    fn delete_back_to(&mut self, from: usize) {
        self.delete_range(from, self.col);
    }

    fn backspace(&mut self) {
        if let Some(c) = self.line()[..self.col].chars().next_back() {
            self.delete_range(self.col - c.len_utf8(), self.col);
        } else if self.row > 0 {
            // At the start of a line: join it to the one above.
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.line().len();
            self.lines[self.row].push_str(&line);
            self.bytes -= 1;
        }
    }

    fn delete(&mut self) {
        if let Some(c) = self.line()[self.col..].chars().next() {
            self.delete_range(self.col, self.col + c.len_utf8());
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            self.lines[self.row].push_str(&next);
            self.bytes -= 1;
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
        let Some(line) = self.lines.get_mut(self.row) else {
            return Pasted {
                kept: 0,
                cut: clean.chars().count(),
            };
        };
        let tail = line.split_off(self.col);
        let mut parts = kept.split('\n');
        if let Some(first) = parts.next() {
            line.push_str(first);
        }
        let mut added = 0;
        for part in parts {
            added += 1;
            self.lines.insert(self.row + added, part.to_string());
        }
        self.row += added;
        self.col = self.lines[self.row].len();
        self.lines[self.row].push_str(&tail);
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

    fn with(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    fn typed(e: &mut Editor, s: &str) {
        for c in s.chars() {
            e.key(key(KeyCode::Char(c)));
        }
    }

    const CTRL: KeyModifiers = KeyModifiers::CONTROL;
    const ALT: KeyModifiers = KeyModifiers::ALT;

    #[test]
    fn arrows_home_and_end_move_and_typing_goes_in_at_the_cursor() {
        let mut e = Editor::single_line();
        typed(&mut e, "rabbitmq restart");
        e.key(key(KeyCode::Home));
        typed(&mut e, "sudo ");
        assert_eq!(e.text(), "sudo rabbitmq restart");
        e.key(key(KeyCode::End));
        e.key(key(KeyCode::Left));
        e.key(key(KeyCode::Left));
        typed(&mut e, "X");
        assert_eq!(e.text(), "sudo rabbitmq restaXrt");
        e.key(with(KeyCode::Char('a'), CTRL));
        assert_eq!(e.cursor(), (0, 0));
        e.key(key(KeyCode::Left));
        assert_eq!(e.cursor(), (0, 0), "nothing before the start");
        e.key(with(KeyCode::Char('e'), CTRL));
        assert_eq!(e.cursor_column(), 22);
        e.key(key(KeyCode::Right));
        assert_eq!(e.cursor_column(), 22, "nothing after the end");
    }

    #[test]
    fn word_moves_and_word_deletes() {
        let mut e = Editor::single_line();
        typed(&mut e, "vhost orders  blocked");
        e.key(with(KeyCode::Left, CTRL));
        assert_eq!(e.cursor_column(), 14);
        e.key(with(KeyCode::Left, ALT));
        assert_eq!(e.cursor_column(), 6);
        e.key(with(KeyCode::Char('b'), ALT));
        assert_eq!(e.cursor_column(), 0);
        e.key(with(KeyCode::Right, CTRL));
        assert_eq!(e.cursor_column(), 5);
        e.key(with(KeyCode::Char('f'), ALT));
        assert_eq!(e.cursor_column(), 12);
        e.key(with(KeyCode::Char('w'), CTRL));
        assert_eq!(e.text(), "vhost   blocked");
        assert_eq!(e.cursor_column(), 6);
        e.key(with(KeyCode::Char('k'), CTRL));
        assert_eq!(e.text(), "vhost ");
        typed(&mut e, "x");
        e.key(key(KeyCode::Left));
        e.key(with(KeyCode::Char('u'), CTRL));
        assert_eq!(e.text(), "x");
        assert_eq!(e.cursor(), (0, 0));
    }

    #[test]
    fn backspace_and_delete_work_at_the_cursor_and_join_lines() {
        let mut e = Editor::multi_line();
        typed(&mut e, "磁盘满");
        e.key(key(KeyCode::Left));
        e.key(key(KeyCode::Backspace));
        assert_eq!(e.text(), "磁满");
        assert_eq!(e.cursor_column(), 2);
        e.key(key(KeyCode::Delete));
        assert_eq!(e.text(), "磁");
        e.key(key(KeyCode::Enter));
        typed(&mut e, "two");
        e.key(key(KeyCode::Home));
        e.key(key(KeyCode::Backspace));
        assert_eq!(e.lines(), ["磁two"]);
        assert_eq!(e.cursor(), (0, "磁".len()));
        e.key(key(KeyCode::Enter));
        assert_eq!(
            e.lines(),
            ["磁", "two"],
            "Enter splits the line at the cursor"
        );
        e.key(key(KeyCode::Up));
        e.key(key(KeyCode::End));
        e.key(key(KeyCode::Delete));
        assert_eq!(e.lines(), ["磁two"]);
        // The byte count follows every edit: the cap still holds exactly.
        assert_eq!(e.bytes, e.text().len());
    }

    #[test]
    fn up_and_down_keep_the_column_between_lines() {
        let mut e = Editor::multi_line();
        e.insert("first line\nab\nthird line");
        assert_eq!(e.cursor(), (2, 10));
        e.key(key(KeyCode::Up));
        assert_eq!(e.cursor(), (1, 2), "a shorter line: its end");
        e.key(key(KeyCode::Up));
        assert_eq!(e.cursor(), (0, 2));
        e.key(key(KeyCode::Up));
        assert_eq!(e.cursor(), (0, 2), "nothing above the first line");
        e.key(key(KeyCode::Down));
        e.key(key(KeyCode::Down));
        assert_eq!(e.cursor(), (2, 2));
        // A paste in the middle keeps what follows the cursor after it.
        e.insert("X\nY");
        assert_eq!(e.lines(), ["first line", "ab", "thX", "Yird line"]);
        assert_eq!(e.cursor(), (3, 1));
        // ← at a line's start goes to the end of the line above.
        e.key(key(KeyCode::Home));
        e.key(key(KeyCode::Left));
        assert_eq!(e.cursor(), (2, 3));
    }

    #[test]
    fn enter_on_an_empty_last_line_still_saves_after_moving_around() {
        let mut e = Editor::multi_line();
        typed(&mut e, "one");
        e.key(key(KeyCode::Enter));
        e.key(key(KeyCode::Up));
        e.key(key(KeyCode::Down));
        assert_eq!(e.key(key(KeyCode::Enter)), EditOutcome::Submit);
        assert_eq!(e.text(), "one");
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
