//! Each seat's owned view: plain data that survives serialisation, and
//! never holds what the seat has not observed.

use proptest::prelude::*;

use kizuna::perspective::{Viewer, visible};
use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, Loaded, load_builtin};
use kizuna::session::table::{Command, Seat, Table};
use kizuna::session::view::{FacilitatorView, TeamView};
use kizuna::session::{Controller, Session};
use kizuna::sim::event::Event;

fn scenario(id: &str) -> Loaded {
    match load_builtin(id, &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    }
}

/// Both teams on `policy`, `turns` turns played.
fn played(id: &str, seed: u64, policy: PolicyKind, turns: u32) -> Table {
    let loaded = scenario(id);
    let teams = vec![Controller::Policy(policy); loaded.scenario.teams.len()];
    let mut table = Table::new(Session::new(&loaded, seed, teams, true));
    for _ in 0..turns {
        if table.session().ended() {
            break;
        }
        if let Err(e) = table.command(Seat::Facilitator, Command::ResolveNow) {
            panic!("{e}");
        }
    }
    table
}

fn round_trips(team: &TeamView, truth: &FacilitatorView) {
    let json = serde_json::to_string(team).unwrap_or_default();
    let back: TeamView = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&back, team);
    let ron = ron::to_string(team).unwrap_or_default();
    let back: TeamView = ron::from_str(&ron).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&back, team);
    let json = serde_json::to_string(truth).unwrap_or_default();
    let back: FacilitatorView = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&back, truth);
}

#[test]
fn views_read_back_as_they_were_written() {
    let table = played("tokyo-games", 3, PolicyKind::Doctrine, 12);
    let truth = table.facilitator_view();
    assert!(
        truth.assets.iter().any(|a| !a.compromises.is_empty()),
        "something to hide after 12 turns"
    );
    for t in 0..table.scenario().teams.len() as u16 {
        round_trips(&table.team_view(t), &truth);
    }
}

/// Japan and the US learn different things; each view holds only its own.
#[test]
fn teams_that_know_different_things_see_different_things() {
    let known = |v: &TeamView| -> Vec<(usize, u16)> {
        let mut all: Vec<(usize, u16)> = v
            .assets
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.intrusions.iter().map(move |k| (i, k.attacker)))
            .collect();
        all.sort_unstable();
        all
    };
    let mut differed = 0;
    for seed in 0..20 {
        let table = played("tokyo-games", seed, PolicyKind::Doctrine, 10);
        let jp = table.team_view(0);
        let us = table.team_view(1);
        if known(&jp) != known(&us) {
            differed += 1;
        }
        for (view, team) in [(&jp, 0u16), (&us, 1u16)] {
            let mut expected: Vec<(usize, u16)> = table
                .session()
                .lens(team)
                .known_compromises()
                .iter()
                .map(|k| (k.asset as usize, k.attacker))
                .collect();
            expected.sort_unstable();
            expected.dedup();
            assert_eq!(known(view), expected, "seed {seed} team {team}");
        }
    }
    assert!(differed > 0, "the teams never saw different pictures");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever happens, a team's view holds no asset state it has not
    /// observed: monitoring only of its own assets; intrusions only once a
    /// detection or a message told one of its organisations; events only
    /// those it may see.
    #[test]
    fn no_view_holds_what_its_team_has_not_observed(
        id in prop::sample::select(vec!["tutorial", "tokyo-games", "pension-breach", "grid-outage"]),
        seed in 0u64..1_000,
        policy in prop::sample::select(vec![PolicyKind::Random, PolicyKind::Doctrine]),
        turns in 1u32..14,
    ) {
        let table = played(id, seed, policy, turns);
        let scenario = table.scenario();
        for team in 0..scenario.teams.len() as u16 {
            let view = table.team_view(team);
            let mine = |org: u16| scenario.organisations[org as usize].team == Some(team);
            // Told of an intrusion: every (asset, attacker) pair the team
            // was shown, by its own detection or in a message to it.
            let mut told = Vec::new();
            for turn in &view.history {
                for e in &turn.events {
                    prop_assert!(visible(e, Viewer::Team(team), scenario), "{e:?}");
                    match e {
                        Event::Detected { org, asset, attacker } if mine(*org) => {
                            told.push((*asset, *attacker));
                        }
                        Event::MessageDelivered { to, facts, .. } if mine(*to) => {
                            told.extend(facts.compromises.iter().map(|c| (c.asset, c.attacker)));
                        }
                        _ => {}
                    }
                }
            }
            for (i, asset) in view.assets.iter().enumerate() {
                let owner = scenario.assets[i].owner;
                prop_assert_eq!(asset.monitoring.is_some(), mine(owner), "asset {}", i);
                for k in &asset.intrusions {
                    prop_assert!(
                        told.contains(&(i as u32, k.attacker)),
                        "{} seed {}: team {} lists an intrusion on asset {} it was never told of",
                        id, seed, team, i
                    );
                    prop_assert!(k.seen <= view.public.turn);
                }
            }
            // Decisions offered only for the team's own organisations.
            prop_assert!(view.decisions.iter().all(|c| mine(c.decision.org)));
            prop_assert!(view.staff.iter().all(|s| mine(s.org)));
        }
    }
}

