//! Loader tests over tests/runbooks/{valid,invalid}, plus generated hostile inputs.

use std::path::Path;

use runbook::runbook::load::{LoadError, load_bytes, load_file, load_str};
use runbook::runbook::{Budget, CheckKind, embedded};

fn yaml_files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_valid_runbook_loads() {
    let files = yaml_files("tests/runbooks/valid");
    assert!(files.len() >= 3);
    for f in files {
        if let Err(e) = load_file(&f) {
            panic!("{} should load:\n{e}", f.display());
        }
    }
}

#[test]
fn every_invalid_runbook_reports_exactly_its_expected_diagnostics() {
    let files = yaml_files("tests/runbooks/invalid");
    assert!(files.len() >= 15);
    for f in files {
        let expected = std::fs::read_to_string(f.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{} needs a .expected file", f.display()));
        let err = load_file(&f).expect_err(&format!("{} must not load", f.display()));
        let got: Vec<String> = err
            .diagnostics
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect();
        let want: Vec<&str> = expected.lines().collect();
        assert_eq!(got, want, "diagnostics of {}", f.display());
        for d in &err.diagnostics {
            assert_eq!(d.path, f.display().to_string());
        }
    }
}

#[test]
fn full_example_fills_the_model() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/runbooks/valid/full.yaml");
    let rb = load_file(&path).unwrap().runbook;
    assert_eq!(rb.thresholds.cpu_percent, 75.0);
    assert_eq!(
        rb.thresholds.critical.as_ref().unwrap().queue_backlog,
        Some(100_000)
    );
    let confirm = &rb.steps[0];
    assert_eq!(
        confirm.budget.limit,
        Some(std::time::Duration::from_secs(120))
    );
    let ping = confirm.command("ping").unwrap();
    assert_eq!(ping.timeout.as_secs(), 20);
    assert!(!ping.confirm && !ping.follow);
    assert_eq!(confirm.command("restart").unwrap().timeout.as_secs(), 60);
    assert!(confirm.command("restart").unwrap().confirm);
    let logs = confirm.command("logs").unwrap();
    assert!(logs.follow);
    assert_eq!(
        logs.when.as_ref().unwrap()["symptom"],
        vec!["refused".to_string()]
    );
    assert_eq!(confirm.check("alarms").unwrap().timeout.as_secs(), 10);
    assert_eq!(confirm.check("amqp-port").unwrap().timeout.as_secs(), 5);
    assert!(matches!(
        confirm.check("host").unwrap().kind,
        CheckKind::Resources { disk_path: None }
    ));
    let CheckKind::Http(h) = &confirm.check("mgmt").unwrap().kind else {
        panic!()
    };
    assert_eq!(h.status, Some(200));
    assert_eq!(h.json["/rabbitmq_version"], serde_json::json!("3.13.0"));
    // No step sets `mitigation`, so `temporary-fix` counts.
    assert!(rb.step("temporary-fix").unwrap().mitigation);
    assert_eq!(rb.step("temporary-fix").unwrap().budget, Budget::NONE);
    assert!(rb.var("mgmt_password").unwrap().secret);
}

#[test]
fn every_embedded_runbook_loads() {
    assert!(!embedded::all().is_empty());
    for (name, _) in embedded::all() {
        let loaded = embedded::load(name).unwrap();
        assert!(loaded.is_ok(), "{name}: {}", loaded.unwrap_err());
    }
    assert_eq!(
        embedded::default_name(Some("zh_CN.UTF-8")),
        "rabbitmq-emergency.zh.yaml"
    );
    assert_eq!(
        embedded::default_name(Some("en_US.UTF-8")),
        "rabbitmq-emergency.yaml"
    );
    assert_eq!(embedded::default_name(None), "rabbitmq-emergency.yaml");
}

fn one_error(r: Result<runbook::runbook::Runbook, LoadError>) -> (usize, usize, String) {
    let e = r.expect_err("must be rejected");
    let d = &e.diagnostics[0];
    (d.line, d.column, d.message.clone())
}

#[test]
fn non_utf8_is_located() {
    let (l, c, m) = one_error(load_bytes("x.yaml", b"schema: 1\nid: ab\xffcd\n"));
    assert_eq!((l, c), (2, 7));
    assert!(m.contains("invalid UTF-8"), "{m}");
}

#[test]
fn binary_garbage_is_an_error_not_a_panic() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(load_bytes("bin", &garbage).is_err());
    assert!(load_bytes("nul", &[0u8; 64]).is_err());
}

#[test]
fn huge_input_is_refused_by_size() {
    let big = format!("schema: 1\nsummary: \"{}\"\n", "a".repeat(10 * 1024 * 1024));
    let (l, c, m) = one_error(load_str("big.yaml", &big));
    assert_eq!((l, c), (1, 1));
    assert!(m.contains("limited to"), "{m}");
}

#[test]
fn deep_nesting_is_refused() {
    let deep = "[".repeat(100_000);
    let (_, _, m) = one_error(load_str("deep.yaml", &deep));
    assert!(
        m.contains("too deeply nested or uses too many aliases"),
        "{m}"
    );
    let block: String = (0..2000)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect();
    assert!(load_str("block.yaml", &block).is_err());
}

#[test]
fn alias_bomb_is_refused() {
    let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        y.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let (_, _, m) = one_error(load_str("bomb.yaml", &y));
    assert!(
        m.contains("too deeply nested or uses too many aliases"),
        "{m}"
    );
}

#[test]
fn whitespace_only_and_comment_only_files_are_empty_errors() {
    assert!(one_error(load_str("e", "  \n\n")).2.contains("empty"));
    assert!(load_str("c", "# only a comment\n").is_err());
    assert!(load_str("s", "just a string").is_err());
}

#[test]
fn resolve_finds_paths_and_ids_and_lists_known_ids_otherwise() {
    use runbook::runbook::catalog::resolve;
    assert_eq!(
        resolve("rabbitmq-emergency").unwrap().runbook.id,
        "rabbitmq-emergency"
    );
    assert_eq!(
        resolve("tests/runbooks/valid/full.yaml")
            .unwrap()
            .runbook
            .id,
        "full-example"
    );
    let e = resolve("no-such-runbook").unwrap_err().to_string();
    assert!(
        e.contains("no runbook file or id `no-such-runbook`") && e.contains("rabbitmq-emergency"),
        "{e}"
    );
}

#[test]
fn yaml_1_1_boolean_words_stay_words() {
    let text = "schema: 1\nid: words\ntitle: Words\nsteps:\n  - id: confirm\n    title: T\n    budget: 1m\n    ask: { id: restart, prompt: Restart?, choices: [yes, no] }\n    commands:\n      - id: on\n        run: echo off\n        when: { restart: yes }\n";
    let rb = runbook::runbook::load::load_str("words.yaml", text).expect("loads");
    let ask = rb.steps[0].ask.as_ref().expect("ask");
    assert_eq!(ask.choices, ["yes", "no"]);
    assert_eq!(rb.steps[0].commands[0].id, "on");
    assert_eq!(rb.steps[0].commands[0].run, "echo off");
}
