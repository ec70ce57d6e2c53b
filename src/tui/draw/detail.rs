//! The step detail: guide, checklist, question, commands and checks.

use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::incident::{CheckStatus, RunState};
use crate::tui::app::{App, DetailRoom, Focus, Item};
use crate::tui::draw::panes::{pane, run_status};
use crate::tui::draw::wrap::{hanging_indent, reflow, wrap};
use crate::tui::theme;

fn section(title: &str) -> Line<'static> {
    Line::from(Span::styled(
        title.to_string(),
        Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
    ))
}

/// Draws the viewed step.
pub fn draw(app: &App, frame: &mut Frame, area: Rect, now: DateTime<FixedOffset>) {
    let inc = app.session.incident();
    let step = app.viewed_step();
    let n = app.viewed + 1;
    let status = match inc.steps.get(app.viewed).map(|s| &s.status) {
        Some(crate::incident::StepStatus::Done) => " (done)".to_string(),
        Some(crate::incident::StepStatus::Skipped { reason }) => format!(" (skipped: {reason})"),
        _ if inc.current != Some(app.viewed) => {
            " (not started — Enter in the step list starts it)".to_string()
        }
        _ => String::new(),
    };
    let block = pane(
        format!(" {n}. {}{status} ", step.title),
        app.focus == Focus::Detail,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let items = app.items();
    let selected = app.selected_item();
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor_line = 0usize;
    let mark = |item: Item, lines: &Vec<Line>, cursor_line: &mut usize| {
        if Some(item) == selected {
            *cursor_line = lines.len();
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        }
    };

    // Where each guide line continues when it wraps.
    let mut guide_indents = Vec::new();
    if let Some(guide) = &step.guide {
        for l in reflow(&app.vars.render_text_masked(guide)) {
            guide_indents.push(hanging_indent(&l));
            lines.push(Line::from(l));
        }
    }
    // The step's notes, so that after a resume (or a long night) the operator
    // sees what was already observed and decided. Above the items: the
    // scrolling keeps the selected item in view, so lines below the last
    // item could never be reached.
    let notes: Vec<_> = inc
        .notes
        .iter()
        .filter(|n| n.step.as_deref() == Some(step.id.as_str()))
        .collect();
    if !notes.is_empty() {
        lines.push(section("Notes"));
        for n in notes {
            for (i, l) in n.text.lines().enumerate() {
                let stamp = if i == 0 {
                    n.ts.format("%H:%M ").to_string()
                } else {
                    "      ".to_string()
                };
                lines.push(Line::from(vec![
                    Span::styled(stamp, theme::dim()),
                    Span::raw(l.to_string()),
                ]));
            }
        }
    }
    if !step.checklist.is_empty() {
        lines.push(section("Checklist"));
        for (i, text) in step.checklist.iter().enumerate() {
            let checked = inc
                .steps
                .get(app.viewed)
                .and_then(|s| s.checklist.get(i))
                .copied()
                .unwrap_or(false);
            let style = mark(Item::Checklist(i), &lines, &mut cursor_line);
            let (box_, bs) = if checked {
                ("[x] ", Style::new().fg(Color::Green))
            } else {
                ("[ ] ", Style::new())
            };
            lines.push(
                Line::from(vec![Span::styled(box_, bs), Span::raw(text.clone())]).style(style),
            );
        }
    }
    if let Some(ask) = &step.ask {
        lines.push(section("Question"));
        let style = mark(Item::Ask, &lines, &mut cursor_line);
        let answer = inc.answers.get(&ask.id);
        lines.push(
            Line::from(vec![
                Span::raw(format!("? {} ", ask.prompt)),
                match answer {
                    Some(a) => Span::styled(format!("→ {a}"), Style::new().fg(Color::Green).bold()),
                    None => Span::styled("(Enter to answer)", Style::new().fg(Color::Yellow)),
                },
            ])
            .style(style),
        );
    }
    let cmds: Vec<usize> = items
        .iter()
        .filter_map(|i| {
            if let Item::Command(c) = i {
                Some(*c)
            } else {
                None
            }
        })
        .collect();
    if !cmds.is_empty() {
        lines.push(section("Commands"));
    }
    for ci in cmds {
        let cmd = &step.commands[ci];
        let style = mark(Item::Command(ci), &lines, &mut cursor_line);
        let danger = app.danger(app.viewed, ci).is_some();
        let result = app.last_run(&step.id, &cmd.id);
        let (res_text, res_style) = match result {
            None => (String::new(), Style::new()),
            Some(r) => (
                run_status(r, now),
                match r.state {
                    RunState::Running => Style::new().fg(Color::Cyan),
                    RunState::Exited(0) => Style::new().fg(Color::Green),
                    _ => Style::new().fg(Color::Red),
                },
            ),
        };
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
            head.push(Span::styled("  (follows until x)", theme::dim()));
        }
        if !res_text.is_empty() {
            head.push(Span::styled(format!("  {res_text}"), res_style));
        }
        lines.push(Line::from(head).style(style));
        let cmd_style = if danger {
            Style::new().fg(Color::Red)
        } else {
            theme::dim()
        };
        for row in crate::tui::draw::command_rows(&app.vars.render_shell_masked(&cmd.run)) {
            lines.push(Line::from(Span::styled(format!("    {row}"), cmd_style)));
        }
    }
    let checks: Vec<usize> = items
        .iter()
        .filter_map(|i| {
            if let Item::Check(c) = i {
                Some(*c)
            } else {
                None
            }
        })
        .collect();
    if !checks.is_empty() {
        lines.push(section("Checks"));
    }
    for ki in checks {
        let check = &step.checks[ki];
        let style = mark(Item::Check(ki), &lines, &mut cursor_line);
        let run = app.last_run(&step.id, &check.id);
        let (badge, bstyle) = match run.map(|r| &r.state) {
            None => ("  ·  ", theme::dim()),
            Some(RunState::Running) => ("  …  ", Style::new().fg(Color::Cyan)),
            Some(RunState::Check(CheckStatus::Pass)) => {
                (" PASS", Style::new().fg(Color::Green).bold())
            }
            Some(RunState::Check(CheckStatus::Warn)) => {
                (" WARN", Style::new().fg(Color::Yellow).bold())
            }
            Some(RunState::Check(CheckStatus::Fail)) => {
                (" FAIL", Style::new().fg(Color::Red).bold())
            }
            Some(_) => ("ERROR", Style::new().fg(Color::Magenta).bold()),
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
        lines.push(Line::from(spans).style(style));
        if let Some(r) = run.filter(|r| !r.summary.is_empty()) {
            lines.push(Line::from(Span::styled(
                format!("      {}", r.summary),
                bstyle.remove_modifier(Modifier::BOLD),
            )));
            let failed = matches!(
                r.state,
                RunState::Check(CheckStatus::Fail | CheckStatus::Error | CheckStatus::Warn)
            );
            if failed && let Some(hint) = &check.on_fail {
                lines.push(Line::from(Span::styled(
                    format!("      → {}", app.vars.render_text_masked(hint)),
                    Style::new().fg(Color::Yellow),
                )));
            }
        }
    }
    // Wrap ourselves so the selected line's screen row is known exactly,
    // then scroll only as far as needed to keep it (and the line after) visible.
    let width = inner.width as usize;
    let mut rows: Vec<Line> = Vec::new();
    let mut cursor_row = 0;
    for (i, l) in lines.iter().enumerate() {
        if i == cursor_line {
            cursor_row = rows.len();
        }
        let indent = guide_indents.get(i).copied().unwrap_or(4);
        rows.extend(wrap(l, width, indent));
    }
    let h = inner.height as usize;
    // Keep the selected line and the two under it (its command line, a
    // wrapped result) in view, counting the marker rows when there are any.
    let markers = if rows.len() > cursor_row + 3 { 2 } else { 1 };
    let auto = if selected.is_some() {
        (cursor_row + 2 + markers).saturating_sub(h)
    } else {
        0
    };
    // A step is first shown from the top of its guide; the operator moves
    // down into the items (↓ or Enter), and ↑ on the first item scrolls back
    // up. Markers on the top and bottom rows say there is more.
    let lift = app.detail_lift_rows().min(auto);
    let scroll = auto - lift;
    let above = scroll > 0 && h > 2;
    let first = scroll + usize::from(above);
    let mut body_h = h - usize::from(above);
    let below = rows.len() > first + body_h && body_h > 2;
    if below {
        body_h -= 1;
    }
    let shown = first..first + body_h;
    let selected_visible = selected.is_some() && shown.contains(&cursor_row);
    let marker = |text: &'static str, y: u16| {
        let area = Rect {
            y,
            height: 1,
            ..inner
        };
        let line = Line::from(Span::styled(text, theme::dim()));
        (Paragraph::new(line), area)
    };
    if above {
        let text = if app.cursor == 0 {
            "▲ more above — ↑ scrolls up"
        } else {
            "▲ more above"
        };
        let (p, a) = marker(text, inner.y);
        frame.render_widget(p, a);
    }
    if below {
        let text = if selected.is_some() && !selected_visible {
            "▼ more below — ↓ or Enter"
        } else {
            "▼ more below"
        };
        let (p, a) = marker(text, inner.y + inner.height - 1);
        frame.render_widget(p, a);
    }
    let body = Rect {
        y: inner.y + u16::from(above),
        height: body_h as u16,
        ..inner
    };
    app.detail_room.set(DetailRoom {
        auto,
        height: h,
        selected_visible,
    });
    frame.render_widget(
        Paragraph::new(rows).scroll((first.min(u16::MAX as usize) as u16, 0)),
        body,
    );
}
