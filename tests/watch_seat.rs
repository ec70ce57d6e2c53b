//! The trainer's seat in `watch`, headless: the panel drawn from a running
//! drill's journal (an insta snapshot at 120×40, and every size down to 1×1
//! without a panic), the trainer's keys and their typed confirmations, the
//! drill's answers read back from the journal, and a journal that is not a
//! drill's, where none of it shows and the keys do nothing.

mod report_support;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runbook::drill::control::Request;
use runbook::report::LoadedJournal;
use runbook::review::draw::draw;
use runbook::review::seat::Tone;
use runbook::review::{Action, Review, Seat, WatchStatus};

/// A running drill of tests/drills/trainer.yaml: the fault in, the first
/// expected item used, the hint pushed by the trainer, paused by the trainer.
fn running_drill(dir: &Path) -> PathBuf {
    let path = dir.join("20261201T090000Z-trainer-steers.jsonl");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/watch-seat/running-drill.jsonl"),
        &path,
    )
    .unwrap();
    path
}

fn ts(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// `runbook watch` as it starts on `path` (following, its seat if a drill).
fn watch(path: &Path, now: &str) -> Review {
    let mut r = Review::new(LoadedJournal::load(path).unwrap());
    r.watch = Some(WatchStatus::Following);
    r.seat = Seat::for_journal(&r.journal, path.to_path_buf(), ts(now));
    r.selected = r.visible.len().saturating_sub(1);
    r
}

fn reload(r: &mut Review, path: &Path) {
    let mut l = LoadedJournal::load(path).unwrap();
    l.scenario = r.journal.scenario.clone();
    r.reload(l);
}

fn frame(r: &Review, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| draw(f, r)).unwrap();
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

fn text(r: &Review, w: u16, h: u16) -> String {
    let t = frame(r, w, h);
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Presses a key; returns the request it asks to send.
fn press(r: &mut Review, code: KeyCode) -> Option<Request> {
    r.key(KeyEvent::new(code, KeyModifiers::NONE))
        .and_then(|a| r.update(a))
}

fn type_text(r: &mut Review, s: &str) {
    for c in s.chars() {
        assert_eq!(press(r, KeyCode::Char(c)), None);
    }
}

fn said(r: &Review) -> (String, Tone) {
    let s = r.seat.as_ref().unwrap().said.clone().unwrap();
    (s.text, s.tone)
}

fn append(path: &Path, line: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    writeln!(f, "{line}").unwrap();
}

#[test]
fn the_panel_shows_what_the_trainee_does_not_see() {
    let dir = tempfile::tempdir().unwrap();
    let r = watch(&running_drill(dir.path()), "2026-12-01T09:03:00.000+00:00");
    let screen = text(&r, 120, 40);
    for want in [
        " Trainer · t hides ",
        "PAUSED",
        "paused by the trainer",
        // 10 min from the fault at 09:00:05, 30 s of them paused, at 09:03.
        "7:35 left (stands still while paused)",
        "hints 1/1 · trainee 0, trainer 1",
        "score so far",
        "Root cause (hidden)",
        "The application was stopped on",
        "✓ confirm/check-running #1 09:01:00",
        "· service/start-app",
        "✗ running fail 09:00:06",
        "fix not detected yet",
        "escalate ready",
        "t panel · h hint · p pause/resume · i inject · e end",
    ] {
        assert!(screen.contains(want), "{want:?} not in:\n{screen}");
    }
    insta::assert_snapshot!("trainer_panel_120x40", frame(&r, 120, 40).backend());

    // `t` hides the panel and shows it again.
    let mut r = r;
    press(&mut r, KeyCode::Char('t'));
    assert!(!text(&r, 120, 40).contains("Root cause"));
    press(&mut r, KeyCode::Char('t'));
    assert!(text(&r, 120, 40).contains("Root cause"));
}

#[test]
fn the_panel_fits_any_terminal_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = watch(&running_drill(dir.path()), "2026-12-01T09:03:00.000+00:00");
    let sizes = [
        (1, 1),
        (2, 2),
        (10, 3),
        (20, 5),
        (30, 8),
        (45, 12),
        (60, 16),
        (80, 24),
        (99, 30),
        (200, 60),
    ];
    for (w, h) in sizes {
        frame(&r, w, h);
    }
    // The panel keeps the right side of a narrow terminal, and all of a
    // very narrow one.
    assert!(text(&r, 80, 24).contains("Trainer"));
    assert!(text(&r, 45, 20).contains("PAUSED"));
    // The confirmation and the help over it, at every size.
    press(&mut r, KeyCode::Char('e'));
    for (w, h) in sizes {
        frame(&r, w, h);
    }
    assert!(text(&r, 80, 24).contains("Type end and press Enter"));
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Char('?'));
    for (w, h) in sizes {
        frame(&r, w, h);
    }
    let help = text(&r, 100, 40);
    assert!(help.contains("push the next hint"), "{help}");
    assert!(
        help.contains("end the drill now (typed confirmation)"),
        "{help}"
    );
    press(&mut r, KeyCode::Char('x'));
    assert!(!r.help, "any key closes the help");
}

