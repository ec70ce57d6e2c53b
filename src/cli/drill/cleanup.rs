//! `runbook drill cleanup [--dry-run]`: remove sandboxes whose drill died.

use crate::drill::sandbox::{default_state_dir, reap};

/// Reaps the drills state directory; exit 0 unless something could not be
/// removed.
pub fn run(dry_run: bool) -> i32 {
    let dir = default_state_dir();
    let reaped = reap(&dir, dry_run);
    if reaped.is_empty() {
        crate::text::println!("no drill sandboxes in {}", dir.display());
        return 0;
    }
    for r in &reaped {
        crate::text::println!("{r}");
    }
    let failed = reaped.iter().filter(|r| !r.errors.is_empty()).count();
    let in_use = reaped.iter().filter(|r| r.in_use_by.is_some()).count();
    let gone = reaped.len() - failed - in_use;
    let verb = if dry_run { "would remove" } else { "removed" };
    crate::text::println!("{verb} {gone}, in use {in_use}, failed {failed}");
    i32::from(failed > 0)
}
