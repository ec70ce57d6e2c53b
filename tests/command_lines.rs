//! A multi-line command is shown as it will run, line breaks kept, outside
//! the live screen too (the screen's frames are in tui_frames.rs).

use assert_cmd::Command;

#[test]
fn diagnose_prints_a_multi_line_command_with_its_line_breaks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/tui/multiline.yaml"
    );
    let out = Command::cargo_bin("runbook")
        .expect("binary")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .args(["diagnose", fixture, "--log-dir"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "   $ i=0\n     while [ $i -lt 60 ]; do\n       if true; then echo up; exit 0; fi\n"
        ),
        "{stdout}"
    );
}
