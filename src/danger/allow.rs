//! Tools that change things, with the read-only verbs and options that may run
//! without a confirmation. Anything not listed here needs one.

use super::tools::{no_split, scan};
use super::{Arg, Verdict, clients};

/// `Some(verdict)` for a tool with an allow-list; `None` for anything else.
pub(super) fn judge(name: &str, args: &[Arg], depth: usize) -> Option<Verdict> {
    let v = match name {
        "rabbitmqctl"
        | "rabbitmq-diagnostics"
        | "rabbitmq-queues"
        | "rabbitmq-streams"
        | "rabbitmq-plugins"
        | "rabbitmq-upgrade" => rabbit_cli(name, args),
        "rabbitmqadmin" => rabbitmqadmin(args),
        "systemctl" => systemctl(args),
        "service" | "rc-service" | "invoke-rc.d" => service(name, args),
        "journalctl" => journalctl(args),
        "docker" | "podman" | "nerdctl" => clients::docker(name, args, depth),
        "kubectl" | "oc" | "k3s" => clients::kubectl(name, args, depth),
        "curl" => clients::curl(args),
        "wget" => clients::wget(args),
        "apt" | "apt-get" | "aptitude" | "dpkg" | "rpm" | "yum" | "dnf" | "zypper" | "apk"
        | "pip" | "pip3" | "snap" | "npm" | "gem" => packages(name, args),
        _ => return None,
    };
    Some(v)
}

/// How a verb is compared: the RabbitMQ CLIs accept any case (`RESET`), and
/// `-` and `_` are taken as the same here so no spelling slips through.
fn norm(verb: &str) -> String {
    verb.to_ascii_lowercase().replace('-', "_")
}

/// Read-only commands of the RabbitMQ CLIs; `list_*` and `check_*` are read-only too.
fn rabbit_read_only(name: &str, verb: &str) -> bool {
    let common = matches!(verb, "help" | "version" | "autocomplete")
        || verb.starts_with("list_")
        || verb.starts_with("check_");
    common
        || match name {
            "rabbitmqctl" => matches!(
                verb,
                "status"
                    | "cluster_status"
                    | "environment"
                    | "report"
                    | "node_health_check"
                    | "authenticate_user"
                    | "await_startup"
                    | "await_online_nodes"
                    | "wait"
                    | "ping"
                    | "encode"
                    | "decode"
            ),
            "rabbitmq-diagnostics" => matches!(
                verb,
                "ping"
                    | "status"
                    | "alarms"
                    | "listeners"
                    | "environment"
                    | "cluster_status"
                    | "memory_breakdown"
                    | "log_tail"
                    | "log_tail_stream"
                    | "log_location"
                    | "is_booting"
                    | "is_running"
                    | "erlang_cookie_hash"
                    | "erlang_cookie_sources"
                    | "erlang_version"
                    | "server_version"
                    | "os_env"
                    | "maybe_stuck"
                    | "runtime_thread_stats"
                    | "schema_info"
                    | "resolve_hostname"
                    | "discover_peers"
                    | "command_line_arguments"
                    | "certificates"
                    | "cipher_suites"
                    | "tls_versions"
                    | "consume_event_stream"
                    | "await_startup"
                    | "observer"
                    | "report"
            ),
            "rabbitmq-queues" => matches!(verb, "quorum_status" | "peek"),
            "rabbitmq-streams" => matches!(verb, "stream_status"),
            "rabbitmq-plugins" => matches!(verb, "list" | "directories" | "is_enabled"),
            "rabbitmq-upgrade" => matches!(
                verb,
                "await_online_quorum_plus_one" | "await_online_synchronized_mirror"
            ),
            _ => false,
        }
}

/// Verbs that change the broker, looked for among the later words too, so an
/// option the net does not know cannot hide the real verb.
fn rabbit_changing(verb: &str) -> bool {
    matches!(
        verb,
        "stop"
            | "stop_app"
            | "start_app"
            | "shutdown"
            | "reset"
            | "force_reset"
            | "drain"
            | "revive"
            | "grow"
            | "shrink"
            | "rebalance"
            | "enable"
            | "disable"
            | "eval"
            | "sync_queue"
            | "cancel_sync_queue"
            | "rotate_logs"
            | "trace_on"
            | "trace_off"
            | "hipe_compile"
            | "update_cluster_nodes"
            | "rename_cluster_node"
    ) || [
        "delete_",
        "purge_",
        "set_",
        "clear_",
        "close_",
        "add_",
        "forget_",
        "join_",
        "change_",
        "restart_",
        "import_",
        "enable_",
        "disable_",
        "force_",
        "reclaim_",
        "post_upgrade",
    ]
    .iter()
    .any(|p| verb.starts_with(p))
}

fn rabbit_cli(name: &str, args: &[Arg]) -> Verdict {
    no_split(name, args)?;
    let s = scan(
        args,
        &[
            "-n",
            "--node",
            "-p",
            "--vhost",
            "-t",
            "--timeout",
            "--formatter",
            "--erlang-cookie",
            "-N",
            "--number",
        ],
        false,
    );
    let Some(verb) = s.operands.first() else {
        return Ok(());
    };
    let verb = norm(&verb.text);
    if verb == "export_definitions" && name == "rabbitmqctl" {
        return match s.operands.get(1) {
            Some(a) if a.text == "-" => Ok(()),
            _ => Err(format!("`{name} {verb}` writes a file")),
        };
    }
    if !rabbit_read_only(name, &verb) {
        return Err(format!("`{name} {verb}` is not a known read-only command"));
    }
    if let Some(w) = s.operands[1..]
        .iter()
        .find(|w| rabbit_changing(&norm(&w.text)))
    {
        return Err(format!(
            "`{name} {verb}` is followed by `{}`, a command that changes the broker",
            w.text
        ));
    }
    Ok(())
}

