//! A real HTTP/1.1 server on 127.0.0.1 for the webhook tests: it records
//! every request (path, query, body) and answers by the path's first part:
//! `/ok/…` 200 with a reply every vendor takes, `/fail/…` 500, `/hang/…`
//! never answers, `/garbage/…` 200 with a body no vendor sends.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request received.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The path, without the query.
    pub path: String,
    /// The query string (empty when none).
    pub query: String,
    /// The body, parsed as JSON (Null when it is not).
    pub json: serde_json::Value,
    /// When it came.
    pub at: Instant,
}

/// The server; it stops with the test process.
pub struct Hooks {
    /// Its port.
    pub port: u16,
    hits: Arc<Mutex<Vec<Hit>>>,
}

impl Hooks {
    /// Starts listening on a free port.
    pub fn start() -> Hooks {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let h = hits.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let h = h.clone();
                std::thread::spawn(move || serve(conn, &h));
            }
        });
        Hooks { port, hits }
    }

    /// `http://127.0.0.1:PORT/PATH`.
    pub fn url(&self, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{}",
            self.port,
            path.trim_start_matches('/')
        )
    }

    /// Every request so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    /// Requests to paths starting with `prefix`.
    pub fn to(&self, prefix: &str) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.path.starts_with(prefix))
            .collect()
    }

    /// Waits until `pred` holds for the requests so far.
    pub fn wait(&self, what: &str, pred: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let hits = self.hits();
            if pred(&hits) {
                return hits;
            }
            assert!(
                Instant::now() < deadline,
                "the webhook server never saw {what}; it got:\n{hits:#?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn serve(conn: TcpStream, hits: &Mutex<Vec<Hit>>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut conn = conn;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (target.clone(), String::new()),
        };
        hits.lock().unwrap().push(Hit {
            path: path.clone(),
            query,
            json: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
            at: Instant::now(),
        });
        let (status, reply): (&str, &[u8]) = if path.starts_with("/fail") {
            ("500 Internal Server Error", b"{\"error\":\"down\"}")
        } else if path.starts_with("/hang") {
            std::thread::sleep(Duration::from_secs(3600));
            return;
        } else if path.starts_with("/garbage") {
            ("200 OK", b"\x1b[2J\x1b]0;owned\x07<html>surprise</html>")
        } else {
            (
                "200 OK",
                b"{\"errcode\":0,\"errmsg\":\"ok\",\"code\":0,\"msg\":\"success\"}",
            )
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            reply.len()
        );
        if conn.write_all(head.as_bytes()).is_err() || conn.write_all(reply).is_err() {
            return;
        }
    }
}

/// A config file with one target of each kind, under `/ok/<kind>/TOKEN-<kind>`
/// (DingTalk and Feishu signed with `SEC-<kind>`).
pub fn config_all_kinds(hooks: &Hooks, dir: &std::path::Path) -> std::path::PathBuf {
    let mut text = String::new();
    for kind in ["generic", "slack", "feishu", "dingtalk", "wecom"] {
        text.push_str(&format!(
            "[[notify]]\nurl = \"{}\"\nkind = \"{kind}\"\n",
            hooks.url(&format!("ok/{kind}/TOKEN-{kind}"))
        ));
        if kind == "dingtalk" || kind == "feishu" {
            text.push_str(&format!("secret = \"SEC-{kind}\"\n"));
        }
        text.push('\n');
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The human text a hit carries, whatever its format.
pub fn text_of(hit: &Hit) -> String {
    let j = &hit.json;
    let kind = hit.path.split('/').nth(2).unwrap_or("");
    match kind {
        "generic" => j["summary"].as_str().unwrap_or("").to_string(),
        "slack" => j["text"].as_str().unwrap_or("").to_string(),
        "feishu" => j["content"]["text"].as_str().unwrap_or("").to_string(),
        "dingtalk" => j["markdown"]["text"].as_str().unwrap_or("").to_string(),
        "wecom" => j["markdown"]["content"].as_str().unwrap_or("").to_string(),
        _ => j.to_string(),
    }
}

/// Checks that a hit is in its kind's own format (and signed where it
/// should be); panics with the body otherwise.
pub fn assert_format(hit: &Hit) {
    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    let j = &hit.json;
    let kind = hit.path.split('/').nth(2).unwrap_or("");
    let ok = match kind {
        "generic" => {
            j["source"] == "runbook" && j["event"].is_string() && j["incident"]["id"].is_string()
        }
        "slack" => j["text"].as_str().is_some_and(|t| t.starts_with('*')),
        "feishu" => {
            let ts: i64 = j["timestamp"].as_str().unwrap().parse().unwrap();
            let mut mac =
                Hmac::<sha2::Sha256>::new_from_slice(format!("{ts}\nSEC-feishu").as_bytes())
                    .unwrap();
            mac.update(b"");
            let want =
                base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
            j["msg_type"] == "text"
                && j["content"]["text"].is_string()
                && j["sign"] == want.as_str()
        }
        "dingtalk" => {
            let q: std::collections::HashMap<String, String> =
                url::form_urlencoded::parse(hit.query.as_bytes())
                    .into_owned()
                    .collect();
            let ts = &q["timestamp"];
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"SEC-dingtalk").unwrap();
            mac.update(format!("{ts}\nSEC-dingtalk").as_bytes());
            let want =
                base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
            j["msgtype"] == "markdown" && j["markdown"]["title"].is_string() && q["sign"] == want
        }
        "wecom" => j["msgtype"] == "markdown" && j["markdown"]["content"].is_string(),
        _ => false,
    };
    assert!(ok, "not in {kind}'s format (or badly signed): {hit:#?}");
}
