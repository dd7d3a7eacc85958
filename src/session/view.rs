//! Owned views: what one seat may see, as plain data. The session builds
//! them; every front end (the terminal UI, a remote seat, Python) draws or
//! reads only these. A team's view holds nothing its organisations have
//! not observed; the facilitator's holds ground truth.

use serde::{Deserialize, Serialize};

use crate::perspective::{Promises, TeamLens, Viewer, visible};
use crate::scenario::model::{
    AssetIdx, AttackerIdx, DecisionKind, InjectIdx, OrgIdx, Scenario, TeamIdx, Trigger,
};
use crate::sim::TurnOutcome;
use crate::sim::decision::{Action, Decision, Refusal, Tlp};
use crate::sim::event::Event;
use crate::sim::knowledge::Facts;
use crate::sim::overrides::Override;
use crate::sim::resources::ObjectiveStatus;

use super::table::Table;

/// What every seat may see: the exercise's clock, who is still deciding,
/// and what is public (service availability, trust, the alert level, the
/// scoreboard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicView {
    /// The turn being decided (1-based).
    pub turn: u32,
    pub turn_limit: u32,
    pub ended: bool,
    pub paused: bool,
    pub teams: Vec<TeamStatus>,
    /// Service availability per asset, permille: outages are public.
    pub availability: Vec<u16>,
    pub public_trust: u16,
    pub alliance_trust: u16,
    pub alert_level: u8,
    pub article5_open: bool,
    pub liaison: bool,
    /// Criticality-weighted service loss, permille.
    pub impact: u16,
    pub statement_made: bool,
    /// Attackers someone has publicly attributed.
    pub attributed: Vec<AttackerIdx>,
    pub score: u32,
    pub objectives: Vec<ObjectiveStatus>,
    /// The score after each turn played.
    pub score_history: Vec<u32>,
    /// The last turn's events that every team may see: the news of the
    /// room, for the projector.
    pub headlines: Vec<Event>,
}

/// A team as every seat sees it: who plays it and whether it has ended
/// its turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamStatus {
    /// `human` or a policy name.
    pub controller: String,
    pub human: bool,
    pub ready: bool,
}

/// One team's seat: its organisations' staff, knowledge and defences, the
/// decisions it may take, and the events it was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    pub team: TeamIdx,
    pub public: PublicView,
    /// The team's organisations, in scenario order.
    pub staff: Vec<StaffLine>,
    /// Every asset, by index: what the team knows of it.
    pub assets: Vec<TeamAsset>,
    /// Everything the team's organisations know, merged.
    pub facts: Facts,
    /// Decisions the team might take now, queued ones included.
    pub decisions: Vec<Candidate>,
    /// Decisions queued for this turn, in the order made.
    pub queued: Vec<Decision>,
    /// The events of each turn the team may see, oldest first.
    pub history: Vec<TurnEvents>,
    /// Scripted injects to the team that arrive as this turn opens (they
    /// fire before decisions take effect), so they are read first.
    pub arriving: Vec<InjectIdx>,
}

/// Staff of one of the team's organisations this turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLine {
    pub org: OrgIdx,
    pub capacity: u32,
    /// Free at the start of the turn.
    pub available: u32,
    /// Promised to decisions queued this turn.
    pub promised: u32,
}

impl StaffLine {
    /// Staff left for further decisions this turn.
    pub fn left(&self) -> u32 {
        self.available.saturating_sub(self.promised)
    }
}

/// An asset as a team knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamAsset {
    /// Monitoring level, permille: known for the team's own assets only.
    pub monitoring: Option<u16>,
    /// Intrusions the team's organisations know of.
    pub intrusions: Vec<KnownIntrusion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownIntrusion {
    pub attacker: AttackerIdx,
    /// The turn the team learnt of it.
    pub seen: u32,
}

/// One decision a team could take, with its cost and, if it may not be
/// taken now, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub decision: Decision,
    pub cost: u32,
    pub duration: u32,
    pub queued: bool,
    pub status: Result<(), Refusal>,
}

/// The events of one turn a viewer may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnEvents {
    pub turn: u32,
    pub events: Vec<Event>,
}

/// The facilitator's seat: ground truth, every team's queue, and the
/// changes waiting for the next turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilitatorView {
    pub public: PublicView,
    /// Every asset, by index, as it really is.
    pub assets: Vec<TrueAsset>,
    /// Each attacker's campaign.
    pub attackers: Vec<CampaignView>,
    /// Decisions each team has queued, by team.
    pub queued: Vec<Vec<Decision>>,
    /// Overrides and injects waiting for the next turn.
    pub pending: Vec<Override>,
    /// Lines of play abandoned by rewinds.
    pub branches: Vec<BranchView>,
    /// Each scripted inject: when it fired, and whether it is held back.
    pub injects: Vec<ScriptedInject>,
    /// Every event of every turn played, oldest first.
    pub history: Vec<TurnEvents>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrueAsset {
    pub monitoring: u16,
    pub compromises: Vec<Intrusion>,
}

