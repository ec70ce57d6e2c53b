//! Promise 2 on a sick disk, in a real terminal: every fsync of the program
//! is held up by an `LD_PRELOAD` shim until the test lets it through. The
//! first screen and the keys do not wait for the disk; the header says
//! "saving…" until the journal writer has the events on disk; and once the
//! disk answers, the journal holds every event, in order.
//!
//! Nothing here measures time: the order of things is read from the shim's
//! own state (which fsyncs have begun, which have returned).

mod report_support;
mod support;

use runbook::incident::Event;
use support::slow_fsync::SlowFsync;
use support::{Launch, WAIT, bin, fixture, journal, journal_path};

#[test]
fn with_every_fsync_held_up_the_screen_and_keys_do_not_wait_and_the_journal_ends_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let shim = SlowFsync::build(tmp.path());
    let log = tmp.path().join("log");
    let fx = fixture("headless.yaml");
    let d = log.display().to_string();
    let mut launch = Launch::new(
        bin(),
        &["start", &fx, "--title", "Sick disk", "--log-dir", &d],
    );
    for (k, v) in shim.env(None) {
        launch = launch.env(&k, &v);
    }
    let mut t = launch.spawn();

    // The first screen is up, with the quiet mark, while the disk has not
    // answered a single fsync.
    t.expect_all(&["Sick disk", "Clients identified", "saving…"]);
    assert_eq!(shim.done(), 0, "the screen waited for an fsync");
    // The writer thread is the one waiting: an fsync has begun (so the shim
    // really is in the way) and is still held.
    let waiting = t.wait_until(WAIT, |_| shim.in_progress());
    assert!(
        waiting.is_ok(),
        "no fsync began: is the shim loaded? screen:\n{}",
        t.screen()
    );
    // The first record was written (not yet fsynced) before the screen:
    // a broken disk would have been told before the operator relied on it.
    let first = journal(&log);
    assert!(
        matches!(
            first.first().map(|r| &r.event),
            Some(Event::IncidentOpened { .. })
        ),
        "{first:?}"
    );

    // Tick the first checklist item, then ask for help: both show while the
    // fsync is still held.
    t.send("\r");
    t.expect("[x] Clients identified");
    t.send("?");
    t.expect("note · status update, also sent to the webhooks");
    assert_eq!(shim.done(), 0, "a key waited for an fsync");
    assert!(shim.in_progress(), "the fsync is still held");
    assert!(t.screen().contains("saving…"), "{}", t.screen());

    // The disk answers: the mark goes once everything shown is saved.
    shim.release();
    let saved = t.wait_until(WAIT, |s| !s.contains("saving…") && s.contains("Sick disk"));
    assert!(saved.is_ok(), "still saving:\n{}", t.screen());
    assert!(shim.done() >= 1);
    // Saved means on disk: the tick is in the journal now.
    assert!(
        journal(&log)
            .iter()
            .any(|r| matches!(r.event, Event::ChecklistToggled { .. })),
        "acknowledged but not in the journal"
    );

    t.send("\x1b");
    let closed = t.wait_until(WAIT, |s| !s.contains("note · status update, also sent"));
    assert!(closed.is_ok(), "help stays:\n{}", t.screen());
    t.send("qy");
    let status = t.wait_exit(WAIT).expect("quits");
    assert!(status.success(), "{status:?}");

    let recs = runbook::journal::read(&journal_path(&log))
        .expect("journal reads back")
        .records;
    let seqs: Vec<u64> = recs.iter().map(|r| r.seq).collect();
    assert_eq!(
        seqs,
        (1..=recs.len() as u64).collect::<Vec<_>>(),
        "in order, no gaps"
    );
    let kinds: Vec<&str> = recs
        .iter()
        .map(|r| match &r.event {
            Event::IncidentOpened { .. } => "opened",
            Event::StepEntered { .. } => "entered",
            Event::ChecklistToggled { .. } => "ticked",
            Event::SessionEnded { .. } => "ended",
            _ => "other",
        })
        .filter(|k| *k != "other")
        .collect();
    assert_eq!(kinds, ["opened", "entered", "ticked", "ended"], "{recs:?}");
}

