//! `runbook diagnose` on the command line: exit codes, `--json`, usage
//! errors, `--answer` and `--verbose`.

#[path = "diagnose_support/mod.rs"]
mod support;

use serde_json::Value;
use support::*;

fn selection() -> String {
    fixture("selection.yaml").display().to_string()
}

/// Runs diagnose with `--json`; returns the exit code and the parsed summary.
fn json_run(args: &[&str], log: &std::path::Path) -> (i32, Value) {
    let mut all = args.to_vec();
    all.push("--json");
    let out = diagnose(&all, log);
    let (code, stdout, stderr) = parts(&out);
    let v = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("--json output is not JSON ({e}):\n{stdout}\n{stderr}"));
    (code.unwrap(), v)
}

fn result_ids(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

fn skipped_ids(v: &Value) -> Vec<String> {
    v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Runs diagnose expecting a usage error: exit 2, no journal, stderr returned.
fn usage_error(args: &[&str]) -> String {
    let log = tempfile::tempdir().unwrap();
    let out = diagnose(args, log.path());
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, Some(2), "{args:?}\n{stdout}\n{stderr}");
    assert!(
        journals(log.path()).is_empty(),
        "a usage error must not open an incident journal: {:?}",
        journals(log.path())
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn failing_command_exits_1_and_json_says_not_ok() {
    let log = tempfile::tempdir().unwrap();
    let (code, v) = json_run(&[&selection(), "--step", "second"], log.path());
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["ok"], false);
    assert_eq!(v["runbook"], "diag-selection");
    let r = &v["results"][0];
    assert_eq!(r["id"], "fails");
    assert_eq!(r["kind"], "command");
    assert_eq!(r["exit_code"], 3);
    assert_eq!(r["ok"], false);
    // The summary points at the journal, which exists.
    let journal = v["journal"].as_str().unwrap();
    assert_eq!(std::path::Path::new(journal), the_journal(log.path()));

    // Text mode: same exit code, the row shows the exit code.
    let log = tempfile::tempdir().unwrap();
    let out = diagnose(&[&selection(), "--step", "second"], log.path());
    let (code, stdout, _) = parts(&out);
    assert_eq!(code, Some(1));
    let row = stdout
        .lines()
        .find(|l| l.starts_with("2. second"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(row.contains("fails") && row.contains("exit 3"), "{row}");
    assert!(stdout.contains("1 failed"), "{stdout}");
}

#[test]
fn all_passing_exits_0_and_json_says_ok() {
    let log = tempfile::tempdir().unwrap();
    let (code, v) = json_run(
        &[&selection(), "--step", "first", "--step", "third"],
        log.path(),
    );
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["ok"], true);
    assert_eq!(result_ids(&v), ["always", "output-check"]);
    // Nothing that needs a human or an answer ran.
    let mut skipped = skipped_ids(&v);
    skipped.sort();
    assert_eq!(
        skipped,
        [
            "caught-by-net",
            "follower",
            "only-red",
            "red-check",
            "risky"
        ]
    );
    let (read, _) = read_folded(log.path());
    assert_eq!(of_type(&read.records, "command_started").len(), 1);
}

#[test]
fn answer_includes_the_when_commands_and_checks() {
    let log = tempfile::tempdir().unwrap();
    let (code, v) = json_run(
        &[&selection(), "--step", "first", "--answer", "colour=red"],
        log.path(),
    );
    assert_eq!(code, 0, "{v:#}");
    let mut ran = result_ids(&v);
    ran.sort();
    assert_eq!(ran, ["always", "only-red", "red-check"]);
    let skipped = skipped_ids(&v);
    assert!(!skipped.contains(&"only-red".to_string()), "{skipped:?}");
    // The answer is part of the record.
    let (_, inc) = read_folded(log.path());
    assert_eq!(inc.answers.get("colour").map(String::as_str), Some("red"));

    // Another choice does not include them.
    let log = tempfile::tempdir().unwrap();
    let (_, v) = json_run(
        &[&selection(), "--step", "first", "--answer", "colour=blue"],
        log.path(),
    );
    assert_eq!(result_ids(&v), ["always"]);
}

#[test]
fn verbose_lists_each_skipped_item_and_why() {
    let log = tempfile::tempdir().unwrap();
    let out = diagnose(&[&selection(), "--step", "first"], log.path());
    let (_, stdout, _) = parts(&out);
    assert!(stdout.contains("5 skipped"), "{stdout}");
    assert!(stdout.contains("(--verbose lists them)"), "{stdout}");
    assert!(!stdout.contains("skipped first/"), "{stdout}");

    let log = tempfile::tempdir().unwrap();
    let out = diagnose(&[&selection(), "--step", "first", "-v"], log.path());
    let (code, stdout, _) = parts(&out);
    assert_eq!(code, Some(0), "{stdout}");
    let line = |id: &str| {
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("skipped first/{id}:")))
            .unwrap_or_else(|| panic!("{id} not listed:\n{stdout}"))
            .to_string()
    };
    assert!(line("only-red").contains("--answer colour=red"));
    assert!(line("red-check").contains("--answer colour=red"));
    assert!(line("risky").contains("confirm"));
    assert!(line("caught-by-net").contains("destructive"));
    assert!(line("follower").contains("follow"));
}

#[test]
fn verbose_with_answer_and_steps_lists_only_what_is_left_out() {
    let log = tempfile::tempdir().unwrap();
    let out = diagnose(
        &[
            &selection(),
            "--step",
            "first",
            "--step",
            "second",
            "--answer",
            "colour=red",
            "--verbose",
        ],
        log.path(),
    );
    let (code, stdout, _) = parts(&out);
    assert_eq!(code, Some(1), "`fails` is in step second\n{stdout}");
    let listed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("skipped "))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(
        listed,
        ["first/risky", "first/caught-by-net", "first/follower"],
        "{stdout}"
    );
    assert!(stdout.contains("3 skipped"), "{stdout}");
    // Step third was not selected: its check neither ran nor counts as skipped.
    assert!(!stdout.contains("output-check"), "{stdout}");
}

