//! The runbooks shipped in the binary: valid, and the two languages in step.

use runbook::runbook::embedded;
use runbook::runbook::{Runbook, when_allows};

fn load(name: &str) -> Runbook {
    match embedded::load(name) {
        Some(Ok(l)) => l.runbook,
        Some(Err(e)) => panic!("{name} does not load:\n{e}"),
        None => panic!("{name} is not embedded"),
    }
}

/// Everything that must be identical between languages: ids, structure,
/// commands as run, `when` guards, check kinds.
fn skeleton(rb: &Runbook) -> Vec<String> {
    let mut out = Vec::new();
    for v in &rb.vars {
        out.push(format!(
            "var {} env={:?} secret={}",
            v.name, v.env, v.secret
        ));
    }
    for s in &rb.steps {
        out.push(format!(
            "step {} budget={:?} mitigation={} checklist={}",
            s.id,
            s.budget,
            s.mitigation,
            s.checklist.len()
        ));
        if let Some(a) = &s.ask {
            out.push(format!("  ask {} {:?}", a.id, a.choices));
        }
        for c in &s.commands {
            out.push(format!(
                "  command {} run={:?} confirm={} follow={} timeout={:?} when={:?}",
                c.id, c.run, c.confirm, c.follow, c.timeout, c.when
            ));
        }
        for k in &s.checks {
            out.push(format!(
                "  check {} kind={:?} when={:?}",
                k.id, k.kind, k.when
            ));
        }
    }
    out
}

#[test]
fn english_and_chinese_runbooks_have_the_same_ids_and_commands() {
    let en = load("rabbitmq-emergency.yaml");
    let zh = load("rabbitmq-emergency.zh.yaml");
    assert_eq!(en.steps.len(), 10);
    let (a, b) = (skeleton(&en), skeleton(&zh));
    for (x, y) in a.iter().zip(b.iter()) {
        assert_eq!(x, y, "English and Chinese runbooks differ");
    }
    assert_eq!(
        a.len(),
        b.len(),
        "English and Chinese runbooks differ in length"
    );
    // …while the words the operator reads are really translated.
    assert_ne!(en.steps[0].title, zh.steps[0].title);
    assert!(zh.steps.iter().all(|s| {
        s.title
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }));
}

#[test]
fn the_ten_steps_have_the_budgets_of_the_emergency_flow() {
    let en = load("rabbitmq-emergency.yaml");
    let ids: Vec<&str> = en.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "confirm",
            "logs",
            "resources",
            "config",
            "network",
            "service",
            "temporary-fix",
            "root-cause",
            "permanent-fix",
            "prevention"
        ]
    );
    let mins = |s: &runbook::runbook::Step| {
        (
            s.budget.expected.map(|d| d.as_secs() / 60),
            s.budget.limit.map(|d| d.as_secs() / 60),
        )
    };
    let expected = [
        (Some(1), Some(2)),
        (Some(2), Some(3)),
        (Some(1), Some(2)),
        (Some(2), Some(3)),
        (Some(1), Some(2)),
        (Some(1), Some(1)),
        (Some(5), Some(10)),
        (Some(15), Some(30)),
        (None, None),
        (None, None),
    ];
    for (s, e) in en.steps.iter().zip(expected) {
        assert_eq!(mins(s), e, "budget of step {}", s.id);
    }
    assert!(en.step("temporary-fix").is_some_and(|s| s.mitigation));
}

#[test]
fn every_symptom_choice_shows_something_specific_and_every_guard_names_a_choice() {
    let en = load("rabbitmq-emergency.yaml");
    let ask = en.steps[0]
        .ask
        .as_ref()
        .expect("step 1 asks for the symptom");
    for choice in &ask.choices {
        let answers = [(ask.id.clone(), choice.clone())].into_iter().collect();
        let specific = en.steps.iter().any(|s| {
            s.commands
                .iter()
                .any(|c| c.when.is_some() && when_allows(c.when.as_ref(), &answers))
        });
        assert!(
            specific,
            "symptom `{choice}` shows no symptom-specific command"
        );
    }
}

#[test]
fn the_runbook_covers_the_operators_toolbox() {
    let en = load("rabbitmq-emergency.yaml");
    let all: String = en
        .steps
        .iter()
        .flat_map(|s| s.commands.iter().map(|c| c.run.clone()))
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "list_users",
        "add_user",
        "set_permissions",
        "list_vhosts",
        "add_vhost",
        "list_queues",
        "list_connections",
        "list_exchanges",
        "cluster_status",
        "alarms",
        "list_policies",
        "memory_breakdown",
        "environment",
        "df -h",
        "du ",
        "free",
        "top -bn1",
        "journalctl",
        "ss ",
        "netstat",
        "export_definitions",
        "purge_queue",
        "delete_queue",
        "set_vm_memory_high_watermark",
        "max-length",
    ] {
        assert!(all.contains(needle), "no command uses `{needle}`");
    }
}

