//! The agenda: one queue for everything that happens on a later turn —
//! actions that finish, messages that arrive, injects that fall due after
//! another — instead of a timer per kind. Items keep the order they were
//! scheduled in, so each phase takes its due items in a fixed order.

use bevy_ecs::prelude::*;

use super::components::{ActionInProgress, IntelMessage};
use super::decision::Decision;
use super::decision_set::DecisionSet;

/// What falls due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// An action finishes, in the respond phase.
    Action(ActionInProgress),
    /// A message reaches its recipient, in the intel phase.
    Message(IntelMessage),
    /// An inject waiting on another may fire, in the injects phase.
    Inject(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    /// The turn it falls due.
    pub due: u32,
    pub what: Due,
}

#[derive(Resource, Debug, Clone, Default, PartialEq, Eq)]
pub struct Agenda {
    items: Vec<Scheduled>,
    /// Decisions being carried out, so "is this already running?" need not
    /// walk every scheduled item.
    running: DecisionSet,
    /// The last turn whose actions were taken: how far the agenda has run.
    now: u32,
}

impl Agenda {
    /// Starts an action that finishes at the end of `turns` turns, the
    /// turn it starts counting as the first.
    pub fn start_action(&mut self, action: ActionInProgress, turns: u32) {
        let due = action.started + turns.max(1) - 1;
        self.running.insert(action.decision.clone());
        self.items.push(Scheduled {
            due,
            what: Due::Action(action),
        });
    }

    /// Sends a message; it arrives on its `arrives` turn.
    pub fn send(&mut self, message: IntelMessage) {
        self.items.push(Scheduled {
            due: message.arrives,
            what: Due::Message(message),
        });
    }

    /// An inject that may fire from turn `due` on.
    pub fn schedule_inject(&mut self, inject: u32, due: u32) {
        self.items.push(Scheduled {
            due,
            what: Due::Inject(inject),
        });
    }

    pub fn in_progress(&self, decision: &Decision) -> bool {
        self.running.contains(decision)
    }

    /// Actions that finish this turn, in start order.
    pub fn take_actions(&mut self, turn: u32) -> Vec<ActionInProgress> {
        self.now = turn;
        if self.running.is_empty() {
            return Vec::new();
        }
        let done: Vec<ActionInProgress> = self
            .items
            .extract_if(.., |s| matches!(s.what, Due::Action(_)) && s.due <= turn)
            .filter_map(|s| match s.what {
                Due::Action(a) => Some(a),
                _ => None,
            })
            .collect();
        for a in &done {
            self.running.remove(&a.decision);
        }
        done
    }

    /// Messages that arrive this turn, in send order.
    pub fn take_messages(&mut self, turn: u32) -> Vec<IntelMessage> {
        if !self
            .items
            .iter()
            .any(|s| matches!(s.what, Due::Message(_)) && s.due <= turn)
        {
            return Vec::new();
        }
        self.items
            .extract_if(.., |s| matches!(s.what, Due::Message(_)) && s.due <= turn)
            .filter_map(|s| match s.what {
                Due::Message(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    /// Whether an inject waiting on another has fallen due.
    pub fn inject_due(&self, inject: u32, turn: u32) -> bool {
        self.items
            .iter()
            .any(|s| s.what == Due::Inject(inject) && s.due <= turn)
    }

    /// Forgets an inject once it has fired.
    pub fn drop_inject(&mut self, inject: u32) {
        self.items.retain(|s| s.what != Due::Inject(inject));
    }

    /// Actions in progress, in start order, each with the turns it has left
    /// after the last turn the agenda ran.
    pub fn actions(&self) -> impl Iterator<Item = (&ActionInProgress, u32)> {
        self.items.iter().filter_map(|s| match &s.what {
            Due::Action(a) => Some((a, s.due.saturating_sub(self.now))),
            _ => None,
        })
    }

    /// Messages in flight, in send order.
    pub fn messages(&self) -> impl Iterator<Item = &IntelMessage> {
        self.items.iter().filter_map(|s| match &s.what {
            Due::Message(m) => Some(m),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::decision::{Action, Tlp};

    fn action(asset: u32, started: u32) -> ActionInProgress {
        ActionInProgress {
            decision: Decision {
                org: 0,
                action: Action::Patch { asset },
            },
            staff: 1,
            started,
        }
    }

    fn message(to: u16, arrives: u32) -> IntelMessage {
        IntelMessage {
            from: 0,
            to,
            tlp: Tlp::Amber,
            facts: Default::default(),
            sent: 1,
            arrives,
            report: false,
        }
    }

    #[test]
    fn an_action_finishes_on_its_last_turn_and_counts_down_until_then() {
        let mut agenda = Agenda::default();
        agenda.start_action(action(1, 3), 3);
        agenda.start_action(action(2, 3), 1);
        assert!(agenda.in_progress(&action(1, 3).decision));
        // The one-turn action finishes the turn it starts.
        assert_eq!(agenda.take_actions(3), vec![action(2, 3)]);
        assert_eq!(
            agenda.actions().map(|(_, left)| left).collect::<Vec<_>>(),
            vec![2]
        );
        assert!(agenda.take_actions(4).is_empty());
        assert_eq!(agenda.take_actions(5), vec![action(1, 3)]);
        assert!(!agenda.in_progress(&action(1, 3).decision));
        assert_eq!(agenda.actions().count(), 0);
    }

    #[test]
    fn messages_arrive_on_their_turn_in_send_order() {
        let mut agenda = Agenda::default();
        agenda.send(message(1, 4));
        agenda.send(message(2, 2));
        agenda.send(message(3, 4));
        assert!(agenda.take_messages(1).is_empty());
        assert_eq!(agenda.take_messages(2), vec![message(2, 2)]);
        let due: Vec<u16> = agenda.take_messages(9).iter().map(|m| m.to).collect();
        assert_eq!(due, vec![1, 3]);
        assert_eq!(agenda.messages().count(), 0);
    }

    #[test]
    fn kinds_do_not_take_each_other() {
        let mut agenda = Agenda::default();
        agenda.send(message(1, 2));
        agenda.schedule_inject(7, 2);
        agenda.start_action(action(1, 2), 1);
        assert_eq!(agenda.take_actions(2).len(), 1);
        assert!(agenda.inject_due(7, 2) && !agenda.inject_due(7, 1));
        assert_eq!(agenda.take_messages(2).len(), 1);
        assert!(agenda.inject_due(7, 3));
        agenda.drop_inject(7);
        assert!(!agenda.inject_due(7, 3));
    }
}
