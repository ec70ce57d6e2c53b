//! Judging `/api/nodes`, `/api/queues` and `/api/connections` answers against
//! limits and thresholds. Pure functions over JSON, shared with the broker panel.

use serde_json::Value;

use super::CheckOutcome;
use super::text::list_sep;
use crate::i18n::{Lang, tr, trf};
use crate::incident::CheckStatus;
use crate::runbook::Thresholds;

/// Unacknowledged messages in one queue that are worth a warning (a stuck consumer).
pub const UNACKED_WARN: u64 = 1000;
/// Share of a node limit (fds, sockets, processes, memory) that warns.
const LIMIT_WARN_PERCENT: f64 = 80.0;
/// Share of a node limit that fails.
const LIMIT_FAIL_PERCENT: f64 = 95.0;

/// A non-negative integer field (floats truncated), if present.
pub fn num(v: &Value, key: &str) -> Option<u64> {
    let f = v.get(key)?;
    f.as_u64()
        .or_else(|| f.as_f64().filter(|x| *x >= 0.0).map(|x| x as u64))
}

/// A string field, or "?" when missing.
pub fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("?")
}

use crate::text::human_bytes;

fn pct(used: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        used as f64 * 100.0 / total as f64
    }
}

/// Collects findings at the worst status seen.
#[derive(Default)]
struct Findings {
    worst: Option<CheckStatus>,
    lines: Vec<String>,
}

impl Findings {
    fn add(&mut self, status: CheckStatus, line: String) {
        self.worst = Some(self.worst.map_or(status, |w| w.max(status)));
        self.lines.push(line);
    }
}

/// `/api/nodes`: running, memory and disk against limits and alarms,
/// fds/sockets/processes as a share of their limits, partitions; said in
/// `lang`.
pub fn nodes(v: &Value, lang: Lang) -> CheckOutcome {
    let Some(list) = v.as_array().filter(|a| !a.is_empty()) else {
        return CheckOutcome::error(
            tr(
                lang,
                "could not evaluate nodes: /api/nodes returned no node list",
            ),
            v.to_string(),
        );
    };
    let mut f = Findings::default();
    let mut evidence = Vec::new();
    for n in list {
        let name = str_of(n, "name");
        if n.get("running").and_then(Value::as_bool) != Some(true) {
            f.add(CheckStatus::Fail, trf(lang, "{} is not running", &[&name]));
            evidence.push(trf(lang, "{}: not running", &[&name]));
            continue;
        }
        let (mu, ml) = (
            num(n, "mem_used").unwrap_or(0),
            num(n, "mem_limit").unwrap_or(0),
        );
        let (df, dl) = (
            num(n, "disk_free").unwrap_or(0),
            num(n, "disk_free_limit").unwrap_or(0),
        );
        if n.get("mem_alarm").and_then(Value::as_bool) == Some(true) || (ml > 0 && mu >= ml) {
            f.add(
                CheckStatus::Fail,
                trf(
                    lang,
                    "{} memory {} of limit {} — memory alarm",
                    &[&name, &human_bytes(mu), &human_bytes(ml)],
                ),
            );
        } else if pct(mu, ml) >= LIMIT_WARN_PERCENT {
            f.add(
                CheckStatus::Warn,
                trf(
                    lang,
                    "{} memory at {}% of its limit",
                    &[&name, &format!("{:.0}", pct(mu, ml))],
                ),
            );
        }
        if n.get("disk_free_alarm").and_then(Value::as_bool) == Some(true) || df <= dl {
            f.add(
                CheckStatus::Fail,
                trf(
                    lang,
                    "{} disk free {} at or below limit {} — disk alarm",
                    &[&name, &human_bytes(df), &human_bytes(dl)],
                ),
            );
        } else if df < dl.saturating_mul(2) {
            f.add(
                CheckStatus::Warn,
                trf(
                    lang,
                    "{} disk free {} is less than twice the limit {}",
                    &[&name, &human_bytes(df), &human_bytes(dl)],
                ),
            );
        }
        let mut limits = Vec::new();
        for (label, used, total) in [
            (tr(lang, "file descriptors"), "fd_used", "fd_total"),
            (tr(lang, "sockets"), "sockets_used", "sockets_total"),
            (tr(lang, "Erlang processes"), "proc_used", "proc_total"),
        ] {
            let (Some(u), Some(t)) = (num(n, used), num(n, total)) else {
                continue;
            };
            let p = pct(u, t);
            limits.push(format!("{label} {u}/{t} ({p:.0}%)"));
            let at = || {
                trf(
                    lang,
                    "{} {} at {}% of the limit",
                    &[&name, &label, &format!("{p:.0}")],
                )
            };
            if p >= LIMIT_FAIL_PERCENT {
                f.add(CheckStatus::Fail, at());
            } else if p >= LIMIT_WARN_PERCENT {
                f.add(CheckStatus::Warn, at());
            }
        }
        let parts: Vec<&str> = n
            .get("partitions")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if !parts.is_empty() {
            f.add(
                CheckStatus::Fail,
                trf(
                    lang,
                    "{} is partitioned from {}",
                    &[&name, &parts.join(", ")],
                ),
            );
        }
        evidence.push(trf(
            lang,
            "{}: running; memory {} / limit {} ({}%); disk free {} / limit {}; {}",
            &[
                &name,
                &human_bytes(mu),
                &human_bytes(ml),
                &format!("{:.0}", pct(mu, ml)),
                &human_bytes(df),
                &human_bytes(dl),
                &limits.join(", "),
            ],
        ));
    }
    let evidence = evidence.join("\n");
    match f.worst {
        None => CheckOutcome::pass(
            trf(
                lang,
                "{} node(s) running within memory, disk and descriptor limits",
                &[&list.len()],
            ),
            evidence,
        ),
        Some(s) => CheckOutcome::new(s, f.lines.join(list_sep(lang)), evidence),
    }
}

