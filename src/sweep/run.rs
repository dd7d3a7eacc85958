//! Running a plan: every (seed, arm) of this shard on worker threads. Each
//! run is one single-threaded session with its own seed, so a row never
//! depends on which thread ran it or how many there were.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::session::Session;

use super::plan::Plan;
use super::table::{Row, Table, row_of};

/// Worker threads when none are asked for: the cores available.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Runs the plan's shard on `jobs` threads; `progress` is told after each
/// run (from any thread).
pub fn run(plan: &Plan, jobs: usize, progress: &(dyn Fn() + Sync)) -> Table {
    let seeds = plan.seeds_here();
    let arms = plan.arms.len();
    let total = seeds.len() as usize * arms;
    let next = AtomicUsize::new(0);
    let jobs = jobs.clamp(1, total.max(1));
    let work = || {
        let mut done: Vec<(usize, Row)> = Vec::new();
        let mut finished: Option<Session> = None;
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= total {
                break;
            }
            let seed = seeds.start + (i / arms) as u64;
            let arm = &plan.arms[i % arms];
            let controllers = arm.controllers.clone();
            let mut session = match finished.take() {
                Some(old) => old.recycle(&arm.loaded, seed, controllers, false),
                None => Session::new(&arm.loaded, seed, controllers, false),
            };
            session.run(arm.loaded.scenario.turn_limit, |_| {});
            done.push((i, row_of(&mut session, seed, &arm.label)));
            finished = Some(session);
            progress();
        }
        done
    };
    let mut all: Vec<(usize, Row)> = if jobs == 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..jobs).map(|_| scope.spawn(work)).collect();
            handles
                .into_iter()
                // A worker only panics on a defect of this program; pass it on.
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    all.sort_unstable_by_key(|(i, _)| *i);
    Table {
        objective_ids: plan.arms[0]
            .loaded
            .scenario
            .objectives
            .iter()
            .map(|o| o.id.clone())
            .collect(),
        rows: all.into_iter().map(|(_, r)| r).collect(),
    }
}
