//! What the drill tests look at after a drill: processes still carrying a
//! sandbox's environment, files left in the sandbox directory, and events
//! in a journal.

use std::path::{Path, PathBuf};

use runbook::incident::{Event, Record};

/// Processes that carry a sandbox under `state` in their environment: what
/// a drill left running (zombies do not count).
pub fn drill_processes(state: &Path) -> Vec<u32> {
    let needle = format!("RABBITMQ_CONF_ENV_FILE={}", state.display());
    std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
                .filter(|pid| {
                    std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|env| {
                        env.split(|b| *b == 0)
                            .any(|kv| kv.starts_with(needle.as_bytes()))
                    }) && std::fs::read_to_string(format!("/proc/{pid}/stat"))
                        .is_ok_and(|s| !s.contains(") Z "))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What is left under the sandbox state directory (empty when clean).
pub fn leftovers(state: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(state)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

/// Some record's event matches.
pub fn has(recs: &[Record], f: impl Fn(&Event) -> bool) -> bool {
    recs.iter().any(|r| f(&r.event))
}
