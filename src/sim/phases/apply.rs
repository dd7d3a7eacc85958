//! Apply: what a decision's events do to the world, in one place. A
//! decision is checked and executed into an event by its phase (started
//! or refused in phase 2; succeeded or failed in phase 5); the event is
//! applied here, then logged. The consequences an effect has of its own
//! (a statement made, assistance arriving) are logged as they happen.

use bevy_ecs::prelude::*;

use crate::scenario::model::{AssetIdx, AttackerIdx, Nation, OrgIdx};
use crate::sim::agenda::Agenda;
use crate::sim::components::*;
use crate::sim::decision::{self, Action, Decision};
use crate::sim::event::{Event, TrustCause};
use crate::sim::resources::*;

use super::{effects, intel};

/// Applies one event of a decision, on the setting's turn and under its
/// rules. Events that are not a decision's change nothing here.
pub fn apply(
    world: &mut World,
    setting: &Setting,
    compromises: &mut QueryState<(Entity, &StableId, &Compromise)>,
    event: &Event,
) {
    let (rules, index, turn) = (&*setting.rules, &setting.index, setting.clock.turn);
    match event {
        Event::DecisionStarted { decision: d, turns } => {
            let staff = decision::staff_cost(rules, d);
            with_staff(world, index, d.org, |s| {
                s.committed = s.committed.saturating_add(staff)
            });
            let kind = d.action.kind();
            if let Some(first) = world
                .resource_mut::<DecisionsTaken>()
                .0
                .get_mut(kind as usize)
            {
                first.get_or_insert(turn);
            }
            world.resource_mut::<Agenda>().start_action(
                ActionInProgress {
                    decision: d.clone(),
                    staff,
                    started: turn,
                },
                *turns,
            );
        }
        Event::ActionFailed { decision: d, .. } => release(world, setting, d),
        Event::ActionSucceeded { decision: d } => {
            release(world, setting, d);
            take_effect(world, setting, compromises, d);
        }
        _ => {}
    }
}

/// A finished action gives its staff back.
fn release(world: &mut World, setting: &Setting, d: &Decision) {
    let staff = decision::staff_cost(&setting.rules, d);
    with_staff(world, &setting.index, d.org, |s| {
        s.committed = s.committed.saturating_sub(staff)
    });
}

fn with_staff(world: &mut World, index: &Index, org: OrgIdx, f: impl FnOnce(&mut Staff)) {
    if let Some(mut s) = world.get_mut::<Staff>(index.orgs[org as usize]) {
        f(&mut s);
    }
}

