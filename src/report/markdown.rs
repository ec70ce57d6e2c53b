//! The Markdown postmortem.

use std::fmt::Write;

use crate::incident::{Incident, Run, RunKind, RunState};
use crate::runbook::duration::format_duration;

use super::summary::{Summary, display_title, summary_rows};
use super::text::{
    KEEP_LINES, abbreviate, fence_for, md_cell, ms, offset, strip_sgr, utc_datetime, utc_time,
};
use super::timeline::{self, status_word};
use super::{LoadedJournal, action_items};

/// Renders the whole report as Markdown.
pub fn render(j: &LoadedJournal) -> String {
    let inc = &j.incident;
    let sum = Summary::of(inc);
    let mut o = String::with_capacity(4096 + j.records.len() * 96);
    let title = display_title(inc);
    let _ = writeln!(o, "# Incident report: {}\n", md_cell(&title));
    for p in j.problems() {
        let _ = writeln!(o, "> **Journal problem:** {}\n", md_cell(&p));
    }
    if sum.open {
        let _ = writeln!(
            o,
            "> **OPEN** — this incident was not resolved; times run to the last recorded event ({}).\n",
            utc_datetime(sum.end)
        );
    }
    summary(&mut o, j, &sum);
    steps(&mut o, &sum);
    timeline_table(&mut o, j);
    commands(&mut o, inc);
    checks(&mut o, inc);
    notes(&mut o, inc);
    actions(&mut o, inc);
    unknown(&mut o, inc);
    o
}

fn summary(o: &mut String, j: &LoadedJournal, sum: &Summary) {
    o.push_str("## Summary\n\n| | |\n|---|---|\n");
    for (k, v) in summary_rows(j, sum) {
        let _ = writeln!(o, "| {k} | {} |", md_cell(&v));
    }
    o.push('\n');
}

fn steps(o: &mut String, sum: &Summary) {
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

fn timeline_table(o: &mut String, j: &LoadedJournal) {
    let start = j.incident.opened_at;
    o.push_str("## Timeline\n\n| Time (UTC) | Offset | Step | Event |\n|---|---|---|---|\n");
    for e in timeline::build(&j.records) {
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
}

/// `exit 0`, `timed out`, `PASS`, `could not start: …`
pub fn state_text(r: &Run) -> String {
    match r.state {
        RunState::LaunchFailed => format!("could not start: {}", r.summary),
        RunState::Running => "still running at the end of the journal".into(),
        RunState::Exited(c) => format!("exit {c}"),
        RunState::Signaled(n) => format!("killed by signal {n}"),
        RunState::TimedOut => "timed out".into(),
        RunState::Cancelled => "cancelled".into(),
        RunState::Interrupted => "interrupted (program stopped)".into(),
        RunState::Check(st) => status_word(st).into(),
    }
}

fn commands(o: &mut String, inc: &Incident) {
    o.push_str("## Commands\n\n");
    let mut any = false;
    for r in inc.runs.values().filter(|r| r.kind == RunKind::Command) {
        any = true;
        command(o, inc, r);
    }
    if !any {
        o.push_str("No commands were run.\n\n");
    }
}

fn command(o: &mut String, inc: &Incident, r: &Run) {
    let dur = r.duration_ms.map(ms).unwrap_or_else(|| "—".into());
    let _ = writeln!(
        o,
        "### Run {}: {} (step {})\n\n- started {} ({}), {}, took {dur}\n",
        r.id,
        md_cell(&r.item),
        md_cell(&r.step),
        utc_time(r.started_at),
        offset(inc.opened_at, r.started_at),
        state_text(r),
    );
    let line = format!("$ {}", r.command_line_or_target);
    let f = fence_for(&line);
    let _ = writeln!(o, "{f}sh\n{line}\n{f}\n");
    let plain = strip_sgr(&r.output);
    if plain.trim().is_empty() {
        o.push_str("(no output recorded)\n\n");
        return;
    }
    let shown = abbreviate(&plain, KEEP_LINES).unwrap_or(plain);
    let f = fence_for(&shown);
    let _ = writeln!(o, "{f}text\n{}\n{f}\n", shown.trim_end_matches('\n'));
}

fn checks(o: &mut String, inc: &Incident) {
    o.push_str("## Checks\n\n");
    let mut any = false;
    for r in inc.runs.values().filter(|r| r.kind == RunKind::Check) {
        any = true;
        let summary = if r.summary.is_empty() {
            String::new()
        } else {
            format!(" — {}", r.summary)
        };
        let _ = writeln!(
            o,
            "- **{}** {} (step {}, {} {}, at {}){}",
            state_text(r),
            md_cell(&r.item),
            md_cell(&r.step),
            md_cell(&r.check_kind),
            md_cell(&r.command_line_or_target),
            offset(inc.opened_at, r.started_at),
            md_cell(&summary),
        );
        if !r.evidence.trim().is_empty() {
            let ev = strip_sgr(&r.evidence);
            let f = fence_for(&ev);
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

fn notes(o: &mut String, inc: &Incident) {
    o.push_str("## Notes\n\n");
    if inc.notes.is_empty() {
        o.push_str("No notes.\n\n");
    }
    for n in &inc.notes {
        let _ = writeln!(
            o,
            "**{} ({}), step {}:**\n",
            utc_time(n.ts),
            offset(inc.opened_at, n.ts),
            md_cell(n.step.as_deref().unwrap_or("—"))
        );
        for l in n.text.lines() {
            let _ = writeln!(o, "> {}", l.replace('<', "&lt;"));
        }
        o.push('\n');
    }
}

fn actions(o: &mut String, inc: &Incident) {
    o.push_str("## Action items\n\n");
    let items = action_items(inc);
    if items.is_empty() {
        o.push_str("None recorded (add notes to the prevention step).\n\n");
    }
    for item in items {
        let _ = writeln!(o, "- [ ] {}", md_cell(&item));
    }
    o.push('\n');
}

fn unknown(o: &mut String, inc: &Incident) {
    if inc.unknown_events.is_empty() {
        return;
    }
    o.push_str("## Unknown events\n\nWritten by a newer program; kept, not interpreted.\n\n| Seq | Time (UTC) | Type |\n|---|---|---|\n");
    for u in &inc.unknown_events {
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
