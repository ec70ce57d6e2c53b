//! Commands that change files, processes or the host: what they are, and the
//! options that make some of them read-only.

use super::tools::scan;
use super::{Arg, Verdict, walk};

/// Commands that change files, processes or the host.
pub(super) fn host(name: &str, args: &[Arg]) -> Verdict {
    let texts: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    let has = |w: &str| texts.contains(&w);
    let operands = || texts.iter().filter(|t| !t.starts_with('-')).count();
    let fail = |what: &str| Err(format!("`{name}` {what}"));
    match name {
        "rm" | "rmdir" | "unlink" | "shred" | "srm" | "wipe" => fail("removes files"),
        "mv" | "cp" | "install" | "ln" | "link" | "scp" | "mkdir" | "touch" | "mknod"
        | "mkfifo" | "truncate" | "fallocate" | "dd" | "split" | "csplit" | "patch" | "sponge"
        | "ed" | "vi" | "vim" | "nano" | "emacs" => fail("writes files"),
        "rsync" => {
            if texts
                .iter()
                .any(|t| t.starts_with("--delete") || *t == "--remove-source-files")
            {
                fail("removes files at the destination")
            } else {
                fail("writes files")
            }
        }
        "tee" => match args.iter().find(|a| !a.text.starts_with('-')) {
            Some(a) => {
                walk::write_target(a).map_err(|_| format!("`tee` writes to a file ({})", a.text))
            }
            None => Ok(()),
        },
        "chmod" | "chown" | "chgrp" | "chattr" | "setfacl" | "setfattr" | "chcon"
        | "restorecon" => fail("changes file permissions or owners"),
        "sed" | "gsed" => sed(name, args),
        "awk" | "gawk" | "mawk" | "nawk" | "busybox-awk" => awk(name, args),
        "sort"
            if texts
                .iter()
                .any(|t| t.starts_with("-o") || t.starts_with("--output")) =>
        {
            fail("writes its output to a file")
        }
        "uniq" if operands() >= 2 => fail("writes its output to a file"),
        "tar" | "bsdtar" => tar(name, &texts),
        "gzip" | "gunzip" | "bzip2" | "bunzip2" | "xz" | "unxz" | "zstd" | "unzstd" | "lz4"
        | "compress" | "uncompress" => {
            let to_stdout = texts.iter().any(|t| {
                matches!(*t, "--stdout" | "--to-stdout" | "--list" | "--test")
                    || (t.starts_with('-') && !t.starts_with("--") && t.contains(['c', 'l', 't']))
            });
            if to_stdout || operands() == 0 {
                Ok(())
            } else {
                fail("compresses or decompresses files in place")
            }
        }
        "zip" | "7z" | "rar" => fail("writes an archive"),
        "unzip"
            if !texts
                .iter()
                .any(|t| matches!(*t, "-l" | "-t" | "-p" | "-v" | "-Z")) =>
        {
            fail("extracts files")
        }
        "kill" | "skill" => {
            if texts
                .iter()
                .any(|t| matches!(*t, "-l" | "-L" | "--list" | "--table" | "-0" | "-s0"))
                || (has("-s") && has("0"))
            {
                Ok(())
            } else {
                fail("sends a signal to processes")
            }
        }
        "pkill" | "killall" | "killall5" | "slay" => fail("stops processes"),
        "reboot" | "shutdown" | "halt" | "poweroff" | "init" | "telinit" | "kexec" => {
            fail("stops or restarts the host")
        }
        "rabbitmq-server" => fail("starts a broker node"),
        "epmd" if texts.iter().any(|t| matches!(*t, "-kill" | "-stop")) => {
            fail("stops the Erlang port mapper")
        }
        "crontab" if !has("-l") => fail("changes scheduled jobs"),
        "at" | "batch" | "atrm" => fail("schedules or removes jobs"),
        "sysctl"
            if texts.iter().any(|t| {
                t.contains('=') || matches!(*t, "-w" | "--write" | "-p" | "--load" | "--system")
            }) =>
        {
            fail("changes kernel settings")
        }
        "ulimit" if operands() > 0 => fail("changes resource limits"),
        "hostname"
            if operands() > 0 || texts.iter().any(|t| matches!(*t, "-F" | "--file" | "-b")) =>
        {
            fail("changes the host name")
        }
        "date"
            if operands_not_format(&texts)
                || has("-s")
                || texts.iter().any(|t| t.starts_with("--set")) =>
        {
            fail("sets the clock")
        }
        "hwclock"
            if texts
                .iter()
                .any(|t| matches!(*t, "-w" | "--systohc" | "-s" | "--hctosys" | "--set")) =>
        {
            fail("sets the clock")
        }
        "iptables" | "ip6tables" | "ebtables" | "arptables" => {
            let short = |t: &str, set: &[char]| {
                t.len() > 1 && t.starts_with('-') && !t.starts_with("--") && t[1..].contains(set)
            };
            let lists = texts.iter().any(|t| {
                matches!(*t, "--list" | "--list-rules" | "--check") || short(t, &['L', 'S', 'C'])
            });
            let changes = texts.iter().any(|t| {
                matches!(
                    *t,
                    "--append"
                        | "--delete"
                        | "--insert"
                        | "--replace"
                        | "--flush"
                        | "--zero"
                        | "--new-chain"
                        | "--delete-chain"
                        | "--policy"
                        | "--rename-chain"
                ) || short(t, &['A', 'D', 'I', 'R', 'F', 'X', 'N', 'P', 'Z', 'E'])
            });
            if lists && !changes {
                Ok(())
            } else {
                fail("changes the firewall")
            }
        }
        "iptables-restore" | "ip6tables-restore" => fail("changes the firewall"),
        "nft" => match texts.iter().find(|t| !t.starts_with('-')) {
            Some(&"list") | None => Ok(()),
            Some(_) => fail("changes the firewall"),
        },
        "ufw" => match texts.iter().find(|t| !t.starts_with('-')) {
            Some(&"status") | Some(&"show") | None => Ok(()),
            Some(_) => fail("changes the firewall"),
        },
        "firewall-cmd" => {
            if texts.iter().all(|t| {
                t.starts_with("--list")
                    || t.starts_with("--get")
                    || t.starts_with("--query")
                    || t.starts_with("--zone")
                    || matches!(*t, "--state" | "--permanent")
            }) {
                Ok(())
            } else {
                fail("changes the firewall")
            }
        }
        "ip" => ip(name, &texts),
        "mount" if operands() > 0 || has("-a") || has("--all") => fail("mounts file systems"),
        "umount" | "swapoff" | "mkswap" | "fsck" | "e2fsck" | "tune2fs" | "resize2fs" | "fdisk"
        | "sfdisk" | "gdisk" | "parted" | "wipefs" | "lvremove" | "lvcreate" | "lvextend"
        | "vgremove" | "pvremove" | "losetup" => fail("changes disks or file systems"),
        "swapon"
            if !texts
                .iter()
                .any(|t| matches!(*t, "--show" | "-s" | "--summary")) =>
        {
            fail("changes swap")
        }
        "modprobe" | "insmod" | "rmmod" => fail("changes kernel modules"),
        "useradd" | "usermod" | "userdel" | "groupadd" | "groupmod" | "groupdel" | "passwd"
        | "chpasswd" | "gpasswd" | "visudo" | "vipw" | "adduser" | "deluser" | "newusers" => {
            fail("changes users or groups")
        }
        "chage" if !has("-l") => fail("changes users or groups"),
        "logrotate" if !has("-d") && !has("--debug") => fail("rotates (moves and removes) logs"),
        "hostnamectl" | "timedatectl" | "localectl" => {
            match texts.iter().find(|t| !t.starts_with('-')) {
                None | Some(&"status") | Some(&"show") => Ok(()),
                Some(v) if v.starts_with("list-") => Ok(()),
                Some(_) => fail("changes host settings"),
            }
        }
        _ if name.starts_with("mkfs") => fail("formats a file system"),
        _ => Ok(()),
    }
}

