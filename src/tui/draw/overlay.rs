//! Dialogs drawn over the screen: confirmation, editors, answers, help, quit.

use crate::i18n::{tr, trf};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

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

/// A `width`×`height` box in the middle of `area`, cut to fit it.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
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
    frame.render_widget(super::wrap::paragraph(lines, inner.width), inner);
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
    let lang = app.lang();
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
                    Span::raw(crate::i18n::tr_dyn(lang, what)),
                ]));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                tr(lang, " any key closes this help"),
                theme::dim(),
            )));
            let lines = wrapped(lines, w, 17);
            let h = lines.len() as u16 + 2;
            dialog(
                frame,
                centered(area, w, h),
                tr(lang, "Keys"),
                Color::Cyan,
                lines,
            );
        }
        Overlay::Quit => {
            let running = app.running().len();
            let mut lines = vec![Line::from(trf(
                lang,
                " Quit? The incident stays open; `{}` continues it.",
                &[&app.resume_hint],
            ))];
            if running > 0 {
                lines.push(Line::from(Span::styled(
                    trf(
                        lang,
                        " {} running command(s) will be cancelled.",
                        &[&running],
                    ),
                    Style::new().fg(Color::Yellow),
                )));
            }
            lines.push(Line::from(""));
            lines.push(Line::from(tr(lang, " y / q: quit    any other key: stay")));
            let lines = wrapped(lines, w, 1);
            let h = lines.len() as u16 + 2;
            dialog(
                frame,
                centered(area, w, h),
                tr(lang, "Quit"),
                Color::Yellow,
                lines,
            );
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
                    tr(lang, " This command changes the system:"),
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
                trf(lang, " Why: {}", &[reason]),
                Style::new(),
            )));
            lines.push(Line::from(vec![
                Span::raw(tr(lang, " Type ")),
                Span::styled(expected.clone(), Style::new().fg(Color::Yellow).bold()),
                Span::raw(tr(lang, " and press Enter to run it. Esc cancels.")),
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
                tr(lang, "Confirm dangerous command"),
                Color::Red,
                lines,
            );
        }
        Overlay::Form(f) => form(f, frame, area, w, lang),
        Overlay::Note(e) | Overlay::Update(e) => {
            let (title, help) = match overlay {
                Overlay::Note(_) => (
                    tr(lang, "Note"),
                    tr(lang, " Ctrl-S or Enter on an empty line saves · Esc cancels").to_string(),
                ),
                Overlay::Update(_) => (
                    tr(lang, "Status update"),
                    match app.notify.targets.len() {
                        0 => tr(lang, " For the people outside. Journaled as an update; no webhook is set up, so it is sent nowhere. Ctrl-S or Enter on an empty line saves · Esc cancels").to_string(),
                        n => trf(lang, " For the people outside: journaled and sent to {} webhook(s). Ctrl-S or Enter on an empty line sends · Esc cancels", &[&n]),
                    },
                ),
                _ => (
                    tr(lang, "Resolve the incident"),
                    tr(lang, " Summary of the resolution. Ctrl-S or Enter on an empty line saves · Esc cancels").to_string(),
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
            let h = (lines.len() as u16 + 4).max(6).min(area.height);
            dialog(frame, centered(area, w, h), title, Color::Cyan, lines);
        }
        Overlay::Skip(e) | Overlay::Title(e) | Overlay::Search(e) => {
            let (title, help) = match overlay {
                Overlay::Skip(_) => (
                    tr(lang, "Skip step"),
                    tr(lang, " Why is this step skipped? Enter saves · Esc cancels"),
                ),
                Overlay::Title(_) => (
                    tr(lang, "Incident title"),
                    tr(
                        lang,
                        " Incident title (Enter saves; Esc leaves it as it is; may be empty)",
                    ),
                ),
                _ => (
                    tr(lang, "Search output"),
                    tr(lang, " Text to find (case-insensitive) · Enter · Esc"),
                ),
            };
            let mut lines = vec![Line::from(Span::styled(help, theme::dim()))];
            lines.extend(editor_lines(e, 1));
            dialog(frame, centered(area, w, 5), title, Color::Cyan, lines);
        }
        Overlay::Brief | Overlay::Hints => drill(app, overlay, frame, area, w),
        Overlay::Answer {
            step,
            cursor,
            marked,
        } => {
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
                let mark = if marked.contains(&i) { "[x]" } else { "   " };
                // The label the operator reads, and the id that is journaled.
                let label = ask.label(c);
                let text = if label == c {
                    format!(" {mark} {c}")
                } else {
                    format!(" {mark} {label}  ({c})")
                };
                lines.push(Line::from(Span::styled(text, style)));
            }
            let lines = wrapped(lines, w, 3);
            let h = lines.len() as u16 + 2;
            dialog(
                frame,
                centered(area, w, h),
                tr(lang, "Answer"),
                Color::Cyan,
                lines,
            );
        }
    }
}

