//! Runbooks: the YAML model, loading with located errors, validation and templating.

pub mod model;

pub use model::*;
