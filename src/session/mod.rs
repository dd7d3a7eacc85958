//! A session: the turn loop around the simulation. It gathers each team's
//! decisions (from people or policies), steps the world, keeps the log,
//! rewinds and branches. People reach it only through the table
//! (`table.rs`), which builds each seat's view (`view.rs`). No terminal, no
//! files of its own.

pub mod debrief;
pub mod i18n;
pub mod log;
pub mod narrator;
pub mod replay;
pub mod table;
pub mod view;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::policy::PolicyKind;
use crate::scenario::Scenario;
use crate::scenario::load::Loaded;
use crate::scenario::model::TeamIdx;
use crate::sim::decision::Decision;
use crate::sim::overrides::Override;
use crate::sim::resources::TurnInput;
use crate::sim::rng::{SimRng, Stream};
use crate::sim::{Sim, TurnOutcome};

use crate::perspective::TeamLens;
use log::{Branch, LoggedFile, SessionLog, TeamAssignment, TurnRecord};

/// Who plays a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Controller {
    Human,
    Policy(PolicyKind),
}

impl fmt::Display for Controller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Controller::Human => f.write_str("human"),
            Controller::Policy(p) => p.fmt(f),
        }
    }
}

impl FromStr for Controller {
    type Err = crate::policy::UnknownPolicy;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "human" {
            Ok(Controller::Human)
        } else {
            s.parse().map(Controller::Policy)
        }
    }
}

pub struct Session {
    sim: Sim,
    log: SessionLog,
    controllers: Vec<Controller>,
    /// Chain value after the last turn played.
    chain: u64,
    /// [`log::branches_hash`] of the log's branches, kept as they change.
    branches_hash: u64,
    /// Whether to hash every turn (a log is kept) or only on demand.
    hash_every_turn: bool,
    /// What each turn played produced, for timelines and reports.
    history: Vec<TurnOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error("the scenario has no team '{0}'")]
    UnknownTeam(String),
    #[error("cannot rewind to turn {to}: {played} turns have been played")]
    BadRewind { to: u32, played: u32 },
    #[error("the scenario has ended")]
    Ended,
    #[error("there is no branch {0}")]
    NoSuchBranch(usize),
    #[error("branch {0} grew from another line of play than the current one")]
    BranchElsewhere(usize),
    #[error("this session keeps no hash chain, so a branch's line cannot be checked")]
    NoChain,
    #[error("the session has already started: its header can no longer change")]
    AlreadyStarted,
}

impl Session {
    /// A new session; `controllers` holds one entry per team, in team order.
    pub fn new(
        loaded: &Loaded,
        seed: u64,
        controllers: Vec<Controller>,
        hash_every_turn: bool,
    ) -> Session {
        Session::start(None, loaded, seed, controllers, hash_every_turn)
    }

    /// A new session built in a finished one's simulation (see
    /// [`Sim::recycle`]): the same session `new` would give, sooner.
    pub fn recycle(
        self,
        loaded: &Loaded,
        seed: u64,
        controllers: Vec<Controller>,
        hash_every_turn: bool,
    ) -> Session {
        Session::start(Some(self), loaded, seed, controllers, hash_every_turn)
    }

    fn start(
        previous: Option<Session>,
        loaded: &Loaded,
        seed: u64,
        controllers: Vec<Controller>,
        hash_every_turn: bool,
    ) -> Session {
        let scenario = loaded.scenario.clone();
        let mut log = SessionLog {
            format: log::LOG_FORMAT,
            engine: log::ENGINE_VERSION.to_string(),
            scenario: scenario.id.clone(),
            files: loaded
                .files
                .iter()
                .map(|f| LoggedFile {
                    path: f.path.clone(),
                    text: f.text.clone(),
                })
                .collect(),
            source_hash: log::hex(loaded.source_hash),
            seed,
            parameters: loaded.parameters.clone(),
            lang: None,
            teams: scenario
                .teams
                .iter()
                .zip(&controllers)
                .map(|(t, c)| TeamAssignment {
                    team: t.id.clone(),
                    controller: c.to_string(),
                })
                .collect(),
            header_hash: String::new(),
            turns: Vec::new(),
            branches: Vec::new(),
            notes: Vec::new(),
            end: log::LogEnd::default(),
        };
        let chain = log::header_hash(&log, loaded.source_hash);
        log.header_hash = log::hex(chain);
        let mut session = Session {
            sim: match previous {
                Some(old) => old.sim.recycle(scenario, seed),
                None => Sim::new(scenario, seed),
            },
            chain,
            branches_hash: log::branches_hash(&log.branches),
            log,
            controllers,
            hash_every_turn,
            history: Vec::new(),
        };
        session.seal();
        session
    }

    /// Brings the log's end record up to date with the turns and branches.
    /// Only a session that hashes every turn keeps a chain to seal.
    fn seal(&mut self) {
        if self.hash_every_turn {
            let turns = self.log.turns.len() as u32;
            self.log.end = log::LogEnd {
                turns,
                hash: log::hex(log::end_hash(
                    self.chain,
                    turns,
                    self.branches_hash,
                    &self.log.notes,
                )),
            };
        }
    }