/// `date MMDDhhmm` sets the clock; `date +%F` only formats.
fn operands_not_format(texts: &[&str]) -> bool {
    let mut skip = false;
    for t in texts {
        if skip {
            skip = false;
            continue;
        }
        if matches!(
            *t,
            "-d" | "--date" | "-r" | "--reference" | "-f" | "--file" | "-I"
        ) {
            skip = *t != "-I";
            continue;
        }
        if !t.starts_with('-') && !t.starts_with('+') {
            return true;
        }
    }
    false
}

fn sed(name: &str, args: &[Arg]) -> Verdict {
    let s = scan(
        args,
        &["-e", "--expression", "-f", "--file", "-l", "--line-length"],
        false,
    );
    if s.opts
        .iter()
        .any(|(n, _)| n == "-i" || n.starts_with("--in-place"))
    {
        return Err(format!("`{name} -i` edits files in place"));
    }
    Ok(())
}

/// awk can write files and run commands from its program text.
fn awk(name: &str, args: &[Arg]) -> Verdict {
    let s = scan(
        args,
        &[
            "-F",
            "-v",
            "-f",
            "-i",
            "-e",
            "--file",
            "--include",
            "--source",
            "--assign",
            "--field-separator",
        ],
        false,
    );
    if s.has(&["-f", "--file", "-i", "--include"]) {
        return Err(format!(
            "`{name}` runs an awk program from a file, which cannot be judged"
        ));
    }
    let programs: Vec<&str> = s
        .opts
        .iter()
        .filter(|(n, _)| n == "-e" || n == "--source")
        .filter_map(|(_, v)| v.as_deref())
        .chain(s.operands.first().map(|a| a.text.as_str()))
        .collect();
    for p in programs {
        if let Some(what) = awk_program_effect(p) {
            return Err(format!("`{name}` program {what}"));
        }
    }
    Ok(())
}

