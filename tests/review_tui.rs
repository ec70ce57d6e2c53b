//! Review mode driven headless by actions; frames as insta snapshots.

mod report_support;
mod tmpfs_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use report_support::*;
use runbook::report::{EntryKind, LoadedJournal};
use runbook::review::draw::draw;
use runbook::review::{Action, Filter, Review};
use tmpfs_support::Tmpfs;

fn review(path: &std::path::Path) -> Review {
    Review::new(LoadedJournal::load(path).unwrap())
}

fn frame(r: &Review, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| draw(f, r)).unwrap();
    // Every cell reads on a light and on a dark terminal.
    let buf = t.backend().buffer();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            if let Some(why) = runbook::tui::theme::unreadable(c.fg, c.bg) {
                panic!("cell {x},{y} ({:?} on {:?}): {why}", c.fg, c.bg);
            }
        }
    }
    t
}

fn press(r: &mut Review, code: KeyCode) {
    if let Some(a) = r.key(KeyEvent::new(code, KeyModifiers::NONE)) {
        r.update(a);
    }
}

#[test]
fn frames_at_80x24_and_120x40() {
    let dir = tempfile::tempdir().unwrap();
    let r = review(&resolved_incident(dir.path()));
    insta::assert_snapshot!("resolved_80x24", frame(&r, 80, 24).backend());
    insta::assert_snapshot!("resolved_120x40", frame(&r, 120, 40).backend());
}

#[test]
fn open_torn_frame() {
    let dir = tempfile::tempdir().unwrap();
    let r = review(&open_torn_incident(dir.path()));
    insta::assert_snapshot!("open_torn_120x40", frame(&r, 120, 40).backend());
}

#[test]
fn filters_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = review(&resolved_incident(dir.path()));
    let all = r.visible.len();
    press(&mut r, KeyCode::Char('2'));
    assert_eq!(r.filter, Filter::Commands);
    assert_eq!(r.visible.len(), 6, "3 commands started and finished");
    assert!(
        r.visible
            .iter()
            .all(|&i| r.entries[i].kind == EntryKind::Command)
    );
    press(&mut r, KeyCode::Char('4'));
    assert_eq!(r.visible.len(), 2);
    press(&mut r, KeyCode::Char('5'));
    assert_eq!(
        r.visible.len(),
        3,
        "one answer, a confirmation asked and answered"
    );
    press(&mut r, KeyCode::Char('6'));
    assert_eq!(r.visible.len(), 1);
    press(&mut r, KeyCode::Char('1'));
    assert_eq!(r.visible.len(), all);
    insta::assert_snapshot!("commands_filter_80x24", {
        press(&mut r, KeyCode::Char('2'));
        frame(&r, 80, 24).backend().to_string()
    });
}

#[test]
fn search_finds_command_output_and_notes() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = review(&resolved_incident(dir.path()));
    press(&mut r, KeyCode::Char('/'));
    for c in "LINE 77".chars() {
        press(&mut r, KeyCode::Char(c));
    }
    assert_eq!(r.search, None, "not applied while typing");
    press(&mut r, KeyCode::Enter);
    assert_eq!(r.search.as_deref(), Some("line 77"));
    let runs: Vec<_> = r.visible.iter().map(|&i| r.entries[i].run).collect();
    assert_eq!(
        runs,
        [Some(3), Some(3)],
        "only the tail-logs run prints line 77"
    );
    press(&mut r, KeyCode::Esc);
    assert_eq!(r.search, None);
    press(&mut r, KeyCode::Char('/'));
    for c in "autoscaler".chars() {
        press(&mut r, KeyCode::Char(c));
    }
    press(&mut r, KeyCode::Enter);
    assert_eq!(r.visible.len(), 1);
    assert_eq!(r.selected_entry().unwrap().kind, EntryKind::Note);
}

#[test]
fn brackets_jump_between_steps() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = review(&resolved_incident(dir.path()));
    let step = |r: &Review| r.selected_entry().unwrap().step.clone().unwrap_or_default();
    press(&mut r, KeyCode::Char(']'));
    assert_eq!(step(&r), "confirm");
    assert_eq!(r.selected_entry().unwrap().text, "step entered");
    press(&mut r, KeyCode::Char(']'));
    assert_eq!(step(&r), "logs");
    press(&mut r, KeyCode::Char(']'));
    assert_eq!(step(&r), "temporary-fix");
    press(&mut r, KeyCode::Down);
    press(&mut r, KeyCode::Char('['));
    assert_eq!(
        step(&r),
        "temporary-fix",
        "first back to the start of the step"
    );
    assert_eq!(r.selected_entry().unwrap().text, "step entered");
    press(&mut r, KeyCode::Char('['));
    assert_eq!(step(&r), "logs");
}

