//! Rendered frames of the live screen at 80×24 and 120×40, kept as insta
//! snapshots. Time, host figures and the journal name are fixed, so a frame
//! changes only when what the operator sees changes.

mod app_support;

use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeZone};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runbook::engine::WorkUpdate;
use runbook::exec::{Outcome, Update};
use runbook::incident::Stream;
use runbook::runbook::{Runbook, embedded};
use runbook::tui::action::Action;
use runbook::tui::app::{App, Focus};
use runbook::tui::draw::draw;
use runbook::tui::host::HostSnapshot;

fn t0() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(0)
        .and_then(|tz| tz.with_ymd_and_hms(2026, 11, 24, 3, 12, 0).single())
        .expect("valid time")
}

fn at(secs: i64) -> DateTime<FixedOffset> {
    t0() + chrono::Duration::seconds(secs)
}

struct Fixture {
    app: App,
    _dir: tempfile::TempDir,
}

fn app_for(rb: Runbook, title: &str) -> Fixture {
    app_with_vars(rb, title, &[])
}

/// As [`app_for`], with `--var` values given.
fn app_with_vars(rb: Runbook, title: &str, given: &[(&str, &str)]) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = app_support::start_app_with_vars(rb, dir.path(), title, t0(), given);
    app.broker.visible = false;
    app.host = Some(HostSnapshot {
        cpu_percent: 91.0,
        memory_percent: 62.0,
        disk_mount: "/var/lib/rabbitmq".into(),
        disk_percent: 95.0,
        load1: 3.4,
    });
    Fixture { app, _dir: dir }
}

/// The embedded Chinese runbook.
fn zh_runbook() -> Runbook {
    match embedded::load("rabbitmq-emergency.zh.yaml") {
        Some(Ok(l)) => l.runbook,
        _ => panic!("embedded Chinese runbook"),
    }
}

fn demo() -> Fixture {
    // The password is given as the operator would (`--var`), so it is masked.
    app_with_vars(
        app_support::runbook("tests/fixtures/frames.yaml"),
        "Orders API cannot publish",
        &[("mgmt_password", "hunter2-secret")],
    )
}

fn render(app: &App, w: u16, h: u16, now: DateTime<FixedOffset>) -> String {
    // The screen as it is once the journal writer has saved every event
    // (no "saving…" mark), so frames do not depend on the disk's speed.
    app.session.drain().expect("journal written");
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    term.draw(|f| draw(app, f, now).keep(app)).expect("draw");
    let text = term.backend().to_string();
    assert_readable(term.backend().buffer(), &text);
    text
}

/// Every cell of every frame these tests draw reads on a light and on a
/// dark terminal (the rule is in `runbook::tui::theme`).
fn assert_readable(buf: &ratatui::buffer::Buffer, text: &str) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            if let Some(why) = runbook::tui::theme::unreadable(c.fg, c.bg) {
                panic!(
                    "cell {x},{y} {:?} ({:?} on {:?}): {why}\n{text}",
                    c.symbol(),
                    c.fg,
                    c.bg
                );
            }
        }
    }
}

fn snap(name: &str, app: &App, now: DateTime<FixedOffset>) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24, now));
    insta::assert_snapshot!(format!("{name}_120x40"), render(app, 120, 40, now));
}

/// Moves the detail cursor to the command with this id.
fn select_command(app: &mut App, id: &str) {
    app.focus = Focus::Detail;
    for _ in 0..20 {
        let sel = app.selected_item();
        if let Some(runbook::tui::app::Item::Command(i)) = sel
            && app.viewed_step().commands[i].id == id
        {
            return;
        }
        app_support::act(app, Action::Down, t0());
    }
    panic!("command {id} not reachable with ↓");
}

fn run_selected(app: &mut App, now: DateTime<FixedOffset>) -> u64 {
    let effects = app_support::act(app, Action::Activate, now);
    assert_eq!(
        effects.len(),
        1,
        "Enter on a safe command starts exactly one run"
    );
    app.session.incident().next_run_id() - 1
}

