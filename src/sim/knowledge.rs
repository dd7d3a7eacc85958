//! Facts an organisation knows: detections, indicators, attribution leads.
//! Kept sorted so merging, hashing and iteration are deterministic.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::scenario::model::{AssetIdx, AttackerIdx, OrgIdx};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Sorted by (asset, attacker); `seen` is the earliest turn known.
    pub compromises: Vec<KnownCompromise>,
    /// Attackers whose indicators (C2 addresses, hashes) are known; sorted.
    pub indicators: Vec<AttackerIdx>,
    /// Attribution leads, sorted by (attacker, points_to, source).
    pub leads: Vec<Lead>,
    /// Intrusions this organisation's team has evicted, sorted by (asset,
    /// attacker), with the latest turn: a report sighted no later than
    /// that is stale and is not believed again. Never shared.
    #[serde(default)]
    pub cleared: Vec<KnownEviction>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KnownEviction {
    pub asset: AssetIdx,
    pub attacker: AttackerIdx,
    pub turn: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KnownCompromise {
    pub asset: AssetIdx,
    pub attacker: AttackerIdx,
    pub seen: u32,
}

/// Evidence, found by `source`, that `attacker` works for `points_to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Lead {
    pub attacker: AttackerIdx,
    /// Shared, so copying a lead into a message costs no allocation.
    pub points_to: std::sync::Arc<str>,
    pub source: OrgIdx,
    pub weight: u32,
}

impl Facts {
    /// Nothing worth sharing (what the team has cleared is not shared).
    pub fn is_empty(&self) -> bool {
        self.compromises.is_empty() && self.indicators.is_empty() && self.leads.is_empty()
    }

    /// What a message at this marking may carry: at CLEAR and GREEN only
    /// which systems are compromised (enough for a victim to act); AMBER
    /// adds the attackers' indicators; RED adds attribution leads. So low
    /// trust means fewer facts as well as later ones.
    pub fn for_tlp(&self, tlp: crate::sim::decision::Tlp) -> Facts {
        use crate::sim::decision::Tlp;
        Facts {
            compromises: self.compromises.clone(),
            indicators: if tlp >= Tlp::Amber {
                self.indicators.clone()
            } else {
                Vec::new()
            },
            leads: if tlp >= Tlp::Red {
                self.leads.clone()
            } else {
                Vec::new()
            },
            cleared: Vec::new(),
        }
    }

    /// Returns true if this was new.
    pub fn add_compromise(&mut self, asset: AssetIdx, attacker: AttackerIdx, turn: u32) -> bool {
        match self
            .compromises
            .binary_search_by(|k| (k.asset, k.attacker).cmp(&(asset, attacker)))
        {
            Ok(i) => {
                let known = &mut self.compromises[i];
                known.seen = known.seen.min(turn);
                false
            }
            Err(i) => {
                self.compromises.insert(
                    i,
                    KnownCompromise {
                        asset,
                        attacker,
                        seen: turn,
                    },
                );
                true
            }
        }
    }

    /// The intrusion was evicted on `turn`: forgotten, and remembered as
    /// cleared so older sightings reported later are not believed.
    pub fn clear_compromise(&mut self, asset: AssetIdx, attacker: AttackerIdx, turn: u32) {
        self.compromises
            .retain(|k| !(k.asset == asset && k.attacker == attacker));
        self.merge_cleared(&[KnownEviction {
            asset,
            attacker,
            turn,
        }]);
    }

    /// Evictions known to either side, each at its latest turn.
    fn merge_cleared(&mut self, other: &[KnownEviction]) {
        merge_sorted(
            &mut self.cleared,
            other,
            |a, b| (a.asset, a.attacker).cmp(&(b.asset, b.attacker)),
            |mine, theirs| mine.turn = mine.turn.max(theirs.turn),
        );
    }

    /// Whether a sighting of this intrusion on `seen` predates an eviction
    /// the team carried out.
    pub fn is_stale(&self, asset: AssetIdx, attacker: AttackerIdx, seen: u32) -> bool {
        self.cleared
            .binary_search_by(|e| (e.asset, e.attacker).cmp(&(asset, attacker)))
            .is_ok_and(|i| self.cleared[i].turn >= seen)
    }

    /// Merges a message from another organisation: as [`Facts::merge`],
    /// except sightings of intrusions the team has since evicted.
    pub fn merge_report(&mut self, report: &Facts) {
        if report
            .compromises
            .iter()
            .any(|c| self.is_stale(c.asset, c.attacker, c.seen))
        {
            let mut fresh = report.clone();
            fresh
                .compromises
                .retain(|c| !self.is_stale(c.asset, c.attacker, c.seen));
            self.merge(&fresh);
        } else {
            self.merge(report);
        }
    }

    pub fn add_indicator(&mut self, attacker: AttackerIdx) -> bool {
        match self.indicators.binary_search(&attacker) {
            Ok(_) => false,
            Err(i) => {
                self.indicators.insert(i, attacker);
                true
            }
        }
    }

