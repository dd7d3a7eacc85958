//! Helpers the scenario calibration tests share: full runs and spreads.
#![allow(dead_code)] // each test crate uses a different subset

use std::fmt;

use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, Loaded, load_builtin};
use kizuna::session::{Controller, Session};

pub fn builtin(id: &str) -> Loaded {
    match load_builtin(id, &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{id}: {e:?}"),
    }
}

/// A headless session with every team on `policy`, nothing played yet.
pub fn session(loaded: &Loaded, seed: u64, policy: PolicyKind) -> Session {
    let teams = vec![Controller::Policy(policy); loaded.scenario.teams.len()];
    Session::new(loaded, seed, teams, false)
}

/// A full run to the scenario's end.
pub fn played(loaded: &Loaded, seed: u64, policy: PolicyKind) -> Session {
    let mut s = session(loaded, seed, policy);
    s.run(loaded.scenario.turn_limit, |_| {});
    s
}

pub fn asset_index(loaded: &Loaded, id: &str) -> usize {
    match loaded.scenario.assets.iter().position(|a| a.id == id) {
        Some(i) => i,
        None => panic!("no asset {id}"),
    }
}

pub fn objective_index(loaded: &Loaded, id: &str) -> usize {
    match loaded.scenario.objectives.iter().position(|o| o.id == id) {
        Some(i) => i,
        None => panic!("no objective {id}"),
    }
}

pub fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}

/// How scores spread over seeds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub min: u32,
    pub median: u32,
    pub mean: f64,
    pub max: u32,
}

pub fn spread(scores: &[u32]) -> Spread {
    let mut v = scores.to_vec();
    v.sort_unstable();
    Spread {
        min: v[0],
        median: v[v.len() / 2],
        mean: v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len() as f64,
        max: v[v.len() - 1],
    }
}

impl fmt::Display for Spread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "min {} / median {} / mean {:.1} / max {}",
            self.min, self.median, self.mean, self.max
        )
    }
}
