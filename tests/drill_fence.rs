//! The drill fence, spelling by spelling: every row is a command line and
//! whether a drill refuses it (`Refuse`) or lets it through (`Allow`, where
//! the danger net may still ask for a typed confirmation). Then every command
//! of the shipped runbooks rendered with sandbox vars: allowed, except the
//! few that really touch the live service (listed, with why).

use runbook::drill::fence::Fence;
use runbook::runbook::embedded;
use runbook::runbook::template::resolve_vars;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Allow,
    Refuse,
}
use Verdict::{Allow, Refuse};

const NODE: &str = "drill-1a2b3c@localhost";

fn fence() -> Fence {
    Fence::new(
        vec![NODE.into(), "drill-1a2b3c-2@localhost".into()],
        vec![5673, 15673, 15693, 25673],
    )
}

const TABLE: &[(&str, Verdict)] = &[
    // ── the sandbox itself: allowed
    ("rabbitmqctl status", Allow),
    ("rabbitmq-diagnostics -q check_running", Allow),
    ("rabbitmqctl -n drill-1a2b3c@localhost status", Allow),
    (
        "rabbitmqctl --node drill-1a2b3c@localhost cluster_status",
        Allow,
    ),
    ("rabbitmqctl --node=drill-1a2b3c status", Allow),
    (
        "rabbitmq-diagnostics -n drill-1a2b3c-2@localhost ping",
        Allow,
    ),
    (
        "RABBITMQ_NODENAME=drill-1a2b3c@localhost rabbitmqctl status",
        Allow,
    ),
    ("rabbitmqctl set_vm_memory_high_watermark 0.4", Allow),
    ("rabbitmqctl purge_queue -p orders orders.created", Allow),
    (
        "rabbitmqctl eval 'erlang:disconnect_node(drill-1a2b3c-2@localhost).'",
        Allow,
    ),
    (
        "curl -s -u guest:guest http://127.0.0.1:15673/api/overview",
        Allow,
    ),
    (
        "ss -tlnp | grep -E ':(5673|15673|15693|25673|4369)$'",
        Allow,
    ),
    ("nc -z 127.0.0.1 5673", Allow),
    ("epmd -names", Allow),
    ("cat /etc/rabbitmq/rabbitmq.conf", Allow),
    (
        "grep -i error /var/lib/rabbitmq/mnesia/x.log | tail -n 20",
        Allow,
    ),
    ("cp -a /etc/rabbitmq /tmp/backup/etc-rabbitmq", Allow),
    ("cat /proc/5672/limits", Allow),
    ("ping -c 1 127.0.0.1", Allow),
    ("rm -rf /tmp/drill/backup/old", Allow),
    ("echo hi > /tmp/drill/out.txt", Allow),
    ("journalctl -n 50 --no-pager", Allow),
    ("systemctl status nginx", Allow),
    ("pgrep -a beam.smp", Allow),
    (
        "find /tmp/drill/log -name '*.log.*' -mtime +2 -delete",
        Allow,
    ),
    ("sed -n '1,40p' /etc/rabbitmq/rabbitmq.conf", Allow),
    // ── another node
    ("rabbitmqctl -n rabbit@localhost status", Refuse),
    ("rabbitmqctl -nrabbit@localhost status", Refuse),
    ("rabbitmqctl -n=rabbit@localhost status", Refuse),
    ("rabbitmqctl --node rabbit@localhost stop_app", Refuse),
    ("rabbitmqctl --node=rabbit@host list_queues", Refuse),
    ("rabbitmq-diagnostics -n rabbit ping", Refuse),
    ("rabbitmq-plugins -n rabbit@localhost list", Refuse),
    (
        "rabbitmq-queues -n rabbit@localhost quorum_status q",
        Refuse,
    ),
    (
        "RABBITMQ_NODENAME=rabbit@localhost rabbitmqctl status",
        Refuse,
    ),
    (
        "env RABBITMQ_NODENAME=rabbit@localhost rabbitmqctl status",
        Refuse,
    ),
    (
        "export RABBITMQ_NODENAME=rabbit@localhost; rabbitmqctl status",
        Refuse,
    ),
    ("sudo rabbitmqctl -n rabbit@localhost status", Refuse),
    (
        "timeout 20 rabbitmqctl -q -n rabbit@localhost cluster_status",
        Refuse,
    ),
    ("sh -c 'rabbitmqctl -n rabbit@localhost status'", Refuse),
    (
        "bash -c \"df -h; rabbitmqctl --node rabbit@localhost status\"",
        Refuse,
    ),
    ("echo $(rabbitmqctl -n rabbit@localhost status)", Refuse),
    (
        "if true; then rabbitmqctl -n rabbit@localhost stop_app; fi",
        Refuse,
    ),
    (
        "rabbitmqctl stop_app; rabbitmqctl -n rabbit@localhost status",
        Refuse,
    ),
    ("rabbitmqctl forget_cluster_node rabbit@localhost", Refuse),
    ("rabbitmqctl join_cluster rabbit@otherhost", Refuse),
    (
        "rabbitmqctl eval 'rpc:call(rabbit@localhost, init, stop, []).'",
        Refuse,
    ),
    ("rabbitmqctl -n \"$NODE\" status", Refuse),
    ("n=rabbit@localhost; rabbitmqctl -n \"$n\" status", Refuse),
    (
        "n=drill-1a2b3c@localhost; rabbitmqctl -n \"$n\" status",
        Allow,
    ),
    ("rabbitmq-queues grow rabbit@localhost even", Refuse),
    ("rabbitmq-queues grow drill-1a2b3c-2@localhost even", Allow),
    (
        "RABBITMQ_CONF_ENV_FILE=/etc/rabbitmq/rabbitmq-env.conf rabbitmqctl status",
        Refuse,
    ),
    // ── live ports
    ("curl -s http://127.0.0.1:15672/api/overview", Refuse),
    (
        "curl -s -u guest:guest http://localhost:15672/api/queues",
        Refuse,
    ),
    ("curl -s http://localhost:15692/metrics", Refuse),
    ("rabbitmqadmin --port 15672 list queues", Refuse),
    ("rabbitmqadmin --port=15672 list queues", Refuse),
    ("nc -z 127.0.0.1 5672", Refuse),
    ("ss -tlnp | grep ':5672'", Refuse),
    ("ss -tlnp | grep -E ':(5673|15672)$'", Refuse),
    ("grep -E '5672|15673' x", Refuse),
    (
        "amqp-publish -u amqp://guest:guest@localhost:5672/ -r q -b hi",
        Refuse,
    ),
    ("timeout 5 bash -c '</dev/tcp/127.0.0.1/25672'", Refuse),
    ("timeout 5 bash -c '</dev/tcp/127.0.0.1/25673'", Allow),
    ("telnet 127.0.0.1 25672", Refuse),
    // A bare word equal to a live port is refused whatever it means: the
    // fence reads text, it does not know every program's options.
    ("tail -n 5672 /var/log/rabbitmq/x.log", Refuse),
    (
        "openssl s_client -connect localhost:5671 </dev/null",
        Refuse,
    ),
    ("curl -s http://127.0.0.1:15671/api/overview", Refuse),
    // ── writes under the live node's directories
    ("echo x >> /etc/rabbitmq/rabbitmq.conf", Refuse),
    ("echo x > /var/lib/rabbitmq/.erlang.cookie", Refuse),
    ("echo x &> /etc/rabbitmq/x", Refuse),
    ("cp /tmp/rabbitmq.conf /etc/rabbitmq/rabbitmq.conf", Refuse),
    ("cp -t /etc/rabbitmq /tmp/a.conf", Refuse),
    ("install -m 644 /tmp/a /etc/rabbitmq/a", Refuse),
    ("mv /etc/rabbitmq/rabbitmq.conf /tmp/", Refuse),
    ("rm -rf /var/lib/rabbitmq/mnesia", Refuse),
    ("rm -f /var/lib/rabbitmq/../rabbitmq/mnesia/x", Refuse),
    ("rm -f //etc//rabbitmq/x", Refuse),
    ("rm -f ~rabbitmq/.erlang.cookie", Refuse),
    ("echo x | tee -a /etc/rabbitmq/rabbitmq.conf", Refuse),
    ("sed -i 's/a/b/' /etc/rabbitmq/rabbitmq.conf", Refuse),
    ("chmod 600 /var/lib/rabbitmq/.erlang.cookie", Refuse),
    ("chown rabbitmq: /etc/rabbitmq/enabled_plugins", Refuse),
    ("truncate -s 0 /var/lib/rabbitmq/x", Refuse),
    ("touch /etc/rabbitmq/x", Refuse),
    (
        "dd if=/dev/zero of=/var/lib/rabbitmq/fill bs=1M count=1",
        Refuse,
    ),
    ("find /var/lib/rabbitmq -name '*.tmp' -delete", Refuse),
    ("find /etc/rabbitmq -type f -exec chmod 600 {} +", Refuse),
    ("cd /etc/rabbitmq && rm x.conf", Refuse),
    ("sudo sh -c 'echo y > /etc/rabbitmq/y'", Refuse),
    ("xargs rm -f /etc/rabbitmq/a < list", Refuse),
    // ── the live service
    ("systemctl restart rabbitmq-server", Refuse),
    ("systemctl status rabbitmq-server --no-pager", Refuse),
    ("systemctl stop rabbitmq-server.service", Refuse),
    ("service rabbitmq-server start", Refuse),
    ("sudo service rabbitmq-server stop", Refuse),
    ("/etc/init.d/rabbitmq-server restart", Refuse),
    ("pkill beam.smp", Refuse),
    ("killall -9 epmd", Refuse),
    ("pkill -f rabbit", Refuse),
    // ── cannot be read
    ("echo 'unclosed", Refuse),
    ("sh -c 'echo \"unclosed'", Refuse),
];

