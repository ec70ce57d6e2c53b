//! The incident: events and the pure fold that turns them into state.

pub mod derived;
pub mod event;
pub mod run;
pub mod state;

pub use derived::*;
pub use event::*;
pub use run::*;
pub use state::*;
