//! Tests of the engine as a whole: the state hash and the schedule.

use super::fixture::*;

#[test]
fn the_state_hash_depends_on_seed_and_decisions_only() {
    let s = fixture();
    let run = |seed: u64, isolate: bool| {
        let mut sim = Sim::new(s.clone(), seed);
        let mut hashes = Vec::new();
        for t in 0..8 {
            let decisions = if isolate && t == 2 {
                vec![Decision {
                    org: 0,
                    action: Action::Isolate { asset: 1 },
                }]
            } else {
                vec![]
            };
            hashes.push(step(&mut sim, decisions).state_hash);
        }
        hashes
    };
    assert_eq!(run(5, false), run(5, false));
    assert_ne!(run(5, false), run(6, false));
    let (a, b) = (run(5, false), run(5, true));
    assert_eq!(a[..2], b[..2]);
    assert_ne!(a[2..], b[2..]);
}

#[test]
fn ambiguous_systems_are_refused_when_the_schedule_builds() {
    use bevy_ecs::prelude::*;
    fn first(mut m: ResMut<super::resources::Metrics>) {
        m.detections += 1;
    }
    fn second(mut m: ResMut<super::resources::Metrics>) {
        m.detections *= 2;
    }
    let mut world = World::new();
    let mut schedule = super::build_schedule();
    assert!(
        schedule.initialize(&mut world).is_ok(),
        "the shipped schedule builds"
    );
    let mut schedule = super::build_schedule();
    schedule.add_systems((first, second).in_set(super::Phase::Record));
    assert!(
        schedule.initialize(&mut world).is_err(),
        "two unordered writers of one resource must not build"
    );
}

/// The lists of what responders may act on are kept as access is granted;
/// every turn they equal a fresh computation from the access granted.
#[test]
fn actionable_assets_follow_the_access_granted() {
    use crate::scenario::load::{LoadOptions, load_builtin};
    use crate::sim::resources::{Access, Actionable};
    let loaded = match load_builtin("tokyo-games", &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    };
    let mut sim = Sim::new(loaded.scenario.clone(), 5);
    let mut granted = 0;
    for _ in 0..loaded.scenario.turn_limit {
        // Every organisation watches its first asset; detections bring reports.
        let decisions = (0..loaded.scenario.organisations.len() as u16)
            .map(|org| Decision {
                org,
                action: Action::Monitor { asset: 0 },
            })
            .collect();
        step(&mut sim, decisions);
        let access = sim.world.resource::<Access>();
        granted = access.response.0.len();
        let fresh = Actionable::new(&loaded.scenario, &access.ownership, &access.response);
        assert_eq!(access.actionable.0, fresh.0);
    }
    assert!(granted > 0, "some operator reported and let a responder in");
}
