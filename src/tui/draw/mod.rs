//! Drawing the live screen: a pure function of the app state and `now`.

mod broker;
mod detail;
pub mod overlay;
mod panes;
pub(crate) mod wrap;

use crate::i18n::{tr, trf};
use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::incident::{BudgetState, Mode};
use crate::runbook::format_duration;
use crate::tui::app::{App, DetailRoom, Focus};
use crate::tui::theme;

/// Smallest screen that gets the full layout; below it a notice is drawn.
pub const MIN_WIDTH: u16 = 40;
/// Smallest screen height for the full layout.
pub const MIN_HEIGHT: u16 = 12;

/// What a frame found out about the screen's geometry. Drawing writes no
/// state; the caller keeps this for the keys ([`Drawn::keep`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Drawn {
    /// The step detail's scrolling, when the detail was on screen.
    pub detail: Option<DetailRoom>,
}

impl Drawn {
    /// Hands the geometry to the app, where the keys scroll by it. A frame
    /// without the detail (a terminal too small) leaves the last one.
    pub fn keep(self, app: &App) {
        if let Some(room) = self.detail {
            app.detail_room.set(room);
        }
    }
}

/// Draws the whole screen and returns its geometry (see [`Drawn`]).
pub fn draw(app: &App, frame: &mut Frame, now: DateTime<FixedOffset>) -> Drawn {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = trf(
            app.lang(),
            "runbook: terminal {}×{} is too small (need {}×{}). The incident keeps running; enlarge the window.",
            &[&area.width, &area.height, &MIN_WIDTH, &MIN_HEIGHT],
        );
        frame.render_widget(wrap::paragraph([Line::from(msg)], area.width), area);
        return Drawn::default();
    }
    let banners = banners(app, now);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Length(banners.len() as u16),
            Constraint::Min(6),
            Constraint::Length(2),
        ])
        .split(area);
    header(app, frame, rows[0], now);
    for (i, b) in banners.into_iter().enumerate() {
        let r = Rect {
            y: rows[1].y + i as u16,
            height: 1,
            ..rows[1]
        };
        frame.render_widget(Paragraph::new(b), r);
    }
    let detail = body(app, frame, rows[2], now);
    panes::footer(app, frame, rows[3]);
    overlay::draw(app, frame, area);
    if app.no_color {
        theme::strip_colour(frame.buffer_mut());
    }
    Drawn { detail }
}

/// Draws the panes; returns the detail's geometry when it is on screen.
fn body(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    now: DateTime<FixedOffset>,
) -> Option<DetailRoom> {
    match app.zoom {
        Some(Focus::Output) => {
            panes::output(app, frame, area, now);
            return None;
        }
        Some(Focus::Detail) => return Some(detail::draw(app, frame, area, now)),
        _ => {}
    }
    let wide_broker = app.broker.visible && area.width >= 150;
    let left_w = (area.width * 3 / 10).clamp(24, 40);
    let mut cols = vec![Constraint::Length(left_w), Constraint::Min(30)];
    if wide_broker {
        cols.push(Constraint::Length(36));
    }
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints(cols)
        .split(area);
    if app.broker.visible && !wide_broker {
        let split = Layout::default()
            .direction(Direction::Vertical)
            .constraints([
                Constraint::Min(5),
                Constraint::Length(if area.height >= 30 { 14 } else { 9 }),
            ])
            .split(cols[0]);
        panes::steps(app, frame, split[0], now);
        broker::draw(app, frame, split[1]);
    } else {
        panes::steps(app, frame, cols[0], now);
    }
    if wide_broker {
        broker::draw(app, frame, cols[2]);
    }
    let right = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
        .split(cols[1]);
    let room = detail::draw(app, frame, right[0], now);
    panes::output(app, frame, right[1], now);
    Some(room)
}

