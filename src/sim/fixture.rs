//! The engine fixture (`tests/fixtures/exercise.ron`) and helpers for the
//! tests of each phase's rules, which sit next to the rule they test.

pub(crate) use std::sync::Arc;

pub(crate) use crate::scenario::Scenario;
use crate::scenario::load::{LoadOptions, load_file};

pub(crate) use super::decision::{Action, Decision, Refusal, Tlp};
pub(crate) use super::event::Event;
pub(crate) use super::overrides::{Change, Override};
pub(crate) use super::resources::{ObjectiveStatus, TurnInput};
pub(crate) use super::{Sim, TurnOutcome};

pub(crate) fn fixture() -> Arc<Scenario> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/exercise.ron");
    match load_file(std::path::Path::new(path), &LoadOptions::default()) {
        Ok(l) => l.scenario,
        Err(e) => panic!("fixture does not load: {e:?}"),
    }
}

pub(crate) struct Ids(pub(crate) Arc<Scenario>);
impl Ids {
    pub(crate) fn org(&self, id: &str) -> u16 {
        self.0.org_index(id).expect("org in fixture")
    }
    pub(crate) fn asset(&self, id: &str) -> u32 {
        self.0.asset_index(id).expect("asset in fixture")
    }
}

pub(crate) fn step(sim: &mut Sim, decisions: Vec<Decision>) -> TurnOutcome {
    sim.step(
        TurnInput {
            decisions,
            overrides: Vec::new(),
        },
        true,
    )
}

pub(crate) fn override_turn(sim: &mut Sim, change: Change) -> TurnOutcome {
    sim.step(
        TurnInput {
            decisions: Vec::new(),
            overrides: vec![Override {
                change,
                reason: "test".into(),
            }],
        },
        true,
    )
}

/// A copy of the fixture without its attacker, for rules that need a quiet world.
pub(crate) fn quiet() -> Arc<Scenario> {
    let mut s = (*fixture()).clone();
    for a in &mut s.attackers {
        a.start_turn = 10_000;
    }
    Arc::new(s)
}
