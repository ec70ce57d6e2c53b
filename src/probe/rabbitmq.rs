//! `rabbitmq: { check, api, user, password, port }` — questions answered by
//! the management API. Alarms, vhosts and listeners use the live
//! `/api/health/checks/…` endpoints (`/api/nodes` lags 5–10 s behind an alarm).
//! Evaluation is split from fetching so it is unit-tested with canned JSON.

use serde_json::Value;

use super::mgmt::{Api, ApiError};
use super::stats::{self, num, str_of};
use super::{CheckOutcome, ProbeContext};
use crate::i18n::{Lang, tr, trf};
use crate::runbook::{RabbitmqCheck, RabbitmqCheckKind};

/// Default management API when neither the check nor the runbook names one.
pub const DEFAULT_API: &str = "http://127.0.0.1:15672";

/// Columns asked of `/api/queues` (keeps the answer small on big brokers).
pub const QUEUE_COLUMNS: &str =
    "name,vhost,messages,messages_ready,messages_unacknowledged,consumers";
/// Columns asked of `/api/connections`.
pub const CONNECTION_COLUMNS: &str =
    "name,user,vhost,state,peer_host,peer_port,client_properties.connection_name";

/// Runs the check.
pub async fn check(spec: &RabbitmqCheck, ctx: &ProbeContext) -> CheckOutcome {
    let base = spec
        .api
        .as_deref()
        .or(ctx.mgmt_url.as_deref())
        .unwrap_or(DEFAULT_API);
    let user = spec
        .user
        .as_deref()
        .or(ctx.mgmt_user.as_deref())
        .unwrap_or("guest");
    let password = spec
        .password
        .as_deref()
        .or(ctx.mgmt_password.as_deref())
        .unwrap_or("guest");
    let lang = ctx.lang;
    let api = Api::new(base, user, password, ctx.timeout).in_lang(lang);
    let result = match spec.check {
        RabbitmqCheckKind::Alarms => api
            .get("/api/health/checks/alarms")
            .await
            .map(|(s, v)| alarms(s, &v, false, lang)),
        RabbitmqCheckKind::LocalAlarms => api
            .get("/api/health/checks/local-alarms")
            .await
            .map(|(s, v)| alarms(s, &v, true, lang)),
        RabbitmqCheckKind::Vhosts => api
            .get("/api/health/checks/virtual-hosts")
            .await
            .map(|(s, v)| vhosts(s, &v, lang)),
        RabbitmqCheckKind::Listener => match spec.port {
            None => {
                return CheckOutcome::error(
                    tr(lang, "the listener check needs `port:` (e.g. 5672)"),
                    "",
                );
            }
            Some(port) => api
                .get(&format!("/api/health/checks/port-listener/{port}"))
                .await
                .map(|(s, v)| listener(port, s, &v, lang)),
        },
        RabbitmqCheckKind::Node => api
            .get_ok("/api/nodes")
            .await
            .map(|v| stats::nodes(&v, lang)),
        RabbitmqCheckKind::Queues => api
            .get_ok(&format!("/api/queues?columns={QUEUE_COLUMNS}"))
            .await
            .map(|v| stats::queues(&v, &ctx.thresholds, lang)),
        RabbitmqCheckKind::Connections => api
            .get_ok(&format!("/api/connections?columns={CONNECTION_COLUMNS}"))
            .await
            .map(|v| stats::connections(&v, &ctx.thresholds, lang)),
        RabbitmqCheckKind::Overview => api
            .get_ok("/api/overview")
            .await
            .map(|v| overview(&v, lang)),
    };
    result.unwrap_or_else(|e| api_error_outcome(&e, &api.shown(), lang))
}

/// An API failure as an Error outcome: the check could not be evaluated.
pub fn api_error_outcome(e: &ApiError, shown: &str, lang: Lang) -> CheckOutcome {
    CheckOutcome::error(
        trf(
            lang,
            "could not ask the management API: {}",
            &[&e.describe(lang)],
        ),
        format!("api {shown}"),
    )
}

