//! Golden Markdown reports from journals written through the real Session.

mod report_support;

use report_support::*;
use runbook::report::{LoadedJournal, ReportFormat, render};

fn markdown(path: &std::path::Path) -> String {
    render(&LoadedJournal::load(path).unwrap(), ReportFormat::Markdown)
}

#[test]
fn resolved_incident_matches_golden() {
    let dir = tempfile::tempdir().unwrap();
    let md = markdown(&resolved_incident(dir.path()));
    golden("resolved.md", &md);
}

#[test]
fn open_torn_incident_matches_golden() {
    let dir = tempfile::tempdir().unwrap();
    let md = markdown(&open_torn_incident(dir.path()));
    golden("open-torn.md", &md);
}

#[test]
fn secrets_stay_masked_and_sgr_is_stripped() {
    let dir = tempfile::tempdir().unwrap();
    let md = markdown(&resolved_incident(dir.path()));
    assert!(!md.contains("s3cr3t-pw"), "a secret reached the report");
    assert!(!md.contains('\x1b'), "raw escape sequences in the report");
    assert!(md.contains("Ping succeeded"));
}

#[test]
fn long_output_is_abbreviated_with_a_marker_and_fences_hold() {
    let dir = tempfile::tempdir().unwrap();
    let md = markdown(&resolved_incident(dir.path()));
    assert!(md.contains("[… 40 lines omitted — full output in the HTML report / journal …]"));
    assert!(md.contains("log line 40 <alarm>\n[… 40 lines omitted"));
    assert!(
        !md.contains("log line 41 "),
        "the middle of long output must be left out"
    );
    // Output containing ``` is fenced with a longer fence.
    assert!(md.contains("````text\nPing succeeded"));
}

#[test]
fn summary_figures_come_from_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let md = markdown(&resolved_incident(dir.path()));
    assert!(md.contains("| Total duration | 11m40s |"));
    assert!(md.contains("| Time to mitigation | 8m20s |"));
    assert!(md.contains("| Status | resolved |"));
    assert!(md.contains("| 2 | Analyse error logs | done | 3m50s | 2m–3m | **over limit** |"));
    assert!(md.contains("- [ ] Alert on memory at 70 %"));
    assert!(md.contains("- [ ] Review the runbook step 7"));
    assert!(
        md.contains("Orders queue stuck \\| publishers blocked"),
        "pipes escaped in cells"
    );
}

#[test]
fn open_incident_runs_to_the_last_event_and_lists_unknown_events() {
    let dir = tempfile::tempdir().unwrap();
    let md = markdown(&open_torn_incident(dir.path()));
    assert!(md.contains("**OPEN**"));
    assert!(md.contains("| Total duration | 7m (so far) |"), "{md}");
    assert!(md.contains("torn line"));
    assert!(md.contains("| pager_escalated |"));
    assert!(md.contains("interrupted (program stopped)"));
}
