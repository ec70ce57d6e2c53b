//! `http: { url, status, user, password, json, contains }` — a GET, judged by
//! status, JSON-pointer assertions and a substring; plus the one shared
//! reqwest client every probe uses.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::sync::OnceLock;
use std::time::Duration;

use super::text::{about, excerpt, mask_url};
use super::{CheckOutcome, human_duration};
use crate::i18n::{Lang, tr, trf};
use crate::runbook::HttpCheck;

/// How much of a response body is kept as evidence.
pub const BODY_EVIDENCE_LIMIT: usize = 2048;
/// Largest response body read (an HTTP check or the management API): past
/// it the request fails, so a runaway server cannot fill the memory.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Why a response body was not read whole.
#[derive(Debug)]
pub enum BodyError {
    /// More than the limit (announced or streamed).
    TooLarge(usize),
    /// The connection failed part-way.
    Read(reqwest::Error),
}

impl BodyError {
    /// The failure in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            BodyError::TooLarge(limit) => trf(
                lang,
                "response larger than {}",
                &[&crate::text::human_bytes(*limit as u64)],
            ),
            BodyError::Read(e) => trf(lang, "reading the body failed: {}", &[e]),
        }
    }
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

/// Reads a body of at most `limit` bytes, chunk by chunk, stopping as soon
/// as it is known to be larger (invalid UTF-8 is replaced, not fatal).
pub async fn read_body(mut resp: reqwest::Response, limit: usize) -> Result<String, BodyError> {
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge(limit));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Read)? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(match String::from_utf8(body) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// The shared HTTP client. Timeouts are set per request (each check has its
/// own). Proxies: reqwest's default, i.e. `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY`
/// from the environment are honoured — an operator behind a proxy keeps working;
/// add the broker host to `NO_PROXY` if the proxy cannot reach it. The
/// error says why it could not be set up, in `lang`.
pub fn client(lang: Lang) -> Result<&'static reqwest::Client, String> {
    static CLIENT: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            reqwest::Client::builder()
                .user_agent(concat!("runbook/", env!("CARGO_PKG_VERSION")))
                .pool_idle_timeout(Duration::from_secs(30))
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| trf(lang, "cannot set up the HTTP client: {}", &[e]))
}

/// Why an HTTP request got no response, classified for summaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestFailure {
    /// TCP connection refused: nothing listens there.
    Refused,
    /// No response within the time limit.
    TimedOut,
    /// The host name did not resolve.
    Resolve(String),
    /// Anything else (TLS, reset, bad URL), with the cause chain (empty
    /// when none was given: see [`RequestFailure::other_cause`]).
    Other(String),
}

impl RequestFailure {
    /// The cause chain of [`RequestFailure::Other`] as shown (password
    /// masked), or, when there is none, that none was given, in `lang`.
    pub fn other_cause(chain: &str, lang: Lang) -> String {
        if chain.is_empty() {
            tr(lang, "the request failed without a stated cause").to_string()
        } else {
            mask_url(chain)
        }
    }
}

/// Classifies a reqwest error by walking its cause chain.
pub fn classify(err: &reqwest::Error) -> RequestFailure {
    if err.is_timeout() {
        return RequestFailure::TimedOut;
    }
    let mut chain = Vec::new();
    let mut src: Option<&dyn std::error::Error> = err.source();
    while let Some(e) = src {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return RequestFailure::Refused,
                std::io::ErrorKind::TimedOut => return RequestFailure::TimedOut,
                _ => {}
            }
        }
        chain.push(e.to_string());
        src = e.source();
    }
    let text = chain.join(": ");
    let lower = text.to_lowercase();
    if lower.contains("dns error") || lower.contains("failed to lookup address") {
        return RequestFailure::Resolve(text);
    }
    if lower.contains("connection refused") {
        return RequestFailure::Refused;
    }
    // Only the causes are used: reqwest's own message embeds the URL, which
    // may carry a password.
    RequestFailure::Other(text)
}

