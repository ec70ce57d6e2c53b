//! The live broker panel, fed by background polls of the management API.

use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::tui::app::App;
use crate::tui::draw::panes::{fit, pane};

/// Draws the broker panel.
pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let block = pane(" Broker (b) ".into(), false);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(err) = &app.broker.error {
        lines.push(Line::from(Span::styled(fit(&format!("✖ {err}"), w * 3), Style::new().fg(Color::Red))));
        lines.push(Line::from(Span::styled("polling every 5 s", Style::new().fg(Color::DarkGray))));
    }
    match &app.broker.snapshot {
        None if app.broker.error.is_none() => {
            lines.push(Line::from(Span::styled("polling…", Style::new().fg(Color::DarkGray))));
        }
        None => {}
        Some(s) => lines.extend(crate::tui::draw::broker::snapshot_lines(s, &app.runbook.thresholds, w)),
    }
    frame.render_widget(Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }), inner);
}

/// The panel's lines for one snapshot (also used by tests).
pub fn snapshot_lines(
    s: &crate::probe::broker::BrokerSnapshot,
    t: &crate::runbook::Thresholds,
    width: usize,
) -> Vec<Line<'static>> {
    let _ = (s, t, width);
    Vec::new()
}
