//! Variables in `runbook diagnose`: a secret given from outside the runbook
//! never appears in clear (colour codes inside it or not), and a
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
fn a_secret_left_at_its_default_is_output_as_written_in_the_runbook() {
    // The default is in the runbook in plain text: masking it in output would
    // hide nothing and only mask innocent text. Its placeholder in the
    // command line and any URL password stay masked.
    let log = tempfile::tempdir().unwrap();
    let fx = fixture("secrets.yaml");
    let out = diagnose_cmd()
        .arg(&fx)
        .arg("--log-dir")
        .arg(log.path())
        .env_remove("DIAG_TEST_TOKEN")
        .output()
        .unwrap();
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("echo '{MASK}'")), "{stdout}");
    assert!(stdout.lines().any(|l| l.trim() == SECRET), "{stdout}");
    assert!(stdout.contains(&format!("amqp://u:{MASK}@h/")), "{stdout}");
    let (_, inc) = read_folded(log.path());
    assert_eq!(inc.vars["token"], MASK);
    let mut outputs: Vec<&str> = inc.runs.values().map(|r| r.output.as_str()).collect();
    outputs.sort();
    assert_eq!(
        outputs,
        [format!("amqp://u:{MASK}@h/\n"), format!("{SECRET}\n")]
    );
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

/// Runs the colour fixture with `args` (and `env_password` as
/// DIAG_TEST_PASSWORD); returns stdout, the journal's text, the command
/// output as journaled, and the Markdown and HTML reports.
fn colour_run(args: &[&str], env_password: Option<&str>) -> [String; 5] {
    let log = tempfile::tempdir().unwrap();
    let fx = fixture("colour-secret.yaml");
    let mut cmd = diagnose_cmd();
    cmd.arg(&fx)
        .args(args)
        .arg("--log-dir")
        .arg(log.path())
        .env_remove("GREP_COLORS")
        .env_remove("GREP_COLOR");
    match env_password {
        Some(v) => cmd.env("DIAG_TEST_PASSWORD", v),
        None => cmd.env_remove("DIAG_TEST_PASSWORD"),
    };
    let out = cmd.output().unwrap();
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let path = the_journal(log.path());
    let raw = std::fs::read_to_string(&path).unwrap();
    let (read, _) = read_folded(log.path());
    let output: String = read
        .records
        .iter()
        .filter_map(|r| match &r.event {
            Event::CommandOutput { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let report = |format: &str| {
        let out = assert_cmd::Command::new(bin())
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .args(["report", "--format", format])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "report --format {format}");
        String::from_utf8(out.stdout).unwrap()
    };
    [stdout, raw, output, report("markdown"), report("html")]
}

#[test]
fn a_secret_coloured_by_grep_or_printf_is_masked_everywhere() {
    let [stdout, raw, output, md, html] = colour_run(&["--var", "password=hunter2pass"], None);
    let plain_output = runbook::exec::sanitize::strip_sgr(&output);
    for (what, text) in [
        ("stdout", &stdout),
        ("journal file", &raw),
        ("journaled output as shown", &plain_output),
        ("Markdown report", &md),
        ("HTML report", &html),
    ] {
        assert!(!text.contains("hunter2"), "secret in the {what}:\n{text}");
    }
    // The colours stay in the journal: grep's around `pass`, printf's reset.
    assert!(
        output.contains("default_\x1b[01;31mpass\x1b[m = ••••\x1b[01;31m\x1b[m\n"),
        "{output:?}"
    );
    assert!(output.contains("pw ••••\x1b[0m\n"), "{output:?}");
    for (what, text) in [("stdout", &stdout), ("Markdown report", &md)] {
        assert!(text.contains("default_pass = ••••"), "{what}:\n{text}");
        assert!(text.contains("pw ••••"), "{what}:\n{text}");
    }
    assert!(html.contains("default_pass = ••••"), "{html}");
}

#[test]
fn the_default_user_name_is_not_masked_when_the_password_is_the_runbooks_default() {
    let [stdout, raw, output, md, html] = colour_run(&[], None);
    let line = "user guest authenticated, url amqp://guest:••••@localhost/";
    assert!(output.contains(line), "{output}");
    for (what, text) in [
        ("stdout", &stdout),
        ("journal file", &raw),
        ("Markdown report", &md),
        ("HTML report", &html),
    ] {
        assert!(text.contains(line), "{what}:\n{text}");
    }
    // Given from outside, the same value is masked, user name and all.
    let masked = "user •••• authenticated, url amqp://••••:••••@localhost/";
    for (args, env) in [
        (&["--var", "password=guest"][..], None),
        (&[][..], Some("guest")),
    ] {
        let [stdout, raw, output, md, html] = colour_run(args, env);
        assert!(output.contains(masked), "{args:?} {env:?}: {output}");
        for (what, text) in [
            ("stdout", &stdout),
            ("journal file", &raw),
            ("Markdown report", &md),
            ("HTML report", &html),
        ] {
            assert!(!text.contains("user guest"), "{what}:\n{text}");
        }
    }
}