// ---------------------------------------------------------------------------
// The shipped commands against the real local broker (issue 9, section 7).
//
// Commands are run exactly as the program runs them: the embedded runbook,
// variables resolved and shell-quoted by the runbook's own templating, and
// `exec::spawn` (the same shell, with pipefail). Tests that read the broker's
// log or rely on its state hold the lock of tests/probe_broker.rs, so no
// broker-wide fault of that binary overlaps them; what they create is named
// `rbtest_<pid>_…` and removed in a Drop guard.

use std::collections::BTreeMap;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use runbook::exec::{self, Spec, Update};
use runbook::incident::CheckStatus;
use runbook::probe::{self, ProbeContext};
use runbook::runbook::template::resolve_vars;
use runbook::runbook::{CheckKind, CommandSpec};

const LANGS: [&str; 2] = ["rabbitmq-emergency.yaml", "rabbitmq-emergency.zh.yaml"];
/// Programs that talk to the broker.
const BROKER_CLIS: [&str; 5] = [
    "rabbitmqctl",
    "rabbitmq-diagnostics",
    "rabbitmq-queues",
    "rabbitmq-plugins",
    "rabbitmqadmin",
];

/// Holds the broker-test lock (shared with tests/probe_broker.rs).
struct BrokerLock {
    _file: File,
}

fn lock() -> BrokerLock {
    let f = File::create("/tmp/rbtest_probe_broker.lock").expect("lock file");
    // SAFETY: flock on a valid open fd; released when the File closes.
    let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock failed");
    BrokerLock { _file: f }
}

fn name(what: &str) -> String {
    format!("rbtest_{}_{what}", std::process::id())
}

/// Runs undo commands (rabbitmqctl argument lists) on drop, even after a panic.
#[derive(Default)]
struct Undo(Vec<Vec<String>>);

impl Drop for Undo {
    fn drop(&mut self) {
        for args in self.0.iter().rev() {
            let _ = Command::new("rabbitmqctl").arg("-q").args(args).output();
        }
    }
}

/// The safe commands of a runbook (no confirmation, not `follow`), with the
/// command line rendered from `overrides` (the runbook's own templating).
fn safe_commands(rb: &Runbook, overrides: &[(&str, &str)]) -> Vec<(CommandSpec, String)> {
    let overrides: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let vars = resolve_vars(rb, &overrides, &|_| None).expect("variables resolve");
    rb.steps
        .iter()
        .flat_map(|s| s.commands.iter())
        .filter(|c| !c.confirm && !c.follow)
        .map(|c| (c.clone(), vars.render_shell(&c.run)))
        .collect()
}

/// Any command of a runbook (for the confirm-only ones tested in a sandbox).
fn command_line(rb: &Runbook, id: &str, overrides: &[(&str, &str)]) -> String {
    let overrides: Vec<(String, String)> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let vars = resolve_vars(rb, &overrides, &|_| None).expect("variables resolve");
    let c = rb
        .steps
        .iter()
        .flat_map(|s| s.commands.iter())
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no command {id}"));
    vars.render_shell(&c.run)
}

#[derive(Debug, Clone)]
struct Ran {
    exit_code: Option<i32>,
    timed_out: bool,
    output: String,
}

/// Runs command lines through `exec::spawn`, four at a time; identical lines
/// (the two languages share their commands) run once.
fn run_lines(lines: &[String], env: &[(&str, &str)], timeout: Duration) -> BTreeMap<String, Ran> {
    let mut unique: Vec<String> = lines.to_vec();
    unique.sort();
    unique.dedup();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    rt.block_on(async {
        let mut out = BTreeMap::new();
        for chunk in unique.chunks(4) {
            let mut waits = Vec::new();
            for line in chunk {
                let (tx, mut rx) = tokio::sync::mpsc::channel(64);
                let mut spec = Spec::new(line.clone());
                spec.timeout = Some(timeout);
                spec.env = env.clone();
                exec::spawn(1, spec, tx).expect("spawn");
                waits.push(async move {
                    let mut output = String::new();
                    while let Some((_, u)) = rx.recv().await {
                        match u {
                            Update::Output { text, .. } => output.push_str(&text),
                            Update::Finished(o) => {
                                return Ran {
                                    exit_code: o.exit_code,
                                    timed_out: o.timed_out,
                                    output,
                                };
                            }
                        }
                    }
                    panic!("no Finished for a run");
                });
            }
            for (line, w) in chunk.iter().zip(waits) {
                out.insert(line.clone(), w.await);
            }
        }
        out
    })
}

fn uses_broker_cli(run: &str) -> bool {
    BROKER_CLIS.iter().any(|c| run.contains(c))
}

