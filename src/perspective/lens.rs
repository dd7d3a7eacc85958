//! A team's borrowed window onto the world: its own organisations'
//! knowledge, staff and defences, plus what is public (service
//! availability, public and alliance trust, the alert level). Policies
//! decide through it and the session builds the team's owned view from it.

use crate::scenario::model::{AssetIdx, AttackerIdx, DecisionRule, OrgIdx, Organisation, TeamIdx};
use crate::sim::Sim;
use crate::sim::components::{Defences, Staff};
use crate::sim::decision::{self, CheckState, Decision, Refusal};
use crate::sim::knowledge::{Facts, KnownCompromise};
use crate::sim::query::{SimRead, WorldCheck};

/// A borrowed, fog-of-war-respecting window onto the simulation.
pub struct TeamLens<'a> {
    read: SimRead<'a>,
    team: TeamIdx,
    orgs: &'a [OrgIdx],
}

impl<'a> TeamLens<'a> {
    pub fn new(sim: &'a Sim, team: TeamIdx) -> Self {
        TeamLens::from_read(sim.read(), team)
    }

    /// A lens over a reader already made, so several teams' lenses share
    /// one set of resource lookups.
    pub fn from_read(read: SimRead<'a>, team: TeamIdx) -> Self {
        let orgs = read
            .scenario()
            .teams
            .get(team as usize)
            .map_or(&[][..], |t| &t.organisations[..]);
        TeamLens { read, team, orgs }
    }