#[test]
fn enter_shows_recorded_output_with_colours() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = review(&resolved_incident(dir.path()));
    press(&mut r, KeyCode::Char('2'));
    press(&mut r, KeyCode::Enter);
    assert_eq!(r.output.map(|o| o.0), Some(1));
    let t = frame(&r, 80, 24);
    insta::assert_snapshot!("ping_output_80x24", t.backend());
    // "Ping succeeded" was printed in green (SGR 32): it is shown in green.
    let buf = t.backend().buffer();
    let (x, y) = (0..24u16)
        .flat_map(|y| (0..80u16).map(move |x| (x, y)))
        .find(|&(x, y)| buf[(x, y)].symbol() == "P" && buf[(x + 1, y)].symbol() == "i")
        .unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Green);
    press(&mut r, KeyCode::Esc);
    assert!(r.output.is_none());
    press(&mut r, KeyCode::Char('q'));
    assert!(r.quit);
}

#[test]
fn review_never_touches_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = resolved_incident(dir.path());
    let before = std::fs::read(&path).unwrap();
    let mut r = review(&path);
    for a in [
        Action::End,
        Action::Open,
        Action::Close,
        Action::Filter(Filter::Notes),
        Action::StartSearch,
        Action::SearchChar('x'),
        Action::SearchSubmit,
        Action::Quit,
    ] {
        r.update(a);
        frame(&r, 80, 24);
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no file created"
    );
}

#[test]
fn tiny_terminal_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = review(&resolved_incident(dir.path()));
    for (w, h) in [(1, 1), (10, 3), (20, 5)] {
        frame(&r, w, h);
        r.update(Action::Open);
        frame(&r, w, h);
    }
}

#[test]
fn bad_journals_exit_2_before_touching_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = future_schema(dir.path());
    assert_cmd::Command::cargo_bin("runbook")
        .unwrap()
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("review")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("upgrade runbook"));
    assert_cmd::Command::cargo_bin("runbook")
        .unwrap()
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("review")
        .arg(dir.path().join("missing.jsonl"))
        .assert()
        .code(2);
}

#[test]
fn a_drill_review_says_drill_filters_its_events_on_7_and_shows_the_root_cause_at_the_end() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/drill-report/20261201T090000Z-queue-backlog.jsonl");
    // The scenario is looked up from the working directory (./drills) or
    // the embedded set.
    let mut r = review(&path);
    let t = frame(&r, 150, 40);
    let text = buffer_text(t.backend().buffer());
    assert!(text.contains(" DRILL "), "{text}");
    assert!(
        text.contains("trainee mallory") && !text.contains('\u{1b}'),
        "{text}"
    );
    assert!(text.contains("score 95/100"), "{text}");
    press(&mut r, KeyCode::Char('7'));
    assert_eq!(r.filter, Filter::Drill);
    assert_eq!(r.visible.len(), 9, "every drill_* event and nothing else");
    assert!(
        r.visible
            .iter()
            .all(|&i| r.entries[i].kind == EntryKind::Drill)
    );
    // The root cause stays out of the way until the drill's end is selected.
    for _ in 0..10 {
        press(&mut r, KeyCode::Up);
    }
    let text = buffer_text(frame(&r, 150, 60).backend().buffer());
    assert!(!text.contains("Root cause"), "{text}");
    while r
        .selected_entry()
        .is_some_and(|e| !e.text.starts_with("drill ended"))
    {
        let before = r.selected;
        press(&mut r, KeyCode::Down);
        assert_ne!(before, r.selected, "no drill_ended entry");
    }
    let text = buffer_text(frame(&r, 150, 60).backend().buffer());
    assert!(
        text.contains("Root cause (hidden from the trainee):"),
        "{text}"
    );
    assert!(text.contains("hint 1"), "the breakdown is shown: {text}");
}

fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// `P` in review: the reviewer writes the postmortem; it is saved beside
/// the journal (never in it), read back on the next `P`, and the report
/// shows it. Esc leaves nothing behind; tiny terminals draw the form.
#[test]
fn the_reviewer_writes_the_postmortem_beside_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let path = resolved_incident(dir.path());
    let before = std::fs::read(&path).unwrap();
    let mut r = review(&path);
    r.journal_path = Some(path.clone());
    let typed = |r: &mut Review, s: &str| {
        for c in s.chars() {
            press(r, KeyCode::Char(c));
        }
    };
    // Esc: nothing saved.
    press(r_mut(&mut r), KeyCode::Char('P'));
    // The edits file is read off the screen's thread: the footer says so
    // until it is, then the form opens.
    assert!(r.postmortem.is_none());
    assert!(buffer_text(frame(&r, 120, 40).backend().buffer()).contains("reading the postmortem"));
    r.run_file_work_here();
    assert!(r.postmortem.is_some());
    press(&mut r, KeyCode::Esc);
    assert!(!runbook::report::edits::path_for(&path).exists());
    press(&mut r, KeyCode::Char('P'));
    r.run_file_work_here();
    press(&mut r, KeyCode::Char('2')); // SEV2
    press(&mut r, KeyCode::Tab);
    typed(&mut r, "all publishers blocked");
    press(&mut r, KeyCode::Tab);
    typed(&mut r, "memory watermark too low for the backlog");
    for (w, h) in [(120, 40), (80, 24), (1, 1), (20, 5)] {
        frame(&r, w, h);
    }
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    typed(&mut r, "raise the watermark @ops");
    if let Some(a) = r.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)) {
        r.update(a);
    }
    // Saving: the form holds still and says so; nothing is written yet.
    assert!(r.postmortem.is_some());
    assert!(buffer_text(frame(&r, 120, 40).backend().buffer()).contains("saving the postmortem"));
    press(&mut r, KeyCode::Char('x'));
    press(&mut r, KeyCode::Esc);
    assert!(r.postmortem.is_some(), "Esc waits for the save");
    assert!(!runbook::report::edits::path_for(&path).exists());
    r.run_file_work_here();
    assert!(r.postmortem.is_none(), "saved and closed");
    assert!(
        r.notice
            .as_deref()
            .unwrap_or("")
            .contains("postmortem saved")
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the journal is untouched"
    );
    let md = runbook::report::markdown::render(&LoadedJournal::load(&path).unwrap());
    assert!(md.contains("| Severity | SEV2 |"), "{md}");
    assert!(md.contains("### Root cause\n\nmemory watermark too low for the backlog"));
    assert!(md.contains("| [ ] | raise the watermark | ops |"));
    // The next P starts from what was saved.
    let mut again = review(&path);
    again.journal_path = Some(path.clone());
    press(&mut again, KeyCode::Char('P'));
    again.run_file_work_here();
    let form = &again.postmortem.as_ref().unwrap().form;
    assert_eq!(
        form.value("Root cause"),
        "memory watermark too low for the backlog"
    );
}

fn r_mut(r: &mut Review) -> &mut Review {
    r
}

/// A Chinese incident's review speaks Chinese: header, panes, footer, the
/// summary's step states and the timeline; the journal's text stays as written.
#[test]
fn chinese_frame_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = review(&resolved_incident_zh(dir.path()));
    let t = frame(&r, 120, 40);
    let text = format!("{}", t.backend());
    for want in [
        "回顾",
        "已解决",
        "步骤",
        "时间线",
        "全部",
        "选中的事件",
        "? 帮助",
    ] {
        assert!(text.contains(want), "missing {want}:\n{text}");
    }
    insta::assert_snapshot!("resolved_zh_120x40", t.backend());
    press(&mut r, KeyCode::Char('?'));
    insta::assert_snapshot!("help_zh_100x30", frame(&r, 100, 30).backend());
    // Every small size, the help and the event's detail over it: wide
    // characters never run past a pane (nor, at the frame's edge, panic).
    for w in 1..=30 {
        for h in 1..=10 {
            frame(&r, w, h);
        }
    }
    press(&mut r, KeyCode::Char('?'));
    r.update(Action::Open);
    for w in 1..=30 {
        for h in 1..=10 {
            frame(&r, w, h);
        }
    }
}

/// Promise 6 for the reviewer: the disk beside the journal is full when the
/// postmortem is saved. The form stays open with every word typed, says why
/// (naming the file), leaves no temporary behind and the journal untouched;
/// once space is back, the same Ctrl-S saves it.
#[test]
fn a_full_disk_keeps_the_reviewers_postmortem_on_screen_until_it_can_be_saved() {
    let fs = Tmpfs::mount();
    let src = tempfile::tempdir().unwrap();
    let path = fs.0.path().join("incident.jsonl");
    std::fs::copy(resolved_incident(src.path()), &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    // Fill what is left.
    let filler = fs.0.path().join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![b'x'; 4096];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    drop(f);

    let mut r = review(&path);
    r.journal_path = Some(path.clone());
    press(&mut r, KeyCode::Char('P'));
    r.run_file_work_here();
    for _ in 0..2 {
        press(&mut r, KeyCode::Tab);
    }
    for c in "consumers were never scaled".chars() {
        press(&mut r, KeyCode::Char(c));
    }
    let ctrl_s = || KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    if let Some(a) = r.key(ctrl_s()) {
        r.update(a);
    }
    r.run_file_work_here();
    let editing = r.postmortem.as_ref().expect("the form stays open");
    let why = editing.form.error.clone().expect("the form says why");
    assert!(why.contains("incident.jsonl.postmortem.json"), "{why}");
    assert!(why.contains("No space left"), "{why}");
    assert_eq!(
        editing.form.value("Root cause"),
        "consumers were never scaled"
    );
    let screen = buffer_text(frame(&r, 120, 40).backend().buffer());
    assert!(screen.contains("No space left"), "{screen}");
    let names: Vec<String> = std::fs::read_dir(fs.0.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the journal is untouched"
    );

    // Space again: the same keystroke saves what is on screen.
    std::fs::remove_file(&filler).unwrap();
    if let Some(a) = r.key(ctrl_s()) {
        r.update(a);
    }
    r.run_file_work_here();
    assert!(r.postmortem.is_none(), "saved and closed");
    let md = runbook::report::markdown::render(&LoadedJournal::load(&path).unwrap());
    assert!(md.contains("consumers were never scaled"), "{md}");
}
