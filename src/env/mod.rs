//! Learning environments: a session seen by agents that each play a team,
//! one decision (or "end turn") per step, with fixed-size observations and
//! action masks. The Python package (`python/`) wraps these as PettingZoo
//! and Gymnasium environments; the stepping itself stays in Rust, so a
//! batch of environments steps without a Python loop.
//!
//! Everything an agent observes comes from its team's `TeamLens` and the
//! public picture: no ground truth. The encoding is documented feature by
//! feature on [`Encoding`] and in `docs/python.md`.

use crate::perspective::TeamLens;
use crate::policy::PolicyKind;
use crate::scenario::load::Loaded;
use crate::scenario::model::{AttackerIdx, OrgIdx, TeamIdx};
use crate::session::table::{Command, Seat, Table};
use crate::session::view::{Offer, decision_catalogue};
use crate::session::{Controller, Session};
use crate::sim::decision::Decision;
use crate::sim::resources::ObjectiveStatus;

/// What a step is rewarded with, for every agent alike (the teams are
/// allies against the attackers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reward {
    /// The change in score over the step, in hundredths of the maximum.
    Score,
    /// Each objective settled in the step: +weight if met, −weight if failed.
    Objectives,
}

impl std::str::FromStr for Reward {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "score" => Ok(Reward::Score),
            "objectives" => Ok(Reward::Objectives),
            _ => Err(format!("no reward '{s}': score or objectives")),
        }
    }
}

/// How an environment is set up.
#[derive(Debug, Clone)]
pub struct EnvConfig {
    /// Teams played by agents, by id; the others are played by `opponents`.
    pub agents: Vec<String>,
    pub opponents: PolicyKind,
    /// Decisions an agent may queue in one turn before its turn is ended
    /// for it, so an episode always ends.
    pub max_decisions_per_turn: u32,
    pub reward: Reward,
}

/// The observation of one team, feature by feature. All values are in
/// [0, 1] except where said.
///
/// | features | count | value |
/// |---|---|---|
/// | turn / turn limit, score / 100, public trust, alliance trust (per mille / 1000), alert level / 5, Article 5 consulted, liaison open, public statement made | 8 | |
/// | per asset: availability (‰ / 1000), an intrusion the team knows of, the team's monitoring (‰ / 1000; 0 for others' assets) | 3 × assets | |
/// | per organisation of the team: staff free / capacity, staff promised this turn / capacity | 2 × the team's organisations | |
/// | per attacker: the team holds its indicators or a lead, publicly attributed | 2 × attackers | |
/// | per objective: met, failed | 2 × objectives | |
/// | the team has ended its turn, decisions queued / the per-turn cap | 2 | |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoding {
    pub assets: usize,
    pub team_orgs: usize,
    pub attackers: usize,
    pub objectives: usize,
}

impl Encoding {
    pub const GLOBAL: usize = 8;
    pub const SELF: usize = 2;

    pub fn len(&self) -> usize {
        Self::GLOBAL
            + 3 * self.assets
            + 2 * self.team_orgs
            + 2 * self.attackers
            + 2 * self.objectives
            + Self::SELF
    }

    pub fn is_empty(&self) -> bool {
        false
    }
}

/// One agent's side of the environment.
struct Agent {
    team: TeamIdx,
    /// Every decision the team could take; action `i` is `catalogue[i]`,
    /// and the last action (`catalogue.len()`) ends the turn.
    catalogue: Vec<Decision>,
    orgs: Vec<OrgIdx>,
    /// Per action: which of `orgs` decides it, and its staff cost.
    org_slot: Vec<usize>,
    cost: Vec<u32>,
    /// Per action, for the turn being decided: offered, and passing every
    /// check but the staff already promised. The world stands still until
    /// the turn resolves, so this is worked out once a turn; a step only
    /// compares costs with the staff left.
    open: Vec<bool>,
    /// Per action: queued this turn.
    queued: Vec<bool>,
    /// Per action: allowed now (the mask, less "end turn").
    allowed: Vec<u8>,
    /// Per organisation of `orgs`: its actions.
    actions_of: Vec<Vec<usize>>,
    /// The observation at the turn's opening, less the agent's progress.
    seen: Vec<f32>,
    queued_this_turn: u32,
}

/// What one step gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub rewards: Vec<f32>,
    /// The scenario has ended.
    pub terminated: bool,
    /// A turn was resolved in this step.
    pub resolved: bool,
    /// Actions that were not allowed (masked) and so were taken as "end turn".
    pub refused: u32,
}

pub struct Env {
    loaded: Loaded,
    config: EnvConfig,
    table: Table,
    agents: Vec<Agent>,
    encoding: Encoding,
}

