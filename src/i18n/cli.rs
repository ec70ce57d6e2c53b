//! English → Chinese for the program's own messages outside an incident:
//! the subcommands' errors and notices on stderr and stdout (`start`,
//! `resume`, `diagnose`'s framing, `drill`, `check`, `list`, `report`,
//! `history`, `review`, `watch`, `completions`, `man`) and the messages of
//! the program's error types they print (journal, input files, variables).
//! They follow the locale ([`super::Lang::from_env`]). `runbook check`'s
//! per-field validation messages, clap's usage and `--help`, JSON output
//! and OS errors stay English. A text already in another table (`TITLE`,
//! `NOTE`, `journal: {}`) is not repeated here.

/// The CLI's messages.
pub(super) const ZH_CLI: &[(&str, &str)] = &[
    // start, resume and the screen commands.
    (
        "runbook {} needs an interactive terminal (stdin and stdout must be a TTY).",
        "runbook {} 需要交互式终端（stdin 和 stdout 都必须是 TTY）。",
    ),
    (
        "For a headless run of the safe diagnostics use: {}",
        "无终端时运行安全的诊断项请用：{}",
    ),
    (
        "To read the incident without one use: {}",
        "无终端时阅读事件请用：{}",
    ),
    (
        "To prove a scenario without a trainee use: {}",
        "无学员时验证场景请用：{}",
    ),
    (
        "no unfinished incident in {}; start one with `runbook start`",
        "{} 中没有未结束的事件；用 `runbook start` 开始一个",
    ),
    (
        "no unfinished incident in {}; name a journal: runbook watch JOURNAL",
        "{} 中没有未结束的事件；请指定日志：runbook watch JOURNAL",
    ),
    ("{} holds no events", "{} 中没有任何事件"),
    (
        "{} does not start with incident_opened",
        "{} 的第一条记录不是 incident_opened",
    ),
    (
        "(if the file moved, give it with --runbook PATH)",
        "（如果文件已移动，请用 --runbook PATH 指定）",
    ),
    (
        "the runbook's steps are not this incident's steps\n  journal: {}\n  runbook: {}\n  resume with the runbook the incident started with (--runbook PATH); `runbook review {}` shows it read-only",
        "预案的步骤与此事件的步骤不一致\n  日志：{}\n  预案：{}\n  请用事件开始时的预案继续（--runbook PATH）；`runbook review {}` 可只读查看",
    ),
    ("cannot continue {}: {}", "无法继续 {}：{}"),
    (
        "the journal's last line was torn ({}); it was set aside, everything before it is here",
        "日志最后一行不完整（{}）；已将其搁置，之前的内容都在这里",
    ),
    (
        "note: the runbook {} changed since this incident started",
        "注意：预案 {} 在事件开始后有改动",
    ),
    (
        "saving the journal (the disk is slow)…",
        "正在保存日志（磁盘较慢）…",
    ),
    (
        "Incident resolved. Journal: {}\n  report: {}",
        "事件已解决。日志：{}\n  报告：{}",
    ),
    (
        "Incident saved: {}\n  continue with: {}",
        "事件已保存：{}\n  继续：{}",
    ),
    (
        "WARNING: {} event(s) could not be written to {}: {}",
        "警告：{} 个事件未能写入 {}：{}",
    ),
    (
        "The incident journal is {}; `runbook resume` continues it.",
        "事件日志是 {}；`runbook resume` 可继续。",
    ),
    (
        "sending {} webhook message(s) before exiting (a few seconds at most)…",
        "退出前正在发送 {} 条 webhook 消息（最多几秒）…",
    ),
    ("cannot use the terminal: {}", "无法使用终端：{}"),
    ("terminal error: {}", "终端错误：{}"),
    // Opening an incident.
    (
        "--var expects NAME=VALUE, got `{}`",
        "--var 需要 NAME=VALUE 格式，收到的是 `{}`",
    ),
    (
        "cannot write the incident journal {}: {}",
        "无法写入事件日志 {}：{}",
    ),
    (
        "cannot open the incident journal: {}",
        "无法打开事件日志：{}",
    ),
    (
        "(free some space, or choose another directory with --log-dir or RUNBOOK_LOG_DIR)",
        "（请释放一些空间，或用 --log-dir 或 RUNBOOK_LOG_DIR 换一个目录）",
    ),
    (
        "the embedded runbook `{}` is not in this version of runbook",
        "此版本的 runbook 中没有内置预案 `{}`",
    ),
    (
        "the incident's runbook {} cannot be loaded:\n{}",
        "事件的预案 {} 无法加载：\n{}",
    ),
    // Variables (`--var`, defaults).
    (
        "--var {}: the runbook declares no variable `{}`; declared: {}",
        "--var {}：预案没有声明变量 `{}`；已声明：{}",
    ),
    ("none", "无"),
    (
        "variable `{}`: its default refers to itself (through {}); give it a value with --var {}=…",
        "变量 `{}`：其默认值引用了自身（经由 {}）；请用 --var {}=… 给它赋值",
    ),
    (
        "variable `{}` expands to more than {} (its default repeats other variables too often); give it a value with --var {}=…",
        "变量 `{}` 展开后超过 {}（其默认值重复引用其他变量过多）；请用 --var {}=… 给它赋值",
    ),
    (
        "the text starting {} grows by more than {} once its variables are filled in; shorten the values or use fewer placeholders",
        "以 {} 开头的文字在填入变量后增长超过 {}；请缩短变量值或减少占位符",
    ),
    // Journals.
    (
        "cannot create the journal directory {}: {}; choose another with --log-dir or RUNBOOK_LOG_DIR",
        "无法创建日志目录 {}：{}；请用 --log-dir 或 RUNBOOK_LOG_DIR 换一个",
    ),
    ("cannot open the journal {}: {}", "无法打开日志 {}：{}"),
    (
        "cannot write to the journal {}: {}; {} event(s) held in memory and retried — free disk space or fix the directory",
        "无法写入日志 {}：{}；{} 个事件暂存在内存中并会重试——请释放磁盘空间或修复目录",
    ),
    (
        "cannot encode a record for the journal {}: {}",
        "无法为日志 {} 编码记录：{}",
    ),
    ("cannot read the journal {}: {}", "无法读取日志 {}：{}"),
    (
        "{} is not a runbook journal: {}",
        "{} 不是 runbook 日志：{}",
    ),
    ("the file is empty", "文件为空"),
    ("it holds no complete record", "其中没有完整的记录"),
    (
        "the first record is `{}`, not `incident_opened`",
        "第一条记录是 `{}`，不是 `incident_opened`",
    ),
    (
        "{}: journal schema {} is newer than this program (reads {}): upgrade runbook",
        "{}：日志格式版本 {} 比本程序新（本程序读取版本 {}）：请升级 runbook",
    ),
    // Files named on the command line.
    ("cannot read the file: {}", "无法读取文件：{}"),
    ("not a regular file ({})", "不是普通文件（{}）"),
    ("a directory", "目录"),
    ("FIFO", "FIFO 管道"),
    ("character device", "字符设备"),
    ("block device", "块设备"),
    ("socket", "套接字"),
    ("special file", "特殊文件"),
    ("larger than {}", "大于 {}"),
    // report, review, history, completions, man.
    ("warning: {}: {}", "警告：{}：{}"),
    ("warning: {}", "警告：{}"),
    (
        "cannot write {}: {}; choose another file with -o",
        "无法写入 {}：{}；请用 -o 换一个文件",
    ),
    ("cannot write the report: {}", "无法写出报告：{}"),
    (
        "cannot list {}: {}; choose another directory with --log-dir",
        "无法列出 {}：{}；请用 --log-dir 换一个目录",
    ),
    ("cannot encode the list: {}", "无法编码列表：{}"),
    ("cannot render the manual page: {}", "无法生成手册页：{}"),
    ("cannot write to stdout: {}", "无法写入标准输出：{}"),
    // check and list.
    ("ok: {} ({}, 1 step)", "通过：{}（{}，1 个步骤）"),
    ("ok: {} ({}, {} steps)", "通过：{}（{}，{} 个步骤）"),
    (
        "{} of {} runbook file(s) invalid",
        "{} 个预案文件无效（共 {} 个）",
    ),
    (
        "ok: {} ({}, {}, {}, runbook {})",
        "通过：{}（{}，{}，{}，预案 {}）",
    ),
    ("1 fault", "1 个故障"),
    ("{} faults", "{} 个故障"),
    ("1 node", "1 个节点"),
    ("{} nodes", "{} 个节点"),
    (
        "{} of {} scenario file(s) invalid",
        "{} 个场景文件无效（共 {} 个）",
    ),
    ("STEPS", "步骤数"),
    ("SOURCE", "来源"),
    ("DIFFICULTY", "难度"),
    ("NODES", "节点数"),
    ("(invalid) {}", "（无效）{}"),
    ("{} (not used: {} comes first)", "{}（未使用：{} 优先）"),
    // diagnose.
    (
        "cannot start the async runtime: {}",
        "无法启动异步运行时：{}",
    ),
    (
        "no step `{}` in runbook {}; steps are: {}",
        "没有步骤 `{}`（预案 {}）；步骤有：{}",
    ),
    (
        "--answer expects ASK=CHOICE, got `{}`",
        "--answer 需要 ASK=CHOICE 格式，收到的是 `{}`",
    ),
    (
        "no question `{}` in runbook {}; questions: {}",
        "没有问题 `{}`（预案 {}）；问题有：{}",
    ),
    (
        "`{}` is not a choice of `{}`; choices: {}",
        "`{}` 不是 `{}` 的选项；选项有：{}",
    ),
    (
        "the journal can be written again; the held events are on disk",
        "日志已可再次写入；暂存的事件已写入磁盘",
    ),
    (
        "the journal {} could not be fully written ({} event(s) not on disk); see the errors above",
        "日志 {} 未能完整写入（{} 个事件未写入磁盘）；见上方错误",
    ),
    // drill.
    ("drill {}: {}", "演练 {}：{}"),
    ("drill {}: the start failed: {}", "演练 {}：启动失败：{}"),
    ("the drill's sandbox broker: {}", "演练的沙箱 broker：{}"),
    ("runbook variables: {}", "预案变量：{}"),
    ("cannot open the drill journal: {}", "无法打开演练日志：{}"),
    ("drill: preparing the sandbox…", "演练：正在准备沙箱…"),
    (
        "drill: booting sandbox node {}…",
        "演练：正在启动沙箱节点 {}…",
    ),
    ("drill: joining the cluster…", "演练：正在加入集群…"),
    (
        "drill: sandbox ready in {} s",
        "演练：沙箱已就绪，用时 {} 秒",
    ),
    ("drill: paused: {}", "演练：已暂停：{}"),
    (
        "drill: injecting the fault and proving it live…",
        "演练：正在注入故障并确认其生效…",
    ),
    (
        "drill {} aborted before the trainee started: {}",
        "演练 {} 在学员开始前中止：{}",
    ),
    (
        "drill: ending ({}); cleaning up the sandbox…",
        "演练：正在结束（{}）；清理沙箱…",
    ),
    ("drill {}: journal {}", "演练 {}：日志 {}"),
    ("score: {}/100", "得分：{}/100"),
    (
        "{} fault live (verify_injected failed as it should)",
        "{} 故障已生效（verify_injected 如预期失败）",
    ),
    ("{} fix detected", "{} 已检测到修复"),
    ("{} sandbox cleaned up", "{} 沙箱已清理"),
    ("sandbox: removed", "沙箱：已清理"),
    ("sandbox: NOT fully removed", "沙箱：未完全清理"),
    ("review it: {}", "查看：{}"),
    (
        "the drill journal {} could not be fully written",
        "演练日志 {} 未能完整写入",
    ),
    ("{} is not a drill's journal", "{} 不是演练日志"),
    ("the drill of {} has ended", "{} 的演练已结束"),
    (
        "sent {} to {}; the drill acts on it within a second and journals it",
        "已将 {} 发送到 {}；演练会在一秒内处理并记入日志",
    ),
    ("cannot send: {}", "无法发送：{}"),
    (
        "no drill scenario found (`runbook drill list`)",
        "没有找到演练场景（`runbook drill list`）",
    ),
    (
        "Scenario to drill (number or id; Enter cancels): ",
        "要演练的场景（编号或 id；Enter 取消）：",
    ),
    ("no scenario number {}", "没有编号为 {} 的场景"),
    (
        "which scenario? `runbook drill SCENARIO`; `runbook drill list` shows them",
        "演练哪个场景？`runbook drill SCENARIO`；`runbook drill list` 可列出",
    ),
    (
        "{} is a drill journal without drill_started; `runbook review {}` shows it",
        "{} 是演练日志，但没有 drill_started；`runbook review {}` 可查看",
    ),
    (
        "that drill has ended; a drill cannot be resumed. `runbook review {}` shows it; `runbook drill {}` starts it again",
        "该演练已结束；演练无法继续。`runbook review {}` 可查看；`runbook drill {}` 可重新开始",
    ),
    (
        " (the scenario file changed since the drill)",
        "（演练后场景文件已改动）",
    ),
    ("scored {}/100 as interrupted{}", "按中断计分 {}/100{}"),
    ("not scored: scenario {} not found", "未计分：找不到场景 {}"),
    (
        "drill {} was interrupted; {}. A drill cannot be resumed: its throwaway broker is gone.\n  review it: {}\n  try again: {}\n  leftovers: {}",
        "演练 {} 已中断；{}。演练无法继续：它的临时 broker 已不在了。\n  查看：{}\n  重试：{}\n  清理残留：{}",
    ),
    ("no drill sandboxes in {}", "{} 中没有演练沙箱"),
    (
        "would remove {}, in use {}, failed {}",
        "将删除 {}，使用中 {}，失败 {}",
    ),
    (
        "removed {}, in use {}, failed {}",
        "已删除 {}，使用中 {}，失败 {}",
    ),
    ("DATE (UTC)", "日期（UTC）"),
    ("TRAINEE", "学员"),
    ("SCENARIO", "场景"),
    ("HINTS", "提示"),
    ("SCORE", "得分"),
    ("OUTCOME", "结果"),
    (
        "older scenario version: times not comparable",
        "场景版本较旧：用时不可比",
    ),
    ("No drills in {}\n", "{} 中没有演练\n"),
    (
        "{} journal(s) in {} could not be read (see `{}`)",
        "{} 个日志无法读取，位于 {}（见 `{}`）",
    ),
    // The config file's problems (first screen, diagnose and history).
    ("not UTF-8 text", "不是 UTF-8 文本"),
    (
        "log_dir `{}` is not an absolute path (nor one starting with ~/); not used",
        "log_dir `{}` 不是绝对路径（也不以 ~/ 开头），未使用",
    ),
    (
        "theme `{}` is not one of {}; the default is used",
        "theme `{}` 不是 {} 之一，使用默认值",
    ),
    ("did you mean `{}`? ", "是否想写 `{}`？"),
    (
        "unknown key `{}`{}; {}known: {}; ignored",
        "未知的键 `{}`{}；{}可用的键：{}；已忽略",
    ),
    (" in [[notify]]", "（位于 [[notify]]）"),
    (
        "kind `{}` is not one of generic, slack, feishu, dingtalk, wecom; not used",
        "kind `{}` 不是 generic、slack、feishu、dingtalk、wecom 之一，未使用",
    ),
    (
        "event `{}` is not one of {}; not used",
        "event `{}` 不是 {} 之一，未使用",
    ),
    (
        "`secret` signs DingTalk and Feishu messages only; ignored for {}",
        "`secret` 只用于钉钉和飞书消息签名，对 {} 忽略",
    ),
    (
        "the program panicked; the incident was saved, `{}` continues it",
        "程序崩溃（panic）；事件已保存，`{}` 可继续处理",
    ),
];
