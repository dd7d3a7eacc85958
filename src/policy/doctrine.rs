//! The `doctrine` policy: what a trained incident-response team would do,
//! as rules in priority order. Stateless: it derives everything from the
//! team's view, so a rewound session decides the same way again.
//!
//! 1. Before anything is seen: open a liaison with the ally, patch
//!    internet-facing systems, raise monitoring on critical ones.
//! 2. On a known compromise: restore what is down (if backups allow),
//!    reset credentials, hunt, and isolate systems that are not critical.
//!    Any system of its own that is down comes back from backups.
//! 3. Share what is known with the national CERTs, coordinators and
//!    investigators, at, the highest marking trust allows.
//! 4. Take down attacker infrastructure where the authority exists;
//!    neutralise servers (active defence) only while an intrusion the team
//!    knows of is still going on.
//! 5. Speak publicly (government organisations only) once something is
//!    known; raise the alert level.
//! 6. Attribute publicly only on corroborated evidence: two independent
//!    sources, and the leading name well ahead of the next.
//! 7. Consult under Article 5 once the harm it estimates from what its
//!    team sees passes its own threshold (never the scoring threshold).
//! 8. Ask for assistance when too thin to hunt on exposed systems, or out
//!    of staff with compromises to handle.
//! 9. Decisions that speak for the team (a statement, the alert level,
//!    Article 5, a liaison) are taken by one organisation a turn.

use crate::perspective::TeamLens;
use crate::scenario::model::{AssetIdx, Authority, DecisionKind, OrgIdx, OrganisationKind};
use crate::sim::decision::{Action, Decision, Tlp};

use crate::sim::phases::cascade::DOWN;

use crate::perspective::Plan;

/// Assets at or above this criticality are kept running rather than isolated.
const KEEP_RUNNING_CRITICALITY: u8 = 4;

pub fn decide(view: &TeamLens) -> Vec<Decision> {
    let mut plan = Plan::new(view);
    let team_known = view.known_compromises();
    let actionable: Vec<_> = view
        .my_orgs()
        .iter()
        .map(|&org| view.actionable_assets(org))
        .collect();
    for (&org, mine) in view.my_orgs().iter().zip(&actionable) {
        let o = &view.organisations()[org as usize];
        // Each organisation acts on what it knows itself: what another
        // member of the team has not yet reported does not move it, so a
        // slow-reporting operator slows the whole response.
        let nothing = crate::sim::knowledge::Facts::default();
        let facts = view.knowledge(org).unwrap_or(&nothing);
        let known = &facts.compromises;
        let add = |plan: &mut Plan, action| plan.try_add(Decision { org, action });

        if view.turn() == 1 && o.has(Authority::Diplomacy) && !view.liaison() {
            add(&mut plan, Action::Liaison);
        }

        // Respond to what is known on assets this organisation may touch.
        for k in known {
            let asset = &view.assets()[k.asset as usize];
            if mine.binary_search(&k.asset).is_ok() {
                if view.availability()[k.asset as usize] < DOWN {
                    add(&mut plan, Action::Restore { asset: k.asset });
                }
                add(&mut plan, Action::ResetCredentials { asset: k.asset });
                add(&mut plan, Action::Hunt { asset: k.asset });
                if asset.criticality < KEEP_RUNNING_CRITICALITY {
                    add(&mut plan, Action::Isolate { asset: k.asset });
                }
            }
            // Neighbours of a compromise are hunted whoever owns it.
            for &next in asset.links.iter().filter(|a| mine.binary_search(a).is_ok()) {
                add(&mut plan, Action::Hunt { asset: next });
            }
        }

        // Systems that are down come back from backups, whatever brought
        // them down.
        for &asset in mine.iter() {
            if view.availability()[asset as usize] < DOWN
                && view.defences(asset).is_some_and(|d| d.backups_intact)
            {
                add(&mut plan, Action::Restore { asset });
            }
        }

        if !facts.is_empty() {
            share(view, &mut plan, org);
        }
        for &attacker in &facts.indicators {
            // Intrusive operations cost civil liberties: only against an
            // intrusion the team knows to be still going on.
            if team_known.iter().any(|k| k.attacker == attacker) {
                add(&mut plan, Action::ActiveDefence { attacker });
            }
            add(&mut plan, Action::Takedown { attacker });
            if !view.attributed(attacker) && corroborated(view, facts, attacker) {
                add(&mut plan, Action::AttributePublicly { attacker });
            }
        }
        if !known.is_empty() {
            // The government speaks for the country; it can only speak of
            // an operator's breach once the operator has reported it.
            if !view.statement_made() && o.kind.is_government() {
                add(&mut plan, Action::PublicStatement);
            }
            if view.alert_level() < 3 {
                add(&mut plan, Action::RaiseAlert);
            }
        }
        // Thin staffing is answered early: an organisation too small to
        // run a threat hunt, or out of staff with compromises to handle,
        // asks an ally for people.
        let hunt_cost = view.decision_rule(DecisionKind::Hunt).spec.staff;
        let exposed = mine.iter().any(|&a| {
            view.assets()[a as usize].internet_facing || known.iter().any(|k| k.asset == a)
        });
        let responsible = exposed || o.has(Authority::IncidentResponse);
        let short = view.staff(org).is_some_and(|s| {
            responsible && (s.capacity < hunt_cost || (!known.is_empty() && s.available() < 2))
        });
        if short {
            request_help(view, &mut plan, org);
        }
        if !view.article5_open()
            && estimated_harm(view, !team_known.is_empty()) >= view.tuning().doctrine_article5_harm
        {
            add(&mut plan, Action::ConsultArticle5);
        }
    }
    harden(view, &mut plan);
    hunt(view, &mut plan, &actionable);
    plan.into_decisions()
}

