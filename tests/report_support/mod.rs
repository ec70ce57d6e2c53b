//! Journals for the report, history and review tests, written through the
//! real `Session` with fixed timestamps so everything derived is deterministic.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset};
use runbook::incident::*;
use runbook::secrets::Masker;
use runbook::session::{RunEnd, Session};

/// 2026-11-24 03:00:00 UTC plus `secs`.
pub fn at(secs: i64) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-24T03:00:00.000+00:00").unwrap() + Duration::seconds(secs)
}

fn step(id: &str, title: &str, budget: Option<(u64, u64)>, mitigation: bool) -> StepOutline {
    StepOutline {
        id: id.into(),
        title: title.into(),
        expected_ms: budget.map(|b| b.0 * 1000),
        limit_ms: budget.map(|b| b.1 * 1000),
        mitigation,
        checklist: vec![
            "Affected clients identified".into(),
            "Error captured".into(),
        ],
    }
}

/// The opening event: four steps, a secret variable, live or drill.
pub fn opened(title: &str, mode: Mode) -> Event {
    Event::IncidentOpened {
        schema: JOURNAL_SCHEMA,
        incident_id: "inc-0001".into(),
        title: title.into(),
        runbook: RunbookRef {
            id: "rabbitmq-emergency".into(),
            title: "RabbitMQ emergency response".into(),
            path: "embedded:rabbitmq-emergency.yaml".into(),
            sha256: "0123abcd".into(),
        },
        steps: vec![
            step("confirm", "Confirm the symptom", Some((60, 120)), false),
            step("logs", "Analyse error logs", Some((120, 180)), false),
            step("temporary-fix", "Temporary fix", Some((300, 600)), true),
            step("prevention", "Prevention measures", None, false),
        ],
        vars: BTreeMap::from([("mgmt_password".into(), "s3cr3t-pw".into())]),
        host: "mq-prod-1".into(),
        user: "alice".into(),
        mode,
        program_version: "0.1.0".into(),
        lang: String::new(),
    }
}

pub fn masker() -> Masker {
    Masker::new(vec!["s3cr3t-pw".into()])
}

pub struct Rec<'a>(pub &'a mut Session);

impl Rec<'_> {
    pub fn ev(&mut self, secs: i64, ev: Event) {
        self.0.record(ev, at(secs)).unwrap();
    }
    pub fn enter(&mut self, secs: i64, step: &str) {
        self.ev(secs, Event::StepEntered { step: step.into() });
    }
    pub fn complete(&mut self, secs: i64, step: &str) {
        self.ev(secs, Event::StepCompleted { step: step.into() });
    }
    pub fn note(&mut self, secs: i64, step: &str, text: &str) {
        let step = Some(step.into());
        self.ev(
            secs,
            Event::Note {
                step,
                text: text.into(),
                update: false,
            },
        );
    }
    pub fn command(&mut self, secs: i64, step: &str, id: &str, line: &str, out: &str, code: i32) {
        let run = self.0.incident().next_run_id();
        let ev = Event::CommandStarted {
            run,
            step: step.into(),
            command: id.into(),
            command_line: line.into(),
            pid: Some(4242),
        };
        self.ev(secs, ev);
        self.0
            .record_output(run, Stream::Stdout, out, at(secs + 1))
            .unwrap();
        let end = RunEnd {
            exit_code: Some(code),
            duration_ms: 1_250,
            bytes: out.len() as u64,
            ..RunEnd::default()
        };
        self.0.record_finished(run, end, at(secs + 2)).unwrap();
    }
    pub fn check(&mut self, secs: i64, step: &str, id: &str, status: CheckStatus, evidence: &str) {
        let run = self.0.incident().next_run_id();
        let ev = Event::CheckStarted {
            run,
            step: step.into(),
            check: id.into(),
            kind: "tcp".into(),
            target: "mq-prod-1:5672".into(),
        };
        self.ev(secs, ev);
        let summary = match status {
            CheckStatus::Pass => "port open".into(),
            _ => "connection refused".to_string(),
        };
        let ev = Event::CheckFinished {
            run,
            status,
            summary,
            evidence: evidence.into(),
            duration_ms: 40,
        };
        self.ev(secs + 1, ev);
    }
}

