use super::*;

const HOSTILE: &str =
    "a\u{1b}]52;c;aGVsbG8=\u{7}b\u{1b}[2Jc\u{9b}31md\u{1b}[1;31me\u{1b}[0m\r\nf\u{7f}g\u{85}h";

/// No byte a terminal would act on: ESC, BEL, other C0 but `\n`/`\t`, DEL, C1.
fn assert_inert(s: &str) {
    assert!(!has_controls(s), "controls left in {s:?}");
    assert!(!s.contains('\u{1b}'), "ESC left in {s:?}");
}

#[test]
fn escapes_and_controls_go_text_stays() {
    let out = for_terminal(HOSTILE);
    assert_inert(&out);
    assert_eq!(out, "abcde\nfgh");
    assert!(matches!(for_terminal("plain\ttext\n"), Cow::Borrowed(_)));
}

#[test]
fn styled_keeps_only_sgr() {
    let out = for_terminal_styled(HOSTILE);
    assert_eq!(out, "abcd\u{1b}[1;31me\u{1b}[0m\nfgh");
    assert!(!out.contains('\u{7}'));
}

#[test]
fn one_line_marks_line_breaks() {
    assert_eq!(one_line("x\u{1b}]0;t\u{7}\ny\tz\n"), "x ⏎ y z");
    assert_eq!(one_line("just a title"), "just a title");
}

#[test]
fn an_unterminated_escape_hides_nothing() {
    assert_eq!(
        for_terminal("title \u{1b}]0;rest\nnext"),
        "title 0;rest\nnext"
    );
    assert_eq!(for_terminal("x\u{1b}P"), "x");
}

#[test]
fn json_keeps_its_meaning_without_raw_c1() {
    let json = serde_json::to_string(&"q\u{9b}2J\u{7f}\u{1b}").unwrap_or_default();
    let safe = json_for_terminal(json);
    assert_inert(&safe);
    let back: String = serde_json::from_str(&safe).unwrap_or_default();
    assert_eq!(back, "q\u{9b}2J\u{7f}\u{1b}");
}

#[test]
fn the_writer_sanitises_across_writes() {
    let mut buf = Vec::new();
    {
        let mut w = Terminal::new(&mut buf, false);
        let _ = w.write_all(b"one \x1b]52;c;");
        let _ = w.write_all(b"aGk=\x07two \x1b[31mred\x1b[0m\n");
        let _ = write!(w, "tail \x1b[2J");
    }
    assert_eq!(String::from_utf8_lossy(&buf), "one two red\ntail ");
}

/// Calls `each` with every line of every `.rs` file under `src/` (path,
/// line number from 1, text): for the tests that hold a rule across the code.
pub(crate) fn each_source_line(each: &mut dyn FnMut(&std::path::Path, usize, &str)) {
    fn visit(dir: &std::path::Path, each: &mut dyn FnMut(&std::path::Path, usize, &str)) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                visit(&p, each);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                for (no, line) in text.lines().enumerate() {
                    each(&p, no + 1, line);
                }
            }
        }
    }
    visit(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        each,
    );
}

/// Every command prints through this module: no standard print macro in `src/`
/// outside it (the TUI draws through ratatui and prints nothing).
#[test]
fn no_command_prints_around_the_sanitiser() {
    let mut found = Vec::new();
    each_source_line(&mut |p, no, line| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let in_text = p.parent().is_some_and(|d| d.ends_with("src/text"));
        let is_tests = name.ends_with("_tests.rs") || (in_text && name == "tests.rs");
        if (in_text && name == "mod.rs") || is_tests {
            return;
        }
        for (at, _) in line.match_indices("println!") {
            let start = if line[..at].ends_with('e') {
                at - 1
            } else {
                at
            };
            if !line[..start].ends_with("text::") {
                found.push(format!("{}:{no}: {}", p.display(), line.trim()));
            }
        }
        if line.contains("print!(") {
            found.push(format!("{}:{no}: {}", p.display(), line.trim()));
        }
    });
    assert!(
        found.is_empty(),
        "print through text::println!/text::eprintln! (they sanitise):\n{}",
        found.join("\n")
    );
}

#[test]
fn strip_sgr_takes_a_stray_escape_whole() {
    assert_eq!(strip_sgr("\u{1b}[1;31mred\u{1b}[0m plain"), "red plain");
    // ESC and the character after it are one escape sequence: both go.
    assert_eq!(strip_sgr("a\u{1b}b"), "a");
    assert_eq!(strip_sgr("a\u{1b}[2Jb"), "ab");
    // An ESC at the end goes alone; an open OSC hides nothing after it.
    assert_eq!(strip_sgr("tail\u{1b}"), "tail");
    assert_eq!(strip_sgr("\u{1b}]0;failed\n"), "0;failed\n");
    assert_eq!(strip_sgr("plain [1m"), "plain [1m");
    // The exec re-export and the report's are this very function.
    assert_eq!(crate::exec::sanitize::strip_sgr("a\u{1b}b"), "a");
    assert_eq!(crate::report::text::strip_sgr("a\u{1b}b"), "a");
}
