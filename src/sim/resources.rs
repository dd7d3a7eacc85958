//! Resources: world-wide state that belongs to no single entity.

use std::sync::Arc;

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use crate::scenario::model::{AttackerIdx, OrgIdx, Scenario};

use super::decision::{Decision, Refusal};
use super::event::Event;
use super::overrides::Override;

/// What a run is set in: the scenario being played (never changes during
/// a run), the entities by scenario index, and the clock. One resource,
/// because nearly every phase reads all three and each lookup costs; the
/// fixed parts are shared, so a phase's copy costs two reference counts.
#[derive(Resource, Clone)]
pub struct Setting {
    pub rules: Arc<Scenario>,
    pub index: Arc<Index>,
    pub clock: Clock,
}

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub seed: u64,
    /// The turn being resolved (1-based).
    pub turn: u32,
}

/// Entities by scenario index. Fixed after spawning, and shared through
/// `Setting`, so a system can hold it while it changes the world.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub orgs: Box<[Entity]>,
    pub assets: Box<[Entity]>,
    pub attackers: Box<[Entity]>,
}

/// What the teams and the facilitator submitted for this turn.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnInput {
    pub decisions: Vec<Decision>,
    pub overrides: Vec<Override>,
}

/// What happened this turn, drained after each step.
#[derive(Resource, Debug, Clone, Default)]
pub struct TurnLog {
    pub events: Vec<Event>,
    pub refused: Vec<(Decision, Refusal)>,
    /// The state hash at the end of the turn, when it was asked for.
    pub state_hash: Option<u64>,
}

impl TurnLog {
    pub fn with_capacity(events: usize) -> Self {
        TurnLog {
            events: Vec::with_capacity(events),
            ..TurnLog::default()
        }
    }
    pub fn push(&mut self, event: Event) {
        self.events.push(event);
    }
}

/// Political and public state.
#[derive(Resource, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Politics {
    /// Public confidence in the government's handling, permille.
    pub public_trust: u16,
    /// Confidence between the allies, permille.
    pub alliance_trust: u16,
    pub alert_level: u8,
    pub liaison: bool,
    pub article5_turn: Option<u32>,
    pub first_statement: Option<u32>,
    pub first_detection: Option<u32>,
    /// (attacker, named sponsor, turn, correct)
    pub attributions: Vec<(AttackerIdx, String, u32, bool)>,
}

impl Default for Politics {
    fn default() -> Self {
        Politics {
            public_trust: 700,
            alliance_trust: 700,
            alert_level: 1,
            liaison: false,
            article5_turn: None,
            first_statement: None,
            first_detection: None,
            attributions: Vec::new(),
        }
    }
}

/// Counters researchers and objectives read.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metrics {
    pub records_lost: u64,
    /// Sum over turns of people without service × minutes.
    pub customer_minutes_lost: u64,
    /// Criticality-weighted availability lost now, permille.
    pub impact: u16,
    pub peak_impact: u16,
    /// First turn the impact reached the escalation threshold of any objective.
    /// Customer-minutes lost per turn at the current availability.
    pub outage_rate: u64,
    pub compromises_total: u32,
    pub detections: u32,
    pub assets_down: u32,
    /// First turn a government organisation (not an operator or vendor)
    /// knew of a compromise, by its own detection or by a report.
    pub government_aware: Option<u32>,
    /// First turn the harm reached the scenario's escalation threshold.
    pub escalation_reached: Option<u32>,
}

/// A set of (organisation, organisation) pairs, kept sorted so it hashes
/// and iterates the same way every run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgPairs(pub Vec<(OrgIdx, OrgIdx)>);

impl OrgPairs {
    pub fn has(&self, a: OrgIdx, b: OrgIdx) -> bool {
        self.0.binary_search(&(a, b)).is_ok()
    }
    /// Whether any pair starts with `a`.
    pub fn has_first(&self, a: OrgIdx) -> bool {
        let i = self.0.partition_point(|&(x, _)| x < a);
        self.0.get(i).is_some_and(|&(x, _)| x == a)
    }
    pub fn insert(&mut self, a: OrgIdx, b: OrgIdx) {
        if let Err(i) = self.0.binary_search(&(a, b)) {
            self.0.insert(i, (a, b));
        }
    }
}

/// Who may act on which assets, in one resource because a check asks
/// about all of it: who owns what, who has been let in, and what each
/// responder may act on as a result.
#[derive(Resource, Debug, Clone, Default)]
pub struct Access {
    pub ownership: Ownership,
    /// Which responders may act on a private operator's systems:
    /// (responder, owner). A government responder is let in by the
    /// operator's own report, so an operator that reports late is helped
    /// late. A report to the police is also the complaint that opens their
    /// case (see takedowns).
    pub response: OrgPairs,
    pub actionable: Actionable,
}

/// Assistance already sent: (lender, borrower). A lender sends one team to
/// each organisation that asks, so requests cannot drain it.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct AssistanceSent(pub OrgPairs);

/// Turn each inject fired, if it has.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct InjectsFired(pub Vec<Option<u32>>);

/// Scripted injects the facilitator holds back: their triggers are
/// ignored until released.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct InjectsHeld(pub Vec<bool>);

/// First turn each decision kind was started, by `DecisionKind as usize`.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionsTaken(pub Vec<Option<u32>>);

/// Availability of every asset after the cascade, by asset index; a plain
/// array so phases and policies can read it without queries.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct AvailabilityMap(pub Vec<u16>);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectiveStatus {
    Pending,
    Met,
    Failed,
}

#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct Objectives {
    pub status: Vec<ObjectiveStatus>,
    /// Turn the escalation threshold was first reached, per objective.
    pub threshold_reached: Vec<Option<u32>>,
    pub score: u32,
    pub ended: bool,
}

