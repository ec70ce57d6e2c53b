//! Promise 4 through every command: escape sequences from runbooks, journals,
//! command output, arguments and the management API never reach the terminal
//! raw (no ESC, no BEL, no other control but `\n`/`\t`, no C1), while the
//! text around them still shows. And an escape left open hides nothing.

#[path = "support/pty.rs"]
mod pty;
mod report_support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use report_support::{Rec, at, masker, opened};
use runbook::incident::{Event, Mode, RunState};
use runbook::session::Session;

/// What an attacker puts in a name: an OSC 52 clipboard write, a title set,
/// a clear-screen and a C1 CSI.
const EVIL: &str = "\u{1b}]52;c;aGFja2Vk\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_runbook")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/escapes")
        .join(name)
}

fn runbook_cmd(home: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.env_remove("RUNBOOK_LOG_DIR")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_STATE_HOME")
        .env("HOME", home)
        .env("LC_ALL", "C")
        .timeout(Duration::from_secs(120));
    cmd
}

/// Fails when `bytes` hold anything a terminal would act on.
fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| {
            (c.is_control() && *c != '\n' && *c != '\t') || ('\u{80}'..='\u{9f}').contains(c)
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: control characters {bad:?} reach the terminal in {text:?}"
    );
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// A journal whose incident title, note, command id, command line and output
/// carry escape sequences around visible words.
fn hostile_journal(dir: &Path) -> PathBuf {
    let mut s = Session::start(
        dir,
        opened(&format!("Queue outage {EVIL}in prod"), Mode::Live),
        masker(),
        at(0),
    )
    .unwrap();
    let mut r = Rec(&mut s);
    r.enter(1, "confirm");
    r.note(5, "confirm", &format!("note text {EVIL}kept"));
    r.command(
        10,
        "confirm",
        &format!("list{EVIL}-queues"),
        &format!("rabbitmqctl list_queues {EVIL}# line"),
        &format!("output line {EVIL}shown\n"),
        0,
    );
    let path = s.journal_path().to_path_buf();
    drop(s);
    path
}

#[test]
fn list_shows_hostile_runbook_titles_and_errors_inert() {
    let home = tempfile::tempdir().unwrap();
    let rb = home.path().join("runbooks");
    std::fs::create_dir_all(&rb).unwrap();
    std::fs::copy(fixture("hostile-title.yaml"), rb.join("evil.yaml")).unwrap();
    std::fs::copy(fixture("hostile-key.yaml"), rb.join("broken.yaml")).unwrap();
    let out = runbook_cmd(home.path())
        .current_dir(home.path())
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_inert("runbook list", &out.stdout);
    let shown = text(&out.stdout);
    assert!(shown.contains("Evil title here"), "{shown}");
    assert!(shown.contains("unknown key `bogus`"), "{shown}");
}

#[test]
fn history_shows_hostile_journal_titles_inert() {
    let log = tempfile::tempdir().unwrap();
    hostile_journal(log.path());
    let out = runbook_cmd(log.path())
        .args(["history", "--log-dir"])
        .arg(log.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_inert("runbook history", &out.stdout);
    assert!(text(&out.stdout).contains("Queue outage in prod"));

    // The JSON keeps the title exactly, escaped so no terminal acts on it.
    let out = runbook_cmd(log.path())
        .args(["history", "--json", "--log-dir"])
        .arg(log.path())
        .output()
        .unwrap();
    assert_inert("runbook history --json", &out.stdout);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["title"], format!("Queue outage {EVIL}in prod"));
}

#[test]
fn markdown_report_on_stdout_and_in_a_file_is_inert() {
    let log = tempfile::tempdir().unwrap();
    let journal = hostile_journal(log.path());
    let out = runbook_cmd(log.path())
        .arg("report")
        .arg(&journal)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_inert("runbook report (stdout)", &out.stdout);
    let md = text(&out.stdout);
    for visible in [
        "Queue outage in prod",
        "note text kept",
        "output line shown",
        "rabbitmqctl list_queues # line",
    ] {
        assert!(md.contains(visible), "{visible:?} missing:\n{md}");
    }

    // A Markdown file gets `cat`ed: the same holds for it.
    let file = log.path().join("report.md");
    let out = runbook_cmd(log.path())
        .arg("report")
        .arg(&journal)
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read(&file).unwrap();
    assert_inert("runbook report -o FILE", &written);
    assert!(text(&written).contains("note text kept"));
}

