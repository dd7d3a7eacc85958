//! The decisions panel's screen state: which tab is open, the search text
//! and the filters, and the rows they give from the team's candidates.
//! Pure data, so the grouping and filtering are tested without a screen.

use crate::scenario::model::{AssetIdx, DecisionKind, OrgIdx};
use crate::session::view::Candidate;
use crate::sim::decision::Decision;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionTab {
    /// Sharing, assistance, statements, attribution, Article 5, alert,
    /// liaison, active defence.
    Strategic,
    /// Work on one asset or attacker, grouped by organisation and asset.
    Operational,
    /// What the team has queued this turn, in the order queued.
    Queued,
}

impl DecisionTab {
    pub const ALL: [DecisionTab; 3] = [
        DecisionTab::Strategic,
        DecisionTab::Operational,
        DecisionTab::Queued,
    ];
    /// The strings key of the tab's name.
    pub fn key(self) -> &'static str {
        match self {
            DecisionTab::Strategic => "dtab_strategic",
            DecisionTab::Operational => "dtab_operational",
            DecisionTab::Queued => "dtab_queued",
        }
    }
    pub fn next(self) -> DecisionTab {
        match self {
            DecisionTab::Strategic => DecisionTab::Operational,
            DecisionTab::Operational => DecisionTab::Queued,
            DecisionTab::Queued => DecisionTab::Strategic,
        }
    }
    fn holds(self, c: &Candidate) -> bool {
        match self {
            DecisionTab::Strategic => c.decision.action.kind().is_strategic(),
            DecisionTab::Operational => !c.decision.action.kind().is_strategic(),
            DecisionTab::Queued => c.queued,
        }
    }
}

/// A row of the decisions list: a heading or a decision (an index into
/// the candidates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionRow {
    Organisation(OrgIdx),
    Asset(AssetIdx),
    Decision(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionBrowser {
    pub tab: DecisionTab,
    /// Search text; empty shows everything.
    pub query: String,
    /// Whether keys are going into the search text.
    pub searching: bool,
    pub org: Option<OrgIdx>,
    pub kind: Option<DecisionKind>,
}

impl Default for DecisionBrowser {
    fn default() -> Self {
        DecisionBrowser {
            tab: DecisionTab::Strategic,
            query: String::new(),
            searching: false,
            org: None,
            kind: None,
        }
    }
}

impl DecisionBrowser {
    /// Whether any filter or search narrows the list.
    pub fn narrowed(&self) -> bool {
        !self.query.is_empty() || self.org.is_some() || self.kind.is_some()
    }

    pub fn clear(&mut self) {
        self.query.clear();
        self.searching = false;
        self.org = None;
        self.kind = None;
    }

    /// Candidates shown, as indices in display order. `text` gives the
    /// words a decision is searched by (in the viewer's language); `queue`
    /// is the team's queue, for the order of the queued tab.
    pub fn shown(
        &self,
        candidates: &[Candidate],
        queue: &[Decision],
        text: impl Fn(&Candidate) -> String,
    ) -> Vec<usize> {
        let needle = self.query.to_lowercase();
        let mut out: Vec<usize> = candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| self.tab.holds(c))
            .filter(|(_, c)| self.org.is_none_or(|o| c.decision.org == o))
            .filter(|(_, c)| self.kind.is_none_or(|k| c.decision.action.kind() == k))
            .filter(|(_, c)| needle.is_empty() || text(c).to_lowercase().contains(&needle))
            .map(|(i, _)| i)
            .collect();
        let key = |i: &usize| {
            let d = &candidates[*i].decision;
            let kind = DecisionKind::ALL
                .iter()
                .position(|k| *k == d.action.kind())
                .unwrap_or(0);
            match self.tab {
                DecisionTab::Strategic => (d.org, 0, kind, *i),
                DecisionTab::Operational => (
                    d.org,
                    d.action.asset().map_or(u32::MAX, u32::from),
                    kind,
                    *i,
                ),
                DecisionTab::Queued => (
                    0,
                    queue
                        .iter()
                        .position(|q| q == d)
                        .map_or(u32::MAX, |p| p as u32),
                    0,
                    *i,
                ),
            }
        };
        out.sort_by_key(key);
        out
    }

    /// The rows drawn for `shown`: headings where the organisation (and,
    /// on the operational tab, the asset) changes.
    pub fn rows(&self, candidates: &[Candidate], shown: &[usize]) -> Vec<DecisionRow> {
        let mut rows = Vec::new();
        let mut last_org = None;
        let mut last_asset = None;
        for &i in shown {
            let d = &candidates[i].decision;
            if self.tab != DecisionTab::Queued && last_org != Some(d.org) {
                rows.push(DecisionRow::Organisation(d.org));
                last_org = Some(d.org);
                last_asset = None;
            }
            if self.tab == DecisionTab::Operational {
                let asset = d.action.asset();
                if asset != last_asset {
                    if let Some(a) = asset {
                        rows.push(DecisionRow::Asset(a));
                    }
                    last_asset = asset;
                }
            }
            rows.push(DecisionRow::Decision(i));
        }
        rows
    }

    /// Steps the organisation filter through `orgs` (and back to all).
    pub fn cycle_org(&mut self, orgs: &[OrgIdx], by: isize) {
        self.org = cycle(self.org, orgs, by);
    }

    /// Steps the kind filter through the kinds this tab offers.
    pub fn cycle_kind(&mut self, candidates: &[Candidate], by: isize) {
        let mut kinds: Vec<DecisionKind> = DecisionKind::ALL
            .into_iter()
            .filter(|k| {
                candidates
                    .iter()
                    .any(|c| c.decision.action.kind() == *k && self.tab.holds(c))
            })
            .collect();
        kinds.dedup();
        self.kind = cycle(self.kind, &kinds, by);
    }
}

