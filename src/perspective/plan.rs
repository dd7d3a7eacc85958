//! A turn's plan: the decisions chosen so far and the staff they promise,
//! so later choices see what is left. People's queues (kept by the
//! session's table) and the policies' plans keep the same books.

use serde::{Deserialize, Serialize};

use crate::scenario::model::OrgIdx;
use crate::sim::decision::{Decision, Refusal};

use super::TeamLens;

/// Decisions promised for this turn and the staff each organisation has
/// promised to them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promises {
    decisions: Vec<Decision>,
    /// Staff promised so far this turn, by organisation index.
    staff: Vec<u32>,
}

impl Promises {
    pub fn new(organisations: usize) -> Self {
        Promises {
            // Most turns a team decides a handful of things, or nothing.
            decisions: Vec::new(),
            staff: vec![0; organisations],
        }
    }

    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty()
    }

    /// Staff `org` has promised this turn.
    pub fn staff(&self, org: OrgIdx) -> u32 {
        self.staff.get(org as usize).copied().unwrap_or(0)
    }

    /// A turn's promises are a few dozen decisions: a scan beats a set.
    pub fn contains(&self, d: &Decision) -> bool {
        self.decisions.contains(d)
    }

    /// Adds `d` if the team may take it with what is already promised.
    pub fn add(&mut self, lens: &TeamLens, d: Decision) -> Result<(), Refusal> {
        lens.check(&d, self.staff(d.org))?;
        let cost = lens.staff_cost(&d);
        self.push(d, cost);
        Ok(())
    }

    /// Takes `d` back; false if it was not promised.
    pub fn remove(&mut self, lens: &TeamLens, d: &Decision) -> bool {
        let Some(pos) = self.decisions.iter().position(|x| x == d) else {
            return false;
        };
        let d = self.decisions.remove(pos);
        let cost = lens.staff_cost(&d);
        if let Some(s) = self.staff.get_mut(d.org as usize) {
            *s = s.saturating_sub(cost);
        }
        true
    }

    /// Empties the promises, returning the decisions in the order made.
    pub fn take(&mut self) -> Vec<Decision> {
        self.staff.iter_mut().for_each(|s| *s = 0);
        std::mem::take(&mut self.decisions)
    }

    fn push(&mut self, d: Decision, cost: u32) {
        if let Some(s) = self.staff.get_mut(d.org as usize) {
            *s += cost;
        }
        self.decisions.push(d);
    }
}

/// A policy's plan for the turn: promises that skip, rather than refuse,
/// what cannot be taken.
pub struct Plan<'v, 'a> {
    lens: &'v TeamLens<'a>,
    promises: Promises,
    /// Staff each organisation had free at the start of the turn, looked
    /// up on first use, by organisation index.
    available: Vec<Option<u32>>,
}

impl<'v, 'a> Plan<'v, 'a> {
    pub fn new(lens: &'v TeamLens<'a>) -> Self {
        let orgs = lens.organisations().len();
        Plan {
            lens,
            promises: Promises::new(orgs),
            available: vec![None; orgs],
        }
    }

    pub fn into_decisions(mut self) -> Vec<Decision> {
        self.promises.take()
    }

    /// Staff the organisation had free at the start of the turn (looked
    /// up once).
    fn available(&mut self, org: OrgIdx) -> u32 {
        let Some(slot) = self.available.get_mut(org as usize) else {
            return 0;
        };
        *slot.get_or_insert_with(|| self.lens.staff(org).map_or(0, |s| s.available()))
    }

    /// Staff the organisation still has free after what is planned.
    pub fn free(&mut self, org: OrgIdx) -> u32 {
        self.available(org).saturating_sub(self.promises.staff(org))
    }

    /// Adds the decision if it is legal now and not already planned. A
    /// decision that speaks for the whole team (a statement, the alert
    /// level, Article 5, a liaison) is taken by one organisation only.
    pub fn try_add(&mut self, d: Decision) -> bool {
        let kind = d.action.kind();
        if kind.is_team_wide()
            && self
                .promises
                .decisions()
                .iter()
                .any(|p| p.action.kind() == kind)
        {
            return false;
        }
        // Staff is what runs out first; a cheap look before the full check.
        let promised = self.promises.staff(d.org);
        let cost = self.lens.staff_cost(&d);
        if promised + cost > self.available(d.org) {
            return false;
        }
        if self.promises.contains(&d) || self.lens.check(&d, promised).is_err() {
            return false;
        }
        self.promises.push(d, cost);
        true
    }
}