#[test]
fn the_trainers_keys_ask_the_drill_and_read_its_answer_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = running_drill(dir.path());
    let mut r = watch(&path, "2026-12-01T09:03:00.000+00:00");

    // The one hint is used: nothing to push.
    assert_eq!(press(&mut r, KeyCode::Char('h')), None);
    assert_eq!(said(&r), ("no hint left (1/1 used)".into(), Tone::Refused));
    assert!(text(&r, 120, 40).contains("no hint left (1/1 used)"));

    // Paused: `p` resumes; the drill's answer is read from the journal.
    assert_eq!(press(&mut r, KeyCode::Char('p')), Some(Request::Resume));
    r.sent(&Request::Resume, Ok(()));
    assert_eq!(said(&r).1, Tone::Waiting);
    assert!(text(&r, 120, 40).contains("resume: sent; waiting for the drill"));
    append(
        &path,
        r#"{"seq": 11, "ts": "2026-12-01T09:03:01.000+00:00", "type": "drill_resumed", "reason": "resumed by the trainer"}"#,
    );
    reload(&mut r, &path);
    assert_eq!(said(&r), ("the drill runs again".into(), Tone::Done));
    assert!(text(&r, 120, 40).contains("RUNNING"));
    assert_eq!(press(&mut r, KeyCode::Char('p')), Some(Request::Pause));

    // `send` refused (a symlink in the control file's place, say): said.
    r.sent(
        &Request::Pause,
        Err("x.control is a symbolic link: not followed; remove it".into()),
    );
    assert_eq!(said(&r).1, Tone::Refused);
    assert!(
        said(&r)
            .0
            .starts_with("cannot send: x.control is a symbolic link")
    );
    assert!(text(&r, 120, 40).contains("▸ cannot send"));

    // Inject: a typed confirmation of the fault's id; a paste is refused.
    assert_eq!(press(&mut r, KeyCode::Char('i')), None);
    assert!(text(&r, 120, 40).contains("Type escalate and press Enter to send it"));
    assert_eq!(r.update(Action::Paste("escalate".into())), None);
    assert_eq!(
        r.notice.as_deref(),
        Some("typed confirmation: paste refused, type it")
    );
    type_text(&mut r, "escalat");
    assert_eq!(press(&mut r, KeyCode::Enter), None, "not what was asked");
    assert_eq!(
        said(&r),
        (
            "“escalat” is not “escalate” — nothing sent".into(),
            Tone::Refused
        )
    );
    press(&mut r, KeyCode::Char('i'));
    type_text(&mut r, "escalate");
    assert_eq!(
        press(&mut r, KeyCode::Enter),
        Some(Request::Inject {
            fault: Some("escalate".into())
        })
    );
    r.sent(
        &Request::Inject {
            fault: Some("escalate".into()),
        },
        Ok(()),
    );
    append(
        &path,
        r#"{"seq": 12, "ts": "2026-12-01T09:03:05.000+00:00", "type": "drill_fault_injected", "fault": "escalate", "by": "trainer", "run": 2}"#,
    );
    reload(&mut r, &path);
    assert_eq!(
        said(&r),
        ("`escalate` injected into the sandbox".into(), Tone::Done)
    );
    assert!(text(&r, 120, 40).contains("escalate injected 09:03:05"));
    press(&mut r, KeyCode::Char('i'));
    assert_eq!(
        said(&r),
        ("every escalation fault is already in".into(), Tone::Refused)
    );

    // Esc cancels a confirmation; the keys typed into it do nothing else.
    press(&mut r, KeyCode::Char('e'));
    type_text(&mut r, "q");
    assert!(!r.quit, "q is typed into the confirmation");
    press(&mut r, KeyCode::Esc);
    assert_eq!(said(&r), ("cancelled — nothing sent".into(), Tone::Refused));

    // End: typed `end`.
    press(&mut r, KeyCode::Char('e'));
    type_text(&mut r, "end");
    assert_eq!(press(&mut r, KeyCode::Enter), Some(Request::End));
    r.sent(&Request::End, Ok(()));
    append(
        &path,
        r#"{"seq": 13, "ts": "2026-12-01T09:03:09.000+00:00", "type": "drill_ended", "reason": "ended_by_trainer", "detail": "the trainer ended the drill"}"#,
    );
    reload(&mut r, &path);
    assert_eq!(
        said(&r),
        ("the drill ended (ended by trainer)".into(), Tone::Done)
    );
    assert_eq!(
        runbook::review::watch::status_of(&r, true),
        WatchStatus::Ended("drill ended: ended by trainer".into())
    );

    // An ended drill takes no more requests: every key says so.
    for k in ['h', 'p', 'i', 'e'] {
        assert_eq!(press(&mut r, KeyCode::Char(k)), None);
        assert!(
            said(&r)
                .0
                .starts_with("the drill has ended (ended by trainer)"),
            "{k}: {:?}",
            said(&r)
        );
        assert!(r.seat.as_ref().unwrap().confirm.is_none());
    }
    assert!(text(&r, 120, 40).contains("ENDED: ended by trainer"));
    // The watcher never wrote anything: no control file was made here.
    assert!(!runbook::drill::control::control_path(&path).exists());
}

