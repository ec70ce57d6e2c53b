//! The key map: which key does what, and the help text that documents it.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};

use crate::i18n::tr;
use crate::tui::action::Action;
use crate::tui::app::{App, Focus, Overlay};

/// Key help, shown by `?` and in the README: (keys, what they do).
pub const HELP: &[(&str, &str)] = &[
    (
        "↑ ↓  k j",
        "move in the focused pane (↑ at the top: the guide)",
    ),
    ("Tab  Shift-Tab", "focus steps → detail → output"),
    (
        "Enter",
        "run command/check · tick item · answer · start step",
    ),
    ("a", "run all safe commands and checks of the active step"),
    ("x", "cancel the selected running command"),
    ("n  u", "note · status update, also sent to the webhooks"),
    ("d", "complete the active step and go to the next"),
    ("s", "skip the active step (asks why)"),
    (
        "R",
        "resolve: summary, root cause, helped/hurt, action items",
    ),
    ("/  ^N  ^P", "search the output · next · previous match"),
    ("PgUp PgDn g G", "scroll output · top · bottom (follow)"),
    ("t  i", "incident title · severity, impact, when it started"),
    ("w", "wrap long output lines, or cut them"),
    ("z", "focused pane (detail or output) full screen, or back"),
    ("b", "show or hide the broker panel"),
    (
        "m",
        "mouse: wheel scrolls output, or free to select and copy",
    ),
    ("h", "drill: the brief and hints (a hint costs points)"),
    ("?", "this help"),
    ("q", "quit (the incident stays resumable)"),
];

/// Maps a key to an action, given what is on screen.
pub fn action_for(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if app.wants_text() {
        return Some(Action::Key(key));
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    if matches!(app.overlay, Some(Overlay::Help)) {
        return Some(Action::Help);
    }
    // The drill's brief: any key starts the drill. Its hints: Enter takes
    // the next one, any other key closes them.
    match (&app.overlay, key.code) {
        (Some(Overlay::Brief), _) => return Some(Action::Escape),
        (Some(Overlay::Hints), KeyCode::Enter) => return Some(Action::Activate),
        (Some(Overlay::Answer { .. }), KeyCode::Char(' ')) => return Some(Action::Mark),
        (Some(Overlay::Hints), _) => return Some(Action::Escape),
        _ => {}
    }
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        // Not n/N as in less: `n` is always "note", whatever has focus, so
        // typing a note can never turn into other commands.
        KeyCode::Char('n') if ctrl => Action::SearchNext,
        KeyCode::Char('p') if ctrl => Action::SearchPrev,
        // A stray Ctrl-S or Alt-D must not skip or complete a step.
        KeyCode::Char(_) if ctrl || alt => return None,
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Enter => Action::Activate,
        KeyCode::Char('a') => Action::RunAll,
        KeyCode::Char('x') => Action::CancelRun,
        KeyCode::Char('n') => Action::Note,
        KeyCode::Char('u') => Action::Update,
        KeyCode::Char('d') => Action::CompleteStep,
        KeyCode::Char('s') => Action::SkipStep,
        KeyCode::Char('R') => Action::Resolve,
        KeyCode::Char('i') => Action::Details,
        KeyCode::Char('q') | KeyCode::Esc if app.overlay.is_some() => Action::Quit,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('h') if app.drill.is_some() => Action::Hint,
        KeyCode::Char('b') => Action::ToggleBroker,
        KeyCode::Char('m') => Action::ToggleMouse,
        KeyCode::Char('w') => Action::ToggleWrap,
        KeyCode::Char('t') => Action::Title,
        KeyCode::Char('z') => Action::ToggleZoom,
        KeyCode::Char('/') => Action::Search,
        KeyCode::Esc => Action::Escape,
        _ => return None,
    })
}

/// Maps mouse wheel movement to output scrolling.
pub fn mouse_action(ev: MouseEvent) -> Option<Action> {
    match ev.kind {
        MouseEventKind::ScrollUp => Some(Action::Scroll(-3)),
        MouseEventKind::ScrollDown => Some(Action::Scroll(3)),
        _ => None,
    }
}

/// The short key hints for the footer, by focus.
pub fn hints(app: &App) -> &'static str {
    let lang = app.lang();
    match (&app.overlay, app.focus) {
        (Some(Overlay::Confirm { .. }), _) => tr(lang, "type the id · Enter confirm · Esc cancel"),
        (Some(Overlay::Note(_) | Overlay::Update(_)), _) => {
            tr(lang, "Ctrl-S or Enter on empty line: save · Esc cancel")
        }
        (Some(Overlay::Answer { .. }), _) => tr(
            lang,
            "↑↓ choose · Space marks several · Enter answer · q back",
        ),
        (Some(Overlay::Help), _) => tr(lang, "any key closes the help"),
        (Some(Overlay::Brief), _) => tr(lang, "any key starts the drill"),
        (Some(Overlay::Hints), _) => tr(
            lang,
            "Enter takes the next hint (costs points) · any other key closes",
        ),
        (Some(Overlay::Form(_)), _) => tr(
            lang,
            "Tab next field · Ctrl-S or Enter (on an empty line) saves · Esc cancels",
        ),
        (Some(Overlay::Quit), _) => tr(lang, "y or q quits · any other key stays"),
        (Some(_), _) => tr(lang, "Enter ok · Esc cancel"),
        (None, Focus::Steps) => tr(
            lang,
            "Enter start step · d done · s skip · n note · Tab focus · ? help · q quit",
        ),
        (None, Focus::Detail) => tr(
            lang,
            "Enter run/tick · a run all · x cancel · d done · n note · ? help · q quit",
        ),
        (None, Focus::Output) => tr(
            lang,
            "↑↓ PgUp PgDn scroll · G follow · / ^N ^P search · w wrap · z zoom · ? help",
        ),
    }
}