impl Env {
    /// A new environment at turn 1 of a session with `seed`.
    pub fn new(loaded: Loaded, config: EnvConfig, seed: u64) -> Result<Env, String> {
        let scenario = &loaded.scenario;
        let mut teams = Vec::new();
        for id in &config.agents {
            let t = scenario
                .teams
                .iter()
                .position(|t| &t.id == id)
                .ok_or_else(|| {
                    let ids: Vec<&str> = scenario.teams.iter().map(|t| t.id.as_str()).collect();
                    format!(
                        "the scenario has no team '{id}'; its teams are {}",
                        ids.join(", ")
                    )
                })?;
            if teams.contains(&(t as TeamIdx)) {
                return Err(format!("team '{id}' is named twice"));
            }
            teams.push(t as TeamIdx);
        }
        if teams.is_empty() {
            return Err("an environment needs at least one agent".into());
        }
        let table = Table::new(Self::new_session(&loaded, &config, &teams, seed));
        let agents = teams
            .iter()
            .map(|&team| {
                let lens = TeamLens::new(table.session().sim(), team);
                let catalogue = decision_catalogue(&lens);
                let orgs = lens.my_orgs().to_vec();
                let org_slot: Vec<usize> = catalogue
                    .iter()
                    .map(|d| orgs.iter().position(|&o| o == d.org).unwrap_or(0))
                    .collect();
                let cost = catalogue.iter().map(|d| lens.staff_cost(d)).collect();
                let mut actions_of = vec![Vec::new(); orgs.len()];
                for (i, &slot) in org_slot.iter().enumerate() {
                    actions_of[slot].push(i);
                }
                Agent {
                    team,
                    seen: Vec::new(),
                    allowed: vec![0; catalogue.len()],
                    actions_of,
                    open: vec![false; catalogue.len()],
                    queued: vec![false; catalogue.len()],
                    catalogue,
                    orgs,
                    org_slot,
                    cost,
                    queued_this_turn: 0,
                }
            })
            .collect::<Vec<_>>();
        let encoding = Encoding {
            assets: scenario.assets.len(),
            team_orgs: agents.iter().map(|a| a.orgs.len()).max().unwrap_or(0),
            attackers: scenario.attackers.len(),
            objectives: scenario.objectives.len(),
        };
        let mut agents = agents;
        for a in &mut agents {
            a.seen = vec![0.0; encoding.len()];
        }
        let mut env = Env {
            loaded,
            config,
            table,
            agents,
            encoding,
        };
        env.open_turn();
        Ok(env)
    }

    /// Works out which actions the turn now open offers each agent.
    fn open_turn(&mut self) {
        let mut seen = vec![0.0; self.encoding.len()];
        for i in 0..self.agents.len() {
            self.encode_world(&self.agents[i], &mut seen);
            self.agents[i].seen.copy_from_slice(&seen);
        }
        let sim = self.table.session().sim();
        for a in &mut self.agents {
            let lens = TeamLens::new(sim, a.team);
            let offer = Offer::new(&lens);
            let available: Vec<u32> = a
                .orgs
                .iter()
                .map(|&o| lens.staff(o).map_or(0, |s| s.available()))
                .collect();
            for (i, d) in a.catalogue.iter().enumerate() {
                // Staff is the check's last test: a decision the organisation
                // cannot staff is refused whatever the others say.
                let staffed = a.cost[i] <= available[a.org_slot[i]];
                a.open[i] = staffed && offer.includes(d) && lens.check(d, 0).is_ok();
            }
            a.queued.iter_mut().for_each(|q| *q = false);
            a.queued_this_turn = 0;
        }
        let table = &self.table;
        for a in &mut self.agents {
            let slots = 0..a.orgs.len();
            Self::refresh_allowed(table, a, slots);
        }
    }

    fn new_session(loaded: &Loaded, config: &EnvConfig, teams: &[TeamIdx], seed: u64) -> Session {
        let controllers = (0..loaded.scenario.teams.len() as TeamIdx)
            .map(|t| {
                if teams.contains(&t) {
                    Controller::Human
                } else {
                    Controller::Policy(config.opponents)
                }
            })
            .collect();
        // Every turn hashed and logged, so a run can be saved and replayed.
        Session::new(loaded, seed, controllers, true)
    }

    /// Back to turn 1 with a new seed.
    pub fn reset(&mut self, seed: u64) {
        let teams: Vec<TeamIdx> = self.agents.iter().map(|a| a.team).collect();
        self.table = Table::new(Self::new_session(&self.loaded, &self.config, &teams, seed));
        self.open_turn();
    }

