//! Post-incident reports: Markdown and self-contained HTML, rendered from a
//! folded journal so they never disagree with what the operator saw.
//!
//! Everything here is deterministic: "now" for an open incident is the last
//! event's timestamp, never the wall clock.

mod cli;
pub mod drill;
pub mod edits;
pub mod html;
pub mod markdown;
pub mod model;
pub mod summary;
pub mod svg;
pub mod text;
pub mod timeline;

use std::path::Path;

use crate::i18n::trf;
use crate::incident::{Incident, Record};
use crate::journal::{self, BadLine, JournalError, TornTail};

pub use cli::{ReportFormat, cli_run};
pub use model::ReportModel;
pub use summary::{StepRow, Summary};
pub use timeline::{Entry, EntryKind};

/// A journal read and folded, with what the reader found wrong with it.
#[derive(Debug, Clone)]
pub struct LoadedJournal {
    /// The journal's file name (no directory), as shown in reports.
    pub file_name: String,
    /// The records, in file order.
    pub records: Vec<Record>,
    /// The fold of `records`.
    pub incident: Incident,
    /// The timeline, built in the same fold (see [`timeline::fold`]).
    pub timeline: Vec<Entry>,
    /// A torn last line, if any.
    pub torn: Option<TornTail>,
    /// Damaged lines in the middle, skipped.
    pub skipped: Vec<BadLine>,
    /// Runs whose last output came from a tail checkpoint, not the journal.
    pub recovered_tails: Vec<crate::incident::RunId>,
    /// For a drill's journal: its scenario, when it can still be found.
    pub scenario: Option<drill::FoundScenario>,
    /// The reviewer's postmortem edits beside the journal (see [`edits`]),
    /// or why they cannot be read.
    pub edits: Result<Option<edits::Edits>, String>,
}

impl LoadedJournal {
    /// Reads and folds the journal at `path`. Torn and damaged lines are
    /// reported in the result; a future schema or a non-journal is an error.
    pub fn load(path: &Path) -> Result<LoadedJournal, JournalError> {
        let mut loaded = LoadedJournal::load_journal(path)?;
        loaded.scenario = find_scenario(&loaded.records);
        Ok(loaded)
    }

    /// [`LoadedJournal::load`] without looking for a drill's scenario (a
    /// follower that already found it reads the journal again this way).
    pub fn load_journal(path: &Path) -> Result<LoadedJournal, JournalError> {
        let read = journal::read(path)?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let mut loaded =
            LoadedJournal::from_parts(file_name, read.records, read.torn, read.skipped);
        loaded.add_checkpointed_tails(path);
        loaded.edits = edits::load(path, crate::i18n::Lang::of_incident(&loaded.incident));
        Ok(loaded)
    }

    /// When the program was killed during a flood and the incident was not
    /// resumed since, the last output it showed is in tail checkpoints next
    /// to the journal (see `journal::sidecar::checkpointed_tails`); fold it in, as
    /// `resume` would, without writing anything.
    fn add_checkpointed_tails(&mut self, path: &Path) {
        let tails = crate::journal::sidecar::checkpointed_tails(path, &self.incident);
        if tails.is_empty() {
            return;
        }
        let Some(last) = self.records.last().map(|r| (r.seq, r.ts)) else {
            return;
        };
        let (mut seq, ts) = last;
        for (run, events) in tails {
            self.recovered_tails.push(run);
            for event in events {
                seq += 1;
                self.records.push(Record { seq, ts, event });
            }
        }
        (self.incident, self.timeline) = timeline::fold(&self.records);
    }

    /// Folds already-read records.
    pub fn from_parts(
        file_name: String,
        records: Vec<Record>,
        torn: Option<TornTail>,
        skipped: Vec<BadLine>,
    ) -> LoadedJournal {
        let (incident, timeline) = timeline::fold(&records);
        LoadedJournal {
            file_name,
            records,
            incident,
            timeline,
            torn,
            skipped,
            recovered_tails: Vec::new(),
            scenario: None,
            edits: Ok(None),
        }
    }

    /// Sentences describing damage to the journal (empty when it is whole).
    /// In the incident's language.
    pub fn problems(&self) -> Vec<String> {
        let lang = crate::i18n::Lang::of_incident(&self.incident);
        let mut out = Vec::new();
        if let Some(t) = &self.torn {
            out.push(trf(
                lang,
                "The journal ends with a torn line (line {}, {} bytes) — the program stopped mid-write; everything before it is reported.",
                &[&t.line, &t.bytes],
            ));
        }
        for bad in &self.skipped {
            out.push(trf(
                lang,
                "Line {} of the journal is damaged and was skipped: {}",
                &[&bad.line, &bad.error],
            ));
        }
        if let Err(e) = &self.edits {
            out.push(trf(
                lang,
                "The reviewer's postmortem edits cannot be read and are left out: {}",
                &[e],
            ));
        }
        for run in &self.recovered_tails {
            out.push(trf(
                lang,
                "Run #{} has no end in the journal (the program died during it, or is still running it); its last output shown here comes from the tail checkpoint beside the journal, which `runbook resume` writes into the journal.",
                &[run],
            ));
        }
        out
    }
}

/// The action items: each non-empty line of the notes written in the
/// prevention step (id `prevention`, else the last step), list markers removed.
pub fn action_items(incident: &crate::incident::Incident) -> Vec<String> {
    let step = if incident.step_index("prevention").is_some() {
        Some("prevention")
    } else {
        incident.steps.last().map(|s| s.outline.id.as_str())
    };
    let Some(step) = step else {
        return Vec::new();
    };
    incident
        .notes
        .iter()
        .filter(|n| n.step.as_deref() == Some(step))
        .flat_map(|n| n.text.lines())
        .map(|l| {
            l.trim()
                .trim_start_matches(['-', '*', '•'])
                .trim_start()
                .trim_start_matches("[ ]")
                .trim()
                .to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// Renders in the chosen format.
pub fn render(j: &LoadedJournal, format: ReportFormat) -> String {
    let model = ReportModel::build(j);
    match format {
        ReportFormat::Markdown => markdown::format(&model),
        ReportFormat::Html => html::format(&model),
    }
}

/// The scenario a drill journal names: its file when it still exists,
/// else the scenario with that id (./drills, the user's, embedded).
fn find_scenario(records: &[Record]) -> Option<drill::FoundScenario> {
    let r = records.iter().find_map(|r| match &r.event {
        crate::incident::Event::DrillStarted { scenario, .. } => Some(scenario),
        _ => None,
    })?;
    let by_path = Path::new(&r.path)
        .is_file()
        .then(|| crate::drill::catalog::resolve(&r.path).ok())
        .flatten()
        .filter(|l| l.scenario.id == r.id);
    let loaded = by_path.or_else(|| crate::drill::catalog::resolve(&r.id).ok())?;
    Some(drill::FoundScenario {
        same: loaded.sha256 == r.sha256,
        scenario: loaded.scenario,
    })
}
