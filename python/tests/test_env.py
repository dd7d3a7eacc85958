"""The learning environments: the PettingZoo and Gymnasium API checks on
every shipped scenario, determinism, and the vector environment."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env
from pettingzoo.test import parallel_api_test

import kizuna
from conftest import SCENARIOS
from kizuna.env import VectorEnv, gym_env, parallel_env


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_pettingzoo_parallel_api(scenario):
    parallel_api_test(parallel_env(scenario, seed=5), num_cycles=200)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("team", ["jp", "us"])
def test_gymnasium_check_env(scenario, team):
    check_env(gym_env(scenario, team, seed=5), skip_render_check=True)


def _masked_choice(rng: np.random.Generator, mask: np.ndarray) -> int:
    return int(rng.choice(np.flatnonzero(mask)))


def test_observations_and_masks_are_what_the_spaces_say():
    env = parallel_env("tokyo-games", seed=2)
    observations, _ = env.reset(seed=2)
    rng = np.random.default_rng(0)
    for _ in range(300):
        for agent, obs in observations.items():
            assert env.observation_space(agent).contains(obs)
            # "End turn", the last action, is always allowed.
            assert obs["action_mask"][-1] == 1
        actions = {a: _masked_choice(rng, o["action_mask"]) for a, o in observations.items()}
        observations, _, terminations, _, _ = env.step(actions)
        if all(terminations.values()) or not env.agents:
            break


def test_ending_every_turn_against_idle_opponents_is_the_command_lines_idle_run(cli):
    env = gym_env("grid-outage", "jp", opponents="idle", seed=9)
    _, _ = env.reset(seed=9)
    end_turn = env.action_space.n - 1
    terminated = False
    while not terminated:
        _, _, terminated, _, _ = env.step(end_turn)
    expected = cli.json("run", "grid-outage", "--seed", "9", "--team", "jp=idle", "--team", "us=idle", "--json")
    assert env.state_hash() == expected["final_state_hash"]


def _episode(env, seed: int, actions_seed: int) -> list[tuple]:
    rng = np.random.default_rng(actions_seed)
    obs, _ = env.reset(seed=seed)
    trail = []
    terminated = False
    while not terminated:
        action = _masked_choice(rng, obs["action_mask"])
        obs, reward, terminated, _, info = env.step(action)
        trail.append((action, reward, obs["observation"].tobytes(), env.state_hash()))
    return trail


def test_environments_seed_only_from_their_arguments():
    first = _episode(gym_env("tutorial", "us", seed=0), 31, 1)
    again = _episode(gym_env("tutorial", "us", seed=0), 31, 1)
    assert first == again
    other = _episode(gym_env("tutorial", "us", seed=0), 32, 1)
    assert [t[3] for t in other] != [t[3] for t in first]


def test_reset_without_a_seed_starts_the_next_seed():
    env = gym_env("tutorial", "jp", seed=40)
    env.reset()
    h40 = env.state_hash()
    env.reset()
    h41 = env.state_hash()
    env.reset(seed=41)
    assert env.state_hash() == h41 != h40


def test_a_log_written_by_an_environment_replays(cli, tmp_path):
    env = gym_env("tutorial", "jp", seed=4)
    _episode(env, 4, 2)
    log = tmp_path / "env.kizuna.json"
    env.save_log(str(log))
    replayed = cli.run("replay", str(log))
    assert replayed.returncode == 0
    assert f"last {env.chain_hash()})" in replayed.stdout


def test_objective_rewards_sum_to_the_weights_settled():
    env = gym_env("tokyo-games", "jp", reward="objectives", seed=3)
    rewards = [t[1] for t in _episode(env, 3, 3)]
    weights = [o["weight"] for o in kizuna.load("tokyo-games")["objectives"]]
    # Each objective is settled once, for +weight or -weight.
    assert any(rewards)
    assert all(r == int(r) for r in rewards)
    assert sum(abs(r) for r in rewards) <= sum(weights)


@pytest.mark.parametrize("threads", [1, 2])
def test_vector_env_environments_do_not_leak_into_each_other(threads):
    n, seed, steps = 4, 100, 400
    vector = VectorEnv("tutorial", n, "jp", seed=seed, threads=threads)
    lone = [gym_env("tutorial", "jp", seed=seed + i) for i in range(n)]
    episodes = [0] * n
    obs, infos = vector.reset()
    masks = infos["action_mask"]
    for i, env in enumerate(lone):
        o, _ = env.reset(seed=seed + i)
        assert np.array_equal(o["observation"], obs[i])
        assert np.array_equal(o["action_mask"], masks[i])
    rng = np.random.default_rng(7)
    resets = 0
    for _ in range(steps):
        actions = np.array([_masked_choice(rng, m) for m in masks])
        obs, rewards, terminated, truncated, infos = vector.step(actions)
        masks = infos["action_mask"]
        assert not truncated.any()
        for i, env in enumerate(lone):
            o, r, done, _, _ = env.step(int(actions[i]))
            assert r == pytest.approx(rewards[i]), f"env {i}"
            assert done == terminated[i]
            if done:
                # Same-step reset, with the environment's next seed.
                episodes[i] += 1
                resets += 1
                o, _ = env.reset(seed=seed + i + episodes[i] * n)
            assert np.array_equal(o["observation"], obs[i]), f"env {i}"
            assert np.array_equal(o["action_mask"], masks[i]), f"env {i}"
            assert env.state_hash() == vector.state_hash(i)
    assert resets > 0, "the run crosses episode ends"


def test_vector_env_refuses_no_environments_or_absurdly_many():
    for n in (0, 1 << 20):
        with pytest.raises(ValueError, match="1 to 65536 environments"):
            VectorEnv("tutorial", n, "jp")


def test_vector_env_refuses_a_wrong_number_of_actions():
    vector = VectorEnv("tutorial", 3, "us", seed=0)
    vector.reset()
    with pytest.raises(ValueError, match="3 actions"):
        vector.step(np.zeros(2, dtype=np.int64))