    pub fn encoding(&self) -> &Encoding {
        &self.encoding
    }
    pub fn agent_count(&self) -> usize {
        self.agents.len()
    }
    /// The team id each agent plays.
    pub fn agent_ids(&self) -> Vec<String> {
        self.agents
            .iter()
            .map(|a| self.loaded.scenario.teams[a.team as usize].id.clone())
            .collect()
    }
    /// Actions of agent `i`: its catalogue, then "end turn".
    pub fn action_count(&self, agent: usize) -> usize {
        self.agents.get(agent).map_or(1, |a| a.catalogue.len() + 1)
    }
    /// The decision action `action` of agent `i` stands for; `None` for
    /// "end turn".
    pub fn decision(&self, agent: usize, action: usize) -> Option<&Decision> {
        self.agents.get(agent)?.catalogue.get(action)
    }
    pub fn table(&self) -> &Table {
        &self.table
    }
    pub fn session(&self) -> &Session {
        self.table.session()
    }
    pub fn state_hash(&mut self) -> u64 {
        self.table.state_hash()
    }
    pub fn ended(&self) -> bool {
        self.table.session().ended()
    }

    /// Writes agent `i`'s observation into `out` (`encoding().len()` long).
    pub fn observe(&self, agent: usize, out: &mut [f32]) {
        out.iter_mut().for_each(|v| *v = 0.0);
        let Some(a) = self.agents.get(agent) else {
            return;
        };
        // The world stands still within a turn: start from the turn's
        // encoding and bring the agent's own progress up to date.
        let n = out.len().min(a.seen.len());
        out[..n].copy_from_slice(&a.seen[..n]);
        self.encode_progress(a, out);
    }

    /// The whole observation, worked out from the world: what `observe`
    /// gives, without the turn's cache.
    #[cfg(test)]
    fn encode(&self, agent: usize, out: &mut [f32]) {
        self.encode_world(&self.agents[agent], out);
        self.encode_progress(&self.agents[agent], out);
    }

    /// Every feature but those that change within a turn (staff promised,
    /// the agent's readiness and queue), which are left at 0.
    fn encode_world(&self, a: &Agent, out: &mut [f32]) {
        out.iter_mut().for_each(|v| *v = 0.0);
        let sim = self.table.session().sim();
        let lens = TeamLens::new(sim, a.team);
        let read = sim.read();
        let mut w = Writer { out, at: 0 };
        let permille = |v: u16| f32::from(v.min(1000)) / 1000.0;
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        w.push(lens.turn() as f32 / lens.turn_limit().max(1) as f32);
        w.push(lens.score().min(100) as f32 / 100.0);
        w.push(permille(lens.public_trust()));
        w.push(permille(lens.alliance_trust()));
        w.push(f32::from(lens.alert_level().min(5)) / 5.0);
        w.push(flag(lens.article5_open()));
        w.push(flag(lens.liaison()));
        w.push(flag(lens.statement_made()));
        let known = lens.known_compromises();
        for (i, &v) in lens.availability().iter().enumerate() {
            w.push(permille(v));
            w.push(flag(known.iter().any(|k| k.asset as usize == i)));
            w.push(
                lens.defences(i as _)
                    .map_or(0.0, |d| permille(d.monitoring)),
            );
        }
        for slot in 0..self.encoding.team_orgs {
            match a.orgs.get(slot).and_then(|&o| lens.staff(o)) {
                Some(staff) => {
                    w.push(staff.available() as f32 / staff.capacity.max(1) as f32);
                    w.push(0.0);
                }
                None => {
                    w.push(0.0);
                    w.push(0.0);
                }
            }
        }
        let facts = lens.team_facts();
        for attacker in 0..self.encoding.attackers as AttackerIdx {
            let evidence = facts.indicators.contains(&attacker)
                || facts.leads.iter().any(|l| l.attacker == attacker);
            w.push(flag(evidence));
            w.push(flag(lens.attributed(attacker)));
        }
        for status in &read.objectives().status {
            w.push(flag(*status == ObjectiveStatus::Met));
            w.push(flag(*status == ObjectiveStatus::Failed));
        }
    }

    /// The features that change within a turn: staff promised per
    /// organisation, whether the agent has ended its turn, its queue.
    fn encode_progress(&self, a: &Agent, out: &mut [f32]) {
        let lens = TeamLens::new(self.table.session().sim(), a.team);
        let promises = self.table.queue(a.team);
        let orgs_at = Encoding::GLOBAL + 3 * self.encoding.assets;
        for (slot, &org) in a.orgs.iter().enumerate() {
            if let (Some(staff), Some(v)) = (lens.staff(org), out.get_mut(orgs_at + 2 * slot + 1)) {
                *v = promises.map_or(0, |p| p.staff(org)) as f32 / staff.capacity.max(1) as f32;
            }
        }
        let mut w = Writer {
            at: self.encoding.len() - Encoding::SELF,
            out,
        };
        w.push(if self.table.ready(a.team) { 1.0 } else { 0.0 });
        w.push(a.queued_this_turn as f32 / self.config.max_decisions_per_turn.max(1) as f32);
    }

