//! Phase 3, attack: each attacker works on the current stage of its
//! campaign — gaining footholds through vulnerabilities, escalating,
//! moving along network links, then stealing, disrupting or wiping.

use bevy_ecs::prelude::*;

use crate::scenario::model::{Attacker, AttackerIdx, Backups, Scenario, Stage, StageAction};
use crate::sim::Phase;
use crate::sim::components::*;
use crate::sim::event::{Event, TrustCause};
use crate::sim::resources::*;
use crate::sim::rng::SimRng;

use super::effects;

pub fn advance_campaigns(
    world: &mut World,
    compromises: &mut QueryState<(Entity, &StableId, &Compromise)>,
    mut walk: Local<Walk>,
    mut held: Local<Vec<(Entity, Compromise)>>,
) {
    let Setting {
        rules,
        index,
        clock,
    } = world.resource::<Setting>().clone();
    let mut rng: Option<SimRng> = None;
    let alert = u32::from(world.resource::<Politics>().alert_level.max(1) - 1);
    // Compromises only appear in this phase, each for its own attacker, so
    // one sorted list taken now serves every attacker.
    let all = super::sorted_compromises(world, compromises);
    for (i, attacker) in rules.attackers.iter().enumerate() {
        let i = i as AttackerIdx;
        let entity = index.attackers[i as usize];
        let Some(mut campaign) = world.get::<Campaign>(entity).cloned() else {
            continue;
        };
        if campaign.finished || clock.turn < attacker.start_turn {
            continue;
        }
        let Some(stage) = attacker.campaign.get(campaign.stage as usize) else {
            continue;
        };
        // Without command and control only what is staged on hosts runs.
        if cut_off(attacker, campaign.infrastructure) && stage.action.needs_c2() {
            continue;
        }
        if clock.turn < stage.not_before {
            continue;
        }
        let rng =
            rng.get_or_insert_with(|| SimRng::new(clock.seed, clock.turn, Phase::Attack.stream()));
        campaign.first_action.get_or_insert(clock.turn);
        campaign.turns_in_stage += 1;

        // The attacker's holds, in a list kept from one turn to the next.
        held.clear();
        held.extend(
            all.iter()
                .filter(|(_, _, c)| c.attacker == i)
                .map(|(_, e, c)| (*e, c.clone())),
        );
        // Evicted everywhere: go back to the first stage and try again.
        if held.is_empty() && stage.action != StageAction::InitialAccess && campaign.stage > 0 {
            campaign.stage = 0;
            campaign.turns_in_stage = 0;
            campaign.acted = false;
            world.resource_mut::<TurnLog>().push(Event::StageStarted {
                attacker: i,
                stage: 0,
            });
            put(world, entity, campaign);
            continue;
        }

        let ctx = Ctx {
            rules: &rules,
            index: &index,
            alert,
            attacker,
            idx: i,
            stage,
            turn: clock.turn,
            c2: c2_share(attacker, campaign.infrastructure),
        };
        // Impact stages first work their way to targets not yet held.
        let impact_stage = !matches!(
            stage.action,
            StageAction::InitialAccess | StageAction::Escalate | StageAction::LateralMovement
        );
        if impact_stage && ctx.c2 > 0 && stage.targets.iter().any(|&t| !holds(&held, t)) {
            let mut gained = Vec::new();
            lateral_movement(world, &ctx, &held, rng, &campaign, &mut walk, &mut gained);
            held.extend(gained);
        }
        let done = match stage.action {
            StageAction::InitialAccess => initial_access(world, &ctx, &held, rng),
            StageAction::Escalate => escalate(world, &ctx, &held, rng),
            StageAction::LateralMovement => {
                let mut gained = Vec::new();
                lateral_movement(world, &ctx, &held, rng, &campaign, &mut walk, &mut gained)
            }
            StageAction::Exfiltrate { records_per_turn } => {
                campaign.acted |= exfiltrate(world, &ctx, &held, records_per_turn);
                campaign.acted
            }
            StageAction::Disrupt { damage } => {
                campaign.acted |= impact(world, &ctx, &held, |h, _| {
                    h.own_availability = h.own_availability.saturating_sub(damage);
                    Some(Event::AssetDamaged {
                        asset: 0,
                        attacker: 0,
                        availability: h.own_availability,
                    })
                });
                campaign.acted
            }
            StageAction::Destroy => {
                campaign.acted |= impact(world, &ctx, &held, |h, d| {
                    h.own_availability = 0;
                    h.integrity = 0;
                    d.backups_intact = false;
                    Some(Event::AssetWiped {
                        asset: 0,
                        attacker: 0,
                    })
                });
                campaign.acted
            }
            StageAction::Deface => {
                let acted = deface(world, &ctx, &held, &mut campaign);
                campaign.acted |= acted;
                campaign.acted
            }
        };
        if done && campaign.turns_in_stage >= stage.min_turns {
            campaign.stage += 1;
            campaign.turns_in_stage = 0;
            campaign.acted = false;
            let event = if campaign.stage as usize >= attacker.campaign.len() {
                campaign.finished = true;
                Event::CampaignFinished { attacker: i }
            } else {
                Event::StageStarted {
                    attacker: i,
                    stage: campaign.stage,
                }
            };
            world.resource_mut::<TurnLog>().push(event);
        }
        put(world, entity, campaign);
    }
}

