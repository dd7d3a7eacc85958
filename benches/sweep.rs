//! Speed of a sweep: 10,000 seeds of tokyo-games with both teams on
//! `doctrine`, in-process on every core (the target: under 5 s on two).

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kizuna::policy::PolicyKind;
use kizuna::scenario::load::{LoadOptions, load_builtin};
use kizuna::session::Controller;
use kizuna::sweep::{Plan, default_jobs, plan, run};

/// The allocator the `kizuna` binary ships with, so the figure is the
/// command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SEEDS: u64 = 10_000;

fn sweep_10k(c: &mut Criterion) {
    let loaded = match load_builtin("tokyo-games", &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => panic!("tokyo-games does not load: {e:?}"),
    };
    let controllers = vec![Controller::Policy(PolicyKind::Doctrine); loaded.scenario.teams.len()];
    let arms = match plan::arms(&loaded, &controllers, &[], &[]) {
        Ok(a) => a,
        Err(e) => panic!("arms: {e:?}"),
    };
    let plan = Plan::whole(arms, 0..SEEDS);
    let jobs = default_jobs();
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(60));
    group.throughput(Throughput::Elements(SEEDS));
    group.bench_function("tokyo-games/doctrine/10k-seeds", |b| {
        b.iter(|| run(&plan, jobs, &|| {}).rows.len())
    });
    group.finish();
}

criterion_group!(benches, sweep_10k);
criterion_main!(benches);