/// Runs the check; its outcome is told in `lang`.
pub async fn check(spec: &HttpCheck, timeout: Duration, lang: Lang) -> CheckOutcome {
    let shown = mask_url(&spec.url);
    let get = format!("GET {shown}");
    let client = match client(lang) {
        Ok(c) => c,
        Err(e) => return CheckOutcome::error(e, ""),
    };
    let mut req = client.get(&spec.url).timeout(timeout);
    if let Some(user) = &spec.user {
        req = req.basic_auth(user, spec.password.as_deref());
    }
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => {
            let why = match classify(&e) {
                RequestFailure::Refused => {
                    tr(lang, "connection refused — nothing listens there").to_string()
                }
                RequestFailure::TimedOut => {
                    trf(lang, "no response within {}", &[&human_duration(timeout)])
                }
                RequestFailure::Resolve(t) => {
                    trf(lang, "name resolution failed ({})", &[&mask_url(&t)])
                }
                RequestFailure::Other(t) => RequestFailure::other_cause(&t, lang),
            };
            return CheckOutcome::fail(about(lang, &get, &why), "");
        }
    };
    let status = resp.status();
    let body = match tokio::time::timeout(timeout, read_body(resp, MAX_BODY_BYTES)).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            return CheckOutcome::error(
                about(lang, &get, &e.describe(lang)),
                format!("HTTP {status}"),
            );
        }
        Err(_) => {
            return CheckOutcome::error(
                about(
                    lang,
                    &get,
                    &trf(
                        lang,
                        "body not received within {}",
                        &[&human_duration(timeout)],
                    ),
                ),
                format!("HTTP {status}"),
            );
        }
    };
    evaluate(
        spec.status,
        &spec.json,
        spec.contains.as_deref(),
        &shown,
        status.as_u16(),
        &body,
        lang,
    )
}

/// Judges a response: status (default any 2xx), then each JSON-pointer
/// assertion, then the substring, and says so in `lang`. Pure, so it is
/// unit-tested with canned bodies.
pub fn evaluate(
    want_status: Option<u16>,
    json: &BTreeMap<String, serde_json::Value>,
    contains: Option<&str>,
    shown_url: &str,
    status: u16,
    body: &str,
    lang: Lang,
) -> CheckOutcome {
    let evidence = format!(
        "HTTP {status}\n{}",
        excerpt(body, BODY_EVIDENCE_LIMIT, lang)
    );
    let get = format!("GET {shown_url}");
    let status_ok = match want_status {
        Some(s) => s == status,
        None => (200..300).contains(&status),
    };
    if !status_ok {
        let want = want_status.map_or("2xx".to_string(), |s| s.to_string());
        return CheckOutcome::fail(
            trf(
                lang,
                "GET {} returned HTTP {}, expected {}",
                &[&shown_url, &status, &want],
            ),
            evidence,
        );
    }
    if !json.is_empty() {
        let doc: serde_json::Value = match serde_json::from_str(body) {
            Ok(v) => v,
            Err(e) => {
                return CheckOutcome::fail(
                    about(lang, &get, &trf(lang, "the body is not JSON ({})", &[&e])),
                    evidence,
                );
            }
        };
        for (pointer, want) in json {
            match doc.pointer(pointer) {
                None => {
                    return CheckOutcome::fail(
                        about(
                            lang,
                            &get,
                            &trf(lang, "{} is missing from the JSON body", &[pointer]),
                        ),
                        evidence,
                    );
                }
                Some(got) if !json_matches(got, want) => {
                    return CheckOutcome::fail(
                        about(
                            lang,
                            &get,
                            &trf(lang, "{} is {}, expected {}", &[pointer, got, want]),
                        ),
                        evidence,
                    );
                }
                Some(_) => {}
            }
        }
    }
    if let Some(needle) = contains
        && !body.contains(needle)
    {
        return CheckOutcome::fail(
            about(
                lang,
                &get,
                &trf(
                    lang,
                    "the body does not contain {}",
                    &[&format!("{needle:?}")],
                ),
            ),
            evidence,
        );
    }
    CheckOutcome::pass(
        trf(lang, "GET {} returned HTTP {}", &[&shown_url, &status]),
        evidence,
    )
}

