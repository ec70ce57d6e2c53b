//! `runbook completions SHELL` and `runbook man`: what a packager installs
//! beside the binary, generated from the clap definition so they never drift
//! from the real options.

use std::io::Write;

use clap::CommandFactory;

use super::Cli;

/// Prints the completion script for `shell` to stdout; returns the exit code.
pub fn completions(shell: clap_complete::Shell) -> i32 {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "runbook", &mut out);
    write_stdout(&out)
}

/// Prints the manual page (roff) to stdout; returns the exit code.
pub fn man() -> i32 {
    match man_page() {
        Ok(page) => write_stdout(&page),
        Err(e) => {
            crate::text::eprintln!(
                "runbook man: {}",
                crate::i18n::trf(
                    crate::i18n::Lang::from_env(),
                    "cannot render the manual page: {}",
                    &[&e]
                )
            );
            1
        }
    }
}

/// The manual page: `runbook(1)` with the program's synopsis and options,
/// then one section per subcommand instead of clap_mangen's list of
/// `runbook-start(1)` pages nobody installs (its synopsis, what it does, its
/// options), so one `runbook.1` documents everything.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    let page = clap_mangen::Man::new(cmd.clone()).title("RUNBOOK");
    page.render_title(&mut out)?;
    page.render_name_section(&mut out)?;
    page.render_synopsis_section(&mut out)?;
    page.render_description_section(&mut out)?;
    page.render_options_section(&mut out)?;
    for sub in shown(&cmd) {
        sections(&mut out, sub, &format!("runbook {}", sub.get_name()))?;
    }
    page.render_version_section(&mut out)?;
    Ok(out)
}

/// The subcommands a user is meant to type (not `help`, nor hidden ones).
fn shown(cmd: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cmd.get_subcommands()
        .filter(|s| s.get_name() != "help" && !s.is_hide_set())
}

/// A subcommand's section, and its own subcommands' after it (`drill list`).
fn sections(out: &mut Vec<u8>, cmd: &clap::Command, name: &str) -> std::io::Result<()> {
    writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
    let mut usage = cmd.clone().bin_name(name.to_string());
    let usage = usage.render_usage().to_string();
    let usage = usage.trim_start_matches("Usage: ");
    writeln!(out, ".B {}", roff_escape(usage))?;
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        writeln!(out, ".PP\n{}", roff_escape(&about.to_string()))?;
    }
    for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let id = arg.get_id().as_str();
        if id == "help" || id == "version" {
            continue;
        }
        let mut names: Vec<String> = Vec::new();
        if let Some(s) = arg.get_short() {
            names.push(format!("-{s}"));
        }
        if let Some(l) = arg.get_long() {
            names.push(format!("--{l}"));
        }
        let value = arg
            .get_value_names()
            .map(|v| {
                v.iter()
                    .map(|n| format!("<{n}>"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        let head = match (
            names.is_empty(),
            value.is_empty() || !arg.get_action().takes_values(),
        ) {
            (true, _) => value,
            (false, true) => names.join(", "),
            (false, false) => format!("{} {value}", names.join(", ")),
        };
        writeln!(out, ".TP\n\\fB{}\\fR", roff_escape(&head))?;
        if let Some(help) = arg.get_long_help().or(arg.get_help()) {
            writeln!(out, "{}", roff_escape(&help.to_string()))?;
        }
    }
    for sub in shown(cmd) {
        sections(out, sub, &format!("{name} {}", sub.get_name()))?;
    }
    Ok(())
}

/// Text safe in a roff line: backslashes doubled, a leading `.` or `'`
/// (a request) and hyphens of options escaped.
fn roff_escape(s: &str) -> String {
    let mut out = s.replace('\\', "\\\\").replace('-', "\\-");
    if out.starts_with('.') || out.starts_with('\'') {
        out.insert_str(0, "\\&");
    }
    out.replace("\n.", "\n\\&.").replace("\n'", "\n\\&'")
}

fn write_stdout(bytes: &[u8]) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => 0,
        // A closed pipe (`runbook man | head`) is not a failure worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            crate::text::eprintln!(
                "runbook: {}",
                crate::i18n::trf(
                    crate::i18n::Lang::from_env(),
                    "cannot write to stdout: {}",
                    &[&e]
                )
            );
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_escape_keeps_requests_and_backslashes_inert() {
        assert_eq!(roff_escape(".TH x"), "\\&.TH x");
        assert_eq!(roff_escape("a\\b --log-dir"), "a\\\\b \\-\\-log\\-dir");
    }
}
