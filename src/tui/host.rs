//! Host figures for the footer, sampled on a thread of their own so that a
//! slow or stuck `/proc` read never delays a keystroke.

use std::thread;
use std::time::Duration;

use sysinfo::{CpuRefreshKind, Disks, MemoryRefreshKind, RefreshKind, System};
use tokio::sync::mpsc;

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

/// Starts sampling every `every`; samples arrive on the returned channel.
/// The first CPU sample is discarded (sysinfo needs two to compute usage).
pub fn spawn_sampler(every: Duration) -> mpsc::Receiver<HostSnapshot> {
    let (tx, rx) = mpsc::channel(2);
    let spawned = thread::Builder::new()
        .name("host-sampler".into())
        .spawn(move || {
            let mut sys = System::new_with_specifics(
                RefreshKind::nothing()
                    .with_cpu(CpuRefreshKind::nothing().with_cpu_usage())
                    .with_memory(MemoryRefreshKind::nothing().with_ram()),
            );
            thread::sleep(sysinfo::MINIMUM_CPU_UPDATE_INTERVAL.max(Duration::from_millis(250)));
            loop {
                let snap = sample(&mut sys);
                // A full channel means the UI is busy: drop this sample, never wait.
                match tx.try_send(snap) {
                    Ok(()) | Err(mpsc::error::TrySendError::Full(_)) => {}
                    Err(mpsc::error::TrySendError::Closed(_)) => return,
                }
                thread::sleep(every);
            }
        });
    if spawned.is_err() {
        // No thread, no footer figures; the footer says "sampling…".
    }
    rx
}

fn sample(sys: &mut System) -> HostSnapshot {
    sys.refresh_cpu_usage();
    sys.refresh_memory();
    let total = sys.total_memory().max(1) as f64;
    let memory_percent = sys.used_memory() as f64 * 100.0 / total;
    let disks = Disks::new_with_refreshed_list();
    let (disk_mount, disk_percent) = disks
        .list()
        .iter()
        .filter(|d| d.total_space() > 0)
        .map(|d| {
            let used = d.total_space().saturating_sub(d.available_space()) as f64;
            (
                d.mount_point().display().to_string(),
                used * 100.0 / d.total_space() as f64,
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or_else(|| ("?".into(), 0.0));
    HostSnapshot {
        cpu_percent: f64::from(sys.global_cpu_usage()),
        memory_percent,
        disk_mount,
        disk_percent,
        load1: System::load_average().one,
    }
}
