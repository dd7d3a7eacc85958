//! Facts an organisation knows: detections, indicators, attribution leads.
//! Kept sorted so merging, hashing and iteration are deterministic.

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
    pub points_to: String,
    pub source: OrgIdx,
    pub weight: u32,
}

impl Facts {
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

    pub fn forget_compromise(&mut self, asset: AssetIdx, attacker: AttackerIdx) {
        self.compromises
            .retain(|k| !(k.asset == asset && k.attacker == attacker));
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
            (l.attacker, l.points_to.as_str(), l.source).cmp(&(attacker, points_to, source))
        }) {
            Ok(i) => self.leads[i].weight = self.leads[i].weight.max(weight),
            Err(i) => self.leads.insert(
                i,
                Lead {
                    attacker,
                    points_to: points_to.to_string(),
                    source,
                    weight,
                },
            ),
        }
    }

    /// Merges another organisation's facts into ours (shared intel).
    pub fn merge(&mut self, other: &Facts) {
        for c in &other.compromises {
            self.add_compromise(c.asset, c.attacker, c.seen);
        }
        for &a in &other.indicators {
            self.add_indicator(a);
        }
        for l in &other.leads {
            self.add_lead(l.attacker, &l.points_to, l.source, l.weight);
        }
    }

    /// Every hypothesis about who sponsors `attacker`, strongest first:
    /// weights summed over sources; ties go to the alphabetically first name.
    pub fn attribution(&self, attacker: AttackerIdx) -> Vec<Hypothesis<'_>> {
        let mut all: Vec<Hypothesis> = Vec::new();
        // Leads are sorted by (attacker, name, source): equal names are adjacent.
        for lead in self.leads.iter().filter(|l| l.attacker == attacker) {
            match all.last_mut() {
                Some(h) if h.sponsor == lead.points_to => {
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