    pub fn knows_compromise(&self, asset: AssetIdx, attacker: AttackerIdx) -> bool {
        self.compromises
            .binary_search_by(|k| (k.asset, k.attacker).cmp(&(asset, attacker)))
            .is_ok()
    }

    pub fn knows_attacker(&self, attacker: AttackerIdx) -> bool {
        self.indicators.binary_search(&attacker).is_ok()
    }

    /// Adds evidence; one source's weight for a hypothesis only grows.
    pub fn add_lead(
        &mut self,
        attacker: AttackerIdx,
        points_to: &str,
        source: OrgIdx,
        weight: u32,
    ) {
        match self.leads.binary_search_by(|l| {
            (l.attacker, &*l.points_to, l.source).cmp(&(attacker, points_to, source))
        }) {
            Ok(i) => self.leads[i].weight = self.leads[i].weight.max(weight),
            Err(i) => {
                // A neighbour with the same name lends its allocation.
                let name = [i.checked_sub(1), Some(i)]
                    .into_iter()
                    .flatten()
                    .filter_map(|j| self.leads.get(j))
                    .find(|l| &*l.points_to == points_to)
                    .map_or_else(|| points_to.into(), |l| l.points_to.clone());
                self.leads.insert(
                    i,
                    Lead {
                        attacker,
                        points_to: name,
                        source,
                        weight,
                    },
                );
            }
        }
    }

    /// Merges another organisation's facts into ours (shared intel). Both
    /// sides are sorted, so one pass over each; only new entries are cloned.
    pub fn merge(&mut self, other: &Facts) {
        self.merge_compromises(other);
        merge_sorted(&mut self.indicators, &other.indicators, Ord::cmp, |_, _| {});
        self.merge_cleared(&other.cleared);
        merge_sorted(
            &mut self.leads,
            &other.leads,
            |a, b| {
                a.attacker
                    .cmp(&b.attacker)
                    .then_with(|| same_name_first(&a.points_to, &b.points_to))
                    .then(a.source.cmp(&b.source))
            },
            |mine, theirs| mine.weight = mine.weight.max(theirs.weight),
        );
    }

    /// Merges only the compromises of another's facts.
    pub fn merge_compromises(&mut self, other: &Facts) {
        merge_sorted(
            &mut self.compromises,
            &other.compromises,
            |a, b| (a.asset, a.attacker).cmp(&(b.asset, b.attacker)),
            |mine, theirs| mine.seen = mine.seen.min(theirs.seen),
        );
    }

    /// Every hypothesis about who sponsors `attacker`, strongest first:
    /// weights summed over sources; ties go to the alphabetically first name.
    pub fn attribution(&self, attacker: AttackerIdx) -> Vec<Hypothesis<'_>> {
        let mut all: Vec<Hypothesis> = Vec::new();
        // Leads are sorted by (attacker, name, source): equal names are adjacent.
        for lead in self.leads.iter().filter(|l| l.attacker == attacker) {
            match all.last_mut() {
                Some(h) if h.sponsor == &*lead.points_to => {
                    h.weight = h.weight.saturating_add(lead.weight);
                    h.sources += 1;
                }
                _ => all.push(Hypothesis {
                    sponsor: &lead.points_to,
                    weight: lead.weight,
                    sources: 1,
                }),
            }
        }
        all.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.sponsor.cmp(b.sponsor)));
        all
    }

    /// The sponsor the evidence points to most strongly, with its weight.
    pub fn best_attribution(&self, attacker: AttackerIdx) -> Option<(&str, u32)> {
        self.attribution(attacker)
            .first()
            .map(|h| (h.sponsor, h.weight))
    }
}

/// Merges sorted `theirs` into sorted `mine` in the order `cmp`: entries
/// that compare equal are combined with `combine`, new ones cloned in.
/// Names compared as strings; a lead copied from another shares its
/// name's allocation, so equal pointers settle most comparisons at once.
fn same_name_first(a: &std::sync::Arc<str>, b: &std::sync::Arc<str>) -> Ordering {
    if std::sync::Arc::ptr_eq(a, b) {
        Ordering::Equal
    } else {
        a.cmp(b)
    }
}