/// A health-check answer that is neither 200 nor 503; `what` is the check,
/// already in `lang`.
fn unexpected(what: &str, status: u16, v: &Value, lang: Lang) -> CheckOutcome {
    CheckOutcome::error(
        trf(
            lang,
            "could not evaluate {}: the management API answered HTTP {}",
            &[&what, &status],
        ),
        super::text::excerpt(&v.to_string(), 2048, lang),
    )
}

/// `/api/health/checks/alarms` and `local-alarms`: 200 = none, 503 = alarms,
/// body `{"alarms":[{"node":…,"resource":"memory"|"disk space"}]}`.
pub fn alarms(status: u16, v: &Value, local: bool, lang: Lang) -> CheckOutcome {
    let scope = if local {
        tr(lang, "on this node")
    } else {
        tr(lang, "in the cluster")
    };
    match status {
        200 => CheckOutcome::pass(trf(lang, "no resource alarms {}", &[&scope]), v.to_string()),
        503 => {
            let list: Vec<String> = v
                .get("alarms")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|al| {
                            let res = match str_of(al, "resource") {
                                "disk space" | "disk" => {
                                    tr(lang, "disk (free disk space below the limit)")
                                }
                                "memory" => tr(lang, "memory (memory high watermark reached)"),
                                other => other,
                            };
                            trf(lang, "{} on {}", &[&res, &str_of(al, "node")])
                        })
                        .collect()
                })
                .unwrap_or_default();
            let what = if list.is_empty() {
                str_of(v, "reason").to_string()
            } else {
                list.join(super::text::list_sep(lang))
            };
            CheckOutcome::fail(
                trf(
                    lang,
                    "resource alarm {}: {} — publishers are blocked",
                    &[&scope, &what],
                ),
                v.to_string(),
            )
        }
        s => unexpected(tr(lang, "the alarms health check"), s, v, lang),
    }
}

/// `/api/health/checks/virtual-hosts`: 503 lists the vhosts that are down.
pub fn vhosts(status: u16, v: &Value, lang: Lang) -> CheckOutcome {
    match status {
        200 => CheckOutcome::pass(tr(lang, "all virtual hosts are running"), v.to_string()),
        503 => {
            let down: Vec<&str> = v
                .get("virtual-hosts")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            CheckOutcome::fail(
                trf(
                    lang,
                    "virtual hosts down: {} (rabbitmqctl restart_vhost -p <vhost>)",
                    &[&down.join(", ")],
                ),
                v.to_string(),
            )
        }
        s => unexpected(tr(lang, "the virtual-hosts health check"), s, v, lang),
    }
}

/// `/api/health/checks/port-listener/<port>`.
pub fn listener(port: u16, status: u16, v: &Value, lang: Lang) -> CheckOutcome {
    match status {
        200 => CheckOutcome::pass(
            trf(lang, "the broker has a listener on port {}", &[&port]),
            v.to_string(),
        ),
        503 => {
            let ports = v.get("ports").map(Value::to_string).unwrap_or_default();
            CheckOutcome::fail(
                trf(
                    lang,
                    "no listener on port {}; the broker listens on {}",
                    &[&port, &ports],
                ),
                v.to_string(),
            )
        }
        s => unexpected(tr(lang, "the port-listener health check"), s, v, lang),
    }
}

