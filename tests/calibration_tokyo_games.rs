//! Calibration of the `tokyo-games` scenario against the historical event
//! it is modelled on (Olympic Destroyer, PyeongChang 2018; FACTS §1).
//!
//! - Unanswered (both teams `idle`), the wiper fires near the opening
//!   ceremony on most seeds: the website is below 500‰ during the ceremony
//!   window (turns 37–40, 20:00–24:00 JST), and on most seeds the stadium
//!   Wi-Fi is too, so the ceremony objectives fail.
//! - Answered (both teams `doctrine`), the score is higher on at least 80%
//!   of the seeds, paired by seed, by at least 15 points on average.
//! - Outcomes vary across seeds for both policies.
//! - Golden final-state hashes for seed 1 pin the model.

use kizuna::policy::PolicyKind;
mod scenario_runs;

use kizuna::scenario::load::Loaded;
use kizuna::session::log::hex;
use kizuna::sim::resources::ObjectiveStatus;

const SEEDS: u64 = 120;
/// The ceremony window: turn 37 = 23 Jul 2021 20:00 JST to turn 40 = 23:00.
const CEREMONY: std::ops::RangeInclusive<u32> = 37..=40;

fn scenario() -> Loaded {
    scenario_runs::builtin("tokyo-games")
}

use scenario_runs::{asset_index as asset, objective_index as objective};

struct Outcome {
    score: u32,
    /// Lowest availability during the ceremony window, permille.
    website_low: u16,
    wifi_low: u16,
    ceremony_wifi_failed: bool,
    ceremony_website_failed: bool,
    hash: String,
}

fn play(loaded: &Loaded, seed: u64, policy: PolicyKind) -> Outcome {
    let mut s = scenario_runs::session(loaded, seed, policy);
    let (website, wifi) = (asset(loaded, "oc-website"), asset(loaded, "oc-wifi"));
    let (mut website_low, mut wifi_low) = (1000u16, 1000u16);
    for _ in 0..loaded.scenario.turn_limit {
        s.run(1, |_| {});
        let read = s.sim().read();
        // `turn()` is the next turn to play; the one just played is before it.
        let played = read.turn().saturating_sub(1);
        if CEREMONY.contains(&played) {
            website_low = website_low.min(read.availability()[website]);
            wifi_low = wifi_low.min(read.availability()[wifi]);
        }
    }
    let read = s.sim().read();
    let objectives = read.objectives();
    let failed = |id| objectives.status[objective(loaded, id)] == ObjectiveStatus::Failed;
    Outcome {
        score: objectives.score,
        website_low,
        wifi_low,
        ceremony_wifi_failed: failed("ceremony-wifi"),
        ceremony_website_failed: failed("ceremony-website"),
        hash: hex(s.state_hash()),
    }
}

fn summary(name: &str, scores: &[u32]) -> (u32, f64) {
    let s = scenario_runs::spread(scores);
    eprintln!("tokyo-games {name:8} over {} seeds: {s}", scores.len());
    (s.median, s.mean)
}

#[test]
fn idle_looks_like_pyeongchang_and_doctrine_does_better() {
    let loaded = scenario();
    let idle: Vec<Outcome> = (1..=SEEDS)
        .map(|s| play(&loaded, s, PolicyKind::Idle))
        .collect();
    let doctrine: Vec<Outcome> = (1..=SEEDS)
        .map(|s| play(&loaded, s, PolicyKind::Doctrine))
        .collect();
    let n = SEEDS as usize;

    // Unanswered: the website is down during the ceremony on (nearly)
    // every seed, the stadium Wi-Fi on most, and so are the objectives.
    let website_down = idle.iter().filter(|o| o.website_low < 500).count();
    let wifi_down = idle.iter().filter(|o| o.wifi_low < 500).count();
    let website_failed = idle.iter().filter(|o| o.ceremony_website_failed).count();
    let wifi_failed = idle.iter().filter(|o| o.ceremony_wifi_failed).count();
    eprintln!(
        "tokyo-games idle: website < 500‰ in the ceremony on {website_down}/{n} seeds, \
         Wi-Fi on {wifi_down}/{n}; ceremony-website failed {website_failed}, \
         ceremony-wifi failed {wifi_failed}"
    );
    assert!(
        website_down * 10 >= n * 9,
        "website down on {website_down}/{n}"
    );
    assert!(wifi_down * 10 >= n * 6, "Wi-Fi down on {wifi_down}/{n}");
    assert!(website_failed * 10 >= n * 9);
    assert!(wifi_failed * 10 >= n * 6);
    let website_low =
        scenario_runs::median(idle.iter().map(|o| u64::from(o.website_low)).collect());
    assert!(
        website_low < 500,
        "median lowest website availability {website_low}"
    );

    // Scores: idle is poor, doctrine clearly better, paired by seed.
    let idle_scores: Vec<u32> = idle.iter().map(|o| o.score).collect();
    let doctrine_scores: Vec<u32> = doctrine.iter().map(|o| o.score).collect();
    let (idle_median, idle_mean) = summary("idle", &idle_scores);
    let (doctrine_median, doctrine_mean) = summary("doctrine", &doctrine_scores);
    assert!(idle_median <= 40, "idle median {idle_median}");
    assert!(doctrine_median >= 60, "doctrine median {doctrine_median}");
    let better = idle_scores
        .iter()
        .zip(&doctrine_scores)
        .filter(|(i, d)| d > i)
        .count();
    let diff = doctrine_mean - idle_mean;
    eprintln!("tokyo-games doctrine beats idle on {better}/{n} seeds; mean difference {diff:.1}");
    assert!(better * 10 >= n * 8, "doctrine better on {better}/{n}");
    assert!(diff >= 15.0, "mean difference {diff:.1}");

    // Outcomes vary across seeds.
    let distinct = |v: &[u32]| {
        let mut v = v.to_vec();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    assert!(distinct(&idle_scores) > 1, "idle scores never vary");
    assert!(distinct(&doctrine_scores) > 1, "doctrine scores never vary");
}

/// Final state hashes of seed 1. A model change that moves them must update
/// them on purpose and say so in CHANGELOG.md.
const GOLDEN_IDLE: &str = "c9befafd9c2b64a8";
const GOLDEN_DOCTRINE: &str = "37163abf72fad49b";

#[test]
fn golden_hashes_for_seed_1() {
    let loaded = scenario();
    let idle = play(&loaded, 1, PolicyKind::Idle).hash;
    let doctrine = play(&loaded, 1, PolicyKind::Doctrine).hash;
    assert_eq!(
        [idle.as_str(), doctrine.as_str()],
        [GOLDEN_IDLE, GOLDEN_DOCTRINE],
        "tokyo-games golden hashes moved; see CHANGELOG.md"
    );
}
