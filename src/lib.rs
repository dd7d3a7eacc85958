//! Kizuna: a tabletop cyber-incident exercise simulator for the Japan–US alliance.
#![forbid(unsafe_code)]

pub mod scenario;
// `gen` is a reserved keyword in edition 2024, hence the raw identifier:
// callers write `kizuna::r#gen::generate`.
pub mod r#gen;
