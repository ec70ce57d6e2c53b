//! The Markdown postmortem: formats the [`ReportModel`].

use std::fmt::Write;

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
        let o = &mut self.0;
        let _ = writeln!(o, "# Incident report: {}\n", md_cell(&m.title));
        for p in &m.problems {
            let _ = writeln!(o, "> **Journal problem:** {}\n", md_cell(p));
        }
        if m.summary.open {
            let _ = writeln!(
                o,
                "> **OPEN** — this incident was not resolved; times run to the last recorded event ({}).\n",
                utc_datetime(m.summary.end)
            );
        }
    }

    fn summary(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        o.push_str("## Summary\n\n| | |\n|---|---|\n");
        for (k, v) in &m.facts {
            let _ = writeln!(o, "| {k} | {} |", md_cell(v));
        }
        o.push('\n');
    }

    fn drill(&mut self, m: &ReportModel) {
        let Some(d) = &m.drill else { return };
        let o = &mut self.0;
        o.push_str("## Drill\n\n| | |\n|---|---|\n");
        for (k, v) in d.rows() {
            let _ = writeln!(o, "| {k} | {} |", md_cell(&v));
        }
        o.push('\n');
        if let Some(s) = &d.score {
            o.push_str("### Score breakdown\n\n| Points | For |\n|---|---|\n");
            for l in &s.lines {
                let _ = writeln!(o, "| {:+} | {} |", l.points, md_cell(&l.what));
            }
            o.push('\n');
        }
        if !d.expected().is_empty() {
            o.push_str("### Expected path\n\n");
            for (id, used, order) in d.expected() {
                let mark = if *used { "✓" } else { "✗" };
                let order = order.map(|n| format!(" (#{n})")).unwrap_or_default();
                let _ = writeln!(o, "- {mark} `{}`{order}", md_cell(id));
            }
            o.push('\n');
        }
        for (title, text) in [
            ("Brief", &d.brief),
            ("Root cause (hidden from the trainee)", &d.hidden),
        ] {
            if let Some(t) = text {
                let fence = fence_for(t);
                let _ = writeln!(o, "### {title}\n\n{fence}text\n{t}\n{fence}\n");
            }
        }
    }

    fn steps(&mut self, m: &ReportModel) {
        let (o, sum) = (&mut self.0, &m.summary);
        o.push_str("## Steps\n\n| # | Step | State | Time spent | Budget | Over budget |\n|---|---|---|---|---|---|\n");
        for (i, s) in sum.steps.iter().enumerate() {
            let flag = match s.flag() {
                "" => String::new(),
                f => format!("**{f}**"),
            };
            let mitigation = if s.mitigation { " (mitigation)" } else { "" };
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
        let o = &mut self.0;
        let start = m.incident.opened_at;
        o.push_str("## Timeline\n\n| Time (UTC) | Offset | Step | Event |\n|---|---|---|---|\n");
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
        o.push_str("## Commands\n\n");
        let mut any = false;
        for c in m.commands() {
            any = true;
            command(o, m, &c);
        }
        if !any {
            o.push_str("No commands were run.\n\n");
        }
    }

    fn checks(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        o.push_str("## Checks\n\n");
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
                "- **{}** {} (step {}, {} {}, at {}){}",
                c.state,
                md_cell(&r.item),
                md_cell(&r.step),
                md_cell(&r.check_kind),
                md_cell(&r.command_line_or_target),
                offset(m.incident.opened_at, r.started_at),
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
            o.push_str("No checks were run.\n");
        }
        o.push('\n');
    }

    fn notes(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        let inc = m.incident;
        o.push_str("## Notes\n\n");
        if m.notes.is_empty() {
            o.push_str("No notes.\n\n");
        }
        for n in m.notes {
            let _ = writeln!(
                o,
                "**{} ({}), step {}{}:**\n",
                utc_time(n.ts),
                offset(inc.opened_at, n.ts),
                md_cell(n.step.as_deref().unwrap_or("—")),
                if n.update { ", status update" } else { "" }
            );
            for l in n.text.lines() {
                let _ = writeln!(o, "> {}", l.replace('<', "&lt;"));
            }
            o.push('\n');
        }
    }

    fn postmortem(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        let pm = &m.postmortem.postmortem;
        o.push_str(
            "## Postmortem

",
        );
        if let Some((by, at)) = &m.postmortem.edited {
            let _ = writeln!(
                o,
                "_Edited after the incident by {} ({})._\n",
                md_cell(by),
                md_cell(at)
            );
        }
        for (title, text) in [
            ("Root cause", &pm.root_cause),
            ("What helped", &pm.helped),
            ("What hurt", &pm.hurt),
        ] {
            let _ = writeln!(o, "### {title}\n");
            if text.trim().is_empty() {
                o.push_str(
                    "_Not written yet (at resolve, or later with `runbook review`, key P)._\n\n",
                );
            } else {
                for l in text.lines() {
                    let _ = writeln!(o, "{}  ", md_cell(l));
                }
                o.push('\n');
            }
        }
        o.push_str("### Action items\n\n");
        if m.action_items.is_empty() {
            o.push_str("None recorded (at resolve, with `runbook review`, or as notes in the prevention step).\n\n");
            return;
        }
        o.push_str("| | Action | Owner |\n|---|---|---|\n");
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
        let o = &mut self.0;
        if m.unknown.is_empty() {
            return;
        }
        o.push_str("## Unknown events\n\nWritten by a newer program; kept, not interpreted.\n\n| Seq | Time (UTC) | Type |\n|---|---|---|\n");
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
    let r = c.run;
    let _ = writeln!(
        o,
        "### Run {}: {} (step {})\n\n- started {} ({}), {}, took {}\n",
        r.id,
        md_cell(&r.item),
        md_cell(&r.step),
        utc_time(r.started_at),
        offset(m.incident.opened_at, r.started_at),
        c.state,
        c.took,
    );
    let line = format!("$ {}", r.command_line_or_target);
    let f = fence_for(&line);
    let _ = writeln!(o, "{f}sh\n{line}\n{f}\n");
    if c.no_output() {
        o.push_str("(no output recorded)\n\n");
        return;
    }
    let shown = c.excerpt.as_deref().unwrap_or(&c.output);
    let f = fence_for(shown);
    let _ = writeln!(o, "{f}text\n{}\n{f}\n", shown.trim_end_matches('\n'));
}
