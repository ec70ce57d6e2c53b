//! `runbook diagnose` never runs a command the shell-aware net catches, however
//! it is spelled (issue 9 §1): each command here would call a stand-in
//! `rabbitmqctl` (first on PATH, it only logs its arguments) or remove a file,
//! and afterwards the log holds only the read-only call and the file is still there.

#[path = "diagnose_support/mod.rs"]
mod support;

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;
use support::*;

#[test]
fn diagnose_runs_none_of_the_spellings_the_net_catches() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let calls = dir.path().join("calls.log");
    let fake = bin.join("rabbitmqctl");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\n",
            calls.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "still here").unwrap();
    let v = victim.display();

    let catches = [
        (
            "if-block",
            "if true; then rabbitmqctl stop_app; fi".to_string(),
        ),
        (
            "for-loop",
            "for a in stop_app; do rabbitmqctl $a; done".into(),
        ),
        ("brace-group", "{ rabbitmqctl reset; }".into()),
        ("sh-c", format!("sh -c 'rm -rf {v}'")),
        ("bash-c", "bash -c 'rabbitmqctl stop_app'".into()),
        ("eval", "eval 'rabbitmqctl stop_app'".into()),
        ("pipe-to-sh", "echo rabbitmqctl stop_app | sh".into()),
        ("xargs", "echo stop_app | xargs rabbitmqctl".into()),
        ("variable", "CTL=rabbitmqctl; $CTL stop_app".into()),
        ("upper-case", "rabbitmqctl RESET".into()),
        ("find-delete", format!("find {v} -delete")),
        ("find-exec", format!("find {v} -exec rm {{}} +")),
        (
            "python",
            format!("python3 -c 'import os; os.remove(\"{v}\")'"),
        ),
    ];
    let mut yaml = String::from(
        "schema: 1\nid: diag-net\ntitle: Changing commands the net must catch\nsteps:\n  - id: s\n    title: S\n    budget: 1m\n    commands:\n      - id: read-only\n        run: rabbitmqctl -q status\n        timeout: 10s\n",
    );
    for (id, run) in &catches {
        yaml.push_str(&format!(
            "      - id: {id}\n        run: |\n          {run}\n        timeout: 10s\n"
        ));
    }
    let rb = dir.path().join("net.yaml");
    std::fs::write(&rb, yaml).unwrap();

    let log = dir.path().join("log");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = diagnose_cmd()
        .args([rb.to_str().unwrap(), "--json", "--log-dir"])
        .arg(&log)
        .env("PATH", path)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let (code, stdout, stderr) = parts(&out);
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("--json output is not JSON ({e}):\n{stdout}\n{stderr}"));
    assert_eq!(code, Some(0), "{v:#}\n{stderr}");

    // Only the read-only command ran…
    let ran = std::fs::read_to_string(&calls).unwrap_or_default();
    assert_eq!(
        ran, "-q status\n",
        "rabbitmqctl was called with these arguments"
    );
    assert_eq!(
        std::fs::read_to_string(&victim).ok().as_deref(),
        Some("still here"),
        "a caught command removed the file"
    );
    let results: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["read-only"]);
    // …and each of the others is listed as skipped, with the net's reason.
    let skipped = v["skipped"].as_array().unwrap();
    for (id, _) in &catches {
        let row = skipped
            .iter()
            .find(|k| k["id"] == *id)
            .unwrap_or_else(|| panic!("{id} is not listed as skipped: {v:#}"));
        let detail = row["detail"].as_str().unwrap();
        assert!(detail.contains("looks destructive ("), "{id}: {detail}");
    }
}
