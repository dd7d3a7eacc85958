//! Each policy lever of the model moves outcomes the way the source
//! material says it should: an in-process sweep of the shipped scenario,
//! both teams on `doctrine`, with one change as an arm paired by seed, and
//! a bootstrap 95% interval that must exclude zero in the plausible
//! direction. `docs/model.md` carries the same measurements at 400 seeds
//! (`scripts/levers.py`).

use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, Loaded, load_builtin};
use kizuna::scenario::params;
use kizuna::session::Controller;
use kizuna::sweep::plan::{self, Arm};
use kizuna::sweep::{Plan, Summary, run, summarise};

/// Seeds per arm: enough for the intervals below, few enough for a debug
/// build.
const SEEDS: u64 = 200;

fn scenario(id: &str, sets: &[&str]) -> Loaded {
    let base = load_builtin(id, &LoadOptions::new()).expect("shipped scenario loads");
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    params::apply_all(&base, &sets).expect("parameters apply")
}

fn doctrine(loaded: &Loaded) -> Vec<Controller> {
    vec![Controller::Policy(PolicyKind::Doctrine); loaded.scenario.teams.len()]
}

/// The base arm (with `sets`) and one arm per `vary` and `vs` entry.
fn sweep(id: &str, sets: &[&str], vary: &[&str], vs: &[(&str, Controller)]) -> Summary {
    sweep_teams(id, &[], sets, vary, vs)
}

/// As [`sweep`], with `teams` played by other policies in every arm.
fn sweep_teams(
    id: &str,
    teams: &[(&str, Controller)],
    sets: &[&str],
    vary: &[&str],
    vs: &[(&str, Controller)],
) -> Summary {
    let loaded = scenario(id, sets);
    let mut controllers = doctrine(&loaded);
    for (team, c) in teams {
        let t = loaded.scenario.team_index(team).expect("team");
        controllers[t as usize] = *c;
    }
    let vary: Vec<String> = vary.iter().map(|s| s.to_string()).collect();
    let vs: Vec<(String, Controller)> = vs.iter().map(|(t, c)| (t.to_string(), *c)).collect();
    let arms: Vec<Arm> = plan::arms(&loaded, &controllers, &vs, &vary).expect("arms are valid");
    summarise(&run(&Plan::whole(arms, 0..SEEDS), 2, &|| {}))
}

/// The paired difference (arm − base) of `metric` ("score" or a metric
/// name) for the arm labelled `arm`: (mean, low, high).
fn diff(summary: &Summary, arm: &str, metric: &str) -> (f64, f64, f64) {
    let a = summary
        .arms
        .iter()
        .find(|a| a.arm == arm)
        .unwrap_or_else(|| panic!("no arm {arm}"));
    let paired = a.paired.as_ref().expect("later arms are paired");
    let d = if metric == "score" {
        &paired.score
    } else {
        paired
            .metrics
            .iter()
            .find(|m| m.name == metric)
            .unwrap_or_else(|| panic!("no metric {metric}"))
    };
    let mean = d.mean.expect("both arms have the metric");
    let (lo, hi) = d.ci95.expect("an interval");
    eprintln!("{arm}: {metric} {mean:+.2} [{lo:+.2}, {hi:+.2}]");
    (mean, lo, hi)
}

fn raises(summary: &Summary, arm: &str, metric: &str) {
    let (_, lo, _) = diff(summary, arm, metric);
    assert!(lo > 0.0, "{arm} should raise {metric}");
}

fn lowers(summary: &Summary, arm: &str, metric: &str) {
    let (_, _, hi) = diff(summary, arm, metric);
    assert!(hi < 0.0, "{arm} should lower {metric}");
}

#[test]
fn more_cert_staff_helps_a_stretched_team() {
    for id in ["pension-breach", "grid-outage"] {
        let s = sweep(id, &[], &["organisations.jpcert.staff=6"], &[]);
        raises(&s, "organisations.jpcert.staff=6", "score");
    }
    // The coordinator's staff binds where it has the response to run.
    let s = sweep("pension-breach", &[], &["organisations.nisc.staff=8"], &[]);
    raises(&s, "organisations.nisc.staff=8", "score");
    lowers(
        &s,
        "organisations.nisc.staff=8",
        "first_detection_by_government",
    );
}

#[test]
fn faster_channels_across_the_pacific_help() {
    let s = sweep("grid-outage", &[], &["tuning.cross_border_delay=0"], &[]);
    raises(&s, "tuning.cross_border_delay=0", "score");
    lowers(
        &s,
        "tuning.cross_border_delay=0",
        "first_detection_by_government",
    );
    let s = sweep("tokyo-games", &[], &["tuning.cross_border_delay=0"], &[]);
    lowers(
        &s,
        "tuning.cross_border_delay=0",
        "first_detection_by_government",
    );
}

#[test]
fn the_standing_liaison_is_worth_having() {
    let s = sweep(
        "tokyo-games",
        &[],
        &["decisions.Liaison.allowed=false"],
        &[],
    );
    lowers(&s, "decisions.Liaison.allowed=false", "alliance_trust");
}

#[test]
fn trust_gates_what_is_shared_and_leaks_cost_the_alliance() {
    let (no_red, green_only, no_leak_cost) = (
        "tuning.tlp_red_trust=1001",
        "tuning.tlp_amber_trust=1001",
        "tuning.leak_alliance_cost=0",
    );
    let s = sweep("tokyo-games", &[], &[no_red, green_only, no_leak_cost], &[]);
    // Leads travel only at RED: without it no attribution is corroborated.
    lowers(&s, no_red, "correct_attributions");
    // At GREEN nothing marked can leak, but partners learn later and the
    // day goes worse.
    raises(&s, green_only, "alliance_trust");
    raises(&s, green_only, "first_detection_by_government");
    raises(&s, green_only, "peak_impact");
    // Marked intel does leak from Japanese recipients, at the ally's cost.
    raises(&s, no_leak_cost, "alliance_trust");
}

