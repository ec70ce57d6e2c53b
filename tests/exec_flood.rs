//! A flood through exec::spawn with a slow consumer: memory stays bounded
//! (backpressure, not buffering) and the journal excerpt stays within its limit.
//! Alone in its binary so the peak-RSS figure is this test's own.

#[path = "exec_support/mod.rs"]
mod support;

use std::time::Duration;

use runbook::exec::excerpt::Excerpt;
use runbook::exec::tail::OutputTail;
use runbook::exec::{Spec, Update, spawn};
use tokio::sync::mpsc;

const FLOOD: u64 = 200_000_000;
const EXCERPT: usize = 1 << 20;

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn flood_keeps_memory_and_excerpt_bounded() {
    let start_hwm = vm_hwm_kib();
    let (tx, mut rx) = mpsc::channel(16);
    let spec = Spec {
        timeout: Some(Duration::from_secs(600)),
        // `yes` dies of SIGPIPE once head has enough: not a failure of the run.
        ..Spec::new(format!("(yes || true) | head -c {FLOOD}"))
    };
    spawn(1, spec, tx).expect("spawn");
    let mut excerpt = Excerpt::new(EXCERPT);
    let mut tail = OutputTail::new(1000);
    let (mut total, mut head, mut messages) = (0usize, 0usize, 0u64);
    let outcome = loop {
        match rx.recv().await {
            Some((_, Update::Output { text, .. })) => {
                total += text.len();
                head += excerpt.push(&text).map_or(0, |h| h.len());
                tail.push(&text);
                messages += 1;
                // A slow consumer: the reader must wait, not pile output up.
                if messages.is_multiple_of(50) {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            }
            Some((_, Update::Finished(o))) => break o,
            None => panic!("channel closed before Finished"),
        }
    };
    assert_eq!(outcome.exit_code, Some(0));
    assert_eq!(outcome.bytes, FLOOD);
    assert_eq!(
        total as u64, FLOOD,
        "`y\\n` lines pass the sanitiser unchanged"
    );
    let (omitted, kept_tail) = excerpt.finish().expect("a flood is truncated");
    assert!(
        head + kept_tail.len() <= EXCERPT,
        "excerpt {} > limit",
        head + kept_tail.len()
    );
    assert!(head > 0 && !kept_tail.is_empty());
    assert_eq!(omitted, FLOOD - (head + kept_tail.len()) as u64);
    assert!(kept_tail.ends_with("y\ny\n") && kept_tail.starts_with('y'));
    assert_eq!(tail.len(), 1000);
    assert_eq!(tail.dropped(), FLOOD / 2 - 1000);
    let grown_mib = vm_hwm_kib().saturating_sub(start_hwm) / 1024;
    assert!(
        grown_mib < 64,
        "peak RSS grew by {grown_mib} MiB during a 200 MB flood"
    );
}
