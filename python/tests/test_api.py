"""The core API: load, Session, sweep, checked against the command line."""

from __future__ import annotations

import json

import pytest

import kizuna
from conftest import SCENARIOS


def test_every_shipped_scenario_loads_with_its_teams():
    for scenario in SCENARIOS:
        described = kizuna.load(scenario)
        assert described["id"] == scenario
        assert {t["id"] for t in described["teams"]} == {"jp", "us"}
        assert described["assets"], scenario


def test_set_changes_the_scenario_as_the_command_line_does():
    assert kizuna.load("tutorial")["turn_limit"] == 12
    assert kizuna.load("tutorial", set={"turn_limit": 5})["turn_limit"] == 5


def test_a_broken_scenario_raises_with_its_location(tmp_path, tutorial_text):
    broken = tutorial_text.replace("turn_limit: 12,", 'turn_limit: "twelve",', 1)
    assert broken != tutorial_text
    path = tmp_path / "broken.ron"
    path.write_text(broken, encoding="utf-8")
    expected_line = broken[: broken.index('"twelve"')].count("\n") + 1
    with pytest.raises(kizuna.ScenarioError) as caught:
        kizuna.load(str(path))
    error = caught.value
    assert error.file.endswith("broken.ron")
    assert error.line == expected_line
    assert error.column > 0
    assert "broken.ron" in error.message and "twelve" in error.message


def test_an_unknown_set_path_and_an_unknown_scenario_raise():
    with pytest.raises(kizuna.ScenarioError, match="no_such_field"):
        kizuna.load("tutorial", set={"no_such_field": 1})
    with pytest.raises(kizuna.ScenarioError):
        kizuna.load("no-such-scenario")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_session_of_policies_hashes_as_the_command_line(cli, scenario):
    seed = 7
    session = kizuna.Session(scenario, seed, teams={"jp": "doctrine", "us": "random"})
    while not session.ended:
        session.step()
    expected = cli.json("run", scenario, "--seed", str(seed), "--team", "us=random", "--json")
    assert session.state_hash() == expected["final_state_hash"]


def _play_jp_from_python(session: kizuna.Session) -> int:
    """Japan takes the first two allowed decisions each turn; returns how many it took."""
    taken = 0
    while not session.ended:
        allowed = [d for d in session.decisions("jp") if d["allowed"] and not d["queued"]]
        for entry in allowed[:2]:
            session.submit("jp", entry)
            taken += 1
        session.step()
    return taken


def test_a_log_written_from_python_replays_and_reports(cli, tmp_path):
    session = kizuna.Session("tutorial", 3, teams={"jp": "python"})
    assert _play_jp_from_python(session) > 0
    log = tmp_path / "from-python.kizuna.json"
    session.save_log(str(log))
    replayed = cli.run("replay", str(log))
    assert replayed.returncode == 0
    assert f"last {session.chain_hash()})" in replayed.stdout
    report = cli.run("report", str(log), "--format", "json")
    assert json.loads(report.stdout)


def test_the_same_seed_and_decisions_give_the_same_hashes():
    hashes = []
    for _ in range(2):
        session = kizuna.Session("pension-breach", 11, teams={"jp": "python", "us": "random"})
        trail = []
        while not session.ended:
            allowed = [d for d in session.decisions("jp") if d["allowed"]]
            if allowed:
                session.submit("jp", allowed[-1])
            session.step()
            trail.append(session.state_hash())
        hashes.append(trail)
    assert hashes[0] == hashes[1]
    other = kizuna.Session("pension-breach", 12, teams={"jp": "python", "us": "random"})
    other.step()
    assert other.state_hash() != hashes[0][0]


def test_decisions_carry_cost_and_refusals_and_refused_ones_raise():
    session = kizuna.Session("tutorial", 1, teams={"jp": "python", "us": "python"})
    decisions = session.decisions("jp")
    assert decisions
    for entry in decisions:
        assert {"decision", "text", "cost", "allowed", "refusal", "queued"} <= entry.keys()
        assert (entry["refusal"] is None) == entry["allowed"]
    refused = [d for d in decisions if not d["allowed"]]
    assert refused, "turn 1 of the tutorial refuses something"
    with pytest.raises(ValueError, match=refused[0]["refusal"][:20]):
        session.submit("jp", refused[0])
    allowed = next(d for d in decisions if d["allowed"])
    session.submit("jp", allowed)
    assert any(d["queued"] for d in session.decisions("jp"))
    session.withdraw("jp", allowed)
    assert not any(d["queued"] for d in session.decisions("jp"))


def test_a_team_view_holds_only_what_the_team_knows():
    # Seed 24: the waterworks (Japan's) detects the intrusion in turn 2;
    # nobody shares it, so the US view must not hold it.
    session = kizuna.Session("tutorial", 24, teams={"jp": "python", "us": "python"})
    session.step()
    session.step()
    truth = [a["compromises"] for a in session.facilitator_view()["assets"]]
    assert truth[1] and truth[1][0]["detected"]
    japan = session.view("jp")
    us = session.view("us")
    assert japan["assets"][1]["intrusions"]
    assert [i["asset"] for i in japan["facts"]["compromises"]] == [1]
    assert not any(a["intrusions"] for a in us["assets"])
    assert not us["facts"]["compromises"]
    # Views are data for one seat: no ground-truth field in either.
    assert "compromises" not in json.dumps(japan["assets"])


def test_step_narrates_each_event_for_the_seats_that_saw_it():
    session = kizuna.Session("tutorial", 24, teams={"jp": "doctrine", "us": "doctrine"})
    seen_by_team_only = 0
    events = 0
    while not session.ended:
        turn = session.step()
        for event in turn["events"]:
            events += 1
            assert "facilitator" in event["text"]
            assert all(isinstance(t, str) and t for t in event["text"].values())
            if set(event["text"]) != {"facilitator", "jp", "us"}:
                seen_by_team_only += 1
    assert events > 0
    # Fog of war: some events are not worded for every team.
    assert seen_by_team_only > 0


def test_japanese_narration():
    session = kizuna.Session("tutorial", 24, lang="ja")
    texts = [t for _ in range(3) for e in session.step()["events"] for t in e["text"].values()]
    assert any(any(ord(c) > 0x3000 for c in t) for t in texts)


def test_sweep_returns_columns_and_the_summary_of_the_command_line(cli, tmp_path):
    columns, summary = kizuna.sweep("tutorial", range(0, 6), vs={"us": "idle"}, jobs=2)
    lengths = {len(v) for v in columns.values()}
    assert lengths == {12}, "6 seeds × 2 arms"
    assert "seed" in columns
    out = tmp_path / "rows.jsonl"
    expected = cli.json(
        "sweep", "tutorial", "--seeds", "0..6", "--vs", "us=idle", "--json",
        "--out", str(out), "--format", "jsonl",
    )
    assert summary == expected
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["seed"] for r in rows] == columns["seed"]
    for name, values in columns.items():
        assert [r.get(name) for r in rows] == values, name


def test_sweep_columns_make_a_pandas_frame_when_pandas_is_there():
    pandas = pytest.importorskip("pandas")
    columns, _ = kizuna.sweep("tutorial", range(0, 3))
    frame = pandas.DataFrame(columns)
    assert len(frame) == 3
