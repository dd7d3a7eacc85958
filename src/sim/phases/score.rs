//! Phase 8, score: outage and impact metrics, then each objective is
//! judged. An objective is pending until it is met or failed; the score is
//! the weighted share of objectives not failed, 0–100. At the last turn
//! every pending objective is settled.

use bevy_ecs::prelude::*;

use crate::scenario::model::{Goal, Scenario};
use crate::sim::components::{Campaign, Compromise};
use crate::sim::event::{Event, TrustCause, TrustMeasure};
use crate::sim::resources::*;

/// The score phase: metrics, the alliance's expectations, then objectives.
pub fn score_turn(world: &mut World) {
    let setting = world.resource::<Setting>().clone();
    let reached = measure_impact(world, &setting.rules, setting.clock.turn);
    if let Some(reached) = reached {
        alliance_expects_consultation(world, &setting.rules, setting.clock.turn, reached);
    }
    score_objectives(world, &setting);
}

/// Impact and outage rate follow the cascade's running sums; the
/// customer-minutes lost accumulate every turn at the current rate. Returns
/// the turn the harm first passed the escalation threshold, if it has.
fn measure_impact(world: &mut World, rules: &Scenario, turn: u32) -> Option<u32> {
    let cascade = world.resource::<CascadeState>();
    let impact = (cascade.lost_weighted * 1000)
        .checked_div(cascade.total_weighted)
        .unwrap_or(0) as u16;
    let (outage_rate, down) = (cascade.outage_rate, cascade.down);
    let mut metrics = world.resource_mut::<Metrics>();
    metrics.impact = impact;
    metrics.outage_rate = outage_rate;
    metrics.assets_down = down;
    metrics.peak_impact = metrics.peak_impact.max(impact);
    metrics.customer_minutes_lost = metrics.customer_minutes_lost.saturating_add(outage_rate);
    if metrics.peak_impact >= rules.escalation_threshold() {
        metrics.escalation_reached.get_or_insert(turn);
    }
    metrics.escalation_reached
}

/// Once the harm has passed the threshold (on turn `reached`), the ally
/// expects consultations: each turn past the grace without them costs
/// alliance trust.
fn alliance_expects_consultation(world: &mut World, rules: &Scenario, turn: u32, reached: u32) {
    let t = &rules.tuning;
    let mut politics = world.resource_mut::<Politics>();
    if politics.article5_turn.is_none() && turn > reached + u32::from(t.escalation_grace) {
        let before = politics.alliance_trust;
        politics.alliance_trust = super::effects::shift(
            before,
            i32::from(t.article5_unanswered_alliance_trust_per_turn),
        );
        let now = politics.alliance_trust;
        if now != before {
            world.resource_mut::<TurnLog>().push(Event::TrustChanged {
                measure: TrustMeasure::Alliance,
                cause: TrustCause::Article5Unanswered,
                delta: i32::from(now) - i32::from(before),
                now,
            });
        }
    }
}

fn score_objectives(world: &mut World, setting: &Setting) {
    let (rules, turn) = (&*setting.rules, setting.clock.turn);
    let last = turn >= rules.turn_limit || attackers_done(world, setting);
    // Taken out and put back, so judging can read the rest of the world.
    let mut objectives = std::mem::take(&mut *world.resource_mut::<Objectives>());
    let mut events = Vec::new();
    let now = Now {
        world,
        metrics: world.resource::<Metrics>(),
        politics: world.resource::<Politics>(),
        availability: &world.resource::<AvailabilityMap>().0,
        attackers: &setting.index.attackers,
        grace: u32::from(rules.tuning.escalation_grace),
    };
    for (i, objective) in rules.objectives.iter().enumerate() {
        if objectives.status[i] != ObjectiveStatus::Pending {
            continue;
        }
        let verdict = judge(
            &now,
            &objective.goal,
            turn,
            last,
            &mut objectives.threshold_reached[i],
        );
        if let Some(met) = verdict {
            objectives.status[i] = if met {
                events.push(Event::ObjectiveMet {
                    objective: i as u32,
                });
                ObjectiveStatus::Met
            } else {
                events.push(Event::ObjectiveFailed {
                    objective: i as u32,
                });
                ObjectiveStatus::Failed
            };
        }
    }
    let total: u64 = rules.objectives.iter().map(|o| u64::from(o.weight)).sum();
    let kept: u64 = rules
        .objectives
        .iter()
        .zip(&objectives.status)
        .filter(|(_, s)| **s != ObjectiveStatus::Failed)
        .map(|(o, _)| u64::from(o.weight))
        .sum();
    objectives.score = (kept * 100).checked_div(total).unwrap_or(100) as u32;
    objectives.ended = last;
    *world.resource_mut::<Objectives>() = objectives;
    if !events.is_empty() {
        world.resource_mut::<TurnLog>().events.extend(events);
    }
}

