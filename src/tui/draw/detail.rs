//! The step detail: guide, notes, checklist, question, commands and checks.
//!
//! Each section is built by a function of its own that returns its lines and
//! which of them is the selected item; [`layout`] places the wrapped rows in
//! the pane (how far to scroll, the "more" markers) and [`draw`] paints them
//! and returns that geometry. Drawing writes no state: the caller keeps the
//! returned [`DetailRoom`] for the keys to scroll by.

use crate::i18n::{tr, trf};
use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::incident::{CheckStatus, RunState, StepStatus};
use crate::runbook::Step;
use crate::tui::app::{App, DetailRoom, Focus, Item};
use crate::tui::draw::panes::{pane, run_status};
use crate::tui::draw::wrap::{hanging_indent, reflow, wrap};
use crate::tui::theme;

/// Where a line that is not part of the guide continues when it wraps.
const INDENT: usize = 4;

/// The lines of one section, each with the indent it wraps to, and the
/// index of the selected item's line when the selection is in this section.
#[derive(Default)]
struct Section {
    lines: Vec<(Line<'static>, usize)>,
    selected: Option<usize>,
}

impl Section {
    /// A section that starts with its heading.
    fn headed(title: &str) -> Section {
        let mut s = Section::default();
        s.push(Line::from(Span::styled(
            title.to_string(),
            Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
        )));
        s
    }

    fn push(&mut self, line: Line<'static>) {
        self.lines.push((line, INDENT));
    }

