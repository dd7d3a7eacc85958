"""Steps per second of the Kizuna environments, with NASim's in the same run.

    python python/benches/bench_steps.py [--seconds S] [--kizuna-bin PATH]

Measures, on a generated 400-asset world (`kizuna gen --assets 400`) and on
tokyo-games: one Gymnasium environment stepped from Python, and a
`VectorEnv` of 64 environments on 1 and 2 threads (steps counted per
environment). Actions are drawn uniformly from the allowed ones (the mask),
as a random agent does. Then NASim on a generated 400-host network with
`int(action_space.sample())`, if `nasim` is installed (`pip install nasim`).
Only the time inside the environments' `step` and `reset` counts, not the
choosing of actions. Prints a Markdown table; best of three runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from kizuna.env import VectorEnv, gym_env

REPO = Path(__file__).resolve().parents[2]


def kizuna_binary(given: str | None) -> str:
    for candidate in (given, os.environ.get("KIZUNA_BIN"), str(REPO / "target/release/kizuna")):
        if candidate and Path(candidate).exists():
            return candidate
    found = shutil.which("kizuna")
    if found:
        return found
    sys.exit("no kizuna binary: cargo build --release, or pass --kizuna-bin")


class Clock:
    """Time spent inside the environment's own calls (reset and step),
    not in choosing actions."""

    def __init__(self) -> None:
        self.spent = 0.0

    def call(self, f, *args):
        start = time.perf_counter()
        result = f(*args)
        self.spent += time.perf_counter() - start
        return result


def best_rate(run, seconds: float) -> float:
    """Steps per second of environment time, the best of three runs of
    about `seconds` (wall clock) each."""
    rates = []
    for _ in range(3):
        clock, steps, start = Clock(), 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            steps += run(clock)
        rates.append(steps / clock.spent)
    return max(rates)


def one_env(scenario: str, seconds: float) -> float:
    env = gym_env(scenario, "jp", opponents="random", seed=1)
    rng = np.random.default_rng(1)
    state = {"obs": env.reset(seed=1)[0]}

    def run(clock: Clock) -> int:
        obs = state["obs"]
        for _ in range(1000):
            allowed = np.flatnonzero(obs["action_mask"])
            action = int(allowed[rng.integers(len(allowed))])
            obs, _, terminated, truncated, _ = clock.call(env.step, action)
            if terminated or truncated:
                obs, _ = clock.call(env.reset)
        state["obs"] = obs
        return 1000

    return best_rate(run, seconds)


def vector_env(scenario: str, n: int, threads: int, seconds: float) -> float:
    env = VectorEnv(scenario, n, "jp", opponents="random", seed=1, threads=threads)
    rng = np.random.default_rng(1)
    state = {"mask": env.reset(seed=1)[1]["action_mask"]}

    def run(clock: Clock) -> int:
        mask = state["mask"]
        for _ in range(20):
            # A uniform allowed action per environment, without a Python loop.
            actions = np.argmax(rng.random(mask.shape) * mask, axis=1)
            _, _, _, _, infos = clock.call(env.step, actions)
            mask = infos["action_mask"]
        state["mask"] = mask
        return 20 * n

    return best_rate(run, seconds)


def nasim_rate(seconds: float) -> float | None:
    try:
        import nasim
    except ImportError:
        return None
    env = nasim.generate(400, 10, seed=1)
    env.reset(seed=1)
    env.action_space.seed(1)

    def run(clock: Clock) -> int:
        for _ in range(1000):
            action = int(env.action_space.sample())
            _, _, done, truncated, _ = clock.call(env.step, action)
            if done or truncated:
                clock.call(env.reset)
        return 1000

    return best_rate(run, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each timed run")
    parser.add_argument("--kizuna-bin", help="the kizuna binary, to generate the world")
    args = parser.parse_args()
    binary = kizuna_binary(args.kizuna_bin)
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp) / "world-400.ron"
        world.write_text(
            subprocess.run(
                [binary, "gen", "--assets", "400", "--seed", "1"],
                capture_output=True, text=True, check=True,
            ).stdout,
            encoding="utf-8",
        )
        rows = []
        for name, scenario in (("generated, 400 assets", str(world)), ("tokyo-games", "tokyo-games")):
            rows.append((name, "one environment", one_env(scenario, args.seconds)))
            for threads in (1, 2):
                label = f"VectorEnv(64), {threads} thread{'s' if threads > 1 else ''}"
                rows.append((name, label, vector_env(scenario, 64, threads, args.seconds)))
    nasim = nasim_rate(args.seconds)
    if nasim is not None:
        rows.append(("NASim, 400 hosts", "one environment", nasim))
    print("| world | environment | steps/s |")
    print("|---|---|---:|")
    for world_name, label, rate in rows:
        print(f"| {world_name} | {label} | {rate:,.0f} |")
    if nasim is not None:
        single = rows[0][2]
        print(f"\nOne Kizuna environment (400 assets) / NASim (400 hosts): {single / nasim:.1f}×")
    else:
        print("\nNASim is not installed (pip install nasim): no comparison.")


if __name__ == "__main__":
    main()
