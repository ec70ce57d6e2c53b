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
    assert!(md.contains("| Time to mitigate | 8m20s (from the opening) |"));
    assert!(md.contains("| Time to resolve | 11m40s (from the opening) |"));
    assert!(md.contains("| Status | resolved |"));
    assert!(md.contains("| 2 | Analyse error logs | done | 3m50s | 2m–3m | **over limit** |"));
    assert!(md.contains("| [ ] | Alert on memory at 70 % | — |"));
    assert!(md.contains("| [ ] | Review the runbook step 7 | — |"));
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

/// The operator's draft at resolve, the severity and the problem's start
/// make the postmortem's figures and sections; the reviewer's edits beside
/// the journal win field by field, and the journal is never written.
#[test]
fn the_postmortem_draft_and_the_reviewers_edits_make_the_report() {
    use runbook::incident::{ActionItem, Event};
    use runbook::report::edits;
    let dir = tempfile::tempdir().unwrap();
    let path = {
        let mut s = runbook::session::Session::start(
            dir.path(),
            opened("Payments down", runbook::incident::Mode::Live),
            masker(),
            at(0),
        )
        .unwrap();
        let mut r = Rec(&mut s);
        r.ev(
            1,
            Event::SeveritySet {
                severity: "SEV2".into(),
                impact: "checkout fails for EU users".into(),
            },
        );
        r.ev(2, Event::ProblemStarted { at: at(-300) });
        r.enter(3, "confirm");
        r.complete(60, "confirm");
        r.ev(
            100,
            Event::PostmortemDrafted {
                root_cause: "a consumer leak".into(),
                helped: "the runbook's alarm check".into(),
                hurt: String::new(),
                actions: vec![ActionItem {
                    what: "cap prefetch".into(),
                    owner: "payments".into(),
                }],
            },
        );
        r.ev(
            101,
            Event::IncidentResolved {
                summary: "restarted consumers".into(),
            },
        );
        s.drain().unwrap();
        s.journal_path().to_path_buf()
    };
    let before = std::fs::read(&path).unwrap();
    let md =
        runbook::report::markdown::render(&runbook::report::LoadedJournal::load(&path).unwrap());
    assert!(md.contains("| Severity | SEV2 |"), "{md}");
    assert!(md.contains("| Impact | checkout fails for EU users |"));
    assert!(md.contains("| Time to detect | 5m |"), "{md}");
    assert!(
        md.contains("| Time to resolve | 6m41s (from the problem's start) |"),
        "{md}"
    );
    assert!(md.contains("### Root cause\n\na consumer leak"), "{md}");
    assert!(md.contains("| [ ] | cap prefetch | payments |"));
    // The reviewer rewrites the root cause and adds an item.
    edits::save(
        &path,
        &edits::Edits {
            schema: 1,
            root_cause: Some("prefetch unbounded on the payments consumer".into()),
            actions: Some(vec![
                ActionItem {
                    what: "cap prefetch".into(),
                    owner: "payments".into(),
                },
                ActionItem {
                    what: "alert on unacked".into(),
                    owner: "sre".into(),
                },
            ]),
            edited_by: "rev@desk".into(),
            edited_at: "2026-11-25T09:00:00Z".into(),
            ..edits::Edits::default()
        },
        runbook::i18n::Lang::En,
    )
    .unwrap();
    let md =
        runbook::report::markdown::render(&runbook::report::LoadedJournal::load(&path).unwrap());
    assert!(
        md.contains("### Root cause\n\nprefetch unbounded on the payments consumer"),
        "{md}"
    );
    assert!(
        md.contains("the runbook's alarm check"),
        "the draft's other fields stay"
    );
    assert!(md.contains("| [ ] | alert on unacked | sre |"));
    assert!(md.contains("Edited after the incident by rev@desk"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the journal was written"
    );
    // A broken edits file is reported, not fatal.
    std::fs::write(edits::path_for(&path), "{not json").unwrap();
    let md =
        runbook::report::markdown::render(&runbook::report::LoadedJournal::load(&path).unwrap());
    assert!(md.contains("postmortem edits cannot be read"), "{md}");
    assert!(md.contains("a consumer leak"));
}

/// A problem met while setting up (the config file's, a webhook target left
/// out) is reported as what it is, not as a webhook failure.
#[test]
fn set_up_problems_are_named_as_such() {
    use runbook::incident::{Event, Mode};
    use runbook::session::Session;
    let dir = tempfile::tempdir().unwrap();
    let mut s = Session::start(dir.path(), opened("", Mode::Live), masker(), at(0)).unwrap();
    let mut r = Rec(&mut s);
    for error in [
        "config.toml:2: theme `solarized` is not one of default, mono; the default is used",
        "the runbook's notify: `ftp://x` is not an http(s) URL; not used",
    ] {
        r.ev(
            1,
            Event::Notification {
                target: String::new(),
                kind: String::new(),
                about: "setup".into(),
                for_seq: 0,
                ok: false,
                status: None,
                error: error.into(),
                attempts: 0,
                duration_ms: 0,
            },
        );
    }
    s.drain().unwrap();
    let path = s.journal_path().to_path_buf();
    drop(s);
    let md = markdown(&path);
    assert!(
        md.contains("set-up problem: config.toml:2: theme `solarized`"),
        "{md}"
    );
    assert!(
        md.contains("set-up problem: the runbook's notify: `ftp://x`"),
        "{md}"
    );
    assert!(!md.contains("webhook not used"), "{md}");
}