fn output(app: &mut App, run: u64, text: &str, now: DateTime<FixedOffset>) {
    let u = Update::Output {
        stream: Stream::Stdout,
        text: text.into(),
        at: now.to_utc(),
    };
    app_support::act(app, Action::Work(WorkUpdate::Exec(run, u)), now);
}

fn finish(app: &mut App, run: u64, code: i32, now: DateTime<FixedOffset>) {
    let o = Outcome {
        exit_code: Some(code),
        signal: None,
        timed_out: false,
        cancelled: false,
        duration: Duration::from_millis(2340),
        bytes: 100,
    };
    app_support::act(
        app,
        Action::Work(WorkUpdate::Exec(run, Update::Finished(o))),
        now,
    );
}

#[test]
fn fresh_incident() {
    let f = demo();
    snap("fresh", &f.app, at(5));
}

#[test]
fn command_running_streams_coloured_output() {
    let mut f = demo();
    select_command(&mut f.app, "ping");
    let run = run_selected(&mut f.app, at(10));
    output(
        &mut f.app,
        run,
        "Checking node rabbit@localhost\n\u{1b}[1mStatus\u{1b}[0m: booting\n",
        at(11),
    );
    let frame = render(&f.app, 120, 40, at(12));
    assert!(
        frame.contains("running"),
        "a running command shows a spinner and 'running'"
    );
    assert!(
        !frame.contains("\u{1b}["),
        "no raw escape reaches the screen"
    );
    snap("running", &f.app, at(12));
}

#[test]
fn command_failed_shows_exit_code() {
    let mut f = demo();
    select_command(&mut f.app, "ping");
    let run = run_selected(&mut f.app, at(10));
    output(
        &mut f.app,
        run,
        "Error: unable to perform an operation on node 'rabbit@localhost'.\n* epmd reports: node 'rabbit' not running at all\n",
        at(11),
    );
    finish(&mut f.app, run, 69, at(12));
    let frame = render(&f.app, 80, 24, at(13));
    assert!(frame.contains("exit 69"));
    // The step's number turns red in the step list.
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    term.draw(|fr| draw(&f.app, fr, at(13)).keep(&f.app))
        .expect("draw");
    let cell = &term.backend().buffer()[(2, 2)];
    assert_eq!(cell.symbol(), "1");
    assert_eq!(
        cell.fg,
        ratatui::style::Color::Red,
        "a failed step number is red"
    );
    snap("failed", &f.app, at(13));
}

#[test]
fn step_over_budget_shows_a_banner() {
    let mut f = demo();
    // 2 m 30 s into a 1m..2m step.
    app_support::act(&mut f.app, Action::Tick, at(150));
    let inc = f.app.session.incident();
    assert_eq!(inc.overruns.len(), 1, "the first overrun is journaled once");
    let frame = render(&f.app, 80, 24, at(150));
    assert!(frame.contains("OVER BUDGET"));
    snap("over_budget", &f.app, at(150));
}

/// Answers the demo's question `memory-alarm`, so its guarded restart
/// command appears.
fn answer_memory_alarm(app: &mut App) {
    app.focus = Focus::Detail;
    for _ in 0..2 {
        app_support::act(app, Action::Down, t0());
    }
    app_support::act(app, Action::Activate, at(20));
    app_support::act(app, Action::Down, at(20));
    app_support::act(app, Action::Activate, at(21));
}

#[test]
fn dangerous_command_asks_for_the_typed_id() {
    let mut f = demo();
    answer_memory_alarm(&mut f.app);
    assert_eq!(
        f.app
            .session
            .incident()
            .answers
            .get("symptom")
            .map(String::as_str),
        Some("memory-alarm")
    );
    select_command(&mut f.app, "restart");
    let effects = app_support::act(&mut f.app, Action::Activate, at(22));
    assert!(
        effects.is_empty(),
        "a confirm: true command never starts on Enter alone"
    );
    snap("confirm", &f.app, at(23));
}