/// Equal as JSON; a string expectation also matches a number or bool written
/// the same way (YAML `"200"` vs `200`).
fn json_matches(got: &serde_json::Value, want: &serde_json::Value) -> bool {
    if got == want {
        return true;
    }
    match (got, want) {
        (
            serde_json::Value::Number(_) | serde_json::Value::Bool(_),
            serde_json::Value::String(s),
        ) => got.to_string().as_str() == s.as_str(),
        (serde_json::Value::Number(a), serde_json::Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::CheckStatus;
    use serde_json::json;

    fn ptrs(pairs: &[(&str, serde_json::Value)]) -> BTreeMap<String, serde_json::Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn status_defaults_to_2xx() {
        let none = BTreeMap::new();
        assert_eq!(
            evaluate(None, &none, None, "u", 204, "", Lang::En).status,
            CheckStatus::Pass
        );
        let o = evaluate(
            None,
            &none,
            None,
            "u",
            503,
            "{\"status\":\"failed\"}",
            Lang::En,
        );
        assert_eq!(o.status, CheckStatus::Fail);
        assert_eq!(o.summary, "GET u returned HTTP 503, expected 2xx");
        assert!(o.evidence.starts_with("HTTP 503\n{\"status\""));
        assert_eq!(
            evaluate(Some(503), &none, None, "u", 503, "", Lang::En).status,
            CheckStatus::Pass
        );
    }

    #[test]
    fn json_pointers_and_substring() {
        let body = r#"{"status":"ok","n":3,"nested":{"ok":true}}"#;
        let p = ptrs(&[
            ("/status", json!("ok")),
            ("/n", json!(3)),
            ("/nested/ok", json!("true")),
        ]);
        assert_eq!(
            evaluate(None, &p, Some("nested"), "u", 200, body, Lang::En).status,
            CheckStatus::Pass
        );
        let o = evaluate(
            None,
            &ptrs(&[("/status", json!("failed"))]),
            None,
            "u",
            200,
            body,
            Lang::En,
        );
        assert_eq!(o.summary, "GET u: /status is \"ok\", expected \"failed\"");
        let o = evaluate(
            None,
            &ptrs(&[("/missing", json!(1))]),
            None,
            "u",
            200,
            body,
            Lang::En,
        );
        assert!(o.summary.contains("/missing is missing"), "{}", o.summary);
        let o = evaluate(
            None,
            &ptrs(&[("/a", json!(1))]),
            None,
            "u",
            200,
            "<html>",
            Lang::En,
        );
        assert!(o.summary.contains("not JSON"), "{}", o.summary);
        let o = evaluate(
            None,
            &BTreeMap::new(),
            Some("zzz"),
            "u",
            200,
            body,
            Lang::En,
        );
        assert!(
            o.summary.contains("does not contain \"zzz\""),
            "{}",
            o.summary
        );
    }

    #[test]
    fn a_chinese_incident_reads_its_http_results_in_chinese() {
        let none = BTreeMap::new();
        let o = evaluate(None, &none, None, "http://h/", 503, "down", Lang::Zh);
        assert_eq!(o.summary, "GET http://h/ 返回 HTTP 503，预期 2xx");
        assert_eq!(o.evidence, "HTTP 503\ndown");
        let o = evaluate(None, &none, Some("zzz"), "u", 200, "body", Lang::Zh);
        assert_eq!(o.summary, "GET u：响应体不包含 \"zzz\"");
        let o = evaluate(
            None,
            &ptrs(&[("/status", json!("failed"))]),
            None,
            "u",
            200,
            r#"{"status":"ok"}"#,
            Lang::Zh,
        );
        assert_eq!(o.summary, "GET u：/status 为 \"ok\"，预期 \"failed\"");
        assert_eq!(
            evaluate(None, &none, None, "u", 200, "", Lang::Zh).summary,
            "GET u 返回 HTTP 200"
        );
    }
}