    /// Writes agent `i`'s action mask into `out` (`action_count(i)` long):
    /// 1 where the action may be taken now. "End turn" is always allowed;
    /// once the team has ended its turn it is the only action.
    pub fn mask(&self, agent: usize, out: &mut [u8]) {
        out.iter_mut().for_each(|v| *v = 0);
        let Some(a) = self.agents.get(agent) else {
            return;
        };
        if let Some(end) = out.get_mut(a.catalogue.len()) {
            *end = 1;
        }
        if self.table.ready(a.team)
            || self.ended()
            || a.queued_this_turn >= self.config.max_decisions_per_turn
        {
            return;
        }
        let n = a.allowed.len().min(out.len());
        out[..n].copy_from_slice(&a.allowed[..n]);
    }

    /// Works out again which of the actions of the organisations in
    /// `slots` (indices into the agent's `orgs`) are allowed: open this
    /// turn, not queued, and within the staff left.
    fn refresh_allowed(table: &Table, a: &mut Agent, slots: impl Iterator<Item = usize>) {
        let lens = TeamLens::new(table.session().sim(), a.team);
        let promises = table.queue(a.team);
        for slot in slots {
            let Some(&org) = a.orgs.get(slot) else {
                continue;
            };
            let available = lens.staff(org).map_or(0, |s| s.available());
            let spare = available.saturating_sub(promises.map_or(0, |p| p.staff(org)));
            for &i in &a.actions_of[slot] {
                let allowed = a.open[i] && !a.queued[i] && a.cost[i] <= spare;
                a.allowed[i] = u8::from(allowed);
            }
        }
    }

    /// Every agent acts once: queues the decision its action stands for, or
    /// ends its turn. The turn resolves once every agent has ended it.
    /// An action that is not allowed now ends the agent's turn instead.
    pub fn step(&mut self, actions: &[usize]) -> Step {
        let before = self.progress();
        let mut refused = 0;
        let mut resolved = false;
        for (i, &action) in actions.iter().enumerate().take(self.agents.len()) {
            let team = self.agents[i].team;
            if self.ended() || self.table.ready(team) {
                continue;
            }
            let decision = self.agents[i].catalogue.get(action).cloned();
            let capped = self.agents[i].queued_this_turn >= self.config.max_decisions_per_turn;
            let submitted = match decision {
                Some(d) if !capped => self
                    .table
                    .command(Seat::Team(team), Command::Submit(d))
                    .is_ok(),
                _ => false,
            };
            if submitted {
                let a = &mut self.agents[i];
                a.queued_this_turn += 1;
                a.queued[action] = true;
                // Only the deciding organisation's staff left has changed.
                let slot = a.org_slot[action];
                Self::refresh_allowed(&self.table, a, std::iter::once(slot));
                continue;
            }
            if action < self.agents[i].catalogue.len() {
                refused += 1;
            }
            if let Ok(notices) = self.table.command(Seat::Team(team), Command::EndTurn) {
                resolved |= notices
                    .iter()
                    .any(|n| matches!(n, crate::session::table::Notice::Resolved { .. }));
            }
        }
        if resolved {
            self.open_turn();
        }
        let reward = self.reward_since(&before);
        Step {
            rewards: vec![reward; self.agents.len()],
            terminated: self.ended(),
            resolved,
            refused,
        }
    }

    /// Score and objective statuses, to reward the change.
    fn progress(&self) -> (u32, Vec<ObjectiveStatus>) {
        let read = self.table.session().sim().read();
        let objectives = read.objectives();
        (objectives.score, objectives.status.clone())
    }

    fn reward_since(&self, before: &(u32, Vec<ObjectiveStatus>)) -> f32 {
        let now = self.progress();
        match self.config.reward {
            Reward::Score => (now.0 as f32 - before.0 as f32) / 100.0,
            Reward::Objectives => {
                let weights = self.loaded.scenario.objectives.iter().map(|o| o.weight);
                now.1
                    .iter()
                    .zip(&before.1)
                    .zip(weights)
                    .map(|((n, b), w)| match (b, n) {
                        (ObjectiveStatus::Pending, ObjectiveStatus::Met) => w as f32,
                        (ObjectiveStatus::Pending, ObjectiveStatus::Failed) => -(w as f32),
                        _ => 0.0,
                    })
                    .sum()
            }
        }
    }
}

struct Writer<'a> {
    out: &'a mut [f32],
    at: usize,
}

impl Writer<'_> {
    fn push(&mut self, v: f32) {
        if let Some(slot) = self.out.get_mut(self.at) {
            *slot = v;
        }
        self.at += 1;
    }
}

pub mod vector;

#[cfg(test)]
mod tests;
