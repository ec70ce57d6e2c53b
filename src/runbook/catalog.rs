//! Where runbooks are found: embedded, `./runbooks`, and the user's config directory.

use std::path::{Path, PathBuf};

use super::embedded;
use super::load::{LoadError, LoadedRunbook, load_file};

/// One runbook in `runbook list`; a broken file carries its error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    /// Runbook id (the file stem when the file does not load).
    pub id: String,
    /// Title (empty when the file does not load).
    pub title: String,
    /// Number of steps.
    pub steps: usize,
    /// `embedded`, `./runbooks/x.yaml`, `~/.config/runbook/runbooks/x.yaml`.
    pub source: String,
    /// Why the file does not load.
    pub error: Option<String>,
}

/// `$XDG_CONFIG_HOME/runbook/runbooks`, else `~/.config/runbook/runbooks`.
pub fn user_runbook_dir() -> Option<PathBuf> {
    user_dir("runbooks")
}

/// `$XDG_CONFIG_HOME/runbook/SUB`, else `~/.config/runbook/SUB` (a relative
/// `XDG_CONFIG_HOME` is ignored, as the spec says: see [`crate::xdg`]).
pub(crate) fn user_dir(sub: &str) -> Option<PathBuf> {
    crate::xdg::config_dir().map(|d| d.join(sub))
}

/// The `*.yaml|yml` entries of `dir`, sorted.
pub(crate) fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        // Not only regular files: a FIFO or device named *.yaml is listed with
        // the reason it cannot be read (the loader refuses it without blocking).
        .filter(|p| !p.is_dir() && p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    files
}

/// The YAML files of `./SUB`, then of the user's `runbook/SUB` directory,
/// each with how `list` shows where it is from.
pub(crate) fn files_in(sub: &str) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = yaml_files(Path::new(sub))
        .into_iter()
        .map(|p| {
            let source = format!("./{}", p.display());
            (p, source)
        })
        .collect();
    if let Some(d) = user_dir(sub) {
        out.extend(yaml_files(&d).into_iter().map(|p| {
            let source = display_source(&p);
            (p, source)
        }));
    }
    out
}

/// The path with `~` for the home directory.
pub(crate) fn display_source(p: &Path) -> String {
    if let Some(home) = crate::xdg::home()
        && let Ok(rest) = p.strip_prefix(&home)
    {
        return format!("~/{}", rest.display());
    }
    p.display().to_string()
}

fn entry(source: String, stem: &str, res: Result<LoadedRunbook, LoadError>) -> CatalogEntry {
    match res {
        Ok(l) => CatalogEntry {
            id: l.runbook.id,
            title: l.runbook.title,
            steps: l.runbook.steps.len(),
            source,
            error: None,
        },
        Err(e) => CatalogEntry {
            id: stem.to_string(),
            title: String::new(),
            steps: 0,
            source,
            error: Some(e.to_string()),
        },
    }
}

/// The file name without its extension.
pub(crate) fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every runbook found, with its loader result kept so `resolve` need not reload.
fn scan() -> Vec<(CatalogEntry, Option<Result<LoadedRunbook, LoadError>>)> {
    // Local files first, then the user's, then the built-in ones: a copy in
    // ./runbooks or ~/.config/runbook/runbooks overrides an embedded runbook
    // with the same id.
    let mut out = Vec::new();
    for (p, source) in files_in("runbooks") {
        let res = load_file(&p);
        out.push((entry(source, &stem(&p), res.clone()), Some(res)));
    }
    for (name, _) in embedded::all() {
        if let Some(res) = embedded::load(name) {
            out.push((entry("embedded".into(), name, res.clone()), Some(res)));
        }
    }
    out
}

/// Every runbook found, in lookup order: `./runbooks/*.yaml|yml`, the user
/// directory, the embedded runbooks.
pub fn list() -> Vec<CatalogEntry> {
    scan().into_iter().map(|(e, _)| e).collect()
}

/// An existing path loads that file; otherwise an id from the catalog (first
/// match in lookup order wins, so local copies override embedded runbooks).
pub fn resolve(arg: &str) -> Result<LoadedRunbook, LoadError> {
    let path = Path::new(arg);
    if path.exists() {
        return load_file(path);
    }
    let found = scan();
    if let Some(res) = found
        .iter()
        .find(|(e, _)| e.id == arg && e.error.is_none())
        .and_then(|(_, r)| r.clone())
    {
        return res;
    }
    let mut ids: Vec<String> = found
        .iter()
        .filter(|(e, _)| e.error.is_none())
        .map(|(e, _)| e.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    Err(LoadError::single(
        arg,
        1,
        1,
        format!("no runbook file or id `{arg}`"),
        Some(format!(
            "known ids: {}; or give a path to a .yaml file (`runbook list` shows them all)",
            ids.join(", ")
        )),
    ))
}
