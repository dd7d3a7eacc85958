"""Learning environments on the Kizuna engine.

- :func:`parallel_env` — a PettingZoo ``ParallelEnv``: every team (or the
  ones named) is an agent.
- :func:`gym_env` — a Gymnasium ``Env``: one team, the others played by a
  policy.
- :class:`VectorEnv` — ``n`` single-team environments stepped together in
  Rust, returning stacked numpy arrays.

A step is one decision or "end turn" per agent; the turn resolves when
every agent has ended it (an agent that has queued
``max_decisions_per_turn`` decisions has its turn ended for it). Actions
are numbered: action ``i < n - 1`` is the ``i``-th decision of the team's
fixed catalogue (:meth:`KizunaParallelEnv.action_meaning`), the last one
ends the turn. An action that is not allowed now (see the mask) ends the
agent's turn. Observations are float32 vectors in [0, 1], documented
feature by feature in ``docs/python.md``. Rewards are shared by all agents:
the change in score (``reward="score"``, in hundredths) or the weights of
objectives met minus failed (``reward="objectives"``).

Environments seed only from their arguments: ``reset(seed=s)`` starts the
session with seed ``s``; ``reset()`` without a seed starts the next seed
after the last one used.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Mapping

import numpy as np

from . import _kizuna, _strings

try:  # Optional: the environments need them, the rest of kizuna does not.
    import gymnasium
    from gymnasium import spaces
except ImportError:  # pragma: no cover
    gymnasium = None
try:
    from pettingzoo import ParallelEnv
except ImportError:  # pragma: no cover
    ParallelEnv = object


def _need(module: Any, name: str) -> None:
    if module is None:
        raise ImportError(f"kizuna.env needs {name}: pip install 'kizuna[rl]'")


def _spaces(obs_len: int, actions: int) -> tuple[Any, Any]:
    observation = spaces.Dict(
        {
            "observation": spaces.Box(0.0, 1.0, (obs_len,), np.float32),
            "action_mask": spaces.Box(0, 1, (actions,), np.int8),
        }
    )
    return observation, spaces.Discrete(actions)


class _Seeds:
    """The seed of each episode: the one given to reset, else the next."""

    def __init__(self, seed: int) -> None:
        self.next = seed

    def take(self, seed: int | None) -> int:
        if seed is not None:
            self.next = int(seed)
        used = self.next
        self.next += 1
        return used


class _Session:
    """What every environment of one session offers: its agents'
    observations, hashes and log. ``self._core`` is a ``_kizuna.Env``."""

    _core: Any

    def _observation(self, agent: int) -> dict[str, np.ndarray]:
        return {
            "observation": np.frombuffer(self._core.observe(agent), dtype=np.float32).copy(),
            "action_mask": np.frombuffer(self._core.mask(agent), dtype=np.int8).copy(),
        }

    def _meaning(self, agent: int, action: int) -> dict[str, Any] | None:
        meaning = self._core.action_meaning(agent, int(action))
        return None if meaning is None else json.loads(meaning)

    def state_hash(self) -> str:
        """The simulation's state hash, as the CLI prints it."""
        return self._core.state_hash()

    def chain_hash(self) -> str:
        """The log's chained hash, as ``kizuna replay`` prints it."""
        return self._core.chain_hash()

    def save_log(self, path: str) -> None:
        """Writes the session log, which ``kizuna replay`` verifies."""
        self._core.save_log(str(path))


class KizunaParallelEnv(_Session, ParallelEnv):
    """A PettingZoo parallel environment: agents are teams."""

    metadata = {"name": "kizuna_v0", "render_modes": [], "is_parallelizable": True}

    def __init__(
        self,
        scenario: str,
        agents: list[str] | None = None,
        opponents: str = "doctrine",
        seed: int = 0,
        max_decisions_per_turn: int = 8,
        reward: str = "score",
        set: Mapping[str, Any] | None = None,
    ) -> None:
        _need(gymnasium, "gymnasium")
        if agents is None:
            agents = [t["id"] for t in json.loads(_kizuna.load(scenario, _strings(set)))["teams"]]
        self._core = _kizuna.Env(
            scenario, list(agents), seed, opponents, max_decisions_per_turn, reward, _strings(set)
        )
        self.possible_agents = list(self._core.agents)
        self.agents: list[str] = []
        self._seeds = _Seeds(seed)
        self._done = True

    @functools.lru_cache(maxsize=None)
    def observation_space(self, agent: str) -> Any:
        return _spaces(self._core.observation_len, self._core.action_count(self._index(agent)))[0]

    @functools.lru_cache(maxsize=None)
    def action_space(self, agent: str) -> Any:
        return _spaces(self._core.observation_len, self._core.action_count(self._index(agent)))[1]

    def _index(self, agent: str) -> int:
        return self.possible_agents.index(agent)

    def action_meaning(self, agent: str, action: int) -> dict[str, Any] | None:
        """The decision an action stands for; ``None`` for "end turn"."""
        return self._meaning(self._index(agent), action)

    def _observe(self, agent: str) -> dict[str, np.ndarray]:
        return self._observation(self._index(agent))

    def reset(self, seed: int | None = None, options: dict | None = None):
        self._core.reset(self._seeds.take(seed))
        self.agents = list(self.possible_agents)
        self._done = False
        return {a: self._observe(a) for a in self.agents}, {a: {} for a in self.agents}

    def step(self, actions: Mapping[str, int]):
        end = {a: self._core.action_count(self._index(a)) - 1 for a in self.agents}
        chosen = [int(actions.get(a, end[a])) for a in self.possible_agents if a in end]
        rewards, terminated, resolved = self._core.step(chosen)
        agents = list(self.agents)
        observations = {a: self._observe(a) for a in agents}
        reward = {a: float(rewards[self._index(a)]) for a in agents}
        terminations = {a: bool(terminated) for a in agents}
        truncations = {a: False for a in agents}
        infos = {a: {"resolved": resolved, "turn": self._core.turn} for a in agents}
        if terminated:
            self.agents = []
        return observations, reward, terminations, truncations, infos

    def render(self) -> None:
        return None

    def close(self) -> None:
        return None


