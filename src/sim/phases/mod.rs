//! One file per phase; each reads top to bottom as the rule it implements.

pub mod apply;
pub mod attack;
pub mod cascade;
pub mod decisions;
pub mod detect;
pub mod effects;
pub mod injects;
pub mod intel;
pub mod record;
pub mod respond;
pub mod score;

use bevy_ecs::prelude::*;

use super::Phase;

pub fn add_systems(schedule: &mut Schedule) {
    // One system per phase: each costs the executor the same whether it
    // has work this turn or not.
    schedule.add_systems(injects::run_injects.in_set(Phase::Injects));
    schedule.add_systems(decisions::start_decisions.in_set(Phase::Decisions));
    schedule.add_systems(attack::advance_campaigns.in_set(Phase::Attack));
    schedule.add_systems(detect::detect_compromises.in_set(Phase::Detect));
    schedule.add_systems(respond::complete_actions.in_set(Phase::Respond));
    schedule.add_systems(cascade::propagate_outages.in_set(Phase::Cascade));
    schedule.add_systems(intel::deliver_messages.in_set(Phase::Intel));
    schedule.add_systems(score::score_turn.in_set(Phase::Score));
    schedule.add_systems(record::record_hash.in_set(Phase::Record));
}

/// The compromise query the exclusive systems are given.
pub(crate) type CompromiseQuery<'a, 'b> = QueryState<(
    Entity,
    &'a super::components::StableId,
    &'b super::components::Compromise,
)>;

/// A compromise with its stable id and entity, as the exclusive systems
/// list them.
pub(crate) type Holding = (
    super::components::StableId,
    Entity,
    super::components::Compromise,
);

/// Compromises of one asset in stable order, with their entities: an
/// action on one asset need not sort every compromise in the world.
pub(crate) fn compromises_on(
    world: &mut World,
    state: &mut CompromiseQuery<'_, '_>,
    asset: crate::scenario::model::AssetIdx,
) -> Vec<Holding> {
    compromises_where(world, state, |c| c.asset == asset)
}

/// Compromises in stable order, with their entities, for exclusive systems.
pub(crate) fn sorted_compromises(
    world: &mut World,
    state: &mut CompromiseQuery<'_, '_>,
) -> Vec<Holding> {
    compromises_where(world, state, |_| true)
}

fn compromises_where(
    world: &mut World,
    state: &mut CompromiseQuery<'_, '_>,
    keep: impl Fn(&super::components::Compromise) -> bool,
) -> Vec<Holding> {
    let query = state.iter(world);
    let mut found = Vec::with_capacity(query.len());
    found.extend(
        query
            .filter(|(_, _, c)| keep(c))
            .map(|(e, id, c)| (*id, e, c.clone())),
    );
    // Entities come out nearly in id order (spawned in that order, moved
    // only when one is removed); the stable sort uses the runs already in
    // order. Ids are unique, so any sort gives the same order. The ids
    // stay in the list: dropping them would copy it again.
    found.sort_by_key(|(id, _, _)| *id);
    found
}
