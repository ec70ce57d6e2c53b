//! The drill fence: in a drill, a command line that could reach the live
//! broker is refused outright (not confirmed). See DRILLS.md C4.
//!
//! A line is refused when any command in it, anywhere (lists, pipelines,
//! compound commands, substitutions, wrappers, `sh -c` strings — the danger
//! net's own walk, see [`crate::danger::judge_each`]):
//! - names a node other than the sandbox's (`-n`, `--node`, `RABBITMQ_NODENAME=`,
//!   a cluster command's node operand, a node in an `eval` expression);
//! - names a live port: as a word, after `:` or `=` (`:5672`,
//!   `--port=15672`, `http://127.0.0.1:15672/…`), or in a regex alternation;
//! - writes under `/etc/rabbitmq` or `/var/lib/rabbitmq` (redirections, the
//!   destination of `cp`/`mv`/`install`/`ln`/`rsync`, the files of `rm`, `tee`,
//!   `sed -i`, `chmod`…, `dd of=`, `find … -delete|-exec`, and any other
//!   changing command that names such a path), or `cd`s there and changes
//!   anything;
//! - points the CLI at the live node's environment (`RABBITMQ_CONF_ENV_FILE`
//!   under those directories);
//! - calls `systemctl`, `service` or an init script for `rabbitmq-server`;
//! - kills processes by the name `beam`, `rabbit`, `erl` or `epmd` (`pkill`,
//!   `killall`): that would hit the live node or the shared epmd too.
//!
//! A line the parser cannot read is refused. The fence only reads text: the
//! ports and node names it knows are data ([`Fence::new`]).

use std::collections::BTreeMap;

use crate::danger::{Seen, SimpleCommand, judge_each};
use crate::i18n::{Lang, tr, trf};
use crate::incident::DrillNode;

/// Ports of a production RabbitMQ node: AMQP (and TLS), management (and
/// TLS), Prometheus, distribution. epmd (4369) is shared by every node,
/// sandbox included, and is not fenced.
pub const DEFAULT_LIVE_PORTS: [u16; 6] = [5671, 5672, 15671, 15672, 15692, 25672];

/// Directories of the production node that a drill must never write.
pub const PROTECTED_DIRS: [&str; 2] = ["/etc/rabbitmq", "/var/lib/rabbitmq"];

/// The RabbitMQ command-line tools (they take `-n NODE`).
const RABBIT_CLIS: [&str; 7] = [
    "rabbitmqctl",
    "rabbitmq-diagnostics",
    "rabbitmq-plugins",
    "rabbitmq-queues",
    "rabbitmq-streams",
    "rabbitmq-upgrade",
    "rabbitmq-server",
];

/// What a drill may touch and what it may not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    sandbox_nodes: Vec<String>,
    sandbox_ports: Vec<u16>,
    live_ports: Vec<u16>,
    /// The language of its reasons (the drill's).
    lang: Lang,
}

impl Fence {
    /// A fence around these sandbox nodes and ports, with the default live
    /// ports ([`DEFAULT_LIVE_PORTS`]). A sandbox port is never refused.
    pub fn new(sandbox_nodes: Vec<String>, sandbox_ports: Vec<u16>) -> Fence {
        Fence {
            sandbox_nodes,
            sandbox_ports,
            live_ports: DEFAULT_LIVE_PORTS.to_vec(),
            lang: Lang::En,
        }
    }

    /// Gives its reasons in `lang` (the drill's language).
    pub fn in_lang(mut self, lang: Lang) -> Fence {
        self.lang = lang;
        self
    }

    /// The language of its reasons.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The fence for a sandbox as journaled in `drill_started`.
    pub fn for_nodes(nodes: &[DrillNode]) -> Fence {
        Fence::new(
            nodes.iter().map(|n| n.name.clone()).collect(),
            nodes
                .iter()
                .flat_map(|n| [n.amqp, n.mgmt, n.prom, n.dist])
                .collect(),
        )
    }

    /// Replaces the live ports (say, the ones the preflight saw listening).
    pub fn with_live_ports(mut self, ports: Vec<u16>) -> Fence {
        self.live_ports = ports;
        self
    }

