//! Phase 7, intel: messages whose delay has elapsed are delivered; the
//! recipient merges the facts, analysts draw their own attribution leads
//! from the indicators, and trust in the sender grows. Marked intel may
//! leak from a recipient with a leak risk, which costs it the sender's
//! trust (the US weighs Japan's ability to protect what it shares).
//!
//! Delay: an explicit channel's delay, else one turn within a nation and
//! three across; a liaison halves cross-border delays; low trust adds one.

use bevy_ecs::prelude::*;

use crate::scenario::model::{Nation, OrgIdx, OrganisationKind, Scenario};
use crate::sim::Phase;
use crate::sim::agenda::Agenda;
use crate::sim::components::*;
use crate::sim::decision::Tlp;
use crate::sim::event::{Event, TrustCause};
use crate::sim::knowledge::Facts;
use crate::sim::resources::*;
use crate::sim::rng::SimRng;

use super::{detect, effects};

/// Trust `from` has in `to`: its own view, raised between the allies by a
/// liaison.
pub fn trust(
    rules: &Scenario,
    liaison: bool,
    map: &crate::scenario::model::TrustMap,
    from: OrgIdx,
    to: OrgIdx,
) -> u16 {
    let base = map.get(to);
    let nation = |o: OrgIdx| rules.organisations.get(o as usize).map(|o| o.nation);
    let allies = matches!(
        (nation(from), nation(to)),
        (Some(Nation::Japan), Some(Nation::UnitedStates))
            | (Some(Nation::UnitedStates), Some(Nation::Japan))
    );
    if liaison && allies {
        (base.saturating_add(rules.tuning.liaison_trust)).min(1000)
    } else {
        base
    }
}

pub fn delay(world: &World, rules: &Scenario, from: OrgIdx, to: OrgIdx) -> u32 {
    let liaison = world.resource::<Politics>().liaison;
    let trust_map = world
        .get::<Trust>(effects::org_entity(world, from))
        .map(|t| &t.0);
    delay_from(rules, liaison, trust_map, from, to)
}

/// [`delay`] with the sender's trust map and the liaison already looked
/// up, for a message to many recipients.
pub fn delay_from(
    rules: &Scenario,
    liaison: bool,
    sender_trust: Option<&crate::scenario::model::TrustMap>,
    from: OrgIdx,
    to: OrgIdx,
) -> u32 {
    let cross_border =
        rules.organisations[from as usize].nation != rules.organisations[to as usize].nation;
    let t = &rules.tuning;
    let mut d = match rules
        .channels
        .binary_search_by(|(f, t, _)| (*f, *t).cmp(&(from, to)))
    {
        Ok(i) => rules.channels[i].2,
        Err(_) if cross_border => u32::from(t.cross_border_delay),
        Err(_) => u32::from(t.same_nation_delay),
    };
    if cross_border && liaison {
        d = (d * u32::from(t.liaison_delay_permille)).div_ceil(1000);
    }
    let trust = sender_trust.map_or(0, |map| trust(rules, liaison, map, from, to));
    if trust < t.low_trust {
        d += u32::from(t.low_trust_delay);
    }
    d
}

#[allow(clippy::too_many_arguments)]
pub fn send(
    world: &mut World,
    from: OrgIdx,
    to: OrgIdx,
    tlp: Tlp,
    facts: std::sync::Arc<Facts>,
    sent: u32,
    arrives: u32,
    report: bool,
) {
    world.resource_mut::<Agenda>().send(IntelMessage {
        from,
        to,
        tlp,
        facts,
        sent,
        arrives,
        report,
    });
}

