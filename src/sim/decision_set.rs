//! A set of decisions, for "is this one already running or started?".
//! A turn has a handful: a short list scanned in place costs less than a
//! tree's nodes made and freed every turn. A hostile log may start
//! thousands; past a few the set becomes a tree, so a check stays
//! logarithmic.

use std::collections::BTreeSet;

use super::decision::Decision;

/// Decisions kept as a list up to this many, as a tree beyond.
const SCANNED: usize = 16;

#[derive(Debug, Clone, Default)]
pub struct DecisionSet {
    /// The members while there are few; empty once `many` is in use.
    few: Vec<Decision>,
    /// The members once there are many (an unused tree costs nothing to
    /// drop, and most sets are made and dropped within one check).
    many: Option<BTreeSet<Decision>>,
}

impl DecisionSet {
    pub fn contains(&self, d: &Decision) -> bool {
        match &self.many {
            Some(many) => many.contains(d),
            None => self.few.contains(d),
        }
    }

    /// Adds `d`; false if it was already there.
    pub fn insert(&mut self, d: Decision) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(d);
        }
        if self.few.contains(&d) {
            return false;
        }
        if self.few.len() < SCANNED {
            self.few.push(d);
        } else {
            let mut many: BTreeSet<Decision> = self.few.drain(..).collect();
            many.insert(d);
            self.many = Some(many);
        }
        true
    }

    /// Takes `d` out; false if it was not there.
    pub fn remove(&mut self, d: &Decision) -> bool {
        if let Some(many) = &mut self.many {
            let removed = many.remove(d);
            if many.is_empty() {
                self.many = None;
            }
            return removed;
        }
        match self.few.iter().position(|x| x == d) {
            Some(i) => {
                self.few.swap_remove(i);
                true
            }
            None => false,
        }
    }

    pub fn len(&self) -> usize {
        self.few.len() + self.many.as_ref().map_or(0, BTreeSet::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Equal as sets, however each is stored.
impl PartialEq for DecisionSet {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .few
                .iter()
                .chain(self.many.iter().flatten())
                .all(|d| other.contains(d))
    }
}

impl Eq for DecisionSet {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::decision::Action;

    fn patch(asset: u32) -> Decision {
        Decision {
            org: 0,
            action: Action::Patch { asset },
        }
    }

    #[test]
    fn members_are_found_and_removed_on_both_sides_of_the_switch() {
        let mut set = DecisionSet::default();
        for n in [3, SCANNED, SCANNED + 1, 200] {
            for a in 0..n as u32 {
                assert!(set.insert(patch(a)), "{a} of {n}");
                assert!(!set.insert(patch(a)), "{a} twice, of {n}");
            }
            assert_eq!(set.len(), n);
            assert!((0..n as u32).all(|a| set.contains(&patch(a))));
            assert!(!set.contains(&patch(n as u32)));
            for a in (0..n as u32).step_by(2) {
                assert!(set.remove(&patch(a)));
                assert!(!set.remove(&patch(a)));
            }
            assert!((0..n as u32).all(|a| set.contains(&patch(a)) == (a % 2 == 1)));
            for a in (1..n as u32).step_by(2) {
                assert!(set.remove(&patch(a)));
            }
            assert!(set.is_empty());
        }
    }

    #[test]
    fn sets_compare_by_members_not_by_layout() {
        let mut list = DecisionSet::default();
        let mut tree = DecisionSet::default();
        for a in 0..=SCANNED as u32 {
            tree.insert(patch(a));
        }
        for a in 2..=SCANNED as u32 {
            tree.remove(&patch(a));
        }
        list.insert(patch(1));
        list.insert(patch(0));
        assert_eq!(list, tree);
        list.remove(&patch(0));
        list.insert(patch(7));
        assert_ne!(list, tree);
    }
}
