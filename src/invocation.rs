//! How the operator runs this program again, for the hints that name a
//! command (`runbook resume`, `runbook report JOURNAL`): `runbook` when that
//! is what the shell finds on PATH, else the path of the running binary
//! (after `cargo run` it is `./target/debug/runbook`, which `runbook` on
//! PATH — an older install, or none — is not).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The hint for running `runbook ARGS`: `runbook resume`, or
/// `./target/debug/runbook resume`.
pub fn runbook(args: &str) -> String {
    format!("{} {args}", program())
}

/// How to name this program in a hint (looked up once).
pub fn program() -> &'static str {
    static PROGRAM: OnceLock<String> = OnceLock::new();
    PROGRAM.get_or_init(|| match std::env::current_exe() {
        Ok(exe) => program_for(
            &exe,
            on_path("runbook").as_deref(),
            std::env::current_dir().ok().as_deref(),
        ),
        Err(_) => "runbook".into(),
    })
}

/// `runbook` when `found` (what PATH gives for `runbook`) is the binary
/// `exe`; otherwise `exe`, relative to `cwd` when it is below it, quoted
/// for a shell when it must be.
pub fn program_for(exe: &Path, found: Option<&Path>, cwd: Option<&Path>) -> String {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    if found.is_some_and(|f| same(f, exe)) {
        return "runbook".into();
    }
    let shown = match cwd.and_then(|c| exe.strip_prefix(c).ok()) {
        Some(rel) => Path::new(".").join(rel),
        None => exe.to_path_buf(),
    };
    shell_word(&shown.to_string_lossy())
}

/// The first executable file `name` in the directories of PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|d| d.is_absolute())
        .map(|d| d.join(name))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// `s` as one shell word: as it is when it is plain, else single-quoted.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+@%:,=".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_binary_is_named_runbook_and_any_other_by_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("target/debug/runbook");
        std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
        std::fs::write(&exe, "").unwrap();
        let link = dir.path().join("bin-runbook");
        std::os::unix::fs::symlink(&exe, &link).unwrap();
        // Installed and found on PATH (through a symlink too): `runbook`.
        assert_eq!(program_for(&exe, Some(&exe), None), "runbook");
        assert_eq!(program_for(&exe, Some(&link), None), "runbook");
        // After `cargo run` in the project: the binary's path from here.
        let other = dir.path().join("other");
        std::fs::write(&other, "").unwrap();
        assert_eq!(
            program_for(&exe, Some(&other), Some(dir.path())),
            "./target/debug/runbook"
        );
        assert_eq!(
            program_for(&exe, None, Some(Path::new("/nowhere"))),
            exe.display().to_string()
        );
        assert_eq!(
            program_for(Path::new("/opt/my tools/runbook"), None, None),
            "'/opt/my tools/runbook'"
        );
    }
}