#[test]
fn note_editor() {
    let mut f = demo();
    app_support::act(&mut f.app, Action::Note, at(30));
    for c in "publishers blocked since 03:05\nmemory alarm on rabbit@mq-prod-1".chars() {
        let key = match c {
            '\n' => crossterm::event::KeyCode::Enter,
            c => crossterm::event::KeyCode::Char(c),
        };
        app_support::act(
            &mut f.app,
            Action::Key(crossterm::event::KeyEvent::new(
                key,
                crossterm::event::KeyModifiers::NONE,
            )),
            at(30),
        );
    }
    snap("note", &f.app, at(31));
}

#[test]
fn help_overlay() {
    let mut f = demo();
    app_support::act(&mut f.app, Action::Help, at(5));
    snap("help", &f.app, at(5));
}

#[test]
fn chinese_runbook_aligns() {
    let rb = zh_runbook();
    let mut f = app_for(rb, "订单服务无法发布消息");
    f.app.broker.visible = false;
    snap("chinese", &f.app, at(42));
}

#[test]
fn tiny_terminal_says_so() {
    let f = demo();
    for (w, h) in [(20, 5), (1, 1), (39, 11)] {
        let frame = render(&f.app, w, h, at(5));
        assert!(frame.contains("too") || w < 10, "{w}×{h} frame: {frame}");
    }
}

#[test]
fn broker_panel_says_why_the_api_is_unreachable() {
    let mut f = demo();
    f.app.broker.visible = true;
    let why = "management API unreachable at http://localhost:15672 — is the plugin enabled?";
    app_support::act(&mut f.app, Action::Broker(Err(why.into())), at(8));
    let frame = render(&f.app, 120, 40, at(8));
    assert!(frame.contains("unreachable"), "{frame}");
    snap("broker_unreachable", &f.app, at(8));
}

#[test]
fn broker_panel_shows_alarms_and_the_deepest_queues() {
    use runbook::probe::broker::{Alarm, BrokerSnapshot};
    use runbook::probe::stats::QueueFigures;
    let mut f = demo();
    f.app.broker.visible = true;
    let snap_data = BrokerSnapshot {
        node: "rabbit@mq-prod-1".into(),
        running: true,
        version: "3.10.8".into(),
        alarms: vec![Alarm {
            resource: "memory".into(),
            node: "rabbit@mq-prod-1".into(),
        }],
        mem_used: 4_100_000_000,
        mem_limit: 4_000_000_000,
        disk_free: 30_000_000_000,
        disk_free_limit: 50_000_000,
        connections: 1204,
        blocked: vec!["10.0.0.7:51234 -> 10.0.0.2:5672".into()],
        messages: 250_000,
        messages_ready: 249_000,
        messages_unacked: 1_000,
        top_queues: vec![QueueFigures {
            vhost: "/".into(),
            name: "orders".into(),
            messages: 240_000,
            ready: 239_000,
            unacked: 1_000,
            consumers: 0,
        }],
        publish_rate: 0.0,
        deliver_rate: 12.5,
    };
    app_support::act(&mut f.app, Action::Broker(Ok(snap_data)), at(8));
    let frame = render(&f.app, 120, 40, at(8));
    assert!(frame.contains("ALARM memory"), "{frame}");
    assert!(frame.contains("orders"), "{frame}");
    snap("broker_alarm", &f.app, at(8));
}

#[test]
fn a_secret_printed_by_a_command_is_masked_on_screen() {
    let mut f = demo();
    select_command(&mut f.app, "api");
    let run = run_selected(&mut f.app, at(10));
    output(&mut f.app, run, "password=hunter2-secret ok\n", at(11));
    // A secret split across two chunks (a partial line flushed early).
    output(&mut f.app, run, "again hunter", at(11));
    output(&mut f.app, run, "2-secret done\n", at(11));
    // Coloured by `grep --color=always secret`, split inside the colour code.
    output(&mut f.app, run, "grep hunter2-\x1b[01", at(11));
    output(&mut f.app, run, ";31msecret\x1b[m found\n", at(11));
    let frame = render(&f.app, 120, 40, at(12));
    assert!(!frame.contains("hunter2-secret"), "{frame}");
    assert!(frame.contains("password=•••• ok"), "{frame}");
    assert!(frame.contains("again •••• done"), "{frame}");
    assert!(frame.contains("grep •••• found"), "{frame}");
}

