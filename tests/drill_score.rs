//! The drill score, from hand-written drill journals
//! (tests/fixtures/drills/*.jsonl) against one scenario: the figures are
//! asserted here, and the whole breakdown is compared with a golden file
//! (tests/golden/drills/NAME.txt; UPDATE_GOLDEN=1 rewrites them, never in CI).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use runbook::drill::score::{FORMULA_V1, Score, line_text};
use runbook::drill::{BrokerSpec, Discouraged, Expected, Fixed, Hint, Par, Scenario, SolutionStep};
use runbook::i18n::Lang;
use runbook::incident::Record;

fn scenario() -> Scenario {
    let en = |s: &str| BTreeMap::from([("en".to_string(), s.to_string())]);
    Scenario {
        notify: false,
        id: "memory-alarm-backlog".into(),
        title: "Orders API cannot publish".into(),
        runbook: "rabbitmq-emergency".into(),
        difficulty: Some(2),
        brief: en("orders-api publish latency p99 > 30 s"),
        hidden: "absolute watermark + backlog".into(),
        broker: BrokerSpec {
            nodes: 1,
            plugins: vec!["rabbitmq_management".into()],
            disk_bytes: None,
            config: String::new(),
            definitions: None,
        },
        vars: BTreeMap::new(),
        traffic: Vec::new(),
        faults: Vec::new(),
        verify_injected: Vec::new(),
        fixed: Fixed {
            hold: Duration::from_secs(10),
            poll: Duration::from_secs(5),
            checks: Vec::new(),
        },
        diagnosis: BTreeMap::from([("symptom".to_string(), "memory-alarm".to_string())]),
        expected: Expected {
            all: vec![
                "resources/alarms".into(),
                "resources/list-queues".into(),
                "temporary-fix/backup-definitions".into(),
            ],
            any: vec![
                "temporary-fix/purge-queue".into(),
                "temporary-fix/raise-watermark".into(),
            ],
        },
        discouraged: vec![Discouraged {
            id: "temporary-fix/restart".into(),
            why: "hides the cause".into(),
            penalty: 15,
        }],
        hints: vec![
            Hint {
                text: en("alarms?"),
                cost: 10,
            },
            Hint {
                text: en("absolute"),
                cost: 20,
            },
        ],
        par: Par {
            diagnose: Duration::from_secs(180),
            mitigate: Duration::from_secs(600),
        },
        time_limit: Duration::from_secs(1800),
        solution: vec![SolutionStep::Item("temporary-fix/purge-queue".into())],
    }
}

fn records(name: &str) -> Vec<Record> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/drills")
        .join(format!("{name}.jsonl"));
    let read = runbook::journal::read(&path).expect("fixture journal reads");
    assert!(
        read.skipped.is_empty() && read.torn.is_none(),
        "{name} is damaged"
    );
    read.records
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/drills")
        .join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        assert!(std::env::var_os("CI").is_none(), "UPDATE_GOLDEN in CI");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("golden {} is missing", path.display()));
    assert_eq!(expected, actual, "{} differs", path.display());
}

fn score(name: &str) -> Score {
    let s = Score::fold(&records(name), &scenario());
    golden(name, &s.breakdown(Lang::En));
    // Journaled and read back, the figures survive.
    let back = Score::from_event(&s.to_event()).expect("a drill_scored event");
    assert_eq!(
        (
            back.score,
            back.ttd_ms,
            back.ttm_ms,
            back.hints,
            &back.outcome,
            &back.lines
        ),
        (s.score, s.ttd_ms, s.ttm_ms, s.hints, &s.outcome, &s.lines)
    );
    assert_eq!(s.formula, FORMULA_V1);
    s
}

fn ids_used(s: &Score) -> Vec<(&str, Option<u32>)> {
    s.expected_used
        .iter()
        .map(|(id, used, order)| {
            assert_eq!(*used, order.is_some());
            (id.as_str(), *order)
        })
        .collect()
}