pub fn deliver_messages(world: &mut World) {
    let Setting {
        rules,
        index,
        clock,
    } = world.resource::<Setting>().clone();
    let due = world.resource_mut::<Agenda>().take_messages(clock.turn);
    if due.is_empty() {
        return;
    }
    let mut rng = SimRng::new(clock.seed, clock.turn, Phase::Intel.stream());
    let mut events = Vec::with_capacity(due.len());
    let mut access = Vec::new();
    let mut government_aware = false;
    for m in due {
        let analyst = matches!(
            rules.organisations[m.to as usize].kind,
            OrganisationKind::LawEnforcement
                | OrganisationKind::Intelligence
                | OrganisationKind::Cert
        );
        let leads: Vec<(u16, &str, u32)> = if analyst {
            m.facts
                .indicators
                .iter()
                .map(|&a| {
                    let (name, w) = detect::attribution_lead(&rules, &mut rng, m.to, a);
                    (a, name, w)
                })
                .collect()
        } else {
            Vec::new()
        };
        let e = index.orgs[m.to as usize];
        // A private operator told of intrusions on its own systems reports
        // them like its own detections: after its reporting delay.
        let recipient = &rules.organisations[m.to as usize];
        if !recipient.kind.is_government()
            && !recipient.reports_to.is_empty()
            && let Some(k) = world.get::<Knowledge>(e)
        {
            let mut news = Facts::default();
            for c in &m.facts.compromises {
                let own = rules.assets[c.asset as usize].owner == m.to;
                if own
                    && !k.0.knows_compromise(c.asset, c.attacker)
                    && !k.0.is_stale(c.asset, c.attacker, c.seen)
                {
                    news.add_compromise(c.asset, c.attacker, clock.turn);
                    news.add_indicator(c.attacker);
                }
            }
            if !news.is_empty() {
                detect::report(world, &rules, m.to, news, clock.turn);
            }
        }
        if let Ok(mut to) = world.get_entity_mut(e) {
            if let Some(mut k) = to.get_mut::<Knowledge>() {
                k.0.merge_report(&m.facts);
                for (a, name, w) in &leads {
                    k.0.add_lead(*a, name, m.to, *w);
                }
            }
            if let Some(mut t) = to.get_mut::<Trust>() {
                effects::shift_trust(&mut t, m.from, i32::from(rules.tuning.trust_per_message));
            }
        }
        // An operator's report lets the responder it reaches into its systems.
        if m.report {
            access.push((m.to, m.from));
        }
        government_aware |= !m.facts.compromises.is_empty() && recipient.kind.is_government();
        // A leak of marked intel becomes known: the sender trusts the
        // recipient less, and across the alliance both governments lose.
        let leak_bp = match m.tlp {
            Tlp::Amber => u32::from(rules.organisations[m.to as usize].leak_risk) * 10,
            Tlp::Red => u32::from(rules.organisations[m.to as usize].leak_risk) * 20,
            Tlp::Clear | Tlp::Green => 0,
        };
        if leak_bp > 0 && rng.chance_bp(leak_bp) {
            effects::change_trust(
                world,
                m.from,
                m.to,
                -i32::from(rules.tuning.leak_trust_cost),
            );
            let cross_border = rules.organisations[m.from as usize].nation
                != rules.organisations[m.to as usize].nation;
            if cross_border {
                effects::alliance_trust(
                    world,
                    -i32::from(rules.tuning.leak_alliance_cost),
                    TrustCause::IntelLeak,
                );
            }
            events.push(Event::IntelLeaked {
                from: m.from,
                to: m.to,
                tlp: m.tlp,
            });
        }
        events.push(Event::MessageDelivered {
            from: m.from,
            to: m.to,
            tlp: m.tlp,
            report: m.report,
            facts: m.facts,
        });
    }
    if !access.is_empty() {
        let mut book = world.resource_mut::<Access>();
        let Access {
            ownership,
            response,
            actionable,
        } = &mut *book;
        for (responder, owner) in access {
            if !response.has(responder, owner) {
                response.insert(responder, owner);
                actionable.grant(&rules, ownership, responder, owner);
            }
        }
    }
    if government_aware {
        world
            .resource_mut::<Metrics>()
            .government_aware
            .get_or_insert(clock.turn);
    }
    world.resource_mut::<TurnLog>().events.extend(events);
}

#[cfg(test)]
mod tests {
    use crate::sim::fixture::*;

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
        // Whether a leak happens in the four quiet turns after sharing.
        let leaks_after = |sim: &mut Sim, tlp| {
            step(sim, vec![share(tlp)]);
            (0..4).any(|_| {
                step(sim, vec![])
                    .events
                    .iter()
                    .any(|e| matches!(e, Event::IntelLeaked { .. }))
            })
        };
        assert!(
            !leaks_after(&mut sim, Tlp::Green),
            "GREEN intel is meant to travel"
        );
        assert!(leaks_after(&mut sim, Tlp::Amber));
        assert!(sim.read().trust(uscert).get(cert) < before);
        assert!(sim.read().politics().alliance_trust < alliance_before);
    }
}