#[test]
fn a_secret_left_at_its_runbook_default_is_not_masked_on_screen() {
    let mut f = app_for(
        app_support::runbook("tests/fixtures/frames.yaml"),
        "Orders API cannot publish",
    );
    select_command(&mut f.app, "api");
    let run = run_selected(&mut f.app, at(10));
    output(&mut f.app, run, "user hunter2-secret logged in\n", at(11));
    let frame = render(&f.app, 120, 40, at(12));
    assert!(frame.contains("user hunter2-secret logged in"), "{frame}");
}

#[test]
fn long_output_lines_wrap_and_the_pane_zooms() {
    let mut f = demo();
    select_command(&mut f.app, "ping");
    let run = run_selected(&mut f.app, at(10));
    let long = format!(
        "2026-11-24 03:12:10.000 [error] <0.123.0> {} END-OF-LINE\n",
        "closing AMQP connection because the client is gone; ".repeat(3)
    );
    output(&mut f.app, run, &long, at(11));
    let frame_wrapped = render(&f.app, 80, 24, at(12));
    assert!(
        frame_wrapped.contains("END-OF-LINE"),
        "wrapped by default:\n{frame_wrapped}"
    );
    app_support::act(&mut f.app, Action::ToggleWrap, at(12));
    let frame_cut = render(&f.app, 80, 24, at(12));
    assert!(
        !frame_cut.contains("END-OF-LINE"),
        "w cuts long lines:\n{frame_cut}"
    );
    app_support::act(&mut f.app, Action::ToggleWrap, at(12));
    f.app.focus = Focus::Output;
    app_support::act(&mut f.app, Action::ToggleZoom, at(12));
    assert_eq!(f.app.focus, Focus::Output);
    let zoomed = render(&f.app, 80, 24, at(12));
    assert!(
        !zoomed.contains("Steps"),
        "zoomed output hides the step list:\n{zoomed}"
    );
    assert!(zoomed.contains("END-OF-LINE"));
    snap("zoomed_output", &f.app, at(12));
}

#[test]
fn keys_mean_the_same_everywhere_and_stray_control_keys_do_nothing() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use runbook::tui::keys::action_for;
    let mut f = demo();
    f.app.focus = Focus::Output;
    f.app.output.search = Some("error".into());
    let key = |c: char, m: KeyModifiers| KeyEvent::new(KeyCode::Char(c), m);
    // `n` is a note even in the output pane while searching.
    assert!(matches!(
        action_for(&f.app, key('n', KeyModifiers::NONE)),
        Some(Action::Note)
    ));
    assert!(matches!(
        action_for(&f.app, key('n', KeyModifiers::CONTROL)),
        Some(Action::SearchNext)
    ));
    for c in ['s', 'd', 'a', 'x', 'R'] {
        assert!(
            action_for(&f.app, key(c, KeyModifiers::CONTROL)).is_none(),
            "Ctrl-{c} must do nothing"
        );
    }
    // Esc clears the search.
    let esc = action_for(&f.app, KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)).expect("esc");
    app_support::act(&mut f.app, esc, at(5));
    assert!(f.app.output.search.is_none());
}

#[test]
fn t_changes_the_title_and_journals_it() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut f = demo();
    app_support::act(&mut f.app, Action::Title, at(5));
    for _ in 0.."Orders API cannot publish".len() {
        app_support::act(
            &mut f.app,
            Action::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
            at(5),
        );
    }
    for c in "Orders and billing cannot publish".chars() {
        app_support::act(
            &mut f.app,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            at(5),
        );
    }
    app_support::act(
        &mut f.app,
        Action::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        at(6),
    );
    assert_eq!(
        f.app.session.incident().title,
        "Orders and billing cannot publish"
    );
    assert!(render(&f.app, 120, 40, at(7)).contains("Orders and billing cannot publish"));
}