fn take_effect(
    world: &mut World,
    setting: &Setting,
    compromises: &mut QueryState<(Entity, &StableId, &Compromise)>,
    decision: &Decision,
) {
    let (rules, index, turn) = (&*setting.rules, &setting.index, setting.clock.turn);
    let org = decision.org;
    let t = &rules.tuning;
    match &decision.action {
        Action::Monitor { asset } => with_defences(world, index, *asset, |d| {
            d.monitoring = (d.monitoring.saturating_add(t.monitor_step)).min(1000)
        }),
        Action::Hunt { asset } => {
            with_defences(world, index, *asset, |d| d.hunt_bp = t.hunt_bp);
            world.resource_mut::<Hunts>().0.push(*asset);
        }
        Action::Isolate { asset } => {
            with_defences(world, index, *asset, |d| d.isolated = true);
            effects::mark_cascade(world, *asset);
        }
        Action::Patch { asset } => {
            let n = rules.assets[*asset as usize].vulnerabilities.len().min(64);
            let mask = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
            let patchable: u64 = rules.assets[*asset as usize]
                .vulnerabilities
                .iter()
                .take(64)
                .enumerate()
                .filter(|(_, v)| v.patchable)
                .fold(0, |m, (i, _)| m | (1 << i));
            with_defences(world, index, *asset, |d| d.patched |= patchable & mask);
        }
        Action::Restore { asset } => {
            if let Some(mut h) = world.get_mut::<Health>(index.assets[*asset as usize]) {
                h.own_availability = 1000;
                h.integrity = 1000;
            }
            with_defences(world, index, *asset, |d| d.isolated = false);
            effects::mark_cascade(world, *asset);
            evict(world, compromises, org, *asset, |_| true);
        }
        Action::ResetCredentials { asset } => {
            // Stolen credentials stop working: footholds are lost, and
            // administrative control falls back to a foothold.
            for (_, e, c) in super::compromises_on(world, compromises, *asset) {
                if c.level >= 2 {
                    if let Some(mut comp) = world.get_mut::<Compromise>(e) {
                        comp.level = 1;
                    }
                } else {
                    world.despawn(e);
                    cleaned(world, org, *asset, c.attacker);
                }
            }
        }
        Action::ShareIntel { to, tlp } => {
            let liaison = world.resource::<Politics>().liaison;
            let Some((knowledge, trust)) = world
                .get_entity(index.orgs[org as usize])
                .ok()
                .and_then(|e| Some((e.get::<Knowledge>()?, e.get::<Trust>()?)))
            else {
                return;
            };
            let facts = std::sync::Arc::new(knowledge.0.for_tlp(*tlp));
            let messages: Vec<IntelMessage> = to
                .iter()
                .filter(|&&recipient| recipient != org)
                .map(|&recipient| IntelMessage {
                    from: org,
                    to: recipient,
                    tlp: *tlp,
                    facts: facts.clone(),
                    sent: turn,
                    arrives: turn
                        + intel::delay_from(rules, liaison, Some(&trust.0), org, recipient),
                    report: false,
                })
                .collect();
            let mut agenda = world.resource_mut::<Agenda>();
            for m in messages {
                agenda.send(m);
            }
        }
        Action::RequestAssistance { from } => lend_staff(world, setting, *from, org),
        Action::PublicStatement => {
            world
                .resource_mut::<Politics>()
                .first_statement
                .get_or_insert(turn);
            let knows = team_knows_compromise(world, setting, org);
            let delta = if knows {
                t.statement_informed_public_trust
            } else {
                t.statement_uninformed_public_trust
            };
            world
                .resource_mut::<TurnLog>()
                .push(Event::PublicStatement { org });
            effects::public_trust(world, i32::from(delta), TrustCause::Statement);
        }
        Action::AttributePublicly { attacker } => {
            let named = world
                .get::<Knowledge>(index.orgs[org as usize])
                .and_then(|k| k.0.best_attribution(*attacker).map(|(n, _)| n.to_string()));
            let Some(named) = named else { return };
            let correct = named == rules.attackers[*attacker as usize].sponsor;
            world.resource_mut::<Politics>().attributions.push((
                *attacker,
                named.clone(),
                turn,
                correct,
            ));
            let (alliance, public) = if correct {
                (
                    t.attribution_correct_alliance_trust,
                    t.attribution_correct_public_trust,
                )
            } else {
                (
                    t.attribution_wrong_alliance_trust,
                    t.attribution_wrong_public_trust,
                )
            };
            world
                .resource_mut::<TurnLog>()
                .push(Event::PublicAttribution {
                    org,
                    attacker: *attacker,
                    named,
                    correct,
                });
            effects::alliance_trust(world, i32::from(alliance), TrustCause::Attribution);
            effects::public_trust(world, i32::from(public), TrustCause::Attribution);
        }
        Action::Takedown { attacker } => {
            remove_infrastructure(world, *attacker, u32::from(t.takedown_servers))
        }
        Action::ActiveDefence { attacker } => {
            remove_infrastructure(world, *attacker, u32::from(t.active_defence_servers));
            // Intrusive measures cost civil-liberties goodwill, above all
            // when the government operates (the public is Japan's).
            let home = rules.organisations[org as usize].nation == Nation::Japan;
            let cost = if home {
                t.active_defence_public_trust
            } else {
                t.allied_active_defence_public_trust
            };
            effects::public_trust(world, i32::from(cost), TrustCause::ActiveDefence);
        }
        Action::RaiseAlert => {
            let level = {
                let mut p = world.resource_mut::<Politics>();
                p.alert_level = (p.alert_level + 1).min(crate::sim::decision::MAX_ALERT_LEVEL);
                p.alert_level
            };
            world
                .resource_mut::<TurnLog>()
                .push(Event::AlertRaised { level });
            effects::public_trust(world, i32::from(t.alert_public_trust), TrustCause::Alert);
        }
        Action::ConsultArticle5 => {
            let threshold = rules.escalation_threshold();
            let premature = world.resource::<Metrics>().peak_impact < threshold;
            world.resource_mut::<Politics>().article5_turn = Some(turn);
            world
                .resource_mut::<TurnLog>()
                .push(Event::Article5Consulted { org, premature });
            if premature {
                let delta = i32::from(t.article5_premature_public_trust);
                effects::public_trust(world, delta, TrustCause::Article5);
            } else {
                let delta = i32::from(t.article5_timely_alliance_trust);
                effects::alliance_trust(world, delta, TrustCause::Article5);
            }
        }
        Action::Liaison => {
            // The trust bonus between the allies is applied where trust is
            // read (`intel::trust`), not written pair by pair.
            world.resource_mut::<Politics>().liaison = true;
            world
                .resource_mut::<TurnLog>()
                .push(Event::LiaisonOpened { org });
            effects::alliance_trust(
                world,
                i32::from(t.liaison_alliance_trust),
                TrustCause::Liaison,
            );
        }
    }
}

