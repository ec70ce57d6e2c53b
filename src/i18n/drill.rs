//! English → Chinese for a drill's score and the trainer's requests: the
//! score breakdown (journaled in English by the fold, shown in the
//! incident's language by every reader) and the sentences of the trainer's
//! seat in `watch`.

/// The score breakdown and a drill's outcomes.
pub(super) const ZH_SCORE: &[(&str, &str)] = &[
    (
        "score {} (formula v{}), outcome {}",
        "得分 {}（公式 v{}），结果：{}",
    ),
    (
        "time to diagnose {}, time to mitigate {}, hints {}",
        "诊断用时 {}，止损用时 {}，提示 {} 条",
    ),
    ("start", "起始分"),
    ("never diagnosed", "始终未诊断出"),
    ("change before any backup", "未备份就做了改动"),
    ("hint {}", "提示 {}"),
    ("discouraged: {}", "不建议的操作：{}"),
    ("unresolved: {}", "未解决：{}"),
    ("the fix was never detected", "始终未检测到修复"),
    ("the drill did not end resolved", "演练结束时未解决"),
    ("{} min over par to diagnose", "诊断超出标准用时 {} 分钟"),
    ("{} min over par to mitigate", "止损超出标准用时 {} 分钟"),
    ("expected", "预期"),
    ("wrong answer", "错误回答"),
    ("fixed by restart", "靠重启修复"),
    ("time limit", "超出时限"),
    ("ended by trainer", "教练结束"),
    ("aborted", "未能开始"),
    ("unfinished", "未结束"),
];

/// The trainer's seat: what became of a request.
pub(super) const ZH_SEAT: &[(&str, &str)] = &[
    ("hint", "提示"),
    ("inject", "注入"),
    ("inject `{}`", "注入 `{}`"),
    ("pause", "暂停"),
    ("resume", "继续"),
    ("end", "结束"),
    (
        "the drill has ended ({}): nothing to send",
        "演练已结束（{}），无可发送",
    ),
    (
        "the drill's process is gone (no process has the journal open): nothing would read a request",
        "演练进程已不在（没有进程打开该日志），请求无人读取",
    ),
    (
        "the journal cannot be read now: nothing sent",
        "现在无法读取日志，未发送",
    ),
    ("this scenario has no hints", "该场景没有提示"),
    ("no hint left ({}/{} used)", "提示已用完（{}/{}）"),
    (
        "inject the scenario's next escalation fault into the sandbox",
        "向沙箱注入场景的下一个升级故障",
    ),
    (
        "inject the escalation fault `{}` into the sandbox",
        "向沙箱注入升级故障 `{}`",
    ),
    (
        "this scenario has no escalation fault (`at: trainer`): nothing to inject",
        "该场景没有升级故障（`at: trainer`），无可注入",
    ),
    (
        "every escalation fault is already in",
        "所有升级故障都已注入",
    ),
    (
        "end the drill now: it is scored as ended by the trainer and its sandbox removed",
        "立即结束演练：按“教练结束”计分，并删除其沙箱",
    ),
    ("“{}” is not “{}” — nothing sent", "“{}”不是“{}”——未发送"),
    ("cancelled — nothing sent", "已取消——未发送"),
    ("{}: sending…", "{}：发送中…"),
    (
        "{}: sent; waiting for the drill to act on it",
        "{}：已发送，等待演练执行",
    ),
    (
        "{}: no answer from the drill after {} s (it reads requests every second): is it running?",
        "{}：{} 秒后演练仍未响应（它每秒读取一次请求），它还在运行吗？",
    ),
    ("hint {} reached the trainee", "提示 {} 已送达学员"),
    ("the drill is paused", "演练已暂停"),
    ("the drill runs again", "演练已继续"),
    ("`{}` injected into the sandbox", "`{}` 已注入沙箱"),
    ("the drill ended ({})", "演练已结束（{}）"),
    (
        "the drill ended ({}) before acting on it",
        "演练在执行前已结束（{}）",
    ),
    ("the drill says: {}", "演练回复：{}"),
];

/// The production broker's health, watched during a drill (the pause banner
/// and the journal).
pub(super) const ZH_LIVE: &[(&str, &str)] = &[
    ("healthy", "正常"),
    ("alarms: {}", "有告警：{}"),
    ("unreachable: {}", "无法访问：{}"),
    (
        "the production broker is healthy again",
        "生产 broker 已恢复正常",
    ),
];

