//! Training drills: scenarios, the sandbox broker, faults, fix detection and
//! the score (a fold of the journaled `drill_*` events). See DRILLS.md.

pub mod model;

pub use model::*;
pub mod fence;
