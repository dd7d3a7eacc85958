"""The examples in docs/python.md run as written."""

from __future__ import annotations

import re

import pytest

from conftest import REPO

EXAMPLES = re.findall(r"```python\n(.*?)```", (REPO / "docs" / "python.md").read_text(encoding="utf-8"), re.S)


def test_the_guide_has_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_each_example_runs(index, tmp_path, monkeypatch, capsys):
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    exec(compile(EXAMPLES[index], f"docs/python.md example {index + 1}", "exec"), {})
    assert capsys.readouterr().out, "every example prints its result"
