//! The only source of randomness in the simulation.
//!
//! Every (seed, turn, phase) gets its own ChaCha8 stream, so a draw added in
//! one phase never shifts the values another phase sees. The 256-bit key is
//! derived from the seed and turn with SplitMix64 (a fixed, specified mix);
//! the phase is the ChaCha stream number.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Stream numbers. Phases use their position in the turn; policies use a
/// separate range so their draws never touch the model's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Phase(u8),
    Policy(u16),
}

impl Stream {
    fn number(self) -> u64 {
        match self {
            Stream::Phase(p) => u64::from(p),
            Stream::Policy(team) => 1_000 + u64::from(team),
        }
    }
}

/// SplitMix64 step: a specified, portable 64-bit mixer.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A random stream for one (seed, turn, stream).
pub struct SimRng(ChaCha8Rng);

impl SimRng {
    pub fn new(seed: u64, turn: u32, stream: Stream) -> Self {
        let mut state = seed ^ (u64::from(turn)).wrapping_mul(0xD6E8_FEB8_6659_FD93);
        let mut key = [0u8; 32];
        for chunk in key.chunks_exact_mut(8) {
            chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
        }
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(stream.number());
        SimRng(rng)
    }

    /// True with probability `bp` basis points (0..=10_000).
    pub fn chance_bp(&mut self, bp: u32) -> bool {
        if bp == 0 {
            return false;
        }
        if bp >= 10_000 {
            return true;
        }
        self.0.random_range(0..10_000u32) < bp
    }

    /// Uniform in `0..n`; `n` must be non-zero.
    pub fn below(&mut self, n: u32) -> u32 {
        if n <= 1 {
            return 0;
        }
        self.0.random_range(0..n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_phase_turn_and_seed() {
        let draw = |seed, turn, stream| {
            let mut r = SimRng::new(seed, turn, stream);
            (0..8).map(|_| r.below(1_000_000)).collect::<Vec<_>>()
        };
        let base = draw(7, 3, Stream::Phase(2));
        assert_eq!(base, draw(7, 3, Stream::Phase(2)));
        assert_ne!(base, draw(7, 3, Stream::Phase(3)));
        assert_ne!(base, draw(7, 4, Stream::Phase(2)));
        assert_ne!(base, draw(8, 3, Stream::Phase(2)));
        assert_ne!(base, draw(7, 3, Stream::Policy(2)));
    }

    /// Golden values: if rand or rand_chacha change their value streams,
    /// every recorded session would stop replaying. This catches it.
    #[test]
    fn golden_values_are_stable() {
        let mut r = SimRng::new(42, 1, Stream::Phase(3));
        let got: Vec<u32> = (0..6).map(|_| r.below(10_000)).collect();
        assert_eq!(got, GOLDEN);
    }
    const GOLDEN: [u32; 6] = [905, 2014, 9639, 8716, 7762, 269];

    #[test]
    fn chance_extremes() {
        let mut r = SimRng::new(1, 1, Stream::Phase(0));
        assert!((0..100).all(|_| !r.chance_bp(0)));
        assert!((0..100).all(|_| r.chance_bp(10_000)));
        let hits = (0..10_000).filter(|_| r.chance_bp(2_500)).count();
        assert!((2_200..2_800).contains(&hits), "{hits}");
    }
}
