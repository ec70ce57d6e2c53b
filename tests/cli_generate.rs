//! `runbook completions SHELL` and `runbook man`: generated from the clap
//! definition, so every subcommand and option is in them.

use assert_cmd::Command;

fn stdout_of(args: &[&str]) -> String {
    let out = Command::cargo_bin("runbook")
        .expect("binary")
        .args(args)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

const SUBCOMMANDS: [&str; 12] = [
    "start",
    "resume",
    "diagnose",
    "drill",
    "check",
    "list",
    "report",
    "history",
    "review",
    "watch",
    "completions",
    "man",
];

#[test]
fn completions_for_each_shell_name_the_subcommands_and_options() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout_of(&["completions", shell]);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell}: no `{sub}`");
        }
        assert!(script.contains("notify"), "{shell}: no --notify");
        assert!(script.contains("log-dir"), "{shell}: no --log-dir");
    }
    let bash = stdout_of(&["completions", "bash"]);
    assert!(
        bash.contains("--notify") && bash.contains("complete -F"),
        "{bash}"
    );
    let err = Command::cargo_bin("runbook")
        .expect("binary")
        .args(["completions", "tcsh"])
        .output()
        .expect("runs");
    assert_eq!(
        err.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}

#[test]
fn the_man_page_documents_every_subcommand_and_renders() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH RUNBOOK 1"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!(".SH \"RUNBOOK {}\"", sub.to_uppercase())),
            "no section for {sub}"
        );
    }
    assert!(page.contains(".SH \"RUNBOOK DRILL SCORES\""));
    assert!(page.contains("\\-\\-notify"), "options are listed");
    assert!(
        !page.contains("SANDBOX-HOLD"),
        "hidden subcommands stay hidden"
    );
    // Rendered by man(1) when it is installed: no roff warnings.
    if std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_ok()
    {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("runbook.1");
        std::fs::write(&file, &page).expect("write");
        let out = std::process::Command::new("man")
            .args(["--warnings", "-l"])
            .arg(&file)
            .env("MANWIDTH", "80")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .expect("man runs");
        let text = String::from_utf8_lossy(&out.stdout);
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{warnings}");
        assert!(warnings.trim().is_empty(), "roff warnings: {warnings}");
        assert!(
            text.contains("RUNBOOK DIAGNOSE") && text.contains("runbook diagnose"),
            "{text}"
        );
    }
}