#[test]
fn a_guide_longer_than_the_pane_is_shown_from_its_first_line() {
    let rb = app_support::runbook("runbooks/rabbitmq-emergency.yaml");
    let mut f = app_for(rb, "Long guide");
    let first_line = "What exactly fails, for whom";
    let first_item = "[ ] Affected applications";
    let frame = render(&f.app, 80, 24, at(1));
    assert!(
        frame.contains(first_line) && frame.contains("▼ more below — ↓ or Enter"),
        "a step comes on screen with its guide from the top:\n{frame}"
    );
    assert!(!frame.contains(first_item), "{frame}");
    // Enter on a selection out of view acts on nothing and brings it into view.
    app_support::act(&mut f.app, Action::Activate, at(2));
    let inc = f.app.session.incident();
    assert!(
        inc.steps[0].checklist.iter().all(|c| !c),
        "no checklist item ticked unseen"
    );
    let frame = render(&f.app, 80, 24, at(2));
    assert!(frame.contains(first_item), "{frame}");
    assert!(frame.contains("▲ more above — ↑ scrolls up"), "{frame}");
    assert!(!frame.contains(first_line));
    // Now Enter ticks it.
    app_support::act(&mut f.app, Action::Activate, at(3));
    assert!(f.app.session.incident().steps[0].checklist[0]);
    let first_item = "[x] Affected applications";
    // ↑ on the first item scrolls back up into the guide, half a pane a press.
    let mut presses = 0;
    while !render(&f.app, 80, 24, at(4)).contains(first_line) {
        app_support::act(&mut f.app, Action::Up, at(4));
        presses += 1;
        assert!(presses < 20, "the guide's first line never came into view");
    }
    assert!(presses > 1, "more than one press: the guide is long");
    app_support::act(&mut f.app, Action::Up, at(4));
    assert!(
        render(&f.app, 80, 24, at(4)).contains(first_line),
        "↑ at the guide's top stays there"
    );
    // ↓ scrolls down again before it moves the selection.
    let mut downs = 0;
    while !render(&f.app, 80, 24, at(5)).contains(first_item) {
        app_support::act(&mut f.app, Action::Down, at(5));
        downs += 1;
        assert!(downs <= presses, "↓ scrolls back as far as ↑ went");
    }
    assert_eq!(f.app.cursor, 0, "the selection stayed on the first item");
    // z with the detail focused gives the step the whole screen.
    app_support::act(&mut f.app, Action::ToggleZoom, at(6));
    let zoomed = render(&f.app, 80, 24, at(6));
    assert!(!zoomed.contains("Steps"), "{zoomed}");
    assert!(zoomed.contains(first_item), "{zoomed}");
    app_support::act(&mut f.app, Action::Escape, at(6));
    assert!(render(&f.app, 80, 24, at(6)).contains("Steps"));
}

#[test]
fn a_multi_line_command_is_shown_with_its_line_breaks() {
    let mut f = app_for(
        app_support::runbook("tests/fixtures/tui/multiline.yaml"),
        "Multi-line",
    );
    f.app.focus = Focus::Detail;
    let screen = render(&f.app, 80, 24, at(1));
    for row in [
        "    $ i=0",
        "      while [ $i -lt 60 ]; do",
        "        if true; then echo up; exit 0; fi",
        "        i=$((i+1)); sleep 1",
        "      done",
        "      echo \"still down\"; exit 1",
    ] {
        assert!(screen.contains(row), "{row:?} not a row of:\n{screen}");
    }
    assert!(!screen.contains("i=0while"), "line breaks lost:\n{screen}");
    snap("multi_line_command", &f.app, at(1));

    select_command(&mut f.app, "restart");
    app_support::act(&mut f.app, Action::Activate, at(2));
    let dialog = render(&f.app, 80, 24, at(3));
    assert!(
        dialog.contains("   $ systemctl restart rabbitmq-server")
            && dialog.contains("     echo restarted"),
        "{dialog}"
    );
    snap("confirm_multi_line", &f.app, at(3));
}

