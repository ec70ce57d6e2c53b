//! Recognises command lines that change a system, so they can never run
//! without a typed confirmation, even when the runbook forgot `confirm: true`.
//!
//! The command line is parsed as shell (brush-parser) and every simple command
//! is judged: in every list, pipeline, compound command (`if`, `for`, `while`,
//! `until`, `case`, `{ }`, `( )`), function body, command and process
//! substitution, and — parsed again — in the strings given to `sh -c`,
//! `bash -c`, `eval`, `ssh`, `su -c`, `watch`, `trap`, and a here-document fed
//! to a shell. Wrappers (`sudo`, `env`, `timeout`, `nice`, `xargs`, …) are
//! looked through to the command they run.
//!
//! A command line needs a typed confirmation when it is longer than
//! [`MAX_LEN`], or when any simple command in it:
//! - cannot be read by the parser, nests more than [`MAX_DEPTH`] strings or
//!   40 blocks deep, or has a here-document without a plain delimiter line;
//! - takes its command name from a variable, a substitution or a pattern;
//! - writes a file by redirection (anything but `/dev/null`, `/dev/stdout`,
//!   `/dev/stderr` and descriptor duplications like `2>&1`);
//! - feeds a shell, `source`, `eval` or `xargs` text that cannot be judged
//!   (a pipe, a file, a string built from variables);
//! - is a tool that changes things and is not used with one of its read-only
//!   verbs or options (allow-lists: the RabbitMQ CLIs, `curl`, `wget`,
//!   `systemctl`, `service`, `docker`, `kubectl`, `journalctl`, package
//!   managers, …), so an unknown verb asks;
//! - writes, moves, removes or changes files (`cp`, `mv`, `install`, `ln`,
//!   `rsync`, `tee` into a file, `dd`, `truncate`, `chmod`, `rm`, `mkdir`,
//!   `sed -i`, `find -delete`, …), wherever the destination is;
//! - stops processes or the host, or changes users, packages, the firewall,
//!   kernel settings, the clock or the host name;
//! - runs a program in an interpreter (`python3 -c`, `perl -e`, a script file):
//!   its effect cannot be judged.
//!
//! Everything else (reading, listing, printing, searching) runs without asking.
//! This is a safety net that errs on the side of asking; `confirm: true` in the
//! runbook remains the way to mark a command as changing the system.

use std::collections::BTreeMap;
use std::sync::Mutex;

mod allow;
mod clients;
mod host;
mod tools;
mod visit;
mod walk;
mod wrappers;

pub use visit::{Seen, SimpleCommand, commands, judge_each};

/// How deep `sh -c '… eval "…"'` may nest before the net gives up and asks.
pub const MAX_DEPTH: usize = 8;

/// Why a command line is considered destructive, or `None` when it looks read-only.
///
/// Verdicts are remembered (up to [`CACHE_SIZE`] command lines): the screen
/// asks for every command it draws, many times a second.
pub fn destructive_reason(command_line: &str) -> Option<String> {
    if command_line.len() > MAX_LEN {
        return Some(format!(
            "too long to judge ({} KiB; the net reads up to {} KiB)",
            command_line.len() / 1024,
            MAX_LEN / 1024
        ));
    }
    static CACHE: Mutex<BTreeMap<String, Option<String>>> = Mutex::new(BTreeMap::new());
    if let Ok(cache) = CACHE.lock()
        && let Some(v) = cache.get(command_line)
    {
        return v.clone();
    }
    let verdict = walk::script(command_line, 0).err();
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_SIZE {
            cache.clear();
        }
        cache.insert(command_line.to_string(), verdict.clone());
    }
    verdict
}

/// How many verdicts are remembered.
const CACHE_SIZE: usize = 128;

/// The longest command line the net parses; a longer one needs a confirmation.
pub const MAX_LEN: usize = 64 * 1024;

/// `Err(reason)` when a command needs a typed confirmation.
type Verdict = Result<(), String>;

/// One word of a simple command, as far as it can be known before running it.
#[derive(Clone, Debug, Default)]
struct Arg {
    /// The word with quotes removed; expansions are kept as written (`$x`).
    text: String,
    /// Contains a parameter expansion or a command or arithmetic substitution.
    dynamic: bool,
    /// Contains an unquoted expansion: it may split into several words.
    split: bool,
    /// Contains an unquoted glob or brace pattern.
    pattern: bool,
}

/// Where a command's standard input comes from.
#[derive(Clone, Debug)]
enum Input {
    /// The input of the whole command line.
    Inherited,
    /// The previous command of a pipeline.
    Pipe,
    /// A file, or text whose content is only known at run time.
    Unknown,
    /// A here-document or here-string with this exact text.
    Text(String),
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