    /// The live ports fenced (sandbox ports excluded).
    pub fn live_ports(&self) -> impl Iterator<Item = u16> + '_ {
        self.live_ports
            .iter()
            .copied()
            .filter(|p| !self.sandbox_ports.contains(p))
    }

    /// Why `command_line` is refused in a drill, or `None` when it may run
    /// (a changing command still needs its typed confirmation).
    pub fn refusal(&self, command_line: &str) -> Option<String> {
        let mut cd_protected = false;
        let mut changes = false;
        // `n=rabbit@x; rabbitmqctl -n "$n" …`: shell variables set in the line.
        let mut vars = BTreeMap::new();
        let first = judge_each(command_line, |seen| match seen {
            Seen::Write(path) => protected(path).map(|d| {
                trf(
                    self.lang,
                    "writes under {} (redirection into {})",
                    &[&d, &path],
                )
            }),
            Seen::Read(path) => self.port_in(path),
            Seen::Assignment(text) => {
                if let Some((k, v)) = text.split_once('=') {
                    vars.insert(k.to_string(), v.to_string());
                }
                self.assignment(text)
            }
            Seen::Command(c) => {
                changes |= c.changes && !c.looked_through;
                if is_cd_into_protected(c) {
                    cd_protected = true;
                }
                self.command(c, &vars)
            }
        });
        first.or_else(|| {
            (cd_protected && changes).then(|| {
                tr(
                    self.lang,
                    "changes something after `cd` into the live node's directories",
                )
                .to_string()
            })
        })
    }

    fn command(&self, c: &SimpleCommand, vars: &BTreeMap<String, String>) -> Option<String> {
        let name = c.words.first().map(|w| command_name(w)).unwrap_or_default();
        c.words
            .iter()
            .find_map(|w| self.assignment(w))
            .or_else(|| self.node(&name, c, vars))
            .or_else(|| self.port(c))
            .or_else(|| service(&name, &c.words, self.lang))
            .or_else(|| kill_by_name(&name, &c.words, self.lang))
            .or_else(|| writes(&name, c, self.lang))
    }

    /// `RABBITMQ_NODENAME=…`, `RABBITMQ_CONF_ENV_FILE=…` (also as words of `env`/`export`).
    fn assignment(&self, text: &str) -> Option<String> {
        let (name, value) = text.split_once('=')?;
        match name {
            "RABBITMQ_NODENAME" | "NODENAME" => self.foreign_node(value).then(|| {
                trf(
                    self.lang,
                    "names node {}, not the sandbox's ({}=)",
                    &[&value, &name],
                )
            }),
            "RABBITMQ_CONF_ENV_FILE" | "RABBITMQ_CONFIG_FILE" | "CONF_ENV_FILE" => protected(value)
                .map(|_| {
                    trf(
                        self.lang,
                        "points the CLI at the live node's files ({}={})",
                        &[&name, &value],
                    )
                }),
            _ => None,
        }
    }

    /// `-n NODE`, `--node NODE`, `--node=NODE`, `-n=NODE`, `-nNODE` for the
    /// RabbitMQ CLIs; node operands of cluster commands; nodes in `eval`.
    fn node(
        &self,
        name: &str,
        c: &SimpleCommand,
        vars: &BTreeMap<String, String>,
    ) -> Option<String> {
        if !RABBIT_CLIS.contains(&name) {
            return None;
        }
        let words = c.words.get(1..).unwrap_or_default();
        let mut named = Vec::new();
        let mut verb: Option<&str> = None;
        let mut i = 0;
        while i < words.len() {
            let w = words[i].as_str();
            if w == "-n" || w == "--node" {
                named.push(words.get(i + 1).map(String::as_str).unwrap_or(""));
                i += 2;
                continue;
            }
            if let Some(v) = w
                .strip_prefix("--node=")
                .or_else(|| w.strip_prefix("-n="))
                .or_else(|| {
                    w.strip_prefix("-n")
                        .filter(|v| !v.is_empty() && !v.starts_with('-'))
                })
            {
                named.push(v);
            } else if !w.starts_with('-') {
                match verb {
                    None => verb = Some(w),
                    Some(v) if node_verb(v) && (w.contains('@') || w.starts_with('$')) => {
                        named.push(w)
                    }
                    Some("eval") => named.extend(atoms_with_at(w)),
                    Some(_) => {}
                }
            }
            i += 1;
        }
        named
            .into_iter()
            .map(|n| expand(n, vars))
            .find(|n| self.foreign_node(n))
            .map(|n| trf(self.lang, "names node {}, not the sandbox's", &[&n]))
    }

    /// True unless `node` is one of the sandbox's (`name@host`, or `name`
    /// alone, which the CLI completes with this host).
    fn foreign_node(&self, node: &str) -> bool {
        let node = node.trim_matches(['\'', '"']);
        let (name, host) = node.split_once('@').unwrap_or((node, ""));
        !self.sandbox_nodes.iter().any(|s| {
            let (s_name, s_host) = s.split_once('@').unwrap_or((s, ""));
            s == node || (s_name == name && (host.is_empty() || host == s_host))
        })
    }

    /// A live port named as a word, after `:` or `=`, or in `(a|b)`.
    fn port(&self, c: &SimpleCommand) -> Option<String> {
        c.words.iter().find_map(|w| self.port_in(w))
    }

    fn port_in(&self, word: &str) -> Option<String> {
        port_mentions(word)
            .find(|p| self.live_ports().any(|l| l == *p))
            .map(|p| trf(self.lang, "names live port {} (in `{}`)", &[&p, &word]))
    }
}

