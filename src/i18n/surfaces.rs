//! English → Chinese for everything but the live screen: the report, review
//! and watch, `diagnose`'s summary, `history`. Kept apart from the live
//! screen's table ([`super::ZH`]) so the two are edited independently; a
//! text already there (`Steps`, `Commands`, `Checks`, `Notes`, ` RESOLVED `,
//! ` left`)
//! is not repeated here.

/// The tables [`super::zh`] searches after the live screen's (the built-in
/// checks' in [`super::probe`]).
pub(super) const TABLES: &[&[(&str, &str)]] = &[
    ZH_REPORT,
    ZH_REVIEW,
    ZH_DIAGNOSE,
    ZH_HISTORY,
    super::drill::ZH_SCORE,
    super::drill::ZH_SEAT,
    super::drill::ZH_LIVE,
    super::drill::ZH_TRAINEE,
    super::danger::ZH_DANGER,
    super::webhook::ZH_WEBHOOK,
    super::probe::ZH_PROBE,
    super::cli::ZH_CLI,
];

/// `runbook report` (Markdown, HTML, the SVG chart), its summary table and
/// timeline texts; review and watch show the same summary and timeline.
const ZH_REPORT: &[(&str, &str)] = &[
    // Headings and the banner.
    ("Incident report: {}", "事件报告：{}"),
    ("Journal problem:", "日志问题："),
    ("OPEN", "未解决"),
    (
        "this incident was not resolved; times run to the last recorded event ({}).",
        "此事件尚未解决，各项时间截至最后一条记录（{}）。",
    ),
    ("Summary", "概要"),
    ("Postmortem", "事后复盘"),
    ("Root cause", "根因"),
    ("What helped", "做得好的"),
    ("What hurt", "待改进的"),
    ("Action items", "改进项"),
    ("Timeline chart", "时间线图"),
    ("Timeline", "时间线"),
    ("Drill", "演练"),
    ("Score breakdown", "得分明细"),
    ("Points", "分数"),
    ("For", "原因"),
    ("Expected path", "预期路径"),
    ("Brief", "演练说明"),
    ("Root cause (hidden from the trainee)", "根因（对学员隐藏）"),
    ("Unknown events", "未知事件"),
    (
        "Written by a newer program; kept, not interpreted.",
        "由更新版本的程序写入；已保留，未解析。",
    ),
    // Table headings.
    ("Step", "步骤"),
    ("State", "状态"),
    ("Time spent", "用时"),
    ("Budget", "时间预算"),
    ("Over budget", "超出预算"),
    (" (mitigation)", "（止损）"),
    ("Time (UTC)", "时间（UTC）"),
    ("Offset", "相对开始"),
    ("Event", "事件"),
    ("Command and output", "命令与输出"),
    ("Result", "结果"),
    ("Took", "耗时"),
    ("Check", "检查项"),
    ("Target", "目标"),
    ("Status", "状态"),
    ("Summary and evidence", "摘要与证据"),
    ("Action", "改进项"),
    ("Owner", "负责人"),
    ("Seq", "序号"),
    ("Type", "类型"),
    // Section texts.
    ("No commands were run.", "未执行任何命令。"),
    ("No checks were run.", "未执行任何检查。"),
    ("No notes.", "没有备注。"),
    ("(no output recorded)", "（未记录输出）"),
    (
        "the whole command (no output recorded)",
        "完整命令（未记录输出）",
    ),
    (
        "\n[… {} lines omitted — full output in the HTML report / journal …]\n",
        "\n[… 省略 {} 行 — 完整输出见 HTML 报告或日志 …]\n",
    ),
    ("output: {} line(s)", "输出：{} 行"),
    ("evidence: {} line(s)", "证据：{} 行"),
    (
        "{} ({}), step {}, status update:",
        "{}（{}），步骤 {}，状态更新：",
    ),
    ("{} ({}), step {}:", "{}（{}），步骤 {}："),
    (
        "Edited after the incident by {} ({}).",
        "事后由 {} 编辑（{}）。",
    ),
    (
        "Not written yet (at resolve, or later with `runbook review`, key P).",
        "尚未填写（可在解决时填写，或之后在 `runbook review` 中按 P 填写）。",
    ),
    (
        "Not written yet (at resolve, or later with <code>runbook review</code>, key P).",
        "尚未填写（可在解决时填写，或之后在 <code>runbook review</code> 中按 P 填写）。",
    ),
    (
        "None recorded (at resolve, with `runbook review`, or as notes in the prevention step).",
        "暂无记录（可在解决时、用 `runbook review`，或在预防步骤中以备注形式记录）。",
    ),
    (
        "None recorded (at resolve, with <code>runbook review</code>, or as notes in the prevention step).",
        "暂无记录（可在解决时、用 <code>runbook review</code>，或在预防步骤中以备注形式记录）。",
    ),
    ("(step {}, {} {}, at {})", "（步骤 {}，{} {}，于 {}）"),
    ("Run {}: {} (step {})", "运行 {}：{}（步骤 {}）"),
    (
        "started {} ({}), {}, took {}",
        "开始于 {}（{}），{}，耗时 {}",
    ),
    (
        "Webhooks: {} message(s) delivered, {} failed.",
        "Webhook：已送达 {} 条消息，失败 {} 条。",
    ),
    // Journal problems.
    (
        "The journal ends with a torn line (line {}, {} bytes) — the program stopped mid-write; everything before it is reported.",
        "日志末尾有一行不完整（第 {} 行，{} 字节）——程序在写入中途停止；此前的内容均已纳入报告。",
    ),
    (
        "Line {} of the journal is damaged and was skipped: {}",
        "日志第 {} 行已损坏，已跳过：{}",
    ),
    (
        "The reviewer's postmortem edits cannot be read and are left out: {}",
        "无法读取复盘人对事后复盘的修改，已略去：{}",
    ),
    (
        "Run #{} has no end in the journal (the program died during it, or is still running it); its last output shown here comes from the tail checkpoint beside the journal, which `runbook resume` writes into the journal.",
        "运行 #{} 在日志中没有结束记录（程序在运行中退出，或仍在运行）；此处显示的最后输出来自日志旁的尾部检查点，`runbook resume` 会将其写入日志。",
    ),
    // Run states.
    (
        "still running at the end of the journal",
        "日志结束时仍在运行",
    ),
    ("timed out", "超时"),
    ("cancelled", "已取消"),
    ("interrupted (program stopped)", "已中断（程序停止）"),
    ("could not start: {}", "无法启动：{}"),
    ("exit {}", "退出码 {}"),
    ("killed by signal {}", "被信号 {} 终止"),
    ("PASS", "通过"),
    ("WARN", "警告"),
    ("FAIL", "失败"),
    ("ERROR", "出错"),
    // The summary table.
    ("over limit", "超出上限"),
    ("over expected", "超出预期"),
    ("pending", "未开始"),
    ("active", "进行中"),
    ("done", "已完成"),
    ("skipped", "已跳过"),
    ("skipped: {}", "已跳过：{}"),
    ("(untitled) {}", "（未命名）{}"),
    ("live", "实战"),
    ("drill", "演练"),
    ("not given", "未填写"),
    ("from the problem's start", "从问题开始起算"),
    ("from the opening", "从事件创建起算"),
    ("{} ({})", "{}（{}）"),
    (" (so far)", "（截至目前）"),
    ("— (open; last event {})", "—（未解决；最后事件 {}）"),
    ("Title", "标题"),
    ("resolved", "已解决"),
    ("Runbook", "预案"),
    ("Mode", "模式"),
    ("Severity", "严重级别"),
    ("Impact", "影响"),
    ("Operator", "值班人员"),
    ("Problem began", "问题开始"),
    ("Started", "事件创建"),
    ("Resolved", "解决时间"),
    ("Time to detect", "发现用时"),
    (
        "— (the start given is after the opening)",
        "—（填写的开始时间晚于事件创建）",
    ),
    ("— (no problem start given)", "—（未填写问题开始时间）"),
    ("Time to mitigate", "止损用时"),
    ("not reached", "尚未止损"),
    ("Time to resolve", "解决用时"),
    ("not resolved", "尚未解决"),
    ("Total duration", "总时长"),
    ("Resolution", "解决说明"),
    ("Steps over limit", "超出上限的步骤"),
    ("Journal", "日志"),
    ("{} ({} events)", "{}（{} 条事件）"),
    // The drill block.
    ("Scenario", "场景"),
    ("Trainee", "学员"),
    ("not ended", "未结束"),
    ("Outcome", "结果"),
    ("Score", "得分"),
    ("{}/100 (formula v{})", "{}/100（计分公式 v{}）"),
    (" (par {})", "（标准 {}）"),
    ("Time to diagnose", "诊断用时"),
    ("Hints", "提示"),
    ("Wrong diagnoses first", "先前的错误诊断"),
    ("Discouraged items used", "使用了不建议的操作"),
    ("Change before any backup", "备份前即做变更"),
    ("yes", "是"),
    ("Fixed by a restart", "靠重启修复"),
    ("Score source", "得分来源"),
    ("Sandbox", "沙箱"),
    ("removed", "已清理"),
    (
        "NOT fully removed (see the timeline)",
        "未完全清理（见时间线）",
    ),
    (
        "recomputed from the journal against the scenario drilled",
        "根据日志，按演练时的场景重新计算",
    ),
    (
        "recomputed against the scenario as it is now: its file changed since the drill",
        "按场景的当前版本重新计算：演练后场景文件已改动",
    ),
    (
        "as journaled: scenario {} not found here, so the expected path and par are not shown",
        "取自日志记录：此处找不到场景 {}，因此不显示预期路径和标准用时",
    ),
    (
        "the drill has not ended: no score yet (`runbook resume` ends a killed drill)",
        "演练尚未结束：还没有得分（被终止的演练可用 `runbook resume` 结束）",
    ),
    // The chart.
    ("Step timeline", "步骤时间线"),
    (
        "bar: time spent (outline: skipped) · light band: expected · red tick: limit · ● command · ◆ failed check · ■ note · dashed lines: problem began, mitigated, resolved",
        "条：用时（空心：已跳过）· 浅色带：预期 · 红色刻度：上限 · ● 命令 · ◆ 失败的检查 · ■ 备注 · 虚线：问题开始、止损、解决",
    ),
    ("problem began", "问题开始"),
    ("mitigated", "已止损"),
    ("expected {}", "预期 {}"),
    ("limit {}", "上限 {}"),
    ("{}: {} spent", "{}：用时 {}"),
    ("{} at +{}", "{}，于 +{}"),
    ("{} failed", "{} 失败"),
    // Timeline entries.
    ("incident opened", "事件创建"),
    ("incident opened: {}", "事件创建：{}"),
    ("title set: {}", "设置标题：{}"),
    ("step entered", "进入步骤"),
    ("step completed", "完成步骤"),
    ("step skipped: {}", "跳过步骤：{}"),
    ("ticked: {}", "勾选：{}"),
    ("unticked: {}", "取消勾选：{}"),
    ("answered {}: {}", "回答 {}：{}"),
    ("confirmation asked for {}: {}", "请求确认 {}：{}"),
    ("confirmation accepted for {}", "已确认 {}"),
    ("confirmation declined for {}", "已拒绝 {}"),
    ("ran {}: {}", "运行 {}：{}"),
    ("{} could not start: {}", "{} 无法启动：{}"),
    ("{} timed out after {}", "{} 在 {} 后超时"),
    ("{} cancelled after {}", "{} 在 {} 后取消"),
    (
        "{} killed by signal {} after {}",
        "{} 被信号 {} 终止，用时 {}",
    ),
    ("{} exited {} after {}", "{} 退出码 {}，用时 {}"),
    ("{} ended after {}", "{} 结束，用时 {}"),
    ("check {} ({} {})", "检查 {}（{} {}）"),
    ("check {}: {} — {}", "检查 {}：{} — {}"),
    ("status update: {}", "状态更新：{}"),
    ("note: {}", "备注：{}"),
    (
        "over budget: {} spent, limit {}",
        "超出预算：已用 {}，上限 {}",
    ),
    ("1 try", "尝试 1 次"),
    ("{} tries", "尝试 {} 次"),
    ("set-up problem: {}", "设置问题：{}"),
    (
        "webhook sent: {} → {} ({}{})",
        "webhook 已发送：{} → {}（{}{}）",
    ),
    (
        "webhook failed: {} → {}: {}",
        "webhook 发送失败：{} → {}：{}",
    ),
    (
        "webhook failed: {} → {}: {} ({})",
        "webhook 发送失败：{} → {}：{}（{}）",
    ),
    ("no severity", "无严重级别"),
    ("severity: {}", "严重级别：{}"),
    ("severity: {} — impact: {}", "严重级别：{} — 影响：{}"),
    (
        "problem started at {} (as the operator gave it)",
        "问题开始于 {}（值班人员填写）",
    ),
    (
        "postmortem draft ({} action item(s))",
        "事后复盘草稿（{} 个改进项）",
    ),
    (
        "postmortem draft: {} ({} action item(s))",
        "事后复盘草稿：{}（{} 个改进项）",
    ),
    ("incident resolved: {}", "事件已解决：{}"),
    ("session ended ({})", "会话结束（{}）"),
    ("session resumed by {}@{}", "会话由 {}@{} 恢复"),
    ("unknown event `{}`", "未知事件 `{}`"),
    ("operator quit", "值班人员退出"),
    ("signal {}", "信号 {}"),
    ("error: {}", "错误：{}"),
    ("finished", "已完成"),
    (
        "drill started: {} ({}), trainee {}",
        "演练开始：{}（{}），学员 {}",
    ),
    ("fault injected: {} (by {})", "注入故障：{}（由{}）"),
    ("scenario", "场景"),
    ("trainee", "学员"),
    ("trainer", "教练"),
    ("drill check {}: {} — {}", "演练检查 {}：{} — {}"),
    ("hint {} (−{}): {}", "提示 {}（−{}）：{}"),
    (
        "service restored (drill; fixed by a restart)",
        "服务已恢复（演练；靠重启修复）",
    ),
    ("service restored (drill)", "服务已恢复（演练）"),
    ("drill paused: {}", "演练暂停：{}"),
    ("drill resumed: {}", "演练继续：{}"),
    ("drill ended: {}", "演练结束：{}"),
    ("drill ended: {} — {}", "演练结束：{} — {}"),
    ("drill scored: {}/100 ({})", "演练得分：{}/100（{}）"),
    ("sandbox removed", "沙箱已清理"),
    ("sandbox cleanup incomplete: {}", "沙箱未完全清理：{}"),
];

