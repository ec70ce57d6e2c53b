//! The inline SVG timeline chart: one bar per step on the incident's real
//! time axis (from the problem's start when given, else the opening, to the
//! resolution or the last event), against its budget window (cut at the
//! axis's end), with markers for commands, failed checks and notes, and
//! vertical lines where the problem began, the service was mitigated and
//! the incident was resolved. A skipped step's bar is drawn as an outline.

use std::fmt::Write;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use crate::i18n::{Lang, tr, trf};
use crate::incident::{BudgetState, CheckStatus, Incident, RunKind, RunState};
use crate::runbook::duration::format_duration;

use super::model::ReportModel;
use super::text::{html_escape, span};

const WIDTH: f64 = 960.0;
const LABEL: f64 = 210.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 28.0;
const ROW: f64 = 22.0;

/// Axis tick spacings to choose from, seconds.
const TICKS: &[u64] = &[
    1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400, 604800,
];

struct Axis {
    start: DateTime<FixedOffset>,
    domain_ms: f64,
}

impl Axis {
    fn x_ms(&self, ms: f64) -> f64 {
        LABEL + (ms / self.domain_ms).clamp(0.0, 1.0) * (WIDTH - LABEL - RIGHT)
    }
    fn x(&self, ts: DateTime<FixedOffset>) -> f64 {
        self.x_ms(span(self.start, ts).as_millis() as f64)
    }
}

/// Renders the chart as an `<svg>` element (no external references).
pub fn render(m: &ReportModel) -> String {
    let (inc, sum, lang) = (m.incident, &m.summary, m.lang);
    let start = match inc.problem_started {
        Some(at) if at < inc.opened_at => at,
        _ => inc.opened_at,
    };
    let domain_ms = span(start, sum.end).as_millis() as f64;
    let axis = Axis {
        start,
        domain_ms: domain_ms.max(1000.0),
    };
    let height = TOP + ROW * inc.steps.len() as f64 + 36.0;
    let mut o = String::with_capacity(4096 + inc.runs.len() * 80);
    let _ = writeln!(
        o,
        r#"<svg class="timeline-chart" role="img" aria-label="{}" viewBox="0 0 {WIDTH} {height}" width="100%">"#,
        tr(lang, "Step timeline")
    );
    ticks(&mut o, &axis, height, lang);
    let end = sum.end;
    for (i, s) in inc.steps.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let title: String = s.outline.title.chars().take(30).collect();
        let _ = writeln!(
            o,
            r#"<text class="step-label" x="4" y="{:.1}">{}</text>"#,
            y + 15.0,
            html_escape(&title)
        );
        if let Some(first) = s.intervals.first() {
            let x0 = axis.x(first.start);
            let base = span(start, first.start).as_millis() as f64;
            if let Some(e) = s.outline.expected_ms {
                let w = axis.x_ms(base + e as f64) - x0;
                let _ = writeln!(
                    o,
                    r#"<rect class="budget-expected" x="{x0:.1}" y="{:.1}" width="{w:.1}" height="16"><title>{}</title></rect>"#,
                    y + 3.0,
                    trf(
                        lang,
                        "expected {}",
                        &[&format_duration(Duration::from_millis(e))]
                    )
                );
            }
            if let Some(l) = s.outline.limit_ms {
                let xl = axis.x_ms(base + l as f64);
                let _ = writeln!(
                    o,
                    r#"<line class="budget-limit" x1="{xl:.1}" x2="{xl:.1}" y1="{:.1}" y2="{:.1}"><title>{}</title></line>"#,
                    y + 1.0,
                    y + 21.0,
                    trf(
                        lang,
                        "limit {}",
                        &[&format_duration(Duration::from_millis(l))]
                    )
                );
            }
        }
        let skipped = matches!(s.status, crate::incident::StepStatus::Skipped { .. });
        let class = match sum.steps.get(i).map(|r| r.budget_state) {
            _ if skipped => "skipped",
            Some(BudgetState::OverLimit) => "over-limit",
            Some(BudgetState::OverExpected) => "over-expected",
            _ => "within",
        };
        let spent = sum.steps.get(i).map_or(Duration::ZERO, |r| r.spent);
        let _ = writeln!(
            o,
            r#"<g class="step-bar {class}" data-step="{}"><title>{}</title>"#,
            html_escape(&s.outline.id),
            trf(
                lang,
                "{}: {} spent",
                &[&html_escape(&s.outline.title), &format_duration(spent)]
            )
        );
        for iv in &s.intervals {
            let x0 = axis.x(iv.start);
            let x1 = axis.x(iv.end.unwrap_or(end)).max(x0 + 1.0);
            let _ = writeln!(
                o,
                r#"<rect x="{x0:.1}" y="{:.1}" width="{:.1}" height="10"/>"#,
                y + 6.0,
                x1 - x0
            );
        }
        o.push_str("</g>\n");
    }
    markers(&mut o, inc, &axis, lang);
    milestones(&mut o, inc, &axis, height, lang);
    o.push_str("</svg>\n");
    o
}

