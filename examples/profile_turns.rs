//! Runs many sessions of a generated world, for profilers:
//! `cargo run --release --example profile_turns -- 400 200 random` (200
//! 48-turn sessions of a generated world of 400 assets),
//! `-- tokyo-games 200 doctrine`, or `-- 1000 60 random 8` (sessions of
//! 8 turns, as the `turn-per-asset` benchmark times them).

use kizuna::policy::PolicyKind;
use kizuna::session::{Controller, Session};

/// The allocator the `kizuna` binary ships with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let world = args.next().unwrap_or_else(|| "400".into());
    let sessions: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let policy: PolicyKind = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(PolicyKind::Random);
    let turns: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(48);
    let loaded = kizuna::worldgen::load_named(&world);
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e:?}");
            std::process::exit(2);
        }
    };
    let teams = vec![Controller::Policy(policy); loaded.scenario.teams.len()];
    let mut total = 0u64;
    let mut stepping = std::time::Duration::ZERO;
    for seed in 0..sessions {
        let mut s = Session::new(&loaded, seed, teams.clone(), false);
        let started = std::time::Instant::now();
        s.run_exactly(turns, |o| total += u64::from(o.score));
        stepping += started.elapsed();
    }
    let played = sessions * u64::from(turns);
    println!(
        "{played} turns, {:.2} µs per turn ({total})",
        stepping.as_secs_f64() * 1e6 / played as f64
    );
}
