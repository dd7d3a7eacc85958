//! The after-action report and improvement plan, shaped after HSEEP, as
//! one data model built once from a replayed session log. The Markdown,
//! HTML and JSON outputs only render it, so they always say the same.
//!
//! Everything comes from the log: no clock is read, so the same log gives
//! the same report, byte for byte.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::perspective::{TeamLens, Viewer, visible};
use crate::scenario::model::{AssetIdx, AttackerIdx, Goal, OrgIdx, Scenario, TeamIdx};
use crate::session::Session;
use crate::session::i18n::{Lang, Strings};
use crate::session::log::SessionLog;
use crate::session::narrator::{Narrator, Tone};
use crate::session::replay::{self, ReplayError};
use crate::sim::TurnOutcome;
use crate::sim::decision::{Decision, Refusal};
use crate::sim::event::Event;
use crate::sim::overrides::Change;
use crate::sim::resources::ObjectiveStatus;
use crate::time;

/// A team that learnt of an intrusion this many turns or more after it was
/// first detected elsewhere learnt of it late (see `docs/decisions.md`).
pub const LATE_REPORT_TURNS: u32 = 2;
/// An intrusion detected this many turns or more after it began was
/// detected late.
pub const LATE_DETECTION_TURNS: u32 = 3;
/// Assets charted when no objective names one: the most critical few.
const CHARTED_ASSETS: usize = 5;

