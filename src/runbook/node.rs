//! The located YAML tree that loading produces and validation reads, and the
//! located problems it reports: the types the `runbook` files share, in a file
//! of their own so that loading and validation do not import each other.

use std::fmt;

/// One located problem in a runbook file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// File label (path or `embedded:…`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A 1-based position in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// A YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// Where the value starts.
    pub pos: Pos,
    /// The value.
    pub node: Node,
}

/// A generic YAML tree; validate.rs turns it into the model.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `~`, `null` or nothing.
    Null,
    /// `true`/`false`.
    Bool(bool),
    /// An integer.
    Int(i128),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Located>),
    /// A mapping, keys in file order (key, key position, value).
    Map(Vec<(String, Pos, Located)>),
}

impl Node {
    /// How the user would name this kind of value.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Node::Null => "nothing (null)",
            Node::Bool(_) => "a boolean",
            Node::Int(_) => "a number",
            Node::Float(_) => "a number",
            Node::Str(_) => "a string",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}
