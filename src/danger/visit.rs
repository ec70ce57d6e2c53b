//! Shows every simple command of a command line to an extra judge (the drill
//! fence), after the net has walked it: the same parse, the same look through
//! wrappers and `sh -c` strings, but no stop at the first changing command.
//!
//! While [`commands`] runs, the walk collects what it meets into a
//! thread-local list and carries on past the net's verdicts; only text the
//! parser cannot read stops it. Outside [`commands`] every hook here is a
//! no-op and the net behaves exactly as before.

use std::cell::RefCell;

use super::{Arg, MAX_LEN, Verdict, walk};

/// One simple command met anywhere in a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// Its words, quotes removed; expansions kept as written (`$x`).
    pub words: Vec<String>,
    /// Which words contain an expansion or substitution (known only when run).
    pub dynamic: Vec<bool>,
    /// The net says this command changes the system.
    pub changes: bool,
    /// It runs another command (wrapper, shell, `eval`, `xargs`, `find -exec`…),
    /// which is listed on its own.
    pub looked_through: bool,
}

/// What the walk met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// A simple command (or a command a wrapper runs).
    Command(SimpleCommand),
    /// Output redirected into this file (`> path`, `>> path`, `&> path`).
    Write(String),
    /// A file read by redirection (`< path`, `<> path`): `/dev/tcp/HOST/PORT` connects.
    Read(String),
    /// A variable set for one command (`NAME=value cmd`), as `NAME=value`.
    Assignment(String),
}

#[derive(Default)]
struct Visit {
    seen: Vec<Seen>,
    unreadable: Option<String>,
}

thread_local! {
    static VISIT: RefCell<Option<Visit>> = const { RefCell::new(None) };
}

/// Everything in `command_line` that runs, in walk order, or `Err(why)` when
/// the line cannot be read (too long, unparsable, nested too deeply).
pub fn commands(command_line: &str) -> Result<Vec<Seen>, String> {
    if command_line.len() > MAX_LEN {
        return Err(format!(
            "too long to read ({} KiB; the parser reads up to {} KiB)",
            command_line.len() / 1024,
            MAX_LEN / 1024
        ));
    }
    let outer = VISIT.with(|v| v.borrow_mut().replace(Visit::default()));
    let result = walk::script(command_line, 0);
    let visit = VISIT.with(|v| std::mem::replace(&mut *v.borrow_mut(), outer));
    let visit = visit.unwrap_or_default();
    match (visit.unreadable, result) {
        (Some(why), _) | (None, Err(why)) => Err(why),
        (None, Ok(())) => Ok(visit.seen),
    }
}

/// Runs `judge` over every command of `command_line`; the first `Some` wins.
/// A line that cannot be read is judged `Some(why)`.
pub fn judge_each(
    command_line: &str,
    mut judge: impl FnMut(&Seen) -> Option<String>,
) -> Option<String> {
    match commands(command_line) {
        Ok(seen) => seen.iter().find_map(&mut judge),
        Err(why) => Some(format!("cannot be read ({why})")),
    }
}

/// Runs `f` on the collector when a visit is under way.
fn with_visit<T>(f: impl FnOnce(&mut Visit) -> T) -> Option<T> {
    VISIT.with(|v| v.borrow_mut().as_mut().map(f))
}

/// Called by the walk for every simple command with the net's verdict; the
/// verdict to carry on with (a visit goes on past changing commands).
pub(super) fn command(words: &[Arg], verdict: Verdict, looked_through: bool) -> Verdict {
    let changes = verdict.is_err();
    with_visit(|v| {
        v.seen.push(Seen::Command(SimpleCommand {
            words: words.iter().map(|a| a.text.clone()).collect(),
            dynamic: words.iter().map(|a| a.dynamic).collect(),
            changes,
            looked_through,
        }));
    })
    .map_or(verdict, |()| Ok(()))
}

/// Called by the walk for a redirection into a file with the net's verdict.
pub(super) fn visited_write(target: &Arg, verdict: Verdict) -> Verdict {
    if verdict.is_ok() {
        return verdict;
    }
    with_visit(|v| v.seen.push(Seen::Write(target.text.clone()))).map_or(verdict, |()| Ok(()))
}

/// Called by the walk for a redirection from a file.
pub(super) fn read(source: &Arg) {
    with_visit(|v| v.seen.push(Seen::Read(source.text.clone())));
}

/// Called by the walk for a `NAME=value` before a command.
pub(super) fn assignment(text: &str) {
    with_visit(|v| v.seen.push(Seen::Assignment(text.to_string())));
}

/// Marks text the parser cannot read; a visit then fails with this reason.
pub(super) fn unreadable(why: String) -> String {
    with_visit(|v| {
        v.unreadable.get_or_insert_with(|| why.clone());
    });
    why
}

#[cfg(test)]
mod tests {
    use super::{Seen, commands};

    fn words(line: &str) -> Vec<Vec<String>> {
        commands(line)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| match s {
                Seen::Command(c) => Some(c.words),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_command_is_seen_past_changing_ones() {
        let got = words("rabbitmqctl stop_app; sh -c 'rm -f /x && rabbitmqctl -n a@b status'");
        assert_eq!(
            got,
            vec![
                vec!["rabbitmqctl", "stop_app"],
                vec!["rm", "-f", "/x"],
                vec!["rabbitmqctl", "-n", "a@b", "status"],
                vec!["sh", "-c", "rm -f /x && rabbitmqctl -n a@b status"],
            ]
        );
    }

    #[test]
    fn writes_and_assignments_are_seen() {
        let got = commands("X=1 echo hi > /etc/rabbitmq/a 2>/dev/null").unwrap_or_default();
        assert!(got.contains(&Seen::Write("/etc/rabbitmq/a".into())));
        assert!(got.contains(&Seen::Assignment("X=1".into())));
        assert!(!got.contains(&Seen::Write("/dev/null".into())));
    }

    #[test]
    fn unreadable_text_fails_even_inside_a_string() {
        assert!(commands("echo 'unclosed").is_err());
        assert!(commands("sh -c 'echo \"unclosed'").is_err());
        // …and the net's own verdicts are unchanged afterwards.
        assert!(super::super::destructive_reason("rm -rf /tmp/x").is_some());
        assert!(super::super::destructive_reason("sh -c 'echo \"unclosed'").is_some());
    }
}
