//! Dialogs drawn over the screen: confirmation, editors, answers, help, quit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::wrap::wrap;
use crate::tui::app::{App, Overlay};
use crate::tui::editor::Editor;
use crate::tui::keys::HELP;
use crate::tui::theme;

/// Wraps dialog lines to the inside of a dialog `outer_w` wide, so its
/// height can be counted from the rows actually drawn: a line wrapped by the
/// paragraph instead would push the last rows (the typed input, the closing
/// hint) out of the box.
fn wrapped(lines: Vec<Line<'static>>, outer_w: u16, indent: usize) -> Vec<Line<'static>> {
    let inner = outer_w.saturating_sub(2) as usize;
    lines.iter().flat_map(|l| wrap(l, inner, indent)).collect()
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn dialog(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    colour: Color,
    lines: Vec<Line<'static>>,
) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(colour))
        .title(Span::styled(
            format!(" {title} "),
            Style::new().fg(colour).add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    inner
}

/// At most `max` of the editor's lines, the cursor's among them (the last
/// ones while the cursor is there): drawing costs what is on screen, not
/// the size of the note. The cursor is a block at the end of its line, or
/// the character under it in reverse.
fn editor_lines(e: &Editor, max: usize) -> Vec<Line<'static>> {
    let n = e.lines().len();
    let max = max.max(1);
    let (row, col) = e.cursor();
    let (first, end) = if row + max >= n {
        (n.saturating_sub(max), n)
    } else {
        ((row + 1).saturating_sub(max), row + 1)
    };
    e.lines()[first..end]
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut spans = vec![Span::styled("> ", theme::dim())];
            if first + i != row {
                spans.push(Span::raw(l.clone()));
                return Line::from(spans);
            }
            let (before, after) = l.split_at(col.min(l.len()));
            spans.push(Span::raw(before.to_string()));
            let mut rest = after.chars();
            match rest.next() {
                None => spans.push(Span::styled("█", Style::new().fg(Color::Cyan))),
                Some(c) => {
                    spans.push(Span::styled(c.to_string(), theme::badge(Color::Cyan)));
                    spans.push(Span::raw(rest.as_str().to_string()));
                }
            }
            Line::from(spans)
        })
        .collect()
}

/// Draws the open overlay, if any.
pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let Some(overlay) = &app.overlay else {
        return;
    };
    let w = area.width.saturating_sub(4).min(76);
    match overlay {
        Overlay::Help => {
            let mut lines = vec![Line::from("")];
            // The drill's own key only in a drill.
            let drill = app.drill.is_some();
            for (k, what) in HELP
                .iter()
                .filter(|(_, w)| drill || !w.starts_with("drill:"))
            {
                lines.push(Line::from(vec![
                    Span::styled(format!(" {k:<16}"), Style::new().fg(Color::Cyan).bold()),
                    Span::raw(what.to_string()),
                ]));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                " any key closes this help",
                theme::dim(),
            )));
            let lines = wrapped(lines, w, 17);
            let h = lines.len() as u16 + 2;
            dialog(frame, centered(area, w, h), "Keys", Color::Cyan, lines);
        }
        Overlay::Quit => {
            let running = app.running().len();
            let mut lines = vec![Line::from(format!(
                " Quit? The incident stays open; `{}` continues it.",
                app.resume_hint
            ))];
            if running > 0 {
                lines.push(Line::from(Span::styled(
                    format!(" {running} running command(s) will be cancelled."),
                    Style::new().fg(Color::Yellow),
                )));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(" y / q: quit    any other key: stay"));
            let lines = wrapped(lines, w, 1);
            let h = lines.len() as u16 + 2;
            dialog(frame, centered(area, w, h), "Quit", Color::Yellow, lines);
        }
        Overlay::Confirm {
            step,
            command,
            expected,
            reason,
            input,
        } => {
            let cmd = &app.runbook.steps[*step].commands[*command];
            let mut lines = vec![
                Line::from(Span::styled(
                    " This command changes the system:",
                    Style::new().fg(Color::Red).bold(),
                )),
                Line::from(""),
            ];
            for row in super::command_rows(&app.vars.render_shell_masked(&cmd.run)) {
                lines.push(Line::from(Span::styled(
                    format!("   {row}"),
                    Style::new().bold(),
                )));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                format!(" Why: {reason}"),
                Style::new(),
            )));
            lines.push(Line::from(vec![
                Span::raw(" Type "),
                Span::styled(expected.clone(), Style::new().fg(Color::Yellow).bold()),
                Span::raw(" and press Enter to run it. Esc cancels."),
            ]));
            lines.extend(editor_lines(input, 1));
            if let Some(f) = &app.flash {
                lines.push(Line::from(Span::styled(
                    format!(" {f}"),
                    Style::new().fg(Color::Yellow).bold(),
                )));
            }
            let lines = wrapped(lines, w, 5);
            let h = lines.len() as u16 + 4;
            dialog(
                frame,
                centered(area, w, h),
                "Confirm dangerous command",
                Color::Red,
                lines,
            );
        }
        Overlay::Note(e) | Overlay::Update(e) | Overlay::Resolve(e) => {
            let (title, help) = match overlay {
                Overlay::Note(_) => (
                    "Note",
                    " Ctrl-S or Enter on an empty line saves · Esc cancels".to_string(),
                ),
                Overlay::Update(_) => (
                    "Status update",
                    match app.notify.targets.len() {
                        0 => " For the people outside. Journaled as an update; no webhook is set up, so it is sent nowhere. Ctrl-S or Enter on an empty line saves · Esc cancels".to_string(),
                        n => format!(" For the people outside: journaled and sent to {n} webhook(s). Ctrl-S or Enter on an empty line sends · Esc cancels"),
                    },
                ),
                _ => (
                    "Resolve the incident",
                    " Summary of the resolution. Ctrl-S or Enter on an empty line saves · Esc cancels".to_string(),
                ),
            };
            let help = wrapped(vec![Line::from(Span::styled(help, theme::dim()))], w, 1);
            // Rows for the text: the dialog keeps two spare rows and its
            // borders, and shows the end of a long note, where the cursor is.
            let room = usize::from(area.height.saturating_sub(4)).saturating_sub(help.len());
            let mut text = wrapped(editor_lines(e, room), w, 2);
            let cut = text.len().saturating_sub(room);
            text.drain(..cut);
            let mut lines = help;
            lines.extend(text);
            let h = (lines.len() as u16 + 4).clamp(6, area.height);
            dialog(frame, centered(area, w, h), title, Color::Cyan, lines);
        }
        Overlay::Skip(e) | Overlay::Title(e) | Overlay::Search(e) => {
            let (title, help) = match overlay {
                Overlay::Skip(_) => (
                    "Skip step",
                    " Why is this step skipped? Enter saves · Esc cancels",
                ),
                Overlay::Title(_) => (
                    "New incident",
                    " Incident title (Enter saves; Esc leaves it as it is; may be empty)",
                ),
                _ => (
                    "Search output",
                    " Text to find (case-insensitive) · Enter · Esc",
                ),
            };
            let mut lines = vec![Line::from(Span::styled(help, theme::dim()))];
            lines.extend(editor_lines(e, 1));
            dialog(frame, centered(area, w, 5), title, Color::Cyan, lines);
        }
        Overlay::Brief | Overlay::Hints => drill(app, overlay, frame, area, w),
        Overlay::Answer { step, cursor } => {
            let Some(ask) = &app.runbook.steps[*step].ask else {
                return;
            };
            let mut lines = vec![Line::from(format!(" {}", ask.prompt)), Line::from("")];
            for (i, c) in ask.choices.iter().enumerate() {
                let style = if i == *cursor {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new()
                };
                lines.push(Line::from(Span::styled(format!("   {c}"), style)));
            }
            let lines = wrapped(lines, w, 3);
            let h = lines.len() as u16 + 2;
            dialog(frame, centered(area, w, h), "Answer", Color::Cyan, lines);
        }
    }
}