struct Ctx<'a> {
    rules: &'a Scenario,
    index: &'a Index,
    /// Alert levels above 1.
    alert: u32,
    attacker: &'a Attacker,
    idx: AttackerIdx,
    stage: &'a Stage,
    turn: u32,
    /// Share of its command-and-control servers the attacker still has,
    /// permille: takedowns slow everything that goes through them.
    c2: u32,
}

/// Every server the attacker started with is down (one that never needed
/// any is never cut off).
pub fn cut_off(attacker: &Attacker, remaining: u32) -> bool {
    attacker.infrastructure > 0 && remaining == 0
}

fn c2_share(attacker: &Attacker, remaining: u32) -> u32 {
    if attacker.infrastructure == 0 {
        return 1000;
    }
    (u64::from(remaining.min(attacker.infrastructure)) * 1000 / u64::from(attacker.infrastructure))
        as u32
}

fn put(world: &mut World, entity: Entity, campaign: Campaign) {
    if let Some(mut c) = world.get_mut::<Campaign>(entity) {
        *c = campaign;
    }
}

fn defences(world: &World, ctx: &Ctx, asset: u32) -> Defences {
    let e = ctx.index.assets[asset as usize];
    world.get::<Defences>(e).cloned().unwrap_or(Defences {
        monitoring: 0,
        isolated: false,
        patched: 0,
        backups_intact: false,
        hunt_bp: 0,
    })
}

/// Best exploitability (bp) among the asset's unpatched weaknesses that a
/// stage technique can use; `None` if no technique fits.
fn matching_weakness(rules: &Scenario, stage: &Stage, asset: u32, patched: u64) -> Option<u32> {
    rules.assets[asset as usize]
        .vulnerabilities
        .iter()
        .enumerate()
        .filter(|(i, v)| {
            stage.techniques.contains(&v.technique) && !(*i < 64 && patched & (1 << i) != 0)
        })
        .map(|(_, v)| u32::from(v.exploitability))
        .max()
}

/// Defences lower every roll: monitoring by up to a third, each alert
/// level above 1 by a tenth; lost command-and-control servers in proportion.
fn defended(ctx: &Ctx, bp: u32, monitoring: u16) -> u32 {
    let bp = bp * (3_000 - u32::from(monitoring.min(1000))) / 3_000;
    let bp = bp * (10 - ctx.alert.min(5)) / 10;
    bp * ctx.c2 / 1000
}

