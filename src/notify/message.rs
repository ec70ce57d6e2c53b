//! What a notification says, and how each target's format carries it.
//!
//! A message is built from a recorded (already masked) event and the
//! incident as folded so far: the incident's title, the step, the time since
//! the incident opened, what happened and who is on it. The text is short,
//! in the runbook's language, and free of control characters.

use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};

use super::target::{About, Kind};
use crate::incident::{Event, Incident, Mode, Record};

pub use crate::i18n::Lang;

/// Longest free text (a note, a skip reason, a summary) carried, in characters.
const MAX_TEXT: usize = 600;

/// One notification, before it is put in a target's format.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// What it is about.
    pub about: About,
    /// The journal record it comes from (0 for the opening announced at start).
    pub seq: u64,
    /// When it happened.
    pub ts: DateTime<FixedOffset>,
    /// Incident id.
    pub incident_id: String,
    /// Incident title, else the runbook's.
    pub title: String,
    /// The runbook's title.
    pub runbook: String,
    /// Live or drill.
    pub mode: Mode,
    /// `SEV1` … `SEV4`, or empty when not given.
    pub severity: String,
    /// `user@host` of the operator.
    pub who: String,
    /// The step concerned: (1-based number, id, title), and the step count.
    pub step: Option<(usize, String, String)>,
    /// Number of steps.
    pub steps: usize,
    /// Time since the incident opened, ms.
    pub elapsed_ms: u64,
    /// Spent and limit for an overrun, ms.
    pub budget: Option<(u64, u64)>,
    /// The operator's words: the update, the skip reason, the resolution.
    pub text: String,
    /// Language of the wording.
    pub lang: Lang,
}

/// Control characters out, whitespace runs kept, cut at [`MAX_TEXT`].
fn clean(s: &str) -> String {
    let plain = crate::text::strip_sgr(s);
    let mut out: String = plain.trim().chars().take(MAX_TEXT).collect();
    if plain.trim().chars().count() > MAX_TEXT {
        out.push('…');
    }
    out
}

impl Message {
    fn base(
        about: About,
        seq: u64,
        ts: DateTime<FixedOffset>,
        inc: &Incident,
        lang: Lang,
    ) -> Message {
        let title = if inc.title.trim().is_empty() {
            inc.runbook.title.clone()
        } else {
            inc.title.clone()
        };
        let elapsed_ms = u64::try_from((ts - inc.opened_at).num_milliseconds()).unwrap_or(0);
        Message {
            about,
            seq,
            ts,
            incident_id: inc.id.clone(),
            title: clean(&title),
            runbook: clean(&inc.runbook.title),
            mode: inc.mode,
            severity: clean(&inc.severity.0),
            who: clean(&format!("{}@{}", inc.user, inc.host)),
            step: None,
            steps: inc.steps.len(),
            elapsed_ms,
            budget: None,
            text: String::new(),
            lang,
        }
    }

    fn with_step(mut self, inc: &Incident, id: &str) -> Message {
        if let Some((i, s)) = inc
            .steps
            .iter()
            .enumerate()
            .find(|(_, s)| s.outline.id == id)
        {
            self.step = Some((i + 1, id.to_string(), clean(&s.outline.title)));
        } else {
            self.step = Some((0, id.to_string(), clean(id)));
        }
        self
    }

    /// The incident's opening, announced when a new incident starts.
    pub fn opened(inc: &Incident, lang: Lang) -> Message {
        Message::base(About::Opened, 1, inc.opened_at, inc, lang)
    }

