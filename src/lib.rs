//! Kizuna: a tabletop cyber-incident exercise simulator for the Japan–US alliance.
#![forbid(unsafe_code)]

pub mod scenario;
pub mod sim;
