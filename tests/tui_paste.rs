//! A paste is one event (bracketed paste): it goes whole into the open text
//! field, cut at the field's cap with a message, never into key handling;
//! a typed confirmation refuses it.

mod app_support;

use app_support::{at, runbook, start_app};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runbook::incident::Event;
use runbook::tui::action::Action;
use runbook::tui::app::{App, Item, Overlay};
use runbook::tui::draw::draw;

fn basic(dir: &std::path::Path) -> App {
    start_app(
        runbook("tests/fixtures/tui/basic.yaml"),
        dir,
        "Paste",
        at(0),
    )
}

fn screen(app: &App) -> String {
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    term.draw(|f| draw(app, f, at(1)).keep(app)).expect("draw");
    term.backend().to_string()
}

/// The events on disk, once the journal writer has saved everything recorded.
fn events(app: &App) -> Vec<Event> {
    app.session.drain().expect("journal writable");
    runbook::journal::read(app.session.journal_path())
        .expect("journal")
        .records
        .into_iter()
        .map(|r| r.event)
        .collect()
}

/// Text that, typed as keys on the main screen, would complete the step
/// (`d`), set the title (`t`), run things (Enter, `a`) and quit (`q`).
fn hostile_text(len: usize) -> String {
    let line = "d t a q x s R Enter\r\n";
    line.repeat(len / line.len() + 1)[..len].to_string()
}

#[test]
fn a_100kb_paste_goes_whole_into_the_note_cut_at_its_cap_and_saves_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = basic(dir.path());
    let before = events(&app).len();
    app_support::act(&mut app, Action::Note, at(1));
    let paste = hostile_text(100 * 1024);
    app_support::act(&mut app, Action::Paste(paste.clone()), at(1));

    let Some(Overlay::Note(e)) = &app.overlay else {
        panic!("the note editor closed on a paste: {:?}", app.overlay);
    };
    assert_eq!(e.text().len(), 64 * 1024, "the note holds its cap");
    let flash = app.flash.clone().unwrap_or_default();
    assert!(
        flash.contains("paste cut"),
        "no message when cut: {flash:?}"
    );
    let shown = screen(&app);
    assert!(shown.contains("paste cut"), "cut not shown:\n{shown}");
    // The dialog shows the end of the note, where the cursor is.
    assert!(shown.contains('█'), "cursor line not in view:\n{shown}");

    // Ctrl-S right after the paste saves it, with nothing else recorded.
    app_support::act(
        &mut app,
        Action::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        at(2),
    );
    assert!(app.overlay.is_none(), "Ctrl-S did not save");
    let new: Vec<Event> = events(&app).split_off(before);
    assert_eq!(new.len(), 1, "only the note is recorded: {new:?}");
    let Event::Note { text, .. } = &new[0] else {
        panic!("expected a note, got {:?}", new[0]);
    };
    assert_eq!(text.len(), 64 * 1024);
    assert!(text.starts_with("d t a q x s R Enter\nd t a q"));
}

#[test]
fn a_paste_into_the_typed_confirmation_is_refused_and_confirms_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = basic(dir.path());
    let wipe = app
        .items()
        .iter()
        .position(|i| *i == Item::Command(2))
        .expect("wipe listed");
    for _ in 0..wipe {
        app_support::act(&mut app, Action::Down, at(1));
    }
    app_support::act(&mut app, Action::Activate, at(1));
    assert!(matches!(app.overlay, Some(Overlay::Confirm { .. })));
    app_support::act(&mut app, Action::Paste("wipe\r".into()), at(2));

    let Some(Overlay::Confirm { input, .. }) = &app.overlay else {
        panic!("the confirmation closed on a paste: {:?}", app.overlay);
    };
    assert_eq!(input.text(), "", "pasted text went into the confirmation");
    let shown = screen(&app);
    assert!(
        shown.contains("typed confirmation: paste refused, type it"),
        "refusal not shown:\n{shown}"
    );
    // Enter now submits what was typed (nothing): not confirmed.
    app_support::act(
        &mut app,
        Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        at(3),
    );
    let evs = events(&app);
    assert!(
        evs.iter()
            .any(|e| matches!(e, Event::ConfirmationAnswered { accepted: false, typed, .. } if typed.is_empty())),
        "{evs:?}"
    );
    assert!(
        !evs.iter().any(|e| matches!(
            e,
            Event::CommandStarted { .. } | Event::ConfirmationAnswered { accepted: true, .. }
        )),
        "a pasted id confirmed the command: {evs:?}"
    );
}

#[test]
fn a_paste_with_no_text_field_open_does_nothing_but_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = basic(dir.path());
    let before = events(&app);
    app_support::act(&mut app, Action::Paste(hostile_text(4096)), at(1));
    assert!(app.overlay.is_none());
    assert_eq!(events(&app), before, "a paste acted on the screen");
    assert!(
        app.flash
            .as_deref()
            .is_some_and(|f| f.contains("paste ignored")),
        "{:?}",
        app.flash
    );
}

#[test]
fn a_pasted_title_and_search_are_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = basic(dir.path());
    let enter = || Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    app_support::act(&mut app, Action::Title, at(1));
    // The field starts with the current title; Ctrl-U clears it.
    app_support::act(
        &mut app,
        Action::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        at(1),
    );
    app_support::act(
        &mut app,
        Action::Paste("Orders API\r\ndown\n".into()),
        at(1),
    );
    app_support::act(&mut app, enter(), at(1));
    assert_eq!(app.session.incident().title, "Orders API down");

    app_support::act(&mut app, Action::Search, at(1));
    app_support::act(&mut app, Action::Paste("needle\n".into()), at(1));
    app_support::act(&mut app, enter(), at(1));
    assert_eq!(app.output.search.as_deref(), Some("needle"));
}