    /// Pushes an item's first line, reversed when it is the selected one.
    fn push_item(&mut self, line: Line<'static>, selected: bool) {
        if selected {
            self.selected = Some(self.lines.len());
            self.push(line.style(Style::new().add_modifier(Modifier::REVERSED)));
        } else {
            self.push(line);
        }
    }
}

/// The guide, reflowed, each line with its hanging indent.
fn guide(app: &App, step: &Step) -> Section {
    let mut s = Section::default();
    if let Some(guide) = &step.guide {
        for l in reflow(&app.vars.render_text_masked(guide)) {
            let indent = hanging_indent(&l);
            s.lines.push((Line::from(l), indent));
        }
    }
    s
}

/// The step's notes, so that after a resume (or a long night) the operator
/// sees what was already observed and decided. Above the items: the
/// scrolling keeps the selected item in view, so lines below the last item
/// could never be reached.
fn notes(app: &App, step: &Step) -> Section {
    let inc = app.session.incident();
    let mut notes = inc
        .notes
        .iter()
        .filter(|n| n.step.as_deref() == Some(step.id.as_str()))
        .peekable();
    if notes.peek().is_none() {
        return Section::default();
    }
    let mut s = Section::headed(tr(app.lang(), "Notes"));
    for n in notes {
        for (i, l) in n.text.lines().enumerate() {
            let stamp = if i == 0 {
                n.ts.format("%H:%M ").to_string()
            } else {
                "      ".to_string()
            };
            s.push(Line::from(vec![
                Span::styled(stamp, theme::dim()),
                Span::raw(l.to_string()),
            ]));
        }
    }
    s
}

fn checklist(app: &App, step: &Step, selected: Option<Item>) -> Section {
    if step.checklist.is_empty() {
        return Section::default();
    }
    let ticks = app
        .session
        .incident()
        .steps
        .get(app.viewed)
        .map(|s| s.checklist.as_slice())
        .unwrap_or_default();
    let mut s = Section::headed(tr(app.lang(), "Checklist"));
    for (i, text) in step.checklist.iter().enumerate() {
        let (box_, bs) = if ticks.get(i).copied().unwrap_or(false) {
            ("[x] ", Style::new().fg(Color::Green))
        } else {
            ("[ ] ", Style::new())
        };
        let line = Line::from(vec![Span::styled(box_, bs), Span::raw(text.clone())]);
        s.push_item(line, selected == Some(Item::Checklist(i)));
    }
    s
}

fn question(app: &App, step: &Step, selected: Option<Item>) -> Section {
    let Some(ask) = &step.ask else {
        return Section::default();
    };
    let mut s = Section::headed(tr(app.lang(), "Question"));
    let answer = match app.session.incident().answers.get(&ask.id) {
        Some(a) => {
            let labels: Vec<&str> = crate::runbook::answer_choices(a)
                .map(|c| ask.label(c))
                .collect();
            Span::styled(
                format!("→ {}", labels.join(" + ")),
                Style::new().fg(Color::Green).bold(),
            )
        }
        None => Span::styled(
            tr(app.lang(), "(Enter to answer)"),
            Style::new().fg(Color::Yellow),
        ),
    };
    let line = Line::from(vec![Span::raw(format!("? {} ", ask.prompt)), answer]);
    s.push_item(line, selected == Some(Item::Ask));
    s
}

/// The commands the answers allow: id, title, last result, and the command
/// line as it will run (secrets masked), line by line.
fn commands(
    app: &App,
    step: &Step,
    items: &[Item],
    selected: Option<Item>,
    now: DateTime<FixedOffset>,
) -> Section {
    let mut cmds = items
        .iter()
        .filter_map(|i| match i {
            Item::Command(c) => Some(*c),
            _ => None,
        })
        .peekable();
    if cmds.peek().is_none() {
        return Section::default();
    }
    let mut s = Section::headed(tr(app.lang(), "Commands"));
    for ci in cmds {
        let cmd = &step.commands[ci];
        let danger = app.danger(app.viewed, ci).is_some();
        let mut head = vec![
            Span::styled(
                if danger { "⚠ " } else { "▸ " },
                if danger {
                    Style::new().fg(Color::Red).bold()
                } else {
                    Style::new()
                },
            ),
            Span::styled(cmd.id.clone(), Style::new().bold()),
        ];
        if let Some(t) = &cmd.title {
            head.push(Span::raw(format!("  {t}")));
        }
        if cmd.follow {
            head.push(Span::styled(
                format!("  {}", tr(app.lang(), "(follows until x)")),
                theme::dim(),
            ));
        }
        if let Some(r) = app.last_run(&step.id, &cmd.id) {
            let style = match r.state {
                RunState::Running => Style::new().fg(Color::Cyan),
                RunState::Exited(0) => Style::new().fg(Color::Green),
                _ => Style::new().fg(Color::Red),
            };
            let text = run_status(r, now, app.lang());
            if !text.is_empty() {
                head.push(Span::styled(format!("  {text}"), style));
            }
        }
        s.push_item(Line::from(head), selected == Some(Item::Command(ci)));
        let cmd_style = if danger {
            Style::new().fg(Color::Red)
        } else {
            theme::dim()
        };
        for row in crate::tui::draw::command_rows(&app.vars.render_shell_masked(&cmd.run)) {
            s.push(Line::from(Span::styled(format!("    {row}"), cmd_style)));
        }
    }
    s
}

/// The checks the answers allow: status badge, id, title, time, summary and
/// the `on_fail` hint when it did not pass.
fn checks(app: &App, step: &Step, items: &[Item], selected: Option<Item>) -> Section {
    let mut checks = items
        .iter()
        .filter_map(|i| match i {
            Item::Check(c) => Some(*c),
            _ => None,
        })
        .peekable();
    if checks.peek().is_none() {
        return Section::default();
    }
    let mut s = Section::headed(tr(app.lang(), "Checks"));
    for ki in checks {
        let check = &step.checks[ki];
        let run = app.last_run(&step.id, &check.id);
        // Five columns whatever the language: ` PASS`, ` 通过` (a Chinese
        // word of two characters is four columns wide).
        let word = |en: &'static str| match app.lang() {
            crate::i18n::Lang::En => en.to_string(),
            lang => format!(" {}", tr(lang, en.trim())),
        };
        let (badge, bstyle) = match run.map(|r| &r.state) {
            None => ("  ·  ".to_string(), theme::dim()),
            Some(RunState::Running) => ("  …  ".to_string(), Style::new().fg(Color::Cyan)),
            Some(RunState::Check(CheckStatus::Pass)) => {
                (word(" PASS"), Style::new().fg(Color::Green).bold())
            }
            Some(RunState::Check(CheckStatus::Warn)) => {
                (word(" WARN"), Style::new().fg(Color::Yellow).bold())
            }
            Some(RunState::Check(CheckStatus::Fail)) => {
                (word(" FAIL"), Style::new().fg(Color::Red).bold())
            }
            Some(_) => (word("ERROR"), Style::new().fg(Color::Magenta).bold()),
        };
        let title = check
            .title
            .clone()
            .unwrap_or_else(|| check.kind.name().to_string());
        let mut spans = vec![
            Span::styled(badge, bstyle),
            Span::raw(" "),
            Span::styled(check.id.clone(), Style::new().bold()),
            Span::raw(format!("  {title}")),
        ];
        if let Some(r) = run
            && r.state != RunState::Running
        {
            spans.push(Span::styled(
                format!("  {}", crate::tui::draw::run_duration(r.duration_ms)),
                theme::dim(),
            ));
        }
        s.push_item(Line::from(spans), selected == Some(Item::Check(ki)));
        if let Some(r) = run.filter(|r| !r.summary.is_empty()) {
            s.push(Line::from(Span::styled(
                format!("      {}", r.summary),
                bstyle.remove_modifier(Modifier::BOLD),
            )));
            let failed = matches!(
                r.state,
                RunState::Check(CheckStatus::Fail | CheckStatus::Error | CheckStatus::Warn)
            );
            if failed && let Some(hint) = &check.on_fail {
                s.push(Line::from(Span::styled(
                    format!("      → {}", app.vars.render_text_masked(hint)),
                    Style::new().fg(Color::Yellow),
                )));
            }
        }
    }
    s
}

