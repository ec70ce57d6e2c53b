//! Streaming output sanitiser: raw command bytes in, text that is safe to paint out.
//!
//! Promise 4: bytes from commands are never painted raw. The output is valid UTF-8
//! (U+FFFD for bad bytes) and contains no control characters except `\n` and `\t`,
//! and no escape sequence except SGR (`ESC [ params m`), kept as style information.
//! Carriage return and backspace are applied to the current line. State (a split
//! UTF-8 character, a half-read escape sequence, the current line) is carried across
//! `push` calls, so chunk boundaries never matter.
//!
//! Raw 8-bit bytes 0x80–0x9F are invalid UTF-8 and become U+FFFD; C1 controls that
//! arrive UTF-8 encoded (U+0080–U+009F) are interpreted (U+009B starts a CSI, U+009D
//! an OSC, …) and dropped with their sequence, as a terminal would act on them.
//!
//! No escape can hide what follows it. A CSI or a two-byte escape ends at the first
//! character that cannot continue it. An OSC, DCS, SOS, PM or APC string ends at its
//! terminator (ST, or BEL for an OSC) and is dropped; one that is not terminated ends:
//! - at a newline or at the end of the stream: it was never a sequence, so its
//!   introducer is dropped and its content is shown as text, followed by the newline
//!   (`printf '\033]0;'; echo failed` shows `0;failed`);
//! - at [`MAX_STRING_SEQ`] bytes without a newline: a runaway payload (an image, a
//!   clipboard write); what it held is dropped and what follows shows as text.
//!
//! Text from elsewhere (runbooks, journals, HTTP bodies) goes through the same
//! sanitiser on its way to a terminal: see `crate::text`.

/// Longest SGR parameter string kept; longer ones are dropped (bounded state).
const MAX_SGR_PARAMS: usize = 64;
/// An OSC/DCS/SOS/PM/APC string longer than this (bytes, no newline) is abandoned
/// and what follows is shown as text again, so a stray introducer cannot swallow
/// the rest of the output.
pub const MAX_STRING_SEQ: usize = 4096;
/// A line longer than this (bytes) is emitted without waiting for its newline.
pub const LINE_CAP: usize = 8192;

#[cfg(test)]
use crate::text::sgr::skip_sgr;
#[cfg(test)]
use crate::text::sgr::strip_sanitised_sgr;
use crate::text::sgr::{ends_with_sgr, overwrite};
pub use crate::text::strip_sgr;

const ESC: char = '\x1b';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Ground,
    /// After ESC.
    Esc,
    /// ESC followed by intermediate bytes, waiting for the final byte.
    EscIntermediate,
    /// Inside a CSI; `sgr_ok` while it can still be a keepable SGR.
    Csi {
        sgr_ok: bool,
    },
    /// Inside an OSC (BEL terminates it) or DCS/SOS/PM/APC (only ST does).
    Str {
        bel_ends: bool,
        len: usize,
        esc: bool,
    },
}

/// Streaming sanitiser for one output stream (see the module docs).
#[derive(Debug)]
pub struct Sanitizer {
    state: State,
    /// Parameters of the CSI being read (only kept while it may be an SGR).
    csi: String,
    /// Printable content of the OSC/DCS/… string being read (≤ [`MAX_STRING_SEQ`]),
    /// shown as text if the string turns out not to be terminated.
    seq: String,
    /// Bytes of a UTF-8 character split across chunks (≤ 3).
    utf8: Vec<u8>,
    /// The current line, not yet emitted.
    line: String,
    /// What a carriage return left behind: `line` overwrites it from the start.
    under: Option<String>,
    /// A `\r` whose meaning depends on the next character (`\r\n` is a newline).
    cr_pending: bool,
    /// Part of the current line was already emitted (cap or timed flush).
    continued: bool,
}

impl Default for Sanitizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Sanitizer {
    /// A sanitiser at the start of a stream.
    pub fn new() -> Self {
        Sanitizer {
            state: State::Ground,
            csi: String::new(),
            seq: String::new(),
            utf8: Vec::with_capacity(4),
            line: String::new(),
            under: None,
            cr_pending: false,
            continued: false,
        }
    }

