//! Tests of each phase's rule against the engine fixture
//! (`tests/fixtures/exercise.ron`).

use std::sync::Arc;

use crate::scenario::Scenario;
use crate::scenario::load::{LoadOptions, load_file};

use super::decision::{Action, Decision, Refusal, Tlp};
use super::event::Event;
use super::overrides::{Change, Override};
use super::resources::{ObjectiveStatus, TurnInput};
use super::{Sim, TurnOutcome};

fn fixture() -> Arc<Scenario> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/exercise.ron");
    match load_file(std::path::Path::new(path), &LoadOptions::default()) {
        Ok(l) => l.scenario,
        Err(e) => panic!("fixture does not load: {e:?}"),
    }
}

struct Ids(Arc<Scenario>);
impl Ids {
    fn org(&self, id: &str) -> u16 {
        self.0.org_index(id).expect("org in fixture")
    }
    fn asset(&self, id: &str) -> u32 {
        self.0.asset_index(id).expect("asset in fixture")
    }
}

fn step(sim: &mut Sim, decisions: Vec<Decision>) -> TurnOutcome {
    sim.step(
        TurnInput {
            decisions,
            overrides: Vec::new(),
        },
        true,
    )
}

fn override_turn(sim: &mut Sim, change: Change) -> TurnOutcome {
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
fn quiet() -> Arc<Scenario> {
    let mut s = (*fixture()).clone();
    for a in &mut s.attackers {
        a.start_turn = 10_000;
    }
    Arc::new(s)
}

#[test]
fn injects_fire_on_their_turn_and_apply_effects() {
    let s = quiet();
    let ids = Ids(s.clone());
    let mut sim = Sim::new(s.clone(), 1);
    let cert = ids.org("cert");
    let before = sim.read().staff(cert).capacity;
    let t1 = step(&mut sim, vec![]);
    assert!(
        !t1.events
            .iter()
            .any(|e| matches!(e, Event::InjectFired { .. }))
    );
    let t2 = step(&mut sim, vec![]);
    assert!(t2.events.contains(&Event::InjectFired {
        inject: 0,
        to: vec![0]
    }));
    assert_eq!(sim.read().staff(cert).capacity, before + 2);
    // AfterInject(advisory, 3) fires three turns after turn 2.
    for _ in 3..5 {
        step(&mut sim, vec![]);
    }
    let t5 = step(&mut sim, vec![]);
    assert!(t5.events.contains(&Event::InjectFired {
        inject: 2,
        to: vec![1]
    }));
}

#[test]
fn decisions_are_refused_with_reasons() {
    let s = quiet();
    let ids = Ids(s.clone());
    let mut sim = Sim::new(s.clone(), 1);
    let op = ids.org("op");
    let uscert = ids.org("uscert");
    let web = ids.asset("web");
    let takedown = Decision {
        org: op,
        action: Action::Takedown { attacker: 0 },
    };
    assert!(matches!(
        sim.check(&takedown, 0),
        Err(Refusal::MissingAuthority(_))
    ));
    let foreign = Decision {
        org: uscert,
        action: Action::Isolate { asset: web },
    };
    assert_eq!(sim.check(&foreign, 0), Err(Refusal::NotResponsibleForAsset));
    let restore_web = Decision {
        org: op,
        action: Action::Restore { asset: web },
    };
    assert_eq!(sim.check(&restore_web, 0), Err(Refusal::NoBackups));
    let hunt = Decision {
        org: op,
        action: Action::Hunt { asset: web },
    };
    assert!(matches!(
        sim.check(&hunt, 10),
        Err(Refusal::NotEnoughStaff { .. })
    ));

    let out = step(&mut sim, vec![hunt.clone(), takedown.clone()]);
    assert_eq!(out.refused.len(), 1);
    assert_eq!(out.refused[0].0, takedown);
    let staff = sim.read().staff(op);
    assert!(staff.committed > 0, "the running hunt holds staff");
    // The same hunt cannot start twice while it runs.
    assert_eq!(sim.check(&hunt, 0), Err(Refusal::AlreadyInProgress));
}

#[test]
fn the_attacker_gets_in_steals_and_wipes_when_nobody_answers() {
    let s = fixture();
    let ids = Ids(s.clone());
    let mut sim = Sim::new(s.clone(), 3);
    let mut stolen = 0;
    let mut wiped = false;
    for _ in 0..16 {
        let out = step(&mut sim, vec![]);
        for e in &out.events {
            match e {
                Event::RecordsStolen { count, .. } => stolen += count,
                Event::AssetWiped { asset, .. } => wiped |= *asset == ids.asset("dc"),
                _ => {}
            }
        }
    }
    assert!(stolen > 0);
    assert_eq!(sim.read().metrics().records_lost, stolen);
    assert!(wiped, "the campaign reaches its destroy stage");
    // The web site depends on the wiped domain controller.
    assert!(sim.read().availability()[ids.asset("web") as usize] < 500);
}

#[test]
fn detection_informs_only_the_detecting_organisation() {
    let s = fixture();
    let ids = Ids(s.clone());
    for seed in 0..20 {
        let mut sim = Sim::new(s.clone(), seed);
        for _ in 0..16 {
            let out = step(&mut sim, vec![]);
            if let Some(Event::Detected { org, .. }) = out
                .events
                .iter()
                .find(|e| matches!(e, Event::Detected { .. }))
            {
                let read = sim.read();
                assert!(!read.knowledge(*org).compromises.is_empty());
                for other in ["uscert", "fbi", "police"] {
                    assert!(
                        read.knowledge(ids.org(other)).is_empty(),
                        "{other} learnt of a detection it did not make"
                    );
                }
                return;
            }
        }
    }
    panic!("no detection in 20 seeds");
}

#[test]
fn isolation_caps_availability_and_restore_evicts() {
    let s = fixture();
    let ids = Ids(s.clone());
    let mut sim = Sim::new(s.clone(), 3);
    let op = ids.org("op");
    let mail = ids.asset("mail");
    let dc = ids.asset("dc");
    // Isolation can fail its roll; try until it takes.
    let isolate = Decision {
        org: op,
        action: Action::Isolate { asset: mail },
    };
    for _ in 0..8 {
        if sim.read().defences(mail).isolated {
            break;
        }
        step(&mut sim, vec![isolate.clone()]);
    }
    assert!(sim.read().defences(mail).isolated);
    assert_eq!(
        sim.read().availability()[mail as usize],
        super::phases::cascade::ISOLATED_CAP
    );
    // Wipe the domain controller by hand, then restore it from backups.
    override_turn(
        &mut sim,
        Change::SetAvailability {
            asset: dc,
            availability: 0,
        },
    );
    assert_eq!(sim.read().availability()[dc as usize], 0);
    step(
        &mut sim,
        vec![Decision {
            org: op,
            action: Action::Restore { asset: dc },
        }],
    );
    step(&mut sim, vec![]);
    let restored = (0..3).any(|_| {
        step(&mut sim, vec![]);
        sim.read().availability()[dc as usize] == 1000
    }) || sim.read().availability()[dc as usize] == 1000;
    assert!(restored);
    assert!(sim.read().compromises().iter().all(|c| c.asset != dc));
}

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

#[test]
fn shared_intel_arrives_after_the_channel_delay() {
    let s = quiet();
    let ids = Ids(s.clone());
    let mut sim = Sim::new(s.clone(), 1);
    let cert = ids.org("cert");
    let uscert = ids.org("uscert");
    override_turn(
        &mut sim,
        Change::RevealAttacker {
            organisation: cert,
            attacker: 0,
        },
    );
    let share = Decision {
        org: cert,
        action: Action::ShareIntel {
            to: vec![uscert],
            tlp: Tlp::Amber,
        },
    };
    let sent = sim.turn();
    step(&mut sim, vec![share]);
    // Explicit channel: 2 turns.
    assert!(!sim.read().knowledge(uscert).knows_attacker(0));
    step(&mut sim, vec![]);
    assert!(sim.turn() == sent + 2);
    let out = step(&mut sim, vec![]);
    assert!(
        sim.read().knowledge(uscert).knows_attacker(0),
        "{:?}",
        out.events
    );
    // Red needs more trust than the US CERT has in... the sender's own view.
    let red = Decision {
        org: uscert,
        action: Action::ShareIntel {
            to: vec![cert],
            tlp: Tlp::Red,
        },
    };
    assert!(matches!(
        sim.check(&red, 0),
        Err(Refusal::TlpNotPermitted { .. })
    ));
}

#[test]
fn objectives_fail_when_records_leave_and_the_score_drops() {
    let s = fixture();
    let mut sim = Sim::new(s.clone(), 3);
    let mut last = 100;
    for _ in 0..16 {
        last = step(&mut sim, vec![]).score;
    }
    let status = &sim.read().objectives().status;
    assert!(
        status.iter().all(|s| *s != ObjectiveStatus::Pending),
        "all settled at the end"
    );
    let failed = status
        .iter()
        .filter(|s| **s == ObjectiveStatus::Failed)
        .count();
    assert!(failed >= 1);
    assert!(last < 100);
    assert!(sim.ended());
}

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
fn state_hash_only_when_asked() {
    let mut sim = Sim::new(quiet(), 1);
    let out = sim.step(TurnInput::default(), false);
    assert_eq!(out.state_hash, None);
    let out = sim.step(TurnInput::default(), true);
    assert!(out.state_hash.is_some());
}

#[test]
fn an_override_naming_nothing_is_ignored_not_fatal() {
    let mut sim = Sim::new(quiet(), 1);
    let out = override_turn(
        &mut sim,
        Change::SetAvailability {
            asset: 9_999,
            availability: 0,
        },
    );
    assert!(
        out.events
            .iter()
            .any(|e| matches!(e, Event::Overridden { what, .. } if what.starts_with("ignored")))
    );
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
            let cascade = sim.world.resource::<super::resources::CascadeState>();
            for (i, &own) in cascade.own.iter().enumerate() {
                let mut expected = read.health(i as u32).own_availability;
                if read.defences(i as u32).isolated {
                    expected = expected.min(super::phases::cascade::ISOLATED_CAP);
                }
                assert_eq!(own, expected, "the cascade's copy of asset {i} is stale");
            }
        }
    }
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

