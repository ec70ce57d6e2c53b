//! `resources: { disk_path }` — host CPU, memory, disk, load average and the
//! `beam.smp` process, from sysinfo, against the runbook's thresholds.

use std::path::Path;
use std::time::Duration;

use sysinfo::{Disks, ProcessesToUpdate, System};

use super::{CheckOutcome, human_duration};
use crate::incident::CheckStatus;
use crate::runbook::Thresholds;
use crate::text::human_bytes;

/// The gap between the two CPU samples (the first sample has no baseline and
/// is discarded, as bottom does).
const CPU_SAMPLE_GAP: Duration = Duration::from_millis(200);

/// One reading of the host.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceSample {
    /// Whole-host CPU use, percent.
    pub cpu_percent: f64,
    /// Memory in use (total − available), bytes.
    pub mem_used: u64,
    /// Total memory, bytes.
    pub mem_total: u64,
    /// Mount point of the disk judged.
    pub disk_mount: String,
    /// Bytes used on it.
    pub disk_used: u64,
    /// Its size, bytes.
    pub disk_total: u64,
    /// 1, 5, 15 minute load averages.
    pub load: [f64; 3],
    /// Logical CPUs.
    pub cpus: usize,
    /// `beam.smp` (pid, RSS bytes, CPU %) when running.
    pub beam: Option<(u32, u64, f32)>,
}

fn pct(used: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        used as f64 * 100.0 / total as f64
    }
}

/// Used bytes and the size to take a percentage of, as `df` counts them:
/// used = blocks − free, size = used + available to unprivileged users (the
/// root reserve is not space anyone can count on). Falls back to sysinfo's
/// total − available when `statvfs` fails.
fn disk_usage(d: &sysinfo::Disk) -> (u64, u64) {
    let fallback = (
        d.total_space().saturating_sub(d.available_space()),
        d.total_space(),
    );
    let Ok(path) = std::ffi::CString::new(d.mount_point().as_os_str().as_encoded_bytes()) else {
        return fallback;
    };
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated and `st` is a valid out-pointer.
    if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
        return fallback;
    }
    let frsize = st.f_frsize as u64;
    let used = (st.f_blocks as u64).saturating_sub(st.f_bfree as u64) * frsize;
    let avail = st.f_bavail as u64 * frsize;
    (used, used + avail)
}

/// The fullest mounted disk: (mount point, used bytes, size), counted as
/// `df` does. Cheap enough to call every few seconds.
pub fn fullest_disk() -> Option<(String, u64, u64)> {
    let disks = Disks::new_with_refreshed_list().ok()?;
    disks
        .iter()
        .filter(|d| d.total_space() > 0)
        .map(|d| {
            let (used, size) = disk_usage(d);
            (d.mount_point().display().to_string(), used, size)
        })
        .max_by(|a, b| pct(a.1, a.2).total_cmp(&pct(b.1, b.2)))
}

/// Reads the host (blocking: sleeps between the two CPU samples).
pub fn sample(disk_path: Option<&str>) -> Result<ResourceSample, String> {
    let mut sys = System::new().map_err(|e| format!("cannot read system information: {e}"))?;
    sys.refresh_cpu_usage();
    sys.refresh_processes(ProcessesToUpdate::All, true);
    std::thread::sleep(CPU_SAMPLE_GAP.max(sysinfo::MINIMUM_CPU_UPDATE_INTERVAL));
    sys.refresh_cpu_usage();
    sys.refresh_processes(ProcessesToUpdate::All, true);
    sys.refresh_memory();
    let cpus = sys.cpus().len().max(1);
    let beam = sys
        .processes()
        .iter()
        .filter(|(_, p)| p.name().to_string_lossy() == "beam.smp")
        .max_by_key(|(_, p)| p.memory())
        .map(|(pid, p)| (pid.as_u32(), p.memory(), p.cpu_usage()));
    let disks = Disks::new_with_refreshed_list().map_err(|e| format!("cannot list disks: {e}"))?;
    let usable: Vec<_> = disks.iter().filter(|d| d.total_space() > 0).collect();
    let chosen = match disk_path {
        Some(path) => {
            let path = Path::new(path);
            usable
                .iter()
                .filter(|d| path.starts_with(d.mount_point()))
                .max_by_key(|d| d.mount_point().as_os_str().len())
                .ok_or_else(|| format!("no mounted disk holds {}", path.display()))?
        }
        None => usable
            .iter()
            .max_by(|a, b| {
                let (ua, ta) = disk_usage(a);
                let (ub, tb) = disk_usage(b);
                pct(ua, ta).total_cmp(&pct(ub, tb))
            })
            .ok_or("no mounted disks found")?,
    };
    let (disk_used, disk_total) = disk_usage(chosen);
    let load = System::load_average()
        .map(|l| [l.one, l.five, l.fifteen])
        .unwrap_or([0.0; 3]);
    Ok(ResourceSample {
        cpu_percent: f64::from(sys.global_cpu_usage()),
        mem_used: sys.total_memory().saturating_sub(sys.available_memory()),
        mem_total: sys.total_memory(),
        disk_mount: chosen.mount_point().display().to_string(),
        disk_used,
        disk_total,
        load,
        cpus,
        beam,
    })
}