/// The numbers in `word` that read as ports: the whole word, a run of digits
/// after `:`, `=`, `(` or `|` (`host:5672`, `--port=5672`, `(5672|15672)`),
/// or at the start of `5672|…`, or the last part of `/dev/tcp/HOST/PORT`;
/// never a part of a dotted address or another path.
fn port_mentions(word: &str) -> impl Iterator<Item = u16> + '_ {
    let bytes = word.as_bytes();
    let mut out = Vec::new();
    if word.contains("/dev/tcp/") || word.contains("/dev/udp/") {
        out.extend(word.rsplit('/').next().and_then(|p| p.parse::<u16>().ok()));
    }
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let before = start.checked_sub(1).map(|b| bytes[b]);
        let after = bytes.get(i).copied();
        let is_port = match before {
            None => matches!(after, None | Some(b'|')),
            Some(b':' | b'=' | b'(' | b'|') => {
                !matches!(after, Some(b'.')) && !after.is_some_and(|a| a.is_ascii_alphabetic())
            }
            Some(_) => false,
        };
        if is_port && let Ok(p) = word[start..i].parse::<u16>() {
            out.push(p);
        }
    }
    out.into_iter()
}

/// `$name` or `${name}` with the value the line gave it; other text as is.
fn expand<'a>(word: &'a str, vars: &'a BTreeMap<String, String>) -> &'a str {
    let name = word
        .strip_prefix("${")
        .and_then(|w| w.strip_suffix('}'))
        .or_else(|| word.strip_prefix('$'));
    name.and_then(|n| vars.get(n)).map_or(word, String::as_str)
}

/// Verbs of the RabbitMQ CLIs whose operands are node names.
fn node_verb(verb: &str) -> bool {
    matches!(
        verb,
        "join_cluster"
            | "forget_cluster_node"
            | "update_cluster_nodes"
            | "rename_cluster_node"
            | "add_member"
            | "delete_member"
            | "grow"
            | "shrink"
            | "ping"
    )
}

/// `name@host` atoms in an Erlang expression (`rpc:call(rabbit@x, …)`).
fn atoms_with_at(expr: &str) -> Vec<&str> {
    expr.split(|c: char| !(c.is_alphanumeric() || matches!(c, '@' | '_' | '-' | '.' | '\'')))
        .map(|t| t.trim_matches('\'').trim_end_matches('.'))
        .filter(|t| {
            t.split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
        })
        .collect()
}

/// `systemctl … rabbitmq-server`, `service rabbitmq-server …`, the init script.
fn service(name: &str, words: &[String], lang: Lang) -> Option<String> {
    let first = words.first().map(String::as_str).unwrap_or("");
    let unit = |w: &String| {
        let w = w.trim_end_matches(".service");
        w == "rabbitmq-server" || w == "rabbitmq"
    };
    let hit = match name {
        "systemctl" | "service" | "rc-service" | "invoke-rc.d" | "initctl" | "sv" => {
            words.get(1..).unwrap_or_default().iter().any(unit)
        }
        "rabbitmq-server" => first.starts_with("/etc/init.d/") || first.starts_with("/etc/rc.d/"),
        _ => false,
    };
    hit.then(|| {
        trf(
            lang,
            "controls the live rabbitmq-server service (`{}`)",
            &[&name],
        )
    })
}

