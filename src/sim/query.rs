//! Read-only access to the world for checks, views and policies, so
//! nothing outside the sim touches the ECS directly.

use std::cell::OnceCell;

use bevy_ecs::prelude::*;

use crate::scenario::model::{AssetIdx, AttackerIdx, OrgIdx, Scenario};

use super::components::*;
use super::decision::{CheckState, Decision};
use super::knowledge::Facts;
use super::resources::*;

/// Typed getters over a `&World`. Resources are looked up once, on first
/// use: policies and checks ask many small questions per turn.
#[derive(Clone)]
pub struct SimRead<'w> {
    world: &'w World,
    index: &'w Index,
    scenario: &'w Scenario,
    politics: OnceCell<&'w Politics>,
    actions: OnceCell<&'w Actions>,
    ownership: OnceCell<&'w Ownership>,
    availability: OnceCell<&'w AvailabilityMap>,
}

impl<'w> SimRead<'w> {
    pub fn new(world: &'w World) -> Self {
        SimRead {
            world,
            index: world.resource::<Index>(),
            scenario: &world.resource::<Rules>().0,
            politics: OnceCell::new(),
            actions: OnceCell::new(),
            ownership: OnceCell::new(),
            availability: OnceCell::new(),
        }
    }

    pub fn scenario(&self) -> &'w Scenario {
        self.scenario
    }

    /// The next turn to resolve.
    pub fn turn(&self) -> u32 {
        self.world.resource::<Clock>().turn
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
        &self
            .availability
            .get_or_init(|| self.world.resource::<AvailabilityMap>())
            .0
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
        self.politics
            .get_or_init(|| self.world.resource::<Politics>())
    }
    pub fn metrics(&self) -> &'w Metrics {
        self.world.resource::<Metrics>()
    }
    pub fn objectives(&self) -> &'w Objectives {
        self.world.resource::<Objectives>()
    }
    pub fn actions(&self) -> &'w [ActionInProgress] {
        &self.actions_resource().running
    }
    fn actions_resource(&self) -> &'w Actions {
        self.actions
            .get_or_init(|| self.world.resource::<Actions>())
    }
    pub fn mailbox(&self) -> &'w [IntelMessage] {
        &self.world.resource::<Mailbox>().0
    }
    pub fn ownership(&self) -> &'w Ownership {
        self.ownership
            .get_or_init(|| self.world.resource::<Ownership>())
    }
    pub fn injects_fired(&self) -> &'w [Option<u32>] {
        &self.world.resource::<InjectsFired>().0
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

/// The simulation's answer to the questions `decision::check` asks.
pub struct WorldCheck<'w> {
    read: SimRead<'w>,
}

impl<'w> WorldCheck<'w> {
    pub fn new(world: &'w World) -> Self {
        WorldCheck {
            read: SimRead::new(world),
        }
    }
    pub fn new_from(read: SimRead<'w>) -> Self {
        WorldCheck { read }
    }
}

impl CheckState for WorldCheck<'_> {
    fn scenario(&self) -> &Scenario {
        self.read.scenario
    }
    fn staff_available(&self, org: OrgIdx) -> u32 {
        self.read.staff(org).available()
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
        self.read.actions_resource().contains(decision)
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
        let access = &self.read.world.resource::<ResponseAccess>().0;
        access.has(responder, owner)
    }
    fn assistance_sent(&self, lender: OrgIdx, borrower: OrgIdx) -> bool {
        let sent = &self.read.world.resource::<AssistanceSent>().0;
        sent.has(lender, borrower)
    }
}
