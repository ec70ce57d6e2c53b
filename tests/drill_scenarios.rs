//! Drill scenario files: the embedded set, good and bad files (each bad one
//! with its located error), `runbook drill list` and `runbook drill check`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use runbook::drill::scenario::{embedded, load_embedded, load_file};
use runbook::drill::{SolutionStep, TrafficKind};

/// The binary, in English (its messages follow LC_ALL, LC_MESSAGES, LANG).
fn runbook() -> Command {
    let mut c = Command::cargo_bin("runbook").unwrap();
    c.env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

/// The binary run from an empty directory with an empty config home, so the
/// catalog holds the embedded scenarios plus whatever the test writes.
fn isolated(dir: &Path) -> Command {
    let mut c = runbook();
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"));
    c
}

#[test]
fn every_embedded_scenario_loads_and_passes_check() {
    let all = embedded::all();
    assert!(all.len() >= 12, "only {} embedded scenarios", all.len());
    let mut ids = Vec::new();
    for (name, _) in all {
        let l = load_embedded(name)
            .unwrap()
            .unwrap_or_else(|e| panic!("{name}:\n{e}"));
        let s = &l.scenario;
        assert_eq!(format!("{}.yaml", s.id), *name, "file named after its id");
        for lang in ["en", "zh"] {
            assert!(
                s.brief.get(lang).is_some_and(|b| !b.trim().is_empty()),
                "{name}: brief in {lang}"
            );
            for (i, h) in s.hints.iter().enumerate() {
                assert!(h.text.contains_key(lang), "{name}: hint {i} in {lang}");
            }
        }
        assert!(!s.hints.is_empty(), "{name}: hints");
        assert!(!s.verify_injected.is_empty() && !s.fixed.checks.is_empty());
        assert!(!s.solution.is_empty() && !s.diagnosis.is_empty());
        assert_eq!(l.runbook.runbook.id, "rabbitmq-emergency");
        let seed = s.broker.definitions.as_deref().unwrap_or("");
        assert!(seed.contains("orders.created"), "{name}: seeded");
        assert_eq!(l.sha256.len(), 64);
        ids.push(s.id.clone());
    }
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "ids are unique");
}

#[test]
fn the_embedded_set_covers_the_verified_faults() {
    let load = |id: &str| {
        load_embedded(&format!("{id}.yaml"))
            .unwrap_or_else(|| panic!("no embedded {id}"))
            .unwrap()
            .scenario
    };
    for id in [
        "memory-alarm-backlog",
        "disk-full",
        "disk-limit",
        "queue-backlog",
        "stuck-consumer",
        "auth-failure",
        "missing-permissions",
        "missing-vhost",
        "node-down",
        "node-will-not-start",
        "vhost-connection-limit",
        "reject-publish",
        "binding-removed",
        "vhost-down",
        "partition",
    ] {
        load(id);
    }
    let disk = load("disk-full");
    assert_eq!(disk.broker.disk_bytes, Some(300 << 20));
    assert!(disk.faults[0].run.contains("fallocate -l 260M"));
    assert!(
        disk.solution
            .contains(&SolutionStep::Item("temporary-fix/remove-old-logs".into()))
    );
    let stuck = load("stuck-consumer");
    assert_eq!(stuck.traffic[0].kind, TrafficKind::StuckConsumer);
    let limit = load("vhost-connection-limit");
    assert_eq!(limit.traffic[0].kind, TrafficKind::HoldConnections);
    assert_eq!(limit.traffic[0].count, 2);
    assert_eq!(load("partition").broker.nodes, 2);
    let memory = load("memory-alarm-backlog");
    assert_eq!(memory.traffic[0].rate, 5);
    assert!(memory.traffic[0].confirm);
    assert_eq!(memory.diagnosis["symptom"], "memory-alarm");
    // Chinese trainees get the Chinese brief, everyone else the English one.
    assert!(memory.brief_for(Some("zh_CN.UTF-8")).contains("值班"));
    assert!(memory.brief_for(Some("de_DE")).contains("on call"));
}

