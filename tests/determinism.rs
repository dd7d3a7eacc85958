//! The determinism contract: a seed and a decision log reproduce a session
//! bit for bit. Golden hashes pin the shipped scenarios; a model change that
//! moves them must update them on purpose and say so in CHANGELOG.md.

use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, Loaded, load_builtin, load_file};
use kizuna::session::log::{SessionLog, hex};
use kizuna::session::replay::replay;
use kizuna::session::{Controller, Session};
use kizuna::sim::Sim;
use kizuna::sim::decision::{Action, Decision, Tlp};
use kizuna::sim::resources::TurnInput;
use proptest::prelude::*;

fn tutorial() -> Loaded {
    match load_builtin("tutorial", &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    }
}

fn exercise() -> Loaded {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/exercise.ron");
    match load_file(std::path::Path::new(path), &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("{e:?}"),
    }
}

/// Final state hash of a full computer-played run.
fn final_hash(loaded: &Loaded, seed: u64, policy: PolicyKind) -> String {
    let teams = vec![Controller::Policy(policy); loaded.scenario.teams.len()];
    let mut s = Session::new(loaded, seed, teams, false);
    s.run(loaded.scenario.turn_limit, |_| {});
    hex(s.state_hash())
}

#[test]
fn golden_hashes_of_the_shipped_scenarios() {
    let t = tutorial();
    let got = [
        final_hash(&t, 1, PolicyKind::Idle),
        final_hash(&t, 1, PolicyKind::Doctrine),
        final_hash(&t, 2, PolicyKind::Random),
    ];
    assert_eq!(
        got, GOLDEN_TUTORIAL,
        "tutorial golden hashes moved; see CHANGELOG.md"
    );
    let e = exercise();
    let got = [
        final_hash(&e, 1, PolicyKind::Idle),
        final_hash(&e, 1, PolicyKind::Doctrine),
        final_hash(&e, 2, PolicyKind::Random),
    ];
    assert_eq!(
        got, GOLDEN_EXERCISE,
        "engine fixture golden hashes moved; see CHANGELOG.md"
    );
}

const GOLDEN_TUTORIAL: [&str; 3] = ["81b90957b8644d48", "7c4a82c8f8ae62ae", "9c5b0fb12e05f842"];
const GOLDEN_EXERCISE: [&str; 3] = ["8c7fd80521917ab8", "a9b6a19f1e44f830", "7107923556a30401"];

#[test]
fn a_logged_session_replays_bit_for_bit() {
    let e = exercise();
    let teams = vec![
        Controller::Policy(PolicyKind::Random),
        Controller::Policy(PolicyKind::Doctrine),
    ];
    let mut s = Session::new(&e, 99, teams, true);
    let mut per_turn = Vec::new();
    s.run(e.scenario.turn_limit, |o| per_turn.push(o.state_hash));
    let text = s.log().to_ron();
    let log = match SessionLog::parse("mem", &text) {
        Ok(l) => l,
        Err(err) => panic!("{err:?}"),
    };
    assert_eq!(&log, s.log(), "the log survives a write and read unchanged");
    let (replayed, summary) = match replay(&log, None) {
        Ok(r) => r,
        Err(err) => panic!("{err}"),
    };
    assert_eq!(summary.turns_checked, e.scenario.turn_limit);
    assert_eq!(replayed.log().turns, s.log().turns);
    assert!(
        per_turn.iter().all(Option::is_some),
        "every turn is hashed when logging"
    );
}

#[test]
fn rewinding_and_replaying_the_same_decisions_gives_the_same_hashes() {
    let e = exercise();
    let teams = vec![Controller::Policy(PolicyKind::Doctrine); 2];
    let mut s = Session::new(&e, 4, teams, true);
    s.run(10, |_| {});
    let original: Vec<String> = s.log().turns.iter().map(|t| t.state_hash.clone()).collect();
    if let Err(err) = s.rewind(4, "try again") {
        panic!("{err}");
    }
    assert_eq!(s.turn(), 5);
    assert_eq!(
        s.log().branches.len(),
        1,
        "the abandoned line is kept as a branch"
    );
    assert_eq!(s.log().branches[0].abandoned.len(), 6);
    s.run(6, |_| {});
    let again: Vec<String> = s.log().turns.iter().map(|t| t.state_hash.clone()).collect();
    assert_eq!(
        original, again,
        "policies are stateless, so the branch repeats"
    );
    // A branch that decides differently diverges from the rewind point on.
    if let Err(err) = s.rewind(4, "try again") {
        panic!("{err}");
    }
    let op = e.scenario.org_index("op").unwrap_or(0);
    let extra = Decision {
        org: op,
        action: Action::Isolate { asset: 1 },
    };
    if let Err(err) = s.play_turn(vec![extra], vec![]) {
        panic!("{err}");
    }
    let kept: Vec<&String> = s.log().turns[..4].iter().map(|t| &t.state_hash).collect();
    assert_eq!(kept, original[..4].iter().collect::<Vec<_>>());
    assert_ne!(s.log().turns[4].state_hash, original[4]);
    assert!(s.rewind(99, "too far").is_err());
}

