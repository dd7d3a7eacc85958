//! Steps a learning environment with random allowed actions, for
//! profilers: `cargo run --release --example profile_env -- 400 20000`
//! (a generated world of 400 assets) or `-- tokyo-games 20000`. Prints the
//! time per step spent observing, masking and stepping.

use std::time::{Duration, Instant};

use kizuna::env::{Env, EnvConfig, Reward};
use kizuna::policy::PolicyKind;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let world = args.next().unwrap_or_else(|| "400".into());
    let steps: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let loaded = kizuna::worldgen::load_named(&world);
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e:?}");
            return;
        }
    };
    let config = EnvConfig {
        agents: vec!["jp".into()],
        opponents: PolicyKind::Random,
        max_decisions_per_turn: 8,
        reward: Reward::Score,
    };
    let mut env = match Env::new(loaded, config, 1) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    // A fixed xorshift stream: the actions, not the engine, are random here.
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut obs = vec![0.0; env.encoding().len()];
    let mut mask = vec![0u8; env.action_count(0)];
    let (mut observing, mut masking, mut stepping, mut resolving, mut resetting) = (
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    let mut seed = 1;
    let (mut turns, mut episodes) = (0u64, 0u64);
    for _ in 0..steps {
        let t = Instant::now();
        env.observe(0, &mut obs);
        observing += t.elapsed();
        let t = Instant::now();
        env.mask(0, &mut mask);
        masking += t.elapsed();
        let allowed: Vec<usize> = (0..mask.len()).filter(|&i| mask[i] == 1).collect();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let action = allowed[(rng % allowed.len() as u64) as usize];
        let t = Instant::now();
        let step = env.step(&[action]);
        if step.resolved {
            resolving += t.elapsed();
        } else {
            stepping += t.elapsed();
        }
        turns += u64::from(step.resolved);
        if step.terminated {
            let t = Instant::now();
            seed += 1;
            episodes += 1;
            env.reset(seed);
            resetting += t.elapsed();
        }
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / steps as f64;
    println!(
        "{steps} steps ({turns} turns, {episodes} episodes, {} actions): µs per step: observe {:.2}, mask {:.2}, queue a decision {:.2}, resolve a turn {:.2}, reset {:.2}; µs per turn resolved {:.1}",
        mask.len(),
        per(observing),
        per(masking),
        per(stepping),
        per(resolving),
        per(resetting),
        resolving.as_secs_f64() * 1e6 / turns.max(1) as f64
    );
}