fn management_api_answers() -> bool {
    std::net::TcpStream::connect_timeout(
        &"127.0.0.1:15672".parse().expect("addr"),
        Duration::from_secs(2),
    )
    .is_ok()
}

/// Creates a quorum queue for the test (the CLI of 3.10 has no declare).
fn declare_quorum_queue(undo: &mut Undo, q: &str) {
    let expr = format!(
        "rabbit_amqqueue:declare(rabbit_misc:r(<<\"/\">>, queue, <<\"{q}\">>), true, false, \
         [{{<<\"x-queue-type\">>, longstr, <<\"quorum\">>}}], none, <<\"rbtest\">>)."
    );
    let out = Command::new("rabbitmqctl")
        .args(["-q", "eval", &expr])
        .output()
        .expect("run rabbitmqctl eval");
    undo.0.push(vec![
        "delete_queue".into(),
        "-p".into(),
        "/".into(),
        q.into(),
    ]);
    assert!(
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("{new,"),
        "could not declare {q}: {out:?}"
    );
}

/// Every safe command of both languages exits 0 against the healthy local
/// broker. `host` is set to 127.0.0.1 (where this broker listens) to show
/// that the `node` no longer follows it: the node is this host's node as the
/// CLI finds it, whatever the host's name. The queue is a real quorum queue.
#[test]
fn every_safe_shipped_command_exits_0_against_the_healthy_broker() {
    let _l = lock();
    assert!(
        management_api_answers(),
        "the management API on 127.0.0.1:15672 is down: list-queues-all-vhosts needs it \
         (enable rabbitmq_management; .ci/run does)"
    );
    let mut undo = Undo::default();
    let q = name("qq");
    declare_quorum_queue(&mut undo, &q);
    let mut failures = Vec::new();
    let mut ran = 0;
    for with_queue in [true, false] {
        let queue = if with_queue { q.as_str() } else { "" };
        let overrides = [("host", "127.0.0.1"), ("queue", queue)];
        let mut all = Vec::new();
        for lang in LANGS {
            let rb = load(lang);
            for (c, line) in safe_commands(&rb, &overrides) {
                all.push((lang, c.id.clone(), line));
            }
        }
        let lines: Vec<String> = all.iter().map(|(_, _, l)| l.clone()).collect();
        let results = run_lines(&lines, &[], Duration::from_secs(60));
        for (lang, id, line) in &all {
            let r = &results[line];
            ran += 1;
            if r.exit_code != Some(0) || r.timed_out {
                failures.push(format!(
                    "{lang} {id} (queue {queue:?}): exit {:?}{}\n  $ {line}\n{}",
                    r.exit_code,
                    if r.timed_out { " (timed out)" } else { "" },
                    r.output.chars().take(800).collect::<String>()
                ));
            }
            if id == "quorum-status" {
                assert!(
                    !r.output.contains("qqqq") && !r.output.contains("lqq"),
                    "line-drawing junk in quorum-status:\n{}",
                    r.output
                );
                let expect = if with_queue { "Raft State" } else { q.as_str() };
                assert!(
                    r.output.contains(expect),
                    "quorum-status (queue {queue:?}) does not show {expect:?}:\n{}",
                    r.output
                );
            }
        }
    }
    assert!(ran > 100, "only {ran} commands ran");
    assert!(
        failures.is_empty(),
        "{} shipped command(s) failed on a healthy broker:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every safe command that calls a broker CLI fails (non-zero) when the node
/// cannot be reached, so the operator never reads an empty list as "all is
/// well" (`capacity-figures` used to say "messages held in vhost: 0").
#[test]
fn shipped_commands_fail_when_the_node_is_unreachable() {
    let nowhere = "rbtest-nosuch@localhost";
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let api = format!("http://127.0.0.1:{closed}");
    let overrides = [
        ("node", nowhere),
        ("mgmt_url", api.as_str()),
        ("queue", "q1"),
    ];
    // Exit 0 with the node down is right for these, and why:
    let may_pass: &[(&str, &str)] = &[(
        "plugins",
        "lists the plugins configured in the enabled_plugins file, which needs no node; \
         its Status line says `failed to contact`",
    )];
    let mut all = Vec::new();
    for lang in LANGS {
        let rb = load(lang);
        for (c, line) in safe_commands(&rb, &overrides) {
            if uses_broker_cli(&c.run) {
                all.push((lang, c.id.clone(), line));
            }
        }
    }
    assert!(all.len() > 60, "only {} broker CLI commands", all.len());
    let lines: Vec<String> = all.iter().map(|(_, _, l)| l.clone()).collect();
    let results = run_lines(
        &lines,
        &[("RABBITMQ_NODENAME", nowhere)],
        Duration::from_secs(60),
    );
    let mut hidden = Vec::new();
    for (lang, id, line) in &all {
        let r = &results[line];
        if let Some((_, why)) = may_pass.iter().find(|(m, _)| m == id) {
            assert!(
                r.output.contains("failed to contact"),
                "{lang} {id} ({why}) does not say it could not reach the node:\n{}",
                r.output
            );
            continue;
        }
        // Failing for the right reason: the CLI's, not a broken command line.
        assert!(
            !r.output.contains("/bin/bash: ") && !r.output.contains("syntax error"),
            "{lang} {id}: the shell could not run it:\n  $ {line}\n{}",
            r.output
        );
        if r.exit_code == Some(0) {
            hidden.push(format!(
                "{lang} {id}: exit 0\n  $ {line}\n{}",
                r.output.chars().take(400).collect::<String>()
            ));
        }
    }
    assert!(
        hidden.is_empty(),
        "{} command(s) hide an unreachable node behind exit 0:\n\n{}",
        hidden.len(),
        hidden.join("\n\n")
    );
}

/// The node's log file, as the node reports it.
fn broker_log() -> PathBuf {
    let out = Command::new("rabbitmq-diagnostics")
        .args(["-q", "log_location"])
        .output()
        .expect("run rabbitmq-diagnostics log_location");
    assert!(out.status.success(), "log_location failed: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .map(str::trim)
        .find(|l| l.ends_with(".log"))
        .unwrap_or_else(|| panic!("no log file in {text:?}"))
        .into()
}

fn amqp_check(url: &str) -> CheckStatus {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let ctx = ProbeContext {
        timeout: Duration::from_secs(5),
        ..ProbeContext::default()
    };
    rt.block_on(probe::run_check(&CheckKind::Amqp { url: url.into() }, &ctx))
        .status
}

/// Waits until the log contains every needle (the broker logs asynchronously).
fn wait_for_log(log: &Path, needles: &[&str]) -> String {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if needles.iter().all(|n| text.contains(n)) || start.elapsed() > Duration::from_secs(20) {
            return text;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `grep-auth` shows the refusals, not the successful logins around them.
/// A refused login (unknown user, wrong password) followed by a good one, as
/// the real broker logs them.
#[test]
fn grep_auth_shows_login_refusals_not_successful_logins() {
    let _l = lock();
    let log = broker_log();
    let log_dir = log
        .parent()
        .expect("log dir")
        .to_string_lossy()
        .into_owned();
    let user = name("nosuchuser");
    let bad = amqp_check(&format!("amqp://{user}:wrong@127.0.0.1:5672/%2F"));
    assert_eq!(bad, CheckStatus::Fail);
    assert_eq!(
        amqp_check("amqp://guest:guest@127.0.0.1:5672/%2F"),
        CheckStatus::Pass
    );
    let refused = format!("user '{user}' - invalid credentials");
    let text = wait_for_log(&log, &[&refused]);
    assert!(
        text.contains(&refused),
        "the broker did not log the refusal"
    );
    assert!(
        text.contains("authenticated and granted access"),
        "the broker did not log the good login"
    );
    for lang in LANGS {
        let line = command_line(&load(lang), "grep-auth", &[("log_dir", &log_dir)]);
        let r = &run_lines(std::slice::from_ref(&line), &[], Duration::from_secs(30))[&line];
        assert_eq!(r.exit_code, Some(0), "{lang}: {r:?}");
        assert!(
            r.output
                .contains(&format!("PLAIN login refused: {refused}")),
            "{lang}: the refusal is missing:\n{}",
            r.output
        );
        let noise: Vec<&str> = r
            .output
            .lines()
            .filter(|l| l.contains("granted access") || l.contains("[info]"))
            .collect();
        assert!(
            noise.is_empty(),
            "{lang}: grep-auth shows successful logins and other info lines:\n{}",
            noise.join("\n")
        );
    }
}

/// Lines a healthy node logs at every boot that mention quorum, leaders,
/// mirrors or Ra (taken from RabbitMQ 3.10.8's log).
const BOOT_NOISE: &str = "\
2026-12-03 08:11:50.601151+00:00 [info] <0.223.0> ra: starting system quorum_queues
2026-12-03 08:11:50.601151+00:00 [info] <0.223.0> starting Ra system: quorum_queues in directory: /var/lib/rabbitmq/mnesia/rabbit@vm/quorum/rabbit@vm
2026-12-03 08:11:50.601151+00:00 [notice] <0.266.0> WAL: ra_log_wal init, open tbls: ra_log_open_mem_tables, closed tbls: ra_log_closed_mem_tables
2026-12-03 08:11:50.601151+00:00 [info] <0.223.0> Feature flags:   [x] classic_mirrored_queue_version
2026-12-03 08:11:50.601151+00:00 [info] <0.223.0> Feature flag `quorum_queue`:   migrating Mnesia table rabbit_queue...
2026-12-03 08:51:00.348031+00:00 [notice] <0.972.0> queue 'orders' in vhost '/': candidate -> leader in term: 1 machine version: 2
2026-12-03 08:51:00.348345+00:00 [info] <0.968.0> ra: started cluster %2F_orders with 1 servers
2026-12-03 08:51:00.348345+00:00 [info] <0.968.0> Leader: {'%2F_orders',rabbit@vm}
";

/// What a partition, a lost peer and a quorum leader change look like.
const CLUSTER_TROUBLE: &str = "\
2026-12-03 09:00:01.000000+00:00 [info] <0.500.0> node rabbit@peer down: connection_closed
2026-12-03 09:00:01.000000+00:00 [info] <0.500.0> rabbit on node rabbit@peer down
2026-12-03 09:00:02.000000+00:00 [error] <0.230.0> Mnesia(rabbit@vm): ** ERROR ** mnesia_event got {inconsistent_database, running_partitioned_network, rabbit@peer}
2026-12-03 09:00:03.000000+00:00 [error] <0.500.0> Partial partition detected:
2026-12-03 09:00:04.000000+00:00 [warning] <0.500.0> Cluster minority/secondary status detected - awaiting recovery
2026-12-03 09:00:05.000000+00:00 [info] <0.972.0> queue 'orders' in vhost '/': detected a new leader {'%2F_orders',rabbit@peer} in term 2
";

/// `grep-cluster` shows partitions, lost nodes and leader changes, not the
/// quorum/Ra/feature-flag lines every healthy boot writes.
#[test]
fn grep_cluster_shows_cluster_trouble_not_boot_noise() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The real boot lines of this broker's log too, when it has them.
    let real = std::fs::read_to_string(broker_log()).unwrap_or_default();
    let real_boot: String = real
        .lines()
        .filter(|l| l.contains("Feature flag") || l.contains("Ra system") || l.contains("ra_log"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(
        dir.path().join("rabbit@vm.log"),
        format!("{BOOT_NOISE}{real_boot}{CLUSTER_TROUBLE}"),
    )
    .expect("write log");
    let log_dir = dir.path().to_string_lossy().into_owned();
    for lang in LANGS {
        let line = command_line(&load(lang), "grep-cluster", &[("log_dir", &log_dir)]);
        let r = &run_lines(std::slice::from_ref(&line), &[], Duration::from_secs(30))[&line];
        assert_eq!(r.exit_code, Some(0), "{lang}: {r:?}");
        assert_eq!(r.output, CLUSTER_TROUBLE, "{lang}: grep-cluster output");
    }
    // A log with no trouble at all: nothing shown, and that is not a failure.
    std::fs::write(dir.path().join("rabbit@vm.log"), BOOT_NOISE).expect("write log");
    let line = command_line(&load(LANGS[0]), "grep-cluster", &[("log_dir", &log_dir)]);
    let r = &run_lines(std::slice::from_ref(&line), &[], Duration::from_secs(30))[&line];
    assert_eq!((r.exit_code, r.output.as_str()), (Some(0), ""), "{r:?}");
}

/// Runs a cron.d file's job the way cron does: cron's own environment
/// (PATH=/usr/bin:/bin), plus the file's `NAME=value` lines, `\%` unescaped,
/// the command run by /bin/sh.
fn run_like_cron(cron_file: &Path, extra_env: &[(&str, &str)]) -> std::process::Output {
    let text = std::fs::read_to_string(cron_file).expect("read the cron file");
    let mut env: Vec<(String, String)> = vec![
        ("PATH".into(), "/usr/bin:/bin".into()),
        ("SHELL".into(), "/bin/sh".into()),
        ("HOME".into(), "/root".into()),
        ("LOGNAME".into(), "root".into()),
    ];
    let mut job = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or("");
        if let Some((k, v)) = line.split_once('=').filter(|_| first.contains('=')) {
            env.retain(|(n, _)| n != k);
            env.push((k.trim().into(), v.trim().into()));
            continue;
        }
        // minute hour day month weekday user command
        let mut rest = line;
        for _ in 0..6 {
            rest = rest.trim_start();
            rest = &rest[rest.find(char::is_whitespace).expect("cron fields")..];
        }
        assert!(job.is_none(), "more than one job in {text}");
        job = Some(rest.trim().replace("\\%", "%"));
    }
    let job = job.unwrap_or_else(|| panic!("no job in {text}"));
    Command::new("/bin/sh")
        .arg("-c")
        .arg(&job)
        .env_clear()
        .envs(env)
        .envs(extra_env.iter().copied())
        .output()
        .expect("run the cron job")
}

/// `install-backup-cron` writes a job that works under cron's PATH, and a
/// failed export never leaves a 0-byte (or truncated) definitions file.
/// The job file and the backups go to a temporary directory here.
#[test]
fn the_backup_cron_job_works_under_crons_path_and_never_leaves_an_empty_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cron_dir = dir.path().join("cron.d");
    std::fs::create_dir(&cron_dir).expect("mkdir");
    let cron_file = cron_dir.join("rabbitmq-backup");
    let backups = dir.path().join("backups");
    let (cf, bd) = (
        cron_file.to_string_lossy().into_owned(),
        backups.to_string_lossy().into_owned(),
    );
    for lang in LANGS {
        let line = command_line(
            &load(lang),
            "install-backup-cron",
            &[("cron_file", &cf), ("backup_dir", &bd)],
        );
        let r = &run_lines(std::slice::from_ref(&line), &[], Duration::from_secs(30))[&line];
        assert_eq!(r.exit_code, Some(0), "{lang}: {r:?}");
        let names: Vec<String> = std::fs::read_dir(&cron_dir)
            .expect("read cron dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["rabbitmq-backup"], "{lang}: temporary file left");
    }

    let out = run_like_cron(&cron_file, &[]);
    assert!(out.status.success(), "the job fails under cron: {out:?}");
    let defs: Vec<PathBuf> = std::fs::read_dir(&backups)
        .expect("backups written")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".json"))
        .collect();
    assert_eq!(defs.len(), 1, "{defs:?}");
    let good = std::fs::read_to_string(&defs[0]).expect("read definitions");
    assert!(
        good.contains("\"rabbit_version\""),
        "not definitions: {good}"
    );
    assert!(
        std::fs::read_dir(&backups).expect("backups").any(|e| e
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .starts_with("etc-rabbitmq-")),
        "no copy of /etc/rabbitmq"
    );

    // The node unreachable: the job fails, and today's good file is kept whole.
    let out = run_like_cron(
        &cron_file,
        &[("RABBITMQ_NODENAME", "rbtest-nosuch@localhost")],
    );
    assert!(
        !out.status.success(),
        "a failed export must fail the job: {out:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&defs[0]).expect("read definitions"),
        good,
        "a failed export truncated the backup"
    );
    let left: Vec<String> = std::fs::read_dir(&backups)
        .expect("backups")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') || n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// `cookie-hash` is for node-down and partition trouble, when the node may not
/// answer: `rabbitmq-diagnostics erlang_cookie_hash` then crashed (exit 70).
/// It hashes the cookie file, in the form the CLI itself reports.
#[test]
fn cookie_hash_works_with_the_node_unreachable_and_matches_the_clis_hash() {
    let out = Command::new("rabbitmq-diagnostics")
        .args(["-q", "erlang_cookie_hash"])
        .output()
        .expect("run rabbitmq-diagnostics");
    assert!(out.status.success(), "the healthy node's hash: {out:?}");
    let cli_hash = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(cli_hash.ends_with("=="), "{cli_hash:?}");
    for lang in LANGS {
        let line = command_line(&load(lang), "cookie-hash", &[]);
        let r = &run_lines(
            std::slice::from_ref(&line),
            &[("RABBITMQ_NODENAME", "rbtest-nosuch@localhost")],
            Duration::from_secs(30),
        )[&line];
        assert_eq!(r.exit_code, Some(0), "{lang}: {r:?}");
        assert!(
            r.output.contains(&format!("hash: {cli_hash}")),
            "{lang}: not the CLI's hash {cli_hash}:\n{}",
            r.output
        );
    }
}

// ---------------------------------------------------------------------------
// Issue 13 part 5: the rest of the source document. Each item must stay in
// both languages, in the step where the operator looks for it.

/// Where in a step an item lives.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// The step's guide (English needle, Chinese needle).
    Guide(&'static str, &'static str),
    /// The step's checklist (English needle, Chinese needle).
    Checklist(&'static str, &'static str),
    /// The `run` of the named command (identical in both languages).
    Run(&'static str, &'static str),
}

/// item → step → where, and the distinctive text that must be there.
const ADDED_ITEMS: &[(&str, &str, Place)] = &[
    (
        "network latency: kernel RTT to clients and peers",
        "network",
        Place::Run("network-latency", "ss -tin state established"),
    ),
    (
        "network latency: ping, bounded",
        "network",
        Place::Run("network-latency", "ping -c 3 -W 2"),
    ),
    (
        "network latency: what is normal",
        "network",
        Place::Guide("well under 1 ms", "远低于 1 ms"),
    ),
    (
        "iostat",
        "resources",
        Place::Run("disk-io", "iostat -x 1 3"),
    ),
    (
        "disk I/O without sysstat",
        "resources",
        Place::Run("disk-io", "/proc/diskstats"),
    ),
    (
        "absolute memory watermark",
        "config",
        Place::Guide(
            "vm_memory_high_watermark.absolute = 8GB",
            "vm_memory_high_watermark.absolute = 8GB",
        ),
    ),
    (
        "absolute memory watermark in the config fragment",
        "permanent-fix",
        Place::Run("recommended-config", "vm_memory_high_watermark.absolute"),
    ),
    (
        "x-max-length-bytes",
        "permanent-fix",
        Place::Guide("x-max-length-bytes", "x-max-length-bytes"),
    ),
    (
        "max-length-bytes policy",
        "permanent-fix",
        Place::Guide(
            r#"'{"max-length":100000,"max-length-bytes":1073741824,"overflow":"reject-publish"}'"#,
            r#"'{"max-length":100000,"max-length-bytes":1073741824,"overflow":"reject-publish"}'"#,
        ),
    ),
    (
        "check frequencies",
        "prevention",
        Place::Guide("every 15–30 s node up", "每 15–30 秒 节点存活"),
    ),
    (
        "check frequencies (minute and five-minute checks)",
        "prevention",
        Place::Guide("every 5 min CPU > 80 %", "每 5 分钟 CPU > 80 %"),
    ),
    (
        "sndbuf",
        "config",
        Place::Guide(
            "tcp_listen_options.sndbuf = 196608",
            "tcp_listen_options.sndbuf = 196608",
        ),
    ),
    (
        "recbuf",
        "config",
        Place::Guide(
            "tcp_listen_options.recbuf = 196608",
            "tcp_listen_options.recbuf = 196608",
        ),
    ),
    (
        "TPS formula",
        "prevention",
        Place::Guide(
            "peak_tps = daily_messages / 86400 × peak_factor",
            "峰值TPS = 日消息量 / 86400 × 峰值系数",
        ),
    ),
    (
        "storage formula",
        "prevention",
        Place::Guide(
            "disk_GB ≈ peak_tps × msg_KB × backlog_hours × 3600 × replicas / 1e6 × 1.5",
            "磁盘GB ≈ 峰值TPS × 消息KB × 积压小时数 × 3600 × 副本数 / 1e6 × 1.5",
        ),
    ),
    (
        "bandwidth formula",
        "prevention",
        Place::Guide(
            "Mbit/s ≈ peak_tps × msg_KB × 8 / 1000 × (1 + consumers + replicas − 1) × 1.3",
            "Mbit/s ≈ 峰值TPS × 消息KB × 8 / 1000 × (1 + 消费者数 + 副本数 − 1) × 1.3",
        ),
    ),
    (
        "routine inspection: daily",
        "prevention",
        Place::Guide("daily every node running", "每日 所有节点运行"),
    ),
    (
        "routine inspection: daily, as a command",
        "prevention",
        Place::Run("daily-inspection", "rabbitmq-diagnostics -q check_alarms"),
    ),
    (
        "routine inspection: weekly",
        "prevention",
        Place::Guide(
            "weekly disk, memory and message-rate trends",
            "每周 磁盘、内存、消息速率趋势",
        ),
    ),
    (
        "routine inspections scheduled",
        "prevention",
        Place::Checklist("Daily and weekly inspections", "每日和每周巡检"),
    ),
    (
        "log shipping: ELK",
        "prevention",
        Place::Guide(
            "ELK (Filebeat → Elasticsearch → Kibana)",
            "ELK（Filebeat → Elasticsearch → Kibana）",
        ),
    ),
    (
        "log shipping: Loki",
        "prevention",
        Place::Guide(
            "Loki (Promtail/Alloy → Loki → Grafana)",
            "Loki（Promtail/Alloy → Loki → Grafana）",
        ),
    ),
    (
        "log shipping: is a shipper running",
        "prevention",
        Place::Run("log-shipper", "filebeat|promtail|alloy"),
    ),
    (
        "alert channels",
        "prevention",
        Place::Guide(
            "Alert channels: page the on-call by phone/SMS",
            "告警渠道：节点停止、资源告警、分区用电话/短信呼叫值班人",
        ),
    ),
    (
        "alert channels: chat webhooks",
        "prevention",
        Place::Guide(
            "DingTalk, Feishu, WeCom, Slack",
            "钉钉、飞书、企业微信、Slack",
        ),
    ),
];

/// Whitespace runs collapsed, so a needle survives re-aligned columns.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_items_of_issue_13_part_5_stay_in_both_languages_in_their_step() {
    let mut missing = Vec::new();
    for (i, lang) in LANGS.iter().enumerate() {
        let rb = load(lang);
        for (item, step_id, place) in ADDED_ITEMS {
            let step = rb
                .step(step_id)
                .unwrap_or_else(|| panic!("{lang}: no step {step_id}"));
            let (what, text, needle) = match *place {
                Place::Guide(en, zh) => (
                    "guide".to_string(),
                    step.guide.clone().unwrap_or_default(),
                    [en, zh][i],
                ),
                Place::Checklist(en, zh) => (
                    "checklist".to_string(),
                    step.checklist.join("\n"),
                    [en, zh][i],
                ),
                Place::Run(id, needle) => (
                    format!("command {id}"),
                    step.command(id).map(|c| c.run.clone()).unwrap_or_default(),
                    needle,
                ),
            };
            if !squeeze(&text).contains(&squeeze(needle)) {
                missing.push(format!(
                    "{lang}: {item}: `{needle}` not in {step_id} {what}"
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The new diagnostics must never change anything: no `confirm`, and a
/// timeout short enough for the step's budget.
#[test]
fn the_added_diagnostics_are_safe_and_bounded() {
    for lang in LANGS {
        let rb = load(lang);
        for (step, id) in [
            ("resources", "disk-io"),
            ("network", "network-latency"),
            ("prevention", "log-shipper"),
            ("prevention", "daily-inspection"),
        ] {
            let c = rb
                .step(step)
                .and_then(|s| s.command(id))
                .unwrap_or_else(|| panic!("{lang}: no {step}/{id}"));
            assert!(!c.confirm && !c.follow, "{lang} {id}");
            assert!(c.timeout <= Duration::from_secs(60), "{lang} {id}");
        }
    }
}

/// A PATH made of symlinks to every program of this PATH except `hide`, so a
/// command can be run as on a host where those tools are not installed.
fn path_without(dir: &Path, hide: &[&str]) -> String {
    let path = std::env::var("PATH").unwrap_or_default();
    for d in path.split(':').filter(|d| !d.is_empty()) {
        let Ok(entries) = std::fs::read_dir(d) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            if hide.iter().any(|h| name == *h) {
                continue;
            }
            // The first directory of PATH wins, as in a lookup.
            let _ = std::os::unix::fs::symlink(e.path(), dir.join(&name));
        }
    }
    dir.to_string_lossy().into_owned()
}

/// `disk-io` runs `iostat -x 1 3` where sysstat is installed, and where it is
/// not (Debian's default, and CI) says so and measures /proc/diskstats itself.
#[test]
fn disk_io_uses_iostat_and_falls_back_to_proc_diskstats_without_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fake = dir.path().join("fake");
    std::fs::create_dir(&fake).expect("mkdir");
    let iostat = fake.join("iostat");
    std::fs::write(&iostat, "#!/bin/sh\necho \"fake iostat $*\"\n").expect("write");
    std::fs::set_permissions(&iostat, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let with = format!(
        "{}:{}",
        fake.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let bare = dir.path().join("bare");
    std::fs::create_dir(&bare).expect("mkdir");
    let without = path_without(&bare, &["iostat"]);
    for lang in LANGS {
        let line = command_line(&load(lang), "disk-io", &[]);
        let r = &run_lines(
            std::slice::from_ref(&line),
            &[("PATH", &with)],
            Duration::from_secs(30),
        )[&line];
        assert_eq!(r.exit_code, Some(0), "{lang} with iostat: {r:?}");
        assert!(
            r.output.contains("fake iostat -x 1 3"),
            "{lang}: {}",
            r.output
        );
        let r = &run_lines(
            std::slice::from_ref(&line),
            &[("PATH", &without)],
            Duration::from_secs(30),
        )[&line];
        assert_eq!(r.exit_code, Some(0), "{lang} without iostat: {r:?}");
        assert!(
            r.output
                .contains("iostat not installed (Debian: package sysstat)")
                && r.output.contains("await_ms")
                && r.output.contains("%util"),
            "{lang}: no fallback figures:\n{}",
            r.output
        );
        assert!(
            r.output
                .lines()
                .skip_while(|l| !l.starts_with("device"))
                .nth(1)
                .is_some(),
            "{lang}: the fallback lists no device:\n{}",
            r.output
        );
    }
}

/// `network-latency` shows the kernel's RTT of an open AMQP session, with the
/// client's address, and says so plainly when ping is not installed.
#[test]
fn network_latency_lists_the_rtt_of_an_open_amqp_session() {
    let client = std::net::TcpStream::connect("127.0.0.1:5672").expect("connect to AMQP");
    let me = client.local_addr().expect("local addr");
    let dir = tempfile::tempdir().expect("tempdir");
    let without = path_without(dir.path(), &["ping"]);
    for lang in LANGS {
        let line = command_line(&load(lang), "network-latency", &[("host", "127.0.0.1")]);
        let r = &run_lines(
            std::slice::from_ref(&line),
            &[("PATH", &without)],
            Duration::from_secs(30),
        )[&line];
        assert_eq!(r.exit_code, Some(0), "{lang}: {r:?}");
        let row = r
            .output
            .lines()
            .find(|l| l.ends_with(&format!(" {me}")))
            .unwrap_or_else(|| panic!("{lang}: no RTT row for {me}:\n{}", r.output));
        let rtt: f64 = row
            .split('/')
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or_else(|| panic!("{lang}: not an RTT: {row:?}"));
        assert!(rtt >= 0.0, "{row}");
        assert!(
            r.output.contains("ping not installed"),
            "{lang}: {}",
            r.output
        );
    }
    drop(client);
}
