//! The checked scenario the simulation runs: every reference is an index,
//! every library default filled in, every value in range.

use serde::{Deserialize, Serialize};

pub use super::schema::{
    AssetKind, AttackerObjective, Authority, Backups, DecisionKind, DecisionSpec, Nation,
    OrganisationKind, Sector, StageAction, Technique, Text,
};
pub use super::tuning::Tuning;

pub type OrgIdx = u16;
pub type AssetIdx = u32;
pub type AttackerIdx = u16;
pub type TeamIdx = u16;
pub type InjectIdx = u32;

/// Trust assumed where an organisation names no value, permille.
pub const DEFAULT_TRUST: u16 = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub id: String,
    pub title: Text,
    pub description: Text,
    pub turn_minutes: u32,
    /// Minutes since 1970-01-01 00:00 JST of the start of turn 1.
    pub start_minute: i64,
    pub turn_limit: u32,
    pub ecosystem_exposure: u16,
    /// Decision catalogue, indexed by `DecisionKind as usize`; `allowed` false
    /// where the scenario restricts it.
    pub decisions: Vec<DecisionRule>,
    pub organisations: Vec<Organisation>,
    /// Explicit channel delays: (from, to, delay), sorted.
    pub channels: Vec<(OrgIdx, OrgIdx, u32)>,
    pub assets: Vec<Asset>,
    pub attackers: Vec<Attacker>,
    pub injects: Vec<Inject>,
    pub objectives: Vec<Objective>,
    pub teams: Vec<Team>,
    pub end_when_attackers_done: bool,
    /// The ATT&CK subset from `assets/techniques.ron`; stages and
    /// vulnerabilities index into it.
    pub techniques: Vec<Technique>,
    /// The model's constants: `assets/tuning.ron` with the scenario's
    /// changes.
    pub tuning: Tuning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRule {
    pub spec: DecisionSpec,
    pub allowed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub name: Text,
    pub nation: Nation,
    pub kind: OrganisationKind,
    pub staff: u32,
    pub authorities: Vec<Authority>,
    pub reporting_delay: u32,
    pub reports_to: Vec<OrgIdx>,
    /// Trust towards other organisations, permille.
    pub trust: TrustMap,
    pub detection_skill: u16,
    /// Chance, permille, that intel received at AMBER leaks (doubled at RED).
    pub leak_risk: u16,
    /// The team that plays it, if any.
    pub team: Option<TeamIdx>,
}

/// Trust towards others: a default and the exceptions, sorted by
/// organisation. Sparse, so a world of thousands of operators does not
/// carry a square matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustMap {
    pub default: u16,
    pub exceptions: Vec<(OrgIdx, u16)>,
}

impl TrustMap {
    pub fn new(default: u16) -> Self {
        TrustMap {
            default,
            exceptions: Vec::new(),
        }
    }

    pub fn get(&self, to: OrgIdx) -> u16 {
        match self.exceptions.binary_search_by_key(&to, |(o, _)| *o) {
            Ok(i) => self.exceptions[i].1,
            Err(_) => self.default,
        }
    }

    pub fn set(&mut self, to: OrgIdx, value: u16) {
        match self.exceptions.binary_search_by_key(&to, |(o, _)| *o) {
            Ok(i) => self.exceptions[i].1 = value,
            Err(i) => self.exceptions.insert(i, (to, value)),
        }
    }
}