/// `runbook review` and `runbook watch`: header, footer, help, filters,
/// notices, the trainer's panel.
const ZH_REVIEW: &[(&str, &str)] = &[
    // Header.
    (" OPEN ", " 未解决 "),
    (" REVIEW ", " 回顾 "),
    (" WATCH ", " 旁观 "),
    (" DRILL ", " 演练 "),
    ("following", "跟随中"),
    (
        "the writer is gone: no process has the journal open",
        "写入方已退出：没有进程打开这份日志",
    ),
    ("cannot read the journal: {}", "无法读取日志：{}"),
    (" · score {}/100", " · 得分 {}/100"),
    ("{} · trainee {}{} · ", "{} · 学员 {}{} · "),
    ("  ⚠ journal damaged", "  ⚠ 日志已损坏"),
    (
        "started {} · total {} so far · mitigation {}",
        "开始 {} · 至今共 {} · 止损 {}",
    ),
    (
        "started {} · total {} · mitigation {}",
        "开始 {} · 共 {} · 止损 {}",
    ),
    // Panes.
    (" · search: {}", " · 搜索：{}"),
    (" nothing matches", " 没有匹配的事件"),
    ("Selected event", "选中的事件"),
    (
        "Root cause (hidden from the trainee):",
        "根因（对学员隐藏）：",
    ),
    (" check {} · {} · {} ", " 检查 {} · {} · {} "),
    // Footer.
    (" any key closes the help", " 按任意键关闭帮助"),
    (
        " Tab next field · Ctrl-S saves beside the journal · Esc cancels",
        " Tab 下一项 · Ctrl-S 保存到日志旁 · Esc 取消",
    ),
    (
        " type the word asked for · Enter send · Esc cancel (nothing sent)",
        " 输入要求的词 · Enter 发送 · Esc 取消（不发送）",
    ),
    (
        " type to search command output and notes · Enter apply · Esc clear",
        " 输入以搜索命令输出和备注 · Enter 应用 · Esc 清除",
    ),
    (
        " ↑↓ PgUp PgDn scroll · Esc/Enter close · trainer: h hint · p pause · i inject · e end · ? help",
        " ↑↓ PgUp PgDn 滚动 · Esc/Enter 关闭 · 教练：h 提示 · p 暂停 · i 注入 · e 结束 · ? 帮助",
    ),
    (
        " ↑↓ PgUp PgDn scroll · Esc/Enter close · read-only",
        " ↑↓ PgUp PgDn 滚动 · Esc/Enter 关闭 · 只读",
    ),
    (
        " t panel · h hint · p pause/resume · i inject · e end │ ? help · q quit · ↑↓ · 1-7 filter · / search · Enter output",
        " t 面板 · h 提示 · p 暂停/继续 · i 注入 · e 结束 │ ? 帮助 · q 退出 · ↑↓ · 1-7 筛选 · / 搜索 · Enter 输出",
    ),
    (
        " ? help · q quit · Enter output · 1-7 filter (? lists them) · / search · [ ] step · P postmortem",
        " ? 帮助 · q 退出 · Enter 输出 · 1-7 筛选（? 列出） · / 搜索 · [ ] 步骤 · P 事后复盘",
    ),
    // Help.
    ("Keys", "按键"),
    (
        "move in the timeline (scroll an open output)",
        "在时间线中移动（打开输出时滚动输出）",
    ),
    (
        "ten up · ten down · first · last",
        "上移十条 · 下移十条 · 第一条 · 最后一条",
    ),
    (
        "show all · commands · checks · notes · decisions · overruns · drill events",
        "全部 · 命令 · 检查 · 备注 · 决策 · 超时 · 演练事件",
    ),
    (
        "search event text, command output and notes (Esc clears)",
        "搜索事件文本、命令输出和备注（Esc 清除）",
    ),
    (
        "first event of the previous · next step",
        "上一个 · 下一个步骤的第一条事件",
    ),
    (
        "the selected command's recorded output (Esc closes)",
        "选中命令的记录输出（Esc 关闭）",
    ),
    (
        "review: write the postmortem (saved beside the journal, never in it)",
        "回顾：撰写事后复盘（保存在日志旁，不写入日志）",
    ),
    ("this help", "本帮助"),
    ("quit", "退出"),
    (
        "trainer: show or hide the trainer panel",
        "教练：显示或隐藏教练面板",
    ),
    (
        "trainer: push the next hint to the trainee",
        "教练：向学员推送下一条提示",
    ),
    (
        "trainer: pause the drill, or resume it",
        "教练：暂停或继续演练",
    ),
    (
        "trainer: inject the escalation fault (typed confirmation)",
        "教练：注入升级故障（需输入确认）",
    ),
    (
        "trainer: end the drill now (typed confirmation)",
        "教练：立即结束演练（需输入确认）",
    ),
    (
        " read-only: nothing here writes the journal · any key closes this help",
        " 只读：这里不会写入日志 · 按任意键关闭帮助",
    ),
    // Filters.
    ("all", "全部"),
    ("commands", "命令"),
    ("checks", "检查"),
    ("notes", "备注"),
    ("decisions", "决策"),
    ("overruns", "超时"),
    // Notices.
    (
        "typed confirmation: paste refused, type it",
        "输入确认：不接受粘贴，请手动输入",
    ),
    (
        "paste ignored: press / to search first",
        "已忽略粘贴：请先按 / 开始搜索",
    ),
    (
        "paste cut: {} characters left out (a search holds {} bytes)",
        "粘贴已截断：省略了 {} 个字符（搜索最多 {} 字节）",
    ),
    (
        "the postmortem is written in `runbook review JOURNAL`, once the incident is over",
        "事件结束后，在 `runbook review JOURNAL` 中撰写事后复盘",
    ),
    ("postmortem not saved", "事后复盘未保存"),
    (
        "paste ignored: Tab to a text field",
        "已忽略粘贴：请用 Tab 切换到文本框",
    ),
    ("{}; saving will replace it", "{}；保存将覆盖它"),
    (
        "postmortem saved to {} (the journal is untouched); runbook report shows it",
        "事后复盘已保存到 {}（日志未改动）；runbook report 会显示它",
    ),
    // The trainer's panel.
    (" ENDED: {} ", " 已结束：{} "),
    (" PAUSED ", " 已暂停 "),
    (" RUNNING ", " 进行中 "),
    (
        " left (stands still while paused)",
        " 剩余（暂停时停止计时）",
    ),
    (
        "hints {}/{} · trainee {}, trainer {}",
        "提示 {}/{} · 学员 {}，教练 {}",
    ),
    ("score {}/100", "得分 {}/100"),
    (
        "score so far {} (if resolved now)",
        "当前得分 {}（若此刻解决）",
    ),
    ("Root cause (hidden)", "根因（隐藏）"),
    ("Fixed checks", "修复判定检查"),
    (" (all pass {})", "（全部通过并保持 {}）"),
    ("pass", "通过"),
    ("warn", "警告"),
    ("fail", "失败"),
    ("error", "出错"),
    ("not checked yet", "尚未检查"),
    ("fix detected {}", "已检测到修复 {}"),
    ("fix not detected yet", "尚未检测到修复"),
    ("Escalation (i)", "升级故障（i）"),
    (
        " none in this scenario (no `at: trainer` fault)",
        " 此场景没有（无 `at: trainer` 故障）",
    ),
    (" {} injected {}", " {} 已注入 {}"),
    (" {} ready", " {} 待注入"),
    (" Trainer · t hides ", " 教练 · t 隐藏 "),
    (" Trainer ", " 教练 "),
    (
        "scenario not found here: no root cause, expected path or score",
        "此处找不到场景：无根因、预期路径或得分",
    ),
    (
        " This changes the running drill:",
        " 这会改变正在进行的演练：",
    ),
    (" Type ", " 输入 "),
    (
        " and press Enter to send it. Esc cancels.",
        " 并按 Enter 发送。Esc 取消。",
    ),
    ("Confirm trainer request", "确认教练请求"),
    (" reading the postmortem…", " 正在读取事后复盘…"),
    (
        " saving the postmortem… (keys wait until the disk answers)",
        " 正在保存事后复盘…（磁盘响应前按键暂不生效）",
    ),
    (
        "saving the postmortem (the disk is slow)…",
        "正在保存事后复盘（磁盘较慢）…",
    ),
    ("postmortem saved to {}", "事后复盘已保存到 {}"),
    ("the postmortem was not saved: {}", "事后复盘未保存：{}"),
    ("cannot write {}: {}", "无法写入 {}：{}"),
];

