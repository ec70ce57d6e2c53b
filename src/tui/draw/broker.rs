//! The live broker panel, fed by background polls of the management API.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::text::human_bytes;
use crate::tui::app::App;
use crate::tui::draw::panes::{fit, pane};
use crate::tui::theme;

/// Draws the broker panel.
pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let block = pane(" Broker (b) ".into(), false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(err) = &app.broker.error {
        lines.push(Line::from(Span::styled(
            fit(&format!("✖ {err}"), w * 6),
            Style::new().fg(Color::Red),
        )));
        lines.push(Line::from(Span::styled("polling every 5 s", theme::dim())));
    }
    match &app.broker.snapshot {
        None if app.broker.error.is_none() => {
            lines.push(Line::from(Span::styled("polling…", theme::dim())));
        }
        None => {}
        Some(s) => lines.extend(snapshot_lines(s, &app.runbook.thresholds, w)),
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
        inner,
    );
}

/// The panel's lines for one snapshot, coloured against the thresholds.
pub fn snapshot_lines(
    s: &crate::probe::broker::BrokerSnapshot,
    t: &crate::runbook::Thresholds,
    width: usize,
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
        out.push(Line::from(Span::styled("alarms: none", green)));
    } else {
        for a in &s.alarms {
            out.push(Line::from(Span::styled(
                fit(&format!("ALARM {} on {}", a.resource, a.node), width),
                red,
            )));
        }
    }
    let mem_pct = pct(s.mem_used, s.mem_limit);
    out.push(Line::from(vec![
        Span::raw("mem  "),
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
        Span::raw("disk "),
        Span::styled(
            format!(
                "{} free (min {})",
                human_bytes(s.disk_free),
                human_bytes(s.disk_free_limit)
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
        Span::raw("conns "),
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
            Span::styled(format!("  {} blocked", s.blocked.len()), red)
        },
    ]));
    let backlog = s.top_queues.iter().any(|q| q.messages > t.queue_backlog);
    out.push(Line::from(vec![
        Span::raw("msgs "),
        Span::styled(
            format!(
                "{} ({} ready, {} unacked)",
                s.messages, s.messages_ready, s.messages_unacked
            ),
            if backlog { red } else { Style::new() },
        ),
    ]));
    out.push(Line::from(format!(
        "rate pub {:.1}/s  deliver {:.1}/s",
        s.publish_rate, s.deliver_rate
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
                " (no consumer)"
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
