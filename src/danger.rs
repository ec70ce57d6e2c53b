//! Recognises command lines that change a system, so they can never run
//! without a typed confirmation, even when the runbook forgot `confirm: true`.
//!
//! This is a safety net, not a parser: it errs on the side of asking.

/// Why a command line is considered destructive, or `None` when it looks read-only.
pub fn destructive_reason(command_line: &str) -> Option<String> {
    if let Some(target) = file_redirect(command_line) {
        return Some(format!("writes to a file (redirection into {target})"));
    }
    for segment in segments(command_line) {
        let words = strip_wrappers(&segment);
        if let Some(reason) = judge(&words) {
            return Some(reason);
        }
    }
    None
}

const SERVICE_VERBS: &[&str] = &[
    "start",
    "stop",
    "restart",
    "reload",
    "kill",
    "disable",
    "enable",
    "mask",
    "try-restart",
    "force-reload",
];

const RABBITMQCTL_VERBS: &[&str] = &[
    "stop",
    "stop_app",
    "start_app",
    "shutdown",
    "reset",
    "force_reset",
    "forget_cluster_node",
    "join_cluster",
    "change_cluster_node_type",
    "set_vm_memory_high_watermark",
    "set_disk_free_limit",
    "close_connection",
    "close_all_connections",
    "close_all_user_connections",
    "add_user",
    "change_password",
    "clear_password",
    "set_user_tags",
    "set_permissions",
    "clear_permissions",
    "set_topic_permissions",
    "clear_topic_permissions",
    "add_vhost",
    "restart_vhost",
    "set_policy",
    "clear_policy",
    "set_operator_policy",
    "clear_operator_policy",
    "set_parameter",
    "clear_parameter",
    "set_vhost_limits",
    "clear_vhost_limits",
    "set_user_limits",
    "clear_user_limits",
    "import_definitions",
    "eval",
    "rotate_logs",
    "hipe_compile",
    "enable_feature_flag",
    "set_cluster_name",
    "update_cluster_nodes",
    "rename_cluster_node",
];

fn judge(words: &[String]) -> Option<String> {
    let cmd = words.first()?;
    let name = cmd.rsplit('/').next().unwrap_or(cmd);
    let arg = |w: &str| words.iter().skip(1).any(|a| a == w);
    let first_verb = first_verb(words);
    match name {
        "rm" | "rmdir" | "shred" | "truncate" | "dd" | "mkfs" | "fdisk" | "wipefs" | "mv" => {
            Some(format!("`{name}` removes or overwrites data"))
        }
        "kill" | "pkill" | "killall" => Some(format!("`{name}` stops processes")),
        "reboot" | "shutdown" | "halt" | "poweroff" => Some(format!("`{name}` stops the host")),
        "systemctl" | "service" | "rc-service" | "invoke-rc.d" => {
            let verb = words
                .iter()
                .skip(1)
                .find(|a| SERVICE_VERBS.contains(&a.as_str()));
            verb.map(|v| format!("`{name} … {v}` changes a service"))
        }
        "rabbitmq-server" => Some("`rabbitmq-server` starts a broker node".to_string()),
        "rabbitmq-plugins" if arg("enable") || arg("disable") => {
            Some("`rabbitmq-plugins` changes the enabled plugins".to_string())
        }
        "rabbitmqctl" | "rabbitmq-queues" | "rabbitmq-upgrade" | "rabbitmq-streams" => {
            let verb = first_verb?;
            let changes = RABBITMQCTL_VERBS.contains(&verb)
                || verb.starts_with("delete_")
                || verb.starts_with("purge_")
                || verb.starts_with("add_")
                || verb.starts_with("grow")
                || verb.starts_with("shrink")
                || verb.starts_with("rebalance")
                || verb == "drain"
                || verb == "revive";
            changes.then(|| format!("`{name} {verb}` changes the broker"))
        }
        "rabbitmqadmin" => {
            let verb = first_verb?;
            matches!(
                verb,
                "delete" | "purge" | "close" | "declare" | "import" | "publish"
            )
            .then(|| format!("`rabbitmqadmin {verb}` changes the broker"))
        }
        "curl" | "wget" => {
            let method = words.windows(2).find_map(|w| {
                (w[0] == "-X" || w[0] == "--request").then(|| w[1].to_ascii_uppercase())
            });
            match method.as_deref() {
                Some("DELETE" | "PUT" | "POST" | "PATCH") => Some(format!(
                    "`{name} -X {}` changes a remote system",
                    method.unwrap_or_default()
                )),
                _ if arg("-d") || arg("--data") || arg("-T") => {
                    Some(format!("`{name}` sends data to a remote system"))
                }
                _ => None,
            }
        }
        "sed"
            if words
                .iter()
                .any(|a| a.starts_with("-i") || a == "--in-place") =>
        {
            Some("`sed -i` edits a file in place".to_string())
        }
        "tee" => Some("`tee` writes to a file".to_string()),
        "chmod" | "chown" | "chgrp" | "iptables" | "nft" | "sysctl" | "ulimit" | "crontab"
        | "apt" | "apt-get" | "dpkg" | "yum" | "dnf" | "pip" | "useradd" | "userdel" | "passwd" => {
            Some(format!("`{name}` changes the host"))
        }
        _ => None,
    }
}