#[test]
fn the_seed_definitions_hold_the_orders_topology_with_a_password_hash() {
    let seed: serde_json::Value =
        serde_json::from_str(embedded::seed("seeds/orders.json").unwrap()).unwrap();
    let user = seed["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "orders_app")
        .unwrap();
    assert_eq!(user["hashing_algorithm"], "rabbit_password_hashing_sha256");
    assert!(user.get("password").is_none(), "a hash, never the password");
    let hash = user["password_hash"].as_str().unwrap();
    // base64 of 4 salt bytes + 32 sha256 bytes.
    assert_eq!(hash.len(), 48);
    assert!(seed["vhosts"].to_string().contains("\"orders\""));
    assert_eq!(seed["exchanges"][0]["name"], "orders");
    assert_eq!(seed["queues"][0]["name"], "orders.created");
    assert_eq!(seed["queues"][0]["durable"], true);
    assert_eq!(seed["bindings"][0]["routing_key"], "created");
}

#[test]
fn good_files_load_with_paths_relative_to_the_scenario() {
    let l = load_file(Path::new("tests/drills/good/by-path.yaml")).unwrap();
    assert_eq!(l.scenario.broker.nodes, 2);
    assert!(
        l.scenario
            .broker
            .definitions
            .unwrap()
            .contains("orders_app")
    );
    assert_eq!(l.runbook.runbook.id, "rabbitmq-emergency");
    let m = load_file(Path::new("tests/drills/good/minimal.yaml")).unwrap();
    assert_eq!(m.scenario.broker.plugins, ["rabbitmq_management"]);
    assert_eq!(m.scenario.time_limit.as_secs(), 30 * 60);
}

fn bad_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("tests/drills/bad")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn each_bad_scenario_gives_its_located_error() {
    let files = bad_files();
    assert!(files.len() >= 20, "{} bad files", files.len());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{}: first line is `# expect: L:C: message`", f.display()));
        let err = load_file(&f).expect_err(&f.display().to_string());
        let want = format!("{}:{expect}", f.display());
        let got: Vec<String> = err.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            got.iter().any(|d| d.lines().next() == Some(want.as_str())),
            "{}: want\n  {want}\ngot\n  {}",
            f.display(),
            got.join("\n  ")
        );
    }
}

