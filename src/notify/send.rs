//! Sending: one task per target, off the screen's task, each with its own
//! bounded queue, so a dead or slow endpoint holds up only its own messages,
//! never a key, a command, the journal or another target. Each message gets
//! a timeout per attempt and retries with backoff; its outcome comes back as
//! a [`Delivery`] that the front end journals (the journal has one writer).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::mpsc;

use super::Plan;
use super::message::{Lang, Message};
use super::target::{Kind, Target};
use crate::engine::Subscriber;
use crate::incident::{Event, Incident, Record};

/// Messages waiting per target; more are dropped (and journaled as such).
const QUEUE: usize = 64;
/// Largest reply body read, bytes.
const MAX_REPLY: usize = 16 * 1024;

/// Timeouts and retries.
#[derive(Debug, Clone)]
pub struct Timing {
    /// One attempt's limit, connect to last byte.
    pub attempt: Duration,
    /// Attempts in all (at least 1).
    pub attempts: u32,
    /// Wait before the first retry; doubled for each one after.
    pub backoff: Duration,
    /// How long the end of a session waits for messages still being sent.
    pub drain: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            attempt: Duration::from_secs(5),
            attempts: 3,
            backoff: Duration::from_secs(1),
            drain: Duration::from_secs(5),
        }
    }
}

impl Timing {
    /// The defaults, with `RUNBOOK_NOTIFY_TIMEOUT_MS`, `…_ATTEMPTS`,
    /// `…_BACKOFF_MS` and `…_DRAIN_MS` from the environment when set.
    pub fn from_env() -> Timing {
        let ms = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_millis)
        };
        let d = Timing::default();
        Timing {
            attempt: ms("RUNBOOK_NOTIFY_TIMEOUT_MS").unwrap_or(d.attempt),
            attempts: std::env::var("RUNBOOK_NOTIFY_ATTEMPTS")
                .ok()
                .and_then(|v| v.trim().parse::<u32>().ok())
                .map_or(d.attempts, |n| n.clamp(1, 10)),
            backoff: ms("RUNBOOK_NOTIFY_BACKOFF_MS").unwrap_or(d.backoff),
            drain: ms("RUNBOOK_NOTIFY_DRAIN_MS").unwrap_or(d.drain),
        }
    }
}

/// The outcome of one message to one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The target, named without its token ([`Target::label`]).
    pub target: String,
    /// Its format.
    pub kind: Kind,
    /// What the message was about (`opened`, `overrun`, …).
    pub about: String,
    /// The record it was about.
    pub seq: u64,
    /// The endpoint took it.
    pub ok: bool,
    /// The last HTTP status, when there was one.
    pub status: Option<u16>,
    /// Why it failed (empty when it did not).
    pub error: String,
    /// Attempts made.
    pub attempts: u32,
    /// From the first attempt to the outcome, ms.
    pub duration_ms: u64,
}

impl Delivery {
    /// The journal event (`notification`).
    pub fn into_event(self) -> Event {
        Event::Notification {
            target: self.target,
            kind: self.kind.as_str().to_string(),
            about: self.about,
            for_seq: self.seq,
            ok: self.ok,
            status: self.status,
            error: self.error,
            attempts: self.attempts,
            duration_ms: self.duration_ms,
        }
    }
}

struct Job {
    id: u64,
    msg: Message,
}

/// Messages handed to a worker and not yet answered, by job id.
type Pending = Arc<Mutex<BTreeMap<u64, (String, Kind, String, u64)>>>;

/// The sending side the front end keeps: deliveries come back here.
pub struct Notifier {
    results: mpsc::Receiver<Delivery>,
    pending: Pending,
    timing: Timing,
    targets: usize,
    queues: Queues,
    lang: Lang,
    /// The opening is still to be announced (see [`Notifier::announce_opened`]).
    opened_pending: bool,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier")
            .field("targets", &self.targets)
            .field("in_flight", &self.in_flight())
            .field("opened_pending", &self.opened_pending)
            .finish()
    }
}

/// The targets' queues, shared by the front end and the feed.
#[derive(Clone)]
struct Queues {
    workers: Vec<(Target, mpsc::Sender<Job>)>,
    results: mpsc::Sender<Delivery>,
    pending: Pending,
    next: Arc<AtomicU64>,
}