#[test]
fn no_color_takes_every_colour_off_the_screen_but_keeps_the_selection() {
    let mut f = demo();
    select_command(&mut f.app, "ping");
    let run = run_selected(&mut f.app, at(10));
    // Command output in colour, a search highlight, a failed run, a banner.
    output(
        &mut f.app,
        run,
        "\u{1b}[31mERROR\u{1b}[0m node down\n\u{1b}[42;30mok\u{1b}[0m\n",
        at(11),
    );
    finish(&mut f.app, run, 1, at(12));
    f.app.output.search = Some("node".into());
    let with_colour = Terminal::new(TestBackend::new(120, 40)).map(|mut t| {
        t.draw(|fr| draw(&f.app, fr, at(200)).keep(&f.app))
            .expect("draw");
        t.backend().buffer().clone()
    });
    let with_colour = with_colour.expect("terminal");
    let coloured = |b: &ratatui::buffer::Buffer| {
        b.content
            .iter()
            .filter(|c| {
                c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset
            })
            .count()
    };
    assert!(
        coloured(&with_colour) > 0,
        "the frame has colours to take off"
    );

    f.app.no_color = true;
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    t.draw(|fr| draw(&f.app, fr, at(200)).keep(&f.app))
        .expect("draw");
    let buf = t.backend().buffer();
    assert_eq!(coloured(buf), 0, "a colour is left under NO_COLOR");
    let reversed = |text: &str| {
        let row = (0..buf.area.height)
            .find(|&y| {
                (0..buf.area.width)
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
                    .contains(text)
            })
            .unwrap_or_else(|| panic!("{text:?} not on screen"));
        (0..buf.area.width).any(|x| {
            buf[(x, row)]
                .modifier
                .contains(ratatui::style::Modifier::REVERSED)
        })
    };
    assert!(reversed("▸ ping"), "the selected command no longer shows");
    assert!(reversed(" LIVE "), "the LIVE badge vanished");
    assert!(
        reversed("ERROR node down"),
        "the search match no longer shows"
    );
}

#[test]
fn a_command_that_cannot_start_says_why_not_interrupted() {
    let mut f = demo();
    select_command(&mut f.app, "ping");
    let run = run_selected(&mut f.app, at(10));
    runbook::engine::record_launch_failure(
        &mut f.app.session,
        run,
        false,
        "the command line is too long for the system",
        at(10),
    )
    .expect("journal writable");
    let frame = render(&f.app, 120, 40, at(11));
    assert!(
        frame.contains("could not start: the command line is too long"),
        "{frame}"
    );
    assert!(!frame.contains("interrupted"), "{frame}");
}

#[test]
fn drawing_writes_no_state_and_returns_the_detail_geometry() {
    let rb = app_support::runbook("runbooks/rabbitmq-emergency.yaml");
    let f = app_for(rb, "Long guide");
    f.app.session.drain().expect("journal written");
    let before = f.app.detail_room.get();
    let mut drawn = runbook::tui::draw::Drawn::default();
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    term.draw(|fr| drawn = draw(&f.app, fr, at(1)))
        .expect("draw");
    assert_eq!(
        f.app.detail_room.get(),
        before,
        "drawing wrote into the app"
    );
    // The guide is longer than the pane: shown from its top, the first
    // checklist item (the selection) below it, out of view.
    let room = drawn.detail.expect("the detail is on screen");
    assert!(room.auto > 0 && !room.selected_visible, "{room:?}");
    assert!(
        term.backend()
            .to_string()
            .contains("▼ more below — ↓ or Enter")
    );
    // Kept, the keys scroll by it; a terminal too small to show the detail
    // returns none and leaves the last one.
    drawn.keep(&f.app);
    assert_eq!(f.app.detail_room.get(), room);
    let mut tiny = Terminal::new(TestBackend::new(20, 5)).expect("terminal");
    tiny.draw(|fr| drawn = draw(&f.app, fr, at(1)))
        .expect("draw");
    assert_eq!(drawn.detail, None);
    drawn.keep(&f.app);
    assert_eq!(f.app.detail_room.get(), room);
}

