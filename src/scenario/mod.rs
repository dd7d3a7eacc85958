//! Scenario files: the format, loading with includes and limits, validation
//! with source-located diagnostics, and the built-in scenarios.

pub mod builtin;
pub mod diagnostics;
pub mod model;
pub mod resolve;
pub mod schema;
pub mod sources;

pub use diagnostics::{Problem, ScenarioError};
pub use model::Scenario;
pub use sources::{BuiltinSources, DiskSources, MemorySources, Sources};
