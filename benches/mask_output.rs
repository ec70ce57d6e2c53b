//! Masking on the output hot path: `Masker::mask` over command output in
//! 64 KB chunks of 100-byte lines, plain and coloured, with and without
//! secrets in it. Prints MB/s per case.
//!
//! `RUNBOOK_BENCH_BYTES` sets the size per case (default 200 MB):
//! `RUNBOOK_BENCH_BYTES=50000000 cargo bench --bench mask_output`

use std::hint::black_box;
use std::time::Instant;

use runbook::secrets::Masker;

const CHUNK: usize = 64 * 1024;

fn main() {
    let bytes: usize = std::env::var("RUNBOOK_BENCH_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000_000);
    println!("mask_output: {bytes} bytes per case, {CHUNK}-byte chunks");
    let none = Masker::default();
    let two = Masker::new(vec!["hunter2pass".into(), "s3cr3t-token".into()]);
    let plain = chunk_of(&format!("{}\n", "a".repeat(99)));
    let coloured = chunk_of(&format!(
        "{}\x1b[01;31mpass\x1b[m{}\n",
        "a".repeat(40),
        "b".repeat(45)
    ));
    let leaking = chunk_of(&format!(
        "{}hunter2\x1b[01;31mpass\x1b[m{}\n",
        "a".repeat(40),
        "b".repeat(38)
    ));
    for (name, masker, chunk) in [
        ("no secrets, plain text", &none, &plain),
        ("two secrets, plain text", &two, &plain),
        ("two secrets, coloured text", &two, &coloured),
        ("two secrets, coloured secret on every line", &two, &leaking),
    ] {
        let start = Instant::now();
        let mut done = 0;
        let mut out = 0usize;
        while done < bytes {
            out += black_box(masker.mask(black_box(chunk))).len();
            done += chunk.len();
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "  {name:<44} {:>8.0} MB/s ({out} bytes out)",
            done as f64 / secs / 1e6
        );
    }
}

/// About [`CHUNK`] bytes of `line` repeated.
fn chunk_of(line: &str) -> String {
    line.repeat(CHUNK / line.len())
}
