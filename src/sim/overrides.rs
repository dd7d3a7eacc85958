//! Facilitator interventions: ad-hoc injects and overridden outcomes. Each
//! carries a reason and is recorded in the session log, so a replay applies
//! it at the same point.

use serde::{Deserialize, Serialize};

use crate::scenario::model::{AssetIdx, AttackerIdx, InjectIdx, OrgIdx, TeamIdx, Text};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub change: Change,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    SetAvailability {
        asset: AssetIdx,
        availability: u16,
    },
    Evict {
        asset: AssetIdx,
        attacker: AttackerIdx,
    },
    SetObjective {
        objective: u32,
        met: bool,
    },
    SetPublicTrust(u16),
    SetAllianceTrust(u16),
    RevealAttacker {
        organisation: OrgIdx,
        attacker: AttackerIdx,
    },
    AdHocInject {
        title: Text,
        text: Text,
        to: Vec<TeamIdx>,
    },
    /// A scripted inject fires now, whatever its trigger (the MSEL's
    /// "fire early").
    FireInject {
        inject: InjectIdx,
    },
    /// A scripted inject is held back (its trigger is ignored) or released.
    HoldInject {
        inject: InjectIdx,
        hold: bool,
    },
}

impl Override {
    /// Whether every index names something in the scenario; a tampered log
    /// must not reach the world with a dangling reference.
    pub fn validate(&self, scenario: &crate::scenario::Scenario) -> Result<(), String> {
        let assets = scenario.assets.len();
        let attackers = scenario.attackers.len();
        let orgs = scenario.organisations.len();
        let ok = match &self.change {
            Change::SetAvailability { asset, .. } => (*asset as usize) < assets,
            Change::Evict { asset, attacker } => {
                (*asset as usize) < assets && (*attacker as usize) < attackers
            }
            Change::SetObjective { objective, .. } => {
                (*objective as usize) < scenario.objectives.len()
            }
            Change::SetPublicTrust(_) | Change::SetAllianceTrust(_) => true,
            Change::RevealAttacker {
                organisation,
                attacker,
            } => (*organisation as usize) < orgs && (*attacker as usize) < attackers,
            Change::AdHocInject { to, .. } => {
                to.iter().all(|t| (*t as usize) < scenario.teams.len())
            }
            Change::FireInject { inject } | Change::HoldInject { inject, .. } => {
                (*inject as usize) < scenario.injects.len()
            }
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "override {:?} names something not in the scenario",
                self.change
            ))
        }
    }
}
