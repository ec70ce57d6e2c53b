//! The screen commands (`runbook`, `start`, `resume`, `review`) refuse to
//! run without a terminal, with a clear message and exit 2 (never a panic);
//! review takes a paste into its search whole.

mod report_support;

use assert_cmd::Command;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use report_support::resolved_incident;
use runbook::report::LoadedJournal;
use runbook::review::{Action, Review, SEARCH_CAP};

fn runbook() -> Command {
    let mut c = Command::cargo_bin("runbook").expect("binary");
    c.env_remove("RUNBOOK_LOG_DIR")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

#[test]
fn every_screen_command_refuses_without_a_terminal_with_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = resolved_incident(dir.path());
    let j = journal.display().to_string();
    let d = dir.path().display().to_string();
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec![], "runbook start", "runbook diagnose"),
        (
            vec!["start", "--log-dir", &d],
            "runbook start",
            "runbook diagnose",
        ),
        (vec!["resume", &j], "runbook resume", "runbook diagnose"),
        (vec!["review", &j], "runbook review", "runbook report"),
    ];
    for (args, what, instead) in cases {
        // No terminal on stdin (null) and none on stdout (a pipe).
        let out = runbook()
            .args(&args)
            .write_stdin("")
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("{what} needs an interactive terminal")) && err.contains(instead),
            "{args:?}: unclear message: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} drew on a pipe");
    }
}

fn press(r: &mut Review, code: KeyCode) {
    if let Some(a) = r.key(KeyEvent::new(code, KeyModifiers::NONE)) {
        r.update(a);
    }
}

#[test]
fn review_takes_a_paste_into_its_search_whole_and_ignores_it_elsewhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = resolved_incident(dir.path());
    let mut r = Review::new(LoadedJournal::load(&path).expect("journal"));
    let all = r.visible.len();
    // Not searching: a paste is not read as keys (`q` would quit, `2` filter).
    r.update(Action::Paste("q2".into()));
    assert!(!r.quit, "a paste quit review");
    assert_eq!(r.visible.len(), all);
    assert!(
        r.notice
            .as_deref()
            .is_some_and(|n| n.contains("paste ignored"))
    );

    press(&mut r, KeyCode::Char('/'));
    r.update(Action::Paste("Q\nq".into()));
    assert_eq!(r.typing.as_deref(), Some("Q q"));
    assert!(!r.quit);

    r.update(Action::Paste("x".repeat(SEARCH_CAP * 2)));
    assert_eq!(r.typing.as_ref().map(String::len), Some(SEARCH_CAP));
    assert!(r.notice.as_deref().is_some_and(|n| n.contains("paste cut")));
}

#[test]
fn review_under_no_color_draws_no_colour_and_keeps_its_badges() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::{Color, Modifier};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = resolved_incident(dir.path());
    let mut r = Review::new(LoadedJournal::load(&path).expect("journal"));
    r.no_color = true;
    press(&mut r, KeyCode::Char('2'));
    press(&mut r, KeyCode::Enter); // recorded output in colour
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    t.draw(|f| runbook::review::draw::draw(f, &r))
        .expect("draw");
    let buf = t.backend().buffer();
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "a colour is left under NO_COLOR"
    );
    assert!(
        buf[(1, 0)].modifier.contains(Modifier::REVERSED),
        "REVIEW badge"
    );
}