/// The next value of a filter over `options`, with `None` (everything)
/// between the last and the first.
fn cycle<T: Copy + PartialEq>(now: Option<T>, options: &[T], by: isize) -> Option<T> {
    let n = options.len() as isize + 1;
    let at = now
        .and_then(|v| options.iter().position(|o| *o == v))
        .map_or(0, |p| p as isize + 1);
    let next = (at + by).rem_euclid(n);
    (next > 0).then(|| options[next as usize - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::decision::{Action, Tlp};

    fn cand(org: OrgIdx, action: Action, queued: bool) -> Candidate {
        Candidate {
            decision: Decision { org, action },
            cost: 1,
            duration: 1,
            queued,
            status: Ok(()),
        }
    }

    fn sample() -> Vec<Candidate> {
        vec![
            cand(1, Action::Patch { asset: 4 }, false),
            cand(0, Action::Monitor { asset: 2 }, false),
            cand(0, Action::PublicStatement, false),
            cand(0, Action::Patch { asset: 2 }, true),
            cand(1, Action::RequestAssistance { from: 0 }, false),
            cand(
                0,
                Action::ShareIntel {
                    to: vec![1],
                    tlp: Tlp::Amber,
                },
                true,
            ),
            cand(0, Action::Hunt { asset: 1 }, false),
        ]
    }

    fn names(c: &Candidate) -> String {
        format!("{:?}", c.decision.action)
    }

    #[test]
    fn strategic_and_operational_tabs_split_the_list() {
        let c = sample();
        let mut b = DecisionBrowser::default();
        let strategic = b.shown(&c, &[], names);
        assert_eq!(strategic, vec![5, 2, 4], "by organisation, then kind");
        b.tab = DecisionTab::Operational;
        let operational = b.shown(&c, &[], names);
        assert_eq!(
            operational,
            vec![6, 1, 3, 0],
            "by organisation, asset, kind"
        );
        assert_eq!(
            b.rows(&c, &operational),
            vec![
                DecisionRow::Organisation(0),
                DecisionRow::Asset(1),
                DecisionRow::Decision(6),
                DecisionRow::Asset(2),
                DecisionRow::Decision(1),
                DecisionRow::Decision(3),
                DecisionRow::Organisation(1),
                DecisionRow::Asset(4),
                DecisionRow::Decision(0),
            ]
        );
    }

    #[test]
    fn the_queued_tab_keeps_the_order_queued() {
        let c = sample();
        let b = DecisionBrowser {
            tab: DecisionTab::Queued,
            ..DecisionBrowser::default()
        };
        let queue = vec![c[5].decision.clone(), c[3].decision.clone()];
        let shown = b.shown(&c, &queue, names);
        assert_eq!(shown, vec![5, 3]);
        assert_eq!(
            b.rows(&c, &shown),
            vec![DecisionRow::Decision(5), DecisionRow::Decision(3)]
        );
    }

    #[test]
    fn search_and_filters_narrow_and_clear() {
        let c = sample();
        let mut b = DecisionBrowser {
            tab: DecisionTab::Operational,
            query: "PATCH".into(),
            ..DecisionBrowser::default()
        };
        assert_eq!(b.shown(&c, &[], names), vec![3, 0], "case-insensitive");
        b.cycle_org(&[0, 1], 1);
        assert_eq!(b.org, Some(0));
        assert_eq!(b.shown(&c, &[], names), vec![3]);
        b.query.clear();
        b.cycle_kind(&c, 1);
        assert_eq!(b.kind, Some(DecisionKind::Monitor), "first kind on the tab");
        assert_eq!(b.shown(&c, &[], names), vec![1]);
        b.cycle_kind(&c, -1);
        assert_eq!(b.kind, None, "back past the first is everything");
        b.cycle_org(&[0, 1], -1);
        assert_eq!(b.org, None);
        b.cycle_org(&[0, 1], -1);
        assert_eq!(b.org, Some(1), "backwards from everything is the last");
        assert!(b.narrowed());
        b.clear();
        assert!(!b.narrowed());
        assert_eq!(b.shown(&c, &[], names).len(), 4);
    }
}
