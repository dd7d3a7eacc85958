//! Phase 1, injects: the facilitator's overrides apply first, then every
//! scripted inject whose trigger holds fires once and is delivered.

use bevy_ecs::prelude::*;

use crate::scenario::model::{DecisionKind, OrgIdx, Trigger};
use crate::sim::agenda::Agenda;
use crate::sim::components::*;
use crate::sim::event::Event;
use crate::sim::overrides::Change;
use crate::sim::resources::*;

use super::effects;

/// The injects phase: the facilitator's overrides, then what falls due.
pub fn run_injects(
    world: &mut World,
    compromises: &mut QueryState<(Entity, &StableId, &Compromise)>,
) {
    apply_overrides(world, compromises);
    fire_injects(world);
}

fn apply_overrides(
    world: &mut World,
    compromises: &mut QueryState<(Entity, &StableId, &Compromise)>,
) {
    let overrides = std::mem::take(&mut world.resource_mut::<TurnInput>().overrides);
    if overrides.is_empty() {
        return;
    }
    let rules = world.resource::<Setting>().rules.clone();
    for o in overrides {
        if let Err(problem) = o.validate(&rules) {
            world
                .resource_mut::<TurnLog>()
                .push(Event::OverrideIgnored {
                    problem,
                    reason: o.reason,
                });
            continue;
        }
        let applied = match &o.change {
            Change::SetAvailability {
                asset,
                availability,
            } => {
                effects::set_availability(world, *asset, *availability);
                Ok(())
            }
            Change::Evict { asset, attacker } => {
                let mut removed = false;
                for (_, e, c) in super::compromises_on(world, compromises, *asset) {
                    if c.attacker == *attacker {
                        world.despawn(e);
                        removed = true;
                    }
                }
                // Whoever believed the system compromised is told it is
                // clean, as after their own eviction.
                if removed {
                    let believers: Vec<OrgIdx> = (0..rules.organisations.len() as OrgIdx)
                        .filter(|&o| {
                            world
                                .get::<Knowledge>(effects::org_entity(world, o))
                                .is_some_and(|k| k.0.knows_compromise(*asset, *attacker))
                        })
                        .collect();
                    effects::intrusion_ended(world, &believers, *asset, *attacker);
                }
                Ok(())
            }
            Change::SetObjective { objective, met } => {
                let mut objectives = world.resource_mut::<Objectives>();
                if let Some(s) = objectives.status.get_mut(*objective as usize) {
                    *s = if *met {
                        ObjectiveStatus::Met
                    } else {
                        ObjectiveStatus::Failed
                    };
                }
                Ok(())
            }
            Change::SetPublicTrust(v) => {
                world.resource_mut::<Politics>().public_trust = (*v).min(1000);
                Ok(())
            }
            Change::SetAllianceTrust(v) => {
                world.resource_mut::<Politics>().alliance_trust = (*v).min(1000);
                Ok(())
            }
            Change::RevealAttacker {
                organisation,
                attacker,
            } => {
                effects::reveal_attacker(world, *organisation, *attacker);
                Ok(())
            }
            Change::AdHocInject { title, text, to } => {
                world.resource_mut::<TurnLog>().push(Event::AdHocInject {
                    title: title.clone(),
                    text: text.clone(),
                    to: to.clone(),
                });
                Ok(())
            }
            Change::FireInject { inject } => {
                let turn = world.resource::<Setting>().clock.turn;
                if world.resource::<InjectsFired>().0[*inject as usize].is_some() {
                    Err(format!("inject {inject} has already fired"))
                } else {
                    fire(world, &rules, *inject as usize, turn);
                    Ok(())
                }
            }
            Change::HoldInject { inject, hold } => {
                world.resource_mut::<InjectsHeld>().0[*inject as usize] = *hold;
                Ok(())
            }
        };
        let event = match applied {
            Ok(()) => Event::Overridden {
                change: o.change,
                reason: o.reason,
            },
            Err(problem) => Event::OverrideIgnored {
                problem,
                reason: o.reason,
            },
        };
        world.resource_mut::<TurnLog>().push(event);
    }
}

fn fire_injects(world: &mut World) {
    let setting = world.resource::<Setting>();
    if setting.rules.injects.is_empty() {
        return;
    }
    let (rules, turn) = (setting.rules.clone(), setting.clock.turn);
    // Firing one inject marks only itself fired and holds none, so the
    // injects still waiting are looked up once.
    let waiting: Vec<usize> = {
        let fired = &world.resource::<InjectsFired>().0;
        let held = &world.resource::<InjectsHeld>().0;
        (0..rules.injects.len())
            .filter(|&i| fired[i].is_none() && !held[i])
            .collect()
    };
    for i in waiting {
        // Triggers are read as the injects before it this turn leave the world.
        if triggered(world, i as u32, &rules.injects[i].trigger, turn) {
            fire(world, &rules, i, turn);
        }
    }
}

