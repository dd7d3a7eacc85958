//! Calibration of the shipped `grid-outage` scenario against the event it
//! is modelled on (FACTS §3): in Ukraine on 23 Dec 2015 about 225,000
//! customers lost power for 1–6 hours, and nobody stopped the attack before
//! the breakers opened.
//!
//! Over 100 seeds:
//! - with both teams `idle`, the blackout happens and lasts hours: the
//!   median customer-hours lost lies between 225,000 × 1 h and
//!   225,000 × 6 h, most seeds lose at least 100,000, nobody ever consults
//!   under Article 5 and the escalation objective fails on most seeds;
//! - with both teams `doctrine`, the score beats idle's on at least 80% of
//!   the seeds (paired by seed) by at least 15 points on average;
//! - outcomes vary across seeds under both policies.
//!
//! Golden hashes pin seed 1 of each policy.

use kizuna::policy::PolicyKind;
mod scenario_runs;

use kizuna::scenario::load::Loaded;
use kizuna::session::log::hex;
use kizuna::sim::resources::ObjectiveStatus;

const SEEDS: u64 = 100;
/// FACTS §3: about 225,000 customers without power for 1–6 hours.
const UKRAINE_CUSTOMERS: u64 = 225_000;

/// Final state hashes of seed 1 (idle, doctrine). A model change that moves
/// them must update them on purpose and note it in CHANGELOG.md.
const GOLDEN_GRID_OUTAGE: [&str; 2] = ["fa3648e96aefbf90", "071d8c0ed00be921"];

struct Outcome {
    score: u32,
    customer_hours: u64,
    article5: Option<u32>,
    /// First turn the harm passed the scenario's escalation threshold.
    harm_reached: Option<u32>,
    escalation: ObjectiveStatus,
    hash: String,
}

fn scenario() -> Loaded {
    scenario_runs::builtin("grid-outage")
}

fn play(loaded: &Loaded, seed: u64, policy: PolicyKind) -> Outcome {
    let mut s = scenario_runs::played(loaded, seed, policy);
    let escalate = scenario_runs::objective_index(loaded, "escalate");
    let (score, customer_hours, article5, harm_reached, escalation) = {
        let read = s.sim().read();
        (
            read.objectives().score,
            read.metrics().customer_minutes_lost / 60,
            read.politics().article5_turn,
            read.metrics().escalation_reached,
            read.objectives().status[escalate],
        )
    };
    Outcome {
        score,
        customer_hours,
        article5,
        harm_reached,
        escalation,
        hash: hex(s.state_hash()),
    }
}

fn summary(name: &str, scores: &[u32]) -> (u32, u32, f64, u32) {
    let s = scenario_runs::spread(scores);
    eprintln!("grid-outage {name}: score {s}");
    (s.min, s.median, s.mean, s.max)
}

#[test]
fn idle_looks_like_ukraine_and_doctrine_does_clearly_better() {
    let loaded = scenario();
    let idle: Vec<Outcome> = (1..=SEEDS)
        .map(|seed| play(&loaded, seed, PolicyKind::Idle))
        .collect();
    let doctrine: Vec<Outcome> = (1..=SEEDS)
        .map(|seed| play(&loaded, seed, PolicyKind::Doctrine))
        .collect();

    // Idle: the lights go out for hours.
    let hours: Vec<u64> = idle.iter().map(|o| o.customer_hours).collect();
    let idle_median = scenario_runs::median(hours.clone());
    let doctrine_median =
        scenario_runs::median(doctrine.iter().map(|o| o.customer_hours).collect());
    eprintln!(
        "grid-outage customer-hours lost: idle median {idle_median} (min {}, max {}), doctrine median {doctrine_median}",
        hours.iter().min().copied().unwrap_or(0),
        hours.iter().max().copied().unwrap_or(0),
    );
    assert!(
        (UKRAINE_CUSTOMERS..=UKRAINE_CUSTOMERS * 6).contains(&idle_median),
        "idle median customer-hours {idle_median} outside 225,000 × 1–6 h"
    );
    let hours_long = hours.iter().filter(|&&h| h >= 100_000).count();
    assert!(
        hours_long * 100 >= 80 * SEEDS as usize,
        "only {hours_long}/{SEEDS} idle seeds lose 100,000 customer-hours or more"
    );
    assert!(
        hours.iter().all(|&h| h <= UKRAINE_CUSTOMERS * 6),
        "an idle seed lost more than 225,000 customers × 6 hours"
    );

    // Idle never consults; the escalation objective fails on most seeds
    // (the others never reached the threshold).
    assert!(idle.iter().all(|o| o.article5.is_none()));
    let escalation_failed = idle
        .iter()
        .filter(|o| o.escalation == ObjectiveStatus::Failed)
        .count();
    eprintln!("grid-outage idle: escalation failed on {escalation_failed}/{SEEDS} seeds");
    assert!(
        escalation_failed * 100 >= 75 * SEEDS as usize,
        "escalation failed on only {escalation_failed}/{SEEDS} idle seeds"
    );
    // Doctrine judges by its own estimate of harm, set above the scoring
    // threshold: it never consults before the harm warrants it, but may
    // consult late (or not at all) when the harm stays just above it.
    assert!(
        doctrine.iter().all(|o| o
            .article5
            .is_none_or(|asked| o.harm_reached.is_some_and(|r| r <= asked))),
        "doctrine consulted under Article 5 before the threshold"
    );
    let late = doctrine
        .iter()
        .filter(|o| o.escalation == ObjectiveStatus::Failed)
        .count();
    assert!(
        late * 100 <= 25 * SEEDS as usize,
        "doctrine's escalation failed on {late}/{SEEDS} seeds"
    );

    // Doctrine beats idle, seed by seed, and by a wide margin.
    let idle_scores: Vec<u32> = idle.iter().map(|o| o.score).collect();
    let doctrine_scores: Vec<u32> = doctrine.iter().map(|o| o.score).collect();
    let (_, _, idle_mean, _) = summary("idle", &idle_scores);
    let (_, _, doctrine_mean, _) = summary("doctrine", &doctrine_scores);
    let better = idle_scores
        .iter()
        .zip(&doctrine_scores)
        .filter(|(i, d)| d > i)
        .count();
    eprintln!(
        "grid-outage doctrine better than idle on {better}/{SEEDS} seeds, mean difference {:.1}",
        doctrine_mean - idle_mean
    );
    assert!(
        better * 100 >= 80 * SEEDS as usize,
        "doctrine beat idle on only {better}/{SEEDS} seeds"
    );
    assert!(
        doctrine_mean - idle_mean >= 15.0,
        "mean difference {:.1} is below 15 points",
        doctrine_mean - idle_mean
    );

    // Outcomes vary across seeds under both policies.
    for (name, scores) in [("idle", &idle_scores), ("doctrine", &doctrine_scores)] {
        let mut distinct = scores.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert!(distinct.len() > 1, "{name}: every seed scored the same");
    }

    // Golden hashes of seed 1.
    let got = [idle[0].hash.as_str(), doctrine[0].hash.as_str()];
    assert_eq!(
        got, GOLDEN_GRID_OUTAGE,
        "grid-outage golden hashes moved; update them on purpose and note it in CHANGELOG.md"
    );
}
