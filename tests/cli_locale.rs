//! The program's own messages outside an incident follow the locale
//! (`LC_ALL`, then `LC_MESSAGES`, then `LANG`; `zh…` is Chinese): the same
//! errors in Chinese and in English, values (paths, OS errors, ids) as they
//! are, and `runbook check`'s validation messages English in both.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

/// `runbook ARGS` with the locale `vars` (every other locale variable
/// removed), no config file and no log directory from the caller.
fn runbook(home: &Path, vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::cargo_bin("runbook").expect("binary");
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env_remove("RUNBOOK_LOG_DIR")
        .env_remove("XDG_STATE_HOME")
        .env("RUNBOOK_CONFIG", home.join("none.toml"))
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .timeout(Duration::from_secs(60));
    for (k, v) in vars {
        c.env(k, v);
    }
    c.args(args).output().expect("runs")
}

const ZH: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];
const EN: &[(&str, &str)] = &[("LANG", "C")];

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn resume_without_an_unfinished_incident() {
    let home = tempfile::tempdir().unwrap();
    let logs = home.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let logs_s = logs.display().to_string();
    let with_dir = |lang: &[(&str, &str)]| {
        let mut vars = lang.to_vec();
        vars.push(("RUNBOOK_LOG_DIR", &logs_s));
        runbook(home.path(), &vars, &["resume"])
    };

    let zh = with_dir(ZH);
    assert_eq!(zh.status.code(), Some(2));
    assert_eq!(
        stderr(&zh).trim_end(),
        format!("runbook: {logs_s} 中没有未结束的事件；用 `runbook start` 开始一个")
    );

    let en = with_dir(EN);
    assert_eq!(en.status.code(), Some(2));
    assert_eq!(
        stderr(&en).trim_end(),
        format!("runbook: no unfinished incident in {logs_s}; start one with `runbook start`")
    );
}

#[test]
fn report_of_a_missing_journal() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("nonexistent.jsonl");
    let m = missing.display().to_string();

    let zh = runbook(home.path(), ZH, &["report", &m]);
    assert_eq!(zh.status.code(), Some(2));
    let e = stderr(&zh);
    assert!(
        e.starts_with(&format!("runbook report: 无法读取日志 {m}：")),
        "{e}"
    );
    // The OS error is the OS's.
    assert!(e.contains("os error 2"), "{e}");

    let en = runbook(home.path(), EN, &["report", &m]);
    assert_eq!(en.status.code(), Some(2));
    let e = stderr(&en);
    assert!(
        e.starts_with(&format!("runbook report: cannot read the journal {m}: ")),
        "{e}"
    );
    assert!(
        !e.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{e}"
    );
}

#[test]
fn report_of_a_directory_is_refused_in_the_locale() {
    let home = tempfile::tempdir().unwrap();
    let d = home.path().display().to_string();
    let zh = runbook(home.path(), ZH, &["report", &d]);
    assert_eq!(zh.status.code(), Some(2));
    assert_eq!(
        stderr(&zh).trim_end(),
        format!("runbook report: 无法读取日志 {d}：不是普通文件（目录）")
    );
    let en = runbook(home.path(), EN, &["report", &d]);
    assert_eq!(
        stderr(&en).trim_end(),
        format!("runbook report: cannot read the journal {d}: not a regular file (a directory)")
    );
}

#[test]
fn history_of_a_file_instead_of_a_directory() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let f = file.display().to_string();

    let zh = runbook(home.path(), ZH, &["history", "--log-dir", &f]);
    assert_eq!(zh.status.code(), Some(2));
    let e = stderr(&zh);
    assert!(
        e.starts_with(&format!("runbook history: 无法列出 {f}：")),
        "{e}"
    );
    assert!(e.trim_end().ends_with("；请用 --log-dir 换一个目录"), "{e}");

    let en = runbook(home.path(), EN, &["history", "--log-dir", &f]);
    assert_eq!(en.status.code(), Some(2));
    let e = stderr(&en);
    assert!(
        e.starts_with(&format!("runbook history: cannot list {f}: ")),
        "{e}"
    );
    assert!(
        e.trim_end()
            .ends_with("; choose another directory with --log-dir"),
        "{e}"
    );
}

