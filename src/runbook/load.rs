//! Reading runbook files: bytes → UTF-8 → a located YAML tree → a validated [`Runbook`].
//!
//! serde-saphyr is used only in this file, so swapping the YAML crate is a one-file change.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use super::model::Runbook;
pub use super::node::{Diagnostic, Located, Node, Pos};
use super::validate;

/// Larger inputs are refused before parsing: a runbook is a few kilobytes.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// Every problem found in one runbook file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    /// The problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl LoadError {
    /// An error with one diagnostic.
    pub fn single(
        path: &str,
        line: usize,
        column: usize,
        message: String,
        help: Option<String>,
    ) -> Self {
        LoadError {
            diagnostics: vec![Diagnostic {
                path: path.to_string(),
                line,
                column,
                message,
                help,
            }],
        }
    }
}

/// Where a loaded runbook came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary (file name under `runbooks/`).
    Embedded(&'static str),
    /// Read from disk.
    File(PathBuf),
}

impl Origin {
    /// `embedded:rabbitmq-emergency.yaml` or the path.
    pub fn label(&self) -> String {
        match self {
            Origin::Embedded(name) => format!("embedded:{name}"),
            Origin::File(p) => p.display().to_string(),
        }
    }
}

/// A runbook with where it came from and the sha256 of its bytes (for the journal).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedRunbook {
    /// The validated runbook.
    pub runbook: Runbook,
    /// Where it came from.
    pub origin: Origin,
    /// Lower-case hex sha256 of the file's bytes.
    pub sha256: String,
}

fn pos_of<T>(s: &Spanned<T>) -> Pos {
    Pos {
        line: usize::try_from(s.referenced.line()).unwrap_or(0).max(1),
        column: usize::try_from(s.referenced.column()).unwrap_or(0).max(1),
    }
}

impl From<Spanned<RawNode>> for Located {
    fn from(s: Spanned<RawNode>) -> Self {
        Located {
            pos: pos_of(&s),
            node: s.value.0,
        }
    }
}

/// Serde-facing wrapper so that children come with spans.
struct RawNode(Node);

/// A mapping key: scalars only, rendered as text.
struct RawKey(String);