/// One queue's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFigures {
    /// Virtual host.
    pub vhost: String,
    /// Queue name.
    pub name: String,
    /// Total messages.
    pub messages: u64,
    /// Ready messages.
    pub ready: u64,
    /// Unacknowledged messages.
    pub unacked: u64,
    /// Consumers.
    pub consumers: u64,
}

impl QueueFigures {
    /// One line in `lang`: "vhost/name: N messages (…), N consumers".
    pub fn describe(&self, lang: Lang) -> String {
        trf(
            lang,
            "{}/{}: {} messages ({} ready, {} unacked), {} consumers",
            &[
                &self.vhost,
                &self.name,
                &self.messages,
                &self.ready,
                &self.unacked,
                &self.consumers,
            ],
        )
    }
}

impl std::fmt::Display for QueueFigures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

/// Parses a `/api/queues` list (plain array or paginated `{"items":[…]}`),
/// deepest first.
pub fn queue_list(v: &Value) -> Vec<QueueFigures> {
    let items = v
        .as_array()
        .or_else(|| v.get("items").and_then(Value::as_array));
    let mut qs: Vec<QueueFigures> = items
        .map(|a| {
            a.iter()
                .map(|q| QueueFigures {
                    vhost: str_of(q, "vhost").to_string(),
                    name: str_of(q, "name").to_string(),
                    messages: num(q, "messages").unwrap_or(0),
                    ready: num(q, "messages_ready").unwrap_or(0),
                    unacked: num(q, "messages_unacknowledged").unwrap_or(0),
                    consumers: num(q, "consumers").unwrap_or(0),
                })
                .collect()
        })
        .unwrap_or_default();
    qs.sort_by(|a, b| {
        b.messages
            .cmp(&a.messages)
            .then_with(|| (&a.vhost, &a.name).cmp(&(&b.vhost, &b.name)))
    });
    qs
}

/// Queue backlog against `queue_backlog` (fail at `critical.queue_backlog`
/// when given, otherwise at `queue_backlog`); zero consumers with messages or
/// many unacked messages warn. Evidence: the worst five. Said in `lang`.
pub fn queues(v: &Value, t: &Thresholds, lang: Lang) -> CheckOutcome {
    if v.as_array().is_none() && v.get("items").is_none() {
        return CheckOutcome::error(
            tr(
                lang,
                "could not evaluate queues: /api/queues did not return a list",
            ),
            super::text::excerpt(&v.to_string(), 2048, lang),
        );
    }
    let qs = queue_list(v);
    let fail_at = t
        .critical
        .as_ref()
        .and_then(|c| c.queue_backlog)
        .unwrap_or(t.queue_backlog);
    let mut f = Findings::default();
    for q in &qs {
        let who = format!("{}/{}", q.vhost, q.name);
        if q.messages > fail_at {
            f.add(
                CheckStatus::Fail,
                trf(
                    lang,
                    "{} holds {} messages (limit {})",
                    &[&who, &q.messages, &fail_at],
                ),
            );
        } else if q.messages > t.queue_backlog {
            f.add(
                CheckStatus::Warn,
                trf(
                    lang,
                    "{} holds {} messages (threshold {})",
                    &[&who, &q.messages, &t.queue_backlog],
                ),
            );
        } else if q.consumers == 0 && q.messages > 0 {
            f.add(
                CheckStatus::Warn,
                trf(
                    lang,
                    "{} has {} messages and no consumer",
                    &[&who, &q.messages],
                ),
            );
        } else if q.unacked >= UNACKED_WARN {
            f.add(
                CheckStatus::Warn,
                trf(
                    lang,
                    "{} has {} unacknowledged messages (stuck consumer?)",
                    &[&who, &q.unacked],
                ),
            );
        }
    }
    let mut evidence: Vec<String> = qs.iter().take(5).map(|q| q.describe(lang)).collect();
    if qs.len() > 5 {
        evidence.push(trf(lang, "… and {} more queues", &[&(qs.len() - 5)]));
    }
    let evidence = evidence.join("\n");
    match f.worst {
        None => CheckOutcome::pass(
            trf(
                lang,
                "{} queues, none over {} messages",
                &[&qs.len(), &t.queue_backlog],
            ),
            evidence,
        ),
        Some(s) => {
            let mut summary = f
                .lines
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(list_sep(lang));
            if f.lines.len() > 3 {
                summary.push_str(&trf(lang, "; and {} more", &[&(f.lines.len() - 3)]));
            }
            CheckOutcome::new(s, summary, evidence)
        }
    }
}

