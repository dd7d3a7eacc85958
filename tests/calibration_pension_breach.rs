//! Calibration of the `pension-breach` scenario (Japan Pension Service,
//! May–June 2015). Unanswered, the model should look like what happened:
//! about a million of the ~1.25 million records leave and the intruders are
//! still inside when the leak surfaces. A sensible response (`doctrine` on
//! both teams) should do clearly better, seed by seed.
//!
//! Golden hashes pin the scenario: a model change that moves them must
//! update them on purpose and say so in CHANGELOG.md.

use kizuna::policy::PolicyKind;
mod scenario_runs;

use kizuna::scenario::load::Loaded;
use kizuna::session::log::hex;
use kizuna::sim::resources::ObjectiveStatus;

const SEEDS: u64 = 120;

fn scenario() -> Loaded {
    scenario_runs::builtin("pension-breach")
}

struct Outcome {
    score: u32,
    records_lost: u64,
    contained: bool,
    hash: String,
}

fn play(loaded: &Loaded, seed: u64, policy: PolicyKind) -> Outcome {
    let mut s = scenario_runs::played(loaded, seed, policy);
    let contain = scenario_runs::objective_index(loaded, "contain");
    let (score, records_lost, contained) = {
        let read = s.sim().read();
        (
            read.objectives().score,
            read.metrics().records_lost,
            read.objectives().status[contain] == ObjectiveStatus::Met,
        )
    };
    Outcome {
        score,
        records_lost,
        contained,
        hash: hex(s.state_hash()),
    }
}

fn describe(name: &str, scores: &[u32]) -> String {
    format!("{name}: {}", scenario_runs::spread(scores))
}

#[test]
fn idle_looks_like_2015_and_doctrine_does_clearly_better() {
    let loaded = scenario();
    let idle: Vec<Outcome> = (1..=SEEDS)
        .map(|seed| play(&loaded, seed, PolicyKind::Idle))
        .collect();
    let doctrine: Vec<Outcome> = (1..=SEEDS)
        .map(|seed| play(&loaded, seed, PolicyKind::Doctrine))
        .collect();

    let idle_scores: Vec<u32> = idle.iter().map(|o| o.score).collect();
    let doctrine_scores: Vec<u32> = doctrine.iter().map(|o| o.score).collect();
    let idle_records = scenario_runs::median(idle.iter().map(|o| o.records_lost).collect());
    let doctrine_records = scenario_runs::median(doctrine.iter().map(|o| o.records_lost).collect());
    eprintln!("pension-breach over {SEEDS} seeds");
    eprintln!("  {}", describe("idle score", &idle_scores));
    eprintln!("  {}", describe("doctrine score", &doctrine_scores));
    eprintln!("  median records lost: idle {idle_records}, doctrine {doctrine_records}");

    // History: about 1.25 million records leaked (FACTS §2). Unanswered,
    // about a million leave on a typical seed.
    assert!(
        (600_000..=1_300_000).contains(&idle_records),
        "idle median records lost {idle_records}"
    );
    let heavy = idle.iter().filter(|o| o.records_lost >= 400_000).count();
    assert!(
        heavy * 10 >= idle.len() * 9,
        "a large leak on only {heavy} of {SEEDS} idle seeds"
    );
    // Nobody evicts the intruders when nobody acts.
    assert!(
        idle.iter().all(|o| !o.contained),
        "an idle run contained the breach"
    );

    // Doctrine is better on at least 80% of seeds, by at least 15 points on
    // average, and loses fewer records.
    let better = idle
        .iter()
        .zip(&doctrine)
        .filter(|(i, d)| d.score > i.score)
        .count();
    assert!(
        better * 10 >= idle.len() * 8,
        "doctrine better on only {better} of {SEEDS} seeds"
    );
    let diff: i64 = idle
        .iter()
        .zip(&doctrine)
        .map(|(i, d)| i64::from(d.score) - i64::from(i.score))
        .sum();
    let mean_diff = diff as f64 / idle.len() as f64;
    eprintln!("  doctrine better on {better} seeds, mean difference {mean_diff:.1} points");
    assert!(mean_diff >= 15.0, "mean difference {mean_diff:.1}");
    assert!(
        doctrine_records < idle_records,
        "doctrine median records {doctrine_records} vs idle {idle_records}"
    );

    // Outcomes vary across seeds.
    let distinct = |v: &[u32]| {
        let mut v = v.to_vec();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    assert!(distinct(&idle_scores) > 1, "idle scores never vary");
    assert!(distinct(&doctrine_scores) > 1, "doctrine scores never vary");

    // Golden final state hashes for seed 1. A model change that moves them
    // must update them on purpose and note it in CHANGELOG.md.
    let got = [idle[0].hash.as_str(), doctrine[0].hash.as_str()];
    assert_eq!(
        got, GOLDEN_SEED_1,
        "pension-breach golden hashes moved; see CHANGELOG.md"
    );
}

/// Final state hashes of seed 1: [idle, doctrine].
const GOLDEN_SEED_1: [&str; 2] = ["8eb67204bf4d4ae3", "c9d905186c4d979d"];
