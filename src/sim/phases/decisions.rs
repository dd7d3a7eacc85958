//! Phase 2, decisions: each submitted decision is checked (capacity,
//! authority, prerequisites); legal ones start as actions in progress and
//! hold their staff, refused ones are reported with the reason.

use bevy_ecs::prelude::*;

use crate::scenario::model::{AssetIdx, AttackerIdx, Backups, OrgIdx, Scenario};
use crate::sim::components::*;
use crate::sim::decision::{self, Action, CheckState};
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
        let mut this_turn = StartedThisTurn {
            world: WorldCheck::new(world),
            staff: vec![0; rules.organisations.len()],
            started: std::collections::BTreeSet::new(),
        };
        decisions
            .iter()
            .map(|d| {
                decision::check(&this_turn, d, 0)?;
                let staff = decision::staff_cost(&rules, d);
                if let Some(held) = this_turn.staff.get_mut(d.org as usize) {
                    *held += staff;
                }
                this_turn.started.insert(d);
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
        world.resource_mut::<Actions>().start(ActionInProgress {
            decision: d.clone(),
            staff,
            started: turn,
            turns_left: turns,
        });
        world
            .resource_mut::<TurnLog>()
            .push(Event::DecisionStarted { decision: d, turns });
    }
}

/// The world as the decisions accepted so far this turn leave it, for the
/// check: their staff is held and their actions are running.
struct StartedThisTurn<'w, 'd> {
    world: WorldCheck<'w>,
    staff: Vec<u32>,
    started: std::collections::BTreeSet<&'d decision::Decision>,
}

impl CheckState for StartedThisTurn<'_, '_> {
    fn scenario(&self) -> &Scenario {
        self.world.scenario()
    }
    fn staff_available(&self, org: OrgIdx) -> u32 {
        let held = self.staff.get(org as usize).copied().unwrap_or(0);
        self.world.staff_available(org).saturating_sub(held)
    }
    fn in_progress(&self, decision: &decision::Decision) -> bool {
        self.started.contains(decision) || self.world.in_progress(decision)
    }
    fn trust(&self, from: OrgIdx, to: OrgIdx) -> u16 {
        self.world.trust(from, to)
    }
    fn trust_in(&self, from: OrgIdx, to: &[OrgIdx]) -> Vec<u16> {
        self.world.trust_in(from, to)
    }
    fn knows_attacker(&self, org: OrgIdx, attacker: AttackerIdx) -> bool {
        self.world.knows_attacker(org, attacker)
    }
    fn has_evidence(&self, org: OrgIdx, attacker: AttackerIdx) -> bool {
        self.world.has_evidence(org, attacker)
    }
    fn monitoring(&self, asset: AssetIdx) -> u16 {
        self.world.monitoring(asset)
    }
    fn isolated(&self, asset: AssetIdx) -> bool {
        self.world.isolated(asset)
    }
    fn backups_intact(&self, asset: AssetIdx) -> bool {
        self.world.backups_intact(asset)
    }
    fn unpatched(&self, asset: AssetIdx) -> bool {
        self.world.unpatched(asset)
    }
    fn alert_level(&self) -> u8 {
        self.world.alert_level()
    }
    fn article5_open(&self) -> bool {
        self.world.article5_open()
    }
    fn liaison_active(&self) -> bool {
        self.world.liaison_active()
    }
    fn attacker_infrastructure(&self, attacker: AttackerIdx) -> u32 {
        self.world.attacker_infrastructure(attacker)
    }
    fn response_access(&self, responder: OrgIdx, owner: OrgIdx) -> bool {
        self.world.response_access(responder, owner)
    }
    fn assistance_sent(&self, lender: OrgIdx, borrower: OrgIdx) -> bool {
        self.world.assistance_sent(lender, borrower)
    }
}