impl Organisation {
    pub fn has(&self, authority: Authority) -> bool {
        self.authorities.contains(&authority)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    pub id: String,
    pub name: Text,
    pub owner: OrgIdx,
    pub sector: Sector,
    pub kind: AssetKind,
    pub criticality: u8,
    pub availability: u16,
    pub integrity: u16,
    pub confidentiality: u16,
    pub vulnerabilities: Vec<Vulnerability>,
    pub monitoring: u16,
    pub backups: Backups,
    pub records: u64,
    pub population: u64,
    pub internet_facing: bool,
    pub dependencies: Vec<Dependency>,
    /// Undirected, deduplicated, sorted.
    pub links: Vec<AssetIdx>,
    pub location: Option<(i32, i32)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vulnerability {
    /// Index into the technique table.
    pub technique: u16,
    pub exploitability: u16,
    pub patchable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    pub asset: AssetIdx,
    pub buffer: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attacker {
    pub id: String,
    pub name: Text,
    pub sponsor: String,
    pub objective: AttackerObjective,
    pub skill: u16,
    pub stealth: u16,
    pub start_turn: u32,
    pub infrastructure: u32,
    pub campaign: Vec<Stage>,
    pub false_flags: Vec<FalseFlag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    pub action: StageAction,
    /// Indices into the technique table.
    pub techniques: Vec<u16>,
    pub targets: Vec<AssetIdx>,
    pub min_turns: u32,
    pub not_before: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FalseFlag {
    pub points_to: String,
    pub strength: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inject {
    pub id: String,
    pub trigger: Trigger,
    /// Teams it reaches; resolved from an empty list to every team.
    pub to: Vec<TeamIdx>,
    pub title: Text,
    pub text: Text,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    AtTurn(u32),
    AssetBelow { asset: AssetIdx, availability: u16 },
    AttackerReachesStage { attacker: AttackerIdx, stage: u32 },
    DecisionTaken(DecisionKind),
    AfterInject { inject: InjectIdx, delay: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    SetAvailability {
        asset: AssetIdx,
        availability: u16,
    },
    AddStaff {
        organisation: OrgIdx,
        staff: u32,
    },
    RevealAttacker {
        organisation: OrgIdx,
        attacker: AttackerIdx,
    },
    FalseLead {
        organisation: OrgIdx,
        points_to: String,
    },
    ChangeTrust {
        from: OrgIdx,
        to: OrgIdx,
        delta: i16,
    },
    PublicTrust(i16),
    AllianceTrust(i16),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    pub id: String,
    pub title: Text,
    pub weight: u32,
    pub goal: Goal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Goal {
    KeepAvailable {
        asset: AssetIdx,
        min: u16,
        from: u32,
        to: u32,
    },
    ProtectRecords {
        max_lost: u64,
    },
    DetectWithin {
        attacker: AttackerIdx,
        turns: u32,
    },
    ContainBy {
        attacker: AttackerIdx,
        turn: u32,
    },
    AttributeCorrectly {
        attacker: AttackerIdx,
    },
    DiscloseWithin {
        turns: u32,
    },
    KeepPublicTrust {
        min: u16,
    },
    KeepAllianceTrust {
        min: u16,
    },
    EscalateAppropriately {
        threshold: u16,
    },
    LimitOutage {
        max_customer_hours: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub name: Text,
    pub organisations: Vec<OrgIdx>,
}

impl Scenario {
    /// The impact at which Article 5 consultations become appropriate: the
    /// scenario's escalation objective, or the default.
    pub fn escalation_threshold(&self) -> u16 {
        self.objectives
            .iter()
            .find_map(|o| match o.goal {
                Goal::EscalateAppropriately { threshold } => Some(threshold),
                _ => None,
            })
            .unwrap_or(self.tuning.escalation_threshold)
    }

    pub fn decision(&self, kind: DecisionKind) -> &DecisionRule {
        &self.decisions[kind as usize]
    }
    pub fn team_index(&self, id: &str) -> Option<TeamIdx> {
        self.teams
            .iter()
            .position(|t| t.id == id)
            .map(|i| i as TeamIdx)
    }
    pub fn org_index(&self, id: &str) -> Option<OrgIdx> {
        self.organisations
            .iter()
            .position(|o| o.id == id)
            .map(|i| i as OrgIdx)
    }
    pub fn asset_index(&self, id: &str) -> Option<AssetIdx> {
        self.assets
            .iter()
            .position(|a| a.id == id)
            .map(|i| i as AssetIdx)
    }
    pub fn attacker_index(&self, id: &str) -> Option<AttackerIdx> {
        self.attackers
            .iter()
            .position(|a| a.id == id)
            .map(|i| i as AttackerIdx)
    }
}