/// A resolved live incident touching every kind of event.
pub fn resolved_incident(dir: &Path) -> PathBuf {
    resolved_from(dir, opened("", Mode::Live))
}

/// [`resolved_incident`] of a Chinese runbook: `lang: zh` journaled, the
/// runbook's and steps' titles in Chinese, the events the same.
pub fn resolved_incident_zh(dir: &Path) -> PathBuf {
    let Event::IncidentOpened {
        schema,
        incident_id,
        title,
        vars,
        host,
        user,
        mode,
        program_version,
        ..
    } = opened("", Mode::Live)
    else {
        unreachable!()
    };
    let zh = Event::IncidentOpened {
        schema,
        incident_id,
        title,
        runbook: RunbookRef {
            id: "rabbitmq-emergency-zh".into(),
            title: "RabbitMQ 应急处置".into(),
            path: "embedded:rabbitmq-emergency.zh.yaml".into(),
            sha256: "0123abcd".into(),
        },
        steps: vec![
            step("confirm", "确认现象", Some((60, 120)), false),
            step("logs", "分析错误日志", Some((120, 180)), false),
            step("temporary-fix", "临时处置", Some((300, 600)), true),
            step("prevention", "预防措施", None, false),
        ],
        vars,
        host,
        user,
        mode,
        program_version,
        lang: "zh".into(),
    };
    resolved_from(dir, zh)
}

fn resolved_from(dir: &Path, opening: Event) -> PathBuf {
    let mut s = Session::start(dir, opening, masker(), at(0)).unwrap();
    let mut r = Rec(&mut s);
    r.ev(
        5,
        Event::TitleSet {
            title: "Orders queue stuck | publishers blocked".into(),
        },
    );
    r.enter(10, "confirm");
    r.ev(
        20,
        Event::ChecklistToggled {
            step: "confirm".into(),
            item: 0,
            text: "Affected clients identified".into(),
            checked: true,
        },
    );
    r.ev(
        30,
        Event::QuestionAnswered {
            step: "confirm".into(),
            ask: "symptom".into(),
            answer: "memory-alarm".into(),
        },
    );
    r.command(
        40,
        "confirm",
        "ping",
        "rabbitmq-diagnostics -q ping --password s3cr3t-pw",
        "\x1b[32mPing succeeded\x1b[0m\nnode: rabbit@mq-prod-1 says ```hi```\n",
        0,
    );
    r.check(50, "confirm", "amqp-port", CheckStatus::Pass, "");
    r.complete(100, "confirm");
    r.enter(100, "logs");
    let long: String = (1..=120)
        .map(|i| format!("2026-11-24 log line {i} <alarm>\n"))
        .collect();
    r.command(
        110,
        "logs",
        "tail-logs",
        "tail -n 120 /var/log/rabbitmq/rabbit.log",
        &long,
        1,
    );
    r.check(
        150,
        "logs",
        "mgmt-api",
        CheckStatus::Fail,
        "GET http://mq-prod-1:15672/api/overview\n-> connection refused",
    );
    r.note(
        200,
        "logs",
        "Memory alarm since 02:41; publishers <blocked> & waiting.",
    );
    r.ev(
        300,
        Event::BudgetOverrun {
            step: "logs".into(),
            limit_ms: 180_000,
            elapsed_ms: 200_000,
        },
    );
    r.complete(330, "logs");
    r.enter(330, "temporary-fix");
    r.ev(
        340,
        Event::ConfirmationAsked {
            step: "temporary-fix".into(),
            command: "restart".into(),
            command_line: "systemctl restart rabbitmq-server".into(),
            expected: "restart".into(),
            reason: "restarts the broker".into(),
        },
    );
    r.ev(
        350,
        Event::ConfirmationAnswered {
            step: "temporary-fix".into(),
            command: "restart".into(),
            accepted: true,
            typed: "restart".into(),
        },
    );
    r.command(
        351,
        "temporary-fix",
        "restart",
        "systemctl restart rabbitmq-server",
        "",
        0,
    );
    r.complete(500, "temporary-fix");
    r.enter(500, "prevention");
    r.note(
        600,
        "prevention",
        "- Alert on memory at 70 %\n- Add a consumer autoscaler\n\n* [ ] Review the runbook step 7",
    );
    r.ev(
        700,
        Event::IncidentResolved {
            summary: "Consumers restarted; backlog drained.".into(),
        },
    );
    r.ev(
        701,
        Event::SessionEnded {
            reason: EndReason::Quit,
        },
    );
    s.journal_path().to_path_buf()
}

