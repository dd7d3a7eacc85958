//! Decisions are the commands of the model: plain data a team submits.
//! `check` refuses an illegal one with a typed reason the UI can show;
//! the decisions phase then starts the legal ones as actions in progress.

use serde::{Deserialize, Serialize};

use crate::scenario::model::{
    AssetIdx, AttackerIdx, Authority, Backups, DecisionKind, OrgIdx, OrganisationKind, Scenario,
    Tuning,
};

/// Traffic Light Protocol marking of shared intel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    Red,
}

impl Tlp {
    /// Trust (permille) the sender needs in the recipient to share at this level.
    pub fn required_trust(self, tuning: &Tuning) -> u16 {
        match self {
            Tlp::Clear | Tlp::Green => 0,
            Tlp::Amber => tuning.tlp_amber_trust,
            Tlp::Red => tuning.tlp_red_trust,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    Monitor { asset: AssetIdx },
    Hunt { asset: AssetIdx },
    Isolate { asset: AssetIdx },
    Patch { asset: AssetIdx },
    Restore { asset: AssetIdx },
    ResetCredentials { asset: AssetIdx },
    ShareIntel { to: Vec<OrgIdx>, tlp: Tlp },
    RequestAssistance { from: OrgIdx },
    PublicStatement,
    AttributePublicly { attacker: AttackerIdx },
    Takedown { attacker: AttackerIdx },
    ActiveDefence { attacker: AttackerIdx },
    RaiseAlert,
    ConsultArticle5,
    Liaison,
}

impl Action {
    pub fn kind(&self) -> DecisionKind {
        match self {
            Action::Monitor { .. } => DecisionKind::Monitor,
            Action::Hunt { .. } => DecisionKind::Hunt,
            Action::Isolate { .. } => DecisionKind::Isolate,
            Action::Patch { .. } => DecisionKind::Patch,
            Action::Restore { .. } => DecisionKind::Restore,
            Action::ResetCredentials { .. } => DecisionKind::ResetCredentials,
            Action::ShareIntel { .. } => DecisionKind::ShareIntel,
            Action::RequestAssistance { .. } => DecisionKind::RequestAssistance,
            Action::PublicStatement => DecisionKind::PublicStatement,
            Action::AttributePublicly { .. } => DecisionKind::AttributePublicly,
            Action::Takedown { .. } => DecisionKind::Takedown,
            Action::ActiveDefence { .. } => DecisionKind::ActiveDefence,
            Action::RaiseAlert => DecisionKind::RaiseAlert,
            Action::ConsultArticle5 => DecisionKind::ConsultArticle5,
            Action::Liaison => DecisionKind::Liaison,
        }
    }

    pub fn asset(&self) -> Option<AssetIdx> {
        match *self {
            Action::Monitor { asset }
            | Action::Hunt { asset }
            | Action::Isolate { asset }
            | Action::Patch { asset }
            | Action::Restore { asset }
            | Action::ResetCredentials { asset } => Some(asset),
            _ => None,
        }
    }

    pub fn attacker(&self) -> Option<AttackerIdx> {
        match *self {
            Action::AttributePublicly { attacker }
            | Action::Takedown { attacker }
            | Action::ActiveDefence { attacker } => Some(attacker),
            _ => None,
        }
    }
}

/// One organisation's decision for this turn.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Decision {
    pub org: OrgIdx,
    pub action: Action,
}

/// Why a decision was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Refusal {
    #[error("no organisation with index {0} in this scenario")]
    UnknownOrganisation(OrgIdx),
    #[error("no asset with index {0} in this scenario")]
    UnknownAsset(AssetIdx),
    #[error("no attacker with index {0} in this scenario")]
    UnknownAttacker(AttackerIdx),
    #[error("this scenario does not allow {0:?}")]
    NotAllowedInScenario(DecisionKind),
    #[error("needs the {0:?} authority")]
    MissingAuthority(Authority),
    #[error("needs {needed} staff, {available} left this turn")]
    NotEnoughStaff { needed: u32, available: u32 },
    #[error(
        "the asset belongs to another organisation, and this one has no incident-response authority on its team or has not been let in (a private operator lets responders in by reporting)"
    )]
    NotResponsibleForAsset,
    #[error("the same action is already in progress")]
    AlreadyInProgress,
    #[error("the asset is already isolated")]
    AlreadyIsolated,
    #[error("the asset has no backups")]
    NoBackups,
    #[error("the backups were destroyed")]
    BackupsDestroyed,
    #[error("nothing left to patch on this asset")]
    NothingToPatch,
    #[error("monitoring is already at its maximum")]
    MonitoringAtMaximum,
    #[error("no indicators of this attacker are known to this organisation")]
    NoIndicators,
    #[error("no attribution evidence about this attacker")]
    NoEvidence,
    #[error("trust in the recipient is {trust}‰, {tlp:?} needs {needed}‰")]
    TlpNotPermitted { tlp: Tlp, trust: u16, needed: u16 },
    #[error("choose at least one recipient other than yourself")]
    NoRecipients,
    #[error("an organisation cannot ask itself for assistance")]
    SelfAssistance,
    #[error("that organisation has no staff to lend")]
    NoStaffToLend,
    #[error("that organisation has already sent this one a team")]
    AlreadyAssisted,
    #[error("the alert level is already at its maximum")]
    AlertAtMaximum,
    #[error("Article 5 consultations are already open")]
    AlreadyConsulted,
    #[error("a liaison is already in place")]
    LiaisonActive,
    #[error("the attacker's infrastructure is already down")]
    InfrastructureDown,
    #[error("the organisation is not on the deciding team")]
    NotYourOrganisation,
}