/// The engine subscriber that turns recorded events into messages.
pub struct Feed {
    queues: Queues,
    lang: Lang,
    mitigated: bool,
}

impl Notifier {
    /// Starts one task per target on `handle`. Returns the notifier and
    /// the feed to subscribe to the engine. When `plan.announce_opened`,
    /// the opening waits for [`Notifier::announce_opened`] (so it can carry
    /// the title the operator is still typing).
    pub fn start(
        plan: &Plan,
        incident: &Incident,
        handle: &tokio::runtime::Handle,
    ) -> (Notifier, Feed) {
        let timing = Timing::from_env();
        let (rtx, rrx) = mpsc::channel(256);
        let pending: Pending = Arc::new(Mutex::new(BTreeMap::new()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("runbook/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.without_url().to_string());
        let mut workers = Vec::new();
        for target in &plan.targets {
            let (tx, rx) = mpsc::channel(QUEUE);
            let worker = Worker {
                target: target.clone(),
                client: client.clone(),
                timing: timing.clone(),
                results: rtx.clone(),
                pending: pending.clone(),
            };
            handle.spawn(worker.run(rx));
            workers.push((target.clone(), tx));
        }
        let mitigated = incident
            .steps
            .iter()
            .any(|s| s.outline.mitigation && s.completed_at.is_some());
        let queues = Queues {
            workers,
            results: rtx,
            pending: pending.clone(),
            next: Arc::new(AtomicU64::new(1)),
        };
        let feed = Feed {
            queues: queues.clone(),
            lang: plan.lang,
            mitigated,
        };
        let notifier = Notifier {
            results: rrx,
            pending,
            timing,
            targets: plan.targets.len(),
            queues,
            lang: plan.lang,
            opened_pending: plan.announce_opened,
        };
        (notifier, feed)
    }

    /// Announces the incident's opening, once, as `incident` is now (its
    /// title given). Does nothing when the plan did not ask for it or it
    /// was announced already.
    pub fn announce_opened(&mut self, incident: &Incident) {
        if std::mem::take(&mut self.opened_pending) {
            self.queues.send(Message::opened(incident, self.lang));
        }
    }

    /// True until the opening has been announced (when it is to be).
    pub fn opening_pending(&self) -> bool {
        self.opened_pending
    }

    /// Number of targets.
    pub fn targets(&self) -> usize {
        self.targets
    }

    /// Messages still being sent.
    pub fn in_flight(&self) -> usize {
        self.pending.lock().map(|p| p.len()).unwrap_or(0)
    }

    /// The next outcome.
    pub async fn next(&mut self) -> Option<Delivery> {
        let d = self.results.recv().await;
        d.map(|d| self.said(d))
    }

    /// An outcome already waiting, if any.
    pub fn try_next(&mut self) -> Option<Delivery> {
        let d = self.results.try_recv().ok();
        d.map(|d| self.said(d))
    }

    /// A failure's reason in the incident's language (the workers word it
    /// in English; a system's or a server's own text stays as it is).
    fn said(&self, mut d: Delivery) -> Delivery {
        d.error = crate::i18n::tr_said(self.lang, &d.error);
        d
    }

    /// At the end of a session: the outcomes of what is still being sent,
    /// waiting at most the drain time; what is still unanswered then is
    /// given up and reported as such.
    pub async fn drain(&mut self) -> Vec<Delivery> {
        let mut out = Vec::new();
        while let Some(d) = self.try_next() {
            out.push(d);
        }
        let deadline = tokio::time::Instant::now() + self.timing.drain;
        while self.in_flight() > 0 {
            match tokio::time::timeout_at(deadline, self.results.recv()).await {
                Ok(Some(d)) => out.push(self.said(d)),
                _ => break,
            }
        }
        while let Some(d) = self.try_next() {
            out.push(d);
        }
        let left: Vec<(String, Kind, String, u64)> = match self.pending.lock() {
            Ok(mut p) => std::mem::take(&mut *p).into_values().collect(),
            Err(_) => Vec::new(),
        };
        let waited = self.timing.drain.as_secs_f64();
        for (target, kind, about, seq) in left {
            out.push(Delivery {
                target,
                kind,
                about,
                seq,
                ok: false,
                status: None,
                error: crate::i18n::trf(
                    self.lang,
                    "given up: still unanswered when the program ended ({} s later)",
                    &[&format!("{waited:.0}")],
                ),
                attempts: 0,
                duration_ms: 0,
            });
        }
        out
    }
}

impl Queues {
    /// Queues `msg` for every target that wants it. A full queue drops it
    /// and says so (as a failed delivery).
    fn send(&self, msg: Message) {
        for (target, tx) in &self.workers {
            if !target.events.contains(&msg.about) {
                continue;
            }
            let id = self.next.fetch_add(1, Ordering::Relaxed);
            let label = target.label();
            let about = msg.about.as_str().to_string();
            if let Ok(mut p) = self.pending.lock() {
                p.insert(id, (label.clone(), target.kind, about.clone(), msg.seq));
            }
            let job = Job {
                id,
                msg: msg.clone(),
            };
            if let Err(e) = tx.try_send(job) {
                if let Ok(mut p) = self.pending.lock() {
                    p.remove(&id);
                }
                let why = match e {
                    mpsc::error::TrySendError::Full(_) => {
                        format!("dropped: {QUEUE} messages already waiting for this target")
                    }
                    mpsc::error::TrySendError::Closed(_) => "dropped: its sender stopped".into(),
                };
                let _ = self.results.try_send(Delivery {
                    target: label,
                    kind: target.kind,
                    about,
                    seq: msg.seq,
                    ok: false,
                    status: None,
                    error: why,
                    attempts: 0,
                    duration_ms: 0,
                });
            }
        }
    }
}

impl Subscriber for Feed {
    fn recorded(&mut self, record: &Record, incident: &Incident) {
        if let Some(msg) = Message::from_record(record, incident, self.lang, self.mitigated) {
            if msg.about == super::About::Mitigated {
                self.mitigated = true;
            }
            self.queues.send(msg);
        }
    }
}

struct Worker {
    target: Target,
    client: Result<reqwest::Client, String>,
    timing: Timing,
    results: mpsc::Sender<Delivery>,
    pending: Pending,
}

/// One attempt's failure.
struct Failed {
    status: Option<u16>,
    error: String,
    retry: bool,
}

impl Worker {
    async fn run(self, mut queue: mpsc::Receiver<Job>) {
        while let Some(job) = queue.recv().await {
            let delivery = self.deliver(&job.msg).await;
            if let Ok(mut p) = self.pending.lock() {
                p.remove(&job.id);
            }
            if self.results.send(delivery).await.is_err() {
                return;
            }
        }
    }

    async fn deliver(&self, msg: &Message) -> Delivery {
        let started = Instant::now();
        let mut attempts = 0;
        let mut wait = self.timing.backoff;
        let outcome = loop {
            attempts += 1;
            let res = self.attempt(msg).await;
            match res {
                Err(f) if f.retry && attempts < self.timing.attempts => {
                    tokio::time::sleep(wait).await;
                    wait = wait.saturating_mul(2);
                }
                other => break other,
            }
        };
        let (ok, status, error) = match outcome {
            Ok(status) => (true, Some(status), String::new()),
            Err(f) => (false, f.status, self.masked(&f.error)),
        };
        Delivery {
            target: self.target.label(),
            kind: self.target.kind,
            about: msg.about.as_str().to_string(),
            seq: msg.seq,
            ok,
            status,
            error,
            attempts,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// No token in a message: the URL, its path and query and the secret
    /// are cut out of any error text (reqwest's errors quote the URL).
    fn masked(&self, text: &str) -> String {
        let mut out = crate::text::one_line(text).into_owned();
        let mut secrets = self.target.secrets();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for s in secrets {
            out = out.replace(&s, "***");
        }
        out.chars().take(300).collect()
    }

    async fn attempt(&self, msg: &Message) -> Result<u16, Failed> {
        let client = self.client.as_ref().map_err(|e| Failed {
            status: None,
            error: format!("cannot make an HTTP client: {e}"),
            retry: false,
        })?;
        let (url, body) = signed(&self.target, msg.body(self.target.kind)).map_err(|e| Failed {
            status: None,
            error: e,
            retry: false,
        })?;
        let limit = self.timing.attempt;
        let secs = limit.as_secs_f64();
        let sent = async {
            let resp = client.post(url).json(&body).send().await?;
            let status = resp.status().as_u16();
            let reply = read_bounded(resp).await?;
            Ok::<_, reqwest::Error>((status, reply))
        };
        let (status, reply) = match tokio::time::timeout(limit, sent).await {
            Err(_) => {
                return Err(Failed {
                    status: None,
                    error: format!("no answer within {secs:.1} s"),
                    retry: true,
                });
            }
            Ok(Err(e)) => {
                return Err(Failed {
                    status: None,
                    error: describe(&e),
                    retry: true,
                });
            }
            Ok(Ok(r)) => r,
        };
        judge(self.target.kind, status, &reply)
    }
}

async fn read_bounded(mut resp: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        let room = MAX_REPLY.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= MAX_REPLY {
            break;
        }
    }
    Ok(out)
}

/// reqwest's error without its URL, with its causes.
fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let what = if e.is_connect() {
        "cannot connect"
    } else if e.is_timeout() {
        "timed out"
    } else if e.is_request() {
        "the request failed"
    } else if e.is_body() || e.is_decode() {
        "the reply was cut off"
    } else {
        "HTTP error"
    };
    let mut causes = Vec::new();
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !causes.contains(&t) {
            causes.push(t);
        }
        src = s.source();
    }
    if causes.is_empty() {
        what.to_string()
    } else {
        format!("{what}: {}", causes.join(": "))
    }
}

/// The first bytes of a reply, as one clean line.
fn snippet(reply: &[u8]) -> String {
    let text = String::from_utf8_lossy(&reply[..reply.len().min(200)]);
    let line = crate::text::one_line(text.trim()).into_owned();
    if line.is_empty() {
        "(empty body)".into()
    } else {
        line
    }
}

/// Whether the endpoint took the message. DingTalk, WeCom and Feishu answer
/// 200 with an error code in the body when they refuse one.
fn judge(kind: Kind, status: u16, reply: &[u8]) -> Result<u16, Failed> {
    if !(200..300).contains(&status) {
        return Err(Failed {
            status: Some(status),
            error: format!("HTTP {status}: {}", snippet(reply)),
            retry: status >= 500 || status == 429 || status == 408,
        });
    }
    let (field, vendor) = match kind {
        Kind::Generic | Kind::Slack => return Ok(status),
        Kind::Feishu => ("code", "Feishu"),
        Kind::Dingtalk => ("errcode", "DingTalk"),
        Kind::Wecom => ("errcode", "WeCom"),
    };
    let parsed: Option<serde_json::Value> = serde_json::from_slice(reply).ok();
    let code = parsed.as_ref().and_then(|v| {
        v.get(field)
            .or_else(|| v.get("StatusCode"))
            .and_then(serde_json::Value::as_i64)
    });
    match code {
        Some(0) => Ok(status),
        Some(c) => {
            let msg = parsed
                .as_ref()
                .and_then(|v| v.get("errmsg").or_else(|| v.get("msg")))
                .and_then(serde_json::Value::as_str)
                .unwrap_or("");
            Err(Failed {
                status: Some(status),
                error: format!(
                    "{vendor} refused it: {field} {c} {}",
                    crate::text::one_line(msg)
                )
                .trim_end()
                .to_string(),
                retry: false,
            })
        }
        None => Err(Failed {
            status: Some(status),
            error: format!(
                "HTTP {status} but the body is not {vendor}'s reply: {}",
                snippet(reply)
            ),
            retry: false,
        }),
    }
}

fn hmac_base64(key: &[u8], data: &[u8]) -> Result<String, String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|e| format!("cannot sign: {e}"))?;
    mac.update(data);
    Ok(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

/// DingTalk's signature: HMAC-SHA256 of `timestamp\nsecret` keyed with the
/// secret, base64 (timestamp in milliseconds).
pub fn dingtalk_sign(timestamp_ms: i64, secret: &str) -> Result<String, String> {
    hmac_base64(
        secret.as_bytes(),
        format!("{timestamp_ms}\n{secret}").as_bytes(),
    )
}

/// Feishu's signature: HMAC-SHA256 of nothing keyed with
/// `timestamp\nsecret`, base64 (timestamp in seconds).
pub fn feishu_sign(timestamp_s: i64, secret: &str) -> Result<String, String> {
    hmac_base64(format!("{timestamp_s}\n{secret}").as_bytes(), b"")
}

/// The URL and body to post, signed when the target has a secret.
fn signed(
    target: &Target,
    mut body: serde_json::Value,
) -> Result<(url::Url, serde_json::Value), String> {
    let mut url = url::Url::parse(target.url.trim()).map_err(|e| format!("not a URL: {e}"))?;
    let now = chrono::Utc::now();
    match (target.kind, &target.secret) {
        (Kind::Dingtalk, Some(secret)) => {
            let ts = now.timestamp_millis();
            let sign = dingtalk_sign(ts, secret)?;
            url.query_pairs_mut()
                .append_pair("timestamp", &ts.to_string())
                .append_pair("sign", &sign);
        }
        (Kind::Feishu, Some(secret)) => {
            let ts = now.timestamp();
            let sign = feishu_sign(ts, secret)?;
            if let Some(obj) = body.as_object_mut() {
                obj.insert("timestamp".into(), ts.to_string().into());
                obj.insert("sign".into(), sign.into());
            }
        }
        _ => {}
    }
    Ok((url, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dingtalk_signature_matches_its_documented_recipe() {
        // Recomputed independently: HMAC-SHA256(key=secret, "ts\nsecret").
        let sig = dingtalk_sign(1_700_000_000_000, "SECabc").unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(b"SECabc").unwrap();
        mac.update(b"1700000000000\nSECabc");
        let want = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(sig, want);
        assert_eq!(sig.len(), 44);
    }

    #[test]
    fn vendor_replies_are_judged_by_their_code() {
        assert!(judge(Kind::Dingtalk, 200, br#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
        let refused = judge(
            Kind::Dingtalk,
            200,
            br#"{"errcode":310000,"errmsg":"sign not match"}"#,
        );
        let f = refused.err().unwrap();
        assert!(f.error.contains("310000") && f.error.contains("sign not match") && !f.retry);
        assert!(judge(Kind::Feishu, 200, br#"{"code":0,"msg":"success"}"#).is_ok());
        assert!(judge(Kind::Feishu, 200, br#"{"StatusCode":0}"#).is_ok());
        let garbage = judge(Kind::Wecom, 200, b"\x1b[2J<html>").err().unwrap();
        assert!(
            garbage.error.contains("not WeCom's reply"),
            "{}",
            garbage.error
        );
        assert!(!garbage.error.contains('\x1b'));
        assert!(judge(Kind::Slack, 200, b"ok").is_ok());
        assert!(judge(Kind::Generic, 500, b"").err().unwrap().retry);
        assert!(!judge(Kind::Generic, 404, b"").err().unwrap().retry);
    }

    /// Why a message failed, in a Chinese incident: the program's words in
    /// Chinese, the vendor's and the server's as they are.
    #[test]
    fn failures_are_said_in_the_incidents_language() {
        use crate::i18n::{Lang, tr_said};
        let zh = |f: Failed| tr_said(Lang::Zh, &f.error);
        let refused = judge(
            Kind::Dingtalk,
            200,
            br#"{"errcode":310000,"errmsg":"keywords not in content"}"#,
        );
        assert_eq!(
            zh(refused.err().unwrap()),
            "DingTalk 拒绝了这条消息：errcode 310000 keywords not in content"
        );
        let bare = judge(Kind::Feishu, 200, br#"{"code":9499}"#);
        assert_eq!(zh(bare.err().unwrap()), "Feishu 拒绝了这条消息：code 9499");
        let empty = judge(Kind::Generic, 502, b"");
        assert_eq!(zh(empty.err().unwrap()), "HTTP 502：（空响应）");
        let garbage = judge(Kind::Wecom, 200, b"<html>").err().unwrap();
        assert_eq!(zh(garbage), "HTTP 200，但响应体不是 WeCom 的答复：<html>");
        assert_eq!(
            tr_said(Lang::Zh, "no answer within 5.0 s"),
            "5.0 秒内没有答复"
        );
        assert_eq!(
            tr_said(
                Lang::Zh,
                "cannot connect: tcp connect error: Connection refused"
            ),
            "无法连接：tcp connect error: Connection refused"
        );
        assert_eq!(tr_said(Lang::Zh, "timed out"), "超时");
        assert_eq!(tr_said(Lang::En, "cannot connect"), "cannot connect");
    }
}