fn header(app: &App, frame: &mut Frame, area: Rect, now: DateTime<FixedOffset>) {
    let inc = app.session.incident();
    let mode = match inc.mode {
        Mode::Live => Span::styled(tr(app.lang(), " LIVE "), theme::badge(Color::Red).bold()),
        Mode::Drill => Span::styled(tr(app.lang(), " DRILL "), theme::badge(Color::Blue).bold()),
    };
    let title = if inc.title.is_empty() {
        tr(app.lang(), "(untitled incident)")
    } else {
        inc.title.as_str()
    };
    let state = if inc.resolved.is_some() {
        Span::styled(tr(app.lang(), " RESOLVED "), theme::badge(Color::Green))
    } else {
        Span::raw("")
    };
    let file = app
        .session
        .journal_path()
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Most important first; the runbook title and journal name only when they fit.
    let severity = match inc.severity.0.as_str() {
        "" => Span::raw(""),
        s @ ("SEV1" | "SEV2") => Span::styled(format!(" {s} "), theme::badge(Color::Red)),
        s => Span::styled(
            format!(" {} ", crate::text::one_line(s)),
            theme::badge(Color::Yellow),
        ),
    };
    let mut spans = vec![
        mode,
        severity,
        state,
        Span::raw(" "),
        // A resumed journal's title is outside text.
        Span::styled(
            crate::text::one_line(title).into_owned(),
            Style::new().bold(),
        ),
        Span::raw(" · ⏱ "),
        Span::styled(clock(inc.total_elapsed(now)), Style::new().bold()),
        Span::raw(format!(" · {}", now.format("%H:%M:%S"))),
    ];
    if let Some(d) = &app.drill {
        let left = d.left(inc, now);
        let style = if left.as_secs() < 120 {
            Style::new().fg(Color::Red).bold()
        } else {
            Style::new().bold()
        };
        spans.push(Span::raw(" · ⏳ "));
        spans.push(Span::styled(clock(left), style));
        spans.push(Span::raw(tr(app.lang(), " left")));
        let taken = crate::tui::app::drill::hints_taken(inc);
        spans.push(Span::styled(
            trf(app.lang(), " · hints {}/{} (h)", &[&taken, &d.hints.len()]),
            theme::dim(),
        ));
    }
    // Events on screen the journal writer has not acknowledged yet (a
    // failing disk has its own banner instead).
    if app.saving() && app.journal_error().is_none() {
        spans.push(Span::styled(tr(app.lang(), " · saving…"), theme::dim()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let room = (area.width as usize).saturating_sub(used);
    let rb = format!(" · {}", crate::text::one_line(&inc.runbook.title));
    let file = format!(" · {file}");
    if rb.width() + file.width() <= room {
        spans.push(Span::styled(rb, theme::dim()));
        spans.push(Span::styled(file, theme::dim()));
    } else {
        // Share what is left: the runbook title first (cut if need be), then
        // as much of the journal name as fits.
        let rb_room = rb
            .width()
            .min((room / 2).max(room.saturating_sub(file.width())));
        let rb = panes::fit(&rb, rb_room);
        let left = room.saturating_sub(rb.width());
        spans.push(Span::styled(rb, theme::dim()));
        if left >= 12 {
            spans.push(Span::styled(panes::fit(&file, left), theme::dim()));
        }
    }
    let line = Line::from(spans);
    // No background of its own: a forced one hid the title (drawn in the
    // terminal's default colour) on light terminals.
    frame.render_widget(Paragraph::new(line), area);
}

fn banners(app: &App, now: DateTime<FixedOffset>) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if let Some(err) = app.journal_error() {
        out.push(Line::from(Span::styled(
            trf(
                app.lang(),
                " ✖ JOURNAL WRITE FAILED: {} — {} event(s) held in memory, retrying every second ",
                &[&err, &app.session.unsaved()],
            ),
            theme::badge(Color::Red).add_modifier(Modifier::BOLD),
        )));
    }
    let inc = app.session.incident();
    if let Some(cur) = inc.current
        && inc.budget_state(cur, now) == BudgetState::OverLimit
    {
        let st = &inc.steps[cur];
        let limit = st
            .outline
            .limit_ms
            .map(|ms| format_duration(std::time::Duration::from_millis(ms)));
        out.push(Line::from(Span::styled(
            trf(
                app.lang(),
                " ⚠ OVER BUDGET: step {} {} — {} of {}. Escalate, skip (s) or move on (d) ",
                &[
                    &(cur + 1),
                    &st.outline.title,
                    &clock(inc.step_elapsed(cur, now)),
                    &limit.unwrap_or_default(),
                ],
            ),
            theme::badge(Color::Red),
        )));
    }
    if app.drill.is_some() {
        if let Some(why) = crate::tui::app::drill::paused(inc) {
            out.push(Line::from(Span::styled(
                trf(
                    app.lang(),
                    " ⏸ DRILL PAUSED: the live broker changed during the drill ({}); nothing touches it ",
                    &[&why],
                ),
                theme::badge(Color::Yellow).add_modifier(Modifier::BOLD),
            )));
        }
        if crate::tui::app::drill::fixed_at(inc).is_some() {
            out.push(Line::from(Span::styled(
                tr(
                    app.lang(),
                    " ✔ Service restored (drill) — go on to the root cause, or resolve (R) ",
                ),
                theme::badge(Color::Green).add_modifier(Modifier::BOLD),
            )));
        }
    }
    if let Some(f) = &app.flash {
        out.push(Line::from(Span::styled(
            format!(" {f} "),
            Style::new().fg(Color::Yellow),
        )));
    }
    out
}

/// A run's duration: `0.91s` below a minute, else `1m05s`.
pub fn run_duration(ms: Option<u64>) -> String {
    match ms {
        None => String::new(),
        Some(ms) => crate::runbook::format_run_ms(ms),
    }
}

/// A command line as rows to show, exactly as it will run: `$ ` before the
/// first line, the next lines indented under it, line breaks kept (a
/// multi-line script reads as the script). Tabs become spaces, since a
/// terminal cell cannot hold one.
pub fn command_rows(run: &str) -> Vec<String> {
    let mut rows: Vec<String> = run
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let l = l.replace('\t', "    ");
            if i == 0 {
                format!("$ {l}")
            } else {
                format!("  {l}")
            }
        })
        .collect();
    if rows.is_empty() {
        rows.push("$ ".to_string());
    }
    rows
}

/// `h:mm:ss` or `m:ss`.
pub fn clock(d: std::time::Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// Colour of a timer against its budget.
pub fn budget_style(state: BudgetState) -> Style {
    match state {
        BudgetState::OverLimit => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        BudgetState::OverExpected => Style::new().fg(Color::Yellow),
        _ => Style::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::command_rows;

    #[test]
    fn a_multi_line_command_keeps_its_line_breaks() {
        assert_eq!(
            command_rows("i=0\nwhile true; do\n\tsleep 1\ndone\n"),
            ["$ i=0", "  while true; do", "      sleep 1", "  done"]
        );
        assert_eq!(command_rows("uptime"), ["$ uptime"]);
    }
}
