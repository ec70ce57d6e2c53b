//! The report model: everything a postmortem shows, computed once from the
//! folded journal. The Markdown and HTML renderers and `review` only format
//! it; none of them walks the events or derives a figure of its own.

use crate::i18n::{Lang, tr, trf};
use crate::incident::{CheckStatus, Incident, NoteEntry, Run, RunKind, RunState, UnknownEvent};

use super::summary::{Summary, display_title, summary_rows};
use super::text::{KEEP_LINES, abbreviate, ms, strip_sgr};
use super::timeline::{Entry, status_word};
use super::{LoadedJournal, action_items};

/// A folded journal as a report shows it.
#[derive(Debug, Clone)]
pub struct ReportModel<'a> {
    /// The fold of the journal (steps, runs, notes as recorded).
    pub incident: &'a Incident,
    /// The incident's language: every label of the report is in it.
    pub lang: Lang,
    /// The title, or a placeholder naming the runbook.
    pub title: String,
    /// Sentences describing damage to the journal (empty when it is whole).
    pub problems: Vec<String>,
    /// The figures: open or resolved, durations, one row per step.
    pub summary: Summary,
    /// The summary table as (label, value) rows.
    pub facts: Vec<(&'static str, String)>,
    /// Every event but output chunks, with its step as the fold had it.
    pub timeline: &'a [Entry],
    /// Notes in the order written.
    pub notes: &'a [NoteEntry],
    /// Severity, impact, root cause, what helped and hurt: the operator's
    /// draft with the reviewer's edits over it.
    pub postmortem: super::edits::Merged,
    /// The action items: the postmortem's (with owners), then each line of
    /// the prevention step's notes not already among them.
    pub action_items: Vec<crate::incident::ActionItem>,
    /// Events of types this program does not know.
    pub unknown: &'a [UnknownEvent],
    /// The drill block, for a drill's journal.
    pub drill: Option<super::drill::DrillReport>,
}

/// A report format: one method per section. [`ReportModel::write`] calls
/// them in the report's order, so every format has the same sections in the
/// same order and no format walks the incident itself.
pub trait Sections {
    /// Title, journal problems and the OPEN banner.
    fn begin(&mut self, m: &ReportModel);
    /// The summary table ([`ReportModel::facts`]).
    fn summary(&mut self, m: &ReportModel);
    /// The drill block (only for a drill's journal).
    fn drill(&mut self, _m: &ReportModel) {}
    /// The timeline chart, for a format that can draw one.
    fn chart(&mut self, _m: &ReportModel) {}
    /// The steps against their budgets.
    fn steps(&mut self, m: &ReportModel);
    /// The timeline table.
    fn timeline(&mut self, m: &ReportModel);
    /// Every command run with its output.
    fn commands(&mut self, m: &ReportModel);
    /// Every check run with its evidence.
    fn checks(&mut self, m: &ReportModel);
    /// The notes, verbatim.
    fn notes(&mut self, m: &ReportModel);
    /// The postmortem: root cause, what helped, what hurt, action items.
    fn postmortem(&mut self, m: &ReportModel);
    /// Events this program does not know (nothing when there are none).
    fn unknown_events(&mut self, m: &ReportModel);
    /// Whatever closes the document.
    fn end(&mut self, _m: &ReportModel) {}
}

/// A command run as the report shows it.
#[derive(Debug, Clone)]
pub struct CommandReport<'a> {
    /// The run as folded.
    pub run: &'a Run,
    /// `exit 0`, `timed out`, `could not start: …`
    pub state: String,
    /// It exited 0.
    pub passed: bool,
    /// Wall time (`1.2s`), `—` when unknown.
    pub took: String,
    /// The recorded output without colour.
    pub output: String,
    /// The output cut to its first and last lines with a marker, when long.
    pub excerpt: Option<String>,
}

/// A check run as the report shows it.
#[derive(Debug, Clone)]
pub struct CheckReport<'a> {
    /// The run as folded.
    pub run: &'a Run,
    /// `PASS`, `FAIL`, …
    pub state: String,
    /// It passed.
    pub passed: bool,
    /// The evidence without colour, when there is any.
    pub evidence: Option<String>,
}

impl<'a> ReportModel<'a> {
    /// The timeline as a report prints it: one row per command or check
    /// (its end, or its start while it runs; the Commands and Checks
    /// sections have the rest), and a webhook delivered is left out (it is
    /// in the journal and in `review`; one that failed stays).
    pub fn printed_timeline(&self) -> impl Iterator<Item = &'a Entry> + 'a {
        let mut last = std::collections::HashMap::new();
        for e in self.timeline {
            if let Some(run) = e.run {
                last.insert(run, e.seq);
            }
        }
        self.timeline.iter().filter(move |e| {
            (e.kind != super::timeline::EntryKind::Notify || e.failed)
                && e.run.is_none_or(|r| last.get(&r) == Some(&e.seq))
        })
    }