/// `runbook diagnose`: the summary after the runs.
const ZH_DIAGNOSE: &[(&str, &str)] = &[
    ("step", "步骤"),
    ("id", "编号"),
    ("kind", "类型"),
    ("result", "结果"),
    ("time", "用时"),
    ("summary", "摘要"),
    ("command", "命令"),
    ("check", "检查"),
    ("interrupted", "已中断"),
    ("could not start", "无法启动"),
    ("no result", "无结果"),
    (
        "{} run, {} passed, {} failed; {} skipped",
        "运行 {} 项，通过 {} 项，失败 {} 项；跳过 {} 项",
    ),
    ("skipped {}/{}: {}", "已跳过 {}/{}：{}"),
    ("{} skipped: {}", "{} 项已跳过：{}"),
    ("(--verbose lists them)", "（--verbose 可列出明细）"),
    (
        "needs a typed confirmation in `runbook start`",
        "需在 `runbook start` 中输入确认",
    ),
    ("confirm: true; {}", "confirm: true；{}"),
    ("looks destructive ({}); {}", "看起来有破坏性（{}）；{}"),
    ("follow: true; {}", "follow: true；{}"),
    ("only when {} ({})", "仅当 {} 时（{}）"),
    ("{} is {}", "{} 为 {}"),
    (" or ", " 或 "),
    (" and ", " 且 "),
    (
        "they change the system and need a typed confirmation in `runbook start`",
        "它们会改动系统，需在 `runbook start` 中输入确认",
    ),
    (
        "they are for an answer not given (e.g. --answer symptom=memory-alarm)",
        "它们对应未给出的回答（例如 --answer symptom=memory-alarm）",
    ),
    (
        "they follow output until cancelled",
        "它们会持续跟随输出直到取消",
    ),
    (
        "earlier output not shown; of {} bytes printed, the journal keeps only the first and last part",
        "较早的输出未显示；共输出 {} 字节，日志只保留开头和结尾部分",
    ),
    (
        "{} earlier line(s) not shown; all are in the journal",
        "较早的 {} 行未显示；日志中都有",
    ),
    ("journal: {}", "日志：{}"),
    (
        "webhooks: {} sent, {} failed",
        "webhook：已发送 {} 条，失败 {} 条",
    ),
    (
        "interrupted by {}: running commands were cancelled",
        "被 {} 中断：正在运行的命令已取消",
    ),
];

