//! Drawing the review screen: a pure function of [`Review`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::i18n::{tr, trf};
use crate::incident::Event;
use crate::incident::{BudgetState, RunKind, StepStatus};
use crate::report::model::state_text;
use crate::report::summary::mode_word;
use crate::report::text::{offset, utc_time};
use crate::report::timeline::EntryKind;
use crate::review::WatchStatus;
use crate::runbook::duration::format_duration;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::Review;
use crate::text::styled::styled_lines;
use crate::tui::theme;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, r: &Review) {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_header(frame, header, r);
    // The trainer's panel (a drill in `watch`) on the right; on a narrow
    // terminal it takes the steps' room, on a very narrow one all of it.
    let seat = r.seat.as_ref().filter(|s| s.shown);
    let (rest, panel) = match seat {
        Some(_) if body.width < 50 => (Rect { width: 0, ..body }, Some(body)),
        Some(_) => {
            let w = if body.width >= 100 {
                (body.width / 3).clamp(32, 46)
            } else {
                body.width / 2
            };
            let [rest, panel] =
                Layout::horizontal([Constraint::Min(10), Constraint::Length(w)]).areas(body);
            (rest, Some(panel))
        }
        None => (body, None),
    };
    if let (Some(s), Some(panel)) = (seat, panel) {
        super::seat_draw::draw_panel(frame, panel, r, s);
    }
    if rest.width > 0 {
        draw_body(frame, rest, r, panel.is_some());
    }
    draw_footer(frame, footer, r);
    if r.output.is_some() {
        draw_output(frame, if rest.width > 0 { rest } else { body }, r);
    }
    if let Some(s) = &r.seat {
        super::seat_draw::draw_confirm(frame, frame.area(), r, s);
    }
    if r.help {
        super::seat_draw::draw_help(frame, frame.area(), r);
    }
    if let Some(p) = &r.postmortem {
        let area = frame.area();
        let w = area.width.saturating_sub(4).min(90);
        let lang = crate::i18n::Lang::of_incident(&r.journal.incident);
        crate::tui::draw::overlay::form(&p.form, frame, area, w, lang);
    }
    if r.no_color {
        theme::strip_colour(frame.buffer_mut());
    }
}

/// The steps and the timeline (the timeline alone beside the trainer's
/// panel on a narrow terminal).
fn draw_body(frame: &mut Frame, body: Rect, r: &Review, beside_panel: bool) {
    let timeline = if beside_panel && body.width < 60 {
        body
    } else {
        let steps_width = (body.width / 3).clamp(24, 44);
        let [steps, timeline] =
            Layout::horizontal([Constraint::Length(steps_width), Constraint::Min(10)]).areas(body);
        draw_steps(frame, steps, r);
        timeline
    };
    // Under the timeline, the selected event in full: the timeline cuts long
    // lines at the pane's edge.
    if timeline.height >= 14 {
        let rows = if drill_end_selected(r) {
            (timeline.height / 2).max(6)
        } else {
            6
        };
        let [list, detail] =
            Layout::vertical([Constraint::Min(5), Constraint::Length(rows)]).areas(timeline);
        draw_timeline(frame, list, r);
        draw_selected(frame, detail, r);
    } else {
        draw_timeline(frame, timeline, r);
    }
}

fn budget_color(b: BudgetState) -> Color {
    match b {
        BudgetState::NoBudget => Color::Reset,
        BudgetState::Within => Color::Green,
        BudgetState::OverExpected => Color::Yellow,
        BudgetState::OverLimit => Color::Red,
    }
}

