//! Evaluation of management-API answers and host samples with canned data
//! (no broker needed): what the operator reads in summaries.

use runbook::i18n::Lang;
use runbook::incident::CheckStatus;
use runbook::probe::broker::snapshot;
use runbook::probe::resources::{ResourceSample, evaluate};
use runbook::probe::stats::{connections, nodes, queues};
use runbook::runbook::{CriticalThresholds, Thresholds};
use serde_json::json;

fn node(extra: serde_json::Value) -> serde_json::Value {
    let mut n = json!({"name":"rabbit@h","running":true,"mem_used":140_000_000u64,"mem_limit":10_000_000_000u64,
        "mem_alarm":false,"disk_free":20_000_000_000u64,"disk_free_limit":50_000_000u64,"disk_free_alarm":false,
        "fd_used":40,"fd_total":1024,"sockets_used":1,"sockets_total":829,"proc_used":400,"proc_total":1_048_576,"partitions":[]});
    if let (Some(o), Some(e)) = (n.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            o.insert(k.clone(), v.clone());
        }
    }
    json!([n])
}

#[test]
fn node_limits_partitions_and_running() {
    let o = nodes(&node(json!({})), Lang::En);
    assert_eq!(o.status, CheckStatus::Pass, "{o:?}");
    assert!(
        o.evidence.contains("file descriptors 40/1024 (4%)"),
        "{}",
        o.evidence
    );
    let o = nodes(&node(json!({"partitions":["rabbit@other"]})), Lang::En);
    assert_eq!(o.status, CheckStatus::Fail);
    assert_eq!(o.summary, "rabbit@h is partitioned from rabbit@other");
    let o = nodes(&node(json!({"fd_used":1000})), Lang::En);
    assert_eq!(o.status, CheckStatus::Fail);
    assert!(
        o.summary.contains("file descriptors at 98% of the limit"),
        "{}",
        o.summary
    );
    let o = nodes(&node(json!({"sockets_used":700})), Lang::En);
    assert_eq!(o.status, CheckStatus::Warn, "{o:?}");
    let o = nodes(
        &node(json!({"mem_alarm":true,"mem_used":11_000_000_000u64})),
        Lang::En,
    );
    assert!(
        o.status == CheckStatus::Fail && o.summary.contains("memory alarm"),
        "{o:?}"
    );
    let o = nodes(&node(json!({"disk_free":10_000_000u64})), Lang::En);
    assert!(
        o.status == CheckStatus::Fail && o.summary.contains("disk alarm"),
        "{o:?}"
    );
    let o = nodes(&node(json!({"running":false})), Lang::En);
    assert_eq!(o.summary, "rabbit@h is not running");
    assert_eq!(nodes(&json!([]), Lang::En).status, CheckStatus::Error);
}

fn q(vhost: &str, name: &str, messages: u64, unacked: u64, consumers: u64) -> serde_json::Value {
    json!({"vhost":vhost,"name":name,"messages":messages,"messages_ready":messages - unacked,
        "messages_unacknowledged":unacked,"consumers":consumers})
}

#[test]
fn queue_backlog_consumers_and_unacked() {
    let t = Thresholds::default();
    let list = json!([
        q("/", "small", 3, 0, 1),
        q("/", "big", 12_000, 0, 0),
        q("orders", "stuck", 1500, 1500, 1),
        q("/", "a", 1, 0, 1),
        q("/", "b", 1, 0, 1),
        q("/", "c", 1, 0, 1)
    ]);
    let o = queues(&list, &t, Lang::En);
    assert_eq!(o.status, CheckStatus::Fail);
    assert!(
        o.summary
            .starts_with("//big holds 12000 messages (limit 10000)"),
        "{}",
        o.summary
    );
    assert!(
        o.summary.contains("orders/stuck has 1500 unacknowledged"),
        "{}",
        o.summary
    );
    let lines: Vec<&str> = o.evidence.lines().collect();
    assert_eq!(lines.len(), 6, "{}", o.evidence);
    assert!(lines[0].starts_with("//big: 12000 messages (12000 ready, 0 unacked), 0 consumers"));
    assert_eq!(lines[5], "… and 1 more queues");
    let crit = Thresholds {
        critical: Some(CriticalThresholds {
            queue_backlog: Some(20_000),
            ..Default::default()
        }),
        ..t.clone()
    };
    assert_eq!(queues(&list, &crit, Lang::En).status, CheckStatus::Warn);
    let idle = queues(&json!([q("/", "idle", 5, 0, 0)]), &t, Lang::En);
    assert!(
        idle.status == CheckStatus::Warn && idle.summary.contains("no consumer"),
        "{idle:?}"
    );
    assert_eq!(
        queues(&json!([q("/", "ok", 0, 0, 0)]), &t, Lang::En).status,
        CheckStatus::Pass
    );
    assert_eq!(
        queues(&json!({"error":"x"}), &t, Lang::En).status,
        CheckStatus::Error
    );
}

