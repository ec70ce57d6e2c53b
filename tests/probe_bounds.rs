//! A server answering with hundreds of megabytes costs a bounded amount: the
//! body is read up to a cap and the check fails naming the URL; what a check
//! keeps as evidence is short, in the journal and in what `diagnose` prints.
//! The server is a fake on 127.0.0.1 in this test, not a broker.

#[path = "diagnose_support/mod.rs"]
mod diagnose_support;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

use diagnose_support::*;
use runbook::incident::{CheckStatus, RunState};

/// How much the fake server is willing to send on a streamed answer.
const HUGE: usize = 48 * 1024 * 1024;

/// Starts the fake server; returns its base URL. It runs until the test ends.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || answer(conn));
        }
    });
    base
}

fn answer(conn: TcpStream) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut out = conn;
    if path.starts_with("/api/health/checks/alarms") {
        // Under the body cap, but far over any sane evidence.
        let body = format!(
            r#"{{"status":"ok","padding":"{}"}}"#,
            "p".repeat(4 * 1024 * 1024)
        );
        let _ = write!(
            out,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    } else {
        // No length announced: only reading it tells how big it is.
        let _ = out.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[",
        );
        let chunk =
            "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",".repeat(1024);
        let mut sent = 0;
        while sent < HUGE {
            if out.write_all(chunk.as_bytes()).is_err() {
                return; // the client stopped reading: as it should
            }
            sent += chunk.len();
        }
        let _ = out.write_all(b"\"end\"]");
    }
}

#[test]
fn huge_answers_fail_at_the_cap_and_evidence_stays_short() {
    let base = serve();
    let dir = tempfile::tempdir().unwrap();
    let rb = dir.path().join("bounds.yaml");
    std::fs::write(
        &rb,
        format!(
            r#"schema: 1
id: bounds
title: Bounds
vars:
  mgmt_url: {{ default: "{base}" }}
steps:
  - id: one
    title: One
    budget: 1m
    checks:
      - id: huge-http
        timeout: 60s
        http: {{ url: "{base}/huge" }}
      - id: huge-api
        timeout: 60s
        rabbitmq: {{ check: overview }}
      - id: padded-alarms
        timeout: 60s
        rabbitmq: {{ check: alarms }}
"#
        ),
    )
    .unwrap();
    let log = dir.path().join("log");
    let out = diagnose(&[rb.to_str().unwrap(), "-v"], &log);
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.len() < 64 * 1024,
        "printed {} bytes:\n{}",
        stdout.len(),
        &stdout[..2000.min(stdout.len())]
    );
    assert!(
        stdout.contains(&format!("GET {base}/huge: response larger than 16 MiB")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "GET {base}/api/overview: response larger than 16 MiB"
        )),
        "{stdout}"
    );

    let path = journals(&log).pop().expect("a journal");
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size < 64 * 1024, "journal of 3 checks is {size} bytes");
    let inc = runbook::incident::Incident::fold(&runbook::journal::read(&path).unwrap().records);
    let by_item = |id: &str| inc.runs.values().find(|r| r.item == id).unwrap();
    assert_eq!(
        by_item("huge-http").state,
        RunState::Check(CheckStatus::Error)
    );
    assert_eq!(
        by_item("huge-api").state,
        RunState::Check(CheckStatus::Error)
    );
    let alarms = by_item("padded-alarms");
    assert_eq!(alarms.state, RunState::Check(CheckStatus::Pass));
    assert!(
        alarms.evidence.len() <= runbook::probe::EVIDENCE_LIMIT + 64,
        "{} bytes of evidence",
        alarms.evidence.len()
    );
    assert!(
        alarms.evidence.ends_with("more bytes)"),
        "the cut is marked"
    );
}
