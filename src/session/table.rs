//! The table: the session's only way in. Seats (each team, the
//! facilitator, observers) send commands; the table checks each against
//! the seat and the turn, refuses with a typed reason or carries it out,
//! and answers with notices. It keeps what the turn protocol needs:
//! decisions queued per team (with the staff they promise, the same books
//! the policies keep), which teams have ended their turn, pause, and the
//! facilitator's changes waiting for the next turn.

use serde::{Deserialize, Serialize};

use crate::perspective::{Promises, TeamLens};
use crate::policy::PolicyKind;
use crate::scenario::Scenario;
use crate::scenario::model::{TeamIdx, Text};
use crate::sim::decision::{Decision, Refusal};
use crate::sim::overrides::{Change, Override};

use super::view::{FacilitatorView, PublicView, TeamView};
use super::{Controller, Session, SessionError};

/// Who sends a command or receives a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seat {
    Team(TeamIdx),
    Facilitator,
    /// Watches what is public (the projector); sends nothing.
    Observer,
}

/// Everything a seat may ask of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    /// Queue a decision for this turn.
    Submit(Decision),
    /// Take a queued decision back.
    Withdraw(Decision),
    /// A team is done deciding; the turn resolves once every human team is.
    EndTurn,
    Pause,
    Resume,
    /// A message to some teams, delivered at the start of the next turn.
    Inject {
        title: Text,
        text: Text,
        to: Vec<TeamIdx>,
    },
    /// A change to the world, applied at the start of the next turn.
    Override(Override),
    /// Drops a waiting override or inject, by its place in the list.
    CancelPending(usize),
    /// Resolves the turn without waiting for every team.
    ResolveNow,
    /// Goes back to the state after turn `to` (0 = the start); the turns
    /// after it are kept as a branch.
    Rewind {
        to: u32,
        reason: String,
    },
    /// Returns to an abandoned branch; the current line is kept as one.
    SwitchBranch {
        branch: usize,
        reason: String,
    },
    /// A facilitator's note for the record, stamped with the client's
    /// wall-clock time (UTC, RFC 3339).
    Note {
        at: String,
        text: String,
    },
    /// Hands a human team to a policy that decides for it each turn
    /// (someone dropped out), or, with `None`, back to its people.
    StandIn {
        team: TeamIdx,
        policy: Option<PolicyKind>,
    },
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CommandRefused {
    #[error("an observer only watches")]
    ObserverOnly,
    #[error("only the facilitator may do that")]
    FacilitatorOnly,
    #[error("only a team may do that")]
    TeamOnly,
    #[error("the scenario has no team {0}")]
    UnknownTeam(TeamIdx),
    #[error("that team is played by the computer")]
    NotHuman,
    #[error("a stand-in policy is playing that team")]
    StoodIn,
    #[error("the table is busy with another command")]
    Busy,
    #[error("{0}")]
    Decision(Refusal),
    #[error("that decision is already queued")]
    AlreadyQueued,
    #[error("that decision is not queued")]
    NotQueued,
    #[error("the team has already ended its turn")]
    TurnAlreadyEnded,
    #[error("the session is paused")]
    Paused,
    #[error("the session is not paused")]
    NotPaused,
    #[error("the scenario has ended")]
    Ended,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("an inject needs a text")]
    EmptyInject,
    #[error("an inject needs a title")]
    UntitledInject,
    #[error("a note needs a text")]
    EmptyNote,
    #[error("that inject has already fired or is about to")]
    InjectAlreadyFired,
    #[error("an inject needs at least one team")]
    NoRecipients,
    #[error("{0}")]
    InvalidOverride(String),
    #[error("there is no waiting change {0}")]
    NoSuchPending(usize),
    #[error("cannot rewind to turn {to}: {played} turns have been played")]
    BadRewind { to: u32, played: u32 },
    #[error("there is no branch {0}")]
    NoSuchBranch(usize),
    #[error("branch {0} grew from another line of play than the current one")]
    BranchElsewhere(usize),
    #[error("this session keeps no hash chain, so a branch's line cannot be checked")]
    NoChain,
}