fn attackers_done(world: &World, setting: &Setting) -> bool {
    let rules = &setting.rules;
    if !rules.end_when_attackers_done {
        return false;
    }
    setting.index.attackers.iter().enumerate().all(|(i, &e)| {
        world.get::<Campaign>(e).is_none_or(|c| {
            let stuck = super::attack::cut_off(&rules.attackers[i], c.infrastructure)
                && rules.attackers[i]
                    .campaign
                    .get(c.stage as usize)
                    .is_none_or(|s| s.action.needs_c2());
            c.finished || stuck
        })
    })
}

/// The world as objectives are judged, its resources looked up once.
struct Now<'w> {
    world: &'w World,
    metrics: &'w Metrics,
    politics: &'w Politics,
    availability: &'w [u16],
    attackers: &'w [Entity],
    grace: u32,
}

/// `Some(true)` met, `Some(false)` failed, `None` still open.
fn judge(
    now: &Now,
    goal: &Goal,
    turn: u32,
    last: bool,
    threshold_reached: &mut Option<u32>,
) -> Option<bool> {
    let (world, metrics, politics, grace) = (now.world, now.metrics, now.politics, now.grace);
    let settle = |open_result: bool| if last { Some(open_result) } else { None };
    match *goal {
        Goal::KeepAvailable {
            asset,
            min,
            from,
            to,
        } => {
            let availability = now.availability[asset as usize];
            if turn >= from && turn <= to && availability < min {
                Some(false)
            } else if turn >= to {
                Some(true)
            } else {
                settle(true)
            }
        }
        Goal::ProtectRecords { max_lost } => {
            if metrics.records_lost > max_lost {
                Some(false)
            } else {
                settle(true)
            }
        }
        Goal::DetectWithin { attacker, turns } => {
            let c = world.get::<Campaign>(now.attackers[attacker as usize])?;
            match (c.first_action, c.first_detected) {
                (Some(start), Some(seen)) => Some(seen <= start + turns),
                (Some(start), None) if turn > start + turns => Some(false),
                // An attacker that never acted needs no detecting.
                _ => settle(c.first_action.is_none()),
            }
        }
        Goal::ContainBy { attacker, turn: by } => {
            if turn < by && !last {
                return None;
            }
            Some(!holds_anything(world, attacker))
        }
        Goal::AttributeCorrectly { attacker } => {
            match politics.attributions.iter().find(|a| a.0 == attacker) {
                Some(a) => Some(a.3),
                None => settle(false),
            }
        }
        Goal::DiscloseWithin { turns } => {
            match (politics.first_detection, politics.first_statement) {
                (Some(seen), Some(said)) => Some(said <= seen + turns),
                (Some(seen), None) if turn > seen + turns => Some(false),
                (None, _) => settle(true),
                _ => settle(false),
            }
        }
        Goal::KeepPublicTrust { min } => {
            if politics.public_trust < min {
                Some(false)
            } else {
                settle(true)
            }
        }
        Goal::KeepAllianceTrust { min } => {
            if politics.alliance_trust < min {
                Some(false)
            } else {
                settle(true)
            }
        }
        Goal::EscalateAppropriately { threshold } => {
            if metrics.peak_impact >= threshold {
                threshold_reached.get_or_insert(turn);
            }
            match (politics.article5_turn, *threshold_reached) {
                (Some(asked), reached) => Some(reached.is_some_and(|r| r <= asked)),
                (None, Some(reached)) if turn > reached + grace => Some(false),
                (None, reached) => settle(reached.is_none()),
            }
        }
        Goal::LimitOutage { max_customer_hours } => {
            if metrics.customer_minutes_lost / 60 > max_customer_hours {
                Some(false)
            } else {
                settle(true)
            }
        }
    }
}

fn holds_anything(world: &World, attacker: u16) -> bool {
    let Some(mut q) = world.try_query::<&Compromise>() else {
        return false;
    };
    q.iter(world).any(|c| c.attacker == attacker)
}

#[cfg(test)]
mod tests {
    use crate::sim::fixture::*;

    #[test]
    fn objectives_fail_when_records_leave_and_the_score_drops() {
        let s = fixture();
        let mut sim = Sim::new(s.clone(), 3);
        let mut last = 100;
        for _ in 0..16 {
            last = step(&mut sim, vec![]).score;
        }
        let status = &sim.read().objectives().status;
        assert!(
            status.iter().all(|s| *s != ObjectiveStatus::Pending),
            "all settled at the end"
        );
        let failed = status
            .iter()
            .filter(|s| **s == ObjectiveStatus::Failed)
            .count();
        assert!(failed >= 1);
        assert!(last < 100);
        assert!(sim.ended());
    }
}