/// Threat hunting with the staff left over: each organisation hunts one
/// asset a turn, going round its assets most critical first; once it holds
/// an attacker's indicators (detection doubles with them) it hunts as many
/// as its free staff allows, so more staff finds more.
fn hunt(view: &TeamLens, plan: &mut Plan, actionable: &[std::borrow::Cow<[AssetIdx]>]) {
    let hunt_cost = view.decision_rule(DecisionKind::Hunt).spec.staff;
    let share_reserve = view.decision_rule(DecisionKind::ShareIntel).spec.staff + 1;
    for (&org, mine) in view.my_orgs().iter().zip(actionable) {
        let alerted = view
            .knowledge(org)
            .is_some_and(|k| !k.indicators.is_empty());
        let mut mine: Vec<AssetIdx> = mine.to_vec();
        if mine.is_empty() {
            continue;
        }
        mine.sort_by_key(|&a| (std::cmp::Reverse(view.assets()[a as usize].criticality), a));
        let start = view.turn() as usize % mine.len();
        // Every free analyst hunts once the attacker is known, but an
        // organisation with intel keeps enough back to pass it on next
        // turn (a hunt holds its staff for the whole hunt).
        let tries = if alerted { mine.len() } else { 1 };
        let keep_back = if alerted { share_reserve } else { 0 };
        for k in 0..tries {
            if k > 0 && plan.free(org) < hunt_cost + keep_back {
                break;
            }
            let asset = mine[(start + k) % mine.len()];
            plan.try_add(Decision {
                org,
                action: Action::Hunt { asset },
            });
        }
    }
}

/// With whatever staff is left, owners patch internet-facing systems and
/// raise monitoring on critical ones (one pass over the register).
fn harden(view: &TeamLens, plan: &mut Plan) {
    for (i, asset) in view.assets().iter().enumerate() {
        if !view.is_mine(asset.owner) {
            continue;
        }
        let org = asset.owner;
        let i = i as u32;
        let Some(defences) = view.defences(i) else {
            continue;
        };
        let unpatched = asset
            .vulnerabilities
            .iter()
            .enumerate()
            .any(|(k, v)| v.patchable && k < 64 && defences.patched & (1 << k) == 0);
        if asset.internet_facing && unpatched {
            plan.try_add(Decision {
                org,
                action: Action::Patch { asset: i },
            });
        }
        let monitoring = defences.monitoring;
        let exposed = asset.internet_facing || asset.criticality >= KEEP_RUNNING_CRITICALITY;
        if exposed && monitoring < view.tuning().doctrine_monitoring_goal {
            plan.try_add(Decision {
                org,
                action: Action::Monitor { asset: i },
            });
        }
    }
}

