//! The HTML report parsed by a real HTML parser: structure, self-containment,
//! escaping, and the SVG timeline with one bar per step.

mod report_support;

use report_support::*;
use runbook::report::{LoadedJournal, ReportFormat, render};
use scraper::{Html, Selector};

fn html_of(path: &std::path::Path) -> (String, Html) {
    let text = render(&LoadedJournal::load(path).unwrap(), ReportFormat::Html);
    let doc = Html::parse_document(&text);
    (text, doc)
}

fn count(doc: &Html, css: &str) -> usize {
    doc.select(&Selector::parse(css).unwrap()).count()
}

#[test]
fn parses_cleanly_and_has_the_postmortem_sections() {
    let dir = tempfile::tempdir().unwrap();
    let (_, doc) = html_of(&resolved_incident(dir.path()));
    assert!(doc.errors.is_empty(), "parse errors: {:?}", doc.errors);
    let h2: Vec<String> = doc
        .select(&Selector::parse("h2").unwrap())
        .map(|e| e.text().collect())
        .collect();
    for want in [
        "Summary",
        "Timeline chart",
        "Steps",
        "Timeline",
        "Commands",
        "Checks",
        "Notes",
        "Postmortem",
    ] {
        assert!(
            h2.iter().any(|h| h == want),
            "missing section {want}: {h2:?}"
        );
    }
    let h3: Vec<String> = doc
        .select(&Selector::parse("h3").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert!(h3.iter().any(|h| h == "Action items"), "{h3:?}");
}

#[test]
fn is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let (_, doc) = html_of(&resolved_incident(dir.path()));
    assert_eq!(count(&doc, "script"), 0);
    assert_eq!(count(&doc, "link"), 0);
    assert_eq!(count(&doc, "img"), 0);
    assert_eq!(count(&doc, "iframe"), 0);
    for el in doc.select(&Selector::parse("*").unwrap()) {
        for (name, value) in el.value().attrs() {
            let v = value.to_ascii_lowercase();
            if matches!(name, "src" | "href" | "xlink:href" | "action" | "srcset") {
                panic!("external reference {name}={value:?}");
            }
            assert!(!v.contains("url("), "url() in attribute {name}");
        }
    }
    let style: String = doc
        .select(&Selector::parse("style").unwrap())
        .flat_map(|e| e.text())
        .collect();
    assert!(
        !style.contains("url(") && !style.contains("@import"),
        "CSS fetches something"
    );
    assert!(style.contains("@media print"), "no print styles");
}

#[test]
fn svg_has_one_bar_per_step_and_markers() {
    let dir = tempfile::tempdir().unwrap();
    let (_, doc) = html_of(&resolved_incident(dir.path()));
    assert_eq!(count(&doc, "svg"), 1);
    assert_eq!(count(&doc, "svg .step-bar"), 4, "one bar per step");
    assert_eq!(count(&doc, "svg .step-bar.over-limit"), 1);
    assert_eq!(
        count(&doc, "svg .budget-expected"),
        3,
        "budget bands for budgeted, entered steps"
    );
    assert_eq!(count(&doc, "svg .mark-command"), 3);
    assert_eq!(count(&doc, "svg .mark-check-failed"), 1);
    assert_eq!(count(&doc, "svg .mark-note"), 2);
}

#[test]
fn command_output_is_behind_details_and_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let (text, doc) = html_of(&resolved_incident(dir.path()));
    assert_eq!(
        count(&doc, "details.output"),
        2,
        "one per command with output"
    );
    let full: String = doc
        .select(&Selector::parse("details.output pre").unwrap())
        .flat_map(|e| e.text())
        .collect();
    assert!(
        full.contains("log line 60 <alarm>"),
        "full output kept in HTML"
    );
    assert!(!text.contains("<alarm>"), "output must be escaped");
    assert!(!text.contains("s3cr3t-pw"));
    assert!(!text.contains('\x1b'));
}

#[test]
fn hostile_notes_cannot_inject_markup() {
    let dir = tempfile::tempdir().unwrap();
    let path = {
        let mut s = runbook::session::Session::start(
            dir.path(),
            opened("x", runbook::incident::Mode::Live),
            masker(),
            at(0),
        )
        .unwrap();
        let mut r = Rec(&mut s);
        r.enter(1, "confirm");
        r.note(
            2,
            "confirm",
            "<script>alert(1)</script><img src=http://evil/x.png>",
        );
        r.command(
            3,
            "confirm",
            "curl",
            "curl -s http://mq:15672/api/overview",
            "</pre><a href=\"http://x\">",
            0,
        );
        s.journal_path().to_path_buf()
    };
    let (text, doc) = html_of(&path);
    assert_eq!(count(&doc, "script"), 0);
    assert_eq!(count(&doc, "img"), 0);
    assert_eq!(count(&doc, "a"), 0);
    assert!(
        text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "note shown verbatim, escaped"
    );
}

#[test]
fn open_torn_journal_still_renders_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (_, doc) = html_of(&open_torn_incident(dir.path()));
    assert!(doc.errors.is_empty(), "parse errors: {:?}", doc.errors);
    assert_eq!(count(&doc, "p.problem"), 1);
    assert_eq!(count(&doc, "p.open"), 1);
    assert_eq!(count(&doc, "table.unknown tr"), 2);
}

#[test]
fn the_chart_stays_small_whatever_the_timestamps_span() {
    let dir = tempfile::tempdir().unwrap();
    let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    let first = t("0001-01-01T00:00:00.000+00:00");
    let last = t("9999-12-31T23:59:59.000+00:00");
    let mut s = runbook::session::Session::start(
        dir.path(),
        opened("Ten thousand years", runbook::incident::Mode::Live),
        masker(),
        first,
    )
    .unwrap();
    use runbook::incident::Event;
    s.record(
        Event::StepEntered {
            step: "confirm".into(),
        },
        first,
    )
    .unwrap();
    s.record(
        Event::Note {
            step: Some("confirm".into()),
            text: "much later".into(),
            update: false,
        },
        last,
    )
    .unwrap();
    s.record(
        Event::IncidentResolved {
            summary: "done".into(),
        },
        last,
    )
    .unwrap();
    let path = s.journal_path().to_path_buf();
    drop(s);
    let (text, doc) = html_of(&path);
    assert!(
        text.len() < 256 * 1024,
        "the HTML report is {} bytes",
        text.len()
    );
    let ticks = count(&doc, "svg line.tick");
    assert!((2..=12).contains(&ticks), "{ticks} ticks on the axis");
}
