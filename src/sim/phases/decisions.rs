//! Phase 2, decisions: each submitted decision is checked (capacity,
//! authority, prerequisites) against the world as the earlier ones of the
//! turn leave it, executed into an event — started, with how many turns it
//! takes, or refused, with the reason — and the event applied (`apply`).

use bevy_ecs::prelude::*;

use crate::scenario::Scenario;
use crate::scenario::model::Backups;
use crate::sim::components::*;
use crate::sim::decision::{self, Action, Decision, Refusal};
use crate::sim::event::Event;
use crate::sim::query::WorldCheck;
use crate::sim::resources::*;

use super::apply;

pub fn start_decisions(
    world: &mut World,
    compromises: &mut QueryState<(Entity, &StableId, &Compromise)>,
) {
    let decisions = std::mem::take(&mut world.resource_mut::<TurnInput>().decisions);
    if decisions.is_empty() {
        return;
    }
    let setting = world.resource::<Setting>().clone();
    let rules = &setting.rules;
    let verdicts = check(world, rules, &decisions);
    for (d, verdict) in decisions.into_iter().zip(verdicts) {
        let event = execute(rules, d, verdict);
        if let Event::DecisionRefused { decision, reason } = &event {
            world
                .resource_mut::<TurnLog>()
                .refused
                .push((decision.clone(), reason.clone()));
        }
        apply::apply(world, &setting, compromises, &event);
        world.resource_mut::<TurnLog>().push(event);
    }
}

/// Every decision checked in order, each against the world as the ones
/// before it leave it: their staff held, their actions running.
fn check(world: &World, rules: &Scenario, decisions: &[Decision]) -> Vec<Result<(), Refusal>> {
    let mut check = WorldCheck::new(world);
    decisions
        .iter()
        .map(|d| {
            decision::check(&check, d, 0)?;
            check.start(d, decision::staff_cost(rules, d));
            Ok(())
        })
        .collect()
}

/// A checked decision as an event: started, taking the decision's
/// duration (a restore takes as long as its backups need), or refused.
fn execute(rules: &Scenario, d: Decision, verdict: Result<(), Refusal>) -> Event {
    if let Err(reason) = verdict {
        return Event::DecisionRefused {
            decision: d,
            reason,
        };
    }
    let spec = &rules.decision(d.action.kind()).spec;
    let turns = match d.action {
        Action::Restore { asset } => match rules.assets[asset as usize].backups {
            Backups::Online { restore_turns } | Backups::Offline { restore_turns } => {
                spec.duration.max(restore_turns)
            }
            Backups::None => spec.duration,
        },
        _ => spec.duration,
    }
    .max(1);
    Event::DecisionStarted { decision: d, turns }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{LoadOptions, load_builtin};
    use crate::sim::fixture::*;

    fn tutorial() -> std::sync::Arc<Scenario> {
        match load_builtin("tutorial", &LoadOptions::default()) {
            Ok(l) => l.scenario,
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn a_refused_decision_executes_into_its_refusal() {
        let rules = tutorial();
        let d = Decision {
            org: 0,
            action: Action::RaiseAlert,
        };
        let event = execute(&rules, d.clone(), Err(Refusal::AlertAtMaximum));
        assert_eq!(
            event,
            Event::DecisionRefused {
                decision: d,
                reason: Refusal::AlertAtMaximum
            }
        );
    }

    #[test]
    fn a_restore_takes_as_long_as_its_backups_need() {
        let rules = tutorial();
        let turns = |backups: fn(&Backups) -> bool| {
            let (i, asset) = rules
                .assets
                .iter()
                .enumerate()
                .find(|(_, a)| backups(&a.backups))
                .expect("the tutorial has such an asset");
            let d = Decision {
                org: asset.owner,
                action: Action::Restore { asset: i as u32 },
            };
            match execute(&rules, d, Ok(())) {
                Event::DecisionStarted { turns, .. } => turns,
                other => panic!("{other:?}"),
            }
        };
        let usual = rules
            .decision(crate::scenario::model::DecisionKind::Restore)
            .spec
            .duration;
        // Offline backups in the tutorial take four turns to bring back.
        let offline = turns(|b| matches!(b, Backups::Offline { .. }));
        assert_eq!(offline, usual.max(4));
        let online = turns(|b| matches!(b, Backups::Online { .. }));
        assert_eq!(online, usual.max(3));
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
}