def parallel_env(scenario: str, **params: Any) -> KizunaParallelEnv:
    """A PettingZoo ``ParallelEnv`` for ``scenario``; ``params`` as
    :class:`KizunaParallelEnv` takes them (``agents``, ``opponents``,
    ``seed``, ``max_decisions_per_turn``, ``reward``, ``set``)."""
    return KizunaParallelEnv(scenario, **params)


_GymBase = gymnasium.Env if gymnasium is not None else object


class KizunaGymEnv(_Session, _GymBase):
    """A Gymnasium environment: one team, the others played by a policy."""

    metadata = {"render_modes": []}

    def __init__(
        self,
        scenario: str,
        team: str,
        opponents: str = "doctrine",
        seed: int = 0,
        max_decisions_per_turn: int = 8,
        reward: str = "score",
        set: Mapping[str, Any] | None = None,
    ) -> None:
        _need(gymnasium, "gymnasium")
        self._core = _kizuna.Env(
            scenario, [team], seed, opponents, max_decisions_per_turn, reward, _strings(set)
        )
        self.observation_space, self.action_space = _spaces(
            self._core.observation_len, self._core.action_count(0)
        )
        self._seeds = _Seeds(seed)

    def _observe(self) -> dict[str, np.ndarray]:
        return self._observation(0)

    def reset(self, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        self._core.reset(self._seeds.take(seed))
        return self._observe(), {}

    def step(self, action: int):
        rewards, terminated, resolved = self._core.step([int(action)])
        info = {"resolved": resolved, "turn": self._core.turn}
        return self._observe(), float(rewards[0]), bool(terminated), False, info

    def action_meaning(self, action: int) -> dict[str, Any] | None:
        """The decision an action stands for; ``None`` for "end turn"."""
        return self._meaning(0, action)


def gym_env(scenario: str, team: str, opponents: str = "doctrine", **params: Any) -> KizunaGymEnv:
    """A Gymnasium ``Env`` playing ``team``; the other teams are played by
    ``opponents`` (``idle``, ``random`` or ``doctrine``)."""
    return KizunaGymEnv(scenario, team, opponents=opponents, **params)


class VectorEnv:
    """``n`` environments playing ``team``, stepped together inside Rust.

    ``reset(seed)`` returns ``(observations, infos)`` with observations of
    shape ``(n, observation_len)`` and ``infos["action_mask"]`` of shape
    ``(n, actions)``; ``step(actions)`` (an int array of length ``n``)
    returns ``(observations, rewards, terminated, truncated, infos)``. An
    environment whose episode ends is reset in the same step with its next
    seed (``seed + i + k·n`` for its ``k``-th episode), and the observation
    returned is the new episode's first. ``threads`` > 1 steps the
    environments on that many threads.
    """

    def __init__(
        self,
        scenario: str,
        n: int,
        team: str,
        opponents: str = "doctrine",
        seed: int = 0,
        max_decisions_per_turn: int = 8,
        reward: str = "score",
        threads: int = 1,
        set: Mapping[str, Any] | None = None,
    ) -> None:
        self._core = _kizuna.VecEnv(
            scenario, n, team, seed, opponents, max_decisions_per_turn, reward, threads, _strings(set)
        )
        self.num_envs = n
        self.observation_len = self._core.observation_len
        self.action_count = self._core.action_count
        self._seed = seed

    def _arrays(self, obs: bytes, masks: bytes) -> tuple[np.ndarray, np.ndarray]:
        return (
            np.frombuffer(obs, dtype=np.float32).reshape(self.num_envs, self.observation_len),
            np.frombuffer(masks, dtype=np.int8).reshape(self.num_envs, self.action_count),
        )

    def reset(self, seed: int | None = None):
        if seed is not None:
            self._seed = int(seed)
        obs, masks = self._arrays(*self._core.reset(self._seed))
        return obs, {"action_mask": masks}

    def step(self, actions: Any):
        acts = np.ascontiguousarray(actions, dtype=np.int64)
        if acts.shape != (self.num_envs,):
            raise ValueError(f"{self.num_envs} actions expected, got shape {acts.shape}")
        obs, masks, rewards, done = self._core.step(acts.tobytes())
        obs, masks = self._arrays(obs, masks)
        terminated = np.frombuffer(done, dtype=np.uint8).astype(bool)
        return (
            obs,
            np.frombuffer(rewards, dtype=np.float32),
            terminated,
            np.zeros(self.num_envs, dtype=bool),
            {"action_mask": masks},
        )

    def state_hash(self, i: int) -> str:
        """Environment ``i``'s state hash."""
        return self._core.state_hash(i)

    def close(self) -> None:
        return None