fn merge_sorted<T: Clone>(
    mine: &mut Vec<T>,
    theirs: &[T],
    cmp: impl Fn(&T, &T) -> Ordering,
    combine: impl Fn(&mut T, &T),
) {
    if theirs.is_empty() {
        return;
    }
    // Intel is mostly resent: when every entry is already known, combine
    // in place without building a new list. Every `combine` here is a min
    // or a max, so entries combined before a new one turns up may be
    // combined again below without harm.
    let mut known = mine.iter_mut().peekable();
    let all_known = theirs.iter().all(|t| {
        while known.next_if(|m| cmp(m, t) == Ordering::Less).is_some() {}
        match known.peek_mut() {
            Some(m) if cmp(m, t) == Ordering::Equal => {
                combine(m, t);
                true
            }
            _ => false,
        }
    });
    if all_known {
        return;
    }
    let old = std::mem::take(mine);
    let mut merged: Vec<T> = Vec::with_capacity(old.len().max(theirs.len()));
    let push = |merged: &mut Vec<T>, t: &T| match merged.last_mut() {
        Some(last) if cmp(last, t) == Ordering::Equal => combine(last, t),
        _ => merged.push(t.clone()),
    };
    let mut theirs = theirs.iter().peekable();
    for entry in old {
        while let Some(t) = theirs.next_if(|t| cmp(t, &entry) == Ordering::Less) {
            push(&mut merged, t);
        }
        merged.push(entry);
        while let Some(t) =
            theirs.next_if(|t| merged.last().is_some_and(|e| cmp(t, e) == Ordering::Equal))
        {
            push(&mut merged, t);
        }
    }
    for t in theirs {
        push(&mut merged, t);
    }
    *mine = merged;
}

/// One answer to "who is behind it", with the evidence for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hypothesis<'a> {
    pub sponsor: &'a str,
    /// Lead weights summed over sources.
    pub weight: u32,
    /// Independent sources backing it.
    pub sources: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts_from(entries: &[(u32, u16, u32, u8)]) -> Facts {
        let mut f = Facts::default();
        for &(asset, attacker, turn, name) in entries {
            f.add_compromise(asset, attacker, turn);
            f.add_indicator(attacker);
            f.add_lead(
                attacker,
                ["GRU", "Lazarus", "APT10"][usize::from(name % 3)],
                asset as u16,
                turn,
            );
        }
        f
    }

    proptest! {
        /// The one-pass merge gives exactly what adding each entry would.
        #[test]
        fn merge_equals_adding_one_by_one(
            ours in prop::collection::vec((0u32..6, 0u16..3, 0u32..9, 0u8..3), 0..12),
            theirs in prop::collection::vec((0u32..6, 0u16..3, 0u32..9, 0u8..3), 0..12),
        ) {
            let mut merged = facts_from(&ours);
            merged.merge(&facts_from(&theirs));
            let mut added = facts_from(&ours);
            let other = facts_from(&theirs);
            for c in &other.compromises {
                added.add_compromise(c.asset, c.attacker, c.seen);
            }
            for &a in &other.indicators {
                added.add_indicator(a);
            }
            for l in &other.leads {
                added.add_lead(l.attacker, &l.points_to, l.source, l.weight);
            }
            prop_assert_eq!(merged, added);
        }
    }

    #[test]
    fn merge_is_order_independent_and_deduplicates() {
        let mut a = Facts::default();
        a.add_compromise(3, 0, 5);
        a.add_indicator(1);
        a.add_lead(0, "GRU", 1, 400);
        let mut b = Facts::default();
        b.add_compromise(3, 0, 2);
        b.add_compromise(1, 0, 7);
        b.add_lead(0, "Lazarus", 2, 300);
        b.add_lead(0, "GRU", 1, 100);

        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba);
        assert_eq!(ab.compromises.len(), 2);
        assert_eq!(ab.compromises[1].seen, 2, "earliest sighting wins");
        assert_eq!(ab.best_attribution(0), Some(("GRU", 400)));
    }

    #[test]
    fn a_report_older_than_our_eviction_is_not_believed_again() {
        let mut ours = Facts::default();
        ours.add_compromise(4, 0, 3);
        ours.clear_compromise(4, 0, 6);
        assert!(!ours.knows_compromise(4, 0));

        let mut stale = Facts::default();
        stale.add_compromise(4, 0, 5);
        stale.add_indicator(0);
        ours.merge_report(&stale);
        assert!(!ours.knows_compromise(4, 0), "seen on 5, evicted on 6");
        assert!(
            ours.knows_attacker(0),
            "the rest of the report still counts"
        );

        let mut fresh = Facts::default();
        fresh.add_compromise(4, 0, 7);
        ours.merge_report(&fresh);
        assert!(ours.knows_compromise(4, 0), "seen again after the eviction");
        assert!(
            ours.for_tlp(crate::sim::decision::Tlp::Red)
                .cleared
                .is_empty(),
            "what we cleared is never shared"
        );
    }

    #[test]
    fn joint_evidence_outweighs_a_single_false_flag() {
        let mut f = Facts::default();
        f.add_lead(0, "Lazarus", 1, 500);
        f.add_lead(0, "GRU", 1, 300);
        assert_eq!(f.best_attribution(0).map(|b| b.0), Some("Lazarus"));
        f.add_lead(0, "GRU", 7, 400);
        assert_eq!(f.best_attribution(0), Some(("GRU", 700)));
        let all = f.attribution(0);
        assert_eq!((all[0].sponsor, all[0].sources), ("GRU", 2));
        assert_eq!((all[1].sponsor, all[1].sources), ("Lazarus", 1));
        assert_eq!(f.best_attribution(1), None);
    }
}
