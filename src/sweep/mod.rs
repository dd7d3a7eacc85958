//! Sweeps: many seeded runs in-process, one row per (seed, arm), and a
//! summary that pairs each arm with the first by seed.
//!
//! - `plan`: seeds, shards and arms (`--vs`, `--vary`) from the command line;
//! - `run`: the runs, on worker threads, each single-threaded and seeded,
//!   so rows never depend on the number of threads or on the shard split;
//! - `table`: the rows and their CSV and JSON-lines files;
//! - `stats`: the summary, computed from rows alone, so that merging shard
//!   files gives exactly what one run would have printed.

pub mod plan;
pub mod run;
pub mod stats;
pub mod table;

pub use plan::{Arm, Plan, SeedRange, Shard};
pub use run::{default_jobs, run};
pub use stats::{Summary, summarise};
pub use table::{Format, Row, Table};
