//! Phase 2, decisions: each submitted decision is checked (capacity,
//! authority, prerequisites); legal ones start as actions in progress and
//! hold their staff, refused ones are reported with the reason.

use bevy_ecs::prelude::*;

use crate::scenario::model::Backups;
use crate::sim::agenda::Agenda;
use crate::sim::components::*;
use crate::sim::decision::{self, Action};
use crate::sim::event::Event;
use crate::sim::query::WorldCheck;
use crate::sim::resources::*;

use super::effects;

pub fn start_decisions(world: &mut World) {
    let decisions = std::mem::take(&mut world.resource_mut::<TurnInput>().decisions);
    if decisions.is_empty() {
        return;
    }
    let rules = world.resource::<Rules>().0.clone();
    let turn = world.resource::<Clock>().turn;
    // Every decision is checked against the world as the earlier ones of
    // this turn leave it: their staff held, their actions running.
    let verdicts: Vec<Result<u32, decision::Refusal>> = {
        let mut check = WorldCheck::new(world);
        decisions
            .iter()
            .map(|d| {
                decision::check(&check, d, 0)?;
                let staff = decision::staff_cost(&rules, d);
                check.start(d, staff);
                Ok(staff)
            })
            .collect()
    };
    for (d, verdict) in decisions.into_iter().zip(verdicts) {
        let staff = match verdict {
            Ok(staff) => staff,
            Err(reason) => {
                let mut log = world.resource_mut::<TurnLog>();
                log.refused.push((d.clone(), reason.clone()));
                log.push(Event::DecisionRefused {
                    decision: d,
                    reason,
                });
                continue;
            }
        };
        let kind = d.action.kind();
        let spec = &rules.decision(kind).spec;
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
        let org = effects::org_entity(world, d.org);
        if let Some(mut s) = world.get_mut::<Staff>(org) {
            s.committed += staff;
        }
        world
            .resource_mut::<DecisionsTaken>()
            .0
            .get_mut(kind as usize)
            .map(|t| t.get_or_insert(turn));
        world.resource_mut::<Agenda>().start_action(
            ActionInProgress {
                decision: d.clone(),
                staff,
                started: turn,
            },
            turns,
        );
        world
            .resource_mut::<TurnLog>()
            .push(Event::DecisionStarted { decision: d, turns });
    }
}
