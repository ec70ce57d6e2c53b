//! Issue 5 acceptance: `runbook diagnose` of the shipped runbook against the
//! healthy local broker (RabbitMQ on 127.0.0.1, guest/guest, management on
//! 15672; `.ci/run` makes sure it runs). Needs root for the CLI commands.

#[path = "diagnose_support/mod.rs"]
mod support;

use std::collections::BTreeMap;

use support::*;

/// Checks allowed to warn on a healthy broker, and why.
const MAY_WARN: &[(&str, &str)] = &[(
    "host-resources",
    "CPU and memory of the host depend on its load (the test suite itself runs on 2 cores)",
)];

/// Commands allowed to exit non-zero on a healthy broker, and why (none today).
const MAY_FAIL: &[(&str, &str)] = &[];

#[test]
fn shipped_runbook_passes_against_the_healthy_local_broker() {
    let log = tempfile::tempdir().unwrap();
    let out = diagnose_cmd()
        .args([
            "--json",
            "--step",
            "confirm",
            "--step",
            "resources",
            "--step",
            "config",
            "--step",
            "network",
            "--step",
            "service",
        ])
        .arg("--log-dir")
        .arg(log.path())
        .env_remove("RABBITMQ_PASSWORD")
        .timeout(std::time::Duration::from_secs(180))
        .output()
        .unwrap();
    let (code, stdout, stderr) = parts(&out);
    let v: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{stderr}"));

    // Evidence of whatever went wrong, from the journal, for the failure message.
    let (_, inc) = read_folded(log.path());
    let evidence: BTreeMap<String, String> = inc
        .runs
        .values()
        .map(|r| {
            let detail = if r.evidence.is_empty() {
                &r.output
            } else {
                &r.evidence
            };
            (r.item.clone(), detail.chars().take(600).collect())
        })
        .collect();

    let results = v["results"].as_array().unwrap();
    let mut problems = Vec::new();
    let mut checks = Vec::new();
    for r in results {
        let id = r["id"].as_str().unwrap();
        let result = r["result"].as_str().unwrap();
        match r["kind"].as_str().unwrap() {
            "check" => {
                checks.push(id.to_string());
                let allowed = result == "pass"
                    || (result == "warn" && MAY_WARN.iter().any(|(k, _)| *k == id));
                if !allowed {
                    problems.push(format!(
                        "check {id}: {result}: {}\n    {}",
                        r["summary"], evidence[id]
                    ));
                }
            }
            _ => {
                if r["exit_code"] != 0 && !MAY_FAIL.iter().any(|(k, _)| *k == id) {
                    problems.push(format!("command {id}: {result}\n    {}", evidence[id]));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "on a healthy broker:\n{}\n(stderr: {stderr})",
        problems.join("\n")
    );
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_eq!(v["ok"], true);
    // The checks that answer the flow's questions really ran (not skipped).
    for id in [
        "amqp-port",
        "amqp-login",
        "mgmt-api",
        "alarms",
        "node-limits",
        "connections",
        "vhosts",
        "net-amqp-login",
        "service-running",
    ] {
        assert!(
            checks.iter().any(|c| c == id),
            "check {id} did not run: {checks:?}"
        );
    }
    // A URL password is masked even when it is the runbook's default.
    let raw = std::fs::read_to_string(the_journal(log.path())).unwrap();
    assert!(!raw.contains("guest:guest@"), "URL password in the journal");
}