fn spawn_compromise(world: &mut World, ctx: &Ctx, asset: u32) -> (Entity, Compromise) {
    let id = {
        let mut counters = world.resource_mut::<Counters>();
        counters.next_compromise += 1;
        counters.next_compromise
    };
    let compromise = Compromise {
        attacker: ctx.idx,
        asset,
        level: 1,
        since: ctx.turn,
        detected: false,
    };
    let entity = world
        .spawn((StableId(StableId::COMPROMISE | id), compromise.clone()))
        .id();
    world.resource_mut::<Metrics>().compromises_total += 1;
    world
        .resource_mut::<TurnLog>()
        .push(Event::AssetCompromised {
            asset,
            attacker: ctx.idx,
        });
    (entity, compromise)
}

fn holds(held: &[(Entity, Compromise)], asset: u32) -> bool {
    held.iter().any(|(_, c)| c.asset == asset)
}

fn initial_access(
    world: &mut World,
    ctx: &Ctx,
    held: &[(Entity, Compromise)],
    rng: &mut SimRng,
) -> bool {
    let exposure = 500 + u32::from(ctx.rules.ecosystem_exposure);
    let mut any = ctx.stage.targets.iter().any(|&t| holds(held, t));
    for &target in &ctx.stage.targets {
        if holds(held, target) {
            continue;
        }
        let d = defences(world, ctx, target);
        if d.isolated {
            continue;
        }
        let Some(exploit) = matching_weakness(ctx.rules, ctx.stage, target, d.patched) else {
            continue;
        };
        let bp = exploit * u32::from(ctx.attacker.skill) / 1000 * exposure / 1000;
        if rng.chance_bp(defended(ctx, bp, d.monitoring)) {
            spawn_compromise(world, ctx, target);
            any = true;
        }
    }
    any
}

fn escalate(world: &mut World, ctx: &Ctx, held: &[(Entity, Compromise)], rng: &mut SimRng) -> bool {
    let mut any = held.iter().any(|(_, c)| c.level >= 2);
    for (e, c) in held {
        if c.level >= 2 {
            continue;
        }
        let d = defences(world, ctx, c.asset);
        let bp = defended(ctx, u32::from(ctx.attacker.skill) * 8, d.monitoring);
        if rng.chance_bp(bp) {
            if let Some(mut comp) = world.get_mut::<Compromise>(*e) {
                comp.level = 2;
            }
            world.resource_mut::<TurnLog>().push(Event::Escalated {
                asset: c.asset,
                attacker: ctx.idx,
            });
            any = true;
        }
    }
    any
}

/// The lateral walk's working sets, kept by the attack system from one
/// walk to the next so a walk does not allocate.
#[derive(Default)]
pub struct Walk {
    /// Assets held or taken this turn, one bit each: the walk asks for
    /// every link it passes.
    taken: AssetBits,
    targets: AssetBits,
    /// Footholds the walk may leave from.
    sources: Vec<u32>,
}