#[test]
fn resume_of_a_torn_journal_shows_its_screen_before_any_fsync_and_keeps_the_torn_line() {
    let tmp = tempfile::tempdir().unwrap();
    let shim = SlowFsync::build(tmp.path());
    let log = tmp.path().join("log");
    let fx = fixture("headless.yaml");
    let d = log.display().to_string();
    // An incident, then a crash in the middle of a line.
    let mut t = Launch::new(
        bin(),
        &["start", &fx, "--title", "Torn disk", "--log-dir", &d],
    )
    .spawn();
    t.expect("Torn disk");
    t.send("qy");
    assert!(t.wait_exit(WAIT).expect("quits").success());
    let path = journal_path(&log);
    let torn = b"{\"seq\": 99, \"ts\": \"2026-12-0";
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(torn).unwrap();
    }
    let p = path.display().to_string();
    let mut launch = Launch::new(bin(), &["resume", &p]);
    for (k, v) in shim.env(None) {
        launch = launch.env(&k, &v);
    }
    let mut t = launch.spawn();
    // The screen is up while no fsync has returned: setting the torn line
    // aside waits for the disk on the writer's thread, not before the screen.
    t.expect_all(&["Torn disk", "Clients identified"]);
    assert_eq!(shim.done(), 0, "the screen waited for an fsync");
    shim.release();
    let saved = t.wait_until(WAIT, |s| !s.contains("saving…"));
    assert!(saved.is_ok(), "still saving:\n{}", t.screen());
    t.send("qy");
    assert!(t.wait_exit(WAIT).expect("quits").success());
    let kept = std::fs::read(path.with_extension("jsonl.torn")).expect("the torn line is kept");
    assert_eq!(kept, torn);
    let read = runbook::journal::read(&path).expect("journal reads back");
    assert!(
        read.torn.is_none(),
        "the journal was cut at its last whole line"
    );
    let seqs: Vec<u64> = read.records.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=read.records.len() as u64).collect::<Vec<_>>());
    assert!(
        read.records
            .iter()
            .any(|r| matches!(r.event, Event::SessionResumed { .. }))
    );
}

/// `runbook review`, key `P`, on a sick disk: Ctrl-S shows "saving the
/// postmortem…" while the edits file's fsync is held, the screen still
/// draws, and the file appears once the disk answers. Ctrl-C during a held
/// save gives the terminal back at once and finishes the save, saying so.
#[test]
fn review_saves_the_postmortem_off_the_screen_and_a_quit_mid_save_finishes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let shim = SlowFsync::build(tmp.path());
    let path = report_support::resolved_incident(tmp.path());
    let edits = runbook::report::edits::path_for(&path);
    let p = path.display().to_string();
    let run = |shim: &SlowFsync| {
        let mut launch = Launch::new(bin(), &["review", &p]);
        for (k, v) in shim.env(None) {
            launch = launch.env(&k, &v);
        }
        launch.spawn()
    };

    let mut t = run(&shim);
    t.expect("P postmortem");
    t.send("P");
    t.expect("Root cause");
    t.send("\t\tthe watermark");
    t.expect("the watermark");
    t.send("\x13"); // Ctrl-S
    t.expect("saving the postmortem");
    let held = t.wait_until(WAIT, |_| shim.in_progress());
    assert!(held.is_ok(), "no fsync began:\n{}", t.screen());
    assert!(!edits.exists(), "renamed before its fsync returned");
    // The screen still answers: a resize is redrawn while the disk holds.
    t.resize(100, 30);
    t.expect("saving the postmortem");
    shim.release();
    t.expect("postmortem saved to");
    assert!(edits.exists());
    t.send("q");
    assert!(t.wait_exit(WAIT).expect("quits").success());

    // Again, quitting while the save is held.
    std::fs::remove_file(&edits).unwrap();
    std::fs::create_dir_all(tmp.path().join("second")).unwrap();
    let shim = SlowFsync::build(&tmp.path().join("second"));
    let mut t = run(&shim);
    t.expect("P postmortem");
    t.send("P");
    t.expect("Root cause");
    t.send("\t\tsecond try");
    t.expect("second try");
    t.send("\x13");
    t.expect("saving the postmortem");
    assert!(t.wait_until(WAIT, |_| shim.in_progress()).is_ok());
    t.send("\x03"); // Ctrl-C
    let back = t.wait_until(WAIT, |_| !t.alternate_screen());
    assert!(
        back.is_ok(),
        "the terminal was not given back:\n{}",
        t.screen()
    );
    t.expect("saving the postmortem (the disk is slow)");
    assert!(t.alive(), "it must wait for the save, not drop it");
    shim.release();
    t.expect("postmortem saved to");
    assert!(t.wait_exit(WAIT).expect("exits").success());
    let saved = std::fs::read_to_string(&edits).unwrap();
    assert!(saved.contains("second try"), "{saved}");
}
