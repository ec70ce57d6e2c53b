//! Drill scenario files (`kind: drill`, `schema: 1`): loading with located
//! errors, validation against the runbook they drill, and the embedded set.
//!
//! The YAML tree, the field helpers, the check parser and the diagnostics
//! are the runbook loader's, so a scenario's errors read like `runbook check`'s.

mod against;
pub mod embedded;
mod grading;
mod parse;
mod setup;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::drill::model::Scenario;
use crate::runbook::fields::Ctx;
use crate::runbook::load::{
    LoadError, LoadedRunbook, MAX_INPUT_BYTES, Origin, parse_tree, sha256_hex,
};
use crate::runbook::node::{Located, Node};

pub use parse::{
    DEFAULT_FAULT_TIMEOUT, DEFAULT_HOLD, DEFAULT_PAR, DEFAULT_POLL, DEFAULT_TIME_LIMIT,
};
pub use setup::parse_size;

/// Variables the sandbox sets for its first node; `node2_<name>` for the
/// second of a two-node scenario.
pub const SANDBOX_VARS: &[&str] = &[
    "host",
    "amqp_port",
    "mgmt_port",
    "mgmt_url",
    "prom_port",
    "dist_port",
    "node",
    "log_dir",
    "data_dir",
    "backup_dir",
    "config_dir",
    "config_file",
];

/// Larger definitions files are refused (a seed is a few kilobytes).
pub const MAX_DEFINITIONS_BYTES: usize = 1024 * 1024;

/// Where a scenario's relative names (definitions, a runbook path) resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// The directory of the scenario file.
    Dir(PathBuf),
    /// The embedded set (`drills/` in the source tree).
    Embedded,
}

/// A validated scenario with where it came from and what it refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedScenario {
    /// The scenario (`broker.definitions` holds the file's text).
    pub scenario: Scenario,
    /// Where it came from.
    pub origin: Origin,
    /// Lower-case hex sha256 of the scenario file's bytes.
    pub sha256: String,
    /// The runbook it drills, loaded and validated.
    pub runbook: LoadedRunbook,
}

/// Runbooks resolved while loading several scenarios, so that `drill list`
/// reads each runbook once, not once per scenario.
#[derive(Debug, Default)]
pub struct RunbookCache(BTreeMap<String, Result<LoadedRunbook, LoadError>>);

impl RunbookCache {
    fn get(
        &mut self,
        key: String,
        load: impl FnOnce() -> Result<LoadedRunbook, LoadError>,
    ) -> Result<LoadedRunbook, LoadError> {
        self.0.entry(key).or_insert_with(load).clone()
    }
}

/// Parses and validates scenario text; `base` says where its relative
/// names live.
pub fn load_str(label: &str, text: &str, base: &Base) -> Result<LoadedScenario, LoadError> {
    load_str_with(label, text, base, &mut RunbookCache::default())
}

fn load_str_with(
    label: &str,
    text: &str,
    base: &Base,
    cache: &mut RunbookCache,
) -> Result<LoadedScenario, LoadError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(LoadError::single(
            label,
            1,
            1,
            format!(
                "the file is {} bytes; scenarios are limited to 4 MiB",
                text.len()
            ),
            Some("is this the right file?".into()),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let tree = parse_tree(label, text)?;
    let mut ctx = Ctx {
        path: label,
        diags: Vec::new(),
    };
    if is_runbook(&tree) {
        return Err(LoadError::single(
            label,
            1,
            1,
            "this is a runbook (it has `steps` and no `kind: drill`), not a drill scenario".into(),
            Some("use `runbook check` for runbooks; a scenario starts with `kind: drill`".into()),
        ));
    }
    let parsed = parse::scenario(&mut ctx, &tree);
    let mut out = None;
    if let Some((mut scenario, refs)) = parsed {
        against::templates(&mut ctx, &refs, scenario.broker.nodes);
        scenario.broker.definitions = against::definitions(&mut ctx, base, &refs);
        if let Some(rb) = against::runbook(&mut ctx, base, &refs, cache) {
            against::items(&mut ctx, &rb.runbook, &refs, &scenario.diagnosis);
            out = Some((scenario, rb));
        }
    }
    let mut diags = ctx.diags;
    diags.sort_by_key(|d| (d.line, d.column));
    match out {
        Some((scenario, runbook)) if diags.is_empty() => Ok(LoadedScenario {
            scenario,
            origin: Origin::File(PathBuf::from(label)),
            sha256: sha256_hex(text.as_bytes()),
            runbook,
        }),
        _ if diags.is_empty() => Err(LoadError::single(
            label,
            1,
            1,
            "the scenario is incomplete".into(),
            None,
        )),
        _ => Err(LoadError { diagnostics: diags }),
    }
}

/// A runbook: a mapping with `steps` and no `kind`.
fn is_runbook(root: &Located) -> bool {
    let Node::Map(entries) = &root.node else {
        return false;
    };
    entries.iter().any(|(k, _, _)| k == "steps") && !entries.iter().any(|(k, _, _)| k == "kind")
}

/// Reads and validates a scenario file (through the input-file caps).
pub fn load_file(path: &Path) -> Result<LoadedScenario, LoadError> {
    load_file_with(path, &mut RunbookCache::default())
}

/// [`load_file`] sharing resolved runbooks with other loads.
pub fn load_file_with(path: &Path, cache: &mut RunbookCache) -> Result<LoadedScenario, LoadError> {
    let label = path.display().to_string();
    let bytes = crate::input_file::read(path, MAX_INPUT_BYTES as u64).map_err(|e| {
        LoadError::single(
            &label,
            1,
            1,
            format!("cannot load the scenario: {e}"),
            Some("give the path of a scenario .yaml file".into()),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        LoadError::single(
            &label,
            1,
            1,
            format!(
                "invalid UTF-8 at byte {}; is this a binary file?",
                e.utf8_error().valid_up_to()
            ),
            Some("scenarios must be UTF-8 text".into()),
        )
    })?;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let mut l = load_str_with(&label, &text, &Base::Dir(dir), cache)?;
    l.origin = Origin::File(path.to_path_buf());
    Ok(l)
}

/// Loads an embedded scenario by file name (`memory-alarm-backlog.yaml`).
pub fn load_embedded(name: &str) -> Option<Result<LoadedScenario, LoadError>> {
    load_embedded_with(name, &mut RunbookCache::default())
}

/// [`load_embedded`] sharing resolved runbooks with other loads.
pub fn load_embedded_with(
    name: &str,
    cache: &mut RunbookCache,
) -> Option<Result<LoadedScenario, LoadError>> {
    let (name, text) = embedded::all().iter().find(|(n, _)| *n == name)?;
    Some(
        load_str_with(
            &format!("embedded:drills/{name}"),
            text,
            &Base::Embedded,
            cache,
        )
        .map(|mut l| {
            l.origin = Origin::Embedded(name);
            l
        }),
    )
}