#[test]
fn late_reporting_costs_time_and_outcome_monotonically() {
    let delays = [0u32, 3, 6, 12, 30];
    let vary = format!(
        "organisations.jps.reporting_delay={}",
        delays[1..]
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    let s = sweep(
        "pension-breach",
        &["organisations.jps.reporting_delay=0"],
        &[&vary],
        &[],
    );
    let mut scores = vec![0.0];
    let mut records = vec![0.0];
    for d in &delays[1..] {
        let arm = format!("organisations.jps.reporting_delay={d}");
        let (score, _, _) = diff(&s, &arm, "score");
        scores.push(score);
        records.push(diff(&s, &arm, "records_lost").0);
        if *d >= 6 {
            // Police take servers down on the victim's complaint: the later
            // it comes, the more records leave.
            lowers(&s, &arm, "score");
            raises(&s, &arm, "records_lost");
        }
        if *d <= 12 {
            // Past the scenario's length, fewer seeds ever tell the
            // government, so the mean is over a different set.
            raises(&s, &arm, "first_detection_by_government");
        }
    }
    assert!(
        scores.windows(2).all(|w| w[1] <= w[0]),
        "the score should fall as the delay grows: {scores:?}"
    );
    assert!(
        records.windows(2).all(|w| w[1] >= w[0]),
        "records lost should grow with the delay: {records:?}"
    );
}

#[test]
fn slower_assistance_and_no_us_help_cost_the_games() {
    let s = sweep(
        "tokyo-games",
        &[],
        &["decisions.RequestAssistance.duration=6"],
        &[("us", Controller::Policy(PolicyKind::Idle))],
    );
    lowers(&s, "decisions.RequestAssistance.duration=6", "score");
    lowers(&s, "us=idle", "score");
}

#[test]
fn article5_too_early_costs_the_public_and_never_costs_the_ally() {
    let s = sweep(
        "grid-outage",
        &[],
        &["tuning.doctrine_article5_harm=20,1001"],
        &[],
    );
    lowers(&s, "tuning.doctrine_article5_harm=20", "public_trust");
    lowers(&s, "tuning.doctrine_article5_harm=1001", "alliance_trust");
    lowers(&s, "tuning.doctrine_article5_harm=1001", "score");
}

#[test]
fn takedowns_slow_exfiltration_but_cannot_stop_a_staged_wiper() {
    let s = sweep(
        "pension-breach",
        &[],
        &["decisions.Takedown.allowed=false"],
        &[],
    );
    raises(&s, "decisions.Takedown.allowed=false", "records_lost");

    // Every server gone once a takedown lands, with Japan idle so the
    // wiper is staged: a takedown that lands early saves the ceremony, one
    // that lands after the wiper is on the hosts does not.
    let s = sweep_teams(
        "tokyo-games",
        &[("jp", Controller::Policy(PolicyKind::Idle))],
        &[
            "tuning.takedown_servers=1000",
            "decisions.Takedown.success=10000",
            "decisions.Takedown.duration=1",
        ],
        &["decisions.Takedown.duration=25"],
        &[],
    );
    let met = |arm: &str| {
        let a = s.arms.iter().find(|a| a.arm == arm).expect("arm");
        a.objectives_met
            .iter()
            .find(|(o, _)| o == "ceremony-wifi")
            .map(|(_, m)| *m)
            .expect("objective")
    };
    assert!(
        met("base") >= 0.9,
        "an early takedown should save the ceremony"
    );
    assert!(
        met("decisions.Takedown.duration=25") <= 0.5,
        "a late takedown stopped a staged wiper"
    );
}

#[test]
fn false_flags_cost_attribution() {
    let s = sweep("tokyo-games", &[], &["attackers.od.false_flags=[]"], &[]);
    // Corroboration takes time: false flags hold back a correct public
    // attribution and the public trust it earns...
    raises(&s, "attackers.od.false_flags=[]", "correct_attributions");
    raises(&s, "attackers.od.false_flags=[]", "public_trust");
    raises(&s, "attackers.od.false_flags=[]", "score");
    // ...but doctrine waits for it rather than name the wrong sponsor.
    let wrong = s.arms[0]
        .metrics
        .iter()
        .find(|m| m.name == "wrong_attributions")
        .and_then(|m| m.mean)
        .expect("the metric is measured");
    assert!(
        wrong < 0.05,
        "doctrine attributed wrongly {wrong} times a run"
    );
}

#[test]
fn doctrine_is_not_beaten_by_a_simpler_policy() {
    for id in ["tokyo-games", "pension-breach", "grid-outage"] {
        for simpler in [PolicyKind::Idle, PolicyKind::Random] {
            let s = sweep(
                id,
                &[],
                &[],
                &[
                    ("jp", Controller::Policy(simpler)),
                    ("us", Controller::Policy(simpler)),
                ],
            );
            // Each `--vs` arm changes one team; doctrine must do at least
            // as well as the simpler policy on either team.
            for team in ["jp", "us"] {
                let (mean, _, _) = diff(&s, &format!("{team}={simpler}"), "score");
                assert!(mean <= 0.0, "{id}: {team} playing {simpler} beats doctrine");
            }
        }
    }
}