fn ticks(o: &mut String, axis: &Axis, height: f64, lang: Lang) {
    let secs = axis.domain_ms / 1000.0;
    // At most about eight ticks, however long the incident (its timestamps
    // come from a file and may span millennia): past a week, whole weeks.
    let week = 604800u64;
    let step = TICKS
        .iter()
        .copied()
        .find(|t| secs / *t as f64 <= 8.0)
        .unwrap_or_else(|| week.saturating_mul((secs / 8.0 / week as f64).ceil() as u64));
    let mut t = 0u64;
    while (t as f64) <= secs {
        let x = axis.x_ms(t as f64 * 1000.0);
        let _ = writeln!(
            o,
            r#"<line class="tick" x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}"/><text class="tick-label" x="{x:.1}" y="16">+{}</text>"#,
            TOP - 4.0,
            height - 30.0,
            format_duration(Duration::from_secs(t))
        );
        t = t.saturating_add(step);
    }
    let y = height - 10.0;
    let _ = writeln!(
        o,
        r#"<text class="legend" x="4" y="{y:.1}">{}</text>"#,
        tr(
            lang,
            "bar: time spent (outline: skipped) · light band: expected · red tick: limit · ● command · ◆ failed check · ■ note · dashed lines: problem began, mitigated, resolved"
        )
    );
}

/// Vertical lines: the problem began (when given), mitigated, resolved.
fn milestones(o: &mut String, inc: &Incident, axis: &Axis, height: f64, lang: Lang) {
    let mitigated = inc
        .steps
        .iter()
        .filter(|s| s.outline.mitigation)
        .filter_map(|s| s.completed_at)
        .min();
    let began = inc.problem_started.filter(|t| *t < inc.opened_at);
    let lines = [
        ("began", tr(lang, "problem began"), began),
        ("mitigated", tr(lang, "mitigated"), mitigated),
        (
            "resolved",
            tr(lang, "resolved"),
            inc.resolved.as_ref().map(|(t, _)| *t),
        ),
    ];
    for (class, label, at) in lines {
        let Some(at) = at else { continue };
        let x = axis.x(at);
        let anchor = if x > WIDTH - 120.0 { "end" } else { "start" };
        let tx = if anchor == "end" { x - 3.0 } else { x + 3.0 };
        let _ = writeln!(
            o,
            r#"<line class="marker {class}" x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}"><title>{}</title></line><text class="marker-label" x="{tx:.1}" y="{:.1}" text-anchor="{anchor}">{label}</text>"#,
            TOP - 2.0,
            height - 30.0,
            trf(
                lang,
                "{} at +{}",
                &[&label, &format_duration(span(axis.start, at))]
            ),
            height - 32.0,
        );
    }
}

fn row_y(inc: &Incident, step: Option<&str>) -> f64 {
    let i = step.and_then(|s| inc.step_index(s));
    match i {
        Some(i) => TOP + ROW * i as f64,
        None => TOP - ROW + 4.0, // above the first row: not tied to a step
    }
}

fn markers(o: &mut String, inc: &Incident, axis: &Axis, lang: Lang) {
    for r in inc.runs.values() {
        let x = axis.x(r.started_at);
        let y = row_y(inc, Some(&r.step)) + 11.0;
        let tip = html_escape(&r.item);
        match (r.kind, r.state) {
            (RunKind::Command, _) => {
                let _ = writeln!(
                    o,
                    r#"<circle class="mark-command" cx="{x:.1}" cy="{:.1}" r="3"><title>{tip}</title></circle>"#,
                    y - 7.0
                );
            }
            (RunKind::Check, RunState::Check(CheckStatus::Fail | CheckStatus::Error)) => {
                let _ = writeln!(
                    o,
                    r#"<path class="mark-check-failed" d="M{x:.1} {:.1} l4 4 l-4 4 l-4 -4 z"><title>{}</title></path>"#,
                    y + 1.0,
                    trf(lang, "{} failed", &[&tip])
                );
            }
            _ => {}
        }
    }
    for n in &inc.notes {
        let x = axis.x(n.ts);
        let y = row_y(inc, n.step.as_deref()) + 2.0;
        let tip: String = n.text.chars().take(80).collect();
        let _ = writeln!(
            o,
            r#"<rect class="mark-note" x="{:.1}" y="{y:.1}" width="6" height="6"><title>{}</title></rect>"#,
            x - 3.0,
            html_escape(&tip)
        );
    }
}
