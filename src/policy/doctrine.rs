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
//! 4. Take down attacker infrastructure where the authority exists.
//! 5. Speak publicly once something is known; raise the alert level.
//! 6. Attribute publicly only on corroborated evidence: two independent
//!    sources, and the leading name well ahead of the next.
//! 7. Consult under Article 5 once the impact passes the threshold.
//! 8. Ask for assistance when too thin to hunt on exposed systems, or out
//!    of staff with compromises to handle.
//! 9. Decisions that speak for the team (a statement, the alert level,
//!    Article 5, a liaison) are taken by one organisation a turn.

use crate::scenario::model::{Authority, DecisionKind, OrgIdx, OrganisationKind};
use crate::session::view::TeamView;
use crate::sim::decision::{Action, Decision, Tlp};

use crate::sim::phases::cascade::DOWN;

use super::Plan;

/// Summed lead weight from several sources before going public.
const ATTRIBUTION_CONFIDENCE: u32 = 1_200;
/// Monitoring (permille) the doctrine wants on critical assets.
const MONITORING_GOAL: u16 = 600;
/// Assets at or above this criticality are kept running rather than isolated.
const KEEP_RUNNING_CRITICALITY: u8 = 4;

pub fn decide(view: &TeamView) -> Vec<Decision> {
    let mut plan = Plan::new(view);
    for &org in view.my_orgs() {
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
        let mine = view.actionable_assets(org);
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
        for &asset in view.actionable_assets(org) {
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
            add(&mut plan, Action::ActiveDefence { attacker });
            add(&mut plan, Action::Takedown { attacker });
            if !view.attributed(attacker) && corroborated(facts, attacker) {
                add(&mut plan, Action::AttributePublicly { attacker });
            }
        }
        if !known.is_empty() {
            if !view.statement_made() {
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
        let exposed = view.actionable_assets(org).iter().any(|&a| {
            view.assets()[a as usize].internet_facing || known.iter().any(|k| k.asset == a)
        });
        let responsible = exposed || o.has(Authority::IncidentResponse);
        let short = view.staff(org).is_some_and(|s| {
            responsible && (s.capacity < hunt_cost || (!known.is_empty() && s.available() < 2))
        });
        if short {
            request_help(view, &mut plan, org);
        }
        if view.impact() >= view.escalation_threshold() && !view.article5_open() {
            add(&mut plan, Action::ConsultArticle5);
        }
    }
    harden(view, &mut plan);
    hunt(view, &mut plan);
    plan.decisions
}

/// Threat hunting with the staff left over: each organisation hunts one
/// asset a turn, going round its assets most critical first; once the
/// team holds an attacker's indicators, the hunt is worth more (detection
/// doubles with known indicators), so every organisation with staff hunts.
fn hunt(view: &TeamView, plan: &mut Plan) {
    for &org in view.my_orgs() {
        let alerted = view
            .knowledge(org)
            .is_some_and(|k| !k.indicators.is_empty());
        let mut mine: Vec<u32> = view.actionable_assets(org).to_vec();
        if mine.is_empty() {
            continue;
        }
        mine.sort_by_key(|&a| (std::cmp::Reverse(view.assets()[a as usize].criticality), a));
        let start = view.turn() as usize % mine.len();
        let tries = if alerted { mine.len().min(3) } else { 1 };
        for k in 0..tries {
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
fn harden(view: &TeamView, plan: &mut Plan) {
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
        if exposed && monitoring < MONITORING_GOAL {
            plan.try_add(Decision {
                org,
                action: Action::Monitor { asset: i },
            });
        }
    }
}

/// Intel goes to every CERT, coordinator, investigator and intelligence
/// agency, at AMBER where trust allows and GREEN otherwise; every second
/// turn, to keep staff for the response.
fn share(view: &TeamView, plan: &mut Plan, org: OrgIdx) {
    if view.turn() % 2 == 1 && view.turn() > 1 {
        return;
    }
    let (mut amber, mut green) = (Vec::new(), Vec::new());
    for (i, o) in view.organisations().iter().enumerate() {
        let i = i as OrgIdx;
        let partner = matches!(
            o.kind,
            OrganisationKind::Cert
                | OrganisationKind::Coordinator
                | OrganisationKind::LawEnforcement
                | OrganisationKind::Intelligence
        ) || (o.kind == OrganisationKind::Military
            && o.has(Authority::ActiveCyberDefence));
        if i == org || !partner {
            continue;
        }
        match view.trust(org, i) {
            Some(t) if t >= Tlp::Amber.required_trust(view.tuning()) => amber.push(i),
            _ => green.push(i),
        }
    }
    for (to, tlp) in [(amber, Tlp::Amber), (green, Tlp::Green)] {
        if !to.is_empty() {
            plan.try_add(Decision {
                org,
                action: Action::ShareIntel { to, tlp },
            });
        }
    }
}

/// Asks the best-staffed responder of another nation.
fn request_help(view: &TeamView, plan: &mut Plan, org: OrgIdx) {
    let nation = view.organisations()[org as usize].nation;
    let helper = view
        .organisations()
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            o.nation != nation
                && matches!(o.kind, OrganisationKind::Cert | OrganisationKind::Vendor)
        })
        .max_by_key(|(i, o)| (o.staff, std::cmp::Reverse(*i)))
        .map(|(i, _)| i as OrgIdx);
    if let Some(from) = helper {
        plan.try_add(Decision {
            org,
            action: Action::RequestAssistance { from },
        });
    }
}

/// Public attribution only on corroborated evidence: at least two
/// independent sources, and the leading name well ahead of the next.
fn corroborated(facts: &crate::sim::knowledge::Facts, attacker: u16) -> bool {
    match facts.attribution(attacker).as_slice() {
        [] => false,
        [lead, rest @ ..] => {
            lead.weight >= ATTRIBUTION_CONFIDENCE
                && lead.sources >= 2
                && rest
                    .first()
                    .is_none_or(|next| lead.weight * 2 >= next.weight * 3)
        }
    }
}
