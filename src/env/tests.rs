use super::vector::VecEnv;
use super::*;
use crate::scenario::load::{LoadOptions, load_builtin};

fn tutorial() -> Loaded {
    load_builtin("tutorial", &LoadOptions::default()).expect("tutorial")
}

fn config(agents: &[&str]) -> EnvConfig {
    EnvConfig {
        agents: agents.iter().map(|a| a.to_string()).collect(),
        opponents: PolicyKind::Doctrine,
        max_decisions_per_turn: 4,
        reward: Reward::Score,
    }
}

/// A small deterministic chooser: the `k`-th allowed action, cycling.
fn pick(mask: &[u8], k: usize) -> usize {
    let allowed: Vec<usize> = (0..mask.len()).filter(|&i| mask[i] == 1).collect();
    allowed[k % allowed.len()]
}

fn play(env: &mut Env, steps: usize) -> Vec<f32> {
    let mut rewards = Vec::new();
    for s in 0..steps {
        if env.ended() {
            break;
        }
        let actions: Vec<usize> = (0..env.agent_count())
            .map(|i| {
                let mut mask = vec![0; env.action_count(i)];
                env.mask(i, &mut mask);
                pick(&mask, s * 7 + i)
            })
            .collect();
        let step = env.step(&actions);
        assert_eq!(step.refused, 0, "an allowed action was refused");
        rewards.extend(step.rewards);
    }
    rewards
}

#[test]
fn observations_have_the_documented_length_and_range() {
    let mut env = Env::new(tutorial(), config(&["jp", "us"]), 7).expect("env");
    let d = env.encoding().len();
    play(&mut env, 30);
    for i in 0..2 {
        let mut obs = vec![-1.0; d];
        env.observe(i, &mut obs);
        assert!(obs.iter().all(|v| (0.0..=1.0).contains(v)), "{obs:?}");
    }
}

#[test]
fn end_turn_is_always_allowed_and_alone_once_the_turn_is_ended() {
    let mut env = Env::new(tutorial(), config(&["jp", "us"]), 7).expect("env");
    let k = env.action_count(0);
    let mut mask = vec![0; k];
    env.mask(0, &mut mask);
    assert_eq!(mask[k - 1], 1);
    assert!(mask[..k - 1].contains(&1), "something to decide on turn 1");
    // Japan ends its turn, the US queues a decision: the turn waits.
    let mut us_mask = vec![0; env.action_count(1)];
    env.mask(1, &mut us_mask);
    let us_action = pick(&us_mask, 0);
    let step = env.step(&[k - 1, us_action]);
    assert!(!step.resolved);
    env.mask(0, &mut mask);
    assert_eq!(mask.iter().map(|&m| m as usize).sum::<usize>(), 1);
    assert_eq!(mask[k - 1], 1);
    let step = env.step(&[k - 1, env.action_count(1) - 1]);
    assert!(step.resolved);
    assert_eq!(env.session().turn(), 2);
}

#[test]
fn agents_that_only_end_turns_match_the_idle_policy_run() {
    let loaded = tutorial();
    let mut env = Env::new(loaded.clone(), config(&["jp", "us"]), 11).expect("env");
    let ends: Vec<usize> = (0..2).map(|i| env.action_count(i) - 1).collect();
    while !env.ended() {
        env.step(&ends);
    }
    let controllers = vec![Controller::Policy(PolicyKind::Idle); 2];
    let mut session = Session::new(&loaded, 11, controllers, true);
    session.run(u32::MAX, |_| {});
    assert_eq!(env.state_hash(), session.state_hash());
    assert_eq!(env.session().turn(), session.turn());
}

#[test]
fn the_same_seed_and_actions_give_the_same_run_and_reset_starts_again() {
    let mut a = Env::new(tutorial(), config(&["jp"]), 3).expect("env");
    let mut b = Env::new(tutorial(), config(&["jp"]), 3).expect("env");
    let ra = play(&mut a, 60);
    let rb = play(&mut b, 60);
    assert_eq!(ra, rb);
    assert_eq!(a.state_hash(), b.state_hash());
    let first = a.state_hash();
    a.reset(3);
    play(&mut a, 60);
    assert_eq!(a.state_hash(), first);
    a.reset(4);
    play(&mut a, 60);
    assert_ne!(a.state_hash(), first, "another seed, another run");
}

#[test]
fn rewards_follow_the_score() {
    let mut env = Env::new(tutorial(), config(&["jp", "us"]), 24).expect("env");
    let start = env.session().sim().read().objectives().score as f32;
    let rewards = play(&mut env, 400);
    let end = env.session().sim().read().objectives().score as f32;
    let total: f32 = rewards.iter().step_by(2).sum();
    assert!(
        (total - (end - start) / 100.0).abs() < 1e-4,
        "{total} vs {start}→{end}"
    );
}