/// The trainee's screen in a drill: the brief and hints dialog, the
/// trainer's requests as the trainee sees them, the control file's
/// problems, and how the drill ended (journaled in the drill's language).
pub(super) const ZH_TRAINEE: &[(&str, &str)] = &[
    ("Drill brief", "演练简报"),
    ("Drill hints", "演练提示"),
    (" The brief", " 演练简报"),
    (" Time limit ", " 时限 "),
    (
        " · {} hint(s) on h, each costs points · work the runbook as in a real outage",
        " · 按 h 可看 {} 条提示，每条扣分 · 请像真实故障一样按运行手册处理",
    ),
    (" Any key starts the drill", " 按任意键开始演练"),
    (" Enter: take ", " Enter 领取"),
    ("hint {} of {}", "第 {} 条提示（共 {} 条）"),
    (" — it costs {} point(s)", " —— 扣 {} 分"),
    (" · any other key closes", " · 其他键关闭"),
    (" This scenario has no hints.", " 此场景没有提示。"),
    (" No hint left · any key closes", " 提示已用完 · 任意键关闭"),
    ("no hint left", "提示已用完"),
    ("drill brief:\n{}", "演练简报：\n{}"),
    ("drill control: {}", "演练控制：{}"),
    (
        "the trainer sent hint {} — h shows it",
        "教练发来提示 {} —— 按 h 查看",
    ),
    ("paused by the trainer", "教练暂停了演练"),
    ("resumed by the trainer", "教练恢复了演练"),
    (
        "the trainer asked for fault `{}`: this scenario has no such trainer fault",
        "教练要求注入故障 `{}`：此场景没有这个教练故障",
    ),
    (
        "the trainer asked for an escalation: no trainer fault left",
        "教练要求升级：教练故障已用完",
    ),
    ("the trainer injected `{}`", "教练注入了 `{}`"),
    ("it is not a regular file", "它不是普通文件"),
    ("it belongs to uid {}, not {}", "它属于 uid {}，而不是 {}"),
    (
        "others may write it (mode {})",
        "其他用户可以写入（权限 {}）",
    ),
    (
        "the control file {} is ignored: {}",
        "控制文件 {} 已忽略：{}",
    ),
    ("cannot read {}: {}", "无法读取 {}：{}"),
    (
        "unknown request in {} ignored: {}",
        "{} 中的未知请求已忽略：{}",
    ),
    (
        "a line over 4 KiB in {} ignored",
        "{} 中超过 4 KiB 的一行已忽略",
    ),
    ("resolved by the trainee", "学员已解决"),
    ("the trainer ended the drill", "教练结束了演练"),
    ("the time limit ({}) was reached", "已到时限（{}）"),
    ("the screen ended: {}", "界面异常结束：{}"),
    ("interrupted by {}", "被 {} 中断"),
    ("a signal", "信号"),
    ("the trainee quit", "学员退出了演练"),
    // The autopilot's journal (a trainer proving a scenario).
    (
        "fix detected {} s after the model answer",
        "标准答案执行后 {} 秒检测到修复",
    ),
    (
        "autopilot: the scenario's model answer restored the service",
        "自动演练：场景的标准答案恢复了服务",
    ),
    (
        "the production broker changed during the drill ({}); the drill does not touch it",
        "演练期间生产 broker 状态有变（{}）；演练不会触碰它",
    ),
    (
        "the fix was not detected within {} of the model answer",
        "标准答案执行后 {} 内未检测到修复",
    ),
    ("{} (typed by the autopilot)", "{}（由自动演练输入）"),
    // The fence: why a command is refused in a drill (journaled as shown).
    ("refused in a drill: {}", "演练中已拒绝：{}"),
    (
        "writes under {} (redirection into {})",
        "会写入 {}（重定向到 {}）",
    ),
    (
        "changes something after `cd` into the live node's directories",
        "`cd` 进入生产节点的目录后又做了修改",
    ),
    (
        "names node {}, not the sandbox's ({}=)",
        "指定了节点 {}，不是沙箱的节点（{}=）",
    ),
    (
        "points the CLI at the live node's files ({}={})",
        "让命令行工具指向生产节点的文件（{}={}）",
    ),
    (
        "names node {}, not the sandbox's",
        "指定了节点 {}，不是沙箱的节点",
    ),
    (
        "names live port {} (in `{}`)",
        "指定了生产端口 {}（在 `{}` 中）",
    ),
    (
        "controls the live rabbitmq-server service (`{}`)",
        "会操作生产环境的 rabbitmq-server 服务（`{}`）",
    ),
    (
        "kills processes named `{}`, which includes the live node or epmd",
        "会按名称杀死 `{}` 进程，其中包括生产节点或 epmd",
    ),
    (
        "writes under {} (`{}` on {})",
        "会写入 {}（`{}` 作用于 {}）",
    ),
    // A fault that did not go in (the drill is aborted before it starts).
    (
        "fault `{}` did not go in: its command exited with {} (see its output in the journal)",
        "故障 `{}` 未能注入：其命令退出码为 {}（输出见日志）",
    ),
    (
        "fault `{}` did not go in: its command did not finish",
        "故障 `{}` 未能注入：其命令没有结束",
    ),
    (
        "the fault is not live: these checks still pass {} after injection: {}",
        "故障没有生效：注入 {} 后这些检查仍然通过：{}",
    ),
    (
        "the drill program ended without finishing (killed?); its sandbox went with it",
        "演练程序没有正常结束（被杀掉了？），它的沙箱也随之消失",
    ),
];
