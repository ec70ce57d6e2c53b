//! Commands that run other commands: wrappers are looked through, shells and
//! `eval` have their command strings parsed again, and what cannot be seen
//! (a pipe into a shell, a script file, `xargs`' input) needs a confirmation.

use super::tools::{judge as judge_words, no_split, scan};
use super::{Arg, Input, Verdict, walk};

/// `Some(verdict)` when `name` runs other commands; `None` for anything else.
pub(super) fn judge(name: &str, args: &[Arg], input: &Input, depth: usize) -> Option<Verdict> {
    let then = |rest: &[Arg]| judge_words(rest, input, depth);
    let v = match name {
        "sudo" | "doas" | "please" | "run0" => {
            let s = scan(
                args,
                &[
                    "-u",
                    "-g",
                    "-C",
                    "-D",
                    "-h",
                    "-p",
                    "-r",
                    "-t",
                    "-U",
                    "-T",
                    "--user",
                    "--group",
                    "--close-from",
                    "--chdir",
                    "--host",
                    "--prompt",
                    "--role",
                    "--type",
                    "--other-user",
                    "--command-timeout",
                ],
                true,
            );
            if s.has(&["-e", "--edit"]) {
                Err(format!("`{name} -e` edits files"))
            } else if s.operands.is_empty() && s.has(&["-s", "--shell", "-i", "--login"]) {
                shell_input(name, input, depth)
            } else {
                then(&args[s.first_operand..])
            }
        }
        "env" => env(args, input, depth),
        "nice" => wrapped(args, &["-n", "--adjustment"], input, depth),
        "nohup" | "setsid" | "unbuffer" | "builtin" | "noglob" | "nocorrect" | "chronic" => {
            wrapped(args, &[], input, depth)
        }
        "exec" => wrapped(args, &["-a"], input, depth),
        "stdbuf" => wrapped(
            args,
            &["-i", "-o", "-e", "--input", "--output", "--error"],
            input,
            depth,
        ),
        "strace" | "ltrace" => wrapped(
            args,
            &[
                "-e", "-o", "-p", "-s", "-u", "-E", "-a", "-b", "-I", "-P", "-S", "-X", "-O",
            ],
            input,
            depth,
        ),
        "command" => {
            let s = scan(args, &[], true);
            if s.has(&["-v", "-V"]) {
                Ok(())
            } else {
                then(&args[s.first_operand..])
            }
        }
        "time" => {
            let s = scan(args, &["-f", "--format", "-o", "--output"], true);
            match s.value(&["-o", "--output"]) {
                Some(f) if !matches!(f, "/dev/null" | "/dev/stdout" | "/dev/stderr") => {
                    Err(format!("`time -o` writes to a file ({f})"))
                }
                _ => then(&args[s.first_operand..]),
            }
        }
        "timeout" => {
            let s = scan(args, &["-s", "--signal", "-k", "--kill-after"], true);
            then(args.get(s.first_operand + 1..).unwrap_or_default())
        }
        "renice" => Err("`renice` changes the priority of running processes".into()),
        "ionice" => {
            let s = scan(args, &["-c", "--class", "-n", "--classdata"], true);
            if s.has(&["-p", "--pid", "-P", "--pgid", "-u", "--uid"]) {
                Err("`ionice -p` changes the I/O priority of running processes".into())
            } else {
                then(&args[s.first_operand..])
            }
        }
        "chrt" | "taskset" => {
            let s = scan(
                args,
                &[
                    "-T",
                    "-P",
                    "-D",
                    "--sched-runtime",
                    "--sched-period",
                    "--sched-deadline",
                ],
                true,
            );
            if s.has(&["-p", "--pid", "-a", "--all-tasks"]) {
                Err(format!(
                    "`{name} -p` changes the scheduling of running processes"
                ))
            } else {
                // `chrt PRIORITY cmd…`, `taskset MASK cmd…`
                then(args.get(s.first_operand + 1..).unwrap_or_default())
            }
        }
        "chroot" => {
            let s = scan(args, &["--userspec", "--groups"], true);
            match args.get(s.first_operand + 1..) {
                Some(rest) if !rest.is_empty() => then(rest),
                _ => shell_input(name, input, depth),
            }
        }
        "flock" => {
            let s = scan(
                args,
                &[
                    "-w",
                    "--timeout",
                    "-E",
                    "--conflict-exit-code",
                    "-c",
                    "--command",
                ],
                true,
            );
            match s.value(&["-c", "--command"]) {
                Some(c) => command_string(name, args, c, depth),
                None => then(args.get(s.first_operand + 1..).unwrap_or_default()),
            }
        }
        "su" | "runuser" => {
            let s = scan(args, SU_VALUES, true);
            let anywhere = scan(args, SU_VALUES, false);
            if let Some(c) = anywhere.value(&["-c", "--command", "--session-command"]) {
                command_string(name, args, c, depth)
            } else if name == "runuser" && s.has(&["-u", "--user"]) {
                then(&args[s.first_operand..])
            } else {
                shell_input(name, input, depth)
            }
        }
        "xargs" | "parallel" => {
            let s = scan(
                args,
                &[
                    "-a",
                    "--arg-file",
                    "-d",
                    "--delimiter",
                    "-E",
                    "-I",
                    "-L",
                    "-n",
                    "--max-args",
                    "-P",
                    "--max-procs",
                    "-s",
                    "--max-chars",
                    "--process-slot-var",
                    "--max-lines",
                    "-j",
                    "--jobs",
                ],
                true,
            );
            let rest = &args[s.first_operand..];
            let cmd = rest.first().map_or("echo", |a| a.text.as_str());
            match judge_words(rest, &Input::Unknown, depth) {
                Err(r) => Err(format!(
                    "`{name}` runs a command that needs confirming: {r}"
                )),
                Ok(()) => Err(format!(
                    "`{name}` runs `{cmd}` with arguments read from its input, which cannot be judged"
                )),
            }
        }
        "watch" => {
            let s = scan(args, &["-n", "--interval", "-d", "--differences"], true);
            let rest = &args[s.first_operand..];
            if s.has(&["-x", "--exec"]) {
                then(rest)
            } else {
                joined(name, rest, depth)
            }
        }
        "busybox" => then(args),
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "mksh" | "ash" | "yash" | "posh" | "rbash"
        | "ksh93" | "fish" | "tcsh" | "csh" => shell(name, args, input, depth),
        "eval" => joined(name, args, depth),
        "source" | "." => Err(format!(
            "`{name}` runs the commands in a file, which cannot be judged"
        )),
        "trap" => {
            let s = scan(args, &[], true);
            match s.operands.as_slice() {
                [action, _, ..] if !matches!(action.text.as_str(), "-" | "") => {
                    command_string(name, args, &action.text, depth)
                }
                _ => Ok(()),
            }
        }
        "alias" => args
            .iter()
            .filter_map(|a| a.text.split_once('=').map(|(_, v)| (a, v)))
            .try_for_each(|(a, v)| {
                if a.dynamic {
                    Err("`alias` defines a command from a variable or substitution".to_string())
                } else {
                    walk::script(v, depth + 1)
                }
            }),
        "ssh" => {
            let s = scan(
                args,
                &[
                    "-B", "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m",
                    "-O", "-o", "-p", "-Q", "-R", "-S", "-W", "-w",
                ],
                true,
            );
            match args.get(s.first_operand + 1..) {
                Some(rest) if !rest.is_empty() => joined(name, rest, depth),
                _ => Ok(()),
            }
        }
        "find" => find(args, depth),
        _ => return None,
    };
    Some(v)
}

