//! Templating: variable precedence, masking, and proof that values cannot inject commands.

use runbook::runbook::load::load_str;
use runbook::runbook::template::{MASK, Origin, TemplateError, Vars, resolve_vars, shell_quote};
use runbook::runbook::{CheckKind, Runbook};

const RB: &str = r#"
schema: 1
id: t
title: T
vars:
  host: { default: localhost }
  mgmt_url: { default: "http://{{ host }}:15672" }
  password: { env: T_PASSWORD, default: guest, secret: true }
steps:
  - id: one
    title: One
    budget: 1m
    commands:
      - id: c
        run: echo {{host}} {{ password }}
"#;

fn rb() -> Runbook {
    load_str("t.yaml", RB).unwrap()
}

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn precedence_is_override_then_env_then_default() {
    let v = resolve_vars(&rb(), &[], &no_env).unwrap();
    assert_eq!(v.get("mgmt_url"), Some("http://localhost:15672"));
    assert_eq!(v.get("password"), Some("guest"));
    let env = |k: &str| (k == "T_PASSWORD").then(|| "from-env".to_string());
    let v = resolve_vars(&rb(), &[("host".into(), "h1".into())], &env).unwrap();
    assert_eq!(v.get("mgmt_url"), Some("http://h1:15672"));
    assert_eq!(v.get("password"), Some("from-env"));
    let v = resolve_vars(&rb(), &[("password".into(), "cli".into())], &env).unwrap();
    assert_eq!(v.get("password"), Some("cli"));
}

#[test]
fn override_of_undeclared_var_is_an_error() {
    let e = resolve_vars(&rb(), &[("hots".into(), "x".into())], &no_env).unwrap_err();
    assert!(matches!(e, TemplateError::UnknownVar { .. }));
    assert!(e.to_string().contains("host, mgmt_url, password"), "{e}");
}

#[test]
fn masking_hides_secrets_only() {
    let v = resolve_vars(&rb(), &[("password".into(), "s3cr3t".into())], &no_env).unwrap();
    let cmd = "echo {{host}} {{ password }}";
    assert_eq!(v.render_shell(cmd), "echo 'localhost' 's3cr3t'");
    assert_eq!(
        v.render_shell_masked(cmd),
        format!("echo 'localhost' '{MASK}'")
    );
    assert_eq!(v.render_text_masked("p={{password}}"), format!("p={MASK}"));
    assert_eq!(v.render_text("p={{password}}"), "p=s3cr3t");
    assert_eq!(v.secret_values(), vec!["s3cr3t".to_string()]);
    assert_eq!(v.masked_map()["password"], MASK);
    assert_eq!(v.masked_map()["host"], "localhost");
}

#[test]
fn only_secrets_from_outside_the_runbook_are_masked_in_text() {
    const DERIVED: &str = r#"
schema: 1
id: t
title: T
vars:
  user: { default: guest }
  password: { env: T_PASSWORD, default: guest, secret: true }
  app_password: { default: "{{password}}", secret: true }
steps:
  - id: one
    title: One
    budget: 1m
"#;
    let rb = load_str("t.yaml", DERIVED).unwrap();
    let masked = |overrides: &[(String, String)], env: &dyn Fn(&str) -> Option<String>| {
        let v = resolve_vars(&rb, overrides, env).unwrap();
        runbook::secrets::Masker::new(v.secret_values())
            .mask("user guest logged in")
            .into_owned()
    };
    // The runbook's own default hides nothing: the user name stays readable.
    assert_eq!(masked(&[], &no_env), "user guest logged in");
    let v = resolve_vars(&rb, &[], &no_env).unwrap();
    assert!(v.secret_values().is_empty());
    assert_eq!(v.origin("password"), Some(Origin::Runbook));
    // Placeholders of a secret are still shown masked in command lines.
    assert_eq!(v.render_shell_masked("{{password}}"), format!("'{MASK}'"));
    // Given from outside, even equal to the default: masked (also where a
    // default takes it over).
    let given = [("password".to_string(), "guest".to_string())];
    assert_eq!(masked(&given, &no_env), format!("user {MASK} logged in"));
    let env = |k: &str| (k == "T_PASSWORD").then(|| "guest".to_string());
    assert_eq!(masked(&[], &env), format!("user {MASK} logged in"));
    let v = resolve_vars(&rb, &[], &env).unwrap();
    assert_eq!(v.secret_values(), vec!["guest".to_string(); 2]);
    assert_eq!(v.origin("password"), Some(Origin::Env));
    assert_eq!(v.origin("app_password"), Some(Origin::Env));
    assert_eq!(v.origin("user"), Some(Origin::Runbook));
}

