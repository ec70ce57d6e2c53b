//! The self-contained HTML report: inline CSS, inline SVG, no scripts, no
//! external references; every piece of journal text is escaped. Formats the
//! [`ReportModel`].

use std::fmt::Write;

use crate::runbook::duration::format_duration;

use super::model::{CommandReport, ReportModel, Sections};
use super::text::{html_escape as esc, offset, utc_datetime, utc_time};
use super::{LoadedJournal, svg};

const CSS: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1b1b1b}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{white-space:nowrap}table.score{width:auto;min-width:40%}
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
details summary{cursor:pointer;color:#1565c0}.dim{color:#777}
table.commands code.command-line{white-space:pre-wrap;word-break:break-all}
table.commands details pre{max-height:40em;overflow:auto}
dl.postmortem dt{font-weight:bold;margin-top:.4em}dl.postmortem dd{margin:0 0 .4em 1em;white-space:pre-wrap}
.timeline-chart .marker{stroke-width:2;stroke-dasharray:4 3}.timeline-chart .marker.mitigated{stroke:#2e7d32}
.timeline-chart .marker.resolved{stroke:#1565c0}.timeline-chart .marker.began{stroke:#c62828}
.timeline-chart .marker-label{font:11px sans-serif}
.timeline-chart .step-bar.skipped rect{fill:none;stroke:#888;stroke-dasharray:3 2}
@media print{body{margin:0;max-width:none;font-size:10px}summary{color:#333}th,td{padding:1px 4px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:.8em 0 .3em}pre{margin:.2em 0}
h2{break-after:avoid}tr,pre,.timeline-chart{break-inside:avoid}a{color:inherit}}
";

/// Renders the whole report as one HTML document.
pub fn render(j: &LoadedJournal) -> String {
    format(&ReportModel::build(j))
}

/// Formats the model as one HTML document.
pub fn format(m: &ReportModel) -> String {
    let mut html = Html(String::with_capacity(8192 + m.timeline.len() * 160));
    m.write(&mut html);
    html.0
}

/// The HTML being written.
struct Html(String);

impl Sections for Html {
    fn begin(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        let title = esc(&m.title);
        let _ = write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Incident report: {title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>Incident report: {title}</h1>\n",
        );
        for p in &m.problems {
            let _ = writeln!(
                o,
                "<p class=\"problem\"><strong>Journal problem:</strong> {}</p>",
                esc(p)
            );
        }
        if m.summary.open {
            let _ = writeln!(
                o,
                "<p class=\"open\">OPEN — this incident was not resolved; times run to the last recorded event ({}).</p>",
                utc_datetime(m.summary.end)
            );
        }
    }

    fn chart(&mut self, m: &ReportModel) {
        self.0.push_str("<h2>Timeline chart</h2>\n");
        self.0.push_str(&svg::render(m));
    }

    fn end(&mut self, _m: &ReportModel) {
        self.0.push_str("</body>\n</html>\n");
    }

    fn summary(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        o.push_str("<h2>Summary</h2>\n<table class=\"summary\">\n");
        for (k, v) in &m.facts {
            let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(v));
        }
        o.push_str("</table>\n");
    }

    fn drill(&mut self, m: &ReportModel) {
        let Some(d) = &m.drill else { return };
        let o = &mut self.0;
        o.push_str("<h2>Drill</h2>\n<table class=\"drill\">\n");
        for (k, v) in d.rows() {
            let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
        }
        o.push_str("</table>\n");
        if let Some(s) = &d.score {
            o.push_str("<h3>Score breakdown</h3>\n<table class=\"score\">\n<tr><th>Points</th><th>For</th></tr>\n");
            for l in &s.lines {
                let class = if l.points < 0 { " class=\"fail\"" } else { "" };
                let _ = writeln!(
                    o,
                    "<tr><td class=\"num\">{:+}</td><td{class}>{}</td></tr>",
                    l.points,
                    esc(&l.what)
                );
            }
            o.push_str("</table>\n");
        }
        if !d.expected().is_empty() {
            o.push_str("<h3>Expected path</h3>\n<ul class=\"expected\">\n");
            for (id, used, order) in d.expected() {
                let (mark, class) = if *used {
                    ("✓", "pass")
                } else {
                    ("✗", "fail")
                };
                let order = order.map(|n| format!(" (#{n})")).unwrap_or_default();
                let _ = writeln!(
                    o,
                    "<li><span class=\"{class}\">{mark}</span> <code>{}</code>{order}</li>",
                    esc(id)
                );
            }
            o.push_str("</ul>\n");
        }
        for (title, text) in [
            ("Brief", &d.brief),
            ("Root cause (hidden from the trainee)", &d.hidden),
        ] {
            if let Some(t) = text {
                let _ = writeln!(o, "<h3>{title}</h3>\n<blockquote>{}</blockquote>", esc(t));
            }
        }
    }

    fn steps(&mut self, m: &ReportModel) {
        let (o, sum) = (&mut self.0, &m.summary);
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

    fn timeline(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        let start = m.incident.opened_at;
        o.push_str("<h2>Timeline</h2>\n<table class=\"timeline\">\n<tr><th>Time (UTC)</th><th>Offset</th><th>Step</th><th>Event</th></tr>\n");
        for e in m.printed_timeline() {
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
        if let Some(line) = m.webhook_line() {
            let _ = writeln!(o, "<p>{}</p>", esc(&line));
        }
    }

    fn commands(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        o.push_str("<h2>Commands</h2>\n");
        let mut commands = m.commands().peekable();
        if commands.peek().is_none() {
            o.push_str("<p>No commands were run.</p>\n");
            return;
        }
        o.push_str("<table class=\"commands\">\n<tr><th>Offset</th><th>Step</th><th>Command and output</th><th>Result</th><th>Took</th></tr>\n");
        for c in commands {
            command(o, m, &c);
        }
        o.push_str("</table>\n");
    }

    fn checks(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        o.push_str("<h2>Checks</h2>\n");
        let mut checks = m.checks().peekable();
        if checks.peek().is_none() {
            o.push_str("<p>No checks were run.</p>\n");
            return;
        }
        o.push_str("<table class=\"checks\">\n<tr><th>Offset</th><th>Step</th><th>Check</th><th>Target</th><th>Status</th><th>Summary and evidence</th></tr>\n");
        for c in checks {
            let r = c.run;
            // Folded like command output: the summary is on the row.
            let evidence = match &c.evidence {
                Some(ev) => format!(
                    "<details class=\"evidence\"><summary>evidence: {} line(s)</summary><pre>{}</pre></details>",
                    ev.lines().count(),
                    esc(ev)
                ),
                None => String::new(),
            };
            let _ = writeln!(
                o,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{} {}</td><td class=\"{}\">{}</td><td>{}{evidence}</td></tr>",
                offset(m.incident.opened_at, r.started_at),
                esc(&r.step),
                esc(&r.item),
                esc(&r.check_kind),
                esc(&r.command_line_or_target),
                if c.passed { "pass" } else { "fail" },
                esc(&c.state),
                esc(&r.summary),
            );
        }
        o.push_str("</table>\n");
    }

    fn notes(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        let inc = m.incident;
        o.push_str("<h2>Notes</h2>\n");
        if m.notes.is_empty() {
            o.push_str("<p>No notes.</p>\n");
        }
        for n in m.notes {
            let _ = writeln!(
                o,
                "<p><strong>{} ({}), step {}{}:</strong></p>\n<blockquote class=\"note\">{}</blockquote>",
                utc_time(n.ts),
                offset(inc.opened_at, n.ts),
                esc(n.step.as_deref().unwrap_or("—")),
                if n.update { ", status update" } else { "" },
                esc(&n.text)
            );
        }
    }

    fn postmortem(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        let pm = &m.postmortem.postmortem;
        o.push_str("<h2>Postmortem</h2>\n");
        if let Some((by, at)) = &m.postmortem.edited {
            let _ = writeln!(
                o,
                "<p class=\"edited\">Edited after the incident by {} ({}).</p>",
                esc(by),
                esc(at)
            );
        }
        o.push_str("<dl class=\"postmortem\">\n");
        for (title, text) in [
            ("Root cause", &pm.root_cause),
            ("What helped", &pm.helped),
            ("What hurt", &pm.hurt),
        ] {
            let body = if text.trim().is_empty() {
                "<em>Not written yet (at resolve, or later with <code>runbook review</code>, key P).</em>".to_string()
            } else {
                esc(text).to_string()
            };
            let _ = writeln!(o, "<dt>{title}</dt><dd>{body}</dd>");
        }
        o.push_str("</dl>\n<h3>Action items</h3>\n");
        if m.action_items.is_empty() {
            o.push_str("<p>None recorded (at resolve, with <code>runbook review</code>, or as notes in the prevention step).</p>\n");
            return;
        }
        o.push_str("<table class=\"actions\">\n<tr><th>Action</th><th>Owner</th></tr>\n");
        for a in &m.action_items {
            let owner = if a.owner.is_empty() {
                "—"
            } else {
                a.owner.as_str()
            };
            let _ = writeln!(
                o,
                "<tr><td>☐ {}</td><td>{}</td></tr>",
                esc(&a.what),
                esc(owner)
            );
        }
        o.push_str("</table>\n");
    }

    fn unknown_events(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        if m.unknown.is_empty() {
            return;
        }
        o.push_str("<h2>Unknown events</h2>\n<p>Written by a newer program; kept, not interpreted.</p>\n<table class=\"unknown\">\n<tr><th>Seq</th><th>Time (UTC)</th><th>Type</th></tr>\n");
        for u in m.unknown {
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
}

/// One command as a row: when, step, the command line with its output
/// folded under it (a click opens it, on screen; in print it stays folded),
/// the result and the time taken.
fn command(o: &mut String, m: &ReportModel, c: &CommandReport) {
    let r = c.run;
    // The row shows the command line's first line; a longer one is in
    // full inside the fold, above the output.
    let line = &r.command_line_or_target;
    let head: String = line.lines().next().unwrap_or("").chars().take(80).collect();
    let cut = head.len() < line.trim_end().len();
    let full_line = if cut {
        format!("<pre class=\"command-line\">$ {}</pre>", esc(line))
    } else {
        String::new()
    };
    let output = if c.no_output() && !cut {
        "<div class=\"dim\">(no output recorded)</div>".to_string()
    } else if c.no_output() {
        format!(
            "<details class=\"output\"><summary>the whole command (no output recorded)</summary>\n{full_line}</details>"
        )
    } else {
        let lines = c.output.lines().count();
        let first: String = c
            .output
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .chars()
            .take(90)
            .collect();
        format!(
            "<details class=\"output\"><summary>output: {lines} line(s) — <code>{}</code></summary>\n{full_line}<pre>{}</pre>\n</details>",
            esc(first.trim()),
            esc(c.output.trim_end_matches('\n'))
        )
    };
    let _ = writeln!(
        o,
        "<tr id=\"run-{}\"><td class=\"num\">{}</td><td>{}</td><td><strong>{}</strong> <code class=\"command-line\">$ {}{}</code>{output}</td><td class=\"{}\">{}</td><td class=\"num\">{}</td></tr>",
        r.id,
        offset(m.incident.opened_at, r.started_at),
        esc(&r.step),
        esc(&r.item),
        esc(&head),
        if cut { " …" } else { "" },
        if c.passed { "pass" } else { "fail" },
        esc(&c.state),
        c.took,
    );
}
