//! `resources: { disk_path }` — host CPU, memory, disk, load average and the
//! `beam.smp` process, from sysinfo, against the runbook's thresholds.

use std::path::Path;
use std::time::Duration;

use sysinfo::{Disks, ProcessesToUpdate, System};

use super::text::list_sep;
use super::{CheckOutcome, human_duration};
use crate::i18n::{Lang, tr, trf};
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

/// Reads the host (blocking: sleeps between the two CPU samples). The error
/// says why not in `lang`.
pub fn sample(disk_path: Option<&str>, lang: Lang) -> Result<ResourceSample, String> {
    let mut sys =
        System::new().map_err(|e| trf(lang, "cannot read system information: {}", &[&e]))?;
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
    let disks =
        Disks::new_with_refreshed_list().map_err(|e| trf(lang, "cannot list disks: {}", &[&e]))?;
    let usable: Vec<_> = disks.iter().filter(|d| d.total_space() > 0).collect();
    let chosen = match disk_path {
        Some(path) => {
            let path = Path::new(path);
            usable
                .iter()
                .filter(|d| path.starts_with(d.mount_point()))
                .max_by_key(|d| d.mount_point().as_os_str().len())
                .ok_or_else(|| trf(lang, "no mounted disk holds {}", &[&path.display()]))?
        }
        None => usable
            .iter()
            .max_by(|a, b| {
                let (ua, ta) = disk_usage(a);
                let (ub, tb) = disk_usage(b);
                pct(ua, ta).total_cmp(&pct(ub, tb))
            })
            .ok_or_else(|| tr(lang, "no mounted disks found").to_string())?,
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

/// Runs the check (the sysinfo work runs on a blocking thread); its outcome
/// is told in `lang`.
pub async fn check(
    disk_path: Option<&str>,
    t: &Thresholds,
    timeout: Duration,
    lang: Lang,
) -> CheckOutcome {
    let path = disk_path.map(str::to_string);
    let work = tokio::task::spawn_blocking(move || sample(path.as_deref(), lang));
    match tokio::time::timeout(timeout, work).await {
        Err(_) => CheckOutcome::error(
            trf(
                lang,
                "reading host resources took longer than {}",
                &[&human_duration(timeout)],
            ),
            "",
        ),
        Ok(Err(e)) => {
            CheckOutcome::error(trf(lang, "reading host resources failed: {}", &[&e]), "")
        }
        Ok(Ok(Err(e))) => CheckOutcome::error(
            trf(lang, "could not evaluate host resources: {}", &[&e]),
            "",
        ),
        Ok(Ok(Ok(s))) => evaluate(&s, t, lang),
    }
}

/// Judges a sample: warn at the thresholds, fail at the critical levels;
/// said in `lang`.
pub fn evaluate(s: &ResourceSample, t: &Thresholds, lang: Lang) -> CheckOutcome {
    let crit = t.critical.clone().unwrap_or_default();
    let mem = pct(s.mem_used, s.mem_total);
    let disk = pct(s.disk_used, s.disk_total);
    let mut worst = CheckStatus::Pass;
    let mut findings = Vec::new();
    for (label, value, warn_at, fail_at) in [
        (
            "CPU".to_string(),
            s.cpu_percent,
            t.cpu_percent,
            crit.cpu_percent,
        ),
        (
            tr(lang, "memory").to_string(),
            mem,
            t.memory_percent,
            crit.memory_percent,
        ),
        (
            trf(lang, "disk {}", &[&s.disk_mount]),
            disk,
            t.disk_percent,
            crit.disk_percent,
        ),
    ] {
        if fail_at.is_some_and(|f| value > f) {
            worst = worst.max(CheckStatus::Fail);
            findings.push(trf(
                lang,
                "{} {}% > critical {}%",
                &[
                    &label,
                    &format!("{value:.0}"),
                    &format!("{:.0}", fail_at.unwrap_or_default()),
                ],
            ));
        } else if value > warn_at {
            worst = worst.max(CheckStatus::Warn);
            findings.push(format!("{label} {value:.0}% > {warn_at:.0}%"));
        }
    }
    let beam = match s.beam {
        Some((pid, rss, cpu)) => trf(
            lang,
            "beam.smp pid {}: RSS {}, CPU {}%",
            &[&pid, &human_bytes(rss), &format!("{cpu:.0}")],
        ),
        None => tr(lang, "beam.smp not running").to_string(),
    };
    let evidence = trf(
        lang,
        "CPU {}% of {} CPUs; load {} {} {}\nmemory {} / {} ({}%)\ndisk {}: {} / {} ({}%)\n{}",
        &[
            &format!("{:.0}", s.cpu_percent),
            &s.cpus,
            &format!("{:.2}", s.load[0]),
            &format!("{:.2}", s.load[1]),
            &format!("{:.2}", s.load[2]),
            &human_bytes(s.mem_used),
            &human_bytes(s.mem_total),
            &format!("{mem:.0}"),
            &s.disk_mount,
            &human_bytes(s.disk_used),
            &human_bytes(s.disk_total),
            &format!("{disk:.0}"),
            &beam,
        ],
    );
    let summary = if findings.is_empty() {
        trf(
            lang,
            "CPU {}%, memory {}%, disk {} {}% — within thresholds",
            &[
                &format!("{:.0}", s.cpu_percent),
                &format!("{mem:.0}"),
                &s.disk_mount,
                &format!("{disk:.0}"),
            ],
        )
    } else {
        findings.join(list_sep(lang))
    };
    CheckOutcome::new(worst, summary, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(cpu: f64, mem_pct: u64, disk_pct: u64) -> ResourceSample {
        ResourceSample {
            cpu_percent: cpu,
            mem_used: mem_pct * (1 << 20),
            mem_total: 100 << 20,
            disk_mount: "/var".into(),
            disk_used: disk_pct * (1 << 30),
            disk_total: 100 << 30,
            load: [0.5, 0.25, 0.75],
            cpus: 2,
            beam: Some((42, 64 << 20, 3.0)),
        }
    }

    fn thresholds() -> Thresholds {
        Thresholds {
            critical: Some(crate::runbook::CriticalThresholds {
                disk_percent: Some(95.0),
                ..Default::default()
            }),
            ..Thresholds::default()
        }
    }

    #[test]
    fn a_chinese_incident_reads_the_host_in_chinese() {
        let ok = evaluate(&sample(10.0, 50, 40), &thresholds(), Lang::Zh);
        assert_eq!(ok.status, CheckStatus::Pass);
        assert_eq!(ok.summary, "CPU 10%，内存 50%，磁盘 /var 40%——均在阈值内");
        assert_eq!(
            ok.evidence,
            "CPU 10%，共 2 个 CPU；负载 0.50 0.25 0.75\n内存 50 MiB / 100 MiB（50%）\n磁盘 /var：40 GiB / 100 GiB（40%）\nbeam.smp pid 42：RSS 64 MiB，CPU 3%"
        );
        let bad = evaluate(&sample(10.0, 50, 97), &thresholds(), Lang::Zh);
        assert_eq!(bad.status, CheckStatus::Fail);
        assert_eq!(bad.summary, "磁盘 /var 97% > 严重阈值 95%");
        let mut gone = sample(10.0, 95, 40);
        gone.beam = None;
        let warn = evaluate(&gone, &thresholds(), Lang::Zh);
        assert_eq!(warn.status, CheckStatus::Warn);
        assert!(warn.summary.starts_with("内存 95% > "), "{}", warn.summary);
        assert!(
            warn.evidence.ends_with("\nbeam.smp 未运行"),
            "{}",
            warn.evidence
        );
    }

    #[test]
    fn english_stays_english() {
        let ok = evaluate(&sample(10.0, 50, 40), &thresholds(), Lang::En);
        assert_eq!(
            ok.summary,
            "CPU 10%, memory 50%, disk /var 40% — within thresholds"
        );
        assert_eq!(
            ok.evidence,
            "CPU 10% of 2 CPUs; load 0.50 0.25 0.75\nmemory 50 MiB / 100 MiB (50%)\ndisk /var: 40 GiB / 100 GiB (40%)\nbeam.smp pid 42: RSS 64 MiB, CPU 3%"
        );
        let bad = evaluate(&sample(10.0, 50, 97), &thresholds(), Lang::En);
        assert_eq!(bad.summary, "disk /var 97% > critical 95%");
    }
}