#[test]
fn leaked_intel_costs_the_leaker_its_partners_trust() {
    let mut s = (*quiet()).clone();
    let cert = s.org_index("cert").unwrap_or(0);
    let uscert = s.org_index("uscert").unwrap_or(0);
    s.organisations[cert as usize].leak_risk = 1000;
    let s = Arc::new(s);
    let mut sim = Sim::new(s.clone(), 1);
    override_turn(
        &mut sim,
        Change::RevealAttacker {
            organisation: uscert,
            attacker: 0,
        },
    );
    let before = sim.read().trust(uscert).get(cert);
    let alliance_before = sim.read().politics().alliance_trust;
    let share = |tlp| Decision {
        org: uscert,
        action: Action::ShareIntel {
            to: vec![cert],
            tlp,
        },
    };
    step(&mut sim, vec![share(Tlp::Green)]);
    let mut leaked = false;
    for _ in 0..4 {
        let out = step(&mut sim, vec![]);
        leaked |= out
            .events
            .iter()
            .any(|e| matches!(e, Event::IntelLeaked { .. }));
    }
    assert!(!leaked, "GREEN intel is meant to travel");
    step(&mut sim, vec![share(Tlp::Amber)]);
    for _ in 0..4 {
        let out = step(&mut sim, vec![]);
        leaked |= out
            .events
            .iter()
            .any(|e| matches!(e, Event::IntelLeaked { .. }));
    }
    assert!(leaked);
    assert!(sim.read().trust(uscert).get(cert) < before);
    assert!(sim.read().politics().alliance_trust < alliance_before);
}