#[derive(Debug, Clone, Serialize)]
pub struct AfterActionReport {
    pub lang: &'static str,
    pub overview: Overview,
    pub objectives: Vec<ObjectiveAnalysis>,
    pub intrusions: Vec<Intrusion>,
    pub timeline: Vec<TimelineTurn>,
    pub decisions: Vec<DecisionRecord>,
    pub facilitator: FacilitatorActions,
    pub metrics: KeyMetrics,
    pub series: Series,
    pub improvement_plan: Vec<ImprovementItem>,
    pub participants: Participants,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub scenario_id: String,
    pub title: String,
    /// The scenario's description: what the exercise covers.
    pub scope: String,
    /// Simulated time at the start of turn 1.
    pub start_time: String,
    /// Simulated time at the end of the last turn played.
    pub end_time: String,
    pub turns_played: u32,
    pub turn_limit: u32,
    pub turn_minutes: u32,
    pub ended: bool,
    pub objectives: Vec<String>,
    pub threats: Vec<Threat>,
    pub organisations: Vec<String>,
    pub teams: Vec<TeamEntry>,
    pub seed: u64,
    pub parameters: Vec<String>,
    /// The engine version that wrote the log.
    pub engine: String,
    pub final_hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Threat {
    pub name: String,
    pub sponsor: String,
    pub objective: String,
    pub start_turn: u32,
    pub stages: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamEntry {
    pub id: String,
    pub name: String,
    /// `human` or the policy's name.
    pub controller: String,
    pub controller_label: String,
    pub organisations: Vec<OrgEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrgEntry {
    pub id: String,
    pub name: String,
    pub nation: String,
    pub kind: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Failed,
    Pending,
}

/// HSEEP's four ratings of how an objective's capability was performed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    PerformedWithoutChallenges,
    PerformedWithSomeChallenges,
    PerformedWithMajorChallenges,
    UnableToBePerformed,
}

impl Rating {
    /// The rule, also written down in `docs/decisions.md` and
    /// `docs/report.md`: a failed objective is "unable to be performed"
    /// when the defenders never engaged its threat (no detection and no
    /// successful action bearing on it), else "major challenges"; a met or
    /// pending one is "without challenges" when the run shows no area for
    /// improvement for it, else "some challenges".
    pub fn rule(status: Status, findings: usize, engaged: bool) -> Rating {
        match status {
            Status::Failed if !engaged => Rating::UnableToBePerformed,
            Status::Failed => Rating::PerformedWithMajorChallenges,
            _ if findings == 0 => Rating::PerformedWithoutChallenges,
            _ => Rating::PerformedWithSomeChallenges,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Rating::PerformedWithoutChallenges => "report_rating_p",
            Rating::PerformedWithSomeChallenges => "report_rating_s",
            Rating::PerformedWithMajorChallenges => "report_rating_m",
            Rating::UnableToBePerformed => "report_rating_u",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveAnalysis {
    pub id: String,
    pub title: String,
    pub weight: u32,
    pub status: Status,
    pub status_label: String,
    pub rating: Rating,
    pub rating_label: String,
    pub strengths: Vec<String>,
    pub improvements: Vec<Finding>,
}

/// What kind of area for improvement a finding is; it decides the
/// corrective action and the capability element in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    NeverDetected,
    LateDetection,
    LateReporting,
    RefusedForStaff,
    RefusedForAuthority,
    RefusedForTrust,
    Refused,
    ActionFailed,
    Outage,
    RecordsStolen,
    ObjectiveFailed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub text: String,
    pub corrective_action: String,
    /// The organisation that owns the fix.
    pub organisation: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Intrusion {
    pub asset: String,
    pub owner: String,
    pub attacker: String,
    pub compromised_turn: u32,
    pub detected_turn: Option<u32>,
    pub detected_by: Option<String>,
    pub turns_to_detect: Option<u32>,
    pub teams: Vec<TeamLearning>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamLearning {
    pub team: String,
    pub learned_turn: Option<u32>,
    /// Turns between the intrusion and the team learning of it.
    pub turns_late: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventTone {
    Normal,
    Good,
    Bad,
    Hidden,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineTurn {
    pub turn: u32,
    pub time: String,
    pub score: u32,
    /// What happened: ground truth, in the facilitator's words.
    pub events: Vec<TimelineEvent>,
    /// What each team knew of it at the time.
    pub teams: Vec<TeamTurn>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEvent {
    pub text: String,
    pub tone: EventTone,
    /// Teams this event was not shown to.
    pub unseen_by: Vec<String>,
    /// For an intrusion: when each team learnt of it, or that it never did.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamTurn {
    pub team: String,
    pub saw: Vec<String>,
    /// Intrusions the team's organisations learnt of this turn.
    pub learned: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    Refused,
    Succeeded,
    Failed,
    InProgress,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionRecord {
    pub turn: u32,
    pub team: String,
    pub organisation: String,
    pub decision: String,
    /// One of the choices senior officials weigh (sharing, assistance,
    /// statements, attribution, Article 5, alert, liaison, active defence).
    pub strategic: bool,
    pub outcome: DecisionOutcome,
    pub outcome_label: String,
    /// The refusal's reason, or when the action finished.
    pub detail: String,
    pub result_turn: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacilitatorActions {
    pub interventions: Vec<Intervention>,
    pub rewinds: Vec<Rewind>,
    /// The facilitator's notes, as kept in the log.
    pub notes: Vec<crate::session::log::FacilitatorNote>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Intervention {
    pub turn: u32,
    /// `inject` or `override`.
    pub kind: &'static str,
    pub kind_label: String,
    pub what: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rewind {
    pub rewound_to: u32,
    pub reason: String,
    pub abandoned_turns: Vec<u32>,
    pub abandoned_decisions: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyMetrics {
    pub final_score: u32,
    pub objectives_total: usize,
    pub objectives_met: usize,
    pub objectives_failed: usize,
    pub objectives_pending: usize,
    pub public_trust_permille: u16,
    pub alliance_trust_permille: u16,
    pub records_stolen: u64,
    pub assets_compromised: usize,
    pub assets_detected: usize,
    pub intrusions_never_detected: usize,
    /// Mean turns from intrusion to first detection, to one decimal.
    pub mean_turns_to_detect: Option<f64>,
    pub max_turns_to_detect: Option<u32>,
    pub outages: usize,
    pub assets_down_at_end: u32,
    pub customer_hours_lost: u64,
    pub peak_impact_permille: u16,
    pub decisions_taken: usize,
    pub decisions_refused: usize,
}

/// Values per turn for the charts.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub turns: Vec<u32>,
    pub score: Vec<u32>,
    pub assets: Vec<NamedSeries>,
    /// Stages of each campaign completed by the end of each turn.
    pub attackers: Vec<NamedSeries>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedSeries {
    pub name: String,
    /// The largest value the series can take (1000 for availability, the
    /// number of stages for a campaign).
    pub max: u32,
    pub values: Vec<u32>,
}

/// HSEEP capability elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CapabilityElement {
    Planning,
    Organisation,
    Equipment,
    Training,
    Exercises,
}

impl CapabilityElement {
    fn of(kind: FindingKind) -> CapabilityElement {
        match kind {
            FindingKind::NeverDetected
            | FindingKind::LateDetection
            | FindingKind::RecordsStolen => CapabilityElement::Equipment,
            FindingKind::LateReporting
            | FindingKind::RefusedForAuthority
            | FindingKind::RefusedForTrust
            | FindingKind::Outage => CapabilityElement::Planning,
            FindingKind::RefusedForStaff => CapabilityElement::Organisation,
            FindingKind::Refused | FindingKind::ActionFailed => CapabilityElement::Training,
            FindingKind::ObjectiveFailed => CapabilityElement::Exercises,
        }
    }
    fn key(self) -> &'static str {
        match self {
            CapabilityElement::Planning => "report_element_planning",
            CapabilityElement::Organisation => "report_element_organisation",
            CapabilityElement::Equipment => "report_element_equipment",
            CapabilityElement::Training => "report_element_training",
            CapabilityElement::Exercises => "report_element_exercises",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImprovementItem {
    pub capability: String,
    pub issue: String,
    pub corrective_action: String,
    pub element: CapabilityElement,
    pub element_label: String,
    pub organisation: String,
    /// Left blank for the exercise's planners to fill in.
    pub point_of_contact: String,
    pub start_date: String,
    pub completion_date: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Participants {
    pub teams: Vec<TeamEntry>,
    /// Organisations in the scenario that no team plays.
    pub others: Vec<OrgEntry>,
}

/// What was read from the world at the end of each turn, beside the
/// turn's events.
struct TurnSnapshot {
    outcome: TurnOutcome,
    availability: Vec<u16>,
    stages_done: Vec<u32>,
    /// Per team, the (asset, attacker) intrusions its organisations know.
    known: Vec<BTreeSet<(AssetIdx, AttackerIdx)>>,
}

/// Replays `log` (every hash checked) and builds its report.
pub fn build(log: &SessionLog, lang: Lang) -> Result<AfterActionReport, ReplayError> {
    build_with_scenario(log, lang).map(|(report, _)| report)
}

/// [`build`], also handing back the scenario the log was played on.
pub fn build_with_scenario(
    log: &SessionLog,
    lang: Lang,
) -> Result<(AfterActionReport, std::sync::Arc<Scenario>), ReplayError> {
    let mut snapshots = Vec::new();
    let (session, summary) = replay::replay_observed(log, None, |session, outcome| {
        let read = session.sim().read();
        let scenario = read.scenario();
        snapshots.push(TurnSnapshot {
            outcome: outcome.clone(),
            availability: read.availability().to_vec(),
            stages_done: (0..scenario.attackers.len())
                .map(|a| {
                    let c = read.campaign(a as AttackerIdx);
                    if c.finished {
                        scenario.attackers[a].campaign.len() as u32
                    } else {
                        c.stage
                    }
                })
                .collect(),
            known: (0..scenario.teams.len())
                .map(|t| {
                    TeamLens::from_read(read.clone(), t as TeamIdx)
                        .known_compromises()
                        .iter()
                        .map(|k| (k.asset, k.attacker))
                        .collect()
                })
                .collect(),
        });
    })?;
    let strings = Strings::new(lang);
    let report = Builder::new(&session, log, &strings, &snapshots, summary.final_hash).build();
    Ok((report, session.scenario().clone()))
}

/// The assets whose availability is charted: those the objectives name,
/// else the most critical few.
fn charted_assets(scenario: &Scenario) -> Vec<AssetIdx> {
    let mut named: Vec<AssetIdx> = scenario
        .objectives
        .iter()
        .filter_map(|o| match o.goal {
            Goal::KeepAvailable { asset, .. } => Some(asset),
            _ => None,
        })
        .collect();
    named.sort_unstable();
    named.dedup();
    if !named.is_empty() {
        return named;
    }
    let mut all: Vec<AssetIdx> = (0..scenario.assets.len() as AssetIdx).collect();
    // Most critical first; ties by scenario order, so the choice is stable.
    all.sort_by_key(|&a| {
        (
            std::cmp::Reverse(scenario.assets[a as usize].criticality),
            a,
        )
    });
    all.truncate(CHARTED_ASSETS);
    all.sort_unstable();
    all
}

/// What an objective is about: which assets and attackers (`None` means
/// all), and whether outages and stolen records count against it.
struct Relevance {
    assets: Option<BTreeSet<AssetIdx>>,
    attackers: Option<BTreeSet<AttackerIdx>>,
    outages: bool,
    records: bool,
}

impl Relevance {
    fn of(scenario: &Scenario, goal: &Goal) -> Relevance {
        let assets_where = |keep: fn(&crate::scenario::model::Asset) -> bool| {
            Some(
                (0..scenario.assets.len() as AssetIdx)
                    .filter(|&a| keep(&scenario.assets[a as usize]))
                    .collect(),
            )
        };
        let targets = |a: AttackerIdx| {
            scenario.attackers.get(a as usize).map(|x| {
                x.campaign
                    .iter()
                    .flat_map(|s| s.targets.iter().copied())
                    .collect::<BTreeSet<_>>()
            })
        };
        let whole = |records| Relevance {
            assets: None,
            attackers: None,
            outages: false,
            records,
        };
        match *goal {
            Goal::KeepAvailable { asset, .. } => Relevance {
                assets: Some(BTreeSet::from([asset])),
                attackers: None,
                outages: true,
                records: false,
            },
            Goal::ProtectRecords { .. } => Relevance {
                assets: assets_where(|a| a.records > 0),
                attackers: None,
                outages: false,
                records: true,
            },
            Goal::LimitOutage { .. } => Relevance {
                assets: assets_where(|a| a.population > 0),
                attackers: None,
                outages: true,
                records: false,
            },
            Goal::DetectWithin { attacker, .. } | Goal::ContainBy { attacker, .. } => Relevance {
                assets: targets(attacker),
                attackers: Some(BTreeSet::from([attacker])),
                outages: false,
                records: false,
            },
            // Attribution is about the attacker, not the systems it hit.
            Goal::AttributeCorrectly { attacker } => Relevance {
                assets: Some(BTreeSet::new()),
                attackers: Some(BTreeSet::from([attacker])),
                outages: false,
                records: false,
            },
            Goal::KeepPublicTrust { .. } => whole(true),
            Goal::DiscloseWithin { .. }
            | Goal::KeepAllianceTrust { .. }
            | Goal::EscalateAppropriately { .. } => whole(false),
        }
    }

    fn asset(&self, a: AssetIdx) -> bool {
        self.assets.as_ref().is_none_or(|s| s.contains(&a))
    }
    fn attacker(&self, a: AttackerIdx) -> bool {
        self.attackers.as_ref().is_none_or(|s| s.contains(&a))
    }
    /// An objective about an attacker counts its intrusions anywhere; one
    /// about assets counts any intrusion on them, whoever made it.
    fn intrusion(&self, asset: AssetIdx, attacker: AttackerIdx) -> bool {
        match &self.attackers {
            Some(set) => set.contains(&attacker),
            None => self.asset(asset),
        }
    }
    /// A decision bears on the objective when it targets one of its assets
    /// or attackers; untargeted decisions bear on the objectives about the
    /// whole exercise.
    fn decision(&self, d: &Decision) -> bool {
        match (d.action.asset(), d.action.attacker()) {
            (Some(a), _) => self.assets.as_ref().is_some_and(|s| s.contains(&a)),
            (None, Some(x)) => self.attacker(x),
            (None, None) => self.assets.is_none(),
        }
    }
}

/// One intrusion as the run saw it, by scenario indices.
struct IntrusionFacts {
    asset: AssetIdx,
    attacker: AttackerIdx,
    compromised: u32,
    detected: Option<(u32, OrgIdx)>,
    learned: Vec<Option<u32>>,
}

struct Builder<'a> {
    session: &'a Session,
    log: &'a SessionLog,
    scenario: &'a Scenario,
    strings: &'a Strings,
    facilitator: Narrator<'a>,
    snapshots: &'a [TurnSnapshot],
    final_hash: String,
    intrusions: Vec<IntrusionFacts>,
}

impl<'a> Builder<'a> {
    fn new(
        session: &'a Session,
        log: &'a SessionLog,
        strings: &'a Strings,
        snapshots: &'a [TurnSnapshot],
        final_hash: String,
    ) -> Builder<'a> {
        let scenario: &Scenario = session.scenario();
        let mut b = Builder {
            session,
            log,
            scenario,
            strings,
            facilitator: Narrator::new(scenario, Viewer::Facilitator, strings),
            snapshots,
            final_hash,
            intrusions: Vec::new(),
        };
        b.intrusions = b.find_intrusions();
        b
    }

    fn s(&self, key: &str) -> String {
        self.strings.get(key).to_string()
    }
    fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.strings.fmt(key, args)
    }
    fn text(&self, t: &crate::scenario::model::Text) -> String {
        self.strings.text(t).to_string()
    }
    fn team_name(&self, t: TeamIdx) -> String {
        self.scenario
            .teams
            .get(t as usize)
            .map_or_else(|| format!("#{t}"), |x| self.text(&x.name))
    }
    fn org_team(&self, o: OrgIdx) -> Option<TeamIdx> {
        self.scenario
            .organisations
            .get(o as usize)
            .and_then(|x| x.team)
    }
    fn outcomes(&self) -> impl Iterator<Item = &'a TurnOutcome> {
        self.snapshots.iter().map(|s| &s.outcome)
    }

    /// Every (asset, attacker) intrusion, in the order it began, with its
    /// first detection and the turn each team first knew of it.
    fn find_intrusions(&self) -> Vec<IntrusionFacts> {
        let teams = self.scenario.teams.len();
        let mut found: Vec<IntrusionFacts> = Vec::new();
        let mut index: BTreeMap<(AssetIdx, AttackerIdx), usize> = BTreeMap::new();
        for snap in self.snapshots {
            let turn = snap.outcome.turn;
            for e in &snap.outcome.events {
                match e {
                    Event::AssetCompromised { asset, attacker } => {
                        index.entry((*asset, *attacker)).or_insert_with(|| {
                            found.push(IntrusionFacts {
                                asset: *asset,
                                attacker: *attacker,
                                compromised: turn,
                                detected: None,
                                learned: vec![None; teams],
                            });
                            found.len() - 1
                        });
                    }
                    Event::Detected {
                        org,
                        asset,
                        attacker,
                    } => {
                        if let Some(&i) = index.get(&(*asset, *attacker))
                            && found[i].detected.is_none()
                        {
                            found[i].detected = Some((turn, *org));
                        }
                    }
                    _ => {}
                }
            }
            for (t, known) in snap.known.iter().enumerate() {
                for key in known {
                    if let Some(&i) = index.get(key)
                        && let Some(slot) = found[i].learned.get_mut(t)
                        && slot.is_none()
                    {
                        *slot = Some(turn);
                    }
                }
            }
        }
        found
    }

    fn build(&self) -> AfterActionReport {
        let objectives = self.objectives();
        let improvement_plan = self.improvement_plan(&objectives);
        let teams = self.teams();
        AfterActionReport {
            lang: match self.strings.lang() {
                Lang::En => "en",
                Lang::Ja => "ja",
            },
            overview: self.overview(teams.clone()),
            metrics: self.metrics(),
            objectives,
            intrusions: self.intrusion_table(),
            timeline: self.timeline(),
            decisions: self.decisions(),
            facilitator: self.facilitator_actions(),
            series: self.series(),
            improvement_plan,
            participants: Participants {
                teams,
                others: (0..self.scenario.organisations.len() as OrgIdx)
                    .filter(|&o| self.org_team(o).is_none())
                    .map(|o| self.org_entry(o))
                    .collect(),
            },
        }
    }

    fn org_entry(&self, o: OrgIdx) -> OrgEntry {
        let x = &self.scenario.organisations[o as usize];
        OrgEntry {
            id: x.id.clone(),
            name: self.text(&x.name),
            nation: format!("{:?}", x.nation),
            kind: format!("{:?}", x.kind),
        }
    }

    fn teams(&self) -> Vec<TeamEntry> {
        self.scenario
            .teams
            .iter()
            .map(|t| {
                let controller = self
                    .log
                    .teams
                    .iter()
                    .find(|a| a.team == t.id)
                    .map_or_else(|| "human".to_string(), |a| a.controller.clone());
                let controller_label = if controller == "human" {
                    self.s("report_controller_human")
                } else {
                    self.f("report_controller_policy", &[("policy", &controller)])
                };
                TeamEntry {
                    id: t.id.clone(),
                    name: self.text(&t.name),
                    controller,
                    controller_label,
                    organisations: t.organisations.iter().map(|&o| self.org_entry(o)).collect(),
                }
            })
            .collect()
    }

    fn overview(&self, teams: Vec<TeamEntry>) -> Overview {
        let sc = self.scenario;
        let played = self.log.turns.len() as u32;
        let end = time::turn_start(sc.start_minute, sc.turn_minutes, played + 1);
        Overview {
            scenario_id: sc.id.clone(),
            title: self.text(&sc.title),
            scope: self.text(&sc.description),
            start_time: time::format_minute(sc.start_minute),
            end_time: time::format_minute(end),
            turns_played: played,
            turn_limit: sc.turn_limit,
            turn_minutes: sc.turn_minutes,
            ended: self.session.ended(),
            objectives: sc.objectives.iter().map(|o| self.text(&o.title)).collect(),
            threats: sc
                .attackers
                .iter()
                .map(|a| Threat {
                    name: self.text(&a.name),
                    sponsor: a.sponsor.clone(),
                    objective: format!("{:?}", a.objective),
                    start_turn: a.start_turn,
                    stages: a.campaign.iter().map(|s| s.name.clone()).collect(),
                })
                .collect(),
            organisations: teams
                .iter()
                .flat_map(|t| t.organisations.iter().map(|o| o.name.clone()))
                .collect(),
            teams,
            seed: self.log.seed,
            parameters: self.log.parameters.clone(),
            engine: self.log.engine.clone(),
            final_hash: self.final_hash.clone(),
        }
    }

    fn status(&self, i: usize) -> Status {
        match self.session.sim().read().objectives().status.get(i) {
            Some(ObjectiveStatus::Met) => Status::Met,
            Some(ObjectiveStatus::Failed) => Status::Failed,
            _ => Status::Pending,
        }
    }

    fn objectives(&self) -> Vec<ObjectiveAnalysis> {
        self.scenario
            .objectives
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let status = self.status(i);
                let relevance = Relevance::of(self.scenario, &o.goal);
                let (strengths, mut improvements, engaged) = self.findings(&relevance);
                if status == Status::Failed && improvements.is_empty() {
                    let title = self.text(&o.title);
                    improvements.push(Finding {
                        kind: FindingKind::ObjectiveFailed,
                        text: self.f("report_finding_failed", &[("obj", &title)]),
                        corrective_action: self.f("report_action_failed", &[("obj", &title)]),
                        organisation: self.lead_organisation(),
                    });
                }
                let rating = Rating::rule(status, improvements.len(), engaged);
                ObjectiveAnalysis {
                    id: o.id.clone(),
                    title: self.text(&o.title),
                    weight: o.weight,
                    status,
                    status_label: self.s(match status {
                        Status::Met => "met",
                        Status::Failed => "failed",
                        Status::Pending => "pending",
                    }),
                    rating,
                    rating_label: self.s(rating.key()),
                    strengths,
                    improvements,
                }
            })
            .collect()
    }

    /// The first organisation of the first team: who owns a finding that
    /// names no one else.
    fn lead_organisation(&self) -> String {
        self.scenario
            .teams
            .first()
            .and_then(|t| t.organisations.first())
            .map_or_else(String::new, |&o| self.facilitator.org(o))
    }

    /// Strengths, areas for improvement, and whether the defenders engaged
    /// the objective's threat at all.
    fn findings(&self, rel: &Relevance) -> (Vec<String>, Vec<Finding>, bool) {
        let n = &self.facilitator;
        let mut strengths = Vec::new();
        let mut improvements = Vec::new();
        let mut engaged = false;
        for x in self.intrusions.iter() {
            if !rel.intrusion(x.asset, x.attacker) {
                continue;
            }
            let asset = n.asset(x.asset);
            let owner = n.org(self.scenario.assets[x.asset as usize].owner);
            let since = x.compromised.to_string();
            match x.detected {
                None => improvements.push(Finding {
                    kind: FindingKind::NeverDetected,
                    text: self.f(
                        "report_finding_undetected",
                        &[("asset", &asset), ("turn", &since)],
                    ),
                    corrective_action: self.f("report_action_monitor", &[("asset", &asset)]),
                    organisation: owner,
                }),
                Some((turn, by)) => {
                    engaged = true;
                    let lag = turn.saturating_sub(x.compromised);
                    let args = [
                        ("asset", asset.as_str()),
                        ("org", &n.org(by)),
                        ("n", &lag.to_string()),
                    ];
                    if lag >= LATE_DETECTION_TURNS {
                        improvements.push(Finding {
                            kind: FindingKind::LateDetection,
                            text: self.f("report_finding_late_detection", &args),
                            corrective_action: self.f("report_action_hunt", &[("asset", &asset)]),
                            organisation: owner,
                        });
                    } else {
                        strengths.push(self.f("report_strength_detected", &args));
                    }
                    for (t, learned) in x.learned.iter().enumerate() {
                        let Some(learned) = learned else { continue };
                        let gap = learned.saturating_sub(turn);
                        if gap >= LATE_REPORT_TURNS {
                            improvements.push(Finding {
                                kind: FindingKind::LateReporting,
                                text: self.f(
                                    "report_finding_late_report",
                                    &[
                                        ("team", &self.team_name(t as TeamIdx)),
                                        ("asset", &asset),
                                        ("org", &n.org(by)),
                                        ("n", &gap.to_string()),
                                    ],
                                ),
                                corrective_action: self
                                    .f("report_action_report", &[("org", &n.org(by))]),
                                organisation: n.org(by),
                            });
                        }
                    }
                }
            }
        }
        // Refusals and failures, counted per organisation and reason so a
        // policy retrying every turn makes one finding, not twenty.
        let mut refused: BTreeMap<(OrgIdx, String), (FindingKind, u32, u32, String)> =
            BTreeMap::new();
        let mut failed: BTreeMap<(OrgIdx, String), (u32, u32)> = BTreeMap::new();
        let mut succeeded: BTreeMap<(OrgIdx, String), (u32, u32)> = BTreeMap::new();
        for o in self.outcomes() {
            for e in &o.events {
                match e {
                    Event::DecisionRefused { decision, reason } if rel.decision(decision) => {
                        let why = n.refusal(reason);
                        let kind = match reason {
                            Refusal::NotEnoughStaff { .. } | Refusal::NoStaffToLend => {
                                FindingKind::RefusedForStaff
                            }
                            Refusal::MissingAuthority(_) | Refusal::NotResponsibleForAsset => {
                                FindingKind::RefusedForAuthority
                            }
                            Refusal::TlpNotPermitted { .. } => FindingKind::RefusedForTrust,
                            _ => FindingKind::Refused,
                        };
                        let entry = refused.entry((decision.org, why)).or_insert((
                            kind,
                            0,
                            o.turn,
                            n.action(&decision.action),
                        ));
                        entry.1 += 1;
                    }
                    Event::ActionFailed { decision, .. } if rel.decision(decision) => {
                        let entry = failed
                            .entry((decision.org, n.action(&decision.action)))
                            .or_insert((0, o.turn));
                        entry.0 += 1;
                    }
                    Event::ActionSucceeded { decision } if rel.decision(decision) => {
                        engaged = true;
                        let entry = succeeded
                            .entry((decision.org, n.action(&decision.action)))
                            .or_insert((0, o.turn));
                        entry.0 += 1;
                    }
                    Event::Evicted { asset, .. } if rel.asset(*asset) => {
                        engaged = true;
                    }
                    Event::AssetDown { asset } if rel.outages && rel.asset(*asset) => {
                        let name = n.asset(*asset);
                        improvements.push(Finding {
                            kind: FindingKind::Outage,
                            text: self.f(
                                "report_finding_outage",
                                &[("asset", &name), ("turn", &o.turn.to_string())],
                            ),
                            corrective_action: self
                                .f("report_action_continuity", &[("asset", &name)]),
                            organisation: n.org(self.scenario.assets[*asset as usize].owner),
                        });
                    }
                    Event::RecordsStolen {
                        asset,
                        attacker,
                        count,
                    } if rel.records && rel.intrusion(*asset, *attacker) => {
                        let name = n.asset(*asset);
                        improvements.push(Finding {
                            kind: FindingKind::RecordsStolen,
                            text: self.f(
                                "report_finding_stolen",
                                &[
                                    ("asset", &name),
                                    ("n", &count.to_string()),
                                    ("turn", &o.turn.to_string()),
                                ],
                            ),
                            corrective_action: self.f("report_action_records", &[("asset", &name)]),
                            organisation: n.org(self.scenario.assets[*asset as usize].owner),
                        });
                    }
                    _ => {}
                }
            }
        }
        for ((org, action), (count, first)) in succeeded {
            strengths.push(self.f(
                "report_strength_succeeded",
                &[
                    ("org", &n.org(org)),
                    ("action", &action),
                    ("n", &count.to_string()),
                    ("turn", &first.to_string()),
                ],
            ));
        }
        for ((org, why), (kind, count, first, action)) in refused {
            let org_name = n.org(org);
            let action_key = match kind {
                FindingKind::RefusedForStaff => "report_action_staff",
                FindingKind::RefusedForAuthority => "report_action_authority",
                FindingKind::RefusedForTrust => "report_action_trust",
                _ => "report_action_procedure",
            };
            improvements.push(Finding {
                kind,
                text: self.f(
                    "report_finding_refused",
                    &[
                        ("org", &org_name),
                        ("n", &count.to_string()),
                        ("turn", &first.to_string()),
                        ("action", &action),
                        ("why", &why),
                    ],
                ),
                corrective_action: self.f(action_key, &[("org", &org_name), ("action", &action)]),
                organisation: org_name,
            });
        }
        for ((org, action), (count, first)) in failed {
            let org_name = n.org(org);
            improvements.push(Finding {
                kind: FindingKind::ActionFailed,
                text: self.f(
                    "report_finding_action_failed",
                    &[
                        ("org", &org_name),
                        ("action", &action),
                        ("n", &count.to_string()),
                        ("turn", &first.to_string()),
                    ],
                ),
                corrective_action: self.f(
                    "report_action_training",
                    &[("org", &org_name), ("action", &action)],
                ),
                organisation: org_name,
            });
        }
        (strengths, improvements, engaged)
    }

    fn improvement_plan(&self, objectives: &[ObjectiveAnalysis]) -> Vec<ImprovementItem> {
        let to_be_set = self.s("report_to_be_set");
        objectives
            .iter()
            .flat_map(|o| {
                o.improvements.iter().map(|f| {
                    let element = CapabilityElement::of(f.kind);
                    ImprovementItem {
                        capability: o.title.clone(),
                        issue: f.text.clone(),
                        corrective_action: f.corrective_action.clone(),
                        element,
                        element_label: self.s(element.key()),
                        organisation: f.organisation.clone(),
                        point_of_contact: String::new(),
                        start_date: to_be_set.clone(),
                        completion_date: to_be_set.clone(),
                    }
                })
            })
            .collect()
    }

    fn intrusion_table(&self) -> Vec<Intrusion> {
        let n = &self.facilitator;
        self.intrusions
            .iter()
            .map(|x| Intrusion {
                asset: n.asset(x.asset),
                owner: n.org(self.scenario.assets[x.asset as usize].owner),
                attacker: n.attacker(x.attacker),
                compromised_turn: x.compromised,
                detected_turn: x.detected.map(|d| d.0),
                detected_by: x.detected.map(|d| n.org(d.1)),
                turns_to_detect: x.detected.map(|d| d.0.saturating_sub(x.compromised)),
                teams: x
                    .learned
                    .iter()
                    .enumerate()
                    .map(|(t, l)| TeamLearning {
                        team: self.team_name(t as TeamIdx),
                        learned_turn: *l,
                        turns_late: l.map(|l| l.saturating_sub(x.compromised)),
                    })
                    .collect(),
            })
            .collect()
    }

    fn timeline(&self) -> Vec<TimelineTurn> {
        let sc = self.scenario;
        let team_narrators: Vec<Narrator> = (0..sc.teams.len() as TeamIdx)
            .map(|t| Narrator::new(sc, Viewer::Team(t), self.strings))
            .collect();
        let mut known_before: Vec<BTreeSet<(AssetIdx, AttackerIdx)>> =
            vec![BTreeSet::new(); sc.teams.len()];
        self.snapshots
            .iter()
            .map(|snap| {
                let o = &snap.outcome;
                let events = o
                    .events
                    .iter()
                    .map(|e| {
                        let (text, tone) = self.facilitator.event(e);
                        TimelineEvent {
                            text,
                            tone: match tone {
                                Tone::Normal => EventTone::Normal,
                                Tone::Good => EventTone::Good,
                                Tone::Bad => EventTone::Bad,
                                Tone::Hidden => EventTone::Hidden,
                            },
                            unseen_by: (0..sc.teams.len() as TeamIdx)
                                .filter(|&t| !visible(e, Viewer::Team(t), sc))
                                .map(|t| self.team_name(t))
                                .collect(),
                            note: match e {
                                Event::AssetCompromised { asset, attacker } => {
                                    self.learning_note(*asset, *attacker, o.turn)
                                }
                                _ => None,
                            },
                        }
                    })
                    .collect();
                let teams = team_narrators
                    .iter()
                    .enumerate()
                    .map(|(t, narrator)| {
                        let learned = snap.known[t]
                            .difference(&known_before[t])
                            .map(|&(asset, attacker)| {
                                let began = self
                                    .intrusions
                                    .iter()
                                    .find(|x| x.asset == asset && x.attacker == attacker)
                                    .map(|x| x.compromised);
                                match began {
                                    Some(b) => self.f(
                                        "report_learned",
                                        &[
                                            ("asset", &narrator.asset(asset)),
                                            ("n", &o.turn.saturating_sub(b).to_string()),
                                        ],
                                    ),
                                    None => self.f(
                                        "report_learned_unknown",
                                        &[("asset", &narrator.asset(asset))],
                                    ),
                                }
                            })
                            .collect();
                        known_before[t] = snap.known[t].clone();
                        TeamTurn {
                            team: self.team_name(t as TeamIdx),
                            saw: o
                                .events
                                .iter()
                                .filter(|e| visible(e, Viewer::Team(t as TeamIdx), sc))
                                .map(|e| narrator.event(e).0)
                                .collect(),
                            learned,
                        }
                    })
                    .collect();
                TimelineTurn {
                    turn: o.turn,
                    time: time::format_minute(time::turn_start(
                        sc.start_minute,
                        sc.turn_minutes,
                        o.turn,
                    )),
                    score: o.score,
                    events,
                    teams,
                }
            })
            .collect()
    }

    /// "Japan learnt of it 3 turns later; United States never did."
    fn learning_note(&self, asset: AssetIdx, attacker: AttackerIdx, turn: u32) -> Option<String> {
        let x = self
            .intrusions
            .iter()
            .find(|x| x.asset == asset && x.attacker == attacker && x.compromised == turn)?;
        let parts: Vec<String> = x
            .learned
            .iter()
            .enumerate()
            .map(|(t, l)| {
                let team = self.team_name(t as TeamIdx);
                match l {
                    Some(l) => self.f(
                        "report_note_learned",
                        &[("team", &team), ("n", &l.saturating_sub(turn).to_string())],
                    ),
                    None => self.f("report_note_never", &[("team", &team)]),
                }
            })
            .collect();
        Some(parts.join("; "))
    }

    fn decisions(&self) -> Vec<DecisionRecord> {
        let n = &self.facilitator;
        let mut records: Vec<DecisionRecord> = Vec::new();
        // Started decisions waiting for their result, oldest first.
        let mut running: BTreeMap<Decision, Vec<usize>> = BTreeMap::new();
        for o in self.outcomes() {
            for e in &o.events {
                match e {
                    Event::DecisionStarted { decision, turns } => {
                        running
                            .entry(decision.clone())
                            .or_default()
                            .push(records.len());
                        records.push(self.decision_record(
                            o.turn,
                            decision,
                            DecisionOutcome::InProgress,
                            self.f("report_takes_turns", &[("n", &turns.to_string())]),
                        ));
                    }
                    Event::DecisionRefused { decision, reason } => {
                        records.push(self.decision_record(
                            o.turn,
                            decision,
                            DecisionOutcome::Refused,
                            n.refusal(reason),
                        ));
                    }
                    Event::ActionSucceeded { decision } | Event::ActionFailed { decision, .. } => {
                        let waiting = running.get_mut(decision);
                        if let Some(i) = waiting.filter(|w| !w.is_empty()).map(|w| w.remove(0))
                            && let Some(r) = records.get_mut(i)
                        {
                            let outcome = if matches!(e, Event::ActionSucceeded { .. }) {
                                DecisionOutcome::Succeeded
                            } else {
                                DecisionOutcome::Failed
                            };
                            r.outcome = outcome;
                            r.outcome_label = self.s(outcome_key(outcome));
                            r.detail =
                                self.f("report_finished_turn", &[("n", &o.turn.to_string())]);
                            r.result_turn = Some(o.turn);
                        }
                    }
                    _ => {}
                }
            }
        }
        records
    }

    fn decision_record(
        &self,
        turn: u32,
        d: &Decision,
        outcome: DecisionOutcome,
        detail: String,
    ) -> DecisionRecord {
        let n = &self.facilitator;
        DecisionRecord {
            turn,
            team: self
                .org_team(d.org)
                .map_or_else(String::new, |t| self.team_name(t)),
            organisation: n.org(d.org),
            decision: n.action(&d.action),
            strategic: d.action.kind().is_strategic(),
            outcome,
            outcome_label: self.s(outcome_key(outcome)),
            detail,
            result_turn: None,
        }
    }

    fn facilitator_actions(&self) -> FacilitatorActions {
        let interventions = self
            .log
            .turns
            .iter()
            .flat_map(|t| {
                t.overrides.iter().map(move |o| {
                    let kind = match o.change {
                        Change::AdHocInject { .. } => "inject",
                        _ => "override",
                    };
                    Intervention {
                        turn: t.turn,
                        kind,
                        kind_label: self.s(if kind == "inject" {
                            "report_kind_inject"
                        } else {
                            "report_kind_override"
                        }),
                        what: self.change(&o.change),
                        reason: o.reason.clone(),
                    }
                })
            })
            .collect();
        let rewinds = self
            .log
            .branches
            .iter()
            .map(|b| Rewind {
                rewound_to: b.rewound_to,
                reason: b.reason.clone(),
                abandoned_turns: b.abandoned.iter().map(|t| t.turn).collect(),
                abandoned_decisions: b.abandoned.iter().map(|t| t.decisions.len()).sum(),
            })
            .collect();
        FacilitatorActions {
            interventions,
            rewinds,
            notes: self.log.notes.clone(),
        }
    }

    fn change(&self, c: &Change) -> String {
        self.facilitator.change(c)
    }

    fn metrics(&self) -> KeyMetrics {
        let read = self.session.sim().read();
        let objectives = read.objectives();
        let m = read.metrics();
        let p = read.politics();
        let count = |s: ObjectiveStatus| objectives.status.iter().filter(|x| **x == s).count();
        let lags: Vec<u32> = self
            .intrusions
            .iter()
            .filter_map(|x| x.detected.map(|d| d.0.saturating_sub(x.compromised)))
            .collect();
        let compromised: BTreeSet<AssetIdx> = self.intrusions.iter().map(|x| x.asset).collect();
        let detected: BTreeSet<AssetIdx> = self
            .intrusions
            .iter()
            .filter(|x| x.detected.is_some())
            .map(|x| x.asset)
            .collect();
        let mean = (!lags.is_empty()).then(|| {
            // Tenths, in integers, so the figure never depends on rounding.
            let tenths = (u64::from(lags.iter().sum::<u32>()) * 10 + lags.len() as u64 / 2)
                / lags.len() as u64;
            tenths as f64 / 10.0
        });
        let mut decisions_taken = 0;
        let mut decisions_refused = 0;
        let mut outages = 0;
        let mut records_stolen = 0;
        for o in self.outcomes() {
            for e in &o.events {
                match e {
                    Event::DecisionStarted { .. } => decisions_taken += 1,
                    Event::DecisionRefused { .. } => decisions_refused += 1,
                    Event::AssetDown { .. } => outages += 1,
                    Event::RecordsStolen { count, .. } => records_stolen += count,
                    _ => {}
                }
            }
        }
        KeyMetrics {
            final_score: objectives.score,
            objectives_total: objectives.status.len(),
            objectives_met: count(ObjectiveStatus::Met),
            objectives_failed: count(ObjectiveStatus::Failed),
            objectives_pending: count(ObjectiveStatus::Pending),
            public_trust_permille: p.public_trust,
            alliance_trust_permille: p.alliance_trust,
            records_stolen: records_stolen.max(m.records_lost),
            assets_compromised: compromised.len(),
            assets_detected: detected.len(),
            intrusions_never_detected: self
                .intrusions
                .iter()
                .filter(|x| x.detected.is_none())
                .count(),
            mean_turns_to_detect: mean,
            max_turns_to_detect: lags.iter().copied().max(),
            outages,
            assets_down_at_end: m.assets_down,
            customer_hours_lost: m.customer_minutes_lost / 60,
            peak_impact_permille: m.peak_impact,
            decisions_taken,
            decisions_refused,
        }
    }

    fn series(&self) -> Series {
        let sc = self.scenario;
        Series {
            turns: self.snapshots.iter().map(|s| s.outcome.turn).collect(),
            score: self.snapshots.iter().map(|s| s.outcome.score).collect(),
            assets: charted_assets(sc)
                .into_iter()
                .map(|a| NamedSeries {
                    name: self.facilitator.asset(a),
                    max: 1000,
                    values: self
                        .snapshots
                        .iter()
                        .map(|s| u32::from(s.availability.get(a as usize).copied().unwrap_or(0)))
                        .collect(),
                })
                .collect(),
            attackers: sc
                .attackers
                .iter()
                .enumerate()
                .map(|(i, a)| NamedSeries {
                    name: self.text(&a.name),
                    max: a.campaign.len() as u32,
                    values: self
                        .snapshots
                        .iter()
                        .map(|s| s.stages_done.get(i).copied().unwrap_or(0))
                        .collect(),
                })
                .collect(),
        }
    }
}

fn outcome_key(o: DecisionOutcome) -> &'static str {
    match o {
        DecisionOutcome::Refused => "report_outcome_refused",
        DecisionOutcome::Succeeded => "report_outcome_succeeded",
        DecisionOutcome::Failed => "report_outcome_failed",
        DecisionOutcome::InProgress => "report_outcome_in_progress",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_rule_follows_status_findings_and_engagement() {
        use Rating::*;
        assert_eq!(
            Rating::rule(Status::Met, 0, true),
            PerformedWithoutChallenges
        );
        assert_eq!(
            Rating::rule(Status::Pending, 0, false),
            PerformedWithoutChallenges
        );
        assert_eq!(
            Rating::rule(Status::Met, 2, true),
            PerformedWithSomeChallenges
        );
        assert_eq!(
            Rating::rule(Status::Failed, 3, true),
            PerformedWithMajorChallenges
        );
        assert_eq!(Rating::rule(Status::Failed, 3, false), UnableToBePerformed);
    }

    #[test]
    fn every_capability_element_and_rating_has_a_label_in_both_languages() {
        for lang in [Lang::En, Lang::Ja] {
            let s = Strings::new(lang);
            for r in [
                Rating::PerformedWithoutChallenges,
                Rating::PerformedWithSomeChallenges,
                Rating::PerformedWithMajorChallenges,
                Rating::UnableToBePerformed,
            ] {
                assert_ne!(s.get(r.key()), r.key());
            }
            for e in [
                CapabilityElement::Planning,
                CapabilityElement::Organisation,
                CapabilityElement::Equipment,
                CapabilityElement::Training,
                CapabilityElement::Exercises,
            ] {
                assert_ne!(s.get(e.key()), e.key());
            }
        }
    }
}