/// Id counters for dynamic entities.
#[derive(Resource, Debug, Clone, Default)]
pub struct Counters {
    pub next_compromise: u64,
}

/// Whether to hash the state at the end of this turn.
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct HashThisTurn(pub bool);

/// Assets whose hunt boost is live for the next detection round.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct Hunts(pub Vec<u32>);

/// The dependency graph in flat arrays, built once: for each asset, the
/// dependants that lean on it, with the global index of that edge.
#[derive(Resource, Debug, Clone, Default)]
pub struct Dependants {
    /// `edges[offsets[a]..offsets[a + 1]]` lean on asset `a`.
    pub offsets: Vec<u32>,
    /// (dependant, edge index into `Supply::starved`, buffer)
    pub edges: Vec<(u32, u32, u32)>,
}

impl Dependants {
    pub fn of(&self, asset: usize) -> &[(u32, u32, u32)] {
        let (a, b) = (
            self.offsets[asset] as usize,
            self.offsets[asset + 1] as usize,
        );
        &self.edges[a..b]
    }
}

/// Turns each dependency edge has been down, saturating at the edge's
/// buffer; edges of asset `i` are `starved[offsets[i]..offsets[i + 1]]`
/// in the scenario's order.
#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct Supply {
    pub offsets: Vec<u32>,
    pub starved: Vec<u32>,
    /// Edges whose counter is not zero, so a quiet graph costs nothing.
    pub running: Vec<u32>,
}

/// Whether the cascade must be worked out again this turn.
#[derive(Resource, Debug, Clone, PartialEq, Eq)]
pub struct CascadeState {
    /// An asset's own availability or isolation changed.
    pub dirty: bool,
    /// A buffer is running down, so a fall may come without any change.
    pub pending: bool,
    /// Σ criticality × (1000 − availability), kept as availability changes.
    pub lost_weighted: u64,
    /// Σ criticality × 1000.
    pub total_weighted: u64,
    /// Σ population × (1000 − availability) / 1000 × turn minutes.
    pub outage_rate: u64,
    pub down: u32,
    /// Each asset's own availability, capped while isolated: the cascade's
    /// starting point, kept up to date by `effects::mark_cascade`.
    pub own: Vec<u16>,
}

impl CascadeState {
    /// Moves the running sums for one asset's availability change.
    pub fn account(
        &mut self,
        asset: &crate::scenario::model::Asset,
        turn_minutes: u32,
        before: u16,
        after: u16,
    ) {
        let weight = u64::from(asset.criticality);
        let minutes = u64::from(turn_minutes);
        let missing = |a: u16| u64::from(1000 - a.min(1000));
        let down = |a: u16| u32::from(a < crate::sim::phases::cascade::DOWN);
        self.lost_weighted =
            self.lost_weighted + weight * missing(after) - weight * missing(before);
        self.outage_rate = self.outage_rate + asset.population * missing(after) / 1000 * minutes
            - asset.population * missing(before) / 1000 * minutes;
        self.down = self.down + down(after) - down(before);
    }
}

impl Default for CascadeState {
    fn default() -> Self {
        CascadeState {
            dirty: true,
            pending: false,
            lost_weighted: 0,
            total_weighted: 0,
            outage_rate: 0,
            down: 0,
            own: Vec::new(),
        }
    }
}

/// Assets by owning organisation and by team, built once.
#[derive(Debug, Clone, Default)]
pub struct Ownership {
    pub by_org: Vec<Vec<u32>>,
    pub by_team: Vec<Vec<u32>>,
}

/// For each incident responder, the assets of its team it may act on (see
/// `decision::may_act_for`), in asset order; `None` for the others, who act
/// on their own assets only. It follows from `Access::response` and is
/// brought up to date as access is granted, so policies need not work it
/// out every turn; being derived, it is not hashed.
#[derive(Debug, Clone, Default)]
pub struct Actionable(pub Vec<Option<Vec<u32>>>);

impl Actionable {
    pub fn new(scenario: &Scenario, ownership: &Ownership, access: &OrgPairs) -> Actionable {
        let mut all = Actionable(vec![None; scenario.organisations.len()]);
        for org in 0..scenario.organisations.len() as OrgIdx {
            all.refresh(scenario, ownership, access, org);
        }
        all
    }

    /// `owner` has let `responder` in: its assets join the responder's
    /// list, if the responder may now act on them.
    pub fn grant(
        &mut self,
        scenario: &Scenario,
        ownership: &Ownership,
        responder: OrgIdx,
        owner: OrgIdx,
    ) {
        let Some(Some(list)) = self.0.get_mut(responder as usize) else {
            return;
        };
        if !super::decision::may_act_with(scenario, responder, owner, |_, _| true) {
            return;
        }
        let Some(theirs) = ownership.by_org.get(owner as usize) else {
            return;
        };
        list.extend_from_slice(theirs);
        list.sort_unstable();
        list.dedup();
    }

    /// Works out again what `org` may act on.
    pub fn refresh(
        &mut self,
        scenario: &Scenario,
        ownership: &Ownership,
        access: &OrgPairs,
        org: OrgIdx,
    ) {
        let Some(slot) = self.0.get_mut(org as usize) else {
            return;
        };
        let Some(o) = scenario.organisations.get(org as usize) else {
            return;
        };
        *slot = match o.team {
            Some(team) if o.has(crate::scenario::model::Authority::IncidentResponse) => Some(
                ownership.by_team[team as usize]
                    .iter()
                    .copied()
                    .filter(|&a| {
                        let owner = scenario.assets[a as usize].owner;
                        super::decision::may_act_with(scenario, org, owner, |r, w| access.has(r, w))
                    })
                    .collect(),
            ),
            _ => None,
        };
    }
}
