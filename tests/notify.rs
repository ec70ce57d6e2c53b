//! Webhooks of real incidents, received by a real local HTTP server: the
//! opening from `diagnose`, and opened / overrun / update / mitigated /
//! resolved from the live screen in a PTY, in each target's own format
//! (DingTalk and Feishu signed); dead, hanging, failing and garbage
//! endpoints change nothing for the operator and are journaled, masked.

mod support;

use std::time::{Duration, Instant};

use runbook::incident::Event;
use support::webhook::{Hooks, assert_format, config_all_kinds, text_of};
use support::{Launch, bin, journal, journal_path, wait_journal};

const KINDS: [&str; 5] = ["generic", "slack", "feishu", "dingtalk", "wecom"];

fn fixture() -> String {
    format!(
        "{}/tests/fixtures/notify/notify.yaml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The webhook outcomes journaled, as (target, about, ok, error).
fn outcomes(dir: &std::path::Path) -> Vec<(String, String, bool, String)> {
    journal(dir)
        .into_iter()
        .filter_map(|r| match r.event {
            Event::Notification {
                target,
                about,
                ok,
                error,
                ..
            } => Some((target, about, ok, error)),
            _ => None,
        })
        .collect()
}

fn journal_text(dir: &std::path::Path) -> String {
    std::fs::read_to_string(journal_path(dir)).unwrap()
}

#[test]
fn diagnose_announces_the_incident_in_every_format_without_leaking_tokens() {
    let hooks = Hooks::start();
    let dir = tempfile::tempdir().unwrap();
    let config = config_all_kinds(&hooks, dir.path());
    let logs = dir.path().join("logs");
    let out = std::process::Command::new(bin())
        .args(["diagnose", &fixture(), "--log-dir"])
        .arg(&logs)
        .env("RUNBOOK_CONFIG", &config)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("webhooks: 5 sent, 0 failed"), "{stdout}");
    let hits = hooks.hits();
    for kind in KINDS {
        let mine: Vec<_> = hits
            .iter()
            .filter(|h| h.path.starts_with(&format!("/ok/{kind}/")))
            .collect();
        assert_eq!(mine.len(), 1, "{kind}: {hits:#?}");
        assert_format(mine[0]);
        let text = text_of(mine[0]);
        assert!(text.contains("Incident opened"), "{kind}: {text}");
        if kind == "generic" {
            assert_eq!(mine[0].json["incident"]["title"], "headless diagnose");
        } else {
            assert!(text.contains("headless diagnose"), "{kind}: {text}");
        }
    }
    let done = outcomes(&logs);
    assert_eq!(done.len(), 5, "{done:?}");
    assert!(
        done.iter()
            .all(|(_, about, ok, _)| about == "opened" && *ok)
    );
    // Targets are named without their tokens, and nothing secret is journaled.
    let text = journal_text(&logs);
    assert!(
        !text.contains("TOKEN-") && !text.contains("SEC-"),
        "a token or secret reached the journal:\n{text}"
    );
    assert!(text.contains(&format!("http://127.0.0.1:{}/…", hooks.port)));
}

#[test]
fn dead_hanging_failing_and_garbage_endpoints_change_nothing_for_the_operator() {
    let hooks = Hooks::start();
    let dir = tempfile::tempdir().unwrap();
    // A port nobody listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[[notify]]\nurl = \"{}\"\nkind = \"wecom\"\n",
            hooks.url("garbage/wecom/TOKEN-garbage")
        ),
    )
    .unwrap();
    let run = |notify: &[String], logs: &std::path::Path| {
        let mut cmd = std::process::Command::new(bin());
        cmd.args(["diagnose", &fixture(), "--log-dir"]).arg(logs);
        for n in notify {
            cmd.arg("--notify").arg(n);
        }
        let started = Instant::now();
        let out = cmd
            .env("RUNBOOK_CONFIG", &config)
            .env("RUNBOOK_NOTIFY_TIMEOUT_MS", "700")
            .env("RUNBOOK_NOTIFY_BACKOFF_MS", "50")
            .env("RUNBOOK_NOTIFY_DRAIN_MS", "2500")
            .output()
            .unwrap();
        (out, started.elapsed())
    };
    let quiet = tempfile::tempdir().unwrap();
    let (plain, _) = {
        let mut cmd = std::process::Command::new(bin());
        let out = cmd
            .args(["diagnose", &fixture(), "--log-dir"])
            .arg(quiet.path())
            .env("RUNBOOK_CONFIG", dir.path().join("none.toml"))
            .output()
            .unwrap();
        (out, ())
    };
    let logs = dir.path().join("logs");
    let (out, took) = run(
        &[
            format!("http://127.0.0.1:{closed}/dead/TOKEN-dead"),
            hooks.url("hang/generic/TOKEN-hang"),
            hooks.url("fail/generic/TOKEN-fail"),
            "ftp://example.com/TOKEN-ftp".into(),
        ],
        &logs,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The same exit code and the same results as without any webhook.
    assert_eq!(out.status.code(), plain.status.code(), "{stdout}\n{stderr}");
    let table = |s: &str| {
        s.lines()
            .take_while(|l| !l.starts_with("journal:"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let plain_out = String::from_utf8_lossy(&plain.stdout);
    assert_eq!(
        table(&stdout).len(),
        table(&plain_out).len(),
        "{stdout}\n---\n{plain_out}"
    );
    assert!(stdout.contains("webhooks: 0 sent, 4 failed"), "{stdout}");
    // A hanging endpoint costs at most the end's bounded wait.
    assert!(took < Duration::from_secs(15), "took {took:?}");
    // Nothing from the hostile body reaches the terminal raw.
    assert!(
        !stdout.contains('\x1b') && !stderr.contains('\x1b'),
        "{stdout:?}"
    );
    assert!(
        stderr.contains("--notify: `ftp://example.com/…` is not an http(s) URL"),
        "{stderr}"
    );

    let done = outcomes(&logs);
    let find = |needle: &str| {
        done.iter()
            .find(|(_, _, ok, e)| !ok && e.contains(needle))
            .unwrap_or_else(|| panic!("no failure saying {needle:?}: {done:#?}"))
    };
    find("cannot connect");
    find("HTTP 500");
    find("not WeCom's reply");
    find("not an http(s) URL");
    let hang = done
        .iter()
        .find(|(_, _, ok, e)| !ok && (e.contains("given up") || e.contains("no answer within")));
    assert!(
        hang.is_some(),
        "the hanging endpoint is reported: {done:#?}"
    );
    // Retried: a 500 is tried again (3 attempts by default).
    assert!(hooks.to("/fail/").len() >= 2, "{:#?}", hooks.hits());
    let text = journal_text(&logs);
    assert!(
        !text.contains("TOKEN-"),
        "a token reached the journal:\n{text}"
    );
}

#[test]
fn the_live_screen_tells_every_target_opened_overrun_update_mitigated_resolved() {
    let hooks = Hooks::start();
    let dir = tempfile::tempdir().unwrap();
    let config = config_all_kinds(&hooks, dir.path());
    let logs = dir.path().join("logs");
    let logs_s = logs.display().to_string();
    let fx = fixture();
    let hang = hooks.url("hang/generic/TOKEN-hang");
    let mut t = Launch::new(
        bin(),
        &[
            "start",
            &fx,
            "--title",
            "Orders queue stuck",
            "--log-dir",
            &logs_s,
            "--notify",
            &hang,
        ],
    )
    .env("RUNBOOK_CONFIG", &config.display().to_string())
    .env("RUNBOOK_NOTIFY_TIMEOUT_MS", "60000")
    .env("RUNBOOK_NOTIFY_DRAIN_MS", "1500")
    .spawn();
    t.expect("Look around");
    let count = |about: &str, hits: &[support::webhook::Hit]| {
        hits.iter()
            .filter(|h| h.path.starts_with("/ok/"))
            .filter(|h| {
                let t = text_of(h);
                match about {
                    "opened" => t.contains("Incident opened"),
                    "overrun" => t.contains("over its time limit"),
                    "update" => t.contains("Update: consumers back"),
                    "mitigated" => t.contains("Mitigated after"),
                    "resolved" => {
                        t.contains("Resolved after") && t.contains("restarted the consumer")
                    }
                    _ => false,
                }
            })
            .count()
    };
    hooks.wait("the opening, 5 times", |h| count("opened", h) == 5);
    // Step 1's limit is 2 s: the overrun is the escalation.
    hooks.wait("the overrun, 5 times", |h| count("overrun", h) == 5);

    // A status update: the screen answers at once although one endpoint hangs.
    t.send("u");
    t.expect("Status update");
    t.send("consumers back, backlog draining");
    let sent = Instant::now();
    t.send("\x13");
    t.expect("update saved; sending it to 6 webhooks");
    assert!(sent.elapsed() < Duration::from_secs(5));
    hooks.wait("the update, 5 times", |h| count("update", h) == 5);
    wait_journal(
        &logs,
        |e| matches!(e, Event::Note { update: true, text, .. } if text == "consumers back, backlog draining"),
    );

    // Step 1 done, then the mitigation step.
    t.send("d");
    t.expect("Apply the temporary fix");
    t.send("d");
    hooks.wait("the mitigation, 5 times", |h| count("mitigated", h) == 5);

    t.send("R");
    t.expect("Resolve the incident");
    t.send("restarted the consumer");
    t.send("\x13");
    t.expect("incident resolved");
    hooks.wait("the resolution, 5 times", |h| count("resolved", h) == 5);
    let hits = hooks.hits();
    for h in hits.iter().filter(|h| h.path.starts_with("/ok/")) {
        assert_format(h);
    }
    // The generic format carries the step and the budget of the overrun.
    let overrun = hits
        .iter()
        .find(|h| h.path.starts_with("/ok/generic/") && h.json["event"] == "overrun")
        .unwrap();
    assert_eq!(overrun.json["step"]["id"], "look");
    assert_eq!(overrun.json["budget"]["limit_ms"], 2000);

    t.send("q");
    t.send("y");
    assert!(
        t.wait_exit(Duration::from_secs(15)).is_some(),
        "the program ends"
    );
    let done = outcomes(&logs);
    for about in ["opened", "overrun", "update", "mitigated", "resolved"] {
        let ok = done
            .iter()
            .filter(|(_, a, ok, _)| a == about && *ok)
            .count();
        assert_eq!(ok, 5, "{about}: {done:#?}");
    }
    // The hanging endpoint was given up at the end, and said so.
    assert!(
        done.iter().any(|(target, _, ok, e)| !ok
            && target.contains("127.0.0.1")
            && e.contains("given up")),
        "{done:#?}"
    );
    let text = journal_text(&logs);
    assert!(!text.contains("TOKEN-") && !text.contains("SEC-"), "{text}");
    // Every outcome comes before the session's end.
    let recs = journal(&logs);
    let end = recs
        .iter()
        .position(|r| matches!(r.event, Event::SessionEnded { .. }))
        .unwrap();
    assert!(
        recs[end..]
            .iter()
            .all(|r| !matches!(r.event, Event::Notification { .. })),
        "a notification was journaled after the session ended"
    );
}

#[test]
fn the_chinese_runbook_words_its_messages_in_chinese() {
    let hooks = Hooks::start();
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(bin())
        .args([
            "diagnose",
            "rabbitmq-emergency-zh",
            "--step",
            "confirm",
            "--notify",
            &hooks.url("ok/generic/TOKEN"),
            "--notify",
            &hooks.url("fail/generic/TOKEN-fail"),
            "--log-dir",
        ])
        .arg(dir.path())
        .env("RUNBOOK_CONFIG", dir.path().join("none.toml"))
        .env("RUNBOOK_NOTIFY_BACKOFF_MS", "50")
        .output()
        .unwrap();
    assert!(out.status.code().is_some());
    let hits = hooks.wait("the opening", |h| {
        h.iter().any(|h| h.path.starts_with("/ok/"))
    });
    let ok = hits.iter().find(|h| h.path.starts_with("/ok/")).unwrap();
    assert_eq!(ok.json["lang"], "zh");
    let text = text_of(ok);
    assert!(text.contains("故障处理开始"), "{text}");
    // Why the failing target failed is journaled in Chinese; the server's
    // own words stay as they are.
    let failed: Vec<String> = outcomes(dir.path())
        .into_iter()
        .filter(|(_, about, ok, _)| !ok && about != "setup")
        .map(|(_, _, _, error)| error)
        .collect();
    assert_eq!(
        failed,
        [r#"HTTP 500：{"error":"down"}"#.to_string()],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_opening_waits_for_the_title_the_operator_types() {
    let hooks = Hooks::start();
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs").display().to_string();
    let fx = fixture();
    let url = hooks.url("ok/slack/TOKEN");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[[notify]]\nurl = \"{url}\"\nkind = \"slack\"\n"),
    )
    .unwrap();
    let mut t = Launch::new(bin(), &["start", &fx, "--log-dir", &logs])
        .env("RUNBOOK_CONFIG", &config.display().to_string())
        .spawn();
    t.expect("New incident");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        hooks.hits().is_empty(),
        "announced before the title: {:#?}",
        hooks.hits()
    );
    t.send("Payments <down> & out");
    t.send("\r");
    let hits = hooks.wait("the opening", |h| !h.is_empty());
    let text = text_of(&hits[0]);
    // Slack's own escaping: the operator's words cannot become a mention.
    assert!(
        text.starts_with("*Payments &lt;down&gt; &amp; out*"),
        "{text}"
    );
    t.send("q");
    t.send("y");
    assert!(t.wait_exit(Duration::from_secs(15)).is_some());
    assert_eq!(hooks.hits().len(), 1, "{:#?}", hooks.hits());
}

/// Promise 1 with messages in flight: kill -9 while a webhook hangs on the
/// opening and the status update. The update the screen acknowledged is in
/// the journal and on `resume`'s screen; the journal reads back whole; the
/// resumed session neither announces the incident again nor sends the update
/// twice (their outcome is lost with the process: said in the README).
#[test]
fn kill_9_with_webhooks_in_flight_loses_nothing_acknowledged() {
    let hooks = Hooks::start();
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    let logs_s = logs.display().to_string();
    let fx = fixture();
    let hang = hooks.url("hang/generic/TOKEN-hang");
    let ok = hooks.url("ok/generic/TOKEN-ok");
    let mut t = Launch::new(
        bin(),
        &[
            "start",
            &fx,
            "--title",
            "Kill me",
            "--log-dir",
            &logs_s,
            "--notify",
            &hang,
            "--notify",
            &ok,
        ],
    )
    .env("RUNBOOK_NOTIFY_TIMEOUT_MS", "60000")
    .spawn();
    t.expect("Look around");
    hooks.wait("the opening at both", |h| {
        h.iter().any(|x| x.path.starts_with("/hang/"))
            && h.iter().any(|x| x.path.starts_with("/ok/"))
    });
    t.send("u");
    t.expect("Status update");
    t.send("broker restarted, watching");
    t.send("\x13");
    t.expect("update saved; sending it to 2 webhooks");
    hooks.wait("the update at the live target", |h| {
        h.iter()
            .any(|x| x.path.starts_with("/ok/") && text_of(x).contains("broker restarted"))
    });
    wait_journal(
        &logs,
        |e| matches!(e, Event::Note { update: true, text, .. } if text == "broker restarted, watching"),
    );
    t.signal(libc::SIGKILL);
    assert!(t.wait_exit(Duration::from_secs(10)).is_some(), "killed");
    let before = hooks.to("/ok/").len();

    // Everything acknowledged is there; the in-flight outcomes are not.
    let read = runbook::journal::read(&journal_path(&logs)).expect("the journal reads back");
    assert!(read.skipped.is_empty(), "{:?}", read.skipped);
    let hang_label = runbook::notify::Target::new(
        hang.clone(),
        runbook::notify::Kind::Generic,
        runbook::notify::Origin::Flag,
    )
    .label();
    let ok_label = runbook::notify::Target::new(
        ok.clone(),
        runbook::notify::Kind::Generic,
        runbook::notify::Origin::Flag,
    )
    .label();
    assert_ne!(ok_label, hang_label);
    assert!(
        outcomes(&logs)
            .iter()
            .any(|(target, about, ok, _)| *target == ok_label && about == "opened" && *ok),
        "the answered opening is journaled under its label: {:#?}",
        outcomes(&logs)
    );
    assert!(
        !outcomes(&logs)
            .iter()
            .any(|(target, ..)| *target == hang_label),
        "an outcome the hanging target never gave: {:#?}",
        outcomes(&logs)
    );

    let mut r = Launch::new(bin(), &["resume", "--log-dir", &logs_s, "--notify", &ok]).spawn();
    r.expect_all(&["Kill me", "broker restarted, watching"]);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        hooks.to("/ok/").len(),
        before,
        "resume sent again: {:#?}",
        hooks.to("/ok/")
    );
    r.send("q");
    r.send("y");
    assert!(r.wait_exit(Duration::from_secs(15)).is_some());
    let read = runbook::journal::read(&journal_path(&logs)).expect("reads back after resume");
    assert!(read.skipped.is_empty(), "{:?}", read.skipped);
    assert!(
        read.records
            .iter()
            .any(|r| matches!(&r.event, Event::Note { update: true, text, .. } if text == "broker restarted, watching")),
        "the update is kept"
    );
}
