"""The memo context: hedging rules, formatting and a generic workspace (no leftovers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyeval.analysis import Analysis
from policyeval.io import load_workspace
from policyeval.reporting.context import (
    THRESHOLDS,
    build_context,
    gather,
    hedge_reasons,
    pct,
    stability_margin,
    verdict,
)

TRANSPORT = Path(__file__).resolve().parents[1] / "fixtures" / "transport"


# ---------------------------------------------------------------- hedging rules


@pytest.mark.parametrize(
    ("acc", "agree", "margin", "expected"),
    [
        (0.70, True, 0.11, "firm"),  # every firm condition at its edge
        (0.95, True, None, "firm"),  # no single weight change overturns it
        (0.69, True, 0.5, "qualified"),  # acceptability just below firm
        (0.90, False, 0.5, "qualified"),  # methods disagree
        (0.90, True, 0.10, "qualified"),  # margin of exactly 0.10 is not wider than 0.10
        (0.90, True, 0.02, "qualified"),
        (0.40, True, 0.5, "qualified"),  # lower edge of qualified
        (0.399, True, 0.5, "fragile"),
        (0.10, False, 0.01, "fragile"),
        (None, True, 0.5, "qualified"),  # robustness not assessed: never firm
    ],
)
def test_verdict_rules(acc, agree, margin, expected):
    assert verdict(acc, agree, margin) == expected


def test_thresholds_are_named_once():
    assert THRESHOLDS == {
        "firm_acceptability": 0.70,
        "fragile_acceptability": 0.40,
        "stability_margin": 0.10,
    }


def test_stability_margin_ignores_ends_at_zero_and_one():
    weights = {"a": 0.05, "b": 0.55, "c": 0.40}
    # a's interval reaches 0 (no limit below), b is limited above at 0.60, c anywhere
    stab = {"a": [0.0, 0.30], "b": [0.20, 0.60], "c": [0.0, 1.0]}
    margin, crit = stability_margin(weights, stab)
    assert crit == "b"
    assert margin == pytest.approx(0.05)
    assert stability_margin({"c": 0.4}, {"c": [0.0, 1.0]}) == (None, None)


def test_hedge_reasons_name_the_failed_rules():
    reasons = hedge_reasons(0.5, ["WSM"], {"TOPSIS": "B", "VIKOR": "B"}, 0.03, "Cost")
    text = " ".join(reasons)
    assert "50%" in text and "below the 70%" in text
    assert "1 of 3 ranking methods" in text and "TOPSIS and VIKOR prefer B" in text
    assert "3 percentage points in the weight of Cost" in text


def test_pct_formats_for_people():
    assert (pct(0.734), pct(0.0004), pct(1.0), pct(0.125, 1)) == ("73%", "<1%", "100%", "12.5%")


# ---------------------------------------------------------------- a generic workspace


@pytest.fixture(scope="module")
def transport():
    ws = load_workspace(TRANSPORT)
    results = gather(Analysis(ws), samples=500, seed=1)
    return ws, results, build_context(ws, results, date="2026-01-31", seed=1, samples=500)


def test_bottom_line_follows_the_results(transport):
    ws, results, ctx = transport
    wsm = results["options"]["methods"]["wsm"]
    top = min(wsm, key=lambda r: r["rank"])["option"]
    bl = ctx["bottom_line"]
    assert bl["choice"]["id"] == top
    acc = results["sensitivity"]["acceptability"][top][0]
    assert bl["acceptability"] == pct(acc)
    firsts = {
        m: min(rows, key=lambda r: r["rank"])["option"]
        for m, rows in results["options"]["methods"].items()
    }
    agree = all(f == top for f in firsts.values())
    margin, _ = stability_margin(
        results["weights"]["council"]["weights"], results["sensitivity"]["stability"]
    )
    assert bl["verdict"] == verdict(acc, agree, margin)
    assert bl["methods_agreeing"] == f"{sum(f == top for f in firsts.values())} of {len(firsts)}"


def test_generic_workspace_has_no_leftovers_of_the_shipped_case(transport):
    _, _, ctx = transport

    def strings(x):
        if isinstance(x, dict):
            return [s for v in x.values() for s in strings(v)]
        if isinstance(x, list | tuple):
            return [s for v in x for s in strings(v)]
        return [x] if isinstance(x, str) else []

    text = " ".join(strings(ctx))
    for word in ("CSTO", "Russia", "terror", "Central Asia", "package", "countr", "§4"):
        assert word not in text, word
    assert ctx["subject"] == "option"
    assert ctx["countries"] is None and ctx["ranking"]["packages"] is None
    assert ctx["unit"] == "EUR m"  # criteria.yaml unit "million euros (EUR m)"


def test_caveats_come_from_the_data(transport):
    ws, _, ctx = transport
    scores = [s for o in ws.options for s in o.scores.values()]
    ranged = sum(s.is_judgement for s in scores)
    assert f"{ranged} of {len(scores)} scores are judgements" in ctx["caveats"][0]


def test_context_is_plain_data_and_pure(transport):
    ws, results, ctx = transport
    again = build_context(ws, results, date="2026-01-31", seed=1, samples=500)
    assert again == ctx

    def plain(x):
        if isinstance(x, dict):
            return all(isinstance(k, str) and plain(v) for k, v in x.items())
        if isinstance(x, list | tuple):
            return all(plain(v) for v in x)
        return x is None or isinstance(x, str | int | float | bool)

    assert plain(ctx)


def test_every_percentage_in_key_numbers_is_formatted(transport):
    _, _, ctx = transport
    for row in ctx["key_numbers"]:
        assert not re.search(r"\d\.\d{4,}", row["value"]), row


def test_status_quo_first_says_fund_none(tmp_path):
    from workspaces import tiny_spec, write_workspace

    from policyeval.reporting import build_report, report_context

    spec = tiny_spec()
    spec["options/status_quo.yaml"]["scores"] = {"benefit": 10, "reach": 10, "cost": 0}
    del spec["options/packages.yaml"]
    ws = load_workspace(write_workspace(tmp_path / "ws", spec))
    ctx = report_context(Analysis(ws), date="2026-01-31", samples=200, versions={})
    bl = ctx["bottom_line"]
    assert bl["status_quo_wins"] and bl["leader"] == "Status quo"
    assert bl["choice"]["title"] == "Beta"  # best measure, named but not recommended
    text = build_report(ctx, ["memo"], ["md"])["memo.md"].decode()
    assert "Fund none of the options yet" in text
    assert "Status quo ranks first in 100% of them" in text
    assert not any(k["label"] == "Cost" for k in ctx["key_numbers"])


def test_combined_input_hash_matches_sha256sum(transport):
    """The combined SHA-256 equals coreutils: ``sha256sum FILES | sort -k 2 | sha256sum``."""
    import hashlib
    import shutil
    import subprocess

    from policyeval.reporting.provenance import combined_hash, file_hashes

    ws = transport[0]
    files = file_hashes(ws.digests)  # taken by the loader of the bytes it parsed
    if shutil.which("sha256sum"):
        paths = [f["path"] for f in files]
        out = subprocess.run(["sha256sum", *paths], cwd=ws.root, capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
        lines = "".join(sorted(out.splitlines(keepends=True), key=lambda x: x.split("  ", 1)[1]))
    else:
        lines = "".join(
            f"{hashlib.sha256((ws.root / f['path']).read_bytes()).hexdigest()}  {f['path']}\n"
            for f in files
        )
    assert combined_hash(files) == hashlib.sha256(lines.encode()).hexdigest()
    assert combined_hash(list(reversed(files))) == combined_hash(files)  # order-free
    changed = [{**files[0], "sha256": "0" * 64}, *files[1:]]
    assert combined_hash(changed) != combined_hash(files)


def test_compact_memo_data_adds_up(shipped_ctx):
    """Group weights are the sums of their criteria; every method appears once in firsts."""
    groups = shipped_ctx["criteria_groups"]
    assert sum(len(g["criteria"]) for g in groups) == len(shipped_ctx["criteria"])
    for g in groups:
        parts = sum(float(c["weight"].rstrip("%")) for c in g["criteria"])
        assert abs(parts - float(g["weight"].rstrip("%"))) <= 0.05 * len(g["criteria"])
    t = shipped_ctx["ranking"]["packages"]
    methods = [m for g in t["firsts_grouped"] for m in g["methods"]]
    assert sorted(methods) == sorted(t["methods"])
    al = shipped_ctx["funding"]["allocation"]
    assert len(al["channel_totals"]) == len(al["channels"])
    assert all(len(r["cells"]) == len(al["channels"]) for r in al["matrix"])
