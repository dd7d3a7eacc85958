//! Speed of the simulation: a turn of generated worlds of several sizes
//! with every team on `random`, and full runs of the tutorial.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, Loaded, load, load_builtin};
use kizuna::scenario::sources::MemorySources;
use kizuna::session::{Controller, Session};

/// The allocator the `kizuna` binary ships with, so the figures are the
/// command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn generated(assets: usize) -> Loaded {
    let text = kizuna::worldgen::generate_ron(assets, 1);
    let sources = MemorySources::new().with("world.ron", text);
    match load(&sources, "world.ron", &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("generated world does not load: {e:?}"),
    }
}

fn all(loaded: &Loaded, policy: PolicyKind) -> Vec<Controller> {
    vec![Controller::Policy(policy); loaded.scenario.teams.len()]
}

/// Turns of a 400-asset world, in 48-turn sessions (setup not timed).
fn turn_400(c: &mut Criterion) {
    let loaded = generated(400);
    let mut group = c.benchmark_group("turn");
    group.throughput(Throughput::Elements(48));
    group.bench_function("gen-400/random/48-turns", |b| {
        let mut seed = 0;
        b.iter_batched(
            || {
                seed += 1;
                Session::new(&loaded, seed, all(&loaded, PolicyKind::Random), false)
            },
            |mut s| {
                s.run_exactly(48, |o| {
                    black_box(o.score);
                });
                s
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// Turns at 1,000 to 100,000 assets: eight turns of a fresh session per
/// iteration (set-up not timed); throughput per asset-turn shows whether
/// the cost per asset stays flat.
fn turn_scaling(c: &mut Criterion) {
    const TURNS: u32 = 8;
    let mut group = c.benchmark_group("turn-per-asset");
    group.sample_size(10);
    for assets in [1_000usize, 10_000, 100_000] {
        let loaded = generated(assets);
        group.throughput(Throughput::Elements(assets as u64 * u64::from(TURNS)));
        group.bench_function(format!("gen-{assets}/random"), |b| {
            let mut seed = 0;
            b.iter_batched(
                || {
                    seed += 1;
                    Session::new(&loaded, seed, all(&loaded, PolicyKind::Random), false)
                },
                |mut s| {
                    s.run_exactly(TURNS, |o| {
                        black_box(o.score);
                    });
                    s
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

/// Whole runs of the shipped scenarios, set-up included, as a sweep pays
/// for them.
fn full_runs(c: &mut Criterion) {
    let mut group = c.benchmark_group("full-run");
    for id in ["tutorial", "tokyo-games", "pension-breach", "grid-outage"] {
        let loaded = match load_builtin(id, &LoadOptions::default()) {
            Ok(l) => l,
            Err(e) => panic!("{id}: {e:?}"),
        };
        for policy in [PolicyKind::Idle, PolicyKind::Doctrine] {
            group.bench_function(format!("{id}/{policy}"), |b| {
                let mut seed = 0;
                b.iter(|| {
                    seed += 1;
                    let mut s = Session::new(&loaded, seed, all(&loaded, policy), false);
                    s.run(loaded.scenario.turn_limit, |_| {});
                    black_box(s.state_hash())
                })
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = turn_400, turn_scaling, full_runs
}
criterion_main!(benches);
