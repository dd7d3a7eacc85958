//! What a team sees of the world is what its organisations know: the
//! events it is shown never tell it of an intrusion it had not found.

use kizuna::perspective::{Viewer, visible};
use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, Loaded, load_builtin};
use kizuna::session::{Controller, Session};
use kizuna::sim::event::Event;

fn scenario(id: &str) -> Loaded {
    match load_builtin(id, &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    }
}

/// Under doctrine, systems are restored whether or not anyone knew of the
/// intruder on them. An eviction is shown to a team only when one of its
/// organisations knew of that intrusion before the turn, or found it
/// during the turn; and some evictions are kept from the owner's team.
#[test]
fn evictions_are_news_only_to_teams_that_knew() {
    let (mut shown, mut kept_back) = (0, 0);
    for id in ["tokyo-games", "pension-breach", "grid-outage"] {
        let loaded = scenario(id);
        let scenario = loaded.scenario.clone();
        for seed in 0..12 {
            let teams = vec![Controller::Policy(PolicyKind::Doctrine); scenario.teams.len()];
            let mut session = Session::new(&loaded, seed, teams, false);
            while !session.ended() {
                let known_before: Vec<Vec<(u32, u16)>> = (0..scenario.teams.len())
                    .map(|t| {
                        session
                            .lens(t as u16)
                            .known_compromises()
                            .iter()
                            .map(|k| (k.asset, k.attacker))
                            .collect()
                    })
                    .collect();
                let outcome = match session.play_turn(Vec::new(), Vec::new()) {
                    Ok(o) => o,
                    Err(e) => panic!("{e}"),
                };
                for (i, event) in outcome.events.iter().enumerate() {
                    let Event::Evicted {
                        asset, attacker, ..
                    } = event
                    else {
                        continue;
                    };
                    let owner_team = scenario.organisations
                        [scenario.assets[*asset as usize].owner as usize]
                        .team;
                    for (t, known) in known_before.iter().enumerate() {
                        let team = t as u16;
                        let found_now = outcome.events[..i].iter().any(|e| {
                            matches!(e, Event::Detected { org, asset: a, attacker: b }
                                if a == asset && b == attacker
                                    && scenario.organisations[*org as usize].team == Some(team))
                        });
                        let knew = known.contains(&(*asset, *attacker)) || found_now;
                        if visible(event, Viewer::Team(team), &scenario) {
                            assert!(
                                knew,
                                "{id} seed {seed}: team {team} told of an intrusion it never knew"
                            );
                            // Told it is gone, the team no longer marks it,
                            // unless the intruder came straight back.
                            let still = session
                                .lens(team)
                                .known_compromises()
                                .iter()
                                .any(|k| (k.asset, k.attacker) == (*asset, *attacker));
                            let back = outcome.events[i..].iter().any(|e| {
                                matches!(e, Event::AssetCompromised { asset: a, .. } if a == asset)
                            });
                            assert!(
                                !still || back,
                                "{id} seed {seed}: team {team} still marks an evicted intrusion"
                            );
                            shown += 1;
                        } else if owner_team == Some(team) && !knew {
                            kept_back += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(shown > 0, "no eviction was ever shown");
    assert!(
        kept_back > 0,
        "no eviction happened unseen, so the rule was not tried"
    );
}