    pub fn team(&self) -> TeamIdx {
        self.team
    }
    pub fn turn(&self) -> u32 {
        self.read.turn()
    }
    pub fn turn_limit(&self) -> u32 {
        self.read.scenario().turn_limit
    }
    /// The team's organisations.
    pub fn my_orgs(&self) -> &'a [OrgIdx] {
        self.orgs
    }
    pub fn is_mine(&self, org: OrgIdx) -> bool {
        self.organisations()
            .get(org as usize)
            .is_some_and(|o| o.team == Some(self.team))
    }
    /// Public facts about every organisation (names, nations, authorities).
    pub fn organisations(&self) -> &'a [Organisation] {
        &self.read.scenario().organisations
    }
    /// The asset register: names, owners, sectors, links and dependencies
    /// are known to all players.
    pub fn assets(&self) -> &'a [crate::scenario::model::Asset] {
        &self.read.scenario().assets
    }
    /// Assets an organisation of the team may act on: its own, or, with
    /// incident-response authority, the teammates' that have let it in
    /// (see [`decision::may_act_for`]).
    pub fn actionable_assets(&self, org: OrgIdx) -> std::borrow::Cow<'a, [AssetIdx]> {
        use std::borrow::Cow;
        let ownership = self.read.ownership();
        let responder = self
            .organisations()
            .get(org as usize)
            .is_some_and(|o| o.has(crate::scenario::model::Authority::IncidentResponse));
        if !self.is_mine(org) {
            return Cow::Borrowed(&[]);
        }
        if !responder {
            return Cow::Borrowed(&ownership.by_org[org as usize]);
        }
        // Kept by the simulation as access is granted.
        match self.read.actionable(org) {
            Some(assets) => Cow::Borrowed(assets),
            None => Cow::Borrowed(&ownership.by_org[org as usize]),
        }
    }
    /// Every asset `org` could come to act on: what it may act on now,
    /// plus, for a responder, the assets of each organisation that could
    /// yet let it in.
    pub fn assets_within_reach(&self, org: OrgIdx) -> Vec<AssetIdx> {
        let ownership = self.read.ownership();
        let scenario = self.read.scenario();
        let mut assets = self.actionable_assets(org).into_owned();
        if self.is_mine(org) {
            for (owner, theirs) in ownership.by_org.iter().enumerate() {
                if crate::sim::decision::may_act_with(scenario, org, owner as OrgIdx, |_, _| true) {
                    assets.extend_from_slice(theirs);
                }
            }
        }
        assets.sort_unstable();
        assets.dedup();
        assets
    }
    pub fn decision_rule(&self, kind: crate::scenario::model::DecisionKind) -> &'a DecisionRule {
        self.read.scenario().decision(kind)
    }
    pub fn attacker_count(&self) -> usize {
        self.read.scenario().attackers.len()
    }
    /// The model's constants in force.
    pub fn tuning(&self) -> &'a crate::scenario::model::Tuning {
        &self.read.scenario().tuning
    }
    pub fn objectives(&self) -> &'a [crate::scenario::model::Objective] {
        &self.read.scenario().objectives
    }
    pub fn staff(&self, org: OrgIdx) -> Option<&'a Staff> {
        self.is_mine(org).then(|| self.read.staff(org))
    }
    /// Service availability is observable by everyone.
    pub fn availability(&self) -> &'a [u16] {
        self.read.availability()
    }
    /// Defences of assets the team's organisations own.
    pub fn defences(&self, asset: AssetIdx) -> Option<&'a Defences> {
        let owner = self.read.scenario().assets.get(asset as usize)?.owner;
        self.is_mine(owner).then(|| self.read.defences(asset))
    }
    pub fn knowledge(&self, org: OrgIdx) -> Option<&'a Facts> {
        self.is_mine(org).then(|| self.read.knowledge(org))
    }
    /// Compromises any of the team's organisations knows of, deduplicated.
    pub fn known_compromises(&self) -> Vec<KnownCompromise> {
        let mut all = Facts::default();
        for &o in self.orgs {
            all.merge_compromises(self.read.knowledge(o));
        }
        all.compromises
    }
    /// Everything the team knows, merged.
    pub fn team_facts(&self) -> Facts {
        let mut all = Facts::default();
        for &o in self.orgs {
            all.merge(self.read.knowledge(o));
        }
        all
    }
    pub fn public_trust(&self) -> u16 {
        self.read.politics().public_trust
    }
    pub fn alliance_trust(&self) -> u16 {
        self.read.politics().alliance_trust
    }
    pub fn alert_level(&self) -> u8 {
        self.read.politics().alert_level
    }
    pub fn article5_open(&self) -> bool {
        self.read.politics().article5_turn.is_some()
    }
    pub fn liaison(&self) -> bool {
        self.read.politics().liaison
    }
    /// Criticality-weighted service loss, permille: outages are public.
    pub fn impact(&self) -> u16 {
        self.read.metrics().impact
    }
    pub fn statement_made(&self) -> bool {
        self.read.politics().first_statement.is_some()
    }
    /// Whether anyone has publicly attributed this attacker yet.
    pub fn attributed(&self, attacker: AttackerIdx) -> bool {
        self.read
            .politics()
            .attributions
            .iter()
            .any(|a| a.0 == attacker)
    }
    pub fn score(&self) -> u32 {
        self.read.objectives().score
    }
    pub fn trust(&self, from: OrgIdx, to: OrgIdx) -> Option<u16> {
        self.trust_map(from).map(|m| m.get(to))
    }
    /// An organisation of the team's trust in every other.
    pub fn trust_map(&self, from: OrgIdx) -> Option<&'a crate::scenario::model::TrustMap> {
        self.is_mine(from).then(|| self.read.trust(from))
    }
    /// Checks a decision as the team would submit it: the organisation must
    /// be the team's own.
    pub fn check(&self, d: &Decision, queued_staff: u32) -> Result<(), Refusal> {
        if !self.is_mine(d.org) {
            return Err(Refusal::NotYourOrganisation);
        }
        decision::check(
            &WorldCheck::new_from(std::borrow::Cow::Borrowed(&self.read)),
            d,
            queued_staff,
        )
    }
    pub fn staff_cost(&self, d: &Decision) -> u32 {
        decision::staff_cost(self.read.scenario(), d)
    }
    /// Whether the team has evidence on an attacker (for attribution).
    pub fn has_evidence(&self, org: OrgIdx, attacker: AttackerIdx) -> bool {
        self.is_mine(org)
            && WorldCheck::new_from(std::borrow::Cow::Borrowed(&self.read))
                .has_evidence(org, attacker)
    }
}
