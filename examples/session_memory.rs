//! Heap a session holds, per asset, as the world grows:
//! `cargo run --release --example session_memory` (generated worlds of
//! 1,000, 10,000 and 100,000 assets, both teams `random`, 48 turns) or
//! `-- 400 2000` (the sizes to measure). Counts the bytes the program asks
//! for, not what the allocator keeps, so the figures do not depend on it.

use kizuna::policy::PolicyKind;
use kizuna::session::{Controller, Session};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static ALLOCATOR: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

const TURNS: u32 = 48;

fn main() {
    let mut sizes: Vec<String> = std::env::args().skip(1).collect();
    if sizes.is_empty() {
        sizes = ["1000", "10000", "100000"].map(String::from).to_vec();
    }
    println!("assets,after_start_bytes,after_{TURNS}_turns_bytes,bytes_per_asset");
    for size in sizes {
        let loaded = match kizuna::worldgen::load_named(&size) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("{e:?}");
                std::process::exit(2);
            }
        };
        let assets = loaded.scenario.assets.len();
        let teams = vec![Controller::Policy(PolicyKind::Random); loaded.scenario.teams.len()];
        let region = Region::new(ALLOCATOR);
        let mut session = Session::new(&loaded, 1, teams, false);
        let started = live_bytes(&region);
        session.run_exactly(TURNS, |_| {});
        let played = live_bytes(&region);
        println!(
            "{assets},{started},{played},{:.0}",
            played as f64 / assets as f64
        );
    }
}

/// Bytes allocated and not yet freed since `region` began.
fn live_bytes(region: &Region<'_, std::alloc::System>) -> i64 {
    let change = region.change();
    // A realloc's growth or shrinkage is counted in these two as well.
    change.bytes_allocated as i64 - change.bytes_deallocated as i64
}
