//! Phase 6, cascade: availability flows through the dependency graph.
//!
//! An asset delivers the least of its own availability (capped while
//! isolated) and the availability of every dependency that is down (below
//! half) and has been down for at least the dependant's buffer in turns
//! (backup power, caches, stock). A buffer of 0 means the fall is felt the
//! same turn; 2 means two turns are ridden out.
//!
//! Each turn the cascade settles to the greatest fixed point: it starts
//! from every asset's own availability and only lowers values, walking
//! outwards from the assets that are down, so an outage travels the whole
//! chain at once (power → telecom → everything else) and a cycle of
//! dependencies recovers as soon as its cause does. When nothing changed
//! and no buffer is running down, the previous result still holds and the
//! phase does no work.

use bevy_ecs::prelude::*;

use crate::sim::components::*;
use crate::sim::event::Event;
use crate::sim::resources::*;

/// Below this (permille) a dependency counts as down.
pub const DOWN: u16 = 500;
/// What an isolated asset still delivers (manual workarounds), permille.
pub const ISOLATED_CAP: u16 = 300;

#[allow(clippy::too_many_arguments)]
pub fn propagate_outages(
    setting: Res<Setting>,
    dependants: Res<Dependants>,
    mut supply: ResMut<Supply>,
    mut state: ResMut<CascadeState>,
    mut map: ResMut<AvailabilityMap>,
    mut log: ResMut<TurnLog>,
    mut scratch: Local<(Vec<u16>, Vec<u32>, Vec<bool>)>,
    mut assets: Query<&mut Health>,
) {
    if !state.dirty && !state.pending {
        return;
    }
    let (settled, work, still) = &mut *scratch;
    settled.clear();
    settled.extend_from_slice(&state.own);
    work.clear();
    for (c, chunk) in settled.chunks(CHUNK).enumerate() {
        if any_down(chunk) {
            let first = c * CHUNK;
            work.extend(
                (first..)
                    .zip(chunk)
                    .filter(|(_, own)| **own < DOWN)
                    .map(|(i, _)| i as u32),
            );
        }
    }
    // Walk out from what is down; values only fall, so this ends.
    while let Some(upstream) = work.pop() {
        let value = settled[upstream as usize];
        for &(dependant, edge, buffer) in dependants.of(upstream as usize) {
            let d = dependant as usize;
            if supply.starved[edge as usize] >= buffer && value < settled[d] {
                settled[d] = value;
                work.push(dependant);
            }
        }
    }
    // Buffers run down while a dependency stays down and refill when it
    // comes back. Only edges next to a down asset, or still counting, can
    // move; a counter that moved may change next turn's result. The same
    // pass over the assets logs what went down or came back.
    let mut pending = false;
    let Supply {
        starved, running, ..
    } = &mut *supply;
    let mut still_running = Vec::with_capacity(running.len());
    // Most assets are up and unchanged: whole chunks are passed over with
    // one comparison each.
    let changed_or_down = map
        .0
        .chunks(CHUNK)
        .zip(settled.chunks(CHUNK))
        .enumerate()
        .filter(|(_, (before, after))| before != after || any_down(after))
        .flat_map(|(c, (before, after))| {
            (c * CHUNK..).zip(before.iter().copied().zip(after.iter().copied()))
        });
    for (i, (before, after)) in changed_or_down {
        if after < DOWN {
            for &(_, edge, buffer) in dependants.of(i) {
                let c = &mut starved[edge as usize];
                let next = (*c + 1).min(buffer);
                pending |= next != *c;
                *c = next;
                if next != 0 {
                    still_running.push(edge);
                }
            }
        }
        if before == after {
            continue;
        }
        state.account(
            &setting.rules.assets[i],
            setting.rules.turn_minutes,
            before,
            after,
        );
        if before >= DOWN && after < DOWN {
            log.push(Event::AssetDown { asset: i as u32 });
        } else if before < DOWN && after >= DOWN {
            log.push(Event::AssetRecovered { asset: i as u32 });
        }
        if let Ok(mut health) = assets.get_mut(setting.index.assets[i]) {
            health.availability = after;
        }
    }
    // Each edge has one upstream, so it is listed at most once; marks
    // rather than a sort keep a large graph's turn linear.
    still.resize(starved.len(), false);
    for &edge in &still_running {
        still[edge as usize] = true;
    }
    for &edge in running.iter() {
        if !still[edge as usize] {
            starved[edge as usize] = 0;
            pending = true;
        }
    }
    for &edge in &still_running {
        still[edge as usize] = false;
    }
    *running = still_running;
    // The settled values become the map; the old map is scratch, refilled
    // from the assets' own availability next time.
    std::mem::swap(&mut map.0, settled);
    state.dirty = false;
    state.pending = pending;
}

/// Assets scanned together when looking for the few that are down or
/// changed.
const CHUNK: usize = 32;

/// Whether any value in `chunk` is down; written as a fold so it compiles
/// to a few vector comparisons.
fn any_down(chunk: &[u16]) -> bool {
    chunk.iter().fold(false, |any, &v| any | (v < DOWN))
}

