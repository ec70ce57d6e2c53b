//! `runbook watch [JOURNAL]`: the review screen following a live journal as
//! another process writes it. It only ever opens the journal to read it
//! (each change is read again whole, torn last line and all), so any number
//! of watchers cost the writer nothing; it works over ssh like any terminal
//! program. The header says whether it is following, whether the session
//! ended, and whether the writer is gone (the incident did not end and no
//! process has the journal open any more).
//!
//! On a drill's journal it is also the trainer's seat ([`super::seat`]):
//! a panel of what the trainee does not see, and keys that append requests
//! to the drill's control file (never the journal), each sent off the
//! screen's thread.

use std::path::Path;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};

use super::{Action, Review, WatchStatus, draw::draw};
use crate::i18n::{Lang, trf};
use crate::report::LoadedJournal;
use crate::report::summary::Summary;

/// How often the journal's size and time are looked at.
const LOOK: Duration = Duration::from_millis(200);
/// How often the writer's liveness is checked (a scan of /proc).
const WRITER_EVERY: Duration = Duration::from_secs(2);

/// Runs `runbook watch`; returns the exit code (0 ok, 2 bad input or no
/// terminal, 1 terminal failure).
pub fn cli_run(journal: Option<&Path>, log_dir: Option<&Path>) -> i32 {
    let lang = Lang::from_env();
    let path = match journal {
        Some(p) => p.to_path_buf(),
        None => {
            let dir = crate::journal::log_dir(log_dir);
            match crate::journal::latest_unfinished(&dir) {
                Some(p) => p,
                None => {
                    crate::text::eprintln!(
                        "runbook watch: {}",
                        trf(
                            lang,
                            "no unfinished incident in {}; name a journal: runbook watch JOURNAL",
                            &[&dir.display()]
                        )
                    );
                    return 2;
                }
            }
        }
    };
    let loaded = match LoadedJournal::load(&path) {
        Ok(l) => l,
        Err(e) => {
            crate::text::eprintln!("runbook watch: {}", e.message(lang));
            return 2;
        }
    };
    if let Err(code) = crate::cli::start::require_tty(
        "watch",
        &trf(
            lang,
            "To read the incident without one use: {}",
            &[&crate::invocation::runbook("report JOURNAL")],
        ),
    ) {
        return code;
    }
    let mut review = Review::new(loaded);
    review.no_color = crate::tui::theme::no_color();
    // The writer's liveness comes from the follower's first look.
    review.watch = Some(status_of(&review, true));
    review.selected = review.visible.len().saturating_sub(1);
    review.seat = super::Seat::for_journal(&review.journal, path.clone(), crate::engine::now());
    let mut terminal = match crate::tui::terminal::enter_without_mouse() {
        Ok(t) => t,
        Err(e) => {
            crate::text::eprintln!(
                "runbook watch: {}",
                trf(lang, "cannot use the terminal: {}", &[&e])
            );
            return 1;
        }
    };
    // Reading the journal (whole, on every change) and scanning /proc are
    // done by a follower thread, so a large journal or a slow disk never
    // holds up a key; the screen takes what it sends between frames.
    let news = follow(path.clone(), review.journal.scenario.clone());
    let (sent_tx, sent) = std::sync::mpsc::channel();
    let result = (|| -> std::io::Result<()> {
        while !review.quit {
            tick_clock(&mut review);
            terminal.draw(|f| draw(f, &review))?;
            if event::poll(LOOK)? {
                let action = match event::read()? {
                    Event::Key(key) => review.key(key),
                    Event::Paste(text) => Some(Action::Paste(text)),
                    _ => None,
                };
                if let Some(request) = action.and_then(|a| review.update(a)) {
                    send_off_thread(path.clone(), request, sent_tx.clone());
                }
            }
            while let Ok((request, result)) = sent.try_recv() {
                review.sent(&request, result);
            }
            while let Ok(n) = news.try_recv() {
                match n {
                    News::Loaded(l) => {
                        review.reload(*l);
                        review.watch = Some(status_of(&review, true));
                    }
                    News::Lost(why) => review.watch = Some(WatchStatus::Lost(why)),
                    News::Writer(alive) => {
                        if !matches!(review.watch, Some(WatchStatus::Lost(_))) {
                            review.watch = Some(status_of(&review, alive));
                        }
                    }
                }
            }
        }
        Ok(())
    })();
    crate::tui::terminal::restore();
    match result {
        Ok(()) => 0,
        Err(e) => {
            crate::text::eprintln!("runbook watch: {}", trf(lang, "terminal error: {}", &[&e]));
            1
        }
    }
}

