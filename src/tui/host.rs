//! Host figures for the footer, sampled on a thread of their own so that a
//! slow or stuck `/proc` read never delays a keystroke.

use std::thread;
use std::time::Duration;

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
/// Sampling is the same as the `resources` check (two CPU readings apart, the
/// first discarded), on a thread of its own.
pub fn spawn_sampler(every: Duration) -> mpsc::Receiver<HostSnapshot> {
    let (tx, rx) = mpsc::channel(2);
    let spawned = thread::Builder::new()
        .name("host-sampler".into())
        .spawn(move || {
            loop {
                if let Ok(s) = resources::sample(None) {
                    let snap = HostSnapshot {
                        cpu_percent: s.cpu_percent,
                        memory_percent: pct(s.mem_used, s.mem_total),
                        disk_mount: s.disk_mount,
                        disk_percent: pct(s.disk_used, s.disk_total),
                        load1: s.load[0],
                    };
                    // A full channel means the UI is busy: drop this sample, never wait.
                    if let Err(mpsc::error::TrySendError::Closed(_)) = tx.try_send(snap) {
                        return;
                    }
                }
                thread::sleep(every);
            }
        });
    // Without a thread there are no figures; the footer keeps saying "sampling…".
    drop(spawned);
    rx
}
