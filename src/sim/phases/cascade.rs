//! Phase 6, cascade: availability flows through the dependency graph.
//!
//! An asset delivers the least of its own availability (capped while
//! isolated) and the availability of every dependency that is down (below
//! half) and has been down for longer than the dependant's buffer (backup
//! power, caches, stock) can ride out. A buffer of 0 means the fall is felt
//! the same turn; 2 means two turns are ridden out.
//!
//! Each turn the cascade settles to the greatest fixed point: it starts
//! from every asset's own availability and only lowers values, so an
//! outage travels the whole chain at once (power → telecom → everything
//! else) and a cycle of dependencies recovers as soon as its cause does.

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
    mut settled: Local<Vec<u16>>,
    mut assets: Query<(&AssetId, &mut Health, &mut Supply, &Defences)>,
) {
    let specs = &rules.0.assets;
    settled.clear();
    settled.resize(specs.len(), 0);
    let mut any_down = false;
    for (id, health, _, defences) in &assets {
        let mut own = health.own_availability;
        if defences.isolated {
            own = own.min(ISOLATED_CAP);
        }
        any_down |= own < DOWN;
        settled[id.0 as usize] = own;
    }
    // Lower values until nothing changes; each pass can only lower, so
    // this ends within one pass per asset at worst.
    let mut passes = 0;
    while any_down && passes <= specs.len() {
        passes += 1;
        let mut changed = false;
        for (id, _, supply, _) in &assets {
            let i = id.0 as usize;
            let mut value = settled[i];
            for (dep, starved) in specs[i].dependencies.iter().zip(&supply.starved) {
                let upstream = settled[dep.asset as usize];
                if upstream < DOWN && *starved >= dep.buffer {
                    value = value.min(upstream);
                }
            }
            if value < settled[i] {
                settled[i] = value;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (id, mut health, mut supply, _) in &mut assets {
        let i = id.0 as usize;
        if health.availability != settled[i] {
            health.availability = settled[i];
        }
        for (dep, starved) in specs[i].dependencies.iter().zip(supply.starved.iter_mut()) {
            *starved = if settled[dep.asset as usize] < DOWN {
                starved.saturating_add(1)
            } else {
                0
            };
        }
    }
    for (i, (&before, &after)) in map.0.iter().zip(settled.iter()).enumerate() {
        if before >= DOWN && after < DOWN {
            log.push(Event::AssetDown { asset: i as u32 });
        } else if before < DOWN && after >= DOWN {
            log.push(Event::AssetRecovered { asset: i as u32 });
        }
    }
    std::mem::swap(&mut map.0, &mut *settled);
}
