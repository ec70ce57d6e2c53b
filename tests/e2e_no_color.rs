//! `NO_COLOR` (set and not empty) turns colour off everywhere: the live
//! screen, `diagnose` on a terminal (command output's own colour included)
//! and `history`. Run in a pseudo-terminal, where colour would be used.

mod support;

use support::{Launch, WAIT, bin, fixture, start};

/// SGR sequences that set a colour: 30–37, 38, 39?, 40–47, 48, 90–97, 100–107.
fn colour_sgr(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut found = Vec::new();
    let mut rest = &*text;
    while let Some(i) = rest.find("\u{1b}[") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':')) else {
            break;
        };
        if rest[end..].starts_with('m') {
            let params = &rest[..end];
            let colour = params.split([';', ':']).any(|p| {
                matches!(
                    p.parse::<u16>(),
                    Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
                )
            });
            if colour {
                found.push(format!("ESC[{params}m"));
            }
        }
    }
    found
}

fn diagnose(dir: &std::path::Path, no_color: bool) -> Vec<u8> {
    let rb = dir.join("colour.yaml");
    std::fs::write(
        &rb,
        "schema: 1\nid: colour\ntitle: Colour\nsteps:\n  - id: s\n    title: S\n    budget: 1m\n    commands:\n      - id: red\n        run: printf '\\033[31mred\\033[0m plain\\n'\n",
    )
    .expect("write runbook");
    let logs = dir.join("logs");
    let args = [
        "diagnose",
        rb.to_str().expect("utf-8 path"),
        "--log-dir",
        logs.to_str().expect("utf-8 path"),
    ];
    let mut l = Launch::new(bin(), &args);
    if no_color {
        l = l.env("NO_COLOR", "1");
    }
    let mut t = l.spawn();
    t.wait_exit(WAIT).expect("diagnose exits");
    t.raw_since(0)
}

#[test]
fn diagnose_and_history_print_no_colour_under_no_color() {
    let dir = tempfile::tempdir().expect("tempdir");
    // On a terminal, without NO_COLOR, there is colour (so the test can fail).
    let coloured = diagnose(dir.path(), false);
    assert!(
        !colour_sgr(&coloured).is_empty(),
        "{}",
        String::from_utf8_lossy(&coloured)
    );
    let plain = diagnose(dir.path(), true);
    let text = String::from_utf8_lossy(&plain);
    assert!(text.contains("red plain"), "{text}");
    assert_eq!(colour_sgr(&plain), Vec::<String>::new(), "{text}");

    let logs = dir.path().join("logs");
    let mut h = Launch::new(
        bin(),
        &["history", "--log-dir", logs.to_str().expect("utf-8 path")],
    )
    .env("NO_COLOR", "1")
    .spawn();
    h.wait_exit(WAIT).expect("history exits");
    let raw = h.raw_since(0);
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("colour"), "{text}");
    assert_eq!(colour_sgr(&raw), Vec::<String>::new(), "{text}");
}

#[test]
fn the_live_screen_has_no_colour_under_no_color() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fx = fixture("basic.yaml");
    let d = dir.path().display().to_string();
    let mut t = Launch::new(
        bin(),
        &["start", &fx, "--title", "No colour", "--log-dir", &d],
    )
    .env("NO_COLOR", "1")
    .spawn();
    t.expect_all(&["1 ▶ Look", "q quit"]);
    // hello prints red text; its output and the LIVE badge are on screen.
    t.send("\r");
    t.expect_all(&["hello-from-runbook", "exit 0", "q quit"]);
    let raw = t.raw_since(0);
    assert_eq!(colour_sgr(&raw), Vec::<String>::new());
    let (row, col) = t.find("LIVE").expect("LIVE badge");
    assert_eq!(t.fg(row, col), vt100::Color::Default);

    // Without NO_COLOR (the harness removes it) the same screen is in colour.
    let other = tempfile::tempdir().expect("tempdir");
    let c = start("basic.yaml", "Colour", other.path(), &[]);
    c.expect_all(&["1 ▶ Look", "q quit"]);
    assert!(!colour_sgr(&c.raw_since(0)).is_empty());
}

/// `theme = "mono"` in the config file does what `NO_COLOR` does, for the
/// live screen; a theme the program does not know is named with its line
/// on the first screen and the default colours are used.
#[test]
fn a_mono_theme_in_the_config_file_turns_colour_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "theme = \"mono\"\n").expect("write config");
    let fx = fixture("basic.yaml");
    let d = dir.path().join("logs").display().to_string();
    let mut t = Launch::new(bin(), &["start", &fx, "--title", "Mono", "--log-dir", &d])
        .env("RUNBOOK_CONFIG", config.to_str().expect("utf-8 path"))
        .spawn();
    t.expect_all(&["1 ▶ Look", "q quit"]);
    t.send("\r");
    t.expect_all(&["hello-from-runbook", "exit 0"]);
    assert_eq!(colour_sgr(&t.raw_since(0)), Vec::<String>::new());

    std::fs::write(&config, "\ntheme = \"solarized\"\n").expect("write config");
    let d2 = dir.path().join("logs2").display().to_string();
    let c = Launch::new(bin(), &["start", &fx, "--log-dir", &d2])
        .env("RUNBOOK_CONFIG", config.to_str().expect("utf-8 path"))
        .spawn();
    c.expect("config.toml:2: theme `solarized` is not one of default, mono");
    assert!(!colour_sgr(&c.raw_since(0)).is_empty());
}
