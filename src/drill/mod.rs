//! Training drills: scenarios, the sandbox broker, faults, fix detection and
//! the score (a fold of the journaled `drill_*` events). See DRILLS.md.

pub mod catalog;
pub mod control;
pub mod fence;
pub mod model;
pub mod sandbox;
pub mod scenario;
pub mod score;

pub use model::*;
pub mod detect;
pub mod live;
pub mod run;
pub mod traffic;
