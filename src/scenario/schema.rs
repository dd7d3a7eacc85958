//! The scenario file format, v1: plain serde types exactly as written in RON.
//!
//! These types are what an author writes. They still refer to each other by
//! string ids and may leave library fields out; [`super::resolve`] turns
//! them into the checked, index-based [`super::Scenario`] the simulation runs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Text shown to players, in English and Japanese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub ja: String,
}

/// The root of a scenario file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Format version; only 1 exists.
    #[serde(default = "default_format")]
    pub format: u32,
    pub id: String,
    pub title: Text,
    #[serde(default)]
    pub description: Text,
    /// Simulated minutes per turn (60 for a games-day attack, 1440 for a slow breach).
    pub turn_minutes: u32,
    /// Start of turn 1 in JST, `YYYY-MM-DDTHH:MM`.
    pub start: String,
    /// Number of turns the scenario lasts unless an end condition fires first.
    pub turn_limit: u32,
    /// Library files to draw organisations, assets and attackers from:
    /// `assets/...` names the shared library, anything else is relative to
    /// the scenario's folder.
    #[serde(default)]
    pub include: Vec<String>,
    /// Share of exposed vulnerable devices in the ecosystem, permille;
    /// scales initial-access success (500 = typical).
    #[serde(default = "default_ecosystem_health")]
    pub ecosystem_exposure: u16,
    /// Restricts the decision catalogue to these kinds; empty = all.
    #[serde(default)]
    pub allowed_decisions: Vec<DecisionKind>,
    /// Changes to the shared decision catalogue for this scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<DecisionOverride>,
    /// Model constants this scenario sets differently from
    /// `assets/tuning.ron`, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tuning: BTreeMap<String, i64>,
    #[serde(default)]
    pub organisations: Vec<OrganisationEntry>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub assets: Vec<Asset>,
    #[serde(default)]
    pub attackers: Vec<Attacker>,
    #[serde(default)]
    pub injects: Vec<Inject>,
    #[serde(default)]
    pub objectives: Vec<Objective>,
    pub teams: Vec<Team>,
    /// Stop early when every attacker has finished its campaign or been evicted.
    #[serde(default)]
    pub end_when_attackers_done: bool,
}

fn default_format() -> u32 {
    1
}
fn default_ecosystem_health() -> u16 {
    500
}

/// A library file: organisations, assets and attackers that scenarios pick by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LibraryFile {
    #[serde(default)]
    pub organisations: Vec<OrganisationEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Nation {
    Japan,
    UnitedStates,
    Australia,
    UnitedKingdom,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum OrganisationKind {
    /// Cabinet-level coordinator (NISC/NCO).
    Coordinator,
    /// National CSIRT (JPCERT/CC, CISA).
    Cert,
    LawEnforcement,
    Military,
    Intelligence,
    Regulator,
    Diplomatic,
    /// Owns and runs infrastructure (games committee, utility, carrier).
    Operator,
    /// Managed SOC or security vendor.
    Vendor,
}

impl OrganisationKind {
    /// Part of a government, as opposed to a private operator or vendor.
    pub fn is_government(self) -> bool {
        !matches!(self, OrganisationKind::Operator | OrganisationKind::Vendor)
    }
}

/// Legal authorities that gate decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Authority {
    /// May work on assets of other organisations on its team (CERTs, vendors).
    IncidentResponse,
    /// Investigations and takedowns of attacker infrastructure.
    LawEnforcement,
    /// Neutralising attacker servers under an active-cyber-defence law.
    ActiveCyberDefence,
    /// Government traffic analysis (intrusive; raises detection, costs public trust).
    TrafficAnalysis,
    /// May attribute an attack publicly on behalf of the government.
    PublicAttribution,
    /// May raise the national alert level.
    NationalAlert,
    /// May open alliance consultations (Article 5).
    AllianceConsultation,
    /// May open a standing liaison/dialogue that shortens channels.
    Diplomacy,
}

/// An organisation, or a reference to one in an included library with
/// optional overrides. Fields left out come from the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OrganisationEntry {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nation: Option<Nation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<OrganisationKind>,
    /// Staff-turns available per turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorities: Option<Vec<Authority>>,
    /// Turns before it tells anyone of what it detects (reporting culture).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_delay: Option<u32>,
    /// Who it reports its own detections to, after the delay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports_to: Option<Vec<String>>,
    /// Trust towards other organisations, permille.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<BTreeMap<String, u16>>,
    /// Trust towards anyone not listed, permille.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_trust: Option<u16>,
    /// Baseline ability to spot compromises on assets it watches, permille.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection_skill: Option<u16>,
    /// Chance that intel it receives at TLP:AMBER leaks, permille (doubled
    /// at TLP:RED). Partners who see leaks trust it less.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leak_risk: Option<u16>,
}

/// An explicit communication channel; without one, messages take the default delay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub from: String,
    pub to: String,
    /// Turns in transit.
    pub delay: u32,
    #[serde(default = "default_true")]
    pub both_ways: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sector {
    Government,
    Energy,
    Telecom,
    Transport,
    Water,
    Finance,
    Health,
    Media,
    Defence,
    Event,
    Ports,
    Manufacturing,
    InformationTechnology,
    SocialSecurity,
}