/// What a command changed, for every client to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    Queued {
        team: TeamIdx,
        decision: Decision,
    },
    Withdrawn {
        team: TeamIdx,
        decision: Decision,
    },
    /// A team ended its turn.
    Ready {
        team: TeamIdx,
    },
    Paused,
    Resumed,
    /// An override or inject waits for the next turn, at this place.
    Pending {
        index: usize,
    },
    Cancelled {
        index: usize,
    },
    /// A turn was played; its events are in the views' histories.
    Resolved {
        turn: u32,
    },
    Rewound {
        to: u32,
        reason: String,
    },
    BranchSwitched {
        branch: usize,
        turns: u32,
    },
    /// A note was kept in the log.
    Noted,
    /// A policy now plays a human team, or (`None`) its people again.
    StandIn {
        team: TeamIdx,
        policy: Option<PolicyKind>,
    },
}

pub struct Table {
    session: Session,
    /// Decisions queued this turn, by team.
    queues: Vec<Promises>,
    /// Teams that have ended this turn.
    ready: Vec<bool>,
    paused: bool,
    /// Facilitator changes for the next turn.
    pending: Vec<Override>,
    /// Policies deciding for human teams whose people are away.
    stand_ins: Vec<Option<PolicyKind>>,
}

impl Table {
    pub fn new(session: Session) -> Table {
        let teams = session.scenario().teams.len();
        let orgs = session.scenario().organisations.len();
        Table {
            session,
            queues: vec![Promises::new(orgs); teams],
            ready: vec![false; teams],
            paused: false,
            pending: Vec::new(),
            stand_ins: vec![None; teams],
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }
    /// The simulation's state hash now (see `Session::state_hash`).
    pub fn state_hash(&mut self) -> u64 {
        self.session.state_hash()
    }
    pub fn scenario(&self) -> &Scenario {
        self.session.scenario()
    }
    pub fn paused(&self) -> bool {
        self.paused
    }
    pub fn ready(&self, team: TeamIdx) -> bool {
        self.ready.get(team as usize).copied().unwrap_or(false)
    }
    pub fn queue(&self, team: TeamIdx) -> Option<&Promises> {
        self.queues.get(team as usize)
    }
    pub fn pending(&self) -> &[Override] {
        &self.pending
    }
    pub fn human(&self, team: TeamIdx) -> bool {
        self.session.controllers().get(team as usize) == Some(&Controller::Human)
    }
    /// Teams people play, in team order.
    pub fn human_teams(&self) -> Vec<TeamIdx> {
        (0..self.ready.len() as TeamIdx)
            .filter(|&t| self.human(t))
            .collect()
    }
    /// The policy standing in for a human team, if any.
    pub fn stand_in(&self, team: TeamIdx) -> Option<PolicyKind> {
        self.stand_ins.get(team as usize).copied().flatten()
    }
    /// Human teams still deciding this turn (a stand-in never keeps the
    /// turn waiting).
    pub fn deciding(&self) -> Vec<TeamIdx> {
        self.human_teams()
            .into_iter()
            .filter(|&t| !self.ready(t) && self.stand_in(t).is_none())
            .collect()
    }

    pub fn team_view(&self, team: TeamIdx) -> TeamView {
        TeamView::build(self, team)
    }
    pub fn facilitator_view(&self) -> FacilitatorView {
        FacilitatorView::build(self)
    }
    pub fn public_view(&self) -> PublicView {
        PublicView::build(self)
    }

    /// Carries out one command from `seat`, or says why not.
    pub fn command(&mut self, seat: Seat, command: Command) -> Result<Vec<Notice>, CommandRefused> {
        match command {
            Command::Submit(decision) => {
                let team = self.deciding_team(seat)?;
                self.submit(team, decision)
            }
            Command::Withdraw(decision) => {
                let team = self.deciding_team(seat)?;
                let lens = TeamLens::new(self.session.sim(), team);
                if self.queues[team as usize].remove(&lens, &decision) {
                    Ok(vec![Notice::Withdrawn { team, decision }])
                } else {
                    Err(CommandRefused::NotQueued)
                }
            }
            Command::EndTurn => {
                let team = self.deciding_team(seat)?;
                if self.paused {
                    return Err(CommandRefused::Paused);
                }
                self.ready[team as usize] = true;
                let mut notices = vec![Notice::Ready { team }];
                if self.deciding().is_empty() {
                    notices.extend(self.resolve()?);
                }
                Ok(notices)
            }
            Command::Pause => {
                self.facilitator(seat)?;
                if self.paused {
                    return Err(CommandRefused::Paused);
                }
                self.paused = true;
                Ok(vec![Notice::Paused])
            }
            Command::Resume => {
                self.facilitator(seat)?;
                if !self.paused {
                    return Err(CommandRefused::NotPaused);
                }
                self.paused = false;
                Ok(vec![Notice::Resumed])
            }
            Command::Inject { title, text, to } => {
                self.facilitator(seat)?;
                self.add_pending(Override {
                    change: Change::AdHocInject { title, text, to },
                    reason: "facilitator inject".to_string(),
                })
            }
            Command::Override(o) => {
                self.facilitator(seat)?;
                if o.reason.trim().is_empty() {
                    return Err(CommandRefused::ReasonRequired);
                }
                self.add_pending(o)
            }
            Command::CancelPending(index) => {
                self.facilitator(seat)?;
                if index >= self.pending.len() {
                    return Err(CommandRefused::NoSuchPending(index));
                }
                self.pending.remove(index);
                Ok(vec![Notice::Cancelled { index }])
            }
            Command::ResolveNow => {
                self.facilitator(seat)?;
                if self.paused {
                    return Err(CommandRefused::Paused);
                }
                self.resolve()
            }
            Command::Rewind { to, reason } => {
                self.facilitator(seat)?;
                if reason.trim().is_empty() {
                    return Err(CommandRefused::ReasonRequired);
                }
                self.session.rewind(to, &reason).map_err(|e| match e {
                    SessionError::BadRewind { to, played } => {
                        CommandRefused::BadRewind { to, played }
                    }
                    _ => CommandRefused::Ended,
                })?;
                self.clear_turn();
                Ok(vec![Notice::Rewound { to, reason }])
            }
            Command::SwitchBranch { branch, reason } => {
                self.facilitator(seat)?;
                if reason.trim().is_empty() {
                    return Err(CommandRefused::ReasonRequired);
                }
                let turns = self
                    .session
                    .switch_branch(branch, &reason)
                    .map_err(|e| match e {
                        SessionError::BranchElsewhere(b) => CommandRefused::BranchElsewhere(b),
                        SessionError::NoChain => CommandRefused::NoChain,
                        _ => CommandRefused::NoSuchBranch(branch),
                    })?;
                self.clear_turn();
                Ok(vec![Notice::BranchSwitched { branch, turns }])
            }
            Command::Note { at, text } => {
                self.facilitator(seat)?;
                if text.trim().is_empty() {
                    return Err(CommandRefused::EmptyNote);
                }
                self.session.add_note(at, text);
                Ok(vec![Notice::Noted])
            }
            Command::StandIn { team, policy } => {
                self.facilitator(seat)?;
                if team as usize >= self.ready.len() {
                    return Err(CommandRefused::UnknownTeam(team));
                }
                if !self.human(team) {
                    return Err(CommandRefused::NotHuman);
                }
                if self.session.ended() {
                    return Err(CommandRefused::Ended);
                }
                self.stand_ins[team as usize] = policy;
                let mut notices = vec![Notice::StandIn { team, policy }];
                // The team that kept the turn waiting is covered now.
                let someone_ready = self.ready.iter().any(|&r| r);
                if policy.is_some() && someone_ready && self.deciding().is_empty() && !self.paused {
                    notices.extend(self.resolve()?);
                }
                Ok(notices)
            }
        }
    }

    /// The team a seat decides for, if it may decide now.
    fn deciding_team(&self, seat: Seat) -> Result<TeamIdx, CommandRefused> {
        let team = match seat {
            Seat::Team(t) => t,
            Seat::Facilitator => return Err(CommandRefused::TeamOnly),
            Seat::Observer => return Err(CommandRefused::ObserverOnly),
        };
        if team as usize >= self.ready.len() {
            return Err(CommandRefused::UnknownTeam(team));
        }
        if !self.human(team) {
            return Err(CommandRefused::NotHuman);
        }
        if self.stand_in(team).is_some() {
            return Err(CommandRefused::StoodIn);
        }
        if self.session.ended() {
            return Err(CommandRefused::Ended);
        }
        if self.ready(team) {
            return Err(CommandRefused::TurnAlreadyEnded);
        }
        Ok(team)
    }

    fn facilitator(&self, seat: Seat) -> Result<(), CommandRefused> {
        match seat {
            Seat::Facilitator => Ok(()),
            Seat::Team(_) => Err(CommandRefused::FacilitatorOnly),
            Seat::Observer => Err(CommandRefused::ObserverOnly),
        }
    }

    fn submit(&mut self, team: TeamIdx, decision: Decision) -> Result<Vec<Notice>, CommandRefused> {
        let queue = &mut self.queues[team as usize];
        if queue.contains(&decision) {
            return Err(CommandRefused::AlreadyQueued);
        }
        let lens = TeamLens::new(self.session.sim(), team);
        queue
            .add(&lens, decision.clone())
            .map_err(CommandRefused::Decision)?;
        Ok(vec![Notice::Queued { team, decision }])
    }

    fn add_pending(&mut self, o: Override) -> Result<Vec<Notice>, CommandRefused> {
        if self.session.ended() {
            return Err(CommandRefused::Ended);
        }
        let scenario = self.session.scenario();
        match &o.change {
            Change::AdHocInject { title, text, to } => {
                if title.en.trim().is_empty() && title.ja.trim().is_empty() {
                    return Err(CommandRefused::UntitledInject);
                }
                if text.en.trim().is_empty() && text.ja.trim().is_empty() {
                    return Err(CommandRefused::EmptyInject);
                }
                if to.is_empty() {
                    return Err(CommandRefused::NoRecipients);
                }
                if let Some(&t) = to.iter().find(|&&t| t as usize >= scenario.teams.len()) {
                    return Err(CommandRefused::UnknownTeam(t));
                }
            }
            Change::SetAvailability { availability, .. } if *availability > 1000 => {
                return Err(CommandRefused::InvalidOverride(format!(
                    "availability is in permille, 0 to 1000, not {availability}"
                )));
            }
            Change::SetPublicTrust(v) | Change::SetAllianceTrust(v) if *v > 1000 => {
                return Err(CommandRefused::InvalidOverride(format!(
                    "trust is in permille, 0 to 1000, not {v}"
                )));
            }
            _ => {}
        }
        o.validate(scenario)
            .map_err(CommandRefused::InvalidOverride)?;
        if let Change::FireInject { inject } = o.change {
            let fired = self.session.sim().read().injects_fired()[inject as usize].is_some();
            let waiting = self
                .pending
                .iter()
                .any(|p| p.change == Change::FireInject { inject });
            if fired || waiting {
                return Err(CommandRefused::InjectAlreadyFired);
            }
        }
        self.pending.push(o);
        Ok(vec![Notice::Pending {
            index: self.pending.len() - 1,
        }])
    }

    /// Plays the turn with the queued decisions in team order, then the
    /// policies', with the waiting overrides.
    fn resolve(&mut self) -> Result<Vec<Notice>, CommandRefused> {
        if self.session.ended() {
            return Err(CommandRefused::Ended);
        }
        let mut decisions = Vec::new();
        for (team, queue) in self.queues.iter_mut().enumerate() {
            let queued = queue.take();
            match self.stand_ins[team] {
                // The stand-in decides instead of what was left queued.
                Some(policy) => {
                    decisions.extend(self.session.policy_decisions_for(team as TeamIdx, policy))
                }
                None => decisions.extend(queued),
            }
        }
        let overrides = std::mem::take(&mut self.pending);
        let outcome = self
            .session
            .play_turn(decisions, overrides)
            .map_err(|_| CommandRefused::Ended)?;
        self.ready.iter_mut().for_each(|r| *r = false);
        Ok(vec![Notice::Resolved { turn: outcome.turn }])
    }

    /// A rewind or branch switch starts the turn afresh.
    fn clear_turn(&mut self) {
        self.queues.iter_mut().for_each(|q| {
            q.take();
        });
        self.ready.iter_mut().for_each(|r| *r = false);
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyKind;
    use crate::scenario::load::{LoadOptions, load_builtin};
    use crate::sim::decision::Action;

    /// The tutorial, seed 7; `us` is played by `us` (a person if `None`).
    fn table(us: Option<PolicyKind>) -> Table {
        let loaded = load_builtin("tutorial", &LoadOptions::default()).expect("tutorial loads");
        let us = us.map_or(Controller::Human, Controller::Policy);
        Table::new(Session::new(&loaded, 7, vec![Controller::Human, us], true))
    }

    /// A decision Japan may take now, and one it may not.
    fn legal_and_refused(t: &Table) -> (Decision, Decision) {
        let view = t.team_view(0);
        let ok = view.decisions.iter().find(|c| c.status.is_ok());
        let bad = view.decisions.iter().find(|c| c.status.is_err());
        match (ok, bad) {
            (Some(a), Some(b)) => (a.decision.clone(), b.decision.clone()),
            _ => panic!("turn 1 offers both"),
        }
    }

    const JP: Seat = Seat::Team(0);
    const US: Seat = Seat::Team(1);
    const FAC: Seat = Seat::Facilitator;

    #[test]
    fn decisions_are_queued_by_their_own_team_only() {
        let mut t = table(Some(PolicyKind::Idle));
        let (ok, bad) = legal_and_refused(&t);
        let submit = |d: &Decision| Command::Submit(d.clone());
        assert_eq!(
            t.command(Seat::Observer, submit(&ok)),
            Err(CommandRefused::ObserverOnly)
        );
        assert_eq!(t.command(FAC, submit(&ok)), Err(CommandRefused::TeamOnly));
        assert_eq!(t.command(US, submit(&ok)), Err(CommandRefused::NotHuman));
        assert_eq!(
            t.command(Seat::Team(9), submit(&ok)),
            Err(CommandRefused::UnknownTeam(9))
        );
        assert!(matches!(
            t.command(JP, submit(&bad)),
            Err(CommandRefused::Decision(_))
        ));
        assert_eq!(
            t.command(JP, submit(&ok)),
            Ok(vec![Notice::Queued {
                team: 0,
                decision: ok.clone()
            }])
        );
        assert_eq!(
            t.command(JP, submit(&ok)),
            Err(CommandRefused::AlreadyQueued)
        );
        assert_eq!(t.team_view(0).queued, vec![ok.clone()]);
        assert_eq!(
            t.command(JP, Command::Withdraw(ok.clone())),
            Ok(vec![Notice::Withdrawn {
                team: 0,
                decision: ok.clone()
            }])
        );
        assert_eq!(
            t.command(JP, Command::Withdraw(ok)),
            Err(CommandRefused::NotQueued)
        );
        // A decision for another team's organisation is refused as such.
        let cisa = Decision {
            org: t.scenario().teams[1].organisations[0],
            action: Action::RaiseAlert,
        };
        assert_eq!(
            t.command(JP, submit(&cisa)),
            Err(CommandRefused::Decision(Refusal::NotYourOrganisation))
        );
    }

    #[test]
    fn queued_decisions_promise_staff_until_it_runs_out() {
        let mut t = table(None);
        let org = t.team_view(0).staff[0].org;
        let free = t.team_view(0).staff_left(org);
        let mut spent = 0;
        let mut ran_out = false;
        for c in t.team_view(0).decisions {
            if c.decision.org != org {
                continue;
            }
            match t.command(JP, Command::Submit(c.decision.clone())) {
                Ok(_) => spent += c.cost,
                Err(CommandRefused::Decision(Refusal::NotEnoughStaff { needed, available })) => {
                    assert_eq!(available, free - spent);
                    assert_eq!(needed, c.cost);
                    ran_out = true;
                }
                Err(_) => {}
            }
        }
        assert!(ran_out, "the organisation's staff ran out");
        let view = t.team_view(0);
        assert_eq!(view.staff_left(org), free - spent);
        // The decision list says the same as the table would.
        for c in view.decisions.iter().filter(|c| !c.queued) {
            let mut probe = table(None);
            for q in &view.queued {
                let _ = probe.command(JP, Command::Submit(q.clone()));
            }
            let answer = probe.command(JP, Command::Submit(c.decision.clone()));
            assert_eq!(answer.is_ok(), c.status.is_ok(), "{:?}", c.decision);
        }
    }

    #[test]
    fn the_turn_resolves_when_every_human_team_is_ready() {
        let mut t = table(None);
        let (ok, _) = legal_and_refused(&t);
        t.command(JP, Command::Submit(ok.clone())).expect("legal");
        assert_eq!(
            t.command(JP, Command::EndTurn),
            Ok(vec![Notice::Ready { team: 0 }])
        );
        assert!(t.public_view().teams[0].ready);
        assert_eq!(t.deciding(), vec![1]);
        assert_eq!(
            t.command(JP, Command::Submit(ok.clone())),
            Err(CommandRefused::TurnAlreadyEnded)
        );
        assert_eq!(
            t.command(JP, Command::EndTurn),
            Err(CommandRefused::TurnAlreadyEnded)
        );
        assert_eq!(
            t.command(US, Command::EndTurn),
            Ok(vec![
                Notice::Ready { team: 1 },
                Notice::Resolved { turn: 1 }
            ])
        );
        assert_eq!(t.session().turn(), 2);
        assert_eq!(t.session().log().turns[0].decisions, vec![ok]);
        assert!(t.queue(0).is_some_and(Promises::is_empty));
        assert!(t.public_view().teams.iter().all(|s| !s.ready));
    }

    #[test]
    fn a_policy_team_needs_no_end_turn() {
        let mut t = table(Some(PolicyKind::Random));
        for turn in 1..=8 {
            let notices = t.command(JP, Command::EndTurn).expect("Japan ends");
            assert_eq!(notices.last(), Some(&Notice::Resolved { turn }));
        }
        // The policy acts one turn in four or so.
        let orgs = &t.scenario().organisations;
        let logged = t.session().log().turns.iter().flat_map(|r| &r.decisions);
        assert!(
            logged
                .into_iter()
                .any(|d| orgs[d.org as usize].team == Some(1)),
            "the US policy decided"
        );
    }

    #[test]
    fn pause_holds_the_turn_and_only_the_facilitator_pauses() {
        let mut t = table(None);
        assert_eq!(
            t.command(JP, Command::Pause),
            Err(CommandRefused::FacilitatorOnly)
        );
        assert_eq!(
            t.command(Seat::Observer, Command::Pause),
            Err(CommandRefused::ObserverOnly)
        );
        assert_eq!(
            t.command(FAC, Command::Resume),
            Err(CommandRefused::NotPaused)
        );
        assert_eq!(t.command(FAC, Command::Pause), Ok(vec![Notice::Paused]));
        assert_eq!(t.command(FAC, Command::Pause), Err(CommandRefused::Paused));
        assert!(t.public_view().paused);
        assert_eq!(t.command(JP, Command::EndTurn), Err(CommandRefused::Paused));
        assert_eq!(
            t.command(FAC, Command::ResolveNow),
            Err(CommandRefused::Paused)
        );
        assert_eq!(t.command(FAC, Command::Resume), Ok(vec![Notice::Resumed]));
        assert_eq!(
            t.command(FAC, Command::ResolveNow),
            Ok(vec![Notice::Resolved { turn: 1 }])
        );
    }

    #[test]
    fn facilitator_changes_are_checked_and_wait_for_the_turn() {
        let mut t = table(None);
        let text = |s: &str| Text {
            en: s.into(),
            ja: s.into(),
        };
        let inject = |body: &str, to: Vec<TeamIdx>| Command::Inject {
            title: text("Call"),
            text: text(body),
            to,
        };
        assert_eq!(
            t.command(JP, inject("x", vec![0])),
            Err(CommandRefused::FacilitatorOnly)
        );
        assert_eq!(
            t.command(FAC, inject("  ", vec![0])),
            Err(CommandRefused::EmptyInject)
        );
        assert_eq!(
            t.command(FAC, inject("x", vec![])),
            Err(CommandRefused::NoRecipients)
        );
        let untitled = Command::Inject {
            title: text(" "),
            text: text("x"),
            to: vec![0],
        };
        assert_eq!(
            t.command(FAC, untitled),
            Err(CommandRefused::UntitledInject)
        );
        assert_eq!(
            t.command(FAC, inject("x", vec![2])),
            Err(CommandRefused::UnknownTeam(2))
        );
        let set = |asset, availability, reason: &str| {
            Command::Override(Override {
                change: Change::SetAvailability {
                    asset,
                    availability,
                },
                reason: reason.into(),
            })
        };
        assert_eq!(
            t.command(FAC, set(0, 200, " ")),
            Err(CommandRefused::ReasonRequired)
        );
        assert!(matches!(
            t.command(FAC, set(0, 1001, "storm")),
            Err(CommandRefused::InvalidOverride(_))
        ));
        assert!(matches!(
            t.command(FAC, set(999, 200, "storm")),
            Err(CommandRefused::InvalidOverride(_))
        ));
        assert_eq!(
            t.command(FAC, inject("NHK calls at 10:30", vec![1])),
            Ok(vec![Notice::Pending { index: 0 }])
        );
        assert_eq!(
            t.command(FAC, set(0, 200, "storm")),
            Ok(vec![Notice::Pending { index: 1 }])
        );
        assert_eq!(
            t.command(FAC, set(1, 300, "flood")),
            Ok(vec![Notice::Pending { index: 2 }])
        );
        assert_eq!(
            t.command(FAC, Command::CancelPending(5)),
            Err(CommandRefused::NoSuchPending(5))
        );
        assert_eq!(
            t.command(FAC, Command::CancelPending(2)),
            Ok(vec![Notice::Cancelled { index: 2 }])
        );
        assert_eq!(t.facilitator_view().pending.len(), 2);
        // Nothing changes before the turn resolves.
        assert_eq!(t.public_view().availability[0], 1000);
        t.command(FAC, Command::ResolveNow).expect("resolves");
        let logged = &t.session().log().turns[0].overrides;
        assert_eq!(logged.len(), 2);
        assert!(t.pending().is_empty());
        // The inject reached the US only, text intact.
        let got = |team| {
            t.team_view(team).history[0]
                .events
                .iter()
                .any(|e| matches!(e, crate::sim::event::Event::AdHocInject { text, .. } if text.en == "NHK calls at 10:30"))
        };
        assert!(got(1) && !got(0));
    }

    #[test]
    fn rewind_needs_a_reason_and_a_branch_can_be_taken_back() {
        let mut t = table(Some(PolicyKind::Doctrine));
        for _ in 0..4 {
            t.command(JP, Command::EndTurn).expect("a turn");
        }
        let session_hash = |t: &mut Table| {
            let s = &mut t.session;
            (s.turn(), s.state_hash())
        };
        let at_four = session_hash(&mut t);
        let rewind = |to, reason: &str| Command::Rewind {
            to,
            reason: reason.into(),
        };
        assert_eq!(
            t.command(JP, rewind(2, "x")),
            Err(CommandRefused::FacilitatorOnly)
        );
        assert_eq!(
            t.command(FAC, rewind(2, "")),
            Err(CommandRefused::ReasonRequired)
        );
        assert_eq!(
            t.command(FAC, rewind(9, "x")),
            Err(CommandRefused::BadRewind { to: 9, played: 4 })
        );
        let (ok, _) = legal_and_refused(&t);
        t.command(JP, Command::Submit(ok)).expect("legal");
        assert_eq!(
            t.command(FAC, rewind(2, "wrong call")),
            Ok(vec![Notice::Rewound {
                to: 2,
                reason: "wrong call".into()
            }])
        );
        assert!(
            t.queue(0).is_some_and(Promises::is_empty),
            "the turn starts afresh"
        );
        assert_eq!(t.session().turn(), 3);
        // Play a different line for one turn, then go back to the first.
        t.command(
            FAC,
            Command::Override(Override {
                change: Change::SetAvailability {
                    asset: 0,
                    availability: 0,
                },
                reason: "what if".into(),
            }),
        )
        .expect("valid");
        t.command(JP, Command::EndTurn).expect("a turn");
        let switch = |branch| Command::SwitchBranch {
            branch,
            reason: "back".into(),
        };
        assert_eq!(
            t.command(FAC, switch(3)),
            Err(CommandRefused::NoSuchBranch(3))
        );
        assert_eq!(
            t.command(FAC, switch(0)),
            Ok(vec![Notice::BranchSwitched {
                branch: 0,
                turns: 4
            }])
        );
        assert_eq!(session_hash(&mut t), at_four);
        let branches = t.facilitator_view().branches;
        assert_eq!(branches.len(), 1);
        assert_eq!((branches[0].rewound_to, branches[0].turns), (2, 1));
        assert_eq!(branches[0].reason, "back");
        // The log, branches and all, replays.
        let log = t.session().log().clone();
        if let Err(e) = crate::session::replay::replay(&log, None) {
            panic!("{e}");
        }
    }

    /// A branch is taken back only onto the line it grew from.
    #[test]
    fn a_branch_from_another_line_is_refused() {
        let mut t = table(Some(PolicyKind::Doctrine));
        let storm = |t: &mut Table, reason: &str| {
            let o = Override {
                change: Change::SetAvailability {
                    asset: 0,
                    availability: 100,
                },
                reason: reason.into(),
            };
            t.command(FAC, Command::Override(o)).expect("valid");
            t.command(JP, Command::EndTurn).expect("a turn");
        };
        let rewind = |t: &mut Table, to| {
            t.command(
                FAC,
                Command::Rewind {
                    to,
                    reason: "again".into(),
                },
            )
            .expect("rewinds")
        };
        for i in 0..4 {
            storm(&mut t, &format!("line A {i}"));
        }
        rewind(&mut t, 2); // branch 0 grew from line A after turn 2
        storm(&mut t, "line B");
        rewind(&mut t, 1); // branch 1 grew from line A after turn 1
        storm(&mut t, "line C 1");
        storm(&mut t, "line C 2");
        let switch = |branch| Command::SwitchBranch {
            branch,
            reason: "back".into(),
        };
        // Line C shares only turn 1 with line A.
        assert_eq!(
            t.command(FAC, switch(0)),
            Err(CommandRefused::BranchElsewhere(0))
        );
        assert_eq!(t.session().turn(), 4, "nothing changed");
        assert_eq!(
            t.command(FAC, switch(1)),
            Ok(vec![Notice::BranchSwitched {
                branch: 1,
                turns: 3
            }])
        );
        // Back on line A up to turn 2, branch 0 fits again.
        assert!(t.command(FAC, switch(0)).is_ok());
        assert_eq!(t.session().turn(), 5);
        let log = t.session().log().clone();
        if let Err(e) = crate::session::replay::replay(&log, None) {
            panic!("{e}");
        }
    }

    #[test]
    fn nothing_is_taken_after_the_end() {
        let mut t = table(Some(PolicyKind::Idle));
        while !t.session().ended() {
            t.command(JP, Command::EndTurn).expect("a turn");
        }
        assert_eq!(t.command(JP, Command::EndTurn), Err(CommandRefused::Ended));
        assert_eq!(
            t.command(FAC, Command::ResolveNow),
            Err(CommandRefused::Ended)
        );
        let set = Command::Override(Override {
            change: Change::SetAvailability {
                asset: 0,
                availability: 0,
            },
            reason: "late".into(),
        });
        assert_eq!(t.command(FAC, set), Err(CommandRefused::Ended));
        assert!(t.public_view().ended);
    }

    #[test]
    fn notes_are_the_facilitators_and_need_words() {
        let mut t = table(None);
        let note = |text: &str| Command::Note {
            at: "2026-12-03T09:00:00Z".into(),
            text: text.into(),
        };
        assert_eq!(
            t.command(JP, note("x")),
            Err(CommandRefused::FacilitatorOnly)
        );
        assert_eq!(t.command(FAC, note("  ")), Err(CommandRefused::EmptyNote));
        assert_eq!(
            t.command(FAC, note("slow to share")),
            Ok(vec![Notice::Noted])
        );
        let notes = &t.session().log().notes;
        assert_eq!(notes.len(), 1);
        assert_eq!(
            (notes[0].turn, notes[0].text.as_str()),
            (1, "slow to share")
        );
    }
}