/// `/api/overview`: versions and totals; passes whenever it answers.
pub fn overview(v: &Value, lang: Lang) -> CheckOutcome {
    let ot = v.get("object_totals").cloned().unwrap_or(Value::Null);
    let qt = v.get("queue_totals").cloned().unwrap_or(Value::Null);
    let summary = trf(
        lang,
        "RabbitMQ {} (Erlang {}) on {}: {} connections, {} queues, {} messages",
        &[
            &str_of(v, "rabbitmq_version"),
            &str_of(v, "erlang_version"),
            &str_of(v, "node"),
            &num(&ot, "connections").unwrap_or(0),
            &num(&ot, "queues").unwrap_or(0),
            &num(&qt, "messages").unwrap_or(0),
        ],
    );
    let evidence = trf(
        lang,
        "cluster {}; management {}; channels {}; consumers {}; exchanges {}; messages ready {} unacked {}",
        &[
            &str_of(v, "cluster_name"),
            &str_of(v, "management_version"),
            &num(&ot, "channels").unwrap_or(0),
            &num(&ot, "consumers").unwrap_or(0),
            &num(&ot, "exchanges").unwrap_or(0),
            &num(&qt, "messages_ready").unwrap_or(0),
            &num(&qt, "messages_unacknowledged").unwrap_or(0),
        ],
    );
    CheckOutcome::pass(summary, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::CheckStatus;
    use serde_json::json;

    #[test]
    fn alarms_name_resource_and_node() {
        assert_eq!(
            alarms(200, &json!({"status":"ok"}), false, Lang::En).status,
            CheckStatus::Pass
        );
        let body = json!({"status":"failed","reason":"There are alarms in effect in the cluster",
            "alarms":[{"node":"rabbit@h","resource":"disk space"},{"node":"rabbit@h","resource":"memory"}]});
        let o = alarms(503, &body, false, Lang::En);
        assert_eq!(o.status, CheckStatus::Fail);
        assert!(
            o.summary
                .contains("disk (free disk space below the limit) on rabbit@h"),
            "{}",
            o.summary
        );
        assert!(
            o.summary
                .contains("memory (memory high watermark reached) on rabbit@h"),
            "{}",
            o.summary
        );
        assert_eq!(
            alarms(500, &Value::Null, true, Lang::En).status,
            CheckStatus::Error
        );
    }

    #[test]
    fn vhosts_and_listener() {
        let o = vhosts(
            503,
            &json!({"status":"failed","reason":"Some virtual hosts are down","virtual-hosts":["v2"]}),
            Lang::En,
        );
        assert_eq!(o.status, CheckStatus::Fail);
        assert!(o.summary.contains("v2"));
        let o = listener(
            5673,
            503,
            &json!({"status":"failed","missing":5673,"ports":[25672,5672,15672]}),
            Lang::En,
        );
        assert_eq!(
            o.summary,
            "no listener on port 5673; the broker listens on [25672,5672,15672]"
        );
        assert_eq!(
            listener(5672, 200, &json!({"status":"ok"}), Lang::En).status,
            CheckStatus::Pass
        );
    }

    #[test]
    fn overview_summarises_versions() {
        let v = json!({"rabbitmq_version":"3.10.8","erlang_version":"25.2.3","node":"rabbit@h",
            "object_totals":{"connections":2,"queues":3},"queue_totals":{"messages":7}});
        assert_eq!(
            overview(&v, Lang::En).summary,
            "RabbitMQ 3.10.8 (Erlang 25.2.3) on rabbit@h: 2 connections, 3 queues, 7 messages"
        );
        let zh = overview(&v, Lang::Zh);
        assert_eq!(
            zh.summary,
            "RabbitMQ 3.10.8（Erlang 25.2.3），节点 rabbit@h：2 个连接，3 个队列，7 条消息"
        );
        assert!(
            zh.evidence.starts_with("集群 ?；管理插件 ?；"),
            "{}",
            zh.evidence
        );
    }

    #[test]
    fn a_chinese_incident_reads_alarms_and_listeners_in_chinese() {
        let body = json!({"status":"failed","alarms":[{"node":"rabbit@h","resource":"memory"}]});
        assert_eq!(
            alarms(503, &body, false, Lang::Zh).summary,
            "集群中有资源告警：内存（内存达到高水位线），节点 rabbit@h——生产者被阻塞"
        );
        assert_eq!(
            alarms(200, &json!({"status":"ok"}), true, Lang::Zh).summary,
            "本节点没有资源告警"
        );
        assert_eq!(
            alarms(500, &Value::Null, true, Lang::Zh).summary,
            "无法评估告警健康检查：管理 API 返回了 HTTP 500"
        );
        assert_eq!(
            listener(5673, 503, &json!({"ports":[5672]}), Lang::Zh).summary,
            "端口 5673 上没有监听；broker 监听的端口为 [5672]"
        );
        assert_eq!(
            vhosts(200, &json!({}), Lang::Zh).summary,
            "所有 vhost 都在运行"
        );
    }
}