/// Runs the check (the sysinfo work runs on a blocking thread).
pub async fn check(disk_path: Option<&str>, t: &Thresholds, timeout: Duration) -> CheckOutcome {
    let path = disk_path.map(str::to_string);
    let work = tokio::task::spawn_blocking(move || sample(path.as_deref()));
    match tokio::time::timeout(timeout, work).await {
        Err(_) => CheckOutcome::error(
            format!(
                "reading host resources took longer than {}",
                human_duration(timeout)
            ),
            "",
        ),
        Ok(Err(e)) => CheckOutcome::error(format!("reading host resources failed: {e}"), ""),
        Ok(Ok(Err(e))) => {
            CheckOutcome::error(format!("could not evaluate host resources: {e}"), "")
        }
        Ok(Ok(Ok(s))) => evaluate(&s, t),
    }
}

/// Judges a sample: warn at the thresholds, fail at the critical levels.
pub fn evaluate(s: &ResourceSample, t: &Thresholds) -> CheckOutcome {
    let crit = t.critical.clone().unwrap_or_default();
    let mem = pct(s.mem_used, s.mem_total);
    let disk = pct(s.disk_used, s.disk_total);
    let mut worst = CheckStatus::Pass;
    let mut findings = Vec::new();
    for (label, value, warn_at, fail_at) in [
        ("CPU", s.cpu_percent, t.cpu_percent, crit.cpu_percent),
        ("memory", mem, t.memory_percent, crit.memory_percent),
        (
            &*format!("disk {}", s.disk_mount),
            disk,
            t.disk_percent,
            crit.disk_percent,
        ),
    ] {
        if fail_at.is_some_and(|f| value > f) {
            worst = worst.max(CheckStatus::Fail);
            findings.push(format!(
                "{label} {value:.0}% > critical {:.0}%",
                fail_at.unwrap_or_default()
            ));
        } else if value > warn_at {
            worst = worst.max(CheckStatus::Warn);
            findings.push(format!("{label} {value:.0}% > {warn_at:.0}%"));
        }
    }
    let beam = match s.beam {
        Some((pid, rss, cpu)) => {
            format!(
                "beam.smp pid {pid}: RSS {}, CPU {cpu:.0}%",
                human_bytes(rss)
            )
        }
        None => "beam.smp not running".to_string(),
    };
    let evidence = format!(
        "CPU {:.0}% of {} CPUs; load {:.2} {:.2} {:.2}\nmemory {} / {} ({mem:.0}%)\ndisk {}: {} / {} ({disk:.0}%)\n{beam}",
        s.cpu_percent,
        s.cpus,
        s.load[0],
        s.load[1],
        s.load[2],
        human_bytes(s.mem_used),
        human_bytes(s.mem_total),
        s.disk_mount,
        human_bytes(s.disk_used),
        human_bytes(s.disk_total),
    );
    let summary = if findings.is_empty() {
        format!(
            "CPU {:.0}%, memory {mem:.0}%, disk {} {disk:.0}% — within thresholds",
            s.cpu_percent, s.disk_mount
        )
    } else {
        findings.join("; ")
    };
    CheckOutcome::new(worst, summary, evidence)
}