#[test]
fn check_speaks_the_locale_but_validation_messages_stay_english() {
    let home = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let valid = format!("{root}/tests/runbooks/valid/full.yaml");
    let invalid = format!("{root}/tests/runbooks/invalid/unknown-key.yaml");

    let zh = runbook(home.path(), ZH, &["check", &valid, &invalid]);
    assert_eq!(zh.status.code(), Some(1));
    assert!(
        stdout(&zh).contains(&format!("通过：{valid}（full-example，3 个步骤）")),
        "{}",
        stdout(&zh)
    );
    let e = stderr(&zh);
    assert!(e.contains("unknown key `budgett` in a step"), "{e}");
    assert!(e.trim_end().ends_with("1 个预案文件无效（共 2 个）"), "{e}");

    let en = runbook(home.path(), EN, &["check", &valid, &invalid]);
    assert!(
        stdout(&en).contains(&format!("ok: {valid} (full-example, 3 steps)")),
        "{}",
        stdout(&en)
    );
    let e = stderr(&en);
    assert!(e.contains("unknown key `budgett` in a step"), "{e}");
    assert!(
        e.trim_end().ends_with("1 of 2 runbook file(s) invalid"),
        "{e}"
    );
}

#[test]
fn start_without_a_terminal_and_a_bad_step_for_diagnose() {
    let home = tempfile::tempdir().unwrap();
    let fixture = format!(
        "{}/tests/fixtures/tui/basic.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let logs = home.path().join("logs").display().to_string();

    let zh = runbook(home.path(), ZH, &["start", &fixture, "--log-dir", &logs]);
    assert_eq!(zh.status.code(), Some(2));
    let e = stderr(&zh);
    assert!(
        e.starts_with("runbook start 需要交互式终端（stdin 和 stdout 都必须是 TTY）。"),
        "{e}"
    );
    assert!(e.contains("无终端时运行安全的诊断项请用："), "{e}");
    assert!(e.contains("diagnose [RUNBOOK]"), "{e}");

    let zh = runbook(
        home.path(),
        ZH,
        &["diagnose", &fixture, "--step", "nope", "--log-dir", &logs],
    );
    assert_eq!(zh.status.code(), Some(2));
    assert_eq!(
        stderr(&zh).trim_end(),
        "runbook: 没有步骤 `nope`（预案 e2e-basic）；步骤有：first, second, third"
    );
    let en = runbook(
        home.path(),
        EN,
        &["diagnose", &fixture, "--step", "nope", "--log-dir", &logs],
    );
    assert_eq!(
        stderr(&en).trim_end(),
        "runbook: no step `nope` in runbook e2e-basic; steps are: first, second, third"
    );
    // A usage error leaves no journal behind.
    assert!(!Path::new(&logs).exists());
}

#[test]
fn lc_all_then_lc_messages_then_lang() {
    let home = tempfile::tempdir().unwrap();
    let m = home.path().join("gone.jsonl").display().to_string();
    let said = |vars: &[(&str, &str)]| stderr(&runbook(home.path(), vars, &["report", &m]));
    let chinese = |s: &str| s.contains("无法读取日志");

    assert!(chinese(&said(&[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "C")])));
    assert!(!chinese(&said(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])));
    assert!(chinese(&said(&[
        ("LC_MESSAGES", "zh_TW.UTF-8"),
        ("LANG", "C")
    ])));
    assert!(!chinese(&said(&[
        ("LC_MESSAGES", "en_US.UTF-8"),
        ("LANG", "zh_CN.UTF-8")
    ])));
    // An empty LC_ALL is no choice: the next one decides.
    assert!(chinese(&said(&[("LC_ALL", ""), ("LANG", "zh_CN.UTF-8")])));
    // No locale at all: English.
    assert!(!chinese(&said(&[])));
}
