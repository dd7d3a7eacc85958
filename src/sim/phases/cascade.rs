//! Phase 6, cascade: availability flows through the dependency graph.
//!
//! Each asset's availability is its own, capped by isolation and by every
//! dependency that has been down (below half) for longer than the buffer
//! (backup power, caches) lets it ride out. Dependencies are read as they
//! stood after the previous turn, so a failure travels one hop per turn and
//! cycles in the graph need no special handling.

use bevy_ecs::prelude::*;

use crate::sim::components::*;
use crate::sim::event::Event;
use crate::sim::resources::*;

/// Below this (permille) a dependency counts as down.
pub const DOWN: u16 = 500;
/// What an isolated asset still delivers (manual workarounds), permille.
pub const ISOLATED_CAP: u16 = 300;

pub fn propagate_outages(
    rules: Res<Rules>,
    mut map: ResMut<AvailabilityMap>,
    mut log: ResMut<TurnLog>,
    mut scratch: Local<Vec<u16>>,
    mut assets: Query<(&AssetId, &mut Health, &mut Supply, &Defences)>,
) {
    let previous = &map.0;
    scratch.clear();
    scratch.extend_from_slice(previous);
    for (id, mut health, mut supply, defences) in &mut assets {
        let spec = &rules.0.assets[id.0 as usize];
        let mut availability = health.own_availability;
        if defences.isolated {
            availability = availability.min(ISOLATED_CAP);
        }
        for (dep, starved) in spec.dependencies.iter().zip(supply.starved.iter_mut()) {
            let upstream = previous[dep.asset as usize];
            if upstream < DOWN {
                *starved += 1;
                if *starved > dep.buffer {
                    availability = availability.min(upstream);
                }
            } else {
                *starved = 0;
            }
        }
        if health.availability != availability {
            health.availability = availability;
        }
        scratch[id.0 as usize] = availability;
    }
    for (i, (&before, &after)) in previous.iter().zip(scratch.iter()).enumerate() {
        if before >= DOWN && after < DOWN {
            log.push(Event::AssetDown { asset: i as u32 });
        } else if before < DOWN && after >= DOWN {
            log.push(Event::AssetRecovered { asset: i as u32 });
        }
    }
    std::mem::swap(&mut map.0, &mut *scratch);
}
