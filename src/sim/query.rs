//! Read-only access to the world for checks, views and policies, so
//! nothing outside the sim touches the ECS directly.

use std::borrow::Cow;
use std::cell::OnceCell;

use bevy_ecs::prelude::*;

use crate::scenario::model::{AssetIdx, AttackerIdx, OrgIdx, Scenario};

use super::components::*;
use super::decision::{CheckState, Decision};
use super::knowledge::Facts;
use super::resources::*;

/// Typed getters over a `&World`. The setting (rules, index and clock) is
/// looked up when the reader is made; every other resource on first use
/// and then kept, since policies and checks ask many small questions per
/// turn and most turns need only a few of them.
#[derive(Clone)]
pub struct SimRead<'w> {
    world: &'w World,
    index: &'w Index,
    scenario: &'w Scenario,
    clock: &'w Clock,
    politics: OnceCell<&'w Politics>,
    agenda: OnceCell<&'w super::agenda::Agenda>,
    availability: OnceCell<&'w AvailabilityMap>,
    metrics: OnceCell<&'w Metrics>,
    objectives: OnceCell<&'w Objectives>,
    access: OnceCell<&'w Access>,
    assistance_sent: OnceCell<&'w AssistanceSent>,
}

impl<'w> SimRead<'w> {
    pub fn new(world: &'w World) -> Self {
        let setting = world.resource::<Setting>();
        SimRead {
            world,
            index: &setting.index,
            scenario: &setting.rules,
            clock: &setting.clock,
            politics: OnceCell::new(),
            agenda: OnceCell::new(),
            availability: OnceCell::new(),
            metrics: OnceCell::new(),
            objectives: OnceCell::new(),
            access: OnceCell::new(),
            assistance_sent: OnceCell::new(),
        }
    }

    fn cached<T: Resource>(&self, cell: &OnceCell<&'w T>) -> &'w T {
        cell.get_or_init(|| self.world.resource::<T>())
    }

    pub fn scenario(&self) -> &'w Scenario {
        self.scenario
    }

    /// The next turn to resolve.
    pub fn turn(&self) -> u32 {
        self.clock.turn
    }
    pub fn seed(&self) -> u64 {
        self.clock.seed
    }

    fn component<T: Component>(&self, e: Entity) -> &'w T {
        // Every entity in the index is spawned with all of its kind's
        // components and none are ever removed.
        match self.world.get::<T>(e) {
            Some(c) => c,
            None => unreachable!("entity spawned without a component of its kind"),
        }
    }

    pub fn health(&self, asset: AssetIdx) -> &'w Health {
        self.component(self.index.assets[asset as usize])
    }
    pub fn defences(&self, asset: AssetIdx) -> &'w Defences {
        self.component(self.index.assets[asset as usize])
    }
    pub fn records(&self, asset: AssetIdx) -> &'w Records {
        self.component(self.index.assets[asset as usize])
    }
    pub fn availability(&self) -> &'w [u16] {
        &self.cached(&self.availability).0
    }
    pub fn staff(&self, org: OrgIdx) -> &'w Staff {
        self.component(self.index.orgs[org as usize])
    }
    pub fn trust(&self, org: OrgIdx) -> &'w crate::scenario::model::TrustMap {
        &self.component::<Trust>(self.index.orgs[org as usize]).0
    }
    pub fn knowledge(&self, org: OrgIdx) -> &'w Facts {
        &self.component::<Knowledge>(self.index.orgs[org as usize]).0
    }
    pub fn campaign(&self, attacker: AttackerIdx) -> &'w Campaign {
        self.component(self.index.attackers[attacker as usize])
    }
    pub fn politics(&self) -> &'w Politics {
        self.cached(&self.politics)
    }
    pub fn metrics(&self) -> &'w Metrics {
        self.cached(&self.metrics)
    }
    pub fn objectives(&self) -> &'w Objectives {
        self.cached(&self.objectives)
    }
    pub fn ownership(&self) -> &'w Ownership {
        &self.cached(&self.access).ownership
    }
    /// The team's assets an incident responder may act on (`None` for an
    /// organisation that is not one).
    pub fn actionable(&self, org: OrgIdx) -> Option<&'w [AssetIdx]> {
        self.cached(&self.access)
            .actionable
            .0
            .get(org as usize)
            .and_then(|a| a.as_deref())
    }
    pub fn injects_fired(&self) -> &'w [Option<u32>] {
        &self.world.resource::<InjectsFired>().0
    }
    pub fn injects_held(&self) -> &'w [bool] {
        &self.world.resource::<InjectsHeld>().0
    }

    /// Every compromise, in stable order (ground truth).
    pub fn compromises(&self) -> Vec<Compromise> {
        let Some(mut state) = self.world.try_query::<(&StableId, &Compromise)>() else {
            return Vec::new();
        };
        let mut all: Vec<(StableId, Compromise)> = state
            .iter(self.world)
            .map(|(id, c)| (*id, c.clone()))
            .collect();
        all.sort_by_key(|(id, _)| *id);
        all.into_iter().map(|(_, c)| c).collect()
    }
}