#[test]
fn a_drill_whose_writer_is_gone_takes_no_request() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = watch(&running_drill(dir.path()), "2026-12-01T09:03:00.000+00:00");
    r.watch = Some(WatchStatus::WriterGone);
    assert_eq!(press(&mut r, KeyCode::Char('p')), None);
    assert!(said(&r).0.contains("the drill's process is gone"));
}

#[test]
fn a_journal_that_is_not_a_drills_shows_no_panel_and_the_keys_do_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = report_support::resolved_incident(dir.path());
    let mut r = watch(&path, "2026-11-24T04:00:00.000+00:00");
    assert!(r.seat.is_none());
    let before = text(&r, 120, 40);
    assert!(!before.contains("Trainer"), "{before}");
    assert!(!before.contains("h hint"), "{before}");
    let selected = r.selected;
    for k in ['t', 'h', 'p', 'i', 'e'] {
        assert_eq!(
            r.key(KeyEvent::new(KeyCode::Char(k), KeyModifiers::NONE)),
            None
        );
        assert_eq!(r.update(Action::TrainerPanel), None);
        assert_eq!(press(&mut r, KeyCode::Char(k)), None);
    }
    assert_eq!(r.selected, selected);
    assert_eq!(text(&r, 120, 40), before);
    // The help lists review's keys only.
    press(&mut r, KeyCode::Char('?'));
    let help = text(&r, 120, 40);
    assert!(
        help.contains("this help") && !help.contains("trainer:"),
        "{help}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no file made"
    );
}

