"""The memo context: formatting, the verdict from the pipeline, a generic workspace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyeval.analysis import Analysis
from policyeval.io import load_workspace
from policyeval.reporting.context import build_context
from policyeval.reporting.format import Names, pct

TRANSPORT = Path(__file__).resolve().parents[1] / "fixtures" / "transport"


def test_pct_formats_for_people():
    assert (pct(0.734), pct(0.0004), pct(1.0), pct(0.125, 1)) == ("73%", "<1%", "100%", "12.5%")


def test_plain_replaces_identifiers_not_words():
    names = Names({"d3_force": "Border force"}, {"returnees": "Returnees"}, {})
    assert names.plain("d3_force helps returnees") == "“Border force” helps returnees"
    assert names.plain("see d3_forces") == "see d3_forces"  # whole words only


@pytest.fixture(scope="module")
def transport():
    a = Analysis(load_workspace(TRANSPORT))
    return a, build_context(a, date="2026-01-31", seed=1, samples=500)


def test_bottom_line_is_the_pipelines_verdict(transport):
    a, ctx = transport
    v = a.verdict(samples=500, seed=1)
    bl = ctx["bottom_line"]
    assert bl["verdict"] == v.strength and bl["choice"]["id"] == v.choice
    assert bl["acceptability"] == pct(v.acceptability)
    agree = sum(f == v.leader for f in v.methods_first.values())
    assert bl["methods_agreeing"] == f"{agree} of {len(v.methods_first)}"


def test_generic_workspace_has_no_leftovers_of_the_shipped_case(transport):
    _, ctx = transport

    def strings(x):
        if isinstance(x, dict):
            return [s for k, v in x.items() if k != "charts" for s in strings(v)]
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
    a, ctx = transport
    scores = [s for o in a.case.options for s in o.scores.values()]
    ranged = sum(s.is_judgement for s in scores)
    assert any(f"{ranged} of {len(scores)} scores are judgements" in c for c in ctx["caveats"])


def test_context_is_plain_data_and_pure(transport):
    """Plain data, the same twice; charts are drawn on demand, the same SVG and PNG each time."""
    a, ctx = transport
    again = build_context(a, date="2026-01-31", seed=1, samples=500)

    def data(context):
        charts = [{k: v for k, v in c.items() if k not in ("render", "png")}
                  for c in context["charts"]]  # fmt: skip
        return {**context, "charts": charts}

    assert data(again) == data(ctx)
    for c, d in zip(again["charts"], ctx["charts"]):
        assert c["render"]() == d["render"]()
        assert c["png"]() == d["png"]()
    ctx = data(ctx)

    def plain(x):
        if isinstance(x, dict):
            return all(isinstance(k, str) and plain(v) for k, v in x.items())
        if isinstance(x, list | tuple):
            return all(plain(v) for v in x)
        return x is None or isinstance(x, str | int | float | bool)

    assert plain(ctx)


def test_every_percentage_in_key_numbers_is_formatted(transport):
    _, ctx = transport
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
    assert not any(k["label"] == "Its cost" for k in ctx["key_numbers"])


def test_combined_input_hash_matches_sha256sum(transport):
    """The combined SHA-256 equals coreutils: ``sha256sum FILES | sort -k 2 | sha256sum``."""
    import hashlib
    import shutil
    import subprocess

    from policyeval.reporting.provenance import combined_hash, file_hashes

    ws = transport[0].case
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