#[test]
fn a_perfect_run_scores_100() {
    let s = score("perfect");
    assert_eq!(s.score, 100);
    assert_eq!(s.ttd_ms, Some(60_000));
    assert_eq!(s.ttm_ms, Some(146_000));
    assert_eq!(s.outcome, "resolved");
    assert_eq!(
        ids_used(&s),
        vec![
            ("resources/alarms", Some(1)),
            ("resources/list-queues", Some(2)),
            ("temporary-fix/backup-definitions", Some(3)),
            ("temporary-fix/purge-queue", Some(4)),
            ("temporary-fix/raise-watermark", None),
        ]
    );
    assert!(!s.change_before_backup && !s.fixed_by_restart);
    assert!(s.wrong_answers.is_empty() && s.discouraged_used.is_empty());
}

#[test]
fn a_slow_run_loses_a_point_a_minute_over_par_capped() {
    let s = score("slow");
    assert_eq!(s.ttd_ms, Some(390_000)); // 3 min 30 s over a 3 min par: −3
    assert_eq!(s.ttm_ms, Some(2_100_000)); // 25 min over a 10 min par: −20 (cap)
    assert_eq!(s.score, 77);
}

#[test]
fn hints_cost_what_the_journal_says() {
    let s = score("hints");
    assert_eq!(s.hints, 2);
    assert_eq!(s.score, 70);
}

#[test]
fn a_discouraged_restart_costs_its_penalty() {
    let s = score("restart");
    assert_eq!(s.discouraged_used, vec!["temporary-fix/restart"]);
    assert!(s.fixed_by_restart);
    assert!(!s.change_before_backup);
    assert_eq!(s.score, 85);
}

#[test]
fn a_change_before_any_backup_costs_10() {
    let s = score("no-backup");
    assert!(s.change_before_backup);
    assert_eq!(s.score, 90);
}

#[test]
fn an_unresolved_drill_scores_0_with_its_reasons() {
    let s = score("unresolved");
    assert_eq!(s.score, 0);
    assert_eq!(s.outcome, "time_limit");
    assert_eq!((s.ttd_ms, s.ttm_ms), (None, None));
    assert_eq!(s.wrong_answers, vec!["symptom=disk-alarm"]);
    assert!(s.lines.iter().any(|l| l.what.contains("never diagnosed")));
}

#[test]
fn wrong_answers_before_the_right_one_are_listed_not_charged() {
    let s = score("wrong-answers");
    // The trainer's escalation after the fix does not move the clock.
    assert_eq!(s.ttd_ms, Some(120_000));
    assert_eq!(
        s.wrong_answers,
        vec!["symptom=disk-alarm", "symptom=queue-backlog"]
    );
    assert_eq!(s.score, 100);
}

#[test]
fn the_fold_is_pure_and_only_a_drill_scored_event_reads_back() {
    let r = records("slow");
    assert_eq!(Score::fold(&r, &scenario()), Score::fold(&r, &scenario()));
    assert!(Score::from_event(&r[0].event).is_none());
}

/// In a Chinese drill every line of every breakdown is Chinese: the fold
/// journals English, and each reader words it in the incident's language.
/// One breakdown is kept whole as a golden file.
#[test]
fn a_chinese_drill_reads_its_breakdown_in_chinese() {
    let cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for name in [
        "hints",
        "no-backup",
        "perfect",
        "restart",
        "slow",
        "unresolved",
        "wrong-answers",
    ] {
        let s = Score::fold(&records(name), &scenario());
        for l in &s.lines {
            let zh = line_text(Lang::Zh, &l.what);
            assert!(cjk(&zh), "{name}: {:?} stays {zh:?}", l.what);
            assert_eq!(line_text(Lang::En, &l.what), l.what);
        }
        for row in s.breakdown(Lang::Zh).lines() {
            assert!(cjk(row), "{name}: an English row: {row:?}");
        }
    }
    golden(
        "unresolved.zh",
        &Score::fold(&records("unresolved"), &scenario()).breakdown(Lang::Zh),
    );
    // A line a newer program wrote is shown as it is.
    assert_eq!(line_text(Lang::Zh, "bonus: tidy"), "bonus: tidy");
}