#[test]
fn connections_count_and_blocked() {
    let t = Thresholds {
        connections: 2,
        ..Thresholds::default()
    };
    let c = |state: &str, user: &str| json!({"name":format!("127.0.0.1:5000 -> 127.0.0.1:5672 ({user})"),"user":user,"state":state});
    assert_eq!(
        connections(&json!([c("running", "a")]), &t, Lang::En).status,
        CheckStatus::Pass
    );
    let o = connections(
        &json!([c("running", "a"), c("running", "b"), c("running", "c")]),
        &t,
        Lang::En,
    );
    assert_eq!(o.status, CheckStatus::Warn);
    assert_eq!(o.summary, "3 connections, above the threshold 2");
    let o = connections(
        &json!([c("blocked", "pub"), c("running", "b")]),
        &t,
        Lang::En,
    );
    assert_eq!(o.status, CheckStatus::Fail);
    assert!(o.summary.contains("blocked pub"), "{}", o.summary);
    // The name the client gave its connection names the application.
    let named = json!([{"name":"127.0.0.1:5000 -> 127.0.0.1:5672","user":"pub","state":"blocked",
        "client_properties":{"connection_name":"orders-publisher","product":"x"}}]);
    let o = connections(&named, &t, Lang::En);
    assert!(
        o.summary
            .contains("blocked pub \"orders-publisher\" (127.0.0.1:5000 -> 127.0.0.1:5672)"),
        "{}",
        o.summary
    );
}

fn sample(cpu: f64, mem_pct: u64, disk_pct: u64) -> ResourceSample {
    ResourceSample {
        cpu_percent: cpu,
        mem_used: mem_pct,
        mem_total: 100,
        disk_mount: "/var".into(),
        disk_used: disk_pct,
        disk_total: 100,
        load: [0.5, 0.4, 0.3],
        cpus: 2,
        beam: Some((42, 140 << 20, 3.0)),
    }
}

#[test]
fn resources_warn_at_threshold_fail_at_critical() {
    let t = Thresholds::default();
    let o = evaluate(&sample(10.0, 50, 40), &t, Lang::En);
    assert_eq!(o.status, CheckStatus::Pass, "{o:?}");
    assert!(
        o.evidence.contains("beam.smp pid 42: RSS 140 MiB"),
        "{}",
        o.evidence
    );
    let o = evaluate(&sample(95.0, 50, 95), &t, Lang::En);
    assert_eq!(o.status, CheckStatus::Warn);
    assert_eq!(o.summary, "CPU 95% > 80%; disk /var 95% > 90%");
    let crit = Thresholds {
        critical: Some(CriticalThresholds {
            disk_percent: Some(94.0),
            ..Default::default()
        }),
        ..t
    };
    let o = evaluate(&sample(10.0, 50, 95), &crit, Lang::En);
    assert_eq!(o.status, CheckStatus::Fail);
    assert_eq!(o.summary, "disk /var 95% > critical 94%");
}

#[test]
fn broker_snapshot_from_canned_answers() {
    let s = snapshot(
        &json!({"status":"failed","alarms":[{"node":"rabbit@h","resource":"memory"}]}),
        &node(json!({})),
        &json!({"rabbitmq_version":"3.10.8","queue_totals":{"messages":12,"messages_ready":10,"messages_unacknowledged":2},
            "message_stats":{"publish_details":{"rate":4.5},"deliver_get_details":{"rate":1.5}}}),
        &json!([{"name":"c1","user":"u","state":"blocked"},{"name":"c2","user":"v","state":"running"}]),
        &json!({"items":[q("/", "deep", 10, 0, 0), q("/", "shallow", 2, 2, 1)],"total_count":2}),
    );
    assert_eq!(s.alarms.len(), 1);
    assert_eq!(s.alarms[0].resource, "memory");
    assert!(s.running && s.node == "rabbit@h");
    assert_eq!((s.connections, s.blocked.len()), (2, 1));
    assert_eq!(
        (s.messages, s.messages_ready, s.messages_unacked),
        (12, 10, 2)
    );
    assert_eq!(s.top_queues[0].name, "deep");
    assert_eq!((s.publish_rate, s.deliver_rate), (4.5, 1.5));
}