/// The first non-option word after the command, skipping option values
/// (`rabbitmqctl -n rabbit@a -p / delete_queue q` → `delete_queue`).
fn first_verb(words: &[String]) -> Option<&str> {
    let mut i = 1;
    while i < words.len() {
        let w = words[i].as_str();
        if !w.starts_with('-') {
            return Some(w);
        }
        let takes_value = matches!(
            w,
            "-n" | "--node"
                | "-p"
                | "--vhost"
                | "-t"
                | "--timeout"
                | "-l"
                | "--formatter"
                | "-H"
                | "-P"
                | "-u"
                | "-V"
        );
        i += if takes_value { 2 } else { 1 };
    }
    None
}

/// Drops leading wrappers (`sudo`, `env X=1`, `timeout 20`, `nice`, …) to find the real command.
fn strip_wrappers(words: &[String]) -> Vec<String> {
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let base = w.rsplit('/').next().unwrap_or(w);
        if w.contains('=') && !w.starts_with('-') && !w.starts_with('=') {
            i += 1;
        } else if matches!(
            base,
            "sudo"
                | "doas"
                | "env"
                | "nice"
                | "nohup"
                | "command"
                | "exec"
                | "time"
                | "ionice"
                | "runuser"
                | "stdbuf"
        ) {
            i += 1;
            while i < words.len() && words[i].starts_with('-') {
                // options with a value (`-u rabbitmq`, `-n 10`)
                let takes_value =
                    matches!(words[i].as_str(), "-u" | "-g" | "-n" | "-c" | "-o" | "-e");
                i += if takes_value { 2 } else { 1 };
            }
        } else if base == "timeout" {
            i += 1;
            while i < words.len() && words[i].starts_with('-') {
                i += 1;
            }
            i += 1; // the duration
        } else {
            break;
        }
    }
    words[i.min(words.len())..].to_vec()
}

/// Splits a command line into simple commands (at `;`, `&&`, `||`, `|`, `&`,
/// newlines, `$(`, backticks), each as unquoted words.
fn segments(line: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = line.chars().peekable();
    let mut quote: Option<char> = None;
    let flush_word = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => {
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            (None, ' ' | '\t') => flush_word(&mut word, &mut words),
            (None, ';' | '|' | '&' | '\n' | '`' | '(' | ')') => {
                flush_word(&mut word, &mut words);
                if !words.is_empty() {
                    out.push(std::mem::take(&mut words));
                }
            }
            (None, '$') if chars.peek() == Some(&'(') => {
                flush_word(&mut word, &mut words);
                if !words.is_empty() {
                    out.push(std::mem::take(&mut words));
                }
            }
            (None, c) => word.push(c),
        }
    }
    flush_word(&mut word, &mut words);
    if !words.is_empty() {
        out.push(words);
    }
    out
}

/// The target of the first output redirection into a real file, if any.
fn file_redirect(line: &str) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    i += 1;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '\\' => i += 1,
                '>' => {
                    let mut j = i + 1;
                    if j < chars.len() && (chars[j] == '>' || chars[j] == '|') {
                        j += 1;
                    }
                    if j < chars.len() && chars[j] == '&' {
                        // `>&2`, `2>&1`: duplicating a descriptor, not a file.
                        i = j + 1;
                        continue;
                    }
                    while j < chars.len() && chars[j] == ' ' {
                        j += 1;
                    }
                    let target: String = chars[j..]
                        .iter()
                        .take_while(|c| !matches!(c, ' ' | ';' | '|' | '&' | '\n' | ')'))
                        .collect();
                    let target = target.trim_matches(|c| c == '"' || c == '\'').to_string();
                    if !matches!(target.as_str(), "/dev/null" | "/dev/stdout" | "/dev/stderr") {
                        return Some(if target.is_empty() {
                            "?".into()
                        } else {
                            target
                        });
                    }
                    i = j;
                    continue;
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::destructive_reason as why;

    #[test]
    fn read_only_diagnostics_pass() {
        for cmd in [
            "rabbitmq-diagnostics -q ping",
            "rabbitmqctl -q list_queues name messages consumers",
            "rabbitmqctl status 2>&1 | head -50",
            "tail -n 200 /var/log/rabbitmq/rabbit@host.log",
            "grep -iE 'error|alarm' /var/log/x.log > /dev/null",
            "systemctl status rabbitmq-server --no-pager",
            "df -h; free -m",
            "curl -s -u guest:guest http://localhost:15672/api/overview",
            "echo 'rm -rf / is a bad idea'",
            "timeout 20 rabbitmqctl -q cluster_status",
        ] {
            assert_eq!(why(cmd), None, "{cmd}");
        }
    }

    #[test]
    fn system_changes_are_caught() {
        for cmd in [
            "systemctl restart rabbitmq-server",
            "sudo service rabbitmq-server stop",
            "rabbitmqctl stop_app",
            "rabbitmqctl -n rabbit@x delete_queue orders",
            "rabbitmqctl purge_queue -p / orders",
            "rabbitmqctl forget_cluster_node rabbit@b",
            "rabbitmqctl set_vm_memory_high_watermark 0.6",
            "rabbitmqctl close_connection '<1.2.3>' bye",
            "rm -rf /var/lib/rabbitmq/mnesia",
            "kill -9 1234",
            "truncate -s 0 /var/log/rabbitmq/x.log",
            "rabbitmqctl export_definitions /tmp/defs.json > /var/backups/log.txt",
            "echo x >> /etc/rabbitmq/rabbitmq.conf",
            "df -h && systemctl stop rabbitmq-server",
            "env LANG=C timeout 30 rabbitmqctl reset",
            "curl -X DELETE http://localhost:15672/api/queues/%2F/q",
            "rabbitmq-server -detached",
        ] {
            assert!(why(cmd).is_some(), "{cmd} should need confirmation");
        }
    }
}