fn rabbitmqadmin(args: &[Arg]) -> Verdict {
    no_split("rabbitmqadmin", args)?;
    let s = scan(
        args,
        &[
            "-c",
            "--config",
            "-N",
            "--node",
            "-H",
            "--host",
            "-P",
            "--port",
            "--path-prefix",
            "-V",
            "--vhost",
            "-u",
            "--username",
            "-p",
            "--password",
            "-U",
            "--base-uri",
            "-f",
            "--format",
            "-S",
            "--sort",
            "-d",
            "--depth",
            "--ssl-key-file",
            "--ssl-cert-file",
            "--ssl-ca-cert-file",
            "--table-style",
            "--timeout",
        ],
        false,
    );
    match s.operands.first().map(|v| norm(&v.text)) {
        None => Ok(()),
        Some(v)
            if matches!(
                v.as_str(),
                "list" | "show" | "help" | "version" | "health_check"
            ) =>
        {
            Ok(())
        }
        Some(v) => Err(format!(
            "`rabbitmqadmin {v}` is not a known read-only command"
        )),
    }
}

fn systemctl(args: &[Arg]) -> Verdict {
    no_split("systemctl", args)?;
    let s = scan(
        args,
        &[
            "-t",
            "--type",
            "-s",
            "--signal",
            "-p",
            "--property",
            "-n",
            "--lines",
            "-o",
            "--output",
            "-H",
            "--host",
            "-M",
            "--machine",
            "--state",
            "--root",
            "--job-mode",
            "--kill-whom",
            "--what",
            "--kill-value",
            "--timestamp",
            "--check-inhibitors",
        ],
        false,
    );
    match s.operands.first().map(|v| v.text.to_ascii_lowercase()) {
        None => Ok(()),
        Some(v)
            if matches!(
                v.as_str(),
                "status"
                    | "show"
                    | "cat"
                    | "help"
                    | "is-active"
                    | "is-enabled"
                    | "is-failed"
                    | "is-system-running"
                    | "get-default"
                    | "show-environment"
            ) || v.starts_with("list-") =>
        {
            Ok(())
        }
        Some(v) => Err(format!("`systemctl {v}` changes a service or the system")),
    }
}

fn service(name: &str, args: &[Arg]) -> Verdict {
    no_split(name, args)?;
    let texts: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    match texts.as_slice() {
        [] | ["--status-all"] | ["-e"] | ["--list"] | [_] | [_, "status"] => Ok(()),
        [unit, verb, ..] => Err(format!("`{name} {unit} {verb}` changes a service")),
    }
}

/// `/etc/init.d/rabbitmq-server status` is read-only; any other verb is not.
pub(super) fn init_script(path: &str, args: &[Arg]) -> Verdict {
    no_split(path, args)?;
    match args.first().map(|a| a.text.as_str()) {
        Some("status") => Ok(()),
        Some(v) => Err(format!("`{path} {v}` changes a service")),
        None => Err(format!(
            "`{path}` without a verb is not known to be read-only"
        )),
    }
}

fn journalctl(args: &[Arg]) -> Verdict {
    for a in args {
        let t = a.text.split('=').next().unwrap_or_default();
        let changing = [
            "--vacuum-size",
            "--vacuum-time",
            "--vacuum-files",
            "--rotate",
            "--flush",
            "--sync",
            "--relinquish-var",
            "--smart-relinquish-var",
            "--setup-keys",
            "--update-catalog",
        ];
        // getopt accepts any unambiguous prefix (`--vac`).
        if t.len() > 4 && changing.iter().any(|c| c.starts_with(t)) {
            return Err(format!("`journalctl {t}` changes the journal"));
        }
    }
    Ok(())
}

fn packages(name: &str, args: &[Arg]) -> Verdict {
    let texts: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    let verb = texts
        .iter()
        .find(|t| !t.starts_with('-'))
        .copied()
        .unwrap_or_default();
    let read = match name {
        "apt" | "aptitude" => matches!(
            verb,
            "list" | "show" | "search" | "policy" | "depends" | "rdepends" | "madison"
        ),
        "dpkg" => texts.iter().any(|t| {
            matches!(
                *t,
                "-l" | "--list"
                    | "-L"
                    | "--listfiles"
                    | "-s"
                    | "--status"
                    | "-S"
                    | "--search"
                    | "-p"
                    | "--print-avail"
                    | "--get-selections"
                    | "--version"
                    | "--print-architecture"
            )
        }),
        "rpm" => texts.iter().any(|t| t.starts_with("-q") || *t == "--query"),
        "yum" | "dnf" | "zypper" => matches!(
            verb,
            "list" | "info" | "search" | "repolist" | "check-update" | "provides" | "se" | "if"
        ),
        "apk" => matches!(verb, "info" | "search" | "list" | "policy"),
        "pip" | "pip3" => matches!(verb, "list" | "show" | "freeze" | "check" | "help"),
        "npm" => matches!(verb, "ls" | "list" | "view" | "outdated" | "help"),
        "snap" => matches!(verb, "list" | "info" | "find" | "services"),
        "gem" => matches!(verb, "list" | "info" | "search" | "help"),
        _ => false,
    } || (texts.len() == 1 && matches!(texts[0], "--version" | "-v" | "-V" | "--help"));
    if read {
        Ok(())
    } else {
        Err(format!("`{name}` changes installed packages"))
    }
}
