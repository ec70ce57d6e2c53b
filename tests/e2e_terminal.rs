//! End to end: what the terminal does to the program — resizing down to 20×5,
//! SIGTERM (the terminal is restored and the journal closed), and a Chinese
//! runbook whose wide titles must stay aligned.

mod support;

use std::time::Duration;

use runbook::incident::{EndReason, Event};
use support::{Launch, WAIT, bin, journal, start};

#[test]
fn resize_to_20x5_and_back_while_a_command_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = start("basic.yaml", "Resize", dir.path(), &[]);
    t.expect("1 ▶ Look");
    t.send("j\r");
    t.expect("││slow-started"); // in the output pane, not the command line

    t.resize(20, 5);
    let screen = t.expect("too small");
    assert!(t.alive(), "the program died at 20×5:\n{screen}");
    t.resize(33, 9);
    t.expect("33×9 is too");
    t.resize(100, 30);
    // The full screen is back, with the running command's output.
    t.wait_until(WAIT, |s| {
        [
            "Resize · ⏱",
            "E2E practice runbook",
            "1 ▶ Look",
            "││slow-started",
            "q quit",
        ]
        .iter()
        .all(|n| s.contains(n))
            && !s.contains("too small")
    })
    .unwrap_or_else(|s| panic!("the screen was not redrawn at 100×30:\n{s}"));
    assert!(t.alive(), "the program is alive after the resizes");
    t.send("qy");
    let status = t.wait_exit(WAIT).expect("exits after q y");
    assert!(status.success(), "{status:?}");
}

#[test]
fn sigterm_restores_the_terminal_and_closes_the_journal() {
    signal_restores_the_terminal_and_closes_the_journal(libc::SIGTERM, "SIGTERM");
}

#[test]
fn sighup_restores_the_terminal_and_closes_the_journal() {
    // The terminal window closed or the SSH session dropped.
    signal_restores_the_terminal_and_closes_the_journal(libc::SIGHUP, "SIGHUP");
}

fn signal_restores_the_terminal_and_closes_the_journal(sig: libc::c_int, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut t = start("basic.yaml", "Terminated", dir.path(), &[]);
    t.expect("1 ▶ Look");
    t.send("j\r");
    t.expect("││slow-started"); // in the output pane, not the command line
    assert!(
        t.alternate_screen(),
        "the screen runs on the alternate screen"
    );

    let offset = t.raw_len();
    t.signal(sig);
    t.wait_exit(WAIT).expect("the signal ends the program");
    t.wait_output_closed(Duration::from_secs(5));
    let after = t.raw_since(offset);
    let leave = b"\x1b[?1049l";
    assert!(
        after.windows(leave.len()).any(|w| w == leave),
        "no leave-alternate-screen after {name}; got {:?}",
        String::from_utf8_lossy(&after)
    );
    let paste_off = b"\x1b[?2004l";
    assert!(
        after.windows(paste_off.len()).any(|w| w == paste_off),
        "bracketed paste left on after {name}"
    );
    assert!(
        !t.alternate_screen(),
        "the emulator is back on the main screen"
    );

    let recs = journal(dir.path());
    let last = &recs.last().expect("records").event;
    assert_eq!(
        last,
        &Event::SessionEnded {
            reason: EndReason::Signal(name.into())
        },
        "journal ends with session_ended signal {name}"
    );
    assert!(
        recs.iter().any(|r| matches!(
            r.event,
            Event::CommandFinished {
                cancelled: true,
                ..
            }
        )),
        "the running command was cancelled and its end journaled: {:?}",
        recs.iter().map(|r| &r.event).collect::<Vec<_>>()
    );
}

#[test]
fn chinese_runbook_titles_line_up() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let t = Launch::new(bin(), &["start", "--title", "中文演练", "--log-dir", &d])
        .env("LANG", "zh_CN.UTF-8")
        .spawn();
    t.expect_all(&["中文演练", "RabbitMQ 应急响应", "10 ·", "q 退出"]);
    let rows = t.cells();
    let loaded = runbook::runbook::embedded::load("rabbitmq-emergency.zh.yaml")
        .expect("embedded Chinese runbook")
        .expect("valid");
    let titles: Vec<String> = loaded
        .runbook
        .steps
        .iter()
        .map(|s| s.title.clone())
        .collect();
    assert_eq!(titles.len(), 10);

    // Step rows: "│ 1 ▶ 确认故障现象 …  00:00/2m│" — find each by its number.
    let mut rights = Vec::new();
    let mut borders = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        let num = format!("{:>2}", i + 1);
        let row = rows
            .iter()
            .find(|r| r.len() > 4 && r[0] == "│" && format!("{}{}", r[1], r[2]) == num)
            .unwrap_or_else(|| panic!("no row for step {}:\n{}", i + 1, t.screen()));
        let border = (1..row.len())
            .find(|&c| row[c] == "│")
            .expect("right border of the step list");
        let right = (0..border)
            .rev()
            .find(|&c| row[c] != " " && !row[c].is_empty())
            .expect("text in the row");
        // The title's first characters are drawn as wide cells.
        let first: String = title.chars().take(2).collect();
        let drawn: String = row[5..border].concat();
        assert!(
            drawn.trim_start().starts_with(&first),
            "step {} shows its Chinese title: {drawn:?}",
            i + 1
        );
        // Steps without a budget (“as needed”) have an empty timer column.
        if loaded.runbook.steps[i].budget.limit.is_some() {
            rights.push(right);
        }
        borders.push(border);
    }
    assert!(
        borders.iter().all(|b| *b == borders[0]),
        "the step list's border moves between rows: {borders:?}\n{}",
        t.screen()
    );
    assert!(rights.len() >= 8, "most steps have a budget: {rights:?}");
    assert!(
        rights.iter().all(|r| *r == rights[0]),
        "the budget column is ragged: last columns {rights:?}\n{}",
        t.screen()
    );
}

#[test]
fn a_panic_restores_the_terminal_and_closes_the_journal() {
    // Debug builds only: RUNBOOK_TEST_PANIC makes F12 panic inside the loop.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let fx = support::fixture("basic.yaml");
    let mut t = Launch::new(
        bin(),
        &["start", fx.as_str(), "--title", "Panic", "--log-dir", &d],
    )
    .env("RUNBOOK_TEST_PANIC", "1")
    .spawn();
    t.expect("1 ▶ Look");
    assert!(t.alternate_screen());
    let offset = t.raw_len();
    t.send("\x1b[24~"); // F12
    let status = t.wait_exit(WAIT).expect("the panic ends the program");
    assert!(!status.success(), "a panic is not a success: {status:?}");
    t.wait_output_closed(Duration::from_secs(5));
    let after = String::from_utf8_lossy(&t.raw_since(offset)).into_owned();
    assert!(
        after.contains("\x1b[?1049l"),
        "terminal not restored: {after:?}"
    );
    assert!(
        after.contains("\x1b[?2004l"),
        "bracketed paste left on after a panic: {after:?}"
    );
    assert!(
        !t.alternate_screen(),
        "the emulator is back on the main screen"
    );
    assert!(
        after.contains("runbook resume"),
        "the operator is told how to continue: {after:?}"
    );
    let recs = journal(dir.path());
    assert!(
        matches!(
            &recs.last().expect("records").event,
            Event::SessionEnded { reason: EndReason::Error(msg) } if msg.contains("panicked")
        ),
        "journal ends with session_ended error: {:?}",
        recs.last()
    );
}
