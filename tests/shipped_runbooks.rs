//! The runbooks shipped in the binary: valid, and the two languages in step.

use runbook::runbook::embedded;
use runbook::runbook::{Runbook, when_allows};

fn load(name: &str) -> Runbook {
    match embedded::load(name) {
        Some(Ok(l)) => l.runbook,
        Some(Err(e)) => panic!("{name} does not load:\n{e}"),
        None => panic!("{name} is not embedded"),
    }
}

/// Everything that must be identical between languages: ids, structure,
/// commands as run, `when` guards, check kinds.
fn skeleton(rb: &Runbook) -> Vec<String> {
    let mut out = Vec::new();
    for v in &rb.vars {
        out.push(format!(
            "var {} env={:?} secret={}",
            v.name, v.env, v.secret
        ));
    }
    for s in &rb.steps {
        out.push(format!(
            "step {} budget={:?} mitigation={} checklist={}",
            s.id,
            s.budget,
            s.mitigation,
            s.checklist.len()
        ));
        if let Some(a) = &s.ask {
            out.push(format!("  ask {} {:?}", a.id, a.choices));
        }
        for c in &s.commands {
            out.push(format!(
                "  command {} run={:?} confirm={} follow={} timeout={:?} when={:?}",
                c.id, c.run, c.confirm, c.follow, c.timeout, c.when
            ));
        }
        for k in &s.checks {
            out.push(format!(
                "  check {} kind={:?} when={:?}",
                k.id, k.kind, k.when
            ));
        }
    }
    out
}

#[test]
fn english_and_chinese_runbooks_have_the_same_ids_and_commands() {
    let en = load("rabbitmq-emergency.yaml");
    let zh = load("rabbitmq-emergency.zh.yaml");
    assert_eq!(en.steps.len(), 10);
    let (a, b) = (skeleton(&en), skeleton(&zh));
    for (x, y) in a.iter().zip(b.iter()) {
        assert_eq!(x, y, "English and Chinese runbooks differ");
    }
    assert_eq!(
        a.len(),
        b.len(),
        "English and Chinese runbooks differ in length"
    );
    // …while the words the operator reads are really translated.
    assert_ne!(en.steps[0].title, zh.steps[0].title);
    assert!(zh.steps.iter().all(|s| {
        s.title
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }));
}

#[test]
fn the_ten_steps_have_the_budgets_of_the_emergency_flow() {
    let en = load("rabbitmq-emergency.yaml");
    let ids: Vec<&str> = en.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "confirm",
            "logs",
            "resources",
            "config",
            "network",
            "service",
            "temporary-fix",
            "root-cause",
            "permanent-fix",
            "prevention"
        ]
    );
    let mins = |s: &runbook::runbook::Step| {
        (
            s.budget.expected.map(|d| d.as_secs() / 60),
            s.budget.limit.map(|d| d.as_secs() / 60),
        )
    };
    let expected = [
        (Some(1), Some(2)),
        (Some(2), Some(3)),
        (Some(1), Some(2)),
        (Some(2), Some(3)),
        (Some(1), Some(2)),
        (Some(1), Some(1)),
        (Some(5), Some(10)),
        (Some(15), Some(30)),
        (None, None),
        (None, None),
    ];
    for (s, e) in en.steps.iter().zip(expected) {
        assert_eq!(mins(s), e, "budget of step {}", s.id);
    }
    assert!(en.step("temporary-fix").is_some_and(|s| s.mitigation));
}

#[test]
fn every_symptom_choice_shows_something_specific_and_every_guard_names_a_choice() {
    let en = load("rabbitmq-emergency.yaml");
    let ask = en.steps[0]
        .ask
        .as_ref()
        .expect("step 1 asks for the symptom");
    for choice in &ask.choices {
        let answers = [(ask.id.clone(), choice.clone())].into_iter().collect();
        let specific = en.steps.iter().any(|s| {
            s.commands
                .iter()
                .any(|c| c.when.is_some() && when_allows(c.when.as_ref(), &answers))
        });
        assert!(
            specific,
            "symptom `{choice}` shows no symptom-specific command"
        );
    }
}

#[test]
fn the_runbook_covers_the_operators_toolbox() {
    let en = load("rabbitmq-emergency.yaml");
    let all: String = en
        .steps
        .iter()
        .flat_map(|s| s.commands.iter().map(|c| c.run.clone()))
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "list_users",
        "add_user",
        "set_permissions",
        "list_vhosts",
        "add_vhost",
        "list_queues",
        "list_connections",
        "list_exchanges",
        "cluster_status",
        "alarms",
        "list_policies",
        "memory_breakdown",
        "environment",
        "df -h",
        "du ",
        "free",
        "top -bn1",
        "journalctl",
        "ss ",
        "netstat",
        "export_definitions",
        "purge_queue",
        "delete_queue",
        "set_vm_memory_high_watermark",
        "max-length",
    ] {
        assert!(all.contains(needle), "no command uses `{needle}`");
    }
}