#[test]
fn unknown_step_is_a_usage_error_listing_the_steps() {
    let err = usage_error(&[&selection(), "--step", "nope"]);
    assert!(err.contains("no step `nope`"), "{err}");
    assert!(err.contains("first, second, third"), "{err}");
}

#[test]
fn bad_var_syntax_is_a_usage_error() {
    let err = usage_error(&[&selection(), "--var", "novalue"]);
    assert!(err.contains("--var expects NAME=VALUE"), "{err}");
    let err = usage_error(&[&selection(), "--var", "=x"]);
    assert!(err.contains("--var expects NAME=VALUE"), "{err}");
    // A variable the runbook does not declare is refused too.
    let err = usage_error(&[&selection(), "--var", "undeclared=1"]);
    assert!(err.contains("undeclared"), "{err}");
}

#[test]
fn unknown_answer_is_a_usage_error_listing_the_choices() {
    let err = usage_error(&[&selection(), "--answer", "flavour=red"]);
    assert!(err.contains("no question `flavour`"), "{err}");
    assert!(err.contains("colour"), "{err}");
    let err = usage_error(&[&selection(), "--answer", "colour=green"]);
    assert!(err.contains("`green` is not a choice"), "{err}");
    assert!(err.contains("red, blue"), "{err}");
    let err = usage_error(&[&selection(), "--answer", "colour"]);
    assert!(err.contains("ASK=CHOICE"), "{err}");
}

#[test]
fn missing_runbook_file_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.yaml");
    let m = missing.display().to_string();
    let err = usage_error(&[&m]);
    assert!(err.contains(&format!("{m}:1:1:")), "{err}");
}

#[test]
fn jobs_out_of_range_is_a_usage_error() {
    let err = usage_error(&[&selection(), "--jobs", "0"]);
    assert!(err.contains("--jobs"), "{err}");
}

#[test]
fn answer_on_the_embedded_runbook_includes_its_when_commands() {
    // Step 2 (logs) has `grep-auth` only for auth/vhost symptoms.
    let log = tempfile::tempdir().unwrap();
    let (_, v) = json_run(&["--step", "logs"], log.path());
    assert_eq!(v["runbook"], "rabbitmq-emergency");
    assert!(!result_ids(&v).contains(&"grep-auth".into()), "{v:#}");
    assert!(skipped_ids(&v).contains(&"grep-auth".into()), "{v:#}");

    let log = tempfile::tempdir().unwrap();
    let (_, v) = json_run(
        &["--step", "logs", "--answer", "symptom=auth-failure"],
        log.path(),
    );
    assert!(result_ids(&v).contains(&"grep-auth".into()), "{v:#}");
    assert!(!skipped_ids(&v).contains(&"grep-auth".into()), "{v:#}");
    // Commands for other symptoms stay out.
    assert!(skipped_ids(&v).contains(&"grep-alarms".into()), "{v:#}");
}

