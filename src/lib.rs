//! Kizuna: a tabletop cyber-incident exercise simulator for the Japan–US alliance.
//!
//! Layers, bottom up: `scenario` (files → checked data), `sim` (the seeded
//! ECS world), `session` (turn loop, log, replay, views), `policy`
//! (computer players), `report` and `cli` (presentation).
#![forbid(unsafe_code)]

pub mod cli;
pub mod perspective;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod session;
pub mod sim;
pub mod startup;
pub mod store;
pub mod sweep;
pub mod time;
pub mod tui;
pub mod worldgen;