/// Every turn's hash of a computer-played run, hashing each turn.
fn turn_hashes(session: &mut Session, loaded: &Loaded) -> Vec<Option<u64>> {
    let mut hashes = Vec::new();
    session.run(loaded.scenario.turn_limit, |o| hashes.push(o.state_hash));
    hashes.push(Some(session.state_hash()));
    hashes
}

/// A sweep runs each session in the world of the last one it finished: the
/// state must never remember the earlier run, even of another scenario.
#[test]
fn a_recycled_session_plays_exactly_as_a_new_one() {
    let (t, e) = (tutorial(), exercise());
    for policy in [PolicyKind::Doctrine, PolicyKind::Random] {
        let teams = |l: &Loaded| vec![Controller::Policy(policy); l.scenario.teams.len()];
        let mut fresh = Session::new(&t, 7, teams(&t), true);
        let expected = turn_hashes(&mut fresh, &t);
        // First the fixture, with a different seed, then the tutorial.
        let mut other = Session::new(&e, 3, teams(&e), true);
        other.run(e.scenario.turn_limit, |_| {});
        let mut recycled = other.recycle(&t, 7, teams(&t), true);
        assert_eq!(turn_hashes(&mut recycled, &t), expected, "{policy}");
        // And once more in its own world.
        let mut again = recycled.recycle(&t, 7, teams(&t), true);
        assert_eq!(turn_hashes(&mut again, &t), expected, "{policy}");
    }
}

fn arbitrary_action() -> impl Strategy<Value = Action> {
    // Indices reach past the ends of every table on purpose.
    let asset = 0u32..8;
    let org = 0u16..9;
    let attacker = 0u16..3;
    prop_oneof![
        asset.clone().prop_map(|asset| Action::Monitor { asset }),
        asset.clone().prop_map(|asset| Action::Hunt { asset }),
        asset.clone().prop_map(|asset| Action::Isolate { asset }),
        asset.clone().prop_map(|asset| Action::Patch { asset }),
        asset.clone().prop_map(|asset| Action::Restore { asset }),
        asset.prop_map(|asset| Action::ResetCredentials { asset }),
        (prop::collection::vec(org.clone(), 0..4), 0u8..4).prop_map(|(to, t)| Action::ShareIntel {
            to,
            tlp: [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::Red][t as usize],
        }),
        org.prop_map(|from| Action::RequestAssistance { from }),
        Just(Action::PublicStatement),
        attacker
            .clone()
            .prop_map(|attacker| Action::AttributePublicly { attacker }),
        attacker
            .clone()
            .prop_map(|attacker| Action::Takedown { attacker }),
        attacker.prop_map(|attacker| Action::ActiveDefence { attacker }),
        Just(Action::RaiseAlert),
        Just(Action::ConsultArticle5),
        Just(Action::Liaison),
    ]
}

fn arbitrary_turns() -> impl Strategy<Value = Vec<Vec<Decision>>> {
    let decision = (0u16..9, arbitrary_action()).prop_map(|(org, action)| Decision { org, action });
    prop::collection::vec(prop::collection::vec(decision, 0..5), 1..12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Same seed and same decisions give the same hash after every turn,
    /// whatever the decisions (legal or not).
    #[test]
    fn same_seed_and_decisions_same_hashes(seed in any::<u64>(), turns in arbitrary_turns()) {
        let scenario = exercise().scenario;
        let play = || {
            let mut sim = Sim::new(scenario.clone(), seed);
            turns
                .iter()
                .map(|d| sim.step(TurnInput { decisions: d.clone(), overrides: vec![] }, true).state_hash)
                .collect::<Vec<_>>()
        };
        prop_assert_eq!(play(), play());
    }
}
