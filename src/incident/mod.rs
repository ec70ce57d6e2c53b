//! The incident: events and the pure fold that turns them into state.

pub mod event;

pub use event::*;