/// A drill injected at `t0`, 20 minutes to go, hints costing 5, 10, ….
fn drill_view(title: &str, brief: &str, hints: &[&str]) -> runbook::tui::app::drill::DrillView {
    runbook::tui::app::drill::DrillView {
        title: title.into(),
        brief: brief.into(),
        hints: (1..)
            .zip(hints)
            .map(|(i, h)| (h.to_string(), 5 * i))
            .collect(),
        injected_at: t0(),
        deadline: at(20 * 60),
        time_up: false,
        ended_by_trainer: false,
        trainer_faults: Vec::new(),
    }
}

/// A drill's screen: the brief over the drill header with its countdown and
/// hints, then the hints overlay, at a normal size and on tiny terminals.
#[test]
fn drill_brief_and_hints_fit_any_terminal() {
    use runbook::tui::app::Overlay;
    let mut f = demo();
    f.app.drill = Some(drill_view(
        "Order confirmations are late",
        "Support 09:15: confirmations are 20 minutes late.\n\nYou are on call.",
        &["Look at the consumers", "Purge"],
    ));
    f.app.overlay = Some(Overlay::Brief);
    let text = render(&f.app, 120, 40, at(61));
    assert!(
        text.contains("Drill brief") && text.contains("You are on call."),
        "{text}"
    );
    assert!(
        text.contains("18:59 left") && text.contains("hints 0/2 (h)"),
        "{text}"
    );
    f.app.overlay = Some(Overlay::Hints);
    let text = render(&f.app, 120, 40, at(61));
    assert!(text.contains("take hint 1 of 2"), "{text}");
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 8)] {
        render(&f.app, w, h, at(61));
        f.app.overlay = Some(Overlay::Brief);
        render(&f.app, w, h, at(61));
    }
}

#[test]
fn the_forms_draw_at_every_size() {
    let mut f = demo();
    app_support::act(&mut f.app, Action::Resolve, at(5));
    for c in "restarted the consumer".chars() {
        app_support::act(
            &mut f.app,
            Action::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char(c),
            )),
            at(5),
        );
    }
    snap("resolve_form", &f.app, at(5));
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 8)] {
        render(&f.app, w, h, at(5));
    }
    let mut f = demo();
    app_support::act(&mut f.app, Action::Details, at(5));
    app_support::act(
        &mut f.app,
        Action::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char('2'),
        )),
        at(5),
    );
    snap("details_form", &f.app, at(5));
    for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 8)] {
        render(&f.app, w, h, at(5));
    }
}

#[test]
fn the_chinese_screen_speaks_chinese_help_and_forms_included() {
    let rb = zh_runbook();
    let mut f = app_for(rb, "订单服务无法发布消息");
    f.app.broker.visible = false;
    app_support::act(&mut f.app, Action::Help, at(5));
    snap("chinese_help", &f.app, at(5));
    app_support::act(&mut f.app, Action::Help, at(5));
    app_support::act(&mut f.app, Action::Resolve, at(5));
    snap("chinese_resolve", &f.app, at(5));
}

#[test]
fn the_symptom_list_shows_labels_in_the_runbooks_language() {
    let rb = zh_runbook();
    let mut f = app_for(rb, "订单服务无法发布消息");
    f.app.broker.visible = false;
    f.app.overlay = Some(runbook::tui::app::Overlay::Answer {
        step: 0,
        cursor: 5,
        marked: vec![5, 8],
    });
    let screen = render(&f.app, 120, 40, at(5));
    assert!(screen.contains("内存告警"), "{screen}");
    assert!(screen.contains("(memory-alarm)"), "the id is shown too");
    assert!(screen.contains("[x]"), "{screen}");
    assert!(screen.contains("空格可多选"), "{screen}");
}