    /// The notification a recorded event makes, if any, given the incident
    /// folded up to and including it. `mitigated_before` says whether a
    /// mitigation step had been completed before this record (only the
    /// first one is "mitigated").
    pub fn from_record(
        rec: &Record,
        inc: &Incident,
        lang: Lang,
        mitigated_before: bool,
    ) -> Option<Message> {
        let base = |about| Message::base(about, rec.seq, rec.ts, inc, lang);
        match &rec.event {
            Event::StepCompleted { step } => {
                let mitigation = inc
                    .steps
                    .iter()
                    .any(|s| &s.outline.id == step && s.outline.mitigation);
                let about = if mitigation && !mitigated_before {
                    About::Mitigated
                } else {
                    About::StepCompleted
                };
                Some(base(about).with_step(inc, step))
            }
            Event::StepSkipped { step, reason } => {
                let mut m = base(About::StepSkipped).with_step(inc, step);
                m.text = clean(reason);
                Some(m)
            }
            Event::BudgetOverrun {
                step,
                limit_ms,
                elapsed_ms,
            } => {
                let mut m = base(About::Overrun).with_step(inc, step);
                m.budget = Some((*elapsed_ms, *limit_ms));
                Some(m)
            }
            Event::IncidentResolved { summary } => {
                let mut m = base(About::Resolved);
                m.text = clean(summary);
                Some(m)
            }
            Event::Note {
                step,
                text,
                update: true,
            } => {
                let mut m = base(About::Update);
                if let Some(step) = step {
                    m = m.with_step(inc, step);
                }
                m.text = clean(text);
                Some(m)
            }
            _ => None,
        }
    }

    /// The headline: `[DRILL] title`.
    pub fn headline(&self) -> String {
        let drill = match (self.mode, self.lang) {
            (Mode::Drill, Lang::En) => "[DRILL] ",
            (Mode::Drill, Lang::Zh) => "【演练】",
            (Mode::Live, _) => "",
        };
        let sev = if self.severity.is_empty() {
            String::new()
        } else {
            format!("[{}] ", self.severity)
        };
        format!("{drill}{sev}{}", self.title)
    }

    fn step_words(&self) -> String {
        let Some((n, _, title)) = &self.step else {
            return String::new();
        };
        match self.lang {
            Lang::En if *n > 0 => format!("Step {n}/{} {title}", self.steps),
            Lang::Zh if *n > 0 => format!("第 {n}/{} 步「{title}」", self.steps),
            Lang::En => format!("Step {title}"),
            Lang::Zh => format!("步骤「{title}」"),
        }
    }

    /// What happened, one sentence or two, in the message's language.
    pub fn what(&self) -> String {
        let el = duration(self.elapsed_ms, self.lang);
        let step = self.step_words();
        match (self.lang, self.about) {
            (Lang::En, About::Opened) => {
                format!("Incident opened. Runbook: {}.", self.runbook)
            }
            (Lang::Zh, About::Opened) => format!("故障处理开始。运行手册：{}。", self.runbook),
            (Lang::En, About::StepCompleted) => format!("{step} done."),
            (Lang::Zh, About::StepCompleted) => format!("{step}完成。"),
            (Lang::En, About::StepSkipped) => format!("{step} skipped: {}", self.text),
            (Lang::Zh, About::StepSkipped) => format!("{step}跳过：{}", self.text),
            (Lang::En, About::Overrun) => {
                let (spent, limit) = self.budget.unwrap_or_default();
                format!(
                    "{step} is over its time limit ({} of {}). Escalate: more hands needed.",
                    duration(spent, Lang::En),
                    duration(limit, Lang::En)
                )
            }
            (Lang::Zh, About::Overrun) => {
                let (spent, limit) = self.budget.unwrap_or_default();
                format!(
                    "{step}超出时限（已用 {}，时限 {}），请升级处理、增派人手。",
                    duration(spent, Lang::Zh),
                    duration(limit, Lang::Zh)
                )
            }
            (Lang::En, About::Mitigated) => {
                format!("Mitigated after {el}: {step} done, the service should be back.")
            }
            (Lang::Zh, About::Mitigated) => {
                format!("已止损（用时 {el}）：{step}完成，服务应已恢复。")
            }
            (Lang::En, About::Resolved) => format!("Resolved after {el}: {}", self.text),
            (Lang::Zh, About::Resolved) => format!("已解决（用时 {el}）：{}", self.text),
            (Lang::En, About::Update) => format!("Update: {}", self.text),
            (Lang::Zh, About::Update) => format!("进展：{}", self.text),
        }
    }

    /// `alice@db1 · 12m 04s in · incident 2026…`
    pub fn footer(&self) -> String {
        let el = duration(self.elapsed_ms, self.lang);
        match self.lang {
            Lang::En => format!("{} · {el} in · incident {}", self.who, self.incident_id),
            Lang::Zh => format!("{} · 已用时 {el} · 事件 {}", self.who, self.incident_id),
        }
    }

