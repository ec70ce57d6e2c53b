//! The step list, the output pane and the footer.

use crate::i18n::{Lang, tr, trf};
use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::incident::{RunKind, RunState, StepStatus};
use crate::runbook::format_duration;
use crate::text::styled as ansi;
use crate::tui::app::{App, Focus};
use crate::tui::draw::{budget_style, clock};
use crate::tui::keys;
use crate::tui::theme;

/// A bordered block whose border is bright when focused.
pub fn pane(title: String, focused: bool) -> Block<'static> {
    let style = if focused {
        Style::new().fg(Color::Cyan)
    } else {
        theme::dim()
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(title, style.add_modifier(Modifier::BOLD)))
}

pub use crate::text::fit;

/// The step list: number, state, title, time against budget.
pub fn steps(app: &App, frame: &mut Frame, area: Rect, now: DateTime<FixedOffset>) {
    let inc = app.session.incident();
    let block = pane(
        format!(" {} ", tr(app.lang(), "Steps")),
        app.focus == Focus::Steps,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines = Vec::new();
    for (i, st) in inc.steps.iter().enumerate() {
        let (mark, mark_style) = match &st.status {
            StepStatus::Done => ("✓", Style::new().fg(Color::Green)),
            StepStatus::Skipped { .. } => ("↷", theme::dim()),
            StepStatus::Active if inc.current == Some(i) => {
                ("▶", Style::new().fg(Color::Cyan).bold())
            }
            StepStatus::Active => ("…", Style::new().fg(Color::Cyan)),
            StepStatus::Pending => ("·", theme::dim()),
        };
        let spent = inc.step_elapsed(i, now);
        let budget = st
            .outline
            .limit_ms
            .map(|ms| format!("/{}", format_duration(std::time::Duration::from_millis(ms))))
            .unwrap_or_default();
        let timer = if spent.as_secs() == 0 && st.status == StepStatus::Pending {
            budget.trim_start_matches('/').to_string()
        } else {
            format!("{}{}", clock(spent), budget)
        };
        let num = format!("{:>2} ", i + 1);
        // The number turns red when the latest run of something in the step
        // failed, cyan while something runs: trouble shows without opening it.
        let num_style = match step_health(inc, &st.outline.id) {
            Health::Failed => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            Health::Running => Style::new().fg(Color::Cyan),
            Health::Quiet => Style::new(),
        };
        let title_w = width.saturating_sub(num.width() + 2 + timer.width() + 1);
        let title = fit(&st.outline.title, title_w);
        let pad = title_w.saturating_sub(title.width());
        let mut style = Style::new();
        if i == app.viewed {
            style = style.add_modifier(Modifier::REVERSED);
        }
        lines.push(
            Line::from(vec![
                Span::styled(num, num_style),
                Span::styled(format!("{mark} "), mark_style),
                Span::raw(title),
                Span::raw(" ".repeat(pad + 1)),
                Span::styled(timer, budget_style(inc.budget_state(i, now))),
            ])
            .style(style),
        );
    }
    let scroll = app
        .viewed
        .saturating_sub(inner.height.saturating_sub(1) as usize) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

enum Health {
    Quiet,
    Running,
    Failed,
}

/// Whether the latest run of any command or check of a step failed or runs.
fn step_health(inc: &crate::incident::Incident, step: &str) -> Health {
    let mut latest: std::collections::HashMap<&str, &RunState> = std::collections::HashMap::new();
    for r in inc.runs.values().filter(|r| r.step == step) {
        latest.insert(r.item.as_str(), &r.state);
    }
    let failed = latest.values().any(|s| {
        matches!(
            s,
            RunState::Exited(c) if *c != 0
        ) || matches!(
            s,
            RunState::TimedOut
                | RunState::Signaled(_)
                | RunState::Check(
                    crate::incident::CheckStatus::Fail | crate::incident::CheckStatus::Error
                )
        )
    });
    if failed {
        Health::Failed
    } else if latest.values().any(|s| **s == RunState::Running) {
        Health::Running
    } else {
        Health::Quiet
    }
}

/// The selected run's output, following the tail unless scrolled up.
pub fn output(app: &App, frame: &mut Frame, area: Rect, now: DateTime<FixedOffset>) {
    let inc = app.session.incident();
    let run = app.output_run().and_then(|id| inc.runs.get(&id));
    let title = match run {
        None => format!(" {} ", tr(app.lang(), "Output")),
        Some(r) => format!(" {} — {} ", r.item, run_status(r, now, app.lang())),
    };
    let block = pane(title, app.focus == Focus::Output);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = run else {
        let hint = tr(
            app.lang(),
            "Select a command or check and press Enter to run it; its output appears here.",
        );
        frame.render_widget(
            super::wrap::paragraph([Line::from(hint)], inner.width).style(theme::dim()),
            inner,
        );
        return;
    };
    if r.kind == RunKind::Check {
        let mut lines = vec![Line::from(Span::styled(
            r.summary.clone(),
            Style::new().bold(),
        ))];
        lines.extend(r.evidence.lines().map(|l| Line::from(l.to_string())));
        frame.render_widget(super::wrap::paragraph(lines, inner.width), inner);
        return;
    }
    let Some(tail) = app.tails.get(&r.id) else {
        return;
    };
    let h = inner.height as usize;
    let len = tail.len();
    let end = len.saturating_sub(app.output.from_bottom);
    let needle = app.output.search.as_ref().map(|s| s.to_lowercase());
    let style_line = |i: usize, l: &str| {
        let mut line = ansi::styled_line(l);
        if let Some(n) = &needle
            && ansi::plain(l).to_lowercase().contains(n.as_str())
        {
            let bg = if app.output.current_match == Some(i) {
                Color::Yellow
            } else {
                Color::Cyan
            };
            line = line.style(theme::badge(bg));
        }
        line
    };
    // Walk back from the last line to show until the pane is full: only the
    // visible lines are styled (and wrapped), however long the buffer.
    let mut rows: Vec<Line> = Vec::with_capacity(h);
    for (i, l) in tail.lines().enumerate().take(end).rev() {
        if rows.len() >= h {
            break;
        }
        let line = style_line(i, l);
        if app.wrap_output {
            let mut wrapped = super::wrap::wrap(&line, inner.width as usize, 2);
            while let Some(row) = wrapped.pop() {
                rows.push(row);
            }
        } else {
            rows.push(line);
        }
    }
    rows.truncate(h);
    rows.reverse();
    let lines = rows;
    frame.render_widget(Paragraph::new(lines), inner);
    if app.output.from_bottom > 0 && inner.height > 0 {
        let note = trf(
            app.lang(),
            " ↑ {} more below — G to follow ",
            &[&app.output.from_bottom],
        );
        let w = (note.width() as u16).min(inner.width);
        let r = Rect {
            x: inner.x + inner.width - w,
            y: inner.y + inner.height - 1,
            width: w,
            height: 1,
        };
        frame.render_widget(Paragraph::new(note).style(theme::badge(Color::Blue)), r);
    }
}

/// One-word status of a run with its duration or a spinner.
pub fn run_status(r: &crate::incident::Run, now: DateTime<FixedOffset>, lang: Lang) -> String {
    let dur = crate::tui::draw::run_duration(r.duration_ms);
    match &r.state {
        RunState::Running => {
            let secs = (now - r.started_at).num_milliseconds().max(0) as u64;
            trf(
                lang,
                "{} running {}",
                &[
                    &spinner(now),
                    &clock(std::time::Duration::from_millis(secs)),
                ],
            )
        }
        RunState::Exited(code) => format!("{} · {dur}", trf(lang, "exit {}", &[code])),
        RunState::Signaled(sig) => trf(lang, "killed by signal {} · {}", &[sig, &dur]),
        RunState::TimedOut => trf(lang, "timed out · {}", &[&dur]),
        RunState::Cancelled => trf(lang, "cancelled · {}", &[&dur]),
        RunState::Interrupted => tr(lang, "interrupted (program stopped while it ran)").to_string(),
        RunState::LaunchFailed => trf(lang, "could not start: {}", &[&r.summary]),
        RunState::Check(status) => {
            let word = match status {
                crate::incident::CheckStatus::Pass => tr(lang, "pass"),
                crate::incident::CheckStatus::Warn => tr(lang, "warn"),
                crate::incident::CheckStatus::Fail => tr(lang, "fail"),
                crate::incident::CheckStatus::Error => tr(lang, "error"),
            };
            format!("{word} · {dur}")
        }
    }
}

/// A spinner frame that changes every second (the screen redraws once a second at idle).
pub fn spinner(now: DateTime<FixedOffset>) -> &'static str {
    const FRAMES: [&str; 4] = ["◐", "◓", "◑", "◒"];
    FRAMES[(now.timestamp() as usize) % 4]
}

/// Host figures coloured against thresholds, then the key hints.
pub fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.runbook.thresholds;
    let level = |v: f64, warn: f64, crit: Option<f64>| {
        if crit.is_some_and(|c| v >= c) || v >= warn.max(0.0) + (100.0 - warn) / 2.0 {
            Style::new().fg(Color::Red).bold()
        } else if v >= warn {
            Style::new().fg(Color::Yellow).bold()
        } else {
            Style::new().fg(Color::Green)
        }
    };
    let crit = t.critical.clone().unwrap_or_default();
    let host = match &app.host {
        None => Line::from(Span::styled(
            format!(" {}", tr(app.lang(), "host: sampling…")),
            theme::dim(),
        )),
        Some(h) => Line::from(vec![
            Span::raw(" CPU "),
            Span::styled(
                format!("{:>3.0}%", h.cpu_percent),
                level(h.cpu_percent, t.cpu_percent, crit.cpu_percent),
            ),
            Span::raw("  MEM "),
            Span::styled(
                format!("{:>3.0}%", h.memory_percent),
                level(h.memory_percent, t.memory_percent, crit.memory_percent),
            ),
            Span::raw("  DISK "),
            Span::styled(
                format!("{:>3.0}%", h.disk_percent),
                level(h.disk_percent, t.disk_percent, crit.disk_percent),
            ),
            Span::styled(format!(" {}", h.disk_mount), theme::dim()),
            Span::raw(format!("  LOAD {:.2}", h.load1)),
        ]),
    };
    let keys = Line::from(Span::styled(format!(" {}", keys::hints(app)), theme::dim()));
    frame.render_widget(Paragraph::new(vec![host, keys]), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{CheckStatus, Run, RunKind};

    fn run(state: RunState) -> Run {
        let at = DateTime::parse_from_rfc3339("2026-12-03T10:00:00+00:00").unwrap();
        Run {
            id: Default::default(),
            step: "confirm".into(),
            item: "status".into(),
            kind: RunKind::Command,
            check_kind: String::new(),
            command_line_or_target: String::new(),
            pid: None,
            started_at: at,
            finished_at: Some(at),
            state,
            output: String::new(),
            summary: String::new(),
            evidence: String::new(),
            duration_ms: Some(1500),
            bytes: 0,
            truncated: false,
        }
    }

    /// A finished run's status line speaks the incident's language.
    #[test]
    fn a_runs_status_is_in_the_incidents_language() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T10:00:05+00:00").unwrap();
        let exited = run(RunState::Exited(0));
        let passed = run(RunState::Check(CheckStatus::Pass));
        assert!(run_status(&exited, at, Lang::En).starts_with("exit 0 · "));
        assert!(run_status(&exited, at, Lang::Zh).starts_with("退出码 0 · "));
        assert!(run_status(&passed, at, Lang::En).starts_with("pass · "));
        assert!(run_status(&passed, at, Lang::Zh).starts_with("通过 · "));
    }
}
