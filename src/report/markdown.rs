//! The Markdown postmortem: formats the [`ReportModel`].

use std::fmt::Write;

use crate::i18n::{tr, trf};
use crate::runbook::duration::format_duration;

use super::LoadedJournal;
use super::model::{CommandReport, ReportModel, Sections};
use super::text::{fence_for, md_cell, offset, utc_datetime, utc_time};

pub use super::model::state_text;

/// Renders the whole report as Markdown.
pub fn render(j: &LoadedJournal) -> String {
    format(&ReportModel::build(j))
}

/// Formats the model as Markdown.
pub fn format(m: &ReportModel) -> String {
    let mut md = Markdown(String::with_capacity(4096 + m.timeline.len() * 96));
    m.write(&mut md);
    md.0
}

/// The Markdown being written.
struct Markdown(String);

impl Sections for Markdown {
    fn begin(&mut self, m: &ReportModel) {
        let (o, lang) = (&mut self.0, m.lang);
        let _ = writeln!(
            o,
            "# {}\n",
            trf(lang, "Incident report: {}", &[&md_cell(&m.title)])
        );
        for p in &m.problems {
            let _ = writeln!(o, "> **{}** {}\n", tr(lang, "Journal problem:"), md_cell(p));
        }
        if m.summary.open {
            let _ = writeln!(
                o,
                "> **{}** — {}\n",
                tr(lang, "OPEN"),
                trf(
                    lang,
                    "this incident was not resolved; times run to the last recorded event ({}).",
                    &[&utc_datetime(m.summary.end)]
                )
            );
        }
    }

    fn summary(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        let _ = write!(o, "## {}\n\n| | |\n|---|---|\n", tr(m.lang, "Summary"));
        for (k, v) in &m.facts {
            let _ = writeln!(o, "| {k} | {} |", md_cell(v));
        }
        o.push('\n');
    }

    fn drill(&mut self, m: &ReportModel) {
        let Some(d) = &m.drill else { return };
        let (o, lang) = (&mut self.0, m.lang);
        let _ = write!(o, "## {}\n\n| | |\n|---|---|\n", tr(lang, "Drill"));
        for (k, v) in d.rows() {
            let _ = writeln!(o, "| {k} | {} |", md_cell(&v));
        }
        o.push('\n');
        if let Some(s) = &d.score {
            let _ = write!(
                o,
                "### {}\n\n| {} | {} |\n|---|---|\n",
                tr(lang, "Score breakdown"),
                tr(lang, "Points"),
                tr(lang, "For")
            );
            for l in &s.lines {
                let _ = writeln!(
                    o,
                    "| {:+} | {} |",
                    l.points,
                    md_cell(&crate::drill::score::line_text(lang, &l.what))
                );
            }
            o.push('\n');
        }
        if !d.expected().is_empty() {
            let _ = write!(o, "### {}\n\n", tr(lang, "Expected path"));
            for (id, used, order) in d.expected() {
                let mark = if *used { "✓" } else { "✗" };
                let order = order.map(|n| format!(" (#{n})")).unwrap_or_default();
                let _ = writeln!(o, "- {mark} `{}`{order}", md_cell(id));
            }
            o.push('\n');
        }
        for (title, text) in [
            (tr(lang, "Brief"), &d.brief),
            (tr(lang, "Root cause (hidden from the trainee)"), &d.hidden),
        ] {
            if let Some(t) = text {
                let fence = fence_for(t);
                let _ = writeln!(o, "### {title}\n\n{fence}text\n{t}\n{fence}\n");
            }
        }
    }

    fn steps(&mut self, m: &ReportModel) {
        let (o, sum, lang) = (&mut self.0, &m.summary, m.lang);
        let _ = write!(
            o,
            "## {}\n\n| # | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|\n",
            tr(lang, "Steps"),
            tr(lang, "Step"),
            tr(lang, "State"),
            tr(lang, "Time spent"),
            tr(lang, "Budget"),
            tr(lang, "Over budget")
        );
        for (i, s) in sum.steps.iter().enumerate() {
            let flag = match s.flag_in(lang) {
                "" => String::new(),
                f => format!("**{f}**"),
            };
            let mitigation = if s.mitigation {
                tr(lang, " (mitigation)")
            } else {
                ""
            };
            let _ = writeln!(
                o,
                "| {} | {}{mitigation} | {} | {} | {} | {flag} |",
                i + 1,
                md_cell(&s.title),
                md_cell(&s.state),
                format_duration(s.spent),
                s.budget,
            );
        }
        o.push('\n');
    }

