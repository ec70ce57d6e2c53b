//! Runbooks: the YAML model, loading with located errors, validation and templating.

pub mod catalog;
pub(crate) mod checks;
pub mod duration;
pub mod embedded;
pub(crate) mod fields;
pub(crate) mod items;
pub mod load;
pub mod model;
pub mod node;
pub(crate) mod refs;
mod settings;
pub mod template;
pub mod validate;

pub use duration::{format_duration, format_run_ms, parse_budget, parse_duration};
pub use model::*;
pub use template::{MASK, Vars};