/// `pkill beam.smp`, `killall -9 beam`, `pkill -f rabbit`: by name, they hit the live node.
fn kill_by_name(name: &str, words: &[String], lang: Lang) -> Option<String> {
    if !matches!(name, "pkill" | "killall") {
        return None;
    }
    words
        .get(1..)
        .unwrap_or_default()
        .iter()
        .filter(|w| !w.starts_with('-'))
        .find(|w| {
            let w = w.to_ascii_lowercase();
            ["beam", "rabbit", "erl", "epmd"]
                .iter()
                .any(|n| w.contains(n))
        })
        .map(|w| {
            trf(
                lang,
                "kills processes named `{}`, which includes the live node or epmd",
                &[w],
            )
        })
}

/// Writes under the protected directories.
fn writes(name: &str, c: &SimpleCommand, lang: Lang) -> Option<String> {
    let args = &c.words.get(1..).unwrap_or_default();
    let operands: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    let targets: Vec<&str> = match name {
        "cp" | "install" | "ln" | "rsync" | "scp" | "link" => {
            let t = args.iter().enumerate().find_map(|(i, w)| {
                w.strip_prefix("--target-directory=")
                    .or_else(|| (w == "-t").then(|| args.get(i + 1).map_or("", |s| s.as_str())))
            });
            t.into_iter()
                .chain(if t.is_none() {
                    operands.last().copied()
                } else {
                    None
                })
                .collect()
        }
        "mv" | "rm" | "rmdir" | "unlink" | "shred" | "truncate" | "touch" | "mkdir" | "chmod"
        | "chown" | "chgrp" | "chattr" | "setfacl" | "tee" | "mkfifo" | "mknod" | "sed" | "ed" => {
            if name == "sed" && !c.changes {
                Vec::new()
            } else {
                operands
            }
        }
        "dd" => args.iter().filter_map(|w| w.strip_prefix("of=")).collect(),
        "find" => {
            let acts = args.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "-delete"
                        | "-exec"
                        | "-execdir"
                        | "-ok"
                        | "-okdir"
                        | "-fprint"
                        | "-fprintf"
                        | "-fls"
                )
            });
            if acts {
                args.iter()
                    .take_while(|w| !w.starts_with('-') && !matches!(w.as_str(), "(" | "!"))
                    .map(String::as_str)
                    .collect()
            } else {
                Vec::new()
            }
        }
        // Any other changing command that names a protected path.
        _ if c.changes && !c.looked_through => args
            .iter()
            .map(|w| w.split_once('=').map_or(w.as_str(), |(_, v)| v))
            .collect(),
        _ => Vec::new(),
    };
    targets.into_iter().find_map(|t| {
        protected(t).map(|d| trf(lang, "writes under {} (`{}` on {})", &[&d, &name, &t]))
    })
}

/// `cd /etc/rabbitmq`, `pushd /var/lib/rabbitmq/mnesia`.
fn is_cd_into_protected(c: &SimpleCommand) -> bool {
    matches!(c.words.first().map(String::as_str), Some("cd" | "pushd"))
        && c.words
            .get(1..)
            .unwrap_or_default()
            .iter()
            .any(|w| protected(w).is_some())
}

/// The program's name: last path component.
fn command_name(word: &str) -> String {
    word.rsplit('/').next().unwrap_or(word).to_string()
}

/// The protected directory `path` lies in (or is), after removing `.`/`..`
/// and doubled slashes; `~rabbitmq` is the node's home.
fn protected(path: &str) -> Option<&'static str> {
    let path = path.trim_matches(['\'', '"']);
    let path = match path.strip_prefix("~rabbitmq") {
        Some(rest) => format!("/var/lib/rabbitmq{rest}"),
        None => path.to_string(),
    };
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let norm = format!("/{}", parts.join("/"));
    PROTECTED_DIRS
        .into_iter()
        .find(|d| norm == *d || norm.strip_prefix(d).is_some_and(|r| r.starts_with('/')))
}
