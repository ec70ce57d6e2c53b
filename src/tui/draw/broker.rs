//! The live broker panel, fed by background polls of the management API.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::i18n::{Lang, tr, trf};
use crate::text::human_bytes;
use crate::tui::app::App;
use crate::tui::draw::panes::{fit, pane};
use crate::tui::theme;

/// Draws the broker panel.
pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang();
    let block = pane(tr(lang, " Broker (b) ").into(), false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(err) = &app.broker.error {
        lines.push(Line::from(Span::styled(
            fit(&format!("✖ {err}"), w * 6),
            Style::new().fg(Color::Red),
        )));
        lines.push(Line::from(Span::styled(
            tr(lang, "polling every 5 s"),
            theme::dim(),
        )));
    }
    match &app.broker.snapshot {
        None if app.broker.error.is_none() => {
            lines.push(Line::from(Span::styled(tr(lang, "polling…"), theme::dim())));
        }
        None => {}
        Some(s) => lines.extend(snapshot_lines(s, &app.runbook.thresholds, w, lang)),
    }
    frame.render_widget(super::wrap::paragraph(lines, inner.width), inner);
}

/// The panel's lines for one snapshot, coloured against the thresholds.
pub fn snapshot_lines(
    s: &crate::probe::broker::BrokerSnapshot,
    t: &crate::runbook::Thresholds,
    width: usize,
    lang: Lang,
) -> Vec<Line<'static>> {
    let red = Style::new()
        .fg(Color::Red)
        .add_modifier(ratatui::style::Modifier::BOLD);
    let yellow = Style::new().fg(Color::Yellow);
    let green = Style::new().fg(Color::Green);
    let mut out = Vec::new();
    out.push(Line::from(vec![
        Span::styled(
            if s.running { "● " } else { "✖ " },
            if s.running { green } else { red },
        ),
        Span::raw(fit(
            &format!("{} {}", s.node, s.version),
            width.saturating_sub(2),
        )),
    ]));
    if s.alarms.is_empty() {
        out.push(Line::from(Span::styled(tr(lang, "alarms: none"), green)));
    } else {
        for a in &s.alarms {
            out.push(Line::from(Span::styled(
                fit(&trf(lang, "ALARM {} on {}", &[&a.resource, &a.node]), width),
                red,
            )));
        }
    }
    let mem_pct = pct(s.mem_used, s.mem_limit);
    out.push(Line::from(vec![
        Span::raw(tr(lang, "mem  ")),
        Span::styled(
            format!(
                "{mem_pct:.0}% {}/{}",
                human_bytes(s.mem_used),
                human_bytes(s.mem_limit)
            ),
            if mem_pct >= 100.0 {
                red
            } else if mem_pct >= 80.0 {
                yellow
            } else {
                green
            },
        ),
    ]));
    let disk_low = s.disk_free <= s.disk_free_limit;
    out.push(Line::from(vec![
        Span::raw(tr(lang, "disk ")),
        Span::styled(
            trf(
                lang,
                "{} free (min {})",
                &[&human_bytes(s.disk_free), &human_bytes(s.disk_free_limit)],
            ),
            if disk_low {
                red
            } else if s.disk_free < s.disk_free_limit.saturating_mul(2) {
                yellow
            } else {
                green
            },
        ),
    ]));
    out.push(Line::from(vec![
        Span::raw(tr(lang, "conns ")),
        Span::styled(
            format!("{}", s.connections),
            if s.connections > t.connections {
                red
            } else {
                green
            },
        ),
        if s.blocked.is_empty() {
            Span::raw("")
        } else {
            Span::styled(trf(lang, "  {} blocked", &[&s.blocked.len()]), red)
        },
    ]));
    let backlog = s.top_queues.iter().any(|q| q.messages > t.queue_backlog);
    out.push(Line::from(vec![
        Span::raw(tr(lang, "msgs ")),
        Span::styled(
            trf(
                lang,
                "{} ({} ready, {} unacked)",
                &[&s.messages, &s.messages_ready, &s.messages_unacked],
            ),
            if backlog { red } else { Style::new() },
        ),
    ]));
    out.push(Line::from(trf(
        lang,
        "rate pub {}/s  deliver {}/s",
        &[
            &format!("{:.1}", s.publish_rate),
            &format!("{:.1}", s.deliver_rate),
        ],
    )));
    for q in s.top_queues.iter().take(5) {
        let style = if q.messages > t.queue_backlog {
            red
        } else if q.consumers == 0 && q.messages > 0 {
            yellow
        } else {
            Style::new()
        };
        let label = format!(
            "{:>7} {}{}",
            q.messages,
            q.name,
            if q.consumers == 0 {
                tr(lang, " (no consumer)")
            } else {
                ""
            }
        );
        out.push(Line::from(Span::styled(fit(&label, width), style)));
    }
    out
}

fn pct(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 * 100.0 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::broker::BrokerSnapshot;
    use crate::probe::stats::QueueFigures;

    fn text(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The panel's words follow the incident's language; the figures, node
    /// and queue names are the same in both.
    #[test]
    fn the_panel_speaks_the_incidents_language() {
        let s = BrokerSnapshot {
            node: "rabbit@db1".into(),
            running: true,
            version: "3.13.7".into(),
            mem_used: 512 << 20,
            mem_limit: 1 << 30,
            disk_free: 10 << 30,
            disk_free_limit: 50 << 20,
            connections: 12,
            blocked: vec!["c1".into()],
            messages: 30,
            messages_ready: 20,
            messages_unacked: 10,
            top_queues: vec![QueueFigures {
                vhost: "/".into(),
                name: "orders".into(),
                messages: 30,
                ready: 20,
                unacked: 10,
                consumers: 0,
            }],
            ..BrokerSnapshot::default()
        };
        let t = crate::runbook::Thresholds::default();
        let en = text(&snapshot_lines(&s, &t, 60, Lang::En));
        let zh = text(&snapshot_lines(&s, &t, 60, Lang::Zh));
        for want in [
            "alarms: none",
            "mem  50%",
            "free (min",
            "1 blocked",
            "(no consumer)",
        ] {
            assert!(en.contains(want), "{want:?} in\n{en}");
        }
        for want in [
            "告警：无",
            "内存 50%",
            "剩余",
            "1 个被阻塞",
            "orders（无消费者）",
            "rabbit@db1 3.13.7",
        ] {
            assert!(zh.contains(want), "{want:?} in\n{zh}");
        }
        for english in ["alarms", "free", "blocked", "ready", "consumer"] {
            assert!(!zh.contains(english), "{english:?} in\n{zh}");
        }
    }
}