impl Sector {
    pub const ALL: [Sector; 14] = [
        Sector::Government,
        Sector::Energy,
        Sector::Telecom,
        Sector::Transport,
        Sector::Water,
        Sector::Finance,
        Sector::Health,
        Sector::Media,
        Sector::Defence,
        Sector::Event,
        Sector::Ports,
        Sector::Manufacturing,
        Sector::InformationTechnology,
        Sector::SocialSecurity,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AssetKind {
    It,
    Ot,
    Network,
    Service,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    pub id: String,
    pub name: Text,
    pub owner: String,
    pub sector: Sector,
    #[serde(default = "default_asset_kind")]
    pub kind: AssetKind,
    /// 1 (minor) ..= 5 (national).
    pub criticality: u8,
    /// Health in permille; 1000 = fully healthy.
    #[serde(default = "full")]
    pub availability: u16,
    #[serde(default = "full")]
    pub integrity: u16,
    #[serde(default = "full")]
    pub confidentiality: u16,
    #[serde(default)]
    pub vulnerabilities: Vec<Vulnerability>,
    /// Monitoring coverage, permille.
    #[serde(default)]
    pub monitoring: u16,
    #[serde(default)]
    pub backups: Backups,
    /// Personal or sensitive records held.
    #[serde(default)]
    pub records: u64,
    /// People served (customers, users); drives outage metrics.
    #[serde(default)]
    pub population: u64,
    #[serde(default)]
    pub internet_facing: bool,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    /// Network links an attacker may move along (undirected).
    #[serde(default)]
    pub links: Vec<String>,
    /// Where it is, for the map: latitude and longitude in millidegrees.
    #[serde(default)]
    pub location: Option<(i32, i32)>,
}

fn default_asset_kind() -> AssetKind {
    AssetKind::It
}
fn full() -> u16 {
    1000
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vulnerability {
    /// ATT&CK technique id this weakness enables, e.g. `T1566.001`.
    pub technique: String,
    /// Chance a skilled attempt succeeds, basis points.
    #[serde(default = "default_exploitability")]
    pub exploitability: u16,
    #[serde(default = "default_true")]
    pub patchable: bool,
}

fn default_exploitability() -> u16 {
    5000
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Backups {
    #[default]
    None,
    /// Backups an attacker can reach (a wiper destroys them too).
    Online { restore_turns: u32 },
    /// Offline backups that survive a wiper.
    Offline { restore_turns: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    pub asset: String,
    /// Turns the dependant keeps running on buffers (backup power, caches)
    /// after the dependency fails.
    #[serde(default)]
    pub buffer: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AttackerObjective {
    Disrupt,
    Steal,
    Destroy,
    Embarrass,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attacker {
    pub id: String,
    pub name: Text,
    /// The true sponsor, hidden from players (e.g. `"GRU Unit 74455"`).
    pub sponsor: String,
    pub objective: AttackerObjective,
    /// Permille.
    pub skill: u16,
    /// Permille; lowers detection chances.
    pub stealth: u16,
    /// First turn the campaign acts.
    #[serde(default = "one")]
    pub start_turn: u32,
    /// Command-and-control servers; takedowns and active defence remove them.
    #[serde(default = "default_infrastructure")]
    pub infrastructure: u32,
    pub campaign: Vec<Stage>,
    #[serde(default)]
    pub false_flags: Vec<FalseFlag>,
}

fn one() -> u32 {
    1
}
fn default_infrastructure() -> u32 {
    3
}

/// One step of a campaign: the attacker works on it until it succeeds and
/// `min_turns` have passed, then moves to the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub name: String,
    pub action: StageAction,
    pub techniques: Vec<String>,
    /// Assets this stage aims at.
    pub targets: Vec<String>,
    #[serde(default = "one")]
    pub min_turns: u32,
    /// The stage does not act before this turn (e.g. timed to a ceremony).
    #[serde(default)]
    pub not_before: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageAction {
    /// Gain a foothold on targets through their vulnerabilities.
    InitialAccess,
    /// Raise control over held assets (credential theft).
    Escalate,
    /// Move along network links towards the targets.
    LateralMovement,
    /// Take records out of held targets.
    Exfiltrate { records_per_turn: u64 },
    /// Degrade availability of held targets, permille per turn.
    Disrupt { damage: u16 },
    /// Wipe held targets: availability and integrity to zero, online backups lost.
    Destroy,
    /// Deface held targets: integrity loss and a public-trust hit.
    Deface,
}

impl StageAction {
    /// Whether the stage needs the attacker's command-and-control servers.
    /// A wiper or a disruptive payload already on a host runs on its own
    /// (Olympic Destroyer, Industroyer), so a takedown cannot stop it.
    pub fn needs_c2(&self) -> bool {
        !matches!(self, StageAction::Disrupt { .. } | StageAction::Destroy)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FalseFlag {
    /// Who the planted artefacts point at.
    pub points_to: String,
    /// How convincing, permille.
    pub strength: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub id: String,
    pub trigger: Trigger,
    /// Team ids it is delivered to; empty = every team.
    #[serde(default)]
    pub to: Vec<String>,
    pub title: Text,
    pub text: Text,
    #[serde(default)]
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    AtTurn(u32),
    AssetBelow { asset: String, availability: u16 },
    AttackerReachesStage { attacker: String, stage: u32 },
    DecisionTaken(DecisionKind),
    AfterInject { inject: String, delay: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    SetAvailability {
        asset: String,
        availability: u16,
    },
    AddStaff {
        organisation: String,
        staff: u32,
    },
    /// Gives an organisation an indicator of the attacker (as if detected).
    RevealAttacker {
        organisation: String,
        attacker: String,
    },
    /// Plants a misleading attribution lead with an organisation.
    FalseLead {
        organisation: String,
        points_to: String,
    },
    ChangeTrust {
        from: String,
        to: String,
        delta: i16,
    },
    PublicTrust(i16),
    AllianceTrust(i16),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: String,
    pub title: Text,
    /// Relative weight in the 0–100 score.
    #[serde(default = "one")]
    pub weight: u32,
    pub goal: Goal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Goal {
    /// The asset's availability stays at or above `min` on every turn in `from..=to`.
    KeepAvailable {
        asset: String,
        min: u16,
        from: u32,
        to: u32,
    },
    /// No more than `max` records leave in total.
    ProtectRecords { max_lost: u64 },
    /// Some defender detects the attacker within `turns` of its first action.
    DetectWithin { attacker: String, turns: u32 },
    /// The attacker holds no asset by `turn`.
    ContainBy { attacker: String, turn: u32 },
    /// A public attribution names the attacker's true sponsor.
    AttributeCorrectly { attacker: String },
    /// A public statement follows the first detection within `turns`.
    DiscloseWithin { turns: u32 },
    /// Public trust never drops below `min` (permille).
    KeepPublicTrust { min: u16 },
    /// Alliance trust never drops below `min` (permille).
    KeepAllianceTrust { min: u16 },
    /// Article 5 consultations are opened only once total impact reaches
    /// `threshold` (permille of criticality-weighted availability lost), and
    /// are opened when it does.
    EscalateAppropriately { threshold: u16 },
    /// Customer-hours without service stay under `max`.
    LimitOutage { max_customer_hours: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub id: String,
    pub name: Text,
    pub organisations: Vec<String>,
}

/// Every decision an organisation can take, as a tag (no parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DecisionKind {
    Monitor,
    Hunt,
    Isolate,
    Patch,
    Restore,
    ResetCredentials,
    ShareIntel,
    RequestAssistance,
    PublicStatement,
    AttributePublicly,
    Takedown,
    ActiveDefence,
    RaiseAlert,
    ConsultArticle5,
    Liaison,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 15] = [
        DecisionKind::Monitor,
        DecisionKind::Hunt,
        DecisionKind::Isolate,
        DecisionKind::Patch,
        DecisionKind::Restore,
        DecisionKind::ResetCredentials,
        DecisionKind::ShareIntel,
        DecisionKind::RequestAssistance,
        DecisionKind::PublicStatement,
        DecisionKind::AttributePublicly,
        DecisionKind::Takedown,
        DecisionKind::ActiveDefence,
        DecisionKind::RaiseAlert,
        DecisionKind::ConsultArticle5,
        DecisionKind::Liaison,
    ];

    /// The choices senior officials weigh (sharing, assistance,
    /// statements, attribution, Article 5, alert level, liaison, active
    /// defence), as against hands-on work on one asset or attacker.
    pub fn is_strategic(self) -> bool {
        matches!(
            self,
            DecisionKind::ShareIntel
                | DecisionKind::RequestAssistance
                | DecisionKind::PublicStatement
                | DecisionKind::AttributePublicly
                | DecisionKind::ConsultArticle5
                | DecisionKind::RaiseAlert
                | DecisionKind::Liaison
                | DecisionKind::ActiveDefence
        )
    }

    /// Decisions that speak for the whole team rather than one
    /// organisation.
    pub fn is_team_wide(self) -> bool {
        matches!(
            self,
            DecisionKind::PublicStatement
                | DecisionKind::RaiseAlert
                | DecisionKind::ConsultArticle5
                | DecisionKind::Liaison
        )
    }
}

/// Cost, duration and odds of one decision kind; the catalogue is data
/// (`assets/decisions.ron`) so a scenario designer can tune it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionSpec {
    pub kind: DecisionKind,
    pub name: Text,
    pub staff: u32,
    pub duration: u32,
    /// Chance the action works when it completes, basis points.
    pub success: u16,
    /// Authority the acting organisation needs, if any.
    #[serde(default)]
    pub authority: Option<Authority>,
}

/// A scenario's change to one catalogue entry; fields left out keep the
/// catalogue's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionOverride {
    pub kind: DecisionKind,
    #[serde(default)]
    pub staff: Option<u32>,
    #[serde(default)]
    pub duration: Option<u32>,
    #[serde(default)]
    pub success: Option<u16>,
}

/// The ATT&CK technique subset we use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Technique {
    pub id: String,
    pub name: String,
    pub tactic: String,
}