/// The simulation's answer to the questions `decision::check` asks, as
/// the decisions already started this turn leave it (see [`start`]).
///
/// [`start`]: WorldCheck::start
pub struct WorldCheck<'r, 'w> {
    /// Borrowed when a lens checks: the resources it has looked up stay
    /// looked up for every check it makes.
    read: Cow<'r, SimRead<'w>>,
    /// Staff held by decisions started through this check, by organisation.
    held: Vec<u32>,
    started: crate::sim::decision_set::DecisionSet,
}

impl<'r, 'w> WorldCheck<'r, 'w> {
    pub fn new(world: &'w World) -> Self {
        WorldCheck::new_from(Cow::Owned(SimRead::new(world)))
    }
    pub fn new_from(read: Cow<'r, SimRead<'w>>) -> Self {
        WorldCheck {
            read,
            held: Vec::new(),
            started: Default::default(),
        }
    }
    /// Counts a decision as started: its staff held and its action running
    /// for the checks that follow, before the world itself is changed.
    pub fn start(&mut self, decision: &Decision, staff: u32) {
        let org = decision.org as usize;
        if self.held.len() <= org {
            // Sized once for every organisation, not grown one at a time.
            let orgs = self.read.scenario.organisations.len();
            self.held.resize(orgs.max(org + 1), 0);
        }
        self.held[org] += staff;
        self.started.insert(decision.clone());
    }
}

impl CheckState for WorldCheck<'_, '_> {
    fn scenario(&self) -> &Scenario {
        self.read.scenario
    }
    fn staff_available(&self, org: OrgIdx) -> u32 {
        let held = self.held.get(org as usize).copied().unwrap_or(0);
        self.read.staff(org).available().saturating_sub(held)
    }
    fn trust(&self, from: OrgIdx, to: OrgIdx) -> u16 {
        crate::sim::phases::intel::trust(
            self.read.scenario,
            self.read.politics().liaison,
            self.read.trust(from),
            from,
            to,
        )
    }
    fn trust_in(&self, from: OrgIdx, to: &[OrgIdx]) -> Vec<u16> {
        let map = self.read.trust(from);
        let liaison = self.read.politics().liaison;
        to.iter()
            .map(|&t| crate::sim::phases::intel::trust(self.read.scenario, liaison, map, from, t))
            .collect()
    }
    fn knows_attacker(&self, org: OrgIdx, attacker: AttackerIdx) -> bool {
        self.read.knowledge(org).knows_attacker(attacker)
    }
    fn has_evidence(&self, org: OrgIdx, attacker: AttackerIdx) -> bool {
        self.read
            .knowledge(org)
            .leads
            .iter()
            .any(|l| l.attacker == attacker)
    }
    fn monitoring(&self, asset: AssetIdx) -> u16 {
        self.read.defences(asset).monitoring
    }
    fn isolated(&self, asset: AssetIdx) -> bool {
        self.read.defences(asset).isolated
    }
    fn backups_intact(&self, asset: AssetIdx) -> bool {
        self.read.defences(asset).backups_intact
    }
    fn unpatched(&self, asset: AssetIdx) -> bool {
        let patched = self.read.defences(asset).patched;
        self.read.scenario.assets[asset as usize]
            .vulnerabilities
            .iter()
            .enumerate()
            .any(|(i, v)| v.patchable && i < 64 && patched & (1 << i) == 0)
    }
    fn in_progress(&self, decision: &Decision) -> bool {
        self.started.contains(decision) || self.read.cached(&self.read.agenda).in_progress(decision)
    }
    fn alert_level(&self) -> u8 {
        self.read.politics().alert_level
    }
    fn article5_open(&self) -> bool {
        self.read.politics().article5_turn.is_some()
    }
    fn liaison_active(&self) -> bool {
        self.read.politics().liaison
    }
    fn attacker_infrastructure(&self, attacker: AttackerIdx) -> u32 {
        self.read.campaign(attacker).infrastructure
    }
    fn response_access(&self, responder: OrgIdx, owner: OrgIdx) -> bool {
        self.read
            .cached(&self.read.access)
            .response
            .has(responder, owner)
    }
    fn assistance_sent(&self, lender: OrgIdx, borrower: OrgIdx) -> bool {
        self.read
            .cached(&self.read.assistance_sent)
            .0
            .has(lender, borrower)
    }
}