fn draw_header(frame: &mut Frame, area: Rect, r: &Review) {
    let (inc, lang) = (&r.journal.incident, r.lang);
    let sum = &r.summary;
    let status = if sum.open {
        Span::styled(tr(lang, " OPEN "), theme::badge(Color::Red))
    } else {
        Span::styled(tr(lang, " RESOLVED "), theme::badge(Color::Green))
    };
    let mut line1 = match &r.watch {
        None => vec![Span::styled(
            tr(lang, " REVIEW "),
            theme::badge(Color::Cyan),
        )],
        Some(w) => {
            let (text, color) = match w {
                WatchStatus::Following => (tr(lang, "following").to_string(), Color::Green),
                WatchStatus::Ended(why) => (trf(lang, "session ended ({})", &[why]), Color::Yellow),
                WatchStatus::WriterGone => (
                    tr(lang, "the writer is gone: no process has the journal open").to_string(),
                    Color::Red,
                ),
                WatchStatus::Lost(why) => {
                    (trf(lang, "cannot read the journal: {}", &[why]), Color::Red)
                }
            };
            vec![
                Span::styled(tr(lang, " WATCH "), theme::badge(Color::Green)),
                Span::styled(format!(" {} ", printable(&text)), Style::new().fg(color)),
            ]
        }
    };
    line1.push(Span::raw(" "));
    if let Some(d) = &r.drill {
        line1.push(Span::styled(tr(lang, " DRILL "), theme::badge(Color::Blue)));
        line1.push(Span::raw(" "));
        let score = d
            .score
            .as_ref()
            .map(|s| trf(lang, " · score {}/100", &[&s.score]))
            .unwrap_or_default();
        line1.push(Span::raw(
            crate::text::one_line(&trf(
                lang,
                "{} · trainee {}{} · ",
                &[&d.scenario.id, &d.trainee, &score],
            ))
            .into_owned(),
        ));
    }
    line1.extend([
        Span::styled(
            printable(&r.title),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw("  "),
        status,
    ]);
    let line1 = Line::from(line1);
    let ttm = sum
        .time_to_mitigation
        .map_or_else(|| "—".to_string(), format_duration);
    let problems = if r.problems.is_empty() {
        Span::raw("")
    } else {
        Span::styled(
            tr(lang, "  ⚠ journal damaged"),
            Style::new().fg(Color::Yellow),
        )
    };
    // The journal's text (runbook id, user, host) is outside text.
    let started = crate::report::text::utc_datetime(inc.opened_at);
    let total = format_duration(sum.total);
    let figures = if sum.open {
        trf(
            lang,
            "started {} · total {} so far · mitigation {}",
            &[&started, &total, &ttm],
        )
    } else {
        trf(
            lang,
            "started {} · total {} · mitigation {}",
            &[&started, &total, &ttm],
        )
    };
    let line2 = Line::from(vec![
        Span::raw(printable(&format!(
            " {} · {} · {}@{} · {figures}",
            mode_word(lang, inc.mode),
            inc.runbook.id,
            inc.user,
            inc.host,
        ))),
        problems,
    ]);
    let block = Block::new().borders(Borders::BOTTOM);
    frame.render_widget(Paragraph::new(vec![line1, line2]).block(block), area);
}

fn draw_steps(frame: &mut Frame, area: Rect, r: &Review) {
    let current = r.selected_entry().and_then(|e| e.step.clone());
    let inner_w = usize::from(area.width.saturating_sub(2));
    let states = &r.journal.incident.steps;
    let lines: Vec<Line> = r
        .summary
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mark = match states.get(i).map(|st| &st.status) {
                Some(StepStatus::Done) => "✓",
                Some(StepStatus::Active) => "▶",
                Some(StepStatus::Pending) => "·",
                _ => "↷",
            };
            let time = format!("{}/{}", format_duration(s.spent), s.budget);
            // Columns, not chars: a Chinese title is two columns a character.
            let room = inner_w.saturating_sub(time.chars().count() + 3);
            let title = fit(&s.title, room);
            let pad = inner_w.saturating_sub(title.width() + time.chars().count() + 2);
            let mut style = Style::default();
            if current.as_deref() == Some(s.id.as_str()) {
                style = style.add_modifier(Modifier::REVERSED);
            }
            Line::from(vec![
                Span::styled(format!("{mark} {title}{}", " ".repeat(pad)), style),
                Span::styled(time, style.fg(budget_color(s.budget_state))),
            ])
        })
        .collect();
    let block = Block::bordered().title(format!(" {} ", tr(r.lang, "Steps")));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The longest start of `s` at most `cols` terminal columns wide.
