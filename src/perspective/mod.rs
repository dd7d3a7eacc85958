//! What one team may know, and who may see what. Below both the policies
//! and the session: a policy decides through a [`TeamLens`], the session
//! builds each seat's owned view through one, and [`visible`] decides which
//! events reach which viewer.

mod lens;
mod plan;

pub use lens::TeamLens;
pub use plan::{Plan, Promises};

use crate::scenario::model::{OrgIdx, Scenario, TeamIdx};
use crate::sim::event::Event;

/// Who is looking: one team, or the facilitator who sees ground truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Viewer {
    Team(TeamIdx),
    Facilitator,
}

/// Whether a viewer may see an event. Ground truth about the attacker is
/// for the facilitator only; a team sees what its organisations did,
/// detected and received, and what is public.
pub fn visible(event: &Event, viewer: Viewer, scenario: &Scenario) -> bool {
    let team = match viewer {
        Viewer::Facilitator => return true,
        Viewer::Team(t) => t,
    };
    let mine = |org: OrgIdx| {
        scenario
            .organisations
            .get(org as usize)
            .is_some_and(|o| o.team == Some(team))
    };
    match event {
        Event::InjectFired { to, .. } | Event::AdHocInject { to, .. } => to.contains(&team),
        Event::Overridden { .. } | Event::OverrideIgnored { .. } => false,
        Event::DecisionStarted { decision, .. }
        | Event::DecisionRefused { decision, .. }
        | Event::ActionSucceeded { decision }
        | Event::ActionFailed { decision, .. } => mine(decision.org),
        Event::StageStarted { .. }
        | Event::CampaignFinished { .. }
        | Event::AssetCompromised { .. }
        | Event::Escalated { .. }
        | Event::RecordsStolen { .. }
        | Event::AssetDamaged { .. }
        | Event::AssetWiped { .. }
        | Event::InfrastructureRemoved { .. } => false,
        Event::Detected { org, .. } => mine(*org),
        // Restoring a system shows it works again; that an intruder was
        // on it is news only to those who knew.
        Event::Evicted { known_by, .. } => known_by.iter().any(|&o| mine(o)),
        Event::MessageDelivered { from, to, .. } => mine(*from) || mine(*to),
        Event::AssistanceArrived { from, to, .. } => mine(*from) || mine(*to),
        Event::AssetDefaced { .. }
        | Event::IntelLeaked { .. }
        | Event::PublicAttribution { .. }
        | Event::PublicStatement { .. }
        | Event::AlertRaised { .. }
        | Event::Article5Consulted { .. }
        | Event::LiaisonOpened { .. }
        | Event::AssetDown { .. }
        | Event::AssetRecovered { .. }
        | Event::ObjectiveMet { .. }
        | Event::ObjectiveFailed { .. }
        | Event::TrustChanged { .. } => true,
    }
}
