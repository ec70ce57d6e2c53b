//! Variables in `runbook diagnose`: a secret never appears in clear, and a
//! `--var` value can never inject a command.

#[path = "diagnose_support/mod.rs"]
mod support;

use runbook::incident::Event;
use support::*;

const SECRET: &str = "s3cr3t-value-XYZ";
const MASK: &str = "••••";

/// Runs the secrets fixture and asserts `secret` shows nowhere in clear.
fn assert_masked(secret: &str, extra: &[&str], env: Option<&str>, json: bool) {
    let log = tempfile::tempdir().unwrap();
    let fx = fixture("secrets.yaml");
    let mut args = vec![fx.to_str().unwrap()];
    args.extend_from_slice(extra);
    if json {
        args.push("--json");
    }
    let mut cmd = diagnose_cmd();
    cmd.args(&args).arg("--log-dir").arg(log.path());
    match env {
        Some(v) => cmd.env("DIAG_TEST_TOKEN", v),
        None => cmd.env_remove("DIAG_TEST_TOKEN"),
    };
    let out = cmd.output().unwrap();
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(!stdout.contains(secret), "secret on stdout:\n{stdout}");
    assert!(!stderr.contains(secret), "secret on stderr:\n{stderr}");
    if json {
        // The JSON summary carries no command lines or output to mask.
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(v["ok"], true);
        assert_eq!(v["results"].as_array().map(Vec::len), Some(2));
    } else {
        // The operator sees the masked command line and masked output.
        assert!(stdout.contains(&format!("echo '{MASK}'")), "{stdout}");
        assert!(
            stdout.lines().any(|l| l.trim() == MASK),
            "masked output line:\n{stdout}"
        );
        assert!(stdout.contains(&format!("amqp://u:{MASK}@h/")), "{stdout}");
    }

    let path = the_journal(log.path());
    let raw = std::fs::read_to_string(&path).unwrap();
    assert!(!raw.contains(secret), "secret in the journal:\n{raw}");
    let (read, _) = read_folded(log.path());
    let mut outputs = String::new();
    for r in &read.records {
        match &r.event {
            Event::IncidentOpened { vars, .. } => assert_eq!(vars["token"], MASK),
            Event::CommandStarted { command_line, .. } => {
                assert!(command_line.contains(MASK), "{command_line}")
            }
            Event::CommandOutput { text, .. } => outputs.push_str(text),
            _ => {}
        }
    }
    assert_eq!(outputs, expected_output(&outputs), "journaled output");
}

/// Both commands' output, masked, in whichever order they finished.
fn expected_output(got: &str) -> String {
    let a = format!("{MASK}\n");
    let b = format!("amqp://u:{MASK}@h/\n");
    if got.starts_with(&a) { a + &b } else { b + &a }
}

#[test]
fn secret_default_never_in_clear_text_mode() {
    assert_masked(SECRET, &[], None, false);
}

#[test]
fn secret_default_never_in_clear_json_mode() {
    assert_masked(SECRET, &[], None, true);
}

#[test]
fn secret_from_var_never_in_clear() {
    let other = "0ther-s3cret-ABC";
    let var = format!("token={other}");
    assert_masked(other, &["--var", &var], None, false);
    assert_masked(other, &["--var", &var], None, true);
}

#[test]
fn secret_from_env_never_in_clear() {
    let other = "env-s3cret-QRS";
    assert_masked(other, &[], Some(other), false);
    assert_masked(other, &[], Some(other), true);
}

#[test]
fn var_values_cannot_inject_commands() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("MARKER");
    let m = marker.to_str().unwrap();
    let attempts = [
        format!("x; touch {m}"),
        format!("$(touch {m})"),
        format!("`touch {m}`"),
        format!("x' ; touch {m} ; echo '"),
        format!("x\ntouch {m}"),
        format!("x && touch {m} | cat"),
    ];
    let fx = fixture("inject.yaml");
    for value in &attempts {
        let log = tempfile::tempdir().unwrap();
        let var = format!("host={value}");
        let out = diagnose(&[fx.to_str().unwrap(), "--var", &var], log.path());
        let (code, stdout, stderr) = parts(&out);
        assert!(
            !marker.exists(),
            "`{value}` ran a command:\n{stdout}\n{stderr}"
        );
        assert_eq!(code, Some(0), "{value}:\n{stdout}\n{stderr}");
        // echo printed the value literally (each line of it).
        let (read, inc) = read_folded(log.path());
        let run = inc.runs.values().next().unwrap_or_else(|| {
            panic!(
                "`{value}`: echo-host did not run:\n{stdout}\n{:?}",
                read.records
            )
        });
        assert_eq!(run.output, format!("{value}\n"), "journaled output");
        for line in value.lines() {
            assert!(
                stdout.lines().any(|l| l.trim() == line.trim()),
                "`{line}` not shown literally:\n{stdout}"
            );
        }
    }
}
