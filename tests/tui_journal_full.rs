//! Promise 6 on screen: when the disk fills up, the operator sees a red
//! banner that stays while events are held in memory, nothing is lost, and
//! the banner goes once space is back and the journal writer (retrying on
//! its own every second) has written the events in order.

mod app_support;
mod tmpfs_support;

use chrono::{DateTime, FixedOffset};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runbook::incident::Event;
use runbook::tui::action::Action;
use runbook::tui::app::App;
use runbook::tui::draw::draw;
use tmpfs_support::Tmpfs;

fn at(secs: i64) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T03:00:00.000+00:00").expect("time")
        + chrono::Duration::seconds(secs)
}

fn frame(app: &App, now: DateTime<FixedOffset>) -> String {
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    term.draw(|f| draw(app, f, now).keep(app)).expect("draw");
    term.backend().to_string()
}

fn note(app: &mut App, text: &str, now: DateTime<FixedOffset>) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    app_support::act(app, Action::Note, now);
    for c in text.chars() {
        app_support::act(
            app,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            now,
        );
    }
    app_support::act(
        app,
        Action::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        now,
    );
}

#[test]
fn a_full_disk_shows_a_banner_keeps_the_events_and_writes_them_when_space_returns() {
    let fs = Tmpfs::mount();
    let dir = fs.0.path().join("incidents");
    let rb = app_support::runbook("tests/fixtures/frames.yaml");
    let mut app = app_support::start_app(rb, &dir, "Disk full", at(0));
    let journal = app.session.journal_path().to_path_buf();
    app.broker.visible = false;

    // Fill the filesystem, then write notes the operator sees on screen.
    let filler = fs.0.path().join("filler");
    let _ = std::fs::write(&filler, vec![b'x'; 256 * 1024]);
    // (Enough text to need a new page: the last page of the file has room.)
    for i in 0..40 {
        note(
            &mut app,
            &format!("observation {i} while the disk is full, with some detail"),
            at(10 + i),
        );
    }
    // The writer thread finds the disk full (waiting for its answer).
    assert!(app.session.drain().is_err(), "the disk never filled");
    let screen = frame(&app, at(50));
    assert!(screen.contains("JOURNAL WRITE FAILED"), "{screen}");
    // Failed, not in flight: the banner, not the quiet "saving…" mark.
    assert!(!screen.contains("saving…"), "{screen}");
    assert!(app.session.pending_writes() > 0);
    assert_eq!(
        app.session.incident().notes.len(),
        40,
        "the notes are in the state"
    );

    // Space comes back; the writer's next retry writes everything, in order,
    // with nothing asked of the screen.
    std::fs::remove_file(&filler).expect("free space");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.session.pending_writes() > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(app.session.pending_writes(), 0, "the writer never retried");
    let screen = frame(&app, at(52));
    assert!(!screen.contains("JOURNAL WRITE FAILED"), "{screen}");
    let read = runbook::journal::read(&journal).expect("journal reads back");
    let seqs: Vec<u64> = read.records.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "no gaps");
    let notes = read
        .records
        .iter()
        .filter(|r| matches!(r.event, Event::Note { .. }))
        .count();
    assert_eq!(
        notes, 40,
        "every note written while the disk was full reached the journal"
    );
}