/// An open drill: a session that crashed mid-command, was resumed, an event
/// from a newer program, and a torn last line.
pub fn open_torn_incident(dir: &Path) -> PathBuf {
    let path = {
        let mut s = Session::start(
            dir,
            opened("Drill: disk alarm", Mode::Drill),
            masker(),
            at(0),
        )
        .unwrap();
        let mut r = Rec(&mut s);
        r.enter(10, "confirm");
        let ev = Event::CommandStarted {
            run: 1,
            step: "confirm".into(),
            command: "df".into(),
            command_line: "df -h /var/lib/rabbitmq".into(),
            pid: None,
        };
        r.ev(20, ev);
        s.record_output(
            1,
            Stream::Stdout,
            "Filesystem Size Used\n/dev/sda1 20G 19G\n",
            at(21),
        )
        .unwrap();
        s.journal_path().to_path_buf()
    };
    let mut s = Session::resume(&path, masker(), at(400)).unwrap();
    Rec(&mut s).note(410, "confirm", "resumed after the laptop died");
    drop(s);
    normalise_resumes(&path);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    let seq = runbook::journal::read(&path).unwrap().records.len() + 1;
    writeln!(f, r#"{{"seq":{seq},"ts":"2026-11-24T03:07:00.000+00:00","type":"pager_escalated","to":"bob"}}"#).unwrap();
    write!(f, r#"{{"seq":{},"ts":"2026-11-24T03:07:"#, seq + 1).unwrap();
    path
}

/// `session_resumed` records this machine's host and user: pin them so the
/// reports are the same on every machine.
fn normalise_resumes(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["type"] == "session_resumed" {
            v["host"] = "mq-prod-2".into();
            v["user"] = "bob".into();
        }
        out.push_str(&serde_json::to_string(&v).unwrap());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

/// A journal written by a newer program (schema 99).
pub fn future_schema(dir: &Path) -> PathBuf {
    let path = dir.join("20261124T030000Z-future.jsonl");
    std::fs::write(
        &path,
        "{\"seq\":1,\"ts\":\"2026-11-24T03:00:00.000+00:00\",\"type\":\"incident_opened\",\"schema\":99}\n",
    )
    .unwrap();
    path
}

/// Compares `actual` with `tests/golden/<name>`; writes the file only with
/// `UPDATE_GOLDEN=1`, never in CI (review the diff before committing).
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    // A golden file is only ever written on request: a missing one fails, so
    // a test can never pass by writing down whatever it rendered.
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        assert!(
            std::env::var_os("CI").is_none(),
            "UPDATE_GOLDEN is set in CI: golden files are accepted by a person, not by CI"
        );
        std::fs::write(&path, actual).unwrap();
        return;
    }
    assert!(
        path.exists(),
        "golden {} is missing: look at the rendered report, then run with UPDATE_GOLDEN=1 and commit it",
        path.display()
    );
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(
        expected == actual,
        "{} differs from the rendered report (UPDATE_GOLDEN=1 to accept):\n{}",
        path.display(),
        first_difference(&expected, actual)
    );
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", i + 1);
        }
    }
    format!(
        "lengths differ: {} vs {} lines",
        a.lines().count(),
        b.lines().count()
    )
}
