//! Scenario files: the format, loading with includes and limits, validation
//! with source-located diagnostics, and the built-in scenarios.

pub mod builtin;
pub mod diagnostics;
pub mod excerpt;
pub mod load;
pub mod model;
pub mod params;
pub mod resolve;
pub mod schema;
pub mod sources;
pub mod tuning;

pub use diagnostics::{Problem, ScenarioError};
pub use load::{LoadOptions, Loaded, SourceFile, load, load_builtin, load_file, load_scenario_arg};
pub use model::Scenario;
pub use sources::{BuiltinSources, DiskSources, MemorySources, Sources};
