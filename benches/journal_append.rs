//! Journal append + fsync latency (p50/p99), against the floor: a raw 1-byte
//! write + fdatasync on the same filesystem. Prints figures; asserts nothing.
//! Run: cargo bench --bench journal_append [-- DIR] (default: a temp dir).

use std::io::Write;
use std::time::{Duration, Instant};

use chrono::DateTime;
use runbook::incident::{Event, Record, Stream};
use runbook::journal::Journal;

const N: usize = 2000;

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    let p = |q: f64| v[((v.len() as f64 - 1.0) * q) as usize];
    (p(0.5), p(0.99), v[v.len() - 1])
}

fn main() -> anyhow::Result<()> {
    let base = std::env::args()
        .nth(1)
        .filter(|a| a != "--bench")
        .map(std::path::PathBuf::from);
    let tmp = tempfile::tempdir_in(base.unwrap_or_else(std::env::temp_dir))?;
    let now = DateTime::parse_from_rfc3339("2026-11-24T03:00:00.000+00:00")?;
    let mut journal = Journal::create(tmp.path(), "bench", now)?;
    let text = "Listing queues for vhost / ...\norders\t10234\npayments\t0\n".to_string();
    let mut lat = Vec::with_capacity(N);
    for i in 0..N {
        let rec = Record {
            seq: i as u64 + 1,
            ts: now + chrono::Duration::milliseconds(i as i64),
            event: Event::CommandOutput {
                run: 1,
                stream: Stream::Stdout,
                text: text.clone(),
            },
        };
        let t = Instant::now();
        journal.append(&rec)?;
        lat.push(t.elapsed());
    }
    let line = std::fs::metadata(journal.path())?.len() / N as u64;
    let (p50, p99, max) = percentiles(lat);
    println!("journal append+fsync ({N} x ~{line} B lines): p50 {p50:?}  p99 {p99:?}  max {max:?}");

    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(tmp.path().join("raw"))?;
    let mut raw = Vec::with_capacity(N);
    for _ in 0..N {
        let t = Instant::now();
        f.write_all(b"x")?;
        f.sync_data()?;
        raw.push(t.elapsed());
    }
    let (p50, p99, max) = percentiles(raw);
    println!("raw 1-byte write+fdatasync (floor):      p50 {p50:?}  p99 {p99:?}  max {max:?}");
    Ok(())
}