/// Options of `su` and `runuser` that take a value.
const SU_VALUES: &[&str] = &[
    "-c",
    "--command",
    "--session-command",
    "-s",
    "--shell",
    "-g",
    "--group",
    "-G",
    "--supp-group",
    "-u",
    "--user",
    "-w",
    "--whitelist-environment",
];

/// A wrapper whose options end at the first operand, the command it runs.
fn wrapped(args: &[Arg], takes_value: &[&str], input: &Input, depth: usize) -> Verdict {
    let s = scan(args, takes_value, true);
    judge_words(&args[s.first_operand..], input, depth)
}

fn env(args: &[Arg], input: &Input, depth: usize) -> Verdict {
    let s = scan(
        args,
        &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
        true,
    );
    let rest = &args[s.first_operand..];
    let assignments = rest
        .iter()
        .take_while(|a| a.text.contains('=') && !a.text.starts_with('='))
        .count();
    let rest = &rest[assignments..];
    match s.value(&["-S", "--split-string"]) {
        Some(split) => {
            let mut text = split.to_string();
            for a in rest {
                text.push(' ');
                text.push_str(&a.text);
            }
            command_string("env -S", args, &text, depth)
        }
        None => judge_words(rest, input, depth),
    }
}

/// A command string run by a shell: parsed again, unless it is built at run time.
fn command_string(name: &str, args: &[Arg], text: &str, depth: usize) -> Verdict {
    if args.iter().any(|a| a.dynamic) {
        return Err(format!(
            "`{name}` runs a command string built from a variable or substitution, which cannot be judged"
        ));
    }
    walk::script(text, depth + 1)
}

