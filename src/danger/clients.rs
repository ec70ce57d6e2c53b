//! HTTP clients and container and cluster CLIs, with their read-only verbs
//! and options; anything else needs a confirmation.

use super::tools::{judge as judge_words, no_split, scan};
use super::{Arg, Input, Verdict};

/// Read-only sub-commands of `docker` and of its management groups.
fn docker_read_only(verb: &str) -> bool {
    matches!(
        verb,
        "ps" | "images"
            | "inspect"
            | "logs"
            | "stats"
            | "top"
            | "version"
            | "info"
            | "port"
            | "diff"
            | "history"
            | "events"
            | "search"
            | "help"
            | "ls"
            | "list"
            | "df"
            | "show"
            | "config"
    )
}

pub(super) fn docker(name: &str, args: &[Arg], depth: usize) -> Verdict {
    no_split(name, args)?;
    let global = scan(
        args,
        &[
            "-H",
            "--host",
            "-c",
            "--context",
            "--config",
            "-l",
            "--log-level",
            "--tlscacert",
            "--tlscert",
            "--tlskey",
        ],
        true,
    );
    let rest = &args[global.first_operand..];
    let Some((verb, rest)) = rest.split_first() else {
        return Ok(());
    };
    let verb = verb.text.to_ascii_lowercase();
    let (verb, rest) = match verb.as_str() {
        "container" | "image" | "network" | "volume" | "system" | "node" | "service" | "stack"
        | "context" | "plugin" | "secret" | "config" | "builder" | "buildx" | "compose" => {
            let sub = scan(
                rest,
                &[
                    "-f",
                    "--file",
                    "-p",
                    "--project-name",
                    "--project-directory",
                    "--env-file",
                    "--profile",
                    "--ansi",
                    "--progress",
                    "--parallel",
                ],
                true,
            );
            let rest = &rest[sub.first_operand..];
            match rest.split_first() {
                Some((v, rest)) => (format!("{verb} {}", v.text.to_ascii_lowercase()), rest),
                None => return Ok(()),
            }
        }
        _ => (verb, rest),
    };
    let last = verb.rsplit(' ').next().unwrap_or_default();
    if last == "exec" {
        let s = scan(
            rest,
            &[
                "-e",
                "--env",
                "--env-file",
                "-u",
                "--user",
                "-w",
                "--workdir",
                "--detach-keys",
                "--index",
            ],
            true,
        );
        return judge_words(
            rest.get(s.first_operand + 1..).unwrap_or_default(),
            &Input::Unknown,
            depth,
        )
        .map_err(|r| format!("`{name} {verb}` runs a command that needs confirming: {r}"));
    }
    if docker_read_only(last) {
        Ok(())
    } else {
        Err(format!("`{name} {verb}` is not a known read-only command"))
    }
}

pub(super) fn kubectl(name: &str, args: &[Arg], depth: usize) -> Verdict {
    no_split(name, args)?;
    let s = scan(
        args,
        &[
            "-n",
            "--namespace",
            "--context",
            "--cluster",
            "--user",
            "--kubeconfig",
            "-s",
            "--server",
            "--token",
            "--as",
            "--as-group",
            "-l",
            "--selector",
            "-o",
            "--output",
            "-c",
            "--container",
            "--request-timeout",
            "--field-selector",
            "-f",
            "--filename",
            "--since",
            "--tail",
            "--sort-by",
            "-L",
            "--label-columns",
            "--template",
            "--pod-running-timeout",
            "--since-time",
            "--timeout",
            "--for",
        ],
        false,
    );
    let ops: Vec<String> = s
        .operands
        .iter()
        .map(|a| a.text.to_ascii_lowercase())
        .collect();
    let verb = ops.first().map(String::as_str).unwrap_or_default();
    let sub = ops.get(1).map(String::as_str).unwrap_or_default();
    if verb == "exec" {
        let cmd = match args.iter().position(|a| a.text == "--") {
            Some(i) => &args[i + 1..],
            None => &[],
        };
        if cmd.is_empty() {
            return Err(format!(
                "`{name} exec` without `--` runs a command that cannot be judged"
            ));
        }
        return judge_words(cmd, &Input::Unknown, depth)
            .map_err(|r| format!("`{name} exec` runs a command that needs confirming: {r}"));
    }
    let read = match verb {
        "" | "get" | "describe" | "logs" | "top" | "explain" | "api-resources" | "api-versions"
        | "cluster-info" | "version" | "diff" | "wait" | "events" | "help" | "options"
        | "completion" | "kustomize" => true,
        "config" => matches!(
            sub,
            "view" | "get-contexts" | "current-context" | "get-clusters" | "get-users"
        ),
        "auth" => matches!(sub, "can-i" | "whoami"),
        "rollout" => matches!(sub, "status" | "history"),
        "plugin" => sub == "list",
        _ => false,
    };
    if read {
        Ok(())
    } else if matches!(verb, "config" | "auth" | "rollout" | "plugin") {
        Err(format!(
            "`{name} {verb} {sub}` is not a known read-only command"
        ))
    } else {
        Err(format!("`{name} {verb}` is not a known read-only command"))
    }
}