fn with_defences(world: &mut World, index: &Index, asset: AssetIdx, f: impl FnOnce(&mut Defences)) {
    if let Some(mut d) = world.get_mut::<Defences>(index.assets[asset as usize]) {
        f(&mut d);
    }
}

fn evict(
    world: &mut World,
    compromises: &mut QueryState<(Entity, &StableId, &Compromise)>,
    by: OrgIdx,
    asset: AssetIdx,
    which: impl Fn(&Compromise) -> bool,
) {
    for (_, e, c) in super::compromises_on(world, compromises, asset) {
        if which(&c) {
            world.despawn(e);
            cleaned(world, by, asset, c.attacker);
        }
    }
}

/// The attacker is out of the asset: the acting organisation's team and the
/// owner know it is clean, so a later return can be detected afresh.
fn cleaned(world: &mut World, by: OrgIdx, asset: AssetIdx, attacker: AttackerIdx) {
    let rules = world.resource::<Setting>().rules.clone();
    let mut told: Vec<OrgIdx> = match rules.organisations[by as usize].team {
        Some(team) => rules.teams[team as usize].organisations.clone(),
        None => vec![by],
    };
    told.push(rules.assets[asset as usize].owner);
    told.sort_unstable();
    told.dedup();
    effects::intrusion_ended(world, &told, asset, attacker);
}

/// A share of the lender's capacity moves over, for the rest of the scenario.
fn lend_staff(world: &mut World, setting: &Setting, from: OrgIdx, to: OrgIdx) {
    let (rules, index) = (&*setting.rules, &setting.index);
    let t = &rules.tuning;
    if world.resource::<AssistanceSent>().0.has(from, to) {
        return;
    }
    let lender = index.orgs[from as usize];
    let lent = match world.get_mut::<Staff>(lender) {
        Some(mut s) => {
            let lent = crate::sim::decision::assistance_size(rules, from, s.available());
            s.capacity -= lent;
            lent
        }
        None => 0,
    };
    if lent == 0 {
        return;
    }
    world.resource_mut::<AssistanceSent>().0.insert(from, to);
    let borrower = index.orgs[to as usize];
    if let Some(mut s) = world.get_mut::<Staff>(borrower) {
        s.capacity += lent;
    }
    effects::change_trust(world, from, to, i32::from(t.assistance_trust));
    effects::change_trust(world, to, from, i32::from(t.assistance_trust));
    world
        .resource_mut::<TurnLog>()
        .push(Event::AssistanceArrived {
            from,
            to,
            staff: lent,
        });
}

fn remove_infrastructure(world: &mut World, attacker: u16, servers: u32) {
    let e = world.resource::<Setting>().index.attackers[attacker as usize];
    let remaining = match world.get_mut::<Campaign>(e) {
        Some(mut c) => {
            c.infrastructure = c.infrastructure.saturating_sub(servers);
            c.infrastructure
        }
        None => return,
    };
    world
        .resource_mut::<TurnLog>()
        .push(Event::InfrastructureRemoved {
            attacker,
            remaining,
        });
}

fn team_knows_compromise(world: &World, setting: &Setting, org: OrgIdx) -> bool {
    let (rules, index) = (&*setting.rules, &setting.index);
    let knows = |o: OrgIdx| {
        world
            .get::<Knowledge>(index.orgs[o as usize])
            .is_some_and(|k| !k.0.compromises.is_empty())
    };
    match rules.organisations[org as usize].team {
        Some(team) => rules.teams[team as usize]
            .organisations
            .iter()
            .any(|&o| knows(o)),
        None => knows(org),
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::fixture::*;

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
            crate::sim::phases::cascade::ISOLATED_CAP
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
}
