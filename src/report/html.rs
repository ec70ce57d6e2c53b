//! The self-contained HTML report: inline CSS, inline SVG, no scripts, no
//! external references; every piece of journal text is escaped. Formats the
//! [`ReportModel`].

use std::fmt::Write;

use crate::i18n::{Lang, tr, trf};
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

/// Added for Chinese: closing punctuation never starts a line.
const CSS_ZH: &str = "body{line-break:strict}\n";

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
        let (o, lang) = (&mut self.0, m.lang);
        let heading = trf(lang, "Incident report: {}", &[&esc(&m.title)]);
        let css_zh = if lang == Lang::Zh { CSS_ZH } else { "" };
        let _ = write!(
            o,
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{heading}</title>\n<style>{CSS}{css_zh}</style>\n</head>\n<body>\n<h1>{heading}</h1>\n",
            lang.as_str(),
        );
        for p in &m.problems {
            let _ = writeln!(
                o,
                "<p class=\"problem\"><strong>{}</strong> {}</p>",
                tr(lang, "Journal problem:"),
                esc(p)
            );
        }
        if m.summary.open {
            let _ = writeln!(
                o,
                "<p class=\"open\">{} — {}</p>",
                tr(lang, "OPEN"),
                trf(
                    lang,
                    "this incident was not resolved; times run to the last recorded event ({}).",
                    &[&utc_datetime(m.summary.end)]
                )
            );
        }
    }

    fn chart(&mut self, m: &ReportModel) {
        let _ = writeln!(self.0, "<h2>{}</h2>", tr(m.lang, "Timeline chart"));
        self.0.push_str(&svg::render(m));
    }

    fn end(&mut self, _m: &ReportModel) {
        self.0.push_str("</body>\n</html>\n");
    }

    fn summary(&mut self, m: &ReportModel) {
        let o = &mut self.0;
        let _ = write!(
            o,
            "<h2>{}</h2>\n<table class=\"summary\">\n",
            tr(m.lang, "Summary")
        );
        for (k, v) in &m.facts {
            let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(v));
        }
        o.push_str("</table>\n");
    }

    fn drill(&mut self, m: &ReportModel) {
        let Some(d) = &m.drill else { return };
        let (o, lang) = (&mut self.0, m.lang);
        let _ = write!(
            o,
            "<h2>{}</h2>\n<table class=\"drill\">\n",
            tr(lang, "Drill")
        );
        for (k, v) in d.rows() {
            let _ = writeln!(o, "<tr><th>{k}</th><td>{}</td></tr>", esc(&v));
        }
        o.push_str("</table>\n");
        if let Some(s) = &d.score {
            let _ = write!(
                o,
                "<h3>{}</h3>\n<table class=\"score\">\n<tr><th>{}</th><th>{}</th></tr>\n",
                tr(lang, "Score breakdown"),
                tr(lang, "Points"),
                tr(lang, "For")
            );
            for l in &s.lines {
                let class = if l.points < 0 { " class=\"fail\"" } else { "" };
                let _ = writeln!(
                    o,
                    "<tr><td class=\"num\">{:+}</td><td{class}>{}</td></tr>",
                    l.points,
                    esc(&crate::drill::score::line_text(lang, &l.what))
                );
            }
            o.push_str("</table>\n");
        }
        if !d.expected().is_empty() {
            let _ = write!(
                o,
                "<h3>{}</h3>\n<ul class=\"expected\">\n",
                tr(lang, "Expected path")
            );
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
            (tr(lang, "Brief"), &d.brief),
            (tr(lang, "Root cause (hidden from the trainee)"), &d.hidden),
        ] {
            if let Some(t) = text {
                let _ = writeln!(o, "<h3>{title}</h3>\n<blockquote>{}</blockquote>", esc(t));
            }
        }
    }

    fn steps(&mut self, m: &ReportModel) {
        let (o, sum, lang) = (&mut self.0, &m.summary, m.lang);
        let _ = write!(
            o,
            "<h2>{}</h2>\n<table class=\"steps\">\n<tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
            tr(lang, "Steps"),
            tr(lang, "Step"),
            tr(lang, "State"),
            tr(lang, "Time spent"),
            tr(lang, "Budget"),
            tr(lang, "Over budget")
        );
        for (i, s) in sum.steps.iter().enumerate() {
            let flag = s.flag_in(lang);
            let class = s.flag().replace(' ', "-");
            let mitigation = if s.mitigation {
                tr(lang, " (mitigation)")
            } else {
                ""
            };
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
        let (o, lang) = (&mut self.0, m.lang);
        let start = m.incident.opened_at;
        let _ = write!(
            o,
            "<h2>{}</h2>\n<table class=\"timeline\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
            tr(lang, "Timeline"),
            tr(lang, "Time (UTC)"),
            tr(lang, "Offset"),
            tr(lang, "Step"),
            tr(lang, "Event")
        );
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
        let (o, lang) = (&mut self.0, m.lang);
        let _ = writeln!(o, "<h2>{}</h2>", tr(lang, "Commands"));
        let mut commands = m.commands().peekable();
        if commands.peek().is_none() {
            let _ = writeln!(o, "<p>{}</p>", tr(lang, "No commands were run."));
            return;
        }
        let _ = write!(
            o,
            "<table class=\"commands\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
            tr(lang, "Offset"),
            tr(lang, "Step"),
            tr(lang, "Command and output"),
            tr(lang, "Result"),
            tr(lang, "Took")
        );
        for c in commands {
            command(o, m, &c);
        }
        o.push_str("</table>\n");
    }

    fn checks(&mut self, m: &ReportModel) {
        let (o, lang) = (&mut self.0, m.lang);
        let _ = writeln!(o, "<h2>{}</h2>", tr(lang, "Checks"));
        let mut checks = m.checks().peekable();
        if checks.peek().is_none() {
            let _ = writeln!(o, "<p>{}</p>", tr(lang, "No checks were run."));
            return;
        }
        let _ = write!(
            o,
            "<table class=\"checks\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
            tr(lang, "Offset"),
            tr(lang, "Step"),
            tr(lang, "Check"),
            tr(lang, "Target"),
            tr(lang, "Status"),
            tr(lang, "Summary and evidence")
        );
        for c in checks {
            let r = c.run;
            // Folded like command output: the summary is on the row.
            let evidence = match &c.evidence {
                Some(ev) => format!(
                    "<details class=\"evidence\"><summary>{}</summary><pre>{}</pre></details>",
                    trf(lang, "evidence: {} line(s)", &[&ev.lines().count()]),
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
        let (o, lang) = (&mut self.0, m.lang);
        let inc = m.incident;
        let _ = writeln!(o, "<h2>{}</h2>", tr(lang, "Notes"));
        if m.notes.is_empty() {
            let _ = writeln!(o, "<p>{}</p>", tr(lang, "No notes."));
        }
        for n in m.notes {
            let step = esc(n.step.as_deref().unwrap_or("—"));
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
            let _ = writeln!(
                o,
                "<p><strong>{head}</strong></p>\n<blockquote class=\"note\">{}</blockquote>",
                esc(&n.text)
            );
        }
    }

    fn postmortem(&mut self, m: &ReportModel) {
        let (o, lang) = (&mut self.0, m.lang);
        let pm = &m.postmortem.postmortem;
        let _ = writeln!(o, "<h2>{}</h2>", tr(lang, "Postmortem"));
        if let Some((by, at)) = &m.postmortem.edited {
            let _ = writeln!(
                o,
                "<p class=\"edited\">{}</p>",
                trf(
                    lang,
                    "Edited after the incident by {} ({}).",
                    &[&esc(by), &esc(at)]
                )
            );
        }
        o.push_str("<dl class=\"postmortem\">\n");
        for (title, text) in super::model::postmortem_sections(lang, pm) {
            let body = if text.trim().is_empty() {
                format!(
                    "<em>{}</em>",
                    tr(
                        lang,
                        "Not written yet (at resolve, or later with <code>runbook review</code>, key P)."
                    )
                )
            } else {
                esc(text).to_string()
            };
            let _ = writeln!(o, "<dt>{title}</dt><dd>{body}</dd>");
        }
        let _ = writeln!(o, "</dl>\n<h3>{}</h3>", tr(lang, "Action items"));
        if m.action_items.is_empty() {
            let _ = writeln!(
                o,
                "<p>{}</p>",
                tr(
                    lang,
                    "None recorded (at resolve, with <code>runbook review</code>, or as notes in the prevention step)."
                )
            );
            return;
        }
        let _ = writeln!(
            o,
            "<table class=\"actions\">\n<tr><th>{}</th><th>{}</th></tr>",
            tr(lang, "Action"),
            tr(lang, "Owner")
        );
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
        let (o, lang) = (&mut self.0, m.lang);
        if m.unknown.is_empty() {
            return;
        }
        let _ = write!(
            o,
            "<h2>{}</h2>\n<p>{}</p>\n<table class=\"unknown\">\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
            tr(lang, "Unknown events"),
            tr(lang, "Written by a newer program; kept, not interpreted."),
            tr(lang, "Seq"),
            tr(lang, "Time (UTC)"),
            tr(lang, "Type")
        );
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
    let (r, lang) = (c.run, m.lang);
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
        format!(
            "<div class=\"dim\">{}</div>",
            tr(lang, "(no output recorded)")
        )
    } else if c.no_output() {
        format!(
            "<details class=\"output\"><summary>{}</summary>\n{full_line}</details>",
            tr(lang, "the whole command (no output recorded)")
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
            "<details class=\"output\"><summary>{} — <code>{}</code></summary>\n{full_line}<pre>{}</pre>\n</details>",
            trf(lang, "output: {} line(s)", &[&lines]),
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