/// Options of curl that take a value (so `-sXDELETE` and `-X DELETE` read alike).
const CURL_VALUES: &[&str] = &[
    "-A",
    "-b",
    "-c",
    "-C",
    "-d",
    "-D",
    "-e",
    "-E",
    "-F",
    "-H",
    "-K",
    "-m",
    "-o",
    "-P",
    "-Q",
    "-r",
    "-t",
    "-T",
    "-u",
    "-U",
    "-w",
    "-x",
    "-X",
    "-y",
    "-Y",
    "-z",
    "--request",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "--data-ascii",
    "--json",
    "--form",
    "--form-string",
    "--header",
    "--user",
    "--user-agent",
    "--referer",
    "--cookie",
    "--cookie-jar",
    "--output",
    "--dump-header",
    "--config",
    "--max-time",
    "--connect-timeout",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--url",
    "--upload-file",
    "--proxy",
    "--cacert",
    "--capath",
    "--cert",
    "--key",
    "--write-out",
    "--limit-rate",
    "--range",
    "--resolve",
    "--connect-to",
    "--interface",
    "--trace",
    "--trace-ascii",
    "--stderr",
    "--output-dir",
    "--etag-save",
    "--etag-compare",
    "--max-filesize",
    "--quote",
    "--url-query",
    "--variable",
    "--oauth2-bearer",
    "--proxy-user",
    "--hsts",
    "--alt-svc",
];

fn harmless_output(path: &str) -> bool {
    matches!(path, "-" | "/dev/null" | "/dev/stdout" | "/dev/stderr")
}

pub(super) fn curl(args: &[Arg]) -> Verdict {
    no_split("curl", args)?;
    let s = scan(args, CURL_VALUES, false);
    for (opt, value) in &s.opts {
        let value = value.as_deref().unwrap_or_default();
        match opt.as_str() {
            "-X" | "--request" => {
                let method = value.to_ascii_uppercase();
                if method != "GET" && method != "HEAD" {
                    return Err(format!("`curl -X {method}` changes a remote system"));
                }
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-urlencode"
            | "--data-ascii" | "--json" | "-F" | "--form" | "--form-string" | "-T"
            | "--upload-file" => {
                return Err(format!("`curl {opt}` sends data to a remote system"));
            }
            "-o" | "--output" | "-D" | "--dump-header" | "-c" | "--cookie-jar" | "--trace"
            | "--trace-ascii" | "--stderr" | "--etag-save" | "--hsts" | "--alt-svc"
                if !harmless_output(value) =>
            {
                return Err(format!("`curl {opt}` writes to a file ({value})"));
            }
            "-O"
            | "--remote-name"
            | "--remote-name-all"
            | "-J"
            | "--remote-header-name"
            | "--output-dir"
            | "--create-dirs" => {
                return Err(format!("`curl {opt}` writes to a file"));
            }
            "-K" | "--config" => {
                return Err("`curl -K` reads options from a file, which cannot be judged".into());
            }
            "-Q" | "--quote" => return Err("`curl -Q` sends raw commands to a server".into()),
            _ => {}
        }
    }
    Ok(())
}

pub(super) fn wget(args: &[Arg]) -> Verdict {
    no_split("wget", args)?;
    let s = scan(
        args,
        &[
            "-O",
            "--output-document",
            "-o",
            "--output-file",
            "-a",
            "--append-output",
            "-P",
            "--directory-prefix",
            "-t",
            "--tries",
            "-T",
            "--timeout",
            "-U",
            "--user-agent",
            "--header",
            "--user",
            "--password",
            "--method",
            "--body-data",
            "--body-file",
            "--post-data",
            "--post-file",
            "-e",
            "--execute",
            "-i",
            "--input-file",
            "-w",
            "--wait",
            "-Q",
            "--quota",
            "-l",
            "--level",
            "-A",
            "-R",
            "-D",
            "--referer",
        ],
        false,
    );
    // getopt accepts any unambiguous prefix of a long option (`--meth=DELETE`).
    let is = |opt: &str, full: &str| opt == full || (opt.len() > 4 && full.starts_with(opt));
    let mut prints = false;
    for (opt, value) in &s.opts {
        let value = value.as_deref().unwrap_or_default();
        if is(opt, "--method") {
            let m = value.to_ascii_uppercase();
            if m != "GET" && m != "HEAD" {
                return Err(format!("`wget --method={m}` changes a remote system"));
            }
        } else if ["--post-data", "--post-file", "--body-data", "--body-file"]
            .iter()
            .any(|f| is(opt, f))
        {
            return Err(format!("`wget {opt}` sends data to a remote system"));
        } else if opt == "-e" || is(opt, "--execute") {
            return Err("`wget -e` runs settings that cannot be judged".into());
        } else if opt == "-O" || is(opt, "--output-document") {
            if !harmless_output(value) {
                return Err(format!("`wget -O` writes to a file ({value})"));
            }
            prints = true;
        } else if ["-o", "-a"].contains(&opt.as_str())
            || is(opt, "--output-file")
            || is(opt, "--append-output")
        {
            if !harmless_output(value) {
                return Err(format!("`wget {opt}` writes a log file ({value})"));
            }
        } else if is(opt, "--spider") {
            prints = true;
        }
    }
    if prints {
        Ok(())
    } else {
        Err("`wget` saves what it downloads to a file (`-O -` prints it)".into())
    }
}
