//! Phase 4, detect: monitoring, hunts and national traffic analysis roll to
//! spot compromises. Knowledge goes to the detecting organisation only;
//! it passes it on under its reporting rules, after its reporting delay.

use bevy_ecs::prelude::*;

use crate::scenario::model::{AttackerIdx, Authority, Nation, OrgIdx, Scenario};
use crate::sim::Phase;
use crate::sim::components::*;
use crate::sim::decision::Tlp;
use crate::sim::event::Event;
use crate::sim::knowledge::Facts;
use crate::sim::resources::*;
use crate::sim::rng::SimRng;

use super::{effects, intel};

pub fn detect_compromises(
    world: &mut World,
    compromises: &mut QueryState<(Entity, &StableId, &Compromise)>,
    mut lists: Local<Watchlists>,
) {
    let all = super::sorted_compromises(world, compromises);
    let Setting {
        rules,
        index,
        clock,
    } = world.resource::<Setting>().clone();
    if !all.is_empty() {
        let mut rng = SimRng::new(clock.seed, clock.turn, Phase::Detect.stream());
        let alert = u32::from(world.resource::<Politics>().alert_level.max(1) - 1);
        let Watchlists { analysts, watching } = &mut *lists;
        analysts.clear();
        analysts.extend(
            rules
                .organisations
                .iter()
                .enumerate()
                .filter(|(_, o)| o.has(Authority::TrafficAnalysis))
                .map(|(i, o)| (i as OrgIdx, o.nation)),
        );
        for (_, entity, c) in &all {
            watchers(&rules, analysts, c.asset, watching);
            for &org in watching.iter() {
                let bp = detection_bp(world, &rules, &index, alert, org, c);
                if rng.chance_bp(bp) {
                    record_detection(world, &rules, &mut rng, org, *entity, c, clock.turn);
                }
            }
        }
    }
    // A hunt's boost lasts one detection round.
    for asset in std::mem::take(&mut world.resource_mut::<Hunts>().0) {
        let e = effects::asset_entity(world, asset);
        if let Some(mut d) = world.get_mut::<Defences>(e) {
            d.hunt_bp = 0;
        }
    }
}

/// The detection round's lists, kept by the system from one turn to the
/// next so a round does not allocate.
#[derive(Default)]
pub struct Watchlists {
    /// Organisations with traffic-analysis authority, and their nations.
    analysts: Vec<(OrgIdx, Nation)>,
    /// Who can see the compromise being rolled for.
    watching: Vec<OrgIdx>,
}

/// Who can see a compromise on this asset: the owner, and any organisation
/// of the owner's nation with traffic-analysis authority if it faces the
/// internet.
fn watchers(rules: &Scenario, analysts: &[(OrgIdx, Nation)], asset: u32, out: &mut Vec<OrgIdx>) {
    let a = &rules.assets[asset as usize];
    out.clear();
    out.push(a.owner);
    if a.internet_facing {
        let nation = rules.organisations[a.owner as usize].nation;
        out.extend(
            analysts
                .iter()
                .filter(|(o, n)| *o != a.owner && *n == nation)
                .map(|(o, _)| *o),
        );
    }
}

fn detection_bp(
    world: &World,
    rules: &Scenario,
    index: &Index,
    alert: u32,
    org: OrgIdx,
    c: &Compromise,
) -> u32 {
    let knowledge = &world
        .get::<Knowledge>(index.orgs[org as usize])
        .map(|k| &k.0);
    if knowledge.is_some_and(|k| k.knows_compromise(c.asset, c.attacker)) {
        return 0;
    }
    let asset = index.assets[c.asset as usize];
    let Some(d) = world.get::<Defences>(asset) else {
        return 0;
    };
    let stealth = u32::from(rules.attackers[c.attacker as usize].stealth.min(1000));
    let skill = u32::from(rules.organisations[org as usize].detection_skill.min(1000));
    let base = if org == rules.assets[c.asset as usize].owner {
        // monitoring × skill, permille² → bp
        u32::from(d.monitoring.min(1000)) * skill / 100
    } else {
        // Analysts watch the national traffic with the staff they have free.
        let full = u32::from(rules.tuning.traffic_analysis_staff).max(1);
        let free = world
            .get::<Staff>(index.orgs[org as usize])
            .map_or(0, |s| s.available())
            .min(full);
        u32::from(rules.tuning.traffic_analysis_bp) * skill / 1000 * free / full
    };
    let mut bp = base * (1000 - stealth) / 1000 + u32::from(d.hunt_bp);
    if knowledge.is_some_and(|k| k.knows_attacker(c.attacker)) {
        bp *= 2;
    }
    bp = bp * (10 + alert) / 10;
    bp.min(9_500)
}