/// Appends a trainer's request to the drill's control file on a thread of
/// its own (a slow disk never holds up a key); the result comes back to the
/// screen on `done`.
fn send_off_thread(
    journal: std::path::PathBuf,
    request: crate::drill::control::Request,
    done: std::sync::mpsc::Sender<(crate::drill::control::Request, Result<(), String>)>,
) {
    std::thread::spawn(move || {
        let result = crate::drill::control::send(&journal, &request);
        let _ = done.send((request, result));
    });
}

/// What the follower thread tells the screen.
enum News {
    /// A newer read of the journal.
    Loaded(Box<LoadedJournal>),
    /// It cannot be read now (why).
    Lost(String),
    /// Whether a process still has it open (checked while nothing changes).
    Writer(bool),
}

/// Starts the follower: it looks at the journal's size, time and inode
/// every [`LOOK`], reads it again when they change, and while nothing
/// changes checks the writer every [`WRITER_EVERY`]. At most one read waits
/// for the screen (bounded memory); it ends when the screen is gone.
fn follow(
    path: std::path::PathBuf,
    scenario: Option<crate::report::drill::FoundScenario>,
) -> std::sync::mpsc::Receiver<News> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    std::thread::spawn(move || {
        let mut seen = Stamp::of(&path);
        // The first look checks the writer at once.
        let long_ago = Instant::now()
            .checked_sub(WRITER_EVERY)
            .unwrap_or_else(Instant::now);
        let mut quiet_since = long_ago;
        let mut last_writer = long_ago;
        loop {
            std::thread::sleep(LOOK);
            let now = Stamp::of(&path);
            let n = if now != seen {
                seen = now.clone();
                quiet_since = Instant::now();
                // The drill's scenario was found at the start: not looked
                // up again on every change.
                match (&now, LoadedJournal::load_journal(&path)) {
                    (Stamp::Gone(why), _) => News::Lost(why.clone()),
                    (_, Ok(mut l)) => {
                        l.scenario = scenario.clone();
                        News::Loaded(Box::new(l))
                    }
                    (_, Err(e)) => News::Lost(e.to_string()),
                }
            } else if quiet_since.elapsed() >= WRITER_EVERY && last_writer.elapsed() >= WRITER_EVERY
            {
                last_writer = Instant::now();
                News::Writer(writer_alive(&path))
            } else {
                continue;
            };
            if tx.send(n).is_err() {
                return;
            }
        }
    });
    rx
}

/// While the incident is open and followed, its timers run on the wall clock.
fn tick_clock(review: &mut Review) {
    let now = crate::engine::now();
    if let Some(seat) = &mut review.seat {
        seat.now = now;
    }
    if review.watch == Some(WatchStatus::Following) && review.summary.open {
        review.summary = Summary::at(&review.journal.incident, now.max(review.summary.end));
    }
}

/// What the journal says of its writer: ended (its last event is
/// `session_ended`, or a drill's end with its score and clean-up after
/// it), else following while a process has it open.
pub fn status_of(review: &Review, alive: bool) -> WatchStatus {
    use crate::incident::Event;
    let ended = review
        .journal
        .records
        .iter()
        .rev()
        .find_map(|r| match &r.event {
            Event::DrillScored { .. } | Event::DrillCleanup { .. } => None,
            Event::SessionEnded { reason } => Some(Some(crate::report::timeline::end_reason_text(
                review.lang,
                reason,
            ))),
            Event::DrillEnded { reason, .. } => Some(Some(crate::i18n::trf(
                review.lang,
                "drill ended: {}",
                &[&reason.as_str().replace('_', " ")],
            ))),
            _ => Some(None),
        });
    match ended.flatten() {
        Some(why) => WatchStatus::Ended(why),
        None if alive => WatchStatus::Following,
        None => WatchStatus::WriterGone,
    }
}

/// Size, modification time and inode: what tells that the file changed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stamp {
    File(u64, Option<std::time::SystemTime>, u64),
    Gone(String),
}

impl Stamp {
    fn of(path: &Path) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        match std::fs::metadata(path) {
            Ok(m) => Stamp::File(m.len(), m.modified().ok(), m.ino()),
            Err(e) => Stamp::Gone(format!("{}: {e}", path.display())),
        }
    }
}

/// Whether any other process has the journal open (its writer): a scan of
/// `/proc/*/fd`. The watcher itself holds it open only while reading.
fn writer_alive(path: &Path) -> bool {
    let Ok(target) = std::fs::canonicalize(path) else {
        return false;
    };
    let me = std::process::id().to_string();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return true;
    };
    procs
        .filter_map(Result::ok)
        .filter(|p| {
            let name = p.file_name();
            let name = name.to_string_lossy();
            name.bytes().all(|b| b.is_ascii_digit()) && name != me.as_str()
        })
        .any(|p| {
            std::fs::read_dir(p.path().join("fd")).is_ok_and(|fds| {
                fds.filter_map(Result::ok)
                    .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l == target))
            })
        })
}
