//! The simulation: a bevy_ecs `World` and one single-threaded `Schedule`
//! whose nine phases run in a fixed order every turn. It knows nothing of
//! terminals, files or command-line flags.

pub mod agenda;
pub mod components;
pub mod decision;
pub mod decision_set;
pub mod event;
#[cfg(test)]
mod fixture;
pub mod hash;
pub mod knowledge;
pub mod overrides;
pub mod phases;
pub mod query;
pub mod resources;
pub mod rng;
mod spawn;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings};

use crate::scenario::model::Scenario;

use decision::{Decision, Refusal};
use event::Event;
use resources::{HashThisTurn, Objectives, Setting, TurnInput, TurnLog};

/// The nine phases of a turn, in order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    Injects,
    Decisions,
    Attack,
    Detect,
    Respond,
    Cascade,
    Intel,
    Score,
    Record,
}

impl Phase {
    pub const ORDER: [Phase; 9] = [
        Phase::Injects,
        Phase::Decisions,
        Phase::Attack,
        Phase::Detect,
        Phase::Respond,
        Phase::Cascade,
        Phase::Intel,
        Phase::Score,
        Phase::Record,
    ];

    /// The RNG stream number of this phase.
    pub fn stream(self) -> rng::Stream {
        rng::Stream::Phase(self as u8)
    }
}

/// What one turn produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnOutcome {
    pub turn: u32,
    pub events: Vec<Event>,
    pub refused: Vec<(Decision, Refusal)>,
    pub state_hash: Option<u64>,
    pub score: u32,
    pub ended: bool,
}

pub struct Sim {
    world: World,
    schedule: Schedule,
    scenario: Arc<Scenario>,
}

/// Builds the turn schedule: single-threaded, phases chained, and any
/// ambiguity between systems an error rather than a silent race.
fn build_schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_executor(bevy_ecs::schedule::SingleThreadedExecutor::new());
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..Default::default()
    });
    for pair in Phase::ORDER.windows(2) {
        schedule.configure_sets(pair[0].before(pair[1]));
    }
    phases::add_systems(&mut schedule);
    schedule
}

impl Sim {
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Sim {
        let mut world = World::new();
        spawn::populate(&mut world, &scenario, seed);
        let schedule = build_schedule();
        let mut sim = Sim {
            world,
            schedule,
            scenario,
        };
        // A schedule that does not build (an ambiguity between systems, a
        // cycle) is a defect of this program, never of its input: stop here,
        // at construction, rather than at the first turn.
        if let Err(e) = sim.schedule.initialize(&mut sim.world) {
            panic!("the turn schedule does not build: {e}");
        }
        sim
    }

    /// A fresh simulation of `scenario` from `seed` in this one's world and
    /// schedule, so a sweep builds the schedule once per worker, not once
    /// per run. Every simulated entity goes and every resource of the model
    /// is inserted anew, so the result is the state `Sim::new` would give
    /// (resources are entities too, so the world is not cleared wholesale).
    pub fn recycle(mut self, scenario: Arc<Scenario>, seed: u64) -> Sim {
        let simulated: Vec<Entity> = self
            .world
            .query_filtered::<Entity, With<components::StableId>>()
            .iter(&self.world)
            .collect();
        for e in simulated {
            self.world.despawn(e);
        }
        spawn::populate(&mut self.world, &scenario, seed);
        Sim {
            world: self.world,
            schedule: self.schedule,
            scenario,
        }
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.world.resource::<Setting>().clock.seed
    }

    /// The next turn to resolve (1-based); `turn() - 1` turns are done.
    pub fn turn(&self) -> u32 {
        self.world.resource::<Setting>().clock.turn
    }

    pub fn ended(&self) -> bool {
        self.world.resource::<Objectives>().ended
    }

    /// Resolves one turn. `hash` asks for the state hash at its end.
    pub fn step(&mut self, input: TurnInput, hash: bool) -> TurnOutcome {
        *self.world.resource_mut::<TurnInput>() = input;
        self.world.resource_mut::<HashThisTurn>().0 = hash;
        self.schedule.run(&mut self.world);
        // The next turn's log starts with room for as many events as this
        // one had, so it does not grow by doubling from empty every turn.
        let log = {
            let mut current = self.world.resource_mut::<TurnLog>();
            let room = current.events.len();
            std::mem::replace(&mut *current, TurnLog::with_capacity(room))
        };
        let objectives = self.world.resource::<Objectives>();
        let (score, ended) = (objectives.score, objectives.ended);
        // The turn just resolved; the clock moves on to the next.
        let turn = {
            let clock = &mut self.world.resource_mut::<Setting>().into_inner().clock;
            clock.turn += 1;
            clock.turn - 1
        };
        TurnOutcome {
            turn,
            events: log.events,
            refused: log.refused,
            state_hash: log.state_hash,
            score,
            ended,
        }
    }

    /// Hash of the whole state now (see `hash` for the encoding).
    pub fn state_hash(&mut self) -> u64 {
        hash::state_hash(&mut self.world)
    }

    /// Checks a decision against the current state; `queued_staff` is staff
    /// already promised by earlier decisions of the same organisation.
    pub fn check(&self, decision: &Decision, queued_staff: u32) -> Result<(), Refusal> {
        decision::check(&query::WorldCheck::new(&self.world), decision, queued_staff)
    }

    /// Read-only access for views and policies.
    pub fn read(&self) -> query::SimRead<'_> {
        query::SimRead::new(&self.world)
    }
}
