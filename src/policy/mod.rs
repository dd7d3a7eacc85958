//! Built-in policies, so any team can be played by the computer. A policy
//! sees only its team's `TeamLens` and returns this turn's decisions.

pub mod doctrine;
pub mod random;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::perspective::TeamLens;
use crate::sim::decision::Decision;
use crate::sim::rng::SimRng;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PolicyKind {
    /// Does nothing: the baseline of an unanswered attack.
    Idle,
    /// Legal random choices.
    Random,
    /// A sensible rule-based responder.
    Doctrine,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 3] = [PolicyKind::Idle, PolicyKind::Random, PolicyKind::Doctrine];

    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Idle => "idle",
            PolicyKind::Random => "random",
            PolicyKind::Doctrine => "doctrine",
        }
    }

    /// The policy's decisions this turn; `stream` makes its random stream,
    /// which only the policies that draw on it pay for.
    pub fn decide(self, view: &TeamLens, stream: impl FnOnce() -> SimRng) -> Vec<Decision> {
        match self {
            PolicyKind::Idle => Vec::new(),
            PolicyKind::Random => random::decide(view, &mut stream()),
            PolicyKind::Doctrine => doctrine::decide(view),
        }
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown policy '{0}': expected one of idle, random, doctrine")]
pub struct UnknownPolicy(pub String);

impl FromStr for PolicyKind {
    type Err = UnknownPolicy;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PolicyKind::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| UnknownPolicy(s.to_string()))
    }
}
