//! The user's config file (`$RUNBOOK_CONFIG`, else
//! `$XDG_CONFIG_HOME/runbook/config.toml`): `log_dir` with its precedence
//! (flag > RUNBOOK_LOG_DIR > file > default), a relative XDG_CONFIG_HOME
//! ignored, unknown keys named with file and line; and hints that name the
//! binary really running.

mod report_support;

use assert_cmd::Command;
use report_support::resolved_incident;

fn runbook() -> Command {
    let mut c = Command::cargo_bin("runbook").expect("binary");
    c.env_remove("RUNBOOK_LOG_DIR")
        .env_remove("RUNBOOK_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_STATE_HOME")
        .env_remove("COLUMNS")
        // English messages: the program's follow LC_ALL, LC_MESSAGES, LANG.
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

fn listed(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn log_dir_comes_from_the_flag_then_the_env_then_the_config_file() {
    let home = tempfile::tempdir().expect("tempdir");
    let from_file = tempfile::tempdir().expect("tempdir");
    let from_env = tempfile::tempdir().expect("tempdir");
    let from_flag = tempfile::tempdir().expect("tempdir");
    resolved_incident(from_file.path());
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        format!("log_dir = \"{}\"\n", from_file.path().display()),
    )
    .expect("write");
    let file_only = runbook()
        .env("HOME", home.path())
        .env("RUNBOOK_CONFIG", &config)
        .arg("history")
        .output()
        .expect("runs");
    assert!(
        listed(&file_only).contains("rabbitmq-emergency.jsonl"),
        "{file_only:?}"
    );
    let env_wins = runbook()
        .env("HOME", home.path())
        .env("RUNBOOK_CONFIG", &config)
        .env("RUNBOOK_LOG_DIR", from_env.path())
        .arg("history")
        .output()
        .expect("runs");
    assert!(
        listed(&env_wins).contains(&format!("No incidents in {}", from_env.path().display())),
        "{env_wins:?}"
    );
    let flag_wins = runbook()
        .env("HOME", home.path())
        .env("RUNBOOK_CONFIG", &config)
        .env("RUNBOOK_LOG_DIR", from_env.path())
        .args(["history", "--log-dir"])
        .arg(from_flag.path())
        .output()
        .expect("runs");
    assert!(
        listed(&flag_wins).contains(&format!("No incidents in {}", from_flag.path().display())),
        "{flag_wins:?}"
    );
}

#[test]
fn the_config_file_is_found_under_xdg_config_home_unless_it_is_relative() {
    let home = tempfile::tempdir().expect("tempdir");
    let logs = tempfile::tempdir().expect("tempdir");
    resolved_incident(logs.path());
    let xdg = home.path().join("xdg");
    std::fs::create_dir_all(xdg.join("runbook")).expect("mkdir");
    let body = format!("log_dir = \"{}\"\n", logs.path().display());
    std::fs::write(xdg.join("runbook/config.toml"), &body).expect("write");
    let found = runbook()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", &xdg)
        .arg("history")
        .output()
        .expect("runs");
    assert!(
        listed(&found).contains("rabbitmq-emergency.jsonl"),
        "{found:?}"
    );
    // A relative XDG_CONFIG_HOME is ignored (the spec): ~/.config is used,
    // even when the relative path would lead to a config file from here.
    let relative = runbook()
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", "xdg")
        .env("XDG_STATE_HOME", "state")
        .arg("history")
        .output()
        .expect("runs");
    let out = listed(&relative);
    assert!(
        out.contains(&format!(
            "No incidents in {}",
            home.path().join(".local/state/runbook/incidents").display()
        )),
        "{relative:?}"
    );
}

#[test]
fn an_unknown_key_is_named_with_its_file_and_line_and_nothing_stops() {
    let home = tempfile::tempdir().expect("tempdir");
    let logs = tempfile::tempdir().expect("tempdir");
    resolved_incident(logs.path());
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "# settings\nlog_dir = \"{}\"\nthme = \"mono\"\n",
            logs.path().display()
        ),
    )
    .expect("write");
    let out = runbook()
        .env("HOME", home.path())
        .env("RUNBOOK_CONFIG", &config)
        .arg("history")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "{}:3: unknown key `thme`; did you mean `theme`?",
            config.display()
        )),
        "{err}"
    );
    assert!(
        listed(&out).contains("rabbitmq-emergency.jsonl"),
        "the rest is used"
    );
}

/// The hints name the binary that runs: here the test build, which is not
/// `runbook` on PATH, and `runbook` once PATH leads to it.
#[test]
fn hints_name_the_command_that_really_runs() {
    let bin = assert_cmd::cargo::cargo_bin("runbook");
    let here = std::env::current_dir().expect("cwd");
    let expected = match bin.strip_prefix(&here) {
        Ok(rel) => format!("./{}", rel.display()),
        Err(_) => bin.display().to_string(),
    };
    let out = runbook()
        .env("PATH", "/usr/bin:/bin")
        .arg("start")
        .write_stdin("")
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("use: {expected} diagnose")), "{err}");
    let path_dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(&bin, path_dir.path().join("runbook")).expect("symlink");
    let out = runbook()
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", path_dir.path().display()),
        )
        .arg("start")
        .write_stdin("")
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("use: runbook diagnose [RUNBOOK]"), "{err}");
}