/// The Chinese runbook's summary is in Chinese (its `lang`, whatever the
/// locale: LC_ALL=C here), against the broker on 127.0.0.1:5672; `--json`
/// keeps its English words for scripts.
#[test]
fn a_chinese_runbook_prints_its_summary_in_chinese() {
    let log = tempfile::tempdir().unwrap();
    let out = diagnose(&["rabbitmq-emergency-zh", "--step", "confirm"], log.path());
    let (code, stdout, stderr) = parts(&out);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    for want in [
        "步骤",
        "编号",
        "类型",
        "结果",
        "用时",
        "摘要",
        "通过",
        "退出码 0",
        "运行 6 项，通过 6 项，失败 0 项；跳过 1 项",
        "1 项已跳过：它们对应未给出的回答",
        "（--verbose 可列出明细）",
        "日志：",
    ] {
        assert!(stdout.contains(want), "missing {want:?}:\n{stdout}");
    }
    // The table lines up in terminal columns (a Chinese character takes two).
    let col = |l: &str, word: &str| {
        use unicode_width::UnicodeWidthStr;
        l.find(word).map(|i| l[..i].width())
    };
    let head = stdout.lines().find(|l| l.starts_with("步骤")).unwrap();
    let row = stdout
        .lines()
        .find(|l| l.starts_with("1. confirm  amqp-port"))
        .unwrap();
    assert_eq!(col(head, "类型"), col(row, "检查"), "{head}\n{row}");
    assert!(!stdout.contains(" run, ") && !stdout.contains("journal:"));

    let log = tempfile::tempdir().unwrap();
    let (_, v) = json_run(&["rabbitmq-emergency-zh", "--step", "confirm"], log.path());
    assert_eq!(v["runbook"], "rabbitmq-emergency-zh");
    assert!(
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["result"] == "pass" || r["result"] == "exit 0"),
        "{v:#}"
    );
    // `--json` says why in English for scripts ...
    let detail = v["skipped"][0]["detail"].as_str().unwrap().to_string();
    assert!(detail.starts_with("only when symptom is "), "{v:#}");

    // ... and `--verbose` says the same in the runbook's language.
    let log = tempfile::tempdir().unwrap();
    let out = diagnose(
        &["rabbitmq-emergency-zh", "--step", "confirm", "--verbose"],
        log.path(),
    );
    let (_, stdout, _) = parts(&out);
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("已跳过 confirm/"))
        .unwrap_or_else(|| panic!("no skipped line:\n{stdout}"));
    assert!(line.contains("仅当 symptom 为 "), "{line}");
    assert!(line.contains("--answer symptom="), "{line}");
    assert!(!line.contains("only when"), "{line}");
}

/// The journaled outcome (summary, evidence) of each check of the run in
/// `log`, by check id.
fn check_outcomes(log: &std::path::Path) -> std::collections::BTreeMap<String, (String, String)> {
    use runbook::incident::Event;
    let (read, _) = read_folded(log);
    let mut ids = std::collections::BTreeMap::new();
    let mut out = std::collections::BTreeMap::new();
    for r in &read.records {
        match &r.event {
            Event::CheckStarted { run, check, .. } => {
                ids.insert(*run, check.clone());
            }
            Event::CheckFinished {
                run,
                summary,
                evidence,
                ..
            } => {
                let id = ids.get(run).cloned().unwrap_or_default();
                out.insert(id, (summary.clone(), evidence.clone()));
            }
            _ => {}
        }
    }
    out
}

/// A Chinese runbook's built-in checks word their results in Chinese as they
/// run, and the journal keeps them so (the TCP and AMQP checks of step 1
/// against the broker on 127.0.0.1:5672, read-only); the English runbook's
/// stay English. The management API check is held only to its language:
/// whether the management plugin answers is the host's business.
#[test]
fn a_chinese_runbook_journals_its_check_results_in_chinese() {
    let log = tempfile::tempdir().unwrap();
    let out = diagnose(&["rabbitmq-emergency-zh", "--step", "confirm"], log.path());
    let (_, stdout, stderr) = parts(&out);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let checks = check_outcomes(log.path());
    let all = format!("{checks:#?}\n{stdout}");
    let (port, port_evidence) = &checks["amqp-port"];
    assert_eq!(port, "localhost:5672 可建立 TCP 连接", "{all}");
    assert!(port_evidence.starts_with("已连接到 "), "{all}");
    let (login, login_evidence) = &checks["amqp-login"];
    assert_eq!(
        login, "以 \"guest\" 登录 AMQP 并打开 vhost \"/\" 成功",
        "{all}"
    );
    assert!(
        login_evidence.contains("；用户 \"guest\"；vhost \"/\"")
            && login_evidence.contains("已正常关闭（connection.close、close-ok）"),
        "{all}"
    );
    let (mgmt, _) = &checks["mgmt-api"];
    assert!(
        mgmt.contains("个连接") || mgmt.starts_with("无法查询管理 API："),
        "{all}"
    );
    for english in [
        "accepts TCP connections",
        "AMQP login as",
        "connected to",
        "closed cleanly",
        " connections, ",
        "could not ask",
    ] {
        for (id, (summary, evidence)) in &checks {
            assert!(
                !summary.contains(english) && !evidence.contains(english),
                "English {english:?} in {id}:\n{all}"
            );
        }
    }
    // The summary table shows the journaled words.
    assert!(stdout.contains("可建立 TCP 连接"), "{stdout}");

    let log = tempfile::tempdir().unwrap();
    diagnose(&["rabbitmq-emergency", "--step", "confirm"], log.path());
    let checks = check_outcomes(log.path());
    assert_eq!(
        checks["amqp-port"].0, "localhost:5672 accepts TCP connections",
        "{checks:#?}"
    );
    assert_eq!(
        checks["amqp-login"].0, "AMQP login as \"guest\" to vhost \"/\" works",
        "{checks:#?}"
    );
}