fn fit(s: &str, cols: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > cols {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

fn kind_color(kind: EntryKind, failed: bool) -> Color {
    if failed {
        return Color::Red;
    }
    match kind {
        EntryKind::Command => Color::Cyan,
        EntryKind::Check => Color::Green,
        EntryKind::Note => Color::Magenta,
        EntryKind::Overrun => Color::Red,
        EntryKind::Answer | EntryKind::Confirmation => Color::Yellow,
        EntryKind::Drill => Color::Blue,
        EntryKind::Unknown => Color::Reset,
        _ => Color::Reset,
    }
}

fn draw_timeline(frame: &mut Frame, area: Rect, r: &Review) {
    let lang = r.lang;
    let search = match (&r.typing, &r.search) {
        (Some(t), _) => format!(" · /{t}▏"),
        (None, Some(q)) => trf(lang, " · search: {}", &[q]),
        _ => String::new(),
    };
    let title = format!(
        " {} · {} · {}/{}{search} ",
        tr(lang, "Timeline"),
        r.filter.name(lang),
        if r.visible.is_empty() {
            0
        } else {
            r.selected + 1
        },
        r.visible.len()
    );
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height);
    if r.visible.is_empty() {
        frame.render_widget(Paragraph::new(tr(lang, " nothing matches")), inner);
        return;
    }
    // Only the window on screen is built, so a 100 000-event journal stays fast.
    let start = r.selected.saturating_sub(height.saturating_sub(1));
    let opened = r.journal.incident.opened_at;
    let lines: Vec<Line> = r.visible[start..(start + height).min(r.visible.len())]
        .iter()
        .enumerate()
        .map(|(i, &idx)| {
            let e = &r.entries[idx];
            let text = printable(&e.text);
            let mut line = Line::from(vec![
                Span::styled(utc_time(e.ts), theme::dim()),
                Span::raw(format!(" {:>8} ", offset(opened, e.ts))),
                Span::styled(
                    format!("{:<13.13} ", e.step.as_deref().unwrap_or("")),
                    Style::new().fg(Color::Blue),
                ),
                Span::styled(text, Style::new().fg(kind_color(e.kind, e.failed))),
            ]);
            if start + i == r.selected {
                line = line.style(Style::new().add_modifier(Modifier::REVERSED));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Journal text on one line, without escape sequences or control characters:
/// a journal is a file anyone can edit, and nothing from it may reach the
/// terminal raw (the sequences go whole, not just their ESC).
fn printable(s: &str) -> String {
    crate::text::one_line(s).into_owned()
}

/// The selected entry is a drill's end (`drill_ended`, `drill_scored`): its
/// pane shows the breakdown and the root cause.
fn drill_end_selected(r: &Review) -> bool {
    let Some(e) = r.selected_entry() else {
        return false;
    };
    let records = &r.journal.records;
    r.drill.is_some()
        && e.kind == EntryKind::Drill
        && records
            .binary_search_by_key(&e.seq, |rec| rec.seq)
            .ok()
            .is_some_and(|i| {
                matches!(
                    records[i].event,
                    Event::DrillEnded { .. } | Event::DrillScored { .. }
                )
            })
}

fn draw_selected(frame: &mut Frame, area: Rect, r: &Review) {
    let block = Block::bordered().title(format!(" {} ", tr(r.lang, "Selected event")));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(e) = r.selected_entry() else {
        return;
    };
    let opened = r.journal.incident.opened_at;
    let head = Line::from(vec![
        Span::styled(utc_time(e.ts), theme::dim()),
        Span::raw(format!(" {} ", offset(opened, e.ts))),
        Span::styled(
            e.step.clone().unwrap_or_default(),
            Style::new().fg(Color::Blue),
        ),
    ]);
    let mut lines = vec![head];
    lines.extend(e.text.lines().map(|l| {
        Line::from(Span::styled(
            printable(l),
            Style::new().fg(kind_color(e.kind, e.failed)),
        ))
    }));
    // The end of a drill: its score breakdown and, now that it is over,
    // the root cause the trainee did not see.
    if let (true, Some(d)) = (drill_end_selected(r), &r.drill) {
        if let Some(s) = &d.score {
            lines.push(Line::from(""));
            lines.extend(
                s.breakdown(r.lang)
                    .lines()
                    .map(|l| Line::from(printable(l))),
            );
        }
        if let Some(h) = &d.hidden {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                tr(r.lang, "Root cause (hidden from the trainee):"),
                Style::new().add_modifier(Modifier::BOLD),
            )));
            lines.extend(h.lines().map(|l| Line::from(printable(l))));
        }
    }
    frame.render_widget(crate::tui::draw::wrap::paragraph(lines, inner.width), inner);
}

fn draw_footer(frame: &mut Frame, area: Rect, r: &Review) {
    if let Some(busy) = r.file_work_text() {
        frame.render_widget(
            Paragraph::new(busy).style(Style::new().fg(Color::Yellow)),
            area,
        );
        return;
    }
    if let Some(notice) = &r.notice {
        frame.render_widget(
            Paragraph::new(format!(" {notice}")).style(Style::new().fg(Color::Yellow)),
            area,
        );
        return;
    }
    let confirming = r.seat.as_ref().is_some_and(|s| s.confirm.is_some());
    let lang = r.lang;
    let help = if r.help {
        tr(lang, " any key closes the help")
    } else if r.postmortem.is_some() {
        tr(
            lang,
            " Tab next field · Ctrl-S saves beside the journal · Esc cancels",
        )
    } else if confirming {
        tr(
            lang,
            " type the word asked for · Enter send · Esc cancel (nothing sent)",
        )
    } else if r.typing.is_some() {
        tr(
            lang,
            " type to search command output and notes · Enter apply · Esc clear",
        )
    } else if r.output.is_some() && r.seat.is_some() {
        tr(
            lang,
            " ↑↓ PgUp PgDn scroll · Esc/Enter close · trainer: h hint · p pause · i inject · e end · ? help",
        )
    } else if r.output.is_some() {
        tr(lang, " ↑↓ PgUp PgDn scroll · Esc/Enter close · read-only")
    } else if r.seat.is_some() {
        tr(
            lang,
            " t panel · h hint · p pause/resume · i inject · e end │ ? help · q quit · ↑↓ · 1-7 filter · / search · Enter output",
        )
    } else {
        tr(
            lang,
            " ? help · q quit · Enter output · 1-7 filter (? lists them) · / search · [ ] step · P postmortem",
        )
    };
    frame.render_widget(Paragraph::new(help).style(theme::dim()), area);
}

fn draw_output(frame: &mut Frame, area: Rect, r: &Review) {
    let Some((run, scroll)) = r.output else {
        return;
    };
    let Some(run) = r.journal.incident.runs.get(&run) else {
        return;
    };
    let mut lines = Vec::new();
    let title = if run.kind == RunKind::Command {
        // The command line above its output, line breaks kept, as it ran.
        for row in crate::tui::draw::command_rows(&run.command_line_or_target) {
            lines.push(Line::styled(
                printable(&row),
                Style::new().add_modifier(Modifier::BOLD),
            ));
        }
        format!(" {} · {} ", run.item, state_text(r.lang, run))
    } else {
        trf(
            r.lang,
            " check {} · {} · {} ",
            &[
                &printable(&run.command_line_or_target),
                &run.item,
                &state_text(r.lang, run),
            ],
        )
    };
    let had = lines.len();
    lines.extend(styled_lines(&run.output));
    if run.kind == RunKind::Check {
        lines.insert(0, Line::from(run.summary.clone()));
        lines.extend(styled_lines(&run.evidence));
    }
    if lines.len() == had {
        lines.push(Line::styled(
            tr(r.lang, "(no output recorded)"),
            theme::dim(),
        ));
    }
    let height = usize::from(area.height.saturating_sub(2));
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(shown).block(Block::bordered().title(title)),
        area,
    );
}