/// `runbook history`: the table (the locale's language).
const ZH_HISTORY: &[(&str, &str)] = &[
    ("STARTED (UTC)", "开始时间（UTC）"),
    ("TITLE", "标题"),
    ("RUNBOOK", "预案"),
    ("MODE", "模式"),
    ("STATE", "状态"),
    ("DURATION", "时长"),
    ("OVER", "超限"),
    ("FILE", "文件"),
    ("NOTE", "备注"),
    ("open", "进行中"),
    ("abandoned", "已搁置"),
    ("unreadable", "无法读取"),
    ("No incidents in {}\n", "{} 中没有事件\n"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// An English text has one Chinese here: a second entry would never be
    /// found (the first wins), so it is a mistake.
    #[test]
    fn each_text_once() {
        let mut seen = std::collections::HashSet::new();
        for (e, _) in TABLES.iter().flat_map(|t| t.iter()) {
            assert!(seen.insert(*e), "twice: {e:?}");
        }
    }

    /// Chinese never starts with closing punctuation, and uses full-width
    /// colons after Chinese text.
    #[test]
    fn chinese_punctuation() {
        for (_, z) in TABLES.iter().flat_map(|t| t.iter()) {
            assert!(!z.starts_with(['：', '，', '。', '）']), "{z:?}");
            let cjk_colon = z
                .char_indices()
                .filter(|(_, c)| *c == ':')
                .filter_map(|(i, _)| z[..i].chars().last())
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(!cjk_colon, "half-width colon after Chinese: {z:?}");
        }
    }
}
