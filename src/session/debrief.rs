//! A team's debrief of one resolved turn, from that team's knowledge only:
//! its decisions and what came of them, what it detected, the intel and
//! help it received, services that went down or came back, trust and
//! score moves with their causes, and objectives settled. Built from the
//! team's owned view, so it cannot say more than the team may know.

use serde::{Deserialize, Serialize};

use crate::sim::event::{Event, TrustMeasure};

use super::view::TeamView;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnDebrief {
    pub turn: u32,
    /// Decisions started, refused, completed or failed.
    pub decisions: Vec<Event>,
    /// Intrusions the team's organisations found, and evictions.
    pub detections: Vec<Event>,
    /// Messages and assistance that reached the team.
    pub received: Vec<Event>,
    /// Services that went down or came back, and other public news.
    pub public: Vec<Event>,
    /// Trust moves, each with its cause.
    pub trust: Vec<Event>,
    pub objectives: Vec<Event>,
    /// The score before the turn (unknown before the first) and after.
    pub score_before: Option<u32>,
    pub score_after: u32,
    /// (before, after), permille, where the turn moved them.
    pub public_trust: Option<(u16, u16)>,
    pub alliance_trust: Option<(u16, u16)>,
}

impl TurnDebrief {
    /// Whether nothing the team can see happened.
    pub fn is_quiet(&self) -> bool {
        self.decisions.is_empty()
            && self.detections.is_empty()
            && self.received.is_empty()
            && self.public.is_empty()
            && self.trust.is_empty()
            && self.objectives.is_empty()
            && self.score_before.is_none_or(|s| s == self.score_after)
    }
}

impl TeamView {
    /// The debrief of turn `turn` as this team saw it, if it was played.
    pub fn debrief(&self, turn: u32) -> Option<TurnDebrief> {
        let events = &self.history.iter().find(|t| t.turn == turn)?.events;
        let score = |n: u32| -> u32 {
            n.checked_sub(1)
                .and_then(|i| self.public.score_history.get(i as usize))
                .copied()
                .unwrap_or(0)
        };
        let mut d = TurnDebrief {
            turn,
            decisions: Vec::new(),
            detections: Vec::new(),
            received: Vec::new(),
            public: Vec::new(),
            trust: Vec::new(),
            objectives: Vec::new(),
            score_before: (turn > 1).then(|| score(turn - 1)),
            score_after: score(turn),
            public_trust: None,
            alliance_trust: None,
        };
        for e in events {
            let bucket = match e {
                Event::DecisionStarted { .. }
                | Event::DecisionRefused { .. }
                | Event::ActionSucceeded { .. }
                | Event::ActionFailed { .. } => &mut d.decisions,
                Event::Detected { .. } | Event::Evicted { .. } => &mut d.detections,
                Event::MessageDelivered { .. } | Event::AssistanceArrived { .. } => &mut d.received,
                Event::TrustChanged {
                    measure,
                    delta,
                    now,
                    ..
                } => {
                    let slot = match measure {
                        TrustMeasure::Public => &mut d.public_trust,
                        TrustMeasure::Alliance => &mut d.alliance_trust,
                    };
                    let before = (i32::from(*now) - delta).clamp(0, 1000) as u16;
                    let first = slot.map_or(before, |(b, _)| b);
                    *slot = Some((first, *now));
                    &mut d.trust
                }
                Event::ObjectiveMet { .. } | Event::ObjectiveFailed { .. } => &mut d.objectives,
                // Injects are read in the inbox and the briefing.
                Event::InjectFired { .. } | Event::AdHocInject { .. } => continue,
                _ => &mut d.public,
            };
            bucket.push(e.clone());
        }
        Some(d)
    }
}
