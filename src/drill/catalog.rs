//! Where scenarios are found: `./drills`, the user's
//! `~/.config/runbook/drills`, then the embedded set; the same lookup order
//! as runbooks, so a local copy overrides an embedded scenario of that id.

use std::path::Path;

use crate::drill::scenario::{
    LoadedScenario, RunbookCache, embedded, load_embedded_with, load_file_with,
};
use crate::runbook::catalog::{files_in, stem};
use crate::runbook::load::LoadError;

/// One scenario in `runbook drill list`; a broken file carries its error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    /// Scenario id (the file stem when the file does not load).
    pub id: String,
    /// Title (empty when the file does not load).
    pub title: String,
    /// The trainer's label, 1 to 5.
    pub difficulty: Option<u8>,
    /// Sandbox nodes (0 when the file does not load).
    pub nodes: u8,
    /// `embedded`, `./drills/x.yaml`, `~/.config/runbook/drills/x.yaml`.
    pub source: String,
    /// Why the file does not load.
    pub error: Option<String>,
}

type Found = (CatalogEntry, Result<LoadedScenario, LoadError>);

fn entry(source: String, stem: &str, res: Result<LoadedScenario, LoadError>) -> Found {
    let e = match &res {
        Ok(l) => CatalogEntry {
            id: l.scenario.id.clone(),
            title: l.scenario.title.clone(),
            difficulty: l.scenario.difficulty,
            nodes: l.scenario.broker.nodes,
            source,
            error: None,
        },
        Err(e) => CatalogEntry {
            id: stem.to_string(),
            title: String::new(),
            difficulty: None,
            nodes: 0,
            source,
            error: Some(e.to_string()),
        },
    };
    (e, res)
}

fn scan() -> Vec<Found> {
    let mut cache = RunbookCache::default();
    let mut out: Vec<Found> = files_in("drills")
        .into_iter()
        .map(|(p, source)| entry(source, &stem(&p), load_file_with(&p, &mut cache)))
        .collect();
    for (name, _) in embedded::all() {
        if let Some(res) = load_embedded_with(name, &mut cache) {
            out.push(entry("embedded".into(), name, res));
        }
    }
    out
}

/// Every scenario found, in lookup order.
pub fn list() -> Vec<CatalogEntry> {
    scan().into_iter().map(|(e, _)| e).collect()
}

/// An existing path loads that file; otherwise an id (first valid match in
/// lookup order wins).
pub fn resolve(arg: &str) -> Result<LoadedScenario, LoadError> {
    let path = Path::new(arg);
    if path.exists() {
        return crate::drill::scenario::load_file(path);
    }
    let found = scan();
    let mut ids: Vec<String> = Vec::new();
    for (e, res) in found {
        if e.error.is_some() {
            continue;
        }
        if e.id == arg {
            return res;
        }
        ids.push(e.id);
    }
    ids.sort();
    ids.dedup();
    Err(LoadError::single(
        arg,
        1,
        1,
        format!("no scenario file or id `{arg}`"),
        Some(format!(
            "known ids: {}; or give a path to a .yaml file (`runbook drill list` shows them all)",
            ids.join(", ")
        )),
    ))
}