/// `eval`, `ssh host cmd…`, `watch cmd…`: the words joined with spaces and parsed again.
fn joined(name: &str, words: &[Arg], depth: usize) -> Verdict {
    if let Some(a) = words.iter().find(|a| a.dynamic) {
        return Err(format!(
            "`{name}` runs a command built from `{}`, which cannot be judged",
            a.text
        ));
    }
    let text: Vec<&str> = words.iter().map(|a| a.text.as_str()).collect();
    walk::script(&text.join(" "), depth + 1)
}

/// A shell: `-c STRING` is parsed again; a script file cannot be judged; input
/// is judged when it is a known here-document.
fn shell(name: &str, args: &[Arg], input: &Input, depth: usize) -> Verdict {
    let mut i = 0;
    let mut command_mode = false;
    let mut read_input = false;
    while let Some(a) = args.get(i) {
        let t = a.text.as_str();
        if a.dynamic {
            break;
        }
        if t == "--" || t == "-" {
            i += 1;
            break;
        }
        if matches!(t, "-o" | "+o" | "-O" | "+O" | "--rcfile" | "--init-file") {
            i += 2;
            continue;
        }
        if t.starts_with("--") {
            i += 1;
            continue;
        }
        if (t.starts_with('-') || t.starts_with('+')) && t.len() > 1 {
            command_mode |= t.starts_with('-') && t.contains('c');
            read_input |= t.contains('s');
            // `-eo pipefail`: the last option of a cluster may take the next word.
            i += if t.ends_with(['o', 'O']) { 2 } else { 1 };
            continue;
        }
        break;
    }
    if matches!(name, "fish" | "tcsh" | "csh") && (command_mode || args.get(i).is_some()) {
        return Err(format!(
            "`{name}` runs commands in a syntax the net does not read"
        ));
    }
    if command_mode {
        return match args.get(i) {
            Some(cmd) if cmd.dynamic => Err(format!(
                "`{name} -c` runs a command string built from `{}`, which cannot be judged",
                cmd.text
            )),
            Some(cmd) => walk::script(&cmd.text, depth + 1),
            None => Err(format!("`{name} -c` without a command string")),
        };
    }
    match args.get(i) {
        Some(script) if !read_input => Err(format!(
            "`{name}` runs the script `{}`, which cannot be judged",
            script.text
        )),
        _ => shell_input(name, input, depth),
    }
}

/// A shell reading commands from its standard input.
fn shell_input(name: &str, input: &Input, depth: usize) -> Verdict {
    match input {
        Input::Text(t) => walk::script(t, depth + 1),
        Input::Pipe => Err(format!(
            "`{name}` runs commands read from a pipe, which cannot be judged"
        )),
        Input::Inherited | Input::Unknown => Err(format!(
            "`{name}` runs commands read from its input, which cannot be judged"
        )),
    }
}

/// `find`: `-delete`, `-fprint…` and the commands of `-exec`/`-ok`.
fn find(args: &[Arg], depth: usize) -> Verdict {
    no_split("find", args)?;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let t = a.text.as_str();
        match t {
            "-delete" => return Err("`find -delete` removes files".into()),
            "-fprint" | "-fprint0" | "-fprintf" | "-fls" => {
                return Err(format!("`find {t}` writes to a file"));
            }
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                let start = i + 1;
                let mut end = start;
                while let Some(w) = args.get(end) {
                    if w.text == ";" || (w.text == "+" && end > start && args[end - 1].text == "{}")
                    {
                        break;
                    }
                    end += 1;
                }
                let cmd = &args[start..end];
                match cmd.first() {
                    None => return Err(format!("`find {t}` without a command")),
                    Some(c) if c.text.contains("{}") => {
                        return Err(format!("`find {t}` runs the files it finds"));
                    }
                    Some(_) => judge_words(cmd, &Input::Inherited, depth).map_err(|r| {
                        format!("`find {t}` runs a command that needs confirming: {r}")
                    })?,
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}
