"""The decision-grade rules of the memo and the brief (issue 11), on the shipped case."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyeval.analysis import Analysis
from policyeval.io import load_workspace
from policyeval.reporting import build_report
from policyeval.reporting.format import pct

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def texts(shipped_ctx):
    files = build_report(shipped_ctx, ["brief", "memo", "full"], ["md"])
    return {k[:-3]: v.decode() for k, v in files.items() if k.endswith(".md")}


@pytest.fixture(scope="module")
def a():
    return Analysis(load_workspace(REPO))


def _prose(text: str) -> str:
    """The text without the provenance block and the chart file names."""
    text = text.split("## Provenance")[0]
    return re.sub(r"\]\([^)]*\)", "]", text)


@pytest.mark.parametrize("name", ["brief", "memo"])
def test_no_id_appears_as_a_word(texts, a, name):
    ws = a.case
    ids = [o.id for o in ws.options] + [p.id for p in ws.packages] + list(ws.criterion_ids)
    ids = [i for i in ids if re.search(r"[_\d]", i)]  # "returnees" is also a word
    assert len(ids) > 20
    prose = _prose(texts[name])
    found = [i for i in ids if re.search(rf"(?<![\w/]){re.escape(i)}(?!\w)", prose)]
    assert found == []


@pytest.mark.parametrize("name", ["brief", "memo", "full"])
def test_header_and_caveats_name_the_evidence(texts, a, name):
    head = texts[name].split("## Bottom line")[0]
    citation = a.case.source.citation()
    assert citation in head and f"events after {a.case.evidence_date} are not reflected" in head
    caveats = texts[name].split("## Caveats")[1]
    assert citation in caveats and "judgements given with a range" in caveats
    assert "notional" in caveats and "illustrations" in caveats


@pytest.mark.parametrize("name", ["brief", "memo"])
def test_illustrative_profiles_are_said_to_be_illustrations(texts, a, name):
    assert all(p.provenance == "illustrative" for p in a.case.profiles.values())
    assert "none was elicited from the bodies they are named after" in texts[name]


def test_bottom_line_funds_only_what_the_budget_buys(texts, a, shipped_ctx):
    v = a.verdict(samples=2000, seed=0)
    f = v.funding
    choice_cost = sum(a.case.option(m).cost for m in
                      next(p for p in a.case.packages if p.id == v.choice).options)  # fmt: skip
    assert choice_cost > f.budget  # the first-ranked package does not fit
    assert f.cost <= f.budget and sum(a.case.option(m).cost for m in f.fund) == f.cost
    for name in ("brief", "memo"):
        bottom = texts[name].split("## Key numbers")[0]
        title = shipped_ctx["bottom_line"]["choice"]["title"]
        assert not re.search(rf"\*\*(On balance, )?[Ff]und “{re.escape(title)}”", bottom)
        now = bottom.split("**Fund now, within the budget of 150 RU:**")[1]
        listed = now.split("With ")[0]
        assert all(a.case.option(m).title in listed for m in f.fund)
        assert f"With {f.shortfall:g} RU more, also fund" in now
        assert all(a.case.option(m).title in now.split("With ")[1] for m in f.later)


def test_ranking_table_marks_affordable_and_cost_efficient(shipped_ctx, a):
    f = a.verdict(samples=2000, seed=0).funding
    rows = {r["id"]: r for r in shipped_ctx["ranking"]["packages"]["rows"]}
    for p in a.case.packages:
        assert rows[p.id]["affordable"] == (p.id in f.affordable)
        assert rows[p.id]["efficient"] == (p.id in f.cost_efficient)


def test_budget_section_gives_added_value_and_baseline_sensitivity(texts, a):
    section = texts["memo"].split("## What the budget buys")[1].split("\n## ")[0]
    port = a.portfolio()
    for m in a.verdict(samples=2000, seed=0).funding.fund:
        assert re.search(rf"\| {re.escape(a.case.option(m).title)} \| [\d.]+ RU \| "
                         rf"{port.added_value[m]:.3f}".rstrip("0"), section)  # fmt: skip
    same = a.baseline_sensitivity()["same"]
    assert ("the best portfolio is the same" in section) == same
    assert ("the best portfolio changes" in section) == (not same)


def test_weight_moved_is_the_sensitivity_jsons_moved(texts, a):
    report = a.sensitivity(samples=2000, seed=0, packages=True).to_dict()
    leader = a.verdict(samples=2000, seed=0).leader
    rows = [t for t in report["what_it_takes"] if t["possible"] and t["option"] != leader]
    nearest = min(rows, key=lambda t: (t["moved"], t["option"]))
    assert f"if {pct(nearest['moved'], 1)} of the total weight changes hands" in texts["memo"]
    assert nearest["moved"] == pytest.approx(nearest["distance"] / 2)


def test_smaa_names_bounded_and_free_criteria(texts, a):
    report = a.sensitivity(samples=2000, seed=0, packages=True)
    para = texts["memo"].split("## Robustness")[1].split("\n\n")[1]
    names = {c.id: c.name for c in a.case.criteria}
    bounded, free = para.split("were left free")[0].split("and those of")
    assert report.bounded and all(names[c] in bounded for c in report.bounded)
    assert all(names[c] in free for c in a.case.criterion_ids if c not in report.bounded)


def test_status_quo_share_and_flips_are_reported(texts, a):
    v = a.verdict(samples=2000, seed=0)
    assert v.baseline_first and v.baseline_first > 0
    share = f"The status quo itself ranks first in {pct(v.baseline_first)}"
    assert share in texts["brief"] and share in texts["memo"]
    assert f"{len(v.flips)} single score judgements" in texts["memo"]
    strongest = a.case.criterion(v.flips[0]["criterion"]).name
    assert f"score on {strongest} at the {v.flips[0]['end']} end" in texts["memo"]


def test_vikor_warning_is_rewritten_with_titles(texts):
    assert "acceptable advantage (C1)" not in texts["memo"]
    assert "VIKOR finds no single clear winner" in texts["memo"]


def test_glossary_in_full_only(texts):
    assert "## Glossary" in texts["full"]
    assert "## Glossary" not in texts["memo"] and "## Glossary" not in texts["brief"]


def test_figures_numbered_in_document_order_with_alt_text(texts, shipped_ctx):
    numbers = [int(n) for n in re.findall(r"\*Figure (\d+)\.", texts["full"])]
    assert numbers == list(range(1, len(shipped_ctx["charts"]) + 1))
    alts = {c["id"]: c["alt"] for c in shipped_ctx["charts"]}
    for cid, alt in alts.items():
        assert f"![{alt}](full_files/{cid}.svg)" in texts["full"]


def test_allocation_lists_needs_on_missing_or_imputed_figures(texts, a):
    need = a.allocation().need_index
    flagged = [t for t, n in need.items() if n["dropped"] or n["imputed"]]
    assert flagged
    section = texts["memo"].split("Needs that rest on missing or imputed figures")[1]
    labels = a.allocation().labels["targets"]
    assert all(f"- {labels[t]}:" in section for t in flagged)
