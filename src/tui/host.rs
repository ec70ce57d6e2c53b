//! Host figures for the footer, sampled on a thread of their own so that a
//! slow or stuck `/proc` read never delays a keystroke.

use std::thread;
use std::time::Duration;

use sysinfo::System;
use tokio::sync::mpsc;

use crate::probe::resources;

/// One sample of the host's load.
#[derive(Debug, Clone, PartialEq)]
pub struct HostSnapshot {
    /// CPU use, percent of all cores.
    pub cpu_percent: f64,
    /// Memory use, percent.
    pub memory_percent: f64,
    /// Mount point of the fullest disk.
    pub disk_mount: String,
    /// Use of that disk, percent.
    pub disk_percent: f64,
    /// One-minute load average.
    pub load1: f64,
}

fn pct(used: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        used as f64 * 100.0 / total as f64
    }
}

/// Starts sampling every `every`; samples arrive on the returned channel.
/// One `System` is kept across samples, so each CPU reading covers the whole
/// interval (the first, meaningless one is discarded) and idle costs stay
/// tiny: no process table is read for the footer.
pub fn spawn_sampler(every: Duration) -> mpsc::Receiver<HostSnapshot> {
    let (tx, rx) = mpsc::channel(2);
    let spawned = thread::Builder::new()
        .name("host-sampler".into())
        .spawn(move || {
            let Ok(mut sys) = System::new() else {
                return;
            };
            sys.refresh_cpu_usage();
            thread::sleep(sysinfo::MINIMUM_CPU_UPDATE_INTERVAL.max(Duration::from_millis(250)));
            loop {
                sys.refresh_cpu_usage();
                sys.refresh_memory();
                let (disk_mount, used, size) = resources::fullest_disk().unwrap_or_default();
                let snap = HostSnapshot {
                    cpu_percent: f64::from(sys.global_cpu_usage()),
                    memory_percent: pct(
                        sys.total_memory().saturating_sub(sys.available_memory()),
                        sys.total_memory(),
                    ),
                    disk_mount,
                    disk_percent: pct(used, size),
                    load1: System::load_average().map(|l| l.one).unwrap_or(0.0),
                };
                // A full channel means the UI is busy: drop this sample, never wait.
                if let Err(mpsc::error::TrySendError::Closed(_)) = tx.try_send(snap) {
                    return;
                }
                thread::sleep(every);
            }
        });
    // Without a thread there are no figures; the footer keeps saying "sampling…".
    drop(spawned);
    rx
}