/// A form: each field under its label, the focused one marked and showing
/// more of its text; the reason a save was refused on top.
pub fn form(
    f: &crate::tui::app::form::Form,
    frame: &mut Frame,
    area: Rect,
    w: u16,
    lang: crate::i18n::Lang,
) {
    use crate::i18n::tr_dyn;
    use crate::tui::app::form::{Field, SEVERITIES};
    let mut lines = Vec::new();
    if let Some(err) = &f.error {
        lines.push(Line::from(Span::styled(
            format!(" {err}"),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        )));
    }
    let label = Style::new().add_modifier(Modifier::BOLD);
    // The focused field gets what the other fields leave of the height.
    let others: usize = f.fields.len() * 2;
    let room = usize::from(area.height.saturating_sub(6)).saturating_sub(others);
    for (i, field) in f.fields.iter().enumerate() {
        let focused = i == f.focus;
        let marker = if focused { "▸ " } else { "  " };
        match field {
            Field::Severity(sev) => {
                let mut spans = vec![Span::styled(
                    format!("{marker}{} ", tr(lang, "Severity")),
                    label,
                )];
                for (k, name) in SEVERITIES.iter().enumerate() {
                    let style = if *sev == Some(k) {
                        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
                    } else {
                        theme::dim()
                    };
                    spans.push(Span::styled(format!(" {} {name} ", k + 1), style));
                }
                if focused {
                    spans.push(Span::styled(tr(lang, "  1–4 · 0 none"), theme::dim()));
                }
                lines.push(Line::from(spans));
            }
            Field::Text {
                label: name,
                hint,
                editor,
            } => {
                let mut head = vec![Span::styled(
                    format!("{marker}{}", tr_dyn(lang, name)),
                    label,
                )];
                if !hint.is_empty() {
                    head.push(Span::styled(
                        format!("  {}", tr_dyn(lang, hint)),
                        theme::dim(),
                    ));
                }
                lines.push(Line::from(head));
                if focused {
                    lines.extend(editor_lines(editor, room.max(1)));
                } else {
                    let text = editor.text();
                    let shown = text.lines().last().unwrap_or("");
                    let more = if text.lines().count() > 1 { " …" } else { "" };
                    lines.push(Line::from(Span::styled(
                        format!("    {shown}{more}"),
                        theme::dim(),
                    )));
                }
            }
        }
    }
    lines.push(Line::from(Span::styled(
        tr(lang, " Tab next field · Ctrl-S saves · Esc cancels"),
        theme::dim(),
    )));
    let lines = wrapped(lines, w, 4);
    let h = (lines.len() as u16 + 2).max(5).min(area.height);
    dialog(
        frame,
        centered(area, w, h),
        &tr_dyn(lang, f.title()),
        Color::Cyan,
        lines,
    );
}

/// A drill's brief (its first screen), or its hints with the brief below.
fn drill(app: &App, overlay: &Overlay, frame: &mut Frame, area: Rect, w: u16) {
    let Some(d) = &app.drill else {
        return;
    };
    let inc = app.session.incident();
    let lang = app.lang();
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
                Span::raw(tr(lang, " Enter: take ")),
                Span::styled(
                    trf(lang, "hint {} of {}", &[&(taken + 1), &d.hints.len()]),
                    Style::new().bold(),
                ),
                Span::styled(
                    trf(lang, " — it costs {} point(s)", &[cost]),
                    Style::new().fg(Color::Yellow),
                ),
                Span::raw(tr(lang, " · any other key closes")),
            ])),
            None if d.hints.is_empty() => {
                lines.push(Line::from(tr(lang, " This scenario has no hints.")));
            }
            None => lines.push(Line::from(Span::styled(
                tr(lang, " No hint left · any key closes"),
                theme::dim(),
            ))),
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            tr(lang, " The brief"),
            Style::new().bold(),
        )));
        tr(lang, "Drill hints")
    } else {
        tr(lang, "Drill brief")
    };
    for l in d.brief.lines() {
        lines.push(Line::from(format!(" {l}")));
    }
    if matches!(overlay, Overlay::Brief) {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::raw(tr(lang, " Time limit ")),
            Span::styled(
                crate::runbook::format_duration(
                    (d.deadline - d.injected_at).to_std().unwrap_or_default(),
                ),
                Style::new().bold(),
            ),
            Span::raw(trf(
                lang,
                " · {} hint(s) on h, each costs points · work the runbook as in a real outage",
                &[&d.hints.len()],
            )),
        ]));
        lines.push(Line::from(Span::styled(
            tr(lang, " Any key starts the drill"),
            Style::new().fg(Color::Cyan).bold(),
        )));
    }
    let lines = wrapped(lines, w, 1);
    let h = (lines.len() as u16 + 2).min(area.height);
    dialog(frame, centered(area, w, h), title, Color::Blue, lines);
}