/// The detecting organisation learns of the compromise, the attacker's
/// indicators and an attribution lead, which planted false flags may bend.
#[allow(clippy::too_many_arguments)]
fn record_detection(
    world: &mut World,
    rules: &Scenario,
    rng: &mut SimRng,
    org: OrgIdx,
    entity: Entity,
    c: &Compromise,
    turn: u32,
) {
    let org_entity = effects::org_entity(world, org);
    let (points_to, weight) = attribution_lead(rules, rng, org, c.attacker);
    if let Some(mut k) = world.get_mut::<Knowledge>(org_entity) {
        k.0.add_compromise(c.asset, c.attacker, turn);
        k.0.add_indicator(c.attacker);
        k.0.add_lead(c.attacker, points_to, org, weight);
    }
    if let Some(mut comp) = world.get_mut::<Compromise>(entity) {
        comp.detected = true;
    }
    let attacker_entity = world.resource::<Setting>().index.attackers[c.attacker as usize];
    if let Some(mut camp) = world.get_mut::<Campaign>(attacker_entity) {
        camp.first_detected.get_or_insert(turn);
    }
    world
        .resource_mut::<Politics>()
        .first_detection
        .get_or_insert(turn);
    world.resource_mut::<Metrics>().detections += 1;
    if rules.organisations[org as usize].kind.is_government() {
        world
            .resource_mut::<Metrics>()
            .government_aware
            .get_or_insert(turn);
    }
    world.resource_mut::<TurnLog>().push(Event::Detected {
        org,
        asset: c.asset,
        attacker: c.attacker,
    });

    let mut facts = Facts::default();
    facts.add_compromise(c.asset, c.attacker, turn);
    facts.add_indicator(c.attacker);
    report(world, rules, org, facts, turn);
}

/// Reporting culture: what an organisation learns of its own systems goes
/// to those it reports to only after its reporting delay.
pub fn report(world: &mut World, rules: &Scenario, org: OrgIdx, facts: Facts, turn: u32) {
    let o = &rules.organisations[org as usize];
    let facts = std::sync::Arc::new(facts);
    for &to in &o.reports_to {
        let arrives = turn + o.reporting_delay + intel::delay(world, rules, org, to);
        intel::send(
            world,
            org,
            to,
            Tlp::Amber,
            facts.clone(),
            turn,
            arrives,
            true,
        );
    }
}

/// A lead from one piece of evidence: each false flag may convince the
/// analyst in proportion to its strength; otherwise the evidence points to
/// the true sponsor, weighted by the analyst's skill.
pub fn attribution_lead<'r>(
    rules: &'r Scenario,
    rng: &mut SimRng,
    org: OrgIdx,
    attacker: AttackerIdx,
) -> (&'r str, u32) {
    let a = &rules.attackers[attacker as usize];
    let skill = u32::from(rules.organisations[org as usize].detection_skill);
    for flag in &a.false_flags {
        let fooled_bp = u32::from(flag.strength) * 10 * (1000 - skill.min(1000) / 2) / 1000;
        if rng.chance_bp(fooled_bp) {
            return (&flag.points_to, u32::from(flag.strength));
        }
    }
    (&a.sponsor, skill.max(1))
}

#[cfg(test)]
mod tests {
    use crate::sim::fixture::*;

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
}
