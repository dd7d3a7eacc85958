//! Phase 9, record: the turn's events are already in the turn log; the
//! state hash is taken only when a log is being kept (it is the costliest
//! part of a turn at scale).

use bevy_ecs::prelude::*;

use crate::sim::hash;
use crate::sim::resources::*;

pub fn record_hash(world: &mut World) {
    if world.resource::<HashThisTurn>().0 {
        let h = hash::state_hash(world);
        world.resource_mut::<LastHash>().0 = Some(h);
    }
}
