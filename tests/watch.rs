//! `runbook watch` in a real terminal following an incident that the live
//! screen writes in another terminal: a note appears in the watcher, the
//! end of the session is told, a torn last line and a deleted journal are
//! lived through, and a writer killed with `kill -9` is noticed. The watcher
//! never writes the journal.

mod support;

use std::path::Path;

use support::{Launch, WAIT, bin, fixture, journal_path};

fn operator(log: &Path, title: &str) -> support::Pty {
    let fx = fixture("headless.yaml");
    let d = log.display().to_string();
    let t = Launch::new(bin(), &["start", &fx, "--title", title, "--log-dir", &d])
        .size(120, 35)
        .spawn();
    t.expect(title);
    t
}

fn watcher(log: &Path) -> support::Pty {
    let d = log.display().to_string();
    Launch::new(bin(), &["watch", "--log-dir", &d])
        .size(140, 35)
        .spawn()
}

#[test]
fn the_watcher_follows_the_operator_and_sees_the_end() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("log");
    let mut op = operator(&log, "Followed incident");
    let mut w = watcher(&log);
    w.expect_all(&[" WATCH ", "following", "Followed incident", "step entered"]);

    // A note written by the operator shows in the watcher.
    op.send("n");
    op.send("hello from the operator");
    op.send("\x13");
    op.expect("hello from the operator");
    w.expect("note: hello from the operator");

    // The operator quits: the watcher says the session ended.
    op.send("qy");
    assert!(op.wait_exit(WAIT).expect("quits").success());
    w.expect("session ended (operator quit)");
    let path = journal_path(&log);
    let before = std::fs::read(&path).unwrap();

    // A torn line appended by a crashing writer: still shown, marked.
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"{\"seq\": 99, \"ts\": \"2026").unwrap();
    }
    w.expect("journal damaged");
    assert!(w.screen().contains("hello from the operator"));

    // The journal deleted under it: it says so and keeps the last view.
    let torn = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    w.expect("cannot read the journal");
    assert!(w.screen().contains("hello from the operator"));
    std::fs::write(&path, &torn).unwrap();

    w.send("q");
    assert!(w.wait_exit(WAIT).expect("quits").success());
    // Never written by the watcher.
    assert_eq!(std::fs::read(&path).unwrap(), torn);
    assert!(torn.starts_with(&before));
}

#[test]
fn a_writer_killed_with_kill_9_is_noticed() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("log");
    let op = operator(&log, "Doomed incident");
    let mut w = watcher(&log);
    w.expect_all(&["following", "Doomed incident"]);
    op.signal(libc::SIGKILL);
    w.expect("the writer is gone");
    w.send("q");
    assert!(w.wait_exit(WAIT).expect("quits").success());
}

#[test]
fn watch_without_an_unfinished_incident_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(bin())
        .args(["watch", "--log-dir"])
        .arg(tmp.path())
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no unfinished incident"));
}