#[cfg(test)]
mod tests {
    use super::DOWN;
    use crate::sim::fixture::*;

    #[test]
    fn outages_cascade_after_the_buffer_and_cycles_settle() {
        let mut s = (*quiet()).clone();
        let mail = s.asset_index("mail").unwrap_or(0);
        let power = s.asset_index("power").unwrap_or(0);
        let files = s.asset_index("files").unwrap_or(0);
        // A cycle: power depends on the mail gateway that depends on power.
        s.assets[power as usize]
            .dependencies
            .push(crate::scenario::model::Dependency {
                asset: mail,
                buffer: 0,
            });
        let s = Arc::new(s);
        let mut sim = Sim::new(s.clone(), 1);
        override_turn(
            &mut sim,
            Change::SetAvailability {
                asset: power,
                availability: 0,
            },
        );
        // Power goes down; with a buffer of 1 the mail gateway rides out that
        // turn on backup power and falls the next.
        assert_eq!(sim.read().availability()[power as usize], 0);
        assert_eq!(sim.read().availability()[mail as usize], 1000);
        step(&mut sim, vec![]);
        assert_eq!(sim.read().availability()[mail as usize], 0);
        // Files has no dependency and stays up.
        assert_eq!(sim.read().availability()[files as usize], 1000);
        // Power comes back; the cycle does not keep it down forever.
        override_turn(
            &mut sim,
            Change::SetAvailability {
                asset: power,
                availability: 1000,
            },
        );
        assert_eq!(sim.read().availability()[power as usize], 1000);
        assert_eq!(sim.read().availability()[mail as usize], 1000);
    }

    /// Outages spread over several chunks of a larger world: every change
    /// reaches the assets' health and the log, wherever it falls.
    #[test]
    fn changes_in_every_chunk_reach_health_and_the_log() {
        use crate::sim::event::Event;
        let s = match crate::worldgen::load_named("150") {
            Ok(l) => l.scenario,
            Err(e) => panic!("generated world does not load: {e:?}"),
        };
        let n = s.assets.len() as u32;
        assert!(n as usize > 3 * super::CHUNK);
        let mut sim = Sim::new(s.clone(), 3);
        let mut before = sim.read().availability().to_vec();
        for t in 0..24u32 {
            // Knock out an asset in a different chunk each turn; every
            // fourth turn bring one back.
            let asset = (t * 37 + 5) % n;
            let availability = if t % 4 == 3 { 1000 } else { 0 };
            let outcome = override_turn(
                &mut sim,
                Change::SetAvailability {
                    asset,
                    availability,
                },
            );
            let read = sim.read();
            let after = read.availability();
            for (i, (&was, &now)) in before.iter().zip(after).enumerate() {
                let a = i as u32;
                assert_eq!(read.health(a).availability, now, "asset {a}, turn {t}");
                let down = outcome.events.contains(&Event::AssetDown { asset: a });
                let recovered = outcome.events.contains(&Event::AssetRecovered { asset: a });
                assert_eq!(down, was >= DOWN && now < DOWN, "asset {a}, turn {t}");
                assert_eq!(recovered, was < DOWN && now >= DOWN, "asset {a}, turn {t}");
            }
            before = after.to_vec();
        }
        assert!(before.iter().filter(|&&v| v < DOWN).count() > 3);
    }

    #[test]
    fn running_outage_sums_match_a_full_recount() {
        let s = fixture();
        for seed in 0..6 {
            let mut sim = Sim::new(s.clone(), seed);
            for t in 0..16u32 {
                let decisions = if t % 3 == 0 {
                    vec![Decision {
                        org: 0,
                        action: Action::Isolate { asset: t % 5 },
                    }]
                } else {
                    vec![]
                };
                step(&mut sim, decisions);
                let read = sim.read();
                let (mut lost, mut total, mut rate) = (0u64, 0u64, 0u64);
                for (a, &avail) in s.assets.iter().zip(read.availability()) {
                    let missing = u64::from(1000 - avail);
                    lost += u64::from(a.criticality) * missing;
                    total += u64::from(a.criticality) * 1000;
                    rate += a.population * missing / 1000 * u64::from(s.turn_minutes);
                }
                assert_eq!(read.metrics().impact, (lost * 1000 / total) as u16);
                assert_eq!(read.metrics().outage_rate, rate);
                for (i, &avail) in read.availability().iter().enumerate() {
                    assert_eq!(read.health(i as u32).availability, avail);
                }
                let cascade = sim.world.resource::<crate::sim::resources::CascadeState>();
                for (i, &own) in cascade.own.iter().enumerate() {
                    let mut expected = read.health(i as u32).own_availability;
                    if read.defences(i as u32).isolated {
                        expected = expected.min(crate::sim::phases::cascade::ISOLATED_CAP);
                    }
                    assert_eq!(own, expected, "the cascade's copy of asset {i} is stale");
                }
            }
        }
    }
}
