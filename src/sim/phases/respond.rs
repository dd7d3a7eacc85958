//! Phase 5, respond: actions in progress that fall due roll for success;
//! each outcome is an event, applied to the world by `apply` (which
//! releases the staff and, on success, takes the action's effect).

use bevy_ecs::prelude::*;

use crate::sim::Phase;
use crate::sim::agenda::Agenda;
use crate::sim::components::*;
use crate::sim::decision::Action;
use crate::sim::event::Event;
use crate::sim::resources::*;
use crate::sim::rng::SimRng;

use super::apply;

pub fn complete_actions(
    world: &mut World,
    compromises: &mut QueryState<(Entity, &StableId, &Compromise)>,
) {
    let setting = world.resource::<Setting>().clone();
    let (rules, clock) = (&setting.rules, setting.clock);
    let finished = world.resource_mut::<Agenda>().take_actions(clock.turn);
    if finished.is_empty() {
        return;
    }
    let mut rng = SimRng::new(clock.seed, clock.turn, Phase::Respond.stream());
    for action in finished {
        let event = outcome(world, rules, &mut rng, action);
        apply::apply(world, &setting, compromises, &event);
        world.resource_mut::<TurnLog>().push(event);
    }
}

/// Whether a finished action worked: the decision's odds, lower for a
/// takedown without a victim's complaint.
fn outcome(
    world: &World,
    rules: &crate::scenario::Scenario,
    rng: &mut SimRng,
    action: ActionInProgress,
) -> Event {
    let spec = &rules.decision(action.decision.action.kind()).spec;
    let mut success = u32::from(spec.success);
    // Police seize servers on a case, opened by a victim's complaint.
    if matches!(action.decision.action, Action::Takedown { .. })
        && !world
            .resource::<Access>()
            .response
            .has_first(action.decision.org)
    {
        success = success * u32::from(rules.tuning.takedown_without_complaint) / 1000;
    }
    let no_complaint = u32::from(spec.success) != success;
    if rng.chance_bp(success) {
        Event::ActionSucceeded {
            decision: action.decision,
        }
    } else {
        Event::ActionFailed {
            decision: action.decision,
            odds: success.min(u32::from(u16::MAX)) as u16,
            no_complaint,
        }
    }
}