    /// Records the language the session is played in. Part of the header,
    /// so only before the first turn: the chain starts again from it.
    pub fn set_language(&mut self, lang: &str) -> Result<(), SessionError> {
        if !self.log.turns.is_empty() || !self.log.branches.is_empty() {
            return Err(SessionError::AlreadyStarted);
        }
        let Some(source_hash) = log::parse_hex(&self.log.source_hash) else {
            return Err(SessionError::AlreadyStarted);
        };
        self.log.lang = Some(lang.to_string());
        self.chain = log::header_hash(&self.log, source_hash);
        self.log.header_hash = log::hex(self.chain);
        self.seal();
        Ok(())
    }

    /// Keeps a facilitator's note, taken at wall-clock time `at` (the
    /// caller's clock: the session reads none), against the turn being
    /// decided. Notes change nothing in the simulation.
    pub fn add_note(&mut self, at: String, text: String) {
        self.log.notes.push(log::FacilitatorNote {
            turn: self.turn(),
            at,
            text,
        });
        self.seal();
    }

    /// Controllers for every team: `overrides` are (team id, controller)
    /// pairs; the rest get `default`.
    pub fn controllers_for(
        scenario: &Scenario,
        overrides: &[(String, Controller)],
        default: Controller,
    ) -> Result<Vec<Controller>, SessionError> {
        for (id, _) in overrides {
            if scenario.team_index(id).is_none() {
                return Err(SessionError::UnknownTeam(id.clone()));
            }
        }
        Ok(scenario
            .teams
            .iter()
            .map(|t| {
                overrides
                    .iter()
                    .rev()
                    .find(|(id, _)| *id == t.id)
                    .map_or(default, |(_, c)| *c)
            })
            .collect())
    }