    /// `Webhooks: 12 messages delivered, 1 failed.`, when any were sent.
    pub fn webhook_line(&self) -> Option<String> {
        let sent: Vec<_> = self
            .incident
            .notifications
            .iter()
            .filter(|n| !n.is_setup())
            .collect();
        if sent.is_empty() {
            return None;
        }
        let failed = sent.iter().filter(|n| !n.ok).count();
        Some(trf(
            self.lang,
            "Webhooks: {} message(s) delivered, {} failed.",
            &[&(sent.len() - failed), &failed],
        ))
    }
    /// The model of a loaded journal; deterministic (no wall clock).
    pub fn build(j: &'a LoadedJournal) -> ReportModel<'a> {
        let inc = &j.incident;
        let lang = Lang::of_incident(inc);
        let summary = Summary::of(inc);
        let postmortem = super::edits::merge(inc, j.edits.as_ref().ok().and_then(Option::as_ref));
        let facts = summary_rows(j, &summary, &postmortem);
        let mut items = postmortem.postmortem.actions.clone();
        for line in action_items(inc) {
            if !items.iter().any(|a| a.what == line) {
                items.push(crate::incident::ActionItem {
                    what: line,
                    owner: String::new(),
                });
            }
        }
        ReportModel {
            incident: inc,
            lang,
            title: display_title(inc),
            problems: j.problems(),
            summary,
            facts,
            timeline: &j.timeline,
            notes: &inc.notes,
            postmortem,
            action_items: items,
            unknown: &inc.unknown_events,
            drill: super::drill::DrillReport::build(lang, &j.records, j.scenario.as_ref()),
        }
    }

    /// Writes every section, in order, in the format `f`.
    pub fn write(&self, f: &mut impl Sections) {
        f.begin(self);
        f.summary(self);
        f.postmortem(self);
        if self.drill.is_some() {
            f.drill(self);
        }
        f.chart(self);
        f.steps(self);
        f.timeline(self);
        f.commands(self);
        f.checks(self);
        f.notes(self);
        f.unknown_events(self);
        f.end(self);
    }

    /// The command runs in run order, output excerpts made as they are asked for.
    pub fn commands(&self) -> impl Iterator<Item = CommandReport<'a>> + use<'a> {
        let runs = self.incident.runs.values();
        let lang = self.lang;
        runs.filter(|r| r.kind == RunKind::Command)
            .map(move |r| CommandReport::of(lang, r))
    }

    /// The check runs in run order.
    pub fn checks(&self) -> impl Iterator<Item = CheckReport<'a>> + use<'a> {
        let runs = self.incident.runs.values();
        let lang = self.lang;
        runs.filter(|r| r.kind == RunKind::Check)
            .map(move |r| CheckReport::of(lang, r))
    }
}

impl<'a> CommandReport<'a> {
    fn of(lang: Lang, run: &'a Run) -> CommandReport<'a> {
        let output = strip_sgr(&run.output);
        let excerpt = abbreviate(lang, &output, KEEP_LINES);
        CommandReport {
            run,
            state: state_text(lang, run),
            passed: matches!(run.state, RunState::Exited(0)),
            took: run.duration_ms.map(ms).unwrap_or_else(|| "—".into()),
            output,
            excerpt,
        }
    }

    /// Nothing but blanks was recorded.
    pub fn no_output(&self) -> bool {
        self.output.trim().is_empty()
    }
}

impl<'a> CheckReport<'a> {
    fn of(lang: Lang, run: &'a Run) -> CheckReport<'a> {
        CheckReport {
            run,
            state: state_text(lang, run),
            passed: matches!(run.state, RunState::Check(CheckStatus::Pass)),
            evidence: (!run.evidence.trim().is_empty()).then(|| strip_sgr(&run.evidence)),
        }
    }
}

/// The postmortem's written sections, titled in `lang`, in the order every
/// report shows them (action items follow, as a table or list of their own).
pub fn postmortem_sections(
    lang: Lang,
    pm: &crate::incident::Postmortem,
) -> [(&'static str, &str); 3] {
    [
        (tr(lang, "Root cause"), pm.root_cause.as_str()),
        (tr(lang, "What helped"), pm.helped.as_str()),
        (tr(lang, "What hurt"), pm.hurt.as_str()),
    ]
}

/// `exit 0`, `timed out`, `PASS`, `could not start: …`
pub fn state_text(lang: Lang, r: &Run) -> String {
    match r.state {
        RunState::LaunchFailed => trf(lang, "could not start: {}", &[&r.summary]),
        RunState::Running => tr(lang, "still running at the end of the journal").into(),
        RunState::Exited(c) => trf(lang, "exit {}", &[&c]),
        RunState::Signaled(n) => trf(lang, "killed by signal {}", &[&n]),
        RunState::TimedOut => tr(lang, "timed out").into(),
        RunState::Cancelled => tr(lang, "cancelled").into(),
        RunState::Interrupted => tr(lang, "interrupted (program stopped)").into(),
        RunState::Check(st) => status_word(lang, st).into(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::{DateTime, Duration, FixedOffset};

    use super::*;
    use crate::incident::{
        DrillActor, Event, JOURNAL_SCHEMA, Mode, Record, RunbookRef, StepOutline,
    };

    fn at(secs: i64) -> DateTime<FixedOffset> {
        DateTime::UNIX_EPOCH.fixed_offset() + Duration::seconds(secs)
    }

    fn step(id: &str) -> StepOutline {
        StepOutline {
            id: id.into(),
            title: id.to_uppercase(),
            expected_ms: Some(60_000),
            limit_ms: Some(120_000),
            mitigation: false,
            checklist: Vec::new(),
        }
    }

    fn journal(events: Vec<Event>) -> LoadedJournal {
        let mut all = vec![Event::IncidentOpened {
            schema: JOURNAL_SCHEMA,
            incident_id: "inc".into(),
            title: String::new(),
            runbook: RunbookRef {
                id: "rb".into(),
                title: "Runbook".into(),
                path: "rb.yaml".into(),
                sha256: String::new(),
            },
            steps: vec![step("confirm"), step("logs")],
            vars: BTreeMap::new(),
            host: "h".into(),
            user: "u".into(),
            mode: Mode::Drill,
            program_version: "0".into(),
            lang: String::new(),
        }];
        all.extend(events);
        let records = all
            .into_iter()
            .zip(1..)
            .map(|(event, seq)| Record {
                seq,
                ts: at(seq as i64),
                event,
            })
            .collect();
        LoadedJournal::from_parts("j.jsonl".into(), records, None, Vec::new())
    }

    fn note(text: &str) -> Event {
        Event::Note {
            step: None,
            text: text.into(),
            update: false,
        }
    }

    /// Every entry's step is the fold's: the step its event names, the
    /// step current in the incident state, or for a finished run the step
    /// the run started in, whatever is current by then.
    #[test]
    fn timeline_steps_come_from_the_fold() {
        let j = journal(vec![
            Event::StepEntered {
                step: "confirm".into(),
            },
            Event::CheckStarted {
                run: 1,
                step: "confirm".into(),
                check: "amqp-port".into(),
                kind: "tcp".into(),
                target: "localhost:5672".into(),
            },
            Event::StepEntered {
                step: "logs".into(),
            },
            note("in logs"),
            Event::CheckFinished {
                run: 1,
                status: CheckStatus::Fail,
                summary: "refused".into(),
                evidence: String::new(),
                duration_ms: 5,
            },
            Event::DrillHint {
                index: 0,
                text: "look at the port".into(),
                cost: 5,
                by: DrillActor::Trainee,
            },
            Event::StepCompleted {
                step: "logs".into(),
            },
            note("between steps"),
        ]);
        let m = ReportModel::build(&j);
        let rows: Vec<(Option<&str>, &str, bool)> = m
            .timeline
            .iter()
            .map(|e| (e.step.as_deref(), e.text.as_str(), e.failed))
            .collect();
        assert_eq!(
            rows,
            vec![
                (None, "incident opened", false),
                (Some("confirm"), "step entered", false),
                (
                    Some("confirm"),
                    "check amqp-port (tcp localhost:5672)",
                    false
                ),
                (Some("logs"), "step entered", false),
                (Some("logs"), "note: in logs", false),
                (Some("confirm"), "check amqp-port: FAIL — refused", true),
                (Some("logs"), "hint 1 (−5): look at the port", false),
                (Some("logs"), "step completed", false),
                (None, "note: between steps", false),
            ]
        );
        assert_eq!(m.title, "(untitled) Runbook");
        let checks: Vec<_> = m.checks().map(|c| (c.state, c.passed)).collect();
        assert_eq!(checks, vec![("FAIL".to_string(), false)]);
    }

    /// Output chunks are not entries; a long output is cut to an excerpt
    /// with its colour stripped, the full text kept beside it.
    #[test]
    fn commands_carry_plain_output_and_an_excerpt() {
        let long: String = (1..=100)
            .map(|i| format!("\u{1b}[1mline {i}\u{1b}[0m\n"))
            .collect();
        let j = journal(vec![
            Event::CommandStarted {
                run: 1,
                step: "confirm".into(),
                command: "ping".into(),
                command_line: "rabbitmq-diagnostics ping".into(),
                pid: None,
            },
            Event::CommandOutput {
                run: 1,
                stream: crate::incident::Stream::Stdout,
                text: long,
            },
            Event::CommandFinished {
                run: 1,
                exit_code: Some(0),
                signal: None,
                timed_out: false,
                cancelled: false,
                duration_ms: 1200,
                bytes: 1000,
                truncated: false,
                launch_error: None,
            },
        ]);
        let m = ReportModel::build(&j);
        assert_eq!(m.timeline.len(), 3);
        let c: Vec<CommandReport> = m.commands().collect();
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].state.as_str(), c[0].passed), ("exit 0", true));
        assert_eq!(c[0].took, "1.2s");
        assert!(c[0].output.starts_with("line 1\nline 2\n"));
        let excerpt = c[0].excerpt.as_deref().unwrap_or_default();
        assert!(
            excerpt.contains("line 40\n[… 20 lines omitted"),
            "{excerpt}"
        );
    }
}
