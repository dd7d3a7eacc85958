//! Kizuna: a tabletop cyber-incident exercise simulator for the Japan–US alliance.
//!
//! Layers, bottom up: `scenario` (files → checked data), `sim` (the seeded
//! ECS world), `perspective` (what one team may know), `policy` (computer
//! players), `session` (the table of seats, owned views, turn loop, log,
//! replay), `startup` and `store` (files), then the front ends: `tui`,
//! `serve` (seats over SSH), `cli`, `sweep`, `report`. See `docs/architecture.md`.
#![forbid(unsafe_code)]

#[cfg(feature = "tui")]
pub mod cli;
pub mod env;
pub mod perspective;
pub mod policy;
pub mod report;
pub mod scenario;
#[cfg(feature = "tui")]
pub mod serve;
pub mod session;
pub mod sim;
pub mod startup;
pub mod store;
pub mod sweep;
pub mod time;
#[cfg(feature = "tui")]
pub mod tui;
pub mod worldgen;