/// Intel goes to every CERT, coordinator, investigator and intelligence
/// agency, and to the owners of compromised systems it knows of (victims
/// are told), at the highest marking trust allows; every second
/// turn, to keep staff for the response.
fn share(view: &TeamLens, plan: &mut Plan, org: OrgIdx) {
    if view.turn() % 2 == 1 && view.turn() > 1 {
        return;
    }
    let n = view.organisations().len();
    let (mut red, mut amber, mut green) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let victims: Vec<OrgIdx> = view
        .knowledge(org)
        .map(|k| {
            k.compromises
                .iter()
                .map(|c| view.assets()[c.asset as usize].owner)
                .collect()
        })
        .unwrap_or_default();
    let me = &view.organisations()[org as usize];
    // A national CERT or coordinator passes indicators on to every
    // operator of its nation: all of them are potential victims.
    let warns_operators = matches!(
        me.kind,
        OrganisationKind::Cert | OrganisationKind::Coordinator
    );
    let trust = view.trust_map(org);
    for (i, o) in view.organisations().iter().enumerate() {
        let i = i as OrgIdx;
        let victim = victims.contains(&i)
            || (warns_operators && o.nation == me.nation && !o.kind.is_government());
        let partner = victim
            || matches!(
                o.kind,
                OrganisationKind::Cert
                    | OrganisationKind::Coordinator
                    | OrganisationKind::LawEnforcement
                    | OrganisationKind::Intelligence
            )
            || (o.kind == OrganisationKind::Military && o.has(Authority::ActiveCyberDefence));
        if i == org || !partner {
            continue;
        }
        match trust.map(|m| m.get(i)) {
            Some(t) if t >= Tlp::Red.required_trust(view.tuning()) => red.push(i),
            Some(t) if t >= Tlp::Amber.required_trust(view.tuning()) => amber.push(i),
            _ => green.push(i),
        }
    }
    for (to, tlp) in [(red, Tlp::Red), (amber, Tlp::Amber), (green, Tlp::Green)] {
        if !to.is_empty() {
            plan.try_add(Decision {
                org,
                action: Action::ShareIntel { to, tlp },
            });
        }
    }
}

/// Asks the best-staffed responder of another nation that has not yet
/// sent a team, then the next.
fn request_help(view: &TeamLens, plan: &mut Plan, org: OrgIdx) {
    let nation = view.organisations()[org as usize].nation;
    let mut helpers: Vec<(u32, OrgIdx)> = view
        .organisations()
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            o.nation != nation
                && matches!(o.kind, OrganisationKind::Cert | OrganisationKind::Vendor)
        })
        .map(|(i, o)| (o.staff, i as OrgIdx))
        .collect();
    helpers.sort_by_key(|&(staff, i)| (std::cmp::Reverse(staff), i));
    for (_, from) in helpers {
        if plan.try_add(Decision {
            org,
            action: Action::RequestAssistance { from },
        }) {
            return;
        }
    }
}

/// The team's own estimate of harm: the criticality-weighted share of
/// services down, which everyone sees, counted only once the team knows of
/// an intrusion, since an outage alone is no attack.
fn estimated_harm(view: &TeamLens, under_attack: bool) -> u16 {
    if under_attack { view.impact() } else { 0 }
}

/// Public attribution only on corroborated evidence: enough independent
/// sources, and the leading name well ahead of the next.
fn corroborated(view: &TeamLens, facts: &crate::sim::knowledge::Facts, attacker: u16) -> bool {
    let t = view.tuning();
    match facts.attribution(attacker).as_slice() {
        [] => false,
        [lead, rest @ ..] => {
            lead.weight >= u32::from(t.doctrine_attribution_confidence)
                && lead.sources >= usize::from(t.doctrine_attribution_sources)
                && rest
                    .first()
                    .is_none_or(|next| lead.weight * 2 >= next.weight * 3)
        }
    }
}