#[test]
fn a_facilitators_eviction_clears_what_defenders_believed() {
    let s = fixture();
    let orgs = s.organisations.len() as u16;
    for seed in 0..40 {
        let mut sim = Sim::new(s.clone(), seed);
        let mut known = None;
        for _ in 0..s.turn_limit {
            step(&mut sim, vec![]);
            known = (0..orgs).find_map(|o| {
                let c = sim.read().knowledge(o).compromises.first().cloned()?;
                let live = sim
                    .read()
                    .compromises()
                    .iter()
                    .any(|g| (g.asset, g.attacker) == (c.asset, c.attacker));
                live.then_some((o, c.asset, c.attacker))
            });
            if known.is_some() {
                break;
            }
        }
        let Some((org, asset, attacker)) = known else {
            continue;
        };
        let outcome = override_turn(&mut sim, Change::Evict { asset, attacker });
        let told = outcome.events.iter().find_map(|e| match e {
            Event::Evicted {
                asset: a,
                attacker: b,
                known_by,
            } if (*a, *b) == (asset, attacker) => Some(known_by.clone()),
            _ => None,
        });
        assert!(told.as_ref().is_some_and(|k| k.contains(&org)), "{told:?}");
        for o in 0..orgs {
            assert!(
                !sim.read().knowledge(o).knows_compromise(asset, attacker)
                    || sim
                        .read()
                        .compromises()
                        .iter()
                        .any(|g| (g.asset, g.attacker) == (asset, attacker)),
                "organisation {o} still believes an evicted intrusion"
            );
        }
        return;
    }
    panic!("no seed had a detected intrusion to evict");
}
