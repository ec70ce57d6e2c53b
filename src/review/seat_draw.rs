//! Drawing the trainer's seat: the panel beside the timeline, the typed
//! confirmation, and the key help (review's keys, the trainer's on a drill).
//! Pure functions of [`Review`]; every text from the journal or the scenario
//! goes through the sanitiser.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

use super::seat::{Seat, Tone};
use super::{Review, help, trainer_help};
use crate::i18n::{tr, trf};
use crate::incident::CheckStatus;
use crate::report::text::utc_time;
use crate::tui::theme;

/// Journal or scenario text on one line, sanitised.
fn printable(s: &str) -> String {
    crate::text::one_line(s).into_owned()
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// `m:ss` (or `h:mm:ss`).
fn clock(d: std::time::Duration) -> String {
    crate::tui::draw::clock(d)
}

/// The colour of a request's outcome.
pub fn tone_colour(t: Tone) -> Color {
    match t {
        Tone::Waiting => Color::Yellow,
        Tone::Done => Color::Green,
        Tone::Refused => Color::Red,
    }
}

/// The trainer's panel: state, hints, score and the last request first (they
/// change), then the root cause, the expected path, the `fixed` checks and
/// the escalation fault.
pub fn draw_panel(frame: &mut Frame, area: Rect, r: &Review, seat: &Seat) {
    let v = &seat.view;
    let (inc, lang) = (&r.journal.incident, r.lang);
    let mut lines: Vec<Line> = Vec::new();

    // State, then time left.
    lines.push(Line::from(match (&v.ended, &v.paused) {
        (Some(how), _) => vec![Span::styled(
            trf(
                lang,
                " ENDED: {} ",
                &[&printable(&crate::drill::score::outcome_text(lang, how))],
            ),
            theme::badge(Color::Blue),
        )],
        (None, Some(why)) => vec![
            Span::styled(tr(lang, " PAUSED "), theme::badge(Color::Yellow)),
            Span::raw(format!(" {}", printable(why))),
        ],
        (None, None) => vec![Span::styled(
            tr(lang, " RUNNING "),
            theme::badge(Color::Green),
        )],
    }));
    if v.ended.is_none()
        && let Some(left) = v.left(inc, seat.now)
    {
        let style = if left.as_secs() < 120 && v.paused.is_none() {
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            bold()
        };
        lines.push(Line::from(vec![
            Span::styled(clock(left), style),
            Span::raw(if v.paused.is_some() {
                tr(lang, " left (stands still while paused)")
            } else {
                tr(lang, " left")
            }),
        ]));
    }

    // Hints and score.
    let total = v
        .hints_total
        .map_or_else(|| "?".to_string(), |n| n.to_string());
    lines.push(Line::from(trf(
        lang,
        "hints {}/{} · trainee {}, trainer {}",
        &[&v.hints_used(), &total, &v.hints_by.0, &v.hints_by.1],
    )));
    if let Some(s) = &v.score {
        let text = if v.ended.is_some() {
            trf(lang, "score {}/100", &[&s.score])
        } else {
            trf(lang, "score so far {} (if resolved now)", &[&s.so_far])
        };
        lines.push(Line::from(Span::styled(text, bold())));
    }
    // The last request.
    if let Some(said) = &seat.said {
        let text = seat.waiting().unwrap_or_else(|| said.text.clone());
        lines.push(Line::from(Span::styled(
            format!("▸ {}", printable(&text)),
            Style::new().fg(tone_colour(said.tone)),
        )));
    }
    if let Some(why) = &v.no_scenario {
        lines.push(Line::from(Span::styled(printable(why), theme::dim())));
    }

    if let Some(h) = &v.hidden {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            tr(lang, "Root cause (hidden)"),
            bold(),
        )));
        lines.extend(h.lines().map(|l| Line::from(format!(" {}", printable(l)))));
    }

    if !v.expected.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(tr(lang, "Expected path"), bold())));
        for (id, used) in &v.expected {
            lines.push(match used {
                Some((order, at)) => Line::from(vec![
                    Span::styled(" ✓ ", Style::new().fg(Color::Green)),
                    Span::raw(printable(id)),
                    Span::styled(format!(" #{order} {}", utc_time(*at)), theme::dim()),
                ]),
                None => Line::from(vec![
                    Span::styled(" · ", theme::dim()),
                    Span::raw(printable(id)),
                ]),
            });
        }
    }

    if !v.fixed_checks.is_empty() {
        lines.push(Line::from(""));
        let hold = v
            .hold
            .map(|h| {
                trf(
                    lang,
                    " (all pass {})",
                    &[&crate::runbook::format_duration(h)],
                )
            })
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(tr(lang, "Fixed checks"), bold()),
            Span::styled(hold, theme::dim()),
        ]));
        for (id, last) in &v.fixed_checks {
            let (mark, colour, word) = match last {
                Some((CheckStatus::Pass, _)) => ("✓", Color::Green, tr(lang, "pass")),
                Some((CheckStatus::Warn, _)) => ("!", Color::Yellow, tr(lang, "warn")),
                Some((CheckStatus::Fail, _)) => ("✗", Color::Red, tr(lang, "fail")),
                Some((CheckStatus::Error, _)) => ("✗", Color::Red, tr(lang, "error")),
                None => ("·", Color::Reset, tr(lang, "not checked yet")),
            };
            let mut spans = vec![
                Span::styled(format!(" {mark} "), Style::new().fg(colour)),
                Span::raw(printable(id)),
                Span::styled(format!(" {word}"), Style::new().fg(colour)),
            ];
            if let Some((_, at)) = last {
                spans.push(Span::styled(format!(" {}", utc_time(*at)), theme::dim()));
            }
            lines.push(Line::from(spans));
        }
    }
    lines.push(match v.fixed_at {
        Some(at) => Line::from(Span::styled(
            trf(lang, "fix detected {}", &[&utc_time(at)]),
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        )),
        None => Line::from(Span::styled(tr(lang, "fix not detected yet"), theme::dim())),
    });

    if v.no_scenario.is_none() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(tr(lang, "Escalation (i)"), bold())));
        if v.escalation.is_empty() {
            lines.push(Line::from(Span::styled(
                tr(lang, " none in this scenario (no `at: trainer` fault)"),
                theme::dim(),
            )));
        }
        for (id, at) in &v.escalation {
            lines.push(Line::from(match at {
                Some(at) => trf(lang, " {} injected {}", &[&printable(id), &utc_time(*at)]),
                None => trf(lang, " {} ready", &[&printable(id)]),
            }));
        }
    }

    let title = if area.width >= 30 {
        tr(lang, " Trainer · t hides ")
    } else {
        tr(lang, " Trainer ")
    };
    let block = Block::bordered()
        .title(title)
        .border_style(Style::new().fg(Color::Blue));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(crate::tui::draw::wrap::paragraph(lines, inner.width), inner);
}