#[test]
fn render_check_uses_text_for_fields_and_shell_for_run() {
    let v = Vars::from_values([("h".to_string(), "a b".to_string(), false)]);
    let tcp = v.render_check(&CheckKind::Tcp {
        target: "{{h}}:1".into(),
    });
    assert_eq!(
        tcp,
        CheckKind::Tcp {
            target: "a b:1".into()
        }
    );
    let cmd = CheckKind::Command(runbook::runbook::CommandCheck {
        run: "ping {{h}}".into(),
        expect_exit: None,
        expect_output: Some("{{h}}".into()),
    });
    let CheckKind::Command(c) = v.render_check(&cmd) else {
        panic!()
    };
    assert_eq!(c.run, "ping 'a b'");
    assert_eq!(c.expect_output.as_deref(), Some("a b"));
}

#[test]
fn shell_quote_handles_single_quotes() {
    assert_eq!(shell_quote("it's"), r"'it'\''s'");
    assert_eq!(shell_quote(""), "''");
}

/// Runs the rendered command with `sh -c` and proves the payload did not run.
#[test]
fn hostile_values_cannot_run_commands() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("pwned");
    let m = marker.display();
    let payloads = [
        format!("x; touch {m}"),
        format!("$(touch {m})"),
        format!("`touch {m}`"),
        format!("x' ; touch {m}; echo '"),
        format!("x\"; touch {m}; echo \""),
        format!("x\ntouch {m}"),
        format!("x && touch {m} #"),
        format!("\\'; touch {m}; '"),
    ];
    for p in &payloads {
        let v = Vars::from_values([("host".to_string(), p.clone(), false)]);
        let cmd = v.render_shell("printf '%s' {{host}} && echo $(printf '%s' {{ host }})");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&cmd)
            .output()
            .unwrap();
        assert!(!marker.exists(), "payload {p:?} ran via {cmd:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.starts_with(p.as_str()),
            "value must arrive intact: {p:?} -> {stdout:?}"
        );
    }
}

#[test]
fn placeholders_inside_quotes_are_rejected_by_the_loader() {
    for run in [
        r#"echo "{{host}}""#,
        "echo '{{host}}'",
        "echo `{{host}}`",
        "echo hi # {{host}}",
        "cat <<EOF\n{{host}}\nEOF",
    ] {
        let text = RB.replace("echo {{host}} {{ password }}", &format!("{run:?}"));
        let e = load_str("q.yaml", &text).expect_err(run);
        assert!(e.to_string().contains("placeholder is"), "{run}: {e}");
    }
    for run in [
        "echo {{host}}",
        "echo $(echo {{host}})",
        "a=\"x\" b {{host}}",
    ] {
        let text = RB.replace("echo {{host}} {{ password }}", &format!("{run:?}"));
        assert!(
            load_str("q.yaml", &text).is_ok(),
            "{run} should be accepted"
        );
    }
}

/// `v0: x`, `v1: {{v0}}{{v0}}`, … `v39`: 2^39 bytes if expanded.
fn doubling_chain(rb: &mut Runbook) {
    rb.vars.clear();
    for i in 0..40 {
        let default = if i == 0 {
            "x".to_string()
        } else {
            format!("{{{{v{}}}}}{{{{v{}}}}}", i - 1, i - 1)
        };
        rb.vars.push(runbook::runbook::VarDef {
            name: format!("v{i}"),
            default: Some(default),
            env: None,
            secret: false,
            description: None,
        });
    }
}

#[test]
fn a_doubling_chain_of_defaults_is_refused_not_expanded() {
    let mut r = rb();
    doubling_chain(&mut r);
    let e = resolve_vars(&r, &[], &no_env).unwrap_err();
    assert_eq!(e, TemplateError::VarTooLarge { name: "v17".into() });
    assert!(e.to_string().contains("more than 64 KiB"), "{e}");
}

#[test]
fn a_large_override_cannot_blow_up_a_variable_or_a_command_line() {
    let src = RB.replace(
        "  password:",
        "  twice: { default: \"{{host}}{{host}}\" }\n  password:",
    );
    let r = load_str("t.yaml", &src).unwrap();
    let big = "h".repeat(40 * 1024);
    let e = resolve_vars(&r, &[("host".into(), big.clone())], &no_env).unwrap_err();
    assert_eq!(
        e,
        TemplateError::VarTooLarge {
            name: "twice".into()
        }
    );
    // Each value within its limit, but a command line repeating one 30 times.
    let src = RB.replace(
        "run: echo {{host}} {{ password }}",
        &format!("run: echo {}", "{{host}} ".repeat(30)),
    );
    let r = load_str("t.yaml", &src).unwrap();
    let e = resolve_vars(&r, &[("host".into(), big)], &no_env).unwrap_err();
    assert!(matches!(e, TemplateError::TextTooLarge { .. }), "{e}");
    assert!(e.to_string().contains("\"echo {{host}}"), "{e}");
}