#[test]
fn every_spelling_in_the_table_gets_its_verdict() {
    let f = fence();
    let wrong: Vec<String> = TABLE
        .iter()
        .filter_map(|(line, want)| {
            let why = f.refusal(line);
            let got = if why.is_some() { Refuse } else { Allow };
            (got != *want).then(|| format!("  {line:?}: want {want:?}, got {got:?} ({why:?})"))
        })
        .collect();
    assert!(TABLE.len() >= 60, "only {} rows", TABLE.len());
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn reasons_name_what_was_found() {
    let f = fence();
    for (line, needle) in [
        ("rabbitmqctl -n rabbit@localhost status", "rabbit@localhost"),
        ("curl http://127.0.0.1:15672/api/overview", "15672"),
        ("echo x > /etc/rabbitmq/a", "/etc/rabbitmq"),
        ("rm -rf /var/lib/rabbitmq/mnesia", "/var/lib/rabbitmq"),
        ("systemctl restart rabbitmq-server", "rabbitmq-server"),
        ("echo 'unclosed", "cannot be read"),
    ] {
        let why = f.refusal(line).unwrap_or_default();
        assert!(why.contains(needle), "{line}: {why:?} should name {needle}");
    }
}

#[test]
fn live_ports_are_data() {
    let f = fence().with_live_ports(vec![6000]);
    assert!(f.refusal("nc -z 127.0.0.1 6000").is_some());
    assert_eq!(f.refusal("nc -z 127.0.0.1 5672"), None);
    // A sandbox port is never fenced, even when listed as live.
    let f = fence().with_live_ports(vec![5673]);
    assert_eq!(f.refusal("nc -z 127.0.0.1 5673"), None);
}

/// Shipped commands a drill refuses, and why: they really touch the live
/// node's service or files whatever the vars say.
const REFUSED_SHIPPED: &[(&str, &str)] = &[
    ("service/service-status", "systemctl status rabbitmq-server"),
    ("service/start", "starts the rabbitmq-server service"),
    (
        "temporary-fix/restart",
        "restarts the rabbitmq-server service",
    ),
];

/// Every command of the shipped runbooks, rendered with the sandbox's vars.
#[test]
fn shipped_commands_with_sandbox_vars_are_allowed_unless_they_touch_the_service() {
    let f = fence();
    let sandbox: Vec<(String, String)> = [
        ("host", "127.0.0.1"),
        ("amqp_port", "5673"),
        ("mgmt_port", "15673"),
        ("dist_port", "25673"),
        ("node", NODE),
        ("vhost", "orders"),
        ("queue", "orders.created"),
        ("app_user", "orders_app"),
        ("log_dir", "/tmp/drill-1a2b3c/n1/log"),
        ("data_dir", "/tmp/drill-1a2b3c/n1/mnesia"),
        ("backup_dir", "/tmp/drill-1a2b3c/backup"),
        ("config_dir", "/tmp/drill-1a2b3c/n1"),
        ("cron_file", "/tmp/drill-1a2b3c/cron"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mut wrong = Vec::new();
    let mut seen = 0;
    for (name, _) in embedded::all() {
        let rb = match embedded::load(name) {
            Some(Ok(l)) => l.runbook,
            other => panic!("{name} does not load: {:?}", other.map(|r| r.err())),
        };
        let vars = resolve_vars(&rb, &sandbox, &|_| None).expect("sandbox vars resolve");
        for step in &rb.steps {
            for c in &step.commands {
                seen += 1;
                let id = format!("{}/{}", step.id, c.id);
                let line = vars.render_shell(&c.run);
                let why = f.refusal(&line);
                let want = REFUSED_SHIPPED.iter().any(|(r, _)| *r == id);
                if why.is_some() != want {
                    wrong.push(format!("  {name} {id}: want refused={want}, got {why:?}"));
                }
            }
        }
    }
    assert!(seen > 100, "only {seen} shipped commands");
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// A Chinese drill's fence says why in Chinese (the trainee's screen and the
/// journal show it as said), naming the command and the path as written.
#[test]
fn a_chinese_drill_is_told_why_in_chinese() {
    use runbook::i18n::Lang;
    let zh = fence().in_lang(Lang::Zh);
    for (line, want) in [
        (
            "systemctl restart rabbitmq-server",
            "会操作生产环境的 rabbitmq-server 服务（`systemctl`）",
        ),
        ("pkill beam.smp", "会按名称杀死 `beam.smp` 进程"),
        (
            "echo x > /etc/rabbitmq/rabbitmq.conf",
            "会写入 /etc/rabbitmq",
        ),
        (
            "rabbitmqctl -n rabbit@prod1 stop_app",
            "指定了节点 rabbit@prod1",
        ),
    ] {
        let why = zh
            .refusal(line)
            .unwrap_or_else(|| panic!("{line} let through"));
        assert!(why.contains(want), "{line}: {why}");
        let en = fence().refusal(line).expect("refused in English too");
        assert!(en.is_ascii(), "{line}: the default stays English: {en}");
    }
}
