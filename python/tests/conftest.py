"""Shared fixtures: the shipped scenarios and the `kizuna` binary that the
Python results are checked against."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(p.stem for p in (REPO / "scenarios").glob("*.ron"))


def _find_binary() -> Path:
    given = os.environ.get("KIZUNA_BIN")
    if given:
        return Path(given)
    for profile in ("release", "debug"):
        candidate = REPO / "target" / profile / "kizuna"
        if candidate.exists():
            return candidate
    pytest.fail("no kizuna binary: build it with `cargo build --release` or set KIZUNA_BIN")


class Cli:
    """The command line, to compare the package with."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.path), *args], capture_output=True, text=True, timeout=300, check=check
        )

    def json(self, *args: str) -> dict:
        return json.loads(self.run(*args).stdout)


@pytest.fixture(scope="session")
def cli() -> Cli:
    path = _find_binary()
    if not path.exists():
        pytest.fail(f"KIZUNA_BIN={path} does not exist")
    return Cli(path)


@pytest.fixture(scope="session")
def tutorial_text() -> str:
    return (REPO / "scenarios" / "tutorial.ron").read_text(encoding="utf-8")
