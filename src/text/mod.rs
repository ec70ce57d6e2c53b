//! Text from outside on its way to a terminal (promise 4).
//!
//! Runbook files, journals, command output, HTTP bodies, broker names (any AMQP
//! client names its connections) and command-line arguments can all hold escape
//! sequences: an OSC 52 clipboard write, a title set, a clear-screen. Every
//! command prints through this module, which runs the text through the one
//! sanitiser of the program, [`crate::exec::sanitize::Sanitizer`]: no control
//! character passes except `\n` and `\t`, escape sequences are removed whole
//! (SGR colour only where the caller renders styles), an escape that is never
//! terminated hides nothing after it.
//!
//! - [`for_terminal`] / [`for_terminal_styled`]: a whole text;
//! - [`one_line`]: a table cell or a name inside a sentence (line breaks shown as `⏎`);
//! - [`Terminal`]: a writer that sanitises all that passes through it;
//! - `text::eprintln!` / `text::println!`: the print macros every command uses
//!   instead of the standard ones (a test keeps it so).
//!
//! [`styled`] turns the SGR colour that sanitised output keeps into ratatui
//! styles, for the live screen and `review` alike.

mod measure;
pub mod sgr;
pub mod styled;

pub use measure::{fit, human_bytes};

use std::borrow::Cow;
use std::io::Write;

use crate::exec::sanitize::Sanitizer;
use sgr::strip_sanitised_sgr;

/// True when `s` holds a character a terminal would act on (a C0 control other
/// than `\n` and `\t`, DEL, or a C1 control).
pub fn has_controls(s: &str) -> bool {
    s.bytes().enumerate().any(|(i, b)| match b {
        b'\n' | b'\t' => false,
        0x00..=0x1f | 0x7f => true,
        // U+0080–U+009F are encoded as C2 80–C2 9F.
        0xc2 => s
            .as_bytes()
            .get(i + 1)
            .is_some_and(|&n| (0x80..0xa0).contains(&n)),
        _ => false,
    })
}

fn sanitise(s: &str, styles: bool) -> Cow<'_, str> {
    if !has_controls(s) {
        return Cow::Borrowed(s);
    }
    let mut sanitizer = Sanitizer::new();
    let mut out = sanitizer.push(s.as_bytes());
    out.push_str(&sanitizer.finish());
    if styles {
        Cow::Owned(out)
    } else {
        Cow::Owned(strip_sanitised_sgr(&out))
    }
}

/// `s` as it may be painted: no control character except `\n` and `\t`, no
/// escape sequence (SGR colour included). Borrowed when nothing had to go.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    sanitise(s, false)
}

/// The plain text, without colour: SGR sequences (`ESC [ … m`) removed, and
/// every other escape sequence and control character with them, whole, as
/// [`for_terminal`] does. This is the one `strip_sgr` of the program: output
/// from the sanitiser holds SGR only, but a journal is a file anyone can edit,
/// so a stray ESC takes the character after it along (`"a\x1bb"` → `"a"`,
/// `ESC b` being a two-character escape sequence) and an ESC at the very end
/// goes alone.
pub fn strip_sgr(s: &str) -> String {
    for_terminal(s).into_owned()
}

/// Like [`for_terminal`], but SGR colour sequences stay, for a caller that
/// paints styles (output to a colour terminal).
pub fn for_terminal_styled(s: &str) -> Cow<'_, str> {
    sanitise(s, true)
}

/// [`for_terminal`] of an owned text, without a copy when it is clean.
pub fn into_terminal(s: String) -> String {
    match for_terminal(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(clean) => clean,
    }
}

/// [`for_terminal`] on one line: each line break becomes a visible ` ⏎ `, a
/// tab a space (for table cells and names quoted in a sentence).
pub fn one_line(s: &str) -> Cow<'_, str> {
    let clean = for_terminal(s);
    if !clean.contains(['\n', '\t']) {
        return clean;
    }
    let trimmed = clean.strip_suffix('\n').unwrap_or(&clean);
    Cow::Owned(trimmed.replace('\n', " ⏎ ").replace('\t', " "))
}

/// JSON for a terminal: serde_json leaves DEL and the C1 controls (U+007F–U+009F)
/// raw inside strings; they become `\u00XX` escapes, so the JSON means the same
/// and no terminal acts on it.
pub fn json_for_terminal(json: String) -> String {
    if !json.contains(|c: char| ('\u{7f}'..='\u{9f}').contains(&c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if ('\u{7f}'..='\u{9f}').contains(&c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// A writer that sanitises everything written through it (see the module
/// docs); SGR colour passes only when `styles` is set. Lines are passed on as
/// they complete; `flush` (and drop) pass on the rest.
pub struct Terminal<W: Write> {
    inner: W,
    sanitizer: Sanitizer,
    styles: bool,
}

impl<W: Write> Terminal<W> {
    /// Wraps `inner` (stdout, stderr, a file).
    pub fn new(inner: W, styles: bool) -> Self {
        Terminal {
            inner,
            sanitizer: Sanitizer::new(),
            styles,
        }
    }

    fn pass(&mut self, text: String) -> std::io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        let text = if self.styles {
            text
        } else {
            strip_sanitised_sgr(&text)
        };
        self.inner.write_all(text.as_bytes())
    }
}

impl<W: Write> Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = self.sanitizer.push(buf);
        self.pass(text)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let text = self.sanitizer.take_partial();
        self.pass(text)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Terminal<W> {
    fn drop(&mut self) {
        let text = self.sanitizer.finish();
        let _ = self.pass(text);
        let _ = self.inner.flush();
    }
}

/// Writes a formatted message and a newline to stderr, sanitised. Write
/// errors are ignored (there is nowhere left to report them).
pub fn write_stderr(args: std::fmt::Arguments<'_>) {
    let text = format!("{args}\n");
    let _ = std::io::stderr()
        .lock()
        .write_all(for_terminal(&text).as_bytes());
}

/// Writes a formatted message and a newline to stdout, sanitised.
pub fn write_stdout(args: std::fmt::Arguments<'_>) {
    let text = format!("{args}\n");
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(for_terminal(&text).as_bytes());
    let _ = out.flush();
}

/// `eprintln!` with the message sanitised for the terminal ([`write_stderr`]).
macro_rules! clean_eprintln {
    ($($arg:tt)*) => {
        $crate::text::write_stderr(::std::format_args!($($arg)*))
    };
}
pub(crate) use clean_eprintln as eprintln;

/// `println!` with the message sanitised for the terminal ([`write_stdout`]).
macro_rules! clean_println {
    ($($arg:tt)*) => {
        $crate::text::write_stdout(::std::format_args!($($arg)*))
    };
}
pub(crate) use clean_println as println;

#[cfg(test)]
pub(crate) mod tests;