/// The pane's title: step number, title and where the step stands.
fn title(app: &App) -> String {
    let inc = app.session.incident();
    let status = match inc.steps.get(app.viewed).map(|s| &s.status) {
        Some(StepStatus::Done) => format!(" ({})", tr(app.lang(), "done")),
        Some(StepStatus::Skipped { reason }) => trf(app.lang(), " (skipped: {})", &[reason]),
        _ if inc.current != Some(app.viewed) => tr(
            app.lang(),
            " (not started — Enter in the step list starts it)",
        )
        .to_string(),
        _ => String::new(),
    };
    format!(" {}. {}{status} ", app.viewed + 1, app.viewed_step().title)
}

/// The detail's rows wrapped to `width`, and the row of the selected item
/// (`None` when nothing is selected).
fn rows(
    app: &App,
    width: usize,
    now: DateTime<FixedOffset>,
) -> (Vec<Line<'static>>, Option<usize>) {
    let step = app.viewed_step();
    let items = app.items();
    let selected = app.selected_item();
    let sections = [
        guide(app, step),
        notes(app, step),
        checklist(app, step, selected),
        question(app, step, selected),
        commands(app, step, &items, selected, now),
        checks(app, step, &items, selected),
    ];
    // Wrap here so the selected line's screen row is known exactly.
    let mut rows = Vec::new();
    let mut cursor_row = None;
    for s in sections {
        for (i, (line, indent)) in s.lines.iter().enumerate() {
            if s.selected == Some(i) {
                cursor_row = Some(rows.len());
            }
            rows.extend(wrap(line, width, *indent));
        }
    }
    // A selection with no line of its own is taken as the first row.
    let cursor_row = selected.map(|_| cursor_row.unwrap_or(0));
    (rows, cursor_row)
}

/// Where the detail's rows go in a pane of `height` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetailLayout {
    /// Rows scrolled to keep the selected item in view.
    pub auto: usize,
    /// First row shown under the top marker (if any).
    pub first: usize,
    /// Rows shown between the markers.
    pub body: usize,
    /// A "more above" marker on the top row.
    pub above: bool,
    /// A "more below" marker on the bottom row.
    pub below: bool,
    /// The selected item is on screen.
    pub selected_visible: bool,
}