/// The screen without spaces: a wide character's second cell holds one.
fn packed(r: &Review) -> String {
    text(r, 120, 40).replace(' ', "")
}

/// A Chinese drill: the trainer's panel and what became of each request
/// read in Chinese, the ids and the typed words as they are.
#[test]
fn a_chinese_drill_answers_the_trainer_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let path = running_drill(dir.path());
    let zh = std::fs::read_to_string(&path).unwrap().replacen(
        r#""type": "incident_opened", "#,
        r#""type": "incident_opened", "lang": "zh", "#,
        1,
    );
    std::fs::write(&path, zh).unwrap();
    let mut r = watch(&path, "2026-12-01T09:03:00.000+00:00");

    assert_eq!(press(&mut r, KeyCode::Char('h')), None);
    assert_eq!(said(&r), ("提示已用完（1/1）".into(), Tone::Refused));
    assert!(
        packed(&r).contains("提示已用完（1/1）"),
        "{}",
        text(&r, 120, 40)
    );

    assert_eq!(press(&mut r, KeyCode::Char('p')), Some(Request::Resume));
    r.sent(&Request::Resume, Ok(()));
    assert_eq!(said(&r).0, "继续：已发送，等待演练执行");
    append(
        &path,
        r#"{"seq": 11, "ts": "2026-12-01T09:03:01.000+00:00", "type": "drill_resumed", "reason": "resumed by the trainer"}"#,
    );
    reload(&mut r, &path);
    assert_eq!(said(&r), ("演练已继续".into(), Tone::Done));

    press(&mut r, KeyCode::Char('i'));
    type_text(&mut r, "escalat");
    press(&mut r, KeyCode::Enter);
    assert_eq!(said(&r).0, "“escalat”不是“escalate”——未发送");
    press(&mut r, KeyCode::Char('e'));
    assert!(packed(&r).contains("立即结束演练"));
    press(&mut r, KeyCode::Esc);
    assert_eq!(said(&r).0, "已取消——未发送");

    append(
        &path,
        r#"{"seq": 12, "ts": "2026-12-01T09:04:00.000+00:00", "type": "drill_ended", "reason": "time_limit", "detail": ""}"#,
    );
    reload(&mut r, &path);
    assert!(packed(&r).contains("结束：超出时限"));
    assert_eq!(press(&mut r, KeyCode::Char('h')), None);
    assert_eq!(said(&r).0, "演练已结束（超出时限），无可发送");
}

/// A request the drill could not carry out comes back as a `drill control:`
/// note, journaled in the drill's language: the seat reads either back.
#[test]
fn a_refusal_journaled_in_either_language_reaches_the_trainer() {
    let dir = tempfile::tempdir().unwrap();
    let path = running_drill(dir.path());
    let mut r = watch(&path, "2026-12-01T09:03:00.000+00:00");
    assert_eq!(press(&mut r, KeyCode::Char('p')), Some(Request::Resume));
    r.sent(&Request::Resume, Ok(()));
    append(
        &path,
        r#"{"seq": 11, "ts": "2026-12-01T09:03:01.000+00:00", "type": "note", "text": "演练控制：控制文件 x.control 已忽略：它不是普通文件"}"#,
    );
    reload(&mut r, &path);
    assert_eq!(
        said(&r),
        (
            "the drill says: 控制文件 x.control 已忽略：它不是普通文件".into(),
            Tone::Refused
        )
    );
    assert_eq!(press(&mut r, KeyCode::Char('p')), Some(Request::Resume));
    r.sent(&Request::Resume, Ok(()));
    assert_eq!(said(&r).1, Tone::Waiting);
    append(
        &path,
        r#"{"seq": 12, "ts": "2026-12-01T09:03:02.000+00:00", "type": "note", "text": "drill control: the control file x.control is ignored: it is not a regular file"}"#,
    );
    reload(&mut r, &path);
    assert_eq!(
        said(&r),
        (
            "the drill says: the control file x.control is ignored: it is not a regular file"
                .into(),
            Tone::Refused
        )
    );
}