impl<'de> Deserialize<'de> for RawKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match RawNode::deserialize(d)?.0 {
            Node::Str(s) => Ok(RawKey(s)),
            Node::Int(i) => Ok(RawKey(i.to_string())),
            Node::Float(f) => Ok(RawKey(f.to_string())),
            Node::Bool(b) => Ok(RawKey(b.to_string())),
            Node::Null => Ok(RawKey("null".into())),
            _ => Err(de::Error::custom(
                "a mapping key must be a plain word, not a list or mapping",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = RawNode;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode(Node::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode(Node::Int(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
        Ok(RawNode(Node::Int(v.into())))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
        Ok(RawNode(Node::Int(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode(Node::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode(Node::Str(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode(Node::Str(v)))
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode(Node::Null))
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode(Node::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<RawNode>>()? {
            items.push(Located::from(item));
        }
        Ok(RawNode(Node::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<RawKey>>()? {
            let kpos = pos_of(&key);
            let value: Spanned<RawNode> = map.next_value()?;
            entries.push((key.value.0, kpos, Located::from(value)));
        }
        Ok(RawNode(Node::Map(entries)))
    }
}

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // A runbook has hundreds of nodes; these caps stop alias bombs and deep nesting early.
    budget.max_events = 200_000;
    budget.max_nodes = 100_000;
    budget.max_aliases = 1_000;
    budget.max_depth = 48;
    budget.flow_nesting_limit = 48;
    budget.max_documents = 1;
    let mut opts = serde_saphyr::Options::default();
    opts.budget = Some(budget);
    // YAML 1.2 booleans only: `yes`, `no`, `on`, `off` stay the words they
    // are (a choice `[yes, no]` or a command id `on` must not become "true").
    opts.strict_booleans = true;
    opts
}

/// Parses YAML text into a located tree (no schema checks).
pub fn parse_tree(path_label: &str, text: &str) -> Result<Located, LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::single(
            path_label,
            1,
            1,
            "the file is empty".into(),
            Some("a runbook needs at least `schema: 1`, `id`, `title` and `steps`".into()),
        ));
    }
    match serde_saphyr::from_str_with_options::<Spanned<RawNode>>(text, options()) {
        Ok(root) => Ok(Located::from(root)),
        Err(e) => {
            let (line, column) = e
                .location()
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((1, 1));
            let full = e.without_snippet().to_string();
            let (message, help) = if full.contains("budget breached")
                || full.contains("recursion limit")
            {
                (
                    "the YAML is too large, too deeply nested or uses too many aliases to be a runbook".to_string(),
                    "runbooks are plain nested mappings and lists; remove the deep nesting or `*alias` expansion",
                )
            } else if full.contains("tab")
                && let Some((tab_line, tab_column)) = indenting_tab(text, line)
            {
                // saphyr reports where the scalar or block it was reading
                // began; the operator needs the tab itself.
                return Err(LoadError::single(
                    path_label,
                    tab_line,
                    tab_column,
                    "a tab is used for indentation here".into(),
                    Some("YAML indents with spaces only: replace the tab with spaces".into()),
                ));
            } else {
                // The location is already in the prefix; drop saphyr's repeat of it.
                let msg = full.find(" at line ").map_or(full.as_str(), |i| &full[..i]);
                (
                    format!("YAML syntax error: {msg}"),
                    "fix the YAML at this position (indent with spaces, not tabs; quote values containing `: ` or `#`)",
                )
            };
            Err(LoadError::single(
                path_label,
                line.max(1),
                column.max(1),
                message,
                Some(help.into()),
            ))
        }
    }
}

/// The first tab in the indentation of a line, from line `from` on (1-based
/// line and column), skipping lines that hold nothing but whitespace.
fn indenting_tab(text: &str, from: usize) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find_map(|(i, l)| {
            let indent_len = l.len() - l.trim_start_matches([' ', '\t']).len();
            if indent_len == l.len() {
                return None;
            }
            l[..indent_len]
                .find('\t')
                .map(|col| (i + 1, l[..col].chars().count() + 1))
        })
}

/// Parses and validates runbook text.
pub fn load_str(path_label: &str, text: &str) -> Result<Runbook, LoadError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(too_large(path_label, text.len()));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let tree = parse_tree(path_label, text)?;
    validate::validate(path_label, &tree).map_err(|diagnostics| LoadError { diagnostics })
}

fn too_large(path_label: &str, len: usize) -> LoadError {
    LoadError::single(
        path_label,
        1,
        1,
        format!("the file is {len} bytes; runbooks are limited to {MAX_INPUT_BYTES} bytes (4 MiB)"),
        Some("is this the right file? split very large runbooks into several".into()),
    )
}

/// Parses and validates runbook bytes: a UTF-8 BOM and CRLF line ends are fine;
/// invalid UTF-8 is reported at its line:column.
pub fn load_bytes(path_label: &str, bytes: &[u8]) -> Result<Runbook, LoadError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(too_large(path_label, bytes.len()));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str(path_label, text),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // valid_up_to is a char boundary, so this cannot fail.
            let prefix = std::str::from_utf8(good).unwrap_or("");
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
            Err(LoadError::single(
                path_label,
                line,
                column,
                format!(
                    "invalid UTF-8 (byte 0x{byte:02x} at offset {}); is this a binary file?",
                    e.valid_up_to()
                ),
                Some("runbooks must be UTF-8 text; re-save the file as UTF-8".into()),
            ))
        }
    }
}

/// Reads, parses and validates a runbook file; an unreadable file is a diagnostic at 1:1.
pub fn load_file(path: &Path) -> Result<LoadedRunbook, LoadError> {
    let label = path.display().to_string();
    let unreadable = |why: String| {
        LoadError::single(
            &label,
            1,
            1,
            why,
            Some("check the path and its permissions".into()),
        )
    };
    let bytes = crate::input_file::read(path, MAX_INPUT_BYTES as u64).map_err(|e| match e {
        crate::input_file::InputError::TooLarge { .. } => LoadError::single(
            &label,
            1,
            1,
            format!("the file is {e}; runbooks are limited to {MAX_INPUT_BYTES} bytes (4 MiB)"),
            Some("is this the right file? split very large runbooks into several".into()),
        ),
        crate::input_file::InputError::NotRegular(_) => LoadError::single(
            &label,
            1,
            1,
            e.to_string(),
            Some("a runbook is a YAML file; give the path of one".into()),
        ),
        other => unreadable(other.to_string()),
    })?;
    let runbook = load_bytes(&label, &bytes)?;
    Ok(LoadedRunbook {
        runbook,
        origin: Origin::File(path.to_path_buf()),
        sha256: sha256_hex(&bytes),
    })
}

/// Lower-case hex sha256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