/// The read-only state a check needs; implemented by the simulation, and by
/// test doubles.
pub trait CheckState {
    fn scenario(&self) -> &Scenario;
    fn staff_available(&self, org: OrgIdx) -> u32;
    fn trust(&self, from: OrgIdx, to: OrgIdx) -> u16;
    /// The trust `from` has in each of `to`, in order.
    fn trust_in(&self, from: OrgIdx, to: &[OrgIdx]) -> Vec<u16> {
        to.iter().map(|&t| self.trust(from, t)).collect()
    }
    fn knows_attacker(&self, org: OrgIdx, attacker: AttackerIdx) -> bool;
    fn has_evidence(&self, org: OrgIdx, attacker: AttackerIdx) -> bool;
    fn monitoring(&self, asset: AssetIdx) -> u16;
    fn isolated(&self, asset: AssetIdx) -> bool;
    fn backups_intact(&self, asset: AssetIdx) -> bool;
    fn unpatched(&self, asset: AssetIdx) -> bool;
    fn in_progress(&self, decision: &Decision) -> bool;
    fn alert_level(&self) -> u8;
    fn article5_open(&self) -> bool;
    fn liaison_active(&self) -> bool;
    fn attacker_infrastructure(&self, attacker: AttackerIdx) -> u32;
    /// Whether the operator `owner` has let `responder` in (by reporting).
    fn response_access(&self, responder: OrgIdx, owner: OrgIdx) -> bool;
    /// Whether `lender` has already sent `borrower` a team.
    fn assistance_sent(&self, lender: OrgIdx, borrower: OrgIdx) -> bool;
}

/// Whether `org` may act on assets of `owner`: its own; a teammate's if it
/// has incident-response authority and is let in — government systems and
/// a contractor's clients always, a private operator's once it reported.
pub fn may_act_for(state: &dyn CheckState, org: OrgIdx, owner: OrgIdx) -> bool {
    may_act_with(state.scenario(), org, owner, |responder, owner| {
        state.response_access(responder, owner)
    })
}

/// [`may_act_for`] with the access granted so far given as a function of
/// (responder, owner).
pub fn may_act_with(
    scenario: &Scenario,
    org: OrgIdx,
    owner: OrgIdx,
    access: impl Fn(OrgIdx, OrgIdx) -> bool,
) -> bool {
    if org == owner {
        return true;
    }
    let (Some(actor), Some(owner_org)) = (
        scenario.organisations.get(org as usize),
        scenario.organisations.get(owner as usize),
    ) else {
        return false;
    };
    actor.has(Authority::IncidentResponse)
        && actor.team.is_some()
        && actor.team == owner_org.team
        && (owner_org.kind.is_government()
            || actor.kind == OrganisationKind::Vendor
            || access(org, owner))
}

pub const MAX_ALERT_LEVEL: u8 = 5;

/// Staff a decision will hold while it runs.
pub fn staff_cost(scenario: &Scenario, decision: &Decision) -> u32 {
    let base = scenario.decision(decision.action.kind()).spec.staff;
    match &decision.action {
        // Sharing with many costs a little more coordination.
        Action::ShareIntel { to, .. } => base + (to.len() as u32).saturating_sub(1) / 3,
        _ => base,
    }
}

/// Staff a lender sends: `assistance_share` of its own establishment,
/// never more than it has free nor so much that it keeps less than half
/// its establishment.
pub fn assistance_size(scenario: &Scenario, lender: OrgIdx, available: u32) -> u32 {
    let Some(o) = scenario.organisations.get(lender as usize) else {
        return 0;
    };
    let share = (u64::from(o.staff) * u64::from(scenario.tuning.assistance_share) / 1000) as u32;
    let spare = available.saturating_sub(o.staff / 2);
    share.max(1).min(spare)
}

