"""Kizuna, the tabletop cyber-exercise engine, for Python.

The engine itself is Rust (``kizuna._kizuna``); this package gives it
plain Python data. Runs are reproducible: the same scenario, seed and
decisions give the same state hashes as ``kizuna run`` and ``kizuna
replay`` on the command line.

- :func:`load` describes a scenario (a built-in id or a path).
- :class:`Session` plays one session, seat by seat.
- :func:`sweep` runs many seeds, as ``kizuna sweep`` does.
- :mod:`kizuna.env` has the PettingZoo, Gymnasium and vector environments.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from . import _kizuna
from ._kizuna import ScenarioError

__all__ = ["ScenarioError", "Session", "load", "sweep"]


def _strings(values: Mapping[str, Any] | None) -> dict[str, str]:
    return {str(k): str(v) for k, v in (values or {}).items()}


def load(scenario: str, set: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Loads a scenario (a built-in id such as ``"tokyo-games"`` or a path)
    with ``set`` applied (``{"organisations.cisa.staff": 24}``, as ``--set``),
    and describes it: id, title, turn limit, teams, organisations, assets,
    attackers, objectives and the source hash.

    Raises :class:`ScenarioError` (with ``file``, ``line``, ``column`` and
    the rendered ``message``) if it does not load.
    """
    return json.loads(_kizuna.load(scenario, _strings(set)))


class Session:
    """One session of a scenario, driven as the seats drive it.

    ``teams`` maps a team id to who plays it: ``"python"`` (decided through
    :meth:`submit`) or a policy (``"idle"``, ``"random"``, ``"doctrine"``);
    teams not named are played by ``"doctrine"``.
    """

    def __init__(
        self,
        scenario: str,
        seed: int,
        teams: Mapping[str, str] | None = None,
        set: Mapping[str, Any] | None = None,
        lang: str = "en",
    ) -> None:
        self._inner = _kizuna.Session(scenario, seed, _strings(teams), _strings(set), lang)

    @property
    def turn(self) -> int:
        """The turn about to be played (1 at the start)."""
        return self._inner.turn

    @property
    def ended(self) -> bool:
        """Whether the scenario has ended."""
        return self._inner.ended

    def view(self, team: str) -> dict[str, Any]:
        """What ``team`` may know now: the public picture, its staff, the
        assets as it believes them, its knowledge, decisions, queue, and
        the events it was shown."""
        return json.loads(self._inner.view(team))

    def facilitator_view(self) -> dict[str, Any]:
        """Ground truth, as the facilitator sees it."""
        return json.loads(self._inner.facilitator_view())

    def decisions(self, team: str) -> list[dict[str, Any]]:
        """The decisions ``team`` may take now: ``decision`` (pass it to
        :meth:`submit`), ``text``, ``cost``, ``duration``, ``queued``,
        ``allowed`` and, when not allowed, the ``refusal``."""
        return json.loads(self._inner.decisions(team))

    def submit(self, team: str, decision: Mapping[str, Any]) -> None:
        """Queues a decision for a team played from Python. Raises
        ``ValueError`` with the reason if it is refused."""
        self._inner.submit(team, json.dumps(_decision(decision)))

    def withdraw(self, team: str, decision: Mapping[str, Any]) -> None:
        """Takes a queued decision back."""
        self._inner.withdraw(team, json.dumps(_decision(decision)))

    def step(self) -> dict[str, Any]:
        """Resolves the turn: the queued decisions, then the policies'.
        Returns the turn, score and its events; each event carries ``text``,
        its wording for every team that saw it and for the facilitator."""
        return json.loads(self._inner.step())

    def state_hash(self) -> str:
        """The simulation's state hash, 16 hex digits, as the CLI prints it."""
        return self._inner.state_hash()

    def chain_hash(self) -> str:
        """The log's chained hash after the last turn (every turn's state
        hash chained from the header): what ``kizuna replay`` prints as
        "last" when the log verifies."""
        return self._inner.chain_hash()

    def save_log(self, path: str) -> None:
        """Writes the session log; ``kizuna replay`` verifies it and
        ``kizuna report`` reads it."""
        self._inner.save_log(str(path))


def _decision(d: Mapping[str, Any]) -> Any:
    # An entry of decisions() or the decision itself.
    return d["decision"] if "decision" in d else d


def sweep(
    scenario: str,
    seeds: range | tuple[int, int],
    teams: Mapping[str, str] | None = None,
    vs: Mapping[str, str] | None = None,
    vary: Mapping[str, list[Any]] | None = None,
    set: Mapping[str, Any] | None = None,
    jobs: int | None = None,
) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    """Runs every arm over every seed, as ``kizuna sweep`` does, and returns
    ``(columns, summary)``: the rows as a dict of columns (so
    ``pandas.DataFrame(columns)`` or ``polars.DataFrame(columns)`` works),
    and the paired summary.

    ``teams`` (ID → policy) sets the base arm's players; ``vs`` adds an arm
    per team given another policy; ``vary`` (PATH → values) adds an arm per
    value.
    """
    if isinstance(seeds, range):
        if seeds.step != 1:
            raise ValueError("seeds: a range with step 1")
        bounds = (seeds.start, seeds.stop)
    else:
        bounds = (int(seeds[0]), int(seeds[1]))
    varied = [f"{path}={','.join(str(v) for v in values)}" for path, values in (vary or {}).items()]
    header, rows, summary = _kizuna.sweep(
        scenario, bounds, _strings(teams), _strings(vs), varied, _strings(set), jobs
    )
    columns: dict[str, list[Any]] = {name: [] for name in header}
    for line in rows.splitlines():
        row = json.loads(line)
        for name in header:
            columns[name].append(row.get(name))
    return columns, json.loads(summary)
