//! Opening an incident: runbook, variables, journal, first event. Shared by
//! `start`, `diagnose` and `drill`; errors are printed here and turned into
//! the exit code the caller should return.

use std::path::Path;

use chrono::{DateTime, FixedOffset};

use crate::i18n::{Lang, tr, trf};
use crate::incident::{Event, JOURNAL_SCHEMA, Mode, RunbookRef, StepOutline};
use crate::journal;
use crate::runbook::template::{Vars, resolve_vars};
use crate::runbook::{self, Runbook, catalog, embedded, load::LoadedRunbook};
use crate::secrets::Masker;
use crate::session::Session;

/// A freshly opened incident.
pub struct Opened {
    /// The runbook followed.
    pub runbook: Runbook,
    /// Its resolved variables.
    pub vars: Vars,
    /// The incident's session (journal open, `incident_opened` written).
    pub session: Session,
}

/// Splits `--var NAME=VALUE` arguments; the error is in `lang`.
pub fn parse_var_args(args: &[String], lang: Lang) -> Result<Vec<(String, String)>, String> {
    args.iter()
        .map(|a| match a.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(trf(lang, "--var expects NAME=VALUE, got `{}`", &[a])),
        })
        .collect()
}

/// Loads a runbook by path or id, or the default embedded one.
pub fn load_runbook(arg: Option<&str>) -> Result<LoadedRunbook, i32> {
    let loaded = match arg {
        Some(a) => catalog::resolve(a),
        None => embedded::load_default(),
    };
    loaded.map_err(|e| {
        crate::text::eprintln!("{e}");
        2
    })
}

/// The steps as journaled in `incident_opened`.
pub fn outlines(rb: &Runbook) -> Vec<StepOutline> {
    rb.steps
        .iter()
        .map(|s| StepOutline {
            id: s.id.clone(),
            title: s.title.clone(),
            expected_ms: s.budget.expected.map(|d| d.as_millis() as u64),
            limit_ms: s.budget.limit.map(|d| d.as_millis() as u64),
            mitigation: s.mitigation,
            checklist: s.checklist.clone(),
        })
        .collect()
}

/// Loads the runbook, resolves variables, opens the journal and records
/// `incident_opened`. On failure the message is printed and the exit code returned.
pub fn open_incident(
    runbook_arg: Option<&str>,
    var_args: &[String],
    log_dir: Option<&Path>,
    title: &str,
    mode: Mode,
    now: DateTime<FixedOffset>,
) -> Result<Opened, i32> {
    let lang = Lang::from_env();
    let loaded = load_runbook(runbook_arg)?;
    let overrides = parse_var_args(var_args, lang).map_err(|e| {
        crate::text::eprintln!("runbook: {e}");
        2
    })?;
    let vars =
        resolve_vars(&loaded.runbook, &overrides, &|k| std::env::var(k).ok()).map_err(|e| {
            crate::text::eprintln!("runbook: {}", e.message(lang));
            2
        })?;
    let rb = loaded.runbook;
    let dir = journal::log_dir(log_dir);
    let opened = Event::IncidentOpened {
        schema: JOURNAL_SCHEMA,
        incident_id: format!("{}-{}", now.format("%Y%m%dT%H%M%S"), std::process::id()),
        title: title.to_string(),
        runbook: RunbookRef {
            id: rb.id.clone(),
            title: rb.title.clone(),
            path: loaded.origin.label(),
            sha256: loaded.sha256.clone(),
        },
        steps: outlines(&rb),
        vars: vars.masked_map(),
        host: crate::session::host_name(),
        user: crate::session::user_name(),
        mode,
        program_version: env!("CARGO_PKG_VERSION").to_string(),
        lang: rb.lang.clone().unwrap_or_default(),
    };
    let masker = Masker::new(vars.secret_values());
    let session = Session::start(&dir, opened, masker, now).map_err(|e| {
        match &e {
            // Nothing is running yet, so nothing is held for later: say so plainly.
            crate::journal::JournalError::Write { path, source, .. } => crate::text::eprintln!(
                "runbook: {}",
                trf(
                    lang,
                    "cannot write the incident journal {}: {}",
                    &[&path.display(), source]
                )
            ),
            other => crate::text::eprintln!(
                "runbook: {}",
                trf(
                    lang,
                    "cannot open the incident journal: {}",
                    &[&other.message(lang)]
                )
            ),
        }
        crate::text::eprintln!(
            "  {}",
            tr(
                lang,
                "(free some space, or choose another directory with --log-dir or RUNBOOK_LOG_DIR)"
            )
        );
        2
    })?;
    Ok(Opened {
        runbook: rb,
        vars,
        session,
    })
}

/// The runbook an existing journal was following, and whether it changed
/// since; the error is in `lang` (a runbook's diagnostics stay English).
pub fn runbook_of_journal(r: &RunbookRef, lang: Lang) -> Result<(LoadedRunbook, bool), String> {
    let loaded = if let Some(name) = r.path.strip_prefix("embedded:") {
        match embedded::load(name) {
            Some(Ok(l)) => l,
            Some(Err(e)) => return Err(e.to_string()),
            None => {
                return Err(trf(
                    lang,
                    "the embedded runbook `{}` is not in this version of runbook",
                    &[&name],
                ));
            }
        }
    } else {
        runbook::load::load_file(Path::new(&r.path)).map_err(|e| {
            trf(
                lang,
                "the incident's runbook {} cannot be loaded:\n{}",
                &[&r.path, &e],
            )
        })?
    };
    let changed = loaded.sha256 != r.sha256;
    Ok((loaded, changed))
}
