//! A small tmpfs for the full-disk tests: mounted on a temporary directory,
//! unmounted on drop (even when an assertion fails). Mounting needs root,
//! as CI runs; the test says so plainly otherwise.

use std::process::Command;

/// A 64 KiB tmpfs.
pub struct Tmpfs(pub tempfile::TempDir);

impl Tmpfs {
    /// Mounts it.
    pub fn mount() -> Tmpfs {
        let dir = tempfile::tempdir().expect("tempdir");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "mounting a tmpfs failed: this test needs root (CI runs as root)"
        );
        Tmpfs(dir)
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}