    /// Feeds raw bytes; returns the text that is final: whole lines (each ending in
    /// `\n`) and, for a line longer than [`LINE_CAP`], its first part.
    pub fn push(&mut self, bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len() + self.line.len() + 1);
        let mut rest = bytes;
        // Complete a UTF-8 character split by the previous chunk.
        while !self.utf8.is_empty() && !rest.is_empty() {
            let have = self.utf8.len();
            let take = rest.len().min(4 - have);
            let mut tmp = self.utf8.clone();
            tmp.extend_from_slice(&rest[..take]);
            match std::str::from_utf8(&tmp) {
                Ok(s) => self.finish_split_char(s, have, &mut rest, &mut out),
                Err(e) if e.valid_up_to() > 0 => {
                    let s = std::str::from_utf8(&tmp[..e.valid_up_to()]).unwrap_or("");
                    self.finish_split_char(s, have, &mut rest, &mut out);
                }
                Err(e) => match e.error_len() {
                    Some(n) => {
                        self.utf8.clear();
                        self.feed_char('\u{FFFD}', &mut out);
                        rest = &rest[n.saturating_sub(have).min(rest.len())..];
                    }
                    None => {
                        self.utf8 = tmp;
                        rest = &[];
                    }
                },
            }
        }
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.feed_str(s, &mut out);
                    rest = &[];
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    self.feed_str(std::str::from_utf8(valid).unwrap_or(""), &mut out);
                    match e.error_len() {
                        Some(n) => {
                            self.feed_char('\u{FFFD}', &mut out);
                            rest = &after[n..];
                        }
                        None => {
                            self.utf8.extend_from_slice(after);
                            rest = &[];
                        }
                    }
                }
            }
        }
        out
    }

    /// True when part of a line is held back, waiting for its end.
    pub fn has_partial(&self) -> bool {
        !self.line.is_empty() || self.under.as_ref().is_some_and(|u| !u.is_empty())
    }

    /// Emits the held-back part of the current line now (a timed flush). Text after
    /// it continues the same line; a later `\r` can no longer overwrite it.
    pub fn take_partial(&mut self) -> String {
        let mut out = String::new();
        if self.has_partial() {
            self.emit_line(&mut out, false);
        }
        out
    }

    /// Ends the stream: returns the last, unterminated line (if any). An incomplete
    /// UTF-8 character becomes U+FFFD; the content of an unterminated OSC/DCS/…
    /// string is shown as text; any other unfinished escape sequence is dropped.
    pub fn finish(&mut self) -> String {
        let mut out = String::new();
        if !self.utf8.is_empty() {
            self.utf8.clear();
            self.feed_char('\u{FFFD}', &mut out);
        }
        if matches!(self.state, State::Str { .. }) {
            self.abandon_string(&mut out);
        }
        self.state = State::Ground;
        self.csi.clear();
        self.cr_pending = false;
        if self.has_partial() {
            self.emit_line(&mut out, false);
        }
        self.continued = false;
        out
    }

    fn finish_split_char(&mut self, s: &str, had: usize, rest: &mut &[u8], out: &mut String) {
        if let Some(c) = s.chars().next() {
            let used = c.len_utf8().saturating_sub(had).min(rest.len());
            *rest = &rest[used..];
            self.utf8.clear();
            self.feed_char(c, out);
        }
    }

    /// Feeds valid UTF-8, taking plain runs in bulk (the hot path for big outputs).
    fn feed_str(&mut self, s: &str, out: &mut String) {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if self.state == State::Ground && !self.cr_pending {
                let run = plain_run(&bytes[i..]);
                if run > 0 {
                    self.feed_plain(&s[i..i + run], out);
                    i += run;
                    continue;
                }
            }
            let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
            self.feed_char(c, out);
            i += c.len_utf8().max(1);
        }
    }

    /// Printable text, `\n` and `\t` only.
    fn feed_plain(&mut self, run: &str, out: &mut String) {
        let Some(first) = run.find('\n') else {
            self.append(run, out);
            return;
        };
        self.append(&run[..first], out);
        self.emit_line(out, true);
        let after = &run[first + 1..];
        // Lines in the middle of the run need no processing: copy them at once.
        let last = after.rfind('\n').map_or(0, |p| p + 1);
        out.push_str(&after[..last]);
        self.append(&after[last..], out);
    }

    fn append(&mut self, text: &str, out: &mut String) {
        self.line.push_str(text);
        if self.line.len() >= LINE_CAP {
            self.emit_line(out, false);
        }
    }

    fn feed_char(&mut self, c: char, out: &mut String) {
        match self.state {
            State::Ground => self.ground(c, out),
            State::Esc => match c {
                '[' => {
                    self.csi.clear();
                    self.state = State::Csi { sgr_ok: true };
                }
                ']' => self.start_string(true),
                'P' | 'X' | '^' | '_' => self.start_string(false),
                ESC => {}
                '\x20'..='\x2f' => self.state = State::EscIntermediate,
                '\x30'..='\x7e' => self.state = State::Ground,
                _ => self.abort_sequence(c, out),
            },
            State::EscIntermediate => match c {
                '\x20'..='\x2f' => {}
                '\x30'..='\x7e' => self.state = State::Ground,
                _ => self.abort_sequence(c, out),
            },
            State::Csi { sgr_ok } => match c {
                '\x30'..='\x3f' => {
                    let ok = sgr_ok
                        && (c.is_ascii_digit() || c == ';' || c == ':')
                        && self.csi.len() < MAX_SGR_PARAMS;
                    if ok {
                        self.csi.push(c);
                    }
                    self.state = State::Csi { sgr_ok: ok };
                }
                '\x20'..='\x2f' => self.state = State::Csi { sgr_ok: false },
                '\x40'..='\x7e' => {
                    if sgr_ok && c == 'K' && (self.csi.is_empty() || self.csi == "0") {
                        // Erase to end of line: after `\r`, drop what was not overwritten.
                        self.under = None;
                    } else if sgr_ok && c == 'm' {
                        self.line.push_str("\x1b[");
                        self.line.push_str(&self.csi);
                        self.line.push('m');
                    }
                    self.csi.clear();
                    self.state = State::Ground;
                }
                _ => self.abort_sequence(c, out),
            },
            State::Str { bel_ends, len, esc } => {
                let ends = (esc && c == '\\') || c == '\u{9c}' || (bel_ends && c == '\x07');
                if ends || c == '\x18' || c == '\x1a' {
                    // Terminated (or cancelled by CAN/SUB): the whole string goes.
                    self.seq.clear();
                    self.state = State::Ground;
                } else if esc && c != ESC {
                    // ESC not followed by `\`: the string ended; ESC starts anew.
                    self.seq.clear();
                    self.state = State::Esc;
                    self.feed_char(c, out);
                } else if c == '\n' {
                    // Not terminated on its line: it was text after all.
                    self.abandon_string(out);
                    self.feed_char(c, out);
                } else if len >= MAX_STRING_SEQ {
                    // A runaway payload: drop it, show what follows.
                    self.seq.clear();
                    self.state = State::Ground;
                    self.feed_char(c, out);
                } else {
                    if c != ESC && !is_control(c) {
                        self.seq.push(c);
                    }
                    let len = len + c.len_utf8();
                    self.state = State::Str {
                        bel_ends,
                        len,
                        esc: c == ESC,
                    };
                }
            }
        }
    }

    /// An OSC/DCS/… string that was not terminated: its content becomes text.
    fn abandon_string(&mut self, out: &mut String) {
        self.state = State::Ground;
        let text = std::mem::take(&mut self.seq);
        if !text.is_empty() {
            self.append(&text, out);
        }
    }

    fn start_string(&mut self, bel_ends: bool) {
        self.seq.clear();
        self.state = State::Str {
            bel_ends,
            len: 0,
            esc: false,
        };
    }

    /// A character that cannot continue a sequence ends it and is handled as text
    /// (so a newline inside a broken sequence still ends the line).
    fn abort_sequence(&mut self, c: char, out: &mut String) {
        self.csi.clear();
        self.state = State::Ground;
        if c != '\x18' && c != '\x1a' {
            self.feed_char(c, out);
        }
    }

    fn ground(&mut self, c: char, out: &mut String) {
        if std::mem::take(&mut self.cr_pending) && c != '\n' {
            self.carriage_return(out);
        }
        match c {
            '\n' => self.emit_line(out, true),
            '\t' => self.append("\t", out),
            '\r' => self.cr_pending = true,
            '\x08' => self.backspace(),
            ESC => self.state = State::Esc,
            '\u{9b}' => {
                self.csi.clear();
                self.state = State::Csi { sgr_ok: false };
            }
            '\u{9d}' => self.start_string(true),
            '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => self.start_string(false),
            c if is_control(c) => {}
            c => {
                let mut b = [0u8; 4];
                self.append(c.encode_utf8(&mut b), out);
            }
        }
    }

    fn carriage_return(&mut self, out: &mut String) {
        if self.continued {
            // The start of this line is already out; show the rest as a new line.
            self.emit_line(out, true);
            return;
        }
        let line = std::mem::take(&mut self.line);
        let merged = match self.under.take() {
            Some(under) => overwrite(&under, &line),
            None => line,
        };
        self.under = Some(merged);
    }

    fn backspace(&mut self) {
        // Deleting into an SGR sequence would leave a broken escape: ignore then.
        if !self.line.ends_with('m') || !ends_with_sgr(&self.line) {
            self.line.pop();
        }
    }

    /// Emits the current line (with `newline`, the line ends; without, it is a
    /// partial flush and the line continues).
    fn emit_line(&mut self, out: &mut String, newline: bool) {
        match self.under.take() {
            Some(under) => out.push_str(&overwrite(&under, &self.line)),
            None => out.push_str(&self.line),
        }
        self.line.clear();
        if newline {
            out.push('\n');
        }
        self.continued = !newline;
    }
}