    fn timeline(&mut self, m: &ReportModel) {
        let (o, lang) = (&mut self.0, m.lang);
        let start = m.incident.opened_at;
        let _ = write!(
            o,
            "## {}\n\n| {} | {} | {} | {} |\n|---|---|---|---|\n",
            tr(lang, "Timeline"),
            tr(lang, "Time (UTC)"),
            tr(lang, "Offset"),
            tr(lang, "Step"),
            tr(lang, "Event")
        );
        for e in m.printed_timeline() {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                utc_time(e.ts),
                offset(start, e.ts),
                md_cell(e.step.as_deref().unwrap_or("")),
                md_cell(&e.text)
            );
        }
        o.push('\n');
        if let Some(line) = m.webhook_line() {
            let _ = writeln!(o, "{line}\n");
        }
    }

    fn commands(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        let _ = write!(o, "## {}\n\n", tr(m.lang, "Commands"));
        let mut any = false;
        for c in m.commands() {
            any = true;
            command(o, m, &c);
        }
        if !any {
            let _ = write!(o, "{}\n\n", tr(m.lang, "No commands were run."));
        }
    }

    fn checks(&mut self, m: &ReportModel) {
        let (o, lang) = (&mut self.0, m.lang);
        let _ = write!(o, "## {}\n\n", tr(lang, "Checks"));
        let mut any = false;
        for c in m.checks() {
            any = true;
            let r = c.run;
            let summary = if r.summary.is_empty() {
                String::new()
            } else {
                format!(" — {}", r.summary)
            };
            let _ = writeln!(
                o,
                "- **{}** {} {}{}",
                c.state,
                md_cell(&r.item),
                trf(
                    lang,
                    "(step {}, {} {}, at {})",
                    &[
                        &md_cell(&r.step),
                        &md_cell(&r.check_kind),
                        &md_cell(&r.command_line_or_target),
                        &offset(m.incident.opened_at, r.started_at),
                    ]
                ),
                md_cell(&summary),
            );
            if let Some(ev) = &c.evidence {
                let f = fence_for(ev);
                let _ = writeln!(o, "\n  {f}text");
                for l in ev.lines() {
                    let _ = writeln!(o, "  {l}");
                }
                let _ = writeln!(o, "  {f}\n");
            }
        }
        if !any {
            let _ = writeln!(o, "{}", tr(lang, "No checks were run."));
        }
        o.push('\n');
    }

    fn notes(&mut self, m: &ReportModel) {
        let (o, lang) = (&mut self.0, m.lang);
        let inc = m.incident;
        let _ = write!(o, "## {}\n\n", tr(lang, "Notes"));
        if m.notes.is_empty() {
            let _ = write!(o, "{}\n\n", tr(lang, "No notes."));
        }
        for n in m.notes {
            let step = md_cell(n.step.as_deref().unwrap_or("—"));
            let (time, off) = (utc_time(n.ts), offset(inc.opened_at, n.ts));
            let head = if n.update {
                trf(
                    lang,
                    "{} ({}), step {}, status update:",
                    &[&time, &off, &step],
                )
            } else {
                trf(lang, "{} ({}), step {}:", &[&time, &off, &step])
            };
            let _ = writeln!(o, "**{head}**\n");
            for l in n.text.lines() {
                let _ = writeln!(o, "> {}", l.replace('<', "&lt;"));
            }
            o.push('\n');
        }
    }

    fn postmortem(&mut self, m: &ReportModel) {
        let (o, lang) = (&mut self.0, m.lang);
        let pm = &m.postmortem.postmortem;
        let _ = write!(o, "## {}\n\n", tr(lang, "Postmortem"));
        if let Some((by, at)) = &m.postmortem.edited {
            let _ = writeln!(
                o,
                "_{}_\n",
                trf(
                    lang,
                    "Edited after the incident by {} ({}).",
                    &[&md_cell(by), &md_cell(at)]
                )
            );
        }
        for (title, text) in super::model::postmortem_sections(lang, pm) {
            let _ = writeln!(o, "### {title}\n");
            if text.trim().is_empty() {
                let _ = write!(
                    o,
                    "_{}_\n\n",
                    tr(
                        lang,
                        "Not written yet (at resolve, or later with `runbook review`, key P)."
                    )
                );
            } else {
                for l in text.lines() {
                    let _ = writeln!(o, "{}  ", md_cell(l));
                }
                o.push('\n');
            }
        }
        let _ = write!(o, "### {}\n\n", tr(lang, "Action items"));
        if m.action_items.is_empty() {
            let _ = write!(
                o,
                "{}\n\n",
                tr(
                    lang,
                    "None recorded (at resolve, with `runbook review`, or as notes in the prevention step)."
                )
            );
            return;
        }
        let _ = write!(
            o,
            "| | {} | {} |\n|---|---|---|\n",
            tr(lang, "Action"),
            tr(lang, "Owner")
        );
        for a in &m.action_items {
            let owner = if a.owner.is_empty() {
                "—"
            } else {
                a.owner.as_str()
            };
            let _ = writeln!(o, "| [ ] | {} | {} |", md_cell(&a.what), md_cell(owner));
        }
        o.push('\n');
    }

    fn unknown_events(&mut self, m: &ReportModel) {
        let (o, lang) = (&mut self.0, m.lang);
        if m.unknown.is_empty() {
            return;
        }
        let _ = write!(
            o,
            "## {}\n\n{}\n\n| {} | {} | {} |\n|---|---|---|\n",
            tr(lang, "Unknown events"),
            tr(lang, "Written by a newer program; kept, not interpreted."),
            tr(lang, "Seq"),
            tr(lang, "Time (UTC)"),
            tr(lang, "Type")
        );
        for u in m.unknown {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                u.seq,
                utc_time(u.ts),
                md_cell(&u.type_name)
            );
        }
        o.push('\n');
    }
}

fn command(o: &mut String, m: &ReportModel, c: &CommandReport) {
    let (r, lang) = (c.run, m.lang);
    let _ = writeln!(
        o,
        "### {}\n\n- {}\n",
        trf(
            lang,
            "Run {}: {} (step {})",
            &[&r.id, &md_cell(&r.item), &md_cell(&r.step)]
        ),
        trf(
            lang,
            "started {} ({}), {}, took {}",
            &[
                &utc_time(r.started_at),
                &offset(m.incident.opened_at, r.started_at),
                &c.state,
                &c.took
            ]
        ),
    );
    let line = format!("$ {}", r.command_line_or_target);
    let f = fence_for(&line);
    let _ = writeln!(o, "{f}sh\n{line}\n{f}\n");
    if c.no_output() {
        let _ = write!(o, "{}\n\n", tr(lang, "(no output recorded)"));
        return;
    }
    let shown = c.excerpt.as_deref().unwrap_or(&c.output);
    let f = fence_for(shown);
    let _ = writeln!(o, "{f}text\n{}\n{f}\n", shown.trim_end_matches('\n'));
}