/// Connections whose state is `blocked` or `blocking` (flow control from a
/// resource alarm), as `state user "app" (peer -> broker)`: the name the
/// client gave its connection (`client_properties.connection_name`), when it
/// gave one, is what tells the operator which application is stuck.
pub fn blocked_connections(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter(|c| matches!(str_of(c, "state"), "blocked" | "blocking"))
                .map(|c| {
                    let app = c
                        .pointer("/client_properties/connection_name")
                        .and_then(Value::as_str)
                        .map(|n| format!(" {n:?}"))
                        .unwrap_or_default();
                    format!(
                        "{} {}{app} ({})",
                        str_of(c, "state"),
                        str_of(c, "user"),
                        str_of(c, "name")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Connection count against `connections` (warn) and `critical.connections`
/// (fail); any blocked/blocking connection fails, naming them. Said in
/// `lang`.
pub fn connections(v: &Value, t: &Thresholds, lang: Lang) -> CheckOutcome {
    let Some(list) = v.as_array() else {
        return CheckOutcome::error(
            tr(
                lang,
                "could not evaluate connections: /api/connections did not return a list",
            ),
            super::text::excerpt(&v.to_string(), 2048, lang),
        );
    };
    let n = list.len() as u64;
    let blocked = blocked_connections(v);
    let evidence = {
        let mut e = vec![trf(
            lang,
            "{} connections (threshold {})",
            &[&n, &t.connections],
        )];
        e.extend(blocked.iter().take(10).cloned());
        e.join("\n")
    };
    if !blocked.is_empty() {
        let names: Vec<&str> = blocked.iter().take(5).map(String::as_str).collect();
        return CheckOutcome::fail(
            trf(
                lang,
                "{} connection(s) blocked by flow control (resource alarm?): {}",
                &[&blocked.len(), &names.join(", ")],
            ),
            evidence,
        );
    }
    if let Some(crit) = t.critical.as_ref().and_then(|c| c.connections)
        && n > crit
    {
        return CheckOutcome::fail(
            trf(
                lang,
                "{} connections, above the critical level {}",
                &[&n, &crit],
            ),
            evidence,
        );
    }
    if n > t.connections {
        return CheckOutcome::warn(
            trf(
                lang,
                "{} connections, above the threshold {}",
                &[&n, &t.connections],
            ),
            evidence,
        );
    }
    CheckOutcome::pass(trf(lang, "{} connections, none blocked", &[&n]), evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(name: &str, messages: u64, unacked: u64, consumers: u64) -> Value {
        json!({"vhost":"/","name":name,"messages":messages,"messages_ready":messages - unacked,
            "messages_unacknowledged":unacked,"consumers":consumers})
    }

    #[test]
    fn a_chinese_incident_reads_queue_backlog_in_chinese() {
        let t = Thresholds::default();
        let list = json!([q("big", 12_000, 0, 0), q("idle", 5, 0, 0), q("ok", 1, 0, 1)]);
        let o = queues(&list, &t, Lang::Zh);
        assert_eq!(o.status, CheckStatus::Fail);
        assert_eq!(
            o.summary,
            "//big 积压 12000 条消息（上限 10000）；//idle 有 5 条消息，但没有消费者"
        );
        assert_eq!(
            o.evidence.lines().next(),
            Some("//big：12000 条消息（就绪 12000，未确认 0），0 个消费者")
        );
        let en = queues(&list, &t, Lang::En);
        assert_eq!(
            en.summary,
            "//big holds 12000 messages (limit 10000); //idle has 5 messages and no consumer"
        );
        assert_eq!(
            queues(&json!([q("ok", 1, 0, 1)]), &t, Lang::Zh).summary,
            "1 个队列，均未超过 10000 条消息"
        );
    }

    #[test]
    fn a_chinese_incident_reads_nodes_and_connections_in_chinese() {
        let n = json!([{"name":"rabbit@h","running":true,"mem_used":50,"mem_limit":100,
            "disk_free":2048,"disk_free_limit":1024,"fd_used":99,"fd_total":100}]);
        let o = nodes(&n, Lang::Zh);
        assert_eq!(o.status, CheckStatus::Fail);
        assert_eq!(o.summary, "rabbit@h 文件句柄已达上限的 99%");
        assert_eq!(
            o.evidence,
            "rabbit@h：运行中；内存 50 B / 上限 100 B（50%）；可用磁盘 2 KiB / 下限 1 KiB；文件句柄 99/100 (99%)"
        );
        let down = nodes(&json!([{"name":"rabbit@h","running":false}]), Lang::Zh);
        assert_eq!(down.summary, "rabbit@h 未运行");
        let c = json!([{"name":"a -> b","user":"u","state":"running"}]);
        assert_eq!(
            connections(&c, &Thresholds::default(), Lang::Zh).summary,
            "1 个连接，无阻塞"
        );
        assert_eq!(
            connections(&c, &Thresholds::default(), Lang::En).summary,
            "1 connections, none blocked"
        );
    }
}
