//! World changes shared by injects, facilitator overrides and actions.

use bevy_ecs::prelude::*;

use crate::scenario::model::{AssetIdx, AttackerIdx, Effect, OrgIdx};
use crate::sim::event::{Event, TrustCause, TrustMeasure};

use crate::sim::components::*;
use crate::sim::resources::*;

pub fn clamp_permille(value: i32) -> u16 {
    value.clamp(0, 1000) as u16
}

pub fn shift(value: u16, delta: i32) -> u16 {
    clamp_permille(i32::from(value) + delta)
}

pub fn asset_entity(world: &World, asset: AssetIdx) -> Entity {
    world.resource::<Setting>().index.assets[asset as usize]
}

pub fn org_entity(world: &World, org: OrgIdx) -> Entity {
    world.resource::<Setting>().index.orgs[org as usize]
}

pub fn set_availability(world: &mut World, asset: AssetIdx, availability: u16) {
    let e = asset_entity(world, asset);
    if let Some(mut h) = world.get_mut::<Health>(e) {
        h.own_availability = availability.min(1000);
    }
    mark_cascade(world, asset);
}

/// An asset's own availability or isolation changed: the cascade takes
/// the new value and must run. Every such change goes through here.
pub fn mark_cascade(world: &mut World, asset: AssetIdx) {
    let e = asset_entity(world, asset);
    let own = world.get::<Health>(e).map_or(0, |h| h.own_availability);
    let isolated = world.get::<Defences>(e).is_some_and(|d| d.isolated);
    let capped = if isolated {
        own.min(super::cascade::ISOLATED_CAP)
    } else {
        own
    };
    let mut state = world.resource_mut::<CascadeState>();
    state.dirty = true;
    if let Some(slot) = state.own.get_mut(asset as usize) {
        *slot = capped;
    }
}

pub fn change_trust(world: &mut World, from: OrgIdx, to: OrgIdx, delta: i32) {
    let e = org_entity(world, from);
    if let Some(mut t) = world.get_mut::<Trust>(e) {
        shift_trust(&mut t, to, delta);
    }
}

/// Moves one organisation's trust in `to` by `delta`, within 0..=1000.
pub fn shift_trust(trust: &mut Trust, to: OrgIdx, delta: i32) {
    let now = trust.0.get(to);
    trust.0.set(to, shift(now, delta));
}

/// An intrusion is over: the organisations in `told` forget it and
/// remember it as cleared, and those of them that knew of it learn that an
/// intruder was evicted (the event names them).
pub fn intrusion_ended(world: &mut World, told: &[OrgIdx], asset: AssetIdx, attacker: AttackerIdx) {
    let turn = world.resource::<Setting>().clock.turn;
    let mut known_by = Vec::new();
    for &org in told {
        let e = org_entity(world, org);
        if let Some(mut k) = world.get_mut::<Knowledge>(e) {
            if k.0.knows_compromise(asset, attacker) {
                known_by.push(org);
            }
            k.0.clear_compromise(asset, attacker, turn);
        }
    }
    world.resource_mut::<TurnLog>().push(Event::Evicted {
        asset,
        attacker,
        known_by,
    });
}

pub fn reveal_attacker(world: &mut World, org: OrgIdx, attacker: AttackerIdx) {
    let e = org_entity(world, org);
    if let Some(mut k) = world.get_mut::<Knowledge>(e) {
        k.0.add_indicator(attacker);
    }
}

pub fn public_trust(world: &mut World, delta: i32, cause: TrustCause) {
    let mut p = world.resource_mut::<Politics>();
    let before = p.public_trust;
    p.public_trust = shift(before, delta);
    let now = p.public_trust;
    record_trust(world, TrustMeasure::Public, cause, before, now);
}

pub fn alliance_trust(world: &mut World, delta: i32, cause: TrustCause) {
    let mut p = world.resource_mut::<Politics>();
    let before = p.alliance_trust;
    p.alliance_trust = shift(before, delta);
    let now = p.alliance_trust;
    record_trust(world, TrustMeasure::Alliance, cause, before, now);
}

/// A move of trust, in the turn's events, so a debrief can say why.
pub fn record_trust(
    world: &mut World,
    measure: TrustMeasure,
    cause: TrustCause,
    before: u16,
    now: u16,
) {
    if before != now {
        world.resource_mut::<TurnLog>().push(Event::TrustChanged {
            measure,
            cause,
            delta: i32::from(now) - i32::from(before),
            now,
        });
    }
}

/// Applies a scenario effect.
pub fn apply(world: &mut World, effect: &Effect) {
    match effect {
        Effect::SetAvailability {
            asset,
            availability,
        } => set_availability(world, *asset, *availability),
        Effect::AddStaff {
            organisation,
            staff,
        } => {
            let e = org_entity(world, *organisation);
            if let Some(mut s) = world.get_mut::<Staff>(e) {
                s.capacity = s.capacity.saturating_add(*staff);
            }
        }
        Effect::RevealAttacker {
            organisation,
            attacker,
        } => reveal_attacker(world, *organisation, *attacker),
        Effect::FalseLead {
            organisation,
            points_to,
        } => {
            // A planted artefact misleads about every attacker in play.
            let rules = world.resource::<Setting>().rules.clone();
            let attackers = rules.attackers.len() as AttackerIdx;
            let weight = u32::from(rules.tuning.false_lead_weight);
            let e = org_entity(world, *organisation);
            if let Some(mut k) = world.get_mut::<Knowledge>(e) {
                for attacker in 0..attackers {
                    k.0.add_lead(attacker, points_to, *organisation, weight);
                }
            }
        }
        Effect::ChangeTrust { from, to, delta } => {
            change_trust(world, *from, *to, i32::from(*delta))
        }
        Effect::PublicTrust(delta) => public_trust(world, i32::from(*delta), TrustCause::Inject),
        Effect::AllianceTrust(delta) => {
            alliance_trust(world, i32::from(*delta), TrustCause::Inject)
        }
    }
}
