"""The briefing page in headless Chromium (Debian's ``chromium`` package) with Playwright.

Skipped only when Playwright for Python or /usr/bin/chromium is missing. The
expected rankings are the hand computations of ``test_api.py``: at equal weights
beta is first; with most weight on benefit alpha is first.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from policyeval.io import load_workspace
from policyeval.weighting import compute_weights

from .helpers import running

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READY = "body:not(.pending) #summary:not(:empty)"

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian's chromium is missing (/usr/bin/chromium): apt-get install chromium",
        allow_module_level=True,
    )


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def _top(page) -> str:
    return page.locator("#ranking tbody tr").first.get_attribute("data-option")


def test_briefing_page_end_to_end(browser, tiny: Path, tmp_path: Path) -> None:
    """Loads cleanly offline; sliders re-rank; a saved profile loads; the memo downloads."""
    with running(tiny) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        hosts: set[str] = set()
        page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or urlsplit(r.url).scheme))

        page.goto(server.url)
        page.wait_for_selector(READY)
        assert page.locator("h1").inner_text() == "Tiny decision"
        assert _top(page) == "beta"
        assert page.locator("#profile").input_value() == "even"
        benefit = page.get_by_label("Benefit", exact=True)
        assert float(benefit.input_value()) == pytest.approx(1 / 3, abs=1e-3)
        assert page.locator("#w-benefit-value").inner_text() == "33.3%"

        # moving the benefit slider re-ranks: alpha first (hand computation)
        benefit.fill("0.9")
        page.wait_for_selector('#ranking tbody tr:first-child[data-option="alpha"]')
        page.wait_for_selector(READY)
        assert page.locator("#w-benefit-value").inner_text() == "90.0%"
        assert page.locator("#w-reach-value").inner_text() == "5.0%"  # the rest in proportion
        assert page.locator("#edited").is_visible()
        bars = page.locator("#ranking tbody tr .acc-value").all_inner_texts()
        assert all(t.endswith("%") for t in bars)

        # the group slider scales the criteria inside the group; cost takes the rest
        page.get_by_label("Impact (group)").fill("0.2")
        page.wait_for_selector('#ranking tbody tr:first-child[data-option="status_quo"]')
        assert page.locator("#w-cost-value").inner_text() == "80.0%"
        page.wait_for_selector(READY)
        page.screenshot(path=str(tmp_path / "briefing.png"), full_page=True)

        # save the weights as a profile: a valid file, selected on the page
        page.fill("#save-id", "room_1")
        page.fill("#save-name", "Briefing room")
        page.click("#save")
        page.wait_for_selector("#save-status:has-text('Saved')")
        saved = compute_weights(load_workspace(tiny), "room_1")
        assert saved.name == "Briefing room"
        expected = {"benefit": 0.2 * 0.9 / 0.95, "reach": 0.2 * 0.05 / 0.95, "cost": 0.8}
        assert saved.weights == pytest.approx(expected, abs=1e-6)
        page.wait_for_selector(READY)
        assert page.locator("#profile").input_value() == "room_1"
        assert not page.locator("#edited").is_visible()
        assert page.locator("#w-cost-value").inner_text() == "80.0%"

        # switching profiles sets the sliders and re-ranks
        page.select_option("#profile", "even")
        page.wait_for_selector('#ranking tbody tr:first-child[data-option="beta"]')
        assert page.locator("#w-cost-value").inner_text() == "33.3%"
        page.select_option("#profile", "room_1")
        page.wait_for_selector('#ranking tbody tr:first-child[data-option="status_quo"]')
        page.wait_for_selector(READY)

        # the memo downloads, for the saved profile
        with page.expect_download(timeout=120_000) as info:
            page.click("#memo-md")
        download = info.value
        assert download.suggested_filename == "memo-room_1.md"
        text = Path(download.path()).read_text(encoding="utf-8")
        assert text.startswith("# Tiny decision") and "Briefing room" in text

        assert problems == []
        assert hosts <= {"127.0.0.1", "blob", "data"}

        # a saved id cannot be taken twice without "overwrite" (the 400 is logged)
        page.click("#save")
        page.wait_for_selector("#save-status:has-text('Not saved')")
        assert "already exists" in page.locator("#save-status").inner_text()
        page.close()


def test_shipped_case_shows_the_value_tree(browser, shipped: Path) -> None:
    """One slider per criterion and per group of the shipped case; no console error."""
    ws = load_workspace(shipped)
    with running(shipped) as server:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(server.url)
        page.wait_for_selector(READY)
        assert page.locator("#sliders input[type=range]").count() == len(ws.criteria) + len(
            ws.groups
        )
        for c in ws.criteria:
            assert page.get_by_label(c.name, exact=True).count() == 1
        assert page.locator("#ranking tbody tr").count() == len(ws.options)
        page.check("#packages")  # packages, with the baseline as a reference row
        page.wait_for_selector(f'#ranking tbody tr[data-option="{ws.packages[0].id}"]')
        page.wait_for_selector(READY)
        assert page.locator("#ranking tbody tr").count() == len(ws.packages) + 1
        assert problems == []
        page.close()
