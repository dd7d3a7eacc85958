//! Events: what happened in a turn, for the log, the report and the UI.
//! Who may see each one is decided in `perspective::visible`, not here.

use serde::{Deserialize, Serialize};

use crate::scenario::model::{AssetIdx, AttackerIdx, InjectIdx, OrgIdx, TeamIdx, Text};

use super::decision::{Decision, Refusal, Tlp};
use super::knowledge::Facts;
use super::overrides::Change;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    InjectFired {
        inject: InjectIdx,
        to: Vec<TeamIdx>,
    },
    AdHocInject {
        title: Text,
        text: Text,
        to: Vec<TeamIdx>,
    },
    /// A facilitator's change took effect.
    Overridden {
        change: Change,
        reason: String,
    },
    /// A facilitator's change could not apply (it named something the
    /// scenario does not have, or an inject that already fired).
    OverrideIgnored {
        problem: String,
        reason: String,
    },
    DecisionStarted {
        decision: Decision,
        turns: u32,
    },
    DecisionRefused {
        decision: Decision,
        reason: Refusal,
    },
    ActionSucceeded {
        decision: Decision,
    },
    ActionFailed {
        decision: Decision,
        /// The chance it had, basis points: the reason it can fail.
        #[serde(default)]
        odds: u16,
        /// A takedown without a victim's complaint, at reduced odds.
        #[serde(default)]
        no_complaint: bool,
    },
    // Ground truth about the attacker: the facilitator sees these.
    StageStarted {
        attacker: AttackerIdx,
        stage: u32,
    },
    CampaignFinished {
        attacker: AttackerIdx,
    },
    AssetCompromised {
        asset: AssetIdx,
        attacker: AttackerIdx,
    },
    Escalated {
        asset: AssetIdx,
        attacker: AttackerIdx,
    },
    RecordsStolen {
        asset: AssetIdx,
        attacker: AttackerIdx,
        count: u64,
    },
    AssetDamaged {
        asset: AssetIdx,
        attacker: AttackerIdx,
        availability: u16,
    },
    AssetWiped {
        asset: AssetIdx,
        attacker: AttackerIdx,
    },
    AssetDefaced {
        asset: AssetIdx,
        attacker: AttackerIdx,
    },
    // Defender-side outcomes.
    Detected {
        org: OrgIdx,
        asset: AssetIdx,
        attacker: AttackerIdx,
    },
    Evicted {
        asset: AssetIdx,
        attacker: AttackerIdx,
        /// Organisations that knew of the intrusion when it ended: only
        /// their teams learn that an intruder was evicted.
        #[serde(default)]
        known_by: Vec<OrgIdx>,
    },
    InfrastructureRemoved {
        attacker: AttackerIdx,
        remaining: u32,
    },
    MessageDelivered {
        from: OrgIdx,
        to: OrgIdx,
        tlp: Tlp,
        report: bool,
        /// What the message said, for the recipient's inbox (shared with
        /// every recipient of the same message).
        facts: std::sync::Arc<Facts>,
    },
    /// Shared intel leaked from its recipient (it reaches the press).
    IntelLeaked {
        from: OrgIdx,
        to: OrgIdx,
        tlp: Tlp,
    },
    AssistanceArrived {
        from: OrgIdx,
        to: OrgIdx,
        staff: u32,
    },
    PublicAttribution {
        org: OrgIdx,
        attacker: AttackerIdx,
        named: String,
        correct: bool,
    },
    PublicStatement {
        org: OrgIdx,
    },
    AlertRaised {
        level: u8,
    },
    Article5Consulted {
        org: OrgIdx,
        premature: bool,
    },
    LiaisonOpened {
        org: OrgIdx,
    },
    // Observable by everyone.
    AssetDown {
        asset: AssetIdx,
    },
    AssetRecovered {
        asset: AssetIdx,
    },
    ObjectiveMet {
        objective: u32,
    },
    ObjectiveFailed {
        objective: u32,
    },
    /// Public or alliance trust moved, and why; both are public.
    TrustChanged {
        measure: TrustMeasure,
        cause: TrustCause,
        /// The change applied, permille (after clamping to 0..=1000).
        delta: i32,
        now: u16,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrustMeasure {
    Public,
    Alliance,
}

/// What moved a trust figure: a decision's consequence, the attacker, a
/// leak, an unanswered ally, or a scenario inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrustCause {
    Statement,
    Attribution,
    ActiveDefence,
    Alert,
    Article5,
    Liaison,
    Defacement,
    IntelLeak,
    Article5Unanswered,
    Inject,
}
