//! Built-in policies, so any team can be played by the computer. A policy
//! sees only its team's `TeamView` and returns this turn's decisions.

pub mod doctrine;
pub mod random;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::scenario::model::DecisionKind;
use crate::session::view::TeamView;
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

    pub fn decide(self, view: &TeamView, rng: &mut SimRng) -> Vec<Decision> {
        match self {
            PolicyKind::Idle => Vec::new(),
            PolicyKind::Random => random::decide(view, rng),
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

/// Collects decisions that pass the check, tracking staff promised per
/// organisation so later choices see what is left.
pub(crate) struct Plan<'v, 'a> {
    view: &'v TeamView<'a>,
    pub decisions: Vec<Decision>,
    /// Staff promised so far this turn, by organisation index.
    queued: Vec<u32>,
    /// Staff each organisation had free at the start of the turn, looked
    /// up on first use, by organisation index.
    available: Vec<Option<u32>>,
}

impl<'v, 'a> Plan<'v, 'a> {
    pub fn new(view: &'v TeamView<'a>) -> Self {
        Plan {
            view,
            // About what a large team decides in a turn.
            decisions: Vec::with_capacity(64),
            queued: vec![0; view.organisations().len()],
            available: vec![None; view.organisations().len()],
        }
    }

    fn queued(&self, org: u16) -> u32 {
        self.queued.get(org as usize).copied().unwrap_or(0)
    }

    /// Staff the organisation had free at the start of the turn (looked
    /// up once).
    fn available(&mut self, org: u16) -> u32 {
        let Some(slot) = self.available.get_mut(org as usize) else {
            return 0;
        };
        *slot.get_or_insert_with(|| self.view.staff(org).map_or(0, |s| s.available()))
    }

    /// Staff the organisation still has free after what is planned.
    pub fn free(&mut self, org: u16) -> u32 {
        self.available(org).saturating_sub(self.queued(org))
    }

    /// Adds the decision if it is legal now and not already planned. A
    /// decision that speaks for the whole team (a statement, the alert
    /// level, Article 5, a liaison) is taken by one organisation only.
    pub fn try_add(&mut self, d: Decision) -> bool {
        let kind = d.action.kind();
        let team_wide = matches!(
            kind,
            DecisionKind::PublicStatement
                | DecisionKind::RaiseAlert
                | DecisionKind::ConsultArticle5
                | DecisionKind::Liaison
        );
        if team_wide && self.decisions.iter().any(|p| p.action.kind() == kind) {
            return false;
        }
        // Staff is what runs out first; a cheap look before the full check.
        let queued = self.queued(d.org);
        let cost = self.view.staff_cost(&d);
        if queued + cost > self.available(d.org) {
            return false;
        }
        // A turn's plan is a few dozen decisions: a scan beats a set.
        if self.decisions.contains(&d) || self.view.check(&d, queued).is_err() {
            return false;
        }
        if let Some(q) = self.queued.get_mut(d.org as usize) {
            *q += cost;
        }
        self.decisions.push(d);
        true
    }
}