#[test]
fn unknown_or_repeated_teams_are_refused() {
    let why = Env::new(tutorial(), config(&["navy"]), 1)
        .err()
        .unwrap_or_default();
    assert!(why.contains("its teams are jp, us"), "{why}");
    assert!(Env::new(tutorial(), config(&["jp", "jp"]), 1).is_err());
    assert!(Env::new(tutorial(), config(&[]), 1).is_err());
}

#[test]
fn a_vector_env_matches_lone_envs_and_resets_with_fresh_seeds() {
    let loaded = tutorial();
    let cfg = config(&["us"]);
    let n = 4;
    let mut vec = VecEnv::new(&loaded, &cfg, n, 100, 2).expect("vec");
    let (d, k) = (vec.observation_len(), vec.action_count());
    let mut obs = vec![0.0; n * d];
    let mut masks = vec![0; n * k];
    vec.reset(100, &mut obs, &mut masks);
    let mut lone: Vec<Env> = (0..n)
        .map(|i| Env::new(loaded.clone(), cfg.clone(), 100 + i as u64).expect("env"))
        .collect();
    let mut done_once = vec![false; n];
    for s in 0..400 {
        let actions: Vec<usize> = (0..n)
            .map(|i| pick(&masks[i * k..(i + 1) * k], s + i))
            .collect();
        let step = vec.step(&actions, &mut obs, &mut masks);
        for i in 0..n {
            if done_once[i] {
                continue;
            }
            let l = lone[i].step(&[actions[i]]);
            assert_eq!(l.rewards[0], step.rewards[i], "env {i} step {s}");
            assert_eq!(l.terminated, step.terminated[i]);
            if step.terminated[i] {
                done_once[i] = true;
                // Reset at once, with the next seed: the observation is
                // the new episode's first.
                let mut fresh =
                    Env::new(loaded.clone(), cfg.clone(), 100 + i as u64 + n as u64).expect("env");
                let mut o = vec![0.0; d];
                fresh.observe(0, &mut o);
                assert_eq!(&obs[i * d..(i + 1) * d], &o[..]);
                assert_eq!(vec.env(i).map(Env::ended), Some(false));
                let _ = fresh.state_hash();
            } else {
                let mut o = vec![0.0; d];
                lone[i].observe(0, &mut o);
                assert_eq!(&obs[i * d..(i + 1) * d], &o[..], "env {i} step {s}");
            }
        }
    }
    assert!(
        done_once.iter().all(|&d| d),
        "every episode ended within 400 steps"
    );
}

/// The mask as the decisions panel would give it: every candidate that is
/// allowed and not yet queued, at its catalogue index.
fn mask_from_candidates(env: &Env, agent: usize) -> Vec<u8> {
    let a = &env.agents[agent];
    let mut out = vec![0; a.catalogue.len() + 1];
    out[a.catalogue.len()] = 1;
    if env.table.ready(a.team)
        || env.ended()
        || a.queued_this_turn >= env.config.max_decisions_per_turn
    {
        return out;
    }
    let lens = TeamLens::new(env.session().sim(), a.team);
    let promises = env.table.queue(a.team).expect("a queue per team");
    for c in crate::session::view::candidates(&lens, promises) {
        if c.status.is_ok() && !c.queued {
            match a.catalogue.iter().position(|d| *d == c.decision) {
                Some(i) => out[i] = 1,
                None => panic!("not in the catalogue: {:?}", c.decision),
            }
        }
    }
    out
}

#[test]
fn the_mask_and_observation_worked_out_once_a_turn_are_those_of_the_moment() {
    for id in ["tutorial", "tokyo-games", "pension-breach", "grid-outage"] {
        let loaded = load_builtin(id, &LoadOptions::default()).expect(id);
        for seed in 0..3 {
            let mut env = Env::new(loaded.clone(), config(&["jp", "us"]), seed).expect("env");
            let mut s = 0;
            while !env.ended() {
                let actions: Vec<usize> = (0..2)
                    .map(|i| {
                        let mut mask = vec![0; env.action_count(i)];
                        env.mask(i, &mut mask);
                        assert_eq!(
                            mask,
                            mask_from_candidates(&env, i),
                            "{id} seed {seed} step {s} agent {i}"
                        );
                        let (mut seen, mut fresh) = (
                            vec![0.0; env.encoding().len()],
                            vec![1.0; env.encoding().len()],
                        );
                        env.observe(i, &mut seen);
                        env.encode(i, &mut fresh);
                        assert_eq!(seen, fresh, "{id} seed {seed} step {s} agent {i}");
                        pick(&mask, s * 5 + i * 3 + seed as usize)
                    })
                    .collect();
                env.step(&actions);
                s += 1;
            }
        }
    }
}