/// What an awk program does beyond printing: runs commands or writes files.
fn awk_program_effect(program: &str) -> Option<&'static str> {
    // Strings and regular expressions are skipped; what is left is code.
    let mut code = String::new();
    let mut chars = program.chars().peekable();
    let mut last = ' ';
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == '"' {
                        break;
                    }
                }
                code.push_str("\"\"");
                last = '"';
            }
            '/' if "(,~!|&{};\n=?: \t".contains(last) || code.trim_end().is_empty() => {
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == '/' {
                        break;
                    }
                }
                code.push_str("//");
                last = '/';
            }
            _ => {
                code.push(c);
                if !c.is_whitespace() {
                    last = c;
                } else if c == '\n' {
                    last = '\n';
                }
            }
        }
    }
    if code.contains("system") {
        return Some("runs commands (`system`)");
    }
    if code.replace("||", "").contains('|') {
        return Some("pipes to or from a command");
    }
    let writes = code.split([';', '{', '}', '\n']).any(|stmt| {
        let stmt = stmt.trim_start();
        (stmt.starts_with("print") || stmt.starts_with("printf")) && stmt.contains('>')
    });
    writes.then_some("writes to a file")
}

fn tar(name: &str, texts: &[&str]) -> Verdict {
    let mut modes = String::new();
    for (i, t) in texts.iter().enumerate() {
        if let Some(long) = t.strip_prefix("--") {
            let changing = [
                "create",
                "extract",
                "get",
                "append",
                "update",
                "delete",
                "concatenate",
                "catenate",
            ];
            if changing.iter().any(|c| long.starts_with(c)) {
                return Err(format!("`{name} --{long}` writes files"));
            }
            if long == "list" {
                modes.push('t');
            }
        } else if let Some(short) = t.strip_prefix('-') {
            modes.push_str(short);
        } else if i == 0 {
            modes.push_str(t);
        }
    }
    if modes.contains('t') && !modes.contains(['c', 'x', 'r', 'u', 'A']) {
        Ok(())
    } else {
        Err(format!("`{name}` writes files"))
    }
}

fn ip(name: &str, texts: &[&str]) -> Verdict {
    let words: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|t| !t.starts_with('-'))
        .collect();
    // `ip [options] OBJECT [COMMAND …]`; options with a value (-n netns) are rare.
    match words.get(1) {
        None => Ok(()),
        Some(v)
            if matches!(
                *v,
                "show" | "list" | "ls" | "lst" | "sh" | "s" | "l" | "get" | "help"
            ) =>
        {
            Ok(())
        }
        Some(v) if words.first() == Some(&"route") && *v == "get" => Ok(()),
        Some(v) => Err(format!(
            "`{name} {} {v}` changes the network setup",
            words[0]
        )),
    }
}
