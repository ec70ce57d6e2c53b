//! Judges one simple command by what its program is and how it is called.

use super::{Arg, Input, Verdict, allow, host, visit, wrappers};

/// Judges the words of one simple command (after expansion as far as known).
///
/// Every call is also shown to [`visit`] (a no-op unless a caller such as the
/// drill fence asked to see each simple command), including the commands
/// looked through in wrappers and the strings given to shells.
pub(super) fn judge(words: &[Arg], input: &Input, depth: usize) -> Verdict {
    let (verdict, looked_through) = net(words, input, depth);
    visit::command(words, verdict, looked_through)
}

/// The net's verdict, and whether the command runs another one that gets
/// its own verdict (a wrapper, a shell, `eval`, …).
fn net(words: &[Arg], input: &Input, depth: usize) -> (Verdict, bool) {
    let Some((first, args)) = words.split_first() else {
        return (Ok(()), false);
    };
    if first.dynamic || first.pattern {
        return (
            Err(format!(
                "the command name `{}` comes from a variable, substitution or pattern",
                first.text
            )),
            false,
        );
    }
    if first.text.starts_with("/etc/init.d/") || first.text.starts_with("/etc/rc.d/") {
        return (allow::init_script(&first.text, args), false);
    }
    let name = command_name(&first.text);
    if let Some(v) = wrappers::judge(&name, args, input, depth) {
        return (v, true);
    }
    if let Some(v) = allow::judge(&name, args, depth) {
        return (v, false);
    }
    if let Some(v) = interpreter(&name, args) {
        return (v, false);
    }
    (host::host(&name, args), false)
}

/// The program's name as looked up: the last path component, lower case
/// (case-insensitive file systems run `RM` as `rm`).
pub(super) fn command_name(text: &str) -> String {
    text.rsplit('/').next().unwrap_or(text).to_ascii_lowercase()
}

/// `python3.11` → `python`, `pip3` → `pip`.
fn unversioned(name: &str) -> &str {
    name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
}

/// An option and its value, or an operand, of a command line.
pub(super) struct Scan<'a> {
    /// Options in order, with the value of those that take one.
    pub opts: Vec<(String, Option<String>)>,
    /// Operands in order.
    pub operands: Vec<&'a Arg>,
    /// Index in the arguments of the first operand (when stopping at it).
    pub first_operand: usize,
}

impl Scan<'_> {
    pub fn has(&self, names: &[&str]) -> bool {
        self.opts.iter().any(|(n, _)| names.contains(&n.as_str()))
    }

    pub fn value(&self, names: &[&str]) -> Option<&str> {
        self.opts
            .iter()
            .find(|(n, _)| names.contains(&n.as_str()))
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Splits arguments GNU style: `-abc` clusters, `-Xvalue`, `-X value`,
/// `--long=value`, `--long value` (for the options in `takes_value`), `--`
/// ends the options. With `stop_at_operand` the first operand ends them too
/// (as for wrappers: `sudo -u x cmd -rf`).
pub(super) fn scan<'a>(args: &'a [Arg], takes_value: &[&str], stop_at_operand: bool) -> Scan<'a> {
    let mut s = Scan {
        opts: Vec::new(),
        operands: Vec::new(),
        first_operand: args.len(),
    };
    let mut i = 0;
    let mut options_done = false;
    while i < args.len() {
        let t = args[i].text.as_str();
        if options_done || t == "-" || !t.starts_with('-') {
            if s.operands.is_empty() {
                s.first_operand = i;
            }
            s.operands.push(&args[i]);
            if stop_at_operand {
                s.operands.extend(&args[i + 1..]);
                break;
            }
        } else if t == "--" {
            options_done = true;
            if stop_at_operand {
                s.first_operand = i + 1;
                s.operands.extend(&args[i + 1..]);
                break;
            }
        } else if let Some(long) = t.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => s.opts.push((format!("--{n}"), Some(v.to_string()))),
                None if takes_value.contains(&t) => {
                    s.opts
                        .push((t.to_string(), args.get(i + 1).map(|a| a.text.clone())));
                    i += 1;
                }
                None => s.opts.push((t.to_string(), None)),
            }
        } else {
            let cluster: Vec<char> = t.chars().skip(1).collect();
            for (k, c) in cluster.iter().enumerate() {
                let name = format!("-{c}");
                if takes_value.contains(&name.as_str()) {
                    let attached: String = cluster[k + 1..].iter().collect();
                    let value = if attached.is_empty() {
                        i += 1;
                        args.get(i).map(|a| a.text.clone())
                    } else {
                        Some(attached)
                    };
                    s.opts.push((name, value));
                    break;
                }
                s.opts.push((name, None));
            }
        }
        i += 1;
    }
    s
}

/// `Err` when an unquoted expansion could turn into any option or verb.
pub(super) fn no_split(name: &str, args: &[Arg]) -> Verdict {
    match args.iter().find(|a| a.split) {
        Some(a) => Err(format!(
            "`{name}` takes arguments from the unquoted `{}`, which cannot be judged",
            a.text
        )),
        None => Ok(()),
    }
}

/// Programs run by an interpreter: their effect cannot be judged.
fn interpreter(name: &str, args: &[Arg]) -> Option<Verdict> {
    let base = unversioned(name);
    let (lang, inline): (&str, &[char]) = match base {
        "python" | "pypy" => ("Python", &['c']),
        "perl" => ("Perl", &['e', 'E']),
        "ruby" | "irb" | "jruby" => ("Ruby", &['e']),
        "node" | "nodejs" | "deno" | "bun" => ("JavaScript", &['e', 'p']),
        "php" => ("PHP", &['r']),
        "lua" | "luajit" => ("Lua", &['e']),
        "tclsh" | "wish" => ("Tcl", &[]),
        "rscript" => ("R", &['e']),
        "pwsh" | "powershell" => ("PowerShell", &['c']),
        "osascript" => ("AppleScript", &['e']),
        "erl" | "escript" => ("Erlang", &[]),
        "elixir" | "iex" => ("Elixir", &['e']),
        "julia" => ("Julia", &['e']),
        "groovy" => ("Groovy", &['e']),
        _ => return None,
    };
    let texts: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    if texts
        .iter()
        .all(|t| matches!(*t, "-V" | "--version" | "-v" | "-h" | "--help" | "-VV"))
    {
        return Some(Ok(()));
    }
    if lang == "Python"
        && let Some(m) = texts.iter().position(|t| *t == "-m")
        && texts.get(m + 1) == Some(&"json.tool")
        && texts[m + 2..]
            .iter()
            .filter(|t| !t.starts_with('-'))
            .count()
            <= 1
    {
        return Some(Ok(()));
    }
    let is_inline = texts.iter().any(|t| {
        matches!(
            *t,
            "--eval" | "--print" | "-eval" | "-command" | "-Command" | "-EncodedCommand"
        ) || (t.len() > 1
            && t.len() <= 6
            && t.starts_with('-')
            && !t.starts_with("--")
            && t[1..].chars().any(|c| inline.contains(&c)))
    });
    Some(Err(if is_inline {
        format!("`{name}` runs inline {lang} code, which cannot be judged")
    } else {
        format!("`{name}` runs a {lang} program, which cannot be judged")
    }))
}
