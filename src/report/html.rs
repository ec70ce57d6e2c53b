//! The self-contained HTML report: inline CSS, inline SVG, no scripts, no
//! external references; every piece of journal text is escaped.

use std::fmt::Write;

use crate::incident::{Incident, Run, RunKind, RunState};
use crate::runbook::duration::format_duration;

use super::markdown::state_text;
use super::summary::{Summary, display_title, summary_rows};
use super::text::{
    KEEP_LINES, abbreviate, html_escape as esc, ms, offset, strip_sgr, utc_datetime, utc_time,
};
use super::timeline;
use super::{LoadedJournal, action_items, svg};

const CSS: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1b1b1b}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{white-space:nowrap}
pre{background:#f7f7f7;border:1px solid #e2e2e2;padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font:12px/1.35 ui-monospace,Menlo,Consolas,monospace}
.problem{background:#fff3cd;border:1px solid #e0b400;padding:.5em .8em;margin:.5em 0}
.open{background:#fde2e1;border:1px solid #c62828;padding:.5em .8em;margin:.5em 0;font-weight:bold}
.over-limit td.flag,.flag-over-limit{color:#b71c1c;font-weight:bold}.flag-over-expected{color:#a15c00;font-weight:bold}
.fail{color:#b71c1c;font-weight:bold}.pass{color:#1b5e20}
blockquote{margin:.3em 0 1em;padding:.2em .8em;border-left:4px solid #bbb;white-space:pre-wrap}
.timeline-chart{border:1px solid #ddd;background:#fff}
.timeline-chart .step-label,.timeline-chart .tick-label,.timeline-chart .legend{font:11px sans-serif;fill:#333}
.timeline-chart .tick{stroke:#eee}.timeline-chart .budget-expected{fill:#c8e6c9;opacity:.6}
.timeline-chart .budget-limit{stroke:#c62828;stroke-width:2}
.timeline-chart .step-bar.within rect{fill:#2e7d32}.timeline-chart .step-bar.over-expected rect{fill:#ef8f00}
.timeline-chart .step-bar.over-limit rect{fill:#c62828}
.timeline-chart .mark-command{fill:#1565c0}.timeline-chart .mark-check-failed{fill:#b71c1c}.timeline-chart .mark-note{fill:#6a1b9a}
details summary{cursor:pointer;color:#1565c0}
@media print{body{margin:0;max-width:none;font-size:11px}details>pre{display:block}summary{display:none}
h2{break-after:avoid}tr,pre,.timeline-chart{break-inside:avoid}a{color:inherit}}
";

/// Renders the whole report as one HTML document.
pub fn render(j: &LoadedJournal) -> String {
    let inc = &j.incident;
    let sum = Summary::of(inc);
    let title = display_title(inc);
    let mut o = String::with_capacity(8192 + j.records.len() * 160);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Incident report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>Incident report: {}</h1>\n",
        esc(&title),
        esc(&title)
    );
    for p in j.problems() {
        let _ = writeln!(
            o,
            "<p class=\"problem\"><strong>Journal problem:</strong> {}</p>",
            esc(&p)
        );
    }
    if sum.open {
        let _ = writeln!(
            o,
            "<p class=\"open\">OPEN — this incident was not resolved; times run to the last recorded event ({}).</p>",
            utc_datetime(sum.end)
        );
    }
    summary(&mut o, j, &sum);
    o.push_str("<h2>Timeline chart</h2>\n");
    o.push_str(&svg::render(inc, &sum));
    steps(&mut o, &sum);
    timeline_table(&mut o, j);
    commands(&mut o, inc);
    checks(&mut o, inc);
    notes(&mut o, inc);
    actions(&mut o, inc);
    unknown(&mut o, inc);
    o.push_str("</body>\n</html>\n");
    o
}

fn summary(o: &mut String, j: &LoadedJournal, sum: &Summary) {
    o.push_str("<h2>Summary</h2>\n<table class=\"summary\">\n");
    for (k, v) in summary_rows(j, sum) {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
    }
    o.push_str("</table>\n");
}

fn steps(o: &mut String, sum: &Summary) {
    o.push_str("<h2>Steps</h2>\n<table class=\"steps\">\n<tr><th>#</th><th>Step</th><th>State</th><th>Time spent</th><th>Budget</th><th>Over budget</th></tr>\n");
    for (i, s) in sum.steps.iter().enumerate() {
        let flag = s.flag();
        let class = flag.replace(' ', "-");
        let mitigation = if s.mitigation { " (mitigation)" } else { "" };
        let _ = writeln!(
            o,
            "<tr><td class=\"num\">{}</td><td>{}{mitigation}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"flag-{class}\">{flag}</td></tr>",
            i + 1,
            esc(&s.title),
            esc(&s.state),
            format_duration(s.spent),
            esc(&s.budget),
        );
    }
    o.push_str("</table>\n");
}

fn timeline_table(o: &mut String, j: &LoadedJournal) {
    let start = j.incident.opened_at;
    o.push_str("<h2>Timeline</h2>\n<table class=\"timeline\">\n<tr><th>Time (UTC)</th><th>Offset</th><th>Step</th><th>Event</th></tr>\n");
    for e in timeline::build(&j.records) {
        let class = if e.failed { " class=\"fail\"" } else { "" };
        let _ = writeln!(
            o,
            "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td{class}>{}</td></tr>",
            utc_time(e.ts),
            offset(start, e.ts),
            esc(e.step.as_deref().unwrap_or("")),
            esc(&e.text)
        );
    }
    o.push_str("</table>\n");
}

fn commands(o: &mut String, inc: &Incident) {
    o.push_str("<h2>Commands</h2>\n");
    let mut any = false;
    for r in inc.runs.values().filter(|r| r.kind == RunKind::Command) {
        any = true;
        command(o, inc, r);
    }
    if !any {
        o.push_str("<p>No commands were run.</p>\n");
    }
}

fn command(o: &mut String, inc: &Incident, r: &Run) {
    let dur = r.duration_ms.map(ms).unwrap_or_else(|| "—".into());
    let ok = matches!(r.state, RunState::Exited(0));
    let _ = writeln!(
        o,
        "<h3>Run {}: {} (step {})</h3>\n<p>started {} ({}), <span class=\"{}\">{}</span>, took {dur}</p>\n<pre class=\"command-line\">$ {}</pre>",
        r.id,
        esc(&r.item),
        esc(&r.step),
        utc_time(r.started_at),
        offset(inc.opened_at, r.started_at),
        if ok { "pass" } else { "fail" },
        esc(&state_text(r)),
        esc(&r.command_line_or_target),
    );
    let plain = strip_sgr(&r.output);
    if plain.trim().is_empty() {
        o.push_str("<p>(no output recorded)</p>\n");
        return;
    }
    let lines = plain.lines().count();
    let excerpt = abbreviate(&plain, KEEP_LINES);
    if let Some(ex) = &excerpt {
        let _ = writeln!(o, "<pre class=\"output-excerpt\">{}</pre>", esc(ex));
    }
    let open = if excerpt.is_none() { " open" } else { "" };
    let _ = writeln!(
        o,
        "<details class=\"output\"{open}><summary>Full output ({lines} lines)</summary>\n<pre>{}</pre>\n</details>",
        esc(plain.trim_end_matches('\n'))
    );
}

fn checks(o: &mut String, inc: &Incident) {
    o.push_str("<h2>Checks</h2>\n");
    let runs: Vec<&Run> = inc
        .runs
        .values()
        .filter(|r| r.kind == RunKind::Check)
        .collect();
    if runs.is_empty() {
        o.push_str("<p>No checks were run.</p>\n");
        return;
    }
    o.push_str("<table class=\"checks\">\n<tr><th>Offset</th><th>Step</th><th>Check</th><th>Target</th><th>Status</th><th>Summary and evidence</th></tr>\n");
    for r in runs {
        let passed = matches!(r.state, RunState::Check(crate::incident::CheckStatus::Pass));
        let evidence = if r.evidence.trim().is_empty() {
            String::new()
        } else {
            format!("<pre>{}</pre>", esc(&strip_sgr(&r.evidence)))
        };
        let _ = writeln!(
            o,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{} {}</td><td class=\"{}\">{}</td><td>{}{evidence}</td></tr>",
            offset(inc.opened_at, r.started_at),
            esc(&r.step),
            esc(&r.item),
            esc(&r.check_kind),
            esc(&r.command_line_or_target),
            if passed { "pass" } else { "fail" },
            esc(&state_text(r)),
            esc(&r.summary),
        );
    }
    o.push_str("</table>\n");
}

fn notes(o: &mut String, inc: &Incident) {
    o.push_str("<h2>Notes</h2>\n");
    if inc.notes.is_empty() {
        o.push_str("<p>No notes.</p>\n");
    }
    for n in &inc.notes {
        let _ = writeln!(
            o,
            "<p><strong>{} ({}), step {}:</strong></p>\n<blockquote class=\"note\">{}</blockquote>",
            utc_time(n.ts),
            offset(inc.opened_at, n.ts),
            esc(n.step.as_deref().unwrap_or("—")),
            esc(&n.text)
        );
    }
}

fn actions(o: &mut String, inc: &Incident) {
    o.push_str("<h2>Action items</h2>\n");
    let items = action_items(inc);
    if items.is_empty() {
        o.push_str("<p>None recorded (add notes to the prevention step).</p>\n");
        return;
    }
    o.push_str("<ul class=\"actions\">\n");
    for item in items {
        let _ = writeln!(o, "<li>{}</li>", esc(&item));
    }
    o.push_str("</ul>\n");
}

fn unknown(o: &mut String, inc: &Incident) {
    if inc.unknown_events.is_empty() {
        return;
    }
    o.push_str("<h2>Unknown events</h2>\n<p>Written by a newer program; kept, not interpreted.</p>\n<table class=\"unknown\">\n<tr><th>Seq</th><th>Time (UTC)</th><th>Type</th></tr>\n");
    for u in &inc.unknown_events {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            u.seq,
            utc_time(u.ts),
            esc(&u.type_name)
        );
    }
    o.push_str("</table>\n");
}