#[test]
fn drill_check_exits_0_for_good_files_and_1_naming_file_line_column() {
    runbook()
        .args(["drill", "check", "tests/drills/good/minimal.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "ok: tests/drills/good/minimal.yaml (minimal, 1 fault, 1 node, runbook rabbitmq-emergency)",
        ));
    runbook()
        .args([
            "drill",
            "check",
            "tests/drills/good/minimal.yaml",
            "tests/drills/bad/unknown-key.yaml",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ok: tests/drills/good/minimal.yaml"))
        .stderr(predicate::str::contains(
            "tests/drills/bad/unknown-key.yaml:14:1: unknown key `verfy_injected` in the drill scenario",
        ))
        .stderr(predicate::str::contains("did you mean `verify_injected`?"))
        .stderr(predicate::str::contains("1 of 2 scenario file(s) invalid"));
    runbook()
        .args(["drill", "check", "no/such/scenario.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no/such/scenario.yaml:1:1: cannot load the scenario",
        ));
    runbook().args(["drill", "check"]).assert().code(2);
}

#[test]
fn drill_check_validates_the_shipped_files() {
    let mut args = vec!["drill".to_string(), "check".to_string()];
    for (name, _) in embedded::all() {
        args.push(format!("drills/{name}"));
    }
    runbook().args(&args).assert().code(0);
}

#[test]
fn a_runbook_given_to_drill_check_is_refused_clearly() {
    runbook()
        .args(["drill", "check", "runbooks/rabbitmq-emergency.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "runbooks/rabbitmq-emergency.yaml:1:1: this is a runbook (it has `steps` and no `kind: drill`), not a drill scenario",
        ))
        .stderr(predicate::str::contains("use `runbook check` for runbooks"));
}

#[test]
fn a_scenario_given_to_runbook_check_is_refused_clearly() {
    runbook()
        .args(["check", "drills/queue-backlog.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "drills/queue-backlog.yaml:3:1: this is a drill scenario (`kind: drill`), not a runbook",
        ))
        .stderr(predicate::str::contains("use `runbook drill check`"));
}

#[test]
fn drill_list_shows_embedded_and_local_scenarios_in_lookup_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("drills")).unwrap();
    std::fs::create_dir(dir.path().join("drills/seeds")).unwrap();
    std::fs::copy(
        "drills/seeds/orders.json",
        dir.path().join("drills/seeds/orders.json"),
    )
    .unwrap();
    std::fs::copy(
        "drills/node-down.yaml",
        dir.path().join("drills/node-down.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("drills/broken.yaml"),
        "schema: 1\nkind: drill\n",
    )
    .unwrap();
    let out = isolated(dir.path())
        .args(["drill", "list"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("ID"), "{out}");
    for col in ["TITLE", "DIFFICULTY", "NODES", "SOURCE"] {
        assert!(lines[0].contains(col), "{out}");
    }
    assert!(
        lines[1].starts_with("broken") && lines[1].contains("(invalid)"),
        "{out}"
    );
    assert!(lines[1].contains("missing required key"), "{out}");
    assert!(
        lines[2].starts_with("node-down") && lines[2].ends_with("./drills/node-down.yaml"),
        "{out}"
    );
    let partition = lines.iter().find(|l| l.starts_with("partition ")).unwrap();
    assert!(
        partition.contains(" 5 ") && partition.contains(" 2 "),
        "{partition}"
    );
    assert!(partition.ends_with("embedded"), "{partition}");
    let shadowed = lines
        .iter()
        .find(|l| l.starts_with("node-down") && l.contains("embedded"))
        .unwrap();
    assert!(
        shadowed.ends_with("embedded (not used: ./drills/node-down.yaml comes first)"),
        "{shadowed}"
    );
    assert_eq!(lines.len(), 1 + 2 + embedded::all().len(), "{out}");
}

#[test]
fn escapes_in_a_scenario_are_never_printed_raw() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("drills")).unwrap();
    let evil = std::fs::read_to_string("tests/drills/good/minimal.yaml")
        .unwrap()
        .replace(
            "title: Minimal scenario",
            "title: \"Evil \\e[31mred\\e]0;pwned\\a title\"",
        )
        .replace("brief: Publishers hang.", "brief: \"\\e[2J wiped\"");
    std::fs::write(dir.path().join("drills/evil.yaml"), &evil).unwrap();
    let bad_id = evil.replace("id: minimal", "id: \"x\\e[2Jy\"");
    std::fs::write(dir.path().join("drills/bad-id.yaml"), bad_id).unwrap();
    let list = isolated(dir.path())
        .args(["drill", "list"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stdout = String::from_utf8(list.stdout).unwrap();
    assert!(stdout.contains("Evil"), "{stdout}");
    assert!(stdout.contains("not a valid id"), "{stdout}");
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\x07'),
        "{stdout:?}"
    );
    let check = isolated(dir.path())
        .args(["drill", "check", "drills/evil.yaml", "drills/bad-id.yaml"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(check.stderr).unwrap();
    assert!(stderr.contains("drills/bad-id.yaml:"), "{stderr}");
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
    assert!(!String::from_utf8(check.stdout).unwrap().contains('\x1b'));
}

#[test]
fn the_readme_example_is_a_valid_scenario() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = &readme[readme.find("## Drills: scenarios").unwrap()..];
    let start = section.find("```yaml\n").unwrap() + "```yaml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("seeds")).unwrap();
    std::fs::copy(
        "drills/seeds/orders.json",
        dir.path().join("seeds/orders.json"),
    )
    .unwrap();
    let file = dir.path().join("example.yaml");
    std::fs::write(&file, example).unwrap();
    let l = load_file(&file).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.scenario.id, "auth-failure");
    assert_eq!(l.scenario.solution.len(), 3);
}

#[test]
fn every_item_a_scenario_names_exists_in_the_chinese_runbook_too() {
    let zh = runbook::runbook::embedded::load("rabbitmq-emergency.zh.yaml")
        .unwrap()
        .unwrap()
        .runbook;
    let has = |id: &str| {
        let (step, item) = id.split_once('/').unwrap();
        zh.step(step).is_some_and(|s| {
            s.commands.iter().any(|c| c.id == item) || s.checks.iter().any(|c| c.id == item)
        })
    };
    for (name, _) in embedded::all() {
        let s = load_embedded(name).unwrap().unwrap().scenario;
        let mut ids: Vec<String> = s.expected.all.clone();
        ids.extend(s.expected.any.clone());
        ids.extend(s.discouraged.iter().map(|d| d.id.clone()));
        ids.extend(s.solution.iter().filter_map(|st| match st {
            SolutionStep::Item(id) => Some(id.clone()),
            _ => None,
        }));
        for id in ids {
            assert!(has(&id), "{name}: {id} missing from the Chinese runbook");
        }
    }
}
