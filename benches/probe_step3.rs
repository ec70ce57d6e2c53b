//! Step 3 ("check system resources"): the built-in probes (alarms, node,
//! resources, connections, queues) run concurrently against the local broker,
//! versus the equivalent CLI commands run one after another. Prints both times
//! and the ratio. Run: `cargo bench --bench probe_step3`.

use std::process::Command;
use std::time::{Duration, Instant};

use runbook::probe::{ProbeContext, run_check};
use runbook::runbook::{CheckKind, RabbitmqCheck, RabbitmqCheckKind};

const RUNS: usize = 3;

fn rmq(check: RabbitmqCheckKind) -> CheckKind {
    CheckKind::Rabbitmq(RabbitmqCheck {
        check,
        api: None,
        user: None,
        password: None,
        port: None,
    })
}

fn probes(rt: &tokio::runtime::Runtime, ctx: &ProbeContext) -> Duration {
    let kinds = [
        rmq(RabbitmqCheckKind::Alarms),
        rmq(RabbitmqCheckKind::Node),
        CheckKind::Resources { disk_path: None },
        rmq(RabbitmqCheckKind::Connections),
        rmq(RabbitmqCheckKind::Queues),
    ];
    let start = Instant::now();
    let outcomes = rt.block_on(async {
        let (a, b, c, d, e) = tokio::join!(
            run_check(&kinds[0], ctx),
            run_check(&kinds[1], ctx),
            run_check(&kinds[2], ctx),
            run_check(&kinds[3], ctx),
            run_check(&kinds[4], ctx)
        );
        [a, b, c, d, e]
    });
    let took = start.elapsed();
    for o in &outcomes {
        println!("    {:?}: {}", o.status, o.summary);
    }
    took
}

fn cli() -> Duration {
    let cmds = [
        "rabbitmq-diagnostics -q check_alarms",
        "rabbitmqctl -q status",
        "rabbitmqctl -q list_connections",
        "rabbitmqctl -q list_queues name messages consumers",
        "free -m; df -h",
    ];
    let start = Instant::now();
    for c in cmds {
        let out = Command::new("sh").arg("-c").arg(c).output();
        let rc = out.map(|o| o.status.code().unwrap_or(-1)).unwrap_or(-1);
        if rc != 0 {
            println!("    {c}: exit {rc}");
        }
    }
    start.elapsed()
}

fn main() {
    let Ok(rt) = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    else {
        eprintln!("cannot start a tokio runtime");
        return;
    };
    let ctx = ProbeContext {
        mgmt_url: Some("http://127.0.0.1:15672".into()),
        mgmt_user: Some("guest".into()),
        mgmt_password: Some("guest".into()),
        ..ProbeContext::default()
    };
    let mut p = Vec::new();
    let mut c = Vec::new();
    for i in 0..RUNS {
        println!("run {}:", i + 1);
        p.push(probes(&rt, &ctx));
        c.push(cli());
        println!("  probes {:?}  cli {:?}", p[i], c[i]);
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (pm, cm) = (median(&mut p), median(&mut c));
    println!(
        "step 3 probes, concurrent (median of {RUNS}): {:.0} ms",
        pm.as_secs_f64() * 1000.0
    );
    println!(
        "step 3 CLI commands, sequential (median of {RUNS}): {:.0} ms",
        cm.as_secs_f64() * 1000.0
    );
    println!(
        "ratio CLI / probes: {:.1}x",
        cm.as_secs_f64() / pm.as_secs_f64()
    );
}
