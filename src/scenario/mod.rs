//! Scenario files: the format, loading with includes and limits, validation
//! with source-located diagnostics, and the built-in scenarios.

pub mod model;
pub mod schema;

pub use model::Scenario;
