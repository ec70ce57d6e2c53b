//! `runbook drill cleanup [--dry-run]`: remove sandboxes whose drill died.

use crate::drill::sandbox::{default_state_dir, reap};
use crate::i18n::{Lang, trf};

/// Reaps the drills state directory; exit 0 unless something could not be
/// removed.
pub fn run(dry_run: bool) -> i32 {
    let lang = Lang::from_env();
    let dir = default_state_dir();
    let reaped = reap(&dir, dry_run);
    if reaped.is_empty() {
        crate::text::println!(
            "{}",
            trf(lang, "no drill sandboxes in {}", &[&dir.display()])
        );
        return 0;
    }
    for r in &reaped {
        crate::text::println!("{r}");
    }
    let failed = reaped.iter().filter(|r| !r.errors.is_empty()).count();
    let in_use = reaped.iter().filter(|r| r.in_use_by.is_some()).count();
    let gone = reaped.len() - failed - in_use;
    // The sandboxes' own lines (what was stopped, unmounted) stay English.
    let summary = if dry_run {
        trf(
            lang,
            "would remove {}, in use {}, failed {}",
            &[&gone, &in_use, &failed],
        )
    } else {
        trf(
            lang,
            "removed {}, in use {}, failed {}",
            &[&gone, &in_use, &failed],
        )
    };
    crate::text::println!("{summary}");
    i32::from(failed > 0)
}