/// Checks a decision against the state; `queued_staff` is staff already
/// promised to earlier decisions of the same organisation this turn.
pub fn check(
    state: &dyn CheckState,
    decision: &Decision,
    queued_staff: u32,
) -> Result<(), Refusal> {
    let scenario = state.scenario();
    let org = scenario
        .organisations
        .get(decision.org as usize)
        .ok_or(Refusal::UnknownOrganisation(decision.org))?;
    let kind = decision.action.kind();
    let rule = scenario.decision(kind);
    if !rule.allowed {
        return Err(Refusal::NotAllowedInScenario(kind));
    }
    if let Some(authority) = rule.spec.authority
        && !org.has(authority)
    {
        return Err(Refusal::MissingAuthority(authority));
    }
    if let Some(asset) = decision.action.asset() {
        check_asset_access(state, decision.org, asset)?;
    }
    if let Some(attacker) = decision.action.attacker()
        && attacker as usize >= scenario.attackers.len()
    {
        return Err(Refusal::UnknownAttacker(attacker));
    }
    if state.in_progress(decision) {
        return Err(Refusal::AlreadyInProgress);
    }
    check_action(state, decision)?;
    let needed = staff_cost(scenario, decision);
    let available = state
        .staff_available(decision.org)
        .saturating_sub(queued_staff);
    if needed > available {
        return Err(Refusal::NotEnoughStaff { needed, available });
    }
    Ok(())
}

/// Owners act on their own assets; an organisation with incident-response
/// authority may act on assets of organisations on its own team.
fn check_asset_access(state: &dyn CheckState, org: OrgIdx, asset: AssetIdx) -> Result<(), Refusal> {
    let scenario = state.scenario();
    let a = scenario
        .assets
        .get(asset as usize)
        .ok_or(Refusal::UnknownAsset(asset))?;
    if may_act_for(state, org, a.owner) {
        return Ok(());
    }
    Err(Refusal::NotResponsibleForAsset)
}

fn check_action(state: &dyn CheckState, decision: &Decision) -> Result<(), Refusal> {
    let scenario = state.scenario();
    let org = decision.org;
    match &decision.action {
        Action::Monitor { asset } => {
            if state.monitoring(*asset) >= 1000 {
                return Err(Refusal::MonitoringAtMaximum);
            }
        }
        Action::Isolate { asset } => {
            if state.isolated(*asset) {
                return Err(Refusal::AlreadyIsolated);
            }
        }
        Action::Patch { asset } => {
            if !state.unpatched(*asset) {
                return Err(Refusal::NothingToPatch);
            }
        }
        Action::Restore { asset } => match scenario.assets[*asset as usize].backups {
            Backups::None => return Err(Refusal::NoBackups),
            _ if !state.backups_intact(*asset) => return Err(Refusal::BackupsDestroyed),
            _ => {}
        },
        Action::Hunt { .. } | Action::ResetCredentials { .. } => {}
        Action::ShareIntel { to, tlp } => {
            if to.is_empty() || to.iter().all(|&t| t == org) {
                return Err(Refusal::NoRecipients);
            }
            let needed = tlp.required_trust(&scenario.tuning);
            for (&recipient, &trust) in to.iter().zip(&state.trust_in(org, to)) {
                if recipient as usize >= scenario.organisations.len() {
                    return Err(Refusal::UnknownOrganisation(recipient));
                }
                if trust < needed {
                    return Err(Refusal::TlpNotPermitted {
                        tlp: *tlp,
                        trust,
                        needed,
                    });
                }
            }
        }
        Action::RequestAssistance { from } => {
            if *from as usize >= scenario.organisations.len() {
                return Err(Refusal::UnknownOrganisation(*from));
            }
            if *from == org {
                return Err(Refusal::SelfAssistance);
            }
            if state.assistance_sent(*from, org) {
                return Err(Refusal::AlreadyAssisted);
            }
            if assistance_size(scenario, *from, state.staff_available(*from)) == 0 {
                return Err(Refusal::NoStaffToLend);
            }
        }
        Action::PublicStatement => {}
        Action::AttributePublicly { attacker } => {
            if !state.has_evidence(org, *attacker) {
                return Err(Refusal::NoEvidence);
            }
        }
        Action::Takedown { attacker } | Action::ActiveDefence { attacker } => {
            if !state.knows_attacker(org, *attacker) {
                return Err(Refusal::NoIndicators);
            }
            if state.attacker_infrastructure(*attacker) == 0 {
                return Err(Refusal::InfrastructureDown);
            }
        }
        Action::RaiseAlert => {
            if state.alert_level() >= MAX_ALERT_LEVEL {
                return Err(Refusal::AlertAtMaximum);
            }
        }
        Action::ConsultArticle5 => {
            if state.article5_open() {
                return Err(Refusal::AlreadyConsulted);
            }
        }
        Action::Liaison => {
            if state.liaison_active() {
                return Err(Refusal::LiaisonActive);
            }
        }
    }
    Ok(())
}
