//! Entering and leaving the full-screen terminal, also on panic.

use std::io::{self, Stdout};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The terminal type the app draws on.
pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Raw mode, alternate screen, mouse capture; installs a panic hook that
/// restores the terminal before the panic message prints.
pub fn enter() -> io::Result<Term> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    // Clear with a plain escape sequence, not `Terminal::clear`: that one asks
    // the terminal for the cursor position and fails after two seconds on a
    // terminal that does not answer (and costs a round trip over ssh).
    if let Err(e) = execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        Clear(ClearType::All)
    ) {
        restore();
        return Err(e);
    }
    let mut term = Terminal::new(CrosstermBackend::new(stdout))?;
    term.hide_cursor()?;
    Ok(term)
}

/// Takes mouse events (wheel scrolling) or leaves the mouse to the terminal,
/// so the operator can select and copy text.
pub fn set_mouse_capture(term: &mut Term, on: bool) -> io::Result<()> {
    if on {
        execute!(term.backend_mut(), EnableMouseCapture)
    } else {
        execute!(term.backend_mut(), DisableMouseCapture)
    }
}

/// Leaves raw mode and the alternate screen and shows the cursor. Safe to
/// call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}
