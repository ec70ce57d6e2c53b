//! Everything the operator or the background can ask of the app.

use crossterm::event::KeyEvent;

use crate::engine::WorkUpdate;
use crate::probe::broker::BrokerSnapshot;
use crate::tui::host::HostSnapshot;

/// One input to [`crate::tui::app::App::update`].
#[derive(Debug)]
pub enum Action {
    /// Move the selection up in the focused pane (↑, k).
    Up,
    /// Move the selection down in the focused pane (↓, j).
    Down,
    /// Scroll a page up (PgUp).
    PageUp,
    /// Scroll a page down (PgDn).
    PageDown,
    /// Jump to the top (g, Home).
    Top,
    /// Jump to the bottom and follow new output (G, End).
    Bottom,
    /// Focus the next pane (Tab).
    FocusNext,
    /// Focus the previous pane (Shift-Tab).
    FocusPrev,
    /// Run the selected command or check, toggle the checklist item, answer the
    /// question, or enter the selected step (Enter).
    Activate,
    /// Run all safe commands and checks of the active step in parallel (a).
    RunAll,
    /// Cancel the selected running command (x).
    CancelRun,
    /// Write a note (n).
    Note,
    /// In the answer list: mark or unmark a choice, to answer several (Space).
    Mark,
    /// Write a status update for the people outside, sent to the webhooks (u).
    Update,
    /// Complete the active step and move to the next (d).
    CompleteStep,
    /// Skip the active step, asking why (s).
    SkipStep,
    /// Resolve the incident: a summary and the postmortem's first draft (R).
    Resolve,
    /// Set the severity, the impact and when the problem started (i).
    Details,
    /// Quit after a confirmation; the incident stays resumable (q).
    Quit,
    /// Give or change the incident title (t).
    Title,
    /// Show or hide the key help (?).
    Help,
    /// Show or hide the broker panel (b).
    ToggleBroker,
    /// Take the mouse for wheel scrolling, or leave it to the terminal so
    /// text can be selected and copied (m).
    ToggleMouse,
    /// Wrap long output lines, or cut them at the edge (w).
    ToggleWrap,
    /// Let the output pane fill the screen, or give the room back (z).
    ToggleZoom,
    /// Leave zoom, else clear the search (Esc).
    Escape,
    /// Search the output pane (/).
    Search,
    /// Next search match (Ctrl-N).
    SearchNext,
    /// Previous search match (Ctrl-P).
    SearchPrev,
    /// Scroll the output pane by lines (mouse wheel); negative is up.
    Scroll(i32),
    /// A key typed into the open dialog or editor.
    Key(KeyEvent),
    /// Text pasted into the terminal, whole (bracketed paste): it goes into
    /// the open text field, never into key handling.
    Paste(String),
    /// A second passed: timers, budget overruns, journal retries.
    Tick,
    /// The terminal was resized.
    Resize,
    /// A command or check reported.
    Work(WorkUpdate),
    /// Fresh host figures for the footer.
    Host(HostSnapshot),
    /// Fresh broker figures, or why there are none.
    Broker(Result<BrokerSnapshot, String>),
    /// Drill: show the hints and offer the next one (h).
    Hint,
    /// Drill: what a background worker saw (the fix detector, the
    /// production broker's health).
    Drill(crate::tui::app::drill::DrillNews),
    /// A webhook notification was delivered or failed.
    Delivered(crate::notify::Delivery),
    /// A signal asked the program to stop (name).
    Signal(String),
}
