//! The program's own words in the operator's language: English and Chinese.
//!
//! An incident speaks its runbook's language (`lang:` in the runbook,
//! journaled in `incident_opened`, so review and report speak it too);
//! messages outside an incident follow `LC_ALL`, `LC_MESSAGES`, `LANG`.
//!
//! The English text is the key (as in gettext): `tr(lang, "Steps")` is
//! "Steps" in English and its entry in [`zh`] in Chinese; a text missing
//! from the table stays English (a lib test finds every `tr(…, "…")` in the
//! sources and fails if one has no Chinese). Texts with values use `{}`
//! placeholders filled in order by [`trf`]. Ids (step ids, choice ids,
//! journal fields) are never translated.

mod cli;
mod danger;
mod drill;
mod probe;
mod surfaces;
mod webhook;

/// A language the program speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese (simplified).
    Zh,
}

impl Lang {
    /// `zh…` is Chinese, anything else English.
    pub fn from_tag(tag: Option<&str>) -> Lang {
        if tag.is_some_and(|l| l.trim().to_ascii_lowercase().starts_with("zh")) {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// `en` or `zh`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The locale's language (`LC_ALL`, then `LC_MESSAGES`, then `LANG`),
    /// for messages outside an incident.
    pub fn from_env() -> Lang {
        Lang::from_tag(locale_tag().as_deref())
    }

    /// An incident's language: as journaled, else (older journals) guessed
    /// from its runbook (`…-zh`, or a title in Chinese).
    pub fn of_incident(inc: &crate::incident::Incident) -> Lang {
        if !inc.lang.is_empty() {
            return Lang::from_tag(Some(&inc.lang));
        }
        let cjk = inc
            .runbook
            .title
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        if inc.runbook.id.ends_with("-zh") || cjk {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// The locale's language tag as set (`zh_CN.UTF-8`): `LC_ALL`, then
/// `LC_MESSAGES`, then `LANG`, the first that is set and not empty. It
/// chooses the program's messages, the default runbook and a drill's brief.
pub fn locale_tag() -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

/// `en` in `lang`.
pub fn tr(lang: Lang, en: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh(en).unwrap_or(en),
    }
}

/// [`tr`] of a text that is not a literal at the call (a key help line, a
/// form label): the caller's table has a test that each has its Chinese.
pub fn tr_dyn(lang: Lang, en: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Zh => zh(en).unwrap_or(en).to_string(),
    }
}

/// `en` in `lang` with each `{}` replaced by the next of `args`.
pub fn trf(lang: Lang, en: &'static str, args: &[&dyn std::fmt::Display]) -> String {
    filled(tr(lang, en), args.iter().map(|a| a.to_string()))
}

/// `template` with each `{}` replaced by the next of `values`.
fn filled(template: &str, mut values: impl Iterator<Item = String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        out.extend(values.next());
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// A reason the program worded in English where it judged (the danger
/// net's, why a command needs a typed confirmation; why a webhook message
/// failed), in `lang`: the whole text is matched against the templates of
/// [`danger::ZH_DANGER`] and [`webhook::ZH_WEBHOOK`] (`{}` is
/// any text, no stray backtick inside backticks) and the values, themselves
/// translated when they are reasons too, fill the Chinese. A whole reason
/// that is a text of the tables (`timed out`) takes its Chinese; a text
/// nothing matches is returned as it is.
pub fn tr_said(lang: Lang, text: &str) -> String {
    said(lang, text, 0)
}

fn said(lang: Lang, text: &str, depth: usize) -> String {
    if lang == Lang::En || depth > 4 {
        return text.to_string();
    }
    for (en, zh) in danger::ZH_DANGER.iter().chain(webhook::ZH_WEBHOOK) {
        if let Some(values) = fill(en, text) {
            return filled(zh, values.into_iter().map(|v| said(lang, v, depth + 1)));
        }
    }
    // Only the whole reason: a value (a command word in backticks) is never
    // looked up as a text of its own.
    match zh(text) {
        Some(z) if depth == 0 && !text.contains("{}") => z.to_string(),
        _ => text.to_string(),
    }
}

/// The values that make `template` read `text` (each `{}` at least one
/// character, the shortest that lets the next literal follow), or `None`.
fn fill<'t>(template: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let parts: Vec<&str> = template.split("{}").collect();
    let (first, literals) = parts.split_first()?;
    let mut rest = text.strip_prefix(first)?;
    let mut values = Vec::with_capacity(literals.len());
    let mut before = *first;
    for (i, lit) in literals.iter().enumerate() {
        let value = if i + 1 == literals.len() {
            let v = rest.strip_suffix(lit)?;
            rest = "";
            v
        } else {
            let skip = rest.chars().next()?.len_utf8();
            let at = rest[skip..].find(lit)? + skip;
            let v = &rest[..at];
            rest = &rest[at + lit.len()..];
            v
        };
        // Inside backticks a value holds no backtick, unless it is itself
        // one quoted whole (a command substitution as written).
        let quoted = before.ends_with('`') && lit.starts_with('`');
        let whole = value.len() > 1 && value.starts_with('`') && value.ends_with('`');
        if value.is_empty() || (quoted && value.contains('`') && !whole) {
            return None;
        }
        values.push(value);
        before = lit;
    }
    rest.is_empty().then_some(values)
}

/// The Chinese of an English text, if it has one.
pub fn zh(en: &str) -> Option<&'static str> {
    tables().find(|(e, _)| *e == en).map(|(_, z)| *z)
}

/// Every table: the live screen's ([`ZH`]) and the other surfaces' (reports,
/// review, diagnose, history, in [`surfaces`]).
fn tables() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    ZH.iter()
        .chain(surfaces::TABLES.iter().flat_map(|t| t.iter()))
}

/// English → Chinese. Keep it sorted by where the text is used.
const ZH: &[(&str, &str)] = &[
    // The live screen: header, panes, footer.
    ("(untitled incident)", "（未命名事件）"),
    (" RESOLVED ", " 已解决 "),
    (" LIVE ", " 实战 "),
    (" · saving…", " · 保存中…"),
    (" left", " 剩余"),
    ("Steps", "步骤"),
    ("Output", "输出"),
    ("Guide", "说明"),
    ("Checklist", "检查清单"),
    ("Commands", "命令"),
    ("Checks", "检查"),
    ("Notes", "备注"),
    ("Question", "问题"),
    // Webhook targets that cannot be used (first screen, journal).
    ("the runbook's notify", "预案的 notify"),
    ("the config file's notify", "配置文件的 notify"),
    ("the scenario's notify", "场景的 notify"),
    ("{}: {}; not used", "{}：{}；未使用"),
    ("`{}` is not a URL: {}", "`{}` 不是 URL：{}"),
    (
        "`{}` is not an http(s) URL (scheme `{}`)",
        "`{}` 不是 http(s) URL（scheme 为 `{}`）",
    ),
    ("`{}` has no host", "`{}` 没有主机名"),
    // The broker panel.
    (" Broker (b) ", " Broker (b) "),
    ("polling every 5 s", "每 5 秒轮询一次"),
    ("polling…", "轮询中…"),
    ("alarms: none", "告警：无"),
    ("ALARM {} on {}", "告警 {}，节点 {}"),
    ("mem  ", "内存 "),
    ("disk ", "磁盘 "),
    ("{} free (min {})", "剩余 {}（下限 {}）"),
    ("conns ", "连接 "),
    ("  {} blocked", "  {} 个被阻塞"),
    ("msgs ", "消息 "),
    ("{} ({} ready, {} unacked)", "{}（{} 待投递，{} 未确认）"),
    ("rate pub {}/s  deliver {}/s", "速率 发布 {}/s  投递 {}/s"),
    (" (no consumer)", "（无消费者）"),
    // Footer key hints.
    (
        "type the id · Enter confirm · Esc cancel",
        "输入 id · Enter 确认 · Esc 取消",
    ),
    (
        "Ctrl-S or Enter on empty line: save · Esc cancel",
        "Ctrl-S 或在空行按 Enter 保存 · Esc 取消",
    ),
    (
        "↑↓ choose · Space marks several · Enter answer · q back",
        "↑↓ 选择 · 空格可多选 · Enter 回答 · q 返回",
    ),
    ("any key closes the help", "按任意键关闭帮助"),
    ("any key starts the drill", "按任意键开始演练"),
    (
        "Enter takes the next hint (costs points) · any other key closes",
        "Enter 查看下一条提示（扣分）· 其他键关闭",
    ),
    (
        "Tab next field · Ctrl-S or Enter (on an empty line) saves · Esc cancels",
        "Tab 下一项 · Ctrl-S 或（在空行）Enter 保存 · Esc 取消",
    ),
    (
        "y or q quits · any other key stays",
        "y 或 q 退出 · 其他键留下",
    ),
    ("Enter ok · Esc cancel", "Enter 确定 · Esc 取消"),
    (
        "Enter start step · d done · s skip · n note · Tab focus · ? help · q quit",
        "Enter 开始步骤 · d 完成 · s 跳过 · n 备注 · Tab 切换 · ? 帮助 · q 退出",
    ),
    (
        "Enter run/tick · a run all · x cancel · d done · n note · ? help · q quit",
        "Enter 运行/勾选 · a 全部运行 · x 取消 · d 完成 · n 备注 · ? 帮助 · q 退出",
    ),
    (
        "↑↓ PgUp PgDn scroll · G follow · / ^N ^P search · w wrap · z zoom · ? help",
        "↑↓ PgUp PgDn 滚动 · G 跟随 · / ^N ^P 搜索 · w 换行 · z 放大 · ? 帮助",
    ),
    // Messages in the footer.
    (
        "nothing running here to cancel",
        "这里没有正在运行的命令可取消",
    ),
    (
        "mouse: the wheel scrolls the output (m frees it for selecting text)",
        "鼠标：滚轮滚动输出（按 m 释放鼠标以选择文字）",
    ),
    (
        "mouse: free — drag to select and copy text (m gives the wheel back)",
        "鼠标：已释放——拖动可选择并复制文字（按 m 恢复滚轮）",
    ),
    ("note saved", "备注已保存"),
    (
        "update saved; no webhook is set up, so it went nowhere else",
        "进展已保存；未配置 webhook，没有发送到别处",
    ),
    (
        "update saved; sending it to 1 webhook",
        "进展已保存，正在发送到 1 个 webhook",
    ),
    (
        "update saved; sending it to {} webhooks",
        "进展已保存，正在发送到 {} 个 webhook",
    ),
    (
        "incident resolved — q to quit, or keep adding notes",
        "事件已解决——按 q 退出，或继续添加备注",
    ),
    ("severity and impact saved", "严重级别和影响已保存"),
    (
        "a skip needs a reason; nothing skipped",
        "跳过需要填写原因；没有跳过",
    ),
    ("cancelled — command not run", "已取消——命令未运行"),
    (
        "paste ignored: no text field is open (n writes a note)",
        "粘贴已忽略：没有打开的文本框（按 n 写备注）",
    ),
    (
        "“{}” is not “{}” — command not run",
        "“{}”与“{}”不一致——命令未运行",
    ),
    (
        "no active step: press Enter on a step to start it",
        "没有进行中的步骤：在步骤上按 Enter 开始",
    ),
    (
        "all steps done — press R to resolve the incident",
        "所有步骤已完成——按 R 结束事件",
    ),
    ("started {} runs", "已启动 {} 个运行"),
    (
        "; {} left for you (confirmation or follow)",
        "；{} 个留给你手动运行（需确认或持续跟踪）",
    ),
    // Dialogs.
    (" any key closes this help", " 按任意键关闭帮助"),
    (
        " Quit? The incident stays open; `{}` continues it.",
        " 退出？事件保持未结束，`{}` 可继续。",
    ),
    (
        " y / q: quit    any other key: stay",
        " y / q：退出    其他键：留下",
    ),
    ("Quit", "退出"),
    (" This command changes the system:", " 此命令会改动系统："),
    (
        " and press Enter to run it. Esc cancels.",
        " 并按 Enter 运行。Esc 取消。",
    ),
    ("Confirm dangerous command", "确认危险命令"),
    ("Note", "备注"),
    (
        " Ctrl-S or Enter on an empty line saves · Esc cancels",
        " Ctrl-S 或在空行按 Enter 保存 · Esc 取消",
    ),
    ("Status update", "进展通报"),
    (
        " For the people outside. Journaled as an update; no webhook is set up, so it is sent nowhere. Ctrl-S or Enter on an empty line saves · Esc cancels",
        " 写给外部相关人员。记入日志并标为进展；未配置 webhook，不会发送。Ctrl-S 或在空行按 Enter 保存 · Esc 取消",
    ),
    (
        " For the people outside: journaled and sent to {} webhook(s). Ctrl-S or Enter on an empty line sends · Esc cancels",
        " 写给外部相关人员：记入日志并发送到 {} 个 webhook。Ctrl-S 或在空行按 Enter 发送 · Esc 取消",
    ),
    ("Resolve the incident", "结束事件"),
    (
        " Summary of the resolution. Ctrl-S or Enter on an empty line saves · Esc cancels",
        " 解决情况小结。Ctrl-S 或在空行按 Enter 保存 · Esc 取消",
    ),
    ("Skip step", "跳过步骤"),
    (
        " Why is this step skipped? Enter saves · Esc cancels",
        " 为什么跳过这一步？Enter 保存 · Esc 取消",
    ),
    ("Incident title", "事件标题"),
    (
        " Incident title (Enter saves; Esc leaves it as it is; may be empty)",
        " 事件标题（Enter 保存；Esc 保持不变；可以为空）",
    ),
    ("Search output", "搜索输出"),
    (
        " Text to find (case-insensitive) · Enter · Esc",
        " 要查找的文字（不区分大小写）· Enter · Esc",
    ),
    ("Answer", "回答"),
    (
        " {} running command(s) will be cancelled.",
        " {} 个正在运行的命令将被取消。",
    ),
    (" Why: {}", " 原因：{}"),
    // Forms.
    ("  1–4 · 0 none", "  1–4 · 0 清除"),
    (
        " Tab next field · Ctrl-S saves · Esc cancels",
        " Tab 下一项 · Ctrl-S 保存 · Esc 取消",
    ),
    ("New incident", "新事件"),
    ("Severity and impact", "严重级别和影响"),
    (
        "Postmortem (saved beside the journal)",
        "事后复盘（保存在日志旁）",
    ),
    ("what is broken, for whom", "什么坏了，影响了谁"),
    ("who or what is affected", "受影响的人或系统"),
    ("who or what was affected", "受影响的人或系统"),
    ("Problem started", "故障开始时间"),
    (
        "when it began: 14:05, 2026-12-03 14:05, or 20m ago (empty: not known)",
        "开始时间：14:05、2026-12-03 14:05 或 20m ago（留空：未知）",
    ),
    ("Resolution summary", "解决情况小结"),
    ("what fixed it (required)", "是什么解决了问题（必填）"),
    (
        "why it happened, as far as known",
        "就目前所知，为什么会发生",
    ),
    ("why it happened", "为什么会发生"),
    ("what slowed the response down", "什么拖慢了处置"),
    (
        "one per line; @owner at the end names who owns it",
        "每行一项；末尾写 @负责人",
    ),
    // Panes and status.
    (
        "Select a command or check and press Enter to run it; its output appears here.",
        "选中一个命令或检查并按 Enter 运行，输出会显示在这里。",
    ),
    (
        "interrupted (program stopped while it ran)",
        "已中断（运行时程序停止了）",
    ),
    ("host: sampling…", "主机：采样中…"),
    ("{} running {}", "{} 运行中 {}"),
    ("killed by signal {} · {}", "被信号 {} 终止 · {}"),
    ("timed out · {}", "超时 · {}"),
    ("cancelled · {}", "已取消 · {}"),
    (
        " ✔ Service restored (drill) — go on to the root cause, or resolve (R) ",
        " ✔ 服务已恢复（演练）——继续查根因，或结束事件（R） ",
    ),
    (" · hints {}/{} (h)", " · 提示 {}/{} (h)"),
    (
        " ✖ JOURNAL WRITE FAILED: {} — {} event(s) held in memory, retrying every second ",
        " ✖ 日志写入失败：{} —— {} 个事件暂存在内存中，每秒重试 ",
    ),
    (
        " ⚠ OVER BUDGET: step {} {} — {} of {}. Escalate, skip (s) or move on (d) ",
        " ⚠ 超时：第 {} 步 {} —— 已用 {}，时限 {}。请升级处理、跳过（s）或继续（d） ",
    ),
    (
        " ⏸ DRILL PAUSED: the live broker changed during the drill ({}); nothing touches it ",
        " ⏸ 演练已暂停：演练期间生产 broker 有变化（{}）；演练不会碰它 ",
    ),
    ("(Enter to answer)", "（按 Enter 回答）"),
    ("(follows until x)", "（持续跟踪，按 x 停止）"),
    (
        " (not started — Enter in the step list starts it)",
        " （未开始——在步骤列表中按 Enter 开始）",
    ),
    ("▲ more above — ↑ scrolls up", "▲ 上面还有 —— ↑ 向上滚动"),
    ("▲ more above", "▲ 上面还有"),
    ("▼ more below — ↓ or Enter", "▼ 下面还有 —— ↓ 或 Enter"),
    ("▼ more below", "▼ 下面还有"),
    (" (skipped: {})", " （已跳过：{}）"),
    // Key help (`?`).
    (
        "move in the focused pane (↑ at the top: the guide)",
        "在当前窗格中移动（在顶部按 ↑：说明）",
    ),
    (
        "focus steps → detail → output",
        "切换焦点：步骤 → 详情 → 输出",
    ),
    (
        "run command/check · tick item · answer · start step",
        "运行命令/检查 · 勾选 · 回答 · 开始步骤",
    ),
    (
        "run all safe commands and checks of the active step",
        "运行当前步骤所有安全的命令和检查",
    ),
    (
        "cancel the selected running command",
        "取消选中的运行中命令",
    ),
    (
        "note · status update, also sent to the webhooks",
        "备注 · 进展通报（同时发到 webhook）",
    ),
    (
        "complete the active step and go to the next",
        "完成当前步骤并进入下一步",
    ),
    (
        "skip the active step (asks why)",
        "跳过当前步骤（需填写原因）",
    ),
    (
        "resolve: summary, root cause, helped/hurt, action items",
        "结束：小结、根因、做得好/拖后腿、改进项",
    ),
    (
        "search the output · next · previous match",
        "搜索输出 · 下一个 · 上一个匹配",
    ),
    (
        "scroll output · top · bottom (follow)",
        "滚动输出 · 顶部 · 底部（跟随）",
    ),
    (
        "incident title · severity, impact, when it started",
        "事件标题 · 严重级别、影响、开始时间",
    ),
    (
        "wrap long output lines, or cut them",
        "长行自动换行，或截断",
    ),
    (
        "focused pane (detail or output) full screen, or back",
        "当前窗格（详情或输出）全屏，或还原",
    ),
    ("show or hide the broker panel", "显示或隐藏 broker 面板"),
    (
        "mouse: wheel scrolls output, or free to select and copy",
        "鼠标：滚轮滚动输出，或释放以选择复制",
    ),
    (
        "drill: the brief and hints (a hint costs points)",
        "演练：简报和提示（提示会扣分）",
    ),
    (
        "quit (the incident stays resumable)",
        "退出（事件可恢复继续）",
    ),
    // Messages of the live screen: search, paste, forms, webhooks.
    (
        " ↑ {} more below — G to follow ",
        " ↑ 下方还有 {} 行 —— G 跟随最新 ",
    ),
    (
        "runbook: terminal {}×{} is too small (need {}×{}). The incident keeps running; enlarge the window.",
        "runbook：终端 {}×{} 太小（至少需要 {}×{}）。事件仍在进行，请放大窗口。",
    ),
    ("no match for “{}”", "未找到“{}”"),
    (" (and {} more; see the journal)", "（另有 {} 条，见日志）"),
    (
        "webhook failed ({} → {}): {}",
        "webhook 发送失败（{} → {}）：{}",
    ),
    (
        "a resolution needs a summary (the first field)",
        "解决事件需要填写总结（第一栏）",
    ),
    (
        "`{}` is not a time: write 14:05, 2026-12-03 14:05 or 20m ago",
        "`{}` 不是时间：请写 14:05、2026-12-03 14:05 或 20m ago",
    ),
    ("`{}` is in the future", "`{}` 是将来的时间"),
    (
        "paste ignored: this field takes 1–4 (Tab moves to a text field)",
        "粘贴已忽略：此栏只接受 1–4（Tab 移到文本栏）",
    ),
    (
        "paste cut: {} of {} characters kept (this field holds {} KiB)",
        "粘贴已截断：保留 {} 个字符，共 {} 个（此栏最多 {} KiB）",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_has_two_translations() {
        let mut seen = std::collections::BTreeMap::new();
        for (e, z) in tables() {
            if let Some(other) = seen.insert(*e, *z) {
                assert_eq!(other, *z, "{e:?} is translated twice, differently");
                panic!("{e:?} is in two tables: keep one");
            }
        }
    }

    #[test]
    fn english_is_the_key_and_chinese_the_value() {
        assert_eq!(tr(Lang::En, "Steps"), "Steps");
        assert_eq!(tr(Lang::Zh, "Steps"), "步骤");
        assert_eq!(tr(Lang::Zh, "not in the table"), "not in the table");
        assert_eq!(trf(Lang::En, "{} of {}", &[&1, &"two"]), "1 of two");
    }

    #[test]
    fn every_text_the_sources_translate_has_its_chinese() {
        let mut missing = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n.rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    for key in keys(&text) {
                        if zh(&key).is_none() {
                            missing.push(format!("{}: {key:?}", p.display()));
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "texts without Chinese:\n{}",
            missing.join("\n")
        );
        assert!(tables().all(|(e, z)| !e.is_empty() && !z.is_empty()));
        for (e, z) in tables() {
            assert_eq!(
                e.matches("{}").count(),
                z.matches("{}").count(),
                "placeholders differ: {e:?} / {z:?}"
            );
        }
    }

    /// The string literals passed to `tr(` and `trf(` (first argument a
    /// language, second a literal).
    fn keys(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for pat in ["tr(", "trf("] {
            let mut rest = text;
            while let Some(i) = rest.find(pat) {
                let before = rest[..i].chars().last();
                rest = &rest[i + pat.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let Some(q) = rest.find('"') else { break };
                // The literal must come right after `lang, ` (no other `(`).
                let first_arg = rest[..q].trim_end();
                if !first_arg.ends_with(',') || first_arg.contains([';', '"', '{', '}']) {
                    continue;
                }
                let lit = &rest[q + 1..];
                let mut s = String::new();
                let mut chars = lit.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some(o) => s.push(o),
                            None => break,
                        },
                        '"' => break,
                        c => s.push(c),
                    }
                }
                if s != "not in the table" && s != "{} of {}" {
                    out.push(s);
                }
            }
        }
        out
    }
}