fn lateral_movement(
    world: &mut World,
    ctx: &Ctx,
    held: &[(Entity, Compromise)],
    rng: &mut SimRng,
    campaign: &Campaign,
    walk: &mut Walk,
    gained: &mut Vec<(Entity, Compromise)>,
) -> bool {
    let Walk {
        taken,
        targets,
        sources,
    } = walk;
    taken.clear(ctx.rules.assets.len());
    for (_, c) in held {
        taken.insert(c.asset);
    }
    sources.clear();
    sources.extend(
        held.iter()
            .map(|(_, c)| c.asset)
            .filter(|&a| !defences(world, ctx, a).isolated),
    );
    let sources = &sources[..];
    // Links to targets from every foothold come first; then the attacker
    // explores other links, starting from a different foothold each turn.
    targets.clear(ctx.rules.assets.len());
    for &t in &ctx.stage.targets {
        targets.insert(t);
    }
    let targets = &*targets;
    let is_target = |a: &u32| targets.contains(*a);
    let rotate = (campaign.turns_in_stage as usize)
        .checked_rem(sources.len())
        .unwrap_or(0);
    let links = |source: u32| ctx.rules.assets[source as usize].links.iter().copied();
    let toward_targets = sources
        .iter()
        .flat_map(|&source| links(source).filter(|l| is_target(l)));
    let exploring = (0..sources.len())
        .map(|k| sources[(rotate + k) % sources.len()])
        .flat_map(|source| links(source).filter(|l| !is_target(l)));
    // Lazy: the walk stops as soon as the moves for this turn are spent.
    let candidates = toward_targets.chain(exploring);
    let mut moves = 0;
    for next in candidates {
        if moves >= usize::from(ctx.rules.tuning.max_moves_per_turn) {
            break;
        }
        if taken.contains(next) {
            continue;
        }
        let d = defences(world, ctx, next);
        if d.isolated {
            continue;
        }
        let base = matching_weakness(ctx.rules, ctx.stage, next, d.patched)
            .unwrap_or(u32::from(ctx.rules.tuning.base_move_bp));
        let mut bp = base * u32::from(ctx.attacker.skill) / 1000;
        if !is_target(&next) {
            bp /= 2;
        }
        moves += 1;
        if rng.chance_bp(defended(ctx, bp, d.monitoring)) {
            gained.push(spawn_compromise(world, ctx, next));
            taken.insert(next);
        }
    }
    // Done when every target is held, or when some are and the attacker
    // has spent long enough looking for the rest.
    let held_targets = ctx
        .stage
        .targets
        .iter()
        .filter(|&&t| taken.contains(t))
        .count();
    held_targets == ctx.stage.targets.len()
        || (held_targets > 0
            && campaign.turns_in_stage
                >= ctx
                    .stage
                    .min_turns
                    .max(u32::from(ctx.rules.tuning.attacker_patience)))
}

/// A set of assets as one bit per asset.
#[derive(Default)]
struct AssetBits(Vec<u64>);

impl AssetBits {
    /// Empties the set and sizes it for `assets` assets.
    fn clear(&mut self, assets: usize) {
        self.0.clear();
        self.0.resize(assets.div_ceil(64), 0);
    }
    fn insert(&mut self, asset: u32) {
        if let Some(word) = self.0.get_mut(asset as usize / 64) {
            *word |= 1 << (asset % 64);
        }
    }
    fn contains(&self, asset: u32) -> bool {
        self.0
            .get(asset as usize / 64)
            .is_some_and(|word| word & (1 << (asset % 64)) != 0)
    }
}

/// Held targets the attacker can reach through its command channel.
fn reachable_targets(world: &World, ctx: &Ctx, held: &[(Entity, Compromise)]) -> Vec<u32> {
    ctx.stage
        .targets
        .iter()
        .copied()
        .filter(|&t| holds(held, t) && !defences(world, ctx, t).isolated)
        .collect()
}

fn exfiltrate(world: &mut World, ctx: &Ctx, held: &[(Entity, Compromise)], rate: u64) -> bool {
    let mut acted = false;
    for asset in reachable_targets(world, ctx, held) {
        let e = ctx.index.assets[asset as usize];
        let Some(mut records) = world.get_mut::<Records>(e) else {
            continue;
        };
        // Records leave through the command channel, slower as it shrinks.
        let rate = rate.saturating_mul(u64::from(ctx.c2)) / 1000;
        let take = rate.min(records.held - records.lost);
        if take == 0 {
            continue;
        }
        records.lost += take;
        let share = (records.lost * 1000 / records.held.max(1)) as u16;
        if let Some(mut h) = world.get_mut::<Health>(e) {
            h.confidentiality = 1000 - share.min(1000);
        }
        world.resource_mut::<Metrics>().records_lost += take;
        world.resource_mut::<TurnLog>().push(Event::RecordsStolen {
            asset,
            attacker: ctx.idx,
            count: take,
        });
        acted = true;
    }
    acted
}

