//! A postmortem report of a journal written by a real `runbook diagnose` run,
//! compared with a golden file after normalising times, durations, the host
//! and the event count.

mod report_support;

use assert_cmd::Command;
use regex::Regex;

fn normalise(report: &str) -> String {
    let rules = [
        (r"\d{8}T\d{6}Z", "YYYYMMDDTHHMMSSZ"),
        (r"\d{4}-\d{2}-\d{2}", "YYYY-MM-DD"),
        (r"\d{2}:\d{2}:\d{2}", "HH:MM:SS"),
        (r"\+\d+(\.\d+)?(ms|s|m)\b", "+T"),
        (r"\b\d+(\.\d+)?(ms|s)\b", "T"),
        (r"\| Operator \| .*\|", "| Operator | OPERATOR |"),
        // How a command's output is cut into chunks depends on when the
        // pipe is read, so the number of output events varies.
        (r"\(\d+ events\)", "(N events)"),
    ];
    let mut out = report.to_string();
    for (pattern, with) in rules {
        let re = Regex::new(pattern).expect("pattern");
        out = re.replace_all(&out, with).into_owned();
    }
    out
}

#[test]
fn report_of_a_real_diagnose_run_matches_the_golden_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::cargo_bin("runbook")
        .expect("binary")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args([
            "diagnose",
            "tests/fixtures/report-diagnose.yaml",
            "--jobs",
            "1",
            // Given from outside (equal to the runbook's default): masked.
            "--var",
            "token=golden-secret-123",
            "--log-dir",
        ])
        .arg(dir.path())
        .output()
        .expect("runs");
    // One command exits 3, so diagnose reports failure.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let journal = std::fs::read_dir(dir.path())
        .expect("log dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .expect("a journal was written");
    let report = Command::cargo_bin("runbook")
        .expect("binary")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("report")
        .arg(&journal)
        .output()
        .expect("runs");
    assert!(report.status.success());
    let text = String::from_utf8(report.stdout).expect("UTF-8 report");
    // What a reviewer relies on, independent of the golden file:
    assert!(
        !text.contains("golden-secret-123"),
        "a secret leaked into the report"
    );
    assert!(text.contains("token is ••••"));
    assert!(
        !text.contains('\u{1b}'),
        "escape sequences reach the report"
    );
    assert!(text.contains("fails exited 3"));
    assert!(
        !text.contains("systemctl restart"),
        "diagnose must not run a confirm: true command"
    );
    report_support::golden("diagnose.md", &normalise(&text));
}
