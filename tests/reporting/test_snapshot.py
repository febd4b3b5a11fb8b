"""Snapshot of the shipped case's rendered memo and brief (Markdown).

Regenerate after an intended change with::

    POLICYEVAL_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/reporting/test_snapshot.py

and review the diff of ``tests/reporting/__snapshots__/`` before committing it.
The context uses 2,000 samples, seed 0, date 2026-01-31 and pinned package
versions, so the bytes depend only on the inputs and the code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policyeval.reporting import build_report

SNAPSHOTS = Path(__file__).parent / "__snapshots__"
UPDATE = os.environ.get("POLICYEVAL_UPDATE_SNAPSHOTS") == "1"


@pytest.mark.parametrize("template", ["memo", "brief"])
def test_shipped_memo_matches_snapshot(shipped_ctx, template):
    text = build_report(shipped_ctx, [template], ["md"])[f"{template}.md"].decode()
    snap = SNAPSHOTS / f"{template}.md"
    if UPDATE or not snap.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        snap.write_text(text)
        if not UPDATE:
            pytest.fail(f"no snapshot yet: wrote {snap.name}; review it and run again")
    assert text == snap.read_text(), (
        "rendered memo differs from the snapshot; if intended, regenerate with "
        "POLICYEVAL_UPDATE_SNAPSHOTS=1"
    )


def test_shipped_memo_cites_the_paper_and_states_the_bottom_line(shipped_ctx):
    text = build_report(shipped_ctx, ["memo"], ["md"])["memo.md"].decode()
    head = text.split("## Key numbers")[0]
    assert "## Bottom line" in head and "### What would change the answer" in head
    assert shipped_ctx["bottom_line"]["choice"]["title"] in head
    assert "§4(" in text  # evidence cited to the paper's sections
    assert "Hapchyn (2021)" in text.split("## Bottom line")[0]  # the source, in the header
    assert "RU" in text  # the case's resource unit
    assert "## Provenance" in text and shipped_ctx["provenance"]["inputs_sha256"] in text
    assert "criteria/criteria.yaml" not in text  # per-file hashes: full memo only


def test_memo_evidence_covers_the_recommended_measures_and_full_every_option(shipped_ctx):
    files = build_report(shipped_ctx, ["memo", "full"], ["md"])
    memo, full = files["memo.md"].decode(), files["full.md"].decode()
    chosen = set(shipped_ctx["bottom_line"]["choice"]["ids"])
    evidence = memo.split("## The evidence behind the recommendation")[1].split("## Caveats")[0]
    for e in shipped_ctx["evidence"]:
        assert (f"**{e['title']}**" in evidence) == (e["id"] in chosen)
        assert f"**{e['title']}**" in full.split("## The evidence behind each option")[1]
    assert "| criteria/criteria.yaml | `" in full


def test_allocation_shows_readable_targets_and_channels(shipped_ctx):
    memo = build_report(shipped_ctx, ["memo"], ["md"])["memo.md"].decode()
    section = memo.split("### Allocation by target and channel")[1].split("\n## ")[0]
    assert "| Russia (domestic) |" in section and "| CSTO |" in section
    assert "russia_domestic" not in section and "csto" not in section


def test_full_memo_has_every_appendix(shipped_ctx):
    text = build_report(shipped_ctx, ["full"], ["md"])["full.md"].decode()
    for heading in ("Appendix A.", "Appendix B.", "Appendix C.", "Appendix D. Country data",
                    "Appendix E.", "## Provenance"):  # fmt: skip
        assert heading in text
    countries = shipped_ctx["countries"]
    assert countries["rows"][-1][0] == "Source"  # each country's sections, last row
    assert all("§" in cell for cell in countries["rows"][-1][1:])


@pytest.mark.parametrize(
    ("verdict", "words"),
    [
        ("firm", "**Fund “"),
        ("qualified", "**On balance, fund "),
        ("fragile", "clearly stands out"),
    ],
)
def test_headline_wording_follows_the_verdict(verdict, words):
    """With no budget the headline funds the choice, worded by the verdict's strength."""
    import dataclasses

    from policyeval.analysis import Analysis
    from policyeval.io import load_workspace
    from policyeval.reporting.bottom_line import headline
    from policyeval.reporting.format import Names

    a = Analysis(load_workspace(Path(__file__).parents[1] / "fixtures" / "transport"))
    v = dataclasses.replace(a.verdict(samples=200), strength=verdict, status_quo_wins=False)
    strong, rest = headline(v, Names(a.titles(), {}, {}), "Council", "option", "options",
                            None, None)  # fmt: skip
    assert words in f"**{strong}** {rest}"
