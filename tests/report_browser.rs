//! The HTML report in a real browser (Debian's `chromium`, installed by
//! `.ci/run`): headless Chromium parses it, its DOM has the sections, the
//! drill block and the inline SVG chart, and it prints to a PDF of at least
//! one page. A browser that is missing fails the test: it is part of the
//! set-up, never skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!("chromium is not installed: .ci/run installs Debian's `chromium` package");
}

fn html_report(journal: &Path, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["report", "--format", "html", "-o"])
        .arg(out)
        .arg(journal)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
}

fn headless(args: &[&str], page: &Path, profile: &Path) -> std::process::Output {
    Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

#[test]
fn chromium_renders_the_drill_report_and_prints_it() {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("report.html");
    let journal = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/drill-report/20261201T090000Z-queue-backlog.jsonl");
    html_report(&journal, &page);
    let dom = headless(&["--dump-dom"], &page, &tmp.path().join("p1"));
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    for needle in [
        "<h2>Drill</h2>",
        "<h3>Expected path</h3>",
        "Root cause (hidden from the trainee)",
        "<svg",
        "<h2>Timeline</h2>",
    ] {
        assert!(
            dom_text.contains(needle),
            "the browser's DOM lacks {needle:?}"
        );
    }
    // The hostile trainee name reaches the DOM as text, never as markup.
    assert!(!dom_text.contains('\u{1b}'));
    let pdf = tmp.path().join("report.pdf");
    let printed = headless(
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
        &page,
        &tmp.path().join("p2"),
    );
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let bytes = std::fs::read(&pdf).expect("a PDF was written");
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    // A one-page report with the chart is tens of KB; an empty print is ~1 KB.
    assert!(bytes.len() > 10_000, "{} bytes", bytes.len());
}

/// A report of every safe command of every step of the shipped runbook,
/// run for real (`diagnose` against the CI broker): the longest walk an
/// operator makes. Its command output and check evidence are folded, on
/// screen and in print, so it prints in at most 6 pages.
#[test]
fn the_whole_runbook_walk_prints_in_at_most_six_pages_with_output_folded() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = tmp.path().join("logs");
    let o = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["diagnose", "--log-dir"])
        .arg(&logs)
        .env("RUNBOOK_CONFIG", tmp.path().join("none.toml"))
        .output()
        .unwrap();
    assert!(o.status.code().is_some(), "{o:?}");
    let journal = std::fs::read_dir(&logs)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .expect("a journal");
    let page = tmp.path().join("walk.html");
    html_report(&journal, &page);
    let dom = headless(&["--dump-dom"], &page, &tmp.path().join("p1"));
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    let folds = dom_text.matches("<details class=\"output\"").count();
    assert!(folds >= 20, "{folds} folded outputs");
    assert!(
        !dom_text.contains("<details class=\"output\" open"),
        "an output is unfolded"
    );
    assert!(dom_text.contains("<h2>Postmortem</h2>"));
    let pdf = tmp.path().join("walk.pdf");
    let printed = headless(
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
        &page,
        &tmp.path().join("p2"),
    );
    assert!(printed.status.success());
    let bytes = std::fs::read(&pdf).unwrap();
    let pages = pdf_pages(&bytes);
    assert!((1..=6).contains(&pages), "the walk prints in {pages} pages");
}

/// Pages of a PDF: its `/Type /Page` objects (not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type";
    let mut n = 0;
    let mut i = 0;
    while let Some(at) = pdf[i..].windows(needle.len()).position(|w| w == needle) {
        let rest = &pdf[i + at + needle.len()..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        if rest.starts_with(b"/Page") && !rest.starts_with(b"/Pages") {
            n += 1;
        }
        i += at + needle.len();
    }
    n
}