/// A turn's debrief is the team's own account: each event in it is one the
/// team may see, nothing of the turn the team saw is missing, and the trust
/// moves it reports add up to the public figures.
#[test]
fn debriefs_tell_a_team_only_what_it_saw_and_explain_trust() {
    let loaded = scenario("tokyo-games");
    let mut trust_moves = 0;
    for seed in 0..6 {
        let table = played("tokyo-games", seed, PolicyKind::Doctrine, 16);
        for t in 0..table.scenario().teams.len() as u16 {
            let view = table.team_view(t);
            for seen in &view.history {
                let d = view.debrief(seen.turn).expect("a played turn");
                let told: Vec<&Event> = [
                    &d.decisions,
                    &d.detections,
                    &d.received,
                    &d.public,
                    &d.trust,
                    &d.objectives,
                ]
                .into_iter()
                .flatten()
                .collect();
                for e in &told {
                    assert!(visible(e, Viewer::Team(t), &loaded.scenario), "{e:?}");
                }
                let injects = seen
                    .events
                    .iter()
                    .filter(|e| matches!(e, Event::InjectFired { .. } | Event::AdHocInject { .. }))
                    .count();
                assert_eq!(told.len() + injects, seen.events.len());
                trust_moves += d.trust.len();
            }
            // The last move of public trust lands on the figure shown.
            let last = view
                .history
                .iter()
                .rev()
                .find_map(|s| view.debrief(s.turn).and_then(|d| d.public_trust));
            if let Some((_, now)) = last {
                assert_eq!(now, view.public.public_trust);
            }
        }
    }
    assert!(trust_moves > 0, "doctrine play moves trust");
}

/// Injects scripted for a turn are read before that turn's decisions, by
/// the teams they are addressed to only, and then leave the list.
#[test]
fn injects_due_this_turn_arrive_before_the_decisions() {
    let table = played("tokyo-games", 1, PolicyKind::Idle, 0);
    let scenario = table.scenario().clone();
    for t in 0..scenario.teams.len() as u16 {
        let view = table.team_view(t);
        let due: Vec<u32> = scenario
            .injects
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                matches!(i.trigger, kizuna::scenario::model::Trigger::AtTurn(1))
                    && i.to.contains(&t)
            })
            .map(|(n, _)| n as u32)
            .collect();
        assert_eq!(view.arriving, due, "team {t}");
    }
    assert!(
        (0..scenario.teams.len() as u16).any(|t| !table.team_view(t).arriving.is_empty()),
        "tokyo-games opens with an inject"
    );
    let table = played("tokyo-games", 1, PolicyKind::Idle, 1);
    for t in 0..scenario.teams.len() as u16 {
        let view = table.team_view(t);
        for i in &view.arriving {
            assert!(
                !matches!(
                    scenario.injects[*i as usize].trigger,
                    kizuna::scenario::model::Trigger::AtTurn(1)
                ),
                "turn 1's inject fired and left the list"
            );
        }
    }
}

/// An inject the facilitator holds back is not announced as arriving.
#[test]
fn a_held_inject_is_not_announced() {
    use kizuna::scenario::model::Trigger;
    use kizuna::sim::overrides::{Change, Override};
    let mut table = played("tokyo-games", 1, PolicyKind::Idle, 0);
    let scenario = table.scenario().clone();
    let Some((inject, at, team)) =
        scenario
            .injects
            .iter()
            .enumerate()
            .find_map(|(i, x)| match x.trigger {
                Trigger::AtTurn(t) if t > 1 => Some((i as u32, t, *x.to.first()?)),
                _ => None,
            })
    else {
        panic!("tokyo-games has an inject scripted after turn 1");
    };
    let hold = Command::Override(Override {
        change: Change::HoldInject { inject, hold: true },
        reason: "later".into(),
    });
    if let Err(e) = table.command(Seat::Facilitator, hold) {
        panic!("{e}");
    }
    while table.session().turn() < at {
        if let Err(e) = table.command(Seat::Facilitator, Command::ResolveNow) {
            panic!("{e}");
        }
    }
    assert!(!table.team_view(team).arriving.contains(&inject));
}
