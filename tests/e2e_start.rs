//! End to end: `runbook start` in a real pseudo-terminal — the first screen,
//! running a command, a note, completing a step, quitting; the title dialog;
//! refusing to start without a terminal.

mod support;

use std::time::Duration;

use runbook::incident::{EndReason, Event};
use support::{Launch, WAIT, bin, fixture, journal, start, wait_journal};

#[test]
fn start_runs_a_command_and_shows_its_coloured_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = start("basic.yaml", "Queue stuck on prod", dir.path(), &[]);
    // Each needle is checked on the same screen, once the whole frame is in.
    t.expect_all(&[
        "Queue stuck on prod",
        "LIVE",
        "E2E practice runbook",
        "1 ▶ Look",           // step 1 is the active step
        "2 · Narrow it down", // step 2 is pending
        "q quit",             // the footer: the frame is complete
    ]);

    // The detail pane opens on the first command; Enter runs it.
    t.send("\r");
    let screen = t.expect_all(&["hello-from-runbook", "││red", "exit 0", "q quit"]);
    // The output pane holds exactly the two printed lines: the escape
    // sequences were not painted as text.
    let pane = output_pane(&screen, "┌ hello —");
    assert_eq!(
        pane.iter().filter(|l| !l.is_empty()).collect::<Vec<_>>(),
        ["hello-from-runbook", "red"],
        "output pane:\n{screen}"
    );
    // The SGR became a colour: the word is drawn in red (palette index 1).
    let (row, col) = screen
        .lines()
        .enumerate()
        .find_map(|(r, l)| {
            let c = l.find("││red ")?;
            Some((r as u16, (l[..c].chars().count() + 2) as u16))
        })
        .expect("the red line on screen");
    assert_eq!(
        t.fg(row, col),
        vt100::Color::Idx(1),
        "“red” is drawn in red"
    );
    let recs = journal(dir.path());
    assert!(
        recs.iter().any(|r| matches!(
            &r.event,
            Event::CommandFinished {
                exit_code: Some(0),
                ..
            }
        )),
        "the journal has the command's end"
    );
}

#[test]
fn note_complete_step_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = start("basic.yaml", "Notes and steps", dir.path(), &[]);
    t.expect("1 ▶ Look");

    t.send("n");
    t.expect("Ctrl-S or Enter on an empty line saves");
    t.send("consumers stopped at 03:12");
    t.expect("consumers stopped at 03:12");
    t.send("\x13"); // Ctrl-S
    wait_journal(
        dir.path(),
        |e| matches!(e, Event::Note { text, .. } if text == "consumers stopped at 03:12"),
    );
    t.expect("note saved");

    t.send("d");
    let recs = wait_journal(
        dir.path(),
        |e| matches!(e, Event::StepCompleted { step } if step == "first"),
    );
    assert!(
        recs.iter()
            .any(|r| matches!(&r.event, Event::Note { step: Some(s), .. } if s == "first")),
        "the note belongs to step 1"
    );
    // Step 1 done, step 2 active.
    t.expect_all(&["1 ✓ Look", "2 ▶ Narrow", "q quit"]);

    t.send("q");
    t.expect("Quit?");
    t.send("y");
    let status = t.wait_exit(WAIT).expect("the program exits after q y");
    assert!(status.success(), "exit status {status:?}");
    t.wait_output_closed(Duration::from_secs(5));
    let screen = t.screen();
    assert!(
        !t.alternate_screen(),
        "the alternate screen was left:\n{screen}"
    );
    assert!(
        screen.contains("Incident saved"),
        "the goodbye line is printed on the normal screen:\n{screen}"
    );
    let recs = journal(dir.path());
    assert!(
        matches!(
            &recs.last().expect("records").event,
            Event::SessionEnded {
                reason: EndReason::Quit
            }
        ),
        "journal ends with session_ended quit: {:?}",
        recs.last()
    );
}