/// Rows a line takes wrapped to `width` (at least one).
fn rows(line: &Line, width: u16) -> u16 {
    let w = line.width().max(1);
    let width = usize::from(width.max(1));
    w.div_ceil(width).try_into().unwrap_or(u16::MAX)
}

fn dialog(frame: &mut Frame, area: Rect, title: &str, colour: Color, lines: Vec<Line>) {
    let w = area.width.saturating_sub(4).min(76);
    let inner_w = w.saturating_sub(2);
    let h = lines.iter().map(|l| rows(l, inner_w)).sum::<u16>() + 2;
    let rect = crate::tui::draw::overlay::centered(area, w, h);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(colour))
        .title(Span::styled(
            format!(" {title} "),
            Style::new().fg(colour).add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(crate::tui::draw::wrap::paragraph(lines, inner.width), inner);
}

/// The typed confirmation before a request that changes the running drill,
/// as the live screen asks before a dangerous command.
pub fn draw_confirm(frame: &mut Frame, area: Rect, r: &Review, seat: &Seat) {
    let Some(c) = &seat.confirm else {
        return;
    };
    let lang = r.lang;
    let lines = vec![
        Line::from(Span::styled(
            tr(lang, " This changes the running drill:"),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        )),
        Line::from(""),
        Line::from(Span::styled(format!("   {}", printable(&c.what)), bold())),
        Line::from(""),
        Line::from(vec![
            Span::raw(tr(lang, " Type ")),
            Span::styled(
                printable(&c.expected),
                Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            ),
            Span::raw(tr(lang, " and press Enter to send it. Esc cancels.")),
        ]),
        Line::from(vec![
            Span::styled("> ", theme::dim()),
            Span::raw(printable(&c.typed)),
            Span::styled("█", Style::new().fg(Color::Cyan)),
        ]),
    ];
    dialog(
        frame,
        area,
        tr(lang, "Confirm trainer request"),
        Color::Red,
        lines,
    );
}

/// The key help: review's keys, and the trainer's on a drill in `watch`.
pub fn draw_help(frame: &mut Frame, area: Rect, r: &Review) {
    let trainer = trainer_help(r.lang);
    let trainer: &[(&str, &str)] = if r.seat.is_some() { &trainer } else { &[] };
    let mut lines = vec![Line::from("")];
    for (k, what) in help(r.lang).iter().chain(trainer) {
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {k:<15}"),
                Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            ),
            Span::raw(*what),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        tr(
            r.lang,
            " read-only: nothing here writes the journal · any key closes this help",
        ),
        theme::dim(),
    )));
    dialog(frame, area, tr(r.lang, "Keys"), Color::Cyan, lines);
}
