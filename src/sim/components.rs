//! Components: the per-entity state of the world. Static facts (names,
//! owners, links) stay in the scenario; only what changes lives here.

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use crate::scenario::model::{AssetIdx, AttackerIdx, OrgIdx};

use super::decision::{Decision, Tlp};
use super::knowledge::Facts;

/// Stable identity for ordering: never derived from `Entity` bits.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StableId(pub u64);

impl StableId {
    pub const ORG: u64 = 1 << 40;
    pub const ASSET: u64 = 2 << 40;
    pub const ATTACKER: u64 = 3 << 40;
    pub const COMPROMISE: u64 = 4 << 40;
    pub const MESSAGE: u64 = 5 << 40;
    pub const ACTION: u64 = 6 << 40;
}

// ---- organisations ----

#[derive(Component, Debug, Clone, Copy)]
pub struct OrgId(pub OrgIdx);

/// Staff: the base from the scenario plus assistance received, minus what
/// it lent out; `committed` is held by actions in progress.
#[derive(Component, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub capacity: u32,
    pub committed: u32,
}

impl Staff {
    pub fn available(&self) -> u32 {
        self.capacity.saturating_sub(self.committed)
    }
}

/// Trust towards other organisations, permille.
#[derive(Component, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trust(pub crate::scenario::model::TrustMap);

/// What this organisation knows.
#[derive(Component, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Knowledge(pub Facts);

// ---- assets ----

#[derive(Component, Debug, Clone, Copy)]
pub struct AssetId(pub AssetIdx);

/// Health in permille. `own_availability` is what the asset itself can do;
/// `availability` also counts failed dependencies (set by the cascade).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub own_availability: u16,
    pub availability: u16,
    pub integrity: u16,
    pub confidentiality: u16,
}

#[derive(Component, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defences {
    pub monitoring: u16,
    pub isolated: bool,
    /// Bit i set = vulnerability i of the asset is patched.
    pub patched: u64,
    pub backups_intact: bool,
    /// Extra detection from a hunt finishing this turn, basis points.
    pub hunt_bp: u16,
}

#[derive(Component, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Records {
    pub held: u64,
    pub lost: u64,
}

// ---- attackers ----

#[derive(Component, Debug, Clone, Copy)]
pub struct AttackerId(pub AttackerIdx);

#[derive(Component, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub stage: u32,
    pub turns_in_stage: u32,
    pub finished: bool,
    pub infrastructure: u32,
    pub first_action: Option<u32>,
    /// Set once any defender has detected it.
    pub first_detected: Option<u32>,
    /// Whether the current stage has acted on a target yet.
    pub acted: bool,
    /// Targets already defaced (the public notices once).
    pub defaced: Vec<AssetIdx>,
}

// ---- compromises, and records kept in resources ----

/// An attacker's hold on an asset.
#[derive(Component, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compromise {
    pub attacker: AttackerIdx,
    pub asset: AssetIdx,
    /// 1 = foothold, 2 = administrative control.
    pub level: u8,
    pub since: u32,
    pub detected: bool,
}

/// Intel in transit between organisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntelMessage {
    pub from: OrgIdx,
    pub to: OrgIdx,
    pub tlp: Tlp,
    pub facts: std::sync::Arc<Facts>,
    pub sent: u32,
    pub arrives: u32,
    /// An automatic report under the sender's reporting rules.
    pub report: bool,
}

/// A decision being carried out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionInProgress {
    pub decision: Decision,
    pub staff: u32,
    pub started: u32,
}
