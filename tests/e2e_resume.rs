//! End to end: kill -9 during a command, then `runbook resume` shows the same
//! incident with the run marked interrupted, and the command died with us.

mod support;

use std::time::{Duration, Instant};

use runbook::incident::Event;
use support::{
    Launch, WAIT, bin, journal, marker_seconds, processes_with_args, start, wait_journal,
};

#[test]
fn kill_9_during_a_run_then_resume_shows_it_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let secs = marker_seconds();
    let var = format!("secs={secs}");
    let mut t = start("basic.yaml", "Crash drill", dir.path(), &[&var]);
    t.expect("1 ▶ Look");

    t.send("n");
    t.expect("Ctrl-S or Enter on an empty line saves");
    t.send("restarted consumer A\x13");
    wait_journal(dir.path(), |e| matches!(e, Event::Note { .. }));

    // The second command is the slow one.
    t.send("j\r");
    t.expect("││slow-started"); // in the output pane, not the command line
    let deadline = Instant::now() + WAIT;
    let sleeper = loop {
        if let Some(pid) = processes_with_args(&["sleep", &secs]).first() {
            break *pid;
        }
        assert!(Instant::now() < deadline, "the sleep never started");
        std::thread::sleep(Duration::from_millis(20));
    };

    // Kill only once the screen shows everything as saved (no "saving…"
    // mark): those are the acknowledged events promise 1 is about.
    let saved = t.wait_until(WAIT, |s| {
        s.contains("slow-started") && !s.contains("saving…")
    });
    assert!(saved.is_ok(), "never saved:\n{}", t.screen());
    t.signal(libc::SIGKILL);
    t.wait_exit(WAIT).expect("kill -9 ends the program");
    let deadline = Instant::now() + Duration::from_secs(5);
    while support::pty::process_alive(sleeper) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !support::pty::process_alive(sleeper),
        "the command's process {sleeper} outlived the program"
    );
    assert!(
        processes_with_args(&["sleep", &secs]).is_empty(),
        "a marker process is left"
    );
    let before = journal(dir.path());
    assert!(
        !before
            .iter()
            .any(|r| matches!(r.event, Event::SessionEnded { .. })),
        "kill -9 leaves no session_ended: the incident is unfinished"
    );
    // Everything the screen showed as saved survived the kill.
    assert!(
        before.iter().any(
            |r| matches!(&r.event, Event::Note { text, .. } if text == "restarted consumer A")
        ),
        "the note was acknowledged but is lost"
    );
    assert!(
        before.iter().any(
            |r| matches!(&r.event, Event::CommandStarted { command, .. } if command == "slow")
        ),
        "the slow command's start was acknowledged but is lost"
    );
    assert!(
        before.iter().any(|r| matches!(&r.event, Event::CommandOutput { text, .. } if text.contains("slow-started"))),
        "the output on screen was acknowledged but is lost"
    );

    let d = dir.path().display().to_string();
    let r = Launch::new(bin(), &["resume", "--log-dir", &d]).spawn();
    let screen = r.expect_all(&[
        "Crash drill",
        "1 ▶ Look",
        "2 · Narrow it down",
        "3 · Fix it",
        "restarted consumer A",
        "interrupted",
        "q quit",
    ]);
    assert!(
        screen
            .lines()
            .any(|l| l.contains("slow") && l.contains("interrupted")),
        "the slow command's line says interrupted:\n{screen}"
    );
    let after = wait_journal(dir.path(), |e| matches!(e, Event::SessionResumed { .. }));
    assert!(
        after.len() > before.len(),
        "resume appended to the same journal"
    );
}

#[test]
fn resume_refuses_a_runbook_whose_steps_changed_and_takes_one_given_with_runbook() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    // The incident follows a copy of the fixture, which is then edited.
    let copy = dir.path().join("sheet.yaml");
    std::fs::copy(support::fixture("basic.yaml"), &copy).unwrap();
    let c = copy.display().to_string();
    let mut t = Launch::new(
        bin(),
        &["start", &c, "--title", "Moved sheet", "--log-dir", &d],
    )
    .spawn();
    t.expect("1 ▶ Look");
    t.send("qy");
    t.wait_exit(WAIT).expect("quits");

    let original = std::fs::read_to_string(&copy).unwrap();
    let cut = original
        .find("\n  - id: ")
        .and_then(|first| {
            original[first + 1..]
                .find("\n  - id: ")
                .map(|i| first + 1 + i)
        })
        .expect("a second step");
    std::fs::write(&copy, &original[..cut]).unwrap();
    let mut t = Launch::new(bin(), &["resume", "--log-dir", &d]).spawn();
    let status = t.wait_exit(WAIT).expect("refuses and exits");
    assert_eq!(status.exit_code(), 2);
    let out = String::from_utf8_lossy(&t.raw_since(0)).into_owned();
    assert!(out.contains("not this incident's steps"), "{out}");
    assert!(out.contains("--runbook"), "{out}");

    // The original, given explicitly, resumes the incident.
    let saved = dir.path().join("original.yaml");
    std::fs::write(&saved, &original).unwrap();
    let s = saved.display().to_string();
    let mut t = Launch::new(bin(), &["resume", "--log-dir", &d, "--runbook", &s]).spawn();
    t.expect("Moved sheet");
    t.expect("1 ▶ Look");
    t.send("qy");
    let status = t.wait_exit(WAIT).expect("quits");
    assert!(status.success(), "{status:?}");
}
