//! Entering and leaving the full-screen terminal, also on panic.

use std::io::{self, Stdout};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The terminal type the app draws on.
pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Raw mode, alternate screen, bracketed paste, mouse capture; installs a
/// panic hook that restores the terminal before the panic message prints.
pub fn enter() -> io::Result<Term> {
    enter_with(true)
}

/// Like [`enter`], without taking the mouse (the review screen leaves it to
/// the terminal, so text can be selected).
pub fn enter_without_mouse() -> io::Result<Term> {
    enter_with(false)
}

/// Bracketed paste makes a paste one event, so pasted text can never be
/// read as keys (a stray `d` completing a step, an id typed into a
/// confirmation).
fn enter_with(mouse: bool) -> io::Result<Term> {
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
    let entered = execute!(
        stdout,
        EnterAlternateScreen,
        EnableBracketedPaste,
        Clear(ClearType::All)
    )
    .and_then(|()| {
        if mouse {
            execute!(stdout, EnableMouseCapture)
        } else {
            Ok(())
        }
    });
    if let Err(e) = entered {
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

/// Leaves raw mode, bracketed paste, mouse capture and the alternate screen
/// and shows the cursor. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}
