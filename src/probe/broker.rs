//! Data for the TUI's live broker panel, polled from the management API only
//! (never the CLI: each `rabbitmqctl` call costs ~0.5 s against ~10 ms here).

use std::time::Duration;

use serde_json::Value;

use super::mgmt::Api;
use super::rabbitmq::QUEUE_COLUMNS;
use super::stats::{QueueFigures, blocked_connections, num, queue_list, str_of};
use crate::i18n::Lang;

/// Why a poll produced no snapshot; `describe(lang)` is one line for the
/// panel, in the incident's language (Display: English).
pub type BrokerError = super::mgmt::ApiError;

/// One alarm in effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    /// `memory` or `disk space`.
    pub resource: String,
    /// Node name.
    pub node: String,
}

/// What the broker panel shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BrokerSnapshot {
    /// Node name (first node of `/api/nodes`).
    pub node: String,
    /// Whether that node reports running.
    pub running: bool,
    /// RabbitMQ version.
    pub version: String,
    /// Alarms in effect (live health endpoint).
    pub alarms: Vec<Alarm>,
    /// Memory used, bytes.
    pub mem_used: u64,
    /// Memory high watermark, bytes.
    pub mem_limit: u64,
    /// Disk free, bytes.
    pub disk_free: u64,
    /// Disk free limit, bytes.
    pub disk_free_limit: u64,
    /// Open connections.
    pub connections: u64,
    /// Blocked/blocking connections, as "state user (name)".
    pub blocked: Vec<String>,
    /// Messages in all queues.
    pub messages: u64,
    /// Ready messages in all queues.
    pub messages_ready: u64,
    /// Unacknowledged messages in all queues.
    pub messages_unacked: u64,
    /// The five deepest queues, deepest first.
    pub top_queues: Vec<QueueFigures>,
    /// Messages published per second.
    pub publish_rate: f64,
    /// Messages delivered per second (deliver_get).
    pub deliver_rate: f64,
}

/// Polls the management API: alarms, nodes, overview, connections and the
/// deepest queues, requested concurrently, each bounded by `timeout`. An
/// error's details are in `lang` (show it with `describe(lang)`).
pub async fn poll(
    api: &str,
    user: &str,
    password: &str,
    timeout: Duration,
    lang: Lang,
) -> Result<BrokerSnapshot, BrokerError> {
    let api = Api::new(api, user, password, timeout).in_lang(lang);
    let queues_path = format!(
        "/api/queues?page=1&page_size=5&sort=messages&sort_reverse=true&columns={QUEUE_COLUMNS}"
    );
    let (alarms, nodes, overview, conns, queues) = tokio::join!(
        api.get("/api/health/checks/alarms"),
        api.get_ok("/api/nodes?columns=name,running,mem_used,mem_limit,disk_free,disk_free_limit"),
        api.get_ok("/api/overview"),
        api.get_ok("/api/connections?columns=name,user,state,client_properties.connection_name"),
        api.get_ok(&queues_path),
    );
    let (_, alarms) = alarms?;
    Ok(snapshot(&alarms, &nodes?, &overview?, &conns?, &queues?))
}

/// Builds a snapshot from the five answers (pure; unit-tested).
pub fn snapshot(
    alarms: &Value,
    nodes: &Value,
    overview: &Value,
    conns: &Value,
    queues: &Value,
) -> BrokerSnapshot {
    let node = nodes
        .as_array()
        .and_then(|a| a.first())
        .cloned()
        .unwrap_or(Value::Null);
    let qt = overview.get("queue_totals").cloned().unwrap_or(Value::Null);
    let ms = overview
        .get("message_stats")
        .cloned()
        .unwrap_or(Value::Null);
    let rate = |key: &str| {
        ms.get(key)
            .and_then(|d| d.get("rate"))
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
    };
    BrokerSnapshot {
        node: str_of(&node, "name").to_string(),
        running: node
            .get("running")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        version: str_of(overview, "rabbitmq_version").to_string(),
        alarms: alarms
            .get("alarms")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|al| Alarm {
                        resource: str_of(al, "resource").to_string(),
                        node: str_of(al, "node").to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        mem_used: num(&node, "mem_used").unwrap_or(0),
        mem_limit: num(&node, "mem_limit").unwrap_or(0),
        disk_free: num(&node, "disk_free").unwrap_or(0),
        disk_free_limit: num(&node, "disk_free_limit").unwrap_or(0),
        connections: conns.as_array().map_or(0, |a| a.len() as u64),
        blocked: blocked_connections(conns),
        messages: num(&qt, "messages").unwrap_or(0),
        messages_ready: num(&qt, "messages_ready").unwrap_or(0),
        messages_unacked: num(&qt, "messages_unacknowledged").unwrap_or(0),
        top_queues: queue_list(queues).into_iter().take(5).collect(),
        publish_rate: rate("publish_details"),
        deliver_rate: rate("deliver_get_details"),
    }
}