#[test]
fn check_quotes_hostile_runbook_text_inert() {
    let home = tempfile::tempdir().unwrap();
    let out = runbook_cmd(home.path())
        .arg("check")
        .arg(fixture("hostile-key.yaml"))
        .arg(fixture("hostile-title.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_inert("runbook check (stderr)", &out.stderr);
    assert_inert("runbook check (stdout)", &out.stdout);
    let err = text(&out.stderr);
    assert!(err.contains("unknown key `bogus` in the runbook"), "{err}");
    assert!(text(&out.stdout).contains("ok: "), "{}", text(&out.stdout));
}

#[test]
fn diagnose_prints_hostile_runbook_text_inert() {
    let log = tempfile::tempdir().unwrap();
    let out = runbook_cmd(log.path())
        .arg("diagnose")
        .arg(fixture("hostile-title.yaml"))
        .arg("--log-dir")
        .arg(log.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_inert("runbook diagnose (stdout)", &out.stdout);
    let shown = text(&out.stdout);
    assert!(shown.contains("$ echo ok #  tail"), "{shown}");
    assert!(shown.lines().any(|l| l.trim() == "ok"), "{shown}");
}

#[test]
fn error_messages_quoting_arguments_are_inert() {
    let log = tempfile::tempdir().unwrap();
    let step = format!("no-such{EVIL}step");
    let out = runbook_cmd(log.path())
        .arg("diagnose")
        .arg(fixture("unterminated.yaml"))
        .args(["--step", &step, "--log-dir"])
        .arg(log.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_inert("runbook diagnose --step (stderr)", &out.stderr);
    let err = text(&out.stderr);
    assert!(err.contains("no step `no-suchstep`"), "{err}");
}

/// A one-shot fake management API on 127.0.0.1: answers every request with
/// the body for its path (queues or connections).
fn fake_management_api(queues: String, connections: String) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut req = Vec::new();
            let mut buf = [0u8; 1024];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let head = String::from_utf8_lossy(&req);
            let body = if head.starts_with("GET /api/queues") {
                &queues
            } else if head.starts_with("GET /api/connections") {
                &connections
            } else {
                "{}"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn broker_names_from_the_management_api_are_inert() {
    let queues = serde_json::json!([{
        "name": format!("orders{EVIL}-q"),
        "vhost": "/",
        "messages": 50000,
        "messages_ready": 50000,
        "messages_unacknowledged": 0,
        "consumers": 0
    }])
    .to_string();
    let connections = serde_json::json!([{
        "name": format!("10.0.0.7:5555 -> 10.0.0.1:5672{EVIL}"),
        "user": format!("app{EVIL}user"),
        "vhost": "/",
        "state": "blocked",
        "peer_host": "10.0.0.7",
        "peer_port": 5555,
        "client_properties": { "connection_name": format!("billing{EVIL}") }
    }])
    .to_string();
    let port = fake_management_api(queues, connections);
    let log = tempfile::tempdir().unwrap();
    let out = runbook_cmd(log.path())
        .arg("diagnose")
        .arg(fixture("broker-names.yaml"))
        .arg("--var")
        .arg(format!("mgmt_url=http://127.0.0.1:{port}"))
        .arg("--log-dir")
        .arg(log.path())
        .output()
        .unwrap();
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}{}", text(&out.stderr));
    assert_inert("runbook diagnose with broker names (stdout)", &out.stdout);
    assert_inert("runbook diagnose with broker names (stderr)", &out.stderr);
    assert!(shown.contains("//orders-q holds 50000 messages"), "{shown}");
    assert!(shown.contains("blocked appuser"), "{shown}");

    // The journal keeps them inert too, so a later `report` or `review` is safe.
    let journal = std::fs::read_dir(log.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .unwrap();
    let read = runbook::journal::read(&journal).unwrap();
    for r in &read.records {
        if let Event::CheckFinished {
            summary, evidence, ..
        } = &r.event
        {
            assert_inert("journaled check summary", summary.as_bytes());
            assert_inert("journaled check evidence", evidence.as_bytes());
        }
    }
}

fn journaled_output(path: &Path) -> String {
    runbook::journal::read(path)
        .unwrap()
        .records
        .iter()
        .filter_map(|r| match &r.event {
            Event::CommandOutput { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn open_escape_lines_shown(what: &str, shown: &str) {
    for line in ["visible-error-line", "same-stream-line", "next-line"] {
        assert!(shown.contains(line), "{what}: {line:?} hidden in {shown:?}");
    }
}

#[test]
fn an_escape_left_open_hides_nothing_in_diagnose() {
    let log = tempfile::tempdir().unwrap();
    let out: Output = runbook_cmd(log.path())
        .arg("diagnose")
        .arg(fixture("unterminated.yaml"))
        .arg("--log-dir")
        .arg(log.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_inert("diagnose with open escapes", &out.stdout);
    open_escape_lines_shown("diagnose stdout", &text(&out.stdout));
    let journal = std::fs::read_dir(log.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .unwrap();
    open_escape_lines_shown("diagnose journal", &journaled_output(&journal));
}

#[tokio::test]
async fn an_escape_left_open_hides_nothing_in_the_live_screen() {
    use runbook::cli::setup::{Opened, open_incident};
    use runbook::tui::action::Action;
    use runbook::tui::app::{App, Item};
    use runbook::tui::headless::Headless;

    let dir = tempfile::tempdir().unwrap();
    let fx = fixture("unterminated.yaml").display().to_string();
    let Opened {
        runbook,
        vars,
        mut session,
    } = open_incident(Some(&fx), &[], Some(dir.path()), "t", Mode::Live, at(0))
        .unwrap_or_else(|code| panic!("open_incident failed with {code}"));
    session
        .record(
            Event::StepEntered {
                step: "open".into(),
            },
            at(0),
        )
        .unwrap();
    let mut h = Headless::new(App::new(session, runbook, vars, false));
    let mut shown = String::new();
    for (i, id) in ["title-then-stderr", "dcs-then-stdout"].iter().enumerate() {
        let at_item = h
            .app
            .items()
            .iter()
            .position(|x| *x == Item::Command(i))
            .unwrap();
        while h.app.cursor > at_item {
            h.act(Action::Up, at(1));
        }
        while h.app.cursor < at_item {
            h.act(Action::Down, at(1));
        }
        h.act(Action::Activate, at(1));
        let done = h
            .settle(
                Duration::from_secs(10),
                || at(2),
                |a| {
                    a.last_run("open", id)
                        .is_some_and(|r| r.state != RunState::Running)
                },
            )
            .await;
        assert!(done, "{id} did not finish");
        let run = h.app.output_run().expect("the pane shows the run");
        shown.push_str(&h.app.tails[&run].lines().collect::<Vec<_>>().join("\n"));
    }
    assert_inert("live screen output", shown.as_bytes());
    open_escape_lines_shown("live screen", &shown);
    let path = h.app.session.journal_path().to_path_buf();
    h.shutdown(runbook::incident::EndReason::Quit, || at(3))
        .await;
    open_escape_lines_shown("live screen journal", &journaled_output(&path));
}

/// What a colour terminal may receive: SGR colour, nothing else that acts.
fn assert_only_colour(what: &str, raw: &[u8]) {
    let sgr = regex::bytes::Regex::new(r"\x1b\[[0-9;:]*m").unwrap();
    let rest = sgr.replace_all(raw, &b""[..]);
    // A terminal reports CR LF for a newline.
    let rest: Vec<u8> = rest.iter().copied().filter(|&b| b != b'\r').collect();
    assert_inert(what, &rest);
}

fn run_in_pty(args: &[&str], cwd_home: &Path) -> pty::Pty {
    let home = cwd_home.display().to_string();
    let t = pty::Launch::new(Path::new(bin()), args)
        .env("HOME", &home)
        .env_remove("XDG_STATE_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .spawn();
    assert!(
        t.wait_output_closed(Duration::from_secs(60)),
        "runbook {args:?} did not finish; screen:\n{}",
        t.screen()
    );
    t
}

#[test]
fn a_usage_error_on_a_terminal_quotes_the_argument_inert() {
    let home = tempfile::tempdir().unwrap();
    let arg = format!("{EVIL}bogus-command");
    let t = run_in_pty(&[&arg], home.path());
    assert_only_colour("usage error on a terminal", &t.raw_since(0));
    let screen = t.screen();
    assert!(screen.contains("unrecognized subcommand"), "{screen}");
    assert!(screen.contains("bogus-command"), "{screen}");
}

#[test]
fn diagnose_on_a_terminal_paints_colour_only() {
    let home = tempfile::tempdir().unwrap();
    let fx = fixture("hostile-title.yaml").display().to_string();
    let log = home.path().display().to_string();
    let t = run_in_pty(&["diagnose", &fx, "--log-dir", &log], home.path());
    assert_only_colour("diagnose on a terminal", &t.raw_since(0));
    let screen = t.screen();
    assert!(screen.contains("$ echo ok #  tail"), "{screen}");
}
