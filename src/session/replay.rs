//! Replay: rebuild a session from its log alone and check every turn's
//! chained hash. The first turn that differs is named.

use crate::scenario::diagnostics::ScenarioError;
use crate::scenario::load::{self, LoadOptions};
use crate::scenario::sources::MemorySources;
use crate::sim::Sim;

use super::log::{self, SessionLog};
use super::{Controller, Session};

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("log format {0} is not supported (this build reads format {f})", f = log::LOG_FORMAT)]
    Format(u32),
    #[error("the log holds no scenario files")]
    NoFiles,
    #[error("the scenario embedded in the log does not load")]
    Scenario(#[source] ScenarioError),
    #[error(
        "the embedded scenario files were changed: their hash is {actual}, the log says {recorded}"
    )]
    SourceHash { recorded: String, actual: String },
    #[error(
        "the header was changed (format, engine, scenario, seed, parameters or teams): its hash is {actual}, the log says {recorded}"
    )]
    Header { recorded: String, actual: String },
    #[error("the log ends after {recorded} turns but holds {found}: turns were removed or added")]
    TurnCount { recorded: u32, found: u32 },
    #[error(
        "the end of the log was changed (its branches or its seal): its hash is {actual}, the log says {recorded}"
    )]
    End { recorded: String, actual: String },
    #[error("the log names team '{0}', which the scenario does not have")]
    Team(String),
    #[error("team '{team}' has an unknown controller '{controller}'")]
    Controller { team: String, controller: String },
    #[error("turn record {index} says turn {found}, expected turn {expected}")]
    TurnNumber {
        index: usize,
        found: u32,
        expected: u32,
    },
    #[error("turn {turn}: {problem}")]
    BadInput { turn: u32, problem: String },
    #[error("turn {turn}: state hash differs: the log says {recorded}, the replay gives {actual}")]
    Mismatch {
        turn: u32,
        recorded: String,
        actual: String,
    },
}

impl ReplayError {
    /// The turn the problem is at, if it is about one turn.
    pub fn turn(&self) -> Option<u32> {
        match self {
            ReplayError::Mismatch { turn, .. } | ReplayError::BadInput { turn, .. } => Some(*turn),
            ReplayError::TurnNumber { expected, .. } => Some(*expected),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplaySummary {
    pub turns_checked: u32,
    pub final_hash: String,
    /// The engine version that wrote the log, when it is not this one: the
    /// contract promises identical hashes only for the same build.
    pub other_engine: Option<String>,
}

/// Rebuilds the session in `log` up to `until` turns (all if `None`),
/// checking each turn's hash.
pub fn replay(
    log: &SessionLog,
    until: Option<u32>,
) -> Result<(Session, ReplaySummary), ReplayError> {
    replay_observed(log, until, |_, _| {})
}

/// [`replay`], calling `observe` with the session after each turn has
/// been replayed (before its hash is checked), so a report can read the
/// world as it stood at the end of every turn.
pub fn replay_observed(
    log: &SessionLog,
    until: Option<u32>,
    mut observe: impl FnMut(&Session, &crate::sim::TurnOutcome),
) -> Result<(Session, ReplaySummary), ReplayError> {
    if log.format != log::LOG_FORMAT {
        return Err(ReplayError::Format(log.format));
    }
    let main = log.files.first().ok_or(ReplayError::NoFiles)?;
    let mut sources = MemorySources::new();
    for f in &log.files {
        sources = sources.with(f.path.clone(), &*f.text);
    }
    let loaded =
        load::load(&sources, &main.path, &LoadOptions::default()).map_err(ReplayError::Scenario)?;
    let actual = log::hex(load::source_hash(&log.source_files()));
    if actual != log.source_hash {
        return Err(ReplayError::SourceHash {
            recorded: log.source_hash.clone(),
            actual,
        });
    }
    let header = log::hex(log::header_hash(
        log,
        load::source_hash(&log.source_files()),
    ));
    if header != log.header_hash {
        return Err(ReplayError::Header {
            recorded: log.header_hash.clone(),
            actual: header,
        });
    }
    let loaded = crate::scenario::params::apply_all(&loaded, &log.parameters)
        .map_err(ReplayError::Scenario)?;
    let scenario = loaded.scenario.clone();
    let mut controllers = vec![Controller::Human; scenario.teams.len()];
    for t in &log.teams {
        let idx = scenario
            .team_index(&t.team)
            .ok_or_else(|| ReplayError::Team(t.team.clone()))?;
        controllers[idx as usize] = t.controller.parse().map_err(|_| ReplayError::Controller {
            team: t.team.clone(),
            controller: t.controller.clone(),
        })?;
    }
    let mut fresh = log.clone();
    fresh.turns.clear();
    let mut session = Session::from_parts(
        Sim::new(scenario.clone(), log.seed),
        fresh,
        controllers,
        log::parse_hex(&log.header_hash).unwrap_or(0),
    );
    let limit = until.unwrap_or(u32::MAX) as usize;
    for (index, record) in log.turns.iter().take(limit).enumerate() {
        let expected = index as u32 + 1;
        if record.turn != expected {
            return Err(ReplayError::TurnNumber {
                index,
                found: record.turn,
                expected,
            });
        }
        for o in &record.overrides {
            o.validate(&scenario)
                .map_err(|problem| ReplayError::BadInput {
                    turn: expected,
                    problem,
                })?;
        }
        let outcome = session.replay_turn(record.decisions.clone(), record.overrides.clone());
        observe(&session, &outcome);
        let actual = log::hex(session.chain_hash());
        if actual != record.state_hash {
            return Err(ReplayError::Mismatch {
                turn: expected,
                recorded: record.state_hash.clone(),
                actual,
            });
        }
    }
    if until.is_none_or(|n| n as usize >= log.turns.len()) {
        let found = log.turns.len() as u32;
        if log.end.turns != found {
            return Err(ReplayError::TurnCount {
                recorded: log.end.turns,
                found,
            });
        }
        let actual = log::hex(log::end_hash(
            session.chain_hash(),
            found,
            log::branches_hash(&log.branches),
            &log.notes,
        ));
        if actual != log.end.hash {
            return Err(ReplayError::End {
                recorded: log.end.hash.clone(),
                actual,
            });
        }
    }
    let summary = ReplaySummary {
        turns_checked: session.log().turns.len() as u32,
        final_hash: log::hex(session.chain_hash()),
        other_engine: (log.engine != log::ENGINE_VERSION).then(|| log.engine.clone()),
    };
    Ok((session, summary))
}