#[test]
fn without_a_title_the_first_screen_asks_for_one() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture("basic.yaml");
    let d = dir.path().display().to_string();
    let mut t = Launch::new(bin(), &["start", &fx, "--log-dir", &d]).spawn();
    t.expect("Incident title");
    t.send("Disk alarm on node 2\r");
    // The header shows it and the dialog is gone.
    t.wait_until(WAIT, |s| {
        s.contains("LIVE  Disk alarm on node 2 ·") && !s.contains("Incident title")
    })
    .unwrap_or_else(|s| panic!("title not taken:\n{s}"));
    wait_journal(
        dir.path(),
        |e| matches!(e, Event::TitleSet { title } if title == "Disk alarm on node 2"),
    );
}

#[test]
fn start_without_a_terminal_points_to_diagnose() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(bin())
        .args(["start", &fixture("basic.yaml"), "--title", "x", "--log-dir"])
        .arg(dir.path())
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run runbook");
    assert_eq!(out.status.code(), Some(2), "exit code 2 for a usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("runbook diagnose"),
        "the message names runbook diagnose: {err}"
    );
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "no journal is opened for a start that cannot run"
    );
}

/// The text rows of the output pane whose title starts with `title`: the
/// lines below it up to its bottom border, each cut to the pane's inside.
fn output_pane(screen: &str, title: &str) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.contains(title))
        .unwrap_or_else(|| panic!("no pane titled {title:?}:\n{screen}"));
    lines[top + 1..]
        .iter()
        .take_while(|l| !l.contains('└'))
        .map(|l| {
            // Inside of the right-hand pane: between its borders.
            let parts: Vec<&str> = l.split('│').collect();
            parts
                .get(3)
                .map(|p| p.trim_end().to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn help_overlay_shows_every_key_and_closes() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = start("basic.yaml", "Help", dir.path(), &[]);
    t.expect("1 ▶ Look");
    t.send("?");
    // The first and the last rows of the help, and its closing hint: a
    // wrapped line must not push the bottom out of the box.
    t.expect_all(&[
        "┌ Keys",
        "move in the focused pane",
        "quit (the incident stays resumable)",
        "any key closes this help",
    ]);
    t.send("x");
    t.wait_until(WAIT, |s| !s.contains("┌ Keys") && s.contains("1 ▶ Look"))
        .unwrap_or_else(|s| panic!("the help did not close:\n{s}"));
}

#[test]
fn the_shipped_runbook_opens_on_its_guide_and_enter_reaches_the_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let mut t = Launch::new(
        bin(),
        &[
            "start",
            "rabbitmq-emergency",
            "--title",
            "Guide first",
            "--log-dir",
            &d,
        ],
    )
    .size(80, 24)
    .spawn();
    // The step's guide from its first line; the checklist is below.
    let screen = t.expect_all(&["What exactly fails", "▼ more below — ↓ or Enter", "q quit"]);
    assert!(!screen.contains("[ ] Affected applications"), "{screen}");
    // Enter brings the selected item into view and does nothing else…
    t.send("\r");
    let screen = t.expect_all(&["[ ] Affected applications", "▲ more above", "q quit"]);
    assert!(!screen.contains("What exactly fails"), "{screen}");
    // …the next Enter ticks it.
    t.send("\r");
    t.expect("[x] Affected applications");
    // ↑ on the first item goes back up to the guide's first line.
    for _ in 0..10 {
        if t.screen().contains("What exactly fails") {
            break;
        }
        t.send("k");
        std::thread::sleep(Duration::from_millis(50));
    }
    t.expect("What exactly fails");
    t.send("qy");
    let status = t.wait_exit(WAIT).expect("quits");
    assert!(status.success(), "{status:?}");
    let ticks = journal(dir.path())
        .iter()
        .filter(|r| matches!(r.event, Event::ChecklistToggled { checked: true, .. }))
        .count();
    assert_eq!(ticks, 1, "one tick: the first Enter only scrolled");
}

#[test]
fn m_leaves_the_mouse_to_the_terminal_for_copying_and_takes_it_back() {
    // Mouse reporting modes crossterm turns on for wheel scrolling; while
    // they are on, dragging in most terminals does not select text.
    const ON: &str = "\x1b[?1000h";
    const OFF: &str = "\x1b[?1000l";
    let dir = tempfile::tempdir().unwrap();
    let mut t = start("basic.yaml", "Mouse", dir.path(), &[]);
    t.expect("1 ▶ Look");
    let raw = String::from_utf8_lossy(&t.raw_since(0)).into_owned();
    assert!(raw.contains(ON), "mouse capture is on at start");
    let mark = t.raw_len();
    t.send("m");
    t.expect("drag to select and copy");
    let raw = String::from_utf8_lossy(&t.raw_since(mark)).into_owned();
    assert!(raw.contains(OFF), "m turns mouse reporting off");
    let mark = t.raw_len();
    t.send("m");
    t.expect("the wheel scrolls the output");
    let raw = String::from_utf8_lossy(&t.raw_since(mark)).into_owned();
    assert!(raw.contains(ON), "m again turns it back on");
    t.send("qy");
    assert!(t.wait_exit(WAIT).expect("quits").success());
}

/// The first screen takes the title, then (Tab) severity, impact and when
/// the problem started; `i` changes them; `R` takes the resolution with the
/// postmortem's first draft. All journaled; the header shows the severity.
#[test]
fn the_first_screen_i_and_r_record_what_a_postmortem_needs() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture("basic.yaml");
    let d = dir.path().display().to_string();
    let mut t = Launch::new(bin(), &["start", &fx, "--log-dir", &d]).spawn();
    t.expect("Incident title");
    t.send("Checkout down");
    t.send("\t");
    t.send("2");
    t.send("\t");
    t.send("EU customers cannot pay");
    t.send("\t");
    t.send("15m ago");
    t.send("\r");
    t.wait_until(WAIT, |s| {
        s.contains(" SEV2 ") && s.contains("Checkout down")
    })
    .unwrap_or_else(|s| panic!("severity not in the header:\n{s}"));
    let recs = wait_journal(dir.path(), |e| matches!(e, Event::ProblemStarted { .. }));
    assert!(recs.iter().any(|r| matches!(
        &r.event,
        Event::SeveritySet { severity, impact } if severity == "SEV2" && impact == "EU customers cannot pay"
    )));
    // A time that is not one is refused, the form stays open and says why.
    t.send("i");
    t.expect("Severity and impact");
    t.send("\t\t");
    t.send("\x15"); // Ctrl-U clears the field
    t.send("yesterday-ish");
    t.send("\r");
    t.expect("is not a time");
    t.send("\x1b");
    // (Esc alone: the next key a moment later, or the pair reads as Alt-R.)
    t.wait_until(WAIT, |s| !s.contains("Severity and impact"))
        .unwrap_or_else(|s| panic!("the form did not close:\n{s}"));
    // Resolve with a draft.
    t.send("R");
    t.expect("Resolve the incident");
    t.send("failed over to the standby");
    t.send("\t");
    t.send("a full disk on the primary");
    t.send("\t\t\t");
    t.send("alert on disk at 80% @ops");
    t.send("\x13");
    t.expect("incident resolved");
    let recs = wait_journal(dir.path(), |e| matches!(e, Event::IncidentResolved { .. }));
    assert!(recs.iter().any(|r| matches!(
        &r.event,
        Event::PostmortemDrafted { root_cause, actions, .. }
            if root_cause == "a full disk on the primary" && actions.len() == 1 && actions[0].owner == "ops"
    )));
    t.send("q");
    t.send("y");
    assert!(t.wait_exit(Duration::from_secs(15)).is_some());
}
