//! The `random` policy: each organisation, one turn in four, tries a
//! couple of random decisions and keeps the first legal one — about as
//! many decisions a turn as a team of people makes. A baseline for sweeps
//! and a fuzzer for the rules.

use crate::perspective::TeamLens;
use crate::scenario::model::DecisionKind;
use crate::sim::decision::{Action, Decision, Tlp};
use crate::sim::rng::SimRng;

use crate::perspective::Plan;

const TRIES_PER_ORG: u32 = 2;
/// Chance an organisation acts in a turn, basis points.
const ACT_BP: u32 = 2_500;

pub fn decide(view: &TeamLens, rng: &mut SimRng) -> Vec<Decision> {
    let mut plan = Plan::new(view);
    for &org in view.my_orgs() {
        if !rng.chance_bp(ACT_BP) {
            continue;
        }
        let mine = view.actionable_assets(org);
        for _ in 0..TRIES_PER_ORG {
            let kind = DecisionKind::ALL[rng.below(DecisionKind::ALL.len() as u32) as usize];
            if let Some(action) = random_action(kind, view, &mine, rng)
                && plan.try_add(Decision { org, action })
            {
                break;
            }
        }
    }
    plan.into_decisions()
}

/// A random action of `kind` on one of `mine` (the assets the
/// organisation may act on), or on a random organisation or attacker.
fn random_action(
    kind: DecisionKind,
    view: &TeamLens,
    mine: &[u32],
    rng: &mut SimRng,
) -> Option<Action> {
    let assets = mine.len() as u32;
    let orgs = view.organisations().len() as u32;
    let attackers = view.attacker_count() as u32;
    let needs_asset = matches!(
        kind,
        DecisionKind::Monitor
            | DecisionKind::Hunt
            | DecisionKind::Isolate
            | DecisionKind::Patch
            | DecisionKind::Restore
            | DecisionKind::ResetCredentials
    );
    if assets == 0 && needs_asset {
        return None;
    }
    let a = if assets == 0 {
        0
    } else {
        mine[rng.below(assets) as usize]
    };
    Some(match kind {
        DecisionKind::Monitor => Action::Monitor { asset: a },
        DecisionKind::Hunt => Action::Hunt { asset: a },
        DecisionKind::Isolate => Action::Isolate { asset: a },
        DecisionKind::Patch => Action::Patch { asset: a },
        DecisionKind::Restore => Action::Restore { asset: a },
        DecisionKind::ResetCredentials => Action::ResetCredentials { asset: a },
        DecisionKind::ShareIntel => {
            let tlp = [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::Red][rng.below(4) as usize];
            Action::ShareIntel {
                to: vec![rng.below(orgs) as u16],
                tlp,
            }
        }
        DecisionKind::RequestAssistance => Action::RequestAssistance {
            from: rng.below(orgs) as u16,
        },
        DecisionKind::PublicStatement => Action::PublicStatement,
        DecisionKind::AttributePublicly if attackers > 0 => Action::AttributePublicly {
            attacker: rng.below(attackers) as u16,
        },
        DecisionKind::Takedown if attackers > 0 => Action::Takedown {
            attacker: rng.below(attackers) as u16,
        },
        DecisionKind::ActiveDefence if attackers > 0 => Action::ActiveDefence {
            attacker: rng.below(attackers) as u16,
        },
        DecisionKind::RaiseAlert => Action::RaiseAlert,
        DecisionKind::ConsultArticle5 => Action::ConsultArticle5,
        DecisionKind::Liaison => Action::Liaison,
        _ => return None,
    })
}
