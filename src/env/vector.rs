//! A batch of single-agent environments stepped together in Rust: one call
//! steps all of them (optionally on several threads) and writes stacked
//! observations, masks and rewards into flat buffers. An environment whose
//! episode ends is reset in the same step with its next seed, and the
//! observation written is the new episode's first (Gymnasium's same-step
//! autoreset).

use crate::scenario::load::Loaded;

use super::{Env, EnvConfig};

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
        if n == 0 {
            return Err("a vector environment needs at least one environment".into());
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

    fn next_seed(&mut self, i: usize) -> u64 {
        let n = self.envs.len() as u64;
        let k = self.episodes[i];
        self.episodes[i] += 1;
        self.seed
            .wrapping_add(i as u64)
            .wrapping_add(k.wrapping_mul(n))
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

    /// Steps every environment with its action, resets those that ended,
    /// and writes the observations and masks.
    pub fn step(&mut self, actions: &[usize], obs: &mut [f32], masks: &mut [u8]) -> VecStep {
        let n = self.envs.len();
        let mut out = VecStep {
            rewards: vec![0.0; n],
            terminated: vec![false; n],
        };
        let chunk = n.div_ceil(self.threads);
        let results: Vec<(f32, bool)> = if self.threads > 1 && n > 1 {
            std::thread::scope(|scope| {
                let handles: Vec<_> = self
                    .envs
                    .chunks_mut(chunk)
                    .zip(actions.chunks(chunk))
                    .map(|(envs, acts)| {
                        scope.spawn(move || {
                            envs.iter_mut()
                                .zip(acts)
                                .map(|(e, &a)| step_one(e, a))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_default())
                    .collect()
            })
        } else {
            self.envs
                .iter_mut()
                .zip(actions)
                .map(|(e, &a)| step_one(e, a))
                .collect()
        };
        for (i, (reward, done)) in results.into_iter().enumerate().take(n) {
            out.rewards[i] = reward;
            out.terminated[i] = done;
            if done {
                let seed = self.next_seed(i);
                self.envs[i].reset(seed);
            }
        }
        self.write(obs, masks);
        out
    }
}

fn step_one(env: &mut Env, action: usize) -> (f32, bool) {
    let s = env.step(&[action]);
    (s.rewards.first().copied().unwrap_or(0.0), s.terminated)
}
