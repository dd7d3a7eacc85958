#!/usr/bin/env python3
"""Measures each policy lever of the model with a paired sweep and writes
the table in docs/model.md between its `levers:begin`/`levers:end` markers,
and each shipped scenario's calibration (idle against doctrine) into
docs/scenarios/ID.md between its `calibration:ID:begin`/`end` markers.

Each lever is one `kizuna sweep` command on a shipped scenario, both teams
on `doctrine` unless said otherwise, with the change as an extra arm paired
by seed with the base. The command for each row is printed in the table,
so any row can be re-run by hand.

Usage: scripts/levers.py [--seeds N] [--kizuna PATH] [--check]
  --check   exit 1 if a figure in docs/ differs from a fresh measurement
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "model.md")
BEGIN, END = "<!-- levers:begin -->", "<!-- levers:end -->"

# (question, scenario, sweep arguments, metrics to report)
LEVERS = [
    ("Staffing: a national CERT twice as large", "tokyo-games",
     ["--vary", "organisations.jpcert.staff=6"], ["score", "first_detection_by_government"]),
    ("Staffing: a national CERT twice as large", "pension-breach",
     ["--vary", "organisations.jpcert.staff=6"], ["score", "records_lost"]),
    ("Staffing: a national CERT twice as large", "grid-outage",
     ["--vary", "organisations.jpcert.staff=6"], ["score", "customer_hours_lost"]),
    ("Staffing: the coordinator twice as large", "pension-breach",
     ["--vary", "organisations.nisc.staff=6"], ["score", "first_detection_by_government"]),
    ("Staffing: the coordinator twice as large", "tokyo-games",
     ["--vary", "organisations.nisc.staff=8"], ["score", "peak_impact"]),
    ("Staffing: JSDF cyber units twice as large", "grid-outage",
     ["--vary", "organisations.jsdf-cdc.staff=22"], ["score"]),
    ("Trust: CISA trusts JPCERT/CC at 200‰ (GREEN only)", "tokyo-games",
     ["--vary", "organisations.cisa.trust.jpcert=200"], ["score", "first_detection_by_government"]),
    ("Markings: nothing shared above GREEN (no leaks, later warning)", "tokyo-games",
     ["--vary", "tuning.tlp_amber_trust=1001"],
     ["score", "alliance_trust", "first_detection_by_government", "peak_impact"]),
    ("Markings: nothing shared at RED (no leads travel)", "tokyo-games",
     ["--vary", "tuning.tlp_red_trust=1001"], ["score", "correct_attributions"]),
    ("Leaks: a leak of allied intel costs the alliance nothing", "tokyo-games",
     ["--vary", "tuning.leak_alliance_cost=0"], ["score", "alliance_trust"]),
    ("Channels: cross-border messages take no time", "grid-outage",
     ["--vary", "tuning.cross_border_delay=0"], ["score", "first_detection_by_government"]),
    ("Channels: cross-border messages take no time", "tokyo-games",
     ["--vary", "tuning.cross_border_delay=0"], ["score", "first_detection_by_government"]),
    ("Dialogue: no standing liaison", "tokyo-games",
     ["--vary", "decisions.Liaison.allowed=false"], ["score", "alliance_trust"]),
    ("Reporting culture: the pension service reports after N days", "pension-breach",
     ["--set", "organisations.jps.reporting_delay=0",
      "--vary", "organisations.jps.reporting_delay=3,6,12,30"],
     ["score", "records_lost", "first_detection_by_government"]),
    ("Assistance: requested help takes 6 turns, not 1", "tokyo-games",
     ["--vary", "decisions.RequestAssistance.duration=6"], ["score", "peak_impact"]),
    ("Assistance: teams of half the lender's establishment, not a quarter", "tokyo-games",
     ["--vary", "tuning.assistance_share=500"], ["score", "peak_impact"]),
    ("US help at all: the US team idle", "tokyo-games",
     ["--vs", "us=idle"], ["score", "peak_impact"]),
    ("Article 5: doctrine consults at 2% estimated harm (too early)", "grid-outage",
     ["--vary", "tuning.doctrine_article5_harm=20"], ["score", "public_trust"]),
    ("Article 5: doctrine never consults", "grid-outage",
     ["--vary", "tuning.doctrine_article5_harm=1001"], ["score", "alliance_trust"]),
    ("Takedowns: none allowed", "pension-breach",
     ["--vary", "decisions.Takedown.allowed=false"], ["score", "records_lost"]),
    ("Takedowns: police need no victim's complaint", "pension-breach",
     ["--vary", "tuning.takedown_without_complaint=1000"], ["score", "records_lost"]),
    ("Takedowns: every server at once, landing late (Japan idle)", "tokyo-games",
     ["--team", "jp=idle", "--set", "tuning.takedown_servers=1000",
      "--set", "decisions.Takedown.success=10000", "--set", "decisions.Takedown.duration=1",
      "--vary", "decisions.Takedown.duration=25"], ["score", "peak_impact"]),
    ("Attribution: doctrine names a sponsor on one source at 800 weight", "tokyo-games",
     ["--set", "tuning.doctrine_attribution_sources=1",
      "--vary", "tuning.doctrine_attribution_confidence=800"],
     ["score", "wrong_attributions", "public_trust"]),
    ("False flags: none planted", "tokyo-games",
     ["--vary", "attackers.od.false_flags=[]"], ["score", "correct_attributions", "public_trust"]),
    ("Ecosystem health: exposed devices halved", "tokyo-games",
     ["--vary", "ecosystem_exposure=250"], ["score", "compromises"]),
    ("Doctrine against idle (Japan)", "tokyo-games", ["--vs", "jp=idle"], ["score"]),
    ("Doctrine against idle (Japan)", "pension-breach", ["--vs", "jp=idle"], ["score"]),
    ("Doctrine against idle (Japan)", "grid-outage", ["--vs", "jp=idle"], ["score"]),
    ("Doctrine against random (Japan)", "tokyo-games", ["--vs", "jp=random"], ["score"]),
    ("Doctrine against random (Japan)", "pension-breach", ["--vs", "jp=random"], ["score"]),
    ("Doctrine against random (Japan)", "grid-outage", ["--vs", "jp=random"], ["score"]),
]


def sweep(kizuna, scenario, args, seeds):
    cmd = [kizuna, "sweep", scenario, "--seeds", f"0..{seeds}", "--json"] + args
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def cell(paired, metric):
    if metric == "score":
        d = paired["score"]
    else:
        d = next(x for x in paired["metrics"] if x["name"] == metric)
    if d["mean"] is None:
        return f"{metric} —"
    lo, hi = d["ci95"]
    sign = "" if lo <= 0 <= hi else " ✱"
    return f"{metric} {d['mean']:+.2f} [{lo:+.2f}, {hi:+.2f}]{sign}"


def quote(arg):
    return f"'{arg}'" if any(c in arg for c in "[]()>* ") else arg


def table(kizuna, seeds):
    lines = [
        f"Measured with `scripts/levers.py` ({seeds} seeds, paired by seed; "
        "mean difference arm − base with its bootstrap 95% interval; ✱ where "
        "the interval excludes zero).",
        "",
        "| lever | scenario | arm | effect | command |",
        "|---|---|---|---|---|",
    ]
    for question, scenario, args, metrics in LEVERS:
        s = sweep(kizuna, scenario, args, seeds)
        command = " ".join(["kizuna sweep", scenario, f"--seeds 0..{seeds}"] + [quote(a) for a in args])
        for arm in s["arms"][1:]:
            effect = "; ".join(cell(arm["paired"], m) for m in metrics)
            lines.append(f"| {question} | {scenario} | `{arm['arm']}` | {effect} | `{command}` |")
    return "\n".join(lines) + "\n"


SCENARIOS = ["tokyo-games", "pension-breach", "grid-outage"]
METRICS = ["peak_impact", "records_lost", "customer_hours_lost", "public_trust",
           "alliance_trust", "first_detection", "first_detection_by_government",
           "correct_attributions", "wrong_attributions"]


def calibration(kizuna, scenario, seeds):
    rows = {}
    for policy in ["idle", "doctrine"]:
        teams = []
        for team in ["jp", "us"]:
            teams += ["--team", f"{team}={policy}"]
        rows[policy] = sweep(kizuna, scenario, teams, seeds)["arms"][0]
    idle, doctrine = rows["idle"], rows["doctrine"]
    lines = [
        f"`kizuna sweep {scenario} --seeds 0..{seeds} --team jp=POLICY --team us=POLICY`",
        "",
        "| | idle | doctrine |",
        "|---|---|---|",
    ]
    for key in ["mean", "median", "p5", "p95"]:
        lines.append(f"| score, {key} | {idle['score'][key]:.1f} | {doctrine['score'][key]:.1f} |")
    for (obj, i), (_, d) in zip(idle["objectives_met"], doctrine["objectives_met"]):
        lines.append(f"| objective `{obj}` met | {i:.1%} | {d:.1%} |")
    for m in METRICS:
        i = next(x for x in idle["metrics"] if x["name"] == m)
        d = next(x for x in doctrine["metrics"] if x["name"] == m)
        def show(x):
            return "—" if x["mean"] is None else f"{x['mean']:.2f} (n={x['runs']})"
        lines.append(f"| `{m}`, mean | {show(i)} | {show(d)} |")
    return "\n".join(lines) + "\n"


def replace_block(text, begin, end, body):
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[:start] + "\n" + body + text[stop:]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=400)
    p.add_argument("--kizuna", default=os.environ.get("KIZUNA", os.path.join(ROOT, "target/release/kizuna")))
    p.add_argument("--check", action="store_true")
    a = p.parse_args()
    docs = {DOC: lambda t: replace_block(t, BEGIN, END, table(a.kizuna, a.seeds))}
    for scenario in SCENARIOS:
        path = os.path.join(ROOT, "docs", "scenarios", f"{scenario}.md")
        docs[path] = (lambda sc: lambda t: replace_block(
            t, f"<!-- calibration:{sc}:begin -->", f"<!-- calibration:{sc}:end -->",
            calibration(a.kizuna, sc, a.seeds)))(scenario)
    stale = []
    for path, update in docs.items():
        old = open(path, encoding="utf-8").read()
        fresh = update(old)
        if fresh == old:
            continue
        if a.check:
            stale.append(os.path.relpath(path, ROOT))
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(fresh)
    if stale:
        print("stale figures in " + ", ".join(stale) + ": run scripts/levers.py", file=sys.stderr)
        return 1
    if a.check:
        print("figures in docs/ are current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