/// Applies `hit` to every reachable held target; the closure's event is
/// re-addressed to the asset and attacker.
fn impact(
    world: &mut World,
    ctx: &Ctx,
    held: &[(Entity, Compromise)],
    hit: impl Fn(&mut Health, &mut Defences) -> Option<Event>,
) -> bool {
    let mut acted = false;
    for asset in reachable_targets(world, ctx, held) {
        let e = ctx.index.assets[asset as usize];
        let online_backups = matches!(
            ctx.rules.assets[asset as usize].backups,
            Backups::Online { .. }
        );
        let (Some(mut health), Some(mut def)) = (
            world.get::<Health>(e).copied(),
            world.get::<Defences>(e).cloned(),
        ) else {
            continue;
        };
        let backups_before = def.backups_intact;
        let event = hit(&mut health, &mut def);
        // Wipers reach backups only where they are online.
        def.backups_intact = if online_backups {
            def.backups_intact
        } else {
            backups_before
        };
        let own_changed = world
            .get::<Health>(e)
            .is_some_and(|h| h.own_availability != health.own_availability);
        if let Some(mut h) = world.get_mut::<Health>(e) {
            *h = health;
        }
        if let Some(mut d) = world.get_mut::<Defences>(e) {
            *d = def;
        }
        if own_changed {
            effects::mark_cascade(world, asset);
        }
        let event = event.map(|ev| match ev {
            Event::AssetDamaged { availability, .. } => Event::AssetDamaged {
                asset,
                attacker: ctx.idx,
                availability,
            },
            Event::AssetWiped { .. } => Event::AssetWiped {
                asset,
                attacker: ctx.idx,
            },
            other => other,
        });
        if let Some(ev) = event {
            world.resource_mut::<TurnLog>().push(ev);
        }
        acted = true;
    }
    acted
}

fn deface(
    world: &mut World,
    ctx: &Ctx,
    held: &[(Entity, Compromise)],
    campaign: &mut Campaign,
) -> bool {
    let targets = reachable_targets(world, ctx, held);
    for &asset in &targets {
        let e = ctx.index.assets[asset as usize];
        if let Some(mut h) = world.get_mut::<Health>(e) {
            h.integrity = h
                .integrity
                .saturating_sub(ctx.rules.tuning.deface_integrity_damage);
        }
        if !campaign.defaced.contains(&asset) {
            campaign.defaced.push(asset);
            effects::public_trust(
                world,
                i32::from(ctx.rules.tuning.deface_public_trust),
                TrustCause::Defacement,
            );
            world.resource_mut::<TurnLog>().push(Event::AssetDefaced {
                asset,
                attacker: ctx.idx,
            });
        }
    }
    !targets.is_empty()
}

#[cfg(test)]
mod tests {
    use crate::sim::fixture::*;

    #[test]
    fn asset_bits_hold_each_asset_once_across_word_boundaries() {
        let mut bits = super::AssetBits::default();
        bits.clear(130);
        for asset in [0, 63, 64, 129] {
            bits.insert(asset);
        }
        let held: Vec<u32> = (0..130).filter(|&a| bits.contains(a)).collect();
        assert_eq!(held, vec![0, 63, 64, 129]);
        // An asset past the last word is neither stored nor reported.
        bits.insert(192);
        assert!(!bits.contains(192));
        // The walk reuses one set from turn to turn: clearing forgets all.
        bits.clear(200);
        assert!((0..200).all(|a| !bits.contains(a)));
        bits.insert(192);
        assert!(bits.contains(192));
    }

    #[test]
    fn the_attacker_gets_in_steals_and_wipes_when_nobody_answers() {
        let s = fixture();
        let ids = Ids(s.clone());
        let mut sim = Sim::new(s.clone(), 3);
        let mut stolen = 0;
        let mut wiped = false;
        for _ in 0..16 {
            let out = step(&mut sim, vec![]);
            for e in &out.events {
                match e {
                    Event::RecordsStolen { count, .. } => stolen += count,
                    Event::AssetWiped { asset, .. } => wiped |= *asset == ids.asset("dc"),
                    _ => {}
                }
            }
        }
        assert!(stolen > 0);
        assert_eq!(sim.read().metrics().records_lost, stolen);
        assert!(wiped, "the campaign reaches its destroy stage");
        // The web site depends on the wiped domain controller.
        assert!(sim.read().availability()[ids.asset("web") as usize] < 500);
    }
}
