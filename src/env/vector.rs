//! A batch of single-agent environments stepped together in Rust: one call
//! steps all of them (optionally on several threads) and writes stacked
//! observations, masks and rewards into flat buffers. An environment whose
//! episode ends is reset in the same step with its next seed, and the
//! observation written is the new episode's first (Gymnasium's same-step
//! autoreset).

use crate::scenario::load::Loaded;

use super::{Env, EnvConfig};

/// Each environment holds a whole world; beyond this a request is a
/// mistake that would exhaust memory rather than a batch.
pub const MAX_ENVS: usize = 1 << 16;

pub struct VecEnv {
    envs: Vec<Env>,
    /// Episodes begun by each environment, for its next seed.
    episodes: Vec<u64>,
    seed: u64,
    threads: usize,
}

/// What a batched step wrote besides observations and masks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VecStep {
    pub rewards: Vec<f32>,
    pub terminated: Vec<bool>,
}

impl VecEnv {
    /// `n` environments with one agent each; environment `i`'s `k`-th
    /// episode has seed `seed + i + k·n`, so every seed comes from the
    /// arguments and no two episodes share one.
    pub fn new(
        loaded: &Loaded,
        config: &EnvConfig,
        n: usize,
        seed: u64,
        threads: usize,
    ) -> Result<VecEnv, String> {
        if config.agents.len() != 1 {
            return Err("a vector environment plays one team per environment".into());
        }
        if n == 0 || n > MAX_ENVS {
            return Err(format!(
                "a vector environment holds 1 to {MAX_ENVS} environments, not {n}"
            ));
        }
        let envs = (0..n)
            .map(|i| Env::new(loaded.clone(), config.clone(), seed.wrapping_add(i as u64)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(VecEnv {
            envs,
            episodes: vec![1; n],
            seed,
            threads: threads.max(1),
        })
    }

    pub fn len(&self) -> usize {
        self.envs.len()
    }
    pub fn is_empty(&self) -> bool {
        self.envs.is_empty()
    }
    pub fn observation_len(&self) -> usize {
        self.envs[0].encoding().len()
    }
    pub fn action_count(&self) -> usize {
        self.envs[0].action_count(0)
    }
    pub fn env(&self, i: usize) -> Option<&Env> {
        self.envs.get(i)
    }
    pub fn env_mut(&mut self, i: usize) -> Option<&mut Env> {
        self.envs.get_mut(i)
    }

    /// Back to each environment's first seed.
    pub fn reset(&mut self, seed: u64, obs: &mut [f32], masks: &mut [u8]) {
        self.seed = seed;
        for (i, env) in self.envs.iter_mut().enumerate() {
            env.reset(seed.wrapping_add(i as u64));
        }
        self.episodes.iter_mut().for_each(|e| *e = 1);
        self.write(obs, masks);
    }

    /// Writes every environment's observation and mask.
    pub fn write(&self, obs: &mut [f32], masks: &mut [u8]) {
        let (d, k) = (self.observation_len(), self.action_count());
        for (i, env) in self.envs.iter().enumerate() {
            if let Some(o) = obs.get_mut(i * d..(i + 1) * d) {
                env.observe(0, o);
            }
            if let Some(m) = masks.get_mut(i * k..(i + 1) * k) {
                env.mask(0, m);
            }
        }
    }

    /// Steps every environment with its action, resets those that ended
    /// (with their next seeds), and writes the observations and masks.
    /// With several threads each takes a contiguous share of the
    /// environments, stepping and observing them alike.
    pub fn step(&mut self, actions: &[usize], obs: &mut [f32], masks: &mut [u8]) -> VecStep {
        let n = self.envs.len();
        let (d, k) = (self.observation_len(), self.action_count());
        let seeds: Vec<u64> = (0..n).map(|i| self.peek_seed(i)).collect();
        let mut out = VecStep {
            rewards: vec![0.0; n],
            terminated: vec![false; n],
        };
        let chunk = n.div_ceil(self.threads).max(1);
        let shares = self
            .envs
            .chunks_mut(chunk)
            .zip(actions.chunks(chunk))
            .zip(seeds.chunks(chunk))
            .zip(obs.chunks_mut(chunk * d))
            .zip(masks.chunks_mut(chunk * k))
            .zip(out.rewards.chunks_mut(chunk))
            .zip(out.terminated.chunks_mut(chunk))
            .map(
                |((((((envs, acts), seeds), obs), masks), rewards), done)| Share {
                    envs,
                    actions: acts,
                    seeds,
                    obs,
                    masks,
                    rewards,
                    done,
                },
            );
        if self.threads > 1 && n > 1 {
            std::thread::scope(|scope| {
                for share in shares {
                    scope.spawn(move || share.run(d, k));
                }
            });
        } else {
            shares.for_each(|share| share.run(d, k));
        }
        for (i, &done) in out.terminated.iter().enumerate() {
            if done {
                self.episodes[i] += 1;
            }
        }
        out
    }

    /// The seed environment `i` starts its next episode with.
    fn peek_seed(&self, i: usize) -> u64 {
        let n = self.envs.len() as u64;
        self.seed
            .wrapping_add(i as u64)
            .wrapping_add(self.episodes[i].wrapping_mul(n))
    }
}

/// One thread's environments and their slices of the outputs.
struct Share<'a> {
    envs: &'a mut [Env],
    actions: &'a [usize],
    seeds: &'a [u64],
    obs: &'a mut [f32],
    masks: &'a mut [u8],
    rewards: &'a mut [f32],
    done: &'a mut [bool],
}

impl Share<'_> {
    fn run(self, d: usize, k: usize) {
        for (i, env) in self.envs.iter_mut().enumerate() {
            let action = self.actions.get(i).copied().unwrap_or(usize::MAX);
            let (reward, done) = step_one(env, action);
            if done {
                env.reset(self.seeds[i]);
            }
            self.rewards[i] = reward;
            self.done[i] = done;
            if let Some(o) = self.obs.get_mut(i * d..(i + 1) * d) {
                env.observe(0, o);
            }
            if let Some(m) = self.masks.get_mut(i * k..(i + 1) * k) {
                env.mask(0, m);
            }
        }
    }
}

fn step_one(env: &mut Env, action: usize) -> (f32, bool) {
    let s = env.step(&[action]);
    (s.rewards.first().copied().unwrap_or(0.0), s.terminated)
}