/// Scrolls only as far as needed to keep the selected row (and the two under
/// it: its command line, a wrapped result) in view, counting the marker rows
/// when there are any. A step is first shown from the top of its guide; the
/// operator moves down into the items (↓ or Enter), and ↑ on the first item
/// scrolls back up by `lift` rows (clamped to what there is).
pub fn layout(rows: usize, cursor_row: Option<usize>, height: usize, lift: usize) -> DetailLayout {
    let auto = match cursor_row {
        Some(c) => {
            let markers = if rows > c + 3 { 2 } else { 1 };
            (c + 2 + markers).saturating_sub(height)
        }
        None => 0,
    };
    let scroll = auto - lift.min(auto);
    let above = scroll > 0 && height > 2;
    let first = scroll + usize::from(above);
    let mut body = height - usize::from(above);
    let below = rows > first + body && body > 2;
    if below {
        body -= 1;
    }
    DetailLayout {
        auto,
        first,
        body,
        above,
        below,
        selected_visible: cursor_row.is_some_and(|c| (first..first + body).contains(&c)),
    }
}

/// Draws the viewed step and returns what the keys need to know of its
/// scrolling; writes nothing into the app.
pub fn draw(app: &App, frame: &mut Frame, area: Rect, now: DateTime<FixedOffset>) -> DetailRoom {
    let block = pane(title(app), app.focus == Focus::Detail);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (rows, cursor_row) = rows(app, inner.width as usize, now);
    let height = inner.height as usize;
    let at = layout(rows.len(), cursor_row, height, app.detail_lift_rows());
    let mut marker = |text: &'static str, y: u16| {
        let line = Line::from(Span::styled(text, theme::dim()));
        let area = Rect {
            y,
            height: 1,
            ..inner
        };
        frame.render_widget(Paragraph::new(line), area);
    };
    if at.above {
        marker(
            if app.cursor == 0 {
                tr(app.lang(), "▲ more above — ↑ scrolls up")
            } else {
                tr(app.lang(), "▲ more above")
            },
            inner.y,
        );
    }
    if at.below {
        marker(
            if cursor_row.is_some() && !at.selected_visible {
                tr(app.lang(), "▼ more below — ↓ or Enter")
            } else {
                tr(app.lang(), "▼ more below")
            },
            inner.y + inner.height - 1,
        );
    }
    let body = Rect {
        y: inner.y + u16::from(at.above),
        height: at.body as u16,
        ..inner
    };
    frame.render_widget(
        Paragraph::new(rows).scroll((at.first.min(u16::MAX as usize) as u16, 0)),
        body,
    );
    DetailRoom {
        auto: at.auto,
        height,
        selected_visible: at.selected_visible,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_and_the_two_rows_under_it_stay_in_view() {
        let at = layout(30, Some(20), 10, 0);
        assert_eq!(
            at,
            DetailLayout {
                auto: 14,
                first: 15,
                body: 8,
                above: true,
                below: true,
                selected_visible: true,
            }
        );
        assert!((at.first..at.first + at.body).contains(&22));
    }

    #[test]
    fn a_lifted_pane_shows_the_guide_from_the_top_and_says_the_selection_is_below() {
        let at = layout(30, Some(20), 10, usize::MAX);
        assert_eq!((at.auto, at.first, at.body), (14, 0, 9));
        assert!(!at.above && at.below && !at.selected_visible);
        // Half lifted: both markers, the selection out of view.
        let at = layout(30, Some(20), 10, 5);
        assert_eq!((at.first, at.body), (10, 8));
        assert!(at.above && at.below && !at.selected_visible);
    }

    #[test]
    fn without_a_selection_nothing_scrolls() {
        let at = layout(30, None, 10, 0);
        assert_eq!((at.auto, at.first, at.body), (0, 0, 9));
        assert!(!at.above && at.below && !at.selected_visible);
        // Everything fits: no markers; a pane too small for them gets none.
        assert_eq!(layout(5, Some(4), 10, 0).body, 10);
        let tiny = layout(30, Some(20), 2, 0);
        assert!(!tiny.above && !tiny.below);
    }
}
