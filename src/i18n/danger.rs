//! English → Chinese for the danger net's reasons (why a command needs a
//! typed confirmation). The net words them in English wherever it judges;
//! [`super::tr_said`] matches a whole reason against these templates (`{}`
//! is any text: a command as written, a path, a nested reason) and fills
//! the Chinese with the same values.

/// Most specific first where two could match the same text.
pub(super) const ZH_DANGER: &[(&str, &str)] = &[
    (
        "the runbook marks it as changing the system",
        "运行手册标明它会改动系统",
    ),
    (
        "too long to judge ({} KiB; the net reads up to {} KiB)",
        "太长，无法判断（{} KiB；最多只读 {} KiB）",
    ),
    (
        "too long to read ({} KiB; the parser reads up to {} KiB)",
        "太长，无法读取（{} KiB；解析器最多读 {} KiB）",
    ),
    ("cannot be read ({})", "无法读取（{}）"),
    (
        "commands nested too deeply to judge",
        "命令嵌套太深，无法判断",
    ),
    (
        "blocks nested more than {} deep cannot be judged",
        "代码块嵌套超过 {} 层，无法判断",
    ),
    (
        "a here-document the net cannot read (odd or missing delimiter)",
        "无法读取的 here-document（结束符异常或缺失）",
    ),
    (
        "the shell parser cannot read a here-document ({})",
        "shell 解析器无法读取 here-document（{}）",
    ),
    (
        "the shell parser cannot read the word `{}` ({})",
        "shell 解析器无法读取单词 `{}`（{}）",
    ),
    (
        "the shell parser cannot read `{}` ({})",
        "shell 解析器无法读取 `{}`（{}）",
    ),
    (
        "the shell parser cannot read it ({})",
        "shell 解析器无法读取它（{}）",
    ),
    (
        "writes to a file (redirection into {})",
        "会写入文件（重定向到 {}）",
    ),
    (
        "the command name `{}` comes from a variable, substitution or pattern",
        "命令名 `{}` 来自变量、替换或通配符",
    ),
    // `name …` does something.
    (
        "`{}` runs a command that needs confirming: {}",
        "`{}` 会运行一个需要确认的命令：{}",
    ),
    (
        "`{}` is followed by `{}`, a command that changes the broker",
        "`{}` 后面跟着 `{}`，这是会改动 broker 的命令",
    ),
    (
        "`{}` is not a known read-only command",
        "`{}` 不是已知的只读命令",
    ),
    (
        "`{}` without a verb is not known to be read-only",
        "不带子命令的 `{}` 不确定是只读的",
    ),
    (
        "`{}` without `--` runs a command that cannot be judged",
        "不带 `--` 的 `{}` 会运行无法判断的命令",
    ),
    ("`{}` without a command string", "`{}` 缺少命令字符串"),
    ("`{}` without a command", "`{}` 缺少命令"),
    (
        "`{}` changes a service or the system",
        "`{}` 会改动服务或系统",
    ),
    ("`{}` changes a service", "`{}` 会改动服务"),
    ("`{}` changes the journal", "`{}` 会改动系统日志"),
    (
        "`{}` changes installed packages",
        "`{}` 会改动已安装的软件包",
    ),
    ("`{}` changes a remote system", "`{}` 会改动远程系统"),
    (
        "`{}` sends data to a remote system",
        "`{}` 会向远程系统发送数据",
    ),
    ("`{}` writes to a file ({})", "`{}` 会写入文件（{}）"),
    ("`{}` writes to a file", "`{}` 会写入文件"),
    ("`{}` writes a log file ({})", "`{}` 会写日志文件（{}）"),
    ("`{}` writes a file", "`{}` 会写文件"),
    (
        "`{}` reads options from a file, which cannot be judged",
        "`{}` 从文件读取选项，无法判断",
    ),
    (
        "`{}` sends raw commands to a server",
        "`{}` 会向服务器发送原始命令",
    ),
    (
        "`{}` runs settings that cannot be judged",
        "`{}` 会执行无法判断的设置",
    ),
    (
        "`{}` saves what it downloads to a file (`-O -` prints it)",
        "`{}` 会把下载内容存到文件（`-O -` 则只打印）",
    ),
    (
        "`{}` removes files at the destination",
        "`{}` 会删除目标位置的文件",
    ),
    ("`{}` removes files", "`{}` 会删除文件"),
    ("`{}` writes files", "`{}` 会写文件"),
    (
        "`{}` changes file permissions or owners",
        "`{}` 会改动文件权限或属主",
    ),
    ("`{}` writes its output to a file", "`{}` 会把输出写入文件"),
    (
        "`{}` compresses or decompresses files in place",
        "`{}` 会原地压缩或解压文件",
    ),
    ("`{}` writes an archive", "`{}` 会写归档文件"),
    ("`{}` extracts files", "`{}` 会解出文件"),
    ("`{}` sends a signal to processes", "`{}` 会向进程发送信号"),
    ("`{}` stops processes", "`{}` 会停止进程"),
    ("`{}` stops or restarts the host", "`{}` 会关闭或重启主机"),
    ("`{}` starts a broker node", "`{}` 会启动一个 broker 节点"),
    (
        "`{}` stops the Erlang port mapper",
        "`{}` 会停止 Erlang 端口映射器（epmd）",
    ),
    ("`{}` changes scheduled jobs", "`{}` 会改动定时任务"),
    ("`{}` schedules or removes jobs", "`{}` 会安排或删除任务"),
    ("`{}` changes kernel settings", "`{}` 会改动内核参数"),
    ("`{}` changes resource limits", "`{}` 会改动资源限制"),
    ("`{}` changes the host name", "`{}` 会改动主机名"),
    ("`{}` sets the clock", "`{}` 会设置系统时钟"),
    ("`{}` changes the firewall", "`{}` 会改动防火墙"),
    ("`{}` mounts file systems", "`{}` 会挂载文件系统"),
    (
        "`{}` changes disks or file systems",
        "`{}` 会改动磁盘或文件系统",
    ),
    ("`{}` changes swap", "`{}` 会改动交换分区"),
    ("`{}` changes kernel modules", "`{}` 会改动内核模块"),
    ("`{}` changes users or groups", "`{}` 会改动用户或用户组"),
    (
        "`{}` rotates (moves and removes) logs",
        "`{}` 会轮转（移动并删除）日志",
    ),
    ("`{}` changes host settings", "`{}` 会改动主机设置"),
    ("`{}` formats a file system", "`{}` 会格式化文件系统"),
    ("`{}` edits files in place", "`{}` 会原地编辑文件"),
    ("`{}` edits files", "`{}` 会编辑文件"),
    (
        "`{}` runs an awk program from a file, which cannot be judged",
        "`{}` 会运行文件中的 awk 程序，无法判断",
    ),
    (
        "`{}` program runs commands (`system`)",
        "`{}` 程序会运行命令（`system`）",
    ),
    (
        "`{}` program pipes to or from a command",
        "`{}` 程序会与命令之间建立管道",
    ),
    ("`{}` program writes to a file", "`{}` 程序会写入文件"),
    ("`{}` changes the network setup", "`{}` 会改动网络配置"),
    (
        "`{}` takes arguments from the unquoted `{}`, which cannot be judged",
        "`{}` 的参数来自未加引号的 `{}`，无法判断",
    ),
    (
        "`{}` runs inline {} code, which cannot be judged",
        "`{}` 会运行内联 {} 代码，无法判断",
    ),
    (
        "`{}` runs a {} program, which cannot be judged",
        "`{}` 会运行 {} 程序，无法判断",
    ),
    (
        "`{}` changes the priority of running processes",
        "`{}` 会改动运行中进程的优先级",
    ),
    (
        "`{}` changes the I/O priority of running processes",
        "`{}` 会改动运行中进程的 I/O 优先级",
    ),
    (
        "`{}` changes the scheduling of running processes",
        "`{}` 会改动运行中进程的调度",
    ),
    (
        "`{}` runs `{}` with arguments read from its input, which cannot be judged",
        "`{}` 会用从输入读取的参数运行 `{}`，无法判断",
    ),
    (
        "`{}` runs the commands in a file, which cannot be judged",
        "`{}` 会运行文件中的命令，无法判断",
    ),
    (
        "`{}` defines a command from a variable or substitution",
        "`{}` 用变量或替换定义命令",
    ),
    (
        "`{}` runs a command string built from a variable or substitution, which cannot be judged",
        "`{}` 会运行由变量或替换拼出的命令字符串，无法判断",
    ),
    (
        "`{}` runs a command string built from `{}`, which cannot be judged",
        "`{}` 会运行由 `{}` 拼出的命令字符串，无法判断",
    ),
    (
        "`{}` runs a command built from `{}`, which cannot be judged",
        "`{}` 会运行由 `{}` 拼出的命令，无法判断",
    ),
    (
        "`{}` runs commands in a syntax the net does not read",
        "`{}` 会运行无法解析的语法中的命令",
    ),
    (
        "`{}` runs the script `{}`, which cannot be judged",
        "`{}` 会运行脚本 `{}`，无法判断",
    ),
    (
        "`{}` runs commands read from a pipe, which cannot be judged",
        "`{}` 会运行从管道读取的命令，无法判断",
    ),
    (
        "`{}` runs commands read from its input, which cannot be judged",
        "`{}` 会运行从输入读取的命令，无法判断",
    ),
    ("`{}` runs the files it finds", "`{}` 会运行它找到的文件"),
];