/// A drill's brief (its first screen), or its hints with the brief below.
fn drill(app: &App, overlay: &Overlay, frame: &mut Frame, area: Rect, w: u16) {
    let Some(d) = &app.drill else {
        return;
    };
    let inc = app.session.incident();
    let mut lines = Vec::new();
    let title = if matches!(overlay, Overlay::Hints) {
        let taken = crate::tui::app::drill::hints_taken(inc);
        lines.push(Line::from(""));
        for (i, (text, cost)) in d.hints.iter().take(taken).enumerate() {
            lines.push(Line::from(vec![
                Span::styled(format!(" {}. ", i + 1), Style::new().fg(Color::Cyan).bold()),
                Span::raw(text.clone()),
                Span::styled(format!("  (−{cost})"), theme::dim()),
            ]));
        }
        match d.hints.get(taken) {
            Some((_, cost)) => lines.push(Line::from(vec![
                Span::raw(" Enter: take hint "),
                Span::styled(
                    format!("{} of {}", taken + 1, d.hints.len()),
                    Style::new().bold(),
                ),
                Span::styled(
                    format!(" — it costs {cost} point(s)"),
                    Style::new().fg(Color::Yellow),
                ),
                Span::raw(" · any other key closes"),
            ])),
            None if d.hints.is_empty() => {
                lines.push(Line::from(" This scenario has no hints."));
            }
            None => lines.push(Line::from(Span::styled(
                " No hint left · any key closes",
                theme::dim(),
            ))),
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(" The brief", Style::new().bold())));
        "Drill hints"
    } else {
        "Drill brief"
    };
    for l in d.brief.lines() {
        lines.push(Line::from(format!(" {l}")));
    }
    if matches!(overlay, Overlay::Brief) {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::raw(" Time limit "),
            Span::styled(
                crate::runbook::format_duration(
                    (d.deadline - d.injected_at).to_std().unwrap_or_default(),
                ),
                Style::new().bold(),
            ),
            Span::raw(format!(
                " · {} hint(s) on h, each costs points · work the runbook as in a real outage",
                d.hints.len()
            )),
        ]));
        lines.push(Line::from(Span::styled(
            " Any key starts the drill",
            Style::new().fg(Color::Cyan).bold(),
        )));
    }
    let lines = wrapped(lines, w, 1);
    let h = (lines.len() as u16 + 2).min(area.height);
    dialog(frame, centered(area, w, h), title, Color::Blue, lines);
}
