//! Phase 9, record: the turn's events are already in the turn log; the
//! state hash is taken only when a log is being kept (it is the costliest
//! part of a turn at scale).

use bevy_ecs::prelude::*;

use crate::sim::hash;
use crate::sim::resources::*;

pub fn record_hash(world: &mut World) {
    if world.resource::<HashThisTurn>().0 {
        let h = hash::state_hash(world);
        world.resource_mut::<TurnLog>().state_hash = Some(h);
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::fixture::*;

    #[test]
    fn state_hash_only_when_asked() {
        let mut sim = Sim::new(quiet(), 1);
        let out = sim.step(TurnInput::default(), false);
        assert_eq!(out.state_hash, None);
        let out = sim.step(TurnInput::default(), true);
        assert!(out.state_hash.is_some());
    }
}