/// An attacker's hold on an asset, as it really is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intrusion {
    pub attacker: AttackerIdx,
    /// 1 = foothold, 2 = administrative control.
    pub level: u8,
    pub since: u32,
    pub detected: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignView {
    /// The stage under way (0-based).
    pub stage: u32,
    pub finished: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScriptedInject {
    /// The turn it fired, if it has.
    pub fired: Option<u32>,
    pub held: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchView {
    pub rewound_to: u32,
    /// Turns played on the abandoned line.
    pub turns: u32,
    pub reason: String,
}

impl PublicView {
    pub(crate) fn build(table: &Table) -> PublicView {
        let session = table.session();
        let read = session.sim().read();
        let politics = read.politics();
        let objectives = read.objectives();
        PublicView {
            turn: session.turn(),
            turn_limit: read.scenario().turn_limit,
            ended: session.ended(),
            paused: table.paused(),
            teams: session
                .controllers()
                .iter()
                .enumerate()
                .map(|(t, c)| TeamStatus {
                    controller: c.to_string(),
                    human: *c == super::Controller::Human,
                    ready: table.ready(t as TeamIdx),
                })
                .collect(),
            availability: read.availability().to_vec(),
            public_trust: politics.public_trust,
            alliance_trust: politics.alliance_trust,
            alert_level: politics.alert_level,
            article5_open: politics.article5_turn.is_some(),
            liaison: politics.liaison,
            impact: read.metrics().impact,
            statement_made: politics.first_statement.is_some(),
            attributed: politics.attributions.iter().map(|a| a.0).collect(),
            score: objectives.score,
            objectives: objectives.status.clone(),
            score_history: session.history().iter().map(|o| o.score).collect(),
            headlines: session.history().last().map_or_else(Vec::new, |o| {
                let scenario = session.scenario();
                let teams = scenario.teams.len() as TeamIdx;
                o.events
                    .iter()
                    .filter(|e| (0..teams).all(|t| visible(e, Viewer::Team(t), scenario)))
                    .cloned()
                    .collect()
            }),
        }
    }
}

impl TeamView {
    pub(crate) fn build(table: &Table, team: TeamIdx) -> TeamView {
        let session = table.session();
        let lens = TeamLens::new(session.sim(), team);
        let scenario = session.scenario();
        let promises = table.queue(team);
        let staff = lens
            .my_orgs()
            .iter()
            .map(|&org| {
                let (capacity, available) = lens
                    .staff(org)
                    .map_or((0, 0), |s| (s.capacity, s.available()));
                StaffLine {
                    org,
                    capacity,
                    available,
                    promised: promises.map_or(0, |p| p.staff(org)),
                }
            })
            .collect();
        let mut assets: Vec<TeamAsset> = (0..scenario.assets.len() as AssetIdx)
            .map(|a| TeamAsset {
                monitoring: lens.defences(a).map(|d| d.monitoring),
                intrusions: Vec::new(),
            })
            .collect();
        for k in lens.known_compromises() {
            if let Some(asset) = assets.get_mut(k.asset as usize) {
                asset.intrusions.push(KnownIntrusion {
                    attacker: k.attacker,
                    seen: k.seen,
                });
            }
        }
        let empty = Promises::default();
        let promises = promises.unwrap_or(&empty);
        TeamView {
            team,
            public: PublicView::build(table),
            staff,
            assets,
            facts: lens.team_facts(),
            decisions: candidates(&lens, promises),
            queued: promises.decisions().to_vec(),
            history: seen_history(session.history(), Viewer::Team(team), scenario),
            arriving: arriving(session, team),
        }
    }

    /// What an observer's screen holds: the public picture and nothing of
    /// any team's (no staff, no knowledge, no decisions, no messages).
    pub fn public_only(public: PublicView) -> TeamView {
        TeamView {
            team: 0,
            public,
            staff: Vec::new(),
            assets: Vec::new(),
            facts: Facts::default(),
            decisions: Vec::new(),
            queued: Vec::new(),
            history: Vec::new(),
            arriving: Vec::new(),
        }
    }

    /// Staff left this turn for one of the team's organisations.
    pub fn staff_left(&self, org: OrgIdx) -> u32 {
        self.staff
            .iter()
            .find(|s| s.org == org)
            .map_or(0, StaffLine::left)
    }
}

impl FacilitatorView {
    pub(crate) fn build(table: &Table) -> FacilitatorView {
        let session = table.session();
        let read = session.sim().read();
        let scenario = session.scenario();
        let mut assets: Vec<TrueAsset> = (0..scenario.assets.len() as AssetIdx)
            .map(|a| TrueAsset {
                monitoring: read.defences(a).monitoring,
                compromises: Vec::new(),
            })
            .collect();
        for c in read.compromises() {
            if let Some(asset) = assets.get_mut(c.asset as usize) {
                asset.compromises.push(Intrusion {
                    attacker: c.attacker,
                    level: c.level,
                    since: c.since,
                    detected: c.detected,
                });
            }
        }
        FacilitatorView {
            public: PublicView::build(table),
            assets,
            attackers: (0..scenario.attackers.len() as AttackerIdx)
                .map(|a| {
                    let c = read.campaign(a);
                    CampaignView {
                        stage: c.stage,
                        finished: c.finished,
                    }
                })
                .collect(),
            queued: (0..scenario.teams.len() as TeamIdx)
                .map(|t| {
                    table
                        .queue(t)
                        .map_or_else(Vec::new, |p| p.decisions().to_vec())
                })
                .collect(),
            pending: table.pending().to_vec(),
            injects: read
                .injects_fired()
                .iter()
                .zip(read.injects_held())
                .map(|(&fired, &held)| ScriptedInject { fired, held })
                .collect(),
            branches: session
                .log()
                .branches
                .iter()
                .map(|b| BranchView {
                    rewound_to: b.rewound_to,
                    turns: b.abandoned.len() as u32,
                    reason: b.reason.clone(),
                })
                .collect(),
            history: seen_history(session.history(), Viewer::Facilitator, scenario),
        }
    }
}

/// The turns played, each with only the events `viewer` may see.
fn seen_history(history: &[TurnOutcome], viewer: Viewer, scenario: &Scenario) -> Vec<TurnEvents> {
    history
        .iter()
        .map(|o| TurnEvents {
            turn: o.turn,
            events: o
                .events
                .iter()
                .filter(|e| visible(e, viewer, scenario))
                .cloned()
                .collect(),
        })
        .collect()
}

/// Injects scripted for a turn up to the one being decided, to `team`,
/// that have neither fired nor been held back: they fire first thing in
/// this turn.
fn arriving(session: &super::Session, team: TeamIdx) -> Vec<InjectIdx> {
    if session.ended() {
        return Vec::new();
    }
    let turn = session.turn();
    let read = session.sim().read();
    let (fired, held) = (read.injects_fired(), read.injects_held());
    session
        .scenario()
        .injects
        .iter()
        .enumerate()
        .filter(|(i, inject)| {
            matches!(inject.trigger, Trigger::AtTurn(t) if t <= turn)
                && inject.to.contains(&team)
                // Fired already, or held back by the facilitator: not now.
                && fired.get(*i).is_some_and(Option::is_none)
                && !held.get(*i).copied().unwrap_or(false)
        })
        .map(|(i, _)| i as InjectIdx)
        .collect()
}

/// Every decision the team's organisations might take now, each checked
/// with what is already promised this turn. Actions on attackers are
/// offered only for attackers the team has indicators or leads on.
pub fn candidates(lens: &TeamLens, promises: &Promises) -> Vec<Candidate> {
    let attackers = evidence_attackers(lens);
    let mut out = Vec::new();
    each_decision(lens, &attackers, Reach::Now, |d| {
        let org = d.org;
        let queued = promises.contains(&d);
        let status = if queued {
            Ok(())
        } else {
            lens.check(&d, promises.staff(org))
        };
        out.push(Candidate {
            cost: lens.staff_cost(&d),
            duration: lens.decision_rule(d.action.kind()).spec.duration,
            decision: d,
            queued,
            status,
        });
    });
    out
}

/// The attackers a team holds evidence on (indicators or leads), sorted:
/// the only ones it is offered actions against.
pub fn evidence_attackers(lens: &TeamLens) -> Vec<AttackerIdx> {
    let facts = lens.team_facts();
    let mut attackers: Vec<AttackerIdx> = facts
        .indicators
        .iter()
        .copied()
        .chain(facts.leads.iter().map(|l| l.attacker))
        .collect();
    attackers.sort_unstable();
    attackers.dedup();
    attackers
}

/// Which decisions of the team's catalogue are among its `candidates`
/// now: actions on attackers it holds evidence on, and on assets its
/// organisation may act on now (the checks aside).
pub struct Offer {
    attackers: Vec<AttackerIdx>,
    /// Per organisation (by index): the assets it may act on now.
    reach: Vec<Vec<bool>>,
}

impl Offer {
    pub fn new(lens: &TeamLens) -> Offer {
        let assets = lens.availability().len();
        let mut reach = vec![Vec::new(); lens.organisations().len()];
        for &org in lens.my_orgs() {
            let mut mine = vec![false; assets];
            for &a in lens.actionable_assets(org).iter() {
                if let Some(slot) = mine.get_mut(a as usize) {
                    *slot = true;
                }
            }
            reach[org as usize] = mine;
        }
        Offer {
            attackers: evidence_attackers(lens),
            reach,
        }
    }

    pub fn includes(&self, decision: &Decision) -> bool {
        let attacker_ok = decision
            .action
            .attacker()
            .is_none_or(|a| self.attackers.binary_search(&a).is_ok());
        let asset_ok = decision.action.asset().is_none_or(|a| {
            self.reach
                .get(decision.org as usize)
                .and_then(|r| r.get(a as usize))
                .is_some_and(|&ok| ok)
        });
        attacker_ok && asset_ok
    }
}

/// Every decision a team could ever be offered in this scenario: as if it
/// had evidence on every attacker and every access were granted.
/// A fixed list, so a learning agent's actions can be numbered.
pub fn decision_catalogue(lens: &TeamLens) -> Vec<Decision> {
    let attackers: Vec<AttackerIdx> = (0..lens.attacker_count() as AttackerIdx).collect();
    let mut out = Vec::new();
    each_decision(lens, &attackers, Reach::Ever, |d| out.push(d));
    out
}

/// Which assets an organisation's asset actions are listed for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Those it may act on now.
    Now,
    /// Those it could come to act on, as access is granted.
    Ever,
}

/// The decisions open to the team's organisations, with actions on
/// attackers for `attackers` only.
fn each_decision(
    lens: &TeamLens,
    attackers: &[AttackerIdx],
    reach: Reach,
    mut push_decision: impl FnMut(Decision),
) {
    let scenario_orgs = lens.organisations();
    let team = lens.team();
    let others: Vec<OrgIdx> = scenario_orgs
        .iter()
        .enumerate()
        .filter(|(_, o)| o.team.is_some())
        .map(|(i, _)| i as OrgIdx)
        .collect();
    let allies: Vec<OrgIdx> = others
        .iter()
        .copied()
        .filter(|&o| scenario_orgs[o as usize].team != Some(team))
        .collect();
    for &org in lens.my_orgs() {
        let mut push = |action: Action| push_decision(Decision { org, action });
        for kind in DecisionKind::ALL {
            if !lens.decision_rule(kind).allowed {
                continue;
            }
            match kind {
                DecisionKind::Monitor
                | DecisionKind::Hunt
                | DecisionKind::Isolate
                | DecisionKind::Patch
                | DecisionKind::Restore
                | DecisionKind::ResetCredentials => {
                    let assets = match reach {
                        Reach::Now => lens.actionable_assets(org),
                        Reach::Ever => lens.assets_within_reach(org).into(),
                    };
                    for &asset in assets.iter() {
                        push(asset_action(kind, asset));
                    }
                }
                DecisionKind::ShareIntel => {
                    let own: Vec<OrgIdx> = lens
                        .my_orgs()
                        .iter()
                        .copied()
                        .filter(|&o| o != org)
                        .collect();
                    if !own.is_empty() {
                        push(Action::ShareIntel {
                            to: own,
                            tlp: Tlp::Amber,
                        });
                    }
                    if !allies.is_empty() {
                        for tlp in [Tlp::Green, Tlp::Amber] {
                            push(Action::ShareIntel {
                                to: allies.clone(),
                                tlp,
                            });
                        }
                    }
                }
                DecisionKind::RequestAssistance => {
                    for &from in others.iter().filter(|&&o| o != org) {
                        push(Action::RequestAssistance { from });
                    }
                }
                DecisionKind::PublicStatement => push(Action::PublicStatement),
                DecisionKind::RaiseAlert => push(Action::RaiseAlert),
                DecisionKind::ConsultArticle5 => push(Action::ConsultArticle5),
                DecisionKind::Liaison => push(Action::Liaison),
                DecisionKind::AttributePublicly
                | DecisionKind::Takedown
                | DecisionKind::ActiveDefence => {
                    for &attacker in attackers {
                        push(match kind {
                            DecisionKind::AttributePublicly => {
                                Action::AttributePublicly { attacker }
                            }
                            DecisionKind::Takedown => Action::Takedown { attacker },
                            _ => Action::ActiveDefence { attacker },
                        });
                    }
                }
            }
        }
    }
}

fn asset_action(kind: DecisionKind, asset: AssetIdx) -> Action {
    match kind {
        DecisionKind::Monitor => Action::Monitor { asset },
        DecisionKind::Hunt => Action::Hunt { asset },
        DecisionKind::Isolate => Action::Isolate { asset },
        DecisionKind::Patch => Action::Patch { asset },
        DecisionKind::Restore => Action::Restore { asset },
        _ => Action::ResetCredentials { asset },
    }
}
