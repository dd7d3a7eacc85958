//! Turns a checked scenario into the initial world.

use std::sync::Arc;

use bevy_ecs::prelude::*;

use crate::scenario::model::{Backups, DecisionKind, Scenario};

use super::components::*;
use super::resources::*;

pub fn populate(world: &mut World, scenario: &Arc<Scenario>, seed: u64) {
    world.register_component::<Compromise>();
    world.register_component::<StableId>();
    let (mut orgs, mut assets, mut attackers) = (Vec::new(), Vec::new(), Vec::new());

    for (i, org) in scenario.organisations.iter().enumerate() {
        let e = world.spawn((
            StableId(StableId::ORG | i as u64),
            OrgId(i as u16),
            Staff {
                capacity: org.staff,
                committed: 0,
            },
            Trust(org.trust.clone()),
            Knowledge::default(),
        ));
        orgs.push(e.id());
    }
    for (i, asset) in scenario.assets.iter().enumerate() {
        let e = world.spawn((
            StableId(StableId::ASSET | i as u64),
            AssetId(i as u32),
            Health {
                own_availability: asset.availability,
                availability: asset.availability,
                integrity: asset.integrity,
                confidentiality: asset.confidentiality,
            },
            Defences {
                monitoring: asset.monitoring,
                isolated: false,
                patched: 0,
                backups_intact: !matches!(asset.backups, Backups::None),
                hunt_bp: 0,
            },
            Records {
                held: asset.records,
                lost: 0,
            },
        ));
        assets.push(e.id());
    }
    for (i, attacker) in scenario.attackers.iter().enumerate() {
        let e = world.spawn((
            StableId(StableId::ATTACKER | i as u64),
            AttackerId(i as u16),
            Campaign {
                stage: 0,
                turns_in_stage: 0,
                finished: false,
                infrastructure: attacker.infrastructure,
                first_action: None,
                first_detected: None,
                acted: false,
                defaced: Vec::new(),
            },
        ));
        attackers.push(e.id());
    }

    let mut supply = Supply {
        offsets: Vec::with_capacity(scenario.assets.len() + 1),
        starved: Vec::new(),
        running: Vec::new(),
    };
    let mut leaning: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); scenario.assets.len()];
    for (i, asset) in scenario.assets.iter().enumerate() {
        supply.offsets.push(supply.starved.len() as u32);
        for dep in &asset.dependencies {
            let edge = supply.starved.len() as u32;
            leaning[dep.asset as usize].push((i as u32, edge, dep.buffer));
            supply.starved.push(0);
        }
    }
    supply.offsets.push(supply.starved.len() as u32);
    let mut dependants = Dependants::default();
    for list in leaning {
        dependants.offsets.push(dependants.edges.len() as u32);
        dependants.edges.extend(list);
    }
    dependants.offsets.push(dependants.edges.len() as u32);
    world.insert_resource(supply);
    world.insert_resource(dependants);
    let mut cascade = CascadeState {
        own: scenario.assets.iter().map(|a| a.availability).collect(),
        ..CascadeState::default()
    };
    for asset in &scenario.assets {
        let weight = u64::from(asset.criticality);
        cascade.total_weighted += weight * 1000;
        cascade.account(asset, scenario.turn_minutes, 1000, asset.availability);
    }
    world.insert_resource(cascade);
    let mut ownership = Ownership {
        by_org: vec![Vec::new(); scenario.organisations.len()],
        by_team: vec![Vec::new(); scenario.teams.len()],
    };
    for (i, asset) in scenario.assets.iter().enumerate() {
        let owner = &scenario.organisations[asset.owner as usize];
        ownership.by_org[asset.owner as usize].push(i as u32);
        if let Some(team) = owner.team {
            ownership.by_team[team as usize].push(i as u32);
        }
    }
    world.insert_resource(Setting {
        rules: scenario.clone(),
        index: Arc::new(Index {
            orgs: orgs.into(),
            assets: assets.into(),
            attackers: attackers.into(),
        }),
        clock: Clock { seed, turn: 1 },
    });
    world.insert_resource(TurnInput::default());
    world.insert_resource(TurnLog::default());
    world.insert_resource(Politics::default());
    world.insert_resource(Metrics::default());
    world.insert_resource(InjectsFired(vec![None; scenario.injects.len()]));
    world.insert_resource(InjectsHeld(vec![false; scenario.injects.len()]));
    world.insert_resource(DecisionsTaken(vec![None; DecisionKind::ALL.len()]));
    world.insert_resource(super::agenda::Agenda::default());
    world.insert_resource(AvailabilityMap(
        scenario.assets.iter().map(|a| a.availability).collect(),
    ));
    world.insert_resource(Objectives {
        status: vec![ObjectiveStatus::Pending; scenario.objectives.len()],
        threshold_reached: vec![None; scenario.objectives.len()],
        score: 100,
        ended: false,
    });
    world.insert_resource(Counters::default());
    world.insert_resource(Hunts::default());
    let response = OrgPairs::default();
    world.insert_resource(Access {
        actionable: Actionable::new(scenario, &ownership, &response),
        ownership,
        response,
    });
    world.insert_resource(AssistanceSent::default());
    world.insert_resource(HashThisTurn::default());
}
