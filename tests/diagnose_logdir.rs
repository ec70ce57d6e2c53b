//! `runbook diagnose` with a log directory it cannot use: a clear message
//! naming the journal, a non-zero exit code, never a panic (101).

#[path = "diagnose_support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::*;

/// A 64 KiB tmpfs, unmounted on drop (even when an assertion fails).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a 64 KiB tmpfs and fills it to `free` bytes left (page-rounded).
    fn mount_with_free(free: usize) -> Tmpfs {
        let dir = tempfile::tempdir().unwrap();
        let st = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("run mount");
        // Not skipped: the full-disk promise must be tested (CI runs as root).
        assert!(
            st.success(),
            "cannot mount a tmpfs on {} (run the tests as root): {st}",
            dir.path().display()
        );
        let fs = Tmpfs { dir };
        // Fill with as much as fits, then give back `free` bytes.
        let filler = fs.path().join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 4096];
        let mut written = 0usize;
        while std::io::Write::write_all(&mut f, &chunk).is_ok() {
            written += chunk.len();
        }
        drop(f);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&filler)
            .unwrap()
            .set_len(written.saturating_sub(free) as u64)
            .unwrap();
        fs
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Runs diagnose of the hello fixture with `log`; asserts no panic.
fn run_with(fixture_name: &str, log: &Path) -> (i32, String, String) {
    let out = diagnose(&[fixture(fixture_name).to_str().unwrap()], log);
    let (code, stdout, stderr) = parts(&out);
    let code = code.unwrap_or_else(|| panic!("killed by a signal:\n{stderr}"));
    assert_ne!(code, 101, "panicked:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    (code, stdout, stderr)
}

#[test]
fn log_dir_under_a_regular_file_is_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("plain-file");
    std::fs::write(&file, "not a directory").unwrap();
    let log: PathBuf = file.join("incidents");
    let (code, stdout, stderr) = run_with("hello.yaml", &log);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("cannot open the incident journal"),
        "{stderr}"
    );
    assert!(stderr.contains(&log.display().to_string()), "{stderr}");
    assert!(stderr.contains("--log-dir"), "says what to do: {stderr}");
    // Nothing ran: the operator is not told about results without a record.
    assert!(!stdout.contains("hello"), "{stdout}");
}

#[test]
fn log_dir_under_dev_full_is_refused_clearly() {
    let log = Path::new("/dev/full/incidents");
    let (code, stdout, stderr) = run_with("hello.yaml", log);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("cannot open the incident journal"),
        "{stderr}"
    );
    assert!(stderr.contains("/dev/full/incidents"), "{stderr}");
}

#[test]
fn full_disk_refuses_to_open_the_journal_and_leaves_none() {
    let fs = Tmpfs::mount_with_free(0);
    let log = fs.path().join("incidents");
    let (code, stdout, stderr) = run_with("hello.yaml", &log);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("cannot write the incident journal"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("held in memory"),
        "nothing is held when the program stops: {stderr}"
    );
    assert!(stderr.contains(&log.display().to_string()), "{stderr}");
    assert!(stderr.contains("No space left"), "{stderr}");
    // An empty journal left behind would be offered by `runbook resume`.
    assert!(journals(&log).is_empty(), "{:?}", journals(&log));
}

#[test]
fn disk_filling_up_mid_run_is_reported_once_and_exits_1() {
    // Room for the first events, not for 200 KB of output.
    let fs = Tmpfs::mount_with_free(8 * 1024);
    let log = fs.path().join("incidents");
    let (code, stdout, stderr) = run_with("chatty.yaml", &log);
    assert_eq!(
        code, 1,
        "an incomplete journal is not success\n{stdout}\n{stderr}"
    );
    let path = the_journal(&log);
    let name = path.display().to_string();
    assert!(
        stderr.contains(&format!("cannot write to the journal {name}")),
        "{stderr}"
    );
    assert!(stderr.contains("No space left"), "{stderr}");
    assert!(
        stderr.contains(&format!("the journal {name} could not be fully written")),
        "{stderr}"
    );
    // One message for the whole failing stretch, not one per event.
    assert_eq!(
        stderr.matches("cannot write to the journal").count(),
        1,
        "{stderr}"
    );
    // The summary still reaches the operator.
    assert!(stdout.contains("chatty"), "{stdout}");
    // What did reach the disk reads back as a prefix of the incident.
    let read = runbook::journal::read(&path).unwrap();
    assert!(read.skipped.is_empty(), "{:?}", read.skipped);
    assert_seq_gapless(&read.records);
}