    /// The message as plain text: headline, what happened, footer.
    pub fn plain(&self) -> String {
        format!("{}\n{}\n{}", self.headline(), self.what(), self.footer())
    }

    /// The request body for a target of `kind`.
    pub fn body(&self, kind: Kind) -> Value {
        match kind {
            Kind::Generic => self.generic(),
            Kind::Slack => json!({
                "text": format!(
                    "*{}*\n{}\n_{}_",
                    slack_escape(&self.headline()),
                    slack_escape(&self.what()),
                    slack_escape(&self.footer())
                ),
            }),
            Kind::Feishu => json!({
                "msg_type": "text",
                "content": { "text": self.plain() },
            }),
            Kind::Dingtalk => json!({
                "msgtype": "markdown",
                "markdown": {
                    "title": self.headline(),
                    "text": format!(
                        "#### {}\n\n{}\n\n> {}",
                        md_escape(&self.headline()),
                        md_escape(&self.what()),
                        md_escape(&self.footer())
                    ),
                },
            }),
            Kind::Wecom => json!({
                "msgtype": "markdown",
                "markdown": {
                    "content": format!(
                        "**{}**\n{}\n<font color=\"comment\">{}</font>",
                        md_escape(&self.headline()),
                        md_escape(&self.what()),
                        md_escape(&self.footer())
                    ),
                },
            }),
        }
    }

    fn generic(&self) -> Value {
        json!({
            "source": "runbook",
            "event": self.about.as_str(),
            "seq": self.seq,
            "ts": self.ts.to_rfc3339_opts(chrono::SecondsFormat::Millis, false),
            "incident": {
                "id": self.incident_id,
                "title": self.title,
                "runbook": self.runbook,
                "mode": match self.mode { Mode::Live => "live", Mode::Drill => "drill" },
                "severity": self.severity,
                "who": self.who,
            },
            "step": self.step.as_ref().map(|(n, id, title)| json!({"number": n, "id": id, "title": title})),
            "steps": self.steps,
            "elapsed_ms": self.elapsed_ms,
            "budget": self.budget.map(|(spent, limit)| json!({"spent_ms": spent, "limit_ms": limit})),
            "text": self.text,
            "summary": self.what(),
            "lang": self.lang.as_str(),
        })
    }
}

/// `12m 04s`, `1h 02m`, `45s` / `12分04秒`, `1小时02分`, `45秒`.
pub fn duration(ms: u64, lang: Lang) -> String {
    let s = ms / 1000;
    let (h, m, sec) = (s / 3600, (s / 60) % 60, s % 60);
    match lang {
        Lang::En if h > 0 => format!("{h}h {m:02}m"),
        Lang::En if m > 0 => format!("{m}m {sec:02}s"),
        Lang::En => format!("{sec}s"),
        Lang::Zh if h > 0 => format!("{h}小时{m:02}分"),
        Lang::Zh if m > 0 => format!("{m}分{sec:02}秒"),
        Lang::Zh => format!("{sec}秒"),
    }
}

/// Slack's three control characters in message text.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Markdown and HTML that an operator's words should not turn into: links,
/// headings, font tags. Escaped with a backslash or as entities.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '[' | ']' | '#' | '`' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_both_languages() {
        assert_eq!(duration(45_000, Lang::En), "45s");
        assert_eq!(duration(724_000, Lang::En), "12m 04s");
        assert_eq!(duration(3_720_000, Lang::En), "1h 02m");
        assert_eq!(duration(724_000, Lang::Zh), "12分04秒");
        assert_eq!(duration(3_720_000, Lang::Zh), "1小时02分");
    }

    #[test]
    fn cleaning_drops_controls_and_caps_length() {
        assert_eq!(clean("a\x1b[31mred\x1b[0m\x07"), "ared");
        let long = "x".repeat(5000);
        assert_eq!(clean(&long).chars().count(), MAX_TEXT + 1);
    }

    #[test]
    fn escapes_keep_words_from_turning_into_markup() {
        assert_eq!(slack_escape("<!channel> & co"), "&lt;!channel&gt; &amp; co");
        assert_eq!(
            md_escape("[x](http://e) <font>"),
            "\\[x\\](http://e) &lt;font&gt;"
        );
    }
}