/// A drill on the Chinese runbook: the brief and hints dialog, a form's
/// refusal and the trainer's news speak Chinese, with no English chrome left.
#[test]
fn a_chinese_drill_and_its_messages_speak_chinese() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use runbook::tui::app::Overlay;
    let rb = zh_runbook();
    let mut f = app_for(rb, "订单确认延迟");
    f.app.drill = Some(drill_view(
        "订单确认延迟",
        "客服 09:15：订单确认晚了 20 分钟。\n\n你在值班。",
        &["看看消费者", "清空队列"],
    ));
    f.app.overlay = Some(Overlay::Brief);
    snap("chinese_drill_brief", &f.app, at(61));
    let text = render(&f.app, 120, 40, at(61));
    for zh in ["演练简报", "时限", "按任意键开始演练", "你在值班。"] {
        assert!(text.contains(zh), "{zh} missing:\n{text}");
    }
    f.app.overlay = Some(Overlay::Hints);
    snap("chinese_drill_hints", &f.app, at(61));
    let text = render(&f.app, 120, 40, at(61));
    assert!(text.contains("第 1 条提示（共 2 条）"), "{text}");
    assert!(text.contains("扣 5 分"), "{text}");
    for en in [
        "Drill", "brief", "hint", "take", "costs", "closes", "Any key",
    ] {
        assert!(
            !text.contains(en),
            "English `{en}` on the Chinese screen:\n{text}"
        );
    }
    // A resolution with no summary is refused in Chinese.
    f.app.overlay = None;
    app_support::act(&mut f.app, Action::Resolve, at(70));
    app_support::act(
        &mut f.app,
        Action::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        at(70),
    );
    let text = render(&f.app, 120, 40, at(70));
    assert!(text.contains("解决事件需要填写总结"), "{text}");
    assert!(!text.contains("needs a summary"), "{text}");
}

/// The danger net's reason in a Chinese incident: the dialog says why in
/// Chinese (the command as written), and the journal holds what was shown.
#[test]
fn a_chinese_confirmation_says_why_in_chinese() {
    let mut rb = app_support::runbook("tests/fixtures/frames.yaml");
    rb.lang = Some("zh".into());
    // Not marked: the net itself finds that it changes the system.
    rb.steps[0].commands[2].confirm = false;
    let mut f = app_for(rb, "订单服务无法发布消息");
    answer_memory_alarm(&mut f.app);
    select_command(&mut f.app, "restart");
    let effects = app_support::act(&mut f.app, Action::Activate, at(22));
    assert!(effects.is_empty(), "it never starts on Enter alone");
    let text = render(&f.app, 120, 40, at(23));
    assert!(
        text.contains("原因：`systemctl restart` 会改动服务或系统"),
        "{text}"
    );
    let journal = runbook::journal::read(f.app.session.journal_path()).expect("journal reads");
    let reason = journal.records.iter().find_map(|r| match &r.event {
        runbook::incident::Event::ConfirmationAsked { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    assert_eq!(
        reason.as_deref(),
        Some("`systemctl restart` 会改动服务或系统")
    );
}

/// The Chinese screen at every small size, with each overlay over it: wide
/// characters never reach past a pane (ratatui's own wrapping lets a wide
/// glyph overrun its area, and past the frame's edge that panics).
#[test]
fn the_chinese_screen_draws_at_every_small_size() {
    use runbook::tui::app::Overlay;
    let rb = zh_runbook();
    let mut f = app_for(rb, "订单服务无法发布消息，消费者全部断开（生产）");
    f.app.broker.visible = true;
    f.app.drill = Some(drill_view(
        "订单确认延迟",
        "客服 09:15：订单确认晚了 20 分钟。\n\n你在值班。",
        &["看看消费者", "清空队列"],
    ));
    let overlays: Vec<Option<Overlay>> = vec![None, Some(Overlay::Brief), Some(Overlay::Hints)];
    for overlay in overlays {
        f.app.overlay = overlay;
        for w in 1..=40 {
            for h in 1..=14 {
                render(&f.app, w, h, at(61));
            }
        }
    }
    app_support::act(&mut f.app, Action::Help, at(62));
    for w in 1..=40 {
        for h in 1..=14 {
            render(&f.app, w, h, at(62));
        }
    }
}