/// Bytes looked at together by [`plain_run`].
const BLOCK: usize = 32;

/// Length of the leading run of bytes that need no processing. A block at a
/// time (the compiler turns the block test into vector compares): a block with
/// no byte that may need a look is skipped whole; another is checked byte by byte.
fn plain_run(b: &[u8]) -> usize {
    let mut i = 0;
    while i < b.len() {
        if let Some(Ok(block)) = b.get(i..i + BLOCK).map(<&[u8; BLOCK]>::try_from)
            && !block_needs_look(block)
        {
            i += BLOCK;
            continue;
        }
        let end = (i + BLOCK).min(b.len());
        while i < end {
            if !plain_byte(b, i) {
                return i;
            }
            i += 1;
        }
    }
    i
}

/// Whether the byte at `i` needs no processing (in valid UTF-8).
fn plain_byte(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'\n' | b'\t' | 0x20..=0x7e => true,
        // U+0080–U+009F are encoded as C2 80–C2 9F.
        0xc2 => b.get(i + 1).is_some_and(|&n| n >= 0xa0),
        0x80.. => true,
        _ => false,
    }
}

/// True when some byte of `block` may need processing: a control other than
/// `\n` and `\t`, DEL, or 0xC2 (which starts U+0080–U+009F, and U+00A0–U+00BF).
fn block_needs_look(block: &[u8; BLOCK]) -> bool {
    let look = |x: u8| (x < 0x20 && x != b'\n' && x != b'\t') || x == 0x7f || x == 0xc2;
    block.iter().fold(false, |acc, &x| acc | look(x))
}

pub(super) fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
}

#[cfg(test)]
#[path = "sanitize_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "sanitize_stream_tests.rs"]
mod stream_tests;
