//! Probes against the real local RabbitMQ (127.0.0.1:5672, management on
//! 15672, guest/guest). Each test uses its own `rbtest_<pid>_…` names and
//! restores what it changed in a Drop guard; a file lock serialises the tests
//! of this binary so two broker-wide faults never overlap.

use std::collections::BTreeMap;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::process::Command;
use std::time::{Duration, Instant};

use runbook::i18n::Lang;
use runbook::incident::CheckStatus;
use runbook::probe::{self, CheckOutcome, ProbeContext, broker};
use runbook::runbook::{CheckKind, HttpCheck, RabbitmqCheck, RabbitmqCheckKind, Thresholds};

const API: &str = "http://127.0.0.1:15672";

/// Holds an exclusive flock for the test's duration.
struct BrokerLock(#[allow(dead_code)] File);

fn lock() -> BrokerLock {
    let f = File::create("/tmp/rbtest_probe_broker.lock").expect("lock file");
    // SAFETY: flock on a valid open fd; released when the File closes.
    let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock failed");
    BrokerLock(f)
}

fn name(what: &str) -> String {
    format!("rbtest_{}_{what}", std::process::id())
}

fn ctl(args: &[&str]) -> String {
    let out = Command::new("rabbitmqctl")
        .arg("-q")
        .args(args)
        .output()
        .expect("run rabbitmqctl");
    assert!(
        out.status.success(),
        "rabbitmqctl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs undo commands (rabbitmqctl argument lists) on drop, even after a panic.
#[derive(Default)]
struct Undo(Vec<Vec<String>>);

impl Undo {
    fn push(&mut self, args: &[&str]) {
        self.0.push(args.iter().map(|s| s.to_string()).collect());
    }
}

impl Drop for Undo {
    fn drop(&mut self) {
        for args in self.0.iter().rev() {
            let _ = Command::new("rabbitmqctl").arg("-q").args(args).output();
        }
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn ctx() -> ProbeContext {
    ProbeContext {
        mgmt_url: Some(API.into()),
        mgmt_user: Some("guest".into()),
        mgmt_password: Some("guest".into()),
        timeout: Duration::from_secs(5),
        ..ProbeContext::default()
    }
}

fn rmq(check: RabbitmqCheckKind) -> CheckKind {
    CheckKind::Rabbitmq(RabbitmqCheck {
        check,
        api: None,
        user: None,
        password: None,
        port: Some(5672),
    })
}

fn run(kind: &CheckKind, ctx: &ProbeContext) -> CheckOutcome {
    rt().block_on(probe::run_check(kind, ctx))
}

fn amqp(url: &str) -> CheckOutcome {
    run(&CheckKind::Amqp { url: url.into() }, &ctx())
}

fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Re-runs `kind` until `done` accepts the outcome or ~15 s pass (stats lag).
fn poll_until(
    kind: &CheckKind,
    ctx: &ProbeContext,
    done: impl Fn(&CheckOutcome) -> bool,
) -> CheckOutcome {
    let start = Instant::now();
    loop {
        let o = run(kind, ctx);
        if done(&o) || start.elapsed() > Duration::from_secs(15) {
            return o;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn healthy_broker_passes_every_check() {
    let _l = lock();
    for (label, kind) in RabbitmqCheckKind::ALL {
        let o = run(&rmq(kind), &ctx());
        assert_eq!(o.status, CheckStatus::Pass, "rabbitmq {label}: {o:?}");
    }
    let o = amqp("amqp://guest:guest@127.0.0.1:5672/%2F");
    assert_eq!(o.status, CheckStatus::Pass, "{o:?}");
    assert!(
        o.summary
            .contains("login as \"guest\" to vhost \"/\" works"),
        "{}",
        o.summary
    );
    assert!(
        !o.evidence.contains(":guest@"),
        "password leaked: {}",
        o.evidence
    );
    let o = run(
        &CheckKind::Tcp {
            target: "127.0.0.1:5672".into(),
        },
        &ctx(),
    );
    assert_eq!(o.status, CheckStatus::Pass, "{o:?}");
    let port = closed_port();
    let o = run(
        &CheckKind::Tcp {
            target: format!("127.0.0.1:{port}"),
        },
        &ctx(),
    );
    assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
    assert!(o.summary.contains("refused"), "{}", o.summary);
    let o = run(
        &CheckKind::Tcp {
            target: "no-such-host.invalid:5672".into(),
        },
        &ctx(),
    );
    assert!(
        o.summary.contains("name resolution failed"),
        "{}",
        o.summary
    );
    let http = HttpCheck {
        url: format!("{API}/api/health/checks/alarms"),
        status: None,
        user: Some("guest".into()),
        password: Some("guest".into()),
        json: BTreeMap::from([("/status".to_string(), serde_json::json!("ok"))]),
        contains: None,
    };
    let o = run(&CheckKind::Http(http), &ctx());
    assert_eq!(o.status, CheckStatus::Pass, "{o:?}");
    let o = run(
        &CheckKind::Resources {
            disk_path: Some("/var/lib".into()),
        },
        &ctx(),
    );
    assert_ne!(o.status, CheckStatus::Error, "{o:?}");
    assert!(o.evidence.contains("beam.smp pid"), "{}", o.evidence);
    let snap = rt()
        .block_on(broker::poll(
            API,
            "guest",
            "guest",
            Duration::from_secs(5),
            Lang::En,
        ))
        .expect("poll");
    assert!(
        snap.running && snap.alarms.is_empty() && snap.mem_limit > 0,
        "{snap:?}"
    );
}

#[test]
fn wrong_password_is_a_login_refusal_and_a_credentials_problem() {
    let _l = lock();
    let o = amqp("amqp://guest:wrongpw@127.0.0.1:5672/%2F");
    assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
    assert!(
        o.summary.contains("login refused for user \"guest\""),
        "{}",
        o.summary
    );
    assert!(
        !format!("{o:?}").contains("wrongpw"),
        "password leaked: {o:?}"
    );
    let mut c = ctx();
    c.mgmt_password = Some("wrongpw".into());
    let o = run(&rmq(RabbitmqCheckKind::Overview), &c);
    assert_eq!(o.status, CheckStatus::Error, "{o:?}");
    assert!(
        o.summary
            .contains("credentials rejected by the management API (wrong user or password"),
        "{}",
        o.summary
    );
    let err = rt()
        .block_on(broker::poll(
            API,
            "guest",
            "wrongpw",
            Duration::from_secs(5),
            Lang::En,
        ))
        .expect_err("bad password polled");
    assert!(err.to_string().starts_with("credentials rejected"), "{err}");
}

#[test]
fn missing_vhost_no_permissions_and_wrong_port_are_named() {
    let _l = lock();
    let mut undo = Undo::default();
    let user = name("noperm");
    ctl(&["add_user", &user, "pw123"]);
    undo.push(&["delete_user", &user]);
    let o = amqp(&format!("amqp://{user}:pw123@127.0.0.1:5672/%2F"));
    assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
    assert!(
        o.summary.contains("has no permissions on vhost \"/\""),
        "{}",
        o.summary
    );
    let vh = name("missing_vh");
    let o = amqp(&format!("amqp://guest:guest@127.0.0.1:5672/{vh}"));
    assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
    assert!(
        o.summary
            .contains(&format!("vhost \"{vh}\" does not exist")),
        "{}",
        o.summary
    );
    let mut short = ctx();
    short.timeout = Duration::from_secs(2);
    let o = run(
        &CheckKind::Amqp {
            url: "amqp://guest:guest@127.0.0.1:15672/".into(),
        },
        &short,
    );
    assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
    assert!(o.summary.contains("not an AMQP port"), "{}", o.summary);
}

#[test]
fn a_vhost_connection_limit_is_named_and_clears() {
    let _l = lock();
    let mut undo = Undo::default();
    let vh = name("limited_vh");
    ctl(&["add_vhost", &vh]);
    undo.push(&["delete_vhost", &vh]);
    ctl(&["set_permissions", "-p", &vh, "guest", ".*", ".*", ".*"]);
    ctl(&["set_vhost_limits", "-p", &vh, r#"{"max-connections": 0}"#]);
    let url = format!("amqp://guest:guest@127.0.0.1:5672/{vh}");
    let o = amqp(&url);
    assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
    assert!(
        o.summary
            .contains(&format!("connection limit of vhost \"{vh}\" reached")),
        "{}",
        o.summary
    );
    ctl(&["clear_vhost_limits", "-p", &vh]);
    let o = amqp(&url);
    assert_eq!(o.status, CheckStatus::Pass, "{o:?}");
}

#[test]
fn backlog_without_consumer_fails_naming_the_queue() {
    let _l = lock();
    let mut undo = Undo::default();
    let vh = name("vh");
    let q = name("backlog");
    ctl(&["add_vhost", &vh]);
    undo.push(&["delete_vhost", &vh]);
    ctl(&["set_permissions", "-p", &vh, "guest", ".*", ".*", ".*"]);
    let eval = format!(
        "Q = rabbit_misc:r(<<\"{vh}\">>, queue, <<\"{q}\">>), rabbit_amqqueue:declare(Q, true, false, [], none, <<\"cli\">>), \
         X = rabbit_misc:r(<<\"{vh}\">>, exchange, <<>>), \
         [rabbit_basic:publish(X, <<\"{q}\">>, [{{delivery_mode, 2}}], <<\"x\">>) || _ <- lists:seq(1, 12000)], ok."
    );
    ctl(&["eval", &eval]);
    let mut c = ctx();
    c.thresholds = Thresholds {
        queue_backlog: 10_000,
        critical: None,
        ..Thresholds::default()
    };
    let o = poll_until(&rmq(RabbitmqCheckKind::Queues), &c, |o| {
        o.status == CheckStatus::Fail
    });
    assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
    assert!(
        o.summary
            .contains(&format!("{vh}/{q} holds 12000 messages (limit 10000)")),
        "{}",
        o.summary
    );
    assert!(
        o.evidence.contains(&format!("{vh}/{q}: 12000 messages")),
        "{}",
        o.evidence
    );
    let snap = rt()
        .block_on(broker::poll(
            API,
            "guest",
            "guest",
            Duration::from_secs(5),
            Lang::En,
        ))
        .expect("poll");
    assert!(
        snap.top_queues
            .iter()
            .any(|t| t.name == q && t.messages == 12000),
        "{snap:?}"
    );
    // A higher critical level turns the same backlog into a warning.
    c.thresholds.critical = Some(runbook::runbook::CriticalThresholds {
        queue_backlog: Some(50_000),
        ..Default::default()
    });
    assert_eq!(
        run(&rmq(RabbitmqCheckKind::Queues), &c).status,
        CheckStatus::Warn
    );
}

/// Memory then disk alarm, one after the other in one test (broker-wide faults).
#[test]
fn memory_and_disk_alarms_fail_then_clear() {
    let _l = lock();
    let alarms = rmq(RabbitmqCheckKind::Alarms);
    let local = rmq(RabbitmqCheckKind::LocalAlarms);
    {
        let mut undo = Undo::default();
        undo.push(&["set_vm_memory_high_watermark", "0.4"]);
        ctl(&["set_vm_memory_high_watermark", "0.0001"]);
        let o = poll_until(&alarms, &ctx(), |o| o.status == CheckStatus::Fail);
        assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
        assert!(
            o.summary.contains("memory") && o.summary.contains("rabbit@"),
            "{}",
            o.summary
        );
        let o = run(&local, &ctx());
        assert!(
            o.status == CheckStatus::Fail && o.summary.contains("memory"),
            "{o:?}"
        );
        let snap = rt()
            .block_on(broker::poll(
                API,
                "guest",
                "guest",
                Duration::from_secs(5),
                Lang::En,
            ))
            .expect("poll");
        assert!(
            snap.alarms.iter().any(|a| a.resource == "memory"),
            "{snap:?}"
        );
    }
    let o = poll_until(&alarms, &ctx(), |o| o.status == CheckStatus::Pass);
    assert_eq!(
        o.status,
        CheckStatus::Pass,
        "memory alarm did not clear: {o:?}"
    );
    {
        let mut undo = Undo::default();
        undo.push(&["set_disk_free_limit", "50MB"]);
        ctl(&["set_disk_free_limit", "10000GB"]);
        let o = poll_until(&alarms, &ctx(), |o| o.status == CheckStatus::Fail);
        assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
        assert!(
            o.summary.contains("disk") && o.summary.contains("rabbit@"),
            "{}",
            o.summary
        );
    }
    let o = poll_until(&alarms, &ctx(), |o| o.status == CheckStatus::Pass);
    assert_eq!(
        o.status,
        CheckStatus::Pass,
        "disk alarm did not clear: {o:?}"
    );
}

#[test]
fn a_publisher_blocked_by_a_memory_alarm_fails_the_connections_check_naming_it() {
    use lapin::options::BasicPublishOptions;
    use lapin::{BasicProperties, Connection, ConnectionProperties};
    let _l = lock();
    let conns = rmq(RabbitmqCheckKind::Connections);
    // Its own runtime thread keeps the client connection serviced while the
    // test polls the management API.
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let label = name("publisher");
    let props = ConnectionProperties::default().with_connection_name(label.clone().into());
    let conn = client
        .block_on(Connection::connect(
            "amqp://guest:guest@127.0.0.1:5672/%2F",
            props,
        ))
        .expect("AMQP connection");
    let ch = client.block_on(conn.create_channel()).expect("channel");
    {
        let mut undo = Undo::default();
        undo.push(&["set_vm_memory_high_watermark", "0.4"]);
        ctl(&["set_vm_memory_high_watermark", "0.0001"]);
        // A publish while the alarm is on is what blocks a connection.
        let _ = client.block_on(ch.basic_publish(
            "".into(),
            name("nowhere").into(),
            BasicPublishOptions::default(),
            b"blocked?",
            BasicProperties::default(),
        ));
        let o = poll_until(&conns, &ctx(), |o| o.status == CheckStatus::Fail);
        assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
        assert!(
            o.summary.contains("blocked by flow control") && o.summary.contains(&label),
            "{}",
            o.summary
        );
    }
    // The alarm cleared: the connection flows again.
    let o = poll_until(&conns, &ctx(), |o| o.status == CheckStatus::Pass);
    assert_eq!(o.status, CheckStatus::Pass, "{o:?}");
    let _ = client.block_on(conn.close(200, "test done".into()));
}

#[test]
fn unreachable_management_api_is_an_error_not_a_pass() {
    let port = closed_port();
    let api = format!("http://127.0.0.1:{port}");
    let mut c = ctx();
    c.mgmt_url = Some(api.clone());
    for (label, kind) in RabbitmqCheckKind::ALL {
        let o = run(&rmq(kind), &c);
        assert_eq!(o.status, CheckStatus::Error, "rabbitmq {label}: {o:?}");
        assert!(
            o.summary.contains("management API unreachable")
                && o.summary.contains("is the plugin enabled?"),
            "{}",
            o.summary
        );
    }
    let err = rt()
        .block_on(broker::poll(
            &api,
            "guest",
            "guest",
            Duration::from_secs(2),
            Lang::En,
        ))
        .expect_err("polled nothing");
    assert!(err.to_string().contains("unreachable"), "{err}");
}

/// The node's log file, as the node reports it.
fn broker_log() -> std::path::PathBuf {
    let out = Command::new("rabbitmq-diagnostics")
        .args(["-q", "log_location"])
        .output()
        .expect("run rabbitmq-diagnostics log_location");
    assert!(out.status.success(), "log_location failed: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let path = text
        .lines()
        .map(str::trim)
        .find(|l| l.ends_with(".log"))
        .unwrap_or_else(|| panic!("no log file in {text:?}"));
    path.into()
}

/// The log's text after byte `from`.
fn log_since(path: &std::path::Path, from: u64) -> String {
    let bytes = std::fs::read(path).expect("read the broker log");
    let from = usize::try_from(from).unwrap_or(usize::MAX).min(bytes.len());
    String::from_utf8_lossy(&bytes[from..]).into_owned()
}

/// Issue 9: the AMQP check used to drop a sniffing TCP connection right after
/// the broker's greeting, which the broker logs as a warning that the
/// runbook's own log greps (grep-connections) then report as a problem.
#[test]
fn the_amqp_check_leaves_no_unexpectedly_closed_warning_in_the_broker_log() {
    let _l = lock();
    let log = broker_log();
    let from = std::fs::metadata(&log).expect("broker log").len();
    for _ in 0..3 {
        let o = amqp("amqp://guest:guest@127.0.0.1:5672/%2F");
        assert_eq!(o.status, CheckStatus::Pass, "{o:?}");
        assert!(o.evidence.contains("closed cleanly"), "{}", o.evidence);
    }
    // The broker writes its log asynchronously: wait for the third close.
    let ours = format!("runbook amqp probe (pid {},", std::process::id());
    let start = Instant::now();
    let text = loop {
        let text = log_since(&log, from);
        let closes = text
            .lines()
            .filter(|l| l.contains("closing AMQP connection") && l.contains(&ours))
            .count();
        if closes >= 3 || start.elapsed() > Duration::from_secs(20) {
            break text;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let named: Vec<&str> = text.lines().filter(|l| l.contains(&ours)).collect();
    let clean = named
        .iter()
        .filter(|l| l.contains("[info]") && l.contains("closing AMQP connection"))
        .count();
    assert_eq!(
        clean, 3,
        "each check's connection must be closed by the protocol's handshake:\n{text}"
    );
    let unexpected: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("unexpectedly closed"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "the check left warnings in {}:\n{}\n\nall new lines:\n{text}",
        log.display(),
        unexpected.join("\n")
    );
}