    pub fn sim(&self) -> &Sim {
        &self.sim
    }
    pub fn scenario(&self) -> &Arc<Scenario> {
        self.sim.scenario()
    }
    pub fn log(&self) -> &SessionLog {
        &self.log
    }
    pub fn controllers(&self) -> &[Controller] {
        &self.controllers
    }
    pub fn turn(&self) -> u32 {
        self.sim.turn()
    }
    pub fn ended(&self) -> bool {
        self.sim.ended()
    }
    /// The team's window onto the world, as its policy sees it.
    pub fn lens(&self, team: TeamIdx) -> TeamLens<'_> {
        TeamLens::new(&self.sim, team)
    }
    /// Every turn played so far, in order, with its events (kept when the
    /// session hashes every turn, as interactive and logged ones do).
    pub fn history(&self) -> &[TurnOutcome] {
        &self.history
    }

    /// The chained hash after the last turn played (only kept when every
    /// turn is hashed).
    pub fn chain_hash(&self) -> u64 {
        self.chain
    }

    /// The simulation's own state hash now.
    pub fn state_hash(&mut self) -> u64 {
        self.sim.state_hash()
    }

    /// What the computer-played teams decide this turn, in team order.
    pub fn policy_decisions(&self) -> Vec<Decision> {
        let mut all = Vec::new();
        // One reader serves every team, and none is made when no policy
        // decides anything: its lookups are most of a quiet team's turn.
        let mut read = None;
        for (t, c) in self.controllers.iter().enumerate() {
            match c {
                Controller::Policy(PolicyKind::Idle) | Controller::Human => {}
                Controller::Policy(p) => {
                    let read = read.get_or_insert_with(|| self.sim.read());
                    let decided = Self::decide(read.clone(), t as TeamIdx, *p);
                    if all.is_empty() {
                        all = decided;
                    } else {
                        all.extend(decided);
                    }
                }
            }
        }
        all
    }

    /// What `policy` decides for `team` this turn, from the random stream
    /// a policy playing that team would draw on.
    pub fn policy_decisions_for(&self, team: TeamIdx, policy: PolicyKind) -> Vec<Decision> {
        Self::decide(self.sim.read(), team, policy)
    }

    fn decide(
        read: crate::sim::query::SimRead<'_>,
        team: TeamIdx,
        policy: PolicyKind,
    ) -> Vec<Decision> {
        let (seed, turn) = (read.seed(), read.turn());
        let lens = TeamLens::from_read(read, team);
        policy.decide(&lens, || SimRng::new(seed, turn, Stream::Policy(team)))
    }

    /// Plays one turn: the humans' decisions (already ordered by team),
    /// then the policies', then the world moves.
    pub fn play_turn(
        &mut self,
        human: Vec<Decision>,
        overrides: Vec<Override>,
    ) -> Result<TurnOutcome, SessionError> {
        if self.ended() {
            return Err(SessionError::Ended);
        }
        let mut decisions = human;
        decisions.extend(self.policy_decisions());
        Ok(self.apply_turn(decisions, overrides))
    }

    /// Steps the world with exactly these inputs and logs them.
    fn apply_turn(&mut self, decisions: Vec<Decision>, overrides: Vec<Override>) -> TurnOutcome {
        let outcome = self.sim.step(
            TurnInput {
                decisions: decisions.clone(),
                overrides: overrides.clone(),
            },
            self.hash_every_turn,
        );
        // Without a kept log the chain is skipped: hashing every turn is
        // the costliest part of a large world's turn.
        let state_hash = match outcome.state_hash {
            Some(state) => {
                self.chain = log::chain(self.chain, state, &decisions, &overrides);
                log::hex(self.chain)
            }
            None => String::new(),
        };
        self.log.turns.push(TurnRecord {
            turn: outcome.turn,
            decisions,
            overrides,
            state_hash,
        });
        // Interactive and logged sessions keep every turn's events; headless
        // sweeps do not pay for it.
        if self.hash_every_turn {
            self.history.push(outcome.clone());
        }
        self.seal();
        outcome
    }

    /// Plays computer-only turns until the scenario ends or `max_turns`
    /// more have been played.
    pub fn run(&mut self, max_turns: u32, mut each: impl FnMut(&TurnOutcome)) {
        for _ in 0..max_turns {
            if self.ended() {
                break;
            }
            let decisions = self.policy_decisions();
            let outcome = self.apply_turn(decisions, Vec::new());
            each(&outcome);
        }
    }

    /// Plays exactly `turns` turns, past the scenario's own end if asked.
    pub fn run_exactly(&mut self, turns: u32, mut each: impl FnMut(&TurnOutcome)) {
        for _ in 0..turns {
            let decisions = self.policy_decisions();
            let outcome = self.apply_turn(decisions, Vec::new());
            each(&outcome);
        }
    }

    /// Rewinds to the state after `to` turns (0 = the start) by replaying
    /// the log; the abandoned turns are kept as a branch in the log, with
    /// the reason given.
    pub fn rewind(&mut self, to: u32, reason: &str) -> Result<(), SessionError> {
        let played = self.log.turns.len() as u32;
        if to > played {
            return Err(SessionError::BadRewind { to, played });
        }
        let base = self.chain_at(to);
        let abandoned = self.log.turns.split_off(to as usize);
        let kept = std::mem::take(&mut self.log.turns);
        self.sim = Sim::new(self.sim.scenario().clone(), self.log.seed);
        self.chain = log::parse_hex(&self.log.header_hash).unwrap_or(0);
        self.history.clear();
        for record in kept {
            self.apply_turn(record.decisions, record.overrides);
        }
        if !abandoned.is_empty() {
            self.log.branches.push(Branch {
                rewound_to: to,
                reason: reason.to_string(),
                base,
                abandoned,
            });
            self.branches_hash = log::branches_hash(&self.log.branches);
        }
        self.seal();
        Ok(())
    }

    /// The chain value after `turns` turns of the current line, hex.
    fn chain_at(&self, turns: u32) -> String {
        match turns.checked_sub(1) {
            None => self.log.header_hash.clone(),
            Some(i) => self
                .log
                .turns
                .get(i as usize)
                .map_or_else(String::new, |t| t.state_hash.clone()),
        }
    }

    /// Returns to abandoned branch `index`: rewinds to where it left off
    /// (keeping the current line as a new branch) and replays its turns.
    /// Only a branch that grew from the current line can be taken back; the
    /// chain value where it forked says which line that was. Returns the
    /// number of turns now played.
    pub fn switch_branch(&mut self, index: usize, reason: &str) -> Result<u32, SessionError> {
        let Some(branch) = self.log.branches.get(index).cloned() else {
            return Err(SessionError::NoSuchBranch(index));
        };
        if !self.hash_every_turn {
            return Err(SessionError::NoChain);
        }
        if branch.rewound_to > self.log.turns.len() as u32
            || self.chain_at(branch.rewound_to) != branch.base
        {
            return Err(SessionError::BranchElsewhere(index));
        }
        self.rewind(branch.rewound_to, reason)?;
        // The rewind appended the current line, so `index` still names it.
        self.log.branches.remove(index);
        self.branches_hash = log::branches_hash(&self.log.branches);
        for record in branch.abandoned {
            self.apply_turn(record.decisions, record.overrides);
        }
        self.seal();
        Ok(self.log.turns.len() as u32)
    }

    /// Resumes from a log: rebuilds the world turn by turn, checking every
    /// hash, then carries on with the log's controllers.
    pub fn resume(log: SessionLog) -> Result<Session, replay::ReplayError> {
        let (session, _) = replay::replay(&log, None)?;
        Ok(session)
    }

    pub(crate) fn from_parts(
        sim: Sim,
        log: SessionLog,
        controllers: Vec<Controller>,
        chain: u64,
    ) -> Session {
        Session {
            sim,
            branches_hash: log::branches_hash(&log.branches),
            log,
            controllers,
            chain,
            hash_every_turn: true,
            history: Vec::new(),
        }
    }

    pub(crate) fn replay_turn(
        &mut self,
        decisions: Vec<Decision>,
        overrides: Vec<Override>,
    ) -> TurnOutcome {
        self.apply_turn(decisions, overrides)
    }
}