/// Fires scripted inject `i` now: marks it fired, schedules the injects
/// that follow it, applies its effects and delivers it.
fn fire(world: &mut World, rules: &crate::scenario::Scenario, i: usize, turn: u32) {
    let inject = &rules.injects[i];
    world.resource_mut::<InjectsFired>().0[i] = Some(turn);
    let mut agenda = world.resource_mut::<Agenda>();
    agenda.drop_inject(i as u32);
    // Injects that follow this one fall due after their delay.
    for (j, next) in rules.injects.iter().enumerate() {
        if let Trigger::AfterInject { inject, delay } = next.trigger
            && inject as usize == i
        {
            agenda.schedule_inject(j as u32, turn + delay);
        }
    }
    for effect in &inject.effects {
        effects::apply(world, effect);
    }
    world.resource_mut::<TurnLog>().push(Event::InjectFired {
        inject: i as u32,
        to: inject.to.clone(),
    });
}

/// Triggers read the state left by the previous turn.
fn triggered(world: &World, index: u32, trigger: &Trigger, turn: u32) -> bool {
    match trigger {
        Trigger::AtTurn(t) => turn >= *t,
        Trigger::AssetBelow {
            asset,
            availability,
        } => world
            .resource::<AvailabilityMap>()
            .0
            .get(*asset as usize)
            .is_some_and(|a| a < availability),
        Trigger::AttackerReachesStage { attacker, stage } => {
            let e = world.resource::<Setting>().index.attackers[*attacker as usize];
            world
                .get::<Campaign>(e)
                // Stages count from 1 in scenario files.
                .is_some_and(|c| c.stage + 1 >= *stage || c.finished)
        }
        Trigger::DecisionTaken(kind) => decision_taken(world, *kind),
        Trigger::AfterInject { .. } => world.resource::<Agenda>().inject_due(index, turn),
    }
}

fn decision_taken(world: &World, kind: DecisionKind) -> bool {
    world.resource::<DecisionsTaken>().0[kind as usize].is_some()
}

#[cfg(test)]
mod tests {
    use crate::sim::fixture::*;

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

    fn fired(out: &TurnOutcome, inject: u32) -> bool {
        out.events
            .iter()
            .any(|e| matches!(e, Event::InjectFired { inject: i, .. } if *i == inject))
    }

    #[test]
    fn the_facilitator_fires_a_scripted_inject_early_once() {
        let s = quiet();
        let ids = Ids(s.clone());
        let mut sim = Sim::new(s.clone(), 1);
        let cert = ids.org("cert");
        let before = sim.read().staff(cert).capacity;
        // Due in turn 2, fired in turn 1, with its effects.
        let t1 = override_turn(&mut sim, Change::FireInject { inject: 0 });
        assert!(fired(&t1, 0));
        assert_eq!(sim.read().staff(cert).capacity, before + 2);
        let t2 = step(&mut sim, vec![]);
        assert!(!fired(&t2, 0), "it fires once");
        let again = override_turn(&mut sim, Change::FireInject { inject: 0 });
        assert!(
            again
                .events
                .iter()
                .any(|e| matches!(e, Event::OverrideIgnored { .. }))
        );
        assert_eq!(sim.read().staff(cert).capacity, before + 2);
    }

    #[test]
    fn a_held_inject_waits_until_released_and_holding_is_state() {
        let s = quiet();
        let mut held = Sim::new(s.clone(), 1);
        let mut plain = Sim::new(s.clone(), 1);
        let t1 = override_turn(
            &mut held,
            Change::HoldInject {
                inject: 0,
                hold: true,
            },
        );
        let p1 = step(&mut plain, vec![]);
        assert_ne!(t1.state_hash, p1.state_hash, "a hold is part of the state");
        let t2 = step(&mut held, vec![]);
        assert!(!fired(&t2, 0), "held past its turn");
        let t3 = override_turn(
            &mut held,
            Change::HoldInject {
                inject: 0,
                hold: false,
            },
        );
        assert!(fired(&t3, 0), "released, its trigger holds and it fires");
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
                .any(|e| matches!(e, Event::OverrideIgnored { .. }))
        );
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
}
